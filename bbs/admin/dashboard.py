"""The sysop dashboard's numbers: activity per day, queue health, rates, trends and themes."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, func, select

from bbs.admin.review import queue_size
from bbs.boards.records import Post, PostStatus
from bbs.goals.records import CheckIn
from bbs.models import Member, utcnow
from bbs.moderation_queue.audit import require_staff
from bbs.moderation_queue.flags import FlagKind, ModerationFlag
from bbs.rooms.records import RoomLine
from bbs.suggestions.records import trending_themes

DAYS = 14
SPARKS = "▁▂▃▄▅▆▇█"
# Texts read for trending terms: enough for a small community's week, bounded for a big one.
TREND_SAMPLE = 3000
_WORD = re.compile(r"[^\W\d_][\w'’-]{3,}")
STOPWORDS = frozenset(
    """
about after again also always am an and any anyone anything are around because been
before being both but can cannot could did does doing done dont down each even every
feel feeling felt from getting going gonna good have having here just know like little
made make many maybe more most much need never next only other over really right same
should since some something still such sure than thank thanks that thats the their them
then there these they thing things think this those though through time today tomorrow
too very want was week well were what when where which while will with without would
year yeah yesterday you your youre just into onto its it's i'm i've don't can't that's
""".split()
)


@dataclass(frozen=True)
class DashboardStats:
    """Everything the dashboard draws; per-day series run oldest first and end today."""

    days: tuple[date, ...]
    members: int
    active_today: int
    active_week: int
    posts: tuple[int, ...]
    chat_lines: tuple[int, ...]
    check_ins: tuple[int, ...]
    flags: tuple[int, ...]
    holds: tuple[int, ...]
    queue_open: int
    queue_oldest: datetime | None
    flag_rate: float
    hold_rate: float
    trending: tuple[tuple[str, int], ...]
    # Named themes (the suggestions engine's, from threads' cached themes) this week.
    themes: tuple[tuple[str, int], ...] = ()


def sparkline(values: Sequence[int]) -> str:
    """One character a value, scaled to the largest; zero is the lowest bar."""
    top = max(values, default=0)
    if top <= 0:
        return SPARKS[0] * len(values)
    return "".join(SPARKS[min(len(SPARKS) - 1, round(v * (len(SPARKS) - 1) / top))] for v in values)


def _per_day(times: Iterable[datetime], days: tuple[date, ...]) -> tuple[int, ...]:
    counts = Counter(t.date() for t in times)
    return tuple(counts.get(d, 0) for d in days)


def terms(text: str) -> set[str]:
    """The distinct words of a text that might be a theme (no stopwords, no short words)."""
    return {w.lower().replace("’", "'").strip("'-") for w in _WORD.findall(text)} - STOPWORDS


def trending_terms(
    this_week: Sequence[str], before: Sequence[str], weeks_before: int, top: int = 8
) -> tuple[tuple[str, int], ...]:
    """Terms in more posts this week than usual: by document count, lifted over the baseline."""
    now = Counter(t for text in this_week for t in terms(text))
    base = Counter(t for text in before for t in terms(text))
    scored = [
        ((n + 1) / (base[t] / max(1, weeks_before) + 1), n, t) for t, n in now.items() if n >= 2
    ]
    scored.sort(key=lambda x: (-x[0], -x[1], x[2]))
    return tuple((t, n) for _lift, n, t in scored[:top])


def dashboard(session: Session, *, actor_id: int, now: datetime | None = None) -> DashboardStats:
    """The numbers for the last two weeks, for moderators and sysops."""
    require_staff(session, actor_id)
    now = now or utcnow()
    today = now.date()
    days = tuple(today - timedelta(days=DAYS - 1 - i) for i in range(DAYS))
    start = datetime.combine(days[0], datetime.min.time(), tzinfo=now.tzinfo)
    week = now - timedelta(days=7)
    midnight = datetime.combine(today, datetime.min.time(), tzinfo=now.tzinfo)

    def count(query: Any) -> int:
        return int(session.exec(query).one())

    members = count(select(func.count()).select_from(Member))
    active_today = count(
        select(func.count()).select_from(Member).where(col(Member.last_login_at) >= midnight)
    )
    active_week = count(
        select(func.count()).select_from(Member).where(col(Member.last_login_at) >= week)
    )
    posts = _per_day(
        session.exec(select(Post.created_at).where(col(Post.created_at) >= start)).all(), days
    )
    lines = _per_day(
        session.exec(select(RoomLine.created_at).where(col(RoomLine.created_at) >= start)).all(),
        days,
    )
    check_ins = _per_day(
        session.exec(select(CheckIn.created_at).where(col(CheckIn.created_at) >= start)).all(), days
    )
    flag_rows = session.exec(
        select(ModerationFlag.created_at, ModerationFlag.kind).where(
            col(ModerationFlag.created_at) >= start
        )
    ).all()
    flags = _per_day((t for t, _k in flag_rows), days)
    holds = _per_day((t for t, k in flag_rows if k == FlagKind.HOLD.value), days)
    written = sum(posts[-7:]) + sum(lines[-7:])
    open_count, oldest = queue_size(session)
    recent = session.exec(
        select(Post.body, Post.created_at)
        .where(
            col(Post.created_at) >= now - timedelta(days=35),
            Post.status == PostStatus.VISIBLE.value,
        )
        .order_by(col(Post.id).desc())
        .limit(TREND_SAMPLE)
    ).all()
    this_week = [b for b, t in recent if t >= week]
    before = [b for b, t in recent if t < week]
    return DashboardStats(
        days=days,
        members=members,
        active_today=active_today,
        active_week=active_week,
        posts=posts,
        chat_lines=lines,
        check_ins=check_ins,
        flags=flags,
        holds=holds,
        queue_open=open_count,
        queue_oldest=oldest,
        flag_rate=sum(flags[-7:]) / written if written else 0.0,
        hold_rate=sum(holds[-7:]) / written if written else 0.0,
        trending=trending_terms(this_week, before, weeks_before=4),
        themes=trending_themes(session, now=now),
    )
