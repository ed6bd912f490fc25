"""The moderation gate every post and chat line passes: score off the loop, decide, explain."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from bbs.moderation_queue.policy import (
    Action,
    ModerationThresholds,
    Scores,
    TextScorer,
    TrustsText,
    decide,
)

log = logging.getLogger(__name__)

# Texts longer than this are scored on their first part: a model does not need 1 MB to judge.
MAX_SCORED_CHARS = 20_000


@dataclass(frozen=True)
class Verdict:
    """What the gate decided about one text, and the scores behind it."""

    action: Action
    scores: Scores
    why: Mapping[str, list[tuple[str, float]]] = field(default_factory=dict)

    @property
    def held(self) -> bool:
        """Waits for a moderator before others see it (HOLD or CRISIS_HOLD)."""
        return self.action.holds

    @property
    def crisis(self) -> bool:
        """The author gets the crisis lines, moderators a crisis alert."""
        return self.action.is_crisis


UNSCORED = Verdict(Action.ALLOW, Scores(0.0, 0.0, 0.0))


class ModerationGate:
    """Scores texts in a worker thread so no member's post stalls anyone's screen.

    Without a model (it failed to load, or a test runs without one) every text is
    allowed and the gate says so in the log once: people still review reports.
    """

    def __init__(
        self,
        scorer: TextScorer | None,
        thresholds: ModerationThresholds | None = None,
    ) -> None:
        self.scorer = scorer
        self.thresholds = thresholds or ModerationThresholds()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bbs-moderation")
        self._warned = False
        self._trusted = ""

    def set_scorer(self, scorer: TextScorer | None) -> None:
        self.scorer = scorer
        self.set_trusted_text(self._trusted)

    @property
    def trusted_text(self) -> str:
        return self._trusted

    def set_trusted_text(self, text: str) -> None:
        """The community's help text: its crisis lines and resource links never count
        toward spam when a member shares them (kept across a model reload)."""
        self._trusted = text
        if isinstance(self.scorer, TrustsText):
            self.scorer.set_trusted_text(text)

    def _check_now(self, text: str, explain: bool) -> Verdict:
        scorer = self.scorer
        if scorer is None:
            if not self._warned:
                self._warned = True
                log.warning("moderation model not loaded: texts are not being scored")
            return UNSCORED
        sample = text[:MAX_SCORED_CHARS]
        try:
            [scores] = scorer.score([sample])
        except Exception:
            log.exception("moderation scoring failed; allowing the text")
            return UNSCORED
        action = decide(scores, self.thresholds)
        why = scorer.explain(sample) if explain and action is not Action.ALLOW else {}
        return Verdict(action, scores, why)

    async def check(self, text: str, *, explain: bool = True) -> Verdict:
        """The verdict for one text; explanations only for texts that are not simply allowed."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self._check_now, text, explain)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
