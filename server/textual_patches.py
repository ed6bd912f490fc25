"""Process-wide fixes that let many Textual apps share one process and one event loop."""

from __future__ import annotations

import contextlib
from typing import Any

import textual.app as textual_app

_applied = False


def apply_textual_patches() -> None:
    """Neutralise App's sys.stdout/sys.stderr swap.

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
    _applied = True
