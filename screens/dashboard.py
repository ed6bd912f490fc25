"""The dashboard: activity, queue health and trending themes as small charts for 80x24."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll

from bbs.admin.dashboard import DAYS, DashboardStats, sparkline
from bbs.errors import StoreBusyError
from bbs.i18n import DEFAULT_LANGUAGE, N_, format_number, localise, normalise_language
from bbs.moderation_queue.audit import AdminError
from screens.admin import ago
from screens.base import AdminPanel
from screens.widgets import KeyBar, PlainText

if TYPE_CHECKING:
    pass


def _percent(value: float, lang: str) -> str:
    from babel.numbers import format_percent

    return str(format_percent(value, "#,##0.0%", locale=normalise_language(lang)))


def dashboard_text(d: DashboardStats, lang: str = DEFAULT_LANGUAGE) -> str:
    """The dashboard as plain lines, none wider than 78 columns, in the reader's language."""

    def t(message: object) -> str:
        return localise(message, lang)

    def number(value: int) -> str:
        return format_number(value, lang)

    lines = [
        t(N_("Members {members}   active today {today}   this week {week}")).format(
            members=number(d.members), today=number(d.active_today), week=number(d.active_week)
        ),
        (
            t(N_("Queue {open} open, oldest {age}   7 days: flag rate {flags}, hold rate {holds}"))
            if d.queue_oldest
            else t(N_("Queue {open} open   7 days: flag rate {flags}, hold rate {holds}"))
        ).format(
            open=number(d.queue_open),
            age=ago(d.queue_oldest, say=t) if d.queue_oldest else "",
            flags=_percent(d.flag_rate, lang),
            holds=_percent(d.hold_rate, lang),
        ),
        "",
    ]
    # The chart's columns: the label, 14 days of bars, today's count, the week's.
    labels = [
        (t(N_("Posts")), d.posts),
        (t(N_("Chat lines")), d.chat_lines),
        (t(N_("Check-ins")), d.check_ins),
        (t(N_("Flags")), d.flags),
        (t(N_("Holds")), d.holds),
    ]
    width = max(12, *(len(label) + 1 for label, _series in labels))
    today, week = t(N_("today")), t(N_("7 days"))
    lines.append(
        f"{'':<{width}}{d.days[0]:%m-%d}{'':>{DAYS - 10}}{d.days[-1]:%m-%d}  {today}  {week}"
    )
    for label, series in labels:
        lines.append(
            f"{label:<{width}}{sparkline(series)}  {series[-1]:>{max(5, len(today))}}  "
            f"{sum(series[-7:]):>{max(6, len(week))}}"
        )
    lines.append("")
    if d.trending:
        lines.append(t(N_("Trending this week (posts mentioning it):")))
        row = ""
        for term, n in d.trending:
            piece = f"{term} ({n})   "
            if len(row) + len(piece) > 76:
                lines.append("  " + row.rstrip())
                row = ""
            row += piece
        lines.append("  " + row.rstrip())
    else:
        lines.append(t(N_("Trending this week: nothing stands out yet.")))
    themes = ""
    for theme, n in d.themes:
        piece = f"{theme} ({n})"
        if len(themes) + len(piece) + 3 > 76 - 28:
            break
        themes += ("   " if themes else "") + piece
    lines.append(
        t(N_("Themes this week (threads): {themes}")).format(themes=themes)
        if themes
        else t(N_("Themes this week: none stand out yet."))
    )
    return "\n".join(lines)


class DashboardScreen(AdminPanel):
    """Numbers for the last two weeks, read fresh with R."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "reload", "Reload"),
    ]
    STATUS_ID = "dashboard"

    def compose(self) -> ComposeResult:
        yield PlainText(self.t(N_("Dashboard (last 14 days, UTC)")), classes="title")
        with VerticalScroll(id="dashboard-scroll"):
            yield PlainText(self.t(N_("Counting...")), id="dashboard", classes="body")
        yield KeyBar(N_(" R reload   Esc back"))

    async def on_mount(self) -> None:
        await self.action_reload()

    async def action_reload(self) -> None:
        stats = await self.tried(self._admin.dashboard(self.member_id), AdminError, StoreBusyError)
        if stats is not None:
            self.say(dashboard_text(stats.value, self.bbs.language))
