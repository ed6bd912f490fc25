"""Offline evaluation of suggestions and peer matching on a synthetic community.

Run: .venv/bin/python bench/eval_suggestions.py [--members 300 --seed 7]   (about 20 s)

What is measured, honestly:
- a synthetic community (suggest/synthetic.py) where every member has one or two known
  interests and writes posts from interest templates with noise, filler and chit-chat;
- the shipped pipeline end to end: the same tables, the same refresh and the same
  `for_you` the screens call, on a temporary SQLite database;
- precision@5 of suggestions: of the first five suggestions a member is shown, the share
  whose item is about one of the member's known interests (a board's theme, the theme a
  thread was written about, a resource tag naming an interest). Boards with no theme
  (Introductions, Wins, Habits, Off-topic) and chit-chat threads count as misses;
- precision@5 of peers: of the first five peers shown, the share who share a known
  interest with the member;
- random baselines: five items drawn at random from the same candidates the request path
  considers (open boards, the 300 most recent threads not by the member, resources), and
  five members drawn at random from the other opted-in members.
Limits: the templates and the engine's seed words were written by the same team, so they
share vocabulary more than strangers' writing would; real members' posts are messier.
The "noisy" scenario mixes in more off-theme sentences and chit-chat; "sparse" gives
members about two posts each. Peers are judged on known interests, while matching sees
only what members made public.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bbs.community import Community
from bbs.config import load_settings
from bbs.resources import records as resources
from bbs.suggestions.records import RECENT_THREADS, _resources
from server.wiring import build_community
from suggest.engine import SeedThemeEngine
from suggest.loader import board_themes, load, thread_themes
from suggest.synthetic import INTERESTS, generate

K = 5


def resource_relevance(tags: tuple[str, ...], interests: tuple[str, ...]) -> bool:
    """A resource is relevant when a tag names one of the interests (or its first word)."""
    names = {t.lower() for t in tags}
    return any(i in names or i.split()[0] in names for i in interests)


async def evaluate(
    members: int, posts: int, seed: int, noise: float = 0.15, chitchat: float = 0.15
) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(Path(tmp) / "data", port=0)
        community = build_community(settings)
        community.prepare()
        try:
            return await _evaluate(community, members, posts, seed, noise, chitchat)
        finally:
            community.close()


async def _evaluate(
    community: Community, members: int, posts: int, seed: int, noise: float, chitchat: float
) -> dict[str, float]:
    await community.write(resources.seed_default_resources)
    synthetic = generate(members, posts, seed=seed, noise=noise, chitchat=chitchat)
    loaded = load(community.database, synthetic)
    service = community.suggestions
    service.set_engine(SeedThemeEngine())
    while await service.refresh_pass() > 0:
        pass
    threads = thread_themes(synthetic, loaded)
    boards = board_themes(loaded)
    library = await community.read(_resources)
    resource_tags = {rid: tags for rid, _t, _b, tags in library}
    interests_of = {loaded.member_ids[m.index]: m.interests for m in synthetic.members}
    rng = random.Random(seed)
    recent = sorted(
        ((tid, synthetic.threads[i][2]) for i, tid in enumerate(loaded.thread_ids)), reverse=True
    )

    def relevant(kind: str, item_id: int, interests: tuple[str, ...]) -> bool:
        if kind == "board":
            return boards.get(item_id, "") in interests
        if kind == "thread":
            return threads.get(item_id, "") in interests
        return resource_relevance(resource_tags.get(item_id, ()), interests)

    sums = dict.fromkeys(
        (
            "sugg",
            "sugg_random",
            "peer",
            "peer_random",
            "sugg_n",
            "peer_n",
            "sugg_members",
            "peer_members",
            "boards_only",
        ),
        0.0,
    )
    sample = rng.sample(loaded.member_ids, min(len(loaded.member_ids), 300))
    for member_id in sample:
        interests = interests_of[member_id]
        shown = await service.for_you(member_id)
        top = shown.suggestions[:K]
        if top:
            sums["sugg"] += sum(relevant(s.kind, s.item_id, interests) for s in top) / K
            sums["sugg_n"] += len(top)
            sums["sugg_members"] += 1
            pool = (
                [("board", b) for b in boards]
                + [("resource", r) for r in resource_tags]
                + [
                    ("thread", t)
                    for t, author in recent
                    if interests_of.get(loaded.member_ids[author]) is not None
                    and loaded.member_ids[author] != member_id
                ][:RECENT_THREADS]
            )
            picks = rng.sample(pool, K)
            sums["sugg_random"] += sum(relevant(k, i, interests) for k, i in picks) / K
            board_top = [s for s in shown.suggestions if s.kind == "board"][:3]
            sums["boards_only"] += sum(
                boards.get(s.item_id, "") in interests for s in board_top
            ) / max(1, len(board_top))
        peers = shown.peers[:K]
        if peers:
            sums["peer"] += (
                sum(bool(set(interests_of[p.member_id]) & set(interests)) for p in peers) / K
            )
            sums["peer_n"] += len(peers)
            sums["peer_members"] += 1
            others = rng.sample([m for m in loaded.member_ids if m != member_id], K)
            sums["peer_random"] += (
                sum(bool(set(interests_of[o]) & set(interests)) for o in others) / K
            )
    n_s = max(1.0, sums["sugg_members"])
    n_p = max(1.0, sums["peer_members"])
    return {
        "members": float(len(synthetic.members)),
        "posts": float(len(synthetic.posts)),
        "threads": float(len(synthetic.threads)),
        "sampled": float(len(sample)),
        "resources": float(len(library)),
        "sugg_p5": sums["sugg"] / n_s,
        "sugg_random_p5": sums["sugg_random"] / n_s,
        "sugg_members": sums["sugg_members"],
        "sugg_mean_shown": sums["sugg_n"] / n_s,
        "boards_p3": sums["boards_only"] / n_s,
        "peer_p5": sums["peer"] / n_p,
        "peer_random_p5": sums["peer_random"] / n_p,
        "peer_members": sums["peer_members"],
        "peer_mean_shown": sums["peer_n"] / n_p,
    }


SCENARIOS: tuple[tuple[str, float, float, float], ...] = (
    # name, posts per member, share of sentences from another theme, share of chit-chat
    ("default", 13.3, 0.15, 0.15),
    ("noisy", 13.3, 0.5, 0.35),
    ("sparse, 2 posts each", 2.0, 0.15, 0.15),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(
        f"Synthetic communities of {args.members} members ({len(INTERESTS)} interests, "
        "1-2 each) and the default resource library, through the shipped pipeline."
    )
    print()
    print(
        f"{'scenario (posts)':<29}{'measure':<16}{'pipeline':>9}{'random':>8}{'members':>9}"
        f"{'shown':>7}"
    )
    for name, per_member, noise, chitchat in SCENARIOS:
        posts = int(args.members * per_member)
        r = asyncio.run(evaluate(args.members, posts, args.seed, noise, chitchat))
        label = f"{name} ({int(r['posts'])})"
        print(
            f"{label:<29}{'suggestions@5':<16}{r['sugg_p5']:>9.3f}{r['sugg_random_p5']:>8.3f}"
            f"{int(r['sugg_members']):>9}{r['sugg_mean_shown']:>7.1f}"
        )
        print(f"{'':<29}{'boards@<=3':<16}{r['boards_p3']:>9.3f}")
        print(
            f"{'':<29}{'peers@5':<16}{r['peer_p5']:>9.3f}{r['peer_random_p5']:>8.3f}"
            f"{int(r['peer_members']):>9}{r['peer_mean_shown']:>7.1f}"
        )
    print()
    print("precision@5 divides by 5 even when fewer are shown (a short list is not rewarded);")
    print("'members' is how many of the evaluated members were shown anything at all;")
    print("a resource is relevant when one of its tags names an interest (the default")
    print("library has none for grief, work, relationships, exercise or eating). A random")
    print("pair of members shares an interest about a quarter of the time here, which is")
    print("why the random peer baseline is near 0.23.")


if __name__ == "__main__":
    main()
