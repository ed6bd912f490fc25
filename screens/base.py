"""The base class of our screens: typed access to the session's app (services come in each
screen's constructor)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.screen import Screen

if TYPE_CHECKING:
    from screens.app import BBSApp

ResultType = TypeVar("ResultType")


class BBSScreen(Screen[ResultType]):
    """A screen of BBSApp; `self.bbs` is the app, typed."""

    @property
    def bbs(self) -> BBSApp:
        from screens.app import BBSApp

        app = self.app
        assert isinstance(app, BBSApp)
        return app
