"""Sysop decisions become labelled examples that `bbs moderation retrain` reads."""

from __future__ import annotations

from bbs.community import Community
from bbs.moderation_queue.examples import load_labelled_examples, record_decision
from bbs.moderation_queue.policy import LabelledText


def test_decisions_round_trip_through_the_data_directory(community: Community) -> None:
    with community.database.write() as session:
        record_decision(
            session,
            text="you are worthless, leave",
            harassment=True,
            spam=False,
            crisis=False,
            decided_by_id=None,
        )
        record_decision(
            session,
            text="ugh this week, so tired",
            harassment=False,
            spam=False,
            crisis=False,
            decided_by_id=None,
        )
    examples = load_labelled_examples(community.settings.data_dir)
    assert examples == [
        LabelledText("you are worthless, leave", True, False, False),
        LabelledText("ugh this week, so tired", False, False, False),
    ]
