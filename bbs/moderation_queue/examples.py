"""Texts labelled by people (sysops' decisions), kept as training examples for the model."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, col, select

from bbs.config import load_settings
from bbs.db import Database
from bbs.models import ModerationExample
from bbs.moderation_queue.policy import LabelledText


def record_decision(
    session: Session,
    *,
    text: str,
    harassment: bool,
    spam: bool,
    crisis: bool,
    decided_by_id: int | None,
    source: str = "decision",
) -> None:
    """Keep a person's decision on a held or reported text as a labelled example."""
    session.add(
        ModerationExample(
            text=text[:20000],
            harassment=harassment,
            spam=spam,
            crisis=crisis,
            source=source,
            decided_by_id=decided_by_id,
        )
    )


def labelled_examples(session: Session) -> list[LabelledText]:
    rows = session.exec(select(ModerationExample).order_by(col(ModerationExample.id))).all()
    return [LabelledText(r.text, r.harassment, r.spam, r.crisis) for r in rows]


def load_labelled_examples(data_dir: Path) -> list[LabelledText]:
    """Every decision stored in the data directory's database (used by `bbs moderation retrain`)."""
    settings = load_settings(data_dir)
    database = Database(settings.database_url, pool_size=1)
    try:
        database.migrate()
        with database.read() as session:
            return labelled_examples(session)
    finally:
        database.dispose()
