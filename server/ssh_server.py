"""The SSH door: host key, authentication with OpenSSH-style limits, sessions, shutdown."""

from __future__ import annotations

import asyncio
import ctypes
import gc
import logging
import os
import signal
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import asyncssh

from bbs.accounts.members import MemberView, PublicKeyInfo
from bbs.accounts.sessions import LiveSessions, server_full, too_many_sessions
from bbs.community import Community
from bbs.config import Settings, with_overrides
from bbs.i18n import preload_languages
from bbs.text_safety import clean_text
from server.session import Arrival, BBSSession
from server.wiring import build_community

if TYPE_CHECKING:
    from server.model_sync import SharedModel

log = logging.getLogger(__name__)

SIGNUP_NAME = "new"
SHUTDOWN_LINE = (
    "The BBS is shutting down for a moment. Everything you saw saved is safe. Goodbye for now."
)


def load_or_create_host_key(path: Path) -> asyncssh.SSHKey:
    """The server's ed25519 host key, made once (mode 0600) and kept across restarts."""
    if path.exists():
        return asyncssh.read_private_key(str(path))
    key = asyncssh.generate_private_key("ssh-ed25519")
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key.export_private_key())
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    path.with_suffix(".pub").write_bytes(key.export_public_key())
    return key


def key_info(key: asyncssh.SSHKey) -> PublicKeyInfo:
    """The core's view of an SSH public key."""
    return PublicKeyInfo(
        algorithm=key.get_algorithm(),
        fingerprint=key.get_fingerprint("sha256"),
        openssh=key.export_public_key("openssh").decode().strip(),
    )


def _load_theme_engine() -> Any:
    """The suggestions' theme engine (numpy); None leaves suggestions without themes."""
    try:
        from suggest.engine import SeedThemeEngine

        return SeedThemeEngine()
    except Exception:
        log.exception("could not load the suggestions engine; suggestions stay empty")
        return None


def _load_moderation_model(settings: Settings) -> Any:
    """The local moderation model (the data directory's retrained one, else the shipped one)."""
    try:
        from moderation.model import load_model

        return load_model(settings.data_dir)
    except Exception:
        log.exception("could not load the moderation model; texts will not be scored")
        return None


@dataclass
class SessionRegistry:
    """Every session this server holds, so shutdown can say goodbye; members' sessions are
    also counted in the community's live-sessions port (the cap, the privacy screen)."""

    settings: Settings
    community: Community
    sessions: set[BBSSession] = field(default_factory=set)

    @property
    def live(self) -> LiveSessions:
        return self.community.sessions

    def member_arrived(self, session: BBSSession, member: MemberView) -> None:
        self.live.arrived(session, member.id)

    def session_ended(self, session: BBSSession) -> None:
        self.sessions.discard(session)
        self.live.ended(session)


class BBSServer(asyncssh.SSHServer):
    """One SSH connection's authentication and session requests."""

    def __init__(self, registry: SessionRegistry) -> None:
        self._registry = registry
        self._community = registry.community
        self._guard = registry.community.guard
        self._limits = registry.settings.login
        self._conn: asyncssh.SSHServerConnection | None = None
        self._source = "unknown"
        self._admitted = False
        self._ticket = 0
        self._username = ""
        self._member: MemberView | None = None
        self._pending_key: asyncssh.SSHKey | None = None
        self._auth_key: PublicKeyInfo | None = None
        self._key_checked: tuple[str, str] | None = None
        self._password_failures = 0
        self._key_failures = 0
        # Set at authentication for a suspended member: said in one line, then exit 1.
        self._login_block: str | None = None

    # -- connection -------------------------------------------------------------------
    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._conn = conn
        peer = conn.get_extra_info("peername")
        address = str(peer[0]) if peer else "unknown"
        self._source = self._guard.source_key(address)
        admission = self._guard.admit(self._source, on_evict=self._evicted)
        if not admission.allowed:
            log.info("connection refused at the door: %s", admission.reason)
            asyncio.get_running_loop().call_soon(
                conn.disconnect, asyncssh.DISC_TOO_MANY_CONNECTIONS, admission.reason
            )
            return
        self._admitted = True
        self._ticket = admission.ticket

    def connection_lost(self, exc: Exception | None) -> None:
        self._release_admission()
        self._conn = None

    def _release_admission(self) -> None:
        if self._admitted:
            self._admitted = False
            self._guard.finished_authenticating(self._source, self._ticket)

    def _evicted(self) -> None:
        # The door needed this slot for a source with none (see LoginGuard.admit).
        self._admitted = False
        if self._conn is not None:
            asyncio.get_running_loop().call_soon(
                self._conn.disconnect,
                asyncssh.DISC_TOO_MANY_CONNECTIONS,
                "the server is busy; please try again in a minute",
            )

    async def begin_auth(self, username: str) -> bool:
        self._username = username
        # A source that failed too often is turned away before it may try again.
        refusal = await self._guard.penalised(self._source)
        if refusal and self._conn is not None:
            log.info("connection refused at the door: %s", refusal)
            self._conn.disconnect(asyncssh.DISC_TOO_MANY_CONNECTIONS, refusal)
        return True

    def auth_completed(self) -> None:
        self._release_admission()

    # -- public keys ------------------------------------------------------------------
    def public_key_auth_supported(self) -> bool:
        return True

    async def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        # Called for the client's query and again for its signed attempt; the last key
        # accepted before success is the one that actually authenticated.
        if username == SIGNUP_NAME:
            self._pending_key = key
            return True
        info = key_info(key)
        if self._member is not None and self._key_checked == (username, info.fingerprint):
            # The signed attempt for the key we just looked up: no second query.
            self._pending_key = key
            return True
        # The key's member and their ban or suspension, in one read.
        member = self._admit(await self._community.admin.key_login(username, info.fingerprint))
        if member is None:
            self._key_failures += 1
            if self._key_failures >= self._limits.max_key_tries:
                self._too_many()
            return False
        self._pending_key = key
        self._member = member
        self._key_checked = (username, info.fingerprint)
        return True

    # -- passwords --------------------------------------------------------------------
    def password_auth_supported(self) -> bool:
        return True

    async def validate_password(self, username: str, password: str) -> bool:
        if username == SIGNUP_NAME:
            self._pending_key = None
            return True
        return await self._check_password(username, password)

    async def _check_password(self, username: str, password: str) -> bool:
        await asyncio.sleep(await self._guard.penalty(self._source))
        member = await self._refuse_banned(
            await self._community.accounts.authenticate_password(username, password)
        )
        if member is None:
            await self._guard.record_failure(self._source)
            self._password_failures += 1
            log.info("failed password login")
            if self._password_failures >= self._limits.max_auth_tries:
                self._too_many()
            return False
        self._pending_key = None
        self._member = member
        return True

    async def _refuse_banned(self, member: MemberView | None) -> MemberView | None:
        """A banned pseudonym and its keys fail exactly like a wrong password or key."""
        if member is None:
            return None
        return self._admit((member, *await self._community.admin.login_status(member.id)))

    def _admit(self, found: tuple[MemberView, bool, str | None] | None) -> MemberView | None:
        """The member unless banned, remembering a suspended member's line for later."""
        if found is None:
            return None
        member, banned, self._login_block = found
        return None if banned else member

    def _too_many(self) -> None:
        if self._conn is not None:
            self._conn.disconnect(
                asyncssh.DISC_NO_MORE_AUTH_METHODS_AVAILABLE, "Too many authentication failures"
            )

    # -- keyboard-interactive: sign-up without credentials, a password prompt otherwise --
    def kbdint_auth_supported(self) -> bool:
        return True

    def get_kbdint_challenge(self, username: str, lang: str, submethods: str) -> Any:
        if username == SIGNUP_NAME:
            self._pending_key = None
            return True
        return ("", "", "", [("Password: ", False)])

    async def validate_kbdint_response(self, username: str, responses: Any) -> Any:
        if username == SIGNUP_NAME:
            return True
        if len(responses) != 1:
            return False
        return await self._check_password(username, str(responses[0]))

    # -- sessions ---------------------------------------------------------------------
    def session_requested(self) -> Any:
        registry = self._registry
        limits = self._limits
        member = self._member if self._username != SIGNUP_NAME else None
        refusal = None
        if member is not None and self._login_block is not None:
            refusal = self._login_block
        elif len(registry.sessions) >= limits.max_sessions:
            refusal = server_full()
        elif (
            member is not None
            and registry.live.count_of(member.id) >= limits.max_sessions_per_member
        ):
            refusal = too_many_sessions(limits.max_sessions_per_member)
        offered = key_info(self._pending_key) if self._pending_key is not None else None
        arrival = Arrival(
            member,
            self._username,
            offered_key=offered if member is None else None,
            source=self._source,
            refusal=refusal,
            # The session notes the login (for the full screen, in the trip that reads
            # the home screen's data).
            note_login=member is not None and refusal is None,
            login_key=offered.fingerprint if offered else None,
        )
        session = BBSSession(registry, server=self, arrival=arrival)
        registry.sessions.add(session)
        return session


@dataclass
class RunningServer:
    """A listening BBS, for the CLI, tests and benchmarks."""

    acceptor: asyncssh.SSHAcceptor
    registry: SessionRegistry
    host_key: asyncssh.SSHKey
    shared_model: SharedModel | None = None

    @property
    def port(self) -> int:
        return int(self.acceptor.get_port())

    async def shutdown(self, goodbye: str = SHUTDOWN_LINE, *, grace: float = 3.0) -> None:
        """Stop accepting, say goodbye to everyone, wait for their apps to finish."""
        self.acceptor.close()
        for session in list(self.registry.sessions):
            session.goodbye(goodbye)
        running = [s.task for s in self.registry.sessions if s.task is not None]
        if running:
            await asyncio.wait(running, timeout=grace)
        await self.acceptor.wait_closed()
        if self.shared_model is not None:
            await self.shared_model.stop()
        await self.registry.community.suggestions.stop()
        await self.registry.community.rooms.stop()
        await self.registry.community.stop_live()
        await asyncio.to_thread(self.registry.community.close)


async def start_server(settings: Settings, community: Community | None = None) -> RunningServer:
    """Prepare the data directory and database, then listen. Returns once listening."""
    from server.asyncssh_compat import apply_asyncssh_patches

    apply_asyncssh_patches()  # fewer writes per packet, the same bytes
    community = community or build_community(settings)
    await asyncio.to_thread(community.prepare)
    # Build the text-cleaning tables now, not during the first member's first screen; and
    # read English and Babel's locale data for dates and numbers off the loop. Another
    # language is read (in a thread) when its first member arrives (`ready_language`).
    await asyncio.to_thread(clean_text, "\x1b")
    await asyncio.to_thread(preload_languages)
    # The moderation model every node shares (server.model_sync): the database's version.
    from server.model_sync import SharedModel

    injected = community.moderation.scorer is not None
    shared_model = SharedModel(
        community.store,
        community.events,
        settings.data_dir,
        community.moderation,
        lambda: _load_moderation_model(settings),
    )
    await shared_model.start()
    if not injected:
        community.moderation.set_scorer(await asyncio.to_thread(_load_moderation_model, settings))
    await community.texts.help_text()  # the help text's crisis lines never count toward spam
    await community.start_live()  # several nodes: live events through PostgreSQL
    if not injected:
        shared_model.follow()  # another node's retrain or rollback is loaded here too
    # The sysop's model panel: status, retrain (in a child process) and roll back.
    from server.model_ops import ServerModelOperations

    def loaded(name: str) -> None:
        shared_model.loaded = name

    community.admin.model_ops = ServerModelOperations(
        settings.data_dir,
        community.moderation,
        lambda: _load_moderation_model(settings),
        database_url=settings.database_url,
        singletons=community.singletons,
        on_loaded=loaded,
    )
    # Personal suggestions: the engine, and its refresher off the event loop.
    if community.suggestions.engine is None:
        community.suggestions.set_engine(await asyncio.to_thread(_load_theme_engine))
    community.suggestions.start()
    # Scheduled room sessions are announced as they begin.
    community.rooms.start()
    host_key = await asyncio.to_thread(load_or_create_host_key, settings.host_key_path)
    registry = SessionRegistry(settings, community)
    # Chat retention holds even if nobody opens Rooms for a while after a restart.
    await community.rooms.purge_expired()
    await asyncio.to_thread(return_freed_memory)
    # The front door: PROXY protocol v2 behind a load balancer, a port shared by workers.
    from server.proxy_protocol import listen_options

    acceptor = await asyncssh.listen(
        settings.host,
        settings.port,
        server_host_keys=[host_key],
        server_factory=lambda: BBSServer(registry),
        login_timeout=settings.login.login_grace_seconds,
        keepalive_interval=settings.terminal.keepalive_seconds,
        keepalive_count_max=3,
        encoding=None,
        line_editor=False,
        allow_scp=False,
        agent_forwarding=False,
        x11_forwarding=False,
        allow_pty=True,
        reuse_address=True,
        **listen_options(settings),
    )
    if settings.port == 0:
        # Listening on a free port (tests, benchmarks): tell members the real one.
        actual = with_overrides(settings, port=int(acceptor.get_port()))
        registry.settings = community.settings = actual
    return RunningServer(acceptor, registry, host_key, shared_model)


# Run by `migrate_apart` in a child process: the URL comes on stdin (never on a command
# line, where `ps` would show a password).
_MIGRATE = (
    "import sys\n"
    "from bbs.db import Database\n"
    "database = Database(sys.stdin.read(), pool_size=1)\n"
    "try:\n"
    "    database.migrate()\n"
    "finally:\n"
    "    database.dispose()\n"
)


def migrate_apart(settings: Settings) -> None:
    """Bring a schema behind the shipped migrations (a new data directory, an upgrade) up
    to them in a child process (blocking: call it off the loop). Alembic, Mako and Pygments
    (about 12 MiB) then never load into the server, whose `prepare` finds the schema
    current. Should the child fail, `prepare` migrates in the server and says why."""
    import subprocess
    import sys

    from bbs.db import Database

    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    database = Database(settings.database_url, pool_size=1)
    try:
        if database.at_shipped_heads():
            return
    finally:
        database.dispose()
    done = subprocess.run(
        # -P: the working directory is not put on the child's import path.
        [sys.executable, "-P", "-c", _MIGRATE],
        input=settings.database_url,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        log.warning("migrating in a child process failed; migrating here: %s", done.stderr[-2000:])


def return_freed_memory() -> None:
    """Hand back to the system the memory that loading freed (the model's file and its
    dense arrays, read in worker threads): glibc keeps freed heap pages for reuse, about
    6 MiB after start. A no-op where the C library has no malloc_trim."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)


def tune_garbage_collector() -> None:
    """Keep the cyclic collector from pausing every session at once.

    Everything loaded at start-up (modules, the model, parsed CSS) lives as long as the
    process, so it leaves the collector's passes (freeze). Textual allocates a great
    deal per frame; larger thresholds mean fewer, cheaper passes. Dead apps are still
    collected (the sessions benchmark counts them).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 50, 100)


async def serve_forever(settings: Settings) -> None:
    """`bbs serve`: listen until SIGINT or SIGTERM, then shut down cleanly."""
    from server.textual_patches import apply_textual_patches

    apply_textual_patches()
    await asyncio.to_thread(migrate_apart, settings)
    running = await start_server(settings)
    tune_garbage_collector()
    fingerprint = running.host_key.get_fingerprint("sha256")
    port = running.port
    log.info("listening", extra={"port": port})
    announce = (
        f"BBS listening on {settings.host}:{port}\n"
        f"Data directory: {settings.data_dir}\n"
        f"Host key fingerprint: ED25519 {fingerprint}\n"
        f"Sign up:  ssh -p {port} new@{_connect_host(settings.host)}\n"
        f"Log in:   ssh -p {port} PSEUDONYM@{_connect_host(settings.host)}\n"
    )
    os.write(1, announce.encode())
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    os.write(1, b"Shutting down: saying goodbye to everyone online...\n")
    await running.shutdown()
    os.write(1, b"Stopped.\n")


def _connect_host(host: str) -> str:
    return "localhost" if host in ("127.0.0.1", "::1", "0.0.0.0", "::", "") else host


__all__ = ["SIGNUP_NAME", "BBSServer", "RunningServer", "start_server"]
