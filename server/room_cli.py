"""`bbs admin room ...`: list, add, theme, close, reopen, slow mode, invite, scheduled sessions."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from bbs.config import default_data_dir, load_settings
from bbs.db import Database
from bbs.models import utcnow
from bbs.places import LANGUAGE_CHOICES, for_whom
from bbs.rooms import records as rooms
from bbs.rooms.records import RoomError, RoomView
from server.admin_cli import write_for_server

Handler = Callable[[argparse.Namespace], int]


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _database(args: argparse.Namespace) -> Database:
    settings = load_settings(args.data_dir or default_data_dir(), database_url=args.database_url)
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    database = Database(settings.database_url, pool_size=1)
    database.migrate()
    with database.write() as session:
        rooms.seed_default_rooms(session)
    return database


def _room(session: Any, name: str) -> RoomView:
    room = rooms.room_by_name(session, name)
    if room is None:
        raise RoomError(f"No room is called {name!r}; `bbs admin room list` shows them.")
    return room


def _member_id(session: Any, name: str) -> int:
    found = rooms.member_id_by_name(session, name)
    if found is None:
        raise RoomError(f"No member is called {name!r}.")
    return found[0]


def _guarded(handler: Handler) -> Handler:
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except RoomError as error:
            sys.stderr.write(f"bbs: {error}\n")
            return 1

    return run


def cmd_list(args: argparse.Namespace) -> int:
    database = _database(args)
    with database.read() as session:
        found = rooms.list_rooms(session, member_id=None, staff=True, include_closed=True)
        now = utcnow()
        events = rooms.events_between(session, now, now + timedelta(days=args.days))
    _out(f"{'room':<24}{'state':<16}{'slow':>6}  {'lang':<5} topic")
    for room in found:
        state = ("closed" if room.closed else "open") + (", private" if room.private else "")
        _out(
            f"{room.name:<24}{state:<16}{room.slow_mode_seconds:>5}s  "
            f"{room.language or 'any':<5} {room.topic}"
        )
    if events:
        _out(f"\nScheduled sessions in the next {args.days} days (UTC):")
        for event in events:
            when = f"{event.starts_at:%Y-%m-%d %H:%M}"
            _out(
                f"  #{event.id:<4} {when}  {event.duration_minutes:>3} min"
                f"  {event.room_name}: {event.topic}"
                + (f" (host {event.host_name})" if event.host_name else "")
            )
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    database = _database(args)
    # A room marked with a language is announced to the running server's lists.
    with write_for_server(database) as session:
        room = rooms.create_room(
            session,
            name=args.name,
            topic=args.topic,
            private=args.private,
            language=args.language,
        )
    _out(f"Added {room.name}" + (" (private: invite members)." if room.private else "."))
    return 0


def _update(args: argparse.Namespace, **change: Any) -> RoomView:
    """Change the room `args.name` (keywords of `rooms.update_room`). Members inside hear
    of it, and a new language reaches every node's room lists (bbs.places), once it commits."""
    with write_for_server(_database(args)) as session:
        return rooms.update_room(session, _room(session, args.name).id, **change)


def cmd_language(args: argparse.Namespace) -> int:
    room = _update(args, language=args.language)
    _out(f"{room.name}: {for_whom(room.language)}.")
    return 0


def cmd_theme(args: argparse.Namespace) -> int:
    room = _update(args, topic=args.topic)
    _out(f"{room.name}: {room.topic}")
    return 0


def _set_closed(closed: bool) -> Handler:
    def handler(args: argparse.Namespace) -> int:
        room = _update(args, closed=closed)
        _out(f"{room.name} is {'closed' if room.closed else 'open again'}.")
        return 0

    return handler


def cmd_slow(args: argparse.Namespace) -> int:
    room = _update(args, slow_mode_seconds=args.seconds)
    _out(f"{room.name}: slow mode {room.slow_mode_seconds} s.")
    return 0


def cmd_invite(args: argparse.Namespace) -> int:
    database = _database(args)
    with database.write() as session:
        room = _room(session, args.name)
        rooms.invite(session, room.id, _member_id(session, args.member))
    _out(f"{args.member} may now enter {room.name}.")
    return 0


def _when(text: str) -> datetime:
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    except ValueError as error:
        raise RoomError("Give the time as 'YYYY-MM-DD HH:MM' (UTC).") from error


def cmd_event_add(args: argparse.Namespace) -> int:
    database = _database(args)
    with database.write() as session:
        room = _room(session, args.room)
        host = _member_id(session, args.host) if args.host else None
        event = rooms.add_event(
            session,
            room_id=room.id,
            starts_at=_when(args.when),
            topic=args.topic,
            host_id=host,
            duration_minutes=args.minutes,
        )
    _out(f"Scheduled #{event.id}: {event.describe()} ({event.duration_minutes} min).")
    return 0


def cmd_event_remove(args: argparse.Namespace) -> int:
    database = _database(args)
    with database.write() as session:
        event = rooms.remove_event(session, args.id)
    _out(f"Cancelled #{event.id}: {event.describe()}.")
    return 0


def register(admin_sub: Any, data_dir_option: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add `room` and its actions under `bbs admin`."""
    room = admin_sub.add_parser(
        "room", help="live rooms: list, add, theme, language, close, events"
    )
    sub = room.add_subparsers(dest="room_command", metavar="ACTION", required=True)

    def action(
        name: str, handler: Handler, help_text: str, *, under: Any = sub, description: str = ""
    ) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = under.add_parser(
            name, help=help_text, description=description or help_text
        )
        data_dir_option(parser)
        parser.set_defaults(func=_guarded(handler))
        return parser

    lst = action("list", cmd_list, "list rooms and upcoming scheduled sessions")
    lst.add_argument("--days", type=int, default=7, help="how far ahead to list sessions")
    add = action("add", cmd_add, "add a room")
    add.add_argument("name")
    add.add_argument("--topic", default="", help="what the room is for")
    add.add_argument("--private", action="store_true", help="only invited members may enter")
    add.add_argument("--language", default="", help=f"the language it is for: {LANGUAGE_CHOICES}")
    theme = action("theme", cmd_theme, "set a room's topic")
    theme.add_argument("name")
    theme.add_argument("topic")
    close = action("close", _set_closed(True), "close a room (history is kept)")
    close.add_argument("name")
    reopen = action("reopen", _set_closed(False), "open a closed room again")
    reopen.add_argument("name")
    language = action(
        "language",
        cmd_language,
        "mark a room with the language it is for (members reading it find it first)",
        description="Mark a room with a language, e.g. bbs admin room language Lobby de; "
        "- or any clears it.",
    )
    language.add_argument("name")
    language.add_argument("language", help=LANGUAGE_CHOICES)
    slow = action("slow", cmd_slow, "set slow mode: seconds between one member's lines")
    slow.add_argument("name")
    slow.add_argument("seconds", type=int)
    invite = action("invite", cmd_invite, "let a member into a private room")
    invite.add_argument("name")
    invite.add_argument("member")

    event = sub.add_parser("event", help="scheduled sessions in rooms")
    event_sub = event.add_subparsers(dest="event_command", metavar="ACTION", required=True)
    event_add = action(
        "add",
        cmd_event_add,
        "schedule a session",
        under=event_sub,
        description="Schedule a session in a room, e.g. "
        "bbs admin room event add 'Check-in circle' '2026-11-29 19:00' 'Sunday check-in' "
        "--host robin",
    )
    event_add.add_argument("room")
    event_add.add_argument("when", help="'YYYY-MM-DD HH:MM', UTC")
    event_add.add_argument("topic")
    event_add.add_argument("--host", default=None, help="the member hosting it")
    event_add.add_argument("--minutes", type=int, default=60, help="how long it runs")
    event_remove = action(
        "remove",
        cmd_event_remove,
        "cancel a scheduled session by its number (`bbs admin room list` shows them)",
        under=event_sub,
    )
    event_remove.add_argument("id", type=int, help="the session's number, e.g. 3 for #3")


__all__ = ["register"]
