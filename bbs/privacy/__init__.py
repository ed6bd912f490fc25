"""Privacy: what we store about a member, their export, sessions, and deleting an account."""
