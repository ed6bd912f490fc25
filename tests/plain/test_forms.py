"""The plain forms' questions: an answer or going back, and asking again until an answer
means something. Driven through the in-memory LineIO of the console's tests."""

from __future__ import annotations

import asyncio

from plain.console import Console
from plain.forms import ask_text, ask_until, whole_number
from tests.plain.test_console import MemoryIO


async def test_ask_text_gives_the_stripped_answer_and_none_for_enter_or_0() -> None:
    io = MemoryIO()
    console = Console(io)
    for typed, expected in (("  a reason  ", "a reason"), ("", None), (" 0 ", None), ("00", "00")):
        asked = asyncio.ensure_future(ask_text(console, "Why? "))
        await io.answer(typed)
        assert await asyncio.wait_for(asked, 2) == expected
    assert io.prompts == ["Why? "] * 4


async def test_ask_until_asks_again_until_the_answer_parses_or_stops() -> None:
    io = MemoryIO()
    console = Console(io)

    def mood(answer: str) -> int | None:
        return whole_number(answer, 1, 5)

    asked = asyncio.ensure_future(ask_until(console, "Mood? ", "1 to 5.", mood, stop=("",)))
    for typed in ("7", "x", "0", " 4 "):
        await io.answer(typed)
    assert await asyncio.wait_for(asked, 2) == 4
    assert io.prompts == ["Mood? "] * 4 and io.out.count("1 to 5.") == 3
    # A stop word (compared in lower case) gives None at once.
    asked = asyncio.ensure_future(ask_until(console, "How? ", "D or M.", str.upper, stop=("back",)))
    await io.answer(" BACK ")
    assert await asyncio.wait_for(asked, 2) is None


def test_whole_number_refuses_digit_like_characters_kindly() -> None:
    assert whole_number("²", 1, 5) is None
    assert whole_number("3", 1, 5) == 3
    assert whole_number("٣", 1, 5) == 3
