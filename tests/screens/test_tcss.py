"""Screens' CSS lives in .tcss files that parse, ship in the package and are read once."""

from __future__ import annotations

import ast
import builtins
import importlib
import inspect
import tomllib
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode

import screens
import screens.app
from screens.app import BBSApp
from screens.tcss import SECTION, module_css, sections
from screens.widgets import ChoiceField, KeyBar

SCREENS = Path(screens.__file__).parent
ROOT = SCREENS.parent
PACKAGES = ["bbs", "screens", "server", "plain", "moderation", "suggest"]
TCSS = sorted(SCREENS.glob("*.tcss"))
APP_CSS = SCREENS / "app.tcss"
SECTIONED = [path for path in TCSS if path != APP_CSS]


def _stylesheet() -> Stylesheet:
    return Stylesheet(variables=App().get_css_variables())


def _classes_with_default_css(module_name: str) -> dict[str, type[DOMNode]]:
    module = importlib.import_module(module_name)
    return {
        name: cls
        for name, cls in vars(module).items()
        if inspect.isclass(cls)
        and cls.__module__ == module_name
        and issubclass(cls, DOMNode)
        and cls.__dict__.get("DEFAULT_CSS")
    }


def test_there_are_tcss_files_and_the_app_s_css_is_its_own() -> None:
    assert APP_CSS in TCSS and len(SECTIONED) >= 10
    assert BBSApp.CSS == module_css(screens.app.__file__) == APP_CSS.read_text(encoding="utf-8")
    assert BBSApp.CSS_PATH is None  # Textual would read a CSS_PATH file for every app


@pytest.mark.parametrize("path", TCSS, ids=lambda path: path.name)
def test_every_tcss_file_parses_with_textual(path: Path) -> None:
    stylesheet = _stylesheet()
    stylesheet.read(path)
    stylesheet.parse()  # raises StylesheetParseError on any error
    assert stylesheet.rules


@pytest.mark.parametrize("path", SECTIONED, ids=lambda path: path.name)
def test_each_section_is_its_class_s_default_css_and_parses_in_its_scope(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    preamble = SECTION.split(text)[0]
    assert not _stylesheet()._parse_rules(preamble, (str(path), "preamble")), (
        "only comments before the first section"
    )
    found = sections(path)
    classes = _classes_with_default_css(f"screens.{path.stem}")
    assert set(found) == set(classes), "one section per class with DEFAULT_CSS, no more"
    for name, cls in classes.items():
        assert cls.__dict__["DEFAULT_CSS"] == found[name]
        stylesheet = _stylesheet()
        scope = cls._css_type_name if cls.__dict__.get("SCOPED_CSS", True) else ""
        stylesheet.add_source(
            found[name], read_from=(str(path), name), is_default_css=True, scope=scope
        )
        stylesheet.parse()
        assert stylesheet.rules, f"{name}'s section has no rules"


def test_no_css_is_written_inline_in_python() -> None:
    """DEFAULT_CSS comes from its class's section (default_css(__file__, "Name")) and an
    app's CSS from its module's file (module_css(__file__)). A CSS string in Python
    (DEFAULT_CSS = "...", CSS = "...", or a SOMETHING_CSS template) fails here: put it in
    the module's .tcss file. So does CSS_PATH, which Textual reads for every app."""
    problems: list[str] = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            where = path.relative_to(ROOT)
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.ClassDef | ast.Module):
                    continue
                for stmt in node.body:
                    targets = (
                        stmt.targets
                        if isinstance(stmt, ast.Assign)
                        else [stmt.target]
                        if isinstance(stmt, ast.AnnAssign)
                        else []
                    )
                    names = [t.id for t in targets if isinstance(t, ast.Name)]
                    value = getattr(stmt, "value", None)
                    for name in names:
                        if name == "DEFAULT_CSS":
                            if not (
                                isinstance(node, ast.ClassDef)
                                and value is not None
                                and _is_its_section(value, node.name)
                            ):
                                problems.append(f"{where}:{stmt.lineno} {name}")
                        elif name == "CSS":
                            if not (
                                isinstance(node, ast.ClassDef)
                                and value is not None
                                and ast.dump(value) == _MODULE_CSS
                            ):
                                problems.append(f"{where}:{stmt.lineno} {name}")
                        elif name == "CSS_PATH" or (
                            name.endswith("_CSS") and value is not None and _has_css(value)
                        ):
                            problems.append(f"{where}:{stmt.lineno} {name}")
    assert not problems, "CSS written in Python; move it to a .tcss file:\n" + "\n".join(problems)


_MODULE_CSS = ast.dump(ast.parse("module_css(__file__)", mode="eval").body)


def _is_its_section(value: ast.expr, class_name: str) -> bool:
    """`default_css(__file__, "<class_name>")`, exactly."""
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id == "default_css"
        and not value.keywords
        and len(value.args) == 2
        and isinstance(value.args[0], ast.Name)
        and value.args[0].id == "__file__"
        and isinstance(value.args[1], ast.Constant)
        and value.args[1].value == class_name
    )


def _has_css(value: ast.expr) -> bool:
    """Whether an expression holds text with a rule's braces (CSS, or a CSS template)."""
    return any(
        (isinstance(part, ast.Constant) and isinstance(part.value, str) and "{" in part.value)
        or isinstance(part, ast.JoinedStr)
        for part in ast.walk(value)
    )


def test_the_tcss_files_are_package_data() -> None:
    """A non-editable install has them (`pip wheel .` lists screens/*.tcss)."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["screens"]
    for path in TCSS:
        assert any(fnmatch(path.name, pattern) for pattern in patterns), path.name


async def test_apps_start_without_reading_css_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """The .tcss files are read when the modules are imported, never at a session's start."""
    opened: list[str] = []
    real_open = builtins.open

    def counting_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file).endswith(".tcss"):
            opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", counting_open)

    class Styled(App[None]):
        CSS = BBSApp.CSS

        def compose(self) -> ComposeResult:
            yield KeyBar("Q Quit")
            yield ChoiceField(["one", "two"], "one")

    for _ in range(2):
        app = Styled()
        async with app.run_test(size=(40, 10)):
            assert app.query_one(KeyBar).styles.dock == "bottom"
    assert opened == []
