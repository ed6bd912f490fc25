"""Merge the migrations written side by side (resources, suggestions, privacy).

Revision ID: 0010
Revises: 0007, 0008, 0009
Create Date: 2026-11-22

New migrations revise this one.
"""

from collections.abc import Sequence

revision: str = "0010"
down_revision: str | Sequence[str] | None = ("0007", "0008", "0009")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
