"""The line editor behind a plain session: echo, Backspace, Ctrl+U, Enter, pastes, no escapes.

Pure: characters in, text to send out. The SSH session (server/plain_io.py) feeds it
what the client types and writes what it returns. It works only while a prompt is
showing: input typed ahead is kept and handled when the next prompt appears, so its
echo lands after that prompt, and nothing is ever shown twice.

What it sends out contains no control characters but CR and LF: no cursor movement,
no colours, no erase sequences. Backspace on a terminal without escape sequences is a
carriage return and the row written again, with a space over the erased character.
Typed text wraps onto a new row before the terminal's last column, so the editor always
knows what the cursor's row shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bbs.text_safety import clean_text
from plain.layout import plain, width_of, wrap_paragraph

ESC = "\x1b"
PASTE_START = "[200~"
PASTE_END = ESC + "[201~"
# A line (or a paste) longer than this keeps its first part only.
MAX_LINE_CHARS = 24_000
# An OSC or DCS string longer than this is not one a terminal sends: typing resumes.
MAX_STRING = 512


class Kind(StrEnum):
    """How a read ended."""

    LINE = "line"
    # Ctrl+C, or Ctrl+D on an empty line.
    END = "end"
    # Ctrl+\ (the full screen's quick-hide key): the console hides as for `hide`.
    HIDE = "hide"


@dataclass(frozen=True)
class Submitted:
    kind: Kind
    text: str = ""


class _State(StrEnum):
    TEXT = "text"
    ESC = "esc"
    CSI = "csi"
    SS3 = "ss3"
    STRING = "string"  # OSC, DCS and friends: skipped up to BEL or ESC \
    STRING_ESC = "string_esc"
    PASTE = "paste"


def _cells(text: str) -> int:
    return width_of(text)


class LineEditor:
    """One session's input line. `begin` shows a prompt; `feed` takes typed characters."""

    def __init__(
        self, width: int = 80, *, echo: bool = True, max_chars: int = MAX_LINE_CHARS
    ) -> None:
        self.width = width
        self.echo = echo
        self.max_chars = max_chars
        self.active = False
        self._raw = ""
        self._state = _State.TEXT
        self._sequence = ""
        self._paste: list[str] = []
        self._paste_size = 0
        self._skip_lf = False
        self._prompt_row = ""
        self._secret = False
        self._buffer = ""
        # What the cursor's row shows, from the row's start to the cursor.
        self._row = ""
        self._done: Submitted | None = None

    @property
    def limit(self) -> int:
        """The widest row we write: one short of the last column."""
        return max(8, self.width - 1)

    @property
    def buffer(self) -> str:
        return self._buffer

    @property
    def pending_input(self) -> int:
        """Characters typed ahead, not handled yet."""
        return len(self._raw)

    # -- reading a line ---------------------------------------------------------------
    def begin(self, prompt: str, *, secret: bool = False, initial: str = "") -> str:
        """Show `prompt` (and `initial` text, as if typed) and handle anything typed ahead;
        returns the text to send."""
        self.active = True
        self._secret = secret
        self._buffer = ""
        self._done = None
        text = plain(prompt).replace("\n", " ")
        trailing = " " if text.endswith(" ") else ""
        rows = wrap_paragraph(text.rstrip(" "), self.limit) if text.strip() else [""]
        if trailing and _cells(rows[-1]) < self.limit:
            rows[-1] += trailing
        self._prompt_row = rows[-1]
        self._row = rows[-1]
        out = "\r\n".join(rows)
        if initial and not self._raw:
            # Text kept from a line that was not taken; typing ahead since replaces it.
            out += self._insert(initial)
        return out + self._process()

    def feed(self, text: str) -> str:
        """Characters from the client; returns what to echo (nothing while no prompt shows)."""
        self._raw += text
        if not self.active:
            return ""
        return self._process()

    def take(self) -> Submitted | None:
        """The line (or key) that ended the read, once; the editor then waits for `begin`."""
        done, self._done = self._done, None
        return done

    @property
    def done(self) -> bool:
        return self._done is not None

    def stop(self) -> str:
        """No more reading: leaves the prompt's row (returns the text to send)."""
        if not self.active:
            return ""
        self.active = False
        self._buffer = ""
        self._row = ""
        return "\r\n" if self.echo else ""

    @property
    def in_escape(self) -> bool:
        """An Esc was the last thing typed: it may start a sequence, or be a lone Esc."""
        return self._state is _State.ESC

    def escape_timeout(self) -> None:
        """No sequence followed the Esc in time: it was a lone Esc, and is dropped."""
        if self._state is _State.ESC:
            self._state = _State.TEXT

    def drop_pending(self) -> None:
        """Forget input typed ahead (a flood)."""
        self._raw = ""

    # -- text from elsewhere ----------------------------------------------------------
    def interrupt(self, rows: list[str]) -> str:
        """Rows arriving while a line is typed: printed on their own rows, then the prompt
        and the half-typed text again. Returns the text to send."""
        body = "\r\n".join(rows)
        if not self.active or not self.echo:
            return body + "\r\n"
        shown = "" if self._secret else self._buffer
        if not shown and self._row == self._prompt_row:
            # Nothing typed yet: the first row takes the prompt's place (spaces cover it).
            first, rest = rows[0], rows[1:]
            pad = max(0, _cells(self._prompt_row) - _cells(first))
            out = "\r" + first + " " * pad + "".join("\r\n" + r for r in rest)
            return out + "\r\n" + self._prompt_row
        self._row = self._prompt_row
        return "\r\n" + body + "\r\n" + self._prompt_row + self._show(shown)

    # -- the work ---------------------------------------------------------------------
    def _process(self) -> str:
        out: list[str] = []
        raw = self._raw
        i, n = 0, len(raw)
        while i < n and self._done is None:
            state = self._state
            if state is _State.PASTE:
                end = raw.find(PASTE_END, i)
                if end < 0:
                    # Keep a possible start of the end marker for the next read.
                    keep = next(
                        (
                            k
                            for k in range(len(PASTE_END) - 1, 0, -1)
                            if raw.endswith(PASTE_END[:k])
                        ),
                        0,
                    )
                    self._add_paste(raw[i : n - keep])
                    i = n - keep
                    if keep:
                        break
                    continue
                self._add_paste(raw[i:end])
                i = end + len(PASTE_END)
                self._state = _State.TEXT
                out.append(self._insert(self._paste_text()))
                continue
            char = raw[i]
            i += 1
            if state is _State.TEXT:
                out.append(self._key(char))
            elif state is _State.ESC:
                self._escape(char)
            elif state is _State.CSI:
                self._sequence += char
                if "\x40" <= char <= "\x7e":
                    self._state = _State.TEXT
                    if self._sequence == PASTE_START:
                        self._state = _State.PASTE
                        self._paste, self._paste_size = [], 0
                elif len(self._sequence) > 32 or not "\x20" <= char <= "\x3f":
                    self._state = _State.TEXT  # not a sequence after all: dropped
            elif state is _State.SS3:
                self._state = _State.TEXT
            elif state is _State.STRING:
                self._sequence += char
                if char == "\x07":
                    self._state = _State.TEXT
                elif char == ESC:
                    self._state = _State.STRING_ESC
                elif char in "\r\n" or len(self._sequence) > MAX_STRING:
                    # Not a terminal's answer after all (those never hold a line end):
                    # typing goes on as typing.
                    self._state = _State.TEXT
                    if char in "\r\n":
                        out.append(self._key(char))
            elif state is _State.STRING_ESC:
                self._state = _State.TEXT if char == "\\" else _State.STRING
        self._raw = raw[i:]
        return "".join(out)

    def _escape(self, char: str) -> None:
        if char == "[":
            self._state, self._sequence = _State.CSI, "["
        elif char == "O":
            self._state = _State.SS3
        elif char in "]PX^_":
            self._state, self._sequence = _State.STRING, ""
        elif char == ESC:
            self._state = _State.ESC
        else:
            # Alt+key, or a lone Esc and the next key: neither is text.
            self._state = _State.TEXT

    def _add_paste(self, text: str) -> None:
        room = self.max_chars - self._paste_size
        if room > 0 and text:
            self._paste.append(text[:room])
            self._paste_size += min(room, len(text))

    def _paste_text(self) -> str:
        text = "".join(self._paste)
        self._paste, self._paste_size = [], 0
        # Pasted text is text: controls go (clean_text), line breaks stay as "\n".
        return clean_text(text).strip("\n")

    def _key(self, char: str) -> str:
        if char == "\n" and self._skip_lf:
            self._skip_lf = False
            return ""
        self._skip_lf = False
        if char >= " " and char != "\x7f" and not "\x80" <= char <= "\x9f":
            return self._insert(char)
        if char in "\r\n":
            self._skip_lf = char == "\r"
            return self._finish(Submitted(Kind.LINE, self._buffer))
        if char in "\x7f\x08":
            return self._erase(self._last_char())
        if char == "\x15":  # Ctrl+U
            return self._kill()
        if char == "\x17":  # Ctrl+W
            return self._erase(self._last_word())
        if char == ESC:
            self._state = _State.ESC
            return ""
        if char == "\x03" or (char == "\x04" and not self._buffer):
            return self._finish(Submitted(Kind.END))
        if char == "\x1c" and not self._secret:  # Ctrl+\
            return self._finish(Submitted(Kind.HIDE))
        if char == "\t":
            return self._insert(" ")
        return ""

    def _finish(self, submitted: Submitted) -> str:
        self._done = submitted
        self.active = False
        self._buffer = ""
        self._row = ""
        return "\r\n" if self.echo else ""

    def _insert(self, text: str) -> str:
        room = self.max_chars - len(self._buffer)
        if room <= 0 or not text:
            return ""
        # Format characters (bidi overrides and the like) are not kept, as in any post.
        text = clean_text(text[:room])
        self._buffer += text
        if self._secret or not self.echo:
            return ""
        return self._show(text)

    def _show(self, text: str) -> str:
        """Echo `text` after what the cursor's row shows, wrapping before the last column."""
        out: list[str] = []
        row = self._row
        used = _cells(row)
        for char in text:
            if char == "\n":
                out.append("\r\n")
                row, used = "", 0
                continue
            cells = _cells(char)
            if used + cells > self.limit and cells > 0:
                out.append("\r\n")
                row, used = "", 0
            out.append(char)
            row += char
            used += cells
        self._row = row
        return "".join(out)

    def _last_char(self) -> int:
        """How many code points the last character takes (with its combining marks)."""
        count = 0
        buffer = self._buffer
        while (
            count < len(buffer) and _cells(buffer[-1 - count]) == 0 and buffer[-1 - count] != "\n"
        ):
            count += 1
        return min(len(buffer), count + 1)

    def _last_word(self) -> int:
        buffer = self._buffer
        end = len(buffer.rstrip(" "))
        start = max(buffer.rfind(" ", 0, end), buffer.rfind("\n", 0, end)) + 1
        return len(buffer) - start

    def _erase(self, count: int) -> str:
        if count <= 0 or not self._buffer:
            return ""
        removed = self._buffer[-count:]
        self._buffer = self._buffer[:-count]
        if self._secret or not self.echo:
            return ""
        if "\n" not in removed and self._row.endswith(removed):
            row = self._row[: len(self._row) - len(removed)]
            self._row = row
            return "\r" + row + " " * _cells(removed) + "\r" + row
        # What was erased began on a row above, which a line terminal cannot reach: the
        # end of the line is written again on this row.
        blank = " " * _cells(self._row)
        tail = self._tail()
        self._row = tail
        return "\r" + blank + "\r" + tail

    def _tail(self) -> str:
        """The end of the prompt and text, as much as fits on one row."""
        start = self._buffer.rfind("\n")
        text = self._buffer[start + 1 :] if start >= 0 else self._prompt_row + self._buffer
        used = 0
        cut = len(text)
        while cut > 0 and used + _cells(text[cut - 1]) <= self.limit:
            used += _cells(text[cut - 1])
            cut -= 1
        return text[cut:]

    def _kill(self) -> str:
        if not self._buffer:
            return ""
        whole = self._prompt_row + self._buffer
        on_one_row = self._row == whole
        self._buffer = ""
        if self._secret or not self.echo:
            return ""
        self._row = self._prompt_row
        if on_one_row:
            return "\r" + " " * _cells(whole) + "\r" + self._prompt_row
        return "\r\n" + self._prompt_row
