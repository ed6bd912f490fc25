"""Texts shown to members that come from the core: what we store, and the help and guidelines
that ship (the first seed of the database's own: bbs.texts.records)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from bbs.i18n import N_

WHAT_WE_STORE = N_("""\
What we store about you
=======================
- The pseudonym you choose. No e-mail, no real name, no phone number.
- Your password and your recovery code, only as one-way argon2id hashes:
  nobody here can read them, sysops included.
- If you choose, the public half of the SSH key you connected with, so it can
  log you in. Public keys are not secret.
- What you write here (posts, messages, check-ins) until you delete it or
  your account, and when you last logged in.
- Your display settings (colours, mouse, full screen or plain lines) and
  your language. Your country only if you give it (it is optional): it
  chooses which crisis lines the help shows you.

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
(P, then P again), or ask a sysop.""")


def default_text(name: str) -> str:
    """A text that ships in the package (bbs/defaults): help.txt, help.es.txt, guidelines.txt."""
    return (resources.files("bbs") / "defaults" / name).read_text(encoding="utf-8")


_default_text = default_text


def read_optional_text_file(path: Path) -> str:
    """The sysop's file if readable and not empty, else "" (the caller falls back)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return text if text.strip() else ""
