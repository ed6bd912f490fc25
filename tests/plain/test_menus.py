"""Numbered menus in line mode: what a typed command picks, and the loop every section's
list runs (shown again on Enter, after a change, the hint for an answer that means nothing,
errors told and the list kept)."""

from __future__ import annotations

from typing import Any, cast

from bbs.accounts.members import AccountError
from bbs.i18n import LANGUAGES, translator
from plain.console import BACK_WORD, Console
from plain.menus import BACK_WORDS, Command, command, list_loop, listing


def test_back_in_every_language_takes_a_member_back_from_any_list() -> None:
    # BACK_WORDS is written out (importing the menus reads no catalogue): it must still
    # hold "back" as every catalogue says it.
    for lang in LANGUAGES:
        word = translator(lang).gettext(BACK_WORD).lower()
        assert word in BACK_WORDS, (lang, word)
        assert command(word).back


class ScriptedConsole:
    """Answers fed in order; everything said is kept."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.said: list[str] = []
        self.prompts: list[str] = []

    async def say(self, text: str = "") -> bool:
        self.said.append(text)
        return True

    async def ask(self, prompt: str, **_: Any) -> str:
        self.prompts.append(prompt)
        return self.answers.pop(0)

    def t(self, message: object) -> str:
        """In English, as the real console before a language is set."""
        return str(message)


def test_a_number_alone_picks_an_item_from_one_and_a_word_with_it_picks_for_that_word() -> None:
    assert command("2").pick(3) == 1
    assert command("4").pick(3) is None
    assert command("0").pick(3) is None
    assert command("r2").pick(3) is None
    assert command("r 2").pick(3, "r", "remove") == 1
    assert command("remove 2").pick(3, "r", "remove") == 1
    assert command("x2").pick(3, "r", "remove") is None
    assert command("c2").index(3) == 1
    assert command("n").is_word("n", "new")
    assert not command("n2").is_word("n", "new")


def test_listing_puts_a_title_over_a_numbered_list() -> None:
    assert listing("Rooms:", ["one", "two"]) == "Rooms:\n1. one\n2. two"


async def test_the_list_is_shown_again_on_enter_and_after_a_change_not_after_a_hint() -> None:
    console = ScriptedConsole("", "z", "c", "k", "0")
    loads: list[int] = []
    shows: list[int] = []

    async def load() -> int:
        loads.append(len(loads))
        return len(loads)

    async def show(loaded: int) -> str:
        shows.append(loaded)
        return f"list {loaded}"

    async def act(answer: Command, _loaded: int) -> bool | None:
        return {"c": True, "k": False}.get(answer.word)

    await list_loop(
        cast(Console, console), lambda n: f"prompt {n}: ", "the hint", load=load, show=show, act=act
    )

    assert loads == [0, 1, 2, 3, 4]
    # At first, after Enter, and after the change ("c"); not after the hint or "k".
    assert shows == [1, 2, 4]
    assert console.said == ["list 1", "list 2", "the hint", "list 4"]
    assert console.prompts == [f"prompt {n}: " for n in range(1, 6)]


async def test_errors_a_section_names_are_told_and_the_list_stays() -> None:
    console = ScriptedConsole("a", "0")

    async def load() -> None:
        return None

    async def show(_loaded: None) -> str:
        return "the list"

    async def act(answer: Command, _loaded: None) -> bool | None:
        raise AccountError("That key is not yours.")

    await list_loop(
        cast(Console, console),
        "prompt: ",
        "hint",
        load=load,
        show=show,
        act=act,
        errors=(AccountError,),
    )

    assert console.said == ["the list", "That key is not yours."]
