"""Tests for bbs.accounts.pseudonyms: who may be called what, and who may not look like whom."""

from __future__ import annotations

import unicodedata
from collections.abc import Collection

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bbs.accounts.pseudonyms import (
    MAX_LENGTH,
    MIN_LENGTH,
    RESERVED,
    Pseudonym,
    PseudonymError,
    normalize_pseudonym,
    skeleton,
    validate_pseudonym,
)
from bbs.text_safety import clean_line

# What OpenSSH's client refuses in a user name (valid_ruser in misc.c).
OPENSSH_REFUSED = set("'`\";&<>|(){}\\")


def reason(raw: str, *, taken_skeletons: Collection[str] = (), allow_reserved: bool = False) -> str:
    """The kind of PseudonymError that validating `raw` raises."""
    with pytest.raises(PseudonymError) as caught:
        validate_pseudonym(raw, taken_skeletons=taken_skeletons, allow_reserved=allow_reserved)
    return caught.value.kind


# -- names that are fine -------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Robin",
        "quiet_river",
        "moon.light",
        "sam-2",
        "7seas",
        "ab",
        "x" * MAX_LENGTH,
        "José",
        "Zoë",
        "Łukasz",
        "Nguyễn",
        "Straße",
        "Иван",
        "Ὀδυσσεύς",
        "Σωκράτης",
        "محمد",
        "مُحَمَّد",
        "שלום",
        "राजेश",
        "क्षत्रिय",
        "தமிழ்",
        "ქართველი",
        "Հայկ",
        "ኢትዮጵያ",
        "ปิยะ",
        "さくら",
        "山田太郎",
        "たなか_taro",
        "Tom太郎",
        "カタカナー",
        "김민준",
        "٣محمد",  # Arabic-Indic digit with Arabic letters
    ],
)
def test_names_from_many_scripts_are_accepted(name: str) -> None:
    pseudonym = validate_pseudonym(name)
    assert pseudonym.display == unicodedata.normalize("NFKC", name)
    assert pseudonym.key == normalize_pseudonym(name)
    assert pseudonym.skeleton == skeleton(pseudonym.key)
    assert clean_line(pseudonym.display) == pseudonym.display


def test_display_keeps_case_and_key_folds_it() -> None:
    assert validate_pseudonym("  RobinHood ") == Pseudonym(
        display="RobinHood", key="robinhood", skeleton=skeleton("robinhood")
    )
    assert validate_pseudonym("Straße").key == "strasse"


def test_compatibility_forms_are_folded_into_plain_letters() -> None:
    assert validate_pseudonym("ｒｏｂｉｎ").display == "robin"  # fullwidth
    assert validate_pseudonym("𝐫𝐨𝐛𝐢𝐧").display == "robin"  # mathematical bold
    assert validate_pseudonym("ⓡⓞⓑⓘⓝ").display == "robin"  # circled
    assert validate_pseudonym("ro\ufb01n").display == "rofin"  # ligature
    assert validate_pseudonym("Jose\u0301").display == "José"  # decomposed accent


def test_normalize_pseudonym() -> None:
    assert normalize_pseudonym(" ROBIN ") == "robin"
    assert normalize_pseudonym("ｒｏｂｉｎ") == "robin"
    assert normalize_pseudonym("ΣΩΚΡΆΤΗΣ") == normalize_pseudonym("σωκράτης")
    assert normalize_pseudonym("MASSE") == normalize_pseudonym("Maße")


@given(st.text())
def test_normalize_pseudonym_is_idempotent(raw: str) -> None:
    key = normalize_pseudonym(raw)
    assert normalize_pseudonym(key) == key


def test_reserved_names_are_stored_as_keys() -> None:
    for name in RESERVED:
        assert normalize_pseudonym(name) == name


# -- each rejection ------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("a", "length"),
        ("ß", "length"),  # one character, even though its key is "ss"
        ("x" * (MAX_LENGTH + 1), "length"),
        ("x" * 100_000, "length"),
        ("ro\u200bbin", "invisible"),  # zero-width space
        ("ro\u200dbin", "invisible"),  # ZWJ
        ("ro\u200cbin", "invisible"),  # ZWNJ
        ("\u202erobin", "invisible"),  # right-to-left override
        ("rob\u2066in", "invisible"),  # isolate
        ("robin\u200e", "invisible"),  # left-to-right mark
        ("rob\u00adin", "invisible"),  # soft hyphen
        ("ro\x1bbin", "invisible"),
        ("ro\x85bin", "invisible"),
        ("ro\ud800bin", "invisible"),
        ("ro\u3164bin", "invisible"),  # Hangul filler, a "letter" that draws nothing
        ("\u3164\u3164", "invisible"),
        ("rob\ufe0fin", "invisible"),  # variation selector
        ("ro\u034fbin", "invisible"),  # combining grapheme joiner
        ("robin\u2028x", "invisible"),
        ("robin hood", "whitespace"),
        ("robin\u00a0hood", "whitespace"),  # NFKC turns it into a plain space
        ("robin\u3000hood", "whitespace"),
        ("robin\thood", "invisible"),  # a tab is a control character
        ("robin@home", "character"),
        ("robin!", "character"),
        ("rob'in", "character"),
        ("robin;rm", "character"),
        ("robin😀", "character"),
        ("robin\ue000", "character"),  # private use
        ("robin\U000e0100x", "invisible"),
        ("ǃkung", "character"),  # click letter that passes for "!"
        ("Hawaiʻi", "character"),  # okina: a modifier letter that passes for a quote
        ("robin⃝", "character"),  # enclosing mark
        ("_robin", "start"),
        ("-robin", "start"),  # would read as an option to ssh
        (".robin", "start"),
        ("\u0301robin", "start"),
        ("ro_\u0301bin", "marks"),  # a mark on a separator
        ("1\u0338robin", "marks"),  # a mark on a digit
        ("e\u0301\u0301x", "marks"),  # the same mark twice
        ("a\u0300\u0301\u0302\u0303\u0304", "marks"),  # five stacked: Zalgo
        ("Аlice", "mixed_scripts"),  # Cyrillic А
        ("Mӏke", "mixed_scripts"),  # Cyrillic palochka
        ("ᎪIice", "mixed_scripts"),  # Cherokee A
        ("rοbin", "mixed_scripts"),  # Greek omicron
        ("robin٣", "mixed_scripts"),  # Arabic-Indic digit in a Latin name
        ("Иван_ivan", "mixed_scripts"),
    ],
)
def test_each_rule_has_its_own_kind(raw: str, kind: str) -> None:
    assert reason(raw) == kind


def test_messages_are_kind_and_safe_to_show() -> None:
    samples = ["", "a", "ro\u200bbin", "a b", "a@b", "_ab", "e\u0301\u0301x", "admin", "Аlice"]
    for raw in samples:
        with pytest.raises(PseudonymError) as caught:
            validate_pseudonym(raw)
        error = caught.value
        assert str(error) == error.message
        assert error.message.endswith(".")
        assert clean_line(error.message) == error.message  # no control or bidi characters
        assert "invalid" not in error.message.lower()
    assert isinstance(PseudonymError("empty", "x"), ValueError)


def test_invisible_characters_are_named_by_code_point_not_shown() -> None:
    with pytest.raises(PseudonymError) as caught:
        validate_pseudonym("ro\u202ebin")
    assert "U+202E" in caught.value.message
    assert "\u202e" not in caught.value.message


# -- reserved names and their lookalikes -----------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "sysop",
        "SysOp",
        "Ｓｙｓｏｐ",  # fullwidth
        "ѕуѕор",  # all Cyrillic
        "sуsop",  # Cyrillic у among Latin: reserved beats mixed-script
        "Adm1n",
        "ADMIN",
        "a.d.m.i.n",
        "admIn",
        "m0d",
        "Moderator",
        "r00t",
        "he1p",
        "nevv",  # vv reads as w
        "admin2",
        "sysop_01",
        "admin_robin",
        "robin.moderator",
        "staff-7",
        "crisis",
        "helpline",
        "911",
        "Αdmin",  # Greek Alpha
    ],
)
def test_reserved_names_and_their_lookalikes_are_refused(raw: str) -> None:
    assert reason(raw) == "reserved"


@pytest.mark.parametrize(
    "raw", ["badminton", "modest", "rooted", "need_help", "new_here", "systematic", "in_crisis"]
)
def test_names_merely_containing_a_reserved_word_are_fine(raw: str) -> None:
    validate_pseudonym(raw)


def test_the_sysop_command_line_may_use_reserved_names() -> None:
    pseudonym = validate_pseudonym("sysop", allow_reserved=True)
    assert pseudonym.key == "sysop"
    # Every other rule still applies.
    assert reason("sys op", allow_reserved=True) == "whitespace"


# -- confusables of existing members ----------------------------------------------


@pytest.mark.parametrize(
    ("existing", "newcomer"),
    [
        ("robin", "Robin"),
        ("robin", "ROBIN"),
        ("robin", "R0bin"),
        ("robin", "Rob1n"),
        ("robin", "robln"),
        ("robin", "RobIn"),  # capital I passes for l
        ("robin", "r.o.b.i.n"),
        ("robin", "robin_"),
        ("robin", "rob-in"),
        ("robin", "Róbin"),  # accents stripped
        ("robin", "ｒｏｂｉｎ"),
        ("mary", "rnary"),  # rn reads as m
        ("wendy", "vvendy"),
        ("pop", "рор"),  # all Cyrillic
        ("scope", "ѕсоре"),  # all Cyrillic
        ("abe", "ΑΒΕ"),  # all Greek capitals
        ("xo", "χο"),  # all Greek
        ("sos", "5o5"),
        ("muhammad", "Muhammad"),
        ("محمد", "مُحَمَّد"),  # Arabic vowel marks
        ("שלום", "שָׁלוֹם"),  # Hebrew points
        ("neil", "nell"),  # i and l collapse (capital I); a known false match
    ],
)
def test_lookalikes_of_existing_members_are_refused(existing: str, newcomer: str) -> None:
    taken = {validate_pseudonym(existing).skeleton}
    with pytest.raises(PseudonymError) as caught:
        validate_pseudonym(newcomer, taken_skeletons=taken)
    assert caught.value.kind == "taken"
    assert "too close to an existing member" in caught.value.message


@pytest.mark.parametrize(
    ("existing", "newcomer"),
    [
        ("robin", "robins"),
        ("robin", "robin2"),
        ("राजेश", "राजेशा"),  # Indic vowel signs are kept in the skeleton
        ("कि", "का"),
        ("かな", "がな"),  # so are the Japanese voicing marks
        ("sam", "sarin"),  # only "rn" together reads as m
    ],
)
def test_different_names_do_not_collide(existing: str, newcomer: str) -> None:
    taken = {validate_pseudonym(existing).skeleton}
    validate_pseudonym(newcomer, taken_skeletons=taken)


def test_skeleton_examples() -> None:
    assert skeleton("Adm1n") == skeleton("admin") == skeleton("A_D_M_I_N")
    assert skeleton("sуsop") == skeleton("sysop")
    assert skeleton("r0bin") == skeleton("robin")
    assert skeleton("corn") == skeleton("com")
    assert skeleton("|ily") == skeleton("lily")
    assert skeleton("Zoë") == skeleton("zoe")


@given(st.text(max_size=30))
def test_skeleton_depends_only_on_the_key(raw: str) -> None:
    assert skeleton(raw) == skeleton(normalize_pseudonym(raw))


# -- properties of whatever is accepted --------------------------------------------

name_text = st.one_of(
    # Anything at all, with the usual suspects mixed in...
    st.text(
        alphabet=st.one_of(
            st.characters(),
            st.sampled_from("abcxyzABC019_-.éИиαΩ山さ김\u0301\u200b\u202e "),
        ),
        max_size=30,
    ),
    # ... and text made of what names are made of, so that many are accepted.
    st.text(
        alphabet=st.characters(categories=["L", "Nd", "Mn", "Mc"], include_characters="_-."),
        min_size=2,
        max_size=24,
    ),
)


@given(name_text)
def test_validation_accepts_only_safe_names_and_never_crashes(raw: str) -> None:
    try:
        pseudonym = validate_pseudonym(raw)
    except PseudonymError as error:
        assert error.message
        return
    display = pseudonym.display
    assert MIN_LENGTH <= len(display) <= MAX_LENGTH
    assert clean_line(display) == display
    assert unicodedata.category(display[0])[0] in "LN"
    assert not any(char.isspace() for char in display)
    assert not OPENSSH_REFUSED & set(display)
    assert all(char in "_-." or unicodedata.category(char)[0] in "LMN" for char in display)
    assert pseudonym.key == normalize_pseudonym(display)
    assert pseudonym.skeleton == skeleton(pseudonym.key)
    # Validating what was stored gives the same answer (a login retyping it).
    assert validate_pseudonym(display) == pseudonym
    assert reason(display, taken_skeletons={pseudonym.skeleton}) == "taken"
