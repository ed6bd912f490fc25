"""Small widgets that keep untrusted text literal and idle terminals silent."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Input, Static

from bbs.text_safety import clean_text


def literal(text: str) -> Content:
    """Text shown exactly as written: no markup, no escape sequences, no bidi tricks."""
    return Content(clean_text(text))


class PlainText(Static):
    """A Static that never parses markup: whatever it is given is shown literally."""

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None):
        super().__init__(literal(text), id=id, classes=classes, markup=False)

    def show(self, text: str) -> None:
        self.update(literal(text))


class TextField(Input):
    """An Input whose cursor does not blink: an idle member costs zero bytes a second."""

    cursor_blink = reactive(False, init=False)


class KeyBar(Static):
    """One line naming the keys that work here."""

    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; width: 100%; text-style: reverse; }
    """

    def __init__(self, keys: str, *, id: str | None = None) -> None:
        super().__init__(Content(keys), id=id, markup=False)
