"""Numbered lists and the commands typed at them (`3`, `r`, `a3`), and the loop that
shows a list and acts on each answer, for every section."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from plain.console import Console
from plain.forms import error_said

# "back" in every language is understood everywhere (a list's prompt has no language):
# console.BACK_WORD as each catalogue says it, written out so that importing this module
# reads no catalogue (tests/plain/test_menus.py checks them against the catalogues).
BACK_WORDS = frozenset({"0", "b", "back", "q", "quit", "volver", "retour", "zurück", "voltar"})
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
    prompt: str | Callable[[T], str],
    hint: str | Callable[[T], str],
    *,
    load: Callable[[], Awaitable[T]],
    show: Callable[[T], Awaitable[str]],
    act: Callable[[Command, T], Awaitable[bool | None]],
    errors: tuple[type[Exception], ...] = (),
) -> None:
    """A list and its prompt until the member goes back (0, B or Q).

    `load` runs before every prompt and `show` says the list: at first, after Enter,
    and whenever `act`, given every other answer, returns True (the list changed).
    `act` returns False when the list stays as it is, and None when the answer means
    nothing here: the hint is said. `errors` raised by `act` are told, and the list stays.
    """
    listed = False
    while True:
        loaded = await load()
        if not listed:
            listed = True
            await console.say(await show(loaded))
        answer = command(await console.ask(prompt if isinstance(prompt, str) else prompt(loaded)))
        if answer.back:
            return
        if answer.empty:
            listed = False
            continue
        try:
            changed = await act(answer, loaded)
        except errors as error:
            await console.say(error_said(console, error))
            changed = False
        if changed is None:
            await console.say(hint if isinstance(hint, str) else hint(loaded))
        listed = not changed
