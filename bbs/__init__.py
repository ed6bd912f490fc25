"""The domain core of the BBS: models, store, services and text safety (no UI, no SSH)."""
