"""The Textual app each SSH session runs, and its screens (UI only: no database, no SSH)."""
