"""The admin core: queue order, every action with its effect, its audit entry and its notice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select
from support import NO_WAIT, add_member

from bbs.admin import review as admin
from bbs.admin.review import AuditFilter, Decision
from bbs.boards import records as boards
from bbs.boards.records import CleanPost, PostError, PostStatus
from bbs.db import Database
from bbs.goals import records as goals
from bbs.mail import records as messages
from bbs.models import ModerationExample, Role, utcnow
from bbs.moderation_queue import sanctions
from bbs.moderation_queue.audit import AdminError
from bbs.moderation_queue.flags import FlagKind, FlagTarget, ModerationFlag, Written, add_flag
from bbs.moderation_queue.policy import Action
from bbs.moderation_queue.sanctions import SanctionKind
from bbs.rooms import records as rooms


def _post(db: Database, author: int, body: str, action: Action = Action.ALLOW) -> int:
    with db.read() as session:
        board_id = boards.all_boards(session)[0].id
    with db.write() as session:
        post = boards.create_thread(
            session,
            author_id=author,
            board_id=board_id,
            written=Written(
                boards.clean_post("Title", body, ""),
                action,
                "harassment=0.91 spam=0.01 crisis=0.02",
            ),
            rules=NO_WAIT,
        )
    return post.id


def _flag_for(db: Database, target_id: int) -> int:
    with db.read() as session:
        flag = session.exec(
            select(ModerationFlag).where(ModerationFlag.target_id == target_id)
        ).first()
        assert flag is not None and flag.id is not None
        return flag.id


def _status(db: Database, post_id: int) -> str:
    with db.read() as session:
        post = session.get(boards.Post, post_id)
        assert post is not None
        return post.status


def _notices(db: Database, member_id: int) -> list[str]:
    with db.read() as session:
        return [n.text for n in sanctions.unseen_notices(session, member_id)]


@pytest.fixture
def people(db: Database) -> tuple[int, int, int]:
    return (
        add_member(db, "Harbourmaster", Role.SYSOP),
        add_member(db, "Keeper", Role.MODERATOR),
        add_member(db, "Troll"),
    )


def test_queue_lists_crisis_then_reports_then_holds_oldest_first(
    db: Database, people: tuple[int, int, int]
) -> None:
    sysop, _mod, troll = people
    held_old = _post(db, troll, "old held", Action.HOLD)
    held_new = _post(db, troll, "new held", Action.HOLD)
    visible = _post(db, troll, "reported")
    with db.write() as session:
        boards.report_post(session, reporter_id=sysop, post_id=visible, reason="rude")
    crisis = _post(db, troll, "I can't go on", Action.CRISIS)
    with db.read() as session:
        queue = admin.review_queue(session, actor_id=sysop)
    assert [(q.kind, q.target_id) for q in queue] == [
        (FlagKind.CRISIS, crisis),
        (FlagKind.REPORT, visible),
        (FlagKind.HOLD, held_old),
        (FlagKind.HOLD, held_new),
    ]
    report = queue[1]
    assert report.reporter == "Harbourmaster" and report.reason == "rude"
    assert queue[2].item.text == "Title\nold held" and "board" in queue[2].item.where
    assert queue[2].scores.startswith("harassment=0.91")
    assert any("flagged" in line for line in queue[2].history)


def test_a_member_reaching_admin_can_do_nothing(db: Database, people: tuple[int, int, int]) -> None:
    _sysop, _mod, troll = people
    flag = _flag_for(db, _post(db, troll, "held", Action.HOLD))
    with pytest.raises(AdminError), db.read() as session:
        admin.review_queue(session, actor_id=troll)
    with pytest.raises(AdminError), db.write() as session:
        admin.decide(
            session, actor_id=troll, flag_id=flag, decision=Decision.APPROVE, category="Other"
        )
    with pytest.raises(AdminError), db.write() as session:
        admin.sanction_member(
            session, actor_id=troll, pseudonym="Keeper", kind=SanctionKind.BAN, reason="x"
        )


def test_every_action_needs_a_reason(db: Database, people: tuple[int, int, int]) -> None:
    sysop, _mod, troll = people
    flag = _flag_for(db, _post(db, troll, "held", Action.HOLD))
    with pytest.raises(AdminError, match="reason"), db.write() as session:
        admin.decide(session, actor_id=sysop, flag_id=flag, decision=Decision.HIDE)


def test_approve_shows_a_held_post_tells_the_author_and_is_audited(
    db: Database, people: tuple[int, int, int]
) -> None:
    sysop, _mod, troll = people
    post = _post(db, troll, "held but fine", Action.HOLD)
    with db.write() as session:
        entry = admin.decide(
            session,
            actor_id=sysop,
            flag_id=_flag_for(db, post),
            decision=Decision.APPROVE,
            category="Other",
            reason="venting",
        )
    assert _status(db, post) == PostStatus.VISIBLE.value
    assert entry.action == "approve" and entry.actor == "Harbourmaster" and entry.member == "Troll"
    assert any("now visible" in n for n in _notices(db, troll))
    with db.read() as session:
        assert admin.review_queue(session, actor_id=sysop) == []
        example = session.exec(select(ModerationExample)).one()
        assert not example.harassment and example.decided_by_id == sysop


@pytest.mark.parametrize(
    ("decision", "status"),
    [(Decision.HIDE, PostStatus.HIDDEN), (Decision.DELETE, PostStatus.REMOVED)],
)
def test_hide_and_delete_take_a_post_down_and_tell_why(
    db: Database, people: tuple[int, int, int], decision: Decision, status: PostStatus
) -> None:
    sysop, _mod, troll = people
    post = _post(db, troll, "you are worthless")
    with db.write() as session:
        boards.report_post(session, reporter_id=sysop, post_id=post, reason="cruel")
    with db.write() as session:
        admin.decide(
            session,
            actor_id=sysop,
            flag_id=_flag_for(db, post),
            decision=decision,
            category="Harassment",
            reason="name-calling",
        )
    assert _status(db, post) == status.value
    [notice] = _notices(db, troll)
    assert "Harassment: name-calling" in notice and "Harbourmaster" not in notice
    with db.read() as session:
        [entry] = admin.audit_log(session, actor_id=sysop)
        assert session.exec(select(ModerationExample)).one().harassment
    assert entry.action == decision.value and "worthless" in entry.detail


def test_mute_blocks_posting_messages_rooms_and_cheers_but_not_reading(
    db: Database, people: tuple[int, int, int]
) -> None:
    sysop, mod, troll = people
    post = _post(db, troll, "first")
    with db.write() as session:
        admin.sanction_member(
            session,
            actor_id=mod,
            pseudonym="Troll",
            kind=SanctionKind.MUTE,
            category="Spam",
            length=timedelta(hours=2),
        )
    with pytest.raises(PostError, match="muted until"), db.write() as session:
        boards.create_reply(
            session,
            author_id=troll,
            thread_id=_thread_of(db, post),
            written=Written(boards.clean_post(None, "more", ""), Action.ALLOW),
            rules=NO_WAIT,
        )
    with pytest.raises(PostError, match="muted"), db.write() as session:
        messages.send_message(
            session,
            sender_id=troll,
            recipient_id=sysop,
            written=Written("hi", Action.ALLOW),
            rules=NO_WAIT,
        )
    with pytest.raises(goals.GoalError, match="muted"), db.write() as session:
        goals.send_cheer(
            session,
            sender_id=troll,
            recipient_id=sysop,
            written=Written("go", Action.ALLOW),
        )
    with db.read() as session:
        assert boards.get_post(session, member_id=troll, post_id=post).body == "first"
        assert sanctions.posting_block(session, troll) is not None
        assert sanctions.login_block(session, troll) is None


def _thread_of(db: Database, post_id: int) -> int:
    with db.read() as session:
        post = session.get(boards.Post, post_id)
        assert post is not None
        return post.thread_id


def test_suspension_blocks_login_with_its_end_and_lift_restores(
    db: Database, people: tuple[int, int, int]
) -> None:
    sysop, _mod, troll = people
    with db.write() as session:
        admin.sanction_member(
            session,
            actor_id=sysop,
            pseudonym="troll",
            kind=SanctionKind.SUSPEND,
            category="Harassment",
            reason="repeated",
            length=timedelta(days=7),
        )
    with db.read() as session:
        line = sanctions.login_block(session, troll)
    assert line is not None and "suspended until" in line and "Harassment: repeated" in line
    assert (utcnow() + timedelta(days=7)).strftime("%Y-%m-%d") in line
    with db.write() as session:
        admin.lift(session, actor_id=sysop, pseudonym="Troll", reason="talked it through")
    with db.read() as session:
        assert sanctions.login_block(session, troll) is None
        actions = [e.action for e in admin.audit_log(session, actor_id=sysop)]
    assert actions == ["lift", "suspend"]
    assert any("lifted your suspend" in n for n in _notices(db, troll))


def test_a_suspension_ends_by_itself(db: Database, people: tuple[int, int, int]) -> None:
    sysop, _mod, troll = people
    with db.write() as session:
        admin.sanction_member(
            session,
            actor_id=sysop,
            pseudonym="Troll",
            kind=SanctionKind.SUSPEND,
            reason="cool off",
            length=timedelta(hours=1),
        )
    with db.read() as session:
        assert sanctions.login_block(session, troll, utcnow() + timedelta(hours=2)) is None


def test_ban_from_the_queue_hides_the_text_and_bans(
    db: Database, people: tuple[int, int, int]
) -> None:
    sysop, _mod, troll = people
    post = _post(db, troll, "hateful", Action.HOLD)
    with db.write() as session:
        admin.decide(
            session,
            actor_id=sysop,
            flag_id=_flag_for(db, post),
            decision=Decision.BAN,
            category="Hate",
        )
    with db.read() as session:
        assert sanctions.is_banned(session, troll)
        [entry] = admin.audit_log(session, actor_id=sysop, filters=AuditFilter(action="ban"))
    assert _status(db, post) == PostStatus.HIDDEN.value
    assert entry.member == "Troll" and "hateful" in entry.detail
    [notice] = _notices(db, troll)
    assert "banned" in notice and "your post (board" in notice and "Hate" in notice


def test_staff_cannot_sanction_themselves_and_moderators_not_sysops(
    db: Database, people: tuple[int, int, int]
) -> None:
    sysop, mod, _troll = people
    with pytest.raises(AdminError), db.write() as session:
        admin.sanction_member(
            session, actor_id=mod, pseudonym="Keeper", kind=SanctionKind.WARN, reason="x"
        )
    with pytest.raises(AdminError), db.write() as session:
        admin.sanction_member(
            session, actor_id=mod, pseudonym="Harbourmaster", kind=SanctionKind.BAN, reason="x"
        )
    assert sysop


def test_crisis_alert_is_acknowledged_with_support_and_never_a_strike(
    db: Database, people: tuple[int, int, int]
) -> None:
    sysop, _mod, troll = people
    post = _post(db, troll, "I want to end it tonight", Action.CRISIS)
    flag = _flag_for(db, post)
    with pytest.raises(AdminError, match="never a strike"), db.write() as session:
        admin.decide(
            session, actor_id=sysop, flag_id=flag, decision=Decision.WARN, category="Other"
        )
    with db.write() as session:
        admin.decide(
            session,
            actor_id=sysop,
            flag_id=flag,
            decision=Decision.ACKNOWLEDGE,
            support="We're here. The crisis line is open all night.",
        )
    with db.read() as session:
        assert admin.open_crisis_alerts(session) == 0
        assert session.exec(select(sanctions.Sanction)).all() == []
        assert session.exec(select(ModerationExample)).one().crisis
        [entry] = admin.audit_log(session, actor_id=sysop)
    assert entry.action == "acknowledge"
    assert _status(db, post) == PostStatus.VISIBLE.value
    assert any("crisis line is open" in n for n in _notices(db, troll))


def test_warnings_add_up_to_escalating_suggestions(
    db: Database, people: tuple[int, int, int]
) -> None:
    sysop, _mod, troll = people
    steps = []
    for _ in range(3):
        with db.write() as session:
            admin.sanction_member(
                session, actor_id=sysop, pseudonym="Troll", kind=SanctionKind.WARN, reason="again"
            )
        with db.read() as session:
            steps.append(admin.member_record(session, actor_id=sysop, pseudonym="Troll").suggestion)
    assert steps == [
        "1 warning: suggest mute for 24 h",
        "2 warnings: suggest suspend for 7 d",
        "3 warnings: suggest suspend for 30 d",
    ]
    assert any("warning 3" in n for n in _notices(db, troll))


def test_appeal_once_lands_in_queue_for_another_moderator(
    db: Database, people: tuple[int, int, int]
) -> None:
    sysop, mod, troll = people
    with db.write() as session:
        entry = admin.sanction_member(
            session, actor_id=mod, pseudonym="Troll", kind=SanctionKind.MUTE, reason="too much"
        )
    with db.write() as session:
        sent = admin.appeal(session, member_id=troll, audit_id=entry.id, message="I was joking")
    flag = sent.flag_id
    assert sent.another_moderator and "other than the one who acted" in sent.message
    with pytest.raises(AdminError, match="already appealed"), db.write() as session:
        admin.appeal(session, member_id=troll, audit_id=entry.id, message="again")
    with pytest.raises(AdminError, match="Another moderator"), db.write() as session:
        admin.decide(session, actor_id=mod, flag_id=flag, decision=Decision.OVERTURN, reason="mine")
    with db.read() as session:
        [item] = admin.review_queue(session, actor_id=sysop)
    assert item.kind is FlagKind.APPEAL and item.item.text == "I was joking"
    with db.write() as session:
        admin.decide(
            session, actor_id=sysop, flag_id=flag, decision=Decision.OVERTURN, reason="fair point"
        )
    with db.read() as session:
        assert sanctions.posting_block(session, troll) is None
    assert any("appeal" in n and "undone" in n for n in _notices(db, troll))


def test_appeal_wording_is_consistent_and_the_one_appeal_is_used_up(
    db: Database, people: tuple[int, int, int]
) -> None:
    sysop, mod, troll = people
    with db.write() as session:
        entry = admin.sanction_member(
            session, actor_id=mod, pseudonym="Troll", kind=SanctionKind.WARN, reason="name-calling"
        )
    with db.read() as session:
        assert [n.appealable for n in sanctions.unseen_notices(session, troll)] == [True]
    with db.write() as session:
        sent = admin.appeal(session, member_id=troll, audit_id=entry.id, message="context?")
    with db.read() as session:
        # The export reads the same rows: the used appeal is no longer offered anywhere.
        assert [n.appealable for n in sanctions.unseen_notices(session, troll)] == [False]
    with db.write() as session:
        admin.decide(
            session,
            actor_id=sysop,
            flag_id=sent.flag_id,
            decision=Decision.UPHOLD,
            reason="the words were aimed at a member",
        )
    [last] = _notices(db, troll)[-1:]
    assert last.startswith(
        "Your appeal against the warning was not accepted: the action stands, because"
    )
    assert "upheld" not in last


def test_with_no_other_moderator_the_one_who_acted_decides_and_everyone_is_told(
    db: Database,
) -> None:
    only = add_member(db, "Solo", Role.SYSOP)
    member = add_member(db, "Fen")
    with db.write() as session:
        entry = admin.sanction_member(
            session, actor_id=only, pseudonym="Fen", kind=SanctionKind.MUTE, reason="flooding"
        )
    with db.write() as session:
        sent = admin.appeal(session, member_id=member, audit_id=entry.id, message="sorry")
    assert not sent.another_moderator and "no other moderator" in sent.message
    with db.write() as session:
        admin.decide(
            session, actor_id=only, flag_id=sent.flag_id, decision=Decision.OVERTURN, reason="fair"
        )
    with db.read() as session:
        texts = [n.text for n in sanctions.unseen_notices(session, member)]
    assert "accepted: the action was undone" in texts[-1] and "no other" in texts[-1]


def test_room_lines_messages_and_cheers_are_moderated_through_their_modules(
    db: Database, people: tuple[int, int, int]
) -> None:
    sysop, _mod, troll = people
    with db.write() as session:
        room = rooms.create_room(session, name="Lobby2")
        line = rooms.add_line(
            session,
            room_id=room.id,
            member_id=troll,
            author="Troll",
            kind="say",
            text="nasty line",
            held=True,
        )
        add_flag(
            session,
            kind=FlagKind.HOLD,
            target_kind=FlagTarget.ROOM_LINE,
            target_id=line.id,
            author_id=troll,
        )
        msg = messages.send_message(
            session,
            sender_id=troll,
            recipient_id=sysop,
            written=Written("psst", Action.HOLD),
            rules=NO_WAIT,
        )
    with db.read() as session:
        queue = admin.review_queue(session, actor_id=sysop)
    assert {q.item.text for q in queue} == {"nasty line", "psst"}
    for q in queue:
        decision = Decision.APPROVE if q.item.text == "psst" else Decision.DELETE
        with db.write() as session:
            admin.decide(
                session, actor_id=sysop, flag_id=q.flag_id, decision=decision, category="Other"
            )
    with db.read() as session:
        assert session.get(rooms.RoomLine, line.id) is None
        message = session.get(messages.PrivateMessage, msg.id)
        assert message is not None and message.status == PostStatus.VISIBLE.value


def test_audit_filters_and_csv_export(db: Database, people: tuple[int, int, int]) -> None:
    sysop, mod, _troll = people
    with db.write() as session:
        admin.sanction_member(
            session,
            actor_id=mod,
            pseudonym="Troll",
            kind=SanctionKind.WARN,
            category="Spam",
            reason='links, "lots"',
        )
        admin.sanction_member(
            session, actor_id=sysop, pseudonym="Troll", kind=SanctionKind.MUTE, category="Spam"
        )
    with db.read() as session:
        by_mod = admin.audit_log(session, actor_id=sysop, filters=AuditFilter(moderator="keeper"))
        mutes = admin.audit_log(session, actor_id=sysop, filters=AuditFilter(action="mute"))
        later = admin.audit_log(
            session, actor_id=sysop, filters=AuditFilter(since=utcnow() + timedelta(minutes=1))
        )
        everything = admin.audit_log(session, actor_id=sysop, filters=AuditFilter(member="Troll"))
    assert [e.action for e in by_mod] == ["warn"] and [e.actor for e in mutes] == ["Harbourmaster"]
    assert later == [] and len(everything) == 2
    text = admin.audit_csv(everything)
    assert text.splitlines()[0].startswith("id,when_utc,moderator,action")
    assert '"links, ""lots"""' in text and text.index("warn") < text.index("mute")


def test_public_log_hides_moderator_names_and_is_off_by_default(
    db: Database, people: tuple[int, int, int]
) -> None:
    sysop, _mod, _troll = people
    with db.write() as session:
        admin.sanction_member(
            session, actor_id=sysop, pseudonym="Troll", kind=SanctionKind.WARN, reason="x"
        )
    with db.read() as session:
        assert admin.public_log(session) == []
    with db.write() as session:
        admin.put_setting(session, admin.PUBLIC_LOG_SWITCH, "on")
    with db.read() as session:
        [entry] = admin.public_log(session)
    assert entry.actor == "a moderator"


def test_member_record_has_notes_flags_and_posts(
    db: Database, people: tuple[int, int, int]
) -> None:
    sysop, mod, troll = people
    _post(db, troll, "something", Action.HOLD)
    with db.write() as session:
        admin.add_note(session, actor_id=mod, pseudonym="Troll", text="keep an eye out")
    with db.read() as session:
        record = admin.member_record(session, actor_id=sysop, pseudonym="Troll")
    assert record.pseudonym == "Troll" and record.id == troll
    assert any("keep an eye out" in n for n in record.notes)
    assert any("hold" in f for f in record.flags) and any("something" in p for p in record.posts)
    with pytest.raises(AdminError), db.read() as session:
        admin.member_record(session, actor_id=troll, pseudonym="Troll")


def test_hide_then_approve_round_trips_a_thread(db: Database, people: tuple[int, int, int]) -> None:
    _sysop, _mod, troll = people
    post = _post(db, troll, "round trip")
    with db.write() as session:
        boards.moderate_post(session, post_id=post, outcome=boards.ReviewOutcome.HIDE)
    with db.read() as session:
        thread = session.get(boards.Thread, _thread_of(db, post))
        assert thread is not None and thread.status == PostStatus.HIDDEN.value
        assert boards.review_post(session, post_id=post).text.endswith("round trip")
    with db.write() as session:
        boards.moderate_post(session, post_id=post, outcome=boards.ReviewOutcome.SHOW)
    assert _status(db, post) == PostStatus.VISIBLE.value
    assert CleanPost  # the shape posts are written in


def test_a_sanction_from_the_queue_settles_the_held_post_it_came_from(
    db: Database, people: tuple[int, int, int]
) -> None:
    sysop, _mod, troll = people
    post = _post(db, troll, "you are all worthless", Action.HOLD)
    flag = _flag_for(db, post)
    with db.write() as session:
        admin.decide(
            session,
            actor_id=sysop,
            flag_id=flag,
            decision=Decision.WARN,
            category="Harassment",
            reason="insults",
        )
    # Decided: hidden by the moderators, no longer waiting "held for review" forever.
    assert _status(db, post) == PostStatus.HIDDEN.value
    with db.read() as session:
        assert admin.review_queue(session, actor_id=sysop) == []
        mine = boards.get_post(session, member_id=troll, post_id=post)
        with pytest.raises(boards.PostError):
            boards.get_post(session, member_id=sysop, post_id=post)
        page = boards.thread_page(session, member_id=troll, thread_id=mine.thread_id, after_seq=0)
    assert mine.status is PostStatus.HIDDEN
    [shown] = [p for p in page.posts if p.id == post]
    assert "insults" in shown.removed_because


def test_a_members_worry_is_a_crisis_alert_never_a_report_against_the_writer(
    db: Database, people: tuple[int, int, int]
) -> None:
    sysop, mod, troll = people
    post = _post(db, troll, "everything is grey lately")
    with db.write() as session:
        first = boards.raise_concern_for_post(
            session, member_id=mod, post_id=post, note="they sound far away"
        )
        again = boards.raise_concern_for_post(session, member_id=mod, post_id=post)
        with pytest.raises(boards.PostError, match="your own writing"):
            boards.raise_concern_for_post(session, member_id=troll, post_id=post)
    assert first == again
    with db.read() as session:
        [item] = admin.review_queue(session, actor_id=sysop)
        assert admin.open_crisis_alerts(session) == 1
    assert item.kind is FlagKind.CRISIS and "worried about this person" in item.reason
    with pytest.raises(AdminError, match="never a strike"), db.write() as session:
        admin.decide(session, actor_id=sysop, flag_id=first, decision=Decision.WARN)
    with db.write() as session:
        admin.decide(
            session,
            actor_id=sysop,
            flag_id=first,
            decision=Decision.ACKNOWLEDGE,
            support="Checking in: how are you doing tonight?",
        )
    with db.read() as session:
        # No strike, and the writer's words are not taken as crisis language to learn.
        assert session.exec(select(sanctions.Sanction)).all() == []
        assert session.exec(select(ModerationExample)).all() == []
    assert _status(db, post) == PostStatus.VISIBLE.value
    assert [n for n in _notices(db, troll) if "report" in n.lower()] == []
