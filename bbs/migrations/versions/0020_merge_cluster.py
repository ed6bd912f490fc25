"""Merge the migrations written side by side for several nodes (presence and live
sessions; shared throttles; help, guidelines and model versions in the database).

Revision ID: 0020_merge_cluster
Revises: 0017_live_presence, 0018_shared_throttles, 0019_shared_texts
Create Date: 2026-12-04

New migrations revise this one.
"""

from collections.abc import Sequence

revision: str = "0020_merge_cluster"
down_revision: str | Sequence[str] | None = (
    "0017_live_presence",
    "0018_shared_throttles",
    "0019_shared_texts",
)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
