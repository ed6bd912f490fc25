"""[cluster] settings: read with defaults, checked, and allowed only with PostgreSQL."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from bbs.config import ClusterSettings, ConfigError, load_settings

PG = "postgresql+psycopg://bbs@db.example/bbs"


def _load(tmp_path: Path, toml: str, *, database_url: str | None = PG) -> ClusterSettings | None:
    (tmp_path / "config.toml").write_text(toml)
    return load_settings(tmp_path, database_url=database_url).cluster


def test_no_cluster_section_means_a_single_node(tmp_path: Path) -> None:
    assert _load(tmp_path, "") is None
    assert load_settings(tmp_path / "empty").cluster is None


def test_defaults_from_an_empty_section(tmp_path: Path) -> None:
    cluster = _load(tmp_path, "[cluster]\n")
    assert cluster == ClusterSettings()
    assert cluster.heartbeat_seconds == 15.0
    assert cluster.presence_timeout_seconds == 45.0
    assert cluster.listen_reconnect_max_seconds == 30.0
    assert cluster.node_id() == f"{socket.gethostname()}:{os.getpid()}"


def test_values_are_read(tmp_path: Path) -> None:
    cluster = _load(
        tmp_path,
        '[cluster]\nnode_name = "box-2"\nheartbeat_seconds = 1\npresence_timeout_seconds = 3.5\n',
    )
    assert cluster is not None
    assert (cluster.node_name, cluster.heartbeat_seconds, cluster.presence_timeout_seconds) == (
        "box-2",
        1.0,
        3.5,
    )
    assert cluster.node_id() == f"box-2:{os.getpid()}"


def test_the_database_url_may_come_from_the_file(tmp_path: Path) -> None:
    cluster = _load(tmp_path, f'[server]\ndatabase_url = "{PG}"\n[cluster]\n', database_url=None)
    assert cluster == ClusterSettings()


def test_sqlite_refuses_a_cluster_section_kindly(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as refused:
        _load(tmp_path, "[cluster]\n", database_url=None)
    message = str(refused.value)
    assert "[cluster]" in message and "SQLite" in message
    assert "migrate-to-postgres" in message


@pytest.mark.parametrize(
    ("toml", "error"),
    [
        ("[cluster]\nheartbeat_seconds = 0\n", "heartbeat_seconds must be more than 0"),
        ("[cluster]\nheartbeat_seconds = 30\npresence_timeout_seconds = 30\n", "longer than"),
        ("[cluster]\nlisten_reconnect_max_seconds = -1\n", "more than 0"),
        ('[cluster]\nnode_name = "two words"\n', "node_name takes"),
        ("[cluster]\nnode_name = 7\n", "node_name must be a str"),
        ('[cluster]\nheartbeat_seconds = "15"\n', "must be a float"),
        ('[cluster]\nbroker = "redis"\n', "unknown setting 'broker'"),
        ("cluster = 3\n", "must be a table"),
    ],
)
def test_bad_values_are_named(tmp_path: Path, toml: str, error: str) -> None:
    with pytest.raises(ConfigError, match=error):
        _load(tmp_path, toml)
