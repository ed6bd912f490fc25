"""`bbs admin queue|warn|mute|suspend|ban|lift|audit|note|set|help|guidelines`: the admin
screen's CLI twins."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from bbs import sysop_settings
from bbs.accounts.pseudonyms import normalize_pseudonym
from bbs.admin import review as admin
from bbs.admin.review import AuditFilter, AuditView
from bbs.config import default_data_dir, load_settings
from bbs.db import Database
from bbs.i18n import LANGUAGES
from bbs.models import Member, Role
from bbs.moderation_queue.audit import AdminError, audit_action, require_staff
from bbs.moderation_queue.sanctions import SanctionKind, parse_length
from bbs.posted_events import post_announcements

Handler = Callable[[argparse.Namespace], int]
MODERATOR_ACTING = "the moderator or sysop acting (default: the first sysop)"
SYSOP_ACTING = "the sysop acting (default: the first sysop)"
# `bbs admin set KEY VALUE`: what a sysop may set from the command line, and its setting.
SETTINGS = {
    "on-call": "on_call_note",
    "announcement": "announcement",
    "reasons": "reason_categories",
    "public-log": admin.PUBLIC_LOG_SWITCH,
    "new-member-message-hours": sysop_settings.NEW_MEMBER_MESSAGE_HOURS,
}


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


@contextmanager
def _database(args: argparse.Namespace) -> Iterator[Database]:
    settings = load_settings(args.data_dir or default_data_dir(), database_url=args.database_url)
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    database = Database(settings.database_url, pool_size=1)
    try:
        database.migrate()
        yield database
    finally:
        database.dispose()


@contextmanager
def write_for_server(database: Database) -> Iterator[Session]:
    """A write transaction whose announcements reach the running server.

    A sanction, a new banner or a room's change announces itself (bbs.events.announce);
    from a shell there is no bus to publish on, so the events are posted in the same
    transaction for the server to follow (bbs.posted_events): the suspended member's
    session ends at once, and members in a closed room are told.
    """
    with database.write() as session:
        yield session
        post_announcements(session)


def _actor(session: Session, name: str | None) -> int:
    """The sysop the command acts as: --as NAME, else the first sysop (the host's account)."""
    if name:
        member = session.exec(
            select(Member).where(Member.pseudonym_key == normalize_pseudonym(name))
        ).first()
    else:
        member = session.exec(
            select(Member).where(Member.role == Role.SYSOP.value).order_by(col(Member.id))
        ).first()
    if member is None or member.id is None:
        raise AdminError(
            "No sysop to act as: add one with `bbs admin user add NAME --role "
            "sysop`, or name one with --as."
        )
    return member.id


def _guarded(handler: Handler) -> Handler:
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except (AdminError, ValueError) as error:
            sys.stderr.write(f"bbs: {error}\n")
            return 1

    return run


def _when(text: str | None) -> datetime | None:
    return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC) if text else None


def cmd_queue(args: argparse.Namespace) -> int:
    with _database(args) as database, database.read() as session:
        items = admin.review_queue(session, actor_id=_actor(session, args.as_name))
    _out(f"{'flag':<6}{'kind':<8}{'age':<18}{'author':<16}{'what':<10}text")
    for i in items:
        text = i.item.text.replace("\n", " ")[:40]
        _out(
            f"{i.flag_id:<6}{i.kind.value:<8}{i.created_at:%Y-%m-%d %H:%M}  "
            f"{i.author[:15]:<16}{i.target_kind[:9]:<10}{text}"
        )
    _out(f"{len(items)} open.")
    return 0


def _on_member(args: argparse.Namespace, act: Callable[..., AuditView], **extra: Any) -> AuditView:
    """A sanction or a lift on the member NAME, for --reason and --category, audited."""
    with _database(args) as database, write_for_server(database) as session:
        return act(
            session,
            actor_id=_actor(session, args.as_name),
            pseudonym=args.name,
            category=args.category,
            reason=args.reason,
            **extra,
        )


def cmd_sanction(args: argparse.Namespace) -> int:
    kind = SanctionKind(args.admin_command)
    length = parse_length(args.length) if getattr(args, "length", None) else None
    entry = _on_member(args, admin.sanction_member, kind=kind, length=length)
    _out(f"{entry.action}: {entry.member} {entry.detail}".rstrip() + ". The member is told.")
    return 0


def cmd_lift(args: argparse.Namespace) -> int:
    kind = SanctionKind(args.kind) if args.kind else None
    entry = _on_member(args, admin.lift, kind=kind)
    _out(f"lift: {entry.member} ({entry.detail}). The member is told.")
    return 0


def _entries(args: argparse.Namespace) -> list[AuditView]:
    filters = AuditFilter(
        moderator=args.moderator,
        member=args.member,
        action=args.action,
        since=_when(args.since),
        until=_when(args.until),
    )
    with _database(args) as database, database.read() as session:
        return admin.audit_log(
            session, actor_id=_actor(session, args.as_name), filters=filters, limit=100_000
        )


def cmd_audit(args: argparse.Namespace) -> int:
    if args.export is not None:
        return _export(args, args.export)
    entries = _entries(args)
    for e in reversed(entries):
        why = ": ".join(p for p in (e.category, e.reason) if p)
        _out(
            f"{e.created_at:%Y-%m-%d %H:%M}  {e.actor:<14} {e.action:<11} {e.member:<14} "
            f"{why}  {e.detail}".rstrip()
        )
    _out(f"{len(entries)} entries.")
    return 0


def _write_private(target: Path, text: str, *, newline: str | None = None) -> None:
    """`text` to `target`, readable by the host only, whole or not at all."""
    tmp = target.with_name(target.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as handle:
        handle.write(text)
    os.replace(tmp, target)


def _export(args: argparse.Namespace, target: Path) -> int:
    text = admin.audit_csv(_entries(args))
    # The log names members and moderators: readable by the host only.
    _write_private(target, text, newline="")
    _out(f"Wrote {max(0, text.count(chr(10)) - 1)} entries to {target}.")
    return 0


def cmd_note(args: argparse.Namespace) -> int:
    with _database(args) as database, write_for_server(database) as session:
        admin.add_note(
            session, actor_id=_actor(session, args.as_name), pseudonym=args.name, text=args.text
        )
    _out("Note kept (moderators only see it).")
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    value = args.value.replace("\\n", "\n")
    if args.key == "new-member-message-hours":
        try:
            value = str(sysop_settings.parse_message_hours(value))
        except ValueError as error:
            sys.stderr.write(f"{error}\n")
            return 2
    with _database(args) as database, write_for_server(database) as session:
        actor = require_staff(session, _actor(session, args.as_name), sysop=True)
        sysop_settings.put_setting(session, SETTINGS[args.key], value)
        audit_action(
            session,
            actor=actor,
            action=admin.Decision.SETTING.value,
            reason=SETTINGS[args.key],
            detail=value[:120],
        )
    _out(f"{args.key} set." if value else f"{args.key} cleared.")
    return 0


def register(admin_sub: Any, data_dir_option: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the moderation subcommands to `bbs admin`."""

    def common(parser: argparse.ArgumentParser, handler: Handler) -> None:
        _handled_by(parser, handler, data_dir_option, acting=MODERATOR_ACTING)

    common(admin_sub.add_parser("queue", help="the review queue, crisis alerts first"), cmd_queue)
    for kind, blurb in (
        ("warn", "warn a member"),
        ("mute", "mute a member for a time (they can read, not post)"),
        ("suspend", "suspend a member for a time (no login)"),
        ("ban", "ban a member (pseudonym and keys refused)"),
    ):
        p = admin_sub.add_parser(kind, help=blurb)
        _member_and_reason(
            p, reason="why, in words the member will read", category="a reason category, e.g. Spam"
        )
        if kind in ("mute", "suspend"):
            p.add_argument(
                "--for",
                dest="length",
                default=None,
                help="how long: 90m, 24h, 7d, 2w (default 24h mute, 7d suspend)",
            )
        common(p, cmd_sanction)
    lift = admin_sub.add_parser("lift", help="lift a member's mute, suspension or ban")
    _member_and_reason(lift)
    lift.add_argument(
        "--kind",
        choices=[k.value for k in SanctionKind],
        default=None,
        help="lift only this kind (default: everything that restricts)",
    )
    common(lift, cmd_lift)
    audit = admin_sub.add_parser("audit", help="the audit log; `audit export FILE` writes CSV")
    audit.add_argument("export_word", nargs="?", choices=["export"], help=argparse.SUPPRESS)
    audit.add_argument("file", nargs="?", type=Path, help="CSV file to write (with export)")
    audit.add_argument("--moderator", default=None)
    audit.add_argument("--member", default=None)
    audit.add_argument("--action", default=None, help="e.g. hide, ban, approve")
    audit.add_argument("--since", default=None, help="YYYY-MM-DD (UTC)")
    audit.add_argument("--until", default=None, help="YYYY-MM-DD (UTC), exclusive")
    common(audit, _audit_entry)
    note = admin_sub.add_parser("note", help="a private moderator note on a member")
    note.add_argument("name")
    note.add_argument("text")
    common(note, cmd_note)
    setting = admin_sub.add_parser(
        "set",
        help="on-call note, announcement banner, reason "
        "categories (one a line, \\n between), public-log on|off, "
        "new-member-message-hours (0-720, default 24)",
    )
    setting.add_argument("key", choices=sorted(SETTINGS))
    setting.add_argument("value", help="the text ('' clears it)")
    common(setting, cmd_set)
    export = admin_sub.add_parser(
        "export", help="everything of one member's as JSON (what `ssh NAME@host export` gives)"
    )
    export.add_argument("name")
    export.add_argument(
        "--output",
        "-o",
        type=Path,
        default=None,
        help="file to write (mode 0600); default: standard output",
    )
    _handled_by(export, cmd_member_export, data_dir_option)
    _register_resources(admin_sub, data_dir_option)
    _register_texts(admin_sub, data_dir_option)


def _handled_by(
    parser: argparse.ArgumentParser,
    handler: Handler,
    data_dir_option: Callable[[argparse.ArgumentParser], None],
    *,
    acting: str | None = None,
) -> None:
    """The data directory options and the handler of an admin subcommand, and --as NAME
    (with `acting` as its help) where someone acts."""
    if acting is not None:
        parser.add_argument("--as", dest="as_name", default=None, help=acting)
    data_dir_option(parser)
    parser.set_defaults(func=_guarded(handler))


def _member_and_reason(
    parser: argparse.ArgumentParser, *, reason: str | None = None, category: str | None = None
) -> None:
    """The member NAME acted on, --reason (required) and --category."""
    parser.add_argument("name")
    parser.add_argument("--reason", required=True, help=reason)
    parser.add_argument("--category", default="", help=category)


def _audit_entry(args: argparse.Namespace) -> int:
    if args.export_word == "export":
        if args.file is None:
            raise AdminError("Say where to write: bbs admin audit export FILE")
        args.export = args.file
    else:
        args.export = None
    return cmd_audit(args)


# -- `bbs admin export NAME [--output FILE]`: a member's data, as they would download it --
def cmd_member_export(args: argparse.Namespace) -> int:
    from bbs.accounts import members as accounts
    from bbs.privacy import records as privacy

    with _database(args) as database, database.read() as session:
        member = accounts.get_member(session, args.name)
        if member is None:
            raise AdminError(f"No member is called {args.name!r}.")
        text = privacy.export_json(session, member.id)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    # A member's private messages and check-ins: readable by the host only.
    _write_private(args.output, text)
    sys.stderr.write(f"Wrote {member.pseudonym}'s data to {args.output}.\n")
    return 0


# -- `bbs admin help|guidelines show|set`: the texts every node shows ---------------------
def _seeded(database: Database, args: argparse.Namespace) -> None:
    """Seed the texts as a starting server would, so a shell sees what members will."""
    from bbs.texts.records import seed_texts

    data_dir = load_settings(args.data_dir or default_data_dir()).data_dir
    with database.write() as session:
        seed_texts(session, data_dir)


def cmd_text_show(args: argparse.Namespace) -> int:
    from bbs.i18n import DEFAULT_LANGUAGE
    from bbs.texts.records import all_texts, normalise_country, shipped

    kind = args.text_kind
    country = normalise_country(getattr(args, "country", ""))
    with _database(args) as database:
        _seeded(database, args)
        with database.read() as session:
            texts = all_texts(session)
    for key in ((args.lang, country), (args.lang, ""), (DEFAULT_LANGUAGE, "")):
        if (kind, *key) in texts:
            if key != (args.lang, country):
                sys.stderr.write(
                    f"(none of its own: members read {'.'.join(k for k in key if k)})\n"
                )
            sys.stdout.write(texts[(kind, *key)])
            return 0
    sys.stdout.write(shipped(kind, args.lang) or shipped(kind, DEFAULT_LANGUAGE))
    return 0


def cmd_text_set(args: argparse.Namespace) -> int:
    from bbs.text_safety import clean_text
    from bbs.texts.records import GUIDELINES, HELP, put_text

    kind = args.text_kind
    try:
        raw = sys.stdin.read(_BODY_READ_MAX) if args.file == "-" else args.file.read_text("utf-8")
    except OSError as error:
        sys.stderr.write(f"Could not read {args.file}: {error.strerror}.\n")
        return 2
    cleaned = clean_text(raw).strip()
    if not cleaned:
        sys.stderr.write(f"The {kind} cannot be empty.\n")
        return 2
    country = getattr(args, "country", "")
    with _database(args) as database:
        _seeded(database, args)
        with write_for_server(database) as session:
            actor_id = _actor(session, args.as_name)
            actor = require_staff(session, actor_id, sysop=True)
            put_text(session, kind, args.lang, cleaned + "\n", country)
            if kind == GUIDELINES:
                version = admin.publish_guidelines_version(session, actor_id=actor_id)
                done = f"guidelines ({args.lang}) set: version {version}, everyone agrees again."
            else:
                where = f"help text {args.lang}" + (f" {country.upper()}" if country else "")
                audit_action(
                    session,
                    actor=actor,
                    action=admin.Decision.SETTING.value,
                    reason=where,
                    detail=cleaned[:120],
                )
                done = f"{where} set."
    _out(done + " Every running node shows it within seconds." if kind == HELP else done)
    return 0


def _register_texts(
    admin_sub: Any, data_dir_option: Callable[[argparse.ArgumentParser], None]
) -> None:
    from bbs.i18n import DEFAULT_LANGUAGE, LANGUAGES

    for kind, blurb in (
        ("help", "the help and crisis lines behind F1 (per language, and per country)"),
        ("guidelines", "the community guidelines shown at sign-up (per language)"),
    ):
        parser = admin_sub.add_parser(kind, help=f"{blurb}: show, set FILE")
        sub = parser.add_subparsers(dest="text_command", required=True)
        show = sub.add_parser("show", help="print the text members read")
        change = sub.add_parser("set", help="replace it on every node (audited)")
        change.add_argument("file", type=Path, help="a UTF-8 text file; - reads stdin")
        for p in (show, change):
            p.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE)
            if kind == "help":
                p.add_argument(
                    "--country",
                    default="",
                    help="a two-letter country code: the lines shown there instead",
                )
            p.set_defaults(text_kind=kind)
        _handled_by(show, cmd_text_show, data_dir_option)
        _handled_by(change, cmd_text_set, data_dir_option, acting=SYSOP_ACTING)


# -- `bbs admin resource list|show|add|edit|retire|restore`: the resource library ---------
_BODY_READ_MAX = 64 * 4000  # far beyond a body's limit: enough to say how long it was


def _read_body(source: str) -> str:
    """A body from a file, or from standard input when the file is "-"."""
    from bbs.resources.records import ResourceError

    try:
        if source == "-":
            return sys.stdin.read(_BODY_READ_MAX)
        with open(source, encoding="utf-8", errors="replace") as handle:
            return handle.read(_BODY_READ_MAX)
    except OSError as error:
        raise ResourceError(f"Could not read the body from {source}: {error.strerror}.") from None


def _resource_line(record: Any) -> str:
    from bbs.text_safety import clean_line

    view = record.view
    state = "retired" if record.retired else "shown"
    return (
        f"{view.id:<5}{view.lang:<5}{state:<9}{clean_line(view.slug)[:28]:<29}"
        f"{clean_line(view.title)[:40]:<41}{clean_line(', '.join(view.tags))}"
    ).rstrip()


def _resource_fields(args: argparse.Namespace, body: str | None) -> dict[str, Any]:
    """What `add` and `edit` both take (None leaves a field as it is when editing)."""
    return {"title": args.title, "body": body, "source": args.source, "tags": args.tags}


def cmd_resource(args: argparse.Namespace) -> int:
    from bbs.resources import records as resources
    from bbs.text_safety import clean_line, clean_text

    what = args.resource_command
    with _database(args) as database:
        # The default set is written the first time, as `bbs serve` would, so an entry
        # added here before the first start never stands in for the whole library.
        with database.write() as session:
            resources.seed_default_resources(session)
        if what == "list":
            with database.read() as session:
                records = [
                    r
                    for r in resources.all_resources(session)
                    if (args.all or not r.retired) and args.lang in (None, r.view.lang)
                ]
            _out(f"{'id':<5}{'lang':<5}{'state':<9}{'slug':<29}{'title':<41}tags")
            for record in records:
                _out(_resource_line(record))
            _out(f"{len(records)} entries.")
            return 0
        if what == "show":
            with database.read() as session:
                record = resources.find_resource(session, args.key, args.lang)
            view = record.view
            _out(_resource_line(record))
            _out(f"Source: {clean_line(view.source)}\n\n{clean_text(view.body)}")
            return 0
        body = _read_body(args.body_file) if getattr(args, "body_file", None) else None
        with database.write() as session:
            actor = _actor(session, args.as_name)
            if what == "add":
                if body is None:
                    raise resources.ResourceError(
                        "Give the body with --body-file FILE (or --body-file - for stdin)."
                    )
                view = resources.add_resource(
                    session,
                    actor_id=actor,
                    slug=args.slug or "",
                    lang=args.lang,
                    **_resource_fields(args, body),
                )
                _out(f"Added {view.id} ({view.slug}): {clean_line(view.title)}.")
                return 0
            record = resources.find_resource(session, args.key, args.lang)
            if what == "edit":
                fields = _resource_fields(args, body)
                if all(v is None for v in fields.values()):
                    raise resources.ResourceError(
                        "Nothing to change: give --title, --tags, --source or --body-file."
                    )
                view = resources.edit_resource(
                    session, actor_id=actor, resource_id=record.view.id, **fields
                )
                _out(f"Saved {view.id} ({view.slug}): {clean_line(view.title)}.")
                return 0
            done = resources.retire_resource(
                session, actor_id=actor, resource_id=record.view.id, retired=what == "retire"
            )
            _out(
                f"{'Retired' if done.retired else 'Restored'} {done.view.id} "
                f"({done.view.slug}): {clean_line(done.view.title)}."
            )
            return 0


def _register_resources(
    admin_sub: Any, data_dir_option: Callable[[argparse.ArgumentParser], None]
) -> None:
    resource = admin_sub.add_parser(
        "resource", help="the resource library: list, show, add, edit, retire, restore"
    )
    sub = resource.add_subparsers(dest="resource_command", metavar="ACTION", required=True)

    def common(parser: argparse.ArgumentParser) -> None:
        _handled_by(parser, cmd_resource, data_dir_option, acting=SYSOP_ACTING)

    listing = sub.add_parser("list", help="entries members see (--all: retired ones too)")
    listing.add_argument("--all", action="store_true", help="include retired entries")
    listing.add_argument(
        "--lang", default=None, choices=LANGUAGES, help="one language only (default: all)"
    )
    common(listing)
    show = sub.add_parser("show", help="one entry in full")
    show.add_argument("key", help="the entry's number or slug")
    _slug_language(show)
    common(show)
    add = sub.add_parser("add", help="add an entry (audited)")
    add.add_argument("--title", required=True, help="up to 80 characters")
    add.add_argument("--tags", required=True, help='comma-separated, e.g. "sleep, anxiety"')
    add.add_argument(
        "--source", required=True, help='an honest source line, e.g. "Written for this community"'
    )
    add.add_argument(
        "--body-file",
        required=True,
        help="file with the body (up to 4,000 characters); - reads stdin",
    )
    add.add_argument(
        "--slug",
        default=None,
        help="short name (default: from the title); another language's slug makes a translation",
    )
    add.add_argument(
        "--lang", default="en", choices=LANGUAGES, help="the entry's language (default: en)"
    )
    common(add)
    edit = sub.add_parser("edit", help="change an entry's fields (audited)")
    edit.add_argument("key", help="the entry's number or slug")
    edit.add_argument("--title", default=None)
    edit.add_argument("--tags", default=None)
    edit.add_argument("--source", default=None)
    edit.add_argument("--body-file", default=None, help="file with the new body; - reads stdin")
    _slug_language(edit)
    common(edit)
    for name, blurb in (
        ("retire", "hide an entry from members (audited; can be restored)"),
        ("restore", "bring a retired entry back (audited)"),
    ):
        p = sub.add_parser(name, help=blurb)
        p.add_argument("key", help="the entry's number or slug")
        _slug_language(p)
        common(p)


def _slug_language(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        default="en",
        choices=LANGUAGES,
        help="the language of the entry a slug names (default: en)",
    )
