"""Control characters pasted into a field never reach the typist's own terminal (issue 16).

On the sign-up form a pasted C1 OSC sequence (\\x9d0;title\\x9c) set the window title and
a C1 CSI (\\x9b2J) clears the screen on terminals that obey C1; DEL, bidi overrides,
zero-width spaces and a lone ESC were drawn as they were. The bytes the member receives
after such a paste hold no control character but the driver's own sequences.
"""

from __future__ import annotations

import re
from typing import Any

from server.ssh_server import RunningServer

START, END = "\x1b[200~", "\x1b[201~"
HOSTILE = "Ow\x9d0;pwned\x9cl\x9b2J\x7fe\u202et\u200bt\x1b!"
SHOWN = "Ow0;pwnedl2Jett!"
# What the driver and Textual send on their own: CSI sequences, a line feed ahead of a
# cursor move, and Textual's mouse pointer shape (OSC 22 with a fixed word).
OWN_SEQUENCES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\n(?=\x1b\[\d+;\d+H)|\x1b\]22;[a-z-]{1,20}\x07"
)
CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\u200e\u200f]")


def _controls(received: bytes) -> list[str]:
    text = OWN_SEQUENCES.sub("", received.decode("utf-8", errors="replace"))
    return sorted({repr(c) for c in CONTROLS.findall(text)})


async def test_a_paste_into_a_signup_field_echoes_no_control_character(
    connect: Any, server: RunningServer
) -> None:
    term = await connect("new")
    await term.past_language()
    term.send("a")
    await term.wait_for("Choose how you will be known here")
    before = len(term.received)
    term.send(START + HOSTILE + END)
    await term.wait_for(SHOWN)
    assert _controls(bytes(term.received[before:])) == []
    assert "pwned" not in term.screen.title  # pyte follows OSC 0 and 2


async def test_a_paste_into_the_post_editor_echoes_no_control_character(
    connect: Any, server: RunningServer
) -> None:
    community = server.registry.community
    community.moderation.set_scorer(None)
    password = "correct horse battery"
    alder = (await community.accounts.sign_up("Alder", password, password)).member.id
    wins = next(b.id for b in await community.boards.board_list(alder) if b.name == "Wins")
    await community.boards.create_thread(alder, wins, title="Paste here", body="First")
    term = await connect("alder", password=password)
    await term.wait_for("welcome, Alder")
    term.send("b")
    await term.wait_for("Wins")
    term.send("\x1b[B" * 6 + "\r")
    await term.wait_for("Paste here")
    term.send("\r")
    await term.wait_for("First")
    term.send("r")
    await term.wait_for("Reply to: Paste here")
    before = len(term.received)
    term.send(START + "line one\r\n" + HOSTILE + END)
    await term.wait_for(SHOWN)
    assert "line one" in term.text()
    assert _controls(bytes(term.received[before:])) == []
    assert "pwned" not in term.screen.title
