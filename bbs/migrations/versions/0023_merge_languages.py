"""Merge the migrations written side by side for languages (places' languages and members'
countries; the resource library in each language).

Revision ID: 0023_merge_languages
Revises: 0021_place_language, 0022_resource_language
Create Date: 2026-12-04

New migrations revise this one.
"""

from collections.abc import Sequence

revision: str = "0023_merge_languages"
down_revision: str | Sequence[str] | None = ("0021_place_language", "0022_resource_language")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
