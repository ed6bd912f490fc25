"""Plain text for a line terminal: cleaned, typographic marks made ASCII, wrapped at words.

Everything the line front end prints passes `rows()`: member text and our own wording
alike are cleaned with `bbs.text_safety` (no control characters, no bidi overrides, so
nothing can become an escape sequence), and wrapped to rows that never reach the
terminal's last column (a terminal that wraps at once would otherwise add blank rows).
"""

from __future__ import annotations

import re
from functools import lru_cache

from bbs.text_safety import cell_width, clean_text

# Typographic punctuation the core's texts use, as ASCII: a dumb terminal, a braille line
# or an 8-bit terminal shows these plainly, and English text then needs no byte >= 0x80.
ASCII_MARKS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2026": "...",
        "\u2013": "-",
        "\u2014": "-",
        "\u2012": "-",
        "\u2010": "-",
        "\u2011": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u00b7": "-",
        "\u2022": "*",
        "\u2192": "->",
        "\u2190": "<-",
        "\u00d7": "x",
    }
)

# A list item's marker: continuation rows line up after it.
_MARKER = re.compile(r"^( *)((?:\d{1,3}[.)]|[-*]) )?")


def plain(text: str) -> str:
    """`text` cleaned for a terminal (newlines kept) with typographic marks as ASCII."""
    cleaned = clean_text(text)
    return cleaned if cleaned.isascii() else cleaned.translate(ASCII_MARKS)


def width_of(text: str) -> int:
    """Terminal cells of one row of clean text."""
    return len(text) if text.isascii() else cell_width(text)


def _pieces(word: str, room: int) -> list[str]:
    """A word longer than a row, cut into rows (never inside a character and its marks)."""
    out: list[str] = []
    current = ""
    used = 0
    for char in word:
        cells = width_of(char)
        if used + cells > room and current and cells > 0:
            out.append(current)
            current, used = "", 0
        current += char
        used += cells
    if current:
        out.append(current)
    return out


def wrap_paragraph(line: str, width: int) -> list[str]:
    """One line of clean text as rows of at most `width` cells, broken between words."""
    if width_of(line) <= width:
        return [line.rstrip(" ")]
    found = _MARKER.match(line)
    lead = found.group(0) if found else ""
    hang = " " * min(len(lead), width // 3)
    rows: list[str] = []
    current = lead
    used = width_of(current)
    for word in line[len(lead) :].split():
        cells = width_of(word)
        gap = 1 if current and not current.endswith(" ") else 0
        if used + gap + cells <= width:
            current += " " * gap + word
            used += gap + cells
            continue
        if current.strip():
            rows.append(current.rstrip(" "))
            current, used = hang, len(hang)
        room = max(1, width - used)
        if cells <= room:
            current += word
            used += cells
            continue
        parts = _pieces(word, room)
        for part in parts[:-1]:
            rows.append((current + part).rstrip(" "))
            current, used = hang, len(hang)
            room = max(1, width - used)
        current += parts[-1]
        used += width_of(parts[-1])
    if current.strip() or not rows:
        rows.append(current.rstrip(" "))
    return rows


def rows(text: str, width: int) -> list[str]:
    """`text` as terminal rows: cleaned, marks made ASCII, each row at most `width` cells."""
    width = max(8, width)
    if len(text) <= CACHED_CHARS:
        # Everyone in a room gets the same line at the same width: laid out once.
        return list(_cached_rows(text, width))
    return _rows(text, width)


# Texts up to this long (room lines, notes, prompts) are laid out once per width.
CACHED_CHARS = 600


@lru_cache(maxsize=2048)
def _cached_rows(text: str, width: int) -> tuple[str, ...]:
    return tuple(_rows(text, width))


def _rows(text: str, width: int) -> list[str]:
    out: list[str] = []
    for line in plain(text).split("\n"):
        out.extend(wrap_paragraph(line, width))
    return out
