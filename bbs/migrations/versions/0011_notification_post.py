"""Index notifications by post: a post's publication (or approval, or edit) tells each
member once, and looks up who was told already.

Revision ID: 0011_notify
Revises: 0010
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011_notify"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_notification_post_id", "notification", ["post_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_notification_post_id", table_name="notification")
