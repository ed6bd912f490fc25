"""Goals: the goal list, goal form, check-in, charts, partners, cheers and goal settings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, OptionList, Static
from textual.widgets.option_list import Option

from bbs.boards.records import PostError
from bbs.errors import StoreBusyError
from bbs.events import Event
from bbs.goals.companion import badge_words
from bbs.goals.names import MEASURE_NAMES, SEEN_BY, STATUS_NAMES, value_name
from bbs.goals.records import (
    CATEGORIES,
    NOTE_MAX,
    TITLE_MAX,
    BadgeView,
    GoalDetail,
    GoalSummary,
    GoalView,
    PartnershipView,
    Visibility,
)
from bbs.goals.service import CheckInOutcome, CheerEvent, Greeting
from bbs.goals.streaks import Cadence, CheckInStatus, DayMark, GoalError, Progress
from bbs.i18n import DEFAULT_LANGUAGE, N_, format_day, localise, translator
from bbs.reflow import reflow
from bbs.text_safety import clean_line, truncate_display
from screens.base import SAVE_KEY, BBSScreen, LoadingPanel, PanelScreen, ReloadingPanel
from screens.compose import AskScreen, ConfirmScreen, NoteScreen, ask_then, confirm_then
from screens.live import HomePart, Live
from screens.tcss import default_css
from screens.widgets import BUSY, ChoiceField, KeyBar, PlainText, TextField, Tick, session_text
from screens.widgets import styled_line as _line

if TYPE_CHECKING:
    from bbs.accounts.members import MemberView
    from bbs.goals.service import GoalService


class Speaks(Protocol):
    """What says our words in a member's language: the session's app (`BBSApp`)."""

    language: str

    def t(self, message: object) -> str: ...

    def ngettext(self, singular: str, plural: str, count: int) -> str: ...


class _InLanguage:
    """A `Speaks` for one language, where no session is at hand (English by default)."""

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        self.language = language

    def t(self, message: object) -> str:
        return localise(message, self.language)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return translator(self.language).ngettext(singular, plural, count)


ENGLISH: Speaks = _InLanguage()


def speaker(widget: Widget) -> Speaks:
    """The session showing `widget`, as something that speaks its language."""
    from screens.app import BBSApp

    app = widget.app
    return app if isinstance(app, BBSApp) else ENGLISH


# Chart glyphs: shape and letter carry the meaning; colour only repeats it.
GLYPHS: dict[CheckInStatus | None, tuple[str, str]] = {
    CheckInStatus.DONE: ("■", "bold green"),
    CheckInStatus.PARTIAL: ("□", "yellow"),
    CheckInStatus.MISSED: ("x", "red"),
    None: ("·", "dim"),
}
REST_GLYPH = ("z", "blue")
LEGEND = N_("■ done  □ partial  x missed  z rest  · none")
MOOD_BARS = " ▁▃▅▇█"
MOOD_WORDS = {1: N_("very low"), 2: N_("low"), 3: N_("okay"), 4: N_("good"), 5: N_("very good")}
# The choices of the goal form, as said; what is stored stays the English value.
CATEGORY_NAMES = {
    "sleep": N_("sleep"),
    "movement": N_("movement"),
    "sobriety": N_("sobriety"),
    "mood": N_("mood"),
    "social": N_("social"),
    "custom": N_("custom"),
}
VISIBILITY_NAMES = {
    "private": N_("private"),
    "partners": N_("partners"),
    "community": N_("community"),
}

# Bound on the home screen: the one-key check-in.
CHECK_IN_BINDINGS: list[BindingType] = [Binding("c", "check_in", "Check in", show=False)]

GOALS_TITLE = N_("Goals and check-ins")
LOADING = N_("Loading...")
SAVE = N_("Save")
CLOSE_KEY = N_("Enter close")
SHARE_KEYS = N_("W share this milestone on the Wins board (only if you want)   Enter close")


def day_text(w: Speaks, day: date, *, long: bool = False) -> str:
    """ "Fri 4 Dec" (or "Friday 4 December") as the member's language writes it."""
    return format_day(day, w.language, long=long)


def short_date(w: Speaks, day: date, *, year: bool = False) -> str:
    """ "4 Dec" (or "4 Dec 2026") as the member's language writes it."""
    from babel.dates import format_date

    return str(format_date(day, "d MMM y" if year else "d MMM", locale=w.language))


def measure_text(w: Speaks, measure: str) -> str:
    return value_name(w.t, MEASURE_NAMES, measure)


def status_text(w: Speaks, status: CheckInStatus) -> str:
    return value_name(w.t, STATUS_NAMES, status.value)


def cadence_text(w: Speaks, cadence: Cadence) -> str:
    """ "daily", "weekly" or "3x a week", in the member's language."""
    return w.t(cadence.describe())


def badge_text(w: Speaks, badge: BadgeView, unit: str) -> str:
    """A badge's name: "First check-in", "10 check-ins", "7-day streak"."""
    return w.t(badge.label(unit))


def _mood_number(w: Speaks, value: float) -> str:
    from babel.numbers import format_decimal

    return str(format_decimal(value, format="0.0", locale=w.language))


def streak_text(p: Progress, w: Speaks = ENGLISH) -> str:
    """'streak 3 days, best 5' in words, for lists and screen readers alike."""
    if p.current_streak == 0 and p.best_streak == 0:
        return w.t(N_("no streak yet"))
    n = p.current_streak
    if p.unit == "week":
        text = w.ngettext(
            "streak {count} week, best {best}", "streak {count} weeks, best {best}", n
        )
    else:
        text = w.ngettext("streak {count} day, best {best}", "streak {count} days, best {best}", n)
    return text.format(count=n, best=p.best_streak)


def streak_length(p: Progress, w: Speaks = ENGLISH) -> str:
    """'3 days (best 5)': the streak's length and the best one."""
    n = p.current_streak
    if p.unit == "week":
        text = w.ngettext("{count} week (best {best})", "{count} weeks (best {best})", n)
    else:
        text = w.ngettext("{count} day (best {best})", "{count} days (best {best})", n)
    return text.format(count=n, best=p.best_streak)


def period_text(p: Progress, w: Speaks = ENGLISH) -> str:
    if p.resting_today:
        return w.t(N_("resting"))
    if p.required > 1:
        return w.t(N_("{done}/{required} this week")).format(
            done=p.this_period, required=p.required
        )
    if p.period_met:
        return w.t(N_("done this week")) if p.unit == "week" else w.t(N_("done today"))
    return w.t(N_("due")) if p.due_today else ""


def goal_line(summary: GoalSummary, w: Speaks = ENGLISH) -> Content:
    """One goal in a list, within 74 cells: title, cadence, streak and what is due."""
    g, p = summary.goal, summary.progress
    mark = "■" if p.period_met else ("z" if p.resting_today else "·")
    title = truncate_display(clean_line(g.title), 29).ljust(30)
    n = p.current_streak
    if not p.best_streak:
        streak = w.t(N_("no streak yet"))
    elif p.unit == "week":
        streak = w.ngettext("{count} week, best {best}", "{count} weeks, best {best}", n)
    else:
        streak = w.ngettext("{count} day, best {best}", "{count} days, best {best}", n)
    streak = streak.format(count=n, best=p.best_streak)
    cadence = truncate_display(cadence_text(w, g.cadence), 10)
    due = period_text(p, w)
    return _line(
        (mark + " ", "bold"),
        (title, "bold" if p.due_today else ""),
        f"{cadence:<11}{truncate_display(streak, 18):<19}",
        (due, "bold" if p.due_today else ""),
    )


def _weekday_initials(w: Speaks) -> list[str]:
    """Monday's to Sunday's initial in the member's language ("MTWTFSS" in English)."""
    from babel.dates import get_day_names

    names = get_day_names("narrow", locale=w.language)
    return [str(names[i])[:1] for i in range(7)]


def chart(marks: Sequence[DayMark], w: Speaks = ENGLISH) -> Content:
    """The last days as glyphs, weekday initials under them, then mood as bars and digits."""
    glyphs: list[Content] = []
    for m in marks:
        glyph, style = REST_GLYPH if m.resting and m.status is None else GLYPHS[m.status]
        glyphs.append(Content(glyph + " ").stylize(style))
    initials = _weekday_initials(w)
    days = " ".join(initials[m.day.weekday()] for m in marks)
    bars = " ".join(MOOD_BARS[m.mood] if m.mood else "·" for m in marks)
    digits = " ".join(str(m.mood) if m.mood else " " for m in marks)
    first, last = marks[0].day, marks[-1].day
    days_label, mood_label = w.t(N_("Days")), w.t(N_("Mood"))
    width = max(len(days_label), len(mood_label)) + 2
    heading = w.t(N_("Last {count} days, {first} to {last}  ({legend})")).format(
        count=len(marks),
        first=short_date(w, first),
        last=short_date(w, last),
        legend=w.t(LEGEND),
    )
    lines = [
        Content(heading),
        Content(days_label.ljust(width)) + Content("").join(glyphs),
        Content(" " * width + days),
        Content(mood_label.ljust(width) + bars),
        Content(" " * width + digits.rstrip()),
    ]
    return Content("\n").join(lines)


def mood_trend(marks: Sequence[DayMark], w: Speaks = ENGLISH) -> str:
    """The mood trend in words: last 7 days against the 7 before."""
    recent = [m.mood for m in marks[-7:] if m.mood]
    earlier = [m.mood for m in marks[-14:-7] if m.mood]
    if not recent:
        return w.t(N_("Mood: no moods noted in the last 7 days."))
    now = sum(recent) / len(recent)
    trend = ""
    if earlier:
        before = sum(earlier) / len(earlier)
        if now - before >= 0.5:
            trend = w.t(N_(", up from {before}"))
        elif before - now >= 0.5:
            trend = w.t(N_(", down from {before}; be gentle with yourself"))
        else:
            trend = w.t(N_(", about the same as the week before"))
        trend = trend.format(before=_mood_number(w, before))
    return w.t(N_("Mood: {average} of 5 on average over the last 7 days{trend}.")).format(
        average=_mood_number(w, now), trend=trend
    )


def detail_text(detail: GoalDetail, w: Speaks = ENGLISH) -> Content:
    """Everything about one goal, as lines of literal text."""
    s = detail.summary
    g, p = s.goal, s.progress
    measure = (
        w.t(N_(", measured in {measure}")).format(measure=measure_text(w, g.measure))
        if g.measure
        else ""
    )
    target = w.t(N_(", target {target}")).format(target=g.target) if g.target else ""
    if not p.counted_recently:
        met = w.t(N_("no full week yet")) if p.unit == "week" else w.t(N_("no full day yet"))
    elif p.unit == "week":
        met = w.ngettext(
            "{met} of {count} recent week met",
            "{met} of {count} recent weeks met",
            p.counted_recently,
        )
    else:
        met = w.ngettext(
            "{met} of {count} recent day met",
            "{met} of {count} recent days met",
            p.counted_recently,
        )
    met = met.format(met=p.met_recently, count=p.counted_recently)
    category = w.t(CATEGORY_NAMES[g.category]) if g.category in CATEGORY_NAMES else g.category
    check_ins = w.ngettext("{count} check-in", "{count} check-ins", p.total_check_ins).format(
        count=p.total_check_ins
    )
    lines = [
        _line((truncate_display(clean_line(g.title), 74), "bold")),
        _line(
            w.t(N_("{category}, {cadence}{measure}{target}, {seen}. Since {since}.")).format(
                category=category,
                cadence=cadence_text(w, g.cadence),
                measure=measure,
                target=target,
                seen=w.t(SEEN_BY[g.visibility.value]),
                since=short_date(w, g.start_date, year=True),
            )
        ),
        _line(
            w.t(N_("Streak: {streak}. {checkins}; {met}.")).format(
                streak=streak_length(p, w), checkins=check_ins, met=met
            )
        ),
        _line(
            (
                w.t(N_("Today: {what}")).format(what=period_text(p, w) or w.t(N_("nothing due"))),
                "bold" if p.due_today else "",
            )
        ),
        Content(""),
        chart(detail.marks, w),
        _line(mood_trend(detail.marks, w)),
    ]
    if detail.badges:
        badges = w.t(badge_words(detail.badges, p.unit))
        lines.append(_line(w.t(N_("Badges: {badges}.")).format(badges=badges)))
    if detail.recent:
        lines.append(Content(w.t(N_("Recent check-ins:"))).stylize("bold"))
        for c in detail.recent[:5]:
            value = f" {c.value} {measure_text(w, g.measure)}" if c.value is not None else ""
            mood = w.t(N_(", mood {mood}")).format(mood=c.mood) if c.mood else ""
            note = f": {c.note}" if c.note else ""
            lines.append(
                _line(
                    truncate_display(
                        clean_line(
                            f"{day_text(w, c.local_date)} {status_text(w, c.status)}"
                            f"{value}{mood}{note}"
                        ),
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
    # one never draws over what a later one drew, or an older read could win. A reload
    # may also never finish (a key pressed at once starts another action, which cancels
    # the worker it ran in), so an earlier one still draws if no later one has.
    _reloads = 0
    _drawn = 0

    def compose(self) -> ComposeResult:
        yield PlainText(self.t(GOALS_TITLE), classes="title", id="goals-title")
        yield PlainText("", id="reminder", classes="note")
        yield OptionList(id="goals")
        yield from self.footer(
            N_(
                " Enter open  C check in  N new goal  E edit  A archive  Esc back  F1 help\n"
                " P partners  R rest days  S settings  V archived goals"
            )
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
        if ticket < self._drawn:
            return  # a later reload drew what is true now
        self._drawn = ticket
        self.summaries = summaries
        w = self.bbs
        self.query_one("#goals-title", PlainText).show(
            self.t(N_("Archived goals (V to go back)")) if self.archived else self.t(GOALS_TITLE)
        )
        due = sum(1 for s in self.summaries if s.progress.due_today)
        parts = []
        if resting is not None:
            parts.append(
                self.t(N_("Resting until {day}: streaks wait for you (R to end).")).format(
                    day=day_text(w, resting)
                )
            )
        elif due:
            parts.append(
                w.ngettext(
                    "{count} check-in due today.", "{count} check-ins due today.", due
                ).format(count=due)
            )
        elif self.summaries and not self.archived:
            parts.append(self.t(N_("Nothing due today.")))
        if cheers:
            parts.append(
                w.ngettext(
                    "{count} new cheer from your partners (P to read).",
                    "{count} new cheers from your partners (P to read).",
                    cheers,
                ).format(count=cheers)
            )
        self.query_one("#reminder", PlainText).show(" ".join(parts))
        self.show_options(
            "goals",
            [Option(goal_line(s, w), id=str(s.goal.id)) for s in self.summaries],
            empty=N_("No archived goals.")
            if self.archived
            else N_("No goals yet. Press N to set one: small is good."),
            keep=True,
        )

    def _selected(self) -> GoalSummary | None:
        return self.highlighted_item("goals", self.summaries)

    @on(OptionList.OptionSelected, "#goals")
    def _open(self, event: OptionList.OptionSelected) -> None:
        self.open_chosen(event, lambda n: GoalDetailScreen(n, goals=self._goals))

    @work(exclusive=True, group="dialog")
    async def action_new(self) -> None:
        if self.archived:
            return
        await self.reload_after(
            GoalFormScreen(None, goals=self._goals),
            N_("Goal set: {title}. Press C to check in when ready."),
        )

    @work(exclusive=True, group="dialog")
    async def action_edit(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        await self.reload_after(GoalFormScreen(selected.goal, goals=self._goals), N_("Saved."))

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
            self.t(N_("Bring this goal back from the archive?"))
            if bring_back
            else self.t(
                N_(
                    "Archive this goal? Its check-ins and badges are kept, and you can bring "
                    "it back with V."
                )
            )
        )
        archived = await confirm_then(
            self,
            question,
            lambda: self._goals.archive_goal(
                self.member_id, selected.goal.id, archived=not bring_back
            ),
            GoalError,
            StoreBusyError,
        )
        if archived is None:
            return
        self.say(N_("Brought back.") if bring_back else N_("Archived."))
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
                if await self.app.push_screen_wait(ConfirmScreen(self.t(N_("End your rest now?")))):
                    await service.end_rest(member_id)
                    self.say(N_("Welcome back. Check-ins are due again from today."))
                await self.reload()
                return
            answer = await self.app.push_screen_wait(
                AskScreen(
                    self.t(
                        N_(
                            "Rest for how many days, starting today (1-30)? Streaks wait while "
                            "you rest; nothing is due."
                        )
                    ),
                    max_length=2,
                )
            )
            if not answer:
                return
            if not answer.strip().isdecimal():
                self.say(N_("Please give a number of days from 1 to 30."))
                return
            rest = await service.rest(member_id, int(answer.strip()))
        except (GoalError, StoreBusyError) as error:
            self.say(error)
            return
        self.say(
            self.t(N_("Resting until {day}. Take care of yourself.")).format(
                day=day_text(self.bbs, rest.end)
            )
        )
        await self.reload()


# -- creating and editing -------------------------------------------------------------
class GoalFormScreen(BBSScreen[GoalView | None]):
    """Create or edit a goal: Enter moves field to field and saves after the last."""

    AUTO_FOCUS = "#title"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Cancel"),
        SAVE_KEY,
    ]
    DEFAULT_CSS = default_css(__file__, "GoalFormScreen")

    def __init__(self, goal: GoalView | None, *, goals: GoalService) -> None:
        super().__init__()
        self._goals = goals
        self.goal = goal

    def compose(self) -> ComposeResult:
        g = self.goal
        yield PlainText(self.t(N_("Edit goal")) if g else self.t(N_("New goal")), classes="title")
        yield PlainText(
            self.t(N_("Title (up to {count} characters)")).format(count=TITLE_MAX),
            classes="field-label",
        )
        yield TextField(g.title if g else "", id="title", max_length=TITLE_MAX * 2)
        yield PlainText(self.t(N_("Category (Left/Right to choose)")), classes="field-label")
        # Shown by their names in the member's language, stored as the English values.
        yield ChoiceField(
            CATEGORIES, g.category if g else "custom", labels=CATEGORY_NAMES, id="category"
        )
        yield PlainText(
            self.t(N_("How often: daily, weekly, or times a week (1-7)")), classes="field-label"
        )
        cadence = ""
        if g:
            cadence = (
                str(g.cadence.times)
                if g.cadence.kind.value == "per_week"
                else (g.cadence.kind.value)
            )
        yield TextField(cadence or "daily", id="cadence", max_length=16)
        yield PlainText(self.t(N_("Measure (optional): minutes or count")), classes="field-label")
        yield TextField(g.measure if g else "", id="measure", max_length=16)
        yield PlainText(
            self.t(N_("Target per check-in (optional, a number)")), classes="field-label"
        )
        yield TextField(str(g.target) if g and g.target else "", id="target", max_length=8)
        yield PlainText(self.t(N_("Who sees it (Left/Right to choose)")), classes="field-label")
        yield ChoiceField(
            [v.value for v in Visibility],
            g.visibility.value if g else "private",
            labels=VISIBILITY_NAMES,
            id="visibility",
        )
        yield PlainText("", id="error", classes="error")
        yield KeyBar(N_(" Enter next / save   Ctrl+S save   Esc cancel   F1 help"))

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
            self.query_one("#error", PlainText).show(self.t(error))
            return
        if saved.crisis:
            # The title sounded like its author may be in danger: the crisis lines, now.
            from screens.rooms import CrisisNoteScreen

            self.app.push_screen(
                CrisisNoteScreen(saved.crisis_words), lambda _closed: self.dismiss(saved)
            )
            return
        self.dismiss(saved)


# -- checking in ----------------------------------------------------------------------
class CheckInScreen(BBSScreen[CheckInOutcome | None]):
    """How it went (D/P/M), mood (1-5), day (Left/Right), then a value and a note."""

    # Status and mood are keys on the screen; the text fields wait until asked for.
    AUTO_FOCUS = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Cancel"),
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
        yield PlainText(
            self.t(N_("Check in: {title}")).format(title=self.goal.title), classes="title"
        )
        yield Static("", id="form", markup=False)
        value = (
            self.t(N_("Value ({measure}), optional: V")).format(
                measure=measure_text(self.bbs, self.goal.measure)
            )
            if self.goal.measure
            else self.t(N_("Value, optional: V"))
        )
        yield PlainText(value, classes="field-label")
        yield TextField("", id="value", max_length=8)
        yield PlainText(
            self.t(N_("Note, optional (up to {count}): N")).format(count=NOTE_MAX),
            classes="field-label",
        )
        yield TextField("", id="note", max_length=NOTE_MAX * 2)
        yield PlainText("", id="error", classes="error")
        yield KeyBar(N_(" D done P partial M missed  1-5 mood  ←/→ day  Enter save  Esc cancel"))

    async def on_mount(self) -> None:
        try:
            self.today = await self._goals.today(self.member_id)
        except StoreBusyError:
            self.query_one("#error", PlainText).show(self.t(BUSY))
        self._draw()

    def _draw(self) -> None:
        day = (self.today or date.today()) - timedelta(days=self.days_ago)
        which = [N_("today, {day}"), N_("yesterday, {day}"), N_("2 days ago, {day}")]
        choices = []
        for status, key in (
            (CheckInStatus.DONE, "D"),
            (CheckInStatus.PARTIAL, "P"),
            (CheckInStatus.MISSED, "M"),
        ):
            label = f"{key} {status_text(self.bbs, status)}"
            choices.append(
                Content(f"[{label}]" if status is self.status else f" {label} ").stylize(
                    "bold reverse" if status is self.status else ""
                )
            )
        mood = (
            f"{self.mood} ({self.t(MOOD_WORDS[self.mood])})"
            if self.mood
            else self.t(N_("not noted (press 1 very low ... 5 very good)"))
        )
        labels = [self.t(N_("Day:")), self.t(N_("How:")), self.t(N_("Mood:"))]
        width = max(len(label) for label in labels) + 2
        lines = [
            Content(
                labels[0].ljust(width)
                + self.t(N_("{when}   (←/→ to back-fill up to 2 days)")).format(
                    when=self.t(which[self.days_ago]).format(day=day_text(self.bbs, day, long=True))
                )
            ),
            Content(labels[1].ljust(width)) + Content(" ").join(choices),
            Content(labels[2].ljust(width) + mood),
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
        if raw and not raw.isdecimal():
            error.show(self.t(N_("The value is a whole number, like 20. Or leave it empty.")))
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
            error.show(self.t(problem))
            return
        self.dismiss(outcome)


class CheckInReplyScreen(ModalScreen[None]):
    """The companion's answer, new badges, and the help lines when they are needed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape", "dismiss", "Close"),
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
        w = speaker(self)
        if o.crisis:
            # Someone may be in danger: the crisis note alone, with nothing cheerful beside it.
            with Vertical(), VerticalScroll():
                yield PlainText(reflow(w.t(o.help)), id="help-lines")
            yield PlainText(w.t(CLOSE_KEY), classes="note", id="reply-keys")
            return
        with Vertical():
            with VerticalScroll():
                yield PlainText(
                    w.t(N_("Checked in for {day}: {status}. Streak: {streak}.")).format(
                        day=day_text(w, r.check_in.local_date, long=True),
                        status=status_text(w, r.check_in.status),
                        streak=streak_length(p, w),
                    ),
                    id="reply-summary",
                )
                if o.companion:
                    yield PlainText(w.t(o.companion), id="companion")
                if o.help:
                    yield PlainText("", classes="note")
                    yield PlainText(reflow(w.t(o.help)), id="help-lines")
            keys = w.t(CLOSE_KEY)
            if r.new_badges:
                keys = w.t(SHARE_KEYS)
            yield PlainText(keys, classes="note", id="reply-keys")

    @work(exclusive=True, group="share")
    async def action_share(self) -> None:
        r = self.outcome.result
        if not r.new_badges or self.shared or self.outcome.crisis:
            return
        app: Any = self.app
        badge = r.new_badges[-1]
        keys = self.query_one("#reply-keys", PlainText)
        w = speaker(self)
        then_close = N_("{said}  Enter close")
        try:
            outcome = await self._goals.announce(app.member.id, badge, r.after.unit)
        except (GoalError, PostError, StoreBusyError) as error:
            keys.show(w.t(then_close).format(said=w.t(error)))
            return
        self.shared = True
        said = (
            N_("Held for a moderator to look at first.")
            if outcome.held
            else N_("Shared on the Wins board.")
        )
        keys.show(w.t(then_close).format(said=w.t(said)))


async def check_in(screen: Screen[Any], goal: GoalView, *, goals: GoalService) -> bool:
    """The check-in form for `goal`, then the companion's reply; whether it was saved."""
    outcome = await screen.app.push_screen_wait(CheckInScreen(goal, goals=goals))
    if outcome is None:
        return False
    await screen.app.push_screen_wait(CheckInReplyScreen(outcome, goals=goals))
    return True


# -- one goal -------------------------------------------------------------------------
class GoalDetailScreen(_GoalsPanel, LoadingPanel):
    """One goal: streak, progress, the 30-day chart, mood trend, badges and recent notes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "check_in", "Check in"),
        Binding("x", "cheer", "Cheer"),
    ]
    DEFAULT_CSS = default_css(__file__, "GoalDetailScreen")
    FOCUS_ID = "detail-scroll"

    def __init__(self, goal_id: int, *, goals: GoalService) -> None:
        super().__init__(goals=goals)
        self.goal_id = goal_id
        self.detail: GoalDetail | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail-scroll"):
            yield Static(self.t(LOADING), id="detail", markup=False)
        yield from self.footer(
            N_(" C check in   Up/Down scroll   Esc back   F1 help"), keys_id="detail-keys"
        )

    async def reload(self) -> None:
        try:
            self.detail = await self._goals.detail(self.member_id, self.goal_id)
        except (GoalError, StoreBusyError) as error:
            self.query_one("#detail", Static).update(Content(clean_line(self.t(error))))
            return
        self.query_one("#detail", Static).update(detail_text(self.detail, self.bbs))
        if not self._mine():
            self.query_one("#detail-keys", KeyBar).update(
                Content(
                    self.t(N_(" X cheer {name}   Up/Down scroll   Esc back")).format(
                        name=clean_line(self.detail.owner)
                    )
                )
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
        screen.t(N_("A cheer for {name} (a few kind words, up to 200 characters):")).format(
            name=clean_line(name)
        ),
        lambda words: goals.cheer(screen.member_id, recipient_id, words, goal_id=goal_id),
        GoalError,
        StoreBusyError,
    )
    if sent is None:
        return
    if sent.value.note:
        await screen.app.push_screen(NoteScreen(screen.t(sent.value.note)))
    screen.say(N_("Held for a moderator first.") if sent.value.cheer.held else N_("Cheer sent."))


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
        yield from self.heading(
            N_("Accountability partners"),
            N_(
                "Partners see the goals you share with them (visibility partners or "
                "community) and their check-ins, and can cheer you on."
            ),
        )
        yield OptionList(id="partners")
        yield PlainText("", id="status", classes="note")
        with VerticalScroll(id="cheers-scroll"):
            yield Static("", id="cheers", markup=False)
        yield KeyBar(
            N_(" Enter goals I invite A accept D decline X end C cheer L look up Esc back")
        )

    async def reload(self) -> None:
        member_id = self.member_id
        service = self._goals
        try:
            self.partners = await service.partnerships(member_id)
            cheers = await service.cheers(member_id)
        except StoreBusyError:
            self.say(BUSY)
            return
        options = []
        for p in self.partners:
            name = truncate_display(clean_line(p.other), 30).ljust(32)
            if p.status.value == "active":
                state = self.t(N_("partner"))
            elif p.incoming:
                state = self.t(N_("invited you: A accept, D decline"))
            else:
                state = self.t(N_("invitation sent, waiting"))
            options.append(Option(_line((name, "bold"), state), id=str(p.id)))
        self.show_options(
            "partners",
            options,
            empty=N_("No partners yet. Press I to invite someone you trust."),
            keep=True,
        )
        lines = [Content(self.t(N_("Cheers for you:"))).stylize("bold")]
        for c in cheers:
            said = (
                self.t(N_(" (on “{goal}”): {words}")).format(goal=c.goal_title, words=c.body)
                if c.goal_title
                else f": {c.body}"
            )
            lines.append(_line((c.sender, "bold"), said))
        if not cheers:
            lines.append(Content(self.t(N_("None yet."))))
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
            self.say(N_("Once they accept, you can see each other's shared goals here."))

    @work(exclusive=True, group="dialog")
    async def action_look_up(self) -> None:
        found = await ask_then(
            self,
            self.t(N_("Whose community goals would you like to see? (their pseudonym)")),
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
            self.t(N_("Invite whom to be your accountability partner? (their pseudonym)")),
            lambda name: self._goals.invite(self.member_id, name),
            GoalError,
            StoreBusyError,
            max_length=64,
        )
        if invited is None:
            return
        self.say(
            self.t(N_("Invitation sent to {name}.")).format(name=clean_line(invited.value.other))
        )
        await self.reload()

    async def action_answer(self, accept: bool) -> None:
        p = self._selected()
        if p is None or not p.incoming or p.status.value != "pending":
            return
        try:
            await self._goals.answer(self.member_id, p.id, accept)
        except (GoalError, StoreBusyError) as error:
            self.say(error)
            return
        self.say(
            self.t(N_("You and {name} are partners now.")).format(name=clean_line(p.other))
            if accept
            else self.t(N_("Declined. They are not told why."))
        )
        await self.reload()

    @work(exclusive=True, group="dialog")
    async def action_end(self) -> None:
        p = self._selected()
        if p is None:
            return
        ended = await confirm_then(
            self,
            self.t(
                N_("End the partnership with {name}? They will no longer see your goals.")
            ).format(name=clean_line(p.other)),
            lambda: self._goals.end_partnership(self.member_id, p.id),
            GoalError,
            StoreBusyError,
        )
        if ended is None:
            return
        self.say(N_("Ended."))
        await self.reload()

    @work(exclusive=True, group="dialog")
    async def action_cheer(self) -> None:
        p = self._selected()
        if p is None or p.status.value != "active":
            return
        await send_cheer(self, p.other_id, p.other, None, goals=self._goals)


class PartnerGoalsScreen(_GoalsPanel):
    """A partner's shared goals, or any member's community goals; Enter opens one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "cheer", "Cheer"),
    ]
    DEFAULT_CSS = default_css(__file__, "PartnerGoalsScreen")

    def __init__(self, other_id: int, name: str, *, partner: bool, goals: GoalService) -> None:
        super().__init__(goals=goals)
        self.other_id = other_id
        self.other_name = name
        self.partner = partner
        self.summaries: list[GoalSummary] = []

    def compose(self) -> ComposeResult:
        title = (
            self.t(N_("Goals {name} shares with you"))
            if self.partner
            else self.t(N_("{name}'s goals shared with the community"))
        )
        yield PlainText(title.format(name=self.other_name), classes="title")
        yield OptionList(id="partner-goals")
        yield from self.footer(
            N_(" Enter open   C cheer   Esc back   F1 help")
            if self.partner
            else N_(" Enter open   Esc back   F1 help")
        )

    async def on_mount(self) -> None:
        options = self.query_one("#partner-goals", OptionList)
        try:
            self.summaries = await self._goals.shared_goals(self.member_id, self.other_id)
        except (GoalError, StoreBusyError) as error:
            self.say(error)
            return
        self.show_options(
            "partner-goals",
            [Option(goal_line(s, self.bbs), id=str(s.goal.id)) for s in self.summaries],
            empty=N_("No goals are shared with you here."),
        )
        options.focus()

    @on(OptionList.OptionSelected, "#partner-goals")
    def _open(self, event: OptionList.OptionSelected) -> None:
        self.open_chosen(event, lambda n: GoalDetailScreen(n, goals=self._goals))

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
        yield from self.heading(
            N_("Goal settings"),
            N_(
                "Your time zone, like Europe/Berlin or America/Chicago. Your days, "
                "check-ins and streaks follow it."
            ),
        )
        yield TextField("", id="time-zone", max_length=64)
        yield Tick(
            self.t(N_("Check-in companion (automated greetings and encouragement)")),
            value=True,
            id="companion",
        )
        yield PlainText(
            self.t(N_("Help lines after a low mood or a worrying note are always shown.")),
            classes="note",
        )
        yield Button(Content(self.t(SAVE)), id="save", compact=True)
        yield from self.footer(
            N_(" Tab move   Space tick   Enter/Ctrl+S save   Esc back   F1 help")
        )

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
            status.show(self.t(error))
            return
        if prefs.companion:
            saved = N_("Saved. Your time zone is {zone}; the companion is on.")
        else:
            saved = N_("Saved. Your time zone is {zone}; the companion is off.")
        status.show(self.t(saved).format(zone=prefs.time_zone))


# -- the home screen ------------------------------------------------------------------
class CheckInsDue(Static):
    """Home screen reminder: the companion's hello and what is due, C to check in (see
    `CheckInsPart`)."""

    DEFAULT_CSS = default_css(__file__, "CheckInsDue")


class CheckInsPart(HomePart[CheckInsDue]):
    """The home screen's check-ins due: the reminder, built only when there is something
    to say, and the cheers from partners (heard by the screen, on whatever screen is shown)."""

    def __init__(
        self,
        *,
        id: str,
        goals: GoalService,
        greeting: Greeting | None = None,
        speaks: Speaks = ENGLISH,
    ) -> None:
        # With the session's greeting (said by `speaks`), composed with the screen and
        # drawn complete by its first layout; nothing to say is not built at all.
        super().__init__()
        self._id = id
        self._goals = goals
        self._lines = _greeting_lines(speaks, greeting) if greeting is not None else []
        self.due: list[GoalSummary] = greeting.due if greeting is not None else []
        self._screen: Screen[Any] | None = None
        self._cheers: Live | None = None

    @property
    def visible(self) -> bool:
        return bool(self._lines)

    def build(self) -> CheckInsDue:
        return CheckInsDue(Content("\n").join(self._lines), id=self._id, markup=False)

    def paint(self, widget: CheckInsDue) -> None:
        widget.update(Content("\n").join(self._lines))

    def start(self, screen: Screen[Any], member: MemberView | None) -> None:
        """Hear `member`'s cheers on `screen` (mounted; the home screen lives as long as the
        session, so cheers reach the member anywhere)."""
        self._screen = screen
        if member is not None:
            goals = self._goals
            member_id = member.id
            # `Live` runs `_cheered` in this member's own session, whoever sent the cheer.
            self._cheers = Live(screen, self._cheered)
            self._cheers.follow(lambda wake: goals.subscribe_cheers(member_id, wake))

    def close(self) -> None:
        if self._cheers is not None:
            self._cheers.close()
            self._cheers = None

    def _cheered(self, events: list[Event]) -> None:
        screen = self._screen
        assert screen is not None
        for event in events:
            if isinstance(event, CheerEvent):
                screen.app.notify(
                    session_text(screen, N_("{name} cheered you on: {words}")).format(
                        name=clean_line(event.sender), words=clean_line(event.body)
                    ),
                    title=session_text(screen, N_("Cheer")),
                    markup=False,
                    timeout=8,
                )

    async def refresh_due(self, member: MemberView) -> None:
        try:
            greeting = await self._goals.greeting(member.id, member.pseudonym)
        except StoreBusyError:
            return
        self.show_greeting(greeting)

    def show_greeting(self, greeting: Greeting) -> None:
        screen = self._screen
        assert screen is not None
        self.due = greeting.due
        self._lines = _greeting_lines(speaker(screen), greeting)
        self.changed()


def _greeting_lines(w: Speaks, greeting: Greeting) -> list[Content]:
    """The companion's hello and what is due, C to check in (no lines: nothing to say)."""
    due = greeting.due
    lines: list[Content] = []
    if greeting.text:
        lines.append(Content(clean_line(w.t(greeting.text))))
    if due:
        titles = ", ".join(truncate_display(clean_line(s.goal.title), 24) for s in due[:3])
        others = len(due) - 3
        more = (
            w.ngettext(" and {count} more", " and {count} more", others).format(count=others)
            if others > 0
            else ""
        )
        lines.append(
            Content(w.t(N_("Check-ins due: "))).stylize("bold")
            + Content(titles + more)
            + Content(w.t(N_("  (C check in)"))).stylize("bold")
        )
    return lines


async def quick_check_in(screen: Screen[Any], due: CheckInsPart, *, goals: GoalService) -> None:
    """The one-key check-in: the first goal due today, marked done, and the reply shown."""
    app: Any = screen.app
    if not due.due:
        app.push_screen(GoalsScreen(goals=goals))
        return
    goal = due.due[0].goal
    member = app.member
    try:
        outcome = await goals.check_in(member.id, goal.id, CheckInStatus.DONE)
    except (GoalError, StoreBusyError) as error:
        app.notify(clean_line(session_text(screen, error)), markup=False)
        await due.refresh_due(member)
        return
    await due.refresh_due(member)
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
        w = speaker(self)
        shown = ", ".join(
            f"{badge_text(w, b, 'day')} ({truncate_display(clean_line(b.goal_title), 20)})"
            for b in badges[-4:]
        )
        others = len(badges) - 4
        more = (
            w.ngettext(" and {count} more", " and {count} more", others).format(count=others)
            if others > 0
            else ""
        )
        badges_said = (
            w.t(N_("Badges: {badges}.")).format(badges=shown + more)
            if badges
            else w.t(N_("No badges yet."))
        )
        self.show(
            w.t(N_("{badges} Time zone: {zone} (change it in Goals, S).")).format(
                badges=badges_said, zone=prefs.time_zone
            )
        )
