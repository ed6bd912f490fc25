"""Private messages: conversations, one conversation, who may write to you, block and mute."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from bbs.accounts.blocks import BlockKind
from bbs.boards.records import PostError, PostStatus
from bbs.errors import StoreBusyError
from bbs.i18n import N_, format_number
from bbs.mail.records import WHO_LABELS, ConversationView, MessagePage, MessageView, WhoMayWrite
from bbs.moderation_queue.flags import CONCERN_THANKS
from bbs.text_safety import clean_text, truncate_display
from screens.base import ForumPanel, ReloadingPanel
from screens.boards import _when
from screens.compose import (
    REPORT_THANKS,
    AskScreen,
    ConfirmScreen,
    tell_moderators,
    write_message,
)
from screens.tcss import default_css
from screens.widgets import BUSY, PlainText, session_text
from screens.widgets import styled_line as _line

if TYPE_CHECKING:
    from bbs.boards.service import BoardService
    from bbs.mail.service import MailService


_WHO_ORDER = [WhoMayWrite.EVERYONE, WhoMayWrite.TALKED, WhoMayWrite.NOBODY]
BLOCKED = N_(" (blocked)")
MUTED = N_(" (muted)")


class MessagesScreen(ForumPanel, ReloadingPanel):
    """Your conversations, newest first; N writes to someone new."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New message"),
        Binding("w", "who", "Who may write"),
    ]
    DEFAULT_CSS = default_css(__file__, "MessagesScreen")
    FOCUS_ID = "conversations"

    def compose(self) -> ComposeResult:
        yield PlainText(self.t(N_("Private messages")), classes="title")
        yield PlainText("", id="who", classes="note")
        yield OptionList(id="conversations")
        yield from self.footer(
            N_(" Enter open  N new message  W who may write to me  Esc back  F1 help")
        )

    async def reload(self) -> None:
        service = self._mail
        try:
            conversations = await service.conversations(self.member_id)
            who = await service.who_may_write(self.member_id)
        except StoreBusyError:
            self.say(BUSY)
            return
        self.query_one("#who", PlainText).show(
            self.t(N_("Who may start a conversation with you: {who} (W to change)")).format(
                who=self.t(WHO_LABELS[who])
            )
        )
        options = []
        for c in conversations:
            state = self.t(BLOCKED) if c.blocked else self.t(MUTED) if c.muted else ""
            unread = (
                "  "
                + self.bbs.ngettext("{count} new", "{count} new", c.unread).format(
                    count=format_number(c.unread, self.bbs.language)
                )
                if c.unread
                else ""
            )
            prompt = _line(
                (truncate_display(c.partner, 24).ljust(26), "bold" if c.unread else ""),
                _when(self, c.last_at),
                (unread, "bold"),
                state,
            )
            options.append(Option(prompt, id=str(c.id)))
        # None: said in the list, not the status line: the status keeps what the member
        # was told (a refusal, "sent") across this reload.
        self.show_options(
            "conversations",
            options,
            empty=N_("No conversations yet. Press N to write to someone."),
        )

    @on(OptionList.OptionSelected, "#conversations")
    def _open(self, event: OptionList.OptionSelected) -> None:
        self.open_chosen(
            event, lambda n: ConversationScreen(n, mail=self._mail, boards=self._boards)
        )

    @work(exclusive=True, group="dialog")
    async def action_new(self) -> None:
        name = await self.app.push_screen_wait(
            AskScreen(self.t(N_("Write to whom? (their pseudonym)")), max_length=64)
        )
        if not name:
            return
        service = self._mail
        try:
            partner_id, partner = await service.find_member_id(name)
            await service.check_may_write(self.member_id, partner_id)
        except (PostError, StoreBusyError) as error:
            self.say(error)
            return
        await write_message(self, partner_id, partner, boards=self._boards, mail=self._mail)

    async def action_who(self) -> None:
        service = self._mail
        current = await service.who_may_write(self.member_id)
        chosen = _WHO_ORDER[(_WHO_ORDER.index(current) + 1) % len(_WHO_ORDER)]
        await service.set_who_may_write(self.member_id, chosen)
        self.say(
            self.t(N_("Now: {who} may start a conversation with you.")).format(
                who=self.t(WHO_LABELS[chosen])
            )
        )
        await self.reload()


class MessageWidget(Static, can_focus=True):
    """One private message."""

    DEFAULT_CSS = default_css(__file__, "MessageWidget")

    def __init__(self, message: MessageView) -> None:
        super().__init__(markup=False)
        self.message = message
        parts = [_line((message.sender, "bold"), "  ", _when(self, message.created_at))]
        held = {
            PostStatus.HELD: N_("(Held for review: not delivered yet.)"),
            PostStatus.HIDDEN: N_("(Hidden by the moderators: not delivered.)"),
        }.get(message.status)
        if held:
            parts.append(Content(session_text(self, held)).stylize("italic"))
        parts.append(Content(clean_text(message.body)))
        self.update(Content("\n").join(parts))


class ConversationScreen(ForumPanel):
    """One conversation, newest page first; R replies, B blocks, M mutes, ! reports."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "reply", "Reply"),
        Binding("b", "block", "Block"),
        Binding("m", "mute", "Mute"),
        Binding("exclamation_mark", "report", "Report"),
        Binding("w", "worried", "Worried about them"),
        Binding("p,pageup", "older", "Older", show=False),
        Binding("up,k", "move(-1)", "Previous", show=False),
        Binding("down,j", "move(1)", "Next", show=False),
    ]
    DEFAULT_CSS = default_css(__file__, "ConversationScreen")

    def __init__(self, conversation_id: int, *, mail: MailService, boards: BoardService) -> None:
        super().__init__(boards=boards, mail=mail)
        self.conversation_id = conversation_id
        self.page: MessagePage | None = None

    def compose(self) -> ComposeResult:
        yield PlainText("", classes="title", id="partner")
        yield VerticalScroll(id="messages")
        yield from self.footer(
            N_(
                " R reply  P older  W worried about them  ! report  B block  M mute\n"
                " Esc back  F1 help"
            )
        )

    async def on_mount(self) -> None:
        await self.load()

    async def load(self, before_id: int | None = None) -> None:
        try:
            page = await self._mail.messages(
                self.member_id, self.conversation_id, before_id=before_id
            )
        except (PostError, StoreBusyError) as error:
            self.say(error)
            return
        self.page = page
        c = page.conversation
        state = self.t(BLOCKED) if c.blocked else self.t(MUTED) if c.muted else ""
        self.query_one("#partner", PlainText).show(
            self.t(N_("Conversation with {name}")).format(name=c.partner) + state
        )
        box = self.query_one("#messages", VerticalScroll)
        await box.remove_children()
        widgets = [MessageWidget(m) for m in page.messages]
        await box.mount_all(widgets)
        if widgets:
            widgets[-1].focus()
            box.scroll_end(animate=False)
        self.say(N_("P older messages") if page.has_before else "")

    def action_move(self, step: int) -> None:
        widgets = list(self.query(MessageWidget))
        if not widgets:
            return
        current = self.focused
        index = widgets.index(current) if current in widgets else len(widgets) - 1
        index = max(0, min(len(widgets) - 1, index + step))
        widgets[index].focus()
        self.query_one("#messages", VerticalScroll).scroll_to_widget(widgets[index], animate=False)

    async def action_older(self) -> None:
        if self.page and self.page.has_before and self.page.messages:
            await self.load(before_id=self.page.messages[0].id)

    def _conversation(self) -> ConversationView | None:
        """The conversation shown, once it has loaded."""
        return self.page.conversation if self.page is not None else None

    @work(exclusive=True, group="dialog")
    async def action_reply(self) -> None:
        if (c := self._conversation()) is None:
            return
        may_write = self._mail.check_may_write(self.member_id, c.partner_id)
        if await self.tried(may_write, PostError, StoreBusyError) is None:
            return
        await write_message(self, c.partner_id, c.partner, boards=self._boards, mail=self._mail)
        await self.load()

    async def _toggle(self, kind: BlockKind) -> None:
        if (c := self._conversation()) is None:
            return
        service = self._mail
        blocked, muted = await service.is_blocked(self.member_id, c.partner_id)
        on_now = blocked if kind is BlockKind.BLOCK else muted
        if (
            kind is BlockKind.BLOCK
            and not on_now
            and not await self.app.push_screen_wait(
                ConfirmScreen(
                    self.t(
                        N_(
                            "Block {partner}? They cannot message, mention or react to "
                            "you, and their posts fold up for you. They are not told."
                        )
                    ).format(partner=c.partner)
                )
            )
        ):
            return
        await service.set_block(self.member_id, c.partner_id, kind, not on_now)
        if kind is BlockKind.BLOCK:
            said = N_("No longer blocked.") if on_now else N_("Blocked {partner}.")
        else:
            said = N_("No longer muted.") if on_now else N_("Muted {partner}.")
        self.say(self.t(said).format(partner=c.partner))
        await self.load()

    @work(exclusive=True, group="dialog")
    async def action_block(self) -> None:
        await self._toggle(BlockKind.BLOCK)

    @work(exclusive=True, group="dialog")
    async def action_mute(self) -> None:
        await self._toggle(BlockKind.MUTE)

    @work(exclusive=True, group="dialog")
    async def action_report(self) -> None:
        focused = self.focused
        if not isinstance(focused, MessageWidget):
            return
        await tell_moderators(
            self,
            self.t(N_("What is wrong with this message? A moderator will look at it.")),
            lambda reason: self._mail.report_message(self.member_id, focused.message.id, reason),
            REPORT_THANKS,
        )

    @work(exclusive=True, group="dialog")
    async def action_worried(self) -> None:
        """Worried about the person writing: a crisis alert for moderators, never a report."""
        if self.page is None:
            return
        c = self.page.conversation
        theirs = [m for m in self.page.messages if m.sender == c.partner]
        focused = self.focused
        if isinstance(focused, MessageWidget) and focused.message.sender == c.partner:
            chosen = focused.message
        elif theirs:
            chosen = theirs[-1]
        else:
            self.say(self.t(N_("{name} has not written here yet.")).format(name=c.partner))
            return
        await tell_moderators(
            self,
            self.t(
                N_(
                    "Worried about {name}? Moderators get a priority alert and check in with "
                    "them; they are not told who asked. What worries you (optional, Enter sends)?"
                )
            ).format(name=c.partner),
            lambda note: self._mail.raise_concern_about_message(self.member_id, chosen.id, note),
            CONCERN_THANKS,
            optional=True,
        )
