"""A bracketed paste is data: delivered whole, in place, escape sequences and all (issue 16).

Textual's parser read escape sequences inside a paste as keys: most came out as "^" and
letters ahead of the paste, which lost them. Whatever is between the paste markers is one
Paste event now, in its place among the keys around it; the widget that takes it makes it
safe to show (see the widgets' tests).
"""

from __future__ import annotations

import pytest
from driver_harness import Channel, Recorder, driver_of, run_with, wait_until
from textual.events import Key

from screens.textual_compat import UncachedXTermParser, XTermParser
from server.driver import TerminalLink, _SessionParser

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


@pytest.mark.parametrize(
    "text",
    [
        "".join(chr(code) for code in range(32, 127)) + "\r",
        # Sequences and alt keys around printable keys, split mid-sequence or not.
        "ab\x1b[Acd\x1bxe\x1b[1;5Cf\x1b\x1bg\x7fh\ti\x01j",
        "caf\u00e9 \u4e2d\u6587 \U0001f600 ok\r",
    ],
)
def test_printable_keys_come_out_as_textuals_own_parser_makes_them(text: str) -> None:
    # Printable ASCII outside a sequence skips Textual's per-key parsing step: the keys
    # (names, characters, order) are the ones its parser makes, whole or byte by byte.
    def keys(parser: XTermParser, chunks: list[str]) -> list[tuple[str, str | None]]:
        found = [event for chunk in chunks for event in parser.feed(chunk)]
        found.extend(parser.tick())
        return [(event.key, event.character) for event in found if isinstance(event, Key)]

    expected = keys(UncachedXTermParser(), [text])
    assert expected
    assert keys(_SessionParser(), [text]) == expected
    split = keys(_SessionParser(), list(text))
    # Byte by byte, Textual's parser times out the ESC of an alt key as it would; what
    # it would have made of the rest is the same.
    assert split == keys(UncachedXTermParser(), list(text))
