"""The process-wide Textual patches keep Textual's behaviour while sharing or deferring work."""

from __future__ import annotations

import weakref
from importlib.metadata import version
from typing import Any

from rich.segment import Segment
from textual._styles_cache import StylesCache
from textual.app import App
from textual.color import Color
from textual.strip import Strip
from textual.style import Style
from textual.widgets import Static

from server.textual_patches import apply_textual_patches


def test_the_patches_are_written_for_the_pinned_textual() -> None:
    # They reach into Textual's internals: a new Textual needs them checked again.
    assert version("textual") == "8.2.8"


def _made(strip: Strip, name: str) -> bool:
    """Whether the strip's cache `name` exists yet (read past the patch's lazy slot)."""
    try:
        Strip.__dict__[name]._slot.__get__(strip, Strip)
    except AttributeError:
        return False
    return True


def test_a_strip_makes_its_caches_only_when_used_and_still_caches() -> None:
    apply_textual_patches()
    strip = Strip([Segment("hello world")])
    assert not any(_made(strip, name) for name in ("_crop_cache", "_divide_cache"))
    first = strip.crop(0, 5)
    assert first.text == "hello" and strip.crop(0, 5) is first
    assert [s.text for s in strip.divide([3, 6])] == ["hel", "lo "]
    assert _made(strip, "_crop_cache") and not _made(strip, "_style_cache")


def test_apps_share_theme_tokens_without_sharing_their_lists() -> None:
    apply_textual_patches()
    one, two = App(), App()
    for app in (one, two):
        app.stylesheet.set_variables(app.get_css_variables())
    a, b = one.stylesheet._variable_tokens, two.stylesheet._variable_tokens
    assert a == b and a is not b
    name = next(iter(a))
    a[name].append(a[name][0])  # what Textual's substitution may do to one app's lists
    assert len(b[name]) == len(a[name]) - 1
    assert len(App().stylesheet._variable_tokens.get(name, [])) in (0, len(b[name]))


def test_a_gone_widget_s_rendered_lines_are_not_kept_by_the_background_cache() -> None:
    apply_textual_patches()
    cache = StylesCache()
    base, background = Color(10, 20, 30), Color(200, 100, 50, 0.5)
    inner, outer = cache.get_inner_outer(base, background)
    assert inner == Style(background=base + background) and outer == Style(background=base)
    assert StylesCache().get_inner_outer(base, background) == (inner, outer)
    gone = weakref.ref(cache)
    del cache
    assert gone() is None


async def test_a_widget_keeps_only_box_models_of_its_current_layout() -> None:
    apply_textual_patches()

    class Grows(App[None]):
        def compose(self) -> Any:
            yield Static("one line", id="text")

    app = Grows()
    async with app.run_test(size=(40, 10)) as pilot:
        text = app.query_one("#text", Static)
        for n in range(2, 30):
            text.update("\n".join(["line"] * (n % 5 + 1)))
            await pilot.pause()
        assert text.size.height == 29 % 5 + 1  # still laid out as its content asks
        assert len(text._box_model_cache) <= 2
        before = text._layout_updates
        text.refresh(layout=True)
        assert text._layout_updates == before + 1 and len(text._box_model_cache) == 0
