"""Normalisation undoes the usual evasions and never fails on odd input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.normalize import MAX_CHARS, normalize, safe_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("k i l l y o u r s e l f", "kill yourself"),
        ("k.i.l.l y.o.u.r.s.e.l.f", "kill yourself"),
        ("k1ll urself", "kill yourself"),
        ("kys", "kill yourself"),
        ("f*ck you", "fuck you"),
        ("F**K OFF", "fuck off"),
        ("sh!t", "shit"),
        ("b!tch", "bitch"),
        ("ｋｉｌｌ ｙｏｕｒｓｅｌｆ", "kill yourself"),  # fullwidth
        ("kіll уоursеlf", "kill yourself"),  # Cyrillic lookalikes
        ("κιll", "kill"),  # Greek lookalikes
        ("ki\u200bll your\u200dself", "kill yourself"),  # zero-width characters
        ("𝐤𝐢𝐥𝐥 𝐦𝐲𝐬𝐞𝐥𝐟", "kill myself"),  # mathematical bold
        ("I want to diiiiiie", "i want to die"),
        ("soooo tired", "so tired"),
        ("k̴i̴l̴l̴", "kill"),  # stacked combining marks
        ("I’m fine", "i'm fine"),
    ],
)
def test_evasions_are_undone(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2 years clean today",
        "50mg sertraline at 3am",
        "I have 3 cats and a dog",
        "c# is fun",
        "self-harm free for 6 months",
    ],
)
def test_ordinary_numbers_and_words_survive(text: str) -> None:
    assert normalize(text) == text.lower()


def test_links_phones_money_become_tokens() -> None:
    out = normalize("buy now at www.cheap-meds.biz, call +1 555 019 2834, only $5000")
    assert "urllink" in out and "cheap meds biz" in out
    assert "phonenum" in out and "moneyamount" in out


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t ", "\ud800", "a\udfffb", "\x00\x01\x02\xff", "😭" * 50, "שלום עולם", "مرحبا"],
)
def test_odd_input(text: str) -> None:
    out = normalize(text)
    assert isinstance(out, str)
    out.encode("utf-8")


def test_long_input_is_capped() -> None:
    out = normalize("word " * 100_000)
    assert len(out) <= MAX_CHARS + 1


def test_safe_text_coerces() -> None:
    assert safe_text(b"caf\xc3\xa9 \xff") == "café \ufffd"
    assert safe_text(None) == ""
    assert safe_text("\ud800x") == "x"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_never_raises(text: str) -> None:
    normalize(text).encode("utf-8")


@pytest.mark.parametrize("english", [True, False])
def test_a_mention_is_left_out(english: bool) -> None:
    assert normalize("@Moss are you there?", english) == normalize("are you there?", english)
    assert normalize("hi @xXkaiXx, @lua.azul!", english) == normalize("hi , !", english)
    assert "mention" not in normalize("@Ada hello", english)


def test_an_at_sign_spelling_an_english_word_stays_a_word() -> None:
    assert normalize("look at this @ss") == "look at this ass"
