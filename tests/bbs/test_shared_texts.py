"""Help text and guidelines live in the database, shared by every node (issue 19): an edit
on one node, or from `bbs admin` in a shell, shows on every node within seconds; the upgrade
seeds them from the data directory's edited files and never overwrites a sysop's text."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

import pytest
from support import cluster_nodes, sign_up, wait_until

from bbs.community import Community
from bbs.config import Settings
from bbs.models import Role
from bbs.moderation_queue.audit import AdminError
from bbs.texts.records import all_texts
from server.cli import main
from server.wiring import build_community

EN_LINE = "Someone to talk to, any hour"


def _stored(community: Community) -> dict[tuple[str, str, str], str]:
    with community.database.read() as session:
        return all_texts(session)


async def _eventually_shows(get: object, wanted: str, what: str, timeout: float = 5.0) -> None:
    # `get` is an async callable returning the text a member would read now.
    seen = {"text": ""}

    async def poll() -> None:
        while wanted not in seen["text"]:
            seen["text"] = await get()  # type: ignore[operator]
            await asyncio.sleep(0.05)

    try:
        await asyncio.wait_for(poll(), timeout)
    except TimeoutError:
        raise AssertionError(f"{what}: never showed within {timeout} s") from None


async def test_a_sysops_help_edit_is_read_from_the_database(community: Community) -> None:
    sysop = await sign_up(community, "Keeper", Role.SYSOP)
    assert EN_LINE in await community.texts.help_text()
    await community.admin.set_help_text(sysop.id, "Call 988 any time. Local: 555 0100.")
    assert "555 0100" in await community.texts.help_text()
    assert _stored(community)[("help", "en", "")].startswith("Call 988")
    # The file in the data directory is no longer where it lives.
    assert not community.settings.help_path.exists()
    # The numbers in it are trusted by the moderation gate.
    assert "555 0100" in community.moderation.trusted_text


async def test_help_per_country_falls_back_to_the_language_then_english(
    community: Community,
) -> None:
    sysop = await sign_up(community, "Keeper", Role.SYSOP)
    await community.admin.set_help_text(
        sysop.id, "Telefonseelsorge: 0800 111 0 111", lang="de", country="de"
    )
    assert "0800 111 0 111" in await community.texts.help_text("de", "DE")
    assert "0800 111 0 111" not in await community.texts.help_text("de", "AT")
    assert "Jemand zum Reden" in await community.texts.help_text("de", "AT")
    assert "0800 111 0 111" in community.moderation.trusted_text
    with pytest.raises(AdminError):
        await community.admin.set_help_text(sysop.id, "x", lang="de", country="Germany")


async def test_guidelines_are_read_from_the_database(community: Community) -> None:
    sysop = await sign_up(community, "Keeper", Role.SYSOP)
    version = await community.admin.publish_guidelines(sysop.id, "Be kind. No diet talk.")
    assert version == 2
    assert "No diet talk" in await community.texts.guidelines_text()
    # Another language has none of its own yet: the default ones.
    assert "No diet talk" in await community.texts.guidelines_text("fr")


def test_the_upgrade_seeds_edited_files_and_never_overwrites(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    # A community from before this issue: the sysop had edited help.txt and guidelines.txt.
    settings.help_path.write_text("Our own lines: 555 0199.\n", "utf-8")
    settings.guidelines_path.write_text("Our own guidelines.\n", "utf-8")
    community = build_community(settings)
    try:
        community.prepare()
        stored = _stored(community)
        assert stored[("help", "en", "")] == "Our own lines: 555 0199.\n"
        assert stored[("guidelines", "en", "")] == "Our own guidelines.\n"
        # Languages the sysop never edited come as shipped.
        assert "findahelpline.com" in stored[("help", "es", "")]
        # The sysop edits the database's copy (as the admin screen does)...
        with community.database.write() as session:
            from bbs.texts.records import put_text

            put_text(session, "help", "en", "Edited in the database.\n")
    finally:
        community.close()
    # ...and the next start (an upgrade, with the old file still there) keeps that edit.
    settings.help_path.write_text("A stale file.\n", "utf-8")
    again = build_community(settings)
    try:
        again.prepare()
        assert _stored(again)[("help", "en", "")] == "Edited in the database.\n"
    finally:
        again.close()


async def test_the_cli_edits_reach_a_running_server(
    community: Community, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await sign_up(community, "Keeper", Role.SYSOP)
    assert EN_LINE in await community.texts.help_text()  # cached now
    await community.start_live()  # follows what `bbs admin` posts from a shell
    try:
        data_dir = str(community.settings.data_dir)
        source = tmp_path / "help.txt"
        source.write_text("From the shell: 555 0142.\n", "utf-8")
        code = await asyncio.to_thread(
            main, ["admin", "help", "set", str(source), "--data-dir", data_dir]
        )
        assert code == 0, capsys.readouterr()
        await _eventually_shows(
            community.texts.help_text, "555 0142", "the shell's help on the server"
        )
        source.write_text("Shell guidelines.\n", "utf-8")
        assert (
            await asyncio.to_thread(
                main, ["admin", "guidelines", "set", str(source), "--data-dir", data_dir]
            )
            == 0
        )
        await _eventually_shows(
            community.texts.guidelines_text, "Shell guidelines", "the shell's guidelines"
        )
        capsys.readouterr()
        assert (
            await asyncio.to_thread(
                main, ["admin", "help", "show", "--lang", "es", "--data-dir", data_dir]
            )
            == 0
        )
        assert "findahelpline.com" in capsys.readouterr().out
    finally:
        await community.stop_live()


async def test_help_and_guidelines_edited_on_one_node_show_on_another(
    postgres_url: str, settings: Settings, tmp_path: Path
) -> None:
    async with cluster_nodes(settings, postgres_url, tmp_path) as nodes:
        one, two = nodes
        sysop = await sign_up(one, "Keeper", Role.SYSOP)
        # Both nodes have read (and cached) the texts.
        assert EN_LINE in await two.texts.help_text()
        assert "findahelpline.com" in await two.texts.help_text("es")
        await one.admin.set_help_text(sysop.id, "Node one's lines: 555 0177.")
        await one.admin.set_help_text(sysop.id, "Líneas: 555 0178.", lang="es", country="MX")
        await _eventually_shows(two.texts.help_text, "555 0177", "the help on node two", 3.0)
        await _eventually_shows(
            lambda: two.texts.help_text("es", "mx"), "555 0178", "Mexico's help on node two", 3.0
        )
        await wait_until(
            lambda: "555 0178" in two.moderation.trusted_text, "node two trusting the lines"
        )
        await one.admin.publish_guidelines(sysop.id, "Node one's guidelines.")
        await _eventually_shows(
            two.texts.guidelines_text, "Node one's guidelines", "the guidelines on node two", 3.0
        )
        assert await two.admin.needs_agreement(sysop.id)


async def test_a_node_started_later_on_other_files_keeps_the_shared_texts(
    postgres_url: str, settings: Settings, tmp_path: Path
) -> None:
    first = dataclasses.replace(settings, data_dir=tmp_path / "a", database_url=postgres_url)
    first.data_dir.mkdir()
    first.help_path.write_text("The first node's file.\n", "utf-8")
    a = build_community(first)
    try:
        a.prepare()
    finally:
        a.close()
    second = dataclasses.replace(first, data_dir=tmp_path / "b")
    second.data_dir.mkdir()
    second.help_path.write_text("The second node's file.\n", "utf-8")
    b = build_community(second)
    try:
        b.prepare()
        assert "The first node's file." in await b.texts.help_text()
    finally:
        b.close()


async def test_the_cli_refuses_an_empty_text_and_a_bad_country(
    community: Community, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await sign_up(community, "Keeper", Role.SYSOP)
    data_dir = str(community.settings.data_dir)
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", "utf-8")
    assert main(["admin", "help", "set", str(empty), "--data-dir", data_dir]) == 2
    lines = tmp_path / "lines.txt"
    lines.write_text("Telefonseelsorge 0800 111 0 111\n", "utf-8")
    args = ["admin", "help", "set", str(lines), "--lang", "de", "--country", "Germany"]
    assert main([*args, "--data-dir", data_dir]) == 1
    assert "two-letter code" in capsys.readouterr().err
    assert main([*args[:-1], "de", "--data-dir", data_dir]) == 0
    assert _stored(community)[("help", "de", "DE")].startswith("Telefonseelsorge")
    capsys.readouterr()
    show = ["admin", "help", "show", "--lang", "de", "--country", "AT", "--data-dir", data_dir]
    assert main(show) == 0
    out = capsys.readouterr()
    assert "Jemand zum Reden" in out.out and "members read de" in out.err


async def test_shipped_guidelines_speak_each_language_until_the_sysop_writes_their_own(
    community: Community,
) -> None:
    # A new community: every language reads the shipped rules in its own words.
    assert "Sei freundlich" in await community.texts.guidelines_text("de")
    assert "Sé amable" in await community.texts.guidelines_text("es")
    assert "Be kind. Everyone" in await community.texts.guidelines_text("en")
    # The sysop writes the community's own rules in English: a German member reads those,
    # not stock rules the community no longer keeps...
    sysop = await sign_up(community, "Keeper", Role.SYSOP)
    await community.admin.publish_guidelines(sysop.id, "Be kind. No diet talk.")
    assert "No diet talk" in await community.texts.guidelines_text("de")
    # ...until the sysop writes them in German too.
    await community.admin.publish_guidelines(sysop.id, "Sei lieb. Kein Diät-Gerede.", lang="de")
    assert "Kein Diät-Gerede" in await community.texts.guidelines_text("de")
    assert "No diet talk" in await community.texts.guidelines_text("es")
