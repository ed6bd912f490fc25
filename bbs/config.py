"""Settings for one BBS installation, read from the data directory's config.toml."""

from __future__ import annotations

import ipaddress
import os
import re
import socket
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 2222
DEFAULT_DATA_DIR = "bbs-data"
CONFIG_FILE = "config.toml"


def default_data_dir() -> Path:
    """The data directory used when none is given: $BBS_DATA_DIR or ./bbs-data."""
    return Path(os.environ.get("BBS_DATA_DIR") or DEFAULT_DATA_DIR)


class ConfigError(ValueError):
    """The configuration file holds a value we cannot use."""


@dataclass(frozen=True)
class Argon2Cost:
    """argon2id cost parameters; the defaults are argon2-cffi's (RFC 9106 low-memory)."""

    time_cost: int = 3
    memory_cost_kib: int = 65536
    parallelism: int = 4


@dataclass(frozen=True)
class LoginLimits:
    """Abuse limits at the SSH door, anchored on OpenSSH's defaults."""

    max_auth_tries: int = 6
    # Public keys offered by an agent are tried one by one; allow more of those.
    max_key_tries: int = 12
    login_grace_seconds: float = 30.0
    # MaxStartups start:rate:full for unauthenticated connections.
    startups_begin: int = 10
    startups_rate: int = 30
    startups_full: int = 100
    unauthenticated_per_source: int = 10
    max_concurrent_verifies: int = 2
    # Failures from one source before answers start slowing down.
    free_failures_per_source: int = 3
    max_penalty_seconds: float = 30.0
    failure_memory_seconds: float = 3600.0
    signup_seconds: float = 900.0
    signups_per_source_per_hour: int = 3
    max_sessions: int = 1000
    max_sessions_per_member: int = 4


@dataclass(frozen=True)
class TerminalLimits:
    """What a client may ask of its terminal and what it may send us."""

    max_width: int = 400
    max_height: int = 150
    # A client that stops reading is cut off once this much output waits for it.
    max_output_buffer: int = 1024 * 1024
    # Input beyond a burst, then a rate, is dropped before it is parsed (a flood, not a
    # person): bytes (a pasted post is 20,000 characters at most) and input events (keys,
    # clicks; a bracketed paste is one).
    max_input_bytes_per_second: int = 64 * 1024
    max_input_byte_burst: int = 256 * 1024
    max_input_events_per_second: int = 200
    max_input_event_burst: int = 4096
    keepalive_seconds: float = 60.0
    idle_timeout_seconds: float = 0.0


@dataclass(frozen=True)
class ClusterSettings:
    """Several nodes serving one community from one PostgreSQL database ([cluster]).

    Allowed only with PostgreSQL. Live events and presence across nodes read these.
    """

    # How this node is named in presence and logs; empty: the host's name. Each process
    # adds its id (node_id), so workers of `bbs serve --workers` stay distinct.
    node_name: str = ""
    # A node refreshes its live sessions this often...
    heartbeat_seconds: float = 15.0
    # ...and another node's sessions not refreshed for this long are gone (a crashed node).
    presence_timeout_seconds: float = 45.0
    # The LISTEN connection reconnects after 1 s, doubling up to this, when it is lost.
    listen_reconnect_max_seconds: float = 30.0

    def node_id(self) -> str:
        """This process's name among the nodes: node name (or host name) and process id."""
        return f"{self.node_name or socket.gethostname()}:{os.getpid()}"


_NODE_NAME = re.compile(r"[A-Za-z0-9._-]{1,64}")


def _cluster_settings(raw: object, database_url: str) -> ClusterSettings | None:
    """The [cluster] section, checked; None when there is none."""
    if raw is None:
        return None
    if database_url.startswith("sqlite"):
        raise ConfigError(
            "[cluster] is for several nodes on one PostgreSQL database, and this community "
            "uses SQLite, which one process serves. Remove [cluster], or move the community "
            "to PostgreSQL (`bbs admin migrate-to-postgres URL`) and set [server] "
            "database_url."
        )
    cluster: ClusterSettings = _section(ClusterSettings, raw, "cluster")
    if cluster.node_name and not _NODE_NAME.fullmatch(cluster.node_name):
        raise ConfigError("[cluster] node_name takes 1 to 64 letters, digits, '.', '_' or '-'")
    for name in ("heartbeat_seconds", "presence_timeout_seconds", "listen_reconnect_max_seconds"):
        if getattr(cluster, name) <= 0:
            raise ConfigError(f"[cluster] {name} must be more than 0")
    if cluster.presence_timeout_seconds <= cluster.heartbeat_seconds:
        raise ConfigError(
            "[cluster] presence_timeout_seconds must be longer than heartbeat_seconds "
            "(three heartbeats is usual), or live members would vanish between heartbeats"
        )
    return cluster


@dataclass(frozen=True)
class Settings:
    """Everything one running BBS needs to know about where and how it runs."""

    data_dir: Path
    database_url: str
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    community_name: str = "Harbour"
    argon2: Argon2Cost = field(default_factory=Argon2Cost)
    login: LoginLimits = field(default_factory=LoginLimits)
    terminal: TerminalLimits = field(default_factory=TerminalLimits)
    moderation: Mapping[str, Any] = field(default_factory=dict)
    log_level: str = "INFO"
    # Live rooms: history older than this many days is purged ([rooms] retention_days).
    room_retention_days: int = 30
    # Logs: kept this many days when written to a file ([logs] retention_days), then
    # deleted; with no [logs] file they go to stderr and the service manager keeps them.
    log_retention_days: int = 14
    log_file: str = ""
    # Behind a TCP load balancer ([server] proxy_protocol, trusted_proxies): connections
    # come only from these addresses or networks, each with a PROXY protocol v2 header.
    proxy_protocol: bool = False
    trusted_proxies: tuple[str, ...] = ()
    # Set by `bbs serve --workers N` for its worker processes (SO_REUSEPORT), not a setting.
    reuse_port: bool = False
    # Several nodes on one PostgreSQL ([cluster]); None: this process is the only node.
    cluster: ClusterSettings | None = None

    @property
    def host_key_path(self) -> Path:
        return self.data_dir / "ssh_host_ed25519_key"

    # The help and guidelines files of a data directory from before they moved into the
    # database: read once, as the first seed (bbs.texts.records.seed_texts), then never.
    @property
    def help_path(self) -> Path:
        return self.data_dir / "help.txt"

    def help_path_for(self, lang: str) -> Path:
        """The old help file of one language: help.txt is English."""
        return self.help_path if lang == "en" else self.data_dir / f"help.{lang}.txt"

    @property
    def guidelines_path(self) -> Path:
        return self.data_dir / "guidelines.txt"


def sqlite_url(data_dir: Path) -> str:
    """The embedded default database: one SQLite file in the data directory."""
    return f"sqlite:///{(data_dir / 'bbs.sqlite3').resolve()}"


def _section(cls: type[Any], raw: object, name: str) -> Any:
    if raw is None:
        return cls()
    if not isinstance(raw, Mapping):
        raise ConfigError(f"[{name}] must be a table")
    known = {f.name: f for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            raise ConfigError(f"[{name}] has an unknown setting {key!r}")
        default = getattr(cls(), key)
        if (
            isinstance(default, float)
            and isinstance(value, int | float)
            and not isinstance(value, bool)
        ):
            value = float(value)
        elif type(value) is not type(default):
            raise ConfigError(f"[{name}] {key} must be a {type(default).__name__}")
        values[key] = value
    return cls(**values)


def _positive_days(section: object, name: str, default: int = 14) -> int:
    if not isinstance(section, Mapping):
        raise ConfigError(f"[{name}] must be a table")
    value = section.get("retention_days", default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"[{name}] retention_days must be a whole number of days, 1 or more")
    return value


def _proxy_settings(server: Mapping[str, Any]) -> tuple[bool, tuple[str, ...]]:
    """[server] proxy_protocol and trusted_proxies, checked."""
    enabled = server.get("proxy_protocol", False)
    if not isinstance(enabled, bool):
        raise ConfigError("[server] proxy_protocol must be true or false")
    proxies = server.get("trusted_proxies", [])
    if not isinstance(proxies, list) or not all(isinstance(p, str) for p in proxies):
        raise ConfigError(
            '[server] trusted_proxies must be a list of addresses, e.g. ["127.0.0.1", "10.0.0.0/8"]'
        )
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise ConfigError(
                f"[server] trusted_proxies: {proxy!r} is not an IP address or network"
            ) from None
    if enabled and not proxies:
        raise ConfigError(
            "[server] proxy_protocol = true needs trusted_proxies: the "
            "addresses of the load balancers allowed to connect"
        )
    return enabled, tuple(proxies)


def load_settings(
    data_dir: Path | None = None,
    *,
    database_url: str | None = None,
    host: str | None = None,
    port: int | None = None,
) -> Settings:
    """Read config.toml from the data directory (if any) and apply command-line overrides."""
    data_dir = (data_dir or default_data_dir()).absolute()
    raw: dict[str, Any] = {}
    path = data_dir / CONFIG_FILE
    if path.exists():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{path}: {error}") from error
    server = raw.get("server", {})
    proxy_protocol, trusted_proxies = _proxy_settings(server)
    settings = Settings(
        data_dir=data_dir,
        database_url=str(
            database_url
            or os.environ.get("BBS_DATABASE_URL")
            or server.get("database_url")
            or sqlite_url(data_dir)
        ),
        host=str(host or server.get("host", DEFAULT_HOST)),
        port=int(port if port is not None else server.get("port", DEFAULT_PORT)),
        community_name=str(server.get("community_name", "Harbour")),
        argon2=_section(Argon2Cost, raw.get("argon2"), "argon2"),
        login=_section(LoginLimits, raw.get("login"), "login"),
        terminal=_section(TerminalLimits, raw.get("terminal"), "terminal"),
        moderation=dict(raw.get("moderation", {})),
        log_level=str(server.get("log_level", "INFO")).upper(),
        room_retention_days=int(raw.get("rooms", {}).get("retention_days", 30)),
        log_retention_days=_positive_days(raw.get("logs", {}), "logs"),
        log_file=str(raw.get("logs", {}).get("file", "")),
        proxy_protocol=proxy_protocol,
        trusted_proxies=trusted_proxies,
    )
    if "cluster" in raw:
        settings = replace(
            settings, cluster=_cluster_settings(raw["cluster"], settings.database_url)
        )
    return settings


def with_overrides(settings: Settings, **changes: Any) -> Settings:
    """A copy of the settings with some fields replaced (used by tests and benchmarks)."""
    return replace(settings, **changes)
