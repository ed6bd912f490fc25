"""Structured logs: one JSON object per line; never passwords, never addresses.

Logs go to stderr (the service manager keeps them), or, with `[logs] file` set, to a file
rotated at midnight UTC and deleted after `[logs] retention_days` days.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from logging.handlers import TimedRotatingFileHandler
from pathlib import Path

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None)))


class JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + "Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry and not key.startswith("_"):
                entry[key] = value if isinstance(value, int | float | bool | str) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def log_handler(file: Path | None, retention_days: int) -> logging.Handler:
    """stderr, or a daily file of which only the last `retention_days` days are kept."""
    if file is None:
        return logging.StreamHandler(sys.stderr)
    file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # One file a day; at each rollover, files older than the retention are deleted.
    return TimedRotatingFileHandler(
        file, when="midnight", utc=True, backupCount=max(1, retention_days), encoding="utf-8"
    )


def configure_logging(level: str, *, file: Path | None = None, retention_days: int = 14) -> None:
    handler = log_handler(file, retention_days)
    handler.setFormatter(JSONFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # asyncssh logs peer addresses at INFO; keep them out unless debugging.
    logging.getLogger("asyncssh").setLevel(logging.WARNING if level != "DEBUG" else logging.DEBUG)
