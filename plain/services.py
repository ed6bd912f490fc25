"""The one place the line front end reaches the core: every service it uses, by name.

The rest of `plain/` asks a `Services` for what it needs and never touches
`bbs.community.Community` itself, so when the core's services are handed to front ends
directly instead of hanging off the community, only this file changes.
"""

from __future__ import annotations

from collections.abc import Callable

from bbs.accounts.members import MemberView, PublicKeyInfo
from bbs.accounts.pseudonyms import Pseudonym
from bbs.admin.service import AdminService
from bbs.boards.service import BoardService
from bbs.community import Community, SignUpResult
from bbs.events import Subscription
from bbs.goals.service import GoalService
from bbs.home import HomeSnapshot
from bbs.mail.service import MailService
from bbs.models import FrontEnd
from bbs.privacy.service import PrivacyService
from bbs.resources.service import ResourceService
from bbs.rooms.service import RoomService
from bbs.suggestions.service import SuggestionService


class Services:
    """The core's async services, as the line front end uses them."""

    def __init__(self, community: Community) -> None:
        self._community = community

    # -- the services -----------------------------------------------------------------
    @property
    def boards(self) -> BoardService:
        return self._community.boards

    @property
    def mail(self) -> MailService:
        return self._community.mail

    @property
    def rooms(self) -> RoomService:
        return self._community.rooms

    @property
    def goals(self) -> GoalService:
        return self._community.goals

    @property
    def admin(self) -> AdminService:
        return self._community.admin

    @property
    def privacy(self) -> PrivacyService:
        return self._community.privacy

    @property
    def suggestions(self) -> SuggestionService:
        return self._community.suggestions

    @property
    def resources(self) -> ResourceService:
        return self._community.resources

    def subscribe(
        self, topic: str, on_event: Callable[[], None], *, maxsize: int = 64
    ) -> Subscription:
        """Live events on a bus topic; `on_event` runs in the subscriber's own context."""
        return self._community.events.subscribe(topic, maxsize=maxsize, on_event=on_event)

    # -- the community's settings and texts -------------------------------------------
    @property
    def community_name(self) -> str:
        return self._community.settings.community_name

    @property
    def port(self) -> int:
        return self._community.settings.port

    @property
    def signup_seconds(self) -> float:
        return float(self._community.settings.login.signup_seconds)

    async def help_text(self, lang: str | None = None) -> str:
        """The help and crisis lines in `lang` (the default help when None)."""
        return await self._community.texts.help_text(lang)

    async def guidelines_text(self) -> str:
        return await self._community.texts.guidelines_text()

    def what_we_store_text(self) -> str:
        return self._community.texts.what_we_store_text()

    # -- accounts ---------------------------------------------------------------------
    async def check_pseudonym(self, raw: str) -> Pseudonym:
        return await self._community.check_pseudonym(raw)

    async def sign_up(
        self,
        pseudonym: str,
        password: str,
        repeated: str,
        *,
        key: PublicKeyInfo | None,
        source: str,
        language: str = "en",
    ) -> SignUpResult:
        return await self._community.sign_up(
            pseudonym, password, repeated, key=key, source=source, language=language
        )

    async def reset_password(
        self, pseudonym: str, code: str, password: str, repeated: str, *, source: str
    ) -> SignUpResult:
        return await self._community.reset_password(
            pseudonym, code, password, repeated, source=source
        )

    async def member(self, member_id: int) -> MemberView | None:
        return await self._community.member(member_id)

    async def home(self, member: MemberView) -> HomeSnapshot:
        return await self._community.home(member)

    async def set_language(self, member_id: int, language: str) -> MemberView:
        return await self._community.set_language(member_id, language)

    async def set_front_end(self, member_id: int, front_end: FrontEnd) -> MemberView:
        return await self._community.set_front_end(member_id, front_end)
