"""PROXY protocol v2 in front of the SSH server: the client's real address from HAProxy.

Behind a TCP load balancer every connection comes from the balancer, so the login
throttles would see one source for everybody. HAProxy's `send-proxy-v2` (and most cloud
balancers) send a binary header first, carrying the client's address; asyncssh has no
reader for it. With `[server] proxy_protocol = true`:

- only peers in `trusted_proxies` may connect at all; anybody else is cut off at once,
  before a byte is read (a header from an untrusted peer is never believed);
- a trusted peer must send a valid v2 header within the login grace time, else it is cut
  off; a PROXY header's source address becomes the connection's `peername`, so the rest of
  the server (BBSServer, the login guard) sees the member's address with no change;
- a LOCAL header (the balancer's own health check) keeps the balancer's address.

How it plugs in: asyncssh's `listen(tunnel=...)` accepts any listener object with
`create_server(session_factory, host, port)` (its `_TunnelListenerProtocol`); this module
is one. It listens itself, reads the header, then hands the socket to the SSH connection
asyncssh made, through a transport that reports the client's address.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import struct
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from bbs.config import Settings

log = logging.getLogger(__name__)

SIGNATURE = b"\r\n\r\n\x00\r\nQUIT\n"
HEADER_FIXED = 16
# A v2 header may carry up to 65,535 bytes of addresses and TLVs; balancers send a few
# hundred at most. More than this from one unauthenticated connection is refused.
MAX_HEADER_BYTES = 4096
_V1_START = b"PROXY "

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class ProxyProtocolError(ValueError):
    """The bytes are not a PROXY protocol v2 header we accept."""


class Command(IntEnum):
    LOCAL = 0
    PROXY = 1


class Family(IntEnum):
    UNSPEC = 0
    INET = 1
    INET6 = 2
    UNIX = 3


@dataclass(frozen=True)
class ProxyHeader:
    """A parsed header: what it says, and how many bytes of the stream it took."""

    command: Command
    family: Family
    source: tuple[str, int] | None
    destination: tuple[str, int] | None
    length: int


def parse_v2(data: bytes, *, max_bytes: int = MAX_HEADER_BYTES) -> ProxyHeader | None:
    """Parse a PROXY protocol v2 header at the start of `data`.

    Returns None while more bytes are needed, the header once complete (the bytes after
    `length` belong to the proxied stream), and raises ProxyProtocolError as soon as the
    bytes cannot become a valid header.
    """
    start = data[: len(SIGNATURE)]
    if not SIGNATURE.startswith(start):
        if data.startswith(_V1_START[: len(data)]):
            raise ProxyProtocolError(
                "a PROXY protocol v1 (text) header: send version 2 (HAProxy: send-proxy-v2)"
            )
        raise ProxyProtocolError("no PROXY protocol v2 signature")
    if len(data) < HEADER_FIXED:
        return None
    version, command = data[12] >> 4, data[12] & 0x0F
    if version != 2:
        raise ProxyProtocolError(f"PROXY protocol version {version}, not 2")
    if command not in (Command.LOCAL, Command.PROXY):
        raise ProxyProtocolError(f"unknown PROXY protocol command {command}")
    family, transport = data[13] >> 4, data[13] & 0x0F
    if family not in tuple(Family) or transport > 2:
        raise ProxyProtocolError(f"unknown address family or transport 0x{data[13]:02x}")
    (body,) = struct.unpack_from("!H", data, 14)
    length = HEADER_FIXED + body
    if length > max_bytes:
        raise ProxyProtocolError(f"a {length}-byte PROXY header, more than {max_bytes}")
    if len(data) < length:
        return None
    if command == Command.LOCAL:
        # Health checks and the balancer's own connections: the address block is ignored.
        return ProxyHeader(Command.LOCAL, Family(family), None, None, length)
    if family == Family.INET:
        need, fmt, size = 12, "!4s4sHH", 4
    elif family == Family.INET6:
        need, fmt, size = 36, "!16s16sHH", 16
    else:
        # UNSPEC or a UNIX socket: no IP address to learn; the real peer is used.
        return ProxyHeader(Command.PROXY, Family(family), None, None, length)
    if transport != 1:
        raise ProxyProtocolError("a PROXY header for a datagram or unspecified transport")
    if body < need:
        raise ProxyProtocolError(f"an address block of {body} bytes, {need} needed")
    src, dst, src_port, dst_port = struct.unpack_from(fmt, data, HEADER_FIXED)
    assert len(src) == size
    source = (str(ipaddress.ip_address(src)), int(src_port))
    destination = (str(ipaddress.ip_address(dst)), int(dst_port))
    return ProxyHeader(Command.PROXY, Family(family), source, destination, length)


def build_v2(
    source: tuple[str, int] | None, destination: tuple[str, int] | None = None, *, tlvs: bytes = b""
) -> bytes:
    """A v2 header as HAProxy's send-proxy-v2 writes it (LOCAL when source is None)."""
    if source is None:
        return SIGNATURE + bytes([0x20, 0x00]) + struct.pack("!H", len(tlvs)) + tlvs
    src = ipaddress.ip_address(source[0])
    dst = ipaddress.ip_address((destination or ("0.0.0.0" if src.version == 4 else "::", 0))[0])
    dst_port = destination[1] if destination else 0
    family = 0x11 if src.version == 4 else 0x21
    block = src.packed + dst.packed + struct.pack("!HH", source[1], dst_port) + tlvs
    return SIGNATURE + bytes([0x21, family]) + struct.pack("!H", len(block)) + block


def trusted_networks(proxies: Iterable[str]) -> tuple[Network, ...]:
    """The configured proxy addresses or networks ("10.0.0.5", "10.0.0.0/8", "::1")."""
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def is_trusted(address: str, networks: Sequence[Network]) -> bool:
    try:
        ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip in network for network in networks)


class _ProxiedTransport(asyncio.Transport):
    """The accepted connection's transport, reporting the client's address as its peer."""

    def __init__(self, inner: asyncio.Transport, peername: Any) -> None:
        super().__init__()
        self._inner = inner
        self._peername = peername

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        if name == "peername":
            return self._peername
        if name == "proxy_peername":
            return self._inner.get_extra_info("peername", default)
        return self._inner.get_extra_info(name, default)


def _forwarded(name: str) -> Callable[..., Any]:
    def method(self: _ProxiedTransport, *args: Any, **kwargs: Any) -> Any:
        return getattr(self._inner, name)(*args, **kwargs)

    method.__name__, method.__qualname__ = name, f"_ProxiedTransport.{name}"
    return method


# Everything else a transport does is the accepted connection's own.
for _name in (
    "is_closing",
    "close",
    "abort",
    "set_protocol",
    "get_protocol",
    "is_reading",
    "pause_reading",
    "resume_reading",
    "write",
    "writelines",
    "write_eof",
    "can_write_eof",
    "set_write_buffer_limits",
    "get_write_buffer_size",
    "get_write_buffer_limits",
):
    setattr(_ProxiedTransport, _name, _forwarded(_name))


SessionFactory = Callable[[str, int], Any]


class _HeaderReader(asyncio.Protocol):
    """Reads one connection's header, then gives the connection to the SSH session."""

    def __init__(
        self, listener: ProxyProtocolListener, session_factory: SessionFactory, host: str, port: int
    ) -> None:
        self._listener = listener
        self._session_factory = session_factory
        self._host, self._port = host, port
        self._transport: asyncio.Transport | None = None
        self._buffer = b""
        self._timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        peer = transport.get_extra_info("peername")
        if not peer or not is_trusted(str(peer[0]), self._listener.networks):
            # Never read, never believed: connections must come through the proxy.
            log.warning("connection refused: not from a trusted proxy (PROXY protocol on)")
            transport.abort()
            return
        self._timer = asyncio.get_running_loop().call_later(
            self._listener.header_timeout, self._fail, "no PROXY header in time"
        )

    def data_received(self, data: bytes) -> None:
        if self._transport is None or self._transport.is_closing():
            return
        self._buffer += data
        try:
            header = parse_v2(self._buffer)
        except ProxyProtocolError as error:
            self._fail(str(error))
            return
        if header is not None:
            self._hand_over(header)

    def eof_received(self) -> bool:
        # A balancer's plain TCP health check does this every few seconds: not a warning.
        self._fail("the connection closed before its PROXY header", level=logging.INFO)
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_timer()

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _fail(self, reason: str, *, level: int = logging.WARNING) -> None:
        self._cancel_timer()
        log.log(level, "connection refused: %s", reason)
        if self._transport is not None:
            self._transport.abort()

    def _hand_over(self, header: ProxyHeader) -> None:
        self._cancel_timer()
        transport = self._transport
        assert transport is not None
        rest, self._buffer = self._buffer[header.length :], b""
        peer = transport.get_extra_info("peername")
        if header.source is not None:
            peer = header.source
        session = self._session_factory(self._host, self._port)
        transport.set_protocol(session)
        session.connection_made(_ProxiedTransport(transport, peer))
        if rest:
            session.data_received(rest)


class ProxyProtocolListener:
    """An asyncssh `tunnel` listener: listens, reads PROXY v2 headers, starts SSH."""

    def __init__(
        self,
        trusted: Iterable[str],
        *,
        header_timeout: float = 30.0,
        reuse_port: bool = False,
        backlog: int = 100,
    ) -> None:
        self.networks = trusted_networks(trusted)
        self.header_timeout = header_timeout
        self._reuse_port = reuse_port
        self._backlog = backlog
        self._server: asyncio.Server | None = None

    # -- asyncssh's tunnel listener protocol ------------------------------------------
    async def create_server(
        self, session_factory: SessionFactory, listen_host: str, listen_port: int
    ) -> ProxyProtocolListener:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: _HeaderReader(self, session_factory, listen_host, listen_port),
            listen_host or None,
            listen_port,
            backlog=self._backlog,
            reuse_address=True,
            reuse_port=self._reuse_port or None,
        )
        return self

    # -- what asyncssh's SSHAcceptor asks of its server --------------------------------
    @property
    def sockets(self) -> tuple[socket.socket, ...]:
        return tuple(self._server.sockets) if self._server is not None else ()

    def get_addresses(self) -> list[Any]:
        return [sock.getsockname() for sock in self.sockets]

    def get_port(self) -> int:
        ports = {address[1] for address in self.get_addresses()}
        return ports.pop() if len(ports) == 1 else 0

    def close(self) -> None:
        if self._server is not None:
            self._server.close()

    async def wait_closed(self) -> None:
        if self._server is not None:
            await self._server.wait_closed()


def listen_options(settings: Settings) -> dict[str, Any]:
    """What `asyncssh.listen` needs for the front door settings: a shared port (workers of
    `bbs serve --workers`), and the PROXY protocol listener when it is on."""
    if settings.proxy_protocol:
        return {
            "tunnel": ProxyProtocolListener(
                settings.trusted_proxies,
                header_timeout=settings.login.login_grace_seconds,
                reuse_port=settings.reuse_port,
            )
        }
    return {"reuse_port": True} if settings.reuse_port else {}


__all__ = [
    "MAX_HEADER_BYTES",
    "Command",
    "Family",
    "ProxyHeader",
    "ProxyProtocolError",
    "ProxyProtocolListener",
    "build_v2",
    "is_trusted",
    "listen_options",
    "parse_v2",
    "trusted_networks",
]
