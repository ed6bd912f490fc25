"""The frame filter sends less but never changes what the terminal ends up showing."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pyte
import pytest
from driver_harness import started, wait_until
from hypothesis import given, settings
from hypothesis import strategies as st

import server.frame_filter as frame_filter
from bbs.community import Community
from server.driver import SSHDriver, TerminalLink
from server.frame_filter import FrameFilter
from server.textual_patches import apply_textual_patches


def _screen(chunks: list[str], width: int = 40, height: int = 6) -> list[str]:
    screen = pyte.Screen(width, height)
    stream = pyte.Stream(screen)
    for chunk in chunks:
        stream.feed(chunk)
    # Not screen.display: pyte raises on a wide character whose second half was
    # overwritten; read the cells themselves instead.
    return ["".join(screen.buffer[y][x].data or "?" for x in range(width)) for y in range(height)]


def _filtered(chunks: list[str], width: int = 40, height: int = 6) -> tuple[list[str], int]:
    frames = FrameFilter(width, height)
    out = [frames.filter(c) for c in chunks]
    return out, sum(map(len, out))


def test_an_identical_repaint_sends_nothing() -> None:
    frame = "\x1b[1;1H\x1b[1mHello\x1b[0m\x1b[49m" + " " * 35 + "\x1b[0m\n\x1b[2;3Hthere"
    out, _ = _filtered([frame, frame])
    assert out[1] == ""
    assert _screen(out) == _screen([frame, frame])


def test_sessions_shown_rows_styled_alike_share_one_record_of_the_styles() -> None:
    # A thousand members' home screens differ in names, not colours: their filters keep
    # one tuple of styles for rows styled alike, not one each.
    def frame(name: str) -> str:
        return f"\x1b[1;1H\x1b[1mHello {name}\x1b[0m\x1b[49m" + " " * 29 + "\x1b[0m"

    first, second = FrameFilter(40, 6), FrameFilter(40, 6)
    first.filter(frame("Ash"))
    second.filter(frame("Elm"))
    assert first._rows[1].chars != second._rows[1].chars
    assert first._rows[1].styles is second._rows[1].styles
    # A change to a row does not reach the other session's record.
    first.filter("\x1b[1;3H\x1b[4mxy\x1b[0m")
    assert first._rows[1].styles is not second._rows[1].styles
    assert second._rows[1].styles[2] == "\x1b[1m" and first._rows[1].styles[2] == "\x1b[4m"
    out, _ = _filtered([frame("Ash"), frame("Ash")])
    assert out[1] == ""


def test_trailing_blanks_become_one_erase_to_end_of_line() -> None:
    before = "\x1b[1;1H" + "x" * 40
    frame = "\x1b[1;1Hhi\x1b[49m" + " " * 38 + "\x1b[0m\n"
    out, _ = _filtered([before, frame])
    assert "\x1b[K" in out[1] and len(out[1]) < len(frame)
    assert _screen(out) == _screen([before, frame])


def test_a_clear_screen_makes_it_forget() -> None:
    frame = "\x1b[1;1Habc"
    out, _ = _filtered([frame, "\x1b[2J", frame])
    assert out[2] == frame
    assert _screen(out) == _screen([frame, "\x1b[2J", frame])


def test_an_overlapping_run_invalidates_what_it_covered() -> None:
    chunks = ["\x1b[1;1Habcdef", "\x1b[1;3HXY", "\x1b[1;1Habcdef"]
    out, _ = _filtered(chunks)
    assert out[2] == chunks[2]
    assert _screen(out) == _screen(chunks)


def test_a_narrow_run_over_a_row_does_not_let_an_identical_repaint_through() -> None:
    # A scrollbar column repainted over full-width rows, then the same rows again, as
    # Textual does after a late layout: the terminal already shows every cell.
    row = "\x1b[2;1H\x1b[1mpost 194\x1b[0m\x1b[49m" + " " * 30 + "\x1b[0m\x1b[39;40m  \x1b[0m\n"
    scrollbar = "\x1b[2;39H\x1b[39;40m  \x1b[0m\n"
    out, _ = _filtered([row, scrollbar, row])
    assert out[1] == "" and out[2] == ""
    # A narrow run that does change cells is sent, and so is the row written over it.
    thumb = "\x1b[2;39H\x1b[34;40m▂▂\x1b[0m\n"
    out, _ = _filtered([row, thumb, row])
    assert out[1] == thumb and out[2] != ""
    assert _styled(out) == _styled([row, thumb, row])


def _styled(chunks: list[str], width: int = 40, height: int = 6) -> list[list[tuple[object, ...]]]:
    screen = pyte.Screen(width, height)
    stream = pyte.Stream(screen)
    for chunk in chunks:
        stream.feed(chunk)
    return [
        [
            (c.data, c.fg, c.bg, c.bold, c.reverse)
            for c in (screen.buffer[y][x] for x in range(width))
        ]
        for y in range(height)
    ]


def _run_text(row: int, col: int, text: str, sgr: str, blanks: int) -> str:
    return f"\x1b[{row};{col}H{sgr}{text}\x1b[49m{' ' * blanks}\x1b[0m"


RUN = st.builds(
    _run_text,
    st.integers(1, 6),
    st.integers(1, 40),
    st.text(alphabet="ab 界x", max_size=12),
    st.sampled_from(["", "\x1b[1m", "\x1b[38;5;3m", "\x1b[7;35;49m"]),
    st.integers(0, 10),
)
CONTROL = st.sampled_from(["\x1b[?25l", "\x1b[?2026h", "\x1b[?2026l", "\x1b[2J", "\x1b[H"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(RUN, RUN, RUN, CONTROL), max_size=30))
def test_any_sequence_of_runs_ends_with_the_same_colours_and_weights(chunks: list[str]) -> None:
    out, _ = _filtered(chunks)
    assert _styled(out) == _styled(chunks)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(RUN, RUN, RUN, CONTROL), max_size=30))
def test_what_is_known_of_a_run_from_another_session_changes_nothing(chunks: list[str]) -> None:
    # Each run's facts are worked out once for every session: a filter that finds them
    # known sends what one that works them out sends, and remembers the same.
    frame_filter._RUN_FACTS.clear()
    first = FrameFilter(40, 6)
    out_first = [first.filter(c) for c in chunks]
    assert len(frame_filter._RUN_FACTS) <= frame_filter._RUN_FACTS_KEPT
    second = FrameFilter(40, 6)
    out_second = [second.filter(c) for c in chunks]
    assert out_second == out_first
    assert {row: (r.chars, tuple(r.styles)) for row, r in second._rows.items()} == {
        row: (r.chars, tuple(r.styles)) for row, r in first._rows.items()
    }


def test_the_runs_known_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(frame_filter, "_RUN_FACTS_KEPT", 4)
    frame_filter._RUN_FACTS.clear()
    frames = FrameFilter(40, 6)
    for n in range(10):
        frames.filter(f"\x1b[1;1Hrun {n}\x1b[0m")
    assert 1 <= len(frame_filter._RUN_FACTS) <= 4


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(RUN, RUN, RUN, CONTROL), max_size=30))
def test_any_sequence_of_runs_ends_on_the_same_screen(chunks: list[str]) -> None:
    width = 40
    # Runs that would wrap past the right edge are not what Textual sends.
    chunks = [c for c in chunks if not c.startswith("\x1b[") or "H" not in c or _fits(c, width)]
    out, _ = _filtered(chunks, width)
    assert _screen(out, width) == _screen(chunks, width)


def _fits(chunk: str, width: int) -> bool:
    from bbs.text_safety import cell_width

    move = re.match(r"\x1b\[(\d+);(\d+)H", chunk)
    if move is None:
        return True
    text = re.sub(r"\x1b\[[0-9;]*m", "", chunk[move.end() :])
    return int(move.group(2)) - 1 + cell_width(text) <= width


class _Channel:
    def __init__(self) -> None:
        self.data = bytearray()

    def write(self, data: bytes) -> None:
        self.data += data

    def get_write_buffer_size(self) -> int:
        return 0


async def _run_app(community: Community, filtered: bool) -> bytes:
    from screens.app import BBSApp, SessionContext

    apply_textual_patches()
    channel = _Channel()
    link = TerminalLink(channel, 80, 24)
    # A newcomer's session: the language (English), the welcome screen, the recovery
    # form, help, and back.
    app = BBSApp(
        SessionContext(community.services, None), driver_class=SSHDriver, terminal_link=link
    )

    async def drive() -> None:
        await wait_until(lambda: started(app, link), what="the app to start")
        for key in (b"\r", b"r", b"\x1b", b"?", b"\x1b", b"a"):
            assert link.driver is not None
            link.driver.feed(key)
            # Kept: a lone Esc is a key only after the escape timeout, and each screen is
            # drawn before the next key (both runs must see the same frames).
            await asyncio.sleep(0.3)
        app.exit()

    task = asyncio.get_running_loop().create_task(drive())
    if not filtered:
        original = FrameFilter.filter
        FrameFilter.filter = lambda self, data: data  # type: ignore[method-assign]
    try:
        await app.run_async()
    finally:
        if not filtered:
            FrameFilter.filter = original  # type: ignore[method-assign]
    await task
    return bytes(channel.data)


async def test_a_real_session_looks_the_same_with_and_without_the_filter(
    community: Community, tmp_path: Path
) -> None:
    raw = await _run_app(community, filtered=False)
    trimmed = await _run_app(community, filtered=True)
    raw_screen = pyte.Screen(80, 24)
    pyte.ByteStream(raw_screen).feed(raw[: raw.rfind(b"\x1b[?1049l")])
    trimmed_screen = pyte.Screen(80, 24)
    pyte.ByteStream(trimmed_screen).feed(trimmed[: trimmed.rfind(b"\x1b[?1049l")])
    assert raw_screen.display == trimmed_screen.display
    assert "Choose how you will be known here" in "\n".join(trimmed_screen.display)
    # Textual no longer draws a new screen twice (server/textual_patches.py), so there is
    # less to drop than there was; the unchanged rows of each frame still go.
    assert len(trimmed) < len(raw) * 0.8
