"""The resource library: coping strategies and self-help exercises, with favourites."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from bbs.errors import StoreBusyError
from bbs.i18n import N_, format_number
from bbs.resources.records import ResourceError, ResourceView, library_tags, with_tag
from bbs.text_safety import cell_width, clean_line, truncate_display
from screens.base import BBSScreen, ReloadingPanel, ResourcePanel
from screens.tcss import default_css
from screens.widgets import BUSY, PlainText, session_text, styled_line

if TYPE_CHECKING:
    from bbs.resources.service import ResourceService


FAVOURITE_MARK = "*"


def tags_text(tags: tuple[str, ...], width: int) -> str:
    """As many whole tags as fit in `width` cells, then "…" if some were left out."""
    shown: list[str] = []
    for index, tag in enumerate(tags):
        more = index < len(tags) - 1
        candidate = ", ".join([*shown, clean_line(tag)]) + (", …" if more else "")
        if cell_width(candidate) > width:
            break
        shown.append(clean_line(tag))
    text = ", ".join(shown)
    if len(shown) < len(tags):
        text = f"{text}, …" if shown else truncate_display(clean_line(tags[0]), width)
    return text


def resource_line(view: ResourceView, favourite: bool) -> Content:
    """One entry in a list, within 77 cells: a favourite mark, the title, then its tags."""
    mark = FAVOURITE_MARK if favourite else " "
    title = truncate_display(clean_line(view.title), 38).ljust(39)
    tags = tags_text(view.tags, 36)
    return styled_line((mark + " ", "bold"), (title, "bold" if favourite else ""), (tags, "dim"))


def _member_id(screen: BBSScreen[Any]) -> int | None:
    member = screen.bbs.member
    return member.id if member is not None else None


class TagPickerScreen(ModalScreen[str | None]):
    """Pick one tag to show only the entries that have it."""

    AUTO_FOCUS = "#tags"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss", "Cancel")]
    DEFAULT_CSS = default_css(__file__, "TagPickerScreen")

    def __init__(self, tags: list[tuple[str, int]]) -> None:
        super().__init__()
        self.tags = tags

    def compose(self) -> ComposeResult:
        with Vertical():
            yield PlainText(session_text(self, N_("Show entries tagged:")), classes="title")
            # The keys above the list: a notification at the foot of the screen cannot
            # cover them.
            yield PlainText(session_text(self, N_("Enter choose  Esc cancel")), classes="note")
            yield OptionList(
                *[
                    Option(styled_line(f"{tag} ({n})"), id=f"t{i}")
                    for i, (tag, n) in enumerate(self.tags)
                ],
                id="tags",
            )

    @on(OptionList.OptionSelected, "#tags")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.tags[event.option_index][0])


class ResourceReadScreen(ResourcePanel):
    """One entry to read, in a scroll view; F keeps it as a favourite (or lets it go)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "back", "Back", show=False),
        Binding("f", "favourite", "Favourite"),
    ]
    DEFAULT_CSS = default_css(__file__, "ResourceReadScreen")
    STATUS_ID = "resource-status"

    def __init__(self, view: ResourceView, favourite: bool, *, resources: ResourceService) -> None:
        super().__init__(resources=resources)
        self.entry = view
        self.favourite = favourite

    def compose(self) -> ComposeResult:
        yield PlainText(self.entry.title, classes="title", id="resource-title")
        tags = self.t(N_("Tags: {tags}")).format(tags=", ".join(self.entry.tags))
        yield PlainText(tags, classes="note", id="resource-tags")
        with VerticalScroll(id="resource-scroll"):
            yield PlainText(self.entry.body, id="resource-body", classes="body")
            source = self.t(N_("Source: {source}")).format(source=self.entry.source)
            yield PlainText("\n" + source, id="resource-source", classes="note")
        yield from self.footer(N_(" Esc back   F favourite   Up/Down/PgUp/PgDn scroll   F1 help"))

    def on_mount(self) -> None:
        self._show_state()
        self.query_one("#resource-scroll").focus()

    def _show_state(self, *, changed: bool = False) -> None:
        if self.favourite:
            state = (
                N_("Saved. One of your favourites (F to remove).")
                if changed
                else N_("One of your favourites (F to remove).")
            )
        else:
            state = (
                N_("Removed. F keeps this in your favourites.")
                if changed
                else N_("F keeps this in your favourites.")
            )
        self.say(state)

    async def action_favourite(self) -> None:
        member_id = _member_id(self)
        if member_id is None:
            return
        try:
            self.favourite = await self._resources.set_favourite(
                member_id, self.entry.id, not self.favourite
            )
        except (ResourceError, StoreBusyError) as error:
            self.say(error)
            return
        self._show_state(changed=True)


class ResourceLibraryScreen(ResourcePanel, ReloadingPanel):
    """Every entry with its tags; filter by a tag or by favourites, Enter to read."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "favourite", "Favourite"),
        Binding("t", "pick_tag", "Tag"),
        Binding("v", "favourites_only", "Favourites"),
        Binding("a", "show_all", "All"),
    ]
    DEFAULT_CSS = default_css(__file__, "ResourceLibraryScreen")
    STATUS_ID = "library-status"
    FOCUS_ID = "resources"

    def __init__(self, *, resources: ResourceService) -> None:
        super().__init__(resources=resources)
        self.library: list[ResourceView] = []
        self.favourites: set[int] = set()
        self.shown: list[ResourceView] = []
        self.tag: str | None = None
        self.only_favourites = False

    def compose(self) -> ComposeResult:
        yield PlainText(self.t(N_("Resource library")), classes="title", id="library-title")
        yield PlainText(
            self.t(
                N_(
                    "Coping strategies and self-help exercises. They are not a substitute "
                    "for care: if you are in danger, the crisis lines are under F1."
                )
            ),
            classes="note",
        )
        yield PlainText("", id="library-filter", classes="note")
        yield OptionList(id="resources")
        yield from self.footer(
            N_(" Enter read  F favourite  T tag  V favourites  A all  Esc back  F1 help")
        )

    async def reload(self) -> None:
        service = self._resources
        member_id = _member_id(self)
        try:
            self.library = await service.library(self.bbs.language)
            self.favourites = (
                await service.favourite_ids(member_id, self.bbs.language)
                if member_id is not None
                else set()
            )
        except StoreBusyError:
            self.say(BUSY)
            return
        self._show()

    def _show(self) -> None:
        shown = self.library
        if self.tag is not None:
            shown = with_tag(shown, self.tag)
        if self.only_favourites:
            shown = [v for v in shown if v.id in self.favourites]
        self.shown = shown
        if self.tag is None:
            which = (
                N_("Your favourites: {shown} of {total}.")
                if self.only_favourites
                else N_("All entries: {shown} of {total}.")
            )
        else:
            which = (
                N_("Your favourites tagged {tag}: {shown} of {total}.")
                if self.only_favourites
                else N_("All entries tagged {tag}: {shown} of {total}.")
            )
        language = self.bbs.language
        self.query_one("#library-filter", PlainText).show(
            self.t(which).format(
                tag=self.tag,
                shown=format_number(len(shown), language),
                total=format_number(len(self.library), language),
            )
        )
        self.show_options(
            "resources",
            [Option(resource_line(v, v.id in self.favourites), id=f"r{v.id}") for v in shown],
            empty=N_("No favourites yet. Open an entry and press F to keep it here.")
            if self.only_favourites
            else N_("Nothing here yet.")
            if not self.library
            else N_("No entries match. Press A to show them all."),
            keep=True,
        )

    def _selected(self) -> ResourceView | None:
        return self.highlighted_item("resources", self.shown)

    @on(OptionList.OptionSelected, "#resources")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if 0 <= event.option_index < len(self.shown):
            view = self.shown[event.option_index]
            self.app.push_screen(
                ResourceReadScreen(view, view.id in self.favourites, resources=self._resources)
            )

    async def action_favourite(self) -> None:
        view = self._selected()
        member_id = _member_id(self)
        if view is None or member_id is None:
            return
        on_now = view.id not in self.favourites
        try:
            kept = await self._resources.set_favourite(member_id, view.id, on_now)
        except (ResourceError, StoreBusyError) as error:
            self.say(error)
            return
        if kept:
            self.favourites.add(view.id)
        else:
            self.favourites.discard(view.id)
        said = (
            N_("Kept in your favourites: {title}")
            if kept
            else N_("Removed from favourites: {title}")
        )
        self.say(self.t(said).format(title=clean_line(view.title)))
        self._show()

    @work(exclusive=True, group="dialog")
    async def action_pick_tag(self) -> None:
        tags = library_tags(self.library)
        if not tags:
            return
        counts = [(t, len(with_tag(self.library, t))) for t in tags]
        chosen = await self.app.push_screen_wait(TagPickerScreen(counts))
        if chosen is not None:
            self.tag = chosen
            self.query_one("#resources", OptionList).highlighted = None
            self._show()

    def action_favourites_only(self) -> None:
        self.only_favourites = not self.only_favourites
        self.query_one("#resources", OptionList).highlighted = None
        self._show()

    def action_show_all(self) -> None:
        self.tag = None
        self.only_favourites = False
        self.query_one("#resources", OptionList).highlighted = None
        self._show()
