"""Merge the migrations written side by side (plain line mode's preference; search parity).

Revision ID: 0013
Revises: 0011_plain, 0012
Create Date: 2026-12-04

New migrations revise this one.
"""

from collections.abc import Sequence

revision: str = "0013"
down_revision: str | Sequence[str] | None = ("0011_plain", "0012")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
