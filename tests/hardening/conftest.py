"""Hardening tests reuse the end-to-end fixtures (a real server, real SSH clients)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# hostile_corpus.py lives here and is imported by name.
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

_spec = importlib.util.spec_from_file_location(
    "hardening_e2e_fixtures", HERE.parent / "e2e" / "conftest.py"
)
assert _spec is not None and _spec.loader is not None
_e2e = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _e2e
_spec.loader.exec_module(_e2e)

Terminal = _e2e.Terminal
open_terminal = _e2e.open_terminal
server = _e2e.server
connect = _e2e.connect
ssh_to = _e2e.ssh_to

__all__ = ["Terminal", "connect", "open_terminal", "server", "ssh_to"]
