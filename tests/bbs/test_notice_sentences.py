"""What moderators' actions tell a member ends each sentence once: never "..", "?." or "!."."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import select
from support import NO_WAIT, add_member

from bbs.admin import review as admin
from bbs.admin.review import Decision
from bbs.boards import records as boards
from bbs.db import Database
from bbs.models import Role
from bbs.moderation_queue import sanctions
from bbs.moderation_queue.flags import ModerationFlag, Written
from bbs.moderation_queue.policy import Action
from bbs.moderation_queue.sanctions import SanctionKind, full_stop

# How moderators write reasons: with and without a closing stop, asking, exclaiming,
# trailing off, quoting, in brackets, with trailing spaces; and no reason at all.
REASONS = [
    "",
    "name-calling",
    "Name-calling in a support thread.",
    "Was this really needed?",
    "Please stop!",
    "See the rules...",
    'He was told "stop."',
    "(rule 3.)",
    "Spam link.  ",
]
CATEGORIES = ["", "Harassment"]
# A sentence stopped twice: "..", "?.", "!.", an ellipsis and a period ("....", "….") or a
# stop, a closing quote or bracket, then a period ('"stop.".', "(rule 3.).").
DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?!\.)|\.{4,}|[?!…]\.|[.!?…][\"'”’)\]]+\.|\.\s\.")


def _held_post(db: Database, author: int) -> int:
    with db.read() as session:
        board_id = boards.all_boards(session)[0].id
    with db.write() as session:
        post = boards.create_thread(
            session,
            author_id=author,
            board_id=board_id,
            written=Written(
                boards.clean_post("Title", "you idiot", ""), Action.HOLD, "harassment=0.91"
            ),
            rules=NO_WAIT,
        )
        flag = session.exec(select(ModerationFlag).where(ModerationFlag.target_id == post.id)).one()
        assert flag.id is not None
        return flag.id


def _all_notices(db: Database, category: str, reason: str) -> list[str]:
    """Every notice and refusal a member can be shown for one reason, through the core."""
    sysop = add_member(db, "Harbourmaster", Role.SYSOP)
    mod = add_member(db, "Keeper", Role.MODERATOR)
    member = add_member(db, "Fen")
    said = {"category": category, "reason": reason}
    held = [_held_post(db, member), _held_post(db, member)]
    texts: list[str] = []
    actions = {}
    for kind, told in (
        (SanctionKind.MUTE, sanctions.posting_block),
        (SanctionKind.SUSPEND, sanctions.login_block),
        (SanctionKind.BAN, sanctions.login_block),
        (SanctionKind.WARN, None),
    ):
        with db.write() as session:
            actions[kind] = admin.sanction_member(
                session, actor_id=mod, pseudonym="Fen", kind=kind, length=timedelta(days=1), **said
            )
        if told is not None:
            with db.read() as session:
                texts.append(told(session, member) or "")
    with db.write() as session:
        admin.lift(session, actor_id=mod, pseudonym="Fen", **said)
    for flag, decision in zip(held, (Decision.HIDE, Decision.DELETE), strict=True):
        with db.write() as session:
            admin.decide(session, actor_id=mod, flag_id=flag, decision=decision, **said)
    for kind, decision in (
        (SanctionKind.WARN, Decision.UPHOLD),
        (SanctionKind.MUTE, Decision.OVERTURN),
    ):
        with db.write() as session:
            sent = admin.appeal(
                session, member_id=member, audit_id=actions[kind].id, message="context?"
            )
        with db.write() as session:
            admin.decide(session, actor_id=sysop, flag_id=sent.flag_id, decision=decision, **said)
    with db.read() as session:
        texts += [n.text for n in sanctions.unseen_notices(session, member)]
    return texts


@pytest.mark.parametrize(
    ("category", "reason"),
    [
        (category, reason)
        for category in CATEGORIES
        for reason in REASONS
        if category or reason  # every action needs a category or a reason
    ],
)
def test_no_notice_ends_a_sentence_twice(db: Database, category: str, reason: str) -> None:
    texts = _all_notices(db, category, reason)
    assert len(texts) >= 12 and all(texts)
    for text in texts:
        assert not DOUBLE_STOP.search(text), text
        assert text.rstrip().endswith((".", "!", "?", ")", '"', "…")), text


@pytest.mark.parametrize(
    ("text", "ended"),
    [
        ("no reason given", "no reason given."),
        ("Spam.", "Spam."),
        ("Really?", "Really?"),
        ("Stop!", "Stop!"),
        ("See the rules...", "See the rules..."),
        ("See the rules…", "See the rules…"),
        ('He said "stop."', 'He said "stop."'),
        ("(rule 3.)", "(rule 3.)"),
        ("(rule 3)", "(rule 3)."),
        ("trailing space.  ", "trailing space."),
    ],
)
def test_full_stop_adds_a_period_only_when_the_sentence_has_none(text: str, ended: str) -> None:
    assert full_stop(text) == ended
