"""Features of the model, numpy only: hashed character and word n-grams, phrase patterns.

Nothing here imports scikit-learn: the server scores with these functions and the weights
in the model files; training (moderation.train) builds its matrices with the same code.
"""

from __future__ import annotations

import functools
import itertools
import re
import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "CHAR_BITS",
    "DROPPED_PATTERNS",
    "DROP_REASONS",
    "NEUTRAL_PATTERNS",
    "PATTERNS",
    "WORD_BITS",
    "PatternFeatures",
    "char_grams",
    "word_grams",
]

# Hashed feature spaces (2^bits buckets each). The hash is our own (FNV-style polynomial
# over code points, then Fibonacci mixing) in wrapping uint64 arithmetic: stable across
# Python runs, platforms and library versions, unlike Python's hash().
CHAR_BITS = 18
WORD_BITS = 18
CHAR_NGRAMS = (2, 3, 4, 5)
_PRIME = np.uint64(1099511628211)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_WORD_RE = re.compile(r"[\w']+")

IntArray = np.ndarray[Any, np.dtype[np.int64]]


def char_grams(
    docs: Sequence[str], ngrams: Sequence[int] = CHAR_NGRAMS, bits: int = CHAR_BITS
) -> tuple[IntArray, IntArray, IntArray, list[list[str]]]:
    """Character n-grams inside word boundaries (like char_wb: each word padded with one
    space), hashed, for a whole batch at once.

    Returns (doc index, bucket, word index within its doc) per n-gram occurrence, and the
    words of each doc (for explanations).
    """
    words_per_doc = [d.split() for d in docs]
    flat = [w for ws in words_per_doc for w in ws]
    empty = np.zeros(0, dtype=np.int64)
    if not flat:
        return empty, empty, empty, words_per_doc
    joined = " " + "  ".join(flat) + " "  # each word padded with a space on both sides
    cps = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter(map(len, flat), dtype=np.int64, count=len(flat)) + 2
    seg = np.repeat(np.arange(len(flat), dtype=np.int64), lengths)
    doc_of_word = np.repeat(
        np.arange(len(docs), dtype=np.int64),
        np.fromiter((len(ws) for ws in words_per_doc), dtype=np.int64, count=len(docs)),
    )
    first_word = np.concatenate([[0], np.cumsum([len(ws) for ws in words_per_doc])])[:-1]
    docs_out: list[IntArray] = []
    buckets_out: list[IntArray] = []
    words_out: list[IntArray] = []
    h = cps.copy()
    shift = np.uint64(64 - bits)
    for n in range(1, max(ngrams) + 1):
        if n > 1:
            if len(h) <= 1:
                break
            h = h[:-1] * _PRIME + cps[n - 1 :]
        if n not in ngrams:
            continue
        valid = seg[: len(h)] == seg[n - 1 :]
        hv = (h[valid] ^ np.uint64(n)) * _MIX
        buckets_out.append((hv >> shift).astype(np.int64))
        w = seg[: len(h)][valid]
        words_out.append(w)
        docs_out.append(doc_of_word[w])
    doc = np.concatenate(docs_out)
    word = np.concatenate(words_out)
    return doc, np.concatenate(buckets_out), word - first_word[doc], words_per_doc


def word_grams(doc: str, bits: int = WORD_BITS) -> tuple[list[int], list[str]]:
    """Hashed word unigrams and bigrams of one normalised text (crc32, stable), and their
    readable forms."""
    words = _WORD_RE.findall(doc)
    grams = words + [f"{a} {b}" for a, b in itertools.pairwise(words)]
    mask = (1 << bits) - 1
    crc = _crc32
    return [crc(g) & mask for g in grams], grams


@functools.lru_cache(maxsize=1 << 17)
def _crc32(gram: str) -> int:
    # Cached: words and common pairs repeat across a batch (a pure function of the gram).
    return zlib.crc32(gram.encode("utf-8", "replace"))


# Why patterns as well as n-grams: a crisis is a person (I), a wish or act (die, hurt myself)
# and a time (now, again, tonight) in one clause; recovery, support and news use the same
# words with another person or time. A few hundred seed sentences cannot teach a linear
# n-gram model every way to put those together, so these spell the structure out, and the
# logistic regression still learns how much each one counts. They run on normalize() output.
_I = r"(?:i|i'm|i am|i've|i'd|i'll|me|my|myself)"
_CLAUSE = r"[^.!?;]{0,40}?"
_WANT = (
    r"(?:want|wanna|wish|going|gonna|plan|planning|ready|decided|thinking|think|thought|"
    r"considering|need|hope|about|trying not)"
)
_DEATH = (
    r"(?:die|dead|death|dying|kill myself|killing myself|end (?:it|it all|my life|things|"
    r"everything)|ending (?:it|it all|my life|things|everything)|suicide|not (?:be here|"
    r"be alive|exist|wake up|survive)|stop (?:existing|living|being)|take my (?:own )?life|"
    r"taking my (?:own )?life|disappear forever|give up (?:on life|for good))"
)
_SELF_HARM_ACT = (
    r"(?:(?:kill|killing|hurt|hurting|harm|harming|cut|cutting|punish|punishing) myself|"
    r"self[ -]?harm(?:ed|ing)?|cut again|cutting again|relapsed? on self harm|"
    r"hurt myself|cut last night|(?:want|urge|urges|need) to (?:cut|hurt))"
)
_NOW = (
    r"(?:tonight|right now|now|today|this morning|last night|an hour ago|again|this week|"
    r"tomorrow|soon|anymore|any more|currently|still|every day|every night)"
)
_PAST = (
    r"(?:used to|years? ago|months? ago|last year|back then|back in|when i was|as a (?:teen|"
    r"kid|teenager|child)|in my (?:teens|twenties|thirties)|survived|survivor|recovered|"
    r"recovery|clean|free|sober|since|in the past|my old|looking back|anniversary|"
    r"\d+ (?:days?|weeks?|months?|years?))"
)
_OTHER = (
    r"(?:he|she|they|his|her|my (?:dad|father|mum|mom|mother|partner|husband|wife|"
    r"boyfriend|girlfriend|ex|stepdad|stepmom|brother|sister|roommate|flatmate|family|"
    r"uncle|son|daughter|friend|best friend|cousin|grandad|grandma))"
)

PATTERNS: tuple[tuple[str, str], ...] = (
    ("[I + want + die/end it]", rf"\b{_I}\b{_CLAUSE}\b{_WANT}\b{_CLAUSE}\b{_DEATH}"),
    ("[I wish I was dead]", r"\b(?:wish|hope) i (?:was|were|could) (?:dead|die|disappear)"),
    ("[death/suicide word]", rf"\b{_DEATH}\b|\bsuicid(?:e|al)\b"),
    ("[suicidal]", r"\bsuicid(?:e|al)\b"),
    ("[self-harm act]", rf"\b{_SELF_HARM_ACT}\b"),
    ("[self-harm act + now]", rf"\b{_SELF_HARM_ACT}\b{_CLAUSE}\b{_NOW}\b"),
    ("[now + self-harm act]", rf"\b{_NOW}\b{_CLAUSE}\b{_SELF_HARM_ACT}\b"),
    ("[death wish + now]", rf"\b{_DEATH}\b{_CLAUSE}\b{_NOW}\b|\b{_NOW}\b{_CLAUSE}\b{_DEATH}\b"),
    (
        "[can't go on]",
        r"\b(?:can't|cannot|can not) (?:go on|keep going|do this anymore|take it"
        r" anymore|keep myself safe|be safe|promise i'll be safe)",
    ),
    (
        "[not wanting to live]",
        r"\b(?:don't|do not|dont) want to (?:live|be alive|exist|be here"
        r" anymore|wake up)",
    ),
    (
        "[better off without me]",
        r"\bbetter off (?:without me|if i (?:was|were) (?:dead|gone)"
        r"|dead)|\b(?:nobody|no one) would (?:miss|notice|care)",
    ),
    (
        "[goodbye]",
        r"\b(?:goodbye|last post|won't be (?:here|around)|final (?:post|check)|by the"
        r" time (?:anyone|you) reads?|say goodbye|farewell|this is it for me)",
    ),
    (
        "[unsafe now]",
        r"\b(?:not safe|unsafe|scared for my life|in danger|scared to go home|"
        r"don't feel safe|hiding (?:from|in))",
    ),
    (
        "[someone hurts me]",
        rf"\b{_OTHER}\b{_CLAUSE}\b(?:hit|hits|hitting|hurt|hurts|beat|beats|"
        r"threaten\w*|kill me|choked|strangled|locked me|following me|coming for me|"
        r"hurt me|will hurt)\b",
    ),
    ("[past time]", rf"\b{_PAST}\b"),
    (
        "[negated danger]",
        r"\b(?:not|never|no|don't|dont|isn't|won't|wont)\b[^.!?]{0,20}?\b"
        r"(?:suicidal|want to die|going to (?:hurt|do anything)|hurt myself|kill myself|in danger"
        r"|thoughts of|dark thoughts|crisis|self harm)",
    ),
    (
        "[support words]",
        r"\b(?:please (?:don't|do not|stay|reach|call|talk|hold)|you(?:'re| are)"
        r" not (?:alone|a burden|weak)|we(?:'re| are) here|crisis line|samaritans|reach out|you "
        r"matter|are you safe|sending (?:love|hugs)|proud of you|glad you're)",
    ),
    (
        "[you + wish/act]",
        r"\b(?:you|your|yourself)\b[^.!?]{0,25}?\b(?:die|kill|hurt|cut|end"
        r"|suicide)",
    ),
    (
        "[tell you to die]",
        r"\b(?:kill|hurt|cut|end|harm) yourself\b|\b(?:go|just|should|hope "
        r"you|you'd better) (?:die|drop dead)\b|\bdo (?:everyone|us all|the world) a favou?r\b",
    ),
    (
        "[someone else's suicide]",
        rf"\b{_OTHER}\b{_CLAUSE}\b(?:died by suicide|took (?:his|her|"
        r"their) own life|killed (?:himself|herself|themselves))",
    ),
    (
        "[news/research]",
        r"\b(?:rates?|study|studies|report|research|statistics|article|"
        r"documentary|prevention|awareness|estimates?|guidelines|podcast|lecture|training)\b",
    ),
    # Third pass: what tells a final goodbye from "night all", an idiom from a wish, an urge
    # being fought now from reassurance, a story from the present.
    (
        "[final goodbye]",
        r"\b(?:for good|forever|for the last time|never coming back|not coming back|"
        r"won't be (?:here|around|back)|at peace|better this way|(?:it's|it is|it was) not your"
        r" fault|don't be sad|i tried|goodbye (?:world|everyone|all|friends)|my last (?:message|"
        r"post|check.?in|night|update)|last time you'll|this is (?:it|goodbye|my goodbye))",
    ),
    (
        "[temporary goodbye]",
        r"\b(?:see (?:you|ya|y'all)|back (?:in|on|soon|tomorrow|next|later)|for (?:a bit|a while|"
        r"now|a few|the (?:night|weekend|day))|talk (?:soon|tomorrow|later)|night all|goodnight|"
        r"good night|night night|(?:off|going|head\w*) (?:to bed|to sleep|offline)|logging off|"
        r"signing off|brb|holiday|vacation|a break|early shift)\b",
    ),
    (
        "[my death as fact]",
        r"\b(?:when i'm (?:gone|dead)|after i'm gone|by the time (?:anyone"
        r"|you) reads?|(?:i'll|i will)"
        r" (?:already )?be (?:gone|dead|at peace)|where i'm going|won't need (?:it|any)|won't be"
        r" (?:alive|here tomorrow|around (?:after|much longer))"
        r"|not (?:going to|gonna) be (?:around|"
        r"here)|last night on earth)",
    ),
    (
        "[putting affairs in order]",
        r"\b(?:giv(?:e|ing) (?:my )?(?:things|stuff|belongings|cat|dog) (?:away|to)|wrote (?:a )?"
        r"(?:note|letters?)|written (?:a )?(?:note|letters?)"
        r"|made (?:my )?peace|said (?:my )?goodbyes?"
        r"|everything is sorted|made (?:up )?my mind|(?:i've|i have) decided|a date in my head)",
    ),
    (
        "[passive wish]",
        r"\b(?:hope|hoping|wish|praying|pray)\b[^.!?]{0,25}?\b(?:don't|do not|won't|never|not)"
        r" (?:wake|survive|make it|come back)|\b(?:sleep|go to sleep) (?:forever|and never)|"
        r"\bnever wak(?:e|ing) up|\b(?:rather|better) (?:be )?(?:dead|die)",
    ),
    (
        "[urge fought now]",
        r"\b(?:trying|try|fighting|struggling|holding on)\b[^.!?]{0,15}?\b(?:not to|to not|"
        r"against)\b[^.!?]{0,10}?\b(?:hurt|harm|cut|self harm|do (?:it|anything)|act)|\b(?:fight|"
        r"fighting|resist|resisting) (?:the|these|my|this) urges?\b|\burges? (?:is|are) (?:so |"
        r"really )?(?:strong|bad|back|winning)",
    ),
    (
        "[reassurance]",
        r"\b(?:not|never|no|don't|won't|isn't|haven't|didn't)\b[^.!?]{0,25}?\b(?:going to (?:hurt|"
        r"kill|end|do)|thinking (?:about|of) (?:ending|suicide"
        r"|killing|hurting)|plans? to|act(?:ed)?"
        r" on|in danger|an emergency|a crisis)|\bi(?:'m| am) safe\b|\bi promise\b|\bpassed\b|"
        r"\bjust (?:need(?:ed)? to|want(?:ed)? to) (?:vent|rant|say|talk|cry|get)",
    ),
    (
        "[doing better now]",
        r"\b(?:i'm|i am|i feel|feeling|doing) (?:safe|okay|ok|fine|better|so much better|well|"
        r"good|alright|happy|proud)\b[^.!?]{0,12}?\b(?:now|these days|today|at last|again)\b|"
        r"\b(?:glad|grateful|happy) (?:to be|i'm|i am|i was|i'm still) (?:alive|here|wrong)"
        r"|\bit gets better\b|\bi survived\b|\bi made it\b",
    ),
    (
        "[idiom]",
        r"\b(?:(?:is|are|was|were|be|'s) (?:literally )?(?:killing|murdering|destroying) (?:me|"
        r"us)|death of (?:me|us)|(?:could|would|will|going to|i'd) (?:literally )?(?:die|kill) "
        r"(?:for|of)|dying (?:of|to|for)|dead (?:tired|on my feet|inside)|died (?:inside|"
        r"laughing)|die of (?:embarrassment|laughter|boredom|shame)|to die for|kill me now|"
        r"killed it|killing it|so hungry i could|will to live left)",
    ),
    (
        "[past act or wish]",
        r"\b(?:tried|attempted|wanted|planned|used to|nearly|almost|was going|thought about|"
        r"spent (?:years|months))\b[^.!?]{0,25}?\b(?:die|dying|dead|end (?:it|my life|things)|"
        r"kill(?:ing)? myself|suicide|hurt(?:ing)? myself|self harm\w*|take my (?:own )?life)\b"
        r"|\b(?:at|when i was) (?:1\d|2\d|3\d|a (?:teen|kid|teenager))\b|\bnow i(?:'m| am)\b",
    ),
    (
        "[finality]",
        r"\b(?:(?:be|am|i'm) (?:finished|done) with (?:it all|life|living|everything|all of it)|"
        r"(?:want|need) (?:it|everything|this) (?:all )?to be over"
        r"|ready to (?:go|rest|be finished)|"
        r"for good|permanently|check(?:ing)? out|let go|can't undo|make it (?:stop|official)|"
        r"give up on (?:life|living|everything)|giving up\. on)",
    ),
    (
        "[asks about own ideation]",
        r"\b(?:is it normal|does anyone else|anyone else|am i the only one|how do (?:people|you))"
        r"\b[^?]{0,40}?\b(?:suicid\w*|die|dying|dead|kill(?:ing)? (?:myself|themselves)|hurt"
        r"(?:ing)? (?:myself|themselves)|self harm\w*|(?:want|be) alive)",
    ),
    ("[laughing]", r"\b(?:lol|lmao|haha\w*|rofl|jk)\b|😂|💀|🤣"),
    (
        "[ordinary thing ends]",
        r"\bend(?:ing)? (?:this|the|my|our|that|a) (?:\w+ )?(?:week|day|month|semester|term|shift|"
        r"job|friendship|relationship|contract|call|meeting|streak|lease|chapter|conversation|"
        r"marriage|subscription|season|diet)\b|\bend of (?:the|this) (?:week|day|month|term)",
    ),
    (
        "[no point / no way out]",
        r"\b(?:no (?:point|reason|way out|future|hope)|what's the point|pointless|nothing (?:left|"
        r"to live for)|run out of reasons|no reasons? (?:to|left)|not worth it)",
    ),
    (
        "[danger at home]",
        r"\b(?:hiding|locked (?:in|out|me)|won't let me (?:leave|go|out)|nowhere (?:else )?to go|"
        r"scared (?:to go home|of what (?:he|she|they))|terrified|grabbed me|pushed me|threw me|"
        r"took my (?:phone|keys)|checks my phone|comes into my room|after me|going to (?:hurt|kill|"
        r"beat) me|will (?:hurt|kill|beat) me|hurt(?:s|ing)? me|hits? me|beat(?:s)? me)\b",
    ),
    (
        "[how to help someone]",
        r"\bhow (?:do|can|should|would) (?:i|we|you) (?:ask|help|support|talk|tell|approach|"
        r"look after|respond)\b",
    ),
    ("[question]", r"\?"),
)


# Dropped after the pattern audit (moderation/MODEL_CARD.md): each fired on 6-28x more spam
# than hard negatives while not being spam itself (helplines share links and numbers, free
# peer groups say "free", members talk about money), so the model learned them as proxies.
# "[second person]" (you/your) was dropped before, for the same reason with harassment.
DROPPED_PATTERNS: tuple[tuple[str, str], ...] = (
    ("[link]", r"\burllink\b"),
    (
        "[contact me]",
        r"\b(?:dm|pm|message|text|whatsapp|telegram|contact|email|call) (?:me|us)"
        r"\b|\bphonenum\b|\bemailaddr\b",
    ),
    ("[money]", r"\bmoneyamount\b|\b\d+ ?%|\$|\bearn\w*\b|\bprofit|\bincome\b"),
    (
        "[hard sell]",
        r"\b(?:buy|order|click|claim|sign up|subscribe|limited|offer|discount|"
        r"cheap|guaranteed|no prescription|free)\b",
    ),
    ("[second person]", r"\b(?:you|your|you're|yourself)\b"),
)
DROP_REASONS: dict[str, str] = {
    "[link]": "dropped: spam proxy (a link is not spam; helplines share links)",
    "[contact me]": 'dropped: spam proxy ("DM me", a phone number are not spam)',
    "[money]": "dropped: spam proxy (talking about money is not spam)",
    "[hard sell]": 'dropped: spam proxy ("free" peer groups, "order" food)',
    "[second person]": "dropped (by the issue; 2.1x here): the first model's harassment proxy",
}
# Patterns that read no English words and so run on text in any language.
NEUTRAL_PATTERNS: frozenset[str] = frozenset({"[question]"})


class PatternFeatures:
    """Binary phrase-pattern features and their pairwise ANDs.

    The pairs are what a linear model cannot build itself: "death word" is strong evidence
    of crisis alone, and the pair "death word & past time" lets the model learn that the
    two together read as recovery. Rebuilt from the pattern sources stored with a model.
    English patterns run only on text read as English (or of unsure language).
    """

    def __init__(
        self,
        patterns: Sequence[tuple[str, str]] = PATTERNS,
        neutral: frozenset[str] = NEUTRAL_PATTERNS,
    ) -> None:
        self.patterns: tuple[tuple[str, str], ...] = tuple((n, p) for n, p in patterns)
        self.neutral = frozenset(n for n, _ in self.patterns if n in neutral)
        self._compiled = [re.compile(p) for _, p in self.patterns]
        self._neutral_idx = [j for j, (n, _) in enumerate(self.patterns) if n in self.neutral]
        k = len(self.patterns)
        self._pairs = [(a, b) for a in range(k) for b in range(a + 1, k)]
        self._pair_index = {pair: k + n for n, pair in enumerate(self._pairs)}

    @property
    def names(self) -> list[str]:
        base = [n for n, _ in self.patterns]
        return base + [f"{base[a]}&{base[b]}" for a, b in self._pairs]

    def __len__(self) -> int:
        return len(self.patterns) + len(self._pairs)

    def hits(self, text: str, english: bool = True) -> list[int]:
        """Indices of the single patterns one normalised text matches."""
        compiled = self._compiled
        if english:
            return [j for j, rx in enumerate(compiled) if rx.search(text)]
        return [j for j in self._neutral_idx if compiled[j].search(text)]

    def columns(self, text: str, english: bool = True) -> list[int]:
        """Indices of the features one normalised text switches on (patterns, then pairs)."""
        hits = self.hits(text, english)
        cols = list(hits)
        pair_index = self._pair_index
        for x, a in enumerate(hits):
            for b in hits[x + 1 :]:
                cols.append(pair_index[(a, b)])
        return cols
