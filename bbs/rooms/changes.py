"""What a room change says to the people in it: the room as a `RoomChangedEvent` leaves
it, and a line for each thing that changed, in the words both front ends use (each adds
its own line for a room that closed, since what to press then differs)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bbs.i18n import LANGUAGE_NAMES, N_
from bbs.rooms.events import RoomChangedEvent
from bbs.rooms.records import RoomView
from bbs.text_safety import clean_line

TOPIC_SET = N_("{by} set the topic: {topic}")
A_HOST = N_("A host")
SLOW_ON = N_("Slow mode: one line per {seconds} s.")
SLOW_OFF = N_("Slow mode is off.")
LANGUAGE_NOW = N_("This room's language is now {language}.")
ANY_LANGUAGE_NOW = N_("This room is now open to every language.")


def room_changed(
    old: RoomView, event: RoomChangedEvent, t: Callable[[str], str]
) -> tuple[RoomView, list[str]]:
    """The room after `event`, and what changed in it said by `t` (a session's translator)."""
    room = replace(
        old,
        topic=event.topic,
        slow_mode_seconds=event.slow_mode_seconds,
        closed=event.closed,
        language=event.language,
    )
    said: list[str] = []
    if room.topic != old.topic:
        by = clean_line(event.by, 64) or t(A_HOST)
        said.append(t(TOPIC_SET).format(by=by, topic=room.topic))
    if room.slow_mode_seconds != old.slow_mode_seconds:
        seconds = room.slow_mode_seconds
        said.append(t(SLOW_ON).format(seconds=seconds) if seconds else t(SLOW_OFF))
    if room.language != old.language:
        name = LANGUAGE_NAMES.get(room.language)
        said.append(t(LANGUAGE_NOW).format(language=name) if name else t(ANY_LANGUAGE_NOW))
    return room, said
