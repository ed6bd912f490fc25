"""Scrolling a band of rows: the frame filter remembers shifted rows and the screen stays exact."""

from __future__ import annotations

import random
from typing import Any

import pyte
import pytest

from server.frame_filter import FrameFilter, scroll_sequence

WIDTH, HEIGHT = 30, 10
TOP, BOTTOM = 2, 7  # the feed band, 0-based rows


def _screen(chunks: list[str]) -> list[str]:
    screen = pyte.Screen(WIDTH, HEIGHT)
    stream = pyte.Stream(screen)
    for chunk in chunks:
        stream.feed(chunk)
    return list(screen.display)


def _row(y: int, text: str) -> str:
    text = text.ljust(WIDTH)[:WIDTH]
    return f"\x1b[{y + 1};1H\x1b[1m{text[:8]}\x1b[0m{text[8:]}"


def _full_frame(lines: list[str]) -> str:
    """What Textual would send to repaint everything: every row, top to bottom."""
    rows = ["title", "here: a, b", *lines[-(BOTTOM - TOP + 1) :], "> input", "keys"]
    rows += [""] * (HEIGHT - len(rows))
    return "".join(_row(y, text) for y, text in enumerate(rows))


def test_scrolling_then_repainting_shows_exactly_what_a_full_repaint_shows() -> None:
    rng = random.Random(5)
    lines = [f"line {i} " + "x" * rng.randrange(10) for i in range(6)]
    plain: list[str] = [_full_frame(lines)]
    frames = FrameFilter(WIDTH, HEIGHT)
    filtered: list[str] = [frames.filter(plain[0])]
    for step in range(40):
        count = rng.choice((1, 1, 1, 2, 3))
        new = [f"new {step}.{j} " + "y" * rng.randrange(12) for j in range(count)]
        lines += new
        # The fast path: shift the band, write only the new bottom rows.
        rows = "".join(_row(BOTTOM - count + 1 + j, text) for j, text in enumerate(new))
        plain.append(scroll_sequence(TOP, BOTTOM, count) + rows)
        filtered.append(frames.scroll(TOP, BOTTOM, count) + frames.filter(rows))
        assert _screen(filtered) == _screen(plain) == _screen([_full_frame(lines)])
        if step % 7 == 0:
            # Now and then Textual repaints everything: the filter must know the band moved,
            # so it sends nothing for rows the terminal already shows.
            repaint = _full_frame(lines)
            plain.append(repaint)
            out = frames.filter(repaint)
            filtered.append(out)
            assert out == "", out
            assert _screen(filtered) == _screen(plain)


def test_a_scroll_costs_the_sequence_and_the_new_row_only() -> None:
    frames = FrameFilter(WIDTH, HEIGHT)
    frames.filter(_full_frame(["a", "b", "c"]))
    assert frames.scroll(TOP, BOTTOM, 1) == scroll_sequence(TOP, BOTTOM, 1)
    assert frames.filter(_row(BOTTOM, "d")) == _row(BOTTOM, "d")
    assert len(scroll_sequence(TOP, BOTTOM, 1)) <= 18


def test_the_scroll_sequence_moves_the_band_as_a_terminal_does() -> None:
    rows = [f"row {y}" for y in range(HEIGHT)]
    frame = "".join(_row(y, text) for y, text in enumerate(rows))
    for count in (1, 2, 3):
        shown = _screen([frame, scroll_sequence(TOP, BOTTOM, count)])
        band = rows[TOP + count : BOTTOM + 1] + [""] * count
        expected = rows[:TOP] + band + rows[BOTTOM + 1 :]
        assert [line.rstrip() for line in shown] == expected


def test_a_scroll_written_as_text_makes_the_filter_forget() -> None:
    # Only `scroll` is modelled; the same bytes in the data are not parsed back.
    frames = FrameFilter(WIDTH, HEIGHT)
    frame = _full_frame(["a"])
    frames.filter(frame)
    for written in (scroll_sequence(TOP, BOTTOM, 1), "\x1b[3;8r\x1b[5;1H\x1b[1M\x1b[r"):
        assert frames.filter(written) == written
        assert frames.filter(frame) == frame


def _bare_row(text: str) -> str:
    """A row as `scroll_in` takes it: no cursor move, trailing blanks left off."""
    return f"\x1b[1m{text[:8]}\x1b[m{text[8:]}".rstrip(" ")


def test_scrolling_rows_in_shows_what_a_scroll_and_a_write_of_each_row_show() -> None:
    rng = random.Random(7)
    lines = [f"line {i} " + "x" * rng.randrange(10) for i in range(6)]
    frames = FrameFilter(WIDTH, HEIGHT)
    filtered: list[str] = [frames.filter(_full_frame(lines))]
    for step in range(40):
        count = rng.choice((1, 1, 1, 2, 3))
        new = [f"new {step}.{j} " + "y" * rng.randrange(12) for j in range(count)]
        lines += new
        out = frames.scroll_in(TOP, BOTTOM, [_bare_row(text) for text in new])
        # The band moves and the new rows show in fewer bytes than a scroll and the rows.
        old_way = scroll_sequence(TOP, BOTTOM, count) + "".join(
            _row(BOTTOM - count + 1 + j, text) for j, text in enumerate(new)
        )
        assert len(out) < len(old_way)
        filtered.append(out)
        assert _screen(filtered) == _screen([_full_frame(lines)])
        # The filter knows what the new rows show: a repaint of everything sends nothing.
        assert frames.filter(_full_frame(lines)) == ""


def test_a_row_scrolled_in_with_a_reset_and_style_in_one_sequence_is_known() -> None:
    frames = FrameFilter(WIDTH, HEIGHT)
    frames.filter(_full_frame(["a"]))
    frames.scroll_in(TOP, BOTTOM, ["\x1b[2mdim \x1b[0;1mbold\x1b[m plain"])
    # Textual would write the same cells with a reset between the two styles.
    assert frames.filter(f"\x1b[{BOTTOM + 1};1H\x1b[2mdim \x1b[0m\x1b[1mbold\x1b[0m plain") == ""


def test_a_run_that_changed_in_part_sends_only_the_cells_that_changed() -> None:
    frames = FrameFilter(WIDTH, HEIGHT)
    before = "\x1b[5;1H\x1b[4mSay something, or /help      \x1b[0m"
    after = "\x1b[5;1H\x1b[4mSay nothing!!, or /help      \x1b[0m"
    assert frames.filter(before) == before
    out = frames.filter(after)
    assert out == "\x1b[5;5H\x1b[4mnothing!!\x1b[0m"
    assert _screen([before, out]) == _screen([before, after])


def test_a_cursor_move_straight_followed_by_another_is_left_out() -> None:
    frames = FrameFilter(WIDTH, HEIGHT)
    assert frames.filter("\x1b[1;1Hab\x1b[5;30H\x1b[5;3H") == "\x1b[1;1Hab\x1b[5;3H"


def test_a_row_scrolled_in_to_many_readers_is_parsed_once_and_each_remembers_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import server.frame_filter as frame_filter

    parsed: list[str] = []
    cells = frame_filter._cells

    def counting(run: str) -> Any:
        parsed.append(run)
        return cells(run)

    monkeypatch.setattr(frame_filter, "_cells", counting)
    text = f"shared line {random.randrange(10**9)}"
    row = _bare_row(text)
    lines = [f"line {i}" for i in range(6)]
    readers = [FrameFilter(WIDTH, HEIGHT) for _ in range(5)]
    for frames in readers:
        frames.filter(_full_frame(lines))
        frames.scroll_in(TOP, BOTTOM, [row])
    assert parsed.count(row) == 1
    # Each reader's memory is its own: a repaint of one row changes only that reader's.
    lines.append(text)
    assert all(frames.filter(_full_frame(lines)) == "" for frames in readers)
    assert readers[0].filter(_row(BOTTOM, "changed")) != ""
    assert readers[0].filter(_row(BOTTOM, "changed")) == ""
    assert readers[1].filter(_row(BOTTOM, "changed")) != ""
    # A row holding more than text and SGR still makes every reader forget.
    odd = "\x1b[2Jodd"
    for frames in readers:
        frames.scroll_in(TOP, BOTTOM, [odd])
        assert frames.filter(_full_frame(lines)) != ""
