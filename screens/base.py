"""The base classes of our screens: typed access to the session's app (services come in
each screen's constructor), the status line, and the screens Esc leaves."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from bbs.errors import StoreBusyError
from bbs.text_safety import clean_line
from screens.widgets import BUSY, KeyBar, PlainText

if TYPE_CHECKING:
    from bbs.accounts.members import MemberView
    from bbs.admin.service import AdminService
    from bbs.boards.service import BoardService
    from bbs.mail.service import MailService
    from bbs.resources.service import ResourceService
    from screens.app import BBSApp

ResultType = TypeVar("ResultType")
T = TypeVar("T")


class Titled(Protocol):
    """What a form returns when it saved something with a title (a goal, an entry)."""

    @property
    def title(self) -> str: ...


TitledT = TypeVar("TitledT", bound=Titled)

# Ctrl+S saves a form, from any of its fields (priority: before a field takes the key).
SAVE_KEY = Binding("ctrl+s", "save", "Save", priority=True)


@dataclass(frozen=True)
class Got(Generic[T]):
    """What a call that went through returned (`BBSScreen.tried`)."""

    value: T


class BBSScreen(Screen[ResultType]):
    """A screen of BBSApp; `self.bbs` is the app, typed."""

    # The PlainText that `say` writes to.
    STATUS_ID: ClassVar[str] = "status"

    @property
    def bbs(self) -> BBSApp:
        from screens.app import BBSApp

        app = self.app
        assert isinstance(app, BBSApp)
        return app

    @property
    def member(self) -> MemberView:
        """The signed-in member (every screen but sign-up's is shown to one)."""
        member = self.bbs.member
        assert member is not None
        return member

    @property
    def member_id(self) -> int:
        return self.member.id

    def t(self, message: object) -> str:
        """`message` in the member's language (`BBSApp.t`): `N_` constants, `said`
        messages and the exceptions that carry them."""
        return self.bbs.t(message)

    def say(self, text: object) -> None:
        """Show `text` on the status line, literally, in the member's language (`t`):
        pass a core error itself, not `str(error)`, so its parameters are kept."""
        self.query_one(f"#{self.STATUS_ID}", PlainText).show(self.t(text))

    def heading(self, title: str, note: str) -> tuple[PlainText, PlainText]:
        """A page's title and the note under it, both `N_` messages said in the member's
        language: `yield from self.heading(...)` in `compose`."""
        return PlainText(self.t(title), classes="title"), PlainText(self.t(note), classes="note")

    def footer(self, keys: str, *, keys_id: str | None = None) -> tuple[PlainText, KeyBar]:
        """What ends a page: the status line (`STATUS_ID`, empty until `say`) and the key
        bar (`keys`, an `N_` message): `yield from self.footer(...)` in `compose`."""
        return PlainText("", id=self.STATUS_ID, classes="note"), KeyBar(keys, id=keys_id)

    def highlighted_item(self, list_id: str, items: Sequence[T]) -> T | None:
        """The item of `items` that the OptionList `list_id` (one option an item) has
        highlighted, if any."""
        index = self.query_one(f"#{list_id}", OptionList).highlighted
        if index is None or not 0 <= index < len(items):
            return None
        return items[index]

    def open_chosen(
        self, event: OptionList.OptionSelected, screen: Callable[[int], Screen[Any]]
    ) -> None:
        """Open `screen(id)` for the option chosen in a list whose option ids are record
        ids (an option without an id, such as an "empty" line, opens nothing)."""
        if event.option.id:
            self.app.push_screen(screen(int(event.option.id)))

    def show_options(
        self,
        list_id: str,
        options: Sequence[Option],
        *,
        empty: str | None = None,
        keep: bool = False,
    ) -> None:
        """Show `options` in the OptionList `list_id`, the first highlighted or, with
        `keep`, the line that was (the last if the list is shorter now); with none, the
        one disabled line `empty` (an `N_` message) when given."""
        listing = self.query_one(f"#{list_id}", OptionList)
        was = listing.highlighted if keep else None
        listing.clear_options()
        listing.add_options(options)
        if options:
            listing.highlighted = min(was or 0, len(options) - 1)
        elif empty is not None:
            listing.add_option(Option(Content(self.t(empty)), disabled=True))

    def fill_list(self, list_id: str, prompts: Sequence[Content], *, empty: str) -> None:
        """Show `prompts` in the OptionList `list_id`, the first highlighted; with none, say
        `empty` on the status line."""
        self.show_options(list_id, [Option(prompt) for prompt in prompts])
        if not prompts:
            self.say(empty)

    async def tried(self, call: Awaitable[T], *refusals: type[Exception]) -> Got[T] | None:
        """Await `call`; None, with the reason on the status line, when it raises one of
        `refusals` (its own message) or the store is busy (BUSY)."""
        try:
            return Got(await call)
        except refusals as error:
            self.say(error)
        except StoreBusyError:
            self.say(BUSY)
        return None


class PanelScreen(BBSScreen[None]):
    """A screen that Esc leaves, returning nothing (its own BINDINGS add to Esc)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back")]

    def action_back(self) -> None:
        self.dismiss(None)


class AdminPanel(PanelScreen):
    """A panel that works with the admin service (the staff's pages, the public log)."""

    def __init__(self, *, admin: AdminService) -> None:
        super().__init__()
        self._admin = admin


class ForumPanel(PanelScreen):
    """A panel that works with the boards and private mail (whoever wrote a post or a
    message can be written to, and what opens from one needs both)."""

    def __init__(self, *, boards: BoardService, mail: MailService) -> None:
        super().__init__()
        self._boards = boards
        self._mail = mail


class ResourcePanel(PanelScreen):
    """A panel that works with the resource library."""

    def __init__(self, *, resources: ResourceService) -> None:
        super().__init__()
        self._resources = resources


class LoadingPanel(PanelScreen):
    """A PanelScreen that loads its data (`reload`) when shown, then focuses `FOCUS_ID`."""

    FOCUS_ID: ClassVar[str]

    async def reload(self) -> None:
        raise NotImplementedError

    async def on_mount(self) -> None:
        await self.reload()
        self.query_one(f"#{self.FOCUS_ID}").focus()

    async def reload_after(self, dialog: Screen[TitledT | None], said: str) -> None:
        """Show `dialog` and wait; when it returns something, say `said` (an `N_`
        message, given the title of what came back as {title}) and load again."""
        result = await self.app.push_screen_wait(dialog)
        if result is not None:
            self.say(self.t(said).format(title=clean_line(result.title)))
            await self.reload()


class ListPanel(LoadingPanel):
    """A LoadingPanel whose page is one list (`FOCUS_ID`) under a title (`HEADING`) and
    a note (`NOTE`), with the status line and the key bar (`KEYS`) below it; the three
    are marked with `N_` and said in the member's language."""

    HEADING: ClassVar[str]
    NOTE: ClassVar[str]
    KEYS: ClassVar[str]

    def compose(self) -> ComposeResult:
        yield from self.heading(self.HEADING, self.NOTE)
        yield OptionList(id=self.FOCUS_ID)
        yield from self.footer(self.KEYS)


class ReloadingPanel(LoadingPanel):
    """A LoadingPanel that loads again whenever it comes back on top."""

    async def on_screen_resume(self) -> None:
        await self.reload()
