"""What a member's terminal can show, from what the client tells us (TERM, COLORTERM, NO_COLOR)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from bbs.models import ColourMode


class ColourDepth(StrEnum):
    TRUECOLOR = "truecolor"
    EIGHT_BIT = "256"
    STANDARD = "16"
    MONOCHROME = "mono"


_MONOCHROME_TERMS = ("vt100", "vt102", "vt52", "dumb", "ansi-mono", "xterm-mono")


def detect_colour_depth(term: str | None, environment: Mapping[str, str]) -> ColourDepth:
    """Truecolor only when COLORTERM says so; 256 by default (OpenSSH sends no COLORTERM)."""
    term = (term or "").lower()
    if "NO_COLOR" in environment or term in _MONOCHROME_TERMS or term.endswith("-mono"):
        return ColourDepth.MONOCHROME
    if environment.get("COLORTERM", "").lower() in ("truecolor", "24bit"):
        return ColourDepth.TRUECOLOR
    if term in ("linux", "cons25", "xterm-16color", "rxvt", "vt220", "screen-16color"):
        return ColourDepth.STANDARD
    return ColourDepth.EIGHT_BIT


def effective_depth(detected: ColourDepth, choice: ColourMode) -> ColourDepth:
    """The member's own choice wins over what the client claimed."""
    if choice is ColourMode.MONOCHROME:
        return ColourDepth.MONOCHROME
    if choice is ColourMode.SIXTEEN:
        return ColourDepth.STANDARD
    return detected
