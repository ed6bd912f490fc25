"""The plain console: paging with "more", lines arriving live, help and hide at any prompt.
Driven through an in-memory LineIO, as a screen reader's transcript."""

from __future__ import annotations

import asyncio

import pytest

from bbs.i18n import localise, said_n, translator
from plain.console import HIDDEN_LINE, MORE_PROMPT, Console
from plain.forms import confirm
from plain.layout import rows


class MemoryIO:
    """A LineIO in memory: what was written, prompts asked, and answers fed by the test."""

    def __init__(self, width: int = 40, height: int = 10) -> None:
        self.width = width
        self.height = height
        self.out: list[str] = []
        self.prompts: list[str] = []
        self.answers: asyncio.Queue[str] = asyncio.Queue()
        self.waiting = asyncio.Event()
        self.bells = 0

    def write(self, text: str) -> None:
        self.out.extend(text.split("\n"))

    def bell(self) -> None:
        self.bells += 1

    async def read_line(self, prompt: str, *, secret: bool = False, initial: str = "") -> str:
        self.prompts.append(prompt)
        self.out.append(f"<{prompt.strip()}>")
        self.waiting.set()
        try:
            return await self.answers.get()
        finally:
            self.waiting.clear()

    async def answer(self, text: str) -> None:
        await asyncio.wait_for(self.waiting.wait(), 2)
        self.waiting.clear()
        self.out.append(f"[{text}]")
        self.answers.put_nowait(text)
        await asyncio.sleep(0)  # kept: one loop pass, so the console takes the answer


def rows_between_answers(out: list[str]) -> list[int]:
    """Rows written after each answer, up to the next one: they must all fit on the screen."""
    counts, current = [], 0
    for row in out:
        if row.startswith("["):
            counts.append(current)
            current = 0
        elif not row.startswith("<"):
            current += 1
    return [*counts, current]


async def test_long_text_stops_at_more_and_q_stops_it() -> None:
    io = MemoryIO(height=10)
    console = Console(io)
    text = "\n".join(f"line {i}" for i in range(30))
    task = asyncio.ensure_future(console.say(text))
    await io.answer("")
    await io.answer("q")
    assert await asyncio.wait_for(task, 2) is False
    assert io.prompts == [MORE_PROMPT, MORE_PROMPT]
    assert "line 17" in io.out and "line 18" not in io.out
    # Never more rows than fit above the prompt: nothing scrolls away unread.
    assert max(rows_between_answers(io.out)) <= io.height - 1


async def test_rows_are_wrapped_at_words_to_less_than_the_width() -> None:
    io = MemoryIO(width=20)
    console = Console(io)
    assert await console.say("a few words that will not fit in twenty columns")
    assert all(len(row) <= 19 for row in io.out)
    assert " ".join(io.out).split() == "a few words that will not fit in twenty columns".split()


async def test_live_lines_print_at_a_prompt_and_wait_otherwise() -> None:
    io = MemoryIO()
    console = Console(io)
    console.live("early line")  # no prompt showing: kept
    assert "early line" not in io.out
    task = asyncio.ensure_future(console.ask("> "))
    await asyncio.wait_for(io.waiting.wait(), 2)
    assert io.out[:2] == ["early line", "<>>"]
    console.live("Plover: hello", bell=True)
    assert io.out[-1] == "Plover: hello" and io.bells == 1
    await io.answer("hi")
    assert await task == "hi"


async def test_a_flood_of_live_lines_waits_for_enter_a_screenful_at_a_time() -> None:
    io = MemoryIO(height=10)
    console = Console(io)
    task = asyncio.ensure_future(console.ask("> "))
    await asyncio.wait_for(io.waiting.wait(), 2)
    for i in range(25):
        console.live(f"room line {i}")
    shown = [row for row in io.out if row.startswith("room line")]
    assert len(shown) < 9
    assert sum("more lines: Enter shows them" in row for row in io.out) == 1
    await io.answer("")
    await task
    second = asyncio.ensure_future(console.ask("> "))
    await asyncio.wait_for(io.waiting.wait(), 2)
    shown_now = [row for row in io.out if row.startswith("room line")]
    assert len(shown) < len(shown_now) < 25
    assert max(rows_between_answers(io.out)) <= io.height - 1
    await io.answer("")
    await second


async def test_help_and_question_mark_show_help_then_ask_again() -> None:
    io = MemoryIO()
    console = Console(io)
    helped = []

    async def on_help() -> None:
        helped.append(True)
        await console.say("Crisis lines: call someone.")

    console.on_help = on_help
    task = asyncio.ensure_future(console.ask("Number: "))
    await io.answer("help")
    await io.answer("?")
    await io.answer("3")
    assert await task == "3"
    assert len(helped) == 2 and io.prompts == ["Number: "] * 3


async def test_help_is_not_taken_from_a_password_prompt() -> None:
    io = MemoryIO()
    console = Console(io)
    console.on_help = pytest.fail  # type: ignore[assignment]
    task = asyncio.ensure_future(console.ask("Password: ", secret=True))
    await io.answer("help")
    assert await task == "help"


async def test_hide_prints_one_neutral_line_and_nothing_more_until_back() -> None:
    io = MemoryIO(height=8)
    console = Console(io)
    task = asyncio.ensure_future(console.ask("> "))
    await io.answer("hide")
    await asyncio.wait_for(io.waiting.wait(), 2)
    before = len(io.out)
    assert io.out[before - 2] == HIDDEN_LINE
    assert io.out[before - 3 - (io.height - 2) : before - 2] == [""] * (io.height - 1)
    console.live("Plover: are you there?")
    await io.answer("anything else")
    await asyncio.wait_for(io.waiting.wait(), 2)
    assert not any("Plover" in row for row in io.out)
    await io.answer("back")
    await asyncio.wait_for(io.waiting.wait(), 2)
    assert "Plover: are you there?" in io.out
    await io.answer("done")
    assert await task == "done"


async def test_in_spanish_the_words_typed_work_in_spanish_and_in_english() -> None:
    io = MemoryIO(height=8)
    console = Console(io)
    console.t = translator("es").gettext
    helped = []

    async def on_help() -> None:
        helped.append(True)

    console.on_help = on_help
    task = asyncio.ensure_future(console.ask("> "))
    await io.answer("ayuda")
    await io.answer("help")
    await io.answer("ocultar")
    await asyncio.wait_for(io.waiting.wait(), 2)
    assert "Estado del sistema: todos los servicios funcionan con normalidad." in io.out
    await io.answer("volver")
    await asyncio.wait_for(io.waiting.wait(), 2)
    assert "Has vuelto." in io.out
    await io.answer("hide")
    await io.answer("back")
    await io.answer("3")
    assert await task == "3" and len(helped) == 2
    # Yes and no: the Spanish prompt, and sí (or y) for yes.
    asked = asyncio.ensure_future(confirm(console, "¿Seguro?"))
    await io.answer("quizá")
    await io.answer("sí")
    assert await asked is True
    assert (
        io.prompts[-1] == "Escribe S para sí o N para no: "
        and "Escribe S o N, por favor." in io.out
    )
    # Counted things are real plurals now (said_n), said in the session's language.
    assert localise(said_n("{count} day", "{count} days", 1), "es") == "1 día"
    assert localise(said_n("{count} day", "{count} days", 3), "es") == "3 días"


def test_layout_wraps_long_words_and_keeps_blank_lines() -> None:
    assert rows("x" * 25 + "\n\nend", 10) == ["x" * 10, "x" * 10, "x" * 5, "", "end"]
    assert rows("“Quoted” — and… done", 40) == ['"Quoted" - and... done']
    assert rows("\x1b[31mred\x1b[0m", 40) == ["[31mred[0m"]


async def test_a_very_long_text_is_laid_out_off_the_loop_and_still_paged() -> None:
    io = MemoryIO(width=40, height=10)
    console = Console(io)
    task = asyncio.ensure_future(console.say("word " * 6000))
    await io.answer("q")
    assert await asyncio.wait_for(task, 5) is False
    assert all(len(row) <= 39 for row in io.out if not row.startswith(("<", "[")))
