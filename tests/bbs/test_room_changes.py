"""What a room change says, the same for the full screen and line mode."""

from __future__ import annotations

from dataclasses import replace

from bbs.rooms.changes import room_changed
from bbs.rooms.events import RoomChangedEvent
from bbs.rooms.records import RoomView

ROOM = RoomView(id=1, name="Lobby", topic="Hello", private=False, closed=False, slow_mode_seconds=0)


def _event(**changed: object) -> RoomChangedEvent:
    fields: dict[str, object] = {
        "room_id": 1,
        "topic": ROOM.topic,
        "slow_mode_seconds": 0,
        "closed": False,
        "language": "",
    }
    return RoomChangedEvent(**(fields | changed))  # type: ignore[arg-type]


def test_each_change_is_said_once_and_the_room_takes_it() -> None:
    room, said = room_changed(
        ROOM, _event(topic="Be kind", slow_mode_seconds=5, language="fr", by="Ada"), str
    )
    assert (room.topic, room.slow_mode_seconds, room.language) == ("Be kind", 5, "fr")
    assert said == [
        "Ada set the topic: Be kind",
        "Slow mode: one line per 5 s.",
        "This room's language is now Français.",
    ]


def test_nothing_changed_says_nothing_and_a_closing_is_left_to_the_front_end() -> None:
    room, said = room_changed(ROOM, _event(closed=True), str)
    assert room.closed and said == []


def test_the_setter_name_is_one_clean_line_and_a_host_when_blank() -> None:
    _room, said = room_changed(ROOM, _event(topic="New", by="\x1b[2JEve\nil"), str)
    assert said == ["[2JEve il set the topic: New"]  # no escape, no line break
    _room, said = room_changed(ROOM, _event(topic="New", by=""), str)
    assert said == ["A host set the topic: New"]
    _room, said = room_changed(replace(ROOM, slow_mode_seconds=5), _event(), str)
    assert said == ["Slow mode is off."]
    _room, said = room_changed(replace(ROOM, language="de"), _event(), str)
    assert said == ["This room is now open to every language."]
