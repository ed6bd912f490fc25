"""Lists and runs of sentences the core builds from parts, each part said in the reader's
language: names joined with commas, sentences one after another."""

from __future__ import annotations

from bbs.i18n import said


def listed(items: list[str]) -> str:
    """Items (a member's own words, or `Said`) as one list "A, B, C": a `Said` when there
    are several, so our own words among them are said in the reader's language too.

    Built as a balanced tree of "{first}, {then}", so a long list stays shallow.
    """
    if len(items) <= 1:
        return items[0] if items else ""
    half = len(items) // 2
    return said("{first}, {then}", first=listed(items[:half]), then=listed(items[half:]))


def sentences(*parts: str) -> str:
    """Whole sentences one after another, separated by a space (each said on its own)."""
    kept = [part for part in parts if part]
    if len(kept) <= 1:
        return kept[0] if kept else ""
    half = len(kept) // 2
    return said("{first} {then}", first=sentences(*kept[:half]), then=sentences(*kept[half:]))


def lines_of(lines: list[str]) -> str:
    """Lines of a page one under another (each said on its own; "" is an empty line)."""
    if len(lines) <= 1:
        return lines[0] if lines else ""
    half = len(lines) // 2
    return said("{first}\n{then}", first=lines_of(lines[:half]), then=lines_of(lines[half:]))
