"""Bad input at the door and in sign-up: clear messages or clean closes, everyone else fine."""

from __future__ import annotations

import asyncio
import re
import socket
from typing import Any

import asyncssh
import pytest
from support import SSH_PASSWORD as PASSWORD
from support import wait_until

from bbs.config import LoginLimits, Settings, with_overrides
from server.ssh_server import RunningServer

COLOUR_SGR = re.compile(rb"\x1b\[[0-9;]*(?:3[0-7]|4[0-7]|9[0-7]|10[0-7]|38;[25]|48;[25])[;m]")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return with_overrides(settings, login=LoginLimits(login_grace_seconds=3.0))


async def _member(connect: Any, name: str) -> None:
    term = await connect("new")
    await term.past_language()
    await term.type("a")
    await term.wait_for("Choose how you will be known here")
    await term.type(name + "\r" + PASSWORD + "\r" + PASSWORD + "\r")
    await term.wait_for_match(r"[A-Z2-9]{5}(-[A-Z2-9]{5}){4}", timeout=15)
    await term.close()


async def test_a_client_that_never_authenticates_is_closed_after_the_grace_time(
    server: RunningServer, connect: Any
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    banner = await reader.readline()
    assert banner.startswith(b"SSH-2.0-")
    # Say nothing more: the server hangs up once the grace time is over.
    rest = await asyncio.wait_for(reader.read(), timeout=10)
    assert isinstance(rest, bytes)
    writer.close()
    # Meanwhile others are served as usual.
    term = await connect("new")
    await term.past_language()


async def test_a_huge_paste_into_the_password_field_is_refused_with_a_note(
    connect: Any,
) -> None:
    term = await connect("new")
    await term.past_language()
    await term.type("a")
    await term.wait_for("Choose how you will be known here")
    await term.type("Paster\r")
    term.send(b"\x1b[200~" + b"p" * 10_000 + b"\x1b[201~")
    await term.wait_for("longer than this field")
    # The member can carry on as if nothing happened.
    await term.type(PASSWORD + "\r" + PASSWORD + "\r")
    await term.wait_for_match(r"[A-Z2-9]{5}(-[A-Z2-9]{5}){4}", timeout=15)


async def test_markup_and_escapes_in_a_pseudonym_are_refused_kindly(connect: Any) -> None:
    term = await connect("new")
    await term.past_language()
    await term.type("a")
    await term.wait_for("Choose how you will be known here")
    term.send("[@click=app.quit]x\x1b]52;c;aGk=\x07\r")
    await term.type(PASSWORD + "\r" + PASSWORD + "\r")
    screen = await term.wait_for("Choose how you will be known here")
    assert not term.closed.is_set()
    assert re.search(r"letters|character|not allowed|can't|cannot", screen, re.I), screen
    assert b"\x1b]52" not in bytes(term.received)


async def test_leaving_in_the_middle_of_sign_up_saves_nothing(
    connect: Any, server: RunningServer
) -> None:
    term = await connect("new")
    await term.past_language()
    await term.type("a")
    await term.wait_for("Choose how you will be known here")
    await term.type("Halfway\r" + PASSWORD)
    await term.close()
    await wait_until(lambda: not server.registry.sessions, "the half-done session to end")
    community = server.registry.community
    with pytest.raises(asyncssh.PermissionDenied):
        await connect("halfway", password=PASSWORD)
    assert await community.accounts.authenticate_password("halfway", PASSWORD) is None
    again = await connect("new")
    await again.past_language()


async def test_one_member_on_two_connections(connect: Any) -> None:
    await _member(connect, "Twice")
    first = await connect("twice", password=PASSWORD)
    second = await connect("twice", password=PASSWORD)
    await first.wait_for("welcome, Twice")
    await second.wait_for("welcome, Twice")
    await first.type("q")
    assert await first.wait_closed() == 0
    await second.type("p")
    await second.wait_for("Profile: Twice")


async def test_vt100_and_no_color_get_no_colours_but_256_colour_terminals_do(
    connect: Any,
) -> None:
    # Each negative check waits for a later screen, so the whole first frame has arrived.
    plain = await connect("new", term_type="vt100")
    await plain.past_language()
    await plain.type("a")
    await plain.wait_for("Choose how you will be known here")
    assert not COLOUR_SGR.search(bytes(plain.received))

    coloured = await connect("new", term_type="xterm-256color")
    await coloured.past_language()
    await wait_until(lambda: COLOUR_SGR.search(bytes(coloured.received)), "colours")

    no_color = await connect("new", env={"NO_COLOR": "1"})
    await no_color.past_language()
    await no_color.type("a")
    await no_color.wait_for("Choose how you will be known here")
    assert not COLOUR_SGR.search(bytes(no_color.received))


async def test_unauthenticated_connections_are_capped_per_source(
    server: RunningServer, settings: Settings
) -> None:
    limit = settings.login.unauthenticated_per_source
    sockets = []
    for _ in range(limit + 5):
        sock = socket.create_connection(("127.0.0.1", server.port))
        sockets.append(sock)
    guard = server.registry.community.guard
    await wait_until(lambda: guard.unauthenticated_total == limit, "the limit to be reached")
    assert guard.unauthenticated_total <= limit
    for sock in sockets:
        sock.close()
    await wait_until(lambda: guard.unauthenticated_total == 0, "every socket to be let go")
    assert guard.unauthenticated_total == 0


async def test_too_many_sessions_for_one_member_get_a_clear_line(
    connect: Any, server: RunningServer
) -> None:
    await _member(connect, "Many")
    limit = server.registry.settings.login.max_sessions_per_member
    open_ones = []
    for _ in range(limit):
        term = await connect("many", password=PASSWORD)
        await term.wait_for("welcome, Many")
        open_ones.append(term)
    extra = await connect("many", password=PASSWORD)
    assert await extra.wait_closed() == 1
    assert b"sessions open here" in bytes(extra.received)
    await open_ones[0].close()
    await wait_until(lambda: len(server.registry.sessions) < limit, "a session to end")
    again = await connect("many", password=PASSWORD)
    await again.wait_for("welcome, Many")


async def test_an_idle_member_in_a_text_field_costs_zero_bytes(connect: Any) -> None:
    term = await connect("new")
    await term.past_language()
    await term.type("a")
    await term.wait_for("Choose how you will be known here")
    await asyncio.sleep(0.5)  # kept: the screen's last frame may still be finishing (no marker)
    before = len(term.received)
    await asyncio.sleep(2.0)  # kept: a negative check, nothing may be sent while idle
    assert len(term.received) == before


async def test_the_too_many_sessions_line_is_in_the_members_language(
    connect: Any, server: RunningServer
) -> None:
    from bbs.accounts import members as accounts

    await _member(connect, "Muchas")
    community = server.registry.community
    with community.database.write() as session:
        found = accounts.get_member(session, "Muchas")
        assert found is not None
        accounts.set_language(session, found.id, "es")
    limit = server.registry.settings.login.max_sessions_per_member
    open_ones = []
    for _ in range(limit):
        term = await connect("muchas", password=PASSWORD)
        await term.wait_for("Muchas")
        open_ones.append(term)
    extra = await connect("muchas", password=PASSWORD)
    assert await extra.wait_closed() == 1
    assert "sesiones abiertas aquí".encode() in bytes(extra.received)
