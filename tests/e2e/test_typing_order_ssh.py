"""What a member types over SSH is handled in the order it was typed (issue 16).

A password manager or a paste sends "name<Tab>password<Tab>password<Enter>" in one go;
a long paste is often followed at once by Ctrl+S. Both arrive in one SSH read and used to
be handed to the app in one go, before Tab (a binding) moved the focus or the paste was
in the editor.
"""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from typing import Any

from support import SSH_PASSWORD as PASSWORD

from bbs.boards.records import PostingRules
from bbs.community import Community
from server.ssh_server import RunningServer

RECOVERY_CODE = r"[A-Z2-9]{5}(-[A-Z2-9]{5}){4}"
TAB, CTRL_S = "\t", "\x13"
START, END = "\x1b[200~", "\x1b[201~"


async def test_signup_typed_in_one_burst_with_tabs_fills_each_field(
    connect: Any, server: RunningServer
) -> None:
    term = await connect("new")
    await term.past_language()
    term.send("a")
    await term.wait_for("Choose how you will be known here")
    term.send("Heron" + TAB + PASSWORD + TAB + PASSWORD + "\r")
    await term.wait_for_match(RECOVERY_CODE, timeout=15)
    community: Community = server.registry.community
    member = await community.accounts.authenticate_password("heron", PASSWORD)
    assert member is not None and member.pseudonym == "Heron"


async def _wait_for(condition: Any, timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = await condition()
        if result:
            return result
        await asyncio.sleep(0.05)  # poll interval, not a wait for something to happen
    raise AssertionError("timed out")


async def test_ctrl_s_right_after_a_long_paste_sends_all_of_it(
    connect: Any, server: RunningServer
) -> None:
    community: Community = server.registry.community
    community.boards.rules = PostingRules(interval=timedelta(0), new_account_interval=timedelta(0))
    community.moderation.set_scorer(None)
    alder = (await community.accounts.sign_up("Alder", PASSWORD, PASSWORD)).member.id
    await community.accounts.sign_up("Birch", PASSWORD, PASSWORD)
    boards = await community.boards.board_list(alder)
    wins = next(b.id for b in boards if b.name == "Wins")
    first = (
        await community.boards.create_thread(
            alder, wins, title="Long reads", body="Paste yours here"
        )
    ).post
    assert first is not None
    thread_id = first.thread_id
    line = "A long night, and then the morning came anyway. "
    pasted = "\n".join(line * 3 for _ in range(110))[:15_000]
    assert len(pasted) == 15_000

    birch = await connect("birch", password=PASSWORD)
    await birch.wait_for("welcome, Birch")
    await birch.type("b")
    await birch.wait_for("Wins")
    await birch.type("\x1b[B" * 6 + "\r")
    await birch.wait_for("Long reads")
    await birch.type("\r")
    await birch.wait_for("Paste yours here")
    await birch.type("r")
    await birch.wait_for("Reply to: Long reads")
    # The paste, a few words typed after it, and Ctrl+S: one write, as a fast hand sends.
    birch.send(START + pasted + END + " (typed after)" + CTRL_S)

    async def reply() -> Any:
        page = await community.boards.thread_page(alder, thread_id, mark_read=False)
        return next((p for p in page.posts if p.author == "Birch"), None)

    posted = await _wait_for(reply)
    assert posted.body == pasted + " (typed after)"
