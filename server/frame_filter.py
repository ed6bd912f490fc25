"""Trims what Textual sends before it reaches a slow link.

Textual repaints whole regions, and on start-up it paints the same screen two or three
times. This filter remembers, per terminal cell, the character and the SGR attributes
last written there, drops a run of cells identical to what the terminal already shows
(also when earlier runs that wrote those cells were cut differently: a scrollbar's
narrow run over a full-width row), and turns a line's trailing blanks into one
erase-to-end-of-line. It never changes what the member
ends up seeing: anything it does not fully understand passes through untouched and
makes it forget what it knew. A scroll of a band of rows is not parsed from the data:
the driver calls `scroll`, which writes the scroll and shifts the rows remembered, or
`scroll_in`, which also writes the new bottom rows in the same few bytes.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from itertools import repeat

from bbs.text_safety import cell_width

# A cursor move as Textual writes it before each run of cells: ESC [ row ; col H
_MOVE = re.compile(r"\x1b\[(\d+);(\d+)H")
# Only SGR sequences are allowed inside a run we reason about.
_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
# Sequences that change no cell: cursor visibility, synchronized output, pointer shape.
_HARMLESS = re.compile(r"\x1b\[\?(?:25|2026)[hl]|\x1b\]22;[^\x07\x1b]*(?:\x07|\x1b\\)")
# Trailing blanks on the terminal's default background, then a reset.
_TRAILING_BLANKS = re.compile(r"\x1b\[49m( {4,})\x1b\[0m(\n?)$")

# The SGR sequences in force on each cell of a row or run (None where not known).
Styles = tuple[str | None, ...]
# See `_run_facts`.
_RunFacts = tuple[int, int | None, tuple[tuple[str, ...], str] | None, str | None]


def scroll_sequence(top: int, bottom: int, rows: int) -> str:
    """Rows top..bottom (0-based) move up by `rows`: DECSTBM, the cursor to the band's top,
    delete lines, margins reset (the cursor ends at home). Omitted parameters (the
    column, a count of one) take their default, 1."""
    count = "" if rows == 1 else str(rows)
    return f"\x1b[{top + 1};{bottom + 1}r\x1b[{top + 1}H\x1b[{count}M\x1b[r"


def scroll_in_sequence(top: int, bottom: int, rows: Sequence[str]) -> str:
    """Rows top..bottom (0-based) move up by len(rows) and `rows` fill the freed bottom
    rows: DECSTBM, the cursor to the band's last row, one line feed per row (a line feed
    on a band's last row scrolls the band; the new row starts blank), the margins reset
    (the cursor ends at home). Each row is text and SGR only, ending reset, no wider than
    the screen; its trailing blanks need not be sent."""
    return f"\x1b[{top + 1};{bottom + 1}r\x1b[{bottom + 1}H\n" + "\r\n".join(rows) + "\x1b[r"


class FrameFilter:
    """Per-session memory of what the terminal shows, row by row."""

    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.height = height
        # Row (1-based) -> what the terminal shows on it, where known.
        self._rows: dict[int, _Row] = {}
        # Rows written this frame: their styles are lists of their own until it ends.
        self._touched: list[_Row] = []
        self.bytes_in = 0
        self.bytes_out = 0

    def reset(self, width: int | None = None, height: int | None = None) -> None:
        """Forget everything (a resize, or a sequence we do not model)."""
        if width is not None:
            self.width = width
        if height is not None:
            self.height = height
        self._rows.clear()

    def filter(self, data: str) -> str:
        """`data` less what the terminal shows already. A scroll region or any other
        sequence that moves cells passes through and makes the filter forget."""
        return self._filter(data)

    def scroll(self, top: int, bottom: int, rows: int) -> str:
        """What to send to shift rows top..bottom (0-based, inclusive) up by `rows`, the
        freed bottom rows blank; the rows remembered shift with them."""
        sequence = scroll_sequence(top, bottom, rows)
        self.bytes_in += len(sequence)
        self.bytes_out += len(sequence)
        if 0 <= top <= bottom and rows > 0:
            self._shift(top + 1, bottom + 1, rows)
        else:
            self._rows.clear()
        return sequence

    def scroll_in(self, top: int, bottom: int, rows: Sequence[str]) -> str:
        """What to send to shift rows top..bottom (0-based, inclusive) up by len(rows) and
        show `rows` (see `scroll_in_sequence`) in the freed bottom rows; what the terminal
        shows is remembered as for any other run."""
        sequence = scroll_in_sequence(top, bottom, rows)
        self.bytes_in += len(sequence)
        self.bytes_out += len(sequence)
        count = len(rows)
        if not (0 <= top <= bottom and 0 < count <= bottom - top + 1):
            self._rows.clear()
            return sequence
        self._shift(top + 1, bottom + 1, count)
        first = bottom + 2 - count
        for index, run in enumerate(rows):
            self._remember(first + index, run)
        return sequence

    def _remember(self, row: int, run: str) -> None:
        """`run` was written from the first column of a blank row: remember its cells, and
        the rest of the row as unstyled blanks."""
        width = self.width
        key = (run, width)
        if key in _SCROLLED_IN:
            known = _SCROLLED_IN[key]
        else:
            # A room line goes to every reader with the same look as the same string:
            # parsed once, not once a reader.
            if len(_SCROLLED_IN) >= _SCROLLED_IN_KEPT:
                _SCROLLED_IN.clear()
            known = _SCROLLED_IN[key] = _blank_row_after(run, width)
        if known is _FORGETS:
            self._rows.clear()
            return
        if known is None:
            return  # not modelled: the row stays unknown
        chars, styles = known
        shown = self._rows[row] = _Row(0)
        shown.chars = chars
        shown.styles = styles

    def _shift(self, top: int, bottom: int, count: int) -> None:
        """Rows top..bottom (1-based) moved up by `count`; the freed bottom rows are blank."""
        rows = self._rows
        for row in range(top, bottom + 1):
            source = row + count
            if source <= bottom and source in rows:
                rows[row] = rows.pop(source)
            else:
                rows.pop(row, None)

    def _filter(self, data: str) -> str:
        if not data:
            return data
        self.bytes_in += len(data)
        moves = list(_MOVE.finditer(data))
        if not moves:
            self._check_controls(data)
            self.bytes_out += len(data)
            return data
        out: list[str] = [data[: moves[0].start()]]
        self._check_controls(out[0])
        for index, move in enumerate(moves):
            end = moves[index + 1].start() if index + 1 < len(moves) else len(data)
            run = data[move.end() : end]
            if not run and end < len(data):
                # A cursor move straight followed by another: only the last one counts.
                continue
            row, col = int(move.group(1)), int(move.group(2))
            out.append(self._run(move.group(0), row, col, run))
        result = "".join(out)
        self.bytes_out += len(result)
        for shown in self._touched:
            shown.styles = _shared(tuple(shown.styles))
        self._touched.clear()
        return result

    def _own_styles(self, shown: _Row) -> list[str | None]:
        """The row's styles as a list to change in place (shared again when the frame ends)."""
        styles = shown.styles
        if isinstance(styles, tuple):
            styles = shown.styles = list(styles)
            self._touched.append(shown)
        return styles

    def _check_controls(self, text: str) -> bool:
        """True if text holds escapes beyond SGR; forgets everything if any could move cells."""
        rest = _ESCAPE.sub("", text)
        if "\x1b" not in rest:
            return False
        if "\x1b" in _HARMLESS.sub("", rest):
            # A clear, scroll, or anything else we do not model.
            self._rows.clear()
        return True

    def _run(self, move: str, row: int, col: int, run: str) -> str:
        facts = _RUN_FACTS.get(run)
        if facts is None:
            if len(_RUN_FACTS) >= _RUN_FACTS_KEPT:
                _RUN_FACTS.clear()
            facts = _RUN_FACTS[run] = _run_facts(run)
        controls, width, cells, trimmed = facts
        if controls:
            if controls == _FORGET_ALL:
                self._rows.clear()
            self._rows.pop(row, None)
            return move + run
        if width is None or col + width - 1 > self.width:
            # A line feed inside, or it wraps onto the next row: beyond what this filter
            # models.
            self._rows.clear()
            return move + run
        if cells is None or col < 1:
            # Wide or zero-width characters: not modelled cell by cell; forget the row.
            self._rows.pop(row, None)
            return move + run
        styles, chars = cells
        start, end = col - 1, col - 1 + len(chars)
        shown = self._rows.get(row)
        if shown is None:
            shown = self._rows[row] = _Row(self.width)
        elif chars and shown.chars[start:end] == chars and _same(shown.styles, start, styles):
            # The terminal shows exactly this already.
            return ""
        else:
            changed = _changed_span(shown, start, styles, chars)
            if changed is not None and _ends_reset(run):
                # Part of the run is on the terminal already: send the cells between the
                # first and the last that differ (the run ends reset, so may the part).
                first, last = changed
                shown.chars = shown.chars[:start] + chars + shown.chars[end:]
                self._own_styles(shown)[start:end] = styles
                newline = "\n" if run.endswith("\n") else ""
                return f"\x1b[{row};{col + first}H" + _span(styles, chars, first, last) + newline
        shown.chars = shown.chars[:start] + chars + shown.chars[end:]
        self._own_styles(shown)[start:end] = styles
        if end == self.width and trimmed is not None:
            run = trimmed
        return move + run


# What `FrameFilter._run` works out from a run alone, by run, shared by every session:
# most rows of a screen are the same text in the same colours for every member (a home
# screen's menu, blank rows and key bar), parsed once, not once a session (about 30 us a
# run: three quarters of the filter's time on a first frame). Bounded: when full it
# starts again.
_RUN_FACTS: dict[str, _RunFacts] = {}
_RUN_FACTS_KEPT = 512
# A run's controls: none, only ones that change no cell (the run's row is forgotten), or
# ones that may move cells (every row is forgotten).
_NO_CONTROLS = 0
_ROW_ONLY = 1
_FORGET_ALL = 2


def _run_facts(run: str) -> _RunFacts:
    """(controls, width, cells, trimmed) of a run written after a cursor move: which
    controls it holds beyond SGR (or a carriage return); its width in cells, None if a
    line feed is inside it; its cells (`_cells`); and the run with its trailing blanks as
    one erase to the end of the line, for a run that ends at the last column (None when
    they are not only blanks on the default background)."""
    rest = _ESCAPE.sub("", run)
    if "\x1b" in rest:
        controls = _FORGET_ALL if "\x1b" in _HARMLESS.sub("", rest) else _ROW_ONLY
        return controls, None, None, None
    if "\r" in run:
        return _ROW_ONLY, None, None, None
    text = rest.rstrip("\n")
    if "\n" in text:
        return _NO_CONTROLS, None, None, None
    cells = _cells(run)
    trimmed = None
    if cells is not None:
        styles, chars = cells
        match = _TRAILING_BLANKS.search(run)
        # Only blanks on the default background with nothing else in force (a reverse or
        # underline still set would show on them) are what an erase leaves.
        if match:
            blanks = len(match.group(1))
            if chars.endswith(" " * blanks) and all(
                style == "\x1b[49m" for style in styles[-blanks:]
            ):
                trimmed = run[: match.start()] + "\x1b[0m\x1b[K" + match.group(2)
    return _NO_CONTROLS, cell_width(text), cells, trimmed


# What a row starts blank shows after a run is written into it (`_blank_row_after`), by
# run and width: the last few hundred rows scrolled in, shared by every session.
# The run holds a sequence beyond SGR, a carriage return or a line feed: forget every row.
_FORGETS = ("", ())
_SCROLLED_IN: dict[tuple[str, int], tuple[str, Styles] | None] = {}
_SCROLLED_IN_KEPT = 512


def _blank_row_after(run: str, width: int) -> tuple[str, Styles] | None:
    """(chars, styles) of a blank row of `width` cells once `run` is written from its first
    column; _FORGETS if the run holds more than text and SGR; None if it is not modelled
    (a character not one cell wide, or wider than the row)."""
    rest = _ESCAPE.sub("", run)
    if "\x1b" in rest or "\r" in run or "\n" in run:
        return _FORGETS
    cells = _cells(run)
    if cells is None or len(cells[1]) > width:
        return None
    styles, chars = cells
    blanks = width - len(chars)
    return chars + " " * blanks, _shared((*styles, *repeat("", blanks)))


def _same(row: Styles | list[str | None], start: int, styles: tuple[str, ...]) -> bool:
    """Whether the row's styles from `start` on are `styles`."""
    part = row[start : start + len(styles)]
    return (part if isinstance(part, tuple) else tuple(part)) == styles


def _changed_span(shown: _Row, start: int, styles: Styles, chars: str) -> tuple[int, int] | None:
    """The first and one past the last cell of a run that differ from what `shown` has from
    `start` on; None when they all differ, or the span would save little."""
    count = len(chars)
    if count < 8:
        return None
    old_chars, old_styles = shown.chars, shown.styles
    first = 0
    while first < count and (
        chars[first] == old_chars[start + first] and styles[first] == old_styles[start + first]
    ):
        first += 1
    last = count
    while last > first and (
        chars[last - 1] == old_chars[start + last - 1]
        and styles[last - 1] == old_styles[start + last - 1]
    ):
        last -= 1
    if last - first > count - 4:
        return None
    return first, last


def _ends_reset(run: str) -> bool:
    """Whether a run leaves no SGR attribute in force (nothing set, or a reset last)."""
    run = run.rstrip("\n")
    return "\x1b" not in run or run.endswith(("\x1b[0m", "\x1b[m"))


def _span(styles: tuple[str, ...], chars: str, first: int, last: int) -> str:
    """Cells first..last-1 of a run (`_cells`) written afresh, ending reset."""
    out: list[str] = []
    current = ""
    at = first
    while at < last:
        style = styles[at]
        end = at + 1
        while end < last and styles[end] == style:
            end += 1
        if style != current:
            if current:
                out.append("\x1b[0m")
            out.append(style)
            current = style
        out.append(chars[at:end])
        at = end
    if current:
        out.append("\x1b[0m")
    return "".join(out)


# Rows' style tuples, shared by every session: most rows of most screens are styled alike
# (the home screen of a thousand members differs in names, not colours), so a thousand
# filters hold a few dozen tuples, not a thousand copies (an 80-cell tuple is 700 bytes).
# Bounded by cells (8 bytes each): when full it starts again (the rows keep theirs,
# later ones share anew). A row changed by a frame is a list of its own until the frame
# ends (`FrameFilter._own_styles`), then shared: a 400-cell row written in ten runs is
# copied and hashed once, not ten times.
_SHARED_STYLES: dict[Styles, Styles] = {}
_SHARED_STYLES_CELLS = 64 * 1024
_shared_cells = 0


def _shared(styles: Styles) -> Styles:
    """The shared tuple equal to `styles` (which becomes it, if there is none yet)."""
    global _shared_cells
    known = _SHARED_STYLES.get(styles)
    if known is not None:
        return known
    if _shared_cells + len(styles) > _SHARED_STYLES_CELLS:
        _SHARED_STYLES.clear()
        _shared_cells = 0
    _SHARED_STYLES[styles] = styles
    _shared_cells += len(styles)
    return styles


def _unknown_styles(width: int) -> Styles:
    return _shared((None,) * width)


class _Row:
    """One row as the terminal shows it: its characters (UNKNOWN where not known) and the
    SGR sequences in force on each cell. A string and a tuple of style strings, the tuple
    shared with every row styled alike (`_shared`), hold a row in a fraction of the memory
    a cell-by-cell mapping took; a change to a row makes a new tuple."""

    __slots__ = ("chars", "styles")

    def __init__(self, width: int) -> None:
        self.chars = UNKNOWN * width
        self.styles: Styles | list[str | None] = _unknown_styles(width)


# A cell not known: NUL is never remembered as shown (it is not one cell wide).
UNKNOWN = "\x00"


def _cells(run: str) -> tuple[tuple[str, ...], str] | None:
    """What each cell of `run` shows: the SGR sequences in force since the last reset (a
    run starts reset, as Textual ends every segment with one), and the characters. None
    when a character is not exactly one cell wide."""
    styles: list[str] = []
    chars: list[str] = []
    style = ""
    at = 0
    for escape in _ESCAPE.finditer(run):
        text = run[at : escape.start()]
        if not _one_cell_each(text):
            return None
        chars.append(text)
        styles.extend(repeat(style, len(text)))
        sequence = escape.group(0)
        # Interned: rows of every session share their few style strings.
        if sequence in ("\x1b[0m", "\x1b[m"):
            style = ""
        elif sequence.startswith("\x1b[0;"):
            # A reset and new attributes in one sequence: the same as the two apart.
            style = sys.intern("\x1b[" + sequence[4:])
        else:
            style = sys.intern(style + sequence)
        at = escape.end()
    text = run[at:].rstrip("\n")
    if not _one_cell_each(text):
        return None
    chars.append(text)
    styles.extend(repeat(style, len(text)))
    return tuple(styles), "".join(chars)


def _one_cell_each(text: str) -> bool:
    if text.isascii() and text.isprintable():
        # Printable ASCII is one cell a character (most of every frame): no per-character
        # width look-up.
        return True
    return all(cell_width(char) == 1 for char in set(text))
