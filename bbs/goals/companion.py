"""The check-in companion: short, warm, automated words chosen by context; never clinical."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bbs.goals.records import BadgeView, CheckInResult, GoalSummary
from bbs.goals.streaks import CheckInStatus
from bbs.i18n import DEFAULT_LANGUAGE, N_, Said, said, said_n, translator
from bbs.moderation_queue.policy import NO_CRISIS_LINES, crisis_message

LABEL = "(automated)"

# Safe-messaging rules these texts follow: no methods, no numbers of harm, no judgement of
# a missed day, no "you should"; low moods get people, not advice.
# Each is said in the member's language where it is shown (`Said`, `N_`).
_GREETINGS = (
    N_("Hello, {name}. Good to see you."),
    N_("Hi {name}, welcome back."),
    N_("Hello again, {name}."),
)
_FIRST_HELLO = N_("Welcome, {name}. When you set yourself a goal, I'll help you keep track of it.")
_NOTHING_DUE = (
    N_("Nothing is due today. Rest counts too."),
    N_("You're all caught up for today."),
)
_KEPT = (
    N_("Checked in. That's {streak} in a row: nice and steady."),
    N_("Done, and your streak is {streak}. Small steps add up."),
    N_("Noted. {streak} in a row now; keep being kind to yourself."),
)
_STARTED = (
    N_("Checked in. Every streak starts with one."),
    N_("Noted. A fresh start is still a start."),
)
_RESTARTED = (
    N_("Welcome back. Picking it up again is the part that matters."),
    N_("Good to see you back at it. Today counts, and so do you."),
)
_PARTIAL = (
    N_("Some is more than none. It still counts toward your streak."),
    N_("A partial day is still showing up. Well done."),
)
_MISSED = (
    N_("Thanks for being honest about today. Tomorrow is a new page."),
    N_("Noted, no judgement. Showing up to say so counts for something."),
)
_LOW_MOOD = N_(
    "Thank you for telling us it's a hard day. You don't have to carry it alone: "
    "the help screen (F1) lists people you can talk to, any time."
)
_MILESTONE = N_("Milestone: {badges}!")
# Two sentences one after the other (a language that joins them differently may say so).
_THEN = N_("{first} {then}")
# Items of a short list, such as badge names.
_AND = N_("{first}, {then}")


def _pick(options: Sequence[str], *seed: object) -> str:
    # Stable per goal and day: the same check-in gets the same words on every screen.
    key = "|".join(str(s) for s in seed).encode()
    return options[zlib.crc32(key) % len(options)]


def _joined(template: str, parts: Sequence[str]) -> Said:
    """`parts` (each a `Said` or an `N_` message) one after another, as one message."""
    joined = parts[0] if isinstance(parts[0], Said) else said(parts[0])
    for part in parts[1:]:
        joined = said(template, first=joined, then=part if isinstance(part, Said) else said(part))
    return joined


def label(text: str) -> Said:
    """Mark text as the companion's, so no one mistakes it for a person."""
    return said("Companion (automated): {text}", text=text)


def _unit(n: int, unit: str) -> Said:
    if unit == "week":
        return said_n("{count} week", "{count} weeks", n)
    return said_n("{count} day", "{count} days", n)


def greeting(
    name: str, due: Sequence[GoalSummary], today: date, *, first_visit: bool = False
) -> str:
    """What the companion says on login: hello, and what is due today."""
    if first_visit and not due:
        return label(said(_FIRST_HELLO, name=name))
    if first_visit:
        hello = said("Welcome, {name}.", name=name)
    else:
        hello = said(_pick(_GREETINGS, name, today), name=name)
    if not due:
        return label(_joined(_THEN, [hello, _pick(_NOTHING_DUE, name, today)]))
    if len(due) == 1:
        return label(
            said(
                "{hello} “{title}” is ready for a check-in today. Press C to check in.",
                hello=hello,
                title=due[0].goal.title,
            )
        )
    return label(
        said_n(
            "{hello} {count} goal is ready for a check-in today. Press C to check in.",
            "{hello} {count} goals are ready for a check-in today. Press C to check in.",
            len(due),
            hello=hello,
        )
    )


def badge_words(badges: Sequence[BadgeView], unit: str) -> str:
    if not badges:
        return ""
    return _joined(_AND, [b.label(unit) for b in badges])


@dataclass(frozen=True)
class CompanionReply:
    """The companion's answer to a check-in, and whether to bring help forward."""

    text: str
    # True for a low mood: the screen offers the help lines (crisis notes always get them).
    offer_help: bool


def reply(result: CheckInResult) -> CompanionReply:
    """Encouragement chosen by context: milestone, streak kept, broken, partial, low mood."""
    check_in = result.check_in
    after, before = result.after, result.before
    seed = (result.goal.id, check_in.local_date)
    parts: list[str] = []
    if check_in.status is CheckInStatus.MISSED:
        parts.append(_pick(_MISSED, *seed))
    elif check_in.status is CheckInStatus.PARTIAL:
        parts.append(_pick(_PARTIAL, *seed))
    elif after.current_streak >= 2:
        parts.append(said(_pick(_KEPT, *seed), streak=_unit(after.current_streak, after.unit)))
    elif before.best_streak >= 2:
        parts.append(_pick(_RESTARTED, *seed))
    else:
        parts.append(_pick(_STARTED, *seed))
    if result.new_badges:
        parts.append(said(_MILESTONE, badges=badge_words(result.new_badges, after.unit)))
    low = check_in.mood is not None and check_in.mood <= 2
    if low:
        # Gently, after the encouragement, not instead of it.
        parts.append(_LOW_MOOD)
    return CompanionReply(label(_joined(_THEN, parts)), offer_help=low)


CHECK_IN_SAVED = N_("Your check-in is saved.")
CHEER_SENT = N_("Your cheer is sent.")
GOAL_SAVED = N_("Your goal is saved, just as you wrote it.")
CHECK_IN_SOUNDS_HARD = N_(
    "What you wrote sounds like things may be really hard right now. You're not in "
    "trouble, and you don't have to face this alone. If you are thinking about ending "
    "your life, want to hurt yourself, or are not safe where you are, you can talk to "
    "someone right now:"
)
CHECK_IN_MODERATOR_TOLD = N_(
    "A moderator has been let know so that someone here can check in with you. The "
    "help screen (F1) has these lines any time you need them."
)


def crisis_note(
    crisis_lines: str, kept: str = CHECK_IN_SAVED, *, lang: str = DEFAULT_LANGUAGE
) -> str:
    """Private words for a check-in note that sounds like the member may be in danger.

    `kept` (an English message marked with `N_`) says what happened to what they wrote;
    the whole note, `kept` included, is in `lang`.
    """
    return crisis_message(
        crisis_lines, kept, lang=lang, sounds=CHECK_IN_SOUNDS_HARD, told=CHECK_IN_MODERATOR_TOLD
    )


def low_mood_help(crisis_lines: str, *, lang: str = DEFAULT_LANGUAGE) -> str:
    """The help lines, offered gently after a low mood (not an alarm: no one was alerted)."""
    _ = translator(lang).gettext
    lines = crisis_lines.strip() or _(NO_CRISIS_LINES)
    return (
        _(
            "Hard days happen, and you reached out by checking in. If you'd like to talk to "
            "someone, these people are there for it:"
        )
        + f"\n\n{lines}\n\n"
        + _("Your partners and the boards are here too. F1 shows this any time.")
    )
