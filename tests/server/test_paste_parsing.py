"""A bracketed paste is data: delivered whole, in place, escape sequences and all (issue 16).

Textual's parser read escape sequences inside a paste as keys: most came out as "^" and
letters ahead of the paste, which lost them. Whatever is between the paste markers is one
Paste event now, in its place among the keys around it; the widget that takes it makes it
safe to show (see the widgets' tests).
"""

from __future__ import annotations

import pytest
from driver_harness import Channel, Recorder, driver_of, run_with, wait_until

from server.driver import TerminalLink

START, END = b"\x1b[200~", b"\x1b[201~"
# Colours, a title change, a long sequence (Textual gave up on those after 32 characters
# and sent them as keys), a doubled and a lone ESC, a CSI, DEL, and a half end marker.
HOSTILE = (
    "red: \x1b[31mred\x1b[0m, title: \x1b]0;pwned\x07, long: \x1b[" + "1;" * 40 + "m, "
    "doubled: \x1b\x1bx, lone: \x1b, csi: \x9b2J, del: \x7f, half an end: \x1b[201 and on\n"
    "second line\ttab"
)


async def _inputs(*chunks: bytes, expect: int) -> list[tuple[str, str]]:
    link = TerminalLink(Channel(), 80, 24)

    async def script(app: Recorder) -> None:
        for chunk in chunks:
            driver_of(link).feed(chunk)
        await wait_until(lambda: len(app.inputs) >= expect, what=f"{expect} inputs")

    app = await run_with(link, script)
    return app.inputs


@pytest.mark.parametrize("split", ["whole", "byte by byte"])
async def test_escape_sequences_in_a_paste_are_pasted_whole_and_in_place(split: str) -> None:
    data = b"a" + START + HOSTILE.encode() + END + b"b"
    chunks = [data] if split == "whole" else [data[i : i + 1] for i in range(len(data))]
    inputs = await _inputs(*chunks, expect=3)
    assert inputs == [("key", "a"), ("paste", HOSTILE), ("key", "b")]


async def test_a_lone_escape_before_a_paste_stays_a_key_and_the_paste_follows() -> None:
    inputs = await _inputs(b"\x1b", START + b"x\x1by" + END, expect=2)
    assert inputs == [("key", "escape"), ("paste", "x\x1by")]


async def test_keys_that_begin_like_a_paste_marker_are_still_keys() -> None:
    # F9 is ESC [20~, Insert ESC [2~: both start as a paste marker does.
    inputs = await _inputs(b"\x1b[20~\x1b[2~z", expect=3)
    assert inputs == [("key", "f9"), ("key", "insert"), ("key", "z")]
