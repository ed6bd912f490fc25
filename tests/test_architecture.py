"""The shape the project promises: a core without UI or SSH, screens without the database,
and code that passes ruff and mypy --strict."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold() -> None:
    """The layer rules in pyproject.toml ([tool.importlinter]), checked by import-linter."""
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint is not None, "import-linter is one of the test dependencies"
    result = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and " 0 broken" in result.stdout


def test_no_print_in_server_code() -> None:
    for package in ("bbs", "screens", "server", "suggest", "plain"):
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            calls = [
                n
                for n in ast.walk(tree)
                if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "print"
            ]
            assert not calls, f"print() in {path}: it would go into a captured app's stdout"


def _ruff() -> str:
    found = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert found is not None, "ruff is one of the test dependencies"
    return found


def test_ruff_is_clean() -> None:
    result = subprocess.run([_ruff(), "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_kept() -> None:
    """Every file is as `ruff format` writes it (run `ruff format .` before committing)."""
    result = subprocess.run(
        [_ruff(), "format", "--check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean() -> None:
    pytest.importorskip("mypy")
    result = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_notifications_never_parse_markup() -> None:
    """notify() parses console markup by default: member text in one would be live markup."""
    for path in (ROOT / "screens").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "notify"
            ):
                markup = [k for k in node.keywords if k.arg == "markup"]
                assert (
                    markup
                    and isinstance(markup[0].value, ast.Constant)
                    and (markup[0].value.value is False)
                ), f"{path.name}:{node.lineno} notify() without markup=False"


def test_widgets_given_text_do_not_parse_markup() -> None:
    """Static/Label/Button with a computed string must say markup=False (or take Content)."""
    risky = {"Static", "Label", "Button"}
    for path in (ROOT / "screens").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id not in risky or not node.args:
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant):
                continue  # our own fixed wording
            if isinstance(first, ast.Call) and getattr(first.func, "id", "") in (
                "Content",
                "literal",
                "Text",
            ):
                continue
            markup = [k for k in node.keywords if k.arg == "markup"]
            assert (
                markup
                and isinstance(markup[0].value, ast.Constant)
                and (markup[0].value.value is False)
            ), f"{path.name}:{node.lineno} {node.func.id}() of computed text parses markup"


def test_readme_layout_names_every_core_module_and_no_missing_one() -> None:
    """README's table of where each concern lives matches bbs/ as it is: every feature
    package and every module in it, and every shared module at the top."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| concern | where in `bbs/` |") :]
    table = table[: table.index("\n\n")]
    named: set[str] = set()
    for row in table.splitlines()[2:]:
        where = row.split("|")[2]
        package = re.match(r"\s*`([a-z_]+)/`:", where)
        for name in re.findall(r"`([a-z0-9_]+\.py)`", where):
            named.add(f"{package.group(1)}/{name}" if package else name)
    bbs = ROOT / "bbs"
    modules = {
        p.relative_to(bbs).as_posix()
        for p in bbs.rglob("*.py")
        if p.name != "__init__.py" and "migrations" not in p.parts
    }
    assert not modules - named, f"bbs modules missing from README's layout: {modules - named}"
    assert not named - modules, f"README names modules bbs/ lacks: {named - modules}"


def _reaches_through_the_community(path: Path) -> list[str]:
    """Where a module reads an attribute named `community` or imports bbs.community."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr == "community":
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} .community")
        elif isinstance(node, ast.ImportFrom) and node.module == "bbs.community":
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} from bbs.community")
        elif isinstance(node, ast.ImportFrom) and node.module == "bbs":
            if any(alias.name == "community" for alias in node.names):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} from bbs import community")
        elif isinstance(node, ast.Import):
            if any(alias.name.startswith("bbs.community") for alias in node.names):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} import bbs.community")
    return found


def test_front_ends_receive_services_and_never_reach_through_the_community() -> None:
    """Screens and the line front end are handed the services they use (constructor
    parameters, the session's `bbs.services.Services`); none reaches a service through
    the community object, which only runs the BBS's lifecycle."""
    found = [
        where
        for package in ("screens", "plain")
        for path in sorted((ROOT / package).rglob("*.py"))
        for where in _reaches_through_the_community(path)
    ]
    assert not found, "front ends reaching through the community:\n" + "\n".join(found)
