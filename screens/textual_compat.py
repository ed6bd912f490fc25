"""Every use of Textual's private parts, in one place.

Harbour runs many Textual apps in one process over SSH, and a few things that needs
are not in Textual's public API: the app's driver, whether a layout is pending, a
console's colour system, the xterm parser's internals, and a handful of process-wide
patches that share or skip work. Each such touchpoint is a named function or class
here, and nowhere else in screens/ or server/ reads or writes a private Textual
attribute. tests/server/test_textual_compat.py has a test per touchpoint, and a hash
of the source of every function a patch replaces, so a Textual upgrade that moves or
changes one of them fails loudly instead of quietly doing nothing.

`apply_textual_patches()` installs the patches (once per process). Each checks its
target first and raises `TextualChanged` if the target is missing or its signature
differs from what the patch was written for.
"""

from __future__ import annotations
import __future__

import asyncio
import contextlib
import inspect
import re
import textwrap
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar, runtime_checkable

import textual.app as textual_app
from rich.color import ColorSystem
from rich.console import Console
from textual._parser import ParseEOF, ParseTimeout, Peek1, Read1, TokenCallback
from textual._xterm_parser import XTermParser
from textual.app import App
from textual.binding import Binding
from textual.events import Key
from textual.filter import LineFilter
from textual.keys import Keys
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input
from textual.widgets.input import Selection

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.driver import Driver
    from textual.message_pump import MessagePump

__all__ = [
    "ParseEOF",
    "ParseTimeout",
    "Peek1",
    "QuietCrashApp",
    "Read1",
    "RowScroller",
    "TakesTypedLine",
    "TakesTypedText",
    "TextualChanged",
    "TokenCallback",
    "TypedText",
    "UncachedXTermParser",
    "XTermParser",
    "app_driver",
    "apply_textual_patches",
    "forget_rendered_lines",
    "hand_typed_text",
    "has_notifications",
    "is_closing",
    "layout_pending",
    "own_key_bindings",
    "patched_originals",
    "repaint_pending",
    "row_scroller",
    "set_color_system",
    "set_terminal_size",
    "shift_rendered_lines",
    "stop_watching",
    "stopped_before",
    "takes_no_arguments",
    "takes_typed",
    "terminal_size",
    "type_as_keys",
    "use_line_filter",
    "without_tooltips",
]

ReturnType = TypeVar("ReturnType")
C = TypeVar("C", bound=type)


class TextualChanged(RuntimeError):
    """Textual no longer has something this module relies on: check it against the new
    Textual (and its test in tests/server/test_textual_compat.py) before upgrading."""


# -- the app and its driver ---------------------------------------------------------------
class RowScroller(Protocol):
    """A driver that can shift a band of whole rows up (see server.driver.SSHDriver)."""

    def scroll_rows(self, top: int, bottom: int, rows: int) -> None:
        """Rows top..bottom (0-based, inclusive) move up by `rows`; the freed rows blank."""

    def scroll_rows_in(self, top: int, bottom: int, rows: Sequence[str]) -> None:
        """Rows top..bottom move up by len(rows); `rows` (rendered strips, text and SGR
        only, trailing blanks left off) fill the freed bottom rows."""

    def write(self, data: str) -> None:
        """Write terminal output, in order with the scroll."""


def app_driver(app: App[Any]) -> Driver | None:
    """The driver an app is running with (None before it starts and after it ends)."""
    driver: Driver | None = app._driver
    return driver


def row_scroller(app: App[Any]) -> RowScroller | None:
    """The app's driver if it can scroll a band of rows in place, else None."""
    driver: Any = app._driver
    if driver is None or not getattr(driver, "supports_scroll_regions", False):
        return None
    scroller: RowScroller = driver
    return scroller


def without_tooltips(app: App[Any]) -> None:
    """The app's screens have no tooltip widget (as `App.run_test(tooltips=False)` does):
    a widget, with its message pump, styles and caches, less on every screen, for an
    app whose widgets have no tooltips and whose members have no mouse to hover with."""
    app._disable_tooltips = True


def has_notifications(app: App[Any]) -> bool:
    """Whether the app has notifications (toasts) that may be on the screen."""
    return bool(app._notifications)


def layout_pending(node: Widget) -> bool:
    """Whether a widget or screen has asked for a layout that has not run yet."""
    return bool(node._layout_required)


def repaint_pending(widget: Widget) -> bool:
    """Whether a widget has asked for a repaint that has not run yet."""
    return bool(widget._repaint_required)


def forget_rendered_lines(widget: Widget) -> None:
    """Drop the lines Textual cached for a widget, so the next render draws them afresh.

    For a widget that moved its own rows on the terminal (the room feed's scroll)."""
    widget._styles_cache.clear()


def shift_rendered_lines(widget: Widget, rows: int) -> None:
    """The lines Textual cached for a widget move up by `rows`, as the widget's own rows
    did on the terminal (the room feed's scroll): the rows still shown keep their render,
    the freed bottom rows are drawn afresh when next asked for. For a widget with no
    vertical border or padding (its row y is its content's line y). With any line marked
    dirty, everything is forgotten instead."""
    cache = widget._styles_cache
    if cache._dirty_lines or rows <= 0:
        cache.clear()
        return
    cache._cache = {y - rows: strip for y, strip in cache._cache.items() if y >= rows}


def own_key_bindings(widget: Widget, key: str) -> list[Binding]:
    """The bindings a widget itself (its class's BINDINGS) has for `key`."""
    bindings: list[Binding] = widget._bindings.key_to_bindings.get(key, [])
    return bindings


def set_color_system(console: Console, system: ColorSystem) -> None:
    """Set the colour system one app's console renders with (the console is per app)."""
    console._color_system = system


def use_line_filter(app: App[Any], line_filter: LineFilter, on: bool) -> None:
    """Add (on) or remove a line filter from what this app draws (NoColor, for one)."""
    filters: list[LineFilter] = app._filters
    if on and line_filter not in filters:
        filters.append(line_filter)
    elif not on and line_filter in filters:
        filters.remove(line_filter)


class QuietCrashApp(App[ReturnType]):
    """An App whose crash is reported through `crashed`, without Textual's traceback.

    Textual's own handler renders the traceback with local variables (a password, a
    private message) to the terminal on exit. Here the subclass decides what is logged
    and said; the app then closes as Textual's handler would close it."""

    def crashed(self, error: BaseException | None) -> None:
        """The app hit an unhandled exception (`error`) and is about to close."""

    def _fatal_error(self) -> None:
        self.crashed(self._exception)
        self._close_messages_no_wait()


def stop_watching(obj: DOMNode, attribute: str, node: DOMNode) -> None:
    """`node` no longer watches `obj.attribute` (Textual drops such watchers only when
    the attribute next changes)."""
    watchers = getattr(obj, "__watchers", {}).get(attribute)
    if watchers:
        watchers[:] = [(watcher, callback) for watcher, callback in watchers if watcher is not node]


# -- the terminal driver ------------------------------------------------------------------
def terminal_size(driver: Driver) -> tuple[int, int] | None:
    """The size a driver reports to its app (None: not known yet)."""
    size: tuple[int, int] | None = driver._size
    return size


def set_terminal_size(driver: Driver, size: tuple[int, int]) -> None:
    """Set the size the app reads from its driver (App.size reads it on each resize)."""
    driver._size = size


class UncachedXTermParser(XTermParser):
    """Textual's xterm parser without its class-wide lru_cache, which kept dead parsers
    (and through their last key, dead apps) alive; and one that can be released."""

    def _parse_extended_key(self, sequence: str) -> list[Key] | None:  # type: ignore[override]
        uncached: Any = XTermParser._parse_extended_key.__wrapped__
        result: list[Key] | None = uncached(self, sequence)
        return result

    # Per printable ASCII character: the (key, character) of each key the parser makes of
    # it outside a sequence (the same for every parser: no state is read).
    _PRINTABLE: ClassVar[dict[str, tuple[tuple[str, str | None], ...]]] = {}

    def printable_keys(self, char: str) -> tuple[tuple[str, str | None], ...]:
        """The keys (name, character) Textual's parser makes of `char`, a printable ASCII
        character read while no escape sequence is begun, found once per character."""
        keys = self._PRINTABLE.get(char)
        if keys is None:
            keys = self._PRINTABLE[char] = tuple(
                (event.key, event.character)
                for event in self._sequence_to_key_events(char)
                if event.key != Keys.Ignore
            )
        return keys

    @property
    def waiting_for_more(self) -> bool:
        """Whether the parser is waiting to see if an escape sequence goes on (call tick)."""
        return self._timeout_time is not None

    def release(self) -> None:
        """Let go of everything parsed: the generator's frame holds the last key event,
        whose sender is the app."""
        self._gen.close()
        self._tokens.clear()


def stopped_before(event: Message, parent: MessagePump) -> bool:
    """Whether `event` was stopped where it is, so it will not bubble on to `parent`.

    As MessagePump._on_message decides: a screen marks an event stopped as it passes it
    to the app that sent it, so that alone does not mean it stopped."""
    return bool(event._stop_propagation and event._sender is not parent)


def is_closing(pump: MessagePump) -> bool:
    """Whether a widget, screen or app is closing or closed (its queue runs no more)."""
    return bool(pump._closing or pump._closed)


def takes_no_arguments(cls: C) -> C:
    """Class decorator: Textual calls instances of `cls` as callbacks with no arguments,
    without inspecting their signature each time."""
    setattr(cls, "_param_count", 0)  # noqa: B010 (what Textual's count_parameters reads)
    return cls


# -- keys that came together ------------------------------------------------------------
class TypedText(Message, bubble=False):
    """Printable keys that reached the server in one read, for the field that has focus.

    A line typed ahead (a slow link, a client that sends a line at once) arrives as a run
    of keys; a field that takes it as one (`TakesTypedText`) types them in the order they
    came, as Input does key by key, with one change of its value and cursor instead of
    one per key (each sets off a dozen reactives, a Changed message and a scroll).
    """

    def __init__(self, keys: Sequence[Key]) -> None:
        super().__init__()
        self.keys = tuple(keys)
        # An Enter that came right behind them, for a field that takes it so (`enter`).
        self.enter = bool(self.keys) and self.keys[-1].key == "enter"
        typed = self.keys[:-1] if self.enter else self.keys
        self.text = "".join(key.character or "" for key in typed)


@runtime_checkable
class TakesTypedText(Protocol):
    """A field that takes a `TypedText` as its keys one by one would have typed."""

    def type_text(self, text: str) -> None: ...


@runtime_checkable
class TakesTypedLine(TakesTypedText, Protocol):
    """A field that also takes the Enter right behind typed text as its Enter key."""

    def enter_typed(self) -> None: ...


# Per widget class: (takes typed text, takes a typed line). A runtime protocol's isinstance
# looks the protocol's members up on every call (about 7 us), and the driver asks it for
# every key typed; whether a field has the methods is a matter of its class.
_TYPED_KINDS: dict[type, tuple[bool, bool]] = {}


def takes_typed(widget: object) -> tuple[bool, bool]:
    """Whether `widget` is a `TakesTypedText`, and a `TakesTypedLine` (decided once per
    class)."""
    kind = type(widget)
    found = _TYPED_KINDS.get(kind)
    if found is None:
        found = _TYPED_KINDS[kind] = (
            isinstance(widget, TakesTypedText),
            isinstance(widget, TakesTypedLine),
        )
    return found


def hand_typed_text(app: App[Any], typed: TypedText, field: Widget) -> None:
    """Where the app would look at the first of `typed.keys`: to `field` as one if it
    still has focus and no priority binding takes one of the keys (App.on_event runs
    those first); otherwise the keys go back to the app one by one, in order."""
    priority = {
        key
        for _namespace, bindings in app.screen._binding_chain
        for key, found in bindings.key_to_bindings.items()
        if any(binding.priority for binding in found)
    }
    if app.focused is field and not any(key.key in priority for key in typed.keys):
        typed._set_forwarded()  # as App.on_event forwards a key
        field.post_message(typed)
        return
    for key in typed.keys:
        app.post_message(key)


def type_as_keys(field: Input, text: str, clean: Callable[[str], str]) -> None:
    """Type `text` into `field` as its printable keys would have one by one.

    Each character as `Input._on_key` then `Input.replace` (after `clean`, as the
    field's own `replace` does) would: over a selection or at the cursor, refused with
    the bell past `max_length`, the value through `validate_value`, the cursor after it;
    but the value and the cursor are set once, at the end. A field restricted by a
    pattern or a type takes the characters one key at a time instead.
    """
    field._restart_blink()
    if field.restrict is not None or field.type != "text":
        for character in text:
            selection = field.selection
            if selection.is_empty:
                field.insert_text_at_cursor(character)
            else:
                field.replace(character, *selection)
        return
    # As Reactive._set validates a value set.
    validators = [
        function
        for function in (
            getattr(field, "_validate_value", None),
            getattr(field, "validate_value", None),
        )
        if callable(function)
    ]
    value = field.value
    selection = field.selection
    for character in text:
        start, end = (selection.end, selection.end) if selection.is_empty else selection
        piece = clean(character)
        start, end = sorted((max(0, start), min(len(value), end)))
        new_value = f"{value[:start]}{piece}{value[end:]}"
        if field.max_length and len(new_value) > field.max_length:
            field.restricted()
            continue
        for validate in validators:
            new_value = validate(new_value)
        value = new_value
        cursor = min(max(0, start + len(piece)), len(value))
        selection = Selection.cursor(cursor)
    field.value = value
    field.selection = selection


# -- process-wide patches -----------------------------------------------------------------
_applied = False
# What each patch replaced, by name: tests hash their source against the pinned Textual.
_originals: dict[str, Callable[..., Any]] = {}


def patched_originals() -> dict[str, Callable[..., Any]]:
    """The Textual functions the patches replaced (or rely on), by patch name."""
    return dict(_originals)


def _target(owner: Any, name: str, patch: str) -> Any:
    """`owner.name` as defined on owner itself, or TextualChanged."""
    namespace = owner.__dict__ if isinstance(owner, type) else vars(owner)
    if name not in namespace:
        where = getattr(owner, "__qualname__", getattr(owner, "__name__", repr(owner)))
        raise TextualChanged(f"{where}.{name} is gone: patch {patch!r} cannot be installed")
    return namespace[name]


def _method(owner: type, name: str, patch: str, parameters: tuple[str, ...]) -> Any:
    """The method `owner.name`, checked to take exactly `parameters`, or TextualChanged."""
    original = _target(owner, name, patch)
    function = getattr(original, "__wrapped__", original)
    if isinstance(original, property):
        function = original.fget
    found = tuple(inspect.signature(function).parameters)
    if found != parameters:
        raise TextualChanged(
            f"{owner.__qualname__}.{name} now takes {found}, not {parameters}: "
            f"patch {patch!r} cannot be installed"
        )
    _originals[patch] = function
    return original


def apply_textual_patches() -> None:
    """Install the process-wide patches (once; later calls do nothing).

    Each raises TextualChanged if what it patches is missing or takes other parameters.
    """
    global _applied
    if _applied:
        return
    _no_stdout_swap()
    _share_parsed_css()
    _share_variable_tokens()
    _lazy_strip_caches()
    _skip_same_size_relayout()
    _quiet_empty_toast_rack()
    _no_tooltip_no_search()
    _reactive_reads_from_the_instance()
    _style_a_new_screen_once()
    _styles_shared_across_apps()
    _one_layout_as_a_screen_comes_up()
    _light_message_queues()
    _lazy_signal_subscriptions()
    _lazy_pump_timers()
    _light_timer_events()
    _pump_tasks_named_by_class()
    _a_gone_widget_leaves_no_cycles()
    _lru_caches_leave_no_rings()
    _replaced_component_styles_leave_no_cycles()
    _a_whole_strip_is_not_cached_in_itself()
    _an_arrangement_is_not_kept_by_its_helper()
    _a_finished_worker_lets_go_of_its_task()
    _instance_defaults_on_the_class()
    _apps_share_environment_and_theme_variables()
    _parameters_counted_from_the_code()
    _dispatch_planned_once_per_class()
    # No patch drops a Layout or Update message. One that skipped layouts "already done"
    # saved a few ms of CPU a session start but left grown widgets at their old height: a
    # full layout that runs after a widget changes and before the widget's idle moment
    # still uses its parents' cached arrangement (tests/server/test_layout_under_load.py).
    _inner_outer_without_the_cache()
    _box_models_of_the_current_layout()
    _keep_reverse_in_visual_styles()
    _typing_as_input_types()
    _content_rendered_once_for_every_app()
    _theme_colours_worked_out_once()
    _theme_looked_up_without_copies()
    _widget_lines_drawn_once_for_every_app()
    _escape_codes_for_each_colour_system()
    _applied = True


def _no_stdout_swap() -> None:
    """Neutralise App's sys.stdout/sys.stderr swap.

    App._process_messages wraps each app's run in redirect_stdout/redirect_stderr,
    a process-global swap. With many apps whose lifetimes interleave, the restores
    happen out of order, sys.stdout is left pointing at a dead app's capture object,
    and that app (with its whole DOM) can never be freed.
    """
    patch = "no_stdout_swap"
    _method(
        App,
        "_process_messages",
        patch,
        (
            "self",
            "ready_callback",
            "headless",
            "inline",
            "inline_no_clear",
            "mouse",
            "terminal_size",
            "message_hook",
        ),
    )
    for name in ("redirect_stdout", "redirect_stderr"):
        _target(textual_app, name, patch)

    def _no_redirect(_target: Any) -> contextlib.nullcontext[None]:
        return contextlib.nullcontext()

    textual_app.redirect_stdout = _no_redirect  # type: ignore[attr-defined,assignment]
    textual_app.redirect_stderr = _no_redirect  # type: ignore[attr-defined,assignment]


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
    original = _method(
        Stylesheet,
        "_parse_rules",
        "share_parsed_css",
        ("self", "css", "read_from", "is_default_rules", "tie_breaker", "scope"),
    )
    if "_variables" not in inspect.getsource(Stylesheet.__init__):
        raise TextualChanged("Stylesheet._variables is gone: patch 'share_parsed_css'")

    def _parse_rules(
        self: Stylesheet,
        css: str,
        read_from: Any,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[Any]:
        key = (css, read_from, is_default_rules, tie_breaker, scope)

        def parse() -> list[Any]:
            with _own_variable_tokens(self):
                rules: list[Any] = original(
                    self, css, read_from, is_default_rules, tie_breaker, scope
                )
            return rules

        return cache.lookup(self, key, parse)

    Stylesheet._parse_rules = _parse_rules  # type: ignore[method-assign]


# Each theme's CSS variables, tokenised once for every app (see _share_variable_tokens).
_theme_tokens: dict[int, dict[str, list[Any]]] = {}
_tokens_shared = False


def _shared_variable_tokens(stylesheet: Any) -> dict[str, list[Any]]:
    from textual.css.tokenize import tokenize_values

    key = _variables_key(stylesheet)
    tokens = _theme_tokens.get(key)
    if tokens is None:
        if len(_theme_tokens) >= 16:  # themes and colour modes in use: a handful
            _theme_tokens.clear()
        tokens = _theme_tokens[key] = tokenize_values(stylesheet._variables)
    return tokens


@contextlib.contextmanager
def _own_variable_tokens(stylesheet: Any) -> Any:
    """While the stylesheet parses CSS, it has lists of its own: Textual's substitution
    appends to a variable's list when CSS defines a variable of the same name."""
    if not _tokens_shared:
        yield  # Textual's own property: each stylesheet has lists of its own anyway
        return
    common = _shared_variable_tokens(stylesheet)
    stylesheet._Stylesheet__variable_tokens = {name: list(v) for name, v in common.items()}
    try:
        yield
    finally:
        stylesheet._Stylesheet__variable_tokens = None


def _share_variable_tokens() -> None:
    """Apps with the same theme share the theme's CSS variables, tokenised once.

    Every style string an app parses (a "bold $accent" in a widget) needs the theme's
    variables as tokens, and each app tokenised all of them again on its first frame:
    1-2 ms of every session's start (profiled), and ~15 KiB an app kept. Style strings
    only read them (their tokenizer has no variable definitions), so they read the
    shared tokens; a stylesheet parsing CSS (a miss in the shared rule cache, see
    _share_parsed_css) gets lists of its own for that parse, since a CSS variable
    definition appends to them.
    """
    from textual.css.stylesheet import Stylesheet

    _method(Stylesheet, "_variable_tokens", "share_variable_tokens", ("self",))
    if "self.__variable_tokens" not in inspect.getsource(Stylesheet.__init__):
        raise TextualChanged("Stylesheet.__variable_tokens is gone: patch 'share_variable_tokens'")

    def _variable_tokens(self: Stylesheet) -> dict[str, list[Any]]:
        tokens: dict[str, list[Any]] | None = self._Stylesheet__variable_tokens  # type: ignore[attr-defined]
        if tokens is None:
            return _shared_variable_tokens(self)  # read only, outside a parse
        return tokens

    global _tokens_shared
    Stylesheet._variable_tokens = property(_variable_tokens)  # type: ignore[assignment,method-assign]
    _tokens_shared = True


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

    patch = "lazy_strip_caches"
    _method(Strip, "__init__", patch, ("self", "segments", "cell_length"))
    slots = {name: _target(Strip, name, patch) for name in _STRIP_CACHES}

    def __init__(self: Strip, segments: Any, cell_length: int | None = None) -> None:
        self._segments = list(segments)
        self._cell_length = cell_length
        self._render_cache = None
        self._link_ids = None
        self._cell_count = None

    for name, size in _STRIP_CACHES.items():
        setattr(Strip, name, _LazyCache(slots[name], size, FIFOCache))
    Strip.__init__ = __init__  # type: ignore[method-assign]


def _a_whole_strip_is_not_cached_in_itself() -> None:
    """`Strip.divide` at the strip's own length answers `[strip]` without caching it.

    The compositor divides every line it draws at the widgets' edges; a line one widget
    fills is "divided" at its own length, and Textual cached `[self]` in the strip's
    own cache: a reference cycle, so each such line, with its segments, stayed until a
    full collection. The answer is the same list, made afresh (no caller keeps it).
    """
    from textual.strip import Strip

    patch = "a_whole_strip_is_not_cached_in_itself"
    if getattr(Strip.__dict__.get("divide"), "__module__", None) == __name__:
        return  # installed already (tests install again)
    original = _method(Strip, "divide", patch, ("self", "cuts"))
    if "strips = [self]" not in inspect.getsource(original):
        raise TextualChanged(f"Strip.divide changed: patch {patch!r}")

    def divide(self: Strip, cuts: Any) -> Sequence[Strip]:
        cell_length = self.cell_length
        cuts = [cut for cut in cuts if cut <= cell_length]
        if cuts == [cell_length]:
            return [self]
        divided: Sequence[Strip] = original(self, cuts)
        return divided

    divide.__doc__ = original.__doc__
    Strip.divide = divide  # type: ignore[method-assign]


_ARRANGE_END = "    widgets -= invisible_widgets\n    return map, widgets\n"


def _an_arrangement_is_not_kept_by_its_helper() -> None:
    """Each arrangement of a screen is freed as soon as the compositor has a newer one.

    `Compositor._arrange_root` places widgets with a nested function that calls itself:
    a closure that refers to itself is a reference cycle, and it held the map and widget
    set it filled, so every layout's map (each widget's geometry, and the widgets, even
    removed ones) stayed until a full collection. This is Textual's own function,
    compiled from its source with one line added: the helper is dropped before the
    result is returned.
    """
    import textual._compositor as compositor_module
    from textual._compositor import Compositor

    patch = "an_arrangement_is_not_kept_by_its_helper"
    if getattr(Compositor.__dict__.get("_arrange_root"), "__module__", None) == __name__:
        return  # installed already (tests install again)
    original = _method(Compositor, "_arrange_root", patch, ("self", "root", "size", "visible_only"))
    source = textwrap.dedent(inspect.getsource(original))
    if source.count(_ARRANGE_END) != 1 or "def add_widget(" not in source:
        raise TextualChanged(f"Compositor._arrange_root changed: patch {patch!r}")
    source = source.replace(
        _ARRANGE_END,
        "    widgets -= invisible_widgets\n    del add_widget\n    return map, widgets\n",
    )
    flags = __future__.annotations.compiler_flag
    code = compile(source, inspect.getsourcefile(original) or "<textual>", "exec", flags, True)
    namespace: dict[str, Any] = {}
    exec(code, vars(compositor_module), namespace)  # Textual's own source, one line added
    arrange_root = namespace["_arrange_root"]
    arrange_root.__module__ = __name__
    arrange_root.__qualname__ = original.__qualname__
    Compositor._arrange_root = arrange_root  # type: ignore[method-assign]


def _inner_outer_without_the_cache() -> None:
    """Remembering two background styles no longer keeps dead widgets' rendered lines.

    StylesCache.get_inner_outer is an instance method under lru_cache(1024), so its key
    holds the StylesCache itself: the last 1,024 widgets' line caches (every Strip they
    drew) stayed alive after the widgets were gone: the abuse benchmark, whose replies
    each rebuilt the replier's thread page, kept ~700 of them. The two styles depend
    only on the two colours, so they are cached on those alone.
    """
    from textual._styles_cache import StylesCache
    from textual.color import Color
    from textual.style import Style

    _method(
        StylesCache,
        "get_inner_outer",
        "inner_outer_without_the_cache",
        ("cls", "base_background", "background"),
    )

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
    patch = "box_models_of_the_current_layout"
    _method(
        Widget,
        "_get_box_model",
        patch,
        (
            "self",
            "container",
            "viewport",
            "width_fraction",
            "height_fraction",
            "constrain_width",
            "greedy",
        ),
    )
    source = inspect.getsource(Widget._get_box_model)
    if "self._layout_updates" not in source or "self._box_model_cache" not in source:
        raise TextualChanged("Widget's box model cache changed: patch " + repr(patch))
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

    original = _method(Screen, "_screen_resized", "skip_same_size_relayout", ("self", "size"))
    size_updated = _method(
        Widget,
        "_size_updated",
        "skip_same_size_relayout_size_updated",
        ("self", "size", "virtual_size", "container_size", "layout"),
    )

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
        result: bool = size_updated(self, size, virtual_size, container_size, layout)
        return result

    Widget._size_updated = _size_updated  # type: ignore[method-assign]


def _quiet_empty_toast_rack() -> None:
    """Showing no notifications on a screen with none does not lay the screen out again.

    Every screen, when it comes up, hands its notifications to its toast rack, which
    sets `display` even when it is already hidden: a second full layout and frame for
    every screen shown, toasts or not.
    """
    from textual.widgets._toast import ToastRack

    original = _method(ToastRack, "show", "quiet_empty_toast_rack", ("self", "notifications"))

    def show(self: ToastRack, notifications: Any) -> None:
        if not notifications and not self.display and not self.children:
            return
        original(self, notifications)

    ToastRack.show = show  # type: ignore[method-assign]


def _no_tooltip_no_search() -> None:
    """A key on a screen without a tooltip widget (`without_tooltips`) costs no search.

    The app clears the screen's tooltip on every key: `get_child_by_type(Tooltip)`, which
    on a screen without one raises NoMatches with the repr of every child in its message,
    ~50 us a key typed. With a tooltip child, Textual's own method runs as before.
    """
    from textual.screen import Screen
    from textual.widgets._tooltip import Tooltip

    original = _method(Screen, "_clear_tooltip", "no_tooltip_no_search", ("self",))

    def _clear_tooltip(self: Screen[Any]) -> None:
        for child in self._nodes:
            if type(child) is Tooltip:
                original(self)
                return

    Screen._clear_tooltip = _clear_tooltip  # type: ignore[method-assign]


def _reactive_reads_from_the_instance() -> None:
    """Reading a reactive with no compute method is a look-up of the value it holds.

    `Reactive.__get__` checks, on every read, that the node was initialised, that the
    value was, and that the node's class has no compute method (three `hasattr`s): ~60
    reads a key typed in an Input. Once a read of a reactive by a node of some class has
    gone through it and found no compute method, later reads by nodes of that class whose
    value is set return the value at once; anything else goes through Textual's own code.
    """
    from textual.reactive import Reactive

    patch = "reactive_reads_from_the_instance"
    original = _method(Reactive, "__get__", patch, ("self", "obj", "obj_type"))
    source = inspect.getsource(original)
    if "hasattr(obj, self.compute_name)" not in source or "internal_name" not in source:
        raise TextualChanged(f"Reactive.__get__ changed: patch {patch!r}")
    # Per reactive: the node classes found to have no compute method for it.
    plain_types: dict[Reactive[Any], set[type]] = {}

    def __get__(self: Reactive[Any], obj: Any, obj_type: Any) -> Any:
        if obj is not None:
            plain = plain_types.get(self)
            if plain is not None and type(obj) in plain:
                try:
                    return obj.__dict__[self.internal_name]
                except (AttributeError, KeyError):
                    pass
            value = original(self, obj, obj_type)
            if not hasattr(obj, self.compute_name):
                plain_types.setdefault(self, set()).add(type(obj))
            return value
        return original(self, obj, obj_type)

    Reactive.__get__ = __get__  # type: ignore[method-assign]


def _style_a_new_screen_once() -> None:
    """A screen shown for the first time is not styled all over again as it comes up.

    Textual styles every node as it is mounted, and then again, all of them, when the
    screen first resumes, in case the stylesheet changed in between (a widget's default
    CSS is added when the first widget of its kind mounts): a third of a session start's
    style work (profiled). Each node now notes the rules it was styled with; on a
    screen's first resume only the nodes styled with older rules are styled again, so
    each node ends with the styles the full pass gives it (and a scroll bar shown, as
    the full pass styles those too). Class and pseudo-class
    changes restyle their nodes as they happen, as before, and a screen coming back up
    (not its first resume) gets Textual's full pass.
    """
    from textual import events
    from textual.css.stylesheet import Stylesheet
    from textual.screen import Screen

    patch = "style_a_new_screen_once"
    apply = _method(Stylesheet, "apply", patch, ("self", "node", "animate", "cache"))
    resume = _method(Screen, "_on_screen_resume", patch + "_resume", ("self", "event"))
    _method(Stylesheet, "update_nodes", patch + "_update_nodes", ("self", "nodes", "animate"))
    if "event.refresh_styles" not in inspect.getsource(resume):
        raise TextualChanged("Screen._on_screen_resume changed: patch " + repr(patch))
    if "rules_map = self.rules_map" not in inspect.getsource(apply):
        raise TextualChanged("Stylesheet.apply changed: patch " + repr(patch))

    def apply_noting_the_rules(
        self: Stylesheet, node: DOMNode, *, animate: bool = False, cache: Any = None
    ) -> None:
        apply(self, node, animate=animate, cache=cache)
        node._bbs_styled_with = self._rules_map  # type: ignore[attr-defined]

    def _on_screen_resume(self: Screen[Any], event: events.ScreenResume) -> None:
        if event.refresh_styles and self.stack_updates == 0 and self.is_attached:
            stylesheet = self.app.stylesheet
            rules = stylesheet.rules_map
            # Styled again as the full pass would: nodes styled with older rules, and
            # scrollable ones showing a scroll bar (the pass styles their bars too).
            stale = [
                node
                for node in self.walk_children(with_self=True)
                if getattr(node, "_bbs_styled_with", None) is not rules
                or (
                    isinstance(node, Widget)
                    and node.is_scrollable
                    and (
                        (node.show_vertical_scrollbar and node.scrollbar_size_vertical)
                        or (node.show_horizontal_scrollbar and node.scrollbar_size_horizontal)
                    )
                )
            ]
            if stale:
                stylesheet.update_nodes(stale, animate=False)
            event = events.ScreenResume(refresh_styles=False)
        resume(self, event)

    Stylesheet.apply = apply_noting_the_rules  # type: ignore[method-assign]
    Screen._on_screen_resume = _on_screen_resume  # type: ignore[method-assign]


# What `Stylesheet.apply` worked out for a node, shared by every app (see
# _styles_shared_across_apps): the candidate rules of a kind of node, then the rules that
# won for a node at a given place in a given DOM.
_NO_RULES: Any = object()  # no rule matched: Textual leaves the node's styles as they are
_StylesEntry = tuple[Any, tuple[bool, bool, bool, bool]]
_rule_lists: dict[tuple[int, ...], int] = {}
_rule_lists_kept: list[list[Any]] = []  # their rules, alive, so that no id is reused
_rule_list_numbers = iter(range(1 << 62))
_candidates: dict[tuple[Any, ...], tuple[tuple[str, ...], tuple[bool, bool, bool, bool]]] = {}
_shared_styles: dict[tuple[Any, ...], _StylesEntry] = {}
_SHARED_STYLES_LIMIT = 4096  # entries; a home screen has about 20, every screen a few hundred
_RULE_LISTS_LIMIT = 64  # stylesheets in use: one per theme, colour mode and set of widgets
# The rules a `replace_rules` call gets while a node is styled the first time: [node, rules].
_capturing: list[list[Any]] = []


def _forget_shared_styles() -> None:
    _rule_lists.clear()
    _rule_lists_kept.clear()
    _candidates.clear()
    _shared_styles.clear()
    _fresh_plans.clear()


# What Textual's `replace_rules` leaves in a new node's styles for a shared entry's rules
# (see _styled_fresh), by the rules' id: (the rules, kept alive; the plan or None).
_FreshPlan = tuple[dict[str, Any], int, bool, dict[str, Any]]
_fresh_plans: dict[int, tuple[Any, _FreshPlan | None]] = {}
# Style properties whose setting does more than set the rule and ask an unmounted node
# for nothing (`Styles.refresh` returns at once for it): `display` updates the parent's
# node list, `pointer` the screen's pointer, `overflow-x/y` the widget's scroll bars.
_STYLE_PROPERTIES: dict[str, Any] = {}


def _style_property(name: str) -> Any:
    """The descriptor `Styles.name` (None if there is none)."""
    found = _STYLE_PROPERTIES.get(name, _NO_RULES)
    if found is _NO_RULES:
        from textual.css.styles import Styles

        found = None
        for klass in Styles.__mro__:
            candidate = klass.__dict__.get(name)
            if candidate is not None:
                found = candidate if hasattr(type(candidate), "__set__") else None
                break
        _STYLE_PROPERTIES[name] = found
    return found


def _fresh_plan(rules: Any) -> _FreshPlan | None:
    """What `Stylesheet.replace_rules(node, rules)` leaves in the base styles of a node
    never styled and not mounted: the rules as set, the count of changes (`_updates`),
    and whether any is a scroll bar colour (which refreshes the node's scroll bars when it
    shows any). Worked out by Textual's own properties on styles of no node, which do
    exactly that and nothing else; and the names among the rules that are no style
    property, which it sets as plain attributes of the styles. None when a rule is one
    whose setting does more (`display`, `pointer`, `overflow-x/y`)."""
    from textual.css._style_properties import (
        OverflowProperty,
        ScrollbarColorProperty,
        StringEnumProperty,
    )
    from textual.css.styles import Styles

    scroll_bars = False
    # Names that are no style property (the `auto_*` flags Textual's CSS builder puts
    # among the rules): replace_rules sets them as attributes of the styles object.
    plain: dict[str, Any] = {}
    for name, value in rules.items():
        prop = _style_property(name)
        if prop is None:
            plain[name] = value
            continue
        if value is None:
            continue  # cleared on a node that has no rule: nothing happens
        if isinstance(prop, OverflowProperty):
            return None
        if isinstance(prop, StringEnumProperty) and (prop._display or prop._pointer):
            return None
        if isinstance(prop, ScrollbarColorProperty):
            scroll_bars = True
    styles = Styles()
    get_rule = rules.get
    for name in styles._rules.keys() | rules.keys():  # as replace_rules, not animated
        setattr(styles, name, get_rule(name))
    return dict(styles._rules), styles._updates, scroll_bars, plain


def _styled_fresh(node: Any, rules: Any) -> bool:
    """Give a node never styled and not mounted the styles Textual's `replace_rules` would
    (not animated), in one step: its base styles' rules and change count as that leaves
    them, then `notify_style_update` as it ends. False (nothing done) for any other node,
    or rules `_fresh_plan` does not cover: Textual's own `replace_rules` does it then."""
    if node._is_mounted:
        return False
    base = node.styles.base
    if base._rules:
        return False
    known = _fresh_plans.get(id(rules))
    if known is None or known[0] is not rules:
        if len(_fresh_plans) >= _SHARED_STYLES_LIMIT:
            _fresh_plans.clear()
        known = _fresh_plans[id(rules)] = (rules, _fresh_plan(rules))
    plan = known[1]
    if plan is None:
        return False
    values, updates, scroll_bars, plain = plan
    if scroll_bars:
        from textual.widget import Widget

        if isinstance(node, Widget) and (
            node.show_horizontal_scrollbar or node.show_vertical_scrollbar
        ):
            return False  # a scroll bar colour set refreshes a shown scroll bar
    base._rules.update(values)
    base._updates += updates
    if plain:
        vars(base).update(plain)
    node.notify_style_update()
    return True


def _rule_list_number(stylesheet: Any) -> int:
    """A number for the stylesheet's rule list (the same parsed rules in the same order get
    the same number in every app), worked out again only when the rules change."""
    rules_map = stylesheet.rules_map
    noted = getattr(stylesheet, "_bbs_rule_list", None)
    if noted is not None and noted[0] is rules_map:
        number: int = noted[1]
        return number
    rules = stylesheet.rules
    ids = tuple(map(id, rules))
    found = _rule_lists.get(ids)
    if found is None:
        if len(_rule_lists) >= _RULE_LISTS_LIMIT:
            _forget_shared_styles()
        found = _rule_lists[ids] = next(_rule_list_numbers)
        _rule_lists_kept.append(list(rules))
    stylesheet._bbs_rule_list = (rules_map, found)
    return found


def _styles_shared_across_apps() -> None:
    """A node styled like one already styled in another app gets the same rules without
    matching every selector again.

    Every session's home screen is the same DOM: the same kinds of widget, with the same
    ids and classes, in the same places, styled by the same parsed rules (shared by every
    app: _share_parsed_css). Textual matches every candidate rule's selectors against the
    node's path for every node of every app (`Stylesheet.apply`: 13% of a session start's
    CPU, profiled). What decides the outcome is only this: the stylesheet's rules, in
    order; and, for the node and each of its ancestors, its type (the CSS type names and
    pseudo-class checks), its id, its classes, and whether it has each pseudo-class that
    any candidate rule names. With those as the key, the outcome (the rules that won, or
    none, and the four "has a hover/focus-within/order/odd-even style" flags) is kept and
    handed to the next node with the same key, through Textual's own `replace_rules` and
    component-class pass as before. A key that cannot be worked out (a pseudo-class check
    that raises) goes to Textual's apply, as does everything the first time.
    """
    from textual.css.match import _check_selectors
    from textual.css.model import Selector
    from textual.css.stylesheet import Stylesheet
    from textual.dom import DOMNode

    patch = "styles_shared_across_apps"
    replace = _method(
        Stylesheet, "replace_rules", patch + "_replace_rules", ("cls", "node", "rules", "animate")
    )
    replace_rules = replace.__func__
    if replace_rules.__module__ == __name__:  # installed already (tests install again)
        replace_rules = replace_rules._bbs_inner
        _originals[patch + "_replace_rules"] = replace_rules
    # A new node's styles in one step (_styled_fresh) rely on what replace_rules does
    # unanimated, and on what each style property's setter does (the whole module).
    from textual.css import _style_properties
    from textual.css.styles import Styles

    replace_source = inspect.getsource(replace_rules)
    for needed in (
        "modified_rule_keys = base_styles._rules.keys() | rules.keys()",
        "setattr(base_styles, key, get_rule(key))",
        "node.notify_style_update()",
    ):
        if needed not in replace_source:
            raise TextualChanged("Stylesheet.replace_rules changed: patch " + repr(patch))
    _originals[patch + "_style_properties"] = _style_properties  # type: ignore[assignment]
    if any("__setattr__" in vars(klass) for klass in Styles.__mro__[:-1]):
        raise TextualChanged("Styles sets its attributes its own way: patch " + repr(patch))
    _method(
        Styles,
        "refresh",
        patch + "_styles_refresh",
        ("self", "layout", "children", "parent", "repaint"),
    )
    _method(Styles, "set_rule", patch + "_styles_set_rule", ("self", "rule", "value"))
    _method(Styles, "clear_rule", patch + "_styles_clear_rule", ("self", "rule_name"))
    styled: Any = Stylesheet.apply  # Textual's, wrapped by _style_a_new_screen_once
    styled = getattr(styled, "_bbs_inner", styled)  # installed already (tests install again)
    textual_apply = _originals.get("style_a_new_screen_once")
    if textual_apply is None:
        raise TextualChanged("Stylesheet.apply is not known: patch " + repr(patch))
    if textual_apply.__module__ != __name__:
        source = inspect.getsource(textual_apply)
        for needed in (
            "for name in rules_map.keys() & node._selector_names",
            "all_pseudo_classes = set().union(*[rule.pseudo_classes for rule in rules])",
            'node._has_hover_style = "hover" in all_pseudo_classes',
            "css_path_nodes = node.css_path_nodes",
            "if rule_attributes:",
            "self.replace_rules(node, node_rules, animate=animate)",
            "self._process_component_classes(node)",
        ):
            if needed not in source:
                raise TextualChanged("Stylesheet.apply changed: patch " + repr(patch))
    # What the outcome depends on: how selectors match a path, and a node's selector names.
    _originals[patch + "_check_selectors"] = _check_selectors
    _method(Selector, "check", patch + "_selector_check", ("self", "node"))
    _method(DOMNode, "_selector_names", patch + "_selector_names", ("self",))
    _method(DOMNode, "has_pseudo_class", patch + "_has_pseudo_class", ("self", "class_name"))

    def capturing_replace_rules(cls: Any, node: DOMNode, rules: Any, animate: bool = False) -> None:
        if _capturing and _capturing[-1][0] is node:
            _capturing[-1][1] = rules
        replace_rules(cls, node, rules, animate)

    def key_of(stylesheet: Stylesheet, node: DOMNode) -> tuple[tuple[Any, ...], Any] | None:
        number = _rule_list_number(stylesheet)
        classes = frozenset(node._classes)
        kind = (number, type(node), node._id, classes)
        candidates = _candidates.get(kind)
        if candidates is None:
            rules_map = stylesheet.rules_map
            pseudo: set[str] = set()
            for name in rules_map.keys() & node._selector_names:
                for rule in rules_map[name]:
                    pseudo.update(rule.pseudo_classes)
            flags = (
                "hover" in pseudo,
                "focus-within" in pseudo,
                not pseudo.isdisjoint(
                    {"first-of-type", "last-of-type", "first-child", "last-child", "empty"}
                ),
                "odd" in pseudo or "even" in pseudo,
            )
            if len(_candidates) >= _SHARED_STYLES_LIMIT:
                _candidates.clear()
            candidates = _candidates[kind] = (tuple(sorted(pseudo)), flags)
        names, flags = candidates
        path: list[Any] = [kind]
        ancestor = node._parent
        while isinstance(ancestor, DOMNode):
            path.append((type(ancestor), ancestor._id, frozenset(ancestor._classes)))
            ancestor = ancestor._parent
        if names:
            node_path = node.css_path_nodes
            path.append(
                tuple(
                    tuple(path_node.has_pseudo_class(name) for name in names)
                    for path_node in node_path
                )
            )
        return tuple(path), flags

    def apply(self: Stylesheet, node: DOMNode, *, animate: bool = False, cache: Any = None) -> None:
        try:
            found = key_of(self, node)
        except Exception:
            found = None  # a pseudo-class check that cannot be made here: Textual's way
        if found is None:
            styled(self, node, animate=animate, cache=cache)
            return
        key, flags = found
        entry = _shared_styles.get(key)
        if entry is not None:
            rules, flags = entry
            (
                node._has_hover_style,
                node._has_focus_within,
                node._has_order_style,
                node._has_odd_or_even,
            ) = flags
            if rules is not _NO_RULES and (animate or not _styled_fresh(node, rules)):
                self.replace_rules(node, rules, animate=animate)
            self._process_component_classes(node)
            node._bbs_styled_with = self._rules_map  # type: ignore[attr-defined]
            return
        frame: list[Any] = [node, _NO_RULES]
        _capturing.append(frame)
        try:
            styled(self, node, animate=animate, cache=cache)
        finally:
            _capturing.pop()
        if len(_shared_styles) >= _SHARED_STYLES_LIMIT:
            _shared_styles.clear()
        _shared_styles[key] = (frame[1], flags)

    capturing_replace_rules._bbs_inner = replace_rules  # type: ignore[attr-defined]
    apply._bbs_inner = styled  # type: ignore[attr-defined]
    Stylesheet.replace_rules = classmethod(capturing_replace_rules)  # type: ignore[method-assign,assignment]
    Stylesheet.apply = apply  # type: ignore[method-assign]


def _one_layout_as_a_screen_comes_up() -> None:
    """A screen's full layout also does the layout and repaint the screen asked for before it.

    Mounting a screen's widgets asks the screen for a layout, which Textual runs on the
    screen's update timer; by then the screen's first resume has laid it out and drawn
    it, at its size, with those widgets: a second full layout and frame of the same
    screen (and the resume's own `refresh()` after its layout a third), for every
    session that starts. Now a screen's first layout, which places every widget and
    draws the whole screen, clears the screen's own "layout needed" and "repaint
    needed" flags when they were set before it began, and a resume that laid the screen
    out for the first time does not ask to draw it all again. Later layouts draw only
    what moved, and are left as they are. What widgets ask for is untouched: their
    Layout and Update messages arrive after the layout and run as before (a widget that
    grew meanwhile is laid out again: tests/server/test_layout_under_load.py).
    """
    from textual import events
    from textual.geometry import Size
    from textual.screen import Screen

    patch = "one_layout_as_a_screen_comes_up"
    resume = _target(Screen, "_on_screen_resume", patch)
    refresh_layout = _method(Screen, "_refresh_layout", patch, ("self", "size", "scroll"))
    source = inspect.getsource(refresh_layout)
    if refresh_layout.__module__ != __name__ and (
        "self._compositor.reflow(self, size)" not in source or "self._layout_widgets" not in source
    ):
        raise TextualChanged("Screen._refresh_layout changed: patch " + repr(patch))
    textual_resume = _originals.get("style_a_new_screen_once_resume")
    if textual_resume is None or "self._refresh_layout(size)\n            self.refresh()" not in (
        inspect.getsource(textual_resume)
    ):
        raise TextualChanged("Screen._on_screen_resume changed: patch " + repr(patch))

    def _drawn_whole(self: Screen[Any], size: Size | None) -> bool:
        """Whether a layout at `size` is drawn as it ends: the top screen, not inline,
        not deferred by a batch."""
        app = self.app
        return bool(
            (self.outer_size if size is None else size)
            and not app.is_inline
            and not app._batch_count
            and app.screen_stack
            and app.screen_stack[-1] is self
        )

    def _refresh_layout(self: Screen[Any], size: Size | None = None, scroll: bool = False) -> None:
        # A screen's first layout places every widget anew, and its frame draws the whole
        # screen (the screen itself is among the widgets placed); later ones draw only
        # what moved, so what was asked before them is left to run.
        first = not scroll and not self._compositor.widgets
        layout, repaint = self._layout_required, self._repaint_required
        refresh_layout(self, size, scroll)
        if first and self._compositor.widgets and _drawn_whole(self, size):
            # Done: this layout and its frame came after they were asked for.
            if layout:
                self._layout_required = False
            if repaint:
                self._repaint_required = False

    def _on_screen_resume(self: Screen[Any], event: events.ScreenResume) -> None:
        first = self.is_attached and not self._compositor.widgets
        resume(self, event)
        if first and self._compositor.widgets and _drawn_whole(self, None):
            self._repaint_required = False  # its refresh() after its first layout: drawn

    # A widget hidden now and at the last layout takes no room before or after: the
    # layout it asks for would place the same widgets in the same places. (A toast rack,
    # hidden while there are no toasts, asks for one as it mounts, after the first.)
    on_layout = _method(Screen, "_on_layout", patch + "_on_layout", ("self", "message"))

    async def _on_layout(self: Screen[Any], message: Any) -> None:
        widget = message.widget
        if (
            isinstance(widget, Widget)
            and widget is not self
            and not widget.display
            and self._compositor.widgets
            and widget not in self._compositor.widgets
        ):
            message.stop()
            message.prevent_default()
            return
        await on_layout(self, message)

    Screen._refresh_layout = _refresh_layout  # type: ignore[method-assign]
    Screen._on_screen_resume = _on_screen_resume  # type: ignore[method-assign]
    Screen._on_layout = _on_layout  # type: ignore[method-assign]


class _LightEvent:
    """`asyncio.Event` as a message pump uses it (set, is_set, clear, wait), with no
    deque of waiters until something waits."""

    __slots__ = ("_set", "_waiters")

    def __init__(self) -> None:
        self._set = False
        self._waiters: list[asyncio.Future[None]] | None = None

    def is_set(self) -> bool:
        return self._set

    def set(self) -> None:
        if not self._set:
            self._set = True
            for waiter in self._waiters or ():
                if not waiter.done():
                    waiter.set_result(None)

    def clear(self) -> None:
        self._set = False

    async def wait(self) -> bool:
        if self._set:
            return True
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self._waiters is None:
            self._waiters = []
        waiters = self._waiters
        waiters.append(waiter)
        try:
            await waiter
            return True
        finally:
            waiters.remove(waiter)
            if not waiters and self._waiters is waiters:
                self._waiters = None


class _LightQueue:
    """Textual's message queue (put_nowait, get, get_nowait, qsize, empty, task_done),
    holding a deque only while messages wait and an event only while a reader waits."""

    __slots__ = ("_readers", "_values")

    def __init__(self) -> None:
        self._values: deque[Any] | None = None
        self._readers: list[asyncio.Future[None]] | None = None

    def put_nowait(self, value: Any) -> None:
        if self._values is None:
            self._values = deque()
        self._values.append(value)
        for reader in self._readers or ():
            if not reader.done():
                reader.set_result(None)

    def qsize(self) -> int:
        return len(self._values) if self._values is not None else 0

    def empty(self) -> bool:
        return not self._values

    def task_done(self) -> None:
        pass

    def get_nowait(self) -> Any:
        values = self._values
        if not values:
            raise asyncio.QueueEmpty()
        value = values.popleft()
        if not values:
            self._values = None
        return value

    async def get(self) -> Any:
        while not self._values:
            reader: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            if self._readers is None:
                self._readers = []
            readers = self._readers
            readers.append(reader)
            try:
                await reader
            finally:
                readers.remove(reader)
                if not readers and self._readers is readers:
                    self._readers = None
        return self.get_nowait()


def _light_message_queues() -> None:
    """A message pump's queue and "mounted" event hold no deque while nothing waits.

    Every widget, screen and app is a message pump with a queue (a deque and an
    `asyncio.Event`, itself with a deque) and a "mounted" event (another deque): about
    2 KiB a pump, most of it empty deques, for the dozen or more pumps of every session
    (tracemalloc: `asyncio/locks.py` and `textual/_queue.py`, 34 KiB a home session).
    These do the same with a deque only while messages wait, and a future only while a
    reader waits.
    """
    from textual.message_pump import MessagePump

    patch = "light_message_queues"
    for name, made in (("_message_queue", "return Queue()"), ("_mounted_event", "Event()")):
        original = _target(MessagePump, name, patch + name)
        function = getattr(original, "func", None)
        if function is None or (
            function.__module__ != __name__ and made not in inspect.getsource(function)
        ):
            raise TextualChanged(f"MessagePump.{name} changed: patch {patch!r}")
        kind = type(original)  # Textual's cached_property
        if function.__module__ != __name__:  # not installed already (tests install again)
            _originals[patch + name] = function

    def _message_queue(self: MessagePump) -> _LightQueue:
        return _LightQueue()

    def _mounted_event(self: MessagePump) -> _LightEvent:
        return _LightEvent()

    for name, made_by in (("_message_queue", _message_queue), ("_mounted_event", _mounted_event)):
        replacement = kind(made_by)
        replacement.__set_name__(MessagePump, name)
        setattr(MessagePump, name, replacement)


def _light_timer_events() -> None:
    """A timer's "active" event is a `_LightEvent`: no deque of waiters while none waits.

    Every screen's update timer and every other timer holds an `asyncio.Event` with its
    deque (about 370 bytes; tracemalloc: `asyncio/locks.py:168`, 14 a home session).
    """
    from textual.timer import Timer

    patch = "light_timer_events"
    original = _target(Timer, "_active", patch)
    function = getattr(original, "func", None)
    if function is None or (
        function.__module__ != __name__ and "event = Event()" not in inspect.getsource(function)
    ):
        raise TextualChanged(f"Timer._active changed: patch {patch!r}")
    if function.__module__ == __name__:
        return  # installed already (tests install again)
    _originals[patch] = function

    def _active(self: Timer) -> _LightEvent:
        event = _LightEvent()
        if not self._original_pause:
            event.set()
        return event

    replacement = type(original)(_active)
    replacement.__set_name__(Timer, "_active")
    Timer._active = replacement  # type: ignore[method-assign]


# "message pump Static", one string per class, shared by every pump's task.
_PUMP_TASK_NAMES: dict[type, str] = {}


def _pump_tasks_named_by_class() -> None:
    """A pump's task is named after its class, not after the pump's repr.

    Textual names each pump's task `f"message pump {self}"`: the widget's rich repr
    (its id, classes and more) built at every mount, ~0.2 KiB a task, two dozen a
    session, read by nothing but a debugger. The name is now one string per class.
    """
    from asyncio import create_task

    from textual.message_pump import MessagePump

    patch = "pump_tasks_named_by_class"
    if getattr(MessagePump.__dict__.get("_start_messages"), "__module__", None) == __name__:
        return  # installed already (tests install again)
    original = _method(MessagePump, "_start_messages", patch, ("self",))
    if 'name=f"message pump {self}"' not in inspect.getsource(original):
        raise TextualChanged(f"MessagePump._start_messages changed: patch {patch!r}")

    def _start_messages(self: MessagePump) -> None:
        """Start messages task."""
        self._thread_init()  # type: ignore[no-untyped-call]

        if self.app._running:
            cls = type(self)
            name = _PUMP_TASK_NAMES.get(cls)
            if name is None:
                name = _PUMP_TASK_NAMES[cls] = f"message pump {cls.__name__}"
            self._task = create_task(self._process_messages(), name=name)
        else:
            self._closing = True
            self._closed = True

    MessagePump._start_messages = _start_messages  # type: ignore[method-assign]


def _a_gone_widget_leaves_no_cycles() -> None:
    """A widget whose message loop has ended lets go of itself, so reference counting
    frees it (and a removed screen, with all its widgets) at once.

    Each widget's styles point back at it (`Styles.node`), its component styles' virtual
    nodes at themselves, a screen's compositor at the screen (`root`), and a timer kept
    in an attribute (a screen's update timer, an input's cursor blink) at a method:
    every removed widget was reference-cycle garbage, ~100 objects and their caches
    each, freed only by a full collection (rare, and 300-900 ms with many sessions, so
    a busy server's memory grew meanwhile). Once the
    loop has ended, and Textual has done its own clean-up (Unmount handled, the widget
    out of the DOM), those links are cut. A widget never runs again after its loop ends;
    its styles' refresh and animate already do nothing without a node.
    """
    from textual.screen import Screen
    from textual.timer import Timer

    patch = "a_gone_widget_leaves_no_cycles"
    targets = [_target(owner, "_message_loop_exit", patch) for owner in (Widget, Screen)]
    if all(getattr(target, "__module__", None) == __name__ for target in targets):
        return  # installed already (tests install again)
    widget_exit = _method(Widget, "_message_loop_exit", patch, ("self",))
    screen_exit = _method(Screen, "_message_loop_exit", f"{patch}_screen", ("self",))
    if "self._component_styles.clear()" not in inspect.getsource(widget_exit):
        raise TextualChanged(f"Widget._message_loop_exit changed: patch {patch!r}")
    if "self._compositor.clear()" not in inspect.getsource(screen_exit):
        raise TextualChanged(f"Screen._message_loop_exit changed: patch {patch!r}")

    async def _widget_loop_exit(self: Widget) -> None:
        components = list(self._component_styles.values())
        await widget_exit(self)
        for styles in components:  # each on a virtual node of its own, gone with the widget
            styles.base.node = None
            styles.inline.node = None
        self._css_styles.node = None
        self._inline_styles.node = None
        for value in vars(self).values():
            if isinstance(value, Timer):  # stopped with the pump; kept in an attribute
                value._callback = None

    async def _screen_loop_exit(self: Screen[Any]) -> None:
        await screen_exit(self)
        self._compositor.root = None

    _widget_loop_exit.__doc__ = widget_exit.__doc__
    _screen_loop_exit.__doc__ = screen_exit.__doc__
    Widget._message_loop_exit = _widget_loop_exit  # type: ignore[method-assign]
    Screen._message_loop_exit = _screen_loop_exit  # type: ignore[method-assign]


def _unlink_lru_ring(cache: Any) -> None:
    """Empty each link of an LRUCache's ring (a cycle of lists), so its entries go now."""
    links = getattr(cache, "_cache", None)
    if links:
        for link in links.values():
            link.clear()


def _replaced_component_styles_leave_no_cycles() -> None:
    """A widget's component styles, replaced when it is styled again, are freed at once.

    Each restyle of a widget with component classes (a text area's cursor and selection,
    an option list's highlight) builds a virtual node per class, whose styles point back
    at it: the ones replaced were reference-cycle garbage, a node with its styles,
    bindings and signals each. Their links are cut once the new ones are in place.
    """
    from textual.css.stylesheet import Stylesheet

    patch = "replaced_component_styles_leave_no_cycles"
    if getattr(Stylesheet.__dict__.get("_process_component_classes"), "__module__", None) == (
        __name__
    ):
        return  # installed already (tests install again)
    original = _method(Stylesheet, "_process_component_classes", patch, ("self", "node"))
    if "node._component_styles.clear()" not in inspect.getsource(original):
        raise TextualChanged(f"Stylesheet._process_component_classes changed: patch {patch!r}")

    def _process_component_classes(self: Stylesheet, node: DOMNode) -> None:
        replaced = list(node._component_styles.values())
        original(self, node)
        if replaced:
            kept = {id(styles) for styles in node._component_styles.values()}
            for styles in replaced:
                if id(styles) not in kept:
                    styles.base.node = None
                    styles.inline.node = None

    _process_component_classes.__doc__ = original.__doc__
    Stylesheet._process_component_classes = _process_component_classes  # type: ignore[method-assign]


def _lru_caches_leave_no_rings() -> None:
    """An LRUCache that is cleared or dropped frees its entries at once.

    Textual's LRUCache keeps its entries in a ring of linked lists, a reference cycle:
    `clear()` only let go of the ring, and a cache dropped with its widget left it too,
    so the entries (a screen's widgets in its query cache, rendered lines, box models)
    waited for a full collection. Both now empty the ring's links first.
    """
    from textual.cache import LRUCache

    patch = "lru_caches_leave_no_rings"
    if getattr(LRUCache.__dict__.get("clear"), "__module__", None) == __name__:
        return  # installed already (tests install again)
    original = _method(LRUCache, "clear", patch, ("self",))
    if LRUCache.__dict__.get("__del__", _unlink_lru_ring) is not _unlink_lru_ring:
        raise TextualChanged(f"LRUCache has a __del__ of its own: patch {patch!r}")

    def clear(self: LRUCache[Any, Any]) -> None:
        _unlink_lru_ring(self)
        original(self)

    clear.__doc__ = original.__doc__
    LRUCache.clear = clear  # type: ignore[method-assign]
    LRUCache.__del__ = _unlink_lru_ring  # type: ignore[attr-defined]


def _a_finished_worker_lets_go_of_its_task() -> None:
    """A worker that has finished (succeeded or failed) drops its task.

    A worker's task runs with `active_worker` set to the worker in the task's context,
    and the worker holds its task: a reference cycle that kept each finished worker, its
    coroutine and the work's bound method (and so its screen, even a removed one) until
    a full collection. Once the task is done and the worker's state says how it ended,
    the task is not needed: `wait()` answers from the state and result, `cancel()` of a
    finished task did nothing. A cancelled worker keeps its task (`wait()` reads it).
    """
    from textual.worker import Worker, WorkerState

    patch = "a_finished_worker_lets_go_of_its_task"
    if getattr(Worker.__dict__.get("_start"), "__module__", None) == __name__:
        return  # installed already (tests install again)
    original = _method(Worker, "_start", patch, ("self", "app", "done_callback"))
    if "self._task.add_done_callback(task_done_callback)" not in inspect.getsource(original):
        raise TextualChanged(f"Worker._start changed: patch {patch!r}")
    ended = (WorkerState.SUCCESS, WorkerState.ERROR)

    def _start(
        self: Worker[Any], app: App[Any], done_callback: Callable[[Worker[Any]], None] | None = None
    ) -> None:
        started = self._task is None
        original(self, app, done_callback)
        task = self._task
        if started and task is not None:

            def drop_task(_task: asyncio.Task[None]) -> None:
                if self.state in ended:
                    self._task = None

            task.add_done_callback(drop_task)

    _start.__doc__ = original.__doc__
    Worker._start = _start  # type: ignore[method-assign]


class _NoSubscriptions:
    """A signal's subscriptions while it has none: empty, shared, and read-only."""

    __slots__ = ()

    def __bool__(self) -> bool:
        return False

    def __len__(self) -> int:
        return 0

    def keys(self) -> tuple[()]:
        return ()

    def items(self) -> tuple[()]:
        return ()

    def pop(self, _key: object, default: object = None) -> object:
        return default


_NO_SUBSCRIPTIONS = _NoSubscriptions()


def _lazy_signal_subscriptions() -> None:
    """A signal holds no WeakKeyDictionary until something subscribes to it.

    Every message pump has a `message_signal` (for devtools), the app eight signals more
    and a screen two: each with a WeakKeyDictionary of subscribers (a dict, two sets, a
    list, a closure and a weak reference: about 0.7 KiB), two dozen a session, nearly
    all never subscribed to. Publishing, unsubscribing and listing read the shared empty
    `_NO_SUBSCRIPTIONS` until a first subscriber makes the dictionary Textual would have.
    """
    from weakref import WeakKeyDictionary

    from textual.signal import Signal

    patch = "lazy_signal_subscriptions"
    for name in ("__init__", "subscribe", "publish", "unsubscribe"):
        _target(Signal, name, patch)
    if getattr(Signal.__dict__["__init__"], "__module__", None) == __name__:
        return  # installed already (tests install again)
    original_init = _method(Signal, "__init__", patch, ("self", "owner", "name"))
    original_subscribe = _method(
        Signal, "subscribe", patch + "_subscribe", ("self", "node", "callback", "immediate")
    )
    # Relied on: they read the subscriptions only as the shared empty one allows.
    _method(Signal, "publish", patch + "_publish", ("self", "data"))
    _method(Signal, "unsubscribe", patch + "_unsubscribe", ("self", "node"))
    source = inspect.getsource(original_init)
    if "WeakKeyDictionary()" not in source:
        raise TextualChanged(f"Signal.__init__ changed: patch {patch!r}")

    def __init__(self: Signal[Any], owner: DOMNode, name: str) -> None:
        original_init(self, owner, name)
        self._subscriptions = _NO_SUBSCRIPTIONS  # type: ignore[assignment]

    def subscribe(self: Signal[Any], node: DOMNode, callback: Any, immediate: bool = False) -> None:
        subscriptions: object = self._subscriptions
        if subscriptions is _NO_SUBSCRIPTIONS:
            self._subscriptions = WeakKeyDictionary()
        original_subscribe(self, node, callback, immediate)

    Signal.__init__ = __init__  # type: ignore[method-assign]
    Signal.subscribe = subscribe  # type: ignore[method-assign]


class _LazyTimers:
    """MessagePump._timers: the WeakSet of a pump's timers, made when first read."""

    def __get__(self, pump: Any, owner: type | None = None) -> Any:
        if pump is None:
            return self
        timers = pump.__dict__.get("_timers")
        if timers is None:
            from weakref import WeakSet

            timers = pump.__dict__["_timers"] = WeakSet()
        return timers

    def __set__(self, pump: Any, timers: Any) -> None:
        if not timers:
            # The empty set every pump is born with: made again only if it is read.
            pump.__dict__.pop("_timers", None)
        else:
            pump.__dict__["_timers"] = timers


def _lazy_pump_timers() -> None:
    """A message pump holds no WeakSet of timers until it has one or is closed.

    Each widget, screen and app is born with an empty WeakSet (two sets, a list, a
    closure and a weak reference: about 0.8 KiB), a dozen or more a session, and most
    never start a timer. The set is made where Textual reads it first: a timer started,
    or the pump closing (which stops them).
    """
    from textual.message_pump import MessagePump

    patch = "lazy_pump_timers"
    original = _method(MessagePump, "__init__", patch, ("self", "parent"))
    if "self._timers: WeakSet[Timer] = WeakSet()" not in inspect.getsource(original):
        raise TextualChanged(f"MessagePump.__init__ changed: patch {patch!r}")
    present = MessagePump.__dict__.get("_timers")
    if isinstance(present, _LazyTimers):
        return  # installed already (tests install again)
    if present is not None:
        raise TextualChanged(f"MessagePump._timers is a class attribute: patch {patch!r}")
    MessagePump._timers = _LazyTimers()  # type: ignore[assignment]


# Attributes every widget is born with, set to a constant its life mostly leaves alone,
# by the class whose __init__ sets them (`_instance_defaults_on_the_class`).
_BORN_WITH: dict[str, dict[str, bool | None]] = {
    "MessagePump": {
        "_closing": False,
        "_closed": False,
        "_pending_message": None,
        "_max_idle": None,
    },
    "DOMNode": {
        "_auto_refresh": None,
        "_auto_refresh_timer": None,
        "_has_hover_style": False,
        "_has_focus_within": False,
        "_has_order_style": False,
        "_has_odd_or_even": False,
        "_pruning": False,
        "_trap_focus": False,
    },
    "Widget": {
        "_layout_required": False,
        "_repaint_required": False,
        "_scroll_required": False,
        "_recompose_required": False,
        "_refresh_styles_required": False,
        "_animate": None,
        "highlight_style": None,
        "_vertical_scrollbar": None,
        "_horizontal_scrollbar": None,
        "_scrollbar_corner": None,
        "_border_title": None,
        "_border_subtitle": None,
        "_tooltip": None,
        "absolute_offset": None,
        "_anchored": False,
        "_anchor_released": False,
        "_cover_widget": None,
    },
}
# Per widget class: which of those its instances may leave to the class (none that the
# class or one between it and Widget defines otherwise).
_LEFT_TO_THE_CLASS: dict[type, tuple[tuple[str, bool | None], ...]] = {}


def _left_to_the_class(cls: type) -> tuple[tuple[str, bool | None], ...]:
    names = _LEFT_TO_THE_CLASS.get(cls)
    if names is None:
        missing = object()
        names = _LEFT_TO_THE_CLASS[cls] = tuple(
            (name, value)
            for defaults in _BORN_WITH.values()
            for name, value in defaults.items()
            if getattr(cls, name, missing) is value
        )
    return names


def _instance_defaults_on_the_class() -> None:
    """A widget's instance dictionary holds what differs from its class, in half the room.

    A widget is born with about 86 attributes and has 100 or more once mounted, past the
    85 a dictionary of 128 slots takes: each widget's dictionary is a 256-slot table,
    3.3 KiB, for a dozen widgets a session (tracemalloc: `textual/widgets/_static.py:50`,
    22 KiB a home session for its seven Statics alone). Twenty-nine of those attributes
    are None or False at birth and mostly stay so: they become class attributes of the
    same value, each widget's dictionary drops them when it is born (`is` the class's)
    and is made anew at its size: 128 slots, 1.6 KiB, with room for what mounting adds.
    A later assignment puts the attribute back in the instance, as Textual's would.
    """
    from textual.dom import DOMNode
    from textual.message_pump import MessagePump

    patch = "instance_defaults_on_the_class"
    owners: dict[str, type] = {"MessagePump": MessagePump, "DOMNode": DOMNode, "Widget": Widget}
    installed = getattr(Widget.__dict__.get("__init__"), "__module__", None) == __name__
    original = Widget.__dict__.get("__init__") if installed else None
    for owner_name, owner in owners.items():
        suffix = "" if owner is Widget else "_" + owner_name.lower()
        if owner is Widget and installed:
            continue
        init = _method(
            owner,
            "__init__",
            patch + suffix,
            ("self", "children", "name", "id", "classes", "disabled", "markup")
            if owner is Widget
            else ("self", "parent")
            if owner is MessagePump
            else ("self", "name", "id", "classes"),
        )
        if owner is Widget:
            original = init
        source = inspect.getsource(init)
        for name, value in _BORN_WITH[owner_name].items():
            if not re.search(rf"\n\s+self\.{name}(: [^=\n]+)? = {value}\n", source):
                raise TextualChanged(
                    f"{owner_name}.__init__ no longer sets {name} = {value}: patch {patch!r}"
                )
            present = owner.__dict__.get(name, _MISSING)
            if present is not _MISSING and present is not value:
                raise TextualChanged(f"{owner_name}.{name} is a class attribute: patch {patch!r}")
            setattr(owner, name, value)
    if installed:
        return
    assert original is not None
    widget_init = original

    def __init__(self: Widget, *children: Widget, **options: Any) -> None:
        widget_init(self, *children, **options)
        attributes = self.__dict__
        for name, value in _left_to_the_class(type(self)):
            if attributes.get(name, _MISSING) is value:
                del attributes[name]
        # A new dictionary, sized for what is left (the old one never shrinks).
        self.__dict__ = dict(attributes)

    Widget.__init__ = __init__  # type: ignore[method-assign]


_MISSING = object()

# Mappings every app would hold a copy of (the environment its console reads, the theme's
# CSS variables): the distinct ones seen, each shared by every app whose own is equal.
_SHARED_MAPPINGS: list[dict[str, str]] = []
_SHARED_MAPPINGS_KEPT = 16


def _shared_mapping(mapping: dict[str, str]) -> dict[str, str]:
    """The kept mapping equal to `mapping` (which is kept, if none is): never mutated."""
    for kept in _SHARED_MAPPINGS:
        if kept == mapping:
            return kept
    if len(_SHARED_MAPPINGS) >= _SHARED_MAPPINGS_KEPT:
        del _SHARED_MAPPINGS[0]
    _SHARED_MAPPINGS.append(mapping)
    return mapping


def _apps_share_environment_and_theme_variables() -> None:
    """Apps share one copy of the process environment and of a theme's CSS variables.

    Each app copies the whole process environment for its console (`dict(os.environ)`,
    about 7 KiB here: every key and value decoded again) and keeps the ~150 CSS variables
    its theme generates (about 8 KiB). Both are only read (rich's Console reads its
    `_environ`; the stylesheet its variables, replaced whole on a theme change): every
    app whose copy is equal to one already kept holds that one, and its own is freed.
    """
    patch = "apps_share_environment_and_theme_variables"
    for name in ("__init__", "get_css_variables"):
        _target(App, name, patch)
    if getattr(App.__dict__["__init__"], "__module__", None) == __name__:
        return  # installed already (tests install again)
    original_init = _method(
        App, "__init__", patch, ("self", "driver_class", "css_path", "watch_css", "ansi_color")
    )
    original_variables = _method(App, "get_css_variables", patch + "_variables", ("self",))
    source = inspect.getsource(original_init)
    if "_environ=environ," not in source or "self.console = Console(" not in source:
        raise TextualChanged(f"App.__init__ changed: patch {patch!r}")
    if "self.theme_variables = combined_variables" not in inspect.getsource(original_variables):
        raise TextualChanged(f"App.get_css_variables changed: patch {patch!r}")

    def __init__(self: App[Any], *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        console = self.console
        environ = console._environ
        if isinstance(environ, dict):
            console._environ = _shared_mapping(environ)

    def get_css_variables(self: App[Any]) -> dict[str, str]:
        variables = _shared_mapping(original_variables(self))
        self.theme_variables = variables
        return variables

    App.__init__ = __init__  # type: ignore[method-assign]
    App.get_css_variables = get_css_variables  # type: ignore[method-assign]


_VARARGS = inspect.CO_VARARGS | inspect.CO_VARKEYWORDS


def _parameters_counted_from_the_code() -> None:
    """Textual counts a callback's parameters with `inspect.signature` each time the
    callback is a new object (a `partial`, a closure made per call): about 18 times a
    session start. A plain function's parameters are all in its code object; counted
    from there, the count is the same (`tests/server/test_textual_compat.py` compares),
    and anything else (wrapped, with a signature of its own, not a function) goes to
    Textual's count as before.
    """
    from types import FunctionType, MethodType

    import textual._callback as callback

    patch = "parameters_counted_from_the_code"
    original = _target(callback, "_count_parameters", patch)
    if original.__module__ != __name__:
        if tuple(inspect.signature(original).parameters) != ("func",):
            raise TextualChanged("textual._callback._count_parameters changed: " + repr(patch))
        _originals[patch] = original
    counted = _originals.get(patch, original)

    def from_the_code(function: Any) -> int | None:
        if type(function) is not FunctionType or "__wrapped__" in function.__dict__:
            return None
        if "__signature__" in function.__dict__:
            return None
        code = function.__code__
        flags = code.co_flags & _VARARGS
        return (
            code.co_argcount
            + code.co_kwonlyargcount
            + bool(flags & inspect.CO_VARARGS)
            + bool(flags & inspect.CO_VARKEYWORDS)
        )

    def _count_parameters(func: Callable[..., Any]) -> int:
        count = from_the_code(func)
        if count is None and type(func) is MethodType:
            underneath = from_the_code(func.__func__)
            # The instance fills the first positional parameter (if there is one).
            if underneath is not None and func.__func__.__code__.co_argcount:
                count = underneath - 1
        if count is None:
            result: int = counted(func)
            return result
        return count

    callback._count_parameters = _count_parameters


def _dispatch_planned_once_per_class() -> None:
    """Which handlers a message reaches is worked out once per pump class and message
    class, not for every message.

    For each message, Textual walks the receiver's class hierarchy and the message's,
    looking up decorated (`@on`) handlers and `on_`/`_on_` methods in each class's
    dictionary: about 220 walks a session start. The classes do not change while the
    server runs, so the walk's result (per class: the decorated handlers that may apply,
    and the named handler) is kept; what depends on the message itself is still checked
    for each one, as before: an `@on` handler's selectors, whether the message was
    stopped from reaching further classes (`prevent_default`), and a handler reached
    twice is called once.
    """
    from textual._on import OnNoWidget
    from textual.css.match import match
    from textual.message_pump import MessagePump

    patch = "dispatch_planned_once_per_class"
    original = _method(
        MessagePump, "_get_dispatch_methods", patch, ("self", "method_name", "message")
    )
    if original.__module__ != __name__:
        source = inspect.getsource(original)
        for needed in ('cls.__dict__.get("_decorated_handlers")', "message._no_default_action"):
            if needed not in source:
                raise TextualChanged("MessagePump._get_dispatch_methods changed: " + repr(patch))

    Plan = tuple[tuple[type, tuple[tuple[Any, Any], ...], Any], ...]
    plans: dict[tuple[type, type, str], Plan] = {}

    def plan_for(pump: type, message: type, method_name: str) -> Plan:
        message_mro = [kind for kind in message.__mro__ if issubclass(kind, Message)]
        steps = []
        for cls in pump.__mro__:
            decorated: list[tuple[Any, Any]] = []
            handlers = cls.__dict__.get("_decorated_handlers")
            if handlers:
                for message_class in message_mro:
                    decorated.extend(handlers.get(message_class, []))
            named = cls.__dict__.get(f"_{method_name}") or cls.__dict__.get(method_name)
            if named is not None and getattr(named, "_textual_on", None):
                named = None
            if decorated or named is not None:
                steps.append((cls, tuple(decorated), named))
        return tuple(steps)

    def _get_dispatch_methods(self: MessagePump, method_name: str, message: Message) -> Any:
        key = (type(self), type(message), method_name)
        steps = plans.get(key)
        if steps is None:
            steps = plans[key] = plan_for(type(self), type(message), method_name)
        dispatched: set[Any] = set()
        for cls, decorated, named in steps:
            if message._no_default_action:
                break
            for method, selectors in decorated:
                if method in dispatched:
                    continue
                if not selectors:
                    yield cls, method.__get__(self, cls)
                    dispatched.add(method)
                elif message._sender:
                    for attribute, selector in selectors.items():
                        node = getattr(message, attribute)
                        if node is None:
                            break
                        if not isinstance(node, Widget):
                            raise OnNoWidget(
                                f"on decorator can't match against {attribute!r} as it is "
                                "not a widget."
                            )
                        if not match(selector, node):
                            break
                    else:
                        yield cls, method.__get__(self, cls)
                        dispatched.add(method)
            if named is not None:
                yield cls, named.__get__(self, cls)

    MessagePump._get_dispatch_methods = _get_dispatch_methods  # type: ignore[method-assign]


def _keep_reverse_in_visual_styles() -> None:
    """`text-style: reverse` reaches what widgets draw from their component styles.

    Textual 8.2.8's `Widget.get_visual_style` (which lists, choices and toggles draw
    their rows with) keeps bold, dim, italic, underline and strike from `text-style`,
    and drops reverse. Every "the chosen row in reverse" rule was ignored, and the
    chosen row of a list showed by colour alone: nothing at all on a monochrome terminal.
    """
    original = _method(
        Widget,
        "get_visual_style",
        "keep_reverse_in_visual_styles",
        ("self", "component_classes", "partial"),
    )

    def get_visual_style(self: Widget, *component_classes: str, partial: bool = False) -> Any:
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


def _typing_as_input_types() -> None:
    """No patch: `type_as_keys` does what these do for each printable key, so their
    source is hashed with the patches' (a Textual that changes them fails the test)."""
    _method(Input, "_on_key", "typing_as_input_types_on_key", ("self", "event"))
    _method(Input, "replace", "typing_as_input_types_replace", ("self", "text", "start", "end"))
    _method(Input, "validate_selection", "typing_as_input_types_selection", ("self", "selection"))


# Content rendered to strips, shared by every app (see _content_rendered_once_for_every_app).
_RENDERED_LIMIT = 256  # entries, least recently used out first: a menu is a few KiB
# Only short texts are kept (menus, notes, key bars): a long post's render, kept for every
# app, would hold its strips after every reader has gone.
_SHARED_TEXT_LIMIT = 1024  # characters
_content_heights: dict[tuple[Any, ...], int] = {}
_CONTENT_HEIGHTS_LIMIT = 1024


def _content_rendered_once_for_every_app() -> None:
    """The same text in the same style at the same width is wrapped and rendered once for
    every app, not once per session.

    Every session's home screen shows the same menu, key bar and notes: Textual wraps
    and renders each of them again in every app (`Content.render_strips` and
    `Content.get_height`, ~9% of a session start's CPU, profiled). A content's height at
    a width depends only on its text and three wrapping rules; its strips only on its
    text and spans, the width and height, the base style, four text rules, and how span
    styles given as strings parse (the app's CSS variables). With those as the key, the
    strips made for one app are handed to the next (Strips are never changed once made).
    A content with a selection, a style after rendering, or a span naming a component
    class (".name", which depends on the widget) is rendered by Textual as before, and so
    is a long one (over 1,024 characters: a post), so that what is kept stays small.
    """
    from textual._context import active_app
    from textual.cache import LRUCache
    from textual.content import Content

    patch = "content_rendered_once_for_every_app"
    render_strips = _method(
        Content, "render_strips", patch, ("self", "width", "height", "style", "options")
    )
    get_height = _method(Content, "get_height", patch + "_get_height", ("self", "rules", "width"))
    for function, needed in (
        (render_strips, ("self._wrap_and_format(", 'get_rule("text_align", "left")')),
        (get_height, ("cache_key = (width + line_pad, overflow, no_wrap)", "self.without_spans")),
    ):
        if function.__module__ != __name__ and not all(
            text in inspect.getsource(function) for text in needed
        ):
            raise TextualChanged("Content changed: patch " + repr(patch))
    render_strips = getattr(render_strips, "_bbs_inner", render_strips)
    get_height = getattr(get_height, "_bbs_inner", get_height)
    rendered: LRUCache[tuple[Any, ...], list[Any]] = LRUCache(_RENDERED_LIMIT)

    def shared_render_strips(
        self: Content, width: int, height: int | None, style: Any, options: Any
    ) -> list[Any]:
        if (
            options.selection is not None
            or options.post_style is not None
            or len(self._text) > _SHARED_TEXT_LIMIT
        ):
            return list(render_strips(self, width, height, style, options))
        spans = tuple(self._spans)
        variables = None
        for span in spans:
            if isinstance(span.style, str):
                if span.style.startswith("."):
                    return list(render_strips(self, width, height, style, options))
                if variables is None:
                    try:
                        variables = _variables_key(active_app.get().stylesheet)
                    except LookupError:
                        return list(render_strips(self, width, height, style, options))
        get_rule = options.rules.get
        key = (
            type(self),
            self._text,
            spans,
            width,
            height,
            style,
            get_rule("text_align", "left"),
            get_rule("text_overflow", "fold"),
            get_rule("text_wrap", "wrap"),
            get_rule("line_pad", 0),
            options.selection_style,
            variables,
        )
        try:
            strips = rendered.get(key)
        except TypeError:  # a span style that cannot be a key
            return list(render_strips(self, width, height, style, options))
        if strips is None:
            strips = render_strips(self, width, height, style, options)
            rendered.set(key, strips)
        return list(strips)

    def shared_get_height(self: Content, rules: Any, width: int) -> int:
        if len(self._text) > _SHARED_TEXT_LIMIT:
            own: int = get_height(self, rules, width)
            return own
        get_rule = rules.get
        key = (
            type(self),
            self._text,
            width,
            get_rule("line_pad", 0),
            get_rule("text_overflow", "fold"),
            get_rule("text_wrap", "wrap"),
        )
        height = _content_heights.get(key)
        if height is None:
            height = get_height(self, rules, width)
            if len(_content_heights) >= _CONTENT_HEIGHTS_LIMIT:
                _content_heights.clear()
            _content_heights[key] = height
        return height

    shared_render_strips._bbs_inner = render_strips  # type: ignore[attr-defined]
    shared_get_height._bbs_inner = get_height  # type: ignore[attr-defined]
    Content.render_strips = shared_render_strips  # type: ignore[method-assign]
    Content.get_height = shared_get_height  # type: ignore[method-assign]


_theme_colours: dict[tuple[Any, ...], dict[str, str]] = {}


def _theme_colours_worked_out_once() -> None:
    """A theme's colour variables are worked out once, not in every app.

    Each app works out its theme's ~150 colour variables (shades of every colour) twice as
    it starts: for the default theme, then for ours (`ColorSystem.generate`, 3% of a
    session start's CPU, profiled). They depend only on the colour system's colours and
    settings, so apps with the same ones share the outcome (each gets its own copy).
    """
    from textual.design import ColorSystem

    patch = "theme_colours_worked_out_once"
    original = _method(ColorSystem, "generate", patch, ("self",))
    original = getattr(original, "_bbs_inner", original)
    init = inspect.getsource(ColorSystem.__init__)
    if "self.ansi = ansi" not in init or "self.variables = variables or {}" not in init:
        raise TextualChanged("ColorSystem.__init__ changed: patch " + repr(patch))

    def generate(self: ColorSystem) -> dict[str, str]:
        key = (
            type(self),
            self.primary,
            self.secondary,
            self.warning,
            self.error,
            self.success,
            self.accent,
            self.foreground,
            self.background,
            self.surface,
            self.panel,
            self.boost,
            self.dark,
            self.luminosity_spread,
            self.text_alpha,
            tuple(sorted(self.variables.items())),
            self.ansi,
        )
        colours = _theme_colours.get(key)
        if colours is None:
            if len(_theme_colours) >= 64:  # themes in use: a handful
                _theme_colours.clear()
            colours = _theme_colours[key] = dict(original(self))
        return dict(colours)

    generate._bbs_inner = original  # type: ignore[attr-defined]
    ColorSystem.generate = generate  # type: ignore[method-assign]


def _theme_looked_up_without_copies() -> None:
    """A theme is looked up by name without copying the table of every theme, twice.

    `App.get_theme` asks `available_themes` (a new dict of every registered theme, about
    20) whether the name is there, then again for it; `current_theme` and `ansi_theme`
    call it, and a widget's every rendered line reads `ansi_theme` (47 look-ups, 94
    copies, as a home screen comes up). A single name (no comma) is now looked up in the
    registered themes themselves, for an app whose `available_themes` is Textual's own;
    a list of names, or an app with its own `available_themes`, goes to Textual's.
    """
    from textual.app import App

    patch = "theme_looked_up_without_copies"
    original = _method(App, "get_theme", patch, ("self", "theme_name"))
    original = getattr(original, "_bbs_inner", original)
    available: Any = _target(App, "available_themes", patch)
    if not isinstance(available, property) or "self.available_themes" not in (
        inspect.getsource(original)
    ):
        raise TextualChanged("App.get_theme changed: patch " + repr(patch))
    listed = available.fget
    if listed is None or "return {**self._registered_themes}" not in inspect.getsource(listed):
        raise TextualChanged("App.available_themes changed: patch " + repr(patch))
    _originals[patch + "_available_themes"] = listed

    textual_lists: dict[type, bool] = {}  # app class -> its available_themes is Textual's

    def get_theme(self: App[Any], theme_name: str) -> Any:
        kind = type(self)
        textual_list = textual_lists.get(kind)
        if textual_list is None:
            textual_list = textual_lists[kind] = (
                inspect.getattr_static(kind, "available_themes") is available
            )
        if "," in theme_name or not textual_list:
            return original(self, theme_name)
        return self._registered_themes.get(theme_name.strip())

    get_theme._bbs_inner = original  # type: ignore[attr-defined]
    App.get_theme = get_theme  # type: ignore[method-assign]


# Widgets' drawn lines, least recently used out first. An entry for the home screen's
# widgets is 0.6-5.2 KiB of lines and ~1.2 KiB of key of its own (its rules are shared
# with the other entries for that kind of widget); a tall one at most ~40 KiB.
_LINES_LIMIT = 128
_LINES_HEIGHT_LIMIT = 100  # lines: a taller widget (a long list) is drawn by Textual alone
_drawn_rule_sets: dict[tuple[Any, ...], tuple[Any, ...]] = {}
_DRAWN_RULE_SETS_LIMIT = 1024


def _drawn_rules(rules: dict[str, Any]) -> tuple[Any, ...]:
    """A widget's own rules as part of a key: by value, its layout by kind (each node has a
    layout object of its own; how it lays children out draws no line of the widget's)."""
    if "layout" not in rules:
        found = tuple(rules.items())
    else:
        found = tuple(
            (name, type(value)) if name == "layout" else (name, value)
            for name, value in rules.items()
        )
    kept = _drawn_rule_sets.get(found)
    if kept is None:  # one copy for every entry of that kind of widget
        if len(_drawn_rule_sets) >= _DRAWN_RULE_SETS_LIMIT:
            _drawn_rule_sets.clear()
        kept = _drawn_rule_sets[found] = found
    return kept


def _widget_lines_drawn_once_for_every_app() -> None:
    """A widget drawn exactly like one already drawn in another app gets that app's lines.

    Every session's first frame draws the same key bar, menu and screen background, and
    Textual draws each line of each anew in every app (`StylesCache.render`: its border,
    padding and style lookups line by line, then the widget's text; ~15% of a session
    start's CPU, profiled). A whole widget's lines (before the app's line filters) depend
    only on: the widget's class; what it shows (a `Content`: its text and spans, with the
    app's CSS variables where a span names a style by string; or a `Blank`: its colour);
    the widget's own rules (its stylesheet and inline rules, by value); the style it
    inherits (`visual_style`), its background colours and opacity, which cover what its
    ancestors give it; its size, content size and padding; its border titles; the ANSI
    theme, native ANSI and the console's colour system (a Strip keeps its first escape
    codes). With those as the key, the lines drawn for one app are handed to the next
    (Strips are never changed once made), its own line filters applied as Textual does.
    The key holds the text itself, so a hit is the same text: member text drawn in one
    session can only be shown in another that shows that very text.

    Drawn by Textual as before: a widget with its own `render_line`, a selection, a crop
    narrower than the whole widget, another kind of visual, a span naming a component
    class, a text over 1,024 characters, a widget over 100 lines, a key that cannot be
    hashed. The widget's own content cache is left stale-marked, so a later partial
    redraw renders its content as Textual would.
    """
    from rich.terminal_theme import DEFAULT_TERMINAL_THEME
    from textual._styles_cache import StylesCache
    from textual.cache import LRUCache
    from textual.content import Content
    from textual.renderables.blank import Blank
    from textual.visual import Visual

    patch = "widget_lines_drawn_once_for_every_app"
    render = _method(
        StylesCache,
        "render",
        patch,
        (
            "self",
            "styles",
            "size",
            "base_background",
            "background",
            "render_content_line",
            "filters",
            "border_title",
            "border_subtitle",
            "content_size",
            "padding",
            "crop",
            "opacity",
            "ansi_theme",
            "native_ansi",
        ),
    )
    render = getattr(render, "_bbs_inner", render)
    _originals[patch] = render
    if render.__module__ == StylesCache.__module__:  # (a test installs over a stand-in)
        source = inspect.getsource(render)
        for needed in (
            "if width != self._width:",
            "self._cache[y] = strip",
            "strip = strip.apply_filter(filter, background)",
            "self._dirty_lines.difference_update(crop.line_range)",
        ):
            if needed not in source:
                raise TextualChanged("StylesCache.render changed: patch " + repr(patch))
    textual_render_line = _method(Widget, "render_line", patch + "_render_line", ("self", "y"))
    _method(Widget, "_render_content", patch + "_render_content", ("self",))
    # What the key stands for: the style a widget inherits, and how its text is drawn.
    _method(Widget, "visual_style", patch + "_visual_style", ("self",))
    _method(
        Visual,
        "to_strips",
        patch + "_to_strips",
        (
            "cls",
            "widget",
            "visual",
            "width",
            "height",
            "style",
            "apply_selection",
            "pad",
            "post_style",
        ),
    )
    drawn: LRUCache[tuple[Any, ...], list[Any]] = LRUCache(_LINES_LIMIT)

    def key_of(widget: Widget, styles: Any, args: tuple[Any, ...]) -> tuple[Any, ...] | None:
        visual: Any = widget._render()
        kind = type(visual)
        if kind is Content:
            text = visual._text
            if len(text) > _SHARED_TEXT_LIMIT:
                return None
            spans = tuple(visual._spans)
            variables = None
            for span in spans:
                if isinstance(span.style, str):
                    if span.style.startswith("."):
                        return None
                    if variables is None:
                        variables = _variables_key(widget.app.stylesheet)
            shown: tuple[Any, ...] = (kind, text, spans, variables)
        elif kind is Blank:
            shown = (kind, visual._rich_style)
        else:
            return None
        if widget.text_selection is not None or widget.screen._selecting:
            return None
        return (
            type(widget),
            shown,
            _drawn_rules(styles.base._rules),
            _drawn_rules(styles.inline._rules),
            widget.visual_style,
            widget.auto_links,
            widget.is_container,
            widget.app.console._color_system,
            args,
        )

    def shared_render(
        self: StylesCache,
        styles: Any,
        size: Any,
        base_background: Any,
        background: Any,
        render_content_line: Any,
        filters: Any,
        border_title: Any,
        border_subtitle: Any,
        content_size: Any = None,
        padding: Any = None,
        crop: Any = None,
        opacity: float = 1.0,
        ansi_theme: Any = DEFAULT_TERMINAL_THEME,
        native_ansi: bool = False,
    ) -> list[Any]:
        arguments = (
            styles,
            size,
            base_background,
            background,
            render_content_line,
            filters,
            border_title,
            border_subtitle,
            content_size,
            padding,
            crop,
            opacity,
            ansi_theme,
            native_ansi,
        )
        widget = getattr(render_content_line, "__self__", None)
        if (
            getattr(render_content_line, "__func__", None) is not textual_render_line
            or not isinstance(widget, Widget)
            or crop != size.region
            or not 0 < size.height <= _LINES_HEIGHT_LIMIT
        ):
            return list(render(self, *arguments))
        try:
            key = key_of(
                widget,
                styles,
                (
                    size,
                    base_background,
                    background,
                    border_title,
                    border_subtitle,
                    content_size,
                    padding,
                    opacity,
                    ansi_theme,
                    native_ansi,
                ),
            )
            lines = None if key is None else drawn.get(key)
        except TypeError:  # a rule or title that cannot be a key
            key = None
        if key is None:
            return list(render(self, *arguments))
        if lines is None:
            # Drawn afresh (no line of an earlier drawing reused): what the key says.
            content_fresh = bool(widget._dirty_regions) and not self._cache
            # Drawn by Textual without the app's filters (added below, as Textual does).
            lines = list(render(self, *arguments[:5], (), *arguments[6:]))
            if content_fresh and len(lines) == size.height:
                drawn.set(key, lines)
        else:
            width = size.width
            if width != self._width:
                self.clear()
                self._width = width
            cache = self._cache
            for y, line in enumerate(lines):
                cache[y] = line
            self._dirty_lines.difference_update(crop.line_range)
        if not filters:
            return list(lines)
        filtered = []
        for line in lines:
            for line_filter in filters:
                line = line.apply_filter(line_filter, background)
            filtered.append(line)
        return filtered

    shared_render._bbs_inner = render  # type: ignore[attr-defined]
    shared_render._bbs_drawn = drawn  # type: ignore[attr-defined]
    StylesCache.render = shared_render  # type: ignore[method-assign]


def _escape_codes_for_each_colour_system() -> None:
    """A session on a 256- or 16-colour terminal gets its own terminal's colour codes,
    even for a style or a line another session has drawn first.

    Textual turns a style into escape codes once and keeps them on the style
    (`Style._ansi`) and a whole line once and keeps it on the strip (`_render_cache`),
    whatever console asked first. With one app per member in one process, styles and
    strips are shared across apps, so a member whose terminal takes 16 colours could get
    the truecolor codes of the member who logged in first (a Linux console reads
    `38;2;r;g;b` as other attributes). The codes now come from `Strip.render_ansi`, which
    Textual already caches per style and colour system. A line is kept on its strip for one
    colour system only, 256 colours (what OpenSSH clients get: they send no COLORTERM), so
    every line kept there, and every line `Strip.join` makes of kept lines, is in 256
    colours; lines for truecolor and 16-colour sessions are made anew each time.
    """
    from textual.strip import Strip

    patch = "escape_codes_for_each_colour_system"
    _method(Strip, "render_style", patch, ("cls", "style", "text", "color_system"))
    _method(Strip, "render", patch + "_render", ("self", "console"))
    render_ansi = _method(
        Strip, "render_ansi", patch + "_render_ansi", ("cls", "style", "color_system")
    )
    for name, needed in (
        (patch, "if (ansi := style._ansi) is None:"),
        (patch + "_render", "if self._render_cache is None:"),
        (patch + "_render_ansi", "ansi = style._ansi ="),
    ):
        if needed not in inspect.getsource(_originals[name]):
            raise TextualChanged(f"Strip changed: patch {name!r} cannot be installed")
    truecolor = ColorSystem.TRUECOLOR
    kept = ColorSystem.EIGHT_BIT
    codes_for = render_ansi.__func__ if isinstance(render_ansi, classmethod) else render_ansi

    def render_style(cls: type[Strip], style: Any, text: str, color_system: ColorSystem) -> str:
        ansi = codes_for(cls, style, color_system)
        output = f"\x1b[{ansi}m{text}\x1b[0m" if ansi else text
        if style._link:
            output = f"\x1b]8;id={style._link_id};{style._link}\x1b\\{output}\x1b]8;;\x1b\\"
        return output

    def render(self: Strip, console: Console) -> str:
        color_system = console._color_system or truecolor
        if color_system is kept and self._render_cache is not None:
            return self._render_cache
        line = "".join(
            [
                text if style is None else render_style(Strip, style, text, color_system)
                for text, style, _ in self._segments
            ]
        )
        if color_system is kept:
            self._render_cache = line
        return line

    Strip.render_style = classmethod(render_style)  # type: ignore[method-assign,assignment]
    Strip.render = render  # type: ignore[method-assign]
