"""PROXY protocol v2 end to end: a small HAProxy-like relay in front of `bbs serve`.

The relay does what `server bbs 127.0.0.1:2222 send-proxy-v2` does: for each client it
connects to the server and writes a v2 header carrying the client's address before the
client's bytes (here in the same write, as often happens on the wire). The login
throttles must see the address in the header, never the relay's.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import asyncssh
import pytest

from bbs.config import LoginLimits, Settings, with_overrides
from server.proxy_protocol import build_v2
from server.ssh_server import RunningServer, start_server
from server.textual_patches import apply_textual_patches
from server.wiring import build_community

CLIENT = ("203.0.113.7", 51000)


class Relay:
    """A TCP relay that prefixes each upstream connection with a PROXY v2 header."""

    def __init__(self, upstream_port: int, header: Callable[[], bytes]) -> None:
        self.upstream_port = upstream_port
        self.header = header
        self.server: asyncio.Server | None = None
        self.tasks: set[asyncio.Task[None]] = set()

    @property
    def port(self) -> int:
        assert self.server is not None
        return int(self.server.sockets[0].getsockname()[1])

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._client, "127.0.0.1", 0)

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        first = await reader.read(65536)  # the SSH client speaks first: its version line
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        up_writer.write(self.header() + first)

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    async def close(self) -> None:
        assert self.server is not None
        self.server.close()


@pytest.fixture
async def proxied(settings: Settings) -> AsyncIterator[Callable[..., Any]]:
    """Start a server with PROXY protocol on (trusting the given proxies)."""
    apply_textual_patches()
    running: list[RunningServer] = []

    async def start(trusted: tuple[str, ...] = ("127.0.0.1",), **login: Any) -> RunningServer:
        proxy_settings = with_overrides(
            settings,
            proxy_protocol=True,
            trusted_proxies=trusted,
            login=LoginLimits(max_penalty_seconds=1.0, **login),
        )
        server = await start_server(proxy_settings, build_community(proxy_settings))
        running.append(server)
        return server

    yield start
    for server in running:
        await server.shutdown(grace=2.0)


async def _relay(server: RunningServer, header: Callable[[], bytes]) -> Relay:
    relay = Relay(server.port, header)
    await relay.start()
    return relay


async def _fail_login(port: int) -> None:
    with pytest.raises((asyncssh.PermissionDenied, asyncssh.DisconnectError)):
        async with asyncssh.connect(
            "127.0.0.1",
            port,
            username="nobody",
            password="wrong",
            known_hosts=None,
            agent_path=None,
            client_keys=[],
            preferred_auth="password",
        ):
            pass


async def _penalised(server: RunningServer, address: str) -> bool:
    guard = server.registry.community.guard
    return await guard.penalty(guard.source_key(address)) > 0


async def test_a_session_through_the_proxy(proxied: Any, ssh_to: Any) -> None:
    server = await proxied()
    relay = await _relay(server, lambda: build_v2(CLIENT, ("127.0.0.1", server.port)))
    term = await ssh_to(relay.port, "new")
    await term.past_language()
    await term.close()
    await relay.close()


async def test_login_throttles_see_the_client_address_in_the_header(proxied: Any) -> None:
    server = await proxied()
    relay = await _relay(server, lambda: build_v2(CLIENT, ("127.0.0.1", server.port)))
    for _ in range(server.registry.settings.login.free_failures_per_source + 1):
        await _fail_login(relay.port)
    assert await _penalised(server, CLIENT[0])
    assert not await _penalised(server, "127.0.0.1")  # the relay's own address
    await relay.close()


async def test_a_local_header_keeps_the_proxy_address(proxied: Any, ssh_to: Any) -> None:
    server = await proxied()
    relay = await _relay(server, lambda: build_v2(None))
    term = await ssh_to(relay.port, "new")
    await term.past_language()
    await term.close()
    for _ in range(server.registry.settings.login.free_failures_per_source + 1):
        await _fail_login(relay.port)
    assert await _penalised(server, "127.0.0.1")
    await relay.close()


async def test_a_trusted_peer_without_a_header_is_cut_off(proxied: Any) -> None:
    server = await proxied()
    with pytest.raises((asyncssh.Error, OSError)):
        async with asyncssh.connect(
            "127.0.0.1",
            server.port,
            username="new",
            password="",
            known_hosts=None,
            agent_path=None,
            client_keys=[],
            connect_timeout=5,
        ):
            pass
    assert not server.registry.sessions


async def test_an_untrusted_peer_is_never_believed(
    proxied: Any, caplog: pytest.LogCaptureFixture
) -> None:
    server = await proxied(trusted=("192.0.2.1",))
    relay = await _relay(server, lambda: build_v2(CLIENT, ("127.0.0.1", server.port)))
    with caplog.at_level("WARNING", logger="server.proxy_protocol"):
        for _ in range(server.registry.settings.login.free_failures_per_source + 1):
            await _fail_login(relay.port)
    assert caplog.text.count("not from a trusted proxy") == 4
    # Cut off before SSH: no login was tried, so no address was throttled at all.
    assert not await _penalised(server, CLIENT[0])
    assert not await _penalised(server, "127.0.0.1")
    await relay.close()


async def _raw(port: int, data: bytes) -> bytes:
    """Send bytes on a raw connection, then everything the server sends until it closes."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(data)
    received = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    return received


async def test_bad_truncated_or_late_headers_are_cut_off_before_ssh(proxied: Any) -> None:
    server = await proxied(login_grace_seconds=1.0)
    header = build_v2(CLIENT, ("127.0.0.1", server.port))
    # Nothing at all, half a header, or a v1 text header: closed, no SSH version sent.
    assert await _raw(server.port, b"") == b""
    assert await _raw(server.port, header[:20]) == b""
    assert await _raw(server.port, b"PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n") == b""
    # A whole header: the server speaks SSH.
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(header)
    assert (await asyncio.wait_for(reader.readline(), 10)).startswith(b"SSH-2.0-")
    writer.close()
    assert not server.registry.sessions
