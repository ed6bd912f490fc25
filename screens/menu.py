"""The main menu, BBS style: one key per section that exists."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from screens.base import BBSScreen
from screens.widgets import KeyBar, PlainText

# Sections in menu order: key, action, label. Later sections add themselves here.
SECTIONS: list[tuple[str, str, str]] = [
    ("p", "profile", "Profile and settings"),
    ("h", "help", "Help and crisis lines"),
    ("q", "goodbye", "Goodbye"),
]


class MainMenuScreen(BBSScreen[None]):
    """First screen after login; every section one key away."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(key, action, label, show=False) for key, action, label in SECTIONS
    ]

    DEFAULT_CSS = """
    MainMenuScreen OptionList { border: none; height: auto; max-height: 12; margin: 1 1 0 1; }
    MainMenuScreen OptionList:focus { border: none; }
    MainMenuScreen OptionList > .option-list--option-highlighted { text-style: reverse; }
    """

    def compose(self) -> ComposeResult:
        member = self.bbs.member
        name = member.pseudonym if member else ""
        community = self.bbs.community.settings.community_name
        yield PlainText(f"{community}: welcome, {name}", classes="title", id="greeting")
        yield PlainText(self._last_visit_line(), classes="note", id="last-visit")
        yield OptionList(
            *(Option(f"{key.upper()}  {label}", id=action) for key, action, label in SECTIONS),
            id="menu",
        )
        yield KeyBar(" " + "  ".join(f"{k.upper()} {label.split()[0]}" for k, _a, label in SECTIONS)
                     + "  F1 help")

    def _last_visit_line(self) -> str:
        member = self.bbs.member
        if member is None or member.last_login_at is None:
            return "Good to have you here."
        return "Last visit: " + member.last_login_at.strftime("%Y-%m-%d %H:%M UTC")

    @on(OptionList.OptionSelected, "#menu")
    async def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            await self.run_action(event.option.id)

    def action_profile(self) -> None:
        from screens.profile import ProfileScreen

        self.app.push_screen(ProfileScreen())

    def action_help(self) -> None:
        self.bbs.action_help()

    def action_goodbye(self) -> None:
        self.bbs.action_goodbye()
