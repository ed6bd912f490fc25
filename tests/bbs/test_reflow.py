"""Unit tests for bbs.reflow: paragraphs joined, every other line kept where it was."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bbs.moderation_queue.policy import crisis_message
from bbs.reflow import reflow
from bbs.texts.notices import WHAT_WE_STORE, _default_text


def test_a_hard_wrapped_paragraph_becomes_one_line() -> None:
    text = (
        "If you might act on thoughts of ending your life, or someone is hurting you,\n"
        "please contact emergency services now: 112 (Europe and many countries),\n"
        "911 (US and Canada), 999 (UK)."
    )
    assert reflow(text) == (
        "If you might act on thoughts of ending your life, or someone is hurting you, please "
        "contact emergency services now: 112 (Europe and many countries), 911 (US and "
        "Canada), 999 (UK)."
    )


def test_lists_headings_and_blank_lines_stay() -> None:
    text = (
        "Someone to talk to, any hour\n"
        "============================\n"
        "- US: call or text 988 (Suicide & Crisis Lifeline), or text HOME to 741741\n"
        "- Canada: call or text 988\n"
        "* Australia: Lifeline 13 11 14\n"
        "\n"
        "1. Be kind.\n"
        "2) Support, don't diagnose.\n"
        "> a quote\n"
    )
    assert reflow(text) == text


def test_a_list_item_takes_its_hanging_indent_back() -> None:
    text = (
        "5. Keep it safe: no details of methods of self-harm or suicide. Use a\n"
        "   content warning when you write about hard things.\n"
        "- Your password and your recovery code, only as one-way argon2id hashes:\n"
        "  nobody here can read them, sysops included.\n"
    )
    assert reflow(text) == (
        "5. Keep it safe: no details of methods of self-harm or suicide. Use a content "
        "warning when you write about hard things.\n"
        "- Your password and your recovery code, only as one-way argon2id hashes: nobody "
        "here can read them, sysops included.\n"
    )


@pytest.mark.parametrize(
    "text",
    [
        # An indented command under a sentence keeps its own line.
        "To download all of it as JSON:\n  ssh -p 2222 wren@host export > mine.json",
        # Lines that start a new thought: capitals after a full stop, or after no stop.
        "Keys: F1 opens this help. Escape goes back.\nQuick-hide: F12 swaps the screen.",
        "Samaritans 116 123\nLifeline 13 11 14\nCrisis Text Line: text HOME to 741741",
        "Notice 5 things you can see.\nNotice 4 things you can feel.",
        # A preformatted block.
        "Example:\n    line one\n    line two",
        "\tA tab-indented line\n\tand its neighbour",
    ],
)
def test_deliberate_line_structure_is_kept(text: str) -> None:
    assert reflow(text) == text


def test_continuations_that_do_not_start_lowercase() -> None:
    assert reflow("delete what is kept from the Profile menu\n(P, then P again).") == (
        "delete what is kept from the Profile menu (P, then P again)."
    )
    assert reflow("Call them any time;\nThey answer at night too.") == (
        "Call them any time; They answer at night too."
    )
    assert reflow("It is about self-\nharm and how to stay safe.") == (
        "It is about self-harm and how to stay safe."
    )


def test_line_endings_and_trailing_spaces() -> None:
    assert reflow("one line,  \r\nand the next\r\n\r\nNew paragraph") == (
        "one line, and the next\n\nNew paragraph"
    )


@pytest.mark.parametrize(
    "text",
    [
        _default_text("help.txt"),
        _default_text("guidelines.txt"),
        WHAT_WE_STORE,
        crisis_message(_default_text("help.txt")),
    ],
    ids=["help", "guidelines", "what-we-store", "crisis-note"],
)
def test_our_own_texts_have_no_line_left_mid_sentence(text: str) -> None:
    """After reflow, no line of the shipped texts ends mid-sentence before a lowercase line."""
    lines = reflow(text).split("\n")
    for line, following in pairwise(lines):
        assert not (line.strip() and following[:1].islower()), (line, following)
    # Nothing but the line breaks changed.
    assert "".join(reflow(text).split()) == "".join(text.split())


_WORDS = st.sampled_from(
    [
        "help",
        "Line",
        "call",
        "988",
        "(free),",
        "now:",
        "you.",
        "- item",
        "1. first",
        "=====",
        "  indented",
        "    code",
        "",
        "self-",
        "and",
        "Quick-hide:",
        "»quote«",
        "ok;",
    ]
)


@given(st.lists(st.lists(_WORDS, max_size=6).map(" ".join), max_size=12).map("\n".join))
def test_reflow_only_removes_line_breaks_and_is_stable(text: str) -> None:
    once = reflow(text)
    assert reflow(once) == once
    # The words are all there, in order: only line breaks (and trailing spaces) went.
    assert "".join(once.split()) == "".join(text.split())
    # Blank lines (paragraph breaks) are never joined across, so all of them stay.
    blank = [line for line in text.split("\n") if not line.strip()]
    assert [line for line in once.split("\n") if not line.strip()] == [b.rstrip() for b in blank]
