"""A plain session over real SSH, read as a screen reader or a dumb terminal reads it.

Every byte the server sends is checked as it arrives: no byte below 0x20 but CR, LF and
BEL, and no byte from 0x7F to 0x9F. (Member text in other scripts is UTF-8, whose
continuation bytes fall in 0x80-0xBF: `allow_utf8` then checks code points instead, so
no C1 control is ever sent while "é" still can be.) The transcript keeps lines as a line
terminal shows them: LF starts a row, CR returns to the row's start and overwrites.
"""

from __future__ import annotations

import asyncio
import time
from codecs import getincrementaldecoder
from dataclasses import dataclass, field

import asyncssh

from bbs.i18n import LANGUAGES, translator
from plain.console import MORE_PROMPT

ALLOWED = {0x07, 0x0A, 0x0D}
MORE = "-- More: Enter for more, Q to stop: "
# The "more" prompt in each language (a session speaks its member's).
MORES = tuple(dict.fromkeys(translator(lang).gettext(MORE_PROMPT) for lang in LANGUAGES))


def bad_bytes(data: bytes) -> list[int]:
    return [b for b in data if (b < 0x20 and b not in ALLOWED) or 0x7F <= b <= 0x9F]


def bad_code_points(text: str) -> list[str]:
    return [c for c in text if (ord(c) < 0x20 and ord(c) not in ALLOWED) or 0x7F <= ord(c) <= 0x9F]


@dataclass
class PlainTerminal:
    conn: asyncssh.SSHClientConnection
    process: asyncssh.SSHClientProcess[bytes]
    width: int = 80
    allow_utf8: bool = False
    # With a pty the server echoes, and each answer ends its row.
    echo: bool = True
    raw: bytearray = field(default_factory=bytearray)
    lines: list[str] = field(default_factory=lambda: [""])
    bells: int = 0
    problems: list[str] = field(default_factory=list)
    closed: asyncio.Event = field(default_factory=asyncio.Event)
    reader: asyncio.Task[None] | None = None
    _column: int = 0
    _mark: tuple[int, int] = (0, 0)

    def __post_init__(self) -> None:
        self._decode = getincrementaldecoder("utf-8")("strict").decode

    # -- reading ----------------------------------------------------------------------
    async def _read(self) -> None:
        try:
            while True:
                data = await self.process.stdout.read(65536)
                if not data:
                    break
                self.feed(data)
        except (asyncssh.Error, OSError):
            pass
        finally:
            self.closed.set()

    def feed(self, data: bytes) -> None:
        self.raw += data
        try:
            text = self._decode(data)
        except UnicodeDecodeError as error:
            self.problems.append(f"not UTF-8: {error}")
            text = data.decode("utf-8", "replace")
        if self.allow_utf8:
            found = bad_code_points(text)
        else:
            found = [f"0x{b:02x}" for b in bad_bytes(data)]
        if found:
            self.problems.append(f"forbidden {found[:5]} in {data[:200]!r}")
        for char in text:
            if char == "\n":
                self.lines.append("")
                self._column = 0
            elif char == "\r":
                self._column = 0
            elif char == "\a":
                self.bells += 1
            else:
                row = self.lines[-1]
                column = self._column
                self.lines[-1] = row[:column].ljust(column) + char + row[column + 1 :]
                self._column += 1

    def text(self) -> str:
        return "\n".join(self.lines)

    def _offset(self, mark: tuple[int, int]) -> int:
        row, column = mark
        return sum(len(line) + 1 for line in self.lines[:row]) + column

    def _find(self, needle: str) -> int:
        """End of `needle` after the mark (rows before the mark's row are never searched)."""
        row, _column = self._mark
        text = self.text()
        start = self._offset((row, 0))
        floor = self._offset(self._mark)
        while True:
            found = text.find(needle, start)
            if found < 0:
                return -1
            if found + len(needle) > floor:
                return found + len(needle)
            start = found + 1

    def _set_mark(self, end: int) -> None:
        text = self.text()
        row = text.count("\n", 0, end)
        column = end - (text.rfind("\n", 0, end) + 1)
        self._mark = (row, column)

    async def expect(self, needle: str, timeout: float = 15.0) -> str:
        """Wait for `needle` after what was read so far; returns the text read up to it."""
        deadline = time.monotonic() + timeout
        while True:
            end = self._find(needle)
            if end >= 0:
                before = self._offset(self._mark)
                self._set_mark(end)
                return self.text()[before:end]
            if self.closed.is_set() or time.monotonic() > deadline:
                raise AssertionError(
                    f"{needle!r} never came. The session read:\n" + self.text()[-3000:]
                )
            await asyncio.sleep(0.02)  # poll interval, not a wait for something to happen

    async def expect_any(self, *needles: str, timeout: float = 15.0) -> tuple[str, str]:
        """The first of `needles` to come next, and the text read up to it."""
        deadline = time.monotonic() + timeout
        while True:
            found = [(end, needle) for needle in needles if (end := self._find(needle)) >= 0]
            if found:
                end, needle = min(found)
                before = self._offset(self._mark)
                self._set_mark(end)
                return needle, self.text()[before:end]
            if self.closed.is_set() or time.monotonic() > deadline:
                raise AssertionError(
                    f"none of {needles!r} came. The session read:\n" + self.text()[-3000:]
                )
            await asyncio.sleep(0.02)  # poll interval, not a wait for something to happen

    async def page_through(self, prompt: str, timeout: float = 15.0) -> str:
        """Enter at each "more" until `prompt` comes; everything read on the way."""
        read = ""
        while True:
            needle, text = await self.expect_any(*MORES, prompt, timeout=timeout)
            read += text
            if needle == prompt:
                return read
            self.send("\r")

    def seen(self, needle: str) -> bool:
        return needle in self.text()

    # -- typing -----------------------------------------------------------------------
    def send(self, data: str | bytes) -> None:
        self.process.stdin.write(data.encode() if isinstance(data, str) else data)

    async def answer(self, prompt: str, text: str, timeout: float = 15.0) -> str:
        """Wait for `prompt`, then type `text` and Enter. Returns what was read up to it."""
        read = await self.expect(prompt, timeout)
        self.send(text + "\r")
        if self.echo:
            # What comes next starts on the row after the answer (the prompt row is done).
            self._mark = (self._mark[0] + 1, 0)
        return read

    async def wait_closed(self, timeout: float = 10.0) -> int | None:
        await asyncio.wait_for(self.closed.wait(), timeout)
        await asyncio.wait_for(self.process.wait_closed(), timeout)
        return self.process.exit_status

    def check(self) -> None:
        """Nothing forbidden was ever sent, and no row was wider than the terminal."""
        assert not self.problems, self.problems
        wide = [line for line in self.lines if len(line) > self.width - 1]
        assert not wide, wide


async def open_plain(
    port: int,
    username: str,
    *,
    password: str | None = None,
    client_keys: list[asyncssh.SSHKey] | None = None,
    term_type: str | None = "dumb",
    command: str | None = None,
    size: tuple[int, int] = (80, 24),
    allow_utf8: bool = False,
    env: dict[str, str] | None = None,
) -> PlainTerminal:
    """An asyncssh client session: a pty with `term_type` (None: no pty) and a command
    (`env`: the variables the client sends, as OpenSSH's SendEnv does)."""
    if username == "new" and password is None:
        password = ""
    conn = await asyncssh.connect(
        "127.0.0.1",
        port,
        username=username,
        password=password,
        client_keys=client_keys or [],
        known_hosts=None,
        agent_path=None,
        preferred_auth=("publickey", "keyboard-interactive", "password")
        if username == "new"
        else ("publickey", "password"),
    )
    process = await conn.create_process(
        command,
        term_type=term_type,
        term_size=size if term_type else None,
        encoding=None,
        env=env or {},
    )
    terminal = PlainTerminal(
        conn, process, width=size[0], allow_utf8=allow_utf8, echo=term_type is not None
    )
    terminal.reader = asyncio.get_running_loop().create_task(terminal._read())
    return terminal
