"""Goals: the goal list, goal form, check-in, charts, partners, cheers and goal settings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Checkbox, Input, OptionList, Static
from textual.widgets.option_list import Option

from bbs.boards.records import PostError
from bbs.errors import StoreBusyError
from bbs.events import Event
from bbs.goals.companion import badge_words
from bbs.goals.records import (
    CATEGORIES,
    NOTE_MAX,
    TITLE_MAX,
    GoalDetail,
    GoalSummary,
    GoalView,
    PartnershipView,
    Visibility,
)
from bbs.goals.service import CheckInOutcome, CheerEvent, Greeting
from bbs.goals.streaks import CheckInStatus, DayMark, GoalError, Progress
from bbs.reflow import reflow
from bbs.text_safety import clean_line, truncate_display
from screens.base import SAVE_KEY, BBSScreen, LoadingPanel, PanelScreen, ReloadingPanel
from screens.compose import AskScreen, ConfirmScreen, NoteScreen, ask_then
from screens.live import Live
from screens.tcss import default_css
from screens.widgets import BUSY, ChoiceField, KeyBar, PlainText, TextField, Tick
from screens.widgets import styled_line as _line

if TYPE_CHECKING:
    from bbs.goals.service import GoalService


# Chart glyphs: shape and letter carry the meaning; colour only repeats it.
GLYPHS: dict[CheckInStatus | None, tuple[str, str]] = {
    CheckInStatus.DONE: ("■", "bold green"),
    CheckInStatus.PARTIAL: ("□", "yellow"),
    CheckInStatus.MISSED: ("x", "red"),
    None: ("·", "dim"),
}
REST_GLYPH = ("z", "blue")
LEGEND = "■ done  □ partial  x missed  z rest  · none"
MOOD_BARS = " ▁▃▅▇█"
SEEN_BY = {
    "private": "private",
    "partners": "shared with partners",
    "community": "shared with partners and the community",
}
MOOD_WORDS = {1: "very low", 2: "low", 3: "okay", 4: "good", 5: "very good"}

# Bound on the home screen: the one-key check-in.
CHECK_IN_BINDINGS: list[BindingType] = [Binding("c", "check_in", "Check in", show=False)]


def _plural(n: int, unit: str) -> str:
    return f"{n} {unit}{'' if n == 1 else 's'}"


def streak_text(p: Progress) -> str:
    """'streak 3 days, best 5' in words, for lists and screen readers alike."""
    if p.current_streak == 0 and p.best_streak == 0:
        return "no streak yet"
    return f"streak {_plural(p.current_streak, p.unit)}, best {p.best_streak}"


def period_text(p: Progress) -> str:
    if p.resting_today:
        return "resting"
    if p.required > 1:
        return f"{p.this_period}/{p.required} this week"
    if p.period_met:
        return "done " + ("this week" if p.unit == "week" else "today")
    return "due" if p.due_today else ""


def goal_line(summary: GoalSummary) -> Content:
    """One goal in a list, within 74 cells: title, cadence, streak and what is due."""
    g, p = summary.goal, summary.progress
    mark = "■" if p.period_met else ("z" if p.resting_today else "·")
    title = truncate_display(clean_line(g.title), 29).ljust(30)
    streak = (
        f"{_plural(p.current_streak, p.unit)}, best {p.best_streak}"
        if p.best_streak
        else "no streak yet"
    )
    due = period_text(p)
    return _line(
        (mark + " ", "bold"),
        (title, "bold" if p.due_today else ""),
        f"{g.cadence.describe():<11}{streak:<19}",
        (due, "bold" if p.due_today else ""),
    )


def chart(marks: Sequence[DayMark]) -> Content:
    """The last days as glyphs, weekday initials under them, then mood as bars and digits."""
    glyphs: list[Content] = []
    for m in marks:
        glyph, style = REST_GLYPH if m.resting and m.status is None else GLYPHS[m.status]
        glyphs.append(Content(glyph + " ").stylize(style))
    days = " ".join("MTWTFSS"[m.day.weekday()] for m in marks)
    bars = " ".join(MOOD_BARS[m.mood] if m.mood else "·" for m in marks)
    digits = " ".join(str(m.mood) if m.mood else " " for m in marks)
    first, last = marks[0].day, marks[-1].day
    lines = [
        Content(f"Last {len(marks)} days, {first:%d %b} to {last:%d %b}  ({LEGEND})"),
        Content("Days  ") + Content("").join(glyphs),
        Content("      " + days),
        Content("Mood  " + bars),
        Content("      " + digits.rstrip()),
    ]
    return Content("\n").join(lines)


def mood_trend(marks: Sequence[DayMark]) -> str:
    """The mood trend in words: last 7 days against the 7 before."""
    recent = [m.mood for m in marks[-7:] if m.mood]
    earlier = [m.mood for m in marks[-14:-7] if m.mood]
    if not recent:
        return "Mood: no moods noted in the last 7 days."
    now = sum(recent) / len(recent)
    text = f"Mood: {now:.1f} of 5 on average over the last 7 days"
    if earlier:
        before = sum(earlier) / len(earlier)
        if now - before >= 0.5:
            text += f", up from {before:.1f}"
        elif before - now >= 0.5:
            text += f", down from {before:.1f}; be gentle with yourself"
        else:
            text += ", about the same as the week before"
    return text + "."


def detail_text(detail: GoalDetail) -> Content:
    """Everything about one goal, as lines of literal text."""
    s = detail.summary
    g, p = s.goal, s.progress
    measure = f", measured in {g.measure}" if g.measure else ""
    target = f", target {g.target}" if g.target else ""
    met = (
        f"{p.met_recently} of {p.counted_recently} recent {p.unit}s met"
        if p.counted_recently
        else "no full " + p.unit + " yet"
    )
    lines = [
        _line((truncate_display(clean_line(g.title), 74), "bold")),
        _line(
            f"{g.category}, {g.cadence.describe()}{measure}{target}, "
            f"{SEEN_BY[g.visibility.value]}. Since {g.start_date:%d %b %Y}."
        ),
        _line(
            f"Streak: {_plural(p.current_streak, p.unit)} (best {p.best_streak}). "
            f"{_plural(p.total_check_ins, 'check-in')}; {met}."
        ),
        _line(("Today: " + (period_text(p) or "nothing due"), "bold" if p.due_today else "")),
        Content(""),
        chart(detail.marks),
        _line(mood_trend(detail.marks)),
    ]
    if detail.badges:
        lines.append(_line("Badges: " + badge_words(detail.badges, p.unit)))
    if detail.recent:
        lines.append(Content("Recent check-ins:").stylize("bold"))
        for c in detail.recent[:5]:
            value = f" {c.value} {g.measure}" if c.value is not None else ""
            mood = f", mood {c.mood}" if c.mood else ""
            note = f": {c.note}" if c.note else ""
            lines.append(
                _line(
                    truncate_display(
                        clean_line(f"{c.local_date:%a %d %b} {c.status.value}{value}{mood}{note}"),
                        76,
                    )
                )
            )
    return Content("\n").join(lines)


class _GoalsPanel(PanelScreen):
    """A panel that works with the goal service alone (goals, partners, settings)."""

    def __init__(self, *, goals: GoalService) -> None:
        super().__init__()
        self._goals = goals


# -- the goal list --------------------------------------------------------------------
class GoalsScreen(_GoalsPanel, ReloadingPanel):
    """A member's goals with streaks and what is due; every action one key away."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New goal"),
        Binding("c", "check_in", "Check in"),
        Binding("e", "edit", "Edit"),
        Binding("a", "archive", "Archive"),
        Binding("v", "toggle_archived", "Archived"),
        Binding("p", "partners", "Partners"),
        Binding("r", "rest", "Rest"),
        Binding("s", "settings", "Settings"),
    ]
    DEFAULT_CSS = default_css(__file__, "GoalsScreen")
    FOCUS_ID = "goals"
    archived = False
    summaries: Sequence[GoalSummary] = ()
    # Reloads overlap (a dialog closing resumes the screen while its action reloads too):
    # only the one started last may draw, or an older read could win.
    _reloads = 0

    def compose(self) -> ComposeResult:
        yield PlainText("Goals and check-ins", classes="title", id="goals-title")
        yield PlainText("", id="reminder", classes="note")
        yield OptionList(id="goals")
        yield PlainText("", id="status", classes="note")
        yield KeyBar(
            " Enter open  C check in  N new goal  E edit  A archive  Esc back  F1 help\n"
            " P partners  R rest days  S settings  V archived goals"
        )

    async def reload(self) -> None:
        member_id = self.member_id
        service = self._goals
        self._reloads += 1
        ticket = self._reloads
        try:
            summaries = await service.goals(member_id, archived=self.archived)
            resting = await service.resting_until(member_id)
            cheers = await service.unseen_cheers(member_id)
        except StoreBusyError:
            self.say(BUSY)
            return
        if ticket != self._reloads:
            return  # a later reload draws what is true now
        self.summaries = summaries
        self.query_one("#goals-title", PlainText).show(
            "Archived goals (V to go back)" if self.archived else "Goals and check-ins"
        )
        due = sum(1 for s in self.summaries if s.progress.due_today)
        parts = []
        if resting is not None:
            parts.append(f"Resting until {resting:%a %d %b}: streaks wait for you (R to end).")
        elif due:
            parts.append(f"{_plural(due, 'check-in')} due today.")
        elif self.summaries and not self.archived:
            parts.append("Nothing due today.")
        if cheers:
            parts.append(f"{_plural(cheers, 'new cheer')} from your partners (P to read).")
        self.query_one("#reminder", PlainText).show(" ".join(parts))
        options = self.query_one("#goals", OptionList)
        keep = options.highlighted
        options.clear_options()
        for s in self.summaries:
            options.add_option(Option(goal_line(s), id=str(s.goal.id)))
        if not self.summaries:
            options.add_option(
                Option(
                    Content(
                        "No archived goals."
                        if self.archived
                        else "No goals yet. Press N to set one: small is good."
                    ),
                    disabled=True,
                )
            )
        elif keep is not None:
            options.highlighted = min(keep, len(self.summaries) - 1)
        else:
            options.highlighted = 0

    def _selected(self) -> GoalSummary | None:
        return self.highlighted_item("goals", self.summaries)

    @on(OptionList.OptionSelected, "#goals")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.push_screen(GoalDetailScreen(int(event.option.id), goals=self._goals))

    @work(exclusive=True, group="dialog")
    async def action_new(self) -> None:
        if self.archived:
            return
        await self.reload_after(
            GoalFormScreen(None, goals=self._goals),
            lambda made: f"Goal set: {clean_line(made.title)}. Press C to check in when ready.",
        )

    @work(exclusive=True, group="dialog")
    async def action_edit(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        await self.reload_after(
            GoalFormScreen(selected.goal, goals=self._goals), lambda _goal: "Saved."
        )

    @work(exclusive=True, group="dialog")
    async def action_check_in(self) -> None:
        selected = self._selected()
        if selected is None or self.archived:
            return
        await check_in(self, selected.goal, goals=self._goals)
        await self.reload()

    @work(exclusive=True, group="dialog")
    async def action_archive(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        bring_back = self.archived
        question = (
            "Bring this goal back from the archive?"
            if bring_back
            else "Archive this goal? Its check-ins and badges are kept, and you can bring "
            "it back with V."
        )
        if not await self.app.push_screen_wait(ConfirmScreen(question)):
            return
        try:
            await self._goals.archive_goal(
                self.member_id, selected.goal.id, archived=not bring_back
            )
        except (GoalError, StoreBusyError) as error:
            self.say(str(error))
            return
        self.say("Brought back." if bring_back else "Archived.")
        await self.reload()

    async def action_toggle_archived(self) -> None:
        self.archived = not self.archived
        self.query_one("#goals", OptionList).highlighted = None
        await self.reload()

    def action_partners(self) -> None:
        self.app.push_screen(PartnersScreen(goals=self._goals))

    def action_settings(self) -> None:
        self.app.push_screen(GoalSettingsScreen(goals=self._goals))

    @work(exclusive=True, group="dialog")
    async def action_rest(self) -> None:
        service = self._goals
        member_id = self.member_id
        try:
            if await service.resting_until(member_id) is not None:
                if await self.app.push_screen_wait(ConfirmScreen("End your rest now?")):
                    await service.end_rest(member_id)
                    self.say("Welcome back. Check-ins are due again from today.")
                await self.reload()
                return
            answer = await self.app.push_screen_wait(
                AskScreen(
                    "Rest for how many days, starting today (1-30)? Streaks wait while you rest; "
                    "nothing is due.",
                    max_length=2,
                )
            )
            if not answer:
                return
            if not answer.strip().isdigit():
                self.say("Please give a number of days from 1 to 30.")
                return
            rest = await service.rest(member_id, int(answer.strip()))
        except (GoalError, StoreBusyError) as error:
            self.say(str(error))
            return
        self.say(f"Resting until {rest.end:%a %d %b}. Take care of yourself.")
        await self.reload()


# -- creating and editing -------------------------------------------------------------
class GoalFormScreen(BBSScreen[GoalView | None]):
    """Create or edit a goal: Enter moves field to field and saves after the last."""

    AUTO_FOCUS = "#title"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        SAVE_KEY,
    ]
    DEFAULT_CSS = default_css(__file__, "GoalFormScreen")

    def __init__(self, goal: GoalView | None, *, goals: GoalService) -> None:
        super().__init__()
        self._goals = goals
        self.goal = goal

    def compose(self) -> ComposeResult:
        g = self.goal
        yield PlainText("Edit goal" if g else "New goal", classes="title")
        yield PlainText(f"Title (up to {TITLE_MAX} characters)", classes="field-label")
        yield TextField(g.title if g else "", id="title", max_length=TITLE_MAX * 2)
        yield PlainText("Category (Left/Right to choose)", classes="field-label")
        yield ChoiceField(CATEGORIES, g.category if g else "custom", id="category")
        yield PlainText("How often: daily, weekly, or times a week (1-7)", classes="field-label")
        cadence = ""
        if g:
            cadence = (
                str(g.cadence.times)
                if g.cadence.kind.value == "per_week"
                else (g.cadence.kind.value)
            )
        yield TextField(cadence or "daily", id="cadence", max_length=16)
        yield PlainText("Measure (optional): minutes or count", classes="field-label")
        yield TextField(g.measure if g else "", id="measure", max_length=16)
        yield PlainText("Target per check-in (optional, a number)", classes="field-label")
        yield TextField(str(g.target) if g and g.target else "", id="target", max_length=8)
        yield PlainText("Who sees it (Left/Right to choose)", classes="field-label")
        yield ChoiceField(
            [v.value for v in Visibility], g.visibility.value if g else "private", id="visibility"
        )
        yield PlainText("", id="error", classes="error")
        yield KeyBar(" Enter next / save   Ctrl+S save   Esc cancel   F1 help")

    def _value(self, name: str) -> str:
        field = self.query_one(f"#{name}")
        assert isinstance(field, (TextField, ChoiceField))
        return field.value

    @on(Input.Submitted)
    @on(ChoiceField.Submitted)
    async def _submitted(self, _event: Input.Submitted | ChoiceField.Submitted) -> None:
        await self.action_save()

    async def action_save(self) -> None:
        fields = {
            name: self._value(name)
            for name in ("title", "category", "cadence", "measure", "target", "visibility")
        }
        service = self._goals
        try:
            if self.goal is None:
                saved = await service.create_goal(self.member_id, **fields)
            else:
                saved = await service.update_goal(self.member_id, self.goal.id, **fields)
        except (GoalError, StoreBusyError) as error:
            self.query_one("#error", PlainText).show(str(error))
            return
        if saved.crisis:
            # The title sounded like its author may be in danger: the crisis lines, now.
            from screens.rooms import CrisisNoteScreen

            self.app.push_screen(
                CrisisNoteScreen(saved.crisis_words), lambda _closed: self.dismiss(saved)
            )
            return
        self.dismiss(saved)

    def action_cancel(self) -> None:
        self.dismiss(None)


# -- checking in ----------------------------------------------------------------------
class CheckInScreen(BBSScreen[CheckInOutcome | None]):
    """How it went (D/P/M), mood (1-5), day (Left/Right), then a value and a note."""

    # Status and mood are keys on the screen; the text fields wait until asked for.
    AUTO_FOCUS = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("d", "status('done')", "Done"),
        Binding("p", "status('partial')", "Partial"),
        Binding("m", "status('missed')", "Missed"),
        *(Binding(str(n), f"mood({n})", f"Mood {n}", show=False) for n in range(6)),
        Binding("left", "day(1)", "Earlier day", show=False),
        Binding("right", "day(-1)", "Later day", show=False),
        Binding("v", "field('value')", "Value", show=False),
        Binding("n", "field('note')", "Note", show=False),
        Binding("enter", "save", "Save"),
        Binding("ctrl+s", "save", "Save", priority=True, show=False),
    ]
    DEFAULT_CSS = default_css(__file__, "CheckInScreen")

    def __init__(self, goal: GoalView, *, goals: GoalService) -> None:
        super().__init__()
        self._goals = goals
        self.goal = goal
        self.status = CheckInStatus.DONE
        self.mood: int | None = None
        self.days_ago = 0
        self.today: date | None = None

    def compose(self) -> ComposeResult:
        yield PlainText(f"Check in: {self.goal.title}", classes="title")
        yield Static("", id="form", markup=False)
        unit = f" ({self.goal.measure})" if self.goal.measure else ""
        yield PlainText(f"Value{unit}, optional: V", classes="field-label")
        yield TextField("", id="value", max_length=8)
        yield PlainText(f"Note, optional (up to {NOTE_MAX}): N", classes="field-label")
        yield TextField("", id="note", max_length=NOTE_MAX * 2)
        yield PlainText("", id="error", classes="error")
        yield KeyBar(" D done P partial M missed  1-5 mood  ←/→ day  Enter save  Esc cancel")

    async def on_mount(self) -> None:
        try:
            self.today = await self._goals.today(self.member_id)
        except StoreBusyError:
            self.query_one("#error", PlainText).show(BUSY)
        self._draw()

    def _draw(self) -> None:
        day = (self.today or date.today()) - timedelta(days=self.days_ago)
        which = ["today", "yesterday", "2 days ago"][self.days_ago]
        choices = []
        for status, key in (
            (CheckInStatus.DONE, "D"),
            (CheckInStatus.PARTIAL, "P"),
            (CheckInStatus.MISSED, "M"),
        ):
            label = f"{key} {status.value}"
            choices.append(
                Content(f"[{label}]" if status is self.status else f" {label} ").stylize(
                    "bold reverse" if status is self.status else ""
                )
            )
        mood = (
            f"{self.mood} ({MOOD_WORDS[self.mood]})"
            if self.mood
            else "not noted (press 1 very low ... 5 very good)"
        )
        lines = [
            Content(f"Day:   {which}, {day:%A %d %B}   (←/→ to back-fill up to 2 days)"),
            Content("How:   ") + Content(" ").join(choices),
            Content(f"Mood:  {mood}"),
        ]
        self.query_one("#form", Static).update(Content("\n").join(lines))

    def action_status(self, status: str) -> None:
        self.status = CheckInStatus(status)
        self._draw()

    def action_mood(self, mood: int) -> None:
        self.mood = mood or None
        self._draw()

    def action_day(self, step: int) -> None:
        self.days_ago = max(0, min(2, self.days_ago + step))
        self._draw()

    def action_field(self, name: str) -> None:
        self.query_one(f"#{name}", TextField).focus()

    @on(Input.Submitted)
    async def _submitted(self, _event: Input.Submitted) -> None:
        await self.action_save()

    async def action_save(self) -> None:
        error = self.query_one("#error", PlainText)
        raw = self.query_one("#value", TextField).value.strip()
        if raw and not raw.isdigit():
            error.show("The value is a whole number, like 20. Or leave it empty.")
            return
        try:
            outcome = await self._goals.check_in(
                self.member_id,
                self.goal.id,
                self.status,
                days_ago=self.days_ago,
                value=int(raw) if raw else None,
                mood=self.mood,
                note=self.query_one("#note", TextField).value,
            )
        except (GoalError, StoreBusyError) as problem:
            error.show(str(problem))
            return
        self.dismiss(outcome)

    def action_cancel(self) -> None:
        self.dismiss(None)


class CheckInReplyScreen(ModalScreen[None]):
    """The companion's answer, new badges, and the help lines when they are needed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape", "close", "Close"),
        Binding("w", "share", "Share on Wins"),
    ]
    DEFAULT_CSS = default_css(__file__, "CheckInReplyScreen")

    def __init__(self, outcome: CheckInOutcome, *, goals: GoalService) -> None:
        super().__init__()
        self._goals = goals
        self.outcome = outcome
        self.shared = False

    def compose(self) -> ComposeResult:
        o = self.outcome
        r = o.result
        p = r.after
        if o.crisis:
            # Someone may be in danger: the crisis note alone, with nothing cheerful beside it.
            with Vertical(), VerticalScroll():
                yield PlainText(reflow(o.help), id="help-lines")
            yield PlainText("Enter close", classes="note", id="reply-keys")
            return
        with Vertical():
            with VerticalScroll():
                yield PlainText(
                    f"Checked in for {r.check_in.local_date:%A %d %B}: "
                    f"{r.check_in.status.value}. Streak: "
                    f"{_plural(p.current_streak, p.unit)} (best {p.best_streak}).",
                    id="reply-summary",
                )
                if o.companion:
                    yield PlainText(o.companion, id="companion")
                if o.help:
                    yield PlainText("", classes="note")
                    yield PlainText(reflow(o.help), id="help-lines")
            keys = "Enter close"
            if r.new_badges:
                keys = "W share this milestone on the Wins board (only if you want)   " + keys
            yield PlainText(keys, classes="note", id="reply-keys")

    def action_close(self) -> None:
        self.dismiss(None)

    @work(exclusive=True, group="share")
    async def action_share(self) -> None:
        r = self.outcome.result
        if not r.new_badges or self.shared or self.outcome.crisis:
            return
        app: Any = self.app
        badge = r.new_badges[-1]
        keys = self.query_one("#reply-keys", PlainText)
        try:
            outcome = await self._goals.announce(app.member.id, badge, r.after.unit)
        except (GoalError, PostError, StoreBusyError) as error:
            keys.show(f"{error}  Enter close")
            return
        self.shared = True
        keys.show(
            (
                "Held for a moderator to look at first."
                if outcome.held
                else "Shared on the Wins board."
            )
            + "  Enter close"
        )


async def check_in(screen: Screen[Any], goal: GoalView, *, goals: GoalService) -> bool:
    """The check-in form for `goal`, then the companion's reply; whether it was saved."""
    outcome = await screen.app.push_screen_wait(CheckInScreen(goal, goals=goals))
    if outcome is None:
        return False
    await screen.app.push_screen_wait(CheckInReplyScreen(outcome, goals=goals))
    return True


# -- one goal -------------------------------------------------------------------------
class GoalDetailScreen(LoadingPanel):
    """One goal: streak, progress, the 30-day chart, mood trend, badges and recent notes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "check_in", "Check in"),
        Binding("x", "cheer", "Cheer"),
    ]
    DEFAULT_CSS = default_css(__file__, "GoalDetailScreen")
    FOCUS_ID = "detail-scroll"

    def __init__(self, goal_id: int, *, goals: GoalService) -> None:
        super().__init__()
        self._goals = goals
        self.goal_id = goal_id
        self.detail: GoalDetail | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail-scroll"):
            yield Static("Loading...", id="detail", markup=False)
        yield PlainText("", id="status", classes="note")
        yield KeyBar(" C check in   Up/Down scroll   Esc back   F1 help", id="detail-keys")

    async def reload(self) -> None:
        try:
            self.detail = await self._goals.detail(self.member_id, self.goal_id)
        except (GoalError, StoreBusyError) as error:
            self.query_one("#detail", Static).update(Content(clean_line(str(error))))
            return
        self.query_one("#detail", Static).update(detail_text(self.detail))
        if not self._mine():
            self.query_one("#detail-keys", KeyBar).update(
                Content(f" X cheer {clean_line(self.detail.owner)}   Up/Down scroll   Esc back")
            )

    def _mine(self) -> bool:
        return self.detail is not None and self.detail.summary.goal.member_id == self.member_id

    @work(exclusive=True, group="dialog")
    async def action_check_in(self) -> None:
        if self.detail is None or not self._mine() or self.detail.summary.goal.archived:
            return
        if await check_in(self, self.detail.summary.goal, goals=self._goals):
            await self.reload()

    @work(exclusive=True, group="dialog")
    async def action_cheer(self) -> None:
        if self.detail is None or self._mine():
            return
        goal = self.detail.summary.goal
        await send_cheer(self, goal.member_id, self.detail.owner, goal.id, goals=self._goals)


async def send_cheer(
    screen: BBSScreen[Any], recipient_id: int, name: str, goal_id: int | None, *, goals: GoalService
) -> None:
    """Ask for a cheer's words, send it through moderation, and say what happened."""
    sent = await ask_then(
        screen,
        f"A cheer for {clean_line(name)} (a few kind words, up to 200 characters):",
        lambda words: goals.cheer(screen.member_id, recipient_id, words, goal_id=goal_id),
        GoalError,
        StoreBusyError,
    )
    if sent is None:
        return
    if sent.value.note:
        await screen.app.push_screen(NoteScreen(sent.value.note))
    screen.say("Held for a moderator first." if sent.value.cheer.held else "Cheer sent.")


# -- partners -------------------------------------------------------------------------
class PartnersScreen(_GoalsPanel, ReloadingPanel):
    """Partners and invitations, and the cheers partners sent."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("i", "invite", "Invite"),
        Binding("a", "answer(True)", "Accept"),
        Binding("d", "answer(False)", "Decline"),
        Binding("x", "end", "End"),
        Binding("c", "cheer", "Cheer"),
        Binding("l", "look_up", "Look up"),
    ]
    DEFAULT_CSS = default_css(__file__, "PartnersScreen")
    FOCUS_ID = "partners"
    partners: Sequence[PartnershipView] = ()

    def compose(self) -> ComposeResult:
        yield PlainText("Accountability partners", classes="title")
        yield PlainText(
            "Partners see the goals you share with them (visibility partners or "
            "community) and their check-ins, and can cheer you on.",
            classes="note",
        )
        yield OptionList(id="partners")
        yield PlainText("", id="status", classes="note")
        with VerticalScroll(id="cheers-scroll"):
            yield Static("", id="cheers", markup=False)
        yield KeyBar(" Enter goals I invite A accept D decline X end C cheer L look up Esc back")

    async def reload(self) -> None:
        member_id = self.member_id
        service = self._goals
        try:
            self.partners = await service.partnerships(member_id)
            cheers = await service.cheers(member_id)
        except StoreBusyError:
            self.say(BUSY)
            return
        options = self.query_one("#partners", OptionList)
        keep = options.highlighted
        options.clear_options()
        for p in self.partners:
            name = truncate_display(clean_line(p.other), 30).ljust(32)
            if p.status.value == "active":
                state = "partner"
            elif p.incoming:
                state = "invited you: A accept, D decline"
            else:
                state = "invitation sent, waiting"
            options.add_option(Option(_line((name, "bold"), state), id=str(p.id)))
        if not self.partners:
            options.add_option(
                Option(
                    Content("No partners yet. Press I to invite someone you trust."), disabled=True
                )
            )
        else:
            options.highlighted = min(keep or 0, len(self.partners) - 1)
        lines = [Content("Cheers for you:").stylize("bold")]
        for c in cheers:
            about = f" (on “{c.goal_title}”)" if c.goal_title else ""
            lines.append(_line((c.sender, "bold"), f"{about}: {c.body}"))
        if not cheers:
            lines.append(Content("None yet."))
        self.query_one("#cheers", Static).update(Content("\n").join(lines))

    def _selected(self) -> PartnershipView | None:
        return self.highlighted_item("partners", self.partners)

    @on(OptionList.OptionSelected, "#partners")
    def _open(self, _event: OptionList.OptionSelected) -> None:
        p = self._selected()
        if p is not None and p.status.value == "active":
            self.app.push_screen(
                PartnerGoalsScreen(p.other_id, p.other, partner=True, goals=self._goals)
            )
        elif p is not None:
            self.say("Once they accept, you can see each other's shared goals here.")

    @work(exclusive=True, group="dialog")
    async def action_look_up(self) -> None:
        found = await ask_then(
            self,
            "Whose community goals would you like to see? (their pseudonym)",
            self._goals.find_member,
            GoalError,
            StoreBusyError,
            max_length=64,
        )
        if found is None:
            return
        other_id, other = found.value
        partner = any(p.other_id == other_id and p.status.value == "active" for p in self.partners)
        await self.app.push_screen(
            PartnerGoalsScreen(other_id, other, partner=partner, goals=self._goals)
        )

    @work(exclusive=True, group="dialog")
    async def action_invite(self) -> None:
        invited = await ask_then(
            self,
            "Invite whom to be your accountability partner? (their pseudonym)",
            lambda name: self._goals.invite(self.member_id, name),
            GoalError,
            StoreBusyError,
            max_length=64,
        )
        if invited is None:
            return
        self.say(f"Invitation sent to {clean_line(invited.value.other)}.")
        await self.reload()

    async def action_answer(self, accept: bool) -> None:
        p = self._selected()
        if p is None or not p.incoming or p.status.value != "pending":
            return
        try:
            await self._goals.answer(self.member_id, p.id, accept)
        except (GoalError, StoreBusyError) as error:
            self.say(str(error))
            return
        self.say(
            f"You and {clean_line(p.other)} are partners now."
            if accept
            else "Declined. They are not told why."
        )
        await self.reload()

    @work(exclusive=True, group="dialog")
    async def action_end(self) -> None:
        p = self._selected()
        if p is None:
            return
        if not await self.app.push_screen_wait(
            ConfirmScreen(
                f"End the partnership with {clean_line(p.other)}? They will no longer see "
                "your goals."
            )
        ):
            return
        try:
            await self._goals.end_partnership(self.member_id, p.id)
        except (GoalError, StoreBusyError) as error:
            self.say(str(error))
            return
        self.say("Ended.")
        await self.reload()

    @work(exclusive=True, group="dialog")
    async def action_cheer(self) -> None:
        p = self._selected()
        if p is None or p.status.value != "active":
            return
        await send_cheer(self, p.other_id, p.other, None, goals=self._goals)


class PartnerGoalsScreen(PanelScreen):
    """A partner's shared goals, or any member's community goals; Enter opens one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "cheer", "Cheer"),
    ]
    DEFAULT_CSS = default_css(__file__, "PartnerGoalsScreen")

    def __init__(self, other_id: int, name: str, *, partner: bool, goals: GoalService) -> None:
        super().__init__()
        self._goals = goals
        self.other_id = other_id
        self.other_name = name
        self.partner = partner
        self.summaries: list[GoalSummary] = []

    def compose(self) -> ComposeResult:
        title = (
            f"Goals {self.other_name} shares with you"
            if self.partner
            else f"{self.other_name}'s goals shared with the community"
        )
        yield PlainText(title, classes="title")
        yield OptionList(id="partner-goals")
        yield PlainText("", id="status", classes="note")
        yield KeyBar(
            " Enter open   C cheer   Esc back   F1 help"
            if self.partner
            else " Enter open   Esc back   F1 help"
        )

    async def on_mount(self) -> None:
        options = self.query_one("#partner-goals", OptionList)
        try:
            self.summaries = await self._goals.shared_goals(self.member_id, self.other_id)
        except (GoalError, StoreBusyError) as error:
            self.say(str(error))
            return
        for s in self.summaries:
            options.add_option(Option(goal_line(s), id=str(s.goal.id)))
        if not self.summaries:
            options.add_option(Option(Content("No goals are shared with you here."), disabled=True))
        else:
            options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected, "#partner-goals")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.push_screen(GoalDetailScreen(int(event.option.id), goals=self._goals))

    @work(exclusive=True, group="dialog")
    async def action_cheer(self) -> None:
        if not self.partner:
            return
        index = self.query_one("#partner-goals", OptionList).highlighted
        goal_id = (
            self.summaries[index].goal.id
            if index is not None and 0 <= index < len(self.summaries)
            else None
        )
        await send_cheer(self, self.other_id, self.other_name, goal_id, goals=self._goals)


# -- settings -------------------------------------------------------------------------
class GoalSettingsScreen(_GoalsPanel):
    """Your time zone (days and streaks follow it) and whether the companion speaks."""

    BINDINGS: ClassVar[list[BindingType]] = [SAVE_KEY]

    def compose(self) -> ComposeResult:
        yield PlainText("Goal settings", classes="title")
        yield PlainText(
            "Your time zone, like Europe/Berlin or America/Chicago. Your days, "
            "check-ins and streaks follow it.",
            classes="note",
        )
        yield TextField("", id="time-zone", max_length=64)
        yield Tick(
            "Check-in companion (automated greetings and encouragement)", value=True, id="companion"
        )
        yield PlainText(
            "Help lines after a low mood or a worrying note are always shown.", classes="note"
        )
        yield Button("Save", id="save", compact=True)
        yield PlainText("", id="status", classes="note")
        yield KeyBar(" Tab move   Space tick   Enter/Ctrl+S save   Esc back   F1 help")

    async def on_mount(self) -> None:
        if (got := await self.tried(self._goals.settings(self.member_id))) is None:
            return
        prefs = got.value
        self.query_one("#time-zone", TextField).value = prefs.time_zone
        self.query_one("#companion", Checkbox).value = prefs.companion
        self.query_one("#time-zone", TextField).focus()

    @on(Input.Submitted)
    async def _submitted(self, _event: Input.Submitted) -> None:
        await self.action_save()

    @on(Button.Pressed, "#save")
    async def action_save(self) -> None:
        status = self.query_one("#status", PlainText)
        try:
            prefs = await self._goals.set_settings(
                self.member_id,
                time_zone=self.query_one("#time-zone", TextField).value,
                companion=self.query_one("#companion", Checkbox).value,
            )
        except (GoalError, StoreBusyError) as error:
            status.show(str(error))
            return
        status.show(
            f"Saved. Your time zone is {prefs.time_zone}; the companion is "
            f"{'on' if prefs.companion else 'off'}."
        )


# -- the home screen ------------------------------------------------------------------
class CheckInsDue(Static):
    """Home screen reminder: the companion's hello and what is due, C to check in."""

    DEFAULT_CSS = default_css(__file__, "CheckInsDue")

    def __init__(self, *, id: str | None = None, goals: GoalService) -> None:
        super().__init__("", id=id, markup=False)
        self._goals = goals
        self.due: list[GoalSummary] = []
        self._cheers: Live | None = None

    def on_mount(self) -> None:
        # The home screen hands over what is due (one read for the whole screen).
        screen = self.screen
        assert isinstance(screen, BBSScreen)
        member = screen.bbs.member
        if member is not None:
            # The home screen lives as long as the session: cheers reach it anywhere.
            goals = self._goals
            self._cheers = Live(self, self._cheered)
            self._cheers.follow(lambda wake: goals.subscribe_cheers(member.id, wake))

    def on_unmount(self) -> None:
        if self._cheers is not None:
            self._cheers.close()
            self._cheers = None

    def _cheered(self, events: list[Event]) -> None:
        # `Live` runs this in this member's own session, whoever sent the cheer.
        for event in events:
            if isinstance(event, CheerEvent):
                self.app.notify(
                    f"{clean_line(event.sender)} cheered you on: {clean_line(event.body)}",
                    title="Cheer",
                    markup=False,
                    timeout=8,
                )

    async def refresh_due(self) -> None:
        screen = self.screen
        assert isinstance(screen, BBSScreen)
        member = screen.bbs.member
        if member is None:
            return
        try:
            greeting = await self._goals.greeting(member.id, member.pseudonym)
        except StoreBusyError:
            return
        self.show_greeting(greeting)

    def show_greeting(self, greeting: Greeting) -> None:
        self.due = greeting.due
        lines: list[Content] = []
        if greeting.text:
            lines.append(Content(clean_line(greeting.text)))
        if self.due:
            titles = ", ".join(truncate_display(clean_line(s.goal.title), 24) for s in self.due[:3])
            more = f" and {len(self.due) - 3} more" if len(self.due) > 3 else ""
            lines.append(
                Content("Check-ins due: ").stylize("bold")
                + Content(titles + more)
                + Content("  (C check in)").stylize("bold")
            )
        self.update(Content("\n").join(lines))
        self.display = bool(lines)


async def quick_check_in(screen: Screen[Any], *, goals: GoalService) -> None:
    """The one-key check-in: the first goal due today, marked done, and the reply shown."""
    widgets = screen.query(CheckInsDue)
    if not widgets:
        return
    due_widget = widgets.first()
    app: Any = screen.app
    if not due_widget.due:
        app.push_screen(GoalsScreen(goals=goals))
        return
    goal = due_widget.due[0].goal
    try:
        outcome = await goals.check_in(app.member.id, goal.id, CheckInStatus.DONE)
    except (GoalError, StoreBusyError) as error:
        app.notify(clean_line(str(error)), markup=False)
        await due_widget.refresh_due()
        return
    await due_widget.refresh_due()
    await app.push_screen(CheckInReplyScreen(outcome, goals=goals))


class ProfileBadges(PlainText):
    """The profile's line of badges and the time zone days follow."""

    DEFAULT_CSS = default_css(__file__, "ProfileBadges")

    def __init__(
        self,
        text: str = "",
        *,
        goals: GoalService,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(text, id=id, classes=classes)
        self._goals = goals

    async def on_mount(self) -> None:
        screen = self.screen
        assert isinstance(screen, BBSScreen)
        member_id = screen.member_id
        try:
            badges = await self._goals.badges(member_id)
            prefs = await self._goals.settings(member_id)
        except StoreBusyError:
            return
        shown = ", ".join(
            f"{b.label()} ({truncate_display(clean_line(b.goal_title), 20)})" for b in badges[-4:]
        )
        more = f" and {len(badges) - 4} more" if len(badges) > 4 else ""
        badge_text = f"Badges: {shown}{more}." if badges else "No badges yet."
        self.show(f"{badge_text} Time zone: {prefs.time_zone} (change it in Goals, S).")
