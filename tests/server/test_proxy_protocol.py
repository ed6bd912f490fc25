"""The PROXY protocol v2 parser, the trusted-proxy check and the [server] settings."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from bbs.config import ConfigError, load_settings
from server.proxy_protocol import (
    MAX_HEADER_BYTES,
    SIGNATURE,
    Command,
    Family,
    ProxyProtocolError,
    build_v2,
    is_trusted,
    parse_v2,
    trusted_networks,
)

SSH_HELLO = b"SSH-2.0-OpenSSH_9.6\r\n"


def test_an_ipv4_header_gives_the_client_address_and_its_length() -> None:
    header = build_v2(("203.0.113.7", 51000), ("192.0.2.10", 2222))
    parsed = parse_v2(header + SSH_HELLO)
    assert parsed is not None
    assert parsed.command is Command.PROXY and parsed.family is Family.INET
    assert parsed.source == ("203.0.113.7", 51000)
    assert parsed.destination == ("192.0.2.10", 2222)
    assert parsed.length == len(header) == 16 + 12
    assert (header + SSH_HELLO)[parsed.length :] == SSH_HELLO


def test_an_ipv6_header_with_tlvs_skips_them() -> None:
    tlvs = bytes([0x05, 0x00, 0x04]) + b"abcd" + bytes([0x04, 0x00, 0x00])  # unique id, noop
    header = build_v2(("2001:db8::7", 40000), ("2001:db8::1", 22), tlvs=tlvs)
    parsed = parse_v2(header)
    assert parsed is not None and parsed.family is Family.INET6
    assert parsed.source == ("2001:db8::7", 40000)
    assert parsed.length == 16 + 36 + len(tlvs)


def test_a_header_arriving_byte_by_byte_needs_more_until_complete() -> None:
    header = build_v2(("198.51.100.2", 1234), ("192.0.2.10", 2222))
    for end in range(len(header)):
        assert parse_v2(header[:end]) is None, end
    assert parse_v2(header) is not None


def test_a_truncated_header_is_never_complete() -> None:
    header = build_v2(("198.51.100.2", 1234))
    assert parse_v2(header[:-1]) is None
    assert parse_v2(header[:15]) is None


@pytest.mark.parametrize(
    "data",
    [
        SSH_HELLO,  # a client speaking SSH straight away: no header
        b"\r\n\r\n\x00\r\nQUIT!" + bytes(11),
        b"GET / HTTP/1.1\r\n",
        b"\x00" * 16,
    ],
)
def test_a_wrong_signature_is_refused_at_once(data: bytes) -> None:
    with pytest.raises(ProxyProtocolError, match="signature"):
        parse_v2(data)
    with pytest.raises(ProxyProtocolError):
        parse_v2(data[:3] if data[:1] != b"\r" else b"\r\n\r\n\x01")


def test_a_version_1_text_header_is_named() -> None:
    with pytest.raises(ProxyProtocolError, match="v1"):
        parse_v2(b"PROXY TCP4 203.0.113.7 192.0.2.10 51000 2222\r\n")
    with pytest.raises(ProxyProtocolError, match="v1"):
        parse_v2(b"PROX")


def test_a_local_header_carries_no_address() -> None:
    parsed = parse_v2(build_v2(None) + SSH_HELLO)
    assert parsed is not None
    assert parsed.command is Command.LOCAL and parsed.source is None
    assert parsed.length == 16
    # LOCAL with an address block (some balancers send one): the block is skipped.
    block = bytes(12)
    local = SIGNATURE + bytes([0x20, 0x11]) + struct.pack("!H", len(block)) + block
    parsed = parse_v2(local)
    assert parsed is not None and parsed.source is None and parsed.length == 28


def test_unspec_and_unix_families_keep_the_real_peer() -> None:
    unspec = SIGNATURE + bytes([0x21, 0x00, 0x00, 0x00])
    parsed = parse_v2(unspec)
    assert parsed is not None and parsed.command is Command.PROXY and parsed.source is None
    unix = SIGNATURE + bytes([0x21, 0x31]) + struct.pack("!H", 216) + bytes(216)
    parsed = parse_v2(unix)
    assert parsed is not None and parsed.family is Family.UNIX and parsed.source is None


@pytest.mark.parametrize(
    ("second_half", "error"),
    [
        (bytes([0x11, 0x11, 0x00, 0x0C]), "version 1"),
        (bytes([0x22, 0x11, 0x00, 0x0C]), "command 2"),
        (bytes([0x21, 0x41, 0x00, 0x0C]), "family"),
        (bytes([0x21, 0x13, 0x00, 0x0C]), "family or transport"),
        (bytes([0x21, 0x12, 0x00, 0x0C]), "datagram"),
        (bytes([0x21, 0x11, 0x00, 0x08]), "8 bytes, 12 needed"),
        (bytes([0x21, 0x21, 0x00, 0x0C]), "12 bytes, 36 needed"),
    ],
)
def test_malformed_headers_are_refused(second_half: bytes, error: str) -> None:
    with pytest.raises(ProxyProtocolError, match=error):
        parse_v2(SIGNATURE + second_half + bytes(40))


def test_an_oversized_header_is_refused_before_it_arrives() -> None:
    size = MAX_HEADER_BYTES - 16 + 1
    with pytest.raises(ProxyProtocolError, match="more than"):
        parse_v2(SIGNATURE + bytes([0x21, 0x11]) + struct.pack("!H", size))


def test_trusted_proxies_are_addresses_or_networks() -> None:
    networks = trusted_networks(["127.0.0.1", "10.0.0.0/8", "2001:db8::/32"])
    assert is_trusted("127.0.0.1", networks)
    assert is_trusted("10.20.30.40", networks)
    assert is_trusted("::ffff:10.1.2.3", networks)  # an IPv4 client on a dual-stack socket
    assert is_trusted("2001:db8::5", networks)
    assert not is_trusted("127.0.0.2", networks)
    assert not is_trusted("192.0.2.1", networks)
    assert not is_trusted("not an address", networks)


def _settings(tmp_path: Path, server: str) -> object:
    (tmp_path / "config.toml").write_text(f"[server]\n{server}\n")
    return load_settings(tmp_path)


def test_proxy_settings_are_read_and_checked(tmp_path: Path) -> None:
    settings = _settings(tmp_path, 'proxy_protocol = true\ntrusted_proxies = ["10.0.0.0/8"]')
    assert settings.proxy_protocol is True  # type: ignore[attr-defined]
    assert settings.trusted_proxies == ("10.0.0.0/8",)  # type: ignore[attr-defined]
    assert load_settings(tmp_path / "none").proxy_protocol is False
    with pytest.raises(ConfigError, match="needs trusted_proxies"):
        _settings(tmp_path, "proxy_protocol = true")
    with pytest.raises(ConfigError, match="not an IP address"):
        _settings(tmp_path, 'proxy_protocol = true\ntrusted_proxies = ["haproxy.local"]')
    with pytest.raises(ConfigError, match="true or false"):
        _settings(tmp_path, 'proxy_protocol = "yes"\ntrusted_proxies = ["10.0.0.1"]')
    with pytest.raises(ConfigError, match="list of addresses"):
        _settings(tmp_path, 'trusted_proxies = "10.0.0.1"')
