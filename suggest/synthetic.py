"""A synthetic community with known interests, for the offline evaluation and the benchmark.

Members get one or two interests. They write threads and replies on the board of an
interest, drawn from interest-specific templates that were written separately from the
engine's seed words (they share some words, as real posts would, and miss many), mixed
with filler every community shares and, now and then, a sentence from another theme.
Some posts are plain chit-chat with no theme at all. Goals follow interests too.

Everything is deterministic for a given seed. Nothing here touches a database: the
evaluation and the benchmark store what this makes.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from importlib import resources

# The community's words are data: suggest/data/synthetic_community.json.
_DATA = json.loads(
    resources.files("suggest").joinpath("data/synthetic_community.json").read_text("utf-8")
)

# Board name, description, the theme it is about ("" for none).
BOARDS: tuple[tuple[str, str, str], ...] = tuple(
    (name, description, theme) for name, description, theme in _DATA["boards"]
)

INTERESTS: tuple[str, ...] = tuple(theme for _n, _d, theme in BOARDS if theme)

# Titles and sentences per interest, in members' own words.
TITLES: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _DATA["titles"].items()}
SENTENCES: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _DATA["sentences"].items()}

# Words and sentences every community shares: noise that belongs to no theme.
FILLER: tuple[str, ...] = tuple(_DATA["filler"])
# Chit-chat threads: title, body.
CHITCHAT: tuple[tuple[str, str], ...] = tuple((title, body) for title, body in _DATA["chitchat"])
# Interest -> (goal title, goal category).
GOAL_TITLES: dict[str, tuple[str, str]] = {
    interest: (title, category) for interest, (title, category) in _DATA["goal_titles"].items()
}


@dataclass
class SyntheticPost:
    author: int
    board: str
    title: str  # "" for a reply
    body: str
    theme: str  # the theme it was written about ("" for chit-chat)
    thread: int  # index of the thread it belongs to


@dataclass
class SyntheticMember:
    index: int
    name: str
    interests: tuple[str, ...]
    goals: list[tuple[str, str, str]] = field(default_factory=list)  # title, category, vis.


@dataclass
class SyntheticCommunity:
    members: list[SyntheticMember]
    posts: list[SyntheticPost]
    # Thread index -> (board, theme, author).
    threads: list[tuple[str, str, int]]


def _body(rng: random.Random, theme: str, noise: float) -> str:
    pieces = rng.sample(SENTENCES[theme], k=rng.randint(1, 3))
    if rng.random() < noise:
        other = rng.choice([t for t in INTERESTS if t != theme])
        pieces.append(rng.choice(SENTENCES[other]))
    pieces += rng.sample(FILLER, k=rng.randint(0, 2))
    rng.shuffle(pieces)
    return " ".join(pieces)


def generate(
    members: int,
    posts: int,
    *,
    seed: int = 7,
    noise: float = 0.15,
    chitchat: float = 0.15,
    replies_per_thread: int = 4,
) -> SyntheticCommunity:
    """`members` members writing about `posts` posts in all (threads and their replies)."""
    rng = random.Random(seed)
    people: list[SyntheticMember] = []
    by_interest: dict[str, list[int]] = {t: [] for t in INTERESTS}
    for i in range(members):
        interests = tuple(rng.sample(INTERESTS, k=rng.choice((1, 2, 2))))
        member = SyntheticMember(i, f"member{i:05d}", interests)
        for interest in interests:
            by_interest[interest].append(i)
            if rng.random() < 0.5:
                title, category = GOAL_TITLES[interest]
                visibility = "community" if rng.random() < 0.5 else "private"
                member.goals.append((title, category, visibility))
        people.append(member)
    board_of = {theme: name for name, _d, theme in BOARDS if theme}
    written: list[SyntheticPost] = []
    threads: list[tuple[str, str, int]] = []
    while len(written) < posts:
        author = rng.randrange(members)
        if rng.random() < chitchat:
            title, body = rng.choice(CHITCHAT)
            board = rng.choice(("Introductions", "Off-topic"))
            threads.append((board, "", author))
            written.append(SyntheticPost(author, board, title, body, "", len(threads) - 1))
            continue
        theme = rng.choice(people[author].interests)
        board = board_of[theme]
        threads.append((board, theme, author))
        thread = len(threads) - 1
        written.append(
            SyntheticPost(
                author, board, rng.choice(TITLES[theme]), _body(rng, theme, noise), theme, thread
            )
        )
        for _ in range(rng.randint(0, replies_per_thread * 2)):
            if len(written) >= posts:
                break
            replier = rng.choice(by_interest[theme])
            written.append(
                SyntheticPost(replier, board, "", _body(rng, theme, noise), theme, thread)
            )
    return SyntheticCommunity(people, written, threads)
