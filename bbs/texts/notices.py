"""Texts shown to members that come from the core: what we store, help and guidelines files."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from bbs.i18n import DEFAULT_LANGUAGE, LANGUAGES

WHAT_WE_STORE = """\
What we store about you
=======================
- The pseudonym you choose. No e-mail, no real name, no phone number.
- Your password and your recovery code, only as one-way argon2id hashes:
  nobody here can read them, sysops included.
- If you choose, the public half of the SSH key you connected with, so it can
  log you in. Public keys are not secret.
- What you write here (posts, messages, check-ins) until you delete it or
  your account, and when you last logged in.
- Your display settings (colours, mouse, full screen or plain lines).

Who can read your private messages
==================================
- The member you write to, and you.
- Moderators, only when a message is reported or held by the moderation
  model: to judge it fairly they see that message and the three messages
  before it in the same conversation. Nobody else, and never otherwise.

What we do not store
====================
- Your IP address. To slow down password guessing we keep a salted,
  scrambled form of it for at most an hour. On a single server it stays in
  memory, is never written to disk and is forgotten when the server restarts.
  On a community served by several servers it and the salt are kept in
  UNLOGGED database tables, which PostgreSQL may still write to disk; the salt
  is replaced every hour and old ones are deleted.
- Anything from outside this server: there are no trackers, no analytics and
  no third parties. The moderation model runs here, on this machine.

You can see, export and delete what is kept about you from the Profile menu
(P, then P again), or ask a sysop."""


def _default_text(name: str) -> str:
    return (resources.files("bbs") / "defaults" / name).read_text(encoding="utf-8")


# The help in each translated language; help.txt is the English one and every fallback.
TRANSLATED_HELP = tuple(f"help.{lang}.txt" for lang in LANGUAGES if lang != DEFAULT_LANGUAGE)


def install_default_texts(data_dir: Path) -> None:
    """Put editable copies of the help and guidelines texts in the data directory.

    Each file is copied where it is missing (first start, or an upgrade that brought a new
    language) and never over one that is there: the sysop's edits are theirs.
    """
    for name in ("help.txt", "guidelines.txt", *TRANSLATED_HELP):
        target = data_dir / name
        if not target.exists():
            tmp = target.with_suffix(".tmp")
            tmp.write_text(_default_text(name), encoding="utf-8")
            os.replace(tmp, target)


def read_text_file(path: Path, fallback: str) -> str:
    """The sysop's file if readable, else our default (the help must always show)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return _default_text(fallback)
    return text if text.strip() else _default_text(fallback)


def read_optional_text_file(path: Path) -> str:
    """The sysop's file if readable and not empty, else "" (the caller falls back)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return text if text.strip() else ""


def write_text_file(path: Path, text: str) -> None:
    """Replace a sysop-editable text (help, guidelines) atomically: readers never see half."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
