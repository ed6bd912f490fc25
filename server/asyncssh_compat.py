"""Every use of asyncssh's private parts, in one place (as screens/textual_compat.py is
for Textual's).

asyncssh sends an empty SSH_MSG_IGNORE packet before every encrypted packet after the
key exchange (a countermeasure against attacks on CBC ciphers), each with a write and
so a `send` system call of its own: half of the ~26 sends of a session start, each
paying the kernel's TCP work. `apply_asyncssh_patches()` makes the ignore packet and
the packet it precedes leave in one write. The bytes on the wire are the same, in the
same order: same packets, same padding, same MACs and sequence numbers; only the
number of writes changes. tests/server/test_asyncssh_compat.py hashes the patched
originals' source, so an asyncssh upgrade that changes them fails loudly.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from asyncssh.connection import SSHConnection

__all__ = ["AsyncSSHChanged", "apply_asyncssh_patches", "patched_originals"]


class AsyncSSHChanged(RuntimeError):
    """asyncssh no longer has what a patch here relies on: check it against the new
    asyncssh (and tests/server/test_asyncssh_compat.py) before upgrading."""


_applied = False
_originals: dict[str, Callable[..., Any]] = {}


def patched_originals() -> dict[str, Callable[..., Any]]:
    """The asyncssh functions the patches replaced, by patch name."""
    return dict(_originals)


def _method(name: str, patch: str, parameters: tuple[str, ...]) -> Any:
    """`SSHConnection.name`, checked to take exactly `parameters`, or AsyncSSHChanged."""
    original = SSHConnection.__dict__.get(name)
    if original is None:
        raise AsyncSSHChanged(f"SSHConnection.{name} is gone: patch {patch!r} cannot be installed")
    found = tuple(inspect.signature(original).parameters)
    if found != parameters:
        raise AsyncSSHChanged(
            f"SSHConnection.{name} now takes {found}, not {parameters}: "
            f"patch {patch!r} cannot be installed"
        )
    _originals[patch] = original
    return original


def apply_asyncssh_patches() -> None:
    """Install the patches (once; later calls do nothing)."""
    global _applied
    if _applied:
        return
    _one_write_per_packet_and_its_ignore()
    _applied = True


def _one_write_per_packet_and_its_ignore() -> None:
    patch = "one_write_per_packet_and_its_ignore"
    send_packet = _method("send_packet", patch, ("self", "pkttype", "args", "handler"))
    send = _method("_send", patch + "_send", ("self", "data"))
    source = inspect.getsource(send_packet)
    if "self.send_packet(MSG_IGNORE" not in source or "self._send(packet + mac)" not in source:
        raise AsyncSSHChanged("SSHConnection.send_packet changed: patch " + repr(patch))

    def send_packet_in_one_write(
        self: SSHConnection, pkttype: int, *args: bytes, handler: Any = None
    ) -> None:
        if getattr(self, "_bbs_held", None) is not None:
            send_packet(self, pkttype, *args, handler=handler)  # the ignore packet, inside
            return
        held: list[bytes] = []
        self._bbs_held = held  # type: ignore[attr-defined]
        try:
            send_packet(self, pkttype, *args, handler=handler)
        finally:
            self._bbs_held = None  # type: ignore[attr-defined]
            if held:
                send(self, held[0] if len(held) == 1 else b"".join(held))

    def _send(self: SSHConnection, data: bytes) -> None:
        held: list[bytes] | None = getattr(self, "_bbs_held", None)
        if held is not None:
            held.append(data)
        else:
            send(self, data)

    SSHConnection.send_packet = send_packet_in_one_write  # type: ignore[method-assign]
    SSHConnection._send = _send  # type: ignore[method-assign]
