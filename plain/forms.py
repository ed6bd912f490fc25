"""Numbered lists, commands with a number, yes or no, and multi-line text, for every section."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from bbs.accounts.members import AccountError
from bbs.accounts.passwords import PasswordError
from bbs.accounts.pseudonyms import PseudonymError
from bbs.boards.records import PostError
from bbs.errors import StoreBusyError, StoreFullError
from bbs.goals.streaks import GoalError
from bbs.moderation_queue.audit import AdminError
from bbs.resources.records import ResourceError
from bbs.rooms.records import RoomError
from bbs.suggestions.records import SuggestionError
from plain.console import Console

# -- what members read ----------------------------------------------------------------
BUSY = "The server is busy right now; nothing was lost. Try again in a moment."
YES_NO = "Type Y for yes or N for no: "
YES_NO_AGAIN = "Please type Y or N."
NOT_A_CHOICE = "There is no {answer} here. {hint}"
BODY_HOW = (
    "Type your text. Enter starts a new line. When you have finished, type a dot (.) "
    "alone on a line to send it, or type cancel alone on a line to stop without "
    "sending."
)
BODY_PROMPT = "Text, or . to send: "
BODY_CANCELLED = "Stopped. Nothing was sent."
BODY_EMPTY = "There is no text yet. Type some, then a dot (.) alone on a line to send it."
BODY_FULL = "That is as long as it can be; type a dot (.) alone on a line to send it."
SEND_AGAIN = "Your text is kept. Type S to try sending it again, or C to cancel: "
DOT = "."
CANCEL_WORDS = frozenset({"cancel"})
BACK_WORDS = frozenset({"0", "b", "back", "q", "quit"})

# Errors whose messages the core wrote for members: shown as they are.
KIND_ERRORS: tuple[type[Exception], ...] = (
    AccountError,
    AdminError,
    GoalError,
    PasswordError,
    PostError,
    PseudonymError,
    ResourceError,
    RoomError,
    SuggestionError,
)

# What may go wrong sending something: said, and the text kept for another try.
SEND_ERRORS: tuple[type[Exception], ...] = (*KIND_ERRORS, StoreBusyError)

T = TypeVar("T")

_COMMAND = re.compile(r"^\s*([a-z!?/]*)\s*(\d{1,6})?\s*\.?\s*$")


@dataclass(frozen=True)
class Command:
    """What was typed at a list's prompt: a word (maybe empty) and a number (maybe none)."""

    word: str
    number: int | None
    text: str

    @property
    def back(self) -> bool:
        return (self.word in BACK_WORDS and self.number is None) or (
            self.word == "" and self.number == 0
        )

    @property
    def empty(self) -> bool:
        return not self.text.strip()

    def is_word(self, *words: str) -> bool:
        """One of `words` typed alone, without a number."""
        return self.word in words and self.number is None

    def index(self, count: int) -> int | None:
        """The index (from 0) of the item numbered in a list of `count`, whatever the word."""
        if self.number is None or not 1 <= self.number <= count:
            return None
        return self.number - 1

    def pick(self, count: int, *words: str) -> int | None:
        """The index (from 0) of the item numbered in a list of `count`: a number alone, or
        after one of `words`; None for anything else."""
        return self.index(count) if self.word in (words or ("",)) else None


def command(answer: str) -> Command:
    """`3`, `r`, `a3`, `a 3` or `react 3` as a word and a number (words in lower case)."""
    text = answer.strip()
    found = _COMMAND.match(text.lower())
    if found is None:
        return Command(text.lower(), None, text)
    word, digits = found.group(1), found.group(2)
    return Command(word, int(digits) if digits else None, text)


def numbered(items: Sequence[str]) -> str:
    """A numbered list, one item a line, numbers right-aligned."""
    width = len(str(len(items)))
    return "\n".join(f"{i:>{width}}. {item}" for i, item in enumerate(items, start=1))


def listing(title: str, items: Sequence[str]) -> str:
    """A title over a numbered list."""
    return title + "\n" + numbered(items)


async def list_loop(
    console: Console,
    *,
    load: Callable[[], Awaitable[T]],
    show: Callable[[T], Awaitable[str]],
    prompt: Callable[[T], str],
    act: Callable[[Command, T], Awaitable[bool]],
) -> None:
    """A list and its prompt until the member goes back (0, B or Q).

    `load` runs before every prompt and `show` says the list: at first, after Enter,
    and whenever `act`, given every other answer, returns True (the list changed).
    """
    listed = False
    while True:
        loaded = await load()
        if not listed:
            listed = True
            await console.say(await show(loaded))
        answer = command(await console.ask(prompt(loaded)))
        if answer.back:
            return
        if answer.empty or await act(answer, loaded):
            listed = False


def error_text(error: Exception) -> str:
    """What to tell a member about an error from the core."""
    if isinstance(error, StoreFullError):
        return str(error)
    if isinstance(error, StoreBusyError):
        return BUSY
    return str(error)


async def confirm(console: Console, question: str) -> bool:
    await console.say(question)
    while True:
        answer = (await console.ask(YES_NO)).strip().lower()
        if answer in ("y", "yes"):
            return True
        if answer in ("n", "no", "0", "back"):
            return False
        await console.say(YES_NO_AGAIN)


async def read_body(console: Console, intro: str, *, limit: int) -> str | None:
    """Lines of text up to a lone dot; None when the member cancels."""
    await console.say("\n".join(part for part in (intro, BODY_HOW) if part))
    lines: list[str] = []
    size = 0
    while True:
        line = await console.ask(BODY_PROMPT)
        if line.strip() == DOT:
            if not "".join(lines).strip():
                await console.say(BODY_EMPTY)
                continue
            return "\n".join(lines)
        if line.strip().lower() in CANCEL_WORDS and "\n" not in line:
            await console.say(BODY_CANCELLED)
            return None
        if size >= limit:
            await console.say(BODY_FULL)
            continue
        lines.extend(line.split("\n"))
        size += len(line) + 1


async def send_again(console: Console) -> bool:
    """After a failed send: try again (True) or give up (False)."""
    while True:
        answer = (await console.ask(SEND_AGAIN)).strip().lower()
        if answer in ("s", "send", "y", "yes"):
            return True
        if answer in ("c", "cancel", "n", "no", "0"):
            await console.say(BODY_CANCELLED)
            return False
