"""server/asyncssh_compat.py: each patch checks its target, and does what it says."""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import os
import shutil
from importlib.metadata import version
from pathlib import Path
from typing import Any

import asyncssh
import pytest
from asyncssh.connection import SSHConnection
from asyncssh.crypto.chacha import ChachaCipher
from asyncssh.kex_dh import _KexDHBase
from asyncssh.logging import SSHLogger
from asyncssh.packet import SSHPacketLogger
from cryptography.hazmat.primitives.ciphers import Cipher

import server.asyncssh_compat as compat
from server.asyncssh_compat import AsyncSSHChanged, apply_asyncssh_patches, patched_originals

# sha256 of the source of each asyncssh function a patch replaces, as in asyncssh 2.24.1.
# A mismatch means asyncssh changed it: read the new source, check the patch still does
# what it says, then update the hash.
ORIGINALS = {
    "one_write_per_packet_and_its_ignore": "fb9da7bec6dd395a2f379f8a0f4dbfc5f194ff80e1ed8630d9a6dbf291359406",  # noqa: E501
    "one_write_per_packet_and_its_ignore_send": "c6698a37eb80f574e53595c650f493b6ef52576a411dabc1b2977ba2e3e7b5b3",  # noqa: E501
    "one_chacha_stream_for_key_and_payload": "f9b87e5614981c32190223455e784f7bed0f87d8a1461e9723df0c5719f26f47",  # noqa: E501
    "one_chacha_stream_for_key_and_payload_verify": "0ab7b7420976f2f68e01144c30453a0a6c1a11ce04d35f54d30ddb53e41c9e21",  # noqa: E501
    "key_exchange_reply_in_one_write": "cf86e9e34ac9a4da90b7d925ddf3ced843461c88a9639b041aa8db74e56619e1",  # noqa: E501
    "kexinit_with_the_version": "ef838b54b482aa55ac4d61095ebb456b411001c0b0e361224fdbe2c49773adea",
    "kexinit_with_the_version_recv": "05573b0ac8886bf3ee44d2fc23e3a72257c3b3a085115bfe2cf9584fdb681b84",  # noqa: E501
    "kexinit_with_the_version_send_kexinit": "275ddc818b59f44b24a3b9d0ccc8cdd1d283a449f75c5d36e5a57cb70d9d90e3",  # noqa: E501
    "one_write_per_read": "fc4e0735191bb0fdd7fa8f91761067015989bfa47246ac1843c9abaeef7d243f",
    "one_write_per_read_force_close": "264b4367525f4f864cf63d560aab5e027527a95d5225ede1dba01161010e07dc",  # noqa: E501
    "printable_ascii_needs_no_saslprep": "5eccc371a868121637cede307521735ae61fbfb0df43e0bfa484e1996cd3321b",  # noqa: E501
    "no_packet_log_lines_unless_logged": "f3263d7da93663f1a3825d53a0ef71122da1168957e28d0b84dc20a3bba0c45c",  # noqa: E501
    "no_packet_log_lines_unless_logged_gate": "a4baf6329fa97dcf3c7a915989c3d72dc08d01e7c4ae63182ebba6017cf45408",  # noqa: E501
}


# asyncssh's own send_packet and _send, taken before any test here runs an installer
# again (one whose second target is gone has recorded the patched first one by then).
apply_asyncssh_patches()
ASYNCSSH_SEND_PACKET = patched_originals()["one_write_per_packet_and_its_ignore"]
ASYNCSSH_SEND = patched_originals()["one_write_per_packet_and_its_ignore_send"]


def _sha256(function: Any) -> str:
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()


def test_the_compat_module_is_written_for_the_pinned_asyncssh() -> None:
    assert version("asyncssh") == "2.24.1"


def test_every_patched_original_is_the_source_the_patch_was_written_for() -> None:
    apply_asyncssh_patches()
    originals = patched_originals()
    assert set(originals) == set(ORIGINALS)
    changed = {
        name: _sha256(fn) for name, fn in originals.items() if _sha256(fn) != ORIGINALS[name]
    }
    assert not changed, f"asyncssh changed what these patches replace: {changed}"


@pytest.mark.parametrize("name", ["send_packet", "_send"])
def test_a_patch_whose_target_is_gone_refuses_to_install(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(SSHConnection, name)
    with pytest.raises(AsyncSSHChanged, match=name):
        compat._one_write_per_packet_and_its_ignore()


@pytest.mark.parametrize("name", ["encrypt_and_sign", "verify_and_decrypt"])
def test_a_cipher_patch_whose_target_is_gone_refuses_to_install(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(ChachaCipher, name)
    with pytest.raises(AsyncSSHChanged, match=name):
        compat._one_chacha_stream_for_key_and_payload()


@pytest.mark.parametrize(
    ("owner", "name"), [(SSHPacketLogger, "_log_packet"), (SSHLogger, "packet")]
)
def test_a_log_patch_whose_target_is_gone_refuses_to_install(
    owner: type, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(owner, name)
    with pytest.raises(AsyncSSHChanged, match=name):
        compat._no_packet_log_lines_unless_logged()


def test_a_patch_whose_target_takes_other_parameters_refuses_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(SSHConnection, "send_packet", lambda self, pkttype: None)
    with pytest.raises(AsyncSSHChanged, match="send_packet"):
        compat._one_write_per_packet_and_its_ignore()


async def _one_session(
    monkeypatch: pytest.MonkeyPatch,
    ciphers: tuple[str, ...] = (),
    sizes: list[int] | None = None,
    kex: str | None = None,
) -> tuple[bytes, int]:
    """A session that logs in and reads a few lines: what it read, and how many writes
    the server's socket took (their sizes in `sizes`); `ciphers` the client offers."""
    writes: list[int] = []
    transport_class: Any = asyncio.selector_events._SelectorSocketTransport  # type: ignore[attr-defined]
    write = transport_class.write
    ports: list[int] = []

    def counting(self: Any, data: Any) -> None:
        if ports and self.get_extra_info("sockname")[1] == ports[0]:
            writes.append(len(data))
        write(self, data)

    monkeypatch.setattr(transport_class, "write", counting)
    key = asyncssh.generate_private_key("ssh-ed25519")
    options: dict[str, Any] = {"encryption_algs": list(ciphers)} if ciphers else {}
    if kex is not None:
        options["kex_algs"] = [kex]

    class Server(asyncssh.SSHServer):
        def begin_auth(self, username: str) -> bool:
            return False  # no authentication: the session opens at once

    async def handler(process: asyncssh.SSHServerProcess[bytes]) -> None:
        for n in range(3):
            process.stdout.write(b"line %d\n" % n)
            await process.stdout.drain()
        process.exit(0)

    server = await asyncssh.listen(
        "127.0.0.1",
        0,
        server_host_keys=[key],
        server_factory=Server,
        process_factory=handler,
        encoding=None,
    )
    ports.append(server.get_port())
    try:
        async with asyncssh.connect(
            "127.0.0.1",
            ports[0],
            known_hosts=None,
            username="x",
            agent_path=None,
            client_keys=None,
            **options,
        ) as conn:
            result = await conn.run(encoding=None)
    finally:
        server.close()
        await server.wait_closed()
    assert isinstance(result.stdout, bytes)
    if sizes is not None:
        sizes.extend(writes)
    return result.stdout, len(writes)


async def test_an_encrypted_packet_leaves_with_its_ignore_packet_in_one_write(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    apply_asyncssh_patches()
    read, writes = await _one_session(monkeypatch)
    with monkeypatch.context() as unpatched:
        unpatched.setattr(SSHConnection, "send_packet", ASYNCSSH_SEND_PACKET)
        unpatched.setattr(SSHConnection, "_send", ASYNCSSH_SEND)
        read_before, writes_before = await _one_session(unpatched)
    assert read == read_before == b"line 0\nline 1\nline 2\n"
    # Every packet after the key exchange had an ignore packet written before it.
    assert writes_before >= 10 and writes_before - writes >= 6, (writes, writes_before)


@pytest.mark.parametrize(
    ("cipher", "aead"),
    [
        ("chacha20-poly1305@openssh.com", True),
        ("aes256-gcm@openssh.com", True),
        ("aes256-ctr", False),  # (the server offers no CBC cipher)
    ],
)
async def test_no_ignore_packet_goes_before_a_packet_sent_with_an_aead_cipher(
    monkeypatch: pytest.MonkeyPatch, cipher: str, aead: bool
) -> None:
    apply_asyncssh_patches()
    sizes: list[int] = []
    read, writes = await _one_session(monkeypatch, (cipher,), sizes)
    with monkeypatch.context() as with_ignore:
        # Only the one-write patch, as it was installed.
        with_ignore.setattr(SSHConnection, "send_packet", compat._one_write_send_packet)
        sizes_before: list[int] = []
        read_before, writes_before = await _one_session(with_ignore, (cipher,), sizes_before)
    assert read == read_before == b"line 0\nline 1\nline 2\n"
    assert writes == writes_before
    if aead:
        # An empty ignore packet is 16 bytes and a 16-byte tag: one fewer a write after
        # the key exchange.
        fewer = sum(sizes_before) - sum(sizes)
        assert fewer % 32 == 0 and fewer // 32 >= 6, (sizes, sizes_before)
    else:
        assert sizes == sizes_before


@pytest.mark.parametrize("kex", ["curve25519-sha256", "ecdh-sha2-nistp256"])
async def test_the_key_exchange_reply_newkeys_and_ext_info_leave_in_one_write(
    monkeypatch: pytest.MonkeyPatch, kex: str
) -> None:
    apply_asyncssh_patches()
    # Without the read-wide patch, which would hold these writes too.
    monkeypatch.setattr(SSHConnection, "_recv_data", patched_originals()["one_write_per_read"])
    sizes: list[int] = []
    read, writes = await _one_session(monkeypatch, sizes=sizes, kex=kex)
    with monkeypatch.context() as unpatched:
        original = patched_originals()["key_exchange_reply_in_one_write"]
        unpatched.setattr(_KexDHBase, "_perform_reply", original)
        sizes_before: list[int] = []
        read_before, writes_before = await _one_session(unpatched, sizes=sizes_before, kex=kex)
    assert read == read_before == b"line 0\nline 1\nline 2\n"
    assert writes_before - writes == 2, (sizes, sizes_before)
    # The same bytes: the three writes of the reply are one, of their summed size.
    assert sum(sizes) == sum(sizes_before)
    at = next(i for i, (a, b) in enumerate(zip(sizes, sizes_before, strict=False)) if a != b)
    assert sizes[at] == sum(sizes_before[at : at + 3])
    assert sizes[at + 1 :] == sizes_before[at + 3 :]


def test_a_key_exchange_patch_whose_target_changed_refuses_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_KexDHBase, "_perform_reply", lambda self, key, key_data: None)
    with pytest.raises(AsyncSSHChanged, match="_perform_reply"):
        compat._key_exchange_reply_in_one_write()


async def test_the_kexinit_leaves_with_the_version_line_in_one_write(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    apply_asyncssh_patches()
    sizes: list[int] = []
    read, writes = await _one_session(monkeypatch, sizes=sizes)
    with monkeypatch.context() as unpatched:
        originals = patched_originals()
        unpatched.setattr(SSHConnection, "_send_version", originals["kexinit_with_the_version"])
        unpatched.setattr(
            SSHConnection, "_send_kexinit", originals["kexinit_with_the_version_send_kexinit"]
        )
        sizes_before: list[int] = []
        read_before, writes_before = await _one_session(unpatched, sizes=sizes_before)
    assert read == read_before == b"line 0\nline 1\nline 2\n"
    assert writes_before - writes == 1, (sizes, sizes_before)
    # The version line and the KEXINIT, then the same writes as before.
    assert sizes[0] == sizes_before[0] + sizes_before[1]
    assert sizes[1:] == sizes_before[2:]


async def test_a_client_still_sends_its_own_kexinit_first_and_rekeys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The client's side is untouched (it sends its KEXINIT when the server's version line
    comes), and a later key exchange still sends a KEXINIT from each side."""
    from asyncssh.constants import MSG_KEXINIT

    apply_asyncssh_patches()
    sent: list[bool] = []
    send_packet = SSHConnection.send_packet

    def counting(self: SSHConnection, pkttype: int, *args: bytes, handler: Any = None) -> None:
        if pkttype == MSG_KEXINIT:
            sent.append(self.is_server())
        send_packet(self, pkttype, *args, handler=handler)

    monkeypatch.setattr(SSHConnection, "send_packet", counting)
    key = asyncssh.generate_private_key("ssh-ed25519")

    class Server(asyncssh.SSHServer):
        def begin_auth(self, username: str) -> bool:
            return False

    async def handler(process: asyncssh.SSHServerProcess[bytes]) -> None:
        process.stdout.write(bytes(4096))  # past the server's rekey limit
        await process.stdout.drain()
        process.exit(0)

    server = await asyncssh.listen(
        "127.0.0.1",
        0,
        server_host_keys=[key],
        server_factory=Server,
        process_factory=handler,
        encoding=None,
        rekey_bytes=1024,
    )
    try:
        async with asyncssh.connect(
            "127.0.0.1",
            server.get_port(),
            known_hosts=None,
            username="x",
            agent_path=None,
            client_keys=None,
        ) as conn:
            for _ in range(2):
                assert (await conn.run(encoding=None)).stdout == bytes(4096)
    finally:
        server.close()
        await server.wait_closed()
    # One KEXINIT from each side a key exchange: the first, then the server's rekeys.
    assert sent[0] is True, sent  # the server's, with its version line
    assert sent.count(True) == sent.count(False) >= 2, sent


async def _openssh_session(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sizes: list[int]
) -> bytes:
    """OpenSSH's client with a pty (it sends its pty and shell requests together) against
    a server that writes one line: what it read; the server's write sizes in `sizes`."""
    transport_class: Any = asyncio.selector_events._SelectorSocketTransport  # type: ignore[attr-defined]
    write = transport_class.write
    ports: list[int] = []

    def counting(self: Any, data: Any) -> None:
        if ports and self.get_extra_info("sockname")[1] == ports[0]:
            sizes.append(len(data))
        write(self, data)

    monkeypatch.setattr(transport_class, "write", counting)
    host_key = asyncssh.generate_private_key("ssh-ed25519")

    class Server(asyncssh.SSHServer):
        def begin_auth(self, username: str) -> bool:
            return False

    async def handler(process: asyncssh.SSHServerProcess[bytes]) -> None:
        process.stdout.write(b"hello from the server\r\n")
        await process.stdout.drain()
        process.exit(0)

    server = await asyncssh.listen(
        "127.0.0.1",
        0,
        server_host_keys=[host_key],
        server_factory=Server,
        process_factory=handler,
        encoding=None,
    )
    ports.append(server.get_port())
    try:
        client = await asyncio.create_subprocess_exec(
            "ssh",
            "-tt",
            "-F",
            "/dev/null",
            "-p",
            str(ports[0]),
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            f"UserKnownHostsFile={tmp_path / 'known_hosts'}",
            "-o",
            "BatchMode=yes",
            "x@127.0.0.1",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        out, _ = await asyncio.wait_for(client.communicate(), 20)
    finally:
        server.close()
        await server.wait_closed()
    return out


@pytest.mark.skipif(shutil.which("ssh") is None, reason="needs OpenSSH's ssh")
async def test_the_replies_to_one_read_leave_in_one_write(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    apply_asyncssh_patches()
    sizes: list[int] = []
    read = await _openssh_session(monkeypatch, tmp_path, sizes)
    with monkeypatch.context() as unpatched:
        originals = patched_originals()
        unpatched.setattr(SSHConnection, "_recv_data", originals["one_write_per_read"])
        unpatched.setattr(
            SSHConnection, "_force_close", originals["one_write_per_read_force_close"]
        )
        sizes_before: list[int] = []
        read_before = await _openssh_session(unpatched, tmp_path, sizes_before)
    assert b"hello from the server" in read and b"hello from the server" in read_before
    # The replies to the pty and shell requests (one read): one write, not two.
    assert len(sizes_before) - len(sizes) >= 1, (sizes, sizes_before)
    assert sum(sizes) == sum(sizes_before), (sizes, sizes_before)


async def test_a_disconnect_while_a_read_is_handled_still_says_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The server's disconnect (its reason) leaves before the connection closes, though it
    was sent while a read (the pty request) was being handled."""
    apply_asyncssh_patches()
    key = asyncssh.generate_private_key("ssh-ed25519")
    said: list[str] = []

    class Session(asyncssh.SSHServerSession[bytes]):
        def connection_made(self, chan: Any) -> None:
            self._chan = chan

        def pty_requested(self, *args: Any) -> bool:
            self._chan.get_extra_info("connection").disconnect(
                asyncssh.DISC_TOO_MANY_CONNECTIONS, "go away"
            )
            return True

    class Server(asyncssh.SSHServer):
        def begin_auth(self, username: str) -> bool:
            return False

        def session_requested(self) -> Session:
            return Session()

    class Client(asyncssh.SSHClient):
        def connection_lost(self, exc: Exception | None) -> None:
            said.append(str(exc))

    server = await asyncssh.listen(
        "127.0.0.1", 0, server_host_keys=[key], server_factory=Server, encoding=None
    )
    try:
        conn, _ = await asyncssh.create_connection(
            Client,
            "127.0.0.1",
            server.get_port(),
            known_hosts=None,
            username="x",
            agent_path=None,
            client_keys=None,
        )
        with pytest.raises((asyncssh.Error, OSError)):
            await conn.create_process(term_type="xterm", encoding=None)
        await conn.wait_closed()
    finally:
        server.close()
        await server.wait_closed()
    assert said == ["go away (error 12)"]  # not "Connection lost"


def test_saslprep_of_printable_ascii_is_asyncssh_s_own() -> None:
    import asyncssh.auth
    import asyncssh.connection
    from asyncssh.saslprep import SASLPrepError

    apply_asyncssh_patches()
    ours = vars(asyncssh.connection)["saslprep"]
    assert vars(asyncssh.auth)["saslprep"] is ours
    original = patched_originals()["printable_ascii_needs_no_saslprep"]
    samples = [chr(c) for c in range(128)] + [
        "bench",
        "new",
        "a b",
        "Ada_Lovelace-1",
        "tab\there",
        "del\x7f",
        "\u00e9l\u00e8ve",
        "\uff21",  # NFKC makes it A
        "a\u00adb",  # mapped to nothing
        "a\u00a0b",  # mapped to a space
        "\u0627\u0644",  # right to left
        "",
    ]
    for sample in samples:
        try:
            expected: str | type[Exception] = original(sample)
        except SASLPrepError:
            expected = SASLPrepError
        try:
            got: str | type[Exception] = ours(sample)
        except SASLPrepError:
            got = SASLPrepError
        assert got == expected, repr(sample)


def _packets() -> list[tuple[bytes, bytes, bytes]]:
    """(length header, payload, nonce) as asyncssh encrypts them: payloads a multiple of
    the block size less the header, the nonce the sequence number."""
    return [
        (os.urandom(4), os.urandom(size), seq.to_bytes(8, "big"))
        for size, seq in ((12, 0), (28, 1), (140, 7), (1020, 2**32 - 1), (32764, 2**32 + 5))
    ]


def test_chacha_packets_are_the_bytes_and_tags_asyncssh_makes() -> None:
    apply_asyncssh_patches()
    originals = patched_originals()
    encrypt = originals["one_chacha_stream_for_key_and_payload"]
    decrypt = originals["one_chacha_stream_for_key_and_payload_verify"]
    cipher = ChachaCipher(os.urandom(64))
    for header, data, nonce in _packets():
        packet, tag = cipher.encrypt_and_sign(header, data, nonce)
        assert (packet, tag) == encrypt(cipher, header, data, nonce)
        sealed = packet[4:]
        assert cipher.verify_and_decrypt(packet[:4], sealed, nonce, tag) == data
        assert decrypt(cipher, packet[:4], sealed, nonce, tag) == data
        # A packet altered anywhere, or checked under another sequence number, is refused.
        bad = bytes([tag[0] ^ 1]) + tag[1:]
        assert cipher.verify_and_decrypt(packet[:4], sealed, nonce, bad) is None
        flipped = bytes([sealed[0] ^ 0x80]) + sealed[1:]
        assert cipher.verify_and_decrypt(packet[:4], flipped, nonce, tag) is None
        assert cipher.verify_and_decrypt(bytes(4), sealed, nonce, tag) is None
        other = (int.from_bytes(nonce, "big") + 1).to_bytes(8, "big")
        assert cipher.verify_and_decrypt(packet[:4], sealed, other, tag) is None


def test_a_chacha_packet_takes_two_streams_not_three(monkeypatch: pytest.MonkeyPatch) -> None:
    apply_asyncssh_patches()
    streams: list[int] = []
    encryptor = Cipher.encryptor

    def counting(self: Any) -> Any:
        streams.append(1)
        return encryptor(self)

    monkeypatch.setattr(Cipher, "encryptor", counting)
    cipher = ChachaCipher(os.urandom(64))
    header, data, nonce = _packets()[2]
    packet, tag = cipher.encrypt_and_sign(header, data, nonce)
    assert len(streams) == 2
    streams.clear()
    assert cipher.verify_and_decrypt(packet[:4], packet[4:], nonce, tag) == data
    assert len(streams) == 1


async def test_packets_are_described_only_when_packet_logging_is_on(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import asyncssh.packet

    apply_asyncssh_patches()
    described: list[int] = []
    plural = asyncssh.packet.plural

    def counting(length: int, label: str, suffix: str = "s") -> str:
        described.append(length)
        return plural(length, label, suffix)

    monkeypatch.setattr(asyncssh.packet, "plural", counting)
    read, _ = await _one_session(monkeypatch)
    assert read == b"line 0\nline 1\nline 2\n"
    assert described == []
    # With packet logging on, every packet is logged as before.
    asyncssh.set_debug_level(3)
    try:
        with caplog.at_level("DEBUG", logger="asyncssh"):
            await _one_session(monkeypatch)
    finally:
        asyncssh.set_debug_level(1)
    assert described
    assert any("Sent MSG_CHANNEL_DATA" in record.getMessage() for record in caplog.records)
