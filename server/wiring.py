"""The one composition root: builds the store, the event bus, the moderation gate, the
texts and every service, and hands each exactly what it needs.

Nothing else constructs a service; the server, the tools and the tests all start here.
"""

from __future__ import annotations

from bbs.accounts.hashing import Hasher
from bbs.accounts.login_guard import DoorThrottle, LocalDoorThrottle, LoginGuard
from bbs.accounts.service import AccountService
from bbs.accounts.sessions import LiveSessions, LocalSessions
from bbs.admin.service import AdminService
from bbs.boards.service import BoardService
from bbs.clock import Clock, SystemClock
from bbs.cluster import Singletons
from bbs.community import Community
from bbs.config import ClusterSettings, Settings
from bbs.db import Database
from bbs.events import EventBus, LocalEventBus
from bbs.goals.service import GoalService
from bbs.home import HomeService
from bbs.mail.service import MailService
from bbs.moderated import WritingPorts
from bbs.moderation_queue.gate import ModerationGate
from bbs.moderation_queue.policy import ModerationThresholds, TextScorer
from bbs.privacy.service import PrivacyService
from bbs.resources.service import ResourceService
from bbs.rooms.flood import FloodControl, RoomFlood
from bbs.rooms.presence import LocalPresence, Presence
from bbs.rooms.service import RoomService
from bbs.services import LiveSettings, Services
from bbs.store import Store
from bbs.suggestions.service import SuggestionService
from bbs.texts.service import Texts


def event_bus(settings: Settings) -> EventBus:
    """The bus for everything live, chosen by configuration.

    Several nodes on one PostgreSQL ([cluster], or `bbs serve --workers`) share it through
    PostgreSQL once `Community.start_live()` has run; one process keeps it local.
    """
    cluster = _cluster(settings)
    if cluster is None:
        return LocalEventBus()
    from bbs.events_postgres import PostgresEventBus

    return PostgresEventBus(
        settings.database_url, reconnect_max=cluster.listen_reconnect_max_seconds
    )


def live_presence(
    settings: Settings, events: EventBus, clock: Clock
) -> tuple[Presence, LiveSessions]:
    """Who is in which room and who is connected: this process's memory on one node, every
    node's rows in PostgreSQL with [cluster] (bbs.presence_postgres)."""
    cluster = _cluster(settings)
    if cluster is None:
        return LocalPresence(clock), LocalSessions(clock)
    from bbs.presence_postgres import ClusterLive

    live = ClusterLive(settings.database_url, cluster, events, clock)
    return live.presence, live.sessions


def _cluster(settings: Settings) -> ClusterSettings | None:
    # [cluster] means nothing on SQLite, which one process serves.
    return None if settings.database_url.startswith("sqlite") else settings.cluster


def _throttles(settings: Settings, clock: Clock) -> tuple[RoomFlood, DoorThrottle]:
    """Room flood control and the door's throttles: shared through PostgreSQL by several
    nodes ([cluster]), else in this process's memory."""
    if _cluster(settings) is None:
        return FloodControl(clock), LocalDoorThrottle(settings.login, clock)
    from bbs.accounts.door_postgres import PostgresDoorThrottle
    from bbs.rooms.flood_postgres import PostgresFlood

    url = settings.database_url
    return PostgresFlood(url, clock), PostgresDoorThrottle(url, settings.login, clock)


def build_services(
    settings: Settings,
    database: Database | None = None,
    *,
    scorer: TextScorer | None = None,
) -> Services:
    """Every part of one BBS, each given its ports (nothing runs until `prepare`)."""
    live = LiveSettings(settings)
    clock = SystemClock()
    # Rate limits: in this process's memory, or shared with the other nodes.
    flood, throttle = _throttles(settings, clock)
    events = event_bus(settings)
    presence, sessions = live_presence(settings, events, clock)
    store = Store(database or Database(settings.database_url), events)
    moderation = ModerationGate(scorer, ModerationThresholds.from_mapping(settings.moderation))
    texts = Texts(store, live, moderation, events)
    singletons = Singletons(settings.database_url if _cluster(settings) is not None else None)
    # What every service that takes members' writing is built with.
    writing = WritingPorts(store=store, moderation=moderation, texts=texts)
    # Boards, threads, private messages and search.
    boards = BoardService(**writing)
    mail = MailService(rules=lambda: boards.rules, **writing)
    # Live rooms.
    rooms = RoomService(
        events=events,
        settings=live,
        singletons=singletons,
        clock=clock,
        presence=presence,
        flood=flood,
        **writing,
    )
    # Moderation work: review queue, sanctions, audit log, sysop settings.
    admin = AdminService(events=events, settings=live, **writing)
    # Goals, check-ins, partners and the companion.
    goals = GoalService(events=events, boards=boards, **writing)
    # Personal suggestions and peer matching (opt-in); the server injects the engine.
    suggestions = SuggestionService(store=store, singletons=singletons, goals=goals, mail=mail)
    hasher = Hasher(settings)
    # Privacy: what we store, export, keys and passwords, sessions, deleting an account.
    privacy = PrivacyService(
        store=store, settings=live, hasher=hasher, rooms=rooms, sessions=sessions
    )
    # The resource library: coping strategies, favourites, sysop edits.
    resources = ResourceService(store=store)
    guard = LoginGuard(settings.login, throttle=throttle)
    # Logging in, signing up, recovery, and a member's own settings.
    accounts = AccountService(store=store, hasher=hasher, guard=guard)
    return Services(
        settings=live,
        store=store,
        events=events,
        moderation=moderation,
        texts=texts,
        hasher=hasher,
        clock=clock,
        presence=presence,
        sessions=sessions,
        flood=flood,
        throttle=throttle,
        guard=guard,
        singletons=singletons,
        boards=boards,
        mail=mail,
        rooms=rooms,
        admin=admin,
        goals=goals,
        suggestions=suggestions,
        privacy=privacy,
        resources=resources,
        accounts=accounts,
        home=HomeService(store=store),
    )


def build_community(
    settings: Settings,
    database: Database | None = None,
    *,
    scorer: TextScorer | None = None,
) -> Community:
    """One BBS: its services wired together, behind the Community front door."""
    return Community(build_services(settings, database, scorer=scorer))
