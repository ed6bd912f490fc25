"""The help screen: crisis lines and support resources, one key from anywhere."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll

from bbs.errors import StoreBusyError
from bbs.i18n import N_
from bbs.reflow import reflow
from screens.base import BBSScreen
from screens.widgets import KeyBar, PlainText

if TYPE_CHECKING:
    from bbs.admin.service import AdminService
    from bbs.resources.service import ResourceService
    from bbs.texts.service import Texts


class HelpScreen(BBSScreen[None]):
    """Shows the sysop's help file, read fresh each time, in calm plain text."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Back"),
        Binding("q", "dismiss", "Back", show=False),
        Binding("f1", "dismiss", "Back", show=False),
        Binding("l", "moderation_log", "Moderation log", show=False),
        Binding("r", "resources", "Resource library", show=False),
    ]

    def __init__(self, *, texts: Texts, admin: AdminService, resources: ResourceService) -> None:
        super().__init__()
        self._texts = texts
        self._admin = admin
        self._resources = resources

    def compose(self) -> ComposeResult:
        yield PlainText(self.t(N_("Help and crisis lines")), classes="title")
        yield PlainText(
            self.t(N_("R  Resource library: grounding, breathing, sleep and other self-help")),
            classes="note",
            id="help-resources",
        )
        with VerticalScroll(id="help-scroll"):
            yield PlainText(self.t(N_("Loading...")), id="help-text", classes="body")
        yield KeyBar(
            N_(" Esc back   Up/Down/PgUp/PgDn scroll   R resource library   L moderation log")
        )

    async def on_mount(self) -> None:
        # In the member's language (a visitor's: the one chosen at sign-up), with the crisis
        # lines of the country they gave on the Profile screen where a sysop wrote them.
        member = self.bbs.member
        text = await self._texts.help_text(self.bbs.language, member.country if member else "")
        # The sysop's on-call note (admin screen): who is around to help right now.
        try:
            on_call = await self._admin.on_call_note()
        except StoreBusyError:
            on_call = ""  # the help text itself must always show
        if on_call.strip():
            text = self.t(N_("On call now: {note}")).format(note=on_call.strip()) + f"\n\n{text}"
        # Written wrapped; shown as paragraphs the screen wraps at its own width.
        self.query_one("#help-text", PlainText).show(reflow(text))
        self.query_one("#help-scroll").focus()

    def action_moderation_log(self) -> None:
        from screens.moderation_notices import PublicLogScreen

        self.app.push_screen(PublicLogScreen(admin=self._admin))

    def action_resources(self) -> None:
        from screens.resources import ResourceLibraryScreen

        self.app.push_screen(ResourceLibraryScreen(resources=self._resources))
