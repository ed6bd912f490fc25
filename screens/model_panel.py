"""The sysop's model panel: the model in use, its evaluation, retrain with progress, roll back."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import ProgressBar

from bbs.errors import StoreBusyError
from bbs.i18n import N_
from bbs.moderation_queue.audit import AdminError
from screens.base import AdminPanel
from screens.tcss import default_css
from screens.widgets import KeyBar, PlainText

if TYPE_CHECKING:
    pass


OUTPUT_LINES = 12


class ModelPanelScreen(AdminPanel):
    """T retrains (in a child process, never on the shared loop), B rolls back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "retrain", "Retrain"),
        Binding("b", "rollback", "Roll back"),
    ]
    DEFAULT_CSS = default_css(__file__, "ModelPanelScreen")
    STATUS_ID = "model-status"
    busy = False
    output: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        yield PlainText(self.t(N_("Moderation model (sysops)")), classes="title")
        with VerticalScroll(id="model-scroll"):
            yield PlainText(self.t(N_("Reading...")), id="model-status", classes="body")
            yield PlainText("", id="model-output", classes="body")
        bar = ProgressBar(total=None, show_eta=False, id="model-progress")
        bar.display = False
        yield bar
        yield KeyBar(N_(" T retrain from decisions   B roll back   Esc back"))

    async def on_mount(self) -> None:
        await self.load()

    async def load(self) -> None:
        status = await self.tried(
            self._admin.model_status(self.member_id), AdminError, StoreBusyError
        )
        if status is None:
            return
        st = status.value
        t = self.t
        lines = [
            t(N_("In use: {current}    versions kept: {versions}")).format(
                current=st.current, versions=", ".join(st.versions)
            ),
            t(N_("Sysop decisions gathered: {total}, {since} since this model was trained")).format(
                total=st.decisions_total, since=st.decisions_since
            ),
            "",
            t(N_("Evaluation (seed validation split):")),
        ]
        lines += [f"  {t(line)}" for line in st.evaluation]
        self.say("\n".join(lines))

    def _line(self, line: str) -> None:
        self.output = (*self.output, line)[-OUTPUT_LINES:]
        self.query_one("#model-output", PlainText).show("\n".join(self.output))

    @work(exclusive=True, group="model")
    async def action_retrain(self) -> None:
        await self._operate(retrain=True)

    @work(exclusive=True, group="model")
    async def action_rollback(self) -> None:
        await self._operate(retrain=False)

    async def _operate(self, *, retrain: bool) -> None:
        member = self.bbs.member
        if member is None or self.busy:
            return
        self.busy = True
        bar = self.query_one("#model-progress", ProgressBar)
        bar.display = True
        self.output = ()
        self._line(
            self.t(N_("Retraining: this takes a minute or two..."))
            if retrain
            else self.t(N_("Rolling back..."))
        )
        admin = self._admin
        try:
            if retrain:
                kept = await admin.retrain_model(member.id, self._line)
                self._line(
                    self.t(N_("The new model is in use."))
                    if kept
                    else self.t(N_("The new model was no better, so the current one stays."))
                )
            else:
                version = await admin.rollback_model(member.id)
                self._line(self.t(N_("Now using {version}.")).format(version=version))
        except (AdminError, StoreBusyError, ValueError) as error:
            self._line(self.t(error))
        finally:
            self.busy = False
            bar.display = False
        await self.load()
