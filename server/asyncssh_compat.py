"""Every use of asyncssh's private parts, in one place (as screens/textual_compat.py is
for Textual's).

asyncssh sends an empty SSH_MSG_IGNORE packet before every encrypted packet after the
key exchange (a countermeasure against attacks on CBC ciphers), each with a write and
so a `send` system call of its own: half of the ~26 sends of a session start, each
paying the kernel's TCP work. `apply_asyncssh_patches()` makes the ignore packet and
the packet it precedes leave in one write. The bytes on the wire are the same, in the
same order: same packets, same padding, same MACs and sequence numbers; only the
number of writes changes.

asyncssh's chacha20-poly1305@openssh.com (the cipher every OpenSSH client picks first)
builds three ChaCha20 streams a packet: the length, the Poly1305 key (block 0 of the
main key's stream) and the payload (block 1 onwards of the same stream). The patch takes
the key and the payload from one stream, so two a packet: the same keys, nonces, bytes
and tags (a received packet is still checked before its plaintext is returned), at under
half the cost (~39 -> ~17 us a packet, two packets a room line per reader).

With an AEAD cipher (chacha20-poly1305, AES-GCM) there is no CBC IV to protect, and
OpenSSH sends no such ignore packets; asyncssh still does. With those ciphers the empty
ignore packet asyncssh adds is left out: one packet a write instead of two, half the
encryption a room line costs per reader, 32 bytes less on the wire. CBC and CTR ciphers
(if a client picks one) keep it.

The server's answer to the client's key exchange is three packets (the reply with the
host key's signature, NEWKEYS, then EXT_INFO), sent one after the other in the same call,
each with a write of its own; they now leave in one write, the same bytes in the same
order (two sends fewer a session).

What the server sends while it handles one read from the client leaves in one write: an
OpenSSH client sends its pty, environment and shell requests together, and the two
replies (and anything else answered to that read) went out in a write each. A connection
closed while handling the read first writes what was held, as before the close.

The server sends its KEXINIT with its version line, in one write, as RFC 4253 (section
7.1) allows and OpenSSH's client does: not one round trip later, once the client's version
line has come. asyncssh's own call at that point then sends nothing; nothing in a KEXINIT
depends on the client's version.

asyncssh prepares every user name (and password) it receives with SASLprep (RFC 4013),
about 40 us a login: printable ASCII is left as it is by every step of SASLprep (no
mapping, no change under NFKC, nothing prohibited or bidirectional), so such a string is
returned at once; anything else goes through asyncssh's own.

Every packet sent or received is described for the packet log (its type's name, its size
in words) before the logger finds that packet logging (debug level 3) is off; the patch
asks first, and describes nothing when nothing would be logged.

tests/server/test_asyncssh_compat.py hashes the patched originals' source, so an
asyncssh upgrade that changes them fails loudly.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, cast

import asyncssh.auth
import asyncssh.connection
from asyncssh.connection import SSHConnection
from asyncssh.constants import MSG_IGNORE
from asyncssh.crypto.chacha import ChachaCipher
from asyncssh.encryption import ChachaEncryption, GCMEncryption
from asyncssh.kex_dh import _KexDHBase
from asyncssh.logging import SSHLogger
from asyncssh.packet import SSHPacketLogger
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.ciphers import Cipher
from cryptography.hazmat.primitives.ciphers.algorithms import ChaCha20
from cryptography.hazmat.primitives.poly1305 import Poly1305

__all__ = ["AsyncSSHChanged", "apply_asyncssh_patches", "patched_originals"]


class AsyncSSHChanged(RuntimeError):
    """asyncssh no longer has what a patch here relies on: check it against the new
    asyncssh (and tests/server/test_asyncssh_compat.py) before upgrading."""


_applied = False
# The one-write patch's send_packet, as installed (tests compare it with the next patch).
_one_write_send_packet: Callable[..., None] | None = None
_originals: dict[str, Callable[..., Any]] = {}


def patched_originals() -> dict[str, Callable[..., Any]]:
    """The asyncssh functions the patches replaced, by patch name."""
    return dict(_originals)


def _method(name: str, patch: str, parameters: tuple[str, ...], owner: type = SSHConnection) -> Any:
    """`owner.name`, checked to take exactly `parameters`, or AsyncSSHChanged."""
    where = f"{owner.__name__}.{name}"
    original = owner.__dict__.get(name)
    if original is None:
        raise AsyncSSHChanged(f"{where} is gone: patch {patch!r} cannot be installed")
    found = tuple(inspect.signature(original).parameters)
    if found != parameters:
        raise AsyncSSHChanged(
            f"{where} now takes {found}, not {parameters}: patch {patch!r} cannot be installed"
        )
    _originals[patch] = original
    return original


def apply_asyncssh_patches() -> None:
    """Install the patches (once; later calls do nothing)."""
    global _applied
    if _applied:
        return
    _one_write_per_packet_and_its_ignore()
    _no_ignore_packet_with_an_aead_cipher()
    _key_exchange_reply_in_one_write()
    _kexinit_with_the_version()
    _one_write_per_read()
    _printable_ascii_needs_no_saslprep()
    _one_chacha_stream_for_key_and_payload()
    _no_packet_log_lines_unless_logged()
    _applied = True


# asyncssh's own `_send` (one socket write), kept by the one-write patch.
_socket_send: Callable[[SSHConnection, bytes], None] | None = None


def _in_one_write(
    conn: SSHConnection, call: Callable[..., None], *args: Any, **kwargs: Any
) -> None:
    """`call(*args, **kwargs)`, with everything it makes `conn` write sent in one write at
    the end, even when it raises (what was written goes out before anything written about
    the failure). Inside another such call, it joins that one's write."""
    if getattr(conn, "_bbs_held", None) is not None:
        call(*args, **kwargs)
        return
    held: list[bytes] = []
    conn._bbs_held = held  # type: ignore[attr-defined]
    try:
        call(*args, **kwargs)
    finally:
        conn._bbs_held = None  # type: ignore[attr-defined]
        if held:
            assert _socket_send is not None
            _socket_send(conn, held[0] if len(held) == 1 else b"".join(held))


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
        # The ignore packet send_packet sends first joins this one's write.
        _in_one_write(self, send_packet, self, pkttype, *args, handler=handler)

    def _send(self: SSHConnection, data: bytes) -> None:
        held: list[bytes] | None = getattr(self, "_bbs_held", None)
        if held is not None:
            held.append(data)
        else:
            send(self, data)

    SSHConnection.send_packet = send_packet_in_one_write  # type: ignore[method-assign]
    global _one_write_send_packet, _socket_send
    _socket_send = send
    _one_write_send_packet = send_packet_in_one_write
    SSHConnection._send = _send  # type: ignore[method-assign]


def _key_exchange_reply_in_one_write() -> None:
    """The reply, NEWKEYS and EXT_INFO a server sends in `_perform_reply`, in one write
    (installed after, and relying on, the one-write patch: while `_bbs_held` is set, a
    packet's writes are appended to it)."""
    patch = "key_exchange_reply_in_one_write"
    perform_reply = _method("_perform_reply", patch, ("self", "key", "key_data"), _KexDHBase)
    source = inspect.getsource(perform_reply)
    if "self._send_reply(" not in source or "self._conn.send_newkeys(k, h)" not in source:
        raise AsyncSSHChanged("_KexDHBase._perform_reply changed: patch " + repr(patch))

    def _perform_reply(self: _KexDHBase, key: Any, key_data: bytes) -> None:
        # Sent even when the key exchange fails half way (see `_in_one_write`).
        _in_one_write(self._conn, perform_reply, self, key, key_data)

    _KexDHBase._perform_reply = _perform_reply  # type: ignore[method-assign]


def _kexinit_with_the_version() -> None:
    """A server's KEXINIT leaves with its version line, in one write (installed after, and
    relying on, the one-write patch)."""
    patch = "kexinit_with_the_version"
    send_version = _method("_send_version", patch, ("self",))
    recv_version = _method("_recv_version", patch + "_recv", ("self",))
    send_kexinit = _method("_send_kexinit", patch + "_send_kexinit", ("self",))
    if "self._send(version + b'\\r\\n')" not in inspect.getsource(send_version):
        raise AsyncSSHChanged("SSHConnection._send_version changed: patch " + repr(patch))
    if "self._send_kexinit()\n            self._kexinit_sent = True" not in inspect.getsource(
        recv_version
    ):
        raise AsyncSSHChanged("SSHConnection._recv_version changed: patch " + repr(patch))

    def version_then_kexinit(self: SSHConnection) -> None:
        send_version(self)
        send_kexinit(self)
        # The call `_recv_version` makes when the client's version line comes.
        self._bbs_kexinit_early = True  # type: ignore[attr-defined]

    def _send_version(self: SSHConnection) -> None:
        if not self.is_server() or getattr(self, "_bbs_held", None) is not None:
            send_version(self)
            return
        _in_one_write(self, version_then_kexinit, self)

    def _send_kexinit(self: SSHConnection) -> None:
        # Until the client's version line has come, nothing else can start a key
        # exchange: the next call is `_recv_version`'s, for the KEXINIT already sent.
        if getattr(self, "_bbs_kexinit_early", False):
            self._bbs_kexinit_early = False  # type: ignore[attr-defined]
            return
        send_kexinit(self)

    SSHConnection._send_version = _send_version  # type: ignore[method-assign]
    SSHConnection._send_kexinit = _send_kexinit  # type: ignore[method-assign]


def _one_write_per_read() -> None:
    """What is sent while one read is handled, in one write (installed after, and relying
    on, the one-write patch)."""
    patch = "one_write_per_read"
    recv_data = _method("_recv_data", patch, ("self",))
    force_close = _method("_force_close", patch + "_force_close", ("self", "exc"))
    if "while self._inpbuf and self._recv_handler():" not in inspect.getsource(recv_data):
        raise AsyncSSHChanged("SSHConnection._recv_data changed: patch " + repr(patch))
    if "self._transport = None" not in inspect.getsource(force_close):
        raise AsyncSSHChanged("SSHConnection._force_close changed: patch " + repr(patch))
    send = _originals["one_write_per_packet_and_its_ignore_send"]

    def _recv_data(self: SSHConnection) -> None:
        if self.is_server():
            _in_one_write(self, recv_data, self)
        else:
            recv_data(self)

    def _force_close(self: SSHConnection, exc: Exception | None) -> None:
        held: list[bytes] | None = getattr(self, "_bbs_held", None)
        if held:
            # What was written before the close (a disconnect's reason) leaves first.
            send(self, b"".join(held))
            held.clear()
        force_close(self, exc)

    SSHConnection._recv_data = _recv_data  # type: ignore[method-assign]
    SSHConnection._force_close = _force_close  # type: ignore[method-assign]


def _printable_ascii_needs_no_saslprep() -> None:
    patch = "printable_ascii_needs_no_saslprep"
    # Each module's own name for it (neither exports it).
    users = (vars(asyncssh.connection), vars(asyncssh.auth))
    found_saslprep = users[0].get("saslprep")
    if found_saslprep is None or users[1].get("saslprep") is not found_saslprep:
        raise AsyncSSHChanged("asyncssh.auth and asyncssh.connection use other saslpreps")
    saslprep = cast("Callable[[str], str]", found_saslprep)
    found = tuple(inspect.signature(saslprep).parameters)
    if found != ("s",):
        raise AsyncSSHChanged(f"saslprep now takes {found}: patch {patch!r}")
    _originals[patch] = saslprep

    def printable_ascii_saslprep(s: str) -> str:
        if s.isascii() and s.isprintable():
            return s  # what SASLprep makes of it
        return saslprep(s)

    for names in users:
        names["saslprep"] = printable_ascii_saslprep


# The packet asyncssh puts before each packet it encrypts (`String(b"")`: its length, 0).
_EMPTY_STRING = bytes(4)


def _no_ignore_packet_with_an_aead_cipher() -> None:
    """Leave out the empty ignore packet asyncssh puts before every packet, when the
    packet is sent with an AEAD cipher (installed after, and relying on, the one-write
    patch: `_bbs_held` is set only while a packet is being sent)."""
    patch = "no_ignore_packet_with_an_aead_cipher"
    original = _originals.get("one_write_per_packet_and_its_ignore")
    if original is None or "self.send_packet(MSG_IGNORE, String(b''))" not in inspect.getsource(
        original
    ):
        raise AsyncSSHChanged("SSHConnection.send_packet changed: patch " + repr(patch))
    send_packet = SSHConnection.send_packet

    def send_packet_without_ignore(
        self: SSHConnection, pkttype: int, *args: bytes, handler: Any = None
    ) -> None:
        if (
            pkttype == MSG_IGNORE
            and args == (_EMPTY_STRING,)
            and getattr(self, "_bbs_held", None) is not None
            and isinstance(self._send_encryption, (ChachaEncryption, GCMEncryption))
        ):
            return  # the CBC countermeasure, inside another packet's send
        send_packet(self, pkttype, *args, handler=handler)

    SSHConnection.send_packet = send_packet_without_ignore  # type: ignore[method-assign]


# The stream's counter starts at block 0 (the Poly1305 key's); the payload's starts at 1,
# 64 bytes on.
_COUNTER_0 = bytes(8)
_BLOCK = bytes(64)
_POLY1305_KEY = 32


def _one_chacha_stream_for_key_and_payload() -> None:
    patch = "one_chacha_stream_for_key_and_payload"
    encrypt = _method("encrypt_and_sign", patch, ("self", "header", "data", "nonce"), ChachaCipher)
    decrypt = _method(
        "verify_and_decrypt",
        patch + "_verify",
        ("self", "header", "data", "nonce", "tag"),
        ChachaCipher,
    )
    for what, source in (("encrypt_and_sign", encrypt), ("verify_and_decrypt", decrypt)):
        text = inspect.getsource(source)
        if "self._key" not in text or "nonce, 1)" not in text:
            raise AsyncSSHChanged(f"ChachaCipher.{what} changed: patch {patch!r}")
    if "_key" not in inspect.getsource(ChachaCipher.__init__):
        raise AsyncSSHChanged(f"ChachaCipher.__init__ changed: patch {patch!r}")

    def encrypt_and_sign(
        self: ChachaCipher, header: bytes, data: bytes, nonce: bytes
    ) -> tuple[bytes, bytes]:
        start = _COUNTER_0 + nonce
        length = Cipher(ChaCha20(self._adkey, start), None).encryptor().update(header)
        stream = Cipher(ChaCha20(self._key, start), None).encryptor().update(_BLOCK + data)
        packet = length + stream[len(_BLOCK) :]
        return packet, Poly1305.generate_tag(stream[:_POLY1305_KEY], packet)

    def verify_and_decrypt(
        self: ChachaCipher, header: bytes, data: bytes, nonce: bytes, tag: bytes
    ) -> bytes | None:
        stream = (
            Cipher(ChaCha20(self._key, _COUNTER_0 + nonce), None).encryptor().update(_BLOCK + data)
        )
        try:
            Poly1305.verify_tag(stream[:_POLY1305_KEY], header + data, tag)
        except InvalidSignature:
            return None  # nothing of an unverified packet leaves here
        return stream[len(_BLOCK) :]

    ChachaCipher.encrypt_and_sign = encrypt_and_sign  # type: ignore[method-assign]
    ChachaCipher.verify_and_decrypt = verify_and_decrypt  # type: ignore[method-assign]


def _no_packet_log_lines_unless_logged() -> None:
    patch = "no_packet_log_lines_unless_logged"
    original = SSHPacketLogger.__dict__.get("_log_packet")
    if original is None:
        raise AsyncSSHChanged(f"SSHPacketLogger._log_packet is gone: patch {patch!r}")
    found = tuple(inspect.signature(original).parameters)
    if found != ("self", "msg", "pkttype", "pktid", "packet", "note"):
        raise AsyncSSHChanged(f"SSHPacketLogger._log_packet now takes {found}: patch {patch!r}")
    gate = SSHLogger.__dict__.get("packet")
    if gate is None or "if self._debug_level >= 3:" not in inspect.getsource(gate):
        raise AsyncSSHChanged(f"SSHLogger.packet changed: patch {patch!r}")
    _originals[patch] = original
    _originals[patch + "_gate"] = gate

    def _log_packet(
        self: SSHPacketLogger, msg: str, pkttype: int, pktid: Any, packet: Any, note: str
    ) -> None:
        if self.logger._debug_level >= 3:
            original(self, msg, pkttype, pktid, packet, note)

    SSHPacketLogger._log_packet = _log_packet  # type: ignore[method-assign]
