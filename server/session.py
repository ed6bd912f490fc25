"""One SSH channel: a pty, a Textual app behind our driver, and a clean end whatever happens."""

from __future__ import annotations

import asyncio
import logging
import secrets
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import asyncssh

from bbs.accounts.members import MemberView, PublicKeyInfo
from bbs.accounts.sessions import SessionInfo
from bbs.errors import StoreBusyError
from bbs.i18n import language_from_environment, localise, ready_language
from bbs.models import FrontEnd, utcnow
from bbs.terminal_caps import detect_colour_depth
from screens.app import BBSApp, SessionContext
from server.driver import SSHDriver, TerminalLink
from server.plain_io import PlainRun, SSHLineIO, front_end_for

if TYPE_CHECKING:
    from server.ssh_server import BBSServer, SessionRegistry

log = logging.getLogger(__name__)

# Every app ever started, weakly: tests and benchmarks prove none outlives its connection.
LIVE_APPS: weakref.WeakSet[BBSApp] = weakref.WeakSet()

NEEDS_TERMINAL = (
    "This BBS is a full-screen program and needs a terminal. "
    "Connect with: ssh -t -p {port} {user}@HOST\r\n"
    "Or in plain lines (screen readers, slow links): ssh -p {port} {user}@HOST plain\r\n"
)
FLOOD_NOTE = "You sent a lot very quickly, so some of it was skipped."
# `ssh NAME@host export > mine.json`: the one command a logged-in member may run.
EXPORT_COMMAND = "export"
EXPORT_FAILED = "Sorry, the export could not be made just now; nothing was changed. Try again.\r\n"


@dataclass(frozen=True)
class Arrival:
    """Who opened an SSH channel, as the login left it: what each of its sessions starts from."""

    # None for someone signing up (they become a member during the session).
    member: MemberView | None
    username: str
    # The key someone signing up offered, to add to their new account.
    offered_key: PublicKeyInfo | None
    source: str
    # Set when a limit turns this session away: said in one line, then exit status 1.
    refusal: str | None = None
    # Whether the session notes a member's login (`record_login`), and the fingerprint
    # of the key they logged in with (None for a password).
    note_login: bool = False
    login_key: str | None = None


class BBSSession(asyncssh.SSHServerSession[bytes]):
    """The session behind one SSH channel: runs the member's app until either side leaves."""

    def __init__(self, registry: SessionRegistry, *, server: BBSServer, arrival: Arrival) -> None:
        self._registry = registry
        self._server = server
        self._arrival = arrival
        # The member once they have logged in or signed up.
        self._member = arrival.member
        # The login still to note: with the full screen, by the read of its home screen.
        self._login_to_note = arrival.note_login and arrival.member is not None
        self._chan: asyncssh.SSHServerChannel[bytes] | None = None
        self._term: str | None = None
        self._size = (80, 24)
        self._has_pty = False
        self._command: str | None = None
        self._link: TerminalLink | None = None
        self._app: BBSApp | None = None
        # The client will send nothing more (EOF): a session app has nobody to serve.
        self._input_ended = False
        # The plain line front end, when this session runs it instead of the full screen.
        self._plain: PlainRun | None = None
        self.task: asyncio.Task[None] | None = None
        self._closing = False
        # For the member's own list of sessions (privacy screen): no address, ever.
        self.session_id = secrets.token_hex(6)
        self.started_at = utcnow()

    def info(self) -> SessionInfo:
        """This session as the member's session list shows it."""
        width, height = self._size
        link = self._link
        if link is not None:
            width, height = link.clamp(width, height)
        return SessionInfo(self.session_id, self.started_at, width, height)

    # -- asyncssh callbacks -----------------------------------------------------------
    def connection_made(self, chan: asyncssh.SSHServerChannel[bytes]) -> None:
        self._chan = chan

    def pty_requested(
        self, term_type: str, term_size: tuple[int, int, int, int], term_modes: Any
    ) -> bool:
        self._has_pty = True
        self._term = term_type
        width, height = term_size[0], term_size[1]
        self._size = (width or 80, height or 24)
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        self._command = command
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        return False

    def session_started(self) -> None:
        assert self._chan is not None
        refusal = self._arrival.refusal
        if refusal is not None:
            # In the member's language, or the one their client's locale asks for.
            language = (
                self._member.language
                if self._member is not None
                else language_from_environment(dict(self._chan.get_environment()))
            )
            self.task = asyncio.get_running_loop().create_task(self._refuse(refusal, language))
            return
        if (
            self._command is not None
            and self._command.strip() == EXPORT_COMMAND
            and self._member is not None
        ):
            # With or without a pty: the member's data as JSON on stdout, then exit 0.
            self._note_login()
            self.task = asyncio.get_running_loop().create_task(self._export(self._member))
            return
        front_end = front_end_for(self._command, self._term, self._has_pty, self._member)
        if front_end is None:
            # Not a terminal session, or a command we do not offer: say how to connect.
            self._note_login()
            port = self._registry.settings.port
            user = self._arrival.username if self._member else "new"
            self._chan.write(NEEDS_TERMINAL.format(port=port, user=user).encode())
            self._chan.exit(1)
            return
        if front_end is FrontEnd.PLAIN:
            self._note_login()
            run = self._run_plain()
        else:
            run = self._run()  # notes the login in the trip that reads the home screen
        self.task = asyncio.get_running_loop().create_task(run)

    def data_received(self, data: bytes, datatype: int | None) -> None:
        if self._plain is not None:
            self._plain.io.feed(data)
            return
        link = self._link
        if link is not None and link.driver is not None:
            link.driver.feed(data)

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        link = self._link
        if link is not None and link.driver is not None:
            link.driver.resize(width, height)
        if self._plain is not None:
            self._plain.io.resize(width, height)
        self._size = (width or 80, height or 24)

    def eof_received(self) -> bool:
        if self._plain is not None:
            # Piped input (`ssh host plain < lines`): read what came, answer, then exit.
            self._plain.io.eof()
            return True
        # The client has nothing more to send (`ssh -n`, `< /dev/null`, a here-string, or
        # a terminal closed): the app ends, but our side stays open until we have said
        # what we have to say. Returning False would make asyncssh send our EOF at once,
        # and the export written after it would fail silently and never exit.
        self._input_ended = True
        self._end_app()
        return True

    def connection_lost(self, exc: Exception | None) -> None:
        self._note_login()  # a channel closed before it asked for anything
        self._closing = True
        self._end_app()
        if self.task is None:
            # No app ever ran (no pty, or a command): nothing else will say we ended.
            self._registry.session_ended(self)

    def _note_login(self) -> None:
        """Note the member's login (when, with which key) in the background, once."""
        if self._login_to_note and self._member is not None:
            self._login_to_note = False
            accounts = self._registry.community.accounts
            asyncio.get_running_loop().create_task(
                accounts.record_login(self._member.id, self._arrival.login_key)
            )

    async def _refuse(self, refusal: str, language: str | None) -> None:
        chan = self._chan
        assert chan is not None
        try:
            await ready_language(language)  # read in a thread, the first time
            chan.write(localise(refusal, language or "en").encode() + b"\r\n")
            chan.exit(1)
        except (OSError, asyncssh.Error):
            pass
        finally:
            self._registry.session_ended(self)

    async def _export(self, member: MemberView) -> None:
        chan = self._chan
        assert chan is not None
        status = 0
        try:
            data = (await self._registry.community.privacy.export_json(member.id)).encode()
        except Exception:
            log.exception("export failed", extra={"member_id": member.id})
            data, status = b"", 1
        finally:
            self._registry.session_ended(self)
        if self._closing:
            return
        try:
            if status == 0:
                chan.write(data)
                log.info("member exported their data", extra={"member_id": member.id})
            else:
                chan.write_stderr(EXPORT_FAILED.encode())
        except (OSError, asyncssh.Error):
            log.info("the export could not be written", extra={"member_id": member.id})
            status = 1
        try:
            # Always said, even when writing failed: a client waiting for the exit status
            # would otherwise wait for ever.
            chan.exit(status)
        except (OSError, asyncssh.Error):
            pass

    # -- the app ----------------------------------------------------------------------
    def _end_app(self) -> None:
        if self._plain is not None:
            self._plain.hangup()
        app = self._app
        if app is not None and app.is_running:
            app.exit(0)

    def _overflow(self) -> None:
        # A client that stops reading is cut off; nobody else waits for it.
        log.info("closing a session whose client stopped reading")
        self._closing = True
        if self._chan is not None:
            self._chan.abort()
        self._end_app()

    def _input_dropped(self) -> None:
        app = self._app
        if app is not None and app.is_running:
            app.notify(FLOOD_NOTE, severity="warning", markup=False)

    def _became_member(self, member: MemberView) -> None:
        self._member = member
        self._registry.member_arrived(self, member)

    def goodbye(self, line: str) -> None:
        """Server shutdown, or the member ended this session from another: end the app and
        leave a last line on the member's terminal (a core message: in their language)."""
        if self._plain is not None:
            self._plain.end(line)
        app = self._app
        if app is not None:
            app.farewell = app.t(line)
            if app.is_running:
                app.exit(0)

    async def _run_plain(self) -> None:
        """The plain line front end (plain/): lines in, lines out, no escape sequences."""
        from plain.session import PlainContext

        assert self._chan is not None
        chan = self._chan
        io = SSHLineIO(
            chan,
            self._registry.settings.terminal,
            width=self._size[0],
            height=self._size[1],
            echo=self._has_pty,
            on_overflow=self._overflow,
            clock=self._registry.community.services.clock,
        )
        preferred = language_from_environment(dict(chan.get_environment()))
        # The member's language (or the one their client asks for) is read in a thread the
        # first time anyone uses it: nothing below reads a catalogue on the event loop.
        await ready_language(self._member.language if self._member else preferred)
        run = self._plain = PlainRun(io)
        if self._member is not None:
            self._registry.member_arrived(self, self._member)
        context = PlainContext(
            services=self._registry.community.services,
            member=self._member,
            offered_key=self._arrival.offered_key,
            source=self._arrival.source,
            session_id=self.session_id,
            on_member=self._became_member,
            preferred_language=preferred,
        )
        status = 1
        try:
            status = await run.run(context)
        finally:
            self._registry.session_ended(self)
            self._plain = None
            if not self._closing:
                try:
                    io.finish(run.farewell)
                    chan.exit(status)
                except (OSError, asyncssh.Error):
                    pass

    async def _run(self) -> None:
        assert self._chan is not None
        chan = self._chan
        settings = self._registry.settings
        environment = dict(chan.get_environment())
        services = self._registry.community.services
        preferred = language_from_environment(environment)
        await ready_language(self._member.language if self._member else preferred)
        home = None
        if self._member is not None:
            # One read for the whole home screen before the app starts: its first frame
            # is then complete, instead of five partial frames as each part arrives. The
            # login is noted in the same trip to the store, just before.
            try:
                if self._login_to_note:
                    self._login_to_note = False
                    home = await services.home.arrive(self._member, self._arrival.login_key)
                else:
                    home = await services.home.snapshot(self._member)
            except StoreBusyError:
                home = None  # the home screen reads it again itself
        context = SessionContext(
            services=services,
            home=home,
            member=self._member,
            detected_depth=detect_colour_depth(self._term, environment),
            offered_key=self._arrival.offered_key,
            source=self._arrival.source,
            session_id=self.session_id,
            on_member=self._became_member,
            # OpenSSH sends LANG and LC_* with `SendEnv LANG LC_*` (Debian's default).
            preferred_language=preferred,
        )
        limits = settings.terminal
        link = TerminalLink(
            channel=chan,
            width=self._size[0],
            height=self._size[1],
            max_width=limits.max_width,
            max_height=limits.max_height,
            mouse=self._member.mouse if self._member else True,
            max_output_buffer=limits.max_output_buffer,
            max_input_bytes_per_second=limits.max_input_bytes_per_second,
            max_input_byte_burst=limits.max_input_byte_burst,
            max_input_events_per_second=limits.max_input_events_per_second,
            max_input_event_burst=limits.max_input_event_burst,
            on_overflow=self._overflow,
            on_input_dropped=self._input_dropped,
            clock=services.clock,
        )
        self._link = link
        app = BBSApp(context, driver_class=SSHDriver, terminal_link=link)
        self._app = app
        if self._input_ended:
            # EOF came while the app was being prepared (`ssh -tt -n`): it ends as soon
            # as it starts, rather than waiting for keys that can never come.
            app.exit(0)
        LIVE_APPS.add(app)
        if self._member is not None:
            self._registry.member_arrived(self, self._member)
        status = 1
        try:
            await app.run_async(mouse=link.mouse)
            status = app.return_code if app.return_code is not None else 0
        except Exception:
            log.exception("session app failed")
        finally:
            farewell = app.farewell
            self._registry.session_ended(self)
            self._app = None
            self._link = None
            link.driver = None
            if not self._closing:
                try:
                    if farewell:
                        chan.write(farewell.encode() + b"\r\n")
                    chan.exit(status)
                except (OSError, asyncssh.Error):
                    pass
