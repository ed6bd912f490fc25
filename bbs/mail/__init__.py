"""Private messages between two members: who may write to whom, conversations, reports."""
