"""What moderation writes as members post: the gate and its policy, holds, crisis
alerts and reports (flags), sanctions, and the audit log."""
