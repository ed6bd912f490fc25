"""Goals and check-ins in line mode: goals, checking in (how, mood, note), the companion's
words, the crisis note alone when a note sounds like danger, rest days, partners, cheers."""

from __future__ import annotations

from collections import Counter
from datetime import date
from functools import partial

from bbs.goals.companion import badge_words
from bbs.goals.names import MEASURE_NAMES, SEEN_BY, STATUS_NAMES, value_name
from bbs.goals.records import (
    CATEGORIES,
    NOTE_MAX,
    GoalDetail,
    GoalSummary,
    GoalView,
    PartnershipView,
)
from bbs.goals.service import CheckInOutcome
from bbs.goals.streaks import CheckInStatus, Progress
from bbs.i18n import DEFAULT_LANGUAGE, N_, said_n
from plain.boards import name_of
from plain.forms import (
    KIND_ERRORS,
    NONE_WORD,
    OFF_WORD,
    ON_WORD,
    SAVED,
    TITLE_PROMPT,
    ask_text,
    ask_until,
    confirm,
    whole_number,
)
from plain.menus import Command, command, list_loop, listing, numbered
from plain.session import PlainSession

# -- what members read ----------------------------------------------------------------
TITLE = N_("Goals and check-ins:")
ARCHIVED_TITLE = N_("Archived goals:")
NO_GOALS = N_("No goals yet. Type N to set one.")
NO_ARCHIVED = N_("No archived goals.")
GOAL_LINE = "{title}: {cadence}, {seen}. {streak}.{today}"
DUE = N_(" Due today.")
DONE_TODAY = N_(" Done for today.")
RESTING = N_(" Resting.")
THIS_WEEK = N_(" {done} of {required} this week.")
NO_STREAK = N_("No streak yet")
STREAK = N_("Streak {current} (best {best})")
RESTING_UNTIL = N_("Resting until {day}: streaks wait for you (R ends the rest).")
LIST_PROMPT = N_(
    "Goals: a goal's number to see it, C and a number to check in (like C1), E and a "
    "number to edit, N new goal, P partners and cheers, R rest, S settings, V archived, "
    "0 back: "
)
ARCHIVED_PROMPT = N_(
    "Archived goals: a goal's number to see it, A and a number to bring it back, "
    "V for your goals, 0 back: "
)
LIST_HINT = N_("Type a goal's number, C or E and a number, N, P, R, S, V or 0.")
EDIT_TITLE = N_("Edit {title}. Enter keeps what is in brackets.")
KEEP = " [{value}]: "
EDIT_QUESTIONS = {
    "title": N_("Title"),
    "category": N_("Category ({choices})"),
    "cadence": N_("How often (daily, weekly, or times a week from 1 to 7)"),
    "measure": N_("Measured in (minutes, count, or none)"),
    "target": N_("Target per check-in (a number, or none)"),
    "visibility": N_("Who sees it (private, partners or community)"),
}
MEASURED_IN = N_(", measured in {measure}")
TARGET = N_(", target {target}")
MOOD = N_(", mood {mood}")
DETAIL_TITLE = "{title}"
DETAIL_WHAT = N_("{category}, {cadence}{measure}{target}, {seen}. Since {since}. Owner: {owner}.")
DETAIL_STREAK = "{streak}. {checkins}"
DETAIL_DAYS = N_(
    "Last {days} days: {done} done, {partial} partial, {missed} missed, {rest} "
    "resting, {none} with nothing noted."
)
DETAIL_MOOD = N_("Mood: {average} of 5 on average over the last 7 days{trend}.")
DETAIL_NO_MOOD = N_("Mood: none noted in the last 7 days.")
UP_FROM = N_(", up from {before}")
DOWN_FROM = N_(", down from {before}; be gentle with yourself")
SAME = N_(", about the same as the week before")
BADGES = N_("Badges: {badges}.")
RECENT = N_("Recent check-ins:")
RECENT_LINE = "{day}: {status}{value}{mood}{note}"
DETAIL_PROMPT = N_("Goal: C to check in, A to archive or bring back, 0 back: ")
OTHERS_PROMPT = N_("Goal: X to cheer {owner}, 0 back: ")
DETAIL_HINT = N_("Type C, A or 0.")
CHECK_TITLE = N_("Check in: {title}.")
HOW_PROMPT = N_("How did it go? Type D for done, P for partial, M for missed, or 0 to stop: ")
HOW_AGAIN = N_("Please type D, P or M (or 0 to stop).")
MOOD_PROMPT = N_("Your mood, from 1 (very low) to 5 (very good), or Enter to leave it out: ")
MOOD_AGAIN = N_("A mood is a number from 1 to 5, or Enter to leave it out.")
VALUE_PROMPT = N_("How many {measure}? A whole number, or Enter to leave it out: ")
VALUE_AGAIN = N_("The value is a whole number, like 20. Or Enter to leave it out.")
DAY_PROMPT = N_("Which day? Enter for today, Y for yesterday, or 2 for the day before yesterday: ")
NOTE_PROMPT = N_("A note, if you like (up to {max} characters), or Enter for none: ")
CHECKED = N_("Checked in for {day}: {status}. {streak}.")
SHARE_PROMPT = N_(
    "A new milestone! Type W to share it on the Wins board (only if you want), or Enter to go on: "
)
SHARED = N_("Shared on the Wins board.")
HELD_SHARE = N_("Held for a moderator to look at first.")
NEW_TITLE = N_("A new goal.")
CATEGORY_PROMPT = N_("Category: {choices}. Type one, or Enter for custom: ")
CADENCE_PROMPT = N_(
    "How often: daily, weekly, or a number of times a week (1 to 7). Enter for daily: "
)
MEASURE_PROMPT = N_("Measured in minutes or count, or Enter for neither: ")
TARGET_PROMPT = N_("Target per check-in (a number), or Enter for none: ")
VISIBILITY_PROMPT = N_("Who sees it: private, partners or community. Enter for private: ")
GOAL_SET = N_("Goal set: {title}. C and its number checks in.")
ARCHIVE_QUESTION = N_(
    "Archive this goal? Its check-ins and badges are kept, and you can bring "
    "it back from the archived goals (V)."
)
ARCHIVED = N_("Archived.")
RESTORED = N_("Brought back.")
END_REST_QUESTION = N_("End your rest now?")
REST_ENDED = N_("Welcome back. Check-ins are due again from today.")
REST_PROMPT = N_(
    "Rest for how many days, starting today (1 to 30)? Streaks wait while you rest; "
    "nothing is due. Or 0 to go back: "
)
REST_AGAIN = N_("Please give a number of days from 1 to 30.")
RESTING_NOW = N_("Resting until {day}. Take care of yourself.")
SETTINGS_NOW = N_("Your time zone is {zone}; the companion is {state}.")
ZONE_PROMPT = N_(
    "Time zone, like Europe/Paris or America/Chicago (days and streaks follow it). "
    "Enter keeps {zone}: "
)
COMPANION_QUESTION = N_(
    "Should the check-in companion speak (automated greetings and encouragement)?"
)
PARTNERS_TITLE = N_("Accountability partners and cheers:")
CHEERS_TITLE = N_("Cheers for you:")
CHEER_LINE = N_("{sender} on {goal}: {body}")
NO_PARTNERS = N_("No partners yet. Type I to invite someone.")
PARTNER_LINE = "{name}: {state}"
PARTNER_STATES = {
    "active": N_("partners"),
    "pending_in": N_("invited you (Y and the number accepts, N declines)"),
    "pending_out": N_("invited, waiting for an answer"),
}
PARTNERS_PROMPT = N_(
    "Partners: I to invite someone, Y or N and a number to answer, G and a "
    "number for their goals, X and a number to cheer, E and a number to end, "
    "0 back: "
)
PARTNERS_HINT = N_("Type I, or Y, N, G, X or E with a partner's number, or 0.")
INVITE_PROMPT = N_("Invite whom? Their pseudonym, or 0 to go back: ")
INVITED = N_("Invitation sent to {name}.")
ACCEPTED = N_("You and {name} are partners now.")
DECLINED = N_("Declined.")
END_QUESTION = N_("End your partnership with {name}?")
ENDED = N_("Ended.")
THEIR_GOALS = N_("{name}'s shared goals:")
NO_SHARED = N_("{name} shares no goals with you.")
CHEER_PROMPT = N_("Your cheer for {name} (up to 200 characters), or Enter to go back: ")
CHEER_SENT = N_("Cheer sent to {name}.")

STATUS_KEYS = {
    "d": CheckInStatus.DONE,
    "done": CheckInStatus.DONE,
    "p": CheckInStatus.PARTIAL,
    "partial": CheckInStatus.PARTIAL,
    "m": CheckInStatus.MISSED,
    "missed": CheckInStatus.MISSED,
}


def _length(s: PlainSession, n: int, unit: str) -> str:
    """A streak's length: the unit is the goal's cadence ("day" or "week")."""
    if unit == "week":
        return s.t(said_n("{count} week", "{count} weeks", n))
    return s.t(said_n("{count} day", "{count} days", n))


def _measure(s: PlainSession, measure: str) -> str:
    return value_name(s.t, MEASURE_NAMES, measure)


def _status(s: PlainSession, status: CheckInStatus) -> str:
    return value_name(s.t, STATUS_NAMES, status.value)


def day_text(s: PlainSession, day: date, *, long: bool = False) -> str:
    """`Mon 04 Dec` (or `Monday 04 December`) in the session's language."""
    if s.language == DEFAULT_LANGUAGE:
        return f"{day:%A %d %B}" if long else f"{day:%a %d %b}"
    from babel.dates import format_date

    return format_date(day, "EEEE d MMMM" if long else "EEE d MMM", locale=s.language)


def _date(s: PlainSession, day: date) -> str:
    """`04 Dec 2026` in the session's language."""
    if s.language == DEFAULT_LANGUAGE:
        return f"{day:%d %b %Y}"
    from babel.dates import format_date

    return format_date(day, "d MMM y", locale=s.language)


def streak_text(s: PlainSession, p: Progress) -> str:
    if p.current_streak == 0 and p.best_streak == 0:
        return s.t(NO_STREAK)
    return s.t(STREAK).format(current=_length(s, p.current_streak, p.unit), best=p.best_streak)


def today_text(s: PlainSession, p: Progress) -> str:
    if p.resting_today:
        return s.t(RESTING)
    if p.required > 1:
        return s.t(THIS_WEEK).format(done=p.this_period, required=p.required)
    if p.period_met:
        return s.t(DONE_TODAY)
    return s.t(DUE) if p.due_today else ""


def goal_line(s: PlainSession, summary: GoalSummary) -> str:
    g, p = summary.goal, summary.progress
    return GOAL_LINE.format(
        title=g.title,
        cadence=s.t(g.cadence.describe()),
        seen=s.t(SEEN_BY[g.visibility.value]),
        streak=streak_text(s, p),
        today=today_text(s, p),
    )


async def run(s: PlainSession) -> None:
    console, goals, member = s.console, s.services.goals, s.member
    archived = False

    async def load() -> list[GoalSummary]:
        return await goals.goals(member.id, archived=archived)

    async def show(summaries: list[GoalSummary]) -> str:
        lines = [s.t(ARCHIVED_TITLE) if archived else s.t(TITLE)]
        resting = None if archived else await goals.resting_until(member.id)
        if resting is not None:
            lines.append(s.t(RESTING_UNTIL).format(day=day_text(s, resting)))
        if summaries:
            lines.append(numbered([goal_line(s, x) for x in summaries]))
        else:
            lines.append(s.t(NO_ARCHIVED) if archived else s.t(NO_GOALS))
        return "\n".join(lines)

    async def act(answer: Command, summaries: list[GoalSummary]) -> bool | None:
        nonlocal archived
        word = answer.word
        index = answer.index(len(summaries))
        chosen = summaries[index] if index is not None else None
        if answer.is_word("v", "archived"):
            archived = not archived
        elif not word and chosen is not None:
            await detail(s, chosen.goal.id)
        elif word in ("c", "check") and chosen is not None and not archived:
            await check_in(s, chosen.goal)
            return False
        elif word in ("a", "archive") and chosen is not None:
            await archive(s, chosen.goal)
        elif word in ("e", "edit") and chosen is not None and not archived:
            await edit_goal(s, chosen.goal)
        elif archived:
            return None
        elif answer.is_word("n", "new"):
            await new_goal(s)
        elif answer.is_word("p", "partners"):
            await partners(s)
            return False
        elif answer.is_word("r", "rest"):
            await rest(s)
        elif answer.is_word("s", "settings"):
            await settings(s)
            return False
        else:
            return None
        return True

    def prompt(_summaries: list[GoalSummary]) -> str:
        return s.t(ARCHIVED_PROMPT) if archived else s.t(LIST_PROMPT)

    await list_loop(console, prompt, s.t(LIST_HINT), load=load, show=show, act=act)


def detail_text(s: PlainSession, d: GoalDetail) -> str:
    g, p = d.summary.goal, d.summary.progress
    counts = Counter(
        "rest" if m.resting and m.status is None else (m.status.value if m.status else "none")
        for m in d.marks
    )
    lines = [
        DETAIL_TITLE.format(title=g.title),
        s.t(DETAIL_WHAT).format(
            category=g.category,
            cadence=s.t(g.cadence.describe()),
            measure=s.t(MEASURED_IN).format(measure=_measure(s, g.measure)) if g.measure else "",
            target=s.t(TARGET).format(target=g.target) if g.target else "",
            seen=s.t(SEEN_BY[g.visibility.value]),
            since=_date(s, g.start_date),
            owner=d.owner,
        ),
        DETAIL_STREAK.format(
            streak=streak_text(s, p),
            checkins=s.t(
                said_n("{count} check-in in all.", "{count} check-ins in all.", p.total_check_ins)
            ),
        )
        + today_text(s, p),
        s.t(DETAIL_DAYS).format(
            days=len(d.marks),
            done=counts["done"],
            partial=counts["partial"],
            missed=counts["missed"],
            rest=counts["rest"],
            none=counts["none"],
        ),
    ]
    recent = [m.mood for m in d.marks[-7:] if m.mood]
    earlier = [m.mood for m in d.marks[-14:-7] if m.mood]
    if recent:
        now = sum(recent) / len(recent)
        trend = ""
        if earlier:
            before = sum(earlier) / len(earlier)
            trend = (
                s.t(UP_FROM)
                if now - before >= 0.5
                else s.t(DOWN_FROM)
                if before - now >= 0.5
                else s.t(SAME)
            ).format(before=f"{before:.1f}")
        lines.append(s.t(DETAIL_MOOD).format(average=f"{now:.1f}", trend=trend))
    else:
        lines.append(s.t(DETAIL_NO_MOOD))
    if d.badges:
        lines.append(s.t(BADGES).format(badges=s.t(badge_words(d.badges, p.unit))))
    if d.recent:
        lines.append(s.t(RECENT))
        for c in d.recent[:5]:
            lines.append(
                RECENT_LINE.format(
                    day=day_text(s, c.local_date),
                    status=_status(s, c.status),
                    value=f", {c.value} {_measure(s, g.measure)}" if c.value is not None else "",
                    mood=s.t(MOOD).format(mood=c.mood) if c.mood else "",
                    note=f": {c.note}" if c.note else "",
                )
            )
    return "\n".join(lines)


async def detail(s: PlainSession, goal_id: int) -> None:
    console = s.console
    while True:
        d = await s.services.goals.detail(s.member.id, goal_id)
        goal = d.summary.goal
        mine = goal.member_id == s.member.id
        await console.say(detail_text(s, d))
        prompt = s.t(DETAIL_PROMPT) if mine else s.t(OTHERS_PROMPT).format(owner=d.owner)
        answer = command(await console.ask(prompt))
        if answer.back or answer.empty:
            return
        if mine and answer.word in ("c", "check") and not goal.archived:
            await check_in(s, goal)
        elif mine and answer.word in ("a", "archive"):
            await archive(s, goal)
            return
        elif not mine and answer.word in ("x", "cheer"):
            await cheer(s, goal.member_id, d.owner, goal.id)
            return
        else:
            await console.say(s.t(DETAIL_HINT))


async def check_in(s: PlainSession, goal: GoalView) -> None:
    """How it went, mood, value, day and note; then the companion, or the crisis note alone."""
    console = s.console
    await console.say(s.t(CHECK_TITLE).format(title=goal.title))
    status = await ask_until(
        console,
        s.t(HOW_PROMPT),
        s.t(HOW_AGAIN),
        lambda answer: STATUS_KEYS.get(answer.lower()),
        stop=("0", "back", "cancel"),
    )
    if status is None:
        return
    mood = await ask_until(
        console, s.t(MOOD_PROMPT), s.t(MOOD_AGAIN), lambda a: whole_number(a, 1, 5), stop=("",)
    )
    value = (
        await ask_until(
            console,
            s.t(VALUE_PROMPT).format(measure=_measure(s, goal.measure)),
            s.t(VALUE_AGAIN),
            lambda a: int(a) if a.isdecimal() and len(a) <= 8 else None,
            stop=("",),
        )
        if goal.measure
        else None
    )
    day = (await console.ask(s.t(DAY_PROMPT))).strip().lower()
    days_ago = {"y": 1, "yesterday": 1, "2": 2}.get(day, 0)
    note = await console.ask(s.t(NOTE_PROMPT).format(max=NOTE_MAX))
    outcome = await s.services.goals.check_in(
        s.member.id, goal.id, status, days_ago=days_ago, value=value, mood=mood, note=note
    )
    await tell_check_in(s, outcome)


async def tell_check_in(s: PlainSession, o: CheckInOutcome) -> None:
    console = s.console
    if o.crisis:
        # Someone may be in danger: the crisis note alone, with nothing cheerful beside it.
        await console.say(s.t(o.help))
        return
    r, p = o.result, o.result.after
    lines = [
        s.t(CHECKED).format(
            day=day_text(s, r.check_in.local_date, long=True),
            status=_status(s, r.check_in.status),
            streak=streak_text(s, p),
        )
    ]
    if o.companion:
        lines.append(s.t(o.companion))
    if o.help:
        lines.append("")
        lines.append(s.t(o.help))
    await console.say("\n".join(lines))
    if r.new_badges:
        answer = (await console.ask(s.t(SHARE_PROMPT))).strip().lower()
        if answer in ("w", "share"):
            outcome = await s.services.goals.announce(s.member.id, r.new_badges[-1], p.unit)
            await console.say(s.t(HELD_SHARE) if outcome.held else s.t(SHARED))


async def new_goal(s: PlainSession) -> None:
    console = s.console
    await console.say(s.t(NEW_TITLE))
    title = await ask_text(console, s.t(TITLE_PROMPT))
    if title is None:
        return
    fields = {
        "title": title,
        "category": (await console.ask(s.t(CATEGORY_PROMPT).format(choices=", ".join(CATEGORIES))))
        .strip()
        .lower()
        or "custom",
        "cadence": (await console.ask(s.t(CADENCE_PROMPT))).strip().lower() or "daily",
        "measure": (await console.ask(s.t(MEASURE_PROMPT))).strip().lower(),
        "target": (await console.ask(s.t(TARGET_PROMPT))).strip(),
        "visibility": (await console.ask(s.t(VISIBILITY_PROMPT))).strip().lower() or "private",
    }
    saved = await s.services.goals.create_goal(s.member.id, **fields)
    if saved.crisis:
        # The title sounded like its author may be in danger: the crisis lines, now.
        await console.say(s.t(saved.crisis_words))
        return
    await console.say(s.t(GOAL_SET).format(title=saved.title))


async def edit_goal(s: PlainSession, goal: GoalView) -> None:
    """Each field asked again, showing what it is now; Enter keeps it."""
    console = s.console
    cadence = (
        str(goal.cadence.times)
        if goal.cadence.kind.value == "per_week"
        else goal.cadence.kind.value
    )
    now = {
        "title": goal.title,
        "category": goal.category,
        "cadence": cadence,
        "measure": goal.measure or s.t(NONE_WORD),
        "target": str(goal.target) if goal.target else s.t(NONE_WORD),
        "visibility": goal.visibility.value,
    }
    await console.say(s.t(EDIT_TITLE).format(title=goal.title))
    fields: dict[str, str] = {}
    for name, question in EDIT_QUESTIONS.items():
        asked = s.t(question).format(choices=", ".join(CATEGORIES))
        answer = (await console.ask(asked + KEEP.format(value=now[name]))).strip() or now[name]
        fields[name] = "" if answer.lower() in console.words(NONE_WORD, NONE_WORD) else answer
    saved = await s.services.goals.update_goal(s.member.id, goal.id, **fields)
    if saved.crisis:
        await console.say(s.t(saved.crisis_words))
        return
    await console.say(s.t(SAVED))


async def archive(s: PlainSession, goal: GoalView) -> None:
    if not goal.archived and not await confirm(s.console, s.t(ARCHIVE_QUESTION)):
        return
    await s.services.goals.archive_goal(s.member.id, goal.id, archived=not goal.archived)
    await s.console.say(s.t(RESTORED) if goal.archived else s.t(ARCHIVED))


async def rest(s: PlainSession) -> None:
    console, goals, member = s.console, s.services.goals, s.member
    if await goals.resting_until(member.id) is not None:
        if await confirm(console, s.t(END_REST_QUESTION)):
            await goals.end_rest(member.id)
            await console.say(s.t(REST_ENDED))
        return
    days = await ask_until(
        console, s.t(REST_PROMPT), s.t(REST_AGAIN), lambda a: whole_number(a, 1, 30), stop=("", "0")
    )
    if days is None:
        return
    resting = await goals.rest(member.id, days)
    await console.say(s.t(RESTING_NOW).format(day=day_text(s, resting.end)))


async def settings(s: PlainSession) -> None:
    console, goals, member = s.console, s.services.goals, s.member
    prefs = await goals.settings(member.id)
    await console.say(
        s.t(SETTINGS_NOW).format(
            zone=prefs.time_zone, state=s.t(ON_WORD) if prefs.companion else s.t(OFF_WORD)
        )
    )
    zone = (
        await console.ask(s.t(ZONE_PROMPT).format(zone=prefs.time_zone))
    ).strip() or prefs.time_zone
    companion = await confirm(console, s.t(COMPANION_QUESTION))
    saved = await goals.set_settings(member.id, time_zone=zone, companion=companion)
    await console.say(
        s.t(SETTINGS_NOW).format(
            zone=saved.time_zone, state=s.t(ON_WORD) if saved.companion else s.t(OFF_WORD)
        )
    )


async def partners(s: PlainSession) -> None:
    console, goals, member = s.console, s.services.goals, s.member

    async def load() -> list[PartnershipView]:
        return await goals.partnerships(member.id)

    async def show(found: list[PartnershipView]) -> str:
        lines = []
        cheers = await goals.cheers(member.id, mark_seen=True)
        if cheers:
            lines.append(s.t(CHEERS_TITLE))
            lines.extend(
                s.t(CHEER_LINE).format(
                    sender=name_of(s, c.sender), goal=c.goal_title or "-", body=c.body
                )
                for c in cheers[:10]
            )
        lines.append(s.t(PARTNERS_TITLE))
        if found:
            lines.append(
                numbered(
                    [
                        PARTNER_LINE.format(
                            name=p.other, state=_state(s, p.status.value, p.incoming)
                        )
                        for p in found
                    ]
                )
            )
        else:
            lines.append(s.t(NO_PARTNERS))
        return "\n".join(lines)

    await list_loop(
        console,
        s.t(PARTNERS_PROMPT),
        s.t(PARTNERS_HINT),
        load=load,
        show=show,
        act=partial(_on_partner, s),
        errors=KIND_ERRORS,
    )


async def _on_partner(
    s: PlainSession, answer: Command, found: list[PartnershipView]
) -> bool | None:
    """One answer at the partners' prompt; True when the list changed, None when the
    answer means nothing here."""
    console, goals, member = s.console, s.services.goals, s.member
    word = answer.word
    index = answer.index(len(found))
    chosen = found[index] if index is not None else None
    if answer.is_word("i", "invite"):
        name = await ask_text(console, s.t(INVITE_PROMPT))
        if name is not None:
            made = await goals.invite(member.id, name)
            await console.say(s.t(INVITED).format(name=made.other))
            return True
    elif chosen is None:
        return None
    elif word in ("y", "yes", "accept"):
        await goals.answer(member.id, chosen.id, True)
        await console.say(s.t(ACCEPTED).format(name=chosen.other))
        return True
    elif word in ("n", "no", "decline"):
        await goals.answer(member.id, chosen.id, False)
        await console.say(s.t(DECLINED))
        return True
    elif word in ("e", "end"):
        if await confirm(console, s.t(END_QUESTION).format(name=chosen.other)):
            await goals.end_partnership(member.id, chosen.id)
            await console.say(s.t(ENDED))
            return True
    elif word in ("g", "goals"):
        shared = await goals.partner_goals(member.id, chosen.other_id)
        await console.say(
            listing(s.t(THEIR_GOALS).format(name=chosen.other), [goal_line(s, x) for x in shared])
            if shared
            else s.t(NO_SHARED).format(name=chosen.other)
        )
    elif word in ("x", "cheer"):
        await cheer(s, chosen.other_id, chosen.other, None)
    else:
        return None
    return False


def _state(s: PlainSession, status: str, incoming: bool) -> str:
    if status == "pending":
        return s.t(PARTNER_STATES["pending_in" if incoming else "pending_out"])
    return s.t(PARTNER_STATES[status]) if status in PARTNER_STATES else status


async def cheer(s: PlainSession, recipient_id: int, name: str, goal_id: int | None) -> None:
    body = await ask_text(s.console, s.t(CHEER_PROMPT).format(name=name))
    if body is None:
        return
    outcome = await s.services.goals.cheer(s.member.id, recipient_id, body, goal_id=goal_id)
    await s.console.say(s.t(outcome.note) if outcome.note else s.t(CHEER_SENT).format(name=name))
