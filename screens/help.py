"""The help screen: crisis lines and support resources, one key from anywhere."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll

from screens.base import BBSScreen
from screens.widgets import KeyBar, PlainText


class HelpScreen(BBSScreen[None]):
    """Shows the sysop's help file, read fresh each time, in calm plain text."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back"),
        Binding("q", "close", "Back", show=False),
        Binding("f1", "close", "Back", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield PlainText("Help and crisis lines", classes="title")
        with VerticalScroll(id="help-scroll"):
            yield PlainText("Loading...", id="help-text", classes="body")
        yield KeyBar(" Esc back   Up/Down/PgUp/PgDn scroll")

    async def on_mount(self) -> None:
        text = await self.bbs.community.help_text()
        self.query_one("#help-text", PlainText).show(text)
        self.query_one("#help-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)
