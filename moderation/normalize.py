"""Evasion-resistant normalisation before features: leetspeak, spacing, repeats, lookalikes."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["MAX_CHARS", "TrustedItems", "fold_for_lang", "normalize", "safe_text", "trusted_items"]

# Longer texts keep their head and tail: wall-of-text spam and long posts are decided by
# what they open and close with, and scoring 100,000 characters would stall a worker.
MAX_CHARS = 8000
_HEAD = 6000
_TAIL = MAX_CHARS - _HEAD

# Cyrillic, Greek and other letters that render like Latin ones; NFKC does not fold them.
_CONFUSABLES: dict[str, str] = {
    # Cyrillic
    "а": "a", "б": "b", "в": "b", "г": "r", "д": "d", "е": "e", "ё": "e", "ж": "x",
    "з": "3", "и": "u", "й": "u", "к": "k", "л": "n", "м": "m", "н": "h", "о": "o",
    "п": "n", "р": "p", "с": "c", "т": "t", "у": "y", "ф": "f", "х": "x", "ц": "u",
    "ч": "4", "ш": "w", "щ": "w", "ъ": "b", "ы": "bi", "ь": "b", "э": "e", "ю": "io",
    "я": "r", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "һ": "h", "ԛ": "q",
    "ԝ": "w", "ӏ": "l", "ɡ": "g",
    # Greek
    "α": "a", "β": "b", "γ": "y", "δ": "d", "ε": "e", "ζ": "z", "η": "n", "θ": "o",
    "ι": "i", "κ": "k", "λ": "l", "μ": "u", "ν": "v", "ξ": "e", "ο": "o", "π": "n",
    "ρ": "p", "σ": "o", "ς": "c", "τ": "t", "υ": "u", "φ": "o", "χ": "x", "ψ": "w",
    "ω": "w", "ϲ": "c", "ϳ": "j",
    # Latin lookalikes that survive NFKC and accent stripping
    "ı": "i", "ȷ": "j", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "ß": "ss",
    "æ": "ae", "œ": "oe", "þ": "p", "ð": "d", "ƅ": "b", "ɑ": "a", "ɩ": "i", "ʏ": "y",
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ꜰ": "f", "ɢ": "g", "ʜ": "h",
    "ɪ": "i", "ᴊ": "j", "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p",
    "ʀ": "r", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ᴢ": "z",
    # Typographic quotes, so "I’m" and "I'm" are one word.
    "’": "'", "‘": "'", "‛": "'", "ʼ": "'", "“": '"', "”": '"', "„": '"',
}  # fmt: skip
_CONFUSABLE_TABLE = str.maketrans(_CONFUSABLES)

# Leetspeak digits and symbols, decoded only inside tokens that also hold letters, so that
# "2 years clean" and "50mg" keep their numbers.
_LEET: dict[str, str] = {
    "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
    "@": "a", "$": "s", "!": "i", "|": "l", "€": "e", "£": "l", "+": "t", "¡": "i",
}  # fmt: skip
_LEET_CHARS = frozenset(_LEET)
_LEET_TABLE = str.maketrans(_LEET)

# Whole-token chat shorthand and euphemisms, mapped to the words the model learns from.
_SLANG: dict[str, str] = {
    "u": "you", "ur": "your", "youre": "you're", "r": "are", "ya": "you", "yall": "you all",
    "pls": "please", "plz": "please", "ppl": "people", "thx": "thanks", "ty": "thank you",
    "im": "i'm", "ive": "i've", "dont": "don't", "cant": "can't", "wont": "won't",
    "didnt": "didn't", "doesnt": "doesn't", "isnt": "isn't", "wasnt": "wasn't",
    "idk": "i don't know", "idc": "i don't care", "tbh": "to be honest", "rn": "right now",
    "atm": "at the moment", "bc": "because", "cuz": "because", "coz": "because",
    "cos": "because", "w/": "with", "w/o": "without", "b4": "before", "2day": "today",
    "2nite": "tonight", "tonite": "tonight", "2morrow": "tomorrow", "tmrw": "tomorrow",
    "tmr": "tomorrow", "gr8": "great", "h8": "hate", "l8r": "later", "m8": "mate",
    "4ever": "forever", "ne1": "anyone", "some1": "someone", "any1": "anyone",
    "no1": "no one", "every1": "everyone", "urself": "yourself", "yourslef": "yourself",
    "myslef": "myself", "abt": "about", "bout": "about", "s/h": "self harm",
    "tn": "tonight", "rly": "really", "srsly": "seriously", "ngl": "not going to lie",
    "fr": "for real", "imma": "i'm going to", "livin": "living", "ded": "dead",
    "wanna": "want to", "gonna": "going to", "tryna": "trying to", "gotta": "got to",
    # Abbreviations that matter for the labels.
    "kys": "kill yourself", "kms": "kill myself", "stfu": "shut the fuck up",
    "gtfo": "get the fuck out", "foad": "fuck off and die", "sh": "self harm",
    "unalive": "kill", "unalived": "killed", "unaliving": "killing",
    "sewerslide": "suicide", "sewer-slide": "suicide", "suicidal": "suicidal", "ctb": "suicide",
    "stfd": "shut the fuck up", "wtf": "what the fuck", "ffs": "for fuck's sake",
    "fk": "fuck", "fck": "fuck", "fuk": "fuck", "fuq": "fuck", "fking": "fucking",
    "fcking": "fucking", "fkin": "fucking", "fuckin": "fucking", "effing": "fucking",
    "phuck": "fuck", "phuk": "fuck", "sht": "shit", "btch": "bitch", "biatch": "bitch",
    "azz": "ass", "a$$": "ass", "dm": "dm", "pm": "pm", "whatsapp": "whatsapp",
    "telegram": "telegram", "tg": "telegram", "viagr": "viagra",
}  # fmt: skip

# Words that masked spellings ("f*ck", "k*ll") and stretched spellings ("kiiill") resolve to.
_SENSITIVE = (
    "fuck fucking fucker fucked motherfucker shit shitty bullshit bitch bitches bastard ass "
    "asshole dick dickhead cunt prick twat wanker whore slut cock pussy damn crap piss "
    "retard retarded idiot moron stupid dumb loser pathetic worthless useless ugly fat "
    "freak psycho trash scum garbage kill killing killed die dying dead death suicide "
    "suicidal myself yourself hang hurt harm cut cutting rape raped nigger nigga faggot fag "
    "dyke tranny kike spic chink paki wetback coon gook beaner hate sex porn pills viagra "
    "cialis xanax oxy crypto bitcoin casino cash money free click"
).split()

# Words used to re-split letters that someone spaced out ("k i l l y o u r s e l f").
_COMMON = (
    "a i u r ur me my you your yours he she it we they them us our his her the an and or but if "
    "so to of in on at by for with from up down out off over not no yes is am are was were "
    "be been being do does did done have has had go going gone get got want wanted need "
    "just now right tonight today tomorrow night life live living alive end ending all "
    "everyone everybody nobody anyone someone one should would could will can cant dont "
    "please stop help why what who how when where this that there here then than too very "
    "really kind nice good bad sad fine ok okay love hate care cares miss gone away leave "
    "alone wish better off without world anymore more any some self mate bro dude guy "
    "guys girl boy man men women woman people person thing nothing everything go away "
    "die kill yourself myself hurt harm cut end shut up fuck off"
).split()
_LEXICON = frozenset(_SENSITIVE) | frozenset(_COMMON)
_SENSITIVE = list(dict.fromkeys(_SENSITIVE))  # keep priority order: "f***" is "fuck", not "free"
_SENSITIVE_BY_LEN: dict[int, tuple[str, ...]] = {}
for _w in _SENSITIVE:
    _SENSITIVE_BY_LEN.setdefault(len(_w), ())
    _SENSITIVE_BY_LEN[len(_w)] = (*_SENSITIVE_BY_LEN[len(_w)], _w)

_SURROGATES = re.compile("[\ud800-\udfff]")
_URL = re.compile(
    r"(?:(?:https?|ftp)://|www\.)[^\s<>\"']+|\b[a-z0-9][a-z0-9-]{1,62}\."
    r"(?:com|net|org|biz|info|io|co|ru|cn|xyz|top|site|online|shop|store|club|ly|me|gg|us|uk|"
    r"de|tk|ml|ga|cf|pw|link|click|live|app|to)\b(?:/[^\s<>\"']*)?",
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# 7+ digits possibly split by spaces, dots or dashes: phone-number-shaped (spam contact).
_PHONE = re.compile(r"(?<![\w])\+?\d(?:[ .\-()]{0,2}\d){6,}(?![\w])")
_MONEY = re.compile(r"[$€£]\s?\d[\d,.]*k?|\d[\d,.]*\s?(?:usd|eur|gbp|dollars|bucks)\b")
_WS = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")
_EDGE_PUNCT = re.compile(r"^([\"'“”‘’(\[{<]*)(.*?)([\"'“”‘’)\]}>.,;:?!…]*)$", re.S)
_HAS_LETTER = re.compile(r"[a-z]")
_UNIT_NUMBER = re.compile(
    r"^\d+(?:[.,]\d+)?(?:mg|mcg|ml|g|kg|lb|lbs|am|pm|st|nd|rd|th|s|h|hr|hrs|min|mins|k|m|x|"
    r"yo|y|yr|yrs|d|wk|wks|km|mi|bpm|mmol|iu|iu/d|%)?$"
)
_MASK_CHARS = frozenset("*#%_.-~^")
_SEPARATED = re.compile(r"^[a-z](?:[.\-_*~·•/\\]+[a-z]){2,}$")
_REPEAT3 = re.compile(r"(.)\1{2,}")
_REPEAT2 = re.compile(r"([a-z])\1")


def safe_text(text: object) -> str:
    """Any input as a str that encodes to UTF-8: lone surrogates dropped, non-str coerced."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    elif not isinstance(text, str):
        text = "" if text is None else str(text)
    if _SURROGATES.search(text):
        text = _SURROGATES.sub("", text)
    return text


_ASCII_CONTROLS = {c: (" " if chr(c) in "\t\n\r\x0b\x0c" else None) for c in [*range(32), 127]}


def fold_for_lang(text: object) -> str:
    """Capped, NFKC, case-folded text with invisible characters dropped; accents kept.

    This is what the language identifier reads: accents (ñ, ç, ã, ß) tell the languages apart.
    """
    text = _cap(safe_text(text))
    if text.isascii():
        # Fast path, same result: ASCII is NFKC already and its only invisible characters
        # are the C0 controls and DEL.
        return text.translate(_ASCII_CONTROLS).lower()
    text = unicodedata.normalize("NFKC", text)
    # Drop zero-width joiners, bidi controls and other invisible format characters, plus
    # control characters, which split words without being seen.
    text = "".join(
        " " if ch in "\t\n\r\x0b\x0c" else ch
        for ch in text
        if unicodedata.category(ch) not in ("Cf", "Cc", "Co", "Cn") or ch in "\t\n\r\x0b\x0c"
    )
    return text.casefold()


def _strip_marks(text: str) -> str:
    if text.isascii():
        return text  # no marks, no lookalikes
    # Strip accents and stacked combining marks ("zalgo") that disguise letters.
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return text.translate(_CONFUSABLE_TABLE)


@dataclass(frozen=True)
class TrustedItems:
    """Hosts and numbers from the community's own help text: shared by a member, they are
    resources, not spam, so they become neutral tokens before any feature sees them."""

    hosts: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()


_NO_TRUST = TrustedItems()
# Any run of digits (with the separators phone numbers use); trusted ones need 3+ digits.
_NUMBER = re.compile(r"(?<![\w])\+?\d(?:[ .\-()/]{0,2}\d)*(?![\w])")


def _host(url: str) -> str:
    host = re.sub(r"^(?:https?|ftp)://", "", url).split("/", 1)[0]
    return host[4:] if host.startswith("www.") else host


def trusted_items(text: str) -> TrustedItems:
    """The links, domains, e-mail domains and numbers (3+ digits) found in `text`."""
    folded = _strip_marks(fold_for_lang(text))
    hosts = {_host(m.group(0)).rstrip(".,;:!?)") for m in _URL.finditer(folded)}
    hosts |= {m.group(0).split("@", 1)[1] for m in _EMAIL.finditer(folded)}
    numbers = {re.sub(r"\D", "", m.group(0)) for m in _NUMBER.finditer(folded)}
    return TrustedItems(
        frozenset(h for h in hosts if "." in h), frozenset(n for n in numbers if len(n) >= 3)
    )


def _is_trusted_host(host: str, trusted: TrustedItems) -> bool:
    host = host.rstrip(".,;:!?)")
    return any(host == h or host.endswith("." + h) for h in trusted.hosts)


def _mask_trusted(folded: str, trusted: TrustedItems) -> str:
    if trusted.hosts:

        def url(m: re.Match[str]) -> str:
            return " trustedres " if _is_trusted_host(_host(m.group(0)), trusted) else m.group(0)

        def email(m: re.Match[str]) -> str:
            host = m.group(0).split("@", 1)[1]
            return " trustedres " if _is_trusted_host(host, trusted) else m.group(0)

        folded = _EMAIL.sub(email, folded)
        folded = _URL.sub(url, folded)
    if trusted.numbers:

        def number(m: re.Match[str]) -> str:
            digits = re.sub(r"\D", "", m.group(0))
            return " trustedres " if digits in trusted.numbers else m.group(0)

        folded = _NUMBER.sub(number, folded)
    return folded


def _url_words(match: re.Match[str]) -> str:
    url = match.group(0)
    host = re.sub(r"^(?:https?|ftp)://", "", url).split("/", 1)[0]
    words = " ".join(w for w in re.split(r"[^a-z0-9]+", host) if w and w != "www")
    return f" urllink {words} "


@functools.lru_cache(maxsize=4096)
def _unmask(core: str) -> str | None:
    """Resolve a masked spelling like "f*ck" or "k#ll" to a known sensitive word."""
    if not any(ch in _MASK_CHARS for ch in core) or not _HAS_LETTER.search(core):
        return None
    if not (core[0].isalpha() or core[0] in _MASK_CHARS):
        return None
    candidates = _SENSITIVE_BY_LEN.get(len(core), ())
    pattern = re.compile(
        "^" + "".join("[a-z]" if ch in _MASK_CHARS else re.escape(ch) for ch in core) + "$"
    )
    hits = [w for w in candidates if pattern.match(w)]
    if hits:
        return hits[0]
    # Runs of masks of any length ("b**ch" for "bitch"), only with 2+ visible letters so
    # that "c#" stays a programming language.
    if sum(1 for ch in core if ch.isalpha()) < 2:
        return None
    loose = re.compile(
        "^" + re.sub(r"(?:\\[*#%_.\-~^]|[*#%_.\-~^])+", "[a-z]+", re.escape(core)) + "$"
    )
    hits = [w for w in _SENSITIVE if loose.match(w) and len(w) >= len(core) - 1]
    return hits[0] if hits else None


@functools.lru_cache(maxsize=8192)
def _norm_token(token: str, english: bool = True) -> str:
    """One whitespace token. The shorthand table, the masked-word list and the word list
    for stretched letters are English: other languages get only the language-free steps
    (spaced-out letters joined, leetspeak inside words, 3+ repeated letters cut to two)."""
    if english and token in _SLANG:
        return _SLANG[token]
    lead, core, trail = _EDGE_PUNCT.match(token).groups()  # type: ignore[union-attr]
    if not core:
        return token
    if english and core in _SLANG:
        return lead + _SLANG[core] + trail
    if _SEPARATED.match(core):
        joined = re.sub(r"[^a-z]", "", core)
        return lead + (_segment(joined) if english else joined) + trail
    if english:
        unmasked = _unmask(core)
        if unmasked is not None:
            return lead + unmasked + trail
    if core[0] == "@" and len(core) > 2:
        # "@name" is a mention unless it spells a word ("@ss"). A mention is left out of
        # every feature: whom a line is aimed at says nothing of what it says, and the
        # training data held so few ordinary mentions that a "mention" token learned to
        # mean harassment (chat rooms are full of "@Moss are you still there?").
        decoded = core.translate(_LEET_TABLE)
        return lead + (decoded if english and decoded in _LEXICON else "") + trail
    if (
        _HAS_LETTER.search(core)
        and any(ch in _LEET_CHARS for ch in core)
        and not _UNIT_NUMBER.match(core)
    ):
        core = core.translate(_LEET_TABLE)
        if english:
            core = _SLANG.get(core, core)
    if _REPEAT3.search(core):
        core = _destretch(core) if english else _REPEAT3.sub(r"\1\1", core)
    return lead + core + trail


# Words repeat (Zipf): most tokens of a batch were normalised moments before. _norm_token
# is a pure function of its arguments, so a bounded cache changes no result.
_norm_token_cached = functools.lru_cache(maxsize=1 << 16)(_norm_token)


def _destretch(word: str) -> str:
    """Shorten "sooooo" to "soo", and to "so"-style single letters when that is a known word."""
    two = _REPEAT3.sub(r"\1\1", word)
    if two in _LEXICON:
        return two
    one = _REPEAT3.sub(r"\1", word)
    if one in _LEXICON:
        return one
    # Try collapsing every doubled letter, then keep the known word if there is one.
    single = _REPEAT2.sub(r"\1", two)
    if single in _LEXICON:
        return single
    return two


@functools.lru_cache(maxsize=2048)
def _segment(joined: str) -> str:
    """Split letters that were spaced out back into English words, fewest words first."""
    n = len(joined)
    if n > 60:
        return joined
    best: list[tuple[int, list[str]] | None] = [None] * (n + 1)
    best[0] = (0, [])
    for i in range(n):
        cur = best[i]
        if cur is None:
            continue
        for j in range(i + 1, min(n, i + 14) + 1):
            piece = joined[i:j]
            if piece in _LEXICON:
                cand = (cur[0] + 1, [*cur[1], piece])
                old = best[j]
                if old is None or cand[0] < old[0]:
                    best[j] = cand
    end = best[n]
    if end is None:
        return joined
    return " ".join(_SLANG.get(w, w) for w in end[1])


# Leet digits that stand for a letter in a spaced-out word ("k 1 l l"); not "!" or "+".
_SPACED_LEET = frozenset("0134578@$")


def _join_spaced(tokens: list[str], english: bool = True) -> list[str]:
    """Join runs of 3+ single letters ("k i l l", "m u e r t e"); in English, re-split them
    into words ("k i l l y o u r s e l f" -> "kill yourself"), in other languages keep the
    run as one word."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if len(run) >= 3 and any(ch.isalpha() for ch in run):
            joined = "".join(_LEET.get(ch, ch) for ch in run)
            out.append(_segment(joined) if english else joined)
        else:
            out.extend(run)
        run.clear()

    for tok in tokens:
        if len(tok) == 1 and (tok.isalpha() or tok in _SPACED_LEET):
            run.append(tok)
        else:
            flush()
            out.append(tok)
    flush()
    return out


def _cap(text: str) -> str:
    if len(text) <= MAX_CHARS:
        return text
    return text[:_HEAD] + " " + text[-_TAIL:]


def normalize_folded(folded: str, english: bool = True, trusted: TrustedItems = _NO_TRUST) -> str:
    """normalize() for text already through fold_for_lang()."""
    folded = _strip_marks(folded)
    if trusted.hosts or trusted.numbers:
        folded = _mask_trusted(folded, trusted)
    # Each pattern needs a character most chat lacks; skipping the scan changes nothing.
    if "@" in folded:
        folded = _EMAIL.sub(" emailaddr ", folded)
    if "." in folded or "://" in folded:
        folded = _URL.sub(_url_words, folded)
    if _DIGIT.search(folded):
        folded = _PHONE.sub(" phonenum ", folded)
        folded = _MONEY.sub(" moneyamount ", folded)
    tokens = folded.split()
    if sum(1 for t in tokens if len(t) == 1) >= 3:
        tokens = _join_spaced(tokens, english)
    norm = _norm_token_cached
    normed = [norm(t, english) for t in tokens]
    return _WS.sub(" ", " ".join(normed)).strip()


def normalize(text: object, english: bool = True, trusted: TrustedItems = _NO_TRUST) -> str:
    """Canonical lower-case form of a message for features and explanations.

    `english` switches on the English-only steps (chat shorthand such as "u" -> "you",
    masked and stretched English words, English re-splitting of spaced-out letters); the
    model sets it from the language it reads the text as. Never raises: any str (even with
    lone surrogates or binary garbage) gives a str.
    """
    return normalize_folded(fold_for_lang(text), english, trusted)
