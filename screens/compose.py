"""Writing: the compose screen (threads, replies, edits, messages) and small dialogs."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import Input, TextArea

from bbs.boards.records import BODY_MAX, TITLE_MAX, WARNING_MAX, PostError
from bbs.boards.service import Outcome
from bbs.errors import StoreBusyError, StoreFullError
from bbs.i18n import N_, format_number
from bbs.reflow import reflow
from bbs.text_safety import clean_text
from screens.base import BBSScreen, Got
from screens.tcss import default_css
from screens.widgets import PlainText, SafeTextArea, TextField, session_text

if TYPE_CHECKING:
    from bbs.boards.service import BoardService
    from bbs.mail.service import MailService


log = logging.getLogger(__name__)

# Saved this long after typing stops: often enough that a dropped line loses little,
# rarely enough that a fast typist does not write to the database every key.
DRAFT_DELAY = 2.0
# Pastes beyond this are refused whole (with a message): a 5 MB paste is a mistake,
# and laying it out would stall everyone's screen.
PASTE_MAX = BODY_MAX * 2

# Draft saves that outlive their screen (a connection dropped mid-compose).
_PENDING: set[asyncio.Task[None]] = set()

ComposeMode = Literal["thread", "reply", "edit", "pm"]
T = TypeVar("T")
AnswerType = TypeVar("AnswerType")

REPORT_THANKS = N_("Thank you. A moderator will look at it.")


class PostEditor(SafeTextArea):
    """A multi-line editor that holds only safe text, and which refuses giant pastes."""

    async def _on_paste(self, event: events.Paste) -> None:
        if len(event.text) + len(self.text) > PASTE_MAX:
            event.stop()
            event.prevent_default()
            self.post_message(self.TooLong(len(event.text)))
        # Otherwise TextArea's own handler (Textual calls each class's in turn) pastes it.

    class TooLong(Message):
        def __init__(self, size: int) -> None:
            super().__init__()
            self.size = size


@dataclass(frozen=True)
class ComposeTarget:
    """What is being written, and where it goes."""

    mode: ComposeMode
    # Board (thread), thread (reply), post (edit) or member (pm).
    target_id: int
    label: str
    with_title: bool = False

    @property
    def context(self) -> str:
        kind = {"thread": "thread", "reply": "reply", "edit": "edit", "pm": "pm"}[self.mode]
        return f"{kind}:{self.target_id}"

    @classmethod
    def from_context(cls, context: str, label: str, with_title: bool) -> ComposeTarget | None:
        kind, _, number = context.partition(":")
        if kind not in ("thread", "reply", "edit", "pm") or not number.isdecimal():
            return None
        return cls(kind, int(number), label, with_title or kind == "thread")  # type: ignore[arg-type]


class ComposeScreen(BBSScreen[Outcome | None]):
    """A title, an optional content warning and a multi-line body; preview; drafts kept."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "send", "Send", priority=True),
        Binding("f2", "preview", "Preview", priority=True),
        Binding("escape", "leave", "Leave", priority=True),
    ]

    DEFAULT_CSS = default_css(__file__, "ComposeScreen")

    def __init__(
        self,
        target: ComposeTarget,
        *,
        title: str = "",
        body: str = "",
        warning: str = "",
        boards: BoardService,
        mail: MailService,
    ) -> None:
        super().__init__()
        self._boards = boards
        self._mail = mail
        self.target = target
        self._initial = (title, body, warning)
        self._timer: Timer | None = None
        self._dirty = False
        self._sending = False
        self._sent = False
        self._latest = (title, body, warning)

    def compose(self) -> ComposeResult:
        yield PlainText(self.target.label, classes="title", id="compose-title")
        title, body, warning = self._initial
        if self.target.with_title:
            yield TextField(
                title, placeholder=self.t(N_("Title")), id="title", max_length=TITLE_MAX
            )
        yield TextField(
            warning,
            placeholder=self.t(N_("Content warning (optional), e.g. relapse")),
            id="warning",
            max_length=WARNING_MAX,
        )
        yield PlainText(
            self.t(N_("Your message:") if self.target.mode == "pm" else N_("Your post:")),
            classes="note",
            id="body-label",
        )
        yield PostEditor(body, id="body", soft_wrap=True, tab_behavior="focus")
        with VerticalScroll(id="preview"):
            yield PlainText("", id="preview-text", classes="body")
        yield from self.footer(
            N_(" Ctrl+S send  F2 preview  Tab next field  Esc leave (draft kept)  F1 help")
        )

    async def on_mount(self) -> None:
        # A new thread starts at its title, the first field on the screen; a reply (or a
        # thread whose title is already there) starts in the text.
        title_first = self.target.with_title and not self._initial[0]
        if title_first:
            self.query_one("#title", TextField).focus()
        else:
            self.query_one("#body", PostEditor).focus()
        if not any(self._initial):
            member = self.bbs.member
            assert member is not None
            draft = await self._boards.draft(member.id, self.target.context)
            if draft is not None:
                self._fill(draft.title, draft.body, draft.warning)
                self.say(N_("Your unsent draft is back, just as you left it."))
                if title_first and draft.title:
                    self.query_one("#body", PostEditor).focus()
        editor = self.query_one("#body", PostEditor)
        editor.move_cursor(editor.document.end)

    def _fill(self, title: str, body: str, warning: str) -> None:
        if self.target.with_title:
            self.query_one("#title", TextField).value = title[:TITLE_MAX]
        self.query_one("#warning", TextField).value = warning[:WARNING_MAX]
        self.query_one("#body", PostEditor).load_text(body)

    def _values(self) -> tuple[str, str, str]:
        title = self.query_one("#title", TextField).value if self.target.with_title else ""
        return (
            title,
            self.query_one("#body", PostEditor).text,
            self.query_one("#warning", TextField).value,
        )

    # -- drafts -----------------------------------------------------------------------
    @on(TextArea.Changed)
    @on(Input.Changed)
    def _changed(self) -> None:
        self._dirty = True
        # Kept current so that an unmount (its widgets already gone) can still save it.
        self._latest = self._values()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DRAFT_DELAY, self._save_draft, name="draft")

    @on(PostEditor.TooLong)
    def _too_long(self, event: PostEditor.TooLong) -> None:
        language = self.bbs.language
        self.say(
            self.t(
                N_(
                    "That paste is {size} characters; a post takes up to "
                    "{most}, so nothing was pasted. Your text is unchanged."
                )
            ).format(
                size=format_number(event.size, language), most=format_number(BODY_MAX, language)
            )
        )

    async def _save_draft(self) -> None:
        if not self._dirty or self._sent:
            return
        self._dirty = False
        title, body, warning = self._values()
        await self._store_draft(title, body, warning)

    async def _store_draft(self, title: str, body: str, warning: str) -> None:
        member = self.bbs.member
        if member is None:
            return
        service = self._boards
        try:
            if not (title.strip() or body.strip()):
                await service.discard_draft(member.id, self.target.context)
            else:
                await self._saving_draft(member.id, title, body, warning)
        except StoreBusyError:
            self._dirty = True

    def _saving_draft(
        self, member_id: int, title: str, body: str, warning: str
    ) -> Coroutine[Any, Any, None]:
        """Saving the draft as written (to await, or to finish after the screen is gone)."""
        return self._boards.save_draft(
            member_id,
            self.target.context,
            label=self.target.label,
            title=title,
            body=body,
            warning=warning,
        )

    def on_unmount(self) -> None:
        # A dropped connection unmounts us: keep whatever was typed since the last save.
        if not self._dirty or self._sent:
            return
        member = self.bbs.member
        if member is None:
            return
        title, body, warning = self._latest
        if not (title.strip() or body.strip()):
            return
        task = asyncio.get_running_loop().create_task(
            self._saving_draft(member.id, title, body, warning)
        )
        _PENDING.add(task)
        task.add_done_callback(_PENDING.discard)

    # -- actions ----------------------------------------------------------------------
    def action_preview(self) -> None:
        previewing = not self.has_class("previewing")
        self.set_class(previewing, "previewing")
        if previewing:
            title, body, warning = self._values()
            lines = []
            if title:
                lines.append(title)
            if warning:
                lines.append(self.t(N_("Content warning: {warning}")).format(warning=warning))
            lines.append(clean_text(body))
            self.query_one("#preview-text", PlainText).show("\n\n".join(lines))
            self.say(N_("Preview: this is how others will see it. F2 to keep writing."))
        else:
            self.query_one("#body", PostEditor).focus()
            self.say("")

    async def action_leave(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        title, body, warning = self._values()
        await self._store_draft(title, body, warning)
        self._dirty = False
        self.dismiss(None)

    async def action_send(self) -> None:
        if self._sending:
            return
        service = self._boards
        title, body, warning = self._values()
        self._sending = True
        self.say(N_("Sending..."))
        target = self.target
        try:
            if target.mode == "thread":
                outcome = await service.create_thread(
                    self.member_id, target.target_id, title=title, body=body, warning=warning
                )
            elif target.mode == "reply":
                outcome = await service.reply(
                    self.member_id, target.target_id, body=body, warning=warning
                )
            elif target.mode == "edit":
                outcome = await service.edit(
                    self.member_id,
                    target.target_id,
                    body=body,
                    warning=warning,
                    title=title if target.with_title else None,
                )
            else:
                mail = self._mail
                outcome = await mail.send_message(self.member_id, target.target_id, body)
        except PostError as error:
            self.say(error)
            # The English says so when the text was kept as a draft.
            if "draft" in str(error):
                await self._store_draft(title, body, warning)
            return
        except StoreFullError as error:  # a full disk: the editor keeps the text
            self.say(error)
            return
        except StoreBusyError:
            self.say(N_("The server is busy right now; nothing was lost. Try again in a moment."))
            return
        finally:
            self._sending = False
        self._sent = True
        if self._timer is not None:
            self._timer.stop()
        self.dismiss(outcome)


CLOSE_NOTE = N_("Enter to close")


class NoteScreen(ModalScreen[None]):
    """A private note to the author (held for review, or crisis lines), closed with Enter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape,space", "dismiss", "Close"),
    ]
    DEFAULT_CSS = default_css(__file__, "NoteScreen")

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical():
            with VerticalScroll():
                # Ours (the core's note, `said` or marked with N_): in the reader's language.
                yield PlainText(reflow(session_text(self, self.text)), id="note-text")
            yield PlainText(session_text(self, CLOSE_NOTE), classes="note")


class _QuestionScreen(ModalScreen[AnswerType]):
    """A question in a box: the question, what answers it (`answer_widgets`), and a
    note saying how to answer (`HOW`). Both are said in the reader's language: pass the
    question translated (with a member's words as its parameters), or as an `N_`
    constant, a `said` message."""

    HOW: ClassVar[str]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield PlainText(session_text(self, self.question))
            yield from self.answer_widgets()
            yield PlainText(session_text(self, self.HOW), classes="note")

    def answer_widgets(self) -> ComposeResult:
        yield from ()


class AskScreen(_QuestionScreen[str | None]):
    """One line of input (a reason for a report, a member's name); Esc cancels."""

    AUTO_FOCUS = "#answer"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss", "Cancel")]
    DEFAULT_CSS = default_css(__file__, "AskScreen")
    HOW = N_("Enter to send, Esc to cancel")

    def __init__(self, question: str, *, max_length: int = 200) -> None:
        super().__init__(question)
        self.max_length = max_length

    def answer_widgets(self) -> ComposeResult:
        yield TextField(id="answer", max_length=self.max_length)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)


class ConfirmScreen(_QuestionScreen[bool]):
    """A yes-or-no question; Y confirms, anything else cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]
    DEFAULT_CSS = default_css(__file__, "ConfirmScreen")
    HOW = N_("Y yes   N no")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


async def ask_then(
    screen: BBSScreen[Any],
    question: str,
    send: Callable[[str], Awaitable[T]],
    *refusals: type[Exception],
    optional: bool = False,
    max_length: int = 200,
) -> Got[T] | None:
    """Ask `question` (AskScreen), then `send` the answer through `screen.tried`.

    None when the member cancels (Esc, or Enter on nothing unless the answer is
    `optional`) or the sending is refused (the status line says why).
    """
    answer = await screen.app.push_screen_wait(AskScreen(question, max_length=max_length))
    if answer is None or not (answer or optional):
        return None
    return await screen.tried(send(answer), *refusals)


async def confirm_then(
    screen: BBSScreen[Any],
    question: str,
    act: Callable[[], Awaitable[T]],
    *refusals: type[Exception],
) -> Got[T] | None:
    """Ask `question` (ConfirmScreen), then, on yes, `act` through `screen.tried`.

    None when the member says no or the act is refused (the status line says why).
    """
    if not await screen.app.push_screen_wait(ConfirmScreen(question)):
        return None
    return await screen.tried(act(), *refusals)


async def write_message(
    screen: Screen[Any], member_id: int, name: str, *, boards: BoardService, mail: MailService
) -> None:
    """`write` a private message to `member_id`, called `name`."""
    label = session_text(screen, N_("Message to {name}")).format(name=name)
    target = ComposeTarget("pm", member_id, label)
    await write(screen, target, boards=boards, mail=mail)


async def tell_moderators(
    screen: BBSScreen[Any],
    question: str,
    send: Callable[[str], Awaitable[object]],
    thanks: str,
    *,
    optional: bool = False,
) -> None:
    """A report or a concern: ask `question` (`ask_then`), `send` the answer, and say
    `thanks` once it is sent."""
    sent = await ask_then(screen, question, send, PostError, StoreBusyError, optional=optional)
    if sent is not None:
        screen.say(thanks)


async def show_outcome(screen: Screen[Any], outcome: Outcome | None) -> None:
    """Tell the author privately what happened, when there is something to tell."""
    if outcome is not None and outcome.note:
        await screen.app.push_screen(NoteScreen(outcome.note))


async def write(
    screen: Screen[Any],
    target: ComposeTarget,
    *,
    boards: BoardService,
    mail: MailService,
    title: str = "",
    body: str = "",
    warning: str = "",
) -> Outcome | None:
    """Open the compose screen on `target` (starting from `title`, `body` and `warning`)
    and wait; then tell the author what happened (`show_outcome`). What was sent, if
    anything."""
    outcome = await screen.app.push_screen_wait(
        ComposeScreen(target, title=title, body=body, warning=warning, boards=boards, mail=mail)
    )
    await show_outcome(screen, outcome)
    return outcome
