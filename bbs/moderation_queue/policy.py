"""Moderation policy: turns model scores into one action (allow, hold, crisis), stdlib only
(bbs.i18n, for the notes in the member's language, is stdlib too)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Protocol, runtime_checkable

from bbs.i18n import DEFAULT_LANGUAGE, N_, translator

__all__ = [
    "CRISIS_HOLD_KEPT",
    "HOLD_MESSAGE",
    "LABELS",
    "NO_CRISIS_LINES",
    "POSTED_KEPT",
    "RETIRED_THRESHOLDS",
    "Action",
    "LabelledText",
    "ModerationThresholds",
    "Scores",
    "TextScorer",
    "TrustsText",
    "crisis_message",
    "decide",
    "hold_message",
]

LABELS: tuple[str, str, str] = ("harassment", "spam", "crisis")
# Threshold names older configuration files may still carry; accepted and ignored.
RETIRED_THRESHOLDS = frozenset({"crisis_certain"})


@dataclass(frozen=True)
class Scores:
    """Probabilities in [0, 1] that a text is harassment, spam, or written by someone in crisis."""

    harassment: float
    spam: float
    crisis: float
    # The language the text was read as (an ISO 639-1 code such as "es"), "" when unknown.
    lang: str = ""

    def as_dict(self) -> dict[str, float]:
        return {"harassment": self.harassment, "spam": self.spam, "crisis": self.crisis}

    def summary(self) -> str:
        """As a reviewer reads them: "harassment=0.12 spam=0.01 crisis=0.80 lang=es"."""
        scores = " ".join(f"{k}={v:.2f}" for k, v in self.as_dict().items())
        return f"{scores} lang={self.lang}" if self.lang else scores


class Action(StrEnum):
    """What happens to a message after scoring."""

    ALLOW = "allow"
    # Not shown to others until a person reviews it.
    HOLD = "hold"
    # Published as written; the author privately gets crisis lines, moderators get an alert.
    CRISIS = "crisis"
    # Crisis words that are also harassment over its threshold: the author privately gets
    # the crisis lines and a word that a person will read it soon; moderators get a crisis
    # alert at the top of the queue; the text waits for them (appending crisis words to
    # abuse never publishes the abuse).
    CRISIS_HOLD = "crisis_hold"

    @property
    def holds(self) -> bool:
        """Whether the text waits for a moderator before others see it."""
        return self in (Action.HOLD, Action.CRISIS_HOLD)

    @property
    def is_crisis(self) -> bool:
        """Whether the author gets the crisis lines and moderators a crisis alert."""
        return self in (Action.CRISIS, Action.CRISIS_HOLD)


@dataclass(frozen=True)
class ModerationThresholds:
    """Score at or above which a label triggers its action.

    Defaults are the shipped model's (moderation/model/manifest.json "thresholds"), each
    chosen on out-of-fold scores of its training data only (see moderation/MODEL_CARD.md):
    crisis is the highest threshold still finding >= 95% of crisis texts (>= 90% in each
    language), because a missed person in danger costs far more than an unneeded kind
    message; spam the lowest that holds at most 1% of unlabelled texts, harassment the lowest
    that then holds at most 3% of look-alikes and 2% of venting, because holding ordinary
    venting drives members away.
    """

    harassment: float = 0.71
    spam: float = 0.54
    crisis: float = 0.17

    def __post_init__(self) -> None:
        for f in fields(self):
            _check_unit_interval(f.name, getattr(self, f.name))

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> ModerationThresholds:
        """Build thresholds from configuration; missing keys keep their defaults.

        Raises ValueError naming the key when a key is unknown or a value is not a number
        in [0, 1].
        """
        known = {f.name for f in fields(cls)}
        # Retired: a crisis text that is also harassment now always waits for a moderator
        # while its writer gets the crisis lines (see decide), so no score overrides that.
        data = {k: v for k, v in data.items() if k not in RETIRED_THRESHOLDS}
        unknown = sorted(str(k) for k in data if k not in known)
        if unknown:
            raise ValueError(
                f"unknown moderation threshold(s): {', '.join(unknown)}; "
                f"expected some of: {', '.join(sorted(known))}"
            )
        values: dict[str, float] = {}
        for key, raw in data.items():
            values[key] = _parse_threshold(key, raw)
        return cls(**values)


def _parse_threshold(key: str, raw: object) -> float:
    # bool is an int subclass: "true" in a config file is a mistake, not 1.0.
    if isinstance(raw, bool):
        raise ValueError(f"moderation threshold {key!r} must be a number in [0, 1], got {raw!r}")
    if isinstance(raw, int | float):
        value = float(raw)
    elif isinstance(raw, str):
        try:
            value = float(raw.strip())
        except ValueError:
            raise ValueError(
                f"moderation threshold {key!r} must be a number in [0, 1], got {raw!r}"
            ) from None
    else:
        raise ValueError(
            f"moderation threshold {key!r} must be a number in [0, 1], "
            f"got {type(raw).__name__} {raw!r}"
        )
    _check_unit_interval(key, value)
    return value


def _check_unit_interval(key: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"moderation threshold {key!r} must be a number in [0, 1], got {value!r}")
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise ValueError(f"moderation threshold {key!r} must be between 0 and 1, got {value!r}")


def _over(score: float, threshold: float) -> bool:
    # NaN compares false everywhere; a broken score must not silently count as "safe" for
    # crisis, but it also must not hold a message, so NaN is treated as 0 for every label.
    return math.isfinite(score) and score >= threshold


def _score(value: float) -> float:
    return value if math.isfinite(value) else 0.0


def decide(scores: Scores, thresholds: ModerationThresholds | None = None) -> Action:
    """Pick the one action for a message from its scores.

    A text at or above the crisis threshold is never held on its own account: the writer's
    words are published and they privately get the crisis lines (people in crisis are often
    angry, and "I hate myself, I'm worthless" is aimed at no one else). Only when
    harassment is also over its threshold does the text wait for a moderator, as a crisis
    alert at the top of the queue, while its writer at once gets the crisis lines
    (CRISIS_HOLD): crisis words appended to abuse never get the abuse published. Spam never
    outranks crisis.
    """
    t = thresholds if thresholds is not None else ModerationThresholds()
    harassment = _over(scores.harassment, t.harassment)
    if _over(scores.crisis, t.crisis):
        return Action.CRISIS_HOLD if harassment else Action.CRISIS
    if harassment or _over(scores.spam, t.spam):
        return Action.HOLD
    return Action.ALLOW


@runtime_checkable
class TextScorer(Protocol):
    """Anything that scores texts and explains a score (the moderation model satisfies it)."""

    def score(self, texts: Sequence[str]) -> list[Scores]:
        """Scores for each text, in order; never raises on odd input."""
        ...

    def explain(self, text: str, top: int = 5) -> dict[str, list[tuple[str, float]]]:
        """For each label, the terms that pushed its score up most, strongest first."""
        ...


@runtime_checkable
class TrustsText(Protocol):
    """A scorer told the community's own help text (crisis lines, resources), whose numbers
    and links never count toward spam when a member shares them."""

    def set_trusted_text(self, text: str) -> None:
        """Replace the trusted text."""
        ...


@dataclass(frozen=True)
class LabelledText:
    """A text with its three labels, e.g. learned from a sysop's decision on a held post."""

    text: str
    harassment: bool
    spam: bool
    crisis: bool


HOLD_MESSAGE = N_(
    "Your message hasn't been shown to others yet. Our automatic check paused it so that a "
    "person can take a look - this happens now and then, and it doesn't mean you did anything "
    "wrong. A moderator will review it soon, and if it's fine it will appear just as you wrote "
    "it. Thank you for your patience."
)


def hold_message(lang: str = DEFAULT_LANGUAGE) -> str:
    """The kind, non-accusatory note an author sees when their message is held for review."""
    return translator(lang).gettext(HOLD_MESSAGE)


# What a writer whose crisis words also read as harassment is told happened to them: never
# that a rule was broken.
CRISIS_HOLD_KEPT = N_(
    "A person from our moderation team will read your message soon, before others see it."
)
POSTED_KEPT = N_("Your message is posted, just as you wrote it.")
# When the help file is empty: never send a member in danger nowhere.
NO_CRISIS_LINES = N_("Your local emergency number, if you are in danger right now.")


# The crisis note's words around the crisis lines (the companion has its own).
SOUNDS_HARD = N_(
    "It sounds like things may be really hard right now. You're not in trouble, and "
    "you don't have to face this alone. If you are thinking about ending your life, "
    "want to hurt yourself, or are not safe where you are, you can talk to someone "
    "right now:"
)
MODERATOR_TOLD = N_(
    "A moderator has been let know so that someone here can check in with you. The "
    "help screen has these lines any time you need them."
)


def crisis_message(
    crisis_lines: str,
    kept: str = POSTED_KEPT,
    *,
    lang: str = DEFAULT_LANGUAGE,
    sounds: str = SOUNDS_HARD,
    told: str = MODERATOR_TOLD,
) -> str:
    """The calm, private note an author sees when their words sound like they are in danger.

    `crisis_lines` is the community's own list of crisis lines (from its help file, in
    `lang`); it is included as given. `kept`, `sounds` and `told` (English messages marked
    with `N_`) say what happened to what they wrote, how it sounds and who was told; they
    are translated here, with the rest, into `lang`.
    """
    _ = translator(lang).gettext
    lines = crisis_lines.strip() or _(NO_CRISIS_LINES)
    only_you = _("Only you can see this note.")
    return f"{_(kept)} {only_you}\n\n{_(sounds)}\n\n{lines}\n\n{_(told)}"
