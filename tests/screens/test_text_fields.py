"""Text fields hold and show only safe text, and say what a paste lost (issue 16).

A pasted C1 OSC sequence in a field used to set the member's own window title, a C1 CSI
could clear the screen, and DEL, bidi overrides, zero-width spaces and ESC were drawn as
they were. Single-line fields kept the first line of a paste without a word.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.events import Paste
from textual.validation import Number
from textual.widgets import Input

from screens.compose import PostEditor
from screens.textual_compat import layout_pending
from screens.widgets import ONE_LINE_KEPT, SafeTextArea, TextField

# OSC (set the title) and CSI (clear the screen) as C1 bytes, DEL, a lone ESC, a bidi
# override, a zero-width space, a BEL and a backspace: none may be held or drawn.
HOSTILE = "a\x9d0;title\x9cb\x9b2J\x7fc\x1bd\u202eR\u200bZ\x07\x08!"
SAFE = "a0;titleb2JcdRZ!"
# What must survive: ZWJ emoji sequences, ZWNJ (Persian), variation selectors.
KEPT = "👩\u200d💻 می\u200cخواهم ❤\ufe0f"


class Fields(App[None]):
    def compose(self) -> ComposeResult:
        yield TextField(id="line")
        yield TextField(id="secret", password=True)
        yield PostEditor(id="body")
        yield SafeTextArea(KEPT + HOSTILE, id="plain")


async def test_a_pasted_escape_sequence_is_held_and_shown_as_literal_text() -> None:
    app = Fields()
    async with app.run_test() as pilot:
        line = app.query_one("#line", TextField)
        line.focus()
        app.post_message(Paste(HOSTILE + KEPT))
        await pilot.pause()
        assert line.value == SAFE + KEPT
        shown = "".join(seg.text for seg in line.render_line(0))
        assert SAFE in shown and not any(c in shown for c in "\x9d\x9c\x9b\x7f\x1b\u202e\u200b")


async def test_typed_set_and_inserted_text_is_cleaned_too() -> None:
    app = Fields()
    async with app.run_test() as pilot:
        line = app.query_one("#line", TextField)
        line.value = HOSTILE
        assert line.value == SAFE
        line.value = ""
        line.insert_text_at_cursor("x\x9b2Jy")
        assert (line.value, line.cursor_position) == ("x2Jy", 4)
        line.focus()
        await pilot.press("\u202e", "q")  # a bidi override as a key: never held
        assert line.value == "x2Jyq"


async def test_a_password_field_keeps_what_was_typed_and_shows_dots() -> None:
    app = Fields()
    async with app.run_test() as pilot:
        secret = app.query_one("#secret", TextField)
        secret.focus()
        app.post_message(Paste("pa\u200bss\x7f"))
        await pilot.pause()
        assert secret.value == "pa\u200bss\x7f"  # SSH password logins compare it as sent
        shown = "".join(seg.text for seg in secret.render_line(0))
        assert "pa" not in shown and "\x7f" not in shown


async def test_editors_hold_only_safe_text_with_newlines_and_joiners_kept() -> None:
    app = Fields()
    async with app.run_test() as pilot:
        plain = app.query_one("#plain", SafeTextArea)
        assert plain.text == KEPT + SAFE  # cleaned when made
        body = app.query_one("#body", PostEditor)
        body.focus()
        app.post_message(Paste("one " + HOSTILE + "\r\ntwo " + KEPT))
        await pilot.pause()
        assert body.text == "one " + SAFE + "\ntwo " + KEPT
        body.load_text("\x1b]52;c;aGk=\x07loaded")
        assert body.text == "]52;c;aGk=loaded"
        body.insert("\x9b2J")
        assert body.text == "2J]52;c;aGk=loaded"
        body.replace("\u202eok", (0, 0), (0, 2))
        assert body.text == "ok]52;c;aGk=loaded"
        await pilot.press("end", "\x7f")  # DEL as a key is backspace, not a character
        assert "\x7f" not in body.text


async def test_a_single_line_field_says_when_a_paste_lost_its_other_lines() -> None:
    app = Fields()
    async with app.run_test() as pilot:
        line = app.query_one("#line", TextField)
        line.focus()
        app.post_message(Paste("\nfirst line\nsecond line\n"))
        await pilot.pause()
        assert line.value == "first line"
        assert [n.message for n in app._notifications] == [ONE_LINE_KEPT]
        app.post_message(Paste("just one line\n"))
        await pilot.pause()
        assert line.value == "first linejust one line"
        assert len(app._notifications) == 1  # nothing lost, nothing said


class Typing(App[None]):
    CSS = "Input { width: 20; }"

    def compose(self) -> ComposeResult:
        yield TextField(id="field")
        yield Input(id="plain")


async def test_typing_in_a_field_repaints_it_without_a_layout_and_scrolls_as_textual_does() -> None:
    app = Typing()
    async with app.run_test() as pilot:
        field = app.query_one("#field", TextField)
        plain = app.query_one("#plain", Input)
        await pilot.pause()
        # A key in Textual's own Input asks for a layout of the whole screen; in ours, not.
        plain.insert_text_at_cursor("x")
        assert layout_pending(plain)
        await pilot.pause()
        plain.value = ""
        await pilot.pause()
        assert not layout_pending(field)
        field.insert_text_at_cursor("x")
        assert not layout_pending(field)
        field.value = ""
        # Longer than the field: both scroll to keep the cursor in sight, the same way.
        text = "a line longer than the field it is typed in"
        for widget in (field, plain):
            widget.focus()
            await pilot.press(*text)
            await pilot.pause()
        assert field.value == plain.value == text
        assert field.scroll_offset == plain.scroll_offset != (0, 0)
        assert field.render_line(0).text == plain.render_line(0).text
        assert text[-10:] in field.render_line(0).text
        field.cursor_position = 0
        plain.cursor_position = 0
        await pilot.pause()
        assert field.scroll_offset == plain.scroll_offset == (0, 0)


class Validated(App[None]):
    def compose(self) -> ComposeResult:
        yield TextField(id="free")
        yield TextField(id="number", validators=[Number()])


async def test_a_field_without_validators_is_marked_valid_once_and_validators_still_mark() -> None:
    app = Validated()
    async with app.run_test() as pilot:
        free = app.query_one("#free", TextField)
        number = app.query_one("#number", TextField)
        free.focus()
        await pilot.press("a")
        assert free.has_class("-valid") and not free.has_class("-invalid") and free.is_valid
        marked: list[tuple[bool, tuple[str, ...]]] = []
        set_class = free.set_class

        def counting(add: bool, *names: str, update: bool = True) -> TextField:
            marked.append((add, names))
            return set_class(add, *names, update=update)

        free.set_class = counting  # type: ignore[method-assign]
        await pilot.press("b", "c")
        assert free.value == "abc" and marked == [] and free.is_valid
        # A field with validators is checked and marked on every key, as before.
        number.focus()
        await pilot.press("x")
        assert number.has_class("-invalid") and not number.is_valid
        await pilot.press("backspace", "4")
        assert number.has_class("-valid") and not number.has_class("-invalid")
