"""Live rooms over real SSH: lines reach everyone, a flooder is slowed, text stays literal."""

from __future__ import annotations

import asyncio
import gc
import time
from typing import Any

from support import SSH_PASSWORD as PASSWORD
from support import wait_until

from screens.rooms import RoomFeed, RoomScreen
from server.session import LIVE_APPS
from server.ssh_server import RunningServer


async def _members(server: RunningServer, *names: str) -> None:
    community = server.registry.community
    for name in names:
        await community.accounts.sign_up(name, PASSWORD, PASSWORD)


async def _into_lobby(connect: Any, name: str) -> Any:
    term = await connect(name.lower(), password=PASSWORD)
    await term.wait_for("welcome, " + name)
    await term.type("r")
    await term.wait_for("Lobby (")
    await term.type("\r")
    await term.wait_for("You are in Lobby", timeout=15)
    return term


def _app_of(server: RunningServer, name: str) -> Any:
    for session in server.registry.sessions:
        app = session._app
        if app is not None and app.member is not None and app.member.pseudonym == name:
            return app
    raise AssertionError(f"{name} has no session")


def _presence_settled(server: RunningServer, name: str) -> bool:
    screen = _app_of(server, name).screen
    return isinstance(screen, RoomScreen) and screen._presence_handle is None


def _input_row(server: RunningServer, name: str) -> int:
    screen = _app_of(server, name).screen
    assert isinstance(screen, RoomScreen)
    return int(screen.query_one("#say").region.y)


def _feed_of(server: RunningServer, name: str) -> RoomFeed:
    for session in server.registry.sessions:
        app = session._app
        if app is not None and app.member is not None and app.member.pseudonym == name:
            screen = app.screen
            assert isinstance(screen, RoomScreen)
            return screen.feed
    raise AssertionError(f"{name} has no room screen")


async def test_two_members_see_each_others_lines_cheaply(
    connect: Any, server: RunningServer
) -> None:
    await _members(server, "Ada", "Bea")
    ada = await _into_lobby(connect, "Ada")
    bea = await _into_lobby(connect, "Bea")
    await ada.wait_for("Bea came in")
    # Both presence lines have been redrawn (each redraw waits PRESENCE_SECONDS after a join).
    for name, term in (("Ada", ada), ("Bea", bea)):
        await wait_until(
            lambda name=name: _presence_settled(server, name), f"{name}'s presence update"
        )
        await term.wait_for("Here (2): Ada, Bea")
    for i in range(5):
        before = len(bea.received)
        await ada.type(f"line number {i} from ada\r")
        await bea.wait_for(f"Ada: line number {i} from ada")
        await asyncio.sleep(0.06)  # bounds the bytes counted, so waiting less never fails
        # A scrolled line costs a scroll region and the new row, not a repaint of the feed.
        assert len(bea.received) - before < 300, bytes(bea.received[before:])
        await bea.type(f"and {i} from bea\r")
        await ada.wait_for(f"Bea: and {i} from bea")
        # Bea's own input line repaints; measure Ada's lines alone, once it has.
        await bea.wait_for(f"Bea: and {i} from bea")
        row = _input_row(server, "Bea")
        await wait_until(
            lambda row=row: "from bea" not in bea.screen.display[row], "Bea's empty input line"
        )
    # What the terminal shows is exactly what the feed holds, after the scrolls.
    feed = _feed_of(server, "Bea")
    assert feed.fast_updates >= 8

    def shown() -> list[str]:
        return [r.rstrip() for r in bea.screen.display[feed.region.y : feed.region.bottom]]

    def held() -> list[str]:
        return [r.rstrip() for r in feed.visible_text().split("\n")]

    await wait_until(
        lambda: shown() == held(), "the terminal to show the feed", detail=lambda: f"{shown()}"
    )


async def test_a_line_is_rendered_once_and_costs_its_text_and_few_bytes_more(
    connect: Any, server: RunningServer
) -> None:
    names = ("Cyra", "Dina", "Edda")
    await _members(server, *names)
    terms = {name: await _into_lobby(connect, name) for name in names}
    for name, term in terms.items():
        await wait_until(
            lambda name=name: _presence_settled(server, name), f"{name}'s presence update"
        )
        await term.wait_for("Here (3): Cyra, Dina, Edda")
    text = "a line for everyone here"
    dina = terms["Dina"]
    before = len(dina.received)
    await terms["Cyra"].type(text + "\r")
    for term in terms.values():
        await term.wait_for(f"Cyra: {text}")
    await asyncio.sleep(0.06)  # bounds the bytes counted, so waiting less never fails
    # The line, its time ("12:34 "), and a scroll with three styles around them: no cursor
    # move per row, no erase, no reset before each new style.
    cost = len(dina.received) - before
    assert cost <= len(f"Cyra: {text}") + 6 + 32, bytes(dina.received[before:])
    # Every reader got the same entry, rendered once for all of them.
    feeds = [_feed_of(server, name) for name in names]
    entry = feeds[0]._entries[-1]
    assert all(feed._entries[-1] is entry for feed in feeds)
    assert len(entry.sent) == 1
    for name, feed in zip(names, feeds, strict=True):

        def shown(name: str = name, feed: RoomFeed = feed) -> list[str]:
            rows = terms[name].screen.display[feed.region.y : feed.region.bottom]
            return [r.rstrip() for r in rows]

        def held(feed: RoomFeed = feed) -> list[str]:
            return [r.rstrip() for r in feed.visible_text().split("\n")]

        await wait_until(lambda s=shown, h=held: s() == h(), f"{name}'s terminal to show the feed")


async def test_twenty_members_chat_while_a_flooder_is_slowed(
    connect: Any, server: RunningServer
) -> None:
    names = [f"Member{i:02d}" for i in range(19)]
    await _members(server, "Flood", *names)
    # The door lets a few logins from one address at a time (as OpenSSH's MaxStartups).
    gate = asyncio.Semaphore(5)

    async def one(name: str) -> Any:
        async with gate:
            return await _into_lobby(connect, name)

    terms = await asyncio.gather(*(one(n) for n in names))
    flooder = await _into_lobby(connect, "Flood")
    for i in range(50):
        flooder.send(f"flood {i}\r")
    await flooder.wait_for("Flood: flood 0")  # the flood has begun
    started = time.monotonic()
    await terms[3].type("calm line from three\r")
    await asyncio.gather(*(t.wait_for("Member03: calm line from three") for t in terms))
    assert time.monotonic() - started < 5
    await flooder.wait_for("try again in")
    await flooder.wait_for("Member03: calm line from three")
    # Forty-odd refusals in a few seconds: the flooder is muted in the rooms, and told.
    await flooder.wait_for("so you are muted in the")
    # Lines reach everyone in the order they were said: once a later line has arrived,
    # every flood line that got through has too.
    await terms[4].type("marker from four\r")
    await terms[10].wait_for("Member04: marker from four")
    seen = terms[10].text()
    shown = [i for i in range(50) if f"Flood: flood {i}" in seen]
    assert 1 <= len(shown) <= 6, shown


async def test_hostile_lines_reach_others_as_literal_text(
    connect: Any, server: RunningServer
) -> None:
    await _members(server, "Mal", "Viv")
    mal = await _into_lobby(connect, "Mal")
    viv = await _into_lobby(connect, "Viv")
    start = len(viv.received)
    await mal.type("a\x1b]52;c;ZXZpbA==\x07b \u202eevil\u202c [red]x[/] \x1b[2Jc\x9b31m\r")
    # The ESC reaches the input as a key (alt+]); what arrives is only printable text.
    await viv.wait_for("52;c;ZXZpbA==b evil [red]x[/] [2Jc31m")
    await mal.wait_for("52;c;ZXZpbA==b evil [red]x[/] [2Jc31m")
    # Typed, not pasted: within the driver's allowance of keys, far over a line's length.
    # (Words, not one letter repeated: the model may hold a flood of "xxxx" as spam.)
    await mal.type("rain again " * 300 + "\r")
    await viv.wait_for("rain again " * 5)
    await mal.wait_for("rain again " * 5)  # its own feed; the input shows fewer than 80
    # ~200 KB: under the driver's input rate limit (a 1 MB paste is covered by the Pilot test).
    mal.send("\x1b[200~" + ("paste line\n" * 18_000) + "\x1b[201~")
    await mal.wait_for("paste had", timeout=30)
    await mal.type("still here\r")
    await viv.wait_for("Mal: still here")
    seen = bytes(viv.received[start:])
    for forbidden in (b"\x1b]52", b"\x1b[2J", "\u202e".encode(), b"\xc2\x9b", b"paste line"):
        assert forbidden not in seen
    assert "x" * 501 not in viv.text().replace("\n", "")


async def test_no_room_session_outlives_its_connection(connect: Any, server: RunningServer) -> None:
    await _members(server, "Gus", "Hal")
    gus = await _into_lobby(connect, "Gus")
    hal = await _into_lobby(connect, "Hal")
    await gus.type("bye for now\r")
    await hal.wait_for("Gus: bye for now")
    await gus.close()
    await hal.close()
    # The server ends each session in its own time after the client has gone (a loaded
    # machine may take seconds): wait for that, not for a guess at how long it takes.
    await wait_until(lambda: not server.registry.sessions, "both sessions to end", timeout=30)

    def all_collected() -> bool:
        gc.collect()
        return not LIVE_APPS

    def still_alive() -> str:
        gc.collect()
        return ", ".join(
            f"{type(app.screen).__name__ if app.is_running else 'stopped'} held by "
            + "/".join(sorted({type(r).__name__ for r in gc.get_referrers(app)}))
            + f" (its exception: {app._exception!r})"
            for app in LIVE_APPS
        )

    # A cancelled presence timer keeps its app's context until its time would have come
    # (asyncio drops it then), so each app is collected a second or so after its session.
    await wait_until(all_collected, "every app to be collected", timeout=30, detail=still_alive)
    community = server.registry.community
    assert community.events.subscriber_count("room.1") == 0
    assert community.rooms.who(1) == []
    assert len(LIVE_APPS) == 0, f"{len(LIVE_APPS)} apps still alive"


async def test_a_key_typed_after_lines_arrive_draws_only_the_new_feed_rows_again(
    connect: Any, server: RunningServer
) -> None:
    await _members(server, "Fay", "Gil")
    fay = await _into_lobby(connect, "Fay")
    gil = await _into_lobby(connect, "Gil")
    await fay.wait_for("Gil came in")
    for name in ("Fay", "Gil"):
        await wait_until(lambda name=name: _presence_settled(server, name), f"{name}'s presence")
    feed = _feed_of(server, "Gil")
    drawn: list[int] = []
    render_line = feed.render_line

    def counting(y: int) -> Any:
        drawn.append(y)
        return render_line(y)

    feed.render_line = counting  # type: ignore[method-assign]
    row = _input_row(server, "Gil")
    typed = ""
    for i in range(3):
        fast = feed.fast_updates
        await fay.type(f"news {i} for gil\r")
        await gil.wait_for(f"Fay: news {i} for gil")
        await wait_until(lambda fast=fast: feed.fast_updates > fast, "the line scrolled in")
        drawn.clear()
        typed += "abc"[i]
        await gil.type("abc"[i])
        await wait_until(
            lambda typed=typed: typed in gil.screen.display[row], "Gil's key on his screen"
        )
        # The feed's rows moved up on the terminal and in Textual's cache alike: repainting
        # Gil's input draws at most the new row again, not the whole feed.
        assert len(drawn) <= 1, drawn

    def shown() -> list[str]:
        return [r.rstrip() for r in gil.screen.display[feed.region.y : feed.region.bottom]]

    def held() -> list[str]:
        return [r.rstrip() for r in feed.visible_text().split("\n")]

    await wait_until(lambda: shown() == held(), "the terminal to show the feed")
