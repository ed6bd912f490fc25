"""The `bbs` command: serve, admin and moderation subcommands."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import getpass
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bbs.accounts import members as accounts
from bbs.accounts.members import AccountError
from bbs.accounts.passwords import (
    PasswordError,
    PasswordService,
    check_new_password,
    new_recovery_code,
    normalise_recovery_code,
)
from bbs.accounts.pseudonyms import PseudonymError, validate_pseudonym
from bbs.boards.records import PostError
from bbs.config import ClusterSettings, ConfigError, Settings, default_data_dir, load_settings
from bbs.db import Database, StoreBusyError
from bbs.models import Role
from bbs.places import LANGUAGE_CHOICES, for_whom

Handler = Callable[[argparse.Namespace], int]


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def _data_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="data directory (database, host key, texts); default $BBS_DATA_DIR or ./bbs-data",
    )
    parser.add_argument(
        "--database-url",
        default=None,
        help="SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db (default: SQLite in the "
        "data directory, or $BBS_DATABASE_URL)",
    )


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(
        args.data_dir or default_data_dir(),
        database_url=args.database_url,
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
    )


def _database(args: argparse.Namespace) -> tuple[Settings, Database]:
    settings = _settings(args)
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    database = Database(settings.database_url, pool_size=1)
    database.migrate()
    return settings, database


# -- serve ----------------------------------------------------------------------------
def cmd_serve(args: argparse.Namespace) -> int:
    from server.logs import configure_logging
    from server.ssh_server import serve_forever

    settings = _settings(args)
    if args.workers is not None:
        # N processes sharing the port (server/workers.py); each is a `serve --worker`.
        from server.workers import WorkersError, check_workers, run_workers

        try:
            check_workers(settings, args.workers)
        except WorkersError as error:
            _err(f"bbs serve: {error}")
            return 1
        return run_workers(settings, args.workers)
    if args.worker:
        # Workers are nodes of one community: they share live events (bbs.events_postgres).
        settings = dataclasses.replace(
            settings, reuse_port=True, cluster=settings.cluster or ClusterSettings()
        )
    # SQLite: one server per database file, for the server's whole life (bbs.node_lock).
    from bbs.node_lock import NodeLockError, hold_server_lock

    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        node_lock = hold_server_lock(settings.database_url)
    except NodeLockError as error:
        _err(f"bbs serve: {error}")
        return 1
    log_file = settings.data_dir / settings.log_file if settings.log_file else None
    configure_logging(settings.log_level, file=log_file, retention_days=settings.log_retention_days)
    try:
        asyncio.run(serve_forever(settings))
    except OSError as error:
        _err(f"bbs serve: cannot listen on {settings.host}:{settings.port}: {error.strerror}")
        return 1
    finally:
        node_lock.release()
    return 0


# -- admin user ... -------------------------------------------------------------------
def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    second = getpass.getpass("Password again: ")
    check_new_password(first, second)
    return first


def cmd_user_add(args: argparse.Namespace) -> int:
    settings, database = _database(args)
    # The host chooses here: reserved names such as "sysop" are theirs to give.
    pseudonym = validate_pseudonym(args.name, allow_reserved=True)
    password = _read_password(args)
    check_new_password(password, password)
    hasher = PasswordService(settings.argon2)
    code = new_recovery_code()
    with database.write() as session:
        member = accounts.create_member(
            session,
            pseudonym=pseudonym,
            password_hash=hasher.hash(password),
            recovery_hash=hasher.hash(normalise_recovery_code(code)),
            role=Role(args.role),
        )
    _out(f"Added {member.pseudonym} ({member.role.value}).")
    _out(f"Recovery code (give it to them, it is shown only once): {code}")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    database = _database(args)[1]
    with database.read() as session:
        members = accounts.list_members(session)
    _out(f"{'pseudonym':<26}{'role':<11}{'joined':<12}last login")
    for m in members:
        last = m.last_login_at.strftime("%Y-%m-%d %H:%M") if m.last_login_at else "-"
        _out(f"{m.pseudonym:<26}{m.role.value:<11}{m.created_at:%Y-%m-%d}  {last}")
    return 0


def cmd_user_role(args: argparse.Namespace) -> int:
    database = _database(args)[1]
    with database.write() as session:
        member = accounts.set_role(session, args.name, Role(args.role))
    _out(f"{member.pseudonym} is now {member.role.value}.")
    return 0


def cmd_user_key_add(args: argparse.Namespace) -> int:
    import asyncssh

    from server.ssh_server import key_info

    database = _database(args)[1]
    try:
        key = asyncssh.read_public_key(str(args.keyfile))
    except (OSError, ValueError, asyncssh.KeyImportError) as error:
        _err(f"Cannot read a public key from {args.keyfile}: {error}")
        return 1
    with database.write() as session:
        member = accounts.get_member(session, args.name)
        if member is None:
            raise AccountError(f"No member is called {args.name!r}.")
        accounts.bind_key(session, member_id=member.id, key=key_info(key))
    _out(f"Key {key.get_fingerprint('sha256')} now logs in {member.pseudonym}.")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    database = _database(args)[1]
    target = Path(args.target)
    if target.exists():
        _err(f"{target} exists; choose a new file name.")
        return 1
    database.backup(target)
    _out(f"Backed up to {target}.")
    return 0


# -- admin board ... ------------------------------------------------------------------
def cmd_board(args: argparse.Namespace) -> int:
    from bbs.boards import records as boards
    from server.admin_cli import write_for_server

    database = _database(args)[1]
    action = args.board_command
    # A board's new language reaches the running server's board lists (bbs.places).
    with write_for_server(database) as session:
        if action == "add":
            board = boards.add_board(session, args.name, args.description, args.language)
        elif action == "language":
            board = boards.set_board_language(session, args.name, args.language)
            _out(f"Board {board.name!r}: {for_whom(board.language)}.")
            return 0
        elif action == "rename":
            board = boards.rename_board(session, args.name, args.new_name)
        elif action == "move":
            board = boards.move_board(session, args.name, args.position)
        elif action in ("archive", "unarchive"):
            board = boards.archive_board(session, args.name, action == "archive")
        else:
            _out(f"{'#':<4}{'board':<42}{'state':<10}language")
            for number, b in enumerate(boards.all_boards(session), start=1):
                state = "archived" if b.archived else "open"
                _out(f"{number:<4}{b.name:<42}{state:<10}{b.language or 'any'}")
            return 0
    state = "archived" if board.archived else "open"
    _out(f"Board {board.name!r} ({state}).")
    return 0


def _board_parser(admin_sub: Any) -> None:
    board = admin_sub.add_parser("board", help="boards: add, rename, move, archive, language, list")
    board_sub = board.add_subparsers(dest="board_command", metavar="ACTION", required=True)
    add = board_sub.add_parser("add", help="add a board at the end of the list")
    add.add_argument("name")
    add.add_argument("--description", default="", help="one line shown under the name")
    add.add_argument("--language", default="", help=f"the language it is for: {LANGUAGE_CHOICES}")
    language = board_sub.add_parser(
        "language",
        help="mark a board with the language it is for (members reading it find it first)",
        description="Mark a board with a language, e.g. bbs admin board language Ansiedad es; "
        "- or any clears it.",
    )
    language.add_argument("name")
    language.add_argument("language", help=LANGUAGE_CHOICES)
    rename = board_sub.add_parser("rename", help="rename a board")
    rename.add_argument("name")
    rename.add_argument("new_name")
    move = board_sub.add_parser("move", help="put a board at a position (1 = first)")
    move.add_argument("name")
    move.add_argument("position", type=int)
    archive = board_sub.add_parser("archive", help="close a board (read-only, off the list)")
    archive.add_argument("name")
    unarchive = board_sub.add_parser("unarchive", help="open an archived board again")
    unarchive.add_argument("name")
    lst = board_sub.add_parser("list", help="list boards, archived ones too")
    for sub in (add, rename, move, archive, unarchive, language, lst):
        _data_dir_option(sub)
        sub.set_defaults(func=cmd_board)


# -- the parser -----------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bbs", description="A peer-support BBS that lives in the terminal, reached over SSH."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    serve = sub.add_parser("serve", help="run the SSH server", description="Run the SSH server.")
    serve.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port to listen on (default 2222)")
    serve.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="run N server processes sharing the port (PostgreSQL only; README, Several nodes)",
    )
    serve.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    _data_dir_option(serve)
    serve.set_defaults(func=cmd_serve)

    admin = sub.add_parser("admin", help="manage members and the store (works while serving)")
    admin_sub = admin.add_subparsers(dest="admin_command", metavar="WHAT", required=True)
    user = admin_sub.add_parser("user", help="members: add, list, role, key")
    user_sub = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)

    add = user_sub.add_parser("add", help="add a member (for example the first sysop)")
    add.add_argument("name", help="pseudonym")
    add.add_argument("--role", choices=[r.value for r in Role], default=Role.MEMBER.value)
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from one line of stdin"
    )
    _data_dir_option(add)
    add.set_defaults(func=cmd_user_add)

    lst = user_sub.add_parser("list", help="list members")
    _data_dir_option(lst)
    lst.set_defaults(func=cmd_user_list)

    role = user_sub.add_parser("role", help="set a member's role")
    role.add_argument("name")
    role.add_argument("role", choices=[r.value for r in Role])
    _data_dir_option(role)
    role.set_defaults(func=cmd_user_role)

    key = user_sub.add_parser("key", help="SSH keys that log a member in")
    key_sub = key.add_subparsers(dest="key_command", metavar="ACTION", required=True)
    key_add = key_sub.add_parser("add", help="let a public key file log the member in")
    key_add.add_argument("name")
    key_add.add_argument("keyfile", type=Path, help="an OpenSSH public key file (.pub)")
    _data_dir_option(key_add)
    key_add.set_defaults(func=cmd_user_key_add)

    _board_parser(admin_sub)

    backup = admin_sub.add_parser("backup", help="copy the SQLite database safely while serving")
    backup.add_argument("target", help="new file to write")
    _data_dir_option(backup)
    backup.set_defaults(func=cmd_backup)

    from server.room_cli import register as register_rooms

    register_rooms(admin_sub, _data_dir_option)

    from server.admin_cli import register as register_admin

    register_admin(admin_sub, _data_dir_option)

    from server.migrate_cli import register as register_move

    register_move(admin_sub, _data_dir_option)

    moderation = sub.add_parser("moderation", help="the local moderation model")
    try:
        from moderation.cli import register
    except ImportError:  # pragma: no cover - the package ships with the project
        moderation.set_defaults(func=lambda _a: 1)
    else:
        register(moderation)
    return parser


def _sharing_the_model(args: argparse.Namespace, func: Handler) -> Handler:
    """`bbs moderation train|retrain|rollback` start from the model every node shares and
    share what they make (server.model_sync): every running node loads it."""
    command = getattr(args, "moderation_command", None)
    if command not in ("train", "retrain", "rollback") or getattr(args, "ship", False):
        return func

    def run(args: argparse.Namespace) -> int:
        from server.model_sync import shared

        settings = load_settings(args.data_dir or default_data_dir())
        settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        database = Database(settings.database_url, pool_size=1)
        try:
            database.migrate()
            with shared(database, settings.data_dir):
                return func(args)
        finally:
            database.dispose()

    return run


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Handler | None = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    func = _sharing_the_model(args, func)
    try:
        return func(args)
    except (
        AccountError,
        PasswordError,
        PseudonymError,
        ConfigError,
        StoreBusyError,
        PostError,
    ) as error:
        _err(f"bbs: {error}")
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
