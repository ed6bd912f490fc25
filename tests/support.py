"""Helpers shared by tests in several folders (imported by name: tests/ is on sys.path)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import inspect
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import OptionList, Static

from bbs import sysop_settings
from bbs.accounts import members as accounts
from bbs.accounts.members import MemberView
from bbs.accounts.pseudonyms import validate_pseudonym
from bbs.boards.records import PostingRules
from bbs.community import Community
from bbs.config import Argon2Cost, ClusterSettings, Settings
from bbs.db import Database
from bbs.models import Member, Role, utcnow
from bbs.moderation_queue.policy import Scores
from screens.app import BBSApp, SessionContext
from screens.widgets import PlainText
from server.wiring import build_community

# Real argon2id, at a cost a test suite can afford; production keeps argon2-cffi's defaults.
FAST_ARGON2 = Argon2Cost(time_cost=1, memory_cost_kib=1024, parallelism=1)

# A password every sign-up in the core and screen tests passes.
PASSWORD = "a long enough password"

# The password the end-to-end tests type over SSH.
SSH_PASSWORD = "correct horse battery"

# Posting rules with no wait between posts, for new accounts too.
NO_WAIT = PostingRules(interval=timedelta(0), new_account_interval=timedelta(0))


class WordScorer:
    """A stand-in moderation model: "idiot" is abuse, "end it all" a crisis, "cheap pills" spam."""

    def score(self, texts: Sequence[str]) -> list[Scores]:
        return [
            Scores(
                0.9 if "idiot" in t else 0.0,
                0.9 if "cheap pills" in t else 0.0,
                0.9 if "end it all" in t else 0.0,
            )
            for t in texts
        ]

    def explain(self, text: str, top: int = 5) -> dict[str, list[tuple[str, float]]]:
        return {}


@dataclasses.dataclass(frozen=True)
class FixedScorer:
    """A stand-in moderation model that gives every text the same scores."""

    harassment: float = 0.0
    spam: float = 0.0
    crisis: float = 0.0

    def score(self, texts: Sequence[str]) -> list[Scores]:
        return [Scores(self.harassment, self.spam, self.crisis) for _ in texts]

    def explain(self, text: str, top: int = 5) -> dict[str, list[tuple[str, float]]]:
        return {}


def add_member(
    database: Database,
    name: str,
    role: Role = Role.MEMBER,
    *,
    age: timedelta | None = timedelta(days=3),
) -> int:
    """A member written straight to the store (placeholder hashes, no sign-up), `age` old
    (as created, with None); its id."""
    with database.write() as session:
        view = accounts.create_member(
            session,
            pseudonym=validate_pseudonym(name),
            password_hash="h",
            recovery_hash="r",
            role=role,
        )
        if age is not None:
            member = session.get(Member, view.id)
            assert member is not None
            member.created_at = utcnow() - age
    return view.id


async def sign_up(community: Community, name: str, role: Role = Role.MEMBER) -> MemberView:
    """A member signed up through the community, with `PASSWORD`."""
    return (await community.accounts.sign_up(name, PASSWORD, PASSWORD, role=role)).member


async def sign_up_id(community: Community, name: str, role: Role = Role.MEMBER) -> int:
    """The id of a member signed up through the community, with `PASSWORD`."""
    return (await sign_up(community, name, role)).id


async def board_id(community: Community, member_id: int, name: str) -> int:
    """The id of the board called `name`, as `member_id` sees the board list."""
    return next(b.id for b in await community.boards.board_list(member_id) if b.name == name)


async def post_in(community: Community, member_id: int, board: str, title: str, body: str) -> int:
    """A thread opened by `member_id` in the board called `board`; its id."""
    outcome = await community.boards.create_thread(
        member_id, await board_id(community, member_id, board), title=title, body=body
    )
    assert outcome.post is not None
    return outcome.post.thread_id


async def member_app(community: Community, name: str, *, session_id: str = "") -> BBSApp:
    """The app of a session of a newly signed-up member (its home screen, once run)."""
    member = await sign_up(community, name)
    return BBSApp(SessionContext(community.services, member, session_id=session_id))


def text_of(app: BBSApp, selector: str, kind: type[Static] = PlainText) -> str:
    """What the widget `selector` (a `kind`) on the current screen renders."""
    return str(app.screen.query_one(selector, kind).render())


def option_prompts(app: BBSApp, selector: str) -> list[str]:
    """The prompts of the option list `selector` on the current screen, in order."""
    options = app.screen.query_one(selector, OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def drawn_lines(screen: Screen[Any]) -> list[str]:
    """The screen as drawn, a string a row: what the member sees, not what widgets would
    render."""
    return [strip.text for strip in screen._compositor.render_strips()]


def let_new_members_write(database: Database) -> None:
    """The community lets minutes-old accounts start private conversations (tests' accounts)."""
    with database.write() as session:
        sysop_settings.put_setting(session, sysop_settings.NEW_MEMBER_MESSAGE_HOURS, "0")


async def wait_until(
    condition: Callable[[], object],
    what: str,
    timeout: float = 10.0,
    detail: Callable[[], str] | None = None,
) -> None:
    """Wait on a condition, checked about every 20 ms, never a fixed time; fail naming `what`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            extra = f": {detail()}" if detail is not None else ""
            raise AssertionError(f"timed out after {timeout} s waiting for {what}{extra}")
        await asyncio.sleep(0.02)  # poll interval, not a wait for something to happen


async def settle(
    pilot: Pilot[Any], predicate: Callable[[], object], what: str, timeout: float = 10.0
) -> None:
    """Let a Pilot app run until `predicate()` holds; fail naming `what` after `timeout` s.

    `predicate` may return an awaitable (a store read, say): its result is what counts.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        await pilot.pause()  # the app has handled what was queued, and is idle
        result = predicate()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")


async def until(
    pilot: Pilot[Any],
    check: Callable[[], object],
    what: str | None = None,
    timeout: float = 10.0,
) -> None:
    """`settle`, naming the screen the wait began on when no `what` is given."""
    await settle(pilot, check, what or f"the check (screen is {pilot.app.screen!r})", timeout)


async def reach(pilot: Pilot[Any], screen_type: type[Screen[Any]]) -> None:
    """Wait until the current screen is a `screen_type` and mounted: pushed is not enough,
    under load its widgets may not be mounted yet."""
    await settle(
        pilot,
        lambda: isinstance(pilot.app.screen, screen_type) and pilot.app.screen.is_mounted,
        f"{screen_type.__name__} (at {pilot.app.screen})",
    )


@contextlib.asynccontextmanager
async def cluster_nodes(
    settings: Settings,
    url: str,
    root: Path,
    count: int = 2,
    cluster: ClusterSettings | None = None,
) -> AsyncIterator[list[Community]]:
    """`count` communities on one PostgreSQL schema with [cluster] (`cluster`, named
    node1, node2...), live, as several nodes would be; stopped and closed afterwards."""
    nodes: list[Community] = []
    try:
        for i in range(count):
            name = f"node{i + 1}"
            node = build_community(
                dataclasses.replace(
                    settings,
                    data_dir=root / name,
                    database_url=url,
                    cluster=dataclasses.replace(cluster or ClusterSettings(), node_name=name),
                )
            )
            nodes.append(node)
            await asyncio.to_thread(node.prepare)
            await node.start_live()
        yield nodes
    finally:
        for node in nodes:
            await node.rooms.stop()
            await node.stop_live()
            await asyncio.to_thread(node.close)
