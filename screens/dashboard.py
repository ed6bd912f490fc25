"""The dashboard: activity, queue health and trending themes as small charts for 80x24."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll

from bbs.admin.dashboard import DAYS, DashboardStats, sparkline
from bbs.errors import StoreBusyError
from bbs.moderation_queue.audit import AdminError
from screens.admin import ago
from screens.base import AdminPanel
from screens.widgets import KeyBar, PlainText

if TYPE_CHECKING:
    pass


def dashboard_text(d: DashboardStats) -> str:
    """The dashboard as plain lines, none wider than 78 columns."""
    oldest = f", oldest {ago(d.queue_oldest)}" if d.queue_oldest else ""
    lines = [
        f"Members {d.members}   active today {d.active_today}   this week {d.active_week}",
        f"Queue {d.queue_open} open{oldest}   7 days: flag rate {d.flag_rate:.1%}, "
        f"hold rate {d.hold_rate:.1%}",
        "",
        f"{'':<12}{d.days[0]:%m-%d}{'':>{DAYS - 10}}{d.days[-1]:%m-%d}  today  7 days",
    ]
    for label, series in (
        ("Posts", d.posts),
        ("Chat lines", d.chat_lines),
        ("Check-ins", d.check_ins),
        ("Flags", d.flags),
        ("Holds", d.holds),
    ):
        lines.append(f"{label:<12}{sparkline(series)}  {series[-1]:>5}  {sum(series[-7:]):>6}")
    lines.append("")
    if d.trending:
        lines.append("Trending this week (posts mentioning it):")
        row = ""
        for term, n in d.trending:
            piece = f"{term} ({n})   "
            if len(row) + len(piece) > 76:
                lines.append("  " + row.rstrip())
                row = ""
            row += piece
        lines.append("  " + row.rstrip())
    else:
        lines.append("Trending this week: nothing stands out yet.")
    themes = ""
    for theme, n in d.themes:
        piece = f"{theme} ({n})"
        if len(themes) + len(piece) + 3 > 76 - 28:
            break
        themes += ("   " if themes else "") + piece
    lines.append(
        f"Themes this week (threads): {themes}"
        if themes
        else "Themes this week: none stand out yet."
    )
    return "\n".join(lines)


class DashboardScreen(AdminPanel):
    """Numbers for the last two weeks, read fresh with R."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "reload", "Reload"),
    ]
    STATUS_ID = "dashboard"

    def compose(self) -> ComposeResult:
        yield PlainText("Dashboard (last 14 days, UTC)", classes="title")
        with VerticalScroll(id="dashboard-scroll"):
            yield PlainText("Counting...", id="dashboard", classes="body")
        yield KeyBar(" R reload   Esc back")

    async def on_mount(self) -> None:
        await self.action_reload()

    async def action_reload(self) -> None:
        stats = await self.tried(self._admin.dashboard(self.member_id), AdminError, StoreBusyError)
        if stats is not None:
            self.say(dashboard_text(stats.value))
