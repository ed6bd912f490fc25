"""Pseudonym rules: normalisation, confusable skeletons, reserved names and validation."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from bbs.i18n import said

__all__ = [
    "MAX_LENGTH",
    "MIN_LENGTH",
    "RESERVED",
    "Pseudonym",
    "PseudonymError",
    "PseudonymProblem",
    "normalize_pseudonym",
    "skeleton",
    "validate_pseudonym",
]

MIN_LENGTH = 2
MAX_LENGTH = 24
# The SSH user name is the pseudonym.  OpenSSH's client accepts nearly anything
# there: it refuses a leading "-", control characters, the shell metacharacters
# ' ` " ; & < > | ( ) { } and a trailing backslash (valid_ruser), passes
# non-ASCII through as UTF-8, and splits "ssh name@host" at the last "@".
# Letters and digits of any script plus these separators, starting with a
# letter or digit (so never read as an option), sit well inside that.  Clients
# send whatever case and composition the keyboard produced, so the server must
# look members up by normalize_pseudonym() of the SSH user name.
SEPARATORS = frozenset("_-.")
# UTS #39 section 5.4 suggests refusing more than four nonspacing marks in a
# row: enough for any real language, too few to stack "Zalgo" text over lines.
MAX_MARKS_IN_A_ROW = 4

RESERVED: frozenset[str] = frozenset(
    {
        # People who run the board, and how the board speaks.
        "sysop", "sysops", "sysadmin", "admin", "admins", "administrator",
        "administrators", "moderator", "moderators", "mod", "mods", "root", "owner",
        "operator", "staff", "team", "official", "support", "security", "system",
        "server", "daemon", "bot", "bbs", "ssh", "sshd", "info", "contact", "safety",
        "postmaster", "hostmaster", "webmaster", "abuse", "noreply",
        # Names the board uses: the sign-up login, placeholders, mentions.
        "new", "help", "guest", "anonymous", "anon", "nobody", "unknown", "deleted",
        "null", "none", "undefined", "login", "logout", "register", "signup",
        "everyone", "all", "here", "you",
        # Help that a member in trouble might trust: never a member's name.
        "crisis", "crisisline", "helpline", "hotline", "lifeline", "emergency",
        "samaritans", "therapist", "counselor", "counsellor", "doctor", "nurse",
        "911", "999", "112", "988", "000",
    }
)  # fmt: skip

# Words that claim authority even as one part of a name ("admin_robin",
# "sysop.2").  Only as a whole part: "badminton" and "modest" stay fine, and
# words a member might use about themselves ("help", "crisis", "new") are not
# here, so "need_help" and "new_here" are allowed.
_AUTHORITY: frozenset[str] = frozenset(
    {
        "sysop", "sysops", "sysadmin", "admin", "admins", "administrator",
        "administrators", "moderator", "moderators", "mod", "mods", "staff",
        "official", "root",
    }
)  # fmt: skip

PseudonymProblem = Literal[
    "empty",
    "length",
    "invisible",
    "whitespace",
    "character",
    "start",
    "marks",
    "reserved",
    "mixed_scripts",
    "taken",
]


class PseudonymError(ValueError):
    """A pseudonym that cannot be used; ``message`` is kind and fit to show the member."""

    def __init__(self, kind: PseudonymProblem, message: str) -> None:
        super().__init__(message)
        self.kind: PseudonymProblem = kind
        self.message = message


@dataclass(frozen=True, slots=True)
class Pseudonym:
    """A validated pseudonym in its three forms.

    - ``display``: as typed, NFKC-normalised and stripped, case kept; shown
      everywhere.  NFKC folds fullwidth, mathematical, circled and other
      compatibility forms into ordinary letters, so what is shown is what
      was meant.
    - ``key``: ``display`` case-folded (NFKC_Casefold-like); unique per member
      and what logins look up, so "Robin", "ROBIN" and "ｒｏｂｉｎ" are one.
    - ``skeleton``: the UTS #39-style confusable skeleton of the key.  A new
      name may not share one with an existing member or a reserved name.
      Computed from the key, so equal keys always have equal skeletons and
      the skeleton check enforces key uniqueness too.  Case folding comes
      first, so capital I (which passes for l) is only caught by folding i
      and l together: "neil" and "nell" count as too close.  A rare false
      match costs a member a second try; an impersonated member in a support
      community costs far more.
    """

    display: str
    key: str
    skeleton: str


def _display_form(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw).strip()


def normalize_pseudonym(raw: str) -> str:
    """The unique key for a name: NFKC, case-folded, NFKC again, stripped.

    The second NFKC is needed because case folding can undo normalisation
    (for example it expands some precomposed Greek letters).
    """
    folded = unicodedata.normalize("NFKC", raw).casefold()
    return unicodedata.normalize("NFKC", folded).strip()


# Lookalikes mapped to a Latin prototype, applied after NFKD and case folding
# (so only lower-case forms are needed; fullwidth and mathematical letters are
# already plain by then).  Drawn from the UTS #39 confusables for the scripts
# members are likeliest to mix up; not exhaustive (Cherokee, for one, is not
# covered: mixed-script names are refused anyway).
_PROTOTYPES: dict[str, str] = {
    # Digits and symbols that pass for letters.
    "0": "o", "1": "l", "5": "s", "|": "l", "!": "l",
    # Latin: i and l collapse because capital I is folded to i first.
    "i": "l", "ı": "l", "ɩ": "l", "ɪ": "l", "ʟ": "l", "ł": "l", "ǀ": "l",
    "ȷ": "j", "ᴊ": "j", "ɑ": "a", "ɡ": "g", "ɢ": "g", "ᴏ": "o", "ø": "o", "ɵ": "o",
    "ʀ": "r", "ɾ": "r", "ꜱ": "s", "ᴄ": "c", "ɔ": "c", "ᴅ": "d", "đ": "d", "ð": "d",
    "ᴇ": "e", "ɛ": "e", "ᴋ": "k", "ᴍ": "m", "ɴ": "n", "ᴘ": "p", "þ": "p", "ƿ": "p",
    "ᴛ": "t", "ŧ": "t", "ᴜ": "u", "ʋ": "u", "ᴠ": "v", "ᴡ": "w", "ᴢ": "z", "ʏ": "y",
    "ʜ": "h", "ħ": "h", "ʙ": "b", "ƀ": "b", "ꜰ": "f", "ɜ": "3", "æ": "ae", "œ": "oe",
    # Cyrillic.
    "а": "a", "в": "b", "г": "r", "е": "e", "з": "3", "к": "k", "м": "m", "н": "h",
    "о": "o", "п": "n", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ь": "b",
    "і": "l", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l",
    "ү": "y", "ґ": "r", "ѡ": "w", "ҽ": "e",
    # Greek.
    "α": "a", "β": "b", "γ": "y", "ε": "e", "ϵ": "e", "ζ": "z", "η": "n", "ι": "l",
    "κ": "k", "μ": "u", "ν": "v", "ο": "o", "ρ": "p", "σ": "o", "ϲ": "c",
    "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ϳ": "j",
    # Armenian.
    "օ": "o", "ս": "u", "ց": "g", "հ": "h", "ո": "n", "ռ": "n", "զ": "q", "ա": "w",
}  # fmt: skip
_PROTOTYPE_TABLE = str.maketrans({**_PROTOTYPES, **dict.fromkeys(SEPARATORS)})
# Letter pairs that read as one letter; applied after the single letters, so
# "r" + Cyrillic "п" becomes "rn" and then "m".
_DIGRAPHS: tuple[tuple[str, str], ...] = (("rn", "m"), ("vv", "w"))


def _is_stripped_mark(char: str) -> bool:
    """Accents that make lookalikes: generic diacritics, Hebrew points, Arabic harakat.

    Marks that are the vowels of Indic and South-East Asian scripts, and the
    Japanese voicing marks, change a name visibly and are kept, or most names
    in those scripts would collide with one another.
    """
    if unicodedata.category(char) not in ("Mn", "Me"):
        return False
    cp = ord(char)
    if cp in (0x3099, 0x309A):  # kana (han)dakuten: か and が are different names
        return False
    return (
        unicodedata.name(char, "").startswith("COMBINING")
        or 0x0591 <= cp <= 0x05C7
        or 0x0610 <= cp <= 0x061A
        or 0x064B <= cp <= 0x065F
        or cp == 0x0670
        or 0x06D6 <= cp <= 0x06ED
    )


@lru_cache(maxsize=4096)
def skeleton(name: str) -> str:
    """A confusable skeleton: names that look alike share one.

    The key in NFKD with accents stripped, lookalike letters, digits and
    symbols mapped to a Latin prototype (Cyrillic "а", Greek "ο", "0" and "1"
    become "a", "o", "o", "l"), the separators "_", "-" and "." removed, then
    "rn" read as "m" and "vv" as "w".  "Adm1n", "ADMIN" and "a.d.m.i.n" all
    give the skeleton of "admin".  Not a display form: only compare it.
    """
    # From the key, so equal keys always give equal skeletons.
    text = unicodedata.normalize("NFKD", normalize_pseudonym(name))
    text = "".join(char for char in text if not _is_stripped_mark(char))
    text = text.translate(_PROTOTYPE_TABLE)
    for pair, single in _DIGRAPHS:
        text = text.replace(pair, single)
    return text


_RESERVED_SKELETONS = frozenset(skeleton(name) for name in RESERVED)
_AUTHORITY_SKELETONS = frozenset(skeleton(name) for name in _AUTHORITY)
_TRAILING_DIGITS = re.compile(r"[0-9]+$")
_PARTS = re.compile(r"[_.\-]+")

# Characters that draw nothing but are not Cf, so categories alone miss them:
# Hangul fillers (letters!), the combining grapheme joiner, Khmer inherent
# vowels, Mongolian variation selectors, variation selectors.  The rest of
# Unicode's Default_Ignorable_Code_Point set is Cf or unassigned.
_INVISIBLE = frozenset(
    {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0}
    | set(range(0x180B, 0x1810))
    | set(range(0xFE00, 0xFE10))
    | set(range(0xE0100, 0xE01F0))
)
# Letters that pass for punctuation: the click letters ǀ ǁ ǂ ǃ (the last is
# "!"), and the Spacing Modifier Letters block, almost all quote marks, primes
# and accents standing alone (ʹ ʺ ʻ ʼ ˈ ː).  Real names rarely need them.
_PUNCTUATION_LOOKALIKES = frozenset({0x01C0, 0x01C1, 0x01C2, 0x01C3} | set(range(0x02B0, 0x0300)))

# Script sets that may share one name (UTS #39 "highly restrictive"): Japanese,
# Chinese with Bopomofo and Korean each mix scripts, with Latin allowed in.
_SCRIPT_MIXES = (
    frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "HAN", "BOPOMOFO"}),
    frozenset({"LATIN", "HAN", "HANGUL"}),
)
# First words of character names that are not a script, or name it differently.
_SCRIPT_ALIASES = {
    "CJK": "HAN",
    "IDEOGRAPHIC": "HAN",
    "ARABIC-INDIC": "ARABIC",
    "EXTENDED": "ARABIC",  # EXTENDED ARABIC-INDIC DIGIT
}
_COMMON_PREFIXES = (
    "DIGIT ",
    "COMBINING ",
    "MODIFIER LETTER ",
    "KATAKANA-HIRAGANA ",
    "LOW LINE",
    "HYPHEN-MINUS",
    "FULL STOP",
)


def _script(char: str) -> str | None:
    """The script of a character, from its Unicode name; None if shared by all.

    Python's unicodedata has no Script property, but the names of letters,
    digits and marks begin with their script ("CYRILLIC SMALL LETTER A",
    "DEVANAGARI VOWEL SIGN I").  The odd letter named otherwise ("TURNED
    SMALL F") counts as a script of its own, which errs towards refusing.
    """
    name = unicodedata.name(char, "")
    if not name or name.startswith(_COMMON_PREFIXES):
        return None
    first = name.split(" ", 1)[0]
    return _SCRIPT_ALIASES.get(first, first)


def _code(char: str) -> str:
    return f"U+{ord(char):04X}"


def _check_characters(display: str) -> None:
    for char in display:
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs", "Zl", "Zp") or ord(char) in _INVISIBLE:
            raise PseudonymError(
                "invisible",
                said(
                    "Your name has an invisible or control character in it ({code}). "
                    "Invisible characters can make one name look like another, so please "
                    "type your name again using only characters you can see.",
                    code=_code(char),
                ),
            )
    for char in display:
        if unicodedata.category(char) == "Zs" or char.isspace():
            raise PseudonymError(
                "whitespace",
                said(
                    "Names can't contain spaces. You could use _ or - or . instead, like "
                    "quiet_river."
                ),
            )
    for char in display:
        category = unicodedata.category(char)
        allowed = (
            char in SEPARATORS
            or category == "Nd"
            or category in ("Mn", "Mc")
            or (category[0] == "L" and ord(char) not in _PUNCTUATION_LOOKALIKES)
        )
        if not allowed:
            shown = f"“{char}”" if category[0] in "LMNPS" else _code(char)
            raise PseudonymError(
                "character",
                said(
                    "Names can use letters, numbers and _ - . only, so {shown} can't be used.",
                    shown=shown,
                ),
            )


def _check_marks(display: str) -> None:
    decomposed = unicodedata.normalize("NFD", display)
    run = 0
    previous = ""
    for char in decomposed:
        category = unicodedata.category(char)
        if category in ("Mn", "Mc"):
            # A mark must sit on a letter (or on the marks of one): on a digit
            # or separator it only disguises it ("0" with a slash passes for "ø").
            if not previous or unicodedata.category(previous)[0] not in "LM":
                raise PseudonymError(
                    "marks",
                    said(
                        "An accent or mark in your name isn't attached to a letter. "
                        "Please check how the name is typed."
                    ),
                )
            if category == "Mn":
                run += 1
                if run > MAX_MARKS_IN_A_ROW or char == previous:
                    raise PseudonymError(
                        "marks",
                        said(
                            "Your name has too many accents or marks stacked on one letter. "
                            "Please simplify it."
                        ),
                    )
            else:
                run = 0
        else:
            run = 0
        previous = char


def _is_reserved(key: str) -> bool:
    if skeleton(key) in _RESERVED_SKELETONS:
        return True
    # "admin2", "sysop_01": a reserved name with a number tacked on.
    stem = _TRAILING_DIGITS.sub("", "".join(c for c in key if c not in SEPARATORS))
    if stem and skeleton(stem) in _RESERVED_SKELETONS:
        return True
    for part in _PARTS.split(key):
        part = _TRAILING_DIGITS.sub("", part)
        if part and skeleton(part) in _AUTHORITY_SKELETONS:
            return True
    return False


def _check_scripts(display: str) -> None:
    scripts = {script for char in display if (script := _script(char)) is not None}
    if len(scripts) <= 1 or any(scripts <= mix for mix in _SCRIPT_MIXES):
        return
    raise PseudonymError(
        "mixed_scripts",
        said(
            "Names can't mix alphabets (for example Latin and Cyrillic letters), because "
            "mixed names can imitate other people's. Please use one alphabet."
        ),
    )


_LONGEST_CHECKED = 16 * MAX_LENGTH


def _length_error(display: str) -> PseudonymError:
    return PseudonymError(
        "length",
        said(
            "Names need {least} to {most} characters; this one has {length}.",
            least=MIN_LENGTH,
            most=MAX_LENGTH,
            length=len(display),
        ),
    )


def validate_pseudonym(
    raw: str,
    *,
    taken_skeletons: Collection[str] = (),
    allow_reserved: bool = False,
) -> Pseudonym:
    """Check a wished-for pseudonym and return its display, key and skeleton.

    Raises `PseudonymError` (``kind`` says which rule, ``message`` says it
    kindly) when the name, after NFKC and stripping outer whitespace:

    - is empty, or not 2-24 characters long;
    - holds an invisible, control, format or bidi character, or whitespace;
    - holds anything but letters (any script), digits, combining marks and
      "_", "-", "." (symbols, emoji, punctuation, private-use, unassigned);
    - starts with anything but a letter or digit;
    - has marks not on a letter, a mark doubled, or more than four stacked;
    - is reserved, or looks like a reserved name ("Adm1n", Cyrillic "ѕуѕор"),
      including with digits added ("admin2") or as a part ("admin_robin");
    - mixes scripts, beyond the usual Japanese, Chinese and Korean mixes;
    - has the skeleton of an existing name (``taken_skeletons``).

    ``allow_reserved`` is for the sysop's command line, which may create
    "sysop" itself.
    """
    display = _display_form(raw)
    if not display:
        raise PseudonymError("empty", said("Please choose a name. It can't be blank."))
    # The character checks below walk the name in Python: refuse a pasted
    # essay before that, not after.
    if len(display) > _LONGEST_CHECKED:
        raise _length_error(display)
    _check_characters(display)
    if not MIN_LENGTH <= len(display) <= MAX_LENGTH:
        raise _length_error(display)
    if unicodedata.category(display[0])[0] not in "LN":
        raise PseudonymError("start", said("Names need to start with a letter or a number."))
    _check_marks(display)
    key = normalize_pseudonym(display)
    if not allow_reserved and _is_reserved(key):
        raise PseudonymError(
            "reserved",
            said(
                "That name is kept for the board and the people who run it, or looks too "
                "much like one, so nobody can be mistaken for them. Please choose another."
            ),
        )
    _check_scripts(display)
    shape = skeleton(key)
    if shape in taken_skeletons:
        raise PseudonymError(
            "taken",
            said(
                "That name is too close to an existing member's. Please choose another; "
                "adding something of your own often works."
            ),
        )
    return Pseudonym(display=display, key=key, skeleton=shape)
