"""The privacy front door for screens and the SSH layer: what we store, export, keys,
passwords, the recovery code, live sessions, appearing offline and deleting an account.

Live sessions belong to the server; the core sees them only through the `LiveSessions`
port (`bbs.accounts.sessions`), handed in by the composition root, so nothing here imports
the SSH layer and a multi-node implementation can replace the in-process one later.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import struct
from typing import TYPE_CHECKING

from bbs.accounts import members as accounts
from bbs.accounts.members import AccountError, MemberView, PublicKeyInfo
from bbs.accounts.passwords import check_new_password, new_recovery_code, normalise_recovery_code
from bbs.accounts.sessions import LiveSessions, SessionInfo
from bbs.i18n import N_, said
from bbs.privacy import records as privacy
from bbs.privacy.records import DeleteChoice, DeletedAccount, KeyView, StoredCounts
from bbs.rooms import records as rooms

if TYPE_CHECKING:
    from collections.abc import Callable

    from bbs.accounts.hashing import Hasher
    from bbs.config import Settings
    from bbs.rooms.service import RoomService
    from bbs.store import Store

log = logging.getLogger(__name__)

# The key types OpenSSH and our SSH server both accept for logging in.
KEY_TYPES = frozenset(
    {
        "ssh-ed25519",
        "ssh-rsa",
        "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp384",
        "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com",
        "sk-ecdsa-sha2-nistp256@openssh.com",
    }
)
MAX_KEY_LINE = 16_000
ACCOUNT_DELETED_FAREWELL = N_(
    "Your account has been deleted. Thank you for being part of this community. "
    "Take good care of yourself."
)
SESSION_ENDED_FAREWELL = N_("You ended this session from another one. Goodbye for now.")
WRONG_PASSWORD = N_("That is not your current password. Nothing was changed.")


def parse_public_key(line: str) -> PublicKeyInfo:
    """An OpenSSH public key line ("ssh-ed25519 AAAA... comment"), checked and fingerprinted.

    The fingerprint is OpenSSH's: "SHA256:" and the unpadded base64 of the key blob's hash.
    """
    text = line.strip()
    if not text:
        raise AccountError(said("Paste a public key line: it starts with ssh-ed25519 or ssh-rsa."))
    if len(text) > MAX_KEY_LINE or "\n" in text or "PRIVATE KEY" in text:
        raise AccountError(
            said(
                "That is not a public key line. Paste the one line of your .pub "
                "file (never the private key)."
            )
        )
    parts = text.split(None, 2)
    if len(parts) < 2 or parts[0] not in KEY_TYPES:
        raise AccountError(
            said(
                "That does not look like a public key. It should start with "
                "ssh-ed25519, ssh-rsa or ecdsa-sha2-..., then a long code."
            )
        )
    algorithm, encoded = parts[0], parts[1]
    try:
        blob = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as error:
        raise AccountError(
            said("The long code in that key is damaged; copy the whole line again.")
        ) from error
    if len(blob) < 4:
        raise AccountError(said("The long code in that key is damaged; copy the whole line again."))
    (length,) = struct.unpack(">I", blob[:4])
    if blob[4 : 4 + length] != algorithm.encode():
        raise AccountError(
            said("The long code in that key does not match its type; copy the whole line again.")
        )
    digest = hashlib.sha256(blob).digest()
    fingerprint = "SHA256:" + base64.b64encode(digest).decode().rstrip("=")
    comment = parts[2] if len(parts) > 2 else ""
    openssh = f"{algorithm} {encoded}" + (f" {comment}" if comment else "")
    return PublicKeyInfo(algorithm, fingerprint, openssh)


class PrivacyService:
    """A member's control over their own data; safe to call from any session's screen."""

    def __init__(
        self,
        *,
        store: Store,
        settings: Callable[[], Settings],
        hasher: Hasher,
        rooms: RoomService,
        sessions: LiveSessions,
    ) -> None:
        self._store = store
        self._settings = settings
        self._hasher = hasher
        self._rooms = rooms
        # Who is connected now: the server counts sessions in and out of the same port.
        self._sessions = sessions

    # -- what we store and export -----------------------------------------------------
    async def counts(self, member_id: int) -> StoredCounts:
        return await self._store.read(lambda s: privacy.stored_counts(s, member_id))

    async def what_we_store(self, member_id: int) -> str:
        """The plain-language page, generated from the member's real data."""
        counts = await self.counts(member_id)
        settings = self._settings()
        return privacy.describe_storage(
            counts,
            chat_days=settings.room_retention_days,
            log_days=settings.log_retention_days,
            logs_to_file=bool(settings.log_file),
            shared_salt=settings.cluster is not None
            and not settings.database_url.startswith("sqlite"),
        )

    async def export_json(self, member_id: int) -> str:
        """Everything of the member's as one JSON document (format 1)."""
        return await self._store.read(lambda s: privacy.export_json(s, member_id))

    def export_command(self, member: MemberView) -> str:
        """The exact command that downloads the export with the member's usual login."""
        settings = self._settings()
        host = (
            settings.host
            if settings.host not in ("127.0.0.1", "::1", "0.0.0.0", "::", "")
            else "localhost"
        )
        return f"ssh -p {settings.port} {member.pseudonym}@{host} export > mine.json"

    # -- passwords and the recovery code ----------------------------------------------
    async def _check_password(self, member_id: int, password: str) -> None:
        credentials = await self._store.read(lambda s: accounts.get_credentials_by_id(s, member_id))
        stored = credentials.password_hash if credentials else None
        if not await self._hasher.run(self._hasher.passwords.verify, stored, password):
            raise AccountError(said(WRONG_PASSWORD))

    async def change_password(self, member_id: int, current: str, new: str, repeated: str) -> None:
        """A new password, with the current one required; raises PasswordError/AccountError."""
        check_new_password(new, repeated)
        await self._check_password(member_id, current)
        password_hash = await self._hasher.run(self._hasher.passwords.hash, new)
        await self._store.write(
            lambda s: accounts.set_password(s, member_id=member_id, password_hash=password_hash)
        )
        log.info("password changed", extra={"member_id": member_id})

    async def regenerate_recovery_code(self, member_id: int, current: str) -> str:
        """A fresh recovery code (returned once, to show once); the old one stops working."""
        await self._check_password(member_id, current)
        code = new_recovery_code()
        recovery_hash = await self._hasher.run(
            self._hasher.passwords.hash, normalise_recovery_code(code)
        )
        await self._store.write(
            lambda s: accounts.set_recovery(s, member_id=member_id, recovery_hash=recovery_hash)
        )
        log.info("recovery code replaced", extra={"member_id": member_id})
        return code

    # -- keys -------------------------------------------------------------------------
    async def keys(self, member_id: int) -> list[KeyView]:
        return await self._store.read(lambda s: privacy.list_keys(s, member_id))

    async def add_key(self, member_id: int, line: str) -> PublicKeyInfo:
        """Let a pasted OpenSSH public key log the member in."""
        key = parse_public_key(line)
        await self._store.write(lambda s: accounts.bind_key(s, member_id=member_id, key=key))
        return key

    async def remove_key(self, member_id: int, fingerprint: str) -> bool:
        """Stop a key logging the member in (their password still does)."""
        return await self._store.write(
            lambda s: accounts.remove_key(s, member_id=member_id, fingerprint=fingerprint)
        )

    # -- live sessions ----------------------------------------------------------------
    async def sessions(self, member_id: int) -> list[SessionInfo]:
        found = await self._sessions.sessions_of(member_id)
        return sorted(found, key=lambda s: s.started_at)

    async def end_session(self, member_id: int, session_id: str) -> bool:
        """End one of the member's own sessions (never anyone else's)."""
        return await self._sessions.end_session(member_id, session_id, SESSION_ENDED_FAREWELL)

    # -- appearing offline ------------------------------------------------------------
    async def appear_offline(self, member_id: int) -> bool:
        return await self._store.read(lambda s: rooms.appear_offline(s, member_id))

    async def set_appear_offline(self, member: MemberView, hidden: bool) -> None:
        """Leave the member out of "who is here" everywhere, or list them again."""
        await self._rooms.set_appear_offline(member, hidden)

    # -- deleting the account ---------------------------------------------------------
    async def delete_account(
        self, member: MemberView, confirm: str, choice: DeleteChoice
    ) -> DeletedAccount:
        """Delete the account (typing the pseudonym confirms), then end its sessions."""
        deleted = await self._store.write(
            lambda s: privacy.delete_account(s, member_id=member.id, confirm=confirm, choice=choice)
        )
        ended = await self._sessions.end_member_sessions(member.id, ACCOUNT_DELETED_FAREWELL)
        log.info(
            "account deleted by its member",
            extra={"member_id": member.id, "choice": choice.value, "sessions": ended},
        )
        return deleted
