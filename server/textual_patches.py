"""Process-wide fixes that let many Textual apps share one process and one event loop."""

from __future__ import annotations

import contextlib
from typing import Any

import textual.app as textual_app

_applied = False


def apply_textual_patches() -> None:
    """Neutralise App's sys.stdout/sys.stderr swap, and share parsed CSS between apps.

    App._process_messages wraps each app's run in redirect_stdout/redirect_stderr,
    a process-global swap. With many apps whose lifetimes interleave, the restores
    happen out of order, sys.stdout is left pointing at a dead app's capture object,
    and that app (with its whole DOM) can never be freed.
    """
    global _applied
    if _applied:
        return

    def _no_redirect(_target: Any) -> contextlib.nullcontext[None]:
        return contextlib.nullcontext()

    textual_app.redirect_stdout = _no_redirect  # type: ignore[attr-defined,assignment]
    textual_app.redirect_stderr = _no_redirect  # type: ignore[attr-defined,assignment]
    _share_parsed_css()
    _share_variable_tokens()
    _lazy_strip_caches()
    _skip_same_size_relayout()
    _quiet_empty_toast_rack()
    # No patch drops a Layout or Update message. One that skipped layouts "already done"
    # saved a few ms of CPU a session start but left grown widgets at their old height: a
    # full layout that runs after a widget changes and before the widget's idle moment
    # still uses its parents' cached arrangement (tests/server/test_layout_under_load.py).
    _release_text_area_watchers()
    _inner_outer_without_the_cache()
    _box_models_of_the_current_layout()
    _keep_reverse_in_visual_styles()
    _applied = True


class _SharedRuleCache:
    """Parsed CSS rules shared by every app in the process, keyed by the CSS variables.

    Each Textual app parses the same stylesheets (ours and every widget's defaults) on
    start; that was a third of an app's start-up CPU. Parsed rule sets are only read
    after parsing, so apps with the same theme variables can share them.
    """

    def __init__(self, limit: int = 512) -> None:
        self._rules: dict[tuple[object, ...], list[Any]] = {}
        self._limit = limit

    def lookup(self, stylesheet: Any, key: tuple[object, ...], parse: Any) -> list[Any]:
        full_key = (_variables_key(stylesheet), *key)
        rules = self._rules.get(full_key)
        if rules is None:
            rules = parse()
            if len(self._rules) >= self._limit:
                self._rules.clear()
            self._rules[full_key] = rules
        return rules


# Each distinct set of CSS variables (a theme in a colour mode) gets a small number once,
# so the caches below key on an int instead of hashing ~150 variables at every lookup.
_variable_sets: dict[tuple[tuple[str, str], ...], int] = {}


def _variables_key(stylesheet: Any) -> int:
    """The stylesheet's CSS variables as a key, worked out again only when they change."""
    variables = stylesheet._variables
    fingerprint = getattr(stylesheet, "_bbs_variables_key", None)
    if fingerprint is None or fingerprint[0] is not variables:
        items = tuple(sorted(variables.items()))
        number = _variable_sets.setdefault(items, len(_variable_sets))
        fingerprint = (variables, number)
        stylesheet._bbs_variables_key = fingerprint
    key: int = fingerprint[1]
    return key


def _share_parsed_css() -> None:
    from textual.css.stylesheet import Stylesheet

    cache = _SharedRuleCache()
    original = Stylesheet._parse_rules

    def _parse_rules(
        self: Stylesheet,
        css: str,
        read_from: Any,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[Any]:
        key = (css, read_from, is_default_rules, tie_breaker, scope)
        return cache.lookup(
            self,
            key,
            lambda: original(self, css, read_from, is_default_rules, tie_breaker, scope),
        )

    Stylesheet._parse_rules = _parse_rules  # type: ignore[method-assign]


def _share_variable_tokens() -> None:
    """Apps with the same theme share the theme's CSS variables, tokenised once.

    Every style string an app parses (a "bold $accent" in a widget) needs the theme's
    variables as tokens, and each app tokenised all of them again on its first frame:
    1-2 ms of every session's start (profiled). Each app gets its own lists (Textual's
    substitution may append to them) over tokens that are shared and never changed.
    """
    from textual.css.stylesheet import Stylesheet
    from textual.css.tokenize import tokenize_values

    shared: dict[int, dict[str, list[Any]]] = {}

    def _variable_tokens(self: Stylesheet) -> dict[str, list[Any]]:
        tokens: dict[str, list[Any]] | None = self._Stylesheet__variable_tokens  # type: ignore[attr-defined]
        if tokens is None:
            key = _variables_key(self)
            common = shared.get(key)
            if common is None:
                if len(shared) >= 16:  # themes and colour modes in use: a handful
                    shared.clear()
                common = shared[key] = tokenize_values(self._variables)
            tokens = {name: list(values) for name, values in common.items()}
            self._Stylesheet__variable_tokens = tokens  # type: ignore[attr-defined]
        return tokens

    Stylesheet._variable_tokens = property(_variable_tokens)  # type: ignore[assignment,method-assign]


class _LazyCache:
    """A Strip's cache slot that makes its cache the first time it is used."""

    __slots__ = ("_make", "_size", "_slot")

    def __init__(self, slot: Any, size: int, make: Any) -> None:
        self._slot = slot
        self._size = size
        self._make = make

    def __get__(self, strip: Any, owner: Any = None) -> Any:
        if strip is None:
            return self
        try:
            return self._slot.__get__(strip, owner)
        except AttributeError:
            cache = self._make(self._size)
            self._slot.__set__(strip, cache)
            return cache

    def __set__(self, strip: Any, value: Any) -> None:
        self._slot.__set__(strip, value)


# Strip's caches and their sizes, as textual 8.2.8 makes them in Strip.__init__.
_STRIP_CACHES = {
    "_divide_cache": 4,
    "_crop_cache": 16,
    "_style_cache": 16,
    "_filter_cache": 4,
    "_line_length_cache": 4,
    "_crop_extend_cache": 4,
    "_offsets_cache": 4,
}


def _lazy_strip_caches() -> None:
    """A Strip makes its seven little caches when one is first used, not up front.

    Every line of every frame is a Strip, and each made seven caches (fourteen objects)
    that most never use: a profile of 104 session starts made 13,001 Strips and 92,463
    caches, churn that also leaves the allocator holding memory.
    """
    from textual.cache import FIFOCache
    from textual.strip import Strip

    def __init__(self: Strip, segments: Any, cell_length: int | None = None) -> None:
        self._segments = list(segments)
        self._cell_length = cell_length
        self._render_cache = None
        self._link_ids = None
        self._cell_count = None

    for name, size in _STRIP_CACHES.items():
        setattr(Strip, name, _LazyCache(Strip.__dict__[name], size, FIFOCache))
    Strip.__init__ = __init__  # type: ignore[method-assign]


def _release_text_area_watchers() -> None:
    """A TextArea that leaves the screen stops watching the app's theme.

    Every TextArea watches `app.theme`, and Textual prunes the watchers of removed
    widgets only when the theme next changes, which in a session is never: each editor
    ever opened (a reply, a new thread, with its whole undo history) stayed alive until
    the member logged out. About 0.3 MiB a post in the abuse benchmark.
    """
    from textual.widget import Widget
    from textual.widgets import TextArea

    original = Widget._on_unmount

    def _on_unmount(self: Widget) -> None:
        original(self)
        try:
            app = self.app
        except Exception:  # no app any more (the session ended): nothing to release
            return
        watchers = getattr(app, "__watchers", {}).get("theme")
        if watchers:
            watchers[:] = [(node, callback) for node, callback in watchers if node is not self]

    TextArea._on_unmount = _on_unmount  # type: ignore[method-assign]


def _inner_outer_without_the_cache() -> None:
    """Remembering two background styles no longer keeps dead widgets' rendered lines.

    StylesCache.get_inner_outer is an instance method under lru_cache(1024), so its key
    holds the StylesCache itself: the last 1,024 widgets' line caches (every Strip they
    drew) stayed alive after the widgets were gone: the abuse benchmark, whose replies
    each rebuilt the replier's thread page, kept ~700 of them. The two styles depend
    only on the two colours, so they are cached on those alone.
    """
    from functools import lru_cache

    from textual._styles_cache import StylesCache
    from textual.color import Color
    from textual.style import Style

    @lru_cache(1024)
    def inner_outer(base_background: Color, background: Color) -> tuple[Style, Style]:
        return (
            Style(background=base_background + background),
            Style(background=base_background),
        )

    StylesCache.get_inner_outer = staticmethod(inner_outer)  # type: ignore[method-assign,assignment]


class _LayoutUpdates:
    """Widget._layout_updates, which drops the widget's box models when it moves on.

    Each widget caches up to 16 box models, keyed on (among other things) its count of
    layout updates. The count only goes up, so a model made before the latest update can
    never be used again, yet stays until pushed out: a post widget redrawn for a new
    post, or a chat feed taking lines, keeps 16 dead models (with their Fractions).
    """

    __slots__ = ()

    def __get__(self, widget: Any, owner: type | None = None) -> int:
        if widget is None:
            return 0
        count: int = widget.__dict__["_bbs_layout_updates"]
        return count

    def __set__(self, widget: Any, count: int) -> None:
        widget.__dict__["_bbs_layout_updates"] = count
        cache = widget.__dict__.get("_box_model_cache")
        if cache is not None:
            cache.clear()


def _box_models_of_the_current_layout() -> None:
    from textual.widget import Widget

    Widget._layout_updates = _LayoutUpdates()  # type: ignore[assignment]


def _skip_same_size_relayout() -> None:
    """A screen does not lay out again when nothing about its layout changed.

    A new screen's first layout posts a Resize to the screen itself, and the app posts
    the terminal's size to it as well: two more full layouts and frames at the same
    size, for every session that starts. The app already ignores a same-size Resize
    from the terminal; this makes the screen agree. A real size change still lays out,
    and a layout something asked for still runs on the screen's update timer.
    """
    from textual.geometry import Size
    from textual.screen import Screen
    from textual.widget import Widget

    original = Screen._screen_resized

    def _screen_resized(self: Screen[Any], size: Size) -> None:
        if self._size == size and self.is_attached:
            return  # laid out at this size already; a pending layout runs on its timer
        original(self, size)

    Screen._screen_resized = _screen_resized  # type: ignore[method-assign]

    # A layout also records how big each widget's content is, and that record asks for
    # another whole layout, in case scroll bars must now appear. A widget that cannot
    # scroll has none; one whose CSS fixes its bars (no `auto` overflow) keeps them
    # whatever its content; a container whose content fitted before and fits now keeps
    # its bars as they are. Each way that second layout would be the same as the first.
    size_updated = Widget._size_updated

    def _size_updated(
        self: Widget,
        size: Size,
        virtual_size: Size,
        container_size: Size,
        layout: bool = True,
    ) -> bool:
        if layout:
            before = self.virtual_size
            styles = self.styles
            if (
                not self.is_scrollable
                or (styles.overflow_x != "auto" and styles.overflow_y != "auto")
                or (
                    virtual_size.width <= size.width
                    and virtual_size.height <= size.height
                    and before.width <= size.width
                    and before.height <= size.height
                )
            ):
                layout = False
        return size_updated(self, size, virtual_size, container_size, layout)

    Widget._size_updated = _size_updated  # type: ignore[method-assign]


def _quiet_empty_toast_rack() -> None:
    """Showing no notifications on a screen with none does not lay the screen out again.

    Every screen, when it comes up, hands its notifications to its toast rack, which
    sets `display` even when it is already hidden: a second full layout and frame for
    every screen shown, toasts or not.
    """
    from textual.widgets._toast import ToastRack

    original = ToastRack.show

    def show(self: ToastRack, notifications: Any) -> None:
        if not notifications and not self.display and not self.children:
            return
        original(self, notifications)

    ToastRack.show = show  # type: ignore[method-assign]


def _keep_reverse_in_visual_styles() -> None:
    """`text-style: reverse` reaches what widgets draw from their component styles.

    Textual 8.2.8's `Widget.get_visual_style` (which lists, choices and toggles draw
    their rows with) keeps bold, dim, italic, underline and strike from `text-style`,
    and drops reverse. Every "the chosen row in reverse" rule was ignored, and the
    chosen row of a list showed by colour alone: nothing at all on a monochrome terminal.
    """
    from dataclasses import replace

    from textual.widget import Widget

    original = Widget.get_visual_style

    def get_visual_style(self: Widget, *component_classes: str,
                         partial: bool = False) -> Any:
        cache: dict[Any, Any] = self._visual_style_cache  # keyed as the original keys it
        cache_key = (self._pseudo_classes_cache_key, component_classes, partial)
        cached = cache.get(cache_key)
        if cached is not None:
            return cached
        style = original(self, *component_classes, partial=partial)
        # The same styles, in the same order, that the original sums its text style from.
        nodes = [self] if partial else list(reversed(self.ancestors_with_self))
        layers = [node.styles for node in nodes]
        layers += [nodes[-1].get_component_styles(name) for name in component_classes]
        reverse = None
        for styles in layers:
            if styles.text_style.reverse is not None:
                reverse = styles.text_style.reverse
        if reverse:
            style = replace(style, reverse=True)
            cache[cache_key] = style
        return style

    Widget.get_visual_style = get_visual_style  # type: ignore[method-assign]
