"""Yes or no, multi-line text, sending again, and errors told to members, for every section."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from typing import TypeVar

from bbs.accounts.members import AccountError
from bbs.accounts.passwords import PasswordError
from bbs.accounts.pseudonyms import PseudonymError
from bbs.boards.records import PostError
from bbs.errors import StoreBusyError, StoreFullError
from bbs.goals.streaks import GoalError
from bbs.i18n import N_
from bbs.moderation_queue.audit import AdminError
from bbs.resources.records import ResourceError
from bbs.rooms.records import RoomError
from bbs.suggestions.records import SuggestionError
from plain.console import BACK_WORD, Console

T = TypeVar("T")

# -- what members read ----------------------------------------------------------------
BUSY = N_("The server is busy right now; nothing was lost. Try again in a moment.")
YES_NO = N_("Type Y for yes or N for no: ")
YES_NO_AGAIN = N_("Please type Y or N.")
NOT_A_CHOICE = N_("There is no {answer} here. {hint}")
# Said by several sections alike.
SAVED = N_("Saved.")
REPORTED = N_("Thank you. A moderator will look at it.")
TITLE_PROMPT = N_("Title (up to 120 characters), or 0 to go back: ")
NONE_WORD = N_("none")
ON_WORD = N_("on")
OFF_WORD = N_("off")
BODY_HOW = N_(
    "Type your text. Enter starts a new line. When you have finished, type a dot (.) "
    "alone on a line to send it, or type cancel alone on a line to stop without "
    "sending."
)
BODY_PROMPT = N_("Text, or . to send: ")
BODY_CANCELLED = N_("Stopped. Nothing was sent.")
BODY_EMPTY = N_("There is no text yet. Type some, then a dot (.) alone on a line to send it.")
BODY_FULL = N_("That is as long as it can be; type a dot (.) alone on a line to send it.")
SEND_AGAIN = N_("Your text is kept. Type S to try sending it again, or C to cancel: ")
DOT = "."
# Typed answers: the English always works, and so do the words of the member's language.
YES_WORDS = (N_("y"), N_("yes"))
NO_WORDS = (N_("no"), BACK_WORD)
SEND_WORDS = (N_("send"),)
CANCEL_WORD = N_("cancel")
CANCEL_WORDS = frozenset({"cancel"})

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


def error_said(console: Console, error: Exception) -> str:
    """What to tell a member about an error from the core, in the session's language: the
    core's own messages (built with `said`, or marked with `N_`) are said again in it."""
    if isinstance(error, StoreBusyError) and not isinstance(error, StoreFullError):
        return console.t(BUSY)
    return console.t(error)


async def confirm(console: Console, question: str) -> bool:
    await console.say(question)
    yes = console.words(frozenset({"y", "yes"}), *YES_WORDS)
    no = console.words(frozenset({"n", "no", "0", "back"}), *NO_WORDS)
    while True:
        answer = (await console.ask(console.t(YES_NO))).strip().lower()
        if answer in yes:
            return True
        if answer in no:
            return False
        await console.say(console.t(YES_NO_AGAIN))


async def ask_text(console: Console, prompt: str) -> str | None:
    """The answer to `prompt`, stripped; None when it is empty or 0 (the member goes back)."""
    answer = (await console.ask(prompt)).strip()
    return answer if answer and answer != "0" else None


async def ask_until(
    console: Console,
    prompt: str,
    again: str,
    parse: Callable[[str], T | None],
    *,
    stop: Collection[str],
) -> T | None:
    """What `parse` makes of the answer to `prompt` (stripped); `again` is said and the
    question asked again while it makes nothing of it. None when the answer, in lower
    case, is one of `stop` (Enter to leave it out, or 0 to go back)."""
    while True:
        answer = (await console.ask(prompt)).strip()
        if answer.lower() in stop:
            return None
        value = parse(answer)
        if value is not None:
            return value
        await console.say(again)


def whole_number(answer: str, low: int, high: int) -> int | None:
    """`answer` as a whole number from `low` to `high`; None when it is not one."""
    return int(answer) if answer.isdecimal() and low <= int(answer) <= high else None


async def read_body(console: Console, intro: str, *, limit: int) -> str | None:
    """Lines of text up to a lone dot; None when the member cancels."""
    await console.say("\n".join(part for part in (intro, console.t(BODY_HOW)) if part))
    cancel = console.words(CANCEL_WORDS, CANCEL_WORD)
    lines: list[str] = []
    size = 0
    while True:
        line = await console.ask(console.t(BODY_PROMPT))
        if line.strip() == DOT:
            if not "".join(lines).strip():
                await console.say(console.t(BODY_EMPTY))
                continue
            return "\n".join(lines)
        if line.strip().lower() in cancel and "\n" not in line:
            await console.say(console.t(BODY_CANCELLED))
            return None
        if size >= limit:
            await console.say(console.t(BODY_FULL))
            continue
        lines.extend(line.split("\n"))
        size += len(line) + 1


async def send_kept(console: Console, send: Callable[[], Awaitable[T]]) -> T | None:
    """What `send` returns; when it fails, why is said and the member may try again with
    the same text. None when they give up."""
    while True:
        try:
            return await send()
        except SEND_ERRORS as error:
            await console.say(error_said(console, error))
            if not await send_again(console):
                return None


async def send_again(console: Console) -> bool:
    """After a failed send: try again (True) or give up (False)."""
    again = console.words(frozenset({"s", "send", "y", "yes"}), *SEND_WORDS, *YES_WORDS)
    stop = console.words(frozenset({"c", "cancel", "n", "no", "0"}), CANCEL_WORD, *NO_WORDS)
    while True:
        answer = (await console.ask(console.t(SEND_AGAIN))).strip().lower()
        if answer in again:
            return True
        if answer in stop:
            await console.say(console.t(BODY_CANCELLED))
            return False
