"""Every touchpoint in screens/textual_compat.py, tested against the pinned Textual.

A Textual upgrade that renames, moves or rewrites something Harbour reaches into fails
here, loudly: a patched function's source no longer hashes to what the patch was
written for, an installer raises TextualChanged, or an accessor's answer is wrong.
"""

from __future__ import annotations

import ast
import asyncio
import functools
import gc
import hashlib
import inspect
import sys
import weakref
from collections import deque
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any, ClassVar

import pytest
import textual._callback as textual_callback
from rich.color import ColorSystem
from rich.segment import Segment
from textual import events, on
from textual._callback import count_parameters
from textual._compositor import Compositor
from textual._styles_cache import StylesCache
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.color import Color
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.css.stylesheet import Stylesheet
from textual.design import ColorSystem as ThemeColours
from textual.dom import DOMNode
from textual.filter import NoColor
from textual.geometry import Region
from textual.message import Message
from textual.message_pump import MessagePump
from textual.reactive import Reactive, ReactiveError, reactive
from textual.screen import Screen
from textual.signal import Signal
from textual.strip import Strip
from textual.style import Style
from textual.theme import BUILTIN_THEMES
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, Static, TextArea
from textual.widgets._toast import ToastRack
from textual.worker import Worker, WorkerState

import screens.textual_compat as compat
from screens.textual_compat import (
    QuietCrashApp,
    TextualChanged,
    UncachedXTermParser,
    app_driver,
    apply_textual_patches,
    forget_rendered_lines,
    has_notifications,
    is_closing,
    layout_pending,
    own_key_bindings,
    patched_originals,
    repaint_pending,
    row_scroller,
    set_color_system,
    set_terminal_size,
    shift_rendered_lines,
    stop_watching,
    stopped_before,
    takes_no_arguments,
    terminal_size,
    use_line_filter,
    without_tooltips,
)
from screens.widgets import BBSTextArea, TextField
from server.driver import SSHDriver, TerminalLink
from server.frame_filter import scroll_sequence
from tests.driver_harness import Channel, run_with, wait_until

# sha256 of the source of each Textual function a patch replaces or relies on, as in
# textual 8.2.8. A mismatch means Textual changed it: read the new source, check the
# patch (screens/textual_compat.py) still does what it says, then update the hash.
ORIGINALS = {
    "no_stdout_swap": "7934609529be85befa7fd40b9f41e9268e8097c37d1f7d3c237ca1d66452b4f4",
    "share_parsed_css": "2f1c2d220b672d1b86c19f185bbffba8f2bbf22d10e779a532cdec8fbd2fe01d",
    "share_variable_tokens": "91e64845307a01396cf91d257eb21e2983698140bc2c6dbdeb6444fa44b480f1",
    "lazy_strip_caches": "ce1d8154dca8cfd78cd46aa14a40b23436c94696447efbe74eb17f0e0a4a550d",
    "skip_same_size_relayout": "9ac8cd9df56307829154c091a9e9b0b4bfa5eece40941ddb994165fe51f5e895",
    "skip_same_size_relayout_size_updated": "21ffb00b8a9833150e0faafd8ed4854f683814efd042832f4b5eeacc00c01f64",  # noqa: E501
    "quiet_empty_toast_rack": "764c33fbdc911fd0bec03abdc23605ef53ff5020e66ac6ab63eb2315c79dbd80",
    "no_tooltip_no_search": "adad90a438d65ae565b1dfb5cf8760c87f1bc004cfe27b00807ef553ea655eef",
    "reactive_reads_from_the_instance": "ff6b9ac5076ff7a73729a27d08b2082eff38c5d0c3d82db646a02c5e60aae710",  # noqa: E501
    "inner_outer_without_the_cache": "d2509f3e796680df9e74d7abc9df50afba9be6d4903f6731daa037476a17277b",  # noqa: E501
    "box_models_of_the_current_layout": "2af27ebacc60142be3782279f67a61898501b40a1238d9307bf0e3670bdba1f6",  # noqa: E501
    "keep_reverse_in_visual_styles": "89a34466ed64d4bf6da3c93fed5cd38673ab359b2edf702efa4ab65be0a5048e",  # noqa: E501
    "style_a_new_screen_once": "1faf3687bbba428feb76c648ce131943e14cbb86cfa8f081a18f7edb6cd5fb03",
    "style_a_new_screen_once_resume": "f39caa8ec4424d3cade603cf3bd714950323ca9bf16e922ba0dcad147fb9b9cf",  # noqa: E501
    "style_a_new_screen_once_update_nodes": "386367db2e9d8dee93d6f604a5a80d71d2a30093404b7329decb7963de27776b",  # noqa: E501
    "one_layout_as_a_screen_comes_up": "889715478130b7e06cbb02a266d699b5abb68053f767327b86ffc995ebe38bfb",  # noqa: E501
    "one_layout_as_a_screen_comes_up_on_layout": "55209a37fad6f883be69ba32281e3fd7b36ba7f661c4bc619f6a7435ca2e6799",  # noqa: E501
    "parameters_counted_from_the_code": "645475a994d72349717663a6f72456b3b8eb540dca0ebffcf28cde8bf988b9e9",  # noqa: E501
    "dispatch_planned_once_per_class": "42cf0aeddecf314f6e7557e1aee0003f91b0aec2a8309a5c9595e8a98f94e073",  # noqa: E501
    "light_message_queues_message_queue": "031379438d26e6dc96a07da302e374dbab344ac6a4c6ae6d9a79a300cfaea059",  # noqa: E501
    "light_message_queues_mounted_event": "43fba6a72279d8e5a98119c3c992e0113d7655bd7971b1c797674b6f2cc5d142",  # noqa: E501
    "typing_as_input_types_on_key": "55068e7ce456e598b6417ac86e9c08abfaa76139e068a46bd3c49c4d9a7f43b1",  # noqa: E501
    "typing_as_input_types_replace": "d376372fe3de18e49d19ad647cbb1525843c463af0deaed2544e9454b25e94fd",  # noqa: E501
    "typing_as_input_types_selection": "5d486f03bb822568198b12d691d656486f4795b7fdec69ed5b214698a9a9f25d",  # noqa: E501
    "styles_shared_across_apps_replace_rules": "2db1c7976ac6aa11bfdffd06d75088613f003da60a87ef392284511ffdc210b9",  # noqa: E501
    "styles_shared_across_apps_check_selectors": "2dbc95b0ca2b377a4d1aacd5442355678aa03ca9ba71326268e49d96de680f8b",  # noqa: E501
    "styles_shared_across_apps_selector_check": "d016c4a383cb1d75e1103586580562669caf6463c0435c5b2d2a3f5d9455baf1",  # noqa: E501
    "styles_shared_across_apps_selector_names": "c8a0af3ed6ba049be286baabdbd1a1c27ceba257fa4b7b58154d564ed81c4126",  # noqa: E501
    "styles_shared_across_apps_style_properties": "394c7c4079fc8859705c7ecabf10636b7bead638c5af3c5f451e066af85105f7",  # noqa: E501
    "styles_shared_across_apps_styles_refresh": "3a1044b8cab3c778fa2679186901d3fb19c2eaf0bb0f66bba0a2d916d70216ee",  # noqa: E501
    "styles_shared_across_apps_styles_set_rule": "61760a8fcaf2790edcd5f07562533f9da4e22d259ecda39214b8199858190d3e",  # noqa: E501
    "styles_shared_across_apps_styles_clear_rule": "1f364accab3461eb71a2c5ee37baa2ba8dbe76c08864787f5f35f14036232639",  # noqa: E501
    "styles_shared_across_apps_has_pseudo_class": "13e807ac79d4d7d62f43a9e9ef9900eada829e0d4c75818627e8f323bcf4e0ff",  # noqa: E501
    "content_rendered_once_for_every_app": "5595f673f3a2e010a5300137739aa9e73cc78e40bb70d36201fc84e8ad7fcc3a",  # noqa: E501
    "theme_looked_up_without_copies": "7b6497d645b8063af3ddbeca7aa39adff4bcce08ce560e16f9d2413abb1a1777",  # noqa: E501
    "theme_looked_up_without_copies_available_themes": "6f546efe7dd74dd86a1f60ed677d920bda0449add55287b793b4c08a2f296bb1",  # noqa: E501
    "theme_colours_worked_out_once": "43f6d916b5607ef856c73e2eb2c8cde2ea9d1aede43d95624345c55e921aea27",  # noqa: E501
    "content_rendered_once_for_every_app_get_height": "fba238f42046182152862cfe200949a7b5c4f84be1cfb2d5593c158be58d529f",  # noqa: E501
    "lazy_signal_subscriptions": "108464ea40464e1ad4c909796afa3446c1266110a77251ce4673ccd88303b490",
    "lazy_signal_subscriptions_subscribe": "3d4f81854bf22f29bed5cec949547cf50f83c7462795eb071652b7a7e7f068fb",  # noqa: E501
    "lazy_signal_subscriptions_publish": "aa62c809b0289a205bcb6faee83cd761ce01779cdf9185d6e2b5dfca216df655",  # noqa: E501
    "lazy_signal_subscriptions_unsubscribe": "a108d414075e1cef9eba7319cd8d090c28a75b8483064ac520d80d48180eb769",  # noqa: E501
    "lazy_pump_timers": "4c13f534c77c6b67fdba6e9232f1e247320e50ac5c1a97eaf77694680bbb343f",
    "instance_defaults_on_the_class_messagepump": "4c13f534c77c6b67fdba6e9232f1e247320e50ac5c1a97eaf77694680bbb343f",  # noqa: E501
    "instance_defaults_on_the_class_domnode": "92386cf024a399a8c5f01a5d5947b9877993b2512f044c546cd0fa62b0073229",  # noqa: E501
    "instance_defaults_on_the_class": "853c53fbb948443785bedd144bd083f53838a60e1ca5fdff2e2ffbbf24a5ac66",  # noqa: E501
    "apps_share_environment_and_theme_variables": "252ebc810445207decd53173f00ca97bdad1cf0949ab96903fb9db93c442e601",  # noqa: E501
    "apps_share_environment_and_theme_variables_variables": "48b7c7e5d5af1c5c5b0eab888049fd83b63fd0fe4ec75561e35e17481f2f2bc3",  # noqa: E501
    "light_timer_events": "75cd6ea84600bab9fe8353c34b7a740f166753f2da8bf74d766ddd97af95e3c6",
    "pump_tasks_named_by_class": "3510c4c50d026583aad03dc6538fdf14d1b13e19c4ca4f9249259c4206451991",
    "a_gone_widget_leaves_no_cycles": "f11bec54df4efd84e7a1094cb5619888a5fda05b6780a45508b368d4faab3f3e",  # noqa: E501
    "a_gone_widget_leaves_no_cycles_screen": "ca1d23f5bb411ad8c92bbe158d0859186a031f859b15e382ca63bf7a8e57092b",  # noqa: E501
    "lru_caches_leave_no_rings": "840350756f822f0dc709d3ed6295d527f636c81cd6cba29c7378c754eed60efc",
    "a_whole_strip_is_not_cached_in_itself": "f6764f25c39e144b942b4358ca8d3d7afe98dd01c23514ac55b2b6b9bc57ad3a",  # noqa: E501
    "an_arrangement_is_not_kept_by_its_helper": "e893dcd84bf247f80b560016dd8bd5259571fce7641b0d2e6642bf6fb766a27e",  # noqa: E501
    "replaced_component_styles_leave_no_cycles": "852b5e4b93c6fc25fa6f081923063399ddb6ac9d45f2365079cb825529926c02",  # noqa: E501
    "a_finished_worker_lets_go_of_its_task": "c67d4befbb469182f0de89a7cb462b9f5849725fb18ce44e52ca3ae22bd2cd46",  # noqa: E501
    "widget_lines_drawn_once_for_every_app": "0945715ef8aede9b146da2418519f70dcab14ae9d7d26f53f8f29432ef5afa1c",  # noqa: E501
    "widget_lines_drawn_once_for_every_app_render_line": "36df21323c2e9fea2cd914461e7160c44316cf2f75d3717308627a5a216439e1",  # noqa: E501
    "widget_lines_drawn_once_for_every_app_render_content": "50c545576ca20403ea37ea3c1fbee8b96032c81573c4cd71104b3992f49a208f",  # noqa: E501
    "widget_lines_drawn_once_for_every_app_visual_style": "f6a5383aa110dc875f7155a44c97cb5e6eb9cb016f07a35669dedd33e080e98d",  # noqa: E501
    "widget_lines_drawn_once_for_every_app_to_strips": "237262d432caa6c454336c6784d0f0ef9734757992a0dd50fa4cdc7c1d168c06",  # noqa: E501
    "escape_codes_for_each_colour_system": "749d890bb5c4351064d76c77f5140acad8ff8fa41dd003e9528a44df468c5fea",  # noqa: E501
    "escape_codes_for_each_colour_system_render": "2ba7a4913a72125d28739c6e4186ada18de833b8376b3a72ae227fdaa4ee7f69",  # noqa: E501
    "escape_codes_for_each_colour_system_render_ansi": "08043dedb90d50a7489d1f049229139f98d344eb2e6b732c8c09f1eb9b920405",  # noqa: E501
}


def _sha256(function: Any) -> str:
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()


def test_the_compat_module_is_written_for_the_pinned_textual() -> None:
    # It reaches into Textual's internals: a new Textual needs them checked again.
    assert version("textual") == "8.2.8"


# -- the patches --------------------------------------------------------------------------
def test_every_patched_original_is_the_source_the_patch_was_written_for() -> None:
    apply_textual_patches()
    originals = patched_originals()
    assert set(originals) == set(ORIGINALS)
    changed = {
        name: _sha256(fn) for name, fn in originals.items() if _sha256(fn) != ORIGINALS[name]
    }
    assert not changed, f"Textual changed what these patches replace: {changed}"


# Each installer, and a target it must find: without it, installing raises TextualChanged.
INSTALLERS = [
    (compat._no_stdout_swap, App, "_process_messages"),
    (compat._share_parsed_css, Stylesheet, "_parse_rules"),
    (compat._share_variable_tokens, Stylesheet, "_variable_tokens"),
    (compat._lazy_strip_caches, Strip, "__init__"),
    (compat._lazy_strip_caches, Strip, "_crop_cache"),
    (compat._skip_same_size_relayout, Screen, "_screen_resized"),
    (compat._skip_same_size_relayout, Widget, "_size_updated"),
    (compat._quiet_empty_toast_rack, ToastRack, "show"),
    (compat._no_tooltip_no_search, Screen, "_clear_tooltip"),
    (compat._reactive_reads_from_the_instance, Reactive, "__get__"),
    (compat._inner_outer_without_the_cache, StylesCache, "get_inner_outer"),
    (compat._box_models_of_the_current_layout, Widget, "_get_box_model"),
    (compat._keep_reverse_in_visual_styles, Widget, "get_visual_style"),
    (compat._style_a_new_screen_once, Stylesheet, "apply"),
    (compat._style_a_new_screen_once, Screen, "_on_screen_resume"),
    (compat._styles_shared_across_apps, Stylesheet, "replace_rules"),
    (compat._content_rendered_once_for_every_app, Content, "render_strips"),
    (compat._content_rendered_once_for_every_app, Content, "get_height"),
    (compat._theme_colours_worked_out_once, ThemeColours, "generate"),
    (compat._one_layout_as_a_screen_comes_up, Screen, "_refresh_layout"),
    (compat._one_layout_as_a_screen_comes_up, Screen, "_on_screen_resume"),
    (compat._one_layout_as_a_screen_comes_up, Screen, "_on_layout"),
    (compat._light_message_queues, MessagePump, "_message_queue"),
    (compat._parameters_counted_from_the_code, textual_callback, "_count_parameters"),
    (compat._dispatch_planned_once_per_class, MessagePump, "_get_dispatch_methods"),
    (compat._light_message_queues, MessagePump, "_mounted_event"),
    (compat._typing_as_input_types, Input, "_on_key"),
    (compat._typing_as_input_types, Input, "replace"),
    (compat._typing_as_input_types, Input, "validate_selection"),
    (compat._lazy_signal_subscriptions, Signal, "__init__"),
    (compat._lazy_signal_subscriptions, Signal, "subscribe"),
    (compat._lazy_signal_subscriptions, Signal, "publish"),
    (compat._lazy_pump_timers, MessagePump, "__init__"),
    (compat._instance_defaults_on_the_class, DOMNode, "__init__"),
    (compat._apps_share_environment_and_theme_variables, App, "__init__"),
    (compat._apps_share_environment_and_theme_variables, App, "get_css_variables"),
    (compat._light_timer_events, Timer, "_active"),
    (compat._pump_tasks_named_by_class, MessagePump, "_start_messages"),
    (compat._a_gone_widget_leaves_no_cycles, Widget, "_message_loop_exit"),
    (compat._a_gone_widget_leaves_no_cycles, Screen, "_message_loop_exit"),
    (compat._lru_caches_leave_no_rings, LRUCache, "clear"),
    (compat._replaced_component_styles_leave_no_cycles, Stylesheet, "_process_component_classes"),
    (compat._a_whole_strip_is_not_cached_in_itself, Strip, "divide"),
    (compat._an_arrangement_is_not_kept_by_its_helper, Compositor, "_arrange_root"),
    (compat._a_finished_worker_lets_go_of_its_task, Worker, "_start"),
    (compat._theme_looked_up_without_copies, App, "get_theme"),
    (compat._theme_looked_up_without_copies, App, "available_themes"),
    (compat._widget_lines_drawn_once_for_every_app, StylesCache, "render"),
    (compat._escape_codes_for_each_colour_system, Strip, "render_style"),
    (compat._escape_codes_for_each_colour_system, Strip, "render"),
    (compat._escape_codes_for_each_colour_system, Strip, "render_ansi"),
    (compat._widget_lines_drawn_once_for_every_app, Widget, "render_line"),
]


@pytest.mark.parametrize(
    ("install", "owner", "name"), INSTALLERS, ids=[f"{i.__name__}-{n}" for i, _o, n in INSTALLERS]
)
def test_a_patch_whose_target_is_gone_refuses_to_install(
    install: Any, owner: type, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(owner, name)
    with pytest.raises(TextualChanged, match=name):
        install()


def test_a_theme_is_looked_up_as_textual_does_without_copying_them_all() -> None:
    apply_textual_patches()
    textual_get_theme = patched_originals()["theme_looked_up_without_copies"]
    copies: list[int] = []

    class Listed(App[None]):
        # An app with its own available_themes: Textual's way.
        @property
        def available_themes(self) -> Any:
            copies.append(1)
            return {**self._registered_themes}

    app = App[None]()
    for name in ("ansi-dark", " textual-light ", "none-such", "", "none-such, ansi-dark", ","):
        assert app.get_theme(name) is textual_get_theme(app, name), name
    assert app.current_theme is textual_get_theme(app, app.theme)
    listed = Listed()
    assert listed.get_theme("ansi-dark") is textual_get_theme(listed, "ansi-dark")
    assert copies


def test_a_patch_whose_target_takes_other_parameters_refuses_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def show(self: ToastRack, notifications: Any, animate: bool) -> None: ...

    monkeypatch.setattr(ToastRack, "show", show)
    with pytest.raises(TextualChanged, match="animate"):
        compat._quiet_empty_toast_rack()


async def test_a_signal_without_subscribers_holds_no_dictionary_and_one_with_them_works() -> None:
    apply_textual_patches()
    seen: list[str] = []

    class Subscriber(App[None]):
        def on_mount(self) -> None:
            assert not self.theme_changed_signal._subscriptions
            self.theme_changed_signal.subscribe(self, lambda theme: seen.append(theme.name))

    app = Subscriber()
    async with app.run_test() as pilot:
        # A pump's message signal nobody listens to: the shared empty record, no dictionary.
        assert app.screen.message_signal._subscriptions is compat._NO_SUBSCRIPTIONS
        app.screen.message_signal.publish(Message())
        app.screen.message_signal.unsubscribe(app)
        app.theme = "textual-light"
        await pilot.pause()
        await wait_until(lambda: seen == ["textual-light"], what="the signal's callback")


async def test_a_pump_holds_no_timer_set_until_it_starts_a_timer_and_its_timers_stop() -> None:
    apply_textual_patches()
    ticks: list[int] = []

    class Ticking(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("tick")

    app = Ticking()
    async with app.run_test() as pilot:
        static = app.screen.query_one(Static)
        assert "_timers" not in vars(static)  # the screen has its update timer
        assert static._task is not None and static._task.get_name() == "message pump Static"
        timer = static.set_interval(0.01, lambda: ticks.append(1))
        assert timer in static._timers
        assert isinstance(timer._active, compat._LightEvent)
        await wait_until(lambda: len(ticks) >= 2, what="the timer to tick")
        timer.pause()
        paused_at = len(ticks)
        timer.resume()
        await wait_until(lambda: len(ticks) > paused_at, what="the timer resumed")
        await static.remove()
        await pilot.pause()
        # Stopped with its widget (the closing pump read its set and stopped them).
        await wait_until(lambda: timer._task is None or timer._task.done(), what="the stop")


async def test_a_popped_screen_and_its_widgets_are_freed_without_a_collection() -> None:
    # Reference counting alone frees them: no cycle left for a full collection to find.
    apply_textual_patches()

    class Page(Screen[None]):
        def compose(self) -> ComposeResult:
            with VerticalScroll():
                yield Static("loading", id="body")
            yield OptionList("one", "two", "three")
            yield Input("typed")

        def on_mount(self) -> None:
            self.run_worker(self._load(), group="load")

        async def _load(self) -> None:
            self.query_one("#body", Static).update("a line\n" * 60)

    app: App[None] = App()
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(2):  # the first push also makes what the app keeps for the next
            page = Page()
            await app.push_screen(page)
            await wait_until(lambda: not app.workers._workers, what="the page's worker")
            await pilot.pause()
            gone = [weakref.ref(node) for node in page.walk_children(with_self=True)]
            del page
            gc.collect()
            gc.disable()
            try:
                await app.pop_screen()
                await pilot.pause()
                await wait_until(lambda: all(r() is None for r in gone), what="all freed")  # noqa: B023
            finally:
                gc.enable()
        await wait_until(lambda: not app.screen.query(Static), what="the default screen")


async def test_a_widget_styled_again_frees_its_old_component_styles_at_once() -> None:
    apply_textual_patches()

    class Listing(App[None]):
        def compose(self) -> ComposeResult:
            yield OptionList("one", "two")

    app = Listing()
    async with app.run_test() as pilot:
        listing = app.query_one(OptionList)
        old = [weakref.ref(styles.node) for styles in listing._component_styles.values()]
        assert old and all(r() is not None for r in old)
        gc.disable()
        try:
            app.stylesheet.apply(listing)
            assert all(r() is None for r in old)
        finally:
            gc.enable()
        new = list(listing._component_styles.values())
        assert new and all(styles.node is not None for styles in new)
        assert listing.get_component_styles("option-list--option-highlighted").node is not None
        await pilot.pause()


def test_an_lru_cache_cleared_or_dropped_leaves_no_ring_behind() -> None:
    apply_textual_patches()

    class Entry:
        pass

    cache: LRUCache[int, Entry] = LRUCache(2)
    entries = [Entry() for _ in range(3)]
    for key, entry in enumerate(entries):
        cache[key] = entry
    assert cache.get(2) is entries[2] and cache.get(1) is entries[1] and 0 not in cache
    gone = [weakref.ref(e) for e in entries]
    del entries, entry
    gc.disable()
    try:
        cache.clear()
        assert all(r() is None for r in gone) and len(cache) == 0
        cache[5] = kept = Entry()
        assert cache[5] is kept
        still = weakref.ref(kept)
        del kept, cache
        assert still() is None
    finally:
        gc.enable()


def test_a_strip_divided_at_its_own_length_is_itself_and_not_cached_in_itself() -> None:
    apply_textual_patches()
    strip = Strip([Segment("hello "), Segment("world")])
    references = sys.getrefcount(strip)
    assert strip.divide([11]) == [strip] and strip.divide([11, 20]) == [strip]
    assert [s.text for s in strip.divide([6, 11])] == ["hello ", "world"]
    assert sys.getrefcount(strip) == references  # no cache holds it: no cycle through it


async def test_a_finished_worker_answers_from_its_state_and_a_cancelled_one_keeps_a_task() -> None:
    apply_textual_patches()

    async def work() -> str:
        return "done"

    async def fail() -> str:
        raise ValueError("no")

    async def forever() -> str:
        await asyncio.Event().wait()
        return "never"

    app: App[None] = App()
    async with app.run_test():
        done = app.run_worker(work(), exit_on_error=False)
        failed = app.run_worker(fail(), exit_on_error=False)
        cancelled = app.run_worker(forever())
        await wait_until(lambda: done._task is None and failed._task is None, what="the ends")
        assert await done.wait() == "done" and done.state == WorkerState.SUCCESS
        with pytest.raises(Exception, match="no"):
            await failed.wait()
        cancelled.cancel()
        await wait_until(lambda: cancelled.state == WorkerState.CANCELLED, what="the cancel")
        assert cancelled._task is not None


async def test_a_mounted_widget_keeps_in_its_dictionary_only_what_differs_from_its_class() -> None:
    apply_textual_patches()

    class Marked(Static):
        # A subclass's own value for one of them: the instance's None must stay.
        highlight_style = Style(bold=True)  # type: ignore[assignment]

    class Two(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("one")
            yield Marked("two")

    app = Two()
    async with app.run_test() as pilot:
        await pilot.pause()
        plain, marked = app.screen.query(Static)
        assert type(marked) is Marked
        assert "_tooltip" not in vars(plain) and plain._tooltip is None
        assert plain.highlight_style is None and marked.highlight_style is None
        # 128 slots, not 256: 1.6 KiB, not 3.3.
        assert sys.getsizeof(vars(plain)) < 2048, (len(vars(plain)), sys.getsizeof(vars(plain)))
        # Set again, it is the instance's own, as Textual's would be.
        plain._tooltip = "tip"
        assert plain._tooltip == "tip" and Widget._tooltip is None  # type: ignore[attr-defined]
        plain.refresh(layout=True)
        await pilot.pause()
        assert not plain._layout_required


def test_apps_share_one_copy_of_the_environment_and_of_a_themes_variables() -> None:
    apply_textual_patches()
    one, two = App(), App()
    assert one.console._environ is two.console._environ
    assert one.get_css_variables() is two.get_css_variables()
    assert one.theme_variables is two.theme_variables
    dark = dict(one.theme_variables)
    two.theme = "textual-light"
    light = two.get_css_variables()
    assert light != dark and one.theme_variables == dark
    assert App(ansi_color=True).console._environ is one.console._environ


def test_the_stdout_swap_is_gone() -> None:
    import textual.app as textual_app

    apply_textual_patches()
    with textual_app.redirect_stdout(None):  # type: ignore[attr-defined]
        import sys

        assert sys.stdout is sys.__stdout__ or sys.stdout is not None


def test_apps_share_parsed_css() -> None:
    apply_textual_patches()
    one, two = App(), App()
    for app in (one, two):
        app.stylesheet.set_variables(app.get_css_variables())
    css = "Static { color: red; }"
    assert one.stylesheet._parse_rules(css, ("x", "")) is two.stylesheet._parse_rules(
        css, ("x", "")
    )


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


def test_apps_share_theme_tokens_and_a_css_parse_gets_lists_of_its_own() -> None:
    apply_textual_patches()
    one, two = App(), App()
    for app in (one, two):
        app.stylesheet.set_variables(app.get_css_variables())
    a, b = one.stylesheet._variable_tokens, two.stylesheet._variable_tokens
    assert a is b and "primary" in a  # one set of tokens, read by style strings
    before = {name: list(tokens) for name, tokens in a.items()}
    # CSS that defines a theme variable again: Textual's substitution appends to its list.
    css = "$primary: red;\nStatic.tokens-test { color: $primary; }"
    [rule] = one.stylesheet._parse_rules(css, ("tokens test", ""))
    assert rule.styles.color == Color.parse("red")
    assert {name: list(tokens) for name, tokens in a.items()} == before
    # Where the patch keeps a parse's own lists is where Textual's own code looks.
    assert one.stylesheet._Stylesheet__variable_tokens is None  # type: ignore[attr-defined]


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
        def compose(self) -> ComposeResult:
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


async def test_a_same_size_resize_does_not_lay_the_screen_out_again() -> None:
    apply_textual_patches()
    app = App[None]()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        screen = app.screen
        calls: list[object] = []
        original = screen._refresh_layout
        screen._refresh_layout = lambda *a, **k: (calls.append(a), original(*a, **k))[1]  # type: ignore[method-assign]
        screen._screen_resized(screen.size)
        assert calls == []


class _Counted(TextField):
    """A field that counts its bells and the values its Changed messages carried."""

    def __init__(self, value: str, max_length: int) -> None:
        super().__init__(value, max_length=max_length)
        self.bells = 0
        self.changes: list[str] = []

    def restricted(self) -> None:
        self.bells += 1

    def _on_input_changed(self, event: Input.Changed) -> None:
        self.changes.append(event.value)


@pytest.mark.parametrize(
    ("value", "selection", "text", "max_length"),
    [
        ("", (0, 0), "feeling better today", 0),
        ("abc", (1, 1), "xyz", 0),  # in the middle
        ("abcdef", (4, 1), "Q!", 0),  # over a selection made backwards
        ("abc", (3, 3), "defghij", 6),  # the field fills up: the bell for each key over
        ("abcdef", (0, 6), "ün 😊 字", 0),  # replaces it all; wide and astral characters
    ],
)
async def test_keys_typed_as_one_end_as_the_same_keys_typed_one_by_one(
    value: str, selection: tuple[int, int], text: str, max_length: int
) -> None:
    from textual.widgets.input import Selection

    from bbs.text_safety import clean_line

    apply_textual_patches()

    class Two(App[None]):
        def compose(self) -> ComposeResult:
            yield _Counted(value, max_length)
            yield _Counted(value, max_length)

    app = Two()
    async with app.run_test(size=(40, 6)) as pilot:
        one, other = app.query(_Counted).results(_Counted)
        for field in (one, other):
            field.selection = Selection(*selection)
        await pilot.pause()
        for field in (one, other):
            field.changes.clear()
        for character in text:
            await Input._on_key(one, events.Key(character, character))
        compat.type_as_keys(other, text, clean_line)
        await pilot.pause()
        assert (other.value, other.selection, other.bells) == (one.value, one.selection, one.bells)
        assert other.changes[-1:] == one.changes[-1:]  # one Changed, with the last value
        assert len(other.changes) <= 1


async def test_typed_text_goes_to_the_field_while_it_has_focus_and_else_key_by_key() -> None:
    apply_textual_patches()
    got: list[str] = []

    class Taking(TextField):
        def type_text(self, text: str) -> None:
            got.append(text)

        def _on_typed_text(self, message: compat.TypedText) -> None:
            self.type_text(message.text)

    class Bound(App[None]):
        BINDINGS: ClassVar[list[BindingType]] = [Binding("x", "mark", "Mark", priority=True)]
        marks = 0

        def compose(self) -> ComposeResult:
            yield Taking()
            yield TextField(id="other")

        def action_mark(self) -> None:
            self.marks += 1

    app = Bound()
    async with app.run_test(size=(40, 6)) as pilot:
        field = app.query_one(Taking)
        field.focus()
        await pilot.pause()
        keys = [events.Key(c, c) for c in "hello"]
        compat.hand_typed_text(app, compat.TypedText(keys), field)
        await pilot.pause()
        assert got == ["hello"] and field.value == ""
        # A printable priority binding is dropped from the chain while a field that
        # types the key has focus (Screen._binding_chain): the key is typed, as one by one.
        compat.hand_typed_text(app, compat.TypedText([events.Key(c, c) for c in "axb"]), field)
        await pilot.pause()
        assert got == ["hello", "axb"] and app.marks == 0
        # Focus moved on before the app got to them: they go where focus is now.
        other = app.query_one("#other", TextField)
        other.focus()
        await pilot.pause()
        compat.hand_typed_text(app, compat.TypedText([events.Key(c, c) for c in "yes"]), field)
        await pilot.pause()
        assert got == ["hello", "axb"] and other.value == "yes"


async def test_typed_text_with_its_enter_goes_key_by_key_when_a_priority_binding_has_enter() -> (
    None
):
    apply_textual_patches()
    got: list[str] = []

    class Line(TextField):
        def type_text(self, text: str) -> None:
            got.append(text)

        def enter_typed(self) -> None:
            got.append("enter")

        def _on_typed_text(self, message: compat.TypedText) -> None:
            self.type_text(message.text)
            if message.enter:
                self.enter_typed()

    class Bound(App[None]):
        BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "mark", "Mark", priority=True)]
        marks = 0

        def compose(self) -> ComposeResult:
            yield Line()

        def action_mark(self) -> None:
            self.marks += 1

    app = Bound()
    async with app.run_test(size=(40, 6)) as pilot:
        field = app.query_one(Line)
        field.focus()
        await pilot.pause()
        typed = compat.TypedText(
            [events.Key("h", "h"), events.Key("i", "i"), events.Key("enter", "\r")]
        )
        assert (typed.text, typed.enter) == ("hi", True)
        assert isinstance(field, compat.TakesTypedLine)
        compat.hand_typed_text(app, typed, field)
        await pilot.pause()
        # As Textual handles them one by one: the keys typed, the Enter to the binding.
        assert got == [] and field.value == "hi" and app.marks == 1


def test_an_empty_toast_rack_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    apply_textual_patches()
    looked: list[object] = []
    monkeypatch.setattr(ToastRack, "query", lambda self, *a: looked.append(a) or [])
    rack = ToastRack()
    rack.display = False
    rack.show([])  # type: ignore[arg-type]
    assert looked == [] and not rack.display
    rack.display = True
    rack.show([])  # type: ignore[arg-type]
    assert looked and not rack.display  # a shown rack is still hidden as Textual does


async def test_reverse_reaches_a_list_s_chosen_row() -> None:
    from textual.widgets import OptionList

    apply_textual_patches()

    class Listing(App[None]):
        CSS = "OptionList > .option-list--option-highlighted { text-style: reverse; }"

        def compose(self) -> ComposeResult:
            yield OptionList("one", "two")

    app = Listing()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        options = app.query_one(OptionList)
        style = options.get_visual_style("option-list--option-highlighted")
        assert style.reverse


# -- the app and its driver ---------------------------------------------------------------
class _Probe(App[None]):
    def compose(self) -> ComposeResult:
        yield Input(id="field")
        yield Static("text", id="text")


def _styles_of(screen: Screen[Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every node's CSS rules as the stylesheet set them."""
    return [
        (repr(node), dict(node._css_styles.get_rules()))
        for node in screen.walk_children(with_self=True)
    ]


class _StyledScreen(Screen[None]):
    CSS = """
    _StyledScreen Static.warn { color: red; }
    _StyledScreen #second { text-style: bold; }
    _StyledScreen Static:last-child { background: blue; }
    _StyledScreen VerticalScroll { overflow-y: scroll; height: 3; }
    """

    def compose(self) -> ComposeResult:
        yield Static("one", classes="warn")
        yield Static("two", id="second")
        yield Input()
        with VerticalScroll():
            yield Static("in a scroller")


async def test_a_new_screen_is_styled_once_with_the_styles_a_second_pass_would_give() -> None:
    apply_textual_patches()
    app = App[None]()
    async with app.run_test(size=(40, 10)) as pilot:
        screen = _StyledScreen()
        restyled: list[object] = []
        original = screen.update_node_styles
        screen.update_node_styles = lambda *a, **k: (restyled.append(a), original(*a, **k))[1]  # type: ignore[method-assign]
        await app.push_screen(screen)
        await wait_until(lambda: screen.stack_updates > 0 and not screen._layout_required)
        await pilot.pause()
        assert restyled == []  # the first resume did not style the whole screen again
        once = _styles_of(screen)
        assert any(rules.get("color") for _name, rules in once)  # our CSS reached it
        scroller = screen.query_one(VerticalScroll)
        assert scroller._vertical_scrollbar is not None  # its bar was styled, as the pass does
        assert scroller._vertical_scrollbar._bbs_styled_with is app.stylesheet.rules_map
        original(animate=False)  # what Textual's second pass would have done
        assert _styles_of(screen) == once


async def test_on_a_first_resume_only_nodes_styled_with_older_rules_are_styled_again() -> None:
    apply_textual_patches()
    app = App[None]()
    async with app.run_test(size=(40, 10)) as pilot:
        screen = _StyledScreen()
        await app.push_screen(screen)
        await pilot.pause()
        whole: list[object] = []
        original = screen.update_node_styles
        screen.update_node_styles = lambda *a, **k: (whole.append(a), original(*a, **k))[1]  # type: ignore[method-assign]
        some: list[list[Any]] = []
        update_nodes = app.stylesheet.update_nodes
        app.stylesheet.update_nodes = lambda nodes, animate=False: (  # type: ignore[method-assign]
            some.append(list(nodes)),
            update_nodes(some[-1], animate),
        )[1]
        second = screen.query_one("#second")
        second.styles.color = "green"  # not from CSS: the full pass leaves it too
        screen.stack_updates = 0  # as if it were its first resume
        second._bbs_styled_with = None  # styled before the stylesheet last changed
        screen._on_screen_resume(events.ScreenResume())
        assert whole == [] and some == [[second, screen.query_one(VerticalScroll)]]
        assert second._bbs_styled_with is app.stylesheet.rules_map
        screen.stack_updates = 1  # a screen coming back up gets the full pass
        screen._on_screen_resume(events.ScreenResume())
        assert len(whole) == 1


class _SharedStylesApp(App[None]):
    """Rules of every kind a match depends on: types, ids, classes, child and descendant
    combinators, pseudo-classes of the node and of its ancestors (the app's too),
    component classes, and `initial`."""

    CSS = """
    Static.warn { color: red; }
    #second { text-style: bold; }
    Vertical > Static { margin: 0 1; }
    Vertical Static:last-child { background: blue; }
    Static:first-child { height: initial; }
    Input:focus { text-style: underline; }
    .mono Input:focus { text-style: reverse; }
    Vertical:focus-within Static { color: green; }
    Button:disabled { color: grey; }
    OptionList > .option-list--option-highlighted { text-style: italic; }
    App:ansi Static#last { color: ansi_red; }
    """

    def compose(self) -> ComposeResult:
        yield Static("one", classes="warn")
        yield Static("two", id="second")
        yield Static("two and a half")
        with Vertical():
            yield Static("three", classes="warn")
            yield Input(id="field")
            yield Static("four", id="last")
        yield Button("off", disabled=True)
        yield OptionList("a", "b")


def _node_styles(node: Any) -> tuple[dict[str, Any], dict[str, Any], tuple[bool, ...]]:
    """A node's CSS rules, its component styles' rules, and its four style flags."""
    return (
        dict(node._css_styles.get_rules()),
        {name: dict(styles.get_rules()) for name, styles in node._component_styles.items()},
        (
            node._has_hover_style,
            node._has_focus_within,
            node._has_order_style,
            node._has_odd_or_even,
        ),
    )


async def test_nodes_styled_as_in_another_app_get_the_styles_textual_gives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    apply_textual_patches()
    textual_apply = patched_originals()["style_a_new_screen_once"]
    shared_apply = Stylesheet.apply
    checked: list[Any] = []
    wrong: list[Any] = []

    def checking(self: Stylesheet, node: Any, *, animate: bool = False, cache: Any = None) -> None:
        # Each styling, shared or not, is what Textual's own apply gives the node then.
        shared_apply(self, node, animate=animate, cache=cache)
        got = _node_styles(node)
        textual_apply(self, node, animate=False)
        if _node_styles(node) != got:
            wrong.append(node)  # (an assert here would be caught by the app, not the test)
        checked.append(node)

    monkeypatch.setattr(compat, "_shared_styles", {})
    for run in range(2):
        known = len(compat._shared_styles)
        app = _SharedStylesApp()
        async with app.run_test(size=(40, 20)) as pilot:
            await pilot.pause()
            if run == 1:
                # The same DOM in a second app: every node styled from what the first
                # app's nodes found (no new entry: nothing was matched afresh).
                assert len(compat._shared_styles) == known
                for node in app.screen.walk_children(with_self=True):
                    got = _node_styles(node)
                    textual_apply(app.stylesheet, node)
                    assert _node_styles(node) == got, node
            with monkeypatch.context() as each_checked:
                each_checked.setattr(Stylesheet, "apply", checking)
                for change in ("focus", "mono", "enable", "blur"):
                    before = len(checked)
                    if change == "focus":
                        app.screen.query_one("#field").focus()
                    elif change == "mono":
                        app.set_class(True, "mono")
                    elif change == "enable":
                        app.screen.query_one(Button).disabled = False
                    else:
                        app.screen.set_focus(None)
                    await pilot.pause()
                    assert len(checked) > before, change  # restyled, and checked
                # And all over again, as a theme change or a new screen's pass does it.
                app.stylesheet.update(app)
                assert len(checked) >= len(list(app.screen.walk_children(with_self=True)))
        assert wrong == []


def _base_state(node: Any) -> tuple[Any, ...]:
    """What styling leaves on a node: its base rules (in order), their change count, and
    (a widget's) scroll bars shown."""
    base = node.styles.base
    shown = (
        (node.show_horizontal_scrollbar, node.show_vertical_scrollbar)
        if isinstance(node, Widget)
        else ()
    )
    attributes = {
        name: value
        for name, value in vars(base).items()
        if name not in ("_rules", "_updates", "get_rule", "has_rule")
    }
    return list(base._rules.items()), base._updates, shown, attributes


async def test_a_new_node_styled_in_one_step_gets_what_textual_s_replace_rules_gives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    apply_textual_patches()
    in_one_step = compat._styled_fresh
    textual_replace = patched_originals()["styles_shared_across_apps_replace_rules"]
    done: list[Any] = []
    wrong: list[Any] = []

    def checking(node: Any, rules: Any) -> bool:
        base = node.styles.base
        before = base._updates
        if not in_one_step(node, rules):
            return False
        got = _base_state(node)
        # The same node, as it was, styled by Textual's own replace_rules.
        base._rules.clear()
        base._updates = before
        textual_replace(Stylesheet, node, rules)
        expected = _base_state(node)
        if sorted(got[0], key=repr) != sorted(expected[0], key=repr) or got[1:] != expected[1:]:
            wrong.append((node, got, expected))
        done.append(node)
        return True

    monkeypatch.setattr(compat, "_styled_fresh", checking)
    monkeypatch.setattr(compat, "_shared_styles", {})
    monkeypatch.setattr(compat, "_fresh_plans", {})
    for _run in range(2):
        app = _SharedStylesApp()
        async with app.run_test(size=(40, 20)) as pilot:
            await pilot.pause()
            app.screen.query_one("#field").focus()
            await pilot.pause()
    assert done and wrong == []
    # Rules that do more than set themselves are left to Textual.
    assert compat._fresh_plan({"display": "none"}) is None
    assert compat._fresh_plan({"overflow_y": "scroll"}) is None
    assert compat._fresh_plan({"pointer": "text"}) is None
    assert compat._fresh_plan({"auto_background": True})[3] == {"auto_background": True}
    assert compat._fresh_plan({"display": None}) is not None


async def test_a_node_styled_in_one_step_keeps_its_scroll_bars_refreshed() -> None:
    # A widget that shows a scroll bar before it is styled gets Textual's replace_rules
    # (a scroll bar colour set refreshes shown scroll bars): the step is not taken.
    apply_textual_patches()
    node = Static("x")
    node.show_vertical_scrollbar = True
    rules = {"scrollbar_color": Color(1, 2, 3)}
    assert compat._styled_fresh(node, rules) is False
    assert not node.styles.base._rules
    assert compat._styled_fresh(Static("y"), rules) is True


def test_shared_styles_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    apply_textual_patches()
    monkeypatch.setattr(compat, "_SHARED_STYLES_LIMIT", 2)
    monkeypatch.setattr(compat, "_shared_styles", {})
    monkeypatch.setattr(compat, "_candidates", {})

    class Three(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("a", id="a")
            yield Static("b", id="b")
            yield Static("c", id="c")

    async def run() -> None:
        async with Three().run_test() as pilot:
            await pilot.pause()

    asyncio.run(run())
    assert 0 < len(compat._shared_styles) <= 2
    assert 0 < len(compat._candidates) <= 2


class _ContentApp(App[None]):
    """The same texts in every app: a menu (its chosen line in reverse), a note in a theme
    colour, a line in a component class's style, a right-aligned line, and one too long."""

    CSS = """
    #right { text-align: right; }
    #long { text-wrap: wrap; }
    """

    def __init__(self, theme: str = "textual-dark") -> None:
        super().__init__()
        self._theme_name = theme

    def on_mount(self) -> None:
        self.theme = self._theme_name

    def compose(self) -> ComposeResult:
        menu = Content("\n").join(
            [Content(" B  Boards ").stylize("reverse"), Content(" M  Messages ")]
        )
        yield Static(menu, id="menu")
        yield Static(Content("a note").stylize("$accent"), id="accent")
        yield Static(Content("component").stylize(".no-such-class"), id="component")
        yield Static(Content("right"), id="right")
        yield Static(Content("word " * 30), id="long")


def _drawn(app: App[Any]) -> dict[str, list[list[Segment]]]:
    return {
        str(widget.id): [list(strip) for strip in widget.render_lines(widget.size.region)]
        for widget in app.screen.query(Static)
    }


async def test_content_is_rendered_once_for_every_app_and_drawn_as_textual_draws_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    apply_textual_patches()
    textual_render = patched_originals()["content_rendered_once_for_every_app"]
    textual_height = patched_originals()["content_rendered_once_for_every_app_get_height"]
    rendered: list[str] = []

    def counting(self: Content, *args: Any) -> Any:
        rendered.append(self.plain)
        return textual_render(self, *args)

    # Installed again, over Textual's render counted (all put back after the test).
    for name in ("render_strips", "get_height"):
        monkeypatch.setattr(Content, name, getattr(Content, name))
    monkeypatch.setattr(Content.render_strips, "_bbs_inner", counting, raising=False)
    monkeypatch.setattr(compat, "_originals", dict(compat._originals))
    monkeypatch.setattr(compat, "_content_heights", {})
    compat._content_rendered_once_for_every_app()
    drawings = []
    for theme in ("textual-dark", "textual-dark", "textual-light"):
        rendered.clear()
        app = _ContentApp(theme)
        async with app.run_test(size=(40, 20)) as pilot:
            await pilot.pause()
            shared = _drawn(app)
            drawings.append((rendered[:], shared))
            # What Textual itself draws: the same.
            with monkeypatch.context() as textual_only:
                textual_only.setattr(Content, "render_strips", textual_render)
                textual_only.setattr(Content, "get_height", textual_height)
                for widget in app.screen.query(Static):
                    widget._styles_cache.clear()
                    widget._dirty_regions.add(widget.size.region)
                assert _drawn(app) == shared
    first, again, light = drawings
    assert again[1] == first[1]
    # The second app rendered only what cannot be shared (a component class's style).
    assert again[0] == ["component"] and "a note" in first[0]
    # Another theme: a theme colour parses afresh, and draws in that theme's colour.
    assert "a note" in light[0] and light[1]["accent"] != first[1]["accent"]


def test_a_content_s_height_is_textual_s_at_every_width() -> None:
    apply_textual_patches()
    textual_height = patched_originals()["content_rendered_once_for_every_app_get_height"]
    content = Content("a few words and one longwordthatmustfold\n\n\tand a tab")
    for rules in ({}, {"text_wrap": "nowrap"}, {"text_overflow": "ellipsis"}, {"line_pad": 2}):
        for width in range(5, 60):
            expected = textual_height(Content(content.plain), rules, width)
            assert content.get_height(rules, width) == expected, (rules, width)
            assert content.get_height(rules, width) == expected  # the shared one too


def test_theme_colours_are_textual_s_and_each_app_gets_its_own_copy() -> None:
    apply_textual_patches()
    textual_generate = patched_originals()["theme_colours_worked_out_once"]
    for theme in BUILTIN_THEMES.values():
        colours = theme.to_color_system()
        expected = textual_generate(colours)
        first = colours.generate()
        assert first == expected, theme.name
        first["primary"] = "changed"  # an app's own copy
        assert theme.to_color_system().generate() == expected, theme.name
    assert ThemeColours("#ff0000").generate() != ThemeColours("#00ff00").generate()
    assert ThemeColours("#ff0000", dark=True).generate() != ThemeColours("#ff0000").generate()


def test_a_long_content_is_not_kept_for_every_app(monkeypatch: pytest.MonkeyPatch) -> None:
    apply_textual_patches()
    monkeypatch.setattr(compat, "_content_heights", {})
    long = Content("word " * 300)
    short = Content("word " * 10)
    for content in (long, short):
        content.get_height({}, 40)
    assert [key[1] for key in compat._content_heights] == [short.plain]


class _FlatScreen(Screen[None]):
    """A few texts, as the home screen has: no container whose own mount asks for more."""

    def compose(self) -> ComposeResult:
        yield Static("one")
        yield Static("two\nlines", id="second")
        yield Static("three")


class _FlatApp(App[None]):
    """Opens on a `_FlatScreen` (its first screen, as our app's home screen is)."""

    def __init__(self) -> None:
        super().__init__()
        self.layouts: list[object] = []
        self.frames: list[object] = []

    def get_default_screen(self) -> Screen[None]:
        screen = _FlatScreen()
        layout, frame = screen._refresh_layout, screen._compositor_refresh
        screen._refresh_layout = lambda *a, **k: (self.layouts.append(a), layout(*a, **k))[1]  # type: ignore[method-assign]
        screen._compositor_refresh = lambda: (self.frames.append(1), frame())[1]  # type: ignore[method-assign]
        return screen


async def test_a_new_screen_is_laid_out_and_drawn_once_as_it_comes_up() -> None:
    apply_textual_patches()
    app = _FlatApp()
    async with app.run_test(size=(40, 10)) as pilot:
        await wait_until(lambda: app.screen.stack_updates > 0)
        for _ in range(3):
            await pilot.pause()
        # Mounting its widgets asked for a layout and a repaint: the resume's layout did both.
        assert len(app.layouts) == 1 and len(app.frames) == 1
        assert not app.screen._layout_required and not app.screen._repaint_required
        assert app.screen.query_one("#second").size.height == 2


async def test_a_widget_hidden_before_and_after_asks_for_no_layout() -> None:
    apply_textual_patches()
    app = _FlatApp()
    async with app.run_test(size=(40, 10)) as pilot:
        await wait_until(lambda: app.screen.stack_updates > 0)
        await pilot.pause()
        screen = app.screen
        hidden = Static("never shown")
        hidden.display = False
        await screen.mount(hidden)
        await pilot.pause()
        before = len(app.layouts)
        hidden.refresh(layout=True)  # as a toast rack's scroll bar setting does on mount
        await pilot.pause()
        await pilot.pause()
        assert len(app.layouts) == before
        # One that was shown and hides is laid out: its room goes to the others.
        third = screen.query_one("#second", Static)
        third.display = False
        await wait_until(lambda: len(app.layouts) > before)
        await pilot.pause()
        assert third not in screen._compositor.widgets


async def test_what_is_asked_during_or_after_a_layout_still_runs() -> None:
    apply_textual_patches()
    app = App[None]()
    async with app.run_test(size=(40, 10)) as pilot:
        screen = _StyledScreen()
        await app.push_screen(screen)
        await pilot.pause()
        text = screen.query_one("#second", Static)
        layout = screen._refresh_layout

        def growing(*a: Any, **k: Any) -> None:
            layout(*a, **k)
            text.update("two\nlines")  # asked after the layout began: a layout of its own

        screen._refresh_layout = growing  # type: ignore[method-assign]
        screen.refresh(layout=True)
        await wait_until(lambda: text.size.height == 2)
        screen._refresh_layout = layout  # type: ignore[method-assign]
        # A scroll-only pass is no full layout: what was asked before it still runs.
        screen._layout_required = True
        screen._layout_widgets.clear()
        screen._refresh_layout(scroll=True)
        assert screen._layout_required
        await pilot.pause()


async def test_message_pumps_hold_no_deque_while_nothing_waits() -> None:
    apply_textual_patches()
    app = _FlatApp()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        pumps = [app, app.screen, *app.screen.walk_children()]
        for pump in pumps:
            assert not any(isinstance(v, deque) for v in _reachable(pump._message_queue))
            assert not any(isinstance(v, deque) for v in _reachable(pump._mounted_event))
            assert pump._mounted_event.is_set()
        # Messages still arrive, in order, and a pump waits for the next one.
        text = app.screen.query_one("#second", Static)
        for n in range(5):
            text.update(f"line {n}")
        await pilot.pause()
        assert str(text.render()) == "line 4"
        await pilot.press("tab")
        await pilot.pause()


def _reachable(obj: Any) -> list[Any]:
    """What an object holds in its slots or attributes."""
    slots = getattr(type(obj), "__slots__", ())
    held = [getattr(obj, name, None) for name in slots]
    return held + list(getattr(obj, "__dict__", {}).values())


async def test_a_light_queue_and_event_behave_as_asyncio_s() -> None:
    queue = compat._LightQueue()
    assert queue.empty() and queue.qsize() == 0
    with pytest.raises(asyncio.QueueEmpty):
        queue.get_nowait()
    reader = asyncio.ensure_future(queue.get())
    await asyncio.sleep(0)
    assert not reader.done()
    queue.put_nowait(1)
    queue.put_nowait(2)
    assert await reader == 1 and queue.qsize() == 1 and not queue.empty()
    assert queue.get_nowait() == 2 and queue.empty()
    cancelled = asyncio.ensure_future(queue.get())
    await asyncio.sleep(0)
    cancelled.cancel()
    await asyncio.sleep(0)
    queue.put_nowait(3)  # not lost to the cancelled reader
    assert await queue.get() == 3
    event = compat._LightEvent()
    waiters = [asyncio.ensure_future(event.wait()) for _ in range(2)]
    await asyncio.sleep(0)
    assert not event.is_set() and not any(w.done() for w in waiters)
    event.set()
    assert await asyncio.gather(*waiters) == [True, True] and event.is_set()
    assert await event.wait()
    event.clear()
    assert not event.is_set()


def test_parameters_are_counted_as_inspect_counts_them() -> None:
    apply_textual_patches()

    def wrapped(a: int, b: int) -> None: ...

    @functools.wraps(wrapped)
    def wrapper(*args: Any) -> None: ...

    def signed(a: int) -> None: ...

    signed.__signature__ = inspect.signature(wrapped)  # type: ignore[attr-defined]

    class Holder:
        def method(self, a: int, b: int = 0, *rest: int, c: int, **more: int) -> None: ...

        def only_rest(*args: Any) -> None: ...

        def __call__(self, a: int) -> None: ...

    def outer(n: int) -> Callable[..., None]:
        def closure(a: int, /, b: int, *, c: int = n) -> None: ...

        return closure

    holder = Holder()
    callables: list[Callable[..., Any]] = [
        lambda: None,
        lambda a, b=1: None,
        outer(1),
        outer(2),
        wrapper,
        signed,
        holder.method,
        holder.only_rest,
        Holder.method,
        holder,
        print,
        functools.partial(holder.method, 1),
        functools.partial(outer(3), 1, c=2),
    ]
    counted = textual_callback._count_parameters
    textual_s = patched_originals()["parameters_counted_from_the_code"]
    assert counted is not textual_s
    for function in callables:
        # Textual's count_parameters hands a partial's function, and a bound method's
        # function, to _count_parameters: each is counted as Textual counts it.
        for one in (function, getattr(function, "func", None), getattr(function, "__func__", None)):
            if one is not None:
                assert counted(one) == textual_s(one) == len(inspect.signature(one).parameters)


class _Handled(Static):
    def on_key(self, event: events.Key) -> None: ...

    @on(Button.Pressed)
    def any_press(self, event: Button.Pressed) -> None: ...


class _HandledMore(_Handled):
    def _on_key(self, event: events.Key) -> None: ...

    @on(Button.Pressed, "#ok")
    def ok_pressed(self, event: Button.Pressed) -> None: ...

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self, event: Button.Pressed) -> None: ...

    @on(events.Key)
    def any_key(self, event: events.Key) -> None: ...


class _Buttons(App[None]):
    def compose(self) -> ComposeResult:
        yield _HandledMore(id="handled")
        yield Button("OK", id="ok")
        yield Button("Cancel", id="cancel")


async def test_a_message_reaches_the_handlers_textual_s_walk_finds() -> None:
    apply_textual_patches()
    walk = patched_originals()["dispatch_planned_once_per_class"]
    app = _Buttons()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        handled = app.query_one(_HandledMore)
        ok, cancel = app.query_one("#ok", Button), app.query_one("#cancel", Button)

        def planned(name: str, message: Message) -> Any:
            return handled._get_dispatch_methods(name, message)

        def walked(name: str, message: Message) -> Any:
            return walk(handled, name, message)

        def reached(method: Any, name: str, message: Message, stop_after: int = 99) -> list[Any]:
            found = []
            for cls, handler in method(name, message):
                found.append((cls, handler.__func__))
                if len(found) == stop_after:
                    message.prevent_default()  # no further classes
            return found

        for _ in range(2):  # planned, then from the plan
            for make in (
                lambda: events.Key("a", "a"),
                lambda: Button.Pressed(ok),
                lambda: Button.Pressed(cancel),
                lambda: events.Mount(),
            ):
                for stop_after in (99, 1, 2):
                    message = make()
                    name = message.handler_name
                    assert reached(planned, name, message, stop_after) == reached(
                        walked, name, make(), stop_after
                    ), (message, stop_after)
        pressed = reached(planned, "on_button_pressed", Button.Pressed(ok))
        assert [function.__name__ for _cls, function in pressed] == ["ok_pressed", "any_press"]


async def test_app_driver_and_row_scroller_under_a_headless_driver() -> None:
    app = _Probe()
    assert app_driver(app) is None
    async with app.run_test(size=(40, 10)):
        assert app_driver(app) is not None
        assert row_scroller(app) is None  # Textual's own drivers cannot scroll a band


async def test_row_scroller_terminal_size_and_set_terminal_size_with_our_driver() -> None:
    link = TerminalLink(channel=Channel(), width=50, height=12)

    async def script(app: Any) -> None:
        driver = app_driver(app)
        assert isinstance(driver, SSHDriver) and row_scroller(app) is driver
        assert terminal_size(driver) == (50, 12) and app.size == (50, 12)
        set_terminal_size(driver, (60, 14))
        assert terminal_size(driver) == (60, 14)
        driver.resize(70, 16)  # a window change: the driver sets the size, the app reads it
        await wait_until(lambda: app.size == (70, 16), what="the app to read the new size")
        # The structured scroll goes out in order with what is written around it.
        await wait_until(lambda: not driver._out, what="the frame to go out")
        sent = len(link.channel.data)
        driver.write("\x1b[1;1Habove")
        driver.scroll_rows(2, 9, 1)
        driver.write("\x1b[10;1Hbelow")
        driver.flush()
        assert bytes(link.channel.data[sent:]).decode() == (
            "\x1b[1;1Habove" + scroll_sequence(2, 9, 1) + "\x1b[10;1Hbelow"
        )

    await run_with(link, script)


async def test_has_notifications() -> None:
    app = _Probe()
    async with app.run_test(size=(40, 10)):
        assert not has_notifications(app)
        app.notify("hello")
        await wait_until(lambda: has_notifications(app), what="the notification")


async def test_without_tooltips() -> None:
    async def children(tooltips: bool) -> list[str]:
        app = _Probe()
        if not tooltips:
            without_tooltips(app)
        seen: list[str] = []

        async def look() -> None:
            await wait_until(lambda: app.is_running and app.screen.is_mounted, what="the app")
            seen.extend(type(child).__name__ for child in app.screen.children)
            app.exit()

        task = asyncio.get_running_loop().create_task(look())
        await app.run_async(headless=True, size=(40, 10))
        await task
        return seen

    assert "Tooltip" in await children(tooltips=True)
    shown = await children(tooltips=False)
    assert "Tooltip" not in shown and "ToastRack" in shown  # notifications still shown


async def test_a_key_on_a_screen_without_a_tooltip_searches_no_children(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    apply_textual_patches()
    searched: list[type] = []
    search = Widget.get_child_by_type

    def counting(self: Widget, expect_type: type[Any]) -> Any:
        searched.append(expect_type)
        return search(self, expect_type)

    monkeypatch.setattr(Widget, "get_child_by_type", counting)
    app = _Probe()
    async with app.run_test(size=(40, 10), tooltips=False) as pilot:
        await pilot.press("a", "b")
        assert app.query_one("#field", Input).value == "ab"
        assert "Tooltip" not in [kind.__name__ for kind in searched]
    app = _Probe()
    async with app.run_test(size=(40, 10), tooltips=True) as pilot:
        # With a tooltip widget, a key still hides a shown tooltip.
        (tooltip,) = [c for c in app.screen.children if type(c).__name__ == "Tooltip"]
        tooltip.display = True
        await pilot.press("a")
        assert "Tooltip" in [kind.__name__ for kind in searched] and not tooltip.display


class _Reactives(Widget):
    plain = reactive(1)
    doubled = reactive(0)
    reads = 0

    def compute_doubled(self) -> int:
        self.reads += 1
        return self.plain * 2


class _Unstarted(Widget):
    plain = reactive(1)

    def __init__(self) -> None:
        pass  # no Widget.__init__: reading a reactive must still say so


async def test_reactive_reads_from_the_instance_still_compute_and_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    apply_textual_patches()
    originals = patched_originals()
    first, second = _Reactives(), _Reactives()
    for node in (first, second):
        assert node.plain == 1
    first.plain = 5
    assert (first.plain, second.plain) == (5, 1)
    # A reactive with a compute method is computed on every read, as before.
    assert first.doubled == 10 and first.doubled == 10 and first.reads >= 2
    first.set_reactive(_Reactives.plain, 7)
    assert first.plain == 7 and first.doubled == 14
    with pytest.raises(ReactiveError):
        _ = _Unstarted().plain
    # A second read of a plain reactive no longer goes through Textual's checks.
    calls: list[str] = []
    original = originals["reactive_reads_from_the_instance"]

    def counting(self: Any, obj: Any, obj_type: Any) -> Any:
        calls.append(self.name)
        return original(self, obj, obj_type)

    closure = {
        name: cell
        for name, cell in zip(
            Reactive.__get__.__code__.co_freevars,
            Reactive.__get__.__closure__ or (),
            strict=True,
        )
    }
    monkeypatch.setattr(closure["original"], "cell_contents", counting)
    assert second.plain == 1 and first.doubled == 14
    assert calls == ["doubled"]


async def test_layout_and_repaint_pending() -> None:
    app = _Probe()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        text = app.query_one("#text", Static)
        assert not layout_pending(app.screen) and not repaint_pending(text)
        text.refresh()
        assert repaint_pending(text)
        text.refresh(layout=True)
        assert layout_pending(app.screen) or layout_pending(text)
        await pilot.pause()
        assert not layout_pending(app.screen) and not repaint_pending(text)


async def test_forget_rendered_lines() -> None:
    app = _Probe()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        text = app.query_one("#text", Static)
        assert text._styles_cache._cache
        forget_rendered_lines(text)
        assert not text._styles_cache._cache


class _Lines(Widget):
    """Rows that scroll up by one on `add` (as the room feed's do)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows = [f"row {n}" for n in range(20)]

    def render_line(self, y: int) -> Strip:
        return Strip([Segment(self.rows[len(self.rows) - self.size.height + y])])


class _LinesApp(App[None]):
    def compose(self) -> ComposeResult:
        yield _Lines()


async def test_shift_rendered_lines_keeps_the_rows_still_shown_and_draws_the_new_ones() -> None:
    app = _LinesApp()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        lines = app.query_one(_Lines)
        height = lines.size.height
        full = lines.region.reset_offset
        lines.render_lines(full)
        before = dict(lines._styles_cache._cache)
        assert len(before) == height
        lines.rows.append("row new")
        shift_rendered_lines(lines, 1)
        cached = dict(lines._styles_cache._cache)
        # The rows still shown kept their render, moved up; the freed bottom row is not kept.
        assert all(cached[y] is before[y + 1] for y in range(height - 1))
        assert height - 1 not in cached
        after = lines.render_lines(full)
        assert [strip.text.rstrip() for strip in after] == [f"row {n}" for n in range(11, 20)] + [
            "row new"
        ]
        # With a line marked dirty, the cache is forgotten instead.
        lines._styles_cache.set_dirty(Region(0, 2, 40, 1))
        shift_rendered_lines(lines, 1)
        assert not lines._styles_cache._cache


async def test_own_key_bindings() -> None:
    app = _Probe()
    async with app.run_test(size=(40, 10)):
        field = app.query_one("#field", Input)
        bindings = own_key_bindings(field, "home")
        assert bindings and all(isinstance(b, Binding) for b in bindings)
        assert bindings[0].action == "home"
        assert own_key_bindings(field, "f24") == []


def test_set_color_system() -> None:
    app = App[None]()
    names = {
        ColorSystem.STANDARD: "standard",
        ColorSystem.EIGHT_BIT: "256",
        ColorSystem.TRUECOLOR: "truecolor",
    }
    for system, name in names.items():
        set_color_system(app.console, system)
        assert app.console.color_system == name


def test_use_line_filter() -> None:
    app = App[None]()
    no_color = NoColor()
    use_line_filter(app, no_color, True)
    use_line_filter(app, no_color, True)
    assert app._filters.count(no_color) == 1
    use_line_filter(app, no_color, False)
    assert no_color not in app._filters


async def test_a_quiet_crash_app_reports_the_error_and_closes() -> None:
    seen: list[BaseException | None] = []

    class Crashes(QuietCrashApp[int]):
        def crashed(self, error: BaseException | None) -> None:
            seen.append(error)

    app = Crashes()

    def boom() -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        async with app.run_test(size=(40, 10)) as pilot:
            app.call_later(boom)
            await wait_until(lambda: seen, what="the crash to be reported")
            await pilot.pause()
    assert isinstance(seen[0], RuntimeError)
    assert not app._exit_renderables  # no traceback (with locals) printed on exit
    assert not app.is_running


async def test_stop_watching_and_the_editor_lets_go_of_the_theme() -> None:
    class Editors(App[None]):
        def compose(self) -> ComposeResult:
            yield TextArea(id="plain")
            yield BBSTextArea(id="ours")

    app = Editors()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        plain = app.query_one("#plain", TextArea)
        ours = app.query_one("#ours", BBSTextArea)

        def watching() -> list[object]:
            return [node for node, _cb in getattr(app, "__watchers", {}).get("theme", [])]

        assert plain in watching() and ours in watching()
        stop_watching(app, "theme", plain)
        assert plain not in watching() and ours in watching()
        await ours.remove()
        await pilot.pause()
        assert ours not in watching()


# -- the terminal parser and message plumbing ------------------------------------------------
def test_the_uncached_parser_parses_keys_waits_after_esc_and_releases() -> None:
    parser = UncachedXTermParser(debug=False)
    assert hasattr(UncachedXTermParser.__mro__[1]._parse_extended_key, "__wrapped__")
    keys = [e.key for e in parser.feed("a\x1b[A\x1b[1;5C") if isinstance(e, events.Key)]
    assert keys == ["a", "up", "ctrl+right"]
    assert not parser.waiting_for_more
    list(parser.feed("\x1b"))
    assert parser.waiting_for_more
    parser.release()
    assert not parser._tokens


async def test_stopped_before_and_is_closing() -> None:
    app = _Probe()
    async with app.run_test(size=(40, 10)) as pilot:
        text = app.query_one("#text", Static)
        screen = app.screen
        message = Message().set_sender(text)
        assert not stopped_before(message, screen)
        message.stop()
        assert stopped_before(message, screen)
        message.set_sender(screen)
        assert not stopped_before(message, screen)  # passed up to its own sender
        assert not is_closing(text) and not is_closing(app)
        await text.remove()
        await pilot.pause()
        assert is_closing(text)


def test_takes_no_arguments() -> None:
    @takes_no_arguments
    class Callback:
        __slots__ = ()

        def __call__(self) -> None: ...

    assert count_parameters(Callback()) == 0
    assert Callback._param_count == 0  # type: ignore[attr-defined]


# -- nothing else reaches in --------------------------------------------------------------
def _private_names(source: str) -> set[str]:
    """Private names a module defines: attributes it sets, functions, class attributes."""
    tree = ast.parse(source)
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
    return {name for name in names if name.startswith("_") and not name.startswith("__")}


def test_no_module_but_the_compat_module_touches_textual_s_private_attributes() -> None:
    import rich
    import textual

    root = Path(__file__).resolve().parents[2]
    theirs: set[str] = set()
    for package in (textual, rich):
        for path in Path(package.__file__).parent.rglob("*.py"):
            theirs |= _private_names(path.read_text(encoding="utf-8"))
    ours_files = [
        p
        for package in ("bbs", "screens", "server", "plain")
        for p in (root / package).rglob("*.py")
        if p.name != "textual_compat.py"
    ]
    ours: set[str] = set()
    for path in ours_files:
        ours |= _private_names(path.read_text(encoding="utf-8"))
    found = []
    for path in ours_files:
        if path.parts[-2] not in ("screens", "server"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                (isinstance(node, ast.Attribute) and node.attr in theirs - ours)
                or (
                    isinstance(node, ast.ImportFrom) and (node.module or "").startswith("textual._")
                )
                or (isinstance(node, ast.Attribute) and "__" in node.attr.strip("_"))
            ):
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    assert not found, f"Textual private access outside screens/textual_compat.py: {found}"


def test_takes_typed_answers_as_the_protocols_do_once_per_class() -> None:
    from textual.widgets import Input

    from screens.rooms import RoomInput
    from screens.textual_compat import TakesTypedLine, TakesTypedText, takes_typed
    from screens.widgets import TextField

    class TextOnly:
        def type_text(self, text: str) -> None:
            pass

    for widget in (
        Input(),
        TextField(),
        RoomInput(),
        TextOnly(),
        None,
        TextOnly(),
        RoomInput(),
    ):
        assert takes_typed(widget) == (
            isinstance(widget, TakesTypedText),
            isinstance(widget, TakesTypedLine),
        )
    assert takes_typed(RoomInput()) == (True, True)
    assert takes_typed(TextOnly()) == (True, False)
    assert takes_typed(None) == (False, False)


class _SameLinesApp(App[None]):
    """Widgets every session draws alike (a menu, a bordered and titled note, a padded
    line in a theme colour), and one line that differs per app (a member's name)."""

    CSS = """
    #boxed { border: round $accent; border-title-align: center; height: 5; }
    #padded { padding: 0 2; background: $panel; }
    """

    def __init__(self, name: str, theme: str = "textual-dark", mono: bool = False) -> None:
        super().__init__()
        self._member = name
        self._theme_name = theme
        self._mono = mono

    def on_mount(self) -> None:
        self.theme = self._theme_name
        if self._mono:
            use_line_filter(self, NoColor(), True)

    def compose(self) -> ComposeResult:
        yield Static(Content("\n").join([Content(" B  Boards ").stylize("reverse")]), id="menu")
        boxed = Static(Content("a note"), id="boxed")
        boxed.border_title = "Title"
        yield boxed
        yield Static(Content("padded").stylize("$accent"), id="padded")
        yield Static(Content(self._member), id="member")


def _all_drawn(app: App[Any]) -> dict[str, list[list[Segment]]]:
    drawn = _drawn(app)
    drawn["screen"] = [list(line) for line in app.screen.render_lines(app.screen.size.region)]
    return drawn


async def test_widget_lines_are_drawn_once_for_every_app_as_textual_draws_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    apply_textual_patches()
    textual_render = patched_originals()["widget_lines_drawn_once_for_every_app"]
    drawn_by_textual: list[str] = []

    def counting(self: StylesCache, *args: Any) -> Any:
        size, crop = args[1], args[10]
        if crop == size.region:  # a whole widget (a part is always Textual's to draw)
            drawn_by_textual.append(str(getattr(args[4].__self__, "id", None)))
        return textual_render(self, *args)

    # Installed again, over Textual's render counted (all put back after the test).
    monkeypatch.setattr(StylesCache, "render", StylesCache.render)
    monkeypatch.setattr(StylesCache.render, "_bbs_inner", counting, raising=False)
    monkeypatch.setattr(compat, "_originals", dict(compat._originals))
    compat._widget_lines_drawn_once_for_every_app()
    drawings = []
    for name, theme, mono in (
        ("alice", "textual-dark", False),
        ("bob", "textual-dark", False),
        ("alice", "textual-dark", True),
        ("alice", "textual-light", False),
    ):
        drawn_by_textual.clear()
        app = _SameLinesApp(name, theme, mono)
        async with app.run_test(size=(40, 20)) as pilot:
            await pilot.pause()
            shared = _all_drawn(app)
            drawings.append((sorted(set(drawn_by_textual)), shared))
            # What Textual itself draws: the same, line filters included.
            with monkeypatch.context() as textual_only:
                textual_only.setattr(StylesCache, "render", textual_render)
                for widget in [app.screen, *app.screen.query(Static)]:
                    widget._styles_cache.clear()
                    widget._dirty_regions.add(widget.size.region)
                assert _all_drawn(app) == shared
    alice, bob, mono, light = drawings
    assert {"menu", "boxed", "padded", "member", "_default"} <= set(alice[0])
    # The next app drew only its member's line; each member sees their own name.
    assert bob[0] == ["member"]
    assert "bob" in Strip(bob[1]["member"][0]).text
    assert "alice" in Strip(alice[1]["member"][0]).text
    assert "bob" not in str(alice[1]) and "alice" not in str(bob[1])
    # Monochrome: the shared lines, with the app's own filter applied; nothing drawn anew.
    assert mono[0] == [] and mono[1] != alice[1]
    # Another theme: drawn anew, in its colours.
    assert {"menu", "boxed", "padded"} <= set(light[0]) and light[1]["padded"] != alice[1]["padded"]


async def test_lines_drawn_for_one_colour_system_are_not_handed_to_another() -> None:
    # A Strip keeps the escape codes of the first console that writes it out.
    apply_textual_patches()
    drawn = StylesCache.render._bbs_drawn  # type: ignore[attr-defined]
    systems = []
    for system in (ColorSystem.TRUECOLOR, ColorSystem.EIGHT_BIT):
        app = _SameLinesApp("alice")
        async with app.run_test(size=(40, 20)) as pilot:
            await pilot.pause()
            set_color_system(app.console, system)
            padded = app.query_one("#padded", Static)
            padded._styles_cache.clear()
            padded._dirty_regions.add(padded.size.region)
            padded.render_lines(padded.region.size.region)
            systems.append({key[7] for key in drawn.keys() if key[1][1] == "padded"})
    assert ColorSystem.TRUECOLOR in systems[0]
    assert ColorSystem.EIGHT_BIT in systems[1] - systems[0]


def test_widget_lines_kept_for_every_app_are_bounded() -> None:
    apply_textual_patches()
    drawn = StylesCache.render._bbs_drawn  # type: ignore[attr-defined]
    assert isinstance(drawn, LRUCache) and drawn.maxsize == compat._LINES_LIMIT == 128


def test_the_rule_sets_shared_by_drawn_lines_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compat, "_DRAWN_RULE_SETS_LIMIT", 2)
    monkeypatch.setattr(compat, "_drawn_rule_sets", {})
    first = compat._drawn_rules({"color": Color(1, 2, 3)})
    assert compat._drawn_rules({"color": Color(1, 2, 3)}) is first  # one copy
    for n in range(5):
        compat._drawn_rules({"padding": n})
    assert len(compat._drawn_rule_sets) <= 2


def _console_for(system: ColorSystem) -> Any:
    from rich.console import Console

    console = Console(force_terminal=True, color_system="truecolor", width=40)
    compat.set_color_system(console, system)
    return console


def test_each_colour_system_gets_its_own_codes_for_a_shared_style_and_line() -> None:
    # One style object and one strip, as apps share them, drawn first for a truecolor
    # session and then for a 256- and a 16-colour one: each gets its own terminal's codes.
    apply_textual_patches()
    from rich.style import Style as RichStyle

    style = RichStyle(color="#a1b2c3", bgcolor="#102030", bold=True)
    strip = Strip([Segment("hello ", style), Segment("there")])
    truecolor = strip.render(_console_for(ColorSystem.TRUECOLOR))
    eight_bit = strip.render(_console_for(ColorSystem.EIGHT_BIT))
    standard = strip.render(_console_for(ColorSystem.STANDARD))
    assert "38;2;161;178;195" in truecolor and "48;2;16;32;48" in truecolor
    assert "38;2;" not in eight_bit and "38;5;" in eight_bit and "48;5;" in eight_bit
    assert "38;2;" not in standard and "38;5;" not in standard and "48;5;" not in standard
    assert all("hello " in line and line.endswith("there") for line in (eight_bit, standard))
    # And back: each again, in any order (a line is kept on the strip for 256 colours).
    assert strip.render(_console_for(ColorSystem.TRUECOLOR)) == truecolor
    assert strip.render(_console_for(ColorSystem.EIGHT_BIT)) == eight_bit
    joined = Strip.join([strip, Strip([Segment("!", style)])])
    assert "38;2;" not in joined.render(_console_for(ColorSystem.EIGHT_BIT))
    assert "38;5;" not in joined.render(_console_for(ColorSystem.TRUECOLOR))
    fresh = Strip([Segment("y", style)])
    assert "38;5;" in fresh.render(_console_for(ColorSystem.EIGHT_BIT))
    assert "38;2;" in fresh.render(_console_for(ColorSystem.TRUECOLOR))
    assert Strip([Segment("x", style)]).render(_console_for(ColorSystem.EIGHT_BIT)) == (
        Strip.render_style(style, "x", ColorSystem.EIGHT_BIT)
    )
