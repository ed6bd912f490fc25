"""The async front door of the admin core, for the admin screens, the SSH door and the CLI."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar, Unpack

from sqlmodel import Session

from bbs import sysop_settings
from bbs.accounts import members as accounts
from bbs.admin import review as admin
from bbs.admin.review import AuditFilter, AuditView, Decision, MemberRecord, QueueItem
from bbs.boards import records as boards
from bbs.boards.records import BoardView
from bbs.i18n import N_, Said, said
from bbs.moderated import ModeratedService, WritingPorts
from bbs.moderation_queue import sanctions
from bbs.moderation_queue.audit import AdminError, audit_action, require_staff
from bbs.moderation_queue.flags import STAFF_TOPIC, StaffAlert
from bbs.moderation_queue.sanctions import (
    AccessChanged,
    NoticeArrived,
    NoticeView,
    member_topic,
)
from bbs.rooms import records as rooms
from bbs.rooms.records import RoomView
from bbs.store import writes
from bbs.sysop_settings import ANNOUNCE_TOPIC, BANNER_KEY, AnnouncementChanged
from bbs.text_safety import clean_text
from bbs.texts import records as shared_texts

if TYPE_CHECKING:
    from bbs.accounts.members import MemberView
    from bbs.admin.dashboard import DashboardStats
    from bbs.config import Settings
    from bbs.events import EventBus

T = TypeVar("T")

ON_CALL_KEY = "on_call_note"

# What a change of place says once done: as it is, and when it also set the language.
_PLACE_DONE: dict[str, tuple[str, str]] = {
    "add_board": (N_("board {board} added"), N_("board {board} added, language {language}")),
    "rename_board": (
        N_("board {board} renamed {name}"),
        N_("board {board} renamed {name}, language {language}"),
    ),
    "add_room": (N_("room {room} added"), N_("room {room} added, language {language}")),
    "room_topic": (N_("room {room} topic set"), N_("room {room} topic set, language {language}")),
}


@dataclass(frozen=True)
class ModelStatus:
    """The moderation model as the sysop's model panel shows it."""

    current: str
    versions: tuple[str, ...]
    # Lines such as "harassment ROC-AUC 0.97 recall 0.91", from the version's manifest.
    evaluation: tuple[str, ...]
    examples_used: int
    decisions_total: int = 0

    @property
    def decisions_since(self) -> int:
        """Sysop decisions gathered since the model in use was trained."""
        return max(0, self.decisions_total - self.examples_used)


class ModelOperations(Protocol):
    """What the model panel needs, provided by the server (the core never imports sklearn)."""

    async def status(self) -> ModelStatus: ...

    async def retrain(self, on_line: Callable[[str], None]) -> bool: ...

    async def rollback(self) -> str: ...


class AdminService(ModeratedService):
    """Queue, actions, appeals, audit, lookups and sysop settings, off the event loop."""

    def __init__(
        self,
        *,
        events: EventBus,
        settings: Callable[[], Settings],
        **ports: Unpack[WritingPorts],
    ) -> None:
        super().__init__(**ports)
        self._events = events
        self._settings = settings
        # Set by the server when the moderation model is loaded; None in a bare core.
        self.model_ops: ModelOperations | None = None

    # -- the SSH door -----------------------------------------------------------------
    async def is_banned(self, member_id: int) -> bool:
        return await self._store.read(lambda s: sanctions.is_banned(s, member_id))

    async def login_status(self, member_id: int) -> tuple[bool, str | None]:
        """At login, in one query: is the member banned, and if suspended, the line to show."""
        return await self._store.read(lambda s: sanctions.login_status(s, member_id))

    async def key_login(
        self, pseudonym: str, fingerprint: str
    ) -> tuple[MemberView, bool, str | None] | None:
        """At the SSH door, in one read: the member this key is bound to (None if none)
        with their `login_status`."""

        def door(session: Session) -> tuple[MemberView, bool, str | None] | None:
            member = accounts.member_for_key(session, pseudonym, fingerprint)
            if member is None:
                return None
            return (member, *sanctions.login_status(session, member.id))

        return await self._store.read(door)

    async def login_block(self, member_id: int) -> str | None:
        """One line for a suspended (or banned) member at login, else None."""
        return await self._store.read(lambda s: sanctions.login_block(s, member_id))

    # -- the queue ----------------------------------------------------------------------
    async def queue(self, actor_id: int, *, limit: int = 50) -> list[QueueItem]:
        return await self._store.read(
            lambda s: admin.review_queue(s, actor_id=actor_id, limit=limit)
        )

    async def terms_behind(self, text: str) -> str:
        """The model's strongest terms for a text, in one line for the reviewer."""
        verdict = await self._moderation.check(text, explain=True)
        parts = [
            f"{label}: " + ", ".join(term for term, _w in terms[:4])
            for label, terms in verdict.why.items()
            if terms
        ]
        return "; ".join(parts)

    async def reason_categories(self) -> list[str]:
        return await self._store.read(admin.reason_categories)

    # A sanction announces itself (bbs.moderation_queue.sanctions.AccessChanged) as it commits.
    decide = writes(admin.decide)
    sanction = writes(admin.sanction_member)
    lift = writes(admin.lift)

    async def crisis_waiting(self) -> int:
        return await self._store.read(admin.open_crisis_alerts)

    def alert_staff(self, about: str, text: str) -> int:
        """Tell moderators online; returns how many sessions heard it (0: it waits)."""
        return self._events.publish(STAFF_TOPIC, StaffAlert(about, text))

    # -- members' side ------------------------------------------------------------------
    async def notices(self, member_id: int) -> list[NoticeView]:
        return await self._store.read(lambda s: sanctions.unseen_notices(s, member_id))

    async def mark_seen(self, member_id: int, notice_ids: list[int]) -> None:
        await self._store.write(lambda s: sanctions.mark_notices_seen(s, member_id, notice_ids))

    async def appeal(self, member_id: int, audit_id: int, message: str) -> admin.AppealSent:
        return await self._store.write(
            lambda s: admin.appeal(s, member_id=member_id, audit_id=audit_id, message=message)
        )

    async def public_log(self) -> list[AuditView]:
        return await self._store.read(admin.public_log)

    # -- audit and lookup ---------------------------------------------------------------
    async def audit(self, actor_id: int, filters: AuditFilter | None = None) -> list[AuditView]:
        return await self._store.read(
            lambda s: admin.audit_log(s, actor_id=actor_id, filters=filters)
        )

    async def member_record(self, actor_id: int, pseudonym: str) -> MemberRecord:
        return await self._store.read(
            lambda s: admin.member_record(s, actor_id=actor_id, pseudonym=pseudonym)
        )

    async def add_note(self, actor_id: int, pseudonym: str, text: str) -> None:
        await self._store.write(
            lambda s: admin.add_note(s, actor_id=actor_id, pseudonym=pseudonym, text=text)
        )

    # -- sysop settings -----------------------------------------------------------------
    async def setting(self, key: str) -> str:
        return await self._store.read(lambda s: sysop_settings.get_setting(s, key))

    async def set_setting(self, actor_id: int, key: str, value: str) -> None:
        def change(s: Session) -> None:
            actor = require_staff(s, actor_id, sysop=True)
            sysop_settings.put_setting(s, key, value)
            audit_action(
                s, actor=actor, action=Decision.SETTING.value, reason=key, detail=value[:120]
            )

        # A new banner announces itself (sysop_settings.AnnouncementChanged) as it commits.
        await self._store.write(change)

    async def on_call_note(self) -> str:
        return await self.setting(ON_CALL_KEY)

    async def dashboard(self, actor_id: int) -> DashboardStats:
        from bbs.admin.dashboard import dashboard

        return await self._store.read(lambda s: dashboard(s, actor_id=actor_id))

    # -- the model panel ----------------------------------------------------------------
    def _ops(self) -> ModelOperations:
        if self.model_ops is None:
            raise AdminError(said("The model panel is not available in this process."))
        return self.model_ops

    async def _require_sysop(self, actor_id: int) -> None:
        await self._store.read(lambda s: require_staff(s, actor_id, sysop=True))

    async def _audit_sysop(self, actor_id: int, action: str, reason: str, detail: str) -> None:
        """Write the audit entry of a sysop's step taken outside the database."""
        await self._store.write(
            lambda s: audit_action(
                s,
                actor=require_staff(s, actor_id, sysop=True),
                action=action,
                reason=reason,
                detail=detail,
            )
        )

    async def model_status(self, actor_id: int) -> ModelStatus:
        await self._require_sysop(actor_id)
        status = await self._ops().status()
        total = await self._store.read(admin.decisions_recorded)
        return dataclasses.replace(status, decisions_total=total)

    async def retrain_model(self, actor_id: int, on_line: Callable[[str], None]) -> bool:
        """Retrain from the seed set and sysop decisions; True if the new model was kept."""
        await self._require_sysop(actor_id)
        kept = await self._ops().retrain(on_line)
        await self._audit_sysop(
            actor_id,
            "retrain",
            "model panel",
            "kept the new model" if kept else "kept the old model",
        )
        return kept

    async def rollback_model(self, actor_id: int) -> str:
        await self._require_sysop(actor_id)
        now_current = await self._ops().rollback()
        await self._audit_sysop(actor_id, "rollback", "model panel", f"model now {now_current}")
        return now_current

    async def set_help_text(
        self, actor_id: int, text: str, *, lang: str = "en", country: str = ""
    ) -> None:
        """Replace the help and crisis lines text members see behind F1 (in one language,
        and for one country where given), on every node."""
        cleaned = clean_text(text).strip()
        if not cleaned:
            raise AdminError(said("The help text cannot be empty: it holds the crisis lines."))

        def write(s: Session) -> None:
            actor = require_staff(s, actor_id, sysop=True)
            try:
                shared_texts.put_text(s, shared_texts.HELP, lang, cleaned + "\n", country)
            except ValueError as error:
                raise AdminError(error.args[0] if error.args else str(error)) from None
            where = f"help text {lang}" + (f" {country.upper()}" if country else "")
            audit_action(
                s, actor=actor, action=Decision.SETTING.value, reason=where, detail=cleaned[:120]
            )

        await self._store.write(write)
        self._texts.forget()
        await self._texts.help_text()  # the moderation gate trusts the new lines

    # -- boards and rooms ---------------------------------------------------------------
    async def places(self, actor_id: int) -> tuple[list[BoardView], list[RoomView]]:
        """Every board and room, archived and closed ones too, for sysops."""

        def read(s: Session) -> tuple[list[BoardView], list[RoomView]]:
            require_staff(s, actor_id, sysop=True)
            return (
                boards.all_boards(s),
                rooms.list_rooms(s, member_id=None, staff=True, include_closed=True),
            )

        return await self._store.read(read)

    async def change_place(
        self,
        actor_id: int,
        change: str,
        *,
        board: str = "",
        room_id: int = 0,
        value: str = "",
        language: str | None = None,
    ) -> str:
        """Add, rename, archive or mark a board with a language; add a room, set its topic
        or language, close or reopen it.

        `language` (one of bbs.i18n.LANGUAGES, or '' / '-' / 'any' for any) goes with
        "add_board", "rename_board", "add_room" and "room_topic" where given; the changes
        "board_language" and "room_language" take the code as `value`. Raises AdminError,
        PostError or RoomError (all ValueErrors) with a message to show.
        """

        def write(s: Session) -> str:
            actor = require_staff(s, actor_id, sysop=True)

            def code(lang: str) -> str:
                return lang or said("any")

            def done_with(set_to: str, **names: object) -> Said:
                """What `change` says once done, naming the language when it set one."""
                plain, with_language = _PLACE_DONE[change]
                if language is None:
                    return said(plain, **names)
                return said(with_language, language=code(set_to), **names)

            done: str
            if change == "add_board":
                added = boards.add_board(s, value, language=language or "")
                done = done_with(added.language, board=added.name)
            elif change == "rename_board":
                renamed = boards.rename_board(s, board, value, language)
                done = done_with(renamed.language, board=board, name=renamed.name)
            elif change == "board_language":
                marked_board = boards.set_board_language(s, board, value)
                done = said(
                    "board {board} language {language}",
                    board=board,
                    language=code(marked_board.language),
                )
            elif change == "archive_board":
                view = next(b for b in boards.all_boards(s) if b.name == board)
                after = boards.archive_board(s, board, not view.archived)
                done = (
                    said("board {board} archived", board=board)
                    if after.archived
                    else said("board {board} reopened", board=board)
                )
            elif change == "add_room":
                room = rooms.create_room(s, name=value, language=language or "")
                done = done_with(room.language, room=room.name)
            elif change == "room_topic":
                room = rooms.update_room(s, room_id, topic=value, language=language)
                done = done_with(room.language, room=room.name)
            elif change == "room_language":
                room = rooms.update_room(s, room_id, language=value)
                done = said(
                    "room {room} language {language}", room=room.name, language=code(room.language)
                )
            elif change == "close_room":
                current = rooms.get_room(s, room_id)
                if current is None:
                    raise AdminError(said("That room no longer exists."))
                room = rooms.update_room(s, room_id, closed=not current.closed)
                done = (
                    said("room {room} closed", room=room.name)
                    if room.closed
                    else said("room {room} reopened", room=room.name)
                )
            else:
                raise AdminError(said("Unknown change {change}.", change=repr(change)))
            audit_action(
                s, actor=actor, action=Decision.SETTING.value, reason=change, detail=str(done)
            )
            return done

        # People inside the room hear of a new topic or the closing once this commits
        # (records.update_room announces it); every node's board and room lists hear of a
        # new language (bbs.places.PLACES_TOPIC).
        return await self._store.write(write)

    # -- guidelines ---------------------------------------------------------------------
    async def needs_agreement(self, member_id: int) -> bool:
        return await self._store.read(lambda s: admin.needs_agreement(s, member_id))

    async def agree(self, member_id: int) -> None:
        await self._store.write(lambda s: admin.agree_to_guidelines(s, member_id))

    async def publish_guidelines(self, actor_id: int, text: str, *, lang: str = "en") -> int:
        """Replace the guidelines text (on every node) and start a new version everyone
        agrees to again."""
        cleaned = clean_text(text).strip()
        if not cleaned:
            raise AdminError(said("The guidelines cannot be empty."))

        def write(s: Session) -> int:
            require_staff(s, actor_id, sysop=True)
            try:
                shared_texts.put_text(s, shared_texts.GUIDELINES, lang, cleaned + "\n")
            except ValueError as error:
                raise AdminError(error.args[0] if error.args else str(error)) from None
            return admin.publish_guidelines_version(s, actor_id=actor_id)

        version = await self._store.write(write)
        self._texts.forget()
        return version


__all__ = [
    "ANNOUNCE_TOPIC",
    "BANNER_KEY",
    "AccessChanged",
    "AdminService",
    "AnnouncementChanged",
    "ModelOperations",
    "ModelStatus",
    "NoticeArrived",
    "StaffAlert",
    "member_topic",
]
