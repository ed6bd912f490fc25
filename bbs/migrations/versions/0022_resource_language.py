"""resource language: each library entry is written in one of the board's languages

Revision ID: 0022_resource_language
Revises: 0020_merge_cluster
Create Date: 2026-12-04 20:00:00.000000

Existing entries are English. A slug names the same entry across languages, so it is
unique per language (slug, lang) rather than on its own. The new languages' default
entries are seeded at start (bbs.resources.records.seed_default_resources), never here.

SQLite cannot drop a table's own UNIQUE (slug), so the table is rebuilt there; the
migration runs with foreign keys on, and dropping the old table would take members'
favourites with it (ON DELETE CASCADE), so they are kept aside and put back.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0022_resource_language"
down_revision: str | None = "0020_merge_cluster"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The name PostgreSQL gave the UNIQUE (slug) of migration 0007.
_POSTGRES_SLUG_KEY = "resource_slug_key"
_SQLITE_NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _keep_favourites() -> None:
    op.execute("CREATE TEMPORARY TABLE _kept_favourite AS SELECT * FROM resourcefavourite")


def _put_favourites_back() -> None:
    op.execute(
        "INSERT INTO resourcefavourite (member_id, resource_id, created_at) "
        "SELECT k.member_id, k.resource_id, k.created_at FROM _kept_favourite k "
        "WHERE EXISTS (SELECT 1 FROM resource r WHERE r.id = k.resource_id) "
        "AND NOT EXISTS (SELECT 1 FROM resourcefavourite f "
        "WHERE f.member_id = k.member_id AND f.resource_id = k.resource_id)"
    )
    op.execute("DROP TABLE _kept_favourite")


def upgrade() -> None:
    lang = sa.Column(
        "lang",
        sqlmodel.sql.sqltypes.AutoString(length=8),
        nullable=False,
        server_default="en",
    )
    if _sqlite():
        _keep_favourites()
        with op.batch_alter_table(
            "resource", recreate="always", naming_convention=_SQLITE_NAMES
        ) as batch_op:
            batch_op.add_column(lang)
            batch_op.drop_constraint("uq_resource_slug", type_="unique")
            batch_op.create_unique_constraint("uq_resource_slug_lang", ["slug", "lang"])
        _put_favourites_back()
        return
    op.add_column("resource", lang)
    op.drop_constraint(_POSTGRES_SLUG_KEY, "resource", type_="unique")
    op.create_unique_constraint("uq_resource_slug_lang", "resource", ["slug", "lang"])


def downgrade() -> None:
    # Only the English entries fit the old table (one entry a slug); the others go, and
    # members' favourites of them with them.
    op.execute(
        "DELETE FROM resourcefavourite WHERE resource_id IN "
        "(SELECT id FROM resource WHERE lang <> 'en')"
    )
    op.execute("DELETE FROM resource WHERE lang <> 'en'")
    # Upgrading again seeds those languages again.
    op.execute("DELETE FROM adminsetting WHERE key LIKE 'resources_seeded_%'")
    if _sqlite():
        _keep_favourites()
        with op.batch_alter_table("resource", recreate="always") as batch_op:
            batch_op.drop_constraint("uq_resource_slug_lang", type_="unique")
            batch_op.drop_column("lang")
            batch_op.create_unique_constraint("uq_resource_slug", ["slug"])
        _put_favourites_back()
        return
    op.drop_constraint("uq_resource_slug_lang", "resource", type_="unique")
    op.drop_column("resource", "lang")
    op.create_unique_constraint(_POSTGRES_SLUG_KEY, "resource", ["slug"])
