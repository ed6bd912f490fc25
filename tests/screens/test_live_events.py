"""`screens.live.Live`: bus events handled in the receiving member's own session."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from support import settle
from textual._context import active_app
from textual.app import App, ComposeResult
from textual.widgets import Static

from bbs.events import Event, LocalEventBus
from screens.live import Live


@dataclass(frozen=True)
class Ping(Event):
    kind: ClassVar[str] = "test_ping"
    n: int


class Listener(Static):
    def __init__(self, bus: LocalEventBus, *, coalesce: float = 0.0) -> None:
        super().__init__()
        self.bus = bus
        self.coalesce = coalesce
        self.calls: list[tuple[list[int], Any]] = []
        self.live: Live | None = None

    def on_mount(self) -> None:
        self.live = Live(self, self._heard, coalesce=self.coalesce)
        self.live.topic(self.bus, "t")

    def on_unmount(self) -> None:
        if self.live is not None:
            self.live.close()

    def _heard(self, events: list[Event]) -> None:
        # Which app is "the app" while the handler runs: the one this widget lives in.
        self.calls.append(([e.n for e in events if isinstance(e, Ping)], active_app.get()))


class OneApp(App[None]):
    def __init__(self, bus: LocalEventBus, *, coalesce: float = 0.0) -> None:
        super().__init__()
        self.listener = Listener(bus, coalesce=coalesce)

    def compose(self) -> ComposeResult:
        yield self.listener


async def test_the_handler_runs_in_the_receiving_app_not_the_publishers() -> None:
    bus = LocalEventBus()
    sender, receiver = OneApp(bus), OneApp(bus)
    async with sender.run_test() as sent, receiver.run_test() as got:
        await settle(got, lambda: bus.subscriber_count("t") == 2, "both listen")

        def publish() -> None:
            # Published from the sender's session, as a sysop's action would be.
            assert active_app.get() is sender
            bus.publish("t", Ping(1))
            bus.publish("t", Ping(2))

        sender.call_later(publish)
        await settle(got, lambda: receiver.listener.calls, "the receiver hears it")
        await settle(sent, lambda: sender.listener.calls, "the sender hears it too")
        assert receiver.listener.calls == [([1, 2], receiver)]
        assert sender.listener.calls == [([1, 2], sender)]


async def test_events_close_together_reach_the_handler_once() -> None:
    bus = LocalEventBus()
    app = OneApp(bus, coalesce=0.2)
    async with app.run_test() as pilot:
        await settle(pilot, lambda: bus.subscriber_count("t") == 1, "it listens")
        for n in range(50):
            bus.publish("t", Ping(n))
        await settle(pilot, lambda: sum(len(c[0]) for c in app.listener.calls) == 50, "all 50")
        assert len(app.listener.calls) <= 2  # the first at once, the rest in one batch


async def test_a_removed_widget_hears_nothing_and_leaves_the_bus() -> None:
    bus = LocalEventBus()
    app = OneApp(bus)
    async with app.run_test() as pilot:
        await settle(pilot, lambda: bus.subscriber_count("t") == 1, "it listens")
        listener = app.listener
        await listener.remove()
        bus.publish("t", Ping(1))
        await pilot.pause()
        assert bus.subscriber_count("t") == 0
        assert listener.calls == []
        assert listener.live is not None and listener.live.closed


async def test_a_node_gone_without_closing_closes_its_live_on_the_next_event() -> None:
    bus = LocalEventBus()
    app = OneApp(bus)
    async with app.run_test() as pilot:
        await settle(pilot, lambda: bus.subscriber_count("t") == 1, "it listens")
        listener = app.listener
        live = listener.live
        assert live is not None
        listener.live = None  # as if its on_unmount forgot to close it
        await listener.remove()
        assert bus.subscriber_count("t") == 1
        bus.publish("t", Ping(1))
        await settle(pilot, lambda: live.closed, "the stale Live closes itself")
        assert bus.subscriber_count("t") == 0 and listener.calls == []


async def test_the_receiving_node_decides_even_when_subscribed_from_another_session() -> None:
    """The bus alone would run the wake-up where the subscription was made; Live does not."""
    bus = LocalEventBus()
    sender, receiver = OneApp(bus), OneApp(bus)
    seen: list[Any] = []
    async with sender.run_test() as sent, receiver.run_test() as got:

        def subscribe_here() -> None:
            assert active_app.get() is sender
            live = Live(receiver.listener, lambda _events: seen.append(active_app.get()))
            live.topic(bus, "u")
            bus.publish("u", Ping(1))

        sender.call_later(subscribe_here)
        await settle(sent, lambda: bus.subscriber_count("u") == 1, "subscribed")
        await settle(got, lambda: seen, "the receiver's handler ran")
        assert seen == [receiver]
