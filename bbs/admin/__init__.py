"""The sysop's side of moderation: reviewing the queue, actions with reasons, appeals,
the dashboard, and the admin front door for screens, the SSH door and the CLI."""
