"""What a Community is made of: the store, the event bus, the gate, the texts and the
services, each built once by the composition root (`server.wiring`) and handed in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bbs.accounts.hashing import Hasher
    from bbs.accounts.login_guard import DoorThrottle, LoginGuard
    from bbs.accounts.service import AccountService
    from bbs.accounts.sessions import LiveSessions
    from bbs.admin.service import AdminService
    from bbs.boards.service import BoardService
    from bbs.clock import Clock
    from bbs.cluster import Singletons
    from bbs.config import Settings
    from bbs.events import EventBus
    from bbs.goals.service import GoalService
    from bbs.home import HomeService
    from bbs.mail.service import MailService
    from bbs.moderation_queue.gate import ModerationGate
    from bbs.privacy.service import PrivacyService
    from bbs.resources.service import ResourceService
    from bbs.rooms.flood import RoomFlood
    from bbs.rooms.presence import Presence
    from bbs.rooms.service import RoomService
    from bbs.store import Store
    from bbs.suggestions.service import SuggestionService
    from bbs.texts.service import Texts


class LiveSettings:
    """The settings as they are now, which services read each time (a callable).

    The server replaces them once it knows the port it listens on (port 0 in tests and
    benchmarks), and tests change them on a running community.
    """

    def __init__(self, settings: Settings) -> None:
        self.current = settings

    def __call__(self) -> Settings:
        return self.current


@dataclass(frozen=True)
class Services:
    """Everything one BBS's sessions share, wired together once."""

    settings: LiveSettings
    store: Store
    # Live events: local to this process, or shared through PostgreSQL with [cluster].
    events: EventBus
    moderation: ModerationGate
    texts: Texts
    hasher: Hasher
    # The time: every port below and every service that reads it takes this one.
    clock: Clock
    # Who is in which room, who is connected, and how fast a member or a source may go:
    # ports kept in this process's memory; with [cluster], presence and live sessions are
    # every node's, through PostgreSQL (bbs.presence_postgres).
    presence: Presence
    sessions: LiveSessions
    flood: RoomFlood
    throttle: DoorThrottle
    guard: LoginGuard
    # Which single jobs (announcing sessions, refreshing suggestions) this node runs.
    singletons: Singletons
    boards: BoardService
    mail: MailService
    rooms: RoomService
    admin: AdminService
    goals: GoalService
    suggestions: SuggestionService
    privacy: PrivacyService
    resources: ResourceService
    accounts: AccountService
    home: HomeService
