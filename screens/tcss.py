"""Screens' styles live in .tcss files beside their modules, read once per process.

A module's file (screens/boards.tcss for screens/boards.py) holds one section per class,
each under a marker line of its own:

    /* @class BoardsScreen */
    BoardsScreen OptionList { height: 1fr; }

and the class takes its section as its DEFAULT_CSS when it is defined:

    DEFAULT_CSS = default_css(__file__, "BoardsScreen")

so Textual sees the same DEFAULT_CSS as if it were written inline (scoped to the class,
below the app's CSS), and a session start reads nothing from disk: the file is read when
the module is imported, and Textual's parsed rules are shared between apps
(server/textual_patches.py). The app's own CSS is all of app.tcss, read the same way:

    CSS = module_css(__file__)

rather than named in CSS_PATH, which Textual opens and reads again for every app: file
system calls in every session's start (even a cached copy checked with a stat took 0.2 ms
of the event loop a session, measured under load with bench/bench_sessions.py).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

# A section's marker: the whole line, nothing else on it.
SECTION = re.compile(r"^/\* @class (\w+) \*/[ \t]*$", re.MULTILINE)


def tcss_path(module_file: str) -> Path:
    """The .tcss file beside a module (screens/boards.py -> screens/boards.tcss)."""
    return Path(module_file).with_suffix(".tcss")


@cache
def sections(path: Path) -> dict[str, str]:
    """A .tcss file's sections by class name (what comes before the first marker is its
    preamble, comments only, and belongs to no class)."""
    parts = SECTION.split(path.read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        if name in found:
            raise ValueError(f"{path}: two sections for {name}")
        found[name] = body.strip()
    return found


@cache
def module_css(module_file: str) -> str:
    """The whole .tcss file of a module (an app's CSS: screens/app.py -> screens/app.tcss)."""
    return tcss_path(module_file).read_text(encoding="utf-8")


def default_css(module_file: str, class_name: str) -> str:
    """The DEFAULT_CSS of `class_name`, defined in `module_file`: its section of the
    module's .tcss file."""
    path = tcss_path(module_file)
    try:
        return sections(path)[class_name]
    except KeyError:
        raise KeyError(f"{path} has no section for {class_name}") from None
