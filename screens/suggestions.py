"""For you: personal suggestions with their reasons, peers with shared themes, and the opt-in."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Button, Checkbox, OptionList
from textual.widgets.option_list import Option

from bbs.boards.records import PostError
from bbs.errors import StoreBusyError
from bbs.goals.streaks import GoalError
from bbs.i18n import N_
from bbs.suggestions.records import ForYou, PeerMatch, Suggestion, SuggestionError
from bbs.text_safety import truncate_display
from screens.base import SAVE_KEY, ForumPanel, PanelScreen
from screens.tcss import default_css
from screens.widgets import BUSY, PlainText, Tick, styled_line

KIND_LABELS = {"board": N_("Board"), "thread": N_("Thread"), "resource": N_("Resource")}
OFF_TEXT = N_(
    "Suggestions are off. Press O to read what they use and to turn them on; "
    "until then nothing is read for them."
)

if TYPE_CHECKING:
    from bbs.boards.service import BoardService
    from bbs.mail.service import MailService
    from bbs.resources.service import ResourceService
    from bbs.suggestions.service import SuggestionService


def suggestion_prompt(s: Suggestion, t: Callable[[object], str] = str) -> Content:
    """Two lines: kind and title, then the reason (and the board of a thread); `t` says
    our words (the kind, the reason) in the reader's language, never the title."""
    why = t(s.why)
    if s.where:
        why = t(N_("{why} on {board}")).format(why=why, board=truncate_display(s.where, 20))
    kind = truncate_display(t(KIND_LABELS.get(s.kind, s.kind)), 9)
    first = styled_line((f"{kind:<10}", "bold"), truncate_display(s.title, 60))
    second = styled_line(" " * 10, (why, "italic"))
    return Content("\n").join([first, second])


def peer_prompt(p: PeerMatch, t: Callable[[object], str] = str) -> Content:
    shared = t(N_("shares: {themes}")).format(themes=", ".join(t(theme) for theme in p.shared))
    return styled_line((f"{truncate_display(p.pseudonym, 24):<26}", "bold"), shared)


class ForYouScreen(ForumPanel):
    """Suggestions (Enter opens, D dismisses) and peers (I invite, M message); Tab between."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "dismiss_item", "Dismiss"),
        Binding("i", "invite", "Invite"),
        Binding("m", "message", "Message"),
        Binding("o", "settings", "Settings"),
        Binding("r", "reload", "Reload", show=False),
    ]
    DEFAULT_CSS = default_css(__file__, "ForYouScreen")

    def __init__(
        self,
        *,
        suggestions: SuggestionService,
        resources: ResourceService,
        boards: BoardService,
        mail: MailService,
    ) -> None:
        super().__init__(boards=boards, mail=mail)
        self._suggestions = suggestions
        self._resources = resources
        self.shown: ForYou | None = None

    def compose(self) -> ComposeResult:
        yield PlainText(self.t(N_("For you")), classes="title")
        yield PlainText(self.t(N_("Working it out...")), id="message", classes="note")
        yield OptionList(id="suggestions")
        yield PlainText(
            self.t(N_("People working on similar things")), id="peers-heading", classes="heading"
        )
        yield OptionList(id="peers")
        yield from self.footer(
            N_(" Enter open  D dismiss  Tab peers  I invite  M message  O settings  Esc back")
        )

    async def on_mount(self) -> None:
        self.query_one("#suggestions", OptionList).focus()
        self.reload()

    async def on_screen_resume(self) -> None:
        if self.shown is not None:
            self.reload()

    def action_reload(self) -> None:
        self.reload()

    @work(exclusive=True, group="for-you")
    async def reload(self) -> None:
        if (got := await self.tried(self._suggestions.for_you(self.member_id))) is None:
            return
        shown = got.value
        self.show(shown)

    def show(self, shown: ForYou) -> None:
        self.shown = shown
        message = self.t(shown.message if shown.enabled else OFF_TEXT)
        if shown.enabled and shown.themes and not shown.message:
            themes = ", ".join(self.t(theme) for theme in shown.themes[:5])
            message = self.t(N_("Your themes: {themes}")).format(themes=themes)
        self.query_one("#message", PlainText).show(message)
        self.show_options(
            "suggestions",
            [
                Option(suggestion_prompt(s, self.t), id=f"{s.kind}:{s.item_id}")
                for s in shown.suggestions
            ],
            keep=True,
        )
        self.show_options(
            "peers",
            [Option(peer_prompt(p, self.t), id=str(p.member_id)) for p in shown.peers],
            keep=True,
        )
        heading = self.query_one("#peers-heading", PlainText)
        if not shown.peers_enabled:
            heading.show(self.t(N_("Peer matching is off (O to change).")))
        elif not shown.peers:
            heading.show(self.t(N_("People working on similar things: nobody yet.")))
        else:
            heading.show(self.t(N_("People working on similar things (I invite, M message)")))
        self.query_one("#peers", OptionList).display = bool(shown.peers)

    def _current(self) -> Suggestion | None:
        options = self.query_one("#suggestions", OptionList)
        if self.shown is None or options.highlighted is None:
            return None
        index = options.highlighted
        return self.shown.suggestions[index] if index < len(self.shown.suggestions) else None

    def _current_peer(self) -> PeerMatch | None:
        peers = self.query_one("#peers", OptionList)
        if self.shown is None or peers.highlighted is None or not self.shown.peers:
            return None
        return self.shown.peers[min(peers.highlighted, len(self.shown.peers) - 1)]

    def _chosen_peer(self) -> PeerMatch | None:
        """The highlighted peer; None, with a hint on the status line, when there is none."""
        peer = self._current_peer()
        if peer is None:
            self.say(N_("Choose someone in the peers list first (Tab)."))
        return peer

    @on(OptionList.OptionSelected, "#suggestions")
    async def _open(self, event: OptionList.OptionSelected) -> None:
        if self.shown is None or event.option_index >= len(self.shown.suggestions):
            return
        await self.open(self.shown.suggestions[event.option_index])

    async def open(self, s: Suggestion) -> None:
        if s.kind == "board":
            from screens.boards import ThreadListScreen

            self.app.push_screen(ThreadListScreen(s.item_id, boards=self._boards, mail=self._mail))
        elif s.kind == "thread":
            from screens.boards import ThreadScreen

            self.app.push_screen(ThreadScreen(s.item_id, boards=self._boards, mail=self._mail))
        elif s.kind == "resource":
            from screens.resources import ResourceReadScreen

            member = self.bbs.member
            library = self._resources
            try:
                # The same entry in the member's language where the library has it.
                view = await library.get(s.item_id, self.bbs.language)
                favourite = (
                    member is not None
                    and view is not None
                    and view.id in await library.favourite_ids(member.id, self.bbs.language)
                )
            except StoreBusyError:
                self.say(BUSY)
                return
            if view is None:
                self.say(N_("That resource is no longer in the library."))
                return
            self.app.push_screen(ResourceReadScreen(view, favourite, resources=self._resources))

    async def action_dismiss_item(self) -> None:
        member = self.bbs.member
        peer = self._current_peer()
        if member is not None and peer is not None and self.query_one("#peers").has_focus:
            try:
                await self._suggestions.dismiss(member.id, "peer", peer.member_id)
            except (SuggestionError, StoreBusyError) as error:
                self.say(error if isinstance(error, SuggestionError) else BUSY)
                return
            self.say(
                self.t(N_("{name} will not be suggested to you again.")).format(name=peer.pseudonym)
            )
            self.reload()
            return
        s = self._current()
        if member is None or s is None:
            return
        dismissed = self._suggestions.dismiss(member.id, s.kind, s.item_id, s.theme)
        if await self.tried(dismissed, SuggestionError) is None:
            return
        self.say(
            self.t(
                N_("Dismissed: it will not come back, and {theme} will weigh a little less.")
                if s.theme
                else N_("Dismissed: it will not come back, and its theme will weigh a little less.")
            ).format(theme=self.t(s.theme) if s.theme else "")
        )
        self.reload()

    async def action_invite(self) -> None:
        if (peer := self._chosen_peer()) is None:
            return
        invited = self._suggestions.invite_peer(self.member_id, peer.member_id)
        if await self.tried(invited, SuggestionError, GoalError, StoreBusyError) is None:
            return
        self.say(
            self.t(
                N_("Invitation sent to {name}. They can accept it in their partner list.")
            ).format(name=peer.pseudonym)
        )

    @work(exclusive=True, group="dialog")
    async def action_message(self) -> None:
        if (peer := self._chosen_peer()) is None:
            return
        to_write = self._suggestions.peer_to_write(self.member_id, peer.member_id)
        if (name := await self.tried(to_write, SuggestionError, PostError, StoreBusyError)) is None:
            return
        from screens.compose import write_message

        await write_message(self, peer.member_id, name.value, boards=self._boards, mail=self._mail)

    def action_settings(self) -> None:
        self.app.push_screen(SuggestionSettingsScreen(suggestions=self._suggestions))


class SuggestionSettingsScreen(PanelScreen):
    """The plain statement of what suggestions use, and the two yes-or-no choices."""

    BINDINGS: ClassVar[list[BindingType]] = [SAVE_KEY]
    DEFAULT_CSS = default_css(__file__, "SuggestionSettingsScreen")

    def __init__(self, *, suggestions: SuggestionService) -> None:
        super().__init__()
        self._suggestions = suggestions

    def compose(self) -> ComposeResult:
        yield PlainText(self.t(N_("Suggestions and peer matching")), classes="title")
        with VerticalScroll(id="statement"):
            yield PlainText(self.t(self._suggestions.opt_in_text()), id="opt-in-text")
        yield Tick(self.t(N_("Suggestions for me")), value=False, id="suggestions-on")
        yield Tick(self.t(N_("Peer matching (needs suggestions on)")), value=False, id="peers-on")
        yield Button(Content(self.t(N_("Save"))), id="save", compact=True)
        yield from self.footer(N_(" Space tick  Tab move  Enter/Ctrl+S save  Esc back  F1 help"))

    async def on_mount(self) -> None:
        self.query_one("#suggestions-on", Checkbox).focus()
        if (got := await self.tried(self._suggestions.settings(self.member_id))) is None:
            return
        current = got.value
        self.query_one("#suggestions-on", Checkbox).value = current.suggestions
        self.query_one("#peers-on", Checkbox).value = current.peers
        self._was_on = current.suggestions

    _was_on = False

    @on(Button.Pressed, "#save")
    def _pressed(self) -> None:
        self.action_save()

    @work(exclusive=True, group="save")
    async def action_save(self) -> None:
        wanted = self.query_one("#suggestions-on", Checkbox).value
        peers = self.query_one("#peers-on", Checkbox).value
        if self._was_on and not wanted:
            from screens.compose import ConfirmScreen

            if not await self.app.push_screen_wait(
                ConfirmScreen(
                    self.t(
                        N_("Turn suggestions off? Everything they learned about you is deleted.")
                    )
                )
            ):
                return
        try:
            saved = await self._suggestions.set_settings(
                self.member_id, suggestions_on=wanted, peers=peers
            )
        except (SuggestionError, StoreBusyError) as error:
            self.say(error if isinstance(error, SuggestionError) else BUSY)
            return
        self._was_on = saved.suggestions
        self.query_one("#peers-on", Checkbox).value = saved.peers
        if not saved.suggestions:
            self.say(
                N_("Saved. Suggestions are off; what they had learned is deleted.")
                if not wanted
                else N_("Saved. Suggestions are off.")
            )
        else:
            self.say(
                N_("Saved. Suggestions are on and peer matching is on.")
                if saved.peers
                else N_("Saved. Suggestions are on; peer matching is off.")
            )
