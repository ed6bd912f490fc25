"""The composition root: the event bus the configuration chooses, and one store shared."""

from __future__ import annotations

from types import SimpleNamespace

from bbs.clock import SystemClock
from bbs.community import Community
from bbs.config import ClusterSettings, Settings, with_overrides
from bbs.events import LocalEventBus
from bbs.events_postgres import PostgresEventBus
from server.wiring import build_services, event_bus, live_presence

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/nowhere"


def test_one_process_keeps_live_events_local(settings: Settings) -> None:
    assert isinstance(event_bus(settings), LocalEventBus)
    # PostgreSQL without [cluster] is still one process.
    assert isinstance(event_bus(with_overrides(settings, database_url=POSTGRES)), LocalEventBus)


def test_a_cluster_shares_live_events_through_postgresql(settings: Settings) -> None:
    clustered = with_overrides(settings, database_url=POSTGRES, cluster=ClusterSettings())
    assert isinstance(event_bus(clustered), PostgresEventBus)


def test_a_cluster_shares_the_throttles_and_one_process_keeps_its_own(
    settings: Settings,
) -> None:
    from bbs.accounts.door_postgres import PostgresDoorThrottle
    from bbs.accounts.login_guard import LocalDoorThrottle
    from bbs.rooms.flood import FloodControl
    from bbs.rooms.flood_postgres import PostgresFlood

    alone = build_services(with_overrides(settings, database_url=POSTGRES))
    assert isinstance(alone.throttle, LocalDoorThrottle)
    assert isinstance(alone.flood, FloodControl)
    clustered = build_services(
        with_overrides(settings, database_url=POSTGRES, cluster=ClusterSettings())
    )
    assert isinstance(clustered.throttle, PostgresDoorThrottle)
    assert isinstance(clustered.flood, PostgresFlood)
    # The guard names sources with the shared throttle's salt.
    assert clustered.guard.source_key("10.0.0.1") == clustered.throttle.source_key("10.0.0.1")


def test_the_community_and_its_services_share_one_store_bus_and_settings(
    settings: Settings,
) -> None:
    services = build_services(settings)
    community = Community(services)
    try:
        assert community.store is services.store
        assert community.events is services.events
        assert community.database is services.store.database
        assert community.boards is services.boards
        assert community.suggestions is services.suggestions
        # A running server learns its port after it is built: every service sees it.
        community.settings = with_overrides(settings, port=2222)
        assert services.settings().port == 2222
        assert "-p 2222" in community.privacy.export_command(SimpleNamespace(pseudonym="Wren"))
    finally:
        community.close()


def test_a_cluster_shares_presence_and_live_sessions_one_process_keeps_them(
    settings: Settings,
) -> None:
    from bbs.accounts.sessions import LocalSessions
    from bbs.presence_postgres import PostgresPresence, PostgresSessions
    from bbs.rooms.presence import LocalPresence

    clock = SystemClock()
    presence, sessions = live_presence(settings, LocalEventBus(), clock)
    assert isinstance(presence, LocalPresence) and isinstance(sessions, LocalSessions)
    clustered = with_overrides(settings, database_url=POSTGRES, cluster=ClusterSettings())
    presence, sessions = live_presence(clustered, LocalEventBus(), clock)
    assert isinstance(presence, PostgresPresence) and isinstance(sessions, PostgresSessions)
    # One node's share of the tables behind both ports.
    assert presence.live is sessions.live
