"""Hand-written phrase patterns (who, what, when) added to the n-gram features of the model."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import sparse

__all__ = ["PATTERNS", "PatternFeatures"]

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
    ("[question]", r"\?"),
    ("[second person]", r"\b(?:you|your|you're|yourself|mentionuser)\b"),
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
)


class PatternFeatures:
    """Binary phrase-pattern features and their pairwise ANDs.

    The pairs are what a linear model cannot build itself: "death word" is strong evidence
    of crisis alone, and the pair "death word & past time" lets the model learn that the
    two together read as recovery. Rebuilt from the pattern sources stored with a model.
    """

    def __init__(self, patterns: Sequence[tuple[str, str]] = PATTERNS) -> None:
        self.patterns: tuple[tuple[str, str], ...] = tuple((n, p) for n, p in patterns)
        self._compiled = [re.compile(p) for _, p in self.patterns]
        k = len(self.patterns)
        self._pairs = [(a, b) for a in range(k) for b in range(a + 1, k)]

    @property
    def names(self) -> list[str]:
        base = [n for n, _ in self.patterns]
        return base + [f"{base[a]}&{base[b]}" for a, b in self._pairs]

    def __len__(self) -> int:
        return len(self.patterns) + len(self._pairs)

    def transform(self, normalised: Sequence[str]) -> sparse.csr_matrix:
        k = len(self.patterns)
        pair_index = {pair: k + n for n, pair in enumerate(self._pairs)}
        rows: list[int] = []
        cols: list[int] = []
        for i, text in enumerate(normalised):
            hits = [j for j, rx in enumerate(self._compiled) if rx.search(text)]
            for x, a in enumerate(hits):
                rows.append(i)
                cols.append(a)
                for b in hits[x + 1 :]:
                    rows.append(i)
                    cols.append(pair_index[(a, b)])
        data: np.ndarray[Any, Any] = np.ones(len(rows), dtype=np.float32)
        return sparse.csr_matrix(
            (data, (rows, cols)), shape=(len(normalised), len(self)), dtype=np.float32
        )
