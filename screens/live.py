"""Live events for the app, a screen or a widget, handled in that member's own session.

Every screen and widget that hears the bus does it through `Live`: one mechanism, so work
caused by another member's action (a sysop's suspension, a line in a room, a cheer) runs
as the member who receives it, never as the one who caused it.

The bus calls a subscription's wake-up from whatever code published: another member's
session, the follower of posted events, a timer. `Live` does no work there. It schedules
the handler in the receiving node's own context: the context is taken from inside the
node's own message loop (a callback posted to it with Textual's `call_later` as the `Live`
is made), so the handler runs with the node's app, screen and member whichever session
made the subscription, and never after the node has gone. Until that context is known, a
delivery itself goes through the node's message queue. The handler gets every event
queued since the last call, oldest first.

Use:

    def on_mount(self) -> None:
        self._live = Live(self, self._news)
        self._live.topic(bus, ANNOUNCE_TOPIC)

    def on_unmount(self) -> None:
        self._live.close()

A node that is gone when events arrive closes its `Live` itself as well.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from textual.app import App
from textual.message_pump import MessagePump
from textual.widget import Widget

from bbs.events import DEFAULT_QUEUE_SIZE, Event, EventBus, Subscription

# Synchronous, and quick: slow work (a store read) goes to a worker it starts.
Handler = Callable[[list[Event]], None]
Subscribe = Callable[[Callable[[], None]], Subscription]

log = logging.getLogger(__name__)


class Live:
    """Subscriptions for one node; the handler runs in that node's own message loop."""

    def __init__(self, node: MessagePump, handler: Handler, *, coalesce: float = 0.0) -> None:
        self._node = node
        self._handler = handler
        # At most one handler call per `coalesce` seconds (a busy room: one frame, not one
        # per line); 0 calls it as soon as the node gets to it.
        self._coalesce = coalesce
        self._subscriptions: list[Subscription] = []
        self._posted = False
        self._timer: asyncio.TimerHandle | None = None
        self._last = 0.0
        self._closed = False
        # The node's own context and loop, taken inside its message loop (`_capture`).
        self._context: contextvars.Context | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        # True while the handler runs if a subscription dropped events for being behind.
        self.overflowed = False
        if not node.call_later(self._capture):
            self._closed = True  # the node is closing: it will hear nothing

    def _capture(self) -> None:
        # Runs in the node's own message loop: this is the context its handler needs.
        if self._context is None:
            self._context = contextvars.copy_context()
            self._loop = asyncio.get_running_loop()

    @property
    def closed(self) -> bool:
        return self._closed

    def topic(self, bus: EventBus, topic: str, *, maxsize: int = DEFAULT_QUEUE_SIZE) -> None:
        """Hear `topic` on `bus`."""
        self.follow(lambda wake: bus.subscribe(topic, maxsize=maxsize, on_event=wake))

    def follow(self, subscribe: Subscribe) -> None:
        """Hear what a service's own subscribe call gives (it is handed the wake-up)."""
        if self._closed:
            return
        self._subscriptions.append(subscribe(self._arrived))

    def close(self) -> None:
        """Unsubscribe from everything; nothing more reaches the handler."""
        self._closed = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        for subscription in self._subscriptions:
            subscription.unsubscribe()
        self._subscriptions = []

    # -- from the publisher's side: schedule, never work ---------------------------------
    def _arrived(self) -> None:
        if self._closed or self._posted or self._timer is not None:
            return
        wait = self._coalesce - (time.monotonic() - self._last)
        if wait > 0:
            self._timer = asyncio.get_running_loop().call_later(wait, self._post)
        else:
            self._post()

    def _post(self) -> None:
        self._timer = None
        if self._closed:
            return
        if self._context is not None and self._loop is not None:
            # In the receiving node's own context, without a message through its queue.
            self._posted = True
            self._loop.call_soon(self._deliver, context=self._context)
            return
        # Through the node's own queue: the handler runs in its task and context.
        self._posted = self._node.call_later(self._deliver)
        if not self._posted:
            self.close()  # the node is closing: it hears nothing more

    # -- in the receiving node's own message loop ----------------------------------------
    def _gone(self) -> bool:
        node = self._node
        if isinstance(node, App):
            return not node.is_running
        if isinstance(node, Widget):
            return not node.is_attached
        return False

    def _deliver(self) -> None:
        self._posted = False
        self._last = time.monotonic()
        if self._closed:
            return
        self._capture()
        if self._gone():
            self.close()
            return
        events: list[Event] = []
        overflowed = False
        for subscription in self._subscriptions:
            overflowed = overflowed or subscription.overflowed
            events.extend(subscription.drain())
        if not events and not overflowed:
            return
        self.overflowed = overflowed
        try:
            self._handler(events)
        except Exception:
            # One widget's mistake never stops the session from hearing the bus.
            log.exception("live event handler failed")


W = TypeVar("W", bound=Widget)


class HomePart(Generic[W]):
    """A part of the home screen that is built only once it has something to show.

    Most members log in with no room event today, no check-in due and no news from the
    moderators: widgets composed only to be hidden would cost every login their compose,
    mount, style and layout. The part (not a widget) keeps the data, and the screen keeps
    the part's live subscriptions (a `Live` on the screen: still run in the receiving
    member's own session). The widget is composed with the screen when there is something
    to show at login, or built and mounted in its place (`place`) when the first content
    arrives later; from then on it is updated, and hidden again when empty, as before.
    """

    def __init__(self) -> None:
        self.widget: W | None = None
        self._place: Callable[[W], bool] | None = None

    @property
    def visible(self) -> bool:
        """True when there is something to show."""
        raise NotImplementedError

    def build(self) -> W:
        """The widget, drawn with what there is to show now."""
        raise NotImplementedError

    def paint(self, widget: W) -> None:
        """Show the current content on the built widget."""
        raise NotImplementedError

    def composed(self) -> W | None:
        """The widget to compose with the screen, if there is something to show at once."""
        if self.widget is None and self.visible:
            self.widget = self.build()
        return self.widget

    def placed_by(self, place: Callable[[W], bool]) -> None:
        """From now on a widget built later is mounted by `place` (the screen's own), which
        says whether it could (not once the screen has left the app: a session ending)."""
        self._place = place

    def changed(self) -> None:
        """The content changed: update the widget, or build and place it if it is due."""
        widget = self.widget
        if widget is not None:
            self.paint(widget)
            widget.display = self.visible
        elif self.visible and self._place is not None:
            self.widget = self.build()
            if not self._place(self.widget):
                self.widget = None  # built again if the content comes back to a live screen


__all__ = ["HomePart", "Live"]
