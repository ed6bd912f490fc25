"""Join hard-wrapped prose back into paragraphs, so a screen can wrap it at its own width.

Help files, guidelines and notes are written wrapped at about 76 columns. Drawn in a
narrower box (a dialog, a scroll bar's column less, a 40-column phone), every source
line wraps again and leaves a ragged stub ("hurting you," alone on a line). `reflow`
joins the lines of each paragraph and keeps everything else where the author put it:
blank lines, list items, headings and their underlines, indented blocks, and lines that
start a new thought.

The rule is deliberately simple and conservative; a line is joined to the one before it
only when the next line plainly continues it:
- it starts with a lowercase letter ("...hurting you,\\nplease contact..."), or
- the line before ends mid-sentence with a comma or semicolon, or the next line opens a
  bracket after a line with no closing punctuation ("...the Profile menu\\n(P, then P
  again)").
A line starting with a capital after a line without punctuation is left alone: that is
how an unmarked list of phone lines or tips reads, and breaking prose there is rare.
Never joined: blank lines; list items ("- ", "* ", "• ", "+ ", "1. ", "2) "); quotes
("> "); heading underlines ("====") and the heading above one; lines indented by four
or more spaces or a tab (a command, an address block). A line indented by less joins
only as the hanging indent of a list item ("5. Keep it safe ... Use a\\n   content
warning"), so an indented command under a sentence keeps its line.
"""

from __future__ import annotations

import re

__all__ = ["reflow"]

_ITEM = re.compile(r"\s*(?:[-*•+>]\s|\d{1,3}[.)]\s)")
_UNDERLINE = re.compile(r"\s*([=\-~_*#])\1{2,}\s*")
_CLOSERS = "\"'”’)]»"
_SENTENCE_END = ".!?:"
_CONTINUES = ",;"
_OPENERS = "("


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _preformatted(line: str) -> bool:
    return line.startswith("\t") or _indent(line) >= 4


def _last_char(line: str) -> str:
    stripped = line.rstrip().rstrip(_CLOSERS)
    return stripped[-1:] if stripped else ""


def _continues(previous: str, line: str) -> bool:
    """Whether `line` carries on the sentence `previous` (the paragraph so far) left open."""
    first = line.lstrip()[:1]
    if first.islower():
        return True
    end = _last_char(previous)
    if end in _CONTINUES:
        return True
    return first in _OPENERS and end not in _SENTENCE_END and not end.isdigit()


def reflow(text: str) -> str:
    """`text` with each paragraph's lines joined by single spaces; the rest kept as it is."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[str] = []
    # Whether the paragraph being built may take more lines, and whether it is a list item.
    open_paragraph = False
    in_item = False
    for index, raw in enumerate(lines):
        line = raw.rstrip()
        following = lines[index + 1] if index + 1 < len(lines) else ""
        structural = (
            not line.strip()
            or _ITEM.match(line) is not None
            or _UNDERLINE.fullmatch(line) is not None
            or _UNDERLINE.fullmatch(following) is not None  # a heading
            or _preformatted(line)
        )
        indented = _indent(line) > 0
        if (
            open_paragraph
            and not structural
            and (in_item or not indented)
            and _continues(out[-1], line)
        ):
            joined = line.lstrip()
            previous = out[-1]
            if previous.endswith("-") and previous[-2:-1].isalpha() and joined[:1].islower():
                out[-1] = previous + joined  # a word hyphenated across the lines
            else:
                out[-1] = previous + " " + joined
            continue
        out.append(line)
        item = _ITEM.match(line) is not None
        open_paragraph = bool(line.strip()) and not (
            _UNDERLINE.fullmatch(line) or _UNDERLINE.fullmatch(following) or _preformatted(line)
        )
        in_item = item or (in_item and open_paragraph and indented)
    return "\n".join(out)
