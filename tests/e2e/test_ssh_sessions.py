"""End to end over real SSH: sign up, log in, quit, limits, and no app outliving its connection."""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import asyncssh
import pytest
from support import SSH_PASSWORD as PASSWORD
from support import wait_until

from server.session import LIVE_APPS
from server.ssh_server import RunningServer

RECOVERY_CODE = r"[A-Z2-9]{5}(-[A-Z2-9]{5}){4}"


async def sign_up(
    connect: Any,
    name: str,
    *,
    client_keys: list[asyncssh.SSHKey] | None = None,
    keep_key: bool = True,
) -> tuple[Any, str]:
    """Walk through sign-up as a member would; returns the terminal and the recovery code."""
    term = await connect("new", client_keys=client_keys)
    await term.past_language()
    await term.type("a")
    await term.wait_for("Choose how you will be known here")
    await term.type(name + "\r")
    await term.type(PASSWORD + "\r")
    await term.type(PASSWORD)
    if client_keys and not keep_key:
        await term.type("\t \x1b[Z")  # to the key checkbox, untick it, and back
    await term.type("\r")
    found = await term.wait_for_match(RECOVERY_CODE, timeout=15)
    return term, found.group(0)


async def test_new_member_signs_up_quits_and_is_recognised(connect: Any) -> None:
    term, code = await sign_up(connect, "Robin")
    assert len(code.replace("-", "")) == 25
    await term.type("\r")
    await term.wait_for("welcome, Robin")
    await term.type("q")
    assert await term.wait_closed() == 0

    again = await connect("robin", password=PASSWORD)
    screen = await again.wait_for("welcome, Robin")
    assert "Last visit:" in screen
    await again.type("q")
    assert await again.wait_closed() == 0


async def test_signup_key_is_remembered_and_logs_in(connect: Any) -> None:
    key = asyncssh.generate_private_key("ssh-ed25519")
    term, _code = await sign_up(connect, "Keyholder", client_keys=[key])
    await term.type("\r")
    await term.wait_for("welcome, Keyholder")
    await term.close()

    again = await connect("keyholder", client_keys=[key])
    await again.wait_for("welcome, Keyholder")


async def test_every_session_of_a_member_notes_their_login(
    connect: Any, server: RunningServer
) -> None:
    """The full screen notes it in the trip that reads the home screen; the line mode, a
    command and a channel without a terminal note it too; with the key that was used."""
    from sqlmodel import select

    from bbs.models import Member, MemberKey

    key = asyncssh.generate_private_key("ssh-ed25519")
    term, _code = await sign_up(connect, "Notary", client_keys=[key])
    await term.type("\r")
    await term.wait_for("welcome, Notary")
    await term.close()
    database = server.registry.community.database

    def noted() -> tuple[object, object]:
        with database.read() as session:
            member = session.exec(select(Member).where(Member.pseudonym == "Notary")).one()
            key_row = session.exec(select(MemberKey).where(MemberKey.member_id == member.id)).one()
            return member.last_login_at, key_row.last_used_at

    for kwargs in ({}, {"command": "plain"}, {"command": "ls -la"}, {"pty": False}):
        before = noted()
        session = await connect("notary", client_keys=[key], **kwargs)
        await wait_until(lambda b=before: noted() != b, f"the login noted for {kwargs}")
        login, used = noted()
        assert login is not None and login == used
        await session.close()


async def test_wrong_password_and_unknown_name_fail_alike(connect: Any) -> None:
    await (await sign_up(connect, "Sam"))[0].close()
    for name in ("sam", "nobody-here"):
        with pytest.raises(asyncssh.PermissionDenied):
            await connect(name, password="not the password at all")


async def test_exec_and_no_pty_get_one_line_and_status_1(connect: Any) -> None:
    for kwargs in ({"command": "ls -la"}, {"pty": False}):
        term = await connect("new", **kwargs)
        status = await term.wait_closed()
        assert status == 1
        assert b"ssh -t" in bytes(term.received)


async def test_hostile_window_size_is_clamped(connect: Any) -> None:
    term = await connect("new", size=(65535, 65535))
    # The first frame (the emulator is 400 x 150 at most): the language question.
    await term.wait_for("Português")
    assert not term.closed.is_set()
    # The first frame was drawn at our maximum size, not 65535 columns.
    assert max(len(line) for line in bytes(term.received).split(b"\n")) < 20_000
    term.process.change_terminal_size(80, 24)
    await term.past_language()


async def test_no_app_outlives_its_connection(connect: Any, server: RunningServer) -> None:
    async def one() -> None:
        term = await connect("new")
        await term.past_language()
        await term.close()

    for _ in range(5):
        await asyncio.gather(*(one() for _ in range(10)))
    await wait_until(lambda: not server.registry.sessions, "every session to end", timeout=30)

    # Each app finishes its own shutdown after its connection is gone; under load that
    # can take a moment. Then nothing may keep it alive.
    def all_collected() -> bool:
        gc.collect()
        return not LIVE_APPS

    await wait_until(all_collected, "every app to be collected", timeout=30)
    detail = [type(a.screen).__name__ if a.is_running else "stopped" for a in LIVE_APPS]
    assert len(LIVE_APPS) == 0, f"{len(LIVE_APPS)} apps still alive after 50 sessions: {detail}"
