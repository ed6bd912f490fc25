"""Hostile strings for escape and markup safety, and a byte-level check of terminal output.

`CORPUS` holds what a member might send to steer another member's terminal or our UI:
7-bit and 8-bit (C1) escape sequences, clipboard writes, title set and report requests,
device-control queries, bidi and zero-width characters, console markup and lookalike
names. Each entry starts with a short tag ("H07") so a test can find it on a screen.

`classify_output` walks every byte a client received and names each control sequence;
`forbidden_sequences` lists those that are not our own colours, cursor moves, erases,
scroll regions and the private modes our driver and Textual set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bbs.text_safety import clean_line, clean_text


@dataclass(frozen=True)
class Hostile:
    tag: str
    text: str

    @property
    def shown(self) -> str:
        """What a member should see: the cleaned, literal text (zero-width joiners aside)."""
        return _words(clean_line(self.text))

    @property
    def shown_lines(self) -> list[str]:
        """The same, in a post's body, where a CR starts a new line."""
        return [_words(line) for line in clean_text(self.text).split("\n") if line.strip()]


def _words(text: str) -> str:
    return " ".join(text.replace("\u200c", "").replace("\u200d", "").split())


_RAW: list[str] = [
    "\x1b[2J\x1b[H wiped the screen",  # erase display, cursor home
    "\x1b[5;31mblink\x1b[0m \x1b[8mhidden\x1b[28m",  # SGR from a member
    "\x1b]52;c;aGVsbG8=\x07clip",  # OSC 52 clipboard write, BEL-terminated
    "\x1b]52;p;ZXZpbA==\x1b\\clip2",  # OSC 52, ST-terminated
    "\x1b]0;pwned title\x07t0",  # OSC 0: window title
    "\x1b]2;title two\x1b\\t2",  # OSC 2: window title
    "\x1b[21t\x1b[20t\x1b[14t reports",  # title / icon / size reports (CSI t)
    "\x1b]8;;https://evil.example\x07link\x1b]8;;\x07",  # OSC 8 hyperlink
    "\x1bP$qm\x1b\\ decrqss \x1bP+q544e\x1b\\",  # DECRQSS and XTGETTCAP (DCS)
    "\x1b_Gf=100;AAAA\x1b\\ apc",  # APC (kitty graphics)
    "\x1b^privacy message\x1b\\ pm",  # PM
    "\x9b31mred\x9b2J c1csi",  # 8-bit CSI
    "\x9d52;c;aGk=\x9c c1osc \x9d0;t\x07",  # 8-bit OSC and ST
    "\x90$qm\x9c c1dcs \x9f\x9e apc pm",  # 8-bit DCS, APC, PM
    "\x85nel\x84ind\x8dri\x8ess2 c1",  # other C1 controls
    "\u202eevil\u202c bidi",  # right-to-left override
    "\u2066a\u2067b\u2068c\u2069 \u200e\u200f\u061c isolates",  # bidi isolates and marks
    # Zero-width characters and BOM. ZWNJ and ZWJ carry meaning in real writing and are
    # kept; pyte stops drawing a run at them, so they come last.
    "zero\u200bwidth\ufeff joiners\u200c\u200d",
    "[@click=app.quit]x[/]",  # Textual action markup
    "[/] [/bold] closers",  # stray closing tags
    "[bold red]loud[/bold red] [$accent]v[/]",  # style markup and variables
    "[link=https://evil.example]link[/link]",  # Rich hyperlink markup
    "\u0430dmin c\u0430ll me",  # Cyrillic a in "admin"
    "bell\x07 back\x08\x08 cr\rnul\x00 del\x7f",  # C0 controls
    "\x1bc reset \x1b7\x1b8 \x1b#8 \x1b(0 charset",  # RIS, DECSC/DECRC, DECALN, G0
    "\x1b[?1049l\x1b[?25h\x1b[?1000l\x1b[?2004l modes",  # our own private modes, from a member
    "\x1b[1;3r\x1b[5M region",  # scroll region and delete lines
]

CORPUS: list[Hostile] = [Hostile(f"H{n:02d}", f"H{n:02d} {text}") for n, text in enumerate(_RAW)]

# Pseudonyms members might try: each must be refused with a kind message, or cleaned.
HOSTILE_NAMES: list[str] = [
    "\x1b]52;c;aGk=\x07mal",
    "[@click=app.quit]x",
    "[bold]Rose[/]",
    "Ro\u202ese",
    "Ro\u200bse",
    "\ufeffRose",
    "\x9bRose",
    "\u0430dmin",  # Cyrillic lookalike of a reserved name
    "R" * 1_000_000,
]

ONE_MB_LINE = "H99 " + "\x1b]52;c;" + "A" * 1_000_000 + "\x07"

# Invisible or direction-changing characters that must never reach a terminal.
FORBIDDEN_CHARS = frozenset(
    "\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\ufeff"
)

# -- a byte-level tokenizer for what a terminal receives ----------------------------------

# Private modes (CSI ? n h/l) our driver and Textual set: cursor keys, autowrap, cursor
# visibility, mouse clicks (SGR/UTF-8/urxvt encodings), focus events, alternate screen,
# bracketed paste, synchronized output.
ALLOWED_PRIVATE_MODES = frozenset(
    {1, 7, 12, 25, 47, 1000, 1002, 1004, 1005, 1006, 1015, 1047, 1048, 1049, 2004, 2026}
)
# CSI finals with only numeric parameters: SGR, cursor movement and position, erase,
# insert/delete, scroll up/down, scroll region, save/restore cursor.
_CSI_FINALS = frozenset("mABCDEFGHfdJKXLMP@STrsu")
# OSC 22 sets the mouse pointer's shape to a fixed word; Textual sends it on its own.
_POINTER_SHAPE = re.compile(r"22;[a-z-]{1,20}")


@dataclass(frozen=True)
class Token:
    kind: str  # "csi", "osc", "dcs", "apc", "pm", "sos", "esc", "c0", "c1", "bad-utf8"
    text: str
    allowed: bool


def _csi_allowed(params: str, intermediates: str, final: str) -> bool:
    if params.startswith("?"):
        numbers = params[1:].split(";")
        if intermediates == "$" and final == "p":  # DECRQM: do you support this mode?
            return all(n.isdigit() and int(n) in ALLOWED_PRIVATE_MODES for n in numbers)
        if intermediates or final not in "hl":
            return False
        return all(n.isdigit() and int(n) in ALLOWED_PRIVATE_MODES for n in numbers)
    if intermediates or not re.fullmatch(r"[0-9;:]*", params):
        return False
    return final in _CSI_FINALS


def tokenize(data: bytes) -> list[Token]:
    """Every control sequence and control character in `data`, classified."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return [Token("bad-utf8", repr(data[error.start : error.end + 8]), False)]
    tokens: list[Token] = []
    index = 0
    size = len(text)
    while index < size:
        char = text[index]
        code = ord(char)
        if char == "\x1b":
            nxt = text[index + 1] if index + 1 < size else ""
            if nxt == "[":
                match = re.compile(r"\x1b\[([0-?]*)([ -/]*)([@-~])").match(text, index)
                if match is None:
                    tokens.append(Token("csi", text[index : index + 16], False))
                    index += 2
                    continue
                params, inter, final = match.groups()
                tokens.append(Token("csi", match.group(0), _csi_allowed(params, inter, final)))
                index = match.end()
            elif nxt in ("]", "P", "_", "^", "X"):
                kind = {"]": "osc", "P": "dcs", "_": "apc", "^": "pm", "X": "sos"}[nxt]
                end = _string_end(text, index + 2)
                body = text[index + 2 : end[0]]
                allowed = kind == "osc" and _POINTER_SHAPE.fullmatch(body) is not None
                tokens.append(Token(kind, text[index : end[1]], allowed))
                index = end[1]
            else:
                # Two-character escapes (RIS, DECSC, keypad modes, charsets...): none is ours.
                tokens.append(Token("esc", text[index : index + 2], False))
                index += 2
            continue
        if code < 0x20 or code == 0x7F:
            tokens.append(Token("c0", repr(char), char in "\r\n\x08"))
        elif 0x80 <= code <= 0x9F:
            tokens.append(Token("c1", repr(char), False))
        index += 1
    return tokens


def _string_end(text: str, start: int) -> tuple[int, int]:
    """Where a control string's body ends and the sequence ends (BEL or ST)."""
    bel = text.find("\x07", start)
    st = text.find("\x1b\\", start)
    ends = [(p, p + 1) for p in (bel,) if p >= 0] + [(p, p + 2) for p in (st,) if p >= 0]
    if not ends:
        return len(text), len(text)
    return min(ends)


def forbidden_sequences(data: bytes) -> list[Token]:
    """The control sequences in `data` that are not our own allowed kinds."""
    bad = [t for t in tokenize(data) if not t.allowed]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return bad
    bad.extend(Token("char", repr(c), False) for c in set(text) & FORBIDDEN_CHARS)
    return bad
