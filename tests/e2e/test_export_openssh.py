"""`ssh NAME@host export` with OpenSSH's own client, whatever its standard input is.

OpenSSH sends EOF as soon as its standard input ends (`ssh -n`, `< /dev/null`, a
here-string, cron); the export must still arrive whole and the command exit 0.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from pathlib import Path

import asyncssh
import pytest
from support import SSH_PASSWORD as PASSWORD

from bbs.community import Community
from server.ssh_server import RunningServer, key_info

pytestmark = pytest.mark.skipif(
    shutil.which("ssh") is None, reason="needs OpenSSH's ssh (apt-get install openssh-client)"
)


async def _member_with_key(server: RunningServer, tmp_path: Path) -> Path:
    community: Community = server.registry.community
    community.moderation.set_scorer(None)
    key = asyncssh.generate_private_key("ssh-ed25519")
    identity = tmp_path / "id_ed25519"
    identity.write_bytes(key.export_private_key())
    os.chmod(identity, 0o600)
    await community.accounts.sign_up("Willow", PASSWORD, PASSWORD, key=key_info(key))
    return identity


def _ssh(port: int, identity: Path, *extra: str) -> list[str]:
    return [
        "ssh",
        "-F",
        "/dev/null",
        *extra,
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "BatchMode=yes",
        "-o",
        "LogLevel=ERROR",
        "-o",
        "IdentitiesOnly=yes",
        "-i",
        str(identity),
        "-p",
        str(port),
        "willow@127.0.0.1",
        "export",
    ]


async def _run(
    args: list[str], *, stdin: int | None, feed: bytes | None = None
) -> tuple[int | None, bytes, bytes]:
    proc = await asyncio.create_subprocess_exec(
        *args, stdin=stdin, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    try:
        if feed is not None:
            # A here-string: some text, then the end of standard input.
            out, err = await asyncio.wait_for(proc.communicate(feed), 20)
        else:
            out, err = await asyncio.wait_for(proc.communicate(), 20)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise AssertionError(f"{' '.join(args)} hung") from None
    return proc.returncode, out, err


@pytest.mark.parametrize("how", ["ssh -n", "< /dev/null", "here-string"])
async def test_openssh_export_without_a_terminal_writes_the_json_and_exits_0(
    server: RunningServer, tmp_path: Path, how: str
) -> None:
    identity = await _member_with_key(server, tmp_path)
    if how == "ssh -n":
        result = await _run(_ssh(server.port, identity, "-n"), stdin=None)
    elif how == "< /dev/null":
        result = await _run(_ssh(server.port, identity), stdin=asyncio.subprocess.DEVNULL)
    else:
        result = await _run(
            _ssh(server.port, identity), stdin=asyncio.subprocess.PIPE, feed=b"anything\n"
        )
    status, out, err = result
    assert status == 0, err
    assert json.loads(out.decode())["member"]["pseudonym"] == "Willow"


async def test_openssh_export_with_an_open_pipe_for_input_still_ends(
    server: RunningServer, tmp_path: Path
) -> None:
    # Standard input that never ends (a pipe nobody closes): the JSON and exit 0 anyway.
    identity = await _member_with_key(server, tmp_path)
    proc = await asyncio.create_subprocess_exec(
        *_ssh(server.port, identity),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None
    try:
        out = await asyncio.wait_for(proc.stdout.read(), 20)
        status = await asyncio.wait_for(proc.wait(), 20)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert status == 0
    assert json.loads(out.decode())["member"]["pseudonym"] == "Willow"


async def test_openssh_terminal_session_with_no_input_ends_instead_of_waiting(
    server: RunningServer, tmp_path: Path
) -> None:
    # `ssh -tt -n`: a terminal, but standard input is /dev/null, so OpenSSH sends EOF
    # before the app has even started. Nobody can ever type: the session ends, status 0.
    identity = await _member_with_key(server, tmp_path)
    args = _ssh(server.port, identity, "-tt", "-n")
    args.remove("export")
    status, _out, err = await _run(args, stdin=None)
    assert status == 0, err
