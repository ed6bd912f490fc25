"""`bbs admin resource ...`: list, show, add (body from a file or stdin), edit, retire, restore."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from support import PASSWORD

from bbs.admin import review as admin
from bbs.admin.review import AuditFilter
from bbs.community import Community
from bbs.config import load_settings
from bbs.db import Database
from bbs.i18n import LANGUAGES
from bbs.models import Role
from bbs.resources import records as resources
from server.cli import main


def _run(data_dir: Path, *args: str) -> int:
    return main(["admin", "resource", *args, "--data-dir", str(data_dir)])


async def test_resource_commands_while_the_server_runs(
    community: Community,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # `community` is the running server's front door on the same data directory.
    data_dir = community.settings.data_dir
    sysop = (
        await community.accounts.sign_up("Harbourmaster", PASSWORD, PASSWORD, role=Role.SYSOP)
    ).member
    defaults = len(resources.default_entries())

    assert _run(data_dir, "list") == 0
    out = capsys.readouterr().out
    assert "box-breathing" in out and f"{defaults * len(LANGUAGES)} entries." in out
    assert _run(data_dir, "list", "--lang", "fr") == 0
    out = capsys.readouterr().out
    assert f"{defaults} entries." in out and "fr   shown    box-breathing" in out
    assert _run(data_dir, "show", "box-breathing", "--lang", "de") == 0
    assert "Box-Atmung" in capsys.readouterr().out

    body = tmp_path / "body.txt"
    body.write_text("Stand up.\nStretch your arms [b]slowly[/b].\x1b[2J\n", encoding="utf-8")
    assert (
        _run(
            data_dir,
            "add",
            "--title",
            "Desk stretch",
            "--tags",
            "Stress, body",
            "--source",
            "Written for this community",
            "--body-file",
            str(body),
        )
        == 0
    )
    assert "Added" in capsys.readouterr().out
    added = next(v for v in await community.resources.library() if v.title == "Desk stretch")
    assert added.slug == "desk-stretch" and added.tags == ("stress", "body")
    assert added.body == "Stand up.\nStretch your arms [b]slowly[/b].[2J"

    monkeypatch.setattr("sys.stdin", io.StringIO("Stand, stretch, breathe out slowly.\n"))
    assert (
        _run(data_dir, "edit", "desk-stretch", "--body-file", "-", "--title", "A desk stretch") == 0
    )
    capsys.readouterr()
    edited = await community.resources.get(added.id)
    assert edited is not None
    assert edited.body == "Stand, stretch, breathe out slowly." and edited.title == "A desk stretch"

    assert _run(data_dir, "retire", str(added.id)) == 0
    assert "Retired" in capsys.readouterr().out
    assert await community.resources.get(added.id) is None  # the server sees it at once
    assert _run(data_dir, "list") == 0
    assert "desk-stretch" not in capsys.readouterr().out
    assert _run(data_dir, "list", "--all") == 0
    assert "en   retired  desk-stretch" in capsys.readouterr().out
    assert _run(data_dir, "restore", "desk-stretch") == 0
    assert await community.resources.get(added.id) is not None
    assert _run(data_dir, "show", "desk-stretch") == 0
    assert "Source: Written for this community" in capsys.readouterr().out

    log = await community.admin.audit(sysop.id, AuditFilter())
    assert [e.action for e in reversed(log)] == [
        "resource-add",
        "resource-edit",
        "resource-retire",
        "resource-restore",
    ]
    assert all(e.actor == "Harbourmaster" for e in log)

    # Its translation: the same slug in another language, read instead of the English.
    body.write_text("Ponte de pie y estírate.", encoding="utf-8")
    args = ["--title", "Estirar", "--tags", "estrés", "--source", "Escrito para esta comunidad"]
    assert (
        _run(
            data_dir,
            "add",
            *args,
            "--body-file",
            str(body),
            "--lang",
            "es",
            "--slug",
            "desk-stretch",
        )
        == 0
    )
    assert "(desk-stretch)" in capsys.readouterr().out
    spanish = [v for v in await community.resources.library("es") if v.slug == "desk-stretch"]
    assert [(v.title, v.lang) for v in spanish] == [("Estirar", "es")]


async def test_refusals_are_kind_one_liners_and_change_nothing(
    community: Community,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data_dir = community.settings.data_dir
    await community.accounts.sign_up("Harbourmaster", PASSWORD, PASSWORD, role=Role.SYSOP)
    await community.accounts.sign_up("Wren", PASSWORD, PASSWORD)
    long_body = tmp_path / "long.txt"
    long_body.write_text("x" * 4001, encoding="utf-8")
    good_body = tmp_path / "good.txt"
    good_body.write_text("Fine.", encoding="utf-8")
    cases = [
        (
            (
                "add",
                "--title",
                "T",
                "--tags",
                "sleep",
                "--source",
                "S",
                "--body-file",
                str(long_body),
            ),
            "4,001 characters; the limit is 4,000",
        ),
        (
            (
                "add",
                "--title",
                "T",
                "--tags",
                "sleep",
                "--source",
                "S",
                "--body-file",
                str(tmp_path / "missing.txt"),
            ),
            "Could not read the body",
        ),
        (
            (
                "add",
                "--title",
                "T",
                "--tags",
                "<b>",
                "--source",
                "S",
                "--body-file",
                str(good_body),
            ),
            "character tags cannot use",
        ),
        (("retire", "no-such-entry"), "There is no resource"),
        (("edit", "box-breathing"), "Nothing to change"),
        (("retire", "box-breathing", "--as", "Wren"), "Only sysops"),
    ]
    before = len(await community.resources.library())
    for args, message in cases:
        assert _run(data_dir, *args) == 1
        err = capsys.readouterr().err
        assert err.startswith("bbs: ") and message in err and err.count("\n") == 1
    assert len(await community.resources.library()) == before


def test_cli_before_the_first_start_keeps_the_default_set(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data_dir = tmp_path / "fresh"
    data_dir.mkdir()
    database = Database(load_settings(data_dir).database_url)
    database.migrate()
    from bbs.accounts import members as accounts
    from bbs.accounts.pseudonyms import validate_pseudonym

    with database.write() as session:
        accounts.create_member(
            session,
            pseudonym=validate_pseudonym("Harbourmaster"),
            password_hash="h",
            recovery_hash="r",
            role=Role.SYSOP,
        )
    body = tmp_path / "b.txt"
    body.write_text("Walk.", encoding="utf-8")
    assert (
        _run(
            data_dir,
            "add",
            "--title",
            "Walk",
            "--tags",
            "stress",
            "--source",
            "Mine",
            "--body-file",
            str(body),
        )
        == 0
    )
    with database.write() as session:
        assert resources.seed_default_resources(session) == 0  # what `bbs serve` does next
    with database.read() as session:
        titles = [v.title for v in resources.active_resources(session)]
        assert admin.get_setting(session, resources.SEEDED_SETTING)
    database.dispose()
    assert "Walk" in titles and "Box breathing" in titles
    assert len(titles) == len(resources.default_entries()) + 1
