"""No English left where a member reads it: every literal a screen (or line mode) shows is
marked for translation (issue 20).

The catalogue test (tests/bbs/test_i18n.py) proves every marked message is translated;
this one finds the words that were never marked. It reads the screens' source and fails
on a string literal, or an f-string, handed straight to a call that puts text on screen
(a key bar, a status line, a notification, a label, a button, an option, a field's
placeholder): wrap it as `self.t(N_("..."))`, or define it with `N_` and translate where
it is shown. Data (a member's words, ids, CSS) never reaches these calls as a literal.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import plain
import screens

SHOWN = {
    "KeyBar",
    "say",
    "notify",
    "Label",
    "Button",
    "Static",
    "PlainText",
    "show",
    "update",
    "Option",
    "Checkbox",
    "RadioButton",
    "TextField",
    "Input",
    "Tick",
    "ChoiceField",
    "show_error",
    # Line mode (plain/): what it prints and asks.
    "ask",
    "confirm",
}
# Calls that translate what they are given: a bare literal there is never extracted into
# the catalogues (mark it N_("...") so it is), and an f-string is never found in them.
TRANSLATING = {"t", "session_text", "localise"}
# Keyword arguments that carry words for the member.
SHOWN_KEYWORDS = {"placeholder", "label", "title", "prompt", "message", "tooltip"}
WORDS = re.compile(r"[A-Za-z]{3,}")


def _called(node: ast.Call) -> str | None:
    f = node.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None


def _words(arg: ast.expr) -> str | None:
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return arg.value if WORDS.search(arg.value) else None
    if isinstance(arg, ast.JoinedStr):
        text = "".join(v.value for v in arg.values if isinstance(v, ast.Constant))
        return "f" + repr(text) if WORDS.search(str(text)) else None
    return None


def unmarked(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = _called(node)
        args = [k.value for k in node.keywords if k.arg in SHOWN_KEYWORDS]
        if name in SHOWN or name in TRANSLATING:
            args += node.args
        for arg in args:
            words = _words(arg)
            if words:
                found.append(f"{path.name}:{node.lineno}: {name}({words[:70]!r})")
    return found


def test_every_word_a_screen_shows_is_marked_for_translation() -> None:
    folders = [Path(screens.__file__).parent, Path(plain.__file__).parent]
    paths = [path for folder in folders for path in sorted(folder.glob("*.py"))]
    found = [line for path in paths for line in unmarked(path)]
    assert not found, "shown without translation:\n" + "\n".join(found)


def test_the_check_finds_an_unmarked_literal(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        'self.say("Saved.")\nyield KeyBar(N_(" Esc back"))\n'
        'Input(placeholder=f"Up to {n} words")\nself.notify(self.t(GONE))\n'
        'self.t("Not marked")\nself.t(N_("Marked"))\n',
        encoding="utf-8",
    )
    assert [line.split(": ", 1)[1] for line in unmarked(sample)] == [
        "say('Saved.')",
        "Input(\"f'Up to  words'\")",
        "t('Not marked')",
    ]
