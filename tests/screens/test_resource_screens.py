"""Pilot tests for the resource library: Help -> R -> read -> favourite; sysops add and retire."""

from __future__ import annotations

from support import option_prompts, sign_up, text_of, until
from textual.widgets import OptionList

from bbs.community import Community
from bbs.models import Role
from screens.admin import ReviewQueueScreen
from screens.app import BBSApp, SessionContext
from screens.help import HelpScreen
from screens.resources import ResourceLibraryScreen, ResourceReadScreen, TagPickerScreen
from screens.resources_admin import ResourceAdminScreen, ResourceFormScreen

HOSTILE_BODY = (
    "[bold red]not markup[/] [@click=app.quit]quit[/]\n\x1b[2J\x1b]52;c;aGk=\x07escape gone"
)


async def test_help_r_opens_the_library_and_an_entry_can_be_kept(community: Community) -> None:
    member = await sign_up(community, "Fern")
    app = BBSApp(SessionContext(community.services, member))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert "Resource library" in text_of(app, "#help-resources")
        await pilot.press("r")
        await until(
            pilot,
            lambda: isinstance(app.screen, ResourceLibraryScreen) and len(app.screen.shown) >= 15,
        )  # type: ignore[attr-defined]
        prompts = option_prompts(app, "#resources")
        assert prompts[0].lstrip().startswith("5-4-3-2-1 grounding")
        assert "grounding" in prompts[0] and all(len(p) <= 78 for p in prompts)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ResourceReadScreen))
        assert "Notice 5 things you can see" in text_of(app, "#resource-body")
        assert "Widely used grounding technique" in text_of(app, "#resource-source")
        await pilot.press("f")
        await until(pilot, lambda: text_of(app, "#resource-status").startswith("Saved."))
        kept = await community.resources.favourites(member.id)
        assert [v.title for v in kept] == ["5-4-3-2-1 grounding"]
        await pilot.press("escape")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, ResourceLibraryScreen)
                and option_prompts(app, "#resources")[0].startswith("*")
            ),
        )
        # Favourites only, then a tag filter, then everything again.
        await pilot.press("v")
        await until(pilot, lambda: len(option_prompts(app, "#resources")) == 1)
        assert "Your favourites: 1 of" in text_of(app, "#library-filter")
        await pilot.press("a", "t")
        await until(pilot, lambda: isinstance(app.screen, TagPickerScreen))
        picker = app.screen
        assert isinstance(picker, TagPickerScreen)
        picker.query_one(OptionList).highlighted = [t for t, _n in picker.tags].index("cravings")
        await pilot.press("enter")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, ResourceLibraryScreen)
                and "tagged cravings" in text_of(app, "#library-filter")
            ),
        )
        shown = app.screen.shown  # type: ignore[attr-defined]
        assert shown and all("cravings" in v.tags for v in shown)
        assert any(v.title == "Urge surfing" for v in shown)
        # F on the list lets the favourite go again.
        await pilot.press("a")
        await until(pilot, lambda: "All entries" in text_of(app, "#library-filter"))
        await pilot.press("f")
        await until(pilot, lambda: "Removed" in text_of(app, "#library-status"))
    assert await community.resources.favourites(member.id) == []


async def test_sysop_adds_and_retires_an_entry_and_hostile_text_stays_literal(
    community: Community,
) -> None:
    sysop = await sign_up(community, "Keeper", Role.SYSOP)
    app = BBSApp(SessionContext(community.services, sysop))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ReviewQueueScreen))
        await pilot.press("i")
        await until(
            pilot,
            lambda: isinstance(app.screen, ResourceAdminScreen) and len(app.screen.records) >= 15,
        )  # type: ignore[attr-defined]
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, ResourceFormScreen))
        await pilot.press(*"Walk round the block", "enter", *"stress, Low Mood", "enter", "enter")
        # An empty body is refused kindly and nothing typed is lost.
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "write the body" in text_of(app, "#res-error"))
        form = app.screen
        assert isinstance(form, ResourceFormScreen)
        assert form.values()[:2] == ("Walk round the block", "stress, Low Mood")
        await pilot.press(*"Ten minutes outside.")
        await pilot.press("ctrl+s")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, ResourceAdminScreen)
                and "Added" in text_of(app, "#res-admin-status")
            ),
        )
        added = next(
            v for v in await community.resources.library() if v.title == "Walk round the block"
        )
        assert added.tags == ("stress", "low mood") and added.body == "Ten minutes outside."
        admin_screen = app.screen
        assert isinstance(admin_screen, ResourceAdminScreen)
        index = next(i for i, r in enumerate(admin_screen.records) if r.view.id == added.id)
        admin_screen.query_one(OptionList).highlighted = index
        await pilot.press("x")
        await until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        await pilot.press("y")
        await until(pilot, lambda: "Retired" in text_of(app, "#res-admin-status"))
        assert await community.resources.get(added.id) is None
        assert option_prompts(app, "#res-records")[-1].startswith("retired")
    log = await community.admin.audit(sysop.id)
    assert {"resource-add", "resource-retire"} <= {e.action for e in log}


async def test_hostile_body_is_shown_literally_to_members(community: Community) -> None:
    sysop = await sign_up(community, "Keeper", Role.SYSOP)
    member = await sign_up(community, "Fern")
    entry = await community.resources.add(
        sysop.id, title="[b]Aaa[/b] tricky", body=HOSTILE_BODY, source="[i]me[/i]", tags="stress"
    )
    app = BBSApp(SessionContext(community.services, member))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("r")
        await until(
            pilot,
            lambda: isinstance(app.screen, ResourceLibraryScreen) and len(app.screen.shown) >= 16,
        )  # type: ignore[attr-defined]
        prompts = option_prompts(app, "#resources")
        index = next(i for i, p in enumerate(prompts) if "[b]Aaa[/b] tricky" in p)
        app.screen.query_one("#resources", OptionList).highlighted = index
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ResourceReadScreen))
        body = text_of(app, "#resource-body")
        assert body == entry.body
        assert "[bold red]not markup[/] [@click=app.quit]quit[/]" in body
        assert "\x1b" not in body and "escape gone" in body
        assert "[i]me[/i]" in text_of(app, "#resource-source")
        assert app.is_running  # the [@click=app.quit] text did nothing


async def test_members_and_moderators_cannot_manage_the_library(community: Community) -> None:
    mod = await sign_up(community, "Helper", Role.MODERATOR)
    app = BBSApp(SessionContext(community.services, mod))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ReviewQueueScreen))
        await pilot.press("i")
        await pilot.pause()  # the key is handled: a negative check, no screen is to open
        assert isinstance(app.screen, ReviewQueueScreen)
        # Even a screen pushed by hand gets nothing: the core checks the role.
        app.push_screen(ResourceAdminScreen(resources=community.resources))
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, ResourceAdminScreen)
                and "Only sysops" in text_of(app, "#res-admin-status")
            ),
        )
        assert app.screen.records == []  # type: ignore[attr-defined]
