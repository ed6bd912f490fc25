"""The dashboard's numbers and charts, trending terms, and guidelines versions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from support import NO_WAIT, add_member

from bbs.admin import dashboard
from bbs.admin import review as admin
from bbs.boards import records as boards
from bbs.db import Database
from bbs.models import Member, Role, utcnow
from bbs.moderation_queue.audit import AdminError
from bbs.moderation_queue.flags import Written
from bbs.moderation_queue.policy import Action


def test_sparkline_scales_to_the_largest_value() -> None:
    assert dashboard.sparkline([0, 0, 0]) == "▁▁▁"
    assert dashboard.sparkline([0, 7, 14]) == "▁▅█"
    assert len(dashboard.sparkline([1] * 14)) == 14


def test_trending_terms_rise_above_their_usual_level() -> None:
    this_week = [
        "exams are coming and sleep is bad",
        "exams again, cannot sleep",
        "exams exams",
        "my garden is lovely",
    ]
    before = ["sleep was bad", "sleep again", "sleep sleep", "sleep is hard"] * 3
    top = dashboard.trending_terms(this_week, before, weeks_before=4)
    assert top[0] == ("exams", 3)
    assert ("sleep", 2) in top and top.index(("sleep", 2)) > 0
    assert all(term not in dashboard.STOPWORDS for term, _n in top)


def test_dashboard_counts_activity_queue_and_rates(db: Database) -> None:
    sysop = add_member(db, "Harbourmaster", Role.SYSOP)
    author = add_member(db, "Fern")
    with db.read() as session:
        board_id = boards.all_boards(session)[0].id
    with db.write() as session:
        for body, action in (
            ("exams tomorrow", Action.ALLOW),
            ("exams again", Action.ALLOW),
            ("rude words", Action.HOLD),
        ):
            boards.create_thread(
                session,
                author_id=author,
                board_id=board_id,
                written=Written(boards.clean_post("t", body, ""), action),
                rules=NO_WAIT,
            )
        fern = session.get(Member, author)
        assert fern is not None
        fern.last_login_at = utcnow() - timedelta(days=3)
    with db.read() as session:
        stats = dashboard.dashboard(session, actor_id=sysop)
    assert stats.members == 2 and stats.active_today == 1 and stats.active_week == 2
    assert stats.posts[-1] == 3 and len(stats.posts) == dashboard.DAYS
    assert stats.holds[-1] == 1 and stats.queue_open == 1 and stats.queue_oldest is not None
    assert stats.hold_rate == pytest.approx(1 / 3)
    assert ("exams", 2) in stats.trending
    with pytest.raises(AdminError), db.read() as session:
        dashboard.dashboard(session, actor_id=author)


def test_guidelines_change_asks_every_member_to_agree_again(db: Database) -> None:
    sysop = add_member(db, "Harbourmaster", Role.SYSOP)
    member = add_member(db, "Fern")
    with db.read() as session:
        assert not admin.needs_agreement(session, member)
    with pytest.raises(AdminError), db.write() as session:
        admin.publish_guidelines_version(session, actor_id=member)
    with db.write() as session:
        assert admin.publish_guidelines_version(session, actor_id=sysop) == 2
    with db.read() as session:
        assert admin.needs_agreement(session, member)
    with db.write() as session:
        admin.agree_to_guidelines(session, member)
    with db.read() as session:
        assert not admin.needs_agreement(session, member)
        [entry] = admin.audit_log(session, actor_id=sysop)
    assert entry.detail == "guidelines version 2"
