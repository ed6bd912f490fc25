"""Privacy in the core: what we store, the export, deleting an account, keys, passwords,
the recovery code and appearing offline, on SQLite and on PostgreSQL."""

from __future__ import annotations

import base64
import json
import struct
from datetime import timedelta

import pytest
from sqlmodel import Session, SQLModel, select
from support import PASSWORD, let_new_members_write, sign_up_id

from bbs.accounts import blocks
from bbs.accounts.blocks import BlockKind
from bbs.accounts.members import AccountError
from bbs.accounts.passwords import PasswordError
from bbs.accounts.sessions import SessionInfo
from bbs.admin.review import AuditEntry
from bbs.boards import records as boards
from bbs.boards.records import Follow, Post, PostingRules, PostStatus, Thread
from bbs.community import Community
from bbs.config import with_overrides
from bbs.goals.records import CheckIn, Goal, GoalBadge, GoalRest, Partnership
from bbs.goals.streaks import CheckInStatus
from bbs.mail import records as messages
from bbs.mail.records import Conversation, PrivateMessage
from bbs.models import MemberKey, RetiredPseudonym, utcnow
from bbs.moderation_queue.flags import Written
from bbs.moderation_queue.policy import Action
from bbs.moderation_queue.sanctions import ModerationNotice, Sanction
from bbs.privacy import records as privacy
from bbs.privacy.records import DeleteChoice
from bbs.privacy.service import parse_public_key
from bbs.resources.records import Resource, ResourceFavourite
from bbs.rooms import records as rooms
from bbs.rooms.records import RoomLine
from bbs.suggestions.records import SuggestionDismissal

NO_WAIT = PostingRules(
    interval=timedelta(0), new_account_interval=timedelta(0), new_account_age=timedelta(0)
)
SECRET = "only-for-willow-and-ash"


@pytest.fixture
def pcommunity(store_community: Community) -> Community:
    """A community on SQLite, and again on PostgreSQL when BBS_TEST_POSTGRES_URL is set."""
    let_new_members_write(store_community.database)
    return store_community


def _key_line(seed: int, comment: str = "laptop") -> str:
    blob = struct.pack(">I", 11) + b"ssh-ed25519" + struct.pack(">I", 32) + bytes([seed]) * 32
    return f"ssh-ed25519 {base64.b64encode(blob).decode()} {comment}"


async def _fill(c: Community) -> dict[str, int]:
    """Willow writes everywhere; Ash and Rowan write to and around her."""
    ids = {}
    for name in ("Willow", "Ash", "Rowan"):
        ids[name] = await sign_up_id(c, name)
    w, a, r = ids["Willow"], ids["Ash"], ids["Rowan"]

    def write(s: Session) -> None:
        board = next(b.id for b in boards.all_boards(s) if b.name == "Anxiety")
        t1 = boards.create_thread(
            s,
            author_id=w,
            board_id=board,
            written=Written(
                boards.clean_post("Willow's thread", "my first post", ""), Action.ALLOW
            ),
            rules=NO_WAIT,
        )
        boards.create_reply(
            s,
            author_id=a,
            thread_id=t1.thread_id,
            written=Written(boards.clean_post(None, "Ash replies to Willow", ""), Action.ALLOW),
            rules=NO_WAIT,
        )
        t2 = boards.create_thread(
            s,
            author_id=a,
            board_id=board,
            written=Written(boards.clean_post("Ash's thread", "ash opens", ""), Action.ALLOW),
            rules=NO_WAIT,
        )
        boards.create_reply(
            s,
            author_id=w,
            thread_id=t2.thread_id,
            written=Written(boards.clean_post(None, "willow answers ash", ""), Action.ALLOW),
            rules=NO_WAIT,
        )
        boards.toggle_reaction(s, member_id=w, post_id=t2.id, kind="hug")
        boards.set_follow(s, member_id=w, kind="thread", target_id=t2.thread_id, on=True)
        boards.save_draft(
            s,
            member_id=w,
            context="reply:1",
            label="a draft",
            title="",
            body="unsent words",
            warning="",
        )
        boards.report_post(s, reporter_id=w, post_id=t2.id, reason="just checking")
        messages.send_message(
            s,
            sender_id=w,
            recipient_id=a,
            written=Written("hello ash", Action.ALLOW),
            rules=NO_WAIT,
        )
        messages.send_message(
            s, sender_id=a, recipient_id=w, written=Written(SECRET, Action.ALLOW), rules=NO_WAIT
        )
        # A conversation Willow is not in: none of it may reach her export.
        messages.send_message(
            s,
            sender_id=a,
            recipient_id=r,
            written=Written("ash to rowan, private", Action.ALLOW),
            rules=NO_WAIT,
        )
        blocks.set_block(s, member_id=w, other_id=r, kind=BlockKind.MUTE, on=True)
        # Rowan blocks Willow: Rowan's choice, not Willow's data.
        blocks.set_block(s, member_id=r, other_id=w, kind=BlockKind.BLOCK, on=True)
        resource = Resource(slug="privacy-test-entry", title="Box breathing", body="In, hold.")
        s.add(resource)
        s.flush()
        s.add(ResourceFavourite(member_id=w, resource_id=resource.id or 0))
        rooms.seed_default_rooms(s)
        room = rooms.list_rooms(s, member_id=None, staff=True)[0]
        rooms.add_line(s, room_id=room.id, member_id=w, author="Willow", kind="say", text="hi room")
        rooms.add_line(
            s, room_id=room.id, member_id=a, author="Ash", kind="say", text="ash in the room"
        )

    await c.write(write)
    goal = await c.goals.create_goal(w, title="Walk daily")
    await c.goals.check_in(w, goal.id, CheckInStatus.DONE, days_ago=0, note="felt good")
    await c.goals.check_in(w, goal.id, CheckInStatus.DONE, days_ago=1)
    invite = await c.goals.invite(w, "Ash")
    await c.goals.answer(a, invite.id, True)
    await c.goals.cheer(a, w, "go willow")
    other = await c.goals.create_goal(a, title="Ash's private goal")
    await c.goals.check_in(a, other.id, CheckInStatus.DONE, days_ago=0, note="ash note")
    await c.privacy.add_key(w, _key_line(1))
    return ids


async def test_what_we_store_counts_match_the_tables(pcommunity: Community) -> None:
    c = pcommunity
    ids = await _fill(c)
    w = ids["Willow"]
    counts = await c.privacy.counts(w)
    with c.database.read() as s:
        assert counts.posts == len(s.exec(select(Post).where(Post.author_id == w)).all()) == 2
        assert counts.threads == 1
        assert (
            counts.check_ins
            == len(s.exec(select(CheckIn).where(CheckIn.member_id == w)).all())
            == 2
        )
        assert counts.goals == 1
        assert (
            counts.keys == len(s.exec(select(MemberKey).where(MemberKey.member_id == w)).all()) == 1
        )
    assert (counts.messages_sent, counts.messages_received, counts.conversations) == (1, 1, 1)
    assert (counts.reactions, counts.drafts) == (1, 1)
    with c.database.read() as s:
        # Starting a thread follows it: her own thread and Ash's, which she followed.
        assert counts.follows == len(s.exec(select(Follow).where(Follow.member_id == w)).all())
    assert counts.follows == 2
    assert (counts.partners, counts.cheers_received, counts.room_lines) == (1, 1, 1)
    assert (counts.reports_filed, counts.blocks, counts.favourites) == (1, 1, 1)
    text = await c.privacy.what_we_store(w)
    assert "2 posts and 1 thread" in text
    assert "1 private message you sent and 1 you received" in text
    assert "1 goal, 2 check-ins, 1 partnership" in text
    assert "No IP addresses" in text
    assert f"after {c.settings.room_retention_days} days" in text
    # Logs go to stderr by default; with a file, the page names its retention.
    assert "service manager" in text
    c.settings = with_overrides(c.settings, log_file="bbs.log", log_retention_days=9)
    assert "deleted after 9 days" in await c.privacy.what_we_store(w)


async def test_export_holds_everything_of_theirs_and_nothing_private_of_others(
    pcommunity: Community,
) -> None:
    c = pcommunity
    ids = await _fill(c)
    doc = json.loads(await c.privacy.export_json(ids["Willow"]))
    assert doc["format"] == 1
    assert doc["member"]["pseudonym"] == "Willow"
    assert [p["body"] for p in doc["posts"]] == ["my first post", "willow answers ash"]
    assert [t["title"] for t in doc["threads"]] == ["Willow's thread"]
    [conversation] = doc["conversations"]
    assert conversation["with"] == "Ash"
    assert [(m["from"], m["body"]) for m in conversation["messages"]] == [
        ("you", "hello ash"),
        ("Ash", SECRET),
    ]
    [goal] = doc["goals"]
    assert goal["title"] == "Walk daily" and len(goal["check_ins"]) == 2
    assert {ci["note"] for ci in goal["check_ins"]} == {"felt good", ""}
    assert doc["partnerships"][0]["with"] == "Ash"
    assert doc["cheers_received"][0]["body"] == "go willow"
    assert doc["reactions"][0]["kind"] == "hug" and doc["follows"] and doc["drafts"]
    assert doc["drafts"][0]["body"] == "unsent words"
    assert [line["text"] for line in doc["room_lines"]] == ["hi room"]
    assert doc["blocks"] == [
        {"member": "Rowan", "kind": "mute", "created_at": doc["blocks"][0]["created_at"]}
    ]
    assert doc["reports_filed"][0]["reason"] == "just checking"
    assert [f["title"] for f in doc["resource_favourites"]] == ["Box breathing"]
    [key] = doc["keys"]
    assert key["fingerprint"].startswith("SHA256:") and "public_key" not in key
    text = json.dumps(doc)
    # Nothing of other members' private life: their conversations, goals, blocks, hashes.
    for private in (
        "ash to rowan, private",
        "Ash's private goal",
        "ash note",
        "ash in the room",
        "ash opens",
        "argon2",
        "password",
    ):
        assert private not in text, private
    assert '"block"' not in text  # Rowan's block of Willow stays Rowan's


# The key order of the export's row documents, as the files have listed them since format 1
# (tables that take `created_at` from `Stamped` still list it after their own columns).
EXPORT_KEYS = {
    "threads": ["id", "board_id", "title", "warning", "status", "created_at", "board"],
    "posts": [
        *("id", "thread_id", "seq", "body", "warning", "status", "created_at", "edited_at"),
        "thread_title",
    ],
    "reactions": ["post_id", "kind", "created_at"],
    "notifications": ["id", "kind", "thread_id", "post_id", "seq", "seen", "created_at"],
    "goals": [
        *("id", "title", "category", "cadence", "times_per_week", "measure", "target"),
        *("start_date", "visibility", "archived", "created_at", "check_ins", "badges"),
    ],
    "check_ins": [
        *("id", "local_date", "status", "value", "mood", "note", "note_shared", "created_at")
    ],
}
EXPORT_COLUMNS = {
    GoalBadge: [
        *("id", "goal_id", "member_id", "kind", "threshold", "earned_on", "announced"),
        "created_at",
    ],
    GoalRest: ["id", "member_id", "start_date", "end_date", "created_at"],
    ModerationNotice: ["id", "member_id", "text", "audit_id", "appealable", "seen", "created_at"],
    SuggestionDismissal: ["member_id", "kind", "item_id", "theme", "created_at"],
    Sanction: [
        *("id", "member_id", "kind", "category", "reason", "created_by_id", "created_at"),
        *("ends_at", "lifted_at", "lifted_by_id"),
    ],
}


async def test_export_documents_keep_their_key_order(pcommunity: Community) -> None:
    c = pcommunity
    ids = await _fill(c)
    doc = json.loads(await c.privacy.export_json(ids["Willow"]))
    sections = {**doc, "check_ins": doc["goals"][0]["check_ins"]}
    for section, keys in EXPORT_KEYS.items():
        assert sections[section], section
        assert [list(row) for row in sections[section]] == [keys] * len(sections[section])
    for table, columns in EXPORT_COLUMNS.items():
        assert privacy.export_columns(table) == columns, table.__name__


def test_every_column_pointing_at_a_member_is_exported_or_left_out_on_purpose() -> None:
    import bbs.schema  # noqa: F401  (every table)

    found = {
        f"{table.name}.{column.name}"
        for table in SQLModel.metadata.sorted_tables
        for column in table.columns
        for fk in column.foreign_keys
        if fk.column.table.name == "member"
    }
    placed = privacy.EXPORTED_COLUMNS | set(privacy.NOT_EXPORTED_COLUMNS)
    assert found - placed == set(), "decide whether the export includes these"
    assert privacy.EXPORTED_COLUMNS.isdisjoint(privacy.NOT_EXPORTED_COLUMNS)


@pytest.mark.parametrize("choice", [DeleteChoice.REMOVE, DeleteChoice.ANONYMISE])
async def test_delete_account_removes_or_anonymises(
    pcommunity: Community, choice: DeleteChoice
) -> None:
    c = pcommunity
    ids = await _fill(c)
    w, a = ids["Willow"], ids["Ash"]
    willow = await c.accounts.member(w)
    assert willow is not None
    # A moderator's audit entry about Willow must survive her leaving.
    with c.database.write() as s:
        s.add(AuditEntry(action="warn", member_id=w, member_name="Willow", reason="test"))
    with pytest.raises(AccountError, match="type your name"):
        await c.privacy.delete_account(willow, "Willo", choice)
    assert await c.accounts.member(w) is not None
    done = await c.privacy.delete_account(willow, " willow ", choice)
    assert done.pseudonym == "Willow" and done.posts == 2
    assert await c.accounts.member(w) is None
    with c.database.read() as s:
        assert s.exec(select(MemberKey).where(MemberKey.member_id == w)).all() == []
        assert s.exec(select(Goal).where(Goal.member_id == w)).all() == []
        assert s.exec(select(CheckIn).where(CheckIn.member_id == w)).all() == []
        assert s.exec(select(Partnership)).all() == []
        # Her conversation with Ash is gone on both sides; Ash and Rowan's stays.
        assert [m.body for m in s.exec(select(PrivateMessage)).all()] == ["ash to rowan, private"]
        assert len(s.exec(select(Conversation)).all()) == 1
        rows = [(p.body, p.id, p.author_id, p.status) for p in s.exec(select(Post)).all()]
        posts = {body: rest for body, *rest in rows}
        titles = {t.title for t in s.exec(select(Thread)).all()}
        audit = [
            (e.action, e.member_id, e.member_name)
            for e in s.exec(select(AuditEntry).order_by(AuditEntry.id)).all()
        ]  # type: ignore[arg-type]
        lines = [(ln.author, ln.text) for ln in s.exec(select(RoomLine)).all()]
    assert audit == [("warn", None, "Willow"), ("account_deleted", None, "Willow")]
    # Other people's posts are untouched either way.
    assert posts["Ash replies to Willow"][1] == a
    assert posts["ash opens"][1] == a
    if choice is DeleteChoice.REMOVE:
        assert "my first post" not in posts and "willow answers ash" not in posts
        deleted = [r for r in rows if r[3] == PostStatus.DELETED.value]
        assert [(body, author) for body, _id, author, _s in deleted] == [("", None), ("", None)]
        assert privacy.REMOVED_TITLE in titles and "Willow's thread" not in titles
        assert [text for _author, text in lines] == ["ash in the room"]
    else:
        kept_id, author_id, status = posts["my first post"]
        assert author_id is None and status == PostStatus.VISIBLE.value
        with c.database.read() as s:
            view = boards.get_post(s, member_id=a, post_id=kept_id or 0)
        assert view.author == privacy.FORMER_MEMBER
        assert {author for author, _text in lines} == {"Ash", privacy.FORMER_MEMBER}
    # Ash's partner view and cheers still work without her.
    assert await c.goals.cheers(a) == []


async def test_deleted_name_and_lookalikes_are_blocked_for_30_days(pcommunity: Community) -> None:
    c = pcommunity
    w = await sign_up_id(c, "Willow")
    willow = await c.accounts.member(w)
    assert willow is not None
    await c.privacy.delete_account(willow, "Willow", DeleteChoice.ANONYMISE)
    for lookalike in ("Willow", "WILLOW", "W1llow", "wiIlow"):
        with pytest.raises(AccountError, match="taken"):
            await c.accounts.sign_up(lookalike, PASSWORD, PASSWORD)
    with c.database.read() as s:
        [row] = s.exec(select(RetiredPseudonym)).all()
        assert timedelta(days=29) < row.until - utcnow() <= timedelta(days=30)
    # Once the 30 days pass, the name is free again.
    with c.database.write() as s:
        retired = s.exec(select(RetiredPseudonym)).one()
        retired.until = utcnow() - timedelta(seconds=1)
        s.add(retired)
    assert (await c.accounts.sign_up("Willow", PASSWORD, PASSWORD)).member.pseudonym == "Willow"


async def test_change_password_needs_the_current_one(pcommunity: Community) -> None:
    c = pcommunity
    w = await sign_up_id(c, "Willow")
    with pytest.raises(AccountError, match="not your current password"):
        await c.privacy.change_password(
            w, "wrong password!", "a new long password", "a new long password"
        )
    with pytest.raises(PasswordError):
        await c.privacy.change_password(w, PASSWORD, "short", "short")
    assert await c.accounts.authenticate_password("Willow", PASSWORD) is not None
    await c.privacy.change_password(w, PASSWORD, "a new long password", "a new long password")
    assert await c.accounts.authenticate_password("Willow", PASSWORD) is None
    assert await c.accounts.authenticate_password("Willow", "a new long password") is not None


async def test_regenerated_recovery_code_replaces_the_old_one(pcommunity: Community) -> None:
    c = pcommunity
    first = await c.accounts.sign_up("Willow", PASSWORD, PASSWORD)
    with pytest.raises(AccountError):
        await c.privacy.regenerate_recovery_code(first.member.id, "not it at all")
    code = await c.privacy.regenerate_recovery_code(first.member.id, PASSWORD)
    assert code != first.recovery_code
    with pytest.raises(AccountError, match="do not match"):
        await c.accounts.reset_password(
            "Willow", first.recovery_code, "another password 1", "another password 1"
        )
    result = await c.accounts.reset_password(
        "Willow", code, "another password 1", "another password 1"
    )
    assert result.member.id == first.member.id


async def test_keys_are_added_from_a_pasted_line_and_removed(pcommunity: Community) -> None:
    c = pcommunity
    w = await sign_up_id(c, "Willow")
    a = await sign_up_id(c, "Ash")
    line = _key_line(7, "my laptop")
    info = await c.privacy.add_key(w, line)
    [key] = await c.privacy.keys(w)
    assert key.fingerprint == info.fingerprint and key.comment == "my laptop"
    assert await c.accounts.member_for_key("Willow", info.fingerprint) is not None
    with pytest.raises(AccountError, match="another account"):
        await c.privacy.add_key(a, line)
    for bad in (
        "",
        "hello",
        "ssh-ed25519 !!!",
        "-----BEGIN OPENSSH PRIVATE KEY-----",
        "ssh-rsa " + _key_line(1).split()[1],
    ):
        with pytest.raises(AccountError):
            await c.privacy.add_key(w, bad)
    assert not await c.privacy.remove_key(a, info.fingerprint)
    assert await c.privacy.remove_key(w, info.fingerprint)
    assert await c.privacy.keys(w) == []
    assert await c.accounts.member_for_key("Willow", info.fingerprint) is None


def test_parsed_fingerprints_match_openssh() -> None:
    asyncssh = pytest.importorskip("asyncssh")
    key = asyncssh.generate_private_key("ssh-ed25519", comment="me@host")
    line = key.export_public_key("openssh").decode()
    assert parse_public_key(line).fingerprint == key.get_fingerprint("sha256")


async def test_appear_offline_hides_presence(pcommunity: Community) -> None:
    c = pcommunity
    w = await sign_up_id(c, "Willow")
    a = await sign_up_id(c, "Ash")
    willow, ash = await c.accounts.member(w), await c.accounts.member(a)
    assert willow is not None and ash is not None
    [(room, _n), *_rest] = await c.rooms.list_rooms(ash)
    await c.rooms.enter(room.id, willow)
    await c.rooms.enter(room.id, ash)
    names = {e.name for e in c.rooms.presence.who(room.id)}
    assert names == {"Willow", "Ash"}
    assert not await c.privacy.appear_offline(w)
    await c.privacy.set_appear_offline(willow, True)
    assert await c.privacy.appear_offline(w)
    assert {e.name for e in c.rooms.presence.who(room.id)} == {"Ash"}
    assert dict(await c.rooms.list_rooms(ash))[room] == 1
    # A later visit stays hidden: the choice is saved, not just applied.
    await c.rooms.enter(room.id, willow)
    assert {e.name for e in c.rooms.presence.who(room.id)} == {"Ash"}
    await c.privacy.set_appear_offline(willow, False)
    assert {e.name for e in c.rooms.presence.who(room.id)} == {"Willow", "Ash"}


class FakeSession:
    """A connected session as the server holds one: it remembers being ended."""

    def __init__(self, session_id: str, width: int, height: int) -> None:
        self.session_id = session_id
        self.size = (width, height)
        self.farewells: list[str] = []

    def info(self) -> SessionInfo:
        return SessionInfo(self.session_id, utcnow(), *self.size)

    def goodbye(self, line: str) -> None:
        self.farewells.append(line)


async def test_sessions_are_listed_and_ended_through_the_live_sessions_port(
    community: Community,
) -> None:
    w = await sign_up_id(community, "Willow")
    a, b = FakeSession("a", 80, 24), FakeSession("b", 120, 40)
    community.sessions.arrived(a, w)
    community.sessions.arrived(b, w)
    community.sessions.arrived(FakeSession("c", 80, 24), w + 1)
    listed = await community.privacy.sessions(w)
    assert [(s.session_id, s.width) for s in listed] == [("a", 80), ("b", 120)]
    assert not await community.privacy.end_session(w + 1, "a")
    assert await community.privacy.end_session(w, "b")
    assert (len(a.farewells), len(b.farewells)) == (0, 1)
    willow = await community.accounts.member(w)
    assert willow is not None
    await community.privacy.delete_account(willow, "Willow", DeleteChoice.REMOVE)
    assert (len(a.farewells), len(b.farewells)) == (1, 2)
    assert "deleted" in a.farewells[0]


def test_config_reads_log_retention(tmp_path: object) -> None:
    from pathlib import Path

    from bbs.config import ConfigError, load_settings

    assert isinstance(tmp_path, Path)
    assert load_settings(tmp_path).log_retention_days == 14
    (tmp_path / "config.toml").write_text('[logs]\nretention_days = 3\nfile = "bbs.log"\n')
    loaded = load_settings(tmp_path)
    assert (loaded.log_retention_days, loaded.log_file) == (3, "bbs.log")
    (tmp_path / "config.toml").write_text("[logs]\nretention_days = 0\n")
    with pytest.raises(ConfigError, match="retention_days"):
        load_settings(tmp_path)


def test_members_table_keeps_no_address() -> None:
    import bbs.schema  # noqa: F401

    columns = {f"{t.name}.{c.name}" for t in SQLModel.metadata.sorted_tables for c in t.columns}
    assert "member.pseudonym" in columns
    names = {c.split(".")[1] for c in columns}
    assert names & {"ip", "ip_address", "address", "peername", "remote_addr", "host_addr"} == set()


async def test_the_throttle_key_is_salted_in_memory_and_failures_expire() -> None:
    from bbs.accounts.login_guard import LocalDoorThrottle, LoginGuard
    from bbs.clock import ManualClock
    from bbs.config import LoginLimits

    clock = ManualClock()
    limits = LoginLimits(free_failures_per_source=0, failure_memory_seconds=3600.0)
    throttle = LocalDoorThrottle(limits, clock)
    guard = LoginGuard(limits, throttle=throttle)
    key = guard.source_key("203.0.113.7")
    # A keyed hash (24 hex digits), never the address itself; the same address, the same
    # key, so failures add up. (Digits of the address may turn up in the hex by chance.)
    assert len(key) == 24 and set(key) <= set("0123456789abcdef")
    assert "203.0.113" not in key and key == guard.source_key("203.0.113.7")
    assert guard.source_key("203.0.113.8") != key
    # Another process (another salt) cannot link its keys to these.
    other = LoginGuard(limits, throttle=LocalDoorThrottle(limits, clock))
    assert other.source_key("203.0.113.7") != key
    await throttle.record_failure(key)
    assert await throttle.penalty(key) > 0
    clock.advance(3601.0)
    assert await throttle.penalty(key) == 0.0


async def test_room_history_past_retention_is_purged(community: Community) -> None:
    w = await sign_up_id(community, "Willow")

    def lines(s: Session) -> None:
        rooms.seed_default_rooms(s)
        room = rooms.list_rooms(s, member_id=None, staff=True)[0]
        for text, age in (("old words", 31), ("recent words", 29)):
            rooms.add_line(s, room_id=room.id, member_id=w, author="Willow", kind="say", text=text)
            line = s.exec(select(RoomLine).where(RoomLine.text == text)).one()
            line.created_at = utcnow() - timedelta(days=age)
            s.add(line)

    await community.write(lines)
    assert community.settings.room_retention_days == 30
    assert await community.rooms.purge_expired() == 1
    with community.database.read() as s:
        assert [ln.text for ln in s.exec(select(RoomLine)).all()] == ["recent words"]
    assert (await community.privacy.counts(w)).room_lines == 1


def test_members_are_told_what_moderators_see_of_a_flagged_private_message() -> None:
    from bbs.mail import records as messages
    from bbs.texts.notices import WHAT_WE_STORE, _default_text

    words = {3: "three"}[messages.REVIEW_CONTEXT]
    for text in (WHAT_WE_STORE, _default_text("guidelines.txt")):
        assert f"the {words} messages before it" in " ".join(text.split())


@pytest.mark.parametrize("choice", [DeleteChoice.REMOVE, DeleteChoice.ANONYMISE])
async def test_a_deleted_members_name_leaves_other_members_quotes(
    pcommunity: Community, choice: DeleteChoice
) -> None:
    c = pcommunity
    willow, ash = await sign_up_id(c, "Willow"), await sign_up_id(c, "Ash")

    def write(s: Session) -> int:
        board = next(b.id for b in boards.all_boards(s) if b.name == "Anxiety")
        first = boards.create_thread(
            s,
            author_id=willow,
            board_id=board,
            written=Written(
                boards.clean_post("Nights", "the nights are long\nand quiet", ""), Action.ALLOW
            ),
            rules=NO_WAIT,
        )
        reply = boards.create_reply(
            s,
            author_id=ash,
            thread_id=first.thread_id,
            written=Written(
                boards.clean_post(
                    None,
                    "Willow wrote:\n> the nights are long\n> and quiet\n\nSame here, hang on.",
                    "",
                ),
                Action.ALLOW,
            ),
            rules=NO_WAIT,
        )
        return reply.id

    reply_id = await c.write(write)
    member = await c.accounts.member(willow)
    assert member is not None
    await c.privacy.delete_account(member, "Willow", choice)
    with c.database.read() as s:
        body = boards.get_post(s, member_id=ash, post_id=reply_id).body
    assert "Willow" not in body and body.startswith("a former member wrote:\n")
    assert body.endswith("Same here, hang on.")
    quoted = "the nights are long" in body
    assert quoted is (choice is DeleteChoice.ANONYMISE)
    assert not [h for h in await c.boards.search(ash, "Willow")]


def test_unquote_leaves_other_quotes_and_look_alike_lines_alone() -> None:
    body = "Rowan wrote:\n> hi\nWillow wrote: not a quote line\nWillow wrote:\n> bye\nok"
    assert privacy.unquote(body, "Willow", removed=True) == (
        "Rowan wrote:\n> hi\nWillow wrote: not a quote line\na former member wrote:\n"
        "> (removed by its author)\nok"
    )


def test_a_quote_written_in_any_language_is_made_anonymous_in_that_language() -> None:
    from bbs.boards.records import quote_head
    from bbs.i18n import translator

    for lang in ("es", "fr", "de", "pt"):
        head = quote_head("Willow", lang)
        assert "Willow" in head and head != "Willow wrote:"
        body = f"{head}\n> the nights are long\n\nSame here."
        kept = privacy.unquote(body, "Willow", removed=False)
        former = translator(lang).gettext("a former member")
        assert kept == f"{quote_head(former, lang)}\n> the nights are long\n\nSame here."
        gone = privacy.unquote(body, "Willow", removed=True)
        assert "Willow" not in gone and "nights" not in gone
        assert translator(lang).gettext("> (removed by its author)") in gone
