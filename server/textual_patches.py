"""Process-wide fixes that let many Textual apps share one process and one event loop."""

from __future__ import annotations

import contextlib
from typing import Any

import textual.app as textual_app

_applied = False


def apply_textual_patches() -> None:
    """Neutralise App's sys.stdout/sys.stderr swap, and share parsed CSS between apps.

    App._process_messages wraps each app's run in redirect_stdout/redirect_stderr,
    a process-global swap. With many apps whose lifetimes interleave, the restores
    happen out of order, sys.stdout is left pointing at a dead app's capture object,
    and that app (with its whole DOM) can never be freed.
    """
    global _applied
    if _applied:
        return

    def _no_redirect(_target: Any) -> contextlib.nullcontext[None]:
        return contextlib.nullcontext()

    textual_app.redirect_stdout = _no_redirect  # type: ignore[attr-defined,assignment]
    textual_app.redirect_stderr = _no_redirect  # type: ignore[attr-defined,assignment]
    _share_parsed_css()
    _applied = True


class _SharedRuleCache:
    """Parsed CSS rules shared by every app in the process, keyed by the CSS variables.

    Each Textual app parses the same stylesheets (ours and every widget's defaults) on
    start; that was a third of an app's start-up CPU. Parsed rule sets are only read
    after parsing, so apps with the same theme variables can share them.
    """

    def __init__(self, limit: int = 512) -> None:
        self._rules: dict[tuple[object, ...], list[Any]] = {}
        self._limit = limit

    def lookup(self, stylesheet: Any, key: tuple[object, ...], parse: Any) -> list[Any]:
        variables = stylesheet._variables
        fingerprint = getattr(stylesheet, "_bbs_variables_key", None)
        if fingerprint is None or fingerprint[0] is not variables:
            fingerprint = (variables, hash(tuple(sorted(variables.items()))))
            stylesheet._bbs_variables_key = fingerprint
        full_key = (fingerprint[1], *key)
        rules = self._rules.get(full_key)
        if rules is None:
            rules = parse()
            if len(self._rules) >= self._limit:
                self._rules.clear()
            self._rules[full_key] = rules
        return rules


def _share_parsed_css() -> None:
    from textual.css.stylesheet import Stylesheet

    cache = _SharedRuleCache()
    original = Stylesheet._parse_rules

    def _parse_rules(
        self: Stylesheet,
        css: str,
        read_from: Any,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[Any]:
        key = (css, read_from, is_default_rules, tie_breaker, scope)
        return cache.lookup(
            self,
            key,
            lambda: original(self, css, read_from, is_default_rules, tie_breaker, scope),
        )

    Stylesheet._parse_rules = _parse_rules  # type: ignore[method-assign]
