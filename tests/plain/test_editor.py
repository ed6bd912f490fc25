"""The plain line editor: echo, editing keys, line ends, escape sequences, pastes, and lines
arriving while a half-typed line waits. Pure: characters in, text out."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from plain.editor import Kind, LineEditor
from plain.layout import rows

ALLOWED_CONTROLS = {"\r", "\n"}


def _controls(text: str) -> set[str]:
    return {c for c in text if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F} - ALLOWED_CONTROLS


def screen(text: str) -> list[str]:
    """What a line terminal shows for `text`: CR returns to the row's start and overwrites."""
    lines = [""]
    column = 0
    for char in text:
        if char == "\n":
            lines.append("")
            column = 0
        elif char == "\r":
            column = 0
        else:
            row = lines[-1]
            lines[-1] = row[:column] + char + row[column + 1 :]
            column += 1
    return lines


def test_typed_text_is_echoed_after_the_prompt_and_enter_submits() -> None:
    editor = LineEditor(80)
    out = editor.begin("Name: ")
    out += editor.feed("Robin\r")
    assert out == "Name: Robin\r\n"
    done = editor.take()
    assert done is not None and done.kind is Kind.LINE and done.text == "Robin"
    assert not editor.active


def test_cr_lf_and_crlf_each_end_one_line() -> None:
    editor = LineEditor(80)
    got = []
    for typed in ("one\r\n", "two\n", "three\r"):
        editor.begin("> ")
        editor.feed(typed)
        done = editor.take()
        assert done is not None
        got.append(done.text)
    # The LF of a CRLF never becomes an empty line of its own.
    editor.begin("> ")
    editor.feed("\nfour\r")
    done = editor.take()
    assert got == ["one", "two", "three"] and done is not None and done.text == "four"


def test_backspace_and_delete_rewrite_the_row_with_a_space_over_the_erased_character() -> None:
    editor = LineEditor(80)
    editor.begin("> ")
    editor.feed("cats")
    out = editor.feed("\x7f")
    assert out == "\r> cat \r> cat"
    out = editor.feed("\x08")
    assert out == "\r> ca \r> ca"
    assert screen("> cats" + "\r> cat \r> cat" + out)[-1].rstrip() == "> ca"
    editor.feed("r\r")
    done = editor.take()
    assert done is not None and done.text == "car"


def test_backspace_on_an_empty_line_sends_nothing() -> None:
    editor = LineEditor(80)
    editor.begin("> ")
    assert editor.feed("\x7f\x7f") == ""


def test_ctrl_u_clears_the_line_and_ctrl_w_a_word() -> None:
    editor = LineEditor(80)
    editor.begin("> ")
    editor.feed("hello there")
    out = editor.feed("\x17")
    assert editor.buffer == "hello "
    assert screen("> hello there" + out)[-1].rstrip() == "> hello"
    out = editor.feed("\x15")
    assert editor.buffer == ""
    assert screen("> hello " + out)[-1].rstrip() == ">"
    editor.feed("again\r")
    done = editor.take()
    assert done is not None and done.text == "again"


def test_escape_sequences_are_neither_echoed_nor_kept() -> None:
    editor = LineEditor(80)
    editor.begin("> ")
    # Arrows (CSI and SS3), a function key, Alt+x, an OSC string, and a CSI split in two.
    out = editor.feed("a\x1b[Ab\x1bOPc\x1b[15~d\x1bxe\x1b]0;title\x07f\x1b[1;")
    out += editor.feed("5Cg\r")
    done = editor.take()
    assert done is not None and done.text == "abcdefg"
    assert "\x1b" not in out and out == "abcdefg\r\n"


def test_a_lone_escape_is_dropped_once_nothing_follows_it() -> None:
    editor = LineEditor(80)
    editor.begin("> ")
    assert editor.feed("\x1b") == "" and editor.in_escape
    editor.escape_timeout()  # the SSH side calls this when no sequence came in time
    assert editor.feed("hi\r") == "hi\r\n"
    done = editor.take()
    assert done is not None and done.text == "hi"


def test_a_string_sequence_never_swallows_the_line_end() -> None:
    editor = LineEditor(80)
    editor.begin("> ")
    editor.feed("\x1b]11;rgb:0000/0000/0000 and then typing\r")
    done = editor.take()
    assert done is not None and done.kind is Kind.LINE and done.text == ""


def test_a_bracketed_paste_is_text_and_may_hold_lines() -> None:
    editor = LineEditor(80)
    editor.begin("> ")
    out = editor.feed("\x1b[200~first line\r\nsecond\x1b[31m line\x1b[20")
    out += editor.feed("1~\r")
    done = editor.take()
    assert done is not None and done.text == "first line\nsecond[31m line"
    assert "\x1b" not in out


def test_a_line_arriving_keeps_the_half_typed_line_and_shows_it_again() -> None:
    editor = LineEditor(80)
    editor.begin("> ")
    editor.feed("half-typ")
    out = editor.interrupt(["Plover: hello"])
    assert out == "\r\nPlover: hello\r\n> half-typ"
    editor.feed("ed\r")
    done = editor.take()
    assert done is not None and done.text == "half-typed"


def test_a_line_arriving_at_an_empty_prompt_takes_the_prompts_place() -> None:
    editor = LineEditor(80)
    shown = editor.begin("Say something: ")
    out = editor.interrupt(["Hi"])
    # The row shows the line, spaces over the rest of the prompt, then the prompt again.
    assert out == "\rHi" + " " * 13 + "\r\nSay something: "
    assert [row.rstrip() for row in screen(shown + out)] == ["Hi", "Say something:"]


def test_lines_written_while_no_prompt_shows_are_plain_rows() -> None:
    editor = LineEditor(80)
    assert editor.interrupt(["one", "two"]) == "one\r\ntwo\r\n"


def test_input_typed_ahead_waits_for_the_next_prompt() -> None:
    editor = LineEditor(80)
    assert editor.feed("2\r3\r") == ""
    out = editor.begin("First: ")
    assert out == "First: 2\r\n"
    first = editor.take()
    out = editor.begin("Second: ")
    second = editor.take()
    assert first is not None and first.text == "2"
    assert second is not None and second.text == "3" and out == "Second: 3\r\n"


def test_initial_text_is_shown_as_if_typed_unless_typing_came_ahead() -> None:
    editor = LineEditor(80)
    assert editor.begin("> ", initial="kept line") == "> kept line"
    editor.feed(" again\r")
    done = editor.take()
    assert done is not None and done.text == "kept line again"
    editor.feed("newer\r")
    editor.begin("> ", initial="kept line")
    done = editor.take()
    assert done is not None and done.text == "newer"


def test_secret_input_is_not_echoed() -> None:
    editor = LineEditor(80)
    out = editor.begin("Password: ", secret=True)
    out += editor.feed("sesame street\x7fx\r")
    done = editor.take()
    assert out == "Password: \r\n"
    assert done is not None and done.text == "sesame streex"


def test_long_input_wraps_before_the_last_column_and_backspace_crosses_back() -> None:
    editor = LineEditor(20)
    shown = editor.begin("> ")
    shown += editor.feed("x" * 30)
    assert all(len(row) <= 19 for row in screen(shown))
    for _ in range(12):
        shown += editor.feed("\x7f")
    editor.feed("\r")
    done = editor.take()
    assert done is not None and done.text == "x" * 18


def test_control_keys() -> None:
    editor = LineEditor(80)
    editor.begin("> ")
    editor.feed("abc\x04")  # Ctrl+D with text: nothing
    assert editor.buffer == "abc" and not editor.done
    editor.feed("\x03")
    end = editor.take()
    editor.begin("> ")
    editor.feed("\x04")
    eof = editor.take()
    editor.begin("> ")
    editor.feed("\x1c")
    hide = editor.take()
    assert end is not None and end.kind is Kind.END
    assert eof is not None and eof.kind is Kind.END
    assert hide is not None and hide.kind is Kind.HIDE


def test_a_line_keeps_at_most_max_chars() -> None:
    editor = LineEditor(80, max_chars=10)
    editor.begin("> ")
    editor.feed("x" * 50 + "\r")
    done = editor.take()
    assert done is not None and done.text == "x" * 10


def test_without_echo_nothing_is_sent_back() -> None:
    editor = LineEditor(80, echo=False)
    out = editor.begin("> ") + editor.feed("typed locally\n")
    assert out == "> "


KEYS = st.sampled_from(
    [
        "a",
        "é",
        "界",
        "\r",
        "\n",
        "\x7f",
        "\x08",
        "\x15",
        "\x17",
        "\x1b",
        "\x1b[A",
        "\x1b[200~",
        "\x1b[201~",
        "\x1bO",
        "\x9b",
        "\x00",
        "\t",
        "\x07",
        "\u202e",
        " ",
        "\x1b]52;c;",
        "\x1b\\",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(KEYS, max_size=60), st.integers(min_value=10, max_value=40))
def test_whatever_is_typed_only_cr_and_lf_go_out(keys: list[str], width: int) -> None:
    editor = LineEditor(width)
    out = editor.begin("Type here: ")
    for key in keys:
        out += editor.feed(key)
        if editor.done:
            done = editor.take()
            assert done is not None
            assert not _controls(done.text.replace("\n", ""))
            out += editor.begin("> ")
        if len(keys) % 3 == 0:
            out += editor.interrupt(rows("Plover: a line from the room", width - 1))
    assert not _controls(out)
    assert all(len(row) <= width - 1 for row in screen(out))
