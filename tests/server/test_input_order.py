"""Input is handled in the order it arrived, however fast it comes (issue 16).

Textual hands each key to the focused widget through its queue, and runs the bindings
that move focus or open screens (Tab, Shift+Tab, a screen's keys) only once the key has
bubbled back up to the app. A burst ("name<Tab>password" from a password manager, a
paste followed at once by Ctrl+S) used to be handed over whole before the first of
those bindings ran, so keys landed in the wrong field and a send missed the paste.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar

from driver_harness import Channel, driver_of, wait_until
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen

from screens.compose import PostEditor
from screens.widgets import TextField
from server.driver import SSHDriver, TerminalLink
from server.textual_patches import apply_textual_patches

TAB, SHIFT_TAB, CTRL_S = b"\t", b"\x1b[Z", b"\x13"


class _Second(Screen[None]):
    def compose(self) -> ComposeResult:
        yield TextField(id="there")

    def on_mount(self) -> None:
        self.query_one("#there", TextField).focus()


class _Loading(Screen[None]):
    """A dialog that reads something before it puts the cursor in its field."""

    def compose(self) -> ComposeResult:
        yield TextField(id="there")

    async def on_mount(self) -> None:
        await asyncio.sleep(0.05)  # a database read, as the compose screen's draft
        self.query_one("#there", TextField).focus()


class Form(App[None]):
    """Three fields, a screen key that opens another screen, and a priority send key."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "send", "Send", priority=True),
        Binding("f5", "open", "Open"),
    ]

    def __init__(self, link: TerminalLink) -> None:
        super().__init__(driver_class=SSHDriver)
        self.terminal_link = link
        self.sent: list[str] = []
        self.values: tuple[str, str] = ("", "")

    def compose(self) -> ComposeResult:
        yield TextField(id="one")
        yield TextField(id="two")
        yield PostEditor(id="body", tab_behavior="focus")

    def value(self, name: str) -> str:
        return self.query_one(f"#{name}", TextField).value

    def action_send(self) -> None:
        self.sent.append(self.query_one("#body", PostEditor).text)

    def action_open(self) -> None:
        self.push_screen(_Second())


async def _run(script: object) -> Form:
    apply_textual_patches()
    link = TerminalLink(Channel(), 80, 24)
    app = Form(link)

    async def drive() -> None:
        try:
            await wait_until(
                lambda: link.driver is not None and app.focused is not None, what="the form"
            )
            await script(app, driver_of(link))  # type: ignore[operator]
            if isinstance(app.screen, Screen) and app.screen.query("#one"):
                app.values = (app.value("one"), app.value("two"))
        finally:
            app.exit()

    task = asyncio.get_running_loop().create_task(drive())
    await app.run_async()
    await task
    return app


async def test_tab_in_a_burst_moves_on_before_the_keys_behind_it() -> None:
    async def script(app: Form, driver: SSHDriver) -> None:
        driver.feed(b"heron" + TAB + b"a quiet harbour" + TAB + b"body text" + CTRL_S)
        await wait_until(lambda: app.sent, what="the send")

    app = await _run(script)
    assert (app.values, app.sent) == (("heron", "a quiet harbour"), ["body text"])


async def test_shift_tab_in_a_burst_goes_back_before_the_keys_behind_it() -> None:
    async def script(app: Form, driver: SSHDriver) -> None:
        # Focusing a field selects what it holds, so "x" replaces "first", as when typed
        # slowly.
        driver.feed(b"first" + TAB + b"second" + SHIFT_TAB + b"x" + TAB + TAB + b"!" + CTRL_S)
        await wait_until(lambda: app.sent, what="the send")

    app = await _run(script)
    assert (app.values, app.sent) == (("x", "second"), ["!"])


async def test_keys_typed_behind_a_key_that_opens_a_screen_land_in_that_screen() -> None:
    async def script(app: Form, driver: SSHDriver) -> None:
        driver.feed(b"\x1b[15~hello")  # F5 opens a screen whose field takes focus

        def landed() -> bool:
            # The new screen may be current a moment before its field is mounted.
            fields = app.screen.query("#there") if isinstance(app.screen, _Second) else None
            return bool(fields) and fields.only_one(TextField).value == "hello"  # type: ignore[union-attr]

        await wait_until(landed, what="hello in the new screen's field")

    await _run(script)


async def test_a_send_key_right_after_a_long_paste_sends_the_paste() -> None:
    pasted = ("fifteen thousand characters of a long post, pasted at once. " * 250)[:15_000]

    async def script(app: Form, driver: SSHDriver) -> None:
        driver.feed(TAB + TAB)
        driver.feed(b"\x1b[200~" + pasted.encode() + b"\x1b[201~" + b" and more" + CTRL_S)
        await wait_until(lambda: app.sent, what="the send")

    app = await _run(script)
    assert app.sent == [pasted + " and more"]


async def test_keys_typed_behind_a_key_whose_worker_opens_a_dialog_land_in_the_dialog() -> None:
    # Dialogs here are opened from workers (push_screen_wait), a moment after the key.
    class Opener(Form):
        BINDINGS: ClassVar[list[BindingType]] = [Binding("f6", "ask", "Ask")]

        def action_ask(self) -> None:
            self.run_worker(self._ask(), exclusive=True)

        async def _ask(self) -> None:
            await self.push_screen_wait(_Loading())

    apply_textual_patches()
    link = TerminalLink(Channel(), 80, 24)
    app = Opener(link)
    typed: list[str] = []

    async def drive() -> None:
        try:
            await wait_until(lambda: link.driver is not None and app.focused is not None)
            driver_of(link).feed(b"\x1b[17~hello")

            def there() -> str:
                fields = app.screen.query("#there").results(TextField)
                return next((f.value for f in fields), "")

            await wait_until(lambda: bool(there()), what="typing in the dialog")
            await wait_until(lambda: there() == "hello", timeout=1, what="all of it")
            typed.append(there())
        finally:
            app.exit()

    task = asyncio.get_running_loop().create_task(drive())
    await app.run_async()
    await task
    assert typed == ["hello"]


async def test_keys_that_came_together_reach_a_room_line_as_one_in_their_order() -> None:
    # A line typed ahead arrives in one read: the room's field takes its printable keys
    # and the Enter behind them as one message (textual_compat.TypedText), and each Enter
    # still ends a line with only the keys before it.
    from textual.widgets import Input

    from screens.rooms import RoomInput
    from screens.textual_compat import TypedText

    runs: list[tuple[str, bool]] = []

    class Counting(RoomInput):
        def _on_typed_text(self, message: TypedText) -> None:
            runs.append((message.text, message.enter))  # RoomInput's handler runs next

    class Room(App[None]):
        def __init__(self, link: TerminalLink) -> None:
            super().__init__(driver_class=SSHDriver)
            self.terminal_link = link
            self.said: list[str] = []

        def compose(self) -> ComposeResult:
            yield Counting(id="say")

        def on_mount(self) -> None:
            self.query_one(Counting).focus()

        def on_input_submitted(self, event: Input.Submitted) -> None:
            self.said.append(event.value)

    apply_textual_patches()
    link = TerminalLink(Channel(), 80, 24)
    app = Room(link)
    lines = ["feeling a bit better today, thanks all", "x", "ünïcode and 😊 too"]

    async def drive() -> None:
        try:
            await wait_until(lambda: link.driver is not None and app.focused is not None)
            driver_of(link).feed("\r".join(lines).encode() + b"\r" + b"after")
            await wait_until(lambda: len(app.said) == 3, what="three lines")
            await wait_until(lambda: app.query_one(Counting).value == "after", what="the rest")
        finally:
            app.exit()

    task = asyncio.get_running_loop().create_task(drive())
    await app.run_async()
    await task
    assert app.said == lines
    # Each line's keys go as one, with the Enter behind them (in the same handler, so no
    # frame shows a typed line a moment before it goes); the last keys have no Enter yet.
    assert runs == [(lines[0], True), ("x", True), (lines[2], True), ("after", False)]
