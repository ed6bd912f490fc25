"""Small widgets that keep untrusted text literal and idle terminals silent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.validation import ValidationResult
from textual.widget import Widget
from textual.widgets import Checkbox, Input, RadioButton, Static, TextArea
from textual.widgets.text_area import Edit, EditResult

from bbs.i18n import DEFAULT_LANGUAGE, N_, localise
from bbs.text_safety import clean_line, clean_text
from screens.tcss import default_css
from screens.textual_compat import own_key_bindings, stop_watching

BUSY = N_("The server is busy right now; nothing was lost. Try again in a moment.")


def session_text(widget: Widget, message: object) -> str:
    """`message` in the language of the session showing `widget` (English elsewhere):
    an `N_` constant, a `said` message or an exception carrying one."""
    say = getattr(widget.app, "t", None)
    return str(say(message)) if callable(say) else localise(message, DEFAULT_LANGUAGE)


def literal(text: str) -> Content:
    """Text shown exactly as written: no markup, no escape sequences, no bidi tricks."""
    return Content(clean_text(text))


def styled_line(*parts: str | tuple[str, str]) -> Content:
    """One line from pieces of untrusted text (cleaned), each optionally styled."""
    pieces: list[Content] = []
    for part in parts:
        text, style = (part, "") if isinstance(part, str) else part
        piece = Content(clean_line(text))
        pieces.append(piece.stylize(style) if style else piece)
    return Content("").join(pieces)


class PlainText(Static):
    """A Static that never parses markup: whatever it is given is shown literally."""

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None):
        super().__init__(literal(text), id=id, classes=classes, markup=False)

    def show(self, text: str) -> None:
        self.update(literal(text))


ONE_LINE_KEPT = N_("Only the first line of that paste was kept: this field takes one line.")
PASTE_TOO_LONG = N_(
    "That paste is longer than this field takes ({most} characters), so nothing was pasted."
)


class TextField(Input):
    """An Input whose cursor does not blink (an idle member costs zero bytes a second),
    which holds and shows only safe text, and which says what a paste lost.

    Whatever comes in (typed, pasted, or set) is cleaned as posts are (`clean_line`):
    control characters (C0, C1, DEL, ESC), bidi overrides and zero-width spaces are
    dropped, ZWJ and ZWNJ kept, so the field never echoes an escape sequence to the
    member's own terminal. A password field keeps what was typed, exactly (SSH password
    logins compare it as sent), and only ever shows dots.
    """

    cursor_blink = reactive(False, init=False)
    # Textual's Input sets its virtual size (the value's width) on every key, and a widget's
    # virtual size asks for a layout of the whole screen. An Input keeps its own virtual
    # size through a layout (a ScrollView), and one sized by its text asks for a layout
    # itself, so a key repaints the field only.
    virtual_size = reactive(Size(0, 0), layout=False)

    def validate_value(self, value: str) -> str:
        return value if self.password else clean_line(value)

    def validate(self, value: str) -> ValidationResult | None:
        # Textual validates on every key; a field without validators is valid whatever it
        # holds, and once marked so (`-valid`) has nothing to mark again: no class set and
        # checked twice a key.
        if not self.validators and self.has_class("-valid") and not self.has_class("-invalid"):
            return None
        return super().validate(value)

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(text if self.password else clean_line(text), start, end)

    async def _on_key(self, event: events.Key) -> None:
        focused = self.screen.focused
        if focused is not self and isinstance(focused, TextField):
            # Typed ahead before focus moved on (a slow link delivers keys in bursts):
            # the key belongs to the field that has focus now.
            event.stop()
            event.prevent_default()
            focused.post_message(events.Key(event.key, event.character))
            return
        if event.key == "enter":
            fields = form_fields(self.screen)
            if self in fields and fields.index(self) + 1 < len(fields):
                # Move on at once, not when a Submitted message is handled later, so the
                # keys already queued behind this Enter follow it to the next field.
                event.stop()
                event.prevent_default()
                self.screen.set_focus(fields[fields.index(self) + 1])
            return
        bindings = own_key_bindings(self, event.key)
        if bindings and not event.is_printable:
            # Textual runs a field's own key bindings (Ctrl+U, Ctrl+W, Home...) only after
            # the keys queued behind them; a burst like Ctrl+U then text would lose the
            # text. Run them here, in the order the member typed.
            event.stop()
            event.prevent_default()
            await self.run_action(bindings[0].action)

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        lines = [line for line in event.text.splitlines() if line.strip()]
        line = lines[0] if lines else ""
        if not self.password:
            line = clean_line(line)
        start, end = sorted(self.selection)
        room = self.max_length - len(self.value) + (end - start) if self.max_length else None
        if room is not None and len(line) > room:
            self.notify(
                session_text(self, PASTE_TOO_LONG).format(most=self.max_length),
                severity="warning",
                markup=False,
            )
            return
        if line:
            self.replace(line, start, end)
        if len(lines) > 1:
            self.notify(session_text(self, ONE_LINE_KEPT), severity="warning", markup=False)


class BBSTextArea(TextArea):
    """A TextArea that lets go of the app's theme when it leaves the screen.

    Every TextArea watches `app.theme`, and Textual prunes the watchers of removed
    widgets only when the theme next changes, which in a session is never: each editor
    ever opened (a reply, a new thread, with its whole undo history) stayed alive until
    the member logged out. About 0.3 MiB a post in the abuse benchmark.
    """

    def on_unmount(self) -> None:
        try:
            app = self.app
        except Exception:  # no app any more (the session ended): nothing to release
            return
        stop_watching(app, "theme", self)


class SafeTextArea(BBSTextArea):
    """A TextArea that holds and shows only safe text, cleaned as posts are (`clean_text`):
    whatever is typed, pasted or loaded loses control characters (C0, C1, DEL, ESC),
    bidi overrides and zero-width spaces; newlines, ZWJ, ZWNJ and variation selectors
    stay. Its cursor does not blink."""

    cursor_blink = reactive(False, init=False)

    def __init__(self, text: str = "", **kwargs: Any) -> None:
        super().__init__(clean_text(text), **kwargs)

    def load_text(self, text: str) -> None:
        super().load_text(clean_text(text))

    def edit(self, edit: Edit) -> EditResult:
        # Every change (typing, a paste, insert() and replace()) comes through here.
        text = clean_text(edit.text)
        if text != edit.text:
            edit = Edit(text, edit.from_location, edit.to_location, edit.maintain_selection_offset)
        return super().edit(edit)


class Tick(Checkbox):
    """A checkbox that reads without colour: "x" when on, blank when off.

    Textual's Checkbox always draws an X and tells on from off by colour alone, which a
    monochrome terminal (or a member who cannot tell green from grey) cannot see. Up and
    Down move between the choices on a form, as they do in every other list here.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "app.focus_previous", "Previous", show=False),
        Binding("down", "app.focus_next", "Next", show=False),
    ]

    def __init__(
        self, label: str, value: bool = False, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(Content(label), value, id=id, classes=classes, compact=True)
        self.BUTTON_INNER = "x" if value else " "

    def watch_value(self) -> None:
        self.BUTTON_INNER = "x" if self.value else " "
        super().watch_value()


class Choice(RadioButton):
    """A radio button that reads without colour: a dot on the chosen one only."""

    def __init__(self, label: str, value: bool = False, *, id: str | None = None) -> None:
        super().__init__(Content(label), value, id=id)
        self.BUTTON_INNER = "●" if value else " "

    def watch_value(self) -> None:
        self.BUTTON_INNER = "●" if self.value else " "
        super().watch_value()


class KeyBar(Static):
    """The keys that work here: one line, or more where the text says so with newlines.

    Its height follows its text, so a terminal too narrow for a line wraps it instead of
    cutting keys off (tests/screens/test_fit_80x24.py holds every bar to its lines at 80x24).
    """

    DEFAULT_CSS = default_css(__file__, "KeyBar")

    def __init__(self, keys: str, *, id: str | None = None) -> None:
        super().__init__(Content(keys), id=id, markup=False)
        self._keys = keys

    def on_mount(self) -> None:
        # Our own words, never a member's: said in the session's language (mark the text
        # with N_ where it is written so the catalogues carry it). Said already (English,
        # or a text the screen translated): nothing to change, and no second layout.
        said = session_text(self, self._keys)
        if said != self._keys:
            self.update(Content(said))


def form_fields(screen: Widget) -> list[Widget]:
    """A form's fields in order (text fields and choice rows that are shown and enabled)."""
    return [f for f in screen.query("TextField, ChoiceField") if f.display and not f.disabled]


class ChoiceField(Widget, can_focus=True):
    """One of a few fixed values on one line: Left/Right or a first letter change it.

    The chosen value is in brackets (and reverse while focused), so it reads without
    colour and by screen reader. Enter moves to the next field of the form, as in a text
    field, and from the last one sends `Submitted`.

    Each value is shown by its label (`labels`, marked with `N_`; the value itself where
    none is given), said in the session's language; a first letter goes by what is shown.
    `value` is always one of `options`, never a translation.
    """

    DEFAULT_CSS = default_css(__file__, "ChoiceField")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "step(-1)", "Previous", show=False),
        Binding("right,space", "step(1)", "Next", show=False),
        Binding("enter", "next_field", "Next field", show=False),
    ]

    value: reactive[str] = reactive("")

    class Submitted(Message):
        """Enter on the form's last field."""

        def __init__(self, field: ChoiceField) -> None:
            super().__init__()
            self.field = field

        @property
        def control(self) -> ChoiceField:
            return self.field

    def __init__(
        self,
        options: Sequence[str],
        value: str,
        *,
        labels: Mapping[str, str] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.options = list(options)
        self.labels = dict(labels or {})
        self.set_reactive(ChoiceField.value, value if value in self.options else self.options[0])

    def label(self, option: str) -> str:
        """What `option` is shown as: its label (or itself) in the session's language."""
        return session_text(self, self.labels.get(option, option))

    def render(self) -> Content:
        parts = []
        for option in self.options:
            label = clean_line(self.label(option))
            if option == self.value:
                chosen = Content(f"[{label}]").stylize("bold")
                parts.append(chosen.stylize("reverse") if self.has_focus else chosen)
            else:
                parts.append(Content(f" {label} "))
        return Content(" ").join(parts)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_step(self, step: int) -> None:
        index = self.options.index(self.value)
        self.value = self.options[(index + step) % len(self.options)]

    def on_key(self, event: events.Key) -> None:
        if event.character and event.is_printable and event.character != " ":
            letter = event.character.lower()
            start = self.options.index(self.value)
            # A first letter chooses the next option starting with it.
            for offset in range(1, len(self.options) + 1):
                option = self.options[(start + offset) % len(self.options)]
                if self.label(option).lower().startswith(letter):
                    self.value = option
                    event.stop()
                    break

    def action_next_field(self) -> None:
        fields = form_fields(self.screen)
        if self in fields and fields.index(self) + 1 < len(fields):
            self.screen.set_focus(fields[fields.index(self) + 1])
        else:
            self.post_message(self.Submitted(self))


class KeyMenu(Widget, can_focus=True):
    """A short menu of fixed entries: Up/Down (or a click) to choose, Enter to open.

    Drawn as one block of text, so a home screen with a menu costs one widget's render
    instead of a scrolling list's machinery; every entry also has a key of its own.
    """

    DEFAULT_CSS = default_css(__file__, "KeyMenu")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("down", "move(1)", "Next", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("enter", "choose", "Open", show=False),
    ]

    highlighted: reactive[int] = reactive(0)

    class Chosen(Message):
        """An entry was chosen; `action` is its id."""

        def __init__(self, menu: KeyMenu, action: str) -> None:
            super().__init__()
            self.menu = menu
            self.action = action

        @property
        def control(self) -> KeyMenu:
            return self.menu

    def __init__(self, entries: list[tuple[str, str]], *, id: str | None = None) -> None:
        """`entries`: (action, label) pairs, shown in order."""
        super().__init__(id=id)
        self.entries = entries

    def render(self) -> Content:
        lines = []
        for index, (_action, label) in enumerate(self.entries):
            line = Content(label)
            lines.append(line.stylize("reverse") if index == self.highlighted else line)
        return Content("\n").join(lines)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.entries)

    def action_move(self, step: int) -> None:
        if self.entries:
            self.highlighted = (self.highlighted + step) % len(self.entries)

    def action_jump(self, index: int) -> None:
        if self.entries:
            self.highlighted = index % len(self.entries)

    def action_choose(self) -> None:
        if self.entries:
            self.post_message(self.Chosen(self, self.entries[self.highlighted][0]))

    def on_click(self, event: events.Click) -> None:
        if 0 <= event.y < len(self.entries):
            self.highlighted = event.y
            self.action_choose()
