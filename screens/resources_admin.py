"""Sysops look after the resource library: add, edit, retire and restore entries."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from bbs.errors import StoreBusyError
from bbs.i18n import DEFAULT_LANGUAGE, N_, format_number, localise
from bbs.moderation_queue.audit import AdminError
from bbs.resources.records import (
    BODY_MAX,
    SOURCE_MAX,
    TITLE_MAX,
    ResourceError,
    ResourceRecord,
    ResourceView,
)
from bbs.text_safety import clean_line, truncate_display
from screens.base import SAVE_KEY, BBSScreen, LoadingPanel, ResourcePanel
from screens.compose import ConfirmScreen, PostEditor, confirm_then
from screens.resources import ResourceReadScreen, tags_text
from screens.tcss import default_css
from screens.widgets import BUSY, KeyBar, PlainText, TextField, styled_line

if TYPE_CHECKING:
    from bbs.resources.service import ResourceService


_PROBLEMS = (ResourceError, AdminError, StoreBusyError)
# A new entry's source line until the sysop writes another (stored as written).
DEFAULT_SOURCE = N_("Written for this community")
RETIRED = N_("retired")


def record_line(record: ResourceRecord, lang: str = DEFAULT_LANGUAGE) -> Content:
    """One entry in the sysop's list, within 76 cells: state, language, title, tags."""
    view = record.view
    retired = truncate_display(localise(RETIRED, lang), 12)
    # A longer word for "retired" takes its room from the tags.
    width = max(8, len(retired) + 1)
    state = (retired if record.retired else "").ljust(width)
    title = truncate_display(clean_line(view.title), 33).ljust(34)
    tags = tags_text(view.tags, 30 - (width - 8))
    return styled_line(
        (state, "bold"), f"{view.lang} ", (title, "dim" if record.retired else ""), (tags, "dim")
    )


class ResourceFormScreen(BBSScreen[ResourceView | None]):
    """A new entry or changes to one; Ctrl+S saves, and a refusal keeps everything typed."""

    AUTO_FOCUS = "#res-title"
    BINDINGS: ClassVar[list[BindingType]] = [
        SAVE_KEY,
        Binding("escape", "cancel", "Cancel", priority=True),
    ]
    DEFAULT_CSS = default_css(__file__, "ResourceFormScreen")

    def __init__(self, entry: ResourceView | None, *, resources: ResourceService) -> None:
        super().__init__()
        self._resources = resources
        self.entry = entry

    def _original(self) -> tuple[str, str, str, str]:
        e = self.entry
        if e is None:
            return ("", "", self.t(DEFAULT_SOURCE), "")
        return (e.title, ", ".join(e.tags), e.source, e.body)

    def compose(self) -> ComposeResult:
        title, tags, source, body = self._original()
        t = self.t
        yield PlainText(
            t(N_("Edit resource")) if self.entry else t(N_("New resource")), classes="title"
        )
        yield PlainText(
            t(N_("Title (up to {most} characters)")).format(most=self._number(TITLE_MAX)),
            classes="field-label",
        )
        yield TextField(title, id="res-title", max_length=TITLE_MAX * 2)
        yield PlainText(
            t(N_("Tags, separated by commas (e.g. sleep, anxiety)")), classes="field-label"
        )
        yield TextField(tags, id="res-tags", max_length=400)
        yield PlainText(t(N_("Source line (honest: where it comes from)")), classes="field-label")
        yield TextField(source, id="res-source", max_length=SOURCE_MAX * 2)
        yield PlainText(
            t(N_("Body (up to {most} characters; plain text)")).format(most=self._number(BODY_MAX)),
            classes="field-label",
        )
        yield PostEditor(body, id="res-body", soft_wrap=True, tab_behavior="focus")
        yield PlainText("", id="res-error", classes="error")
        yield KeyBar(N_(" Tab next field   Ctrl+S save   Esc cancel"))

    def _number(self, value: int) -> str:
        return format_number(value, self.bbs.language)

    def values(self) -> tuple[str, str, str, str]:
        return (
            self.query_one("#res-title", TextField).value,
            self.query_one("#res-tags", TextField).value,
            self.query_one("#res-source", TextField).value,
            self.query_one("#res-body", PostEditor).text,
        )

    @on(Input.Submitted, "#res-source")
    def _to_body(self, _event: Input.Submitted) -> None:
        self.query_one("#res-body", PostEditor).focus()

    @on(PostEditor.TooLong)
    def _too_long(self, event: PostEditor.TooLong) -> None:
        self._error(
            self.t(
                N_(
                    "That paste is {size} characters, far beyond the {most} a resource "
                    "takes, so nothing was pasted."
                )
            ).format(size=self._number(event.size), most=self._number(BODY_MAX))
        )

    def _error(self, text: object) -> None:
        self.query_one("#res-error", PlainText).show(self.t(text))

    async def action_save(self) -> None:
        member = self.bbs.member
        if member is None:
            return
        title, tags, source, body = self.values()
        service = self._resources
        try:
            if self.entry is None:
                # A new entry is in the language the sysop is working in.
                saved = await service.add(
                    member.id,
                    title=title,
                    body=body,
                    source=source,
                    tags=tags,
                    lang=self.bbs.language,
                )
            else:
                saved = await service.edit(
                    member.id, self.entry.id, title=title, body=body, source=source, tags=tags
                )
        except _PROBLEMS as error:
            self._error(error)
            return
        self.dismiss(saved)

    @work(exclusive=True, group="dialog")
    async def action_cancel(self) -> None:
        if self.values() != self._original() and not await self.app.push_screen_wait(
            ConfirmScreen(self.t(N_("Leave without saving? What you typed here will be lost.")))
        ):
            return
        self.dismiss(None)


class ResourceAdminScreen(ResourcePanel, LoadingPanel):
    """Every entry, retired ones too: N new, E edit, X retire or restore, Enter read."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New"),
        Binding("e", "edit", "Edit"),
        Binding("x", "retire", "Retire/restore"),
    ]
    DEFAULT_CSS = default_css(__file__, "ResourceAdminScreen")
    STATUS_ID = "res-admin-status"
    FOCUS_ID = "res-records"

    def __init__(self, *, resources: ResourceService) -> None:
        super().__init__(resources=resources)
        self.records: list[ResourceRecord] = []

    def compose(self) -> ComposeResult:
        yield PlainText(
            self.t(N_("Resource library (sysops)")), classes="title", id="res-admin-title"
        )
        yield PlainText(
            self.t(
                N_(
                    "Retired entries stay here and can be restored; members' favourites "
                    "come back with them."
                )
            ),
            classes="note",
        )
        yield OptionList(id="res-records")
        yield from self.footer(N_(" Enter read  N new  E edit  X retire/restore  Esc back"))

    def _actor(self) -> int | None:
        member = self.bbs.member
        return member.id if member is not None else None

    async def reload(self) -> None:
        actor = self._actor()
        if actor is None:
            return
        try:
            self.records = await self._resources.all(actor)
        except _PROBLEMS as error:
            self.say(BUSY if isinstance(error, StoreBusyError) else error)
            return
        retired = sum(1 for r in self.records if r.retired)
        self.query_one("#res-admin-title", PlainText).show(
            self.t(N_("Resource library (sysops): {shown} shown, {retired} retired")).format(
                shown=len(self.records) - retired, retired=retired
            )
        )
        lang = self.bbs.language
        self.show_options(
            "res-records",
            [Option(record_line(r, lang), id=f"r{r.view.id}") for r in self.records],
            empty=N_("No entries. Press N to write one."),
            keep=True,
        )

    def _selected(self) -> ResourceRecord | None:
        return self.highlighted_item("res-records", self.records)

    @on(OptionList.OptionSelected, "#res-records")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if 0 <= event.option_index < len(self.records):
            self.app.push_screen(
                ResourceReadScreen(
                    self.records[event.option_index].view, False, resources=self._resources
                )
            )

    @work(exclusive=True, group="dialog")
    async def action_new(self) -> None:
        await self.reload_after(
            ResourceFormScreen(None, resources=self._resources),
            N_("Added: {title}. It is in the audit log."),
        )

    @work(exclusive=True, group="dialog")
    async def action_edit(self) -> None:
        record = self._selected()
        if record is None:
            return
        await self.reload_after(
            ResourceFormScreen(record.view, resources=self._resources),
            N_("Saved: {title}."),
        )

    @work(exclusive=True, group="dialog")
    async def action_retire(self) -> None:
        record = self._selected()
        actor = self._actor()
        if record is None or actor is None:
            return
        title = truncate_display(clean_line(record.view.title), 40)
        question = (
            self.t(N_("Restore \u201c{title}\u201d to the library?"))
            if record.retired
            else self.t(
                N_("Retire \u201c{title}\u201d? Members stop seeing it; you can restore it later.")
            )
        ).format(title=title)
        done = await confirm_then(
            self,
            question,
            lambda: self._resources.retire(actor, record.view.id, retired=not record.retired),
            *_PROBLEMS,
        )
        if done is None:
            return
        self.say(
            (
                self.t(N_("Retired: {title}"))
                if done.value.retired
                else self.t(N_("Restored: {title}"))
            ).format(title=title)
        )
        await self.reload()
