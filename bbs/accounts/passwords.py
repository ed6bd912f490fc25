"""Password and recovery-code hashing with argon2id; the same cost for known and unknown names."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from bbs.config import Argon2Cost
from bbs.i18n import said

MIN_PASSWORD_LENGTH = 10
# Longer input is cut before hashing: argon2 cost does not depend on it, but memory does.
MAX_PASSWORD_LENGTH = 1024

# Unambiguous characters only: no 0/O, 1/I/L, so a code copied by hand still works.
_RECOVERY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_RECOVERY_GROUPS = 5
_RECOVERY_GROUP_LENGTH = 5


class PasswordError(ValueError):
    """A password that cannot be used; the message says why, kindly."""


def check_new_password(password: str, repeated: str) -> None:
    """Raise PasswordError unless the two typings agree and are long enough."""
    if password != repeated:
        raise PasswordError(said("The two passwords are not the same. Please type them again."))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordError(
            said(
                "Please use at least {least} characters; a few ordinary words in a row work well.",
                least=MIN_PASSWORD_LENGTH,
            )
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PasswordError(
            said("Please keep the password under {most} characters.", most=MAX_PASSWORD_LENGTH)
        )


def new_recovery_code() -> str:
    """A one-time code (about 120 bits) shown once, like XXXXX-XXXXX-XXXXX-XXXXX-XXXXX."""
    groups = (
        "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_GROUP_LENGTH))
        for _ in range(_RECOVERY_GROUPS)
    )
    return "-".join(groups)


def normalise_recovery_code(code: str) -> str:
    """Accept the code in any case, with or without dashes and spaces."""
    return "".join(ch for ch in code.upper() if ch.isalnum())[:64]


class PasswordService:
    """Hashes and verifies secrets. Every call is CPU- and memory-heavy: run it off the loop."""

    def __init__(self, cost: Argon2Cost) -> None:
        self._hasher = PasswordHasher(
            time_cost=cost.time_cost,
            memory_cost=cost.memory_cost_kib,
            parallelism=cost.parallelism,
        )
        # Verifying against this costs the same as a real account: no timing oracle.
        self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(16))

    def hash(self, secret: str) -> str:
        return self._hasher.hash(secret[:MAX_PASSWORD_LENGTH])

    def verify(self, stored_hash: str | None, secret: str) -> bool:
        """True when the secret matches; an unknown account (None) pays the same cost."""
        try:
            matched = self._hasher.verify(
                stored_hash or self._dummy_hash, secret[:MAX_PASSWORD_LENGTH]
            )
            return matched and stored_hash is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
