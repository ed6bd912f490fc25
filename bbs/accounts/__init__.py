"""Accounts: members, keys and roles, passwords, pseudonyms, blocks, and the door's throttles."""
