"""What a goal's stored values are called for members (who sees it, how a check-in went,
what it is measured in), marked `N_` for the full screen and line mode to say in the
member's language; what is typed and stored stays the English value."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bbs.i18n import N_

SEEN_BY = {
    "private": N_("private"),
    "partners": N_("shared with partners"),
    "community": N_("shared with partners and the community"),
}
STATUS_NAMES = {"done": N_("done"), "partial": N_("partial"), "missed": N_("missed")}
MEASURE_NAMES = {"minutes": N_("minutes"), "count": N_("count")}


def value_name(t: Callable[[object], str], names: Mapping[str, str], value: str) -> str:
    """`value` as `names` calls it, said by `t` (a session's translator); a value without
    a name (such as a measure a member typed) is shown as it is."""
    name = names.get(value)
    return t(name) if name else value
