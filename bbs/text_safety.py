"""Make untrusted text safe to store and to draw on a member's terminal."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from bbs.i18n import Said, said

__all__ = ["cell_width", "clean_line", "clean_text", "truncate_display"]

ELLIPSIS = "…"
REPLACEMENT = "\ufffd"
TAB = "    "

# Format characters (Cf) that carry meaning in real writing and so survive:
# ZWNJ (Persian, Indic), ZWJ (emoji sequences, Indic conjuncts) and the tag
# characters used by subdivision flags such as England's.  Variation
# selectors are combining marks (Mn), not Cf, so they are kept without help.
_KEPT_FORMAT = frozenset({0x200C, 0x200D, *range(0xE0020, 0xE0080)})

# Line and paragraph separators are not controls, but str.splitlines() and
# some terminals break lines on them: turn them into an honest newline.
_LINE_BREAKS = ("\u2028", "\u2029")


@dataclass(frozen=True, slots=True)
class _Tables:
    drop_bmp: re.Pattern[str]  # runs of BMP characters clean_text deletes
    drop_astral: tuple[str, ...]  # the few such characters beyond the BMP
    dropped_bmp: tuple[int, ...]  # the BMP code points deleted (for `_translate_table`)


def _class_item(start: int, end: int) -> str:
    # \u escapes keep the pattern free of raw controls.
    if start == end:
        return f"\\u{start:04x}"
    return f"\\u{start:04x}-\\u{end:04x}"


def _dropped(cp: int) -> bool:
    return (
        cp not in _KEPT_FORMAT
        and cp not in (0x09, 0x0A, 0x0D)  # rewritten, not deleted
        and unicodedata.category(chr(cp)) in ("Cc", "Cf")
    )


@cache
def _tables() -> _Tables:
    """Build the cleaning tables from Python's own Unicode tables, once.

    Built lazily because scanning all 1.1 million code points takes ~0.25 s,
    which a process that never cleans text should not pay at import.

    The BMP deletions go into one regex character class (~5 ns a character).
    The two dozen astral Cf characters are kept out of it: each astral item
    in a class costs every character of every text another ~2 ns, whereas
    `char in text` is free on text without astral characters (CPython
    compares string kinds first) and ~0.05 ms a megabyte on text with them.
    """
    items: list[str] = []
    dropped: list[int] = []
    start = -1
    for cp in range(0x10001):
        drop = cp < 0x10000 and _dropped(cp)
        if drop:
            dropped.append(cp)
        if drop and start < 0:
            start = cp
        elif not drop and start >= 0:
            items.append(_class_item(start, cp - 1))
            start = -1
    astral = tuple(chr(cp) for cp in range(0x10000, 0x110000) if _dropped(cp))
    return _Tables(
        drop_bmp=re.compile(f"[{''.join(items)}]+"),
        drop_astral=astral,
        dropped_bmp=tuple(dropped),
    )


@cache
def _translate_table() -> list[int | str | None]:
    """The str.translate table for the BMP: built (in under a millisecond) the first time
    text dense with junk or holding surrogates comes in, since its 65,536 entries hold
    2.3 MiB that a server whose members paste no such text never needs."""
    table: list[int | str | None] = list(range(0x10000))
    for cp in _tables().dropped_bmp:
        table[cp] = None
    for cp in range(0xD800, 0xE000):
        table[cp] = REPLACEMENT
    return table


# A surrogate code point in a Python str is always an error (decoders such as
# json join real pairs), so each becomes U+FFFD.  Joining stray pairs through
# a UTF-16 round trip was tried: 140 ms for a megabyte of surrogates.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _delete_and_replace(text: str, tables: _Tables) -> str:
    """Drop the BMP controls and format characters; surrogates become U+FFFD.

    Two ways, measured on a megabyte: a regex deletion costs ~5 ns a
    character plus ~100 ns a match, str.translate ~40 ns a character.  The
    regex wins unless the text is dense with junk, so try it with a bounded
    number of matches and fall back to translate when the bound is hit.  That
    caps hostile input at ~50 ms a megabyte while ordinary text takes ~10.
    """
    if _SURROGATE.search(text) is None:
        limit = 16 + len(text) // 64
        cleaned, matches = tables.drop_bmp.subn("", text, count=limit)
        if matches < limit:
            return cleaned
    # Astral characters raise IndexError in the BMP-sized list, which
    # str.translate treats as "leave unchanged".
    return text.translate(_translate_table())


def clean_text(text: str, *, multiline: bool = True, max_length: int | None = None) -> str:
    """Return `text` with everything that could steer a terminal removed.

    Use it when untrusted text comes in and again when it is drawn.  It:

    - turns CR and CRLF into a newline, and U+2028/U+2029 into a newline too;
    - turns each tab into four spaces;
    - drops every other control character (Cc, including C1 0x80-0x9F, so ESC,
      BEL and CSI are gone and escape sequences leave only printable remnants
      such as ``]52;c;...``);
    - drops format characters (Cf): bidi embeddings, overrides, isolates and
      marks, zero-width space, BOM, soft hyphen and the like, but keeps ZWJ,
      ZWNJ and the emoji tag characters U+E0020-E007F;
    - keeps variation selectors, private-use characters and code points that
      Python's Unicode tables do not know yet (newer emoji);
    - replaces each surrogate code point with U+FFFD;
    - with ``multiline=False`` turns newlines into spaces.

    ``max_length`` cuts the cleaned result to that many code points.  The
    function is idempotent: cleaning clean text changes nothing.
    """
    if max_length is not None and max_length < 0:
        raise ValueError("max_length must not be negative")
    # isprintable() is False for every Cc, Cf, Cs, Zl and Zp character (and
    # for some harmless ones): when it is True there is nothing to do, and it
    # runs at ~1.5 ms a megabyte.
    if not text.isprintable():
        # Each step is a pass in C, no per-character Python.
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        tables = _tables()
        text = _delete_and_replace(text, tables)
        for char in tables.drop_astral:
            if char in text:
                text = text.replace(char, "")
        for separator in _LINE_BREAKS:
            if separator in text:
                text = text.replace(separator, "\n")
        if not multiline and "\n" in text:
            text = text.replace("\n", " ")
        # Last, so the passes above run over the shorter text.
        if "\t" in text:
            text = text.replace("\t", TAB)
    if max_length is not None and len(text) > max_length:
        text = text[:max_length]
    return text


def clean_line(text: str, max_length: int | None = None) -> str:
    """`clean_text` for one-line fields (names, titles): newlines become spaces."""
    return clean_text(text, multiline=False, max_length=max_length)


def fitting(
    text: str,
    most: int,
    error: Callable[[Said], Exception],
    too_long: str,
    missing: str | None = None,
) -> str:
    """`text`, already cleaned, if it fits in `most` characters and (when `missing` says
    what to write) is not blank; else `error` with that kind message. Never truncates.

    `too_long` is given {count} (the text's length) and {most}.
    """
    if missing is not None and not text.strip():
        raise error(said(missing))
    if len(text) > most:
        raise error(said(too_long, count=len(text), most=most))
    return text


# Characters that became wide after Unicode 14.0 (Python 3.11's tables) or
# were reclassified later; from Unicode 17 EastAsianWidth, the same data Rich
# (and so Textual) measures with, so our widths agree with theirs.
_NEWER_WIDE: tuple[tuple[int, int], ...] = (
    (0x2630, 0x2637),
    (0x268A, 0x268F),
    (0x2FFC, 0x2FFF),
    (0x31E4, 0x31E5),
    (0x31EF, 0x31EF),
    (0x4DC0, 0x4DFF),
    (0xFA6E, 0xFA6F),
    (0xFADA, 0xFAFF),
    (0x16FF2, 0x16FF6),
    (0x187F8, 0x187FF),
    (0x18CFF, 0x18CFF),
    (0x18D09, 0x18D1E),
    (0x18D80, 0x18DF2),
    (0x1B132, 0x1B132),
    (0x1B155, 0x1B155),
    (0x1D300, 0x1D356),
    (0x1D360, 0x1D376),
    (0x1F6D8, 0x1F6D8),
    (0x1F6DC, 0x1F6DC),
    (0x1FA75, 0x1FA77),
    (0x1FA87, 0x1FA8A),
    (0x1FA8E, 0x1FA8F),
    (0x1FAAD, 0x1FAAF),
    (0x1FABB, 0x1FABF),
    (0x1FAC6, 0x1FAC6),
    (0x1FAC8, 0x1FAC8),
    (0x1FACD, 0x1FACF),
    (0x1FADA, 0x1FADC),
    (0x1FADF, 0x1FADF),
    (0x1FAE8, 0x1FAEA),
    (0x1FAEF, 0x1FAEF),
    (0x1FAF7, 0x1FAF8),
    (0x20000, 0x3FFFD),  # CJK planes: unassigned code points default to wide
)

_ZWJ = "\u200d"
_VS16 = "\ufe0f"


@lru_cache(maxsize=8192)
def _char_width(char: str) -> int:
    cp = ord(char)
    category = unicodedata.category(char)
    if category in ("Cc", "Cf", "Mn", "Me", "Mc"):
        return 0
    # Hangul medial vowels and final consonants join the preceding syllable;
    # the fillers draw nothing; skin-tone modifiers merge into their emoji.
    if (
        0x1160 <= cp <= 0x11FF
        or 0xD7B0 <= cp <= 0xD7FF
        or cp in (0x3164, 0xFFA0)
        or 0x1F3FB <= cp <= 0x1F3FF
    ):
        return 0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 2
    for start, end in _NEWER_WIDE:
        if start <= cp <= end:
            return 2
    return 1


def _widens_with_vs16(char: str) -> bool:
    # VS16 asks for emoji presentation, which terminals draw two cells wide.
    # Apart from ℹ, only symbols, digits and punctuation have emoji forms
    # (keycaps, ❤, ☺): this covers every narrow base in Unicode 17's
    # emoji-variation-sequences list and differs from it only for sequences
    # that mean nothing, such as "→" + VS16.
    if _char_width(char) != 1 or "\U0001f1e6" <= char <= "\U0001f1ff":
        return False  # wide already, or a regional indicator (flags pair them)
    return char == "\u2139" or unicodedata.category(char)[0] in "SNP"


def _clusters(text: str) -> Iterator[tuple[int, int]]:
    """Yield (end index, cells) for each cluster, measured as Rich measures.

    A zero-width character belongs to the cluster before it, ZWJ glues the
    next character into the cluster without measuring it, and VS16 widens a
    narrow emoji-capable base to two cells (once).  Textual lays text out with
    Rich's numbers, so agreeing with them matters more than agreeing with any
    one terminal.  A generator, so truncating a long line stops early.
    """
    end = 0  # end of the cluster being built; 0 while there is none
    cells = 0
    widenable = False  # the cluster's base would grow with VS16
    index = 0
    count = len(text)
    while index < count:
        char = text[index]
        if char == _ZWJ:
            index = end = min(index + 2, count)
            continue
        if char == _VS16:
            if widenable:
                cells += 1
                widenable = False
            index = end = index + 1
            continue
        width = _char_width(char)
        index += 1
        if width == 0:
            end = index  # joins the cluster, or starts a zero-width one
            continue
        if end:
            yield end, cells
        end, cells, widenable = index, width, _widens_with_vs16(char)
    if end:
        yield end, cells


def _is_plain(text: str) -> bool:
    # Printable ASCII is one cell per character: skip the per-character walk.
    return text.isascii() and text.isprintable()


def cell_width(text: str) -> int:
    """Terminal cells `text` occupies: East Asian wide characters and emoji
    count 2, combining marks and joiners 0.  Meant for one line of cleaned text.
    """
    if _is_plain(text):
        return len(text)
    if _ZWJ not in text and _VS16 not in text:
        return sum(map(_char_width, text))
    return sum(cells for _, cells in _clusters(text))


def truncate_display(text: str, width: int) -> str:
    """Cut `text` to at most `width` terminal cells, ending in "…" if cut.

    Never splits a character cluster (a letter and its accents, an emoji ZWJ
    sequence) and never splits a wide character; spaces before the "…" go.
    Meant for one line of cleaned text (see `clean_line`).
    """
    if width <= 0:
        return ""
    if _is_plain(text):
        if len(text) <= width:
            return text
        return text[: width - 1].rstrip(" ") + ELLIPSIS
    budget = width - 1  # room left for the one-cell ellipsis
    used = 0
    cut = 0
    for end, cells in _clusters(text):
        used += cells
        if used > width:
            return text[:cut].rstrip(" ") + ELLIPSIS
        if used <= budget:
            cut = end
    return text
