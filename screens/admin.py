"""The admin screens: review queue, the reason dialog, audit log and member lookup."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from bbs.admin.review import AuditFilter, AuditView, Decision, QueueItem
from bbs.countries import country_name, is_country
from bbs.errors import StoreBusyError
from bbs.i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES, LANGUAGES, N_, localise
from bbs.models import utcnow
from bbs.moderation_queue.audit import AdminError
from bbs.moderation_queue.flags import STAFF_TOPIC, FlagKind
from bbs.moderation_queue.sanctions import SanctionKind, parse_length
from bbs.sysop_settings import (
    DEFAULT_NEW_MEMBER_MESSAGE_HOURS,
    NEW_MEMBER_MESSAGE_HOURS,
    parse_message_hours,
)
from bbs.text_safety import clean_line, truncate_display
from screens.base import SAVE_KEY, AdminPanel, BBSScreen, Got
from screens.live import Live
from screens.tcss import default_css
from screens.widgets import BBSTextArea, KeyBar, PlainText, TextField, literal, session_text

# What each key does on a queue item, and what the dialog asks for it.
QUEUE_KEYS: tuple[tuple[str, Decision, str], ...] = (
    ("a", Decision.APPROVE, "approve"),
    ("h", Decision.HIDE, "hide"),
    ("d", Decision.DELETE, "delete"),
    ("w", Decision.WARN, "warn"),
    ("m", Decision.MUTE, "mute"),
    ("s", Decision.SUSPEND, "suspend"),
    ("b", Decision.BAN, "ban"),
    ("k", Decision.ACKNOWLEDGE, "acknowledge"),
    ("u", Decision.UPHOLD, "uphold"),
    ("o", Decision.OVERTURN, "overturn"),
)

if TYPE_CHECKING:
    from bbs.admin.service import AdminService
    from bbs.events import EventBus
    from bbs.resources.service import ResourceService
    from bbs.texts.service import Texts

_TIMED = (Decision.MUTE, Decision.SUSPEND)
T = TypeVar("T")

# Says one of our messages in a language (a screen's `t`); English where none is given.
Say = Callable[[object], str]


def english(message: object) -> str:
    return localise(message, DEFAULT_LANGUAGE)


# What moderators do, as the screens name it (the audit log stores the English value).
ACTION_NAMES: dict[str, str] = {
    "approve": N_("approve"),
    "hide": N_("hide"),
    "delete": N_("delete"),
    "warn": N_("warn"),
    "mute": N_("mute"),
    "suspend": N_("suspend"),
    "ban": N_("ban"),
    "lift": N_("lift"),
    "acknowledge": N_("acknowledge"),
    "uphold": N_("uphold"),
    "overturn": N_("overturn"),
    "note": N_("note"),
    "setting": N_("setting"),
}

# Why something is in the queue, short enough for the queue's first column.
KIND_NAMES: dict[FlagKind, str] = {
    FlagKind.CRISIS: N_("CRISIS"),
    FlagKind.HOLD: N_("HOLD"),
    FlagKind.REPORT: N_("REPORT"),
    FlagKind.APPEAL: N_("APPEAL"),
}

# What a queue item points at.
TARGET_NAMES: dict[str, str] = {
    "post": N_("post"),
    "message": N_("message"),
    "room_line": N_("room line"),
    "check_in": N_("check-in note"),
    "cheer": N_("cheer"),
    "goal": N_("goal title"),
    "action": N_("moderator action"),
}

ROLE_NAMES: dict[str, str] = {
    "member": N_("member"),
    "moderator": N_("moderator"),
    "sysop": N_("sysop"),
}


def named(say: Say, names: dict[str, str], value: str) -> str:
    """`value` (an action, a role...) by its name in `say`'s language; unknown: as it is."""
    return say(names[value]) if value in names else value


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def ago(when: datetime, now: datetime | None = None, say: Say = english) -> str:
    """A short age: 5m, 3h, 2d (in `say`'s language)."""
    seconds = max(0, int(((now or utcnow()) - when).total_seconds()))
    if seconds < 3600:
        return say(N_("{n}m")).format(n=seconds // 60)
    if seconds < 86400:
        return say(N_("{n}h")).format(n=seconds // 3600)
    return say(N_("{n}d")).format(n=seconds // 86400)


@dataclass(frozen=True)
class ReasonChoice:
    """What the moderator chose in the reason dialog."""

    category: str
    reason: str
    length: timedelta | None = None
    support: str = ""


class ReasonDialog(ModalScreen[ReasonChoice | None]):
    """Pick a category (Up/Down, Enter), add words, confirm with Enter; Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss", "Cancel")]
    DEFAULT_CSS = default_css(__file__, "ReasonDialog")

    def __init__(
        self,
        title: str,
        categories: list[str],
        *,
        ask_length: bool = False,
        ask_support: bool = False,
        reason_needed: bool = True,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.categories = categories
        self.ask_length = ask_length
        self.ask_support = ask_support
        self.reason_needed = reason_needed
        self.category = ""

    def t(self, message: object) -> str:
        return session_text(self, message)

    def compose(self) -> ComposeResult:
        t = self.t
        with VerticalScroll():
            yield PlainText(self.title_text, classes="title")
            if self.reason_needed:
                yield PlainText(
                    t(N_("Category (Up/Down, Enter): none chosen yet")),
                    id="category",
                    classes="note",
                )
                yield OptionList(
                    *(Option(literal(t(c)), id=f"c{i}") for i, c in enumerate(self.categories)),
                    id="categories",
                )
            yield TextField(
                placeholder=t(N_("Reason in your own words")), id="reason", max_length=500
            )
            if self.ask_length:
                yield TextField(
                    placeholder=t(N_("How long: 24h, 7d, 30d (empty: the default)")),
                    id="length",
                    max_length=12,
                )
            if self.ask_support:
                yield TextField(
                    placeholder=t(N_("Private supportive message, with resources (optional)")),
                    id="support",
                    max_length=1000,
                )
            yield PlainText("", id="dialog-error", classes="error")
            yield KeyBar(N_(" Enter next/confirm   Esc cancel"))

    def on_mount(self) -> None:
        if self.reason_needed:
            self.query_one("#categories", OptionList).focus()
        else:
            self.query_one("#reason", TextField).focus()

    @on(OptionList.OptionSelected, "#categories")
    def _category(self, event: OptionList.OptionSelected) -> None:
        self.category = self.categories[event.option_index]
        self.query_one("#category", PlainText).show(
            self.t(N_("Category: {category}")).format(category=self.t(self.category))
        )
        self.query_one("#reason", TextField).focus()

    @on(TextField.Submitted)
    def _submitted(self, event: TextField.Submitted) -> None:
        fields = [f for f in self.query(TextField) if f.display]
        if event.input is not fields[-1]:
            return
        reason = self.query_one("#reason", TextField).value.strip()
        if self.reason_needed and not self.category and not reason:
            self.query_one("#dialog-error", PlainText).show(
                self.t(N_("Every action needs a reason: choose a category or write one."))
            )
            return
        length = None
        if self.ask_length:
            try:
                length = parse_length(self.query_one("#length", TextField).value)
            except ValueError as error:
                self.query_one("#dialog-error", PlainText).show(self.t(error))
                return
        support = self.query_one("#support", TextField).value if self.ask_support else ""
        self.dismiss(ReasonChoice(self.category, reason, length, support))


STAFF_ONLY = N_("Only moderators and sysops can use this screen.")


async def staff_read(
    screen: BBSScreen[Any],
    out: PlainText,
    read: Callable[[int], Awaitable[T]],
    *refusals: type[Exception],
) -> Got[T] | None:
    """`read(actor)` for a moderator or sysop (the actor's id); None, with the reason on
    `out`, for anyone else, or when it raises one of `refusals` or the store is busy."""
    member = screen.bbs.member
    if member is None or not member.is_staff:
        out.show(screen.t(STAFF_ONLY))
        return None
    problems: tuple[type[Exception], ...] = (*refusals, StoreBusyError)
    try:
        return Got(await read(member.id))
    except problems as error:
        out.show(screen.t(error))
        return None


def describe_item(item: QueueItem, terms: str = "", say: Say = english) -> str:
    """Everything about one queue item, as plain lines (shown literally), in `say`'s
    language (the member's words as they wrote them)."""
    t = say
    lines = [
        t(N_("{kind}  {what} by {author}, {age} ago")).format(
            kind=t(KIND_NAMES[item.kind]),
            what=named(t, TARGET_NAMES, item.target_kind),
            author=item.author,
            age=ago(item.created_at, say=t),
        ),
        t(N_("Where: {where}")).format(where=t(item.item.where)),
    ]
    if item.kind is FlagKind.REPORT:
        lines.append(
            t(N_("Reported by {reporter}: {reason}")).format(
                reporter=item.reporter or t(N_("(gone)")), reason=item.reason
            )
        )
    elif item.reason and item.kind is not FlagKind.APPEAL:
        lines.append(t(N_("Note: {note}")).format(note=item.reason))
    if item.scores:
        lines.append(t(N_("Model scores: {scores}")).format(scores=item.scores))
    if terms:
        lines.append(t(N_("Terms behind them: {terms}")).format(terms=terms))
    lines.append("")
    lines.append(t(N_("Appeal message:")) if item.kind is FlagKind.APPEAL else t(N_("Text:")))
    lines.extend("  " + line for line in (item.item.text or t(N_("(empty)"))).splitlines())
    if item.item.context:
        lines.append("")
        lines.append(t(N_("Around it:")))
        lines.extend("  " + line for line in item.item.context)
    if item.history or item.suggestion:
        lines.append("")
        lines.append(
            t(N_("Author's history ({suggestion}):")).format(suggestion=t(item.suggestion))
        )
        lines.extend("  " + t(line) for line in item.history)
    return "\n".join(lines)


class ReviewQueueScreen(AdminPanel):
    """The review queue: crisis first, then reports, appeals and holds; one key per action."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(key, f"decide('{d.value}')", label, show=False) for key, d, label in QUEUE_KEYS),
        Binding("r", "reload", "Reload", show=False),
        Binding("l", "lookup", "Member lookup", show=False),
        Binding("t", "audit", "Audit log", show=False),
        Binding("c", "community", "Community settings", show=False),
        Binding("g", "dashboard", "Dashboard", show=False),
        Binding("p", "model_panel", "Model panel", show=False),
        Binding("e", "places", "Boards and rooms", show=False),
        Binding("i", "resources", "Resource library", show=False),
    ]
    DEFAULT_CSS = default_css(__file__, "ReviewQueueScreen")

    def __init__(
        self, *, admin: AdminService, events: EventBus, texts: Texts, resources: ResourceService
    ) -> None:
        super().__init__(admin=admin)
        self._events = events
        self._texts = texts
        self._resources = resources
        self.items: list[QueueItem] = []
        self._staff: Live | None = None

    def compose(self) -> ComposeResult:
        yield PlainText(self.t(N_("Review queue")), classes="title", id="queue-title")
        yield PlainText(
            self.t(
                N_("L lookup  T audit  C community  E boards/rooms  G dashboard  P model  R reload")
            ),
            classes="note",
        )
        yield OptionList(id="queue")
        with VerticalScroll(id="detail-scroll"):
            yield PlainText("", id="detail")
        yield KeyBar(
            N_(
                " A approve  H hide  D delete  W warn  M mute  S suspend  B ban"
                "  K acknowledge\n"
                " U/O uphold or overturn an appeal  I resource library  Esc back  F1 help"
            )
        )

    async def on_mount(self) -> None:
        # New items (a crisis alert first of all) appear here as they arrive; `Live` runs
        # `_queue_changed` in this moderator's own session.
        self._staff = Live(self, self._queue_changed)
        self._staff.topic(self._events, STAFF_TOPIC, maxsize=32)
        await self.load()

    def on_unmount(self) -> None:
        if self._staff is not None:
            self._staff.close()
            self._staff = None

    def _queue_changed(self, _events: object) -> None:
        if self.is_attached:
            self.run_worker(self.load(), exclusive=True, group="load")

    def on_screen_resume(self) -> None:
        self.run_worker(self.load(), exclusive=True, group="load")

    def _staff_id(self) -> int | None:
        member = self.bbs.member
        return member.id if member is not None and member.is_staff else None

    async def load(self) -> None:
        title = self.query_one("#queue-title", PlainText)
        if (got := await staff_read(self, title, self._admin.queue, AdminError)) is None:
            return
        self.items = got.value
        crisis = sum(1 for i in self.items if i.kind is FlagKind.CRISIS)
        title.show(
            self.t(N_("Review queue: {open} open, {crisis} crisis")).format(
                open=len(self.items), crisis=crisis
            )
        )
        queue = self.query_one("#queue", OptionList)
        # A reload (a new item arrived) keeps the moderator on the item they were reading.
        was = queue.highlighted
        chosen = (
            queue.get_option_at_index(was).id
            if was is not None and (0 <= was < queue.option_count)
            else None
        )
        queue.clear_options()
        queue.add_options(
            [Option(literal(self._line(i, self.t)), id=f"f{i.flag_id}") for i in self.items]
        )
        if self.items:
            ids = [f"f{i.flag_id}" for i in self.items]
            queue.highlighted = ids.index(chosen) if chosen in ids else 0
            queue.focus()
        else:
            self.query_one("#detail", PlainText).show(self.t(N_("Nothing waiting. Thank you.")))

    @staticmethod
    def _line(item: QueueItem, say: Say = english) -> str:
        text = clean_line(item.item.text.replace("\n", " "))
        # The kind's column as wide as its longest name in this language.
        width = max(len(say(k)) for k in KIND_NAMES.values()) + 1
        kind = say(KIND_NAMES[item.kind])
        head = f"{kind:<{width}}{ago(item.created_at, say=say):>4} {item.author[:14]}: "
        return head + truncate_display(text, 72 - len(head))

    def current(self) -> QueueItem | None:
        return self.highlighted_item("queue", self.items)

    @on(OptionList.OptionHighlighted, "#queue")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        item = self.current()
        if item is None:
            return
        self.query_one("#detail", PlainText).show(describe_item(item, say=self.t))
        if item.kind in (FlagKind.HOLD, FlagKind.CRISIS) and item.item.text:
            self._explain(item)

    @work(exclusive=True, group="explain")
    async def _explain(self, item: QueueItem) -> None:
        terms = await self._admin.terms_behind(item.item.text)
        if terms and self.current() is item:
            self.query_one("#detail", PlainText).show(describe_item(item, terms, self.t))

    @work(exclusive=True, group="dialog")
    async def action_decide(self, value: str) -> None:
        decision = Decision(value)
        item = self.current()
        actor = self._staff_id()
        if item is None or actor is None:
            return
        if item.kind is FlagKind.CRISIS and decision is not Decision.ACKNOWLEDGE:
            self.notify(
                self.t(N_("A crisis alert is never a strike: press K to acknowledge it.")),
                markup=False,
            )
            return
        categories = await self._admin.reason_categories()
        crisis = decision is Decision.ACKNOWLEDGE and item.kind is FlagKind.CRISIS
        choice = await self.app.push_screen_wait(
            ReasonDialog(
                self.t(N_("{action}: {what} by {author}")).format(
                    action=capitalised(named(self.t, ACTION_NAMES, decision.value)),
                    what=named(self.t, TARGET_NAMES, item.target_kind),
                    author=item.author,
                ),
                categories,
                ask_length=decision in _TIMED,
                ask_support=crisis,
                reason_needed=not crisis,
            )
        )
        if choice is None:
            return
        try:
            entry = await self._admin.decide(
                actor,
                item.flag_id,
                decision,
                category=choice.category,
                reason=choice.reason,
                length=choice.length,
                support=choice.support,
            )
        except (AdminError, StoreBusyError) as error:
            self.notify(self.t(error), severity="warning", markup=False)
            return
        self.notify(
            self.t(N_("Done: {action} ({member}). It is in the audit log.")).format(
                action=named(self.t, ACTION_NAMES, entry.action),
                member=entry.member or self.t(N_("no member")),
            ),
            markup=False,
        )
        await self.load()

    async def action_reload(self) -> None:
        await self.load()

    def action_lookup(self) -> None:
        item = self.current()
        self.app.push_screen(MemberLookupScreen(item.author if item else "", admin=self._admin))

    def action_audit(self) -> None:
        self.app.push_screen(AuditLogScreen(admin=self._admin))

    def _for_sysops(self, refusal: str, screen: Callable[[], Screen[None]]) -> None:
        """Open `screen()` for a sysop; anyone else is told `refusal`."""
        member = self.bbs.member
        if member is None or member.role.value != "sysop":
            self.notify(self.t(refusal), markup=False)
            return
        self.app.push_screen(screen())

    def action_community(self) -> None:
        self._for_sysops(
            N_("Community settings are for sysops."),
            lambda: CommunitySettingsScreen(admin=self._admin, texts=self._texts),
        )

    def action_places(self) -> None:
        self._for_sysops(
            N_("Boards and rooms are managed by sysops."), lambda: PlacesScreen(admin=self._admin)
        )

    def action_resources(self) -> None:
        from screens.resources_admin import ResourceAdminScreen

        self._for_sysops(
            N_("The resource library is managed by sysops."),
            lambda: ResourceAdminScreen(resources=self._resources),
        )

    def action_model_panel(self) -> None:
        from screens.model_panel import ModelPanelScreen

        self._for_sysops(
            N_("The model panel is for sysops."), lambda: ModelPanelScreen(admin=self._admin)
        )

    def action_dashboard(self) -> None:
        from screens.dashboard import DashboardScreen

        self.app.push_screen(DashboardScreen(admin=self._admin))


def audit_line(e: AuditView, say: Say = english) -> str:
    why = ": ".join(p for p in (say(e.category) if e.category else "", e.reason) if p)
    action = named(say, ACTION_NAMES, e.action)
    # The action's column as wide as the language's longest action name, up to 18.
    width = min(18, max(len(say(name)) for name in ACTION_NAMES.values()))
    line = (
        f"{e.created_at:%m-%d %H:%M} {e.actor[:10]:<10} {action[:width]:<{width}} "
        f"{e.member[:10]:<10} {why}" + (f" | {e.detail}" if e.detail else "")
    )
    # One entry a line at 80 columns; the CSV export keeps everything in full.
    return truncate_display(clean_line(line), 74)


def parse_filter(text: str) -> AuditFilter:
    """ "mod:NAME member:NAME action:ban since:2026-11-01 until:2026-11-30" (any, any order)."""
    values: dict[str, str] = {}
    for word in text.split():
        key, _, value = word.partition(":")
        if not value or key not in ("mod", "member", "action", "since", "until"):
            raise ValueError(
                N_(
                    "Filter words are mod:NAME member:NAME action:WHAT "
                    "since:YYYY-MM-DD until:YYYY-MM-DD"
                )
            )
        values[key] = value

    def day(key: str) -> datetime | None:
        if key not in values:
            return None
        try:
            return datetime.strptime(values[key], "%Y-%m-%d").replace(tzinfo=UTC)
        except ValueError:
            raise ValueError(N_("Write dates as YYYY-MM-DD, e.g. since:2026-11-01.")) from None

    return AuditFilter(
        moderator=values.get("mod"),
        member=values.get("member"),
        action=values.get("action"),
        since=day("since"),
        until=day("until"),
    )


class AuditLogScreen(AdminPanel):
    """The audit log, newest first, with a filter line."""

    def compose(self) -> ComposeResult:
        yield PlainText(self.t(N_("Audit log")), classes="title")
        yield TextField(
            placeholder=self.t(N_("Filter: mod:NAME member:NAME action:ban since:2026-11-01")),
            id="filter",
            max_length=200,
        )
        with VerticalScroll(id="audit-scroll"):
            yield PlainText("", id="audit", classes="body")
        yield KeyBar(N_(" Enter apply filter   Up/Down scroll   Esc back"))

    async def on_mount(self) -> None:
        await self.load("")

    @on(TextField.Submitted, "#filter")
    async def _filter(self, event: TextField.Submitted) -> None:
        await self.load(event.value)

    async def load(self, text: str) -> None:
        out = self.query_one("#audit", PlainText)
        entries = await staff_read(
            self, out, lambda actor: self._admin.audit(actor, parse_filter(text)), ValueError
        )
        if entries is not None:
            out.show(
                "\n".join(audit_line(e, self.t) for e in entries.value)
                or self.t(N_("No entries match."))
            )


# Plain letters work once the record has focus (Enter moves it there; / goes back to the name).
_LOOKUP_KEYS: tuple[tuple[str, str, str], ...] = (
    ("w", "warn", "warn"),
    ("m", "mute", "mute"),
    ("s", "suspend", "suspend"),
    ("b", "ban", "ban"),
    ("u", "lift", "lift"),
    ("n", "note", "note"),
)


class MemberLookupScreen(AdminPanel):
    """Look a member up: profile, sanctions, flags, notes, posts; act on them with a reason."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(key, f"act('{what}')", label, show=False) for key, what, label in _LOOKUP_KEYS),
        Binding("slash", "find", "Find", show=False),
    ]

    def __init__(self, name: str = "", *, admin: AdminService) -> None:
        super().__init__(admin=admin)
        self.start_name = name
        self.name_shown = ""

    def compose(self) -> ComposeResult:
        yield PlainText(self.t(N_("Member lookup")), classes="title")
        yield TextField(
            value=self.start_name, placeholder=self.t(N_("Pseudonym")), id="who", max_length=64
        )
        with VerticalScroll(id="record-scroll", can_focus=True):
            yield PlainText("", id="record", classes="body")
        yield KeyBar(
            N_(" Enter look up  W warn M mute S suspend B ban U lift N note  / name  Esc back")
        )

    async def on_mount(self) -> None:
        if self.start_name:
            await self.load(self.start_name)

    @on(TextField.Submitted, "#who")
    async def _who(self, event: TextField.Submitted) -> None:
        await self.load(event.value)

    async def load(self, name: str) -> None:
        out = self.query_one("#record", PlainText)
        got = await staff_read(
            self, out, lambda actor: self._admin.member_record(actor, name), AdminError
        )
        if got is None:
            return
        r = got.value
        self.name_shown = r.pseudonym
        now = utcnow()
        t, day = self.t, self.bbs.moment
        none = "  " + t(N_("none"))
        last = day(r.last_login_at, time=False) if r.last_login_at else t(N_("never"))
        lines = [
            t(N_("{name} ({role}), joined {joined}, last login {last}")).format(
                name=r.pseudonym,
                role=named(t, ROLE_NAMES, r.role),
                joined=day(r.created_at, time=False),
                last=last,
            ),
            t(N_("Warnings: {suggestion}; reports made: {reports}")).format(
                suggestion=t(r.suggestion), reports=r.reports_made
            ),
            "",
            t(N_("Sanctions:")),
        ]
        lines += [
            "  "
            + t(N_("{date} {kind} {state}: {category} {reason}")).format(
                date=day(s.created_at, time=False),
                kind=named(t, ACTION_NAMES, s.kind.value),
                state=t(N_("IN FORCE")) if s.in_force(now) else t(N_("ended")),
                category=t(s.category),
                reason=s.reason,
            )
            for s in r.sanctions
        ] or [none]
        lines += ["", t(N_("Private moderator notes:"))] + ([f"  {n}" for n in r.notes] or [none])
        lines += ["", t(N_("Flags:"))] + ([f"  {t(f)}" for f in r.flags] or [none])
        lines += ["", t(N_("Recent posts:"))] + ([f"  {p}" for p in r.posts] or [none])
        out.show("\n".join(lines))
        self.query_one("#record-scroll").focus()

    def action_find(self) -> None:
        self.query_one("#who", TextField).focus()

    @work(exclusive=True, group="dialog")
    async def action_act(self, what: str) -> None:
        member = self.bbs.member
        if member is None or not member.is_staff or not self.name_shown:
            self.notify(self.t(N_("Look a member up first.")), markup=False)
            return
        admin = self._admin
        note = what == "note"
        choice = await self.app.push_screen_wait(
            ReasonDialog(
                self.t(N_("{action}: {name}")).format(
                    action=capitalised(named(self.t, ACTION_NAMES, what)), name=self.name_shown
                ),
                [] if note else await admin.reason_categories(),
                ask_length=what in ("mute", "suspend"),
                reason_needed=not note,
            )
        )
        if choice is None:
            return
        try:
            if note:
                await admin.add_note(member.id, self.name_shown, choice.reason)
            elif what == "lift":
                await admin.lift(
                    member.id, self.name_shown, category=choice.category, reason=choice.reason
                )
            else:
                await admin.sanction(
                    member.id,
                    self.name_shown,
                    SanctionKind(what),
                    category=choice.category,
                    reason=choice.reason,
                    length=choice.length,
                )
        except (AdminError, StoreBusyError) as error:
            self.notify(self.t(error), severity="warning", markup=False)
            return
        self.notify(
            self.t(N_("Done: {action} {name}. It is in the audit log.")).format(
                action=named(self.t, ACTION_NAMES, what), name=self.name_shown
            ),
            markup=False,
        )
        await self.load(self.name_shown)


# Field id, setting key, label: each saved on its own with Enter.
_SETTING_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("announcement", "announcement", N_("Announcement banner for everyone (empty: none)")),
    ("on-call", "on_call_note", N_("On-call note shown in Help (e.g. who is around tonight)")),
    ("reasons", "reason_categories", N_("Reason categories, separated by commas")),
    ("public-log", "public_moderation_log", N_("Public moderation log, names hidden: on or off")),
    (
        "message-hours",
        NEW_MEMBER_MESSAGE_HOURS,
        N_("Hours before new members may start private messages (0: at once; staff never wait)"),
    ),
)
# What "Saved: ..." calls each field.
_SAVED_NAMES: dict[str, str] = {
    "announcement": N_("announcement"),
    "on-call": N_("on-call note"),
    "reasons": N_("reason categories"),
    "public-log": N_("public moderation log"),
    "message-hours": N_("new members' private messages"),
}


class CommunitySettingsScreen(AdminPanel):
    """Sysops: banner, on-call note, reason categories, public log, guidelines and help.

    Ctrl+S saves what changed; changed guidelines start a version members agree to again.
    Ctrl+E moves the editor from the guidelines to the help and crisis lines in each
    language (English first), then to the guidelines in each other language, and back.
    A country typed above the editor (two letters) turns the help into that country's own,
    for members who gave it on their Profile; empty is the help for every country.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        SAVE_KEY,
        Binding("ctrl+e", "switch_text", "Switch text", priority=True),
    ]
    DEFAULT_CSS = default_css(__file__, "CommunitySettingsScreen")
    # What the editor holds in turn: the guidelines, then each language's help.
    # (each label a template given the language's own name as {language})
    TEXTS: ClassVar[dict[str, str]] = {
        "guidelines": N_("Guidelines (members agree again when they change):"),
        **{
            f"help.{lang}": N_(
                "Help and crisis lines in {language} (behind F1 for members reading {language}):"
            )
            for lang in LANGUAGES
        },
        **{
            f"guidelines.{lang}": N_(
                "Guidelines in {language} (members agree again when they change):"
            )
            for lang in LANGUAGES
            if lang != DEFAULT_LANGUAGE
        },
    }

    def __init__(self, *, admin: AdminService, texts: Texts) -> None:
        super().__init__(admin=admin)
        self._texts = texts
        self.loaded: dict[str, str] = {}
        self.texts: dict[str, str] = {}
        self.editing = "guidelines"
        # The country whose own help the editor holds ('' for every country).
        self.country = ""

    def compose(self) -> ComposeResult:
        yield PlainText(self.t(N_("Community settings (sysops)")), classes="title")
        for field_id, _key, label in _SETTING_FIELDS:
            yield PlainText(self.t(label), classes="note")
            yield TextField(id=field_id, max_length=1000)
        with Horizontal(id="country-row"):
            yield PlainText(self.t(HELP_COUNTRY), classes="note", id="country-label")
            yield TextField(id="help-country", max_length=2, placeholder="--")
        yield PlainText(self._label("guidelines"), classes="note", id="editor-label")
        yield BBSTextArea(id="text-editor", soft_wrap=True)
        yield KeyBar(N_(" Tab next  Ctrl+E next text  Ctrl+S save what changed  Esc back"))

    def _label(self, text: str) -> str:
        """What the editor says it holds: the guidelines or one language's help (and for
        which country)."""
        lang = text.partition(".")[2]
        language = LANGUAGE_NAMES.get(lang, lang)
        if text.startswith("help.") and self.country:
            return self.t(HELP_FOR_COUNTRY).format(
                language=language, country=country_name(self.country, self.bbs.language)
            )
        return self.t(self.TEXTS[text]).format(language=language)

    def _values(self) -> dict[str, str]:
        from textual.widgets import TextArea

        values = {
            f: self.query_one(f"#{f}", TextField).value.strip() for f, _k, _l in _SETTING_FIELDS
        }
        self.texts[self.editing] = self.query_one(TextArea).text
        values.update({k: v.strip() for k, v in self.texts.items()})
        return values

    async def on_mount(self) -> None:
        from textual.widgets import TextArea

        admin = self._admin
        for field_id, key, _label in _SETTING_FIELDS:
            value = await admin.setting(key)
            if field_id == "reasons":
                value = ", ".join(await admin.reason_categories())
            if field_id == "public-log":
                value = value or "off"
            if field_id == "message-hours":
                value = value or str(DEFAULT_NEW_MEMBER_MESSAGE_HOURS)
            self.query_one(f"#{field_id}", TextField).value = value
        self.texts = {"guidelines": await self._texts.guidelines_text()}
        for lang in LANGUAGES:
            self.texts[f"help.{lang}"] = await self._texts.help_text(lang)
            if lang != DEFAULT_LANGUAGE:
                self.texts[f"guidelines.{lang}"] = await self._texts.guidelines_text(lang)
        self.query_one(TextArea).text = self.texts["guidelines"]
        self.loaded = self._values()
        self.query_one("#announcement", TextField).focus()

    @on(TextField.Changed, "#help-country")
    async def _country_changed(self, event: TextField.Changed) -> None:
        from textual.widgets import TextArea

        code = event.value.strip().upper()
        if code == self.country or (code and not is_country(code)):
            return  # half typed, or not a country: the editor stays as it is
        values = self._values()
        if any(values[f"help.{lang}"] != self.loaded.get(f"help.{lang}") for lang in LANGUAGES):
            self.notify(self.t(SAVE_HELP_FIRST), severity="warning", markup=False)
            event.input.value = self.country
            return
        self.country = code
        for lang in LANGUAGES:
            text = await self._texts.help_text(lang, code)
            self.texts[f"help.{lang}"] = self.loaded[f"help.{lang}"] = text.strip()
        if self.editing.startswith("help."):
            self.query_one(TextArea).text = self.texts[self.editing]
        self.query_one("#editor-label", PlainText).show(self._label(self.editing))

    def action_switch_text(self) -> None:
        from textual.widgets import TextArea

        editor = self.query_one(TextArea)
        self.texts[self.editing] = editor.text
        order = list(self.TEXTS)
        self.editing = order[(order.index(self.editing) + 1) % len(order)]
        editor.text = self.texts[self.editing]
        self.query_one("#editor-label", PlainText).show(self._label(self.editing))
        editor.focus()

    async def action_save(self) -> None:
        member = self.bbs.member
        if member is None:
            return
        values = self._values()
        if values["public-log"] not in ("on", "off"):
            self.notify(self.t(N_("Public moderation log: type on or off.")), markup=False)
            return
        try:
            values["message-hours"] = str(parse_message_hours(values["message-hours"]))
        except ValueError as error:
            self.notify(
                self.t(N_("New members' private messages: {problem}")).format(
                    problem=self.t(error)
                ),
                markup=False,
            )
            return
        admin = self._admin
        saved: list[str] = []
        try:
            for field_id, key, _label in _SETTING_FIELDS:
                value = values[field_id]
                if value == self.loaded.get(field_id):
                    continue
                if field_id == "reasons":
                    value = "\n".join(p.strip() for p in value.split(",") if p.strip())
                await admin.set_setting(member.id, key, value)
                saved.append(self.t(_SAVED_NAMES[field_id]))
            for lang in LANGUAGES:
                if values[f"help.{lang}"] != self.loaded.get(f"help.{lang}"):
                    await admin.set_help_text(
                        member.id, values[f"help.{lang}"], lang=lang, country=self.country
                    )
                    saved.append(
                        self.t(N_("help ({language})")).format(language=LANGUAGE_NAMES[lang])
                    )
            for key in ("guidelines", *(f"guidelines.{lang}" for lang in LANGUAGES)):
                if key in values and values[key] != self.loaded.get(key):
                    lang = key.partition(".")[2] or DEFAULT_LANGUAGE
                    version = await admin.publish_guidelines(member.id, values[key], lang=lang)
                    saved.append(
                        self.t(N_("guidelines (version {version})")).format(version=version)
                    )
        except (AdminError, StoreBusyError) as error:
            self.notify(self.t(error), severity="warning", markup=False)
            return
        self.loaded = values
        self.notify(
            self.t(N_("Saved: {what}. It is in the audit log.")).format(what=", ".join(saved))
            if saved
            else self.t(N_("Nothing changed.")),
            markup=False,
        )


@dataclass(frozen=True)
class _Place:
    kind: str  # "board" or "room"
    name: str
    room_id: int = 0


HELP_COUNTRY = N_("Help for one country only (two letters, as IE; empty: every country):")
HELP_FOR_COUNTRY = N_("Help and crisis lines in {language} for members in {country}:")
SAVE_HELP_FIRST = N_("Save the help you changed first (Ctrl+S), then choose another country.")
LANGUAGE_PROMPT = N_("Language for {name}: en, es, fr, de, pt, or - for any:")


class PlacesScreen(AdminPanel):
    """Sysops: boards and rooms. N new board, M new room, E rename/topic, L language (so
    members find the places in theirs), X archive/close."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "ask('add_board')", "New board", show=False),
        Binding("m", "ask('add_room')", "New room", show=False),
        Binding("e", "ask('edit')", "Rename or topic", show=False),
        Binding("l", "ask('language')", "Language", show=False),
        Binding("x", "archive_or_close", "Archive or close", show=False),
    ]
    DEFAULT_CSS = default_css(__file__, "PlacesScreen")

    def __init__(self, *, admin: AdminService) -> None:
        super().__init__(admin=admin)
        self.places: list[_Place] = []
        self.pending = ""

    def compose(self) -> ComposeResult:
        yield PlainText(self.t(N_("Boards and rooms (sysops)")), classes="title")
        yield OptionList(id="places")
        yield PlainText("", id="place-prompt", classes="note")
        yield TextField(id="place-input", max_length=200)
        yield KeyBar(
            N_(" N new board  M new room  E rename/topic  L language\n X archive/close  Esc back")
        )

    async def on_mount(self) -> None:
        self.query_one("#place-input", TextField).display = False
        await self.load()

    async def load(self) -> None:
        member = self.bbs.member
        if member is None:
            return
        try:
            board_list, room_list = await self._admin.places(member.id)
        except (AdminError, StoreBusyError) as error:
            self.query_one("#place-prompt", PlainText).show(self.t(error))
            return
        self.places = [_Place("board", b.name) for b in board_list] + [
            _Place("room", r.name, r.id) for r in room_list
        ]
        t = self.t
        labels = [
            (t(N_("Board  {name}  (archived)")) if b.archived else t(N_("Board  {name}"))).format(
                name=b.name
            )
            for b in board_list
        ]
        labels += [
            (
                t(N_("Room   {name}  (closed)  {topic}"))
                if r.closed
                else t(N_("Room   {name}  {topic}"))
            ).format(name=r.name, topic=r.topic)
            for r in room_list
        ]
        places = self.query_one("#places", OptionList)
        places.clear_options()
        # The language a place is marked with, in its own name (issue 20).
        marks = [b.language for b in board_list] + [r.language for r in room_list]
        labels = [
            f"{label}  · {LANGUAGE_NAMES[mark]}" if mark in LANGUAGE_NAMES else label
            for label, mark in zip(labels, marks, strict=True)
        ]
        places.add_options(
            [Option(literal(truncate_display(clean_line(label), 74))) for label in labels]
        )
        if self.places:
            places.highlighted = 0
        places.focus()

    def _current(self) -> _Place | None:
        index = self.query_one("#places", OptionList).highlighted
        return self.places[index] if index is not None and index < len(self.places) else None

    def action_ask(self, what: str) -> None:
        place = self._current()
        if what == "edit":
            if place is None:
                return
            what = "rename_board" if place.kind == "board" else "room_topic"
        elif what == "language":
            if place is None:
                return
            what = "board_language" if place.kind == "board" else "room_language"
        prompts = {
            "add_board": N_("Name of the new board (Enter adds, Esc cancels):"),
            "add_room": N_("Name of the new room (Enter adds, Esc cancels):"),
            "rename_board": N_("New name for the board {name}:"),
            "room_topic": N_("New topic for the room {name}:"),
            "board_language": LANGUAGE_PROMPT,
            "room_language": LANGUAGE_PROMPT,
        }
        self.pending = what
        self.query_one("#place-prompt", PlainText).show(
            self.t(prompts[what]).format(name=place.name if place else "")
        )
        field = self.query_one("#place-input", TextField)
        field.value = ""
        field.display = True
        field.focus()

    @on(TextField.Submitted, "#place-input")
    async def _entered(self, event: TextField.Submitted) -> None:
        await self._change(self.pending, event.value)
        self.pending = ""
        event.input.display = False

    async def action_archive_or_close(self) -> None:
        place = self._current()
        if place is not None:
            await self._change("archive_board" if place.kind == "board" else "close_room", "")

    async def _change(self, change: str, value: str) -> None:
        member = self.bbs.member
        place = self._current()
        if member is None or not change:
            return
        try:
            done = await self._admin.change_place(
                member.id,
                change,
                board=place.name if place else "",
                room_id=place.room_id if place else 0,
                value=value,
            )
        except (ValueError, StoreBusyError) as error:
            self.query_one("#place-prompt", PlainText).show(self.t(error))
            return
        self.query_one("#place-prompt", PlainText).show(
            self.t(N_("Done: {done}.")).format(done=self.t(done))
        )
        await self.load()

    def action_back(self) -> None:
        field = self.query_one("#place-input", TextField)
        if field.display:
            field.display = False
            self.pending = ""
            self.query_one("#place-prompt", PlainText).show("")
            self.query_one("#places", OptionList).focus()
            return
        self.dismiss(None)
