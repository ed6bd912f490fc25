"""Pilot tests for For you: opting in, reasons shown, opening, dismissing, peers and their keys."""

from __future__ import annotations

from datetime import timedelta

from support import (
    let_new_members_write,
    member_app,
    option_prompts,
    post_in,
    sign_up,
    text_of,
    until,
)
from textual.widgets import Checkbox, OptionList, Static

from bbs.community import Community
from screens.boards import ThreadListScreen
from screens.compose import ComposeScreen
from screens.menu import MainMenuScreen
from screens.profile import ProfileScreen
from screens.suggestions import ForYouScreen, SuggestionSettingsScreen
from suggest.engine import SeedThemeEngine


def _ready(community: Community) -> None:
    community.suggestions.set_engine(SeedThemeEngine())
    community.boards.rules = type(community.boards.rules)(
        interval=timedelta(0), new_account_interval=timedelta(0)
    )
    let_new_members_write(community.database)


async def test_opt_in_from_for_you_then_sleep_suggestions_open_and_dismiss(
    community: Community,
) -> None:
    _ready(community)
    app = await member_app(community, "Nova")
    assert app.member is not None
    await post_in(
        community,
        app.member.id,
        "Off-topic",
        "Nights",
        "I cannot sleep, awake at 3am with insomnia, so tired.",
    )
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, MainMenuScreen)
        await pilot.press("f")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, ForYouScreen)
                and "Suggestions are off" in text_of(app, "#message", Static)
            ),
        )
        assert option_prompts(app, "#suggestions") == []
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, SuggestionSettingsScreen))
        statement = text_of(app, "#opt-in-text", Static)
        assert "your own posts, your goals and your check-in notes" in statement
        assert "Nothing leaves it" in statement
        await pilot.press("space")  # tick "Suggestions for me"
        assert app.screen.query_one("#suggestions-on", Checkbox).value
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Suggestions are on" in text_of(app, "#status", Static))
        await pilot.press("escape")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, ForYouScreen)
                and any("Sleep" in p for p in option_prompts(app, "#suggestions"))
            ),
        )
        first = option_prompts(app, "#suggestions")[0]
        assert first.startswith("Board") and "Sleep" in first
        assert "because you wrote about sleep" in first
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ThreadListScreen))
        assert app.screen.board_id == next(  # type: ignore[attr-defined]
            b.id for b in await community.boards.board_list(app.member.id) if b.name == "Sleep"
        )
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ForYouScreen))
        await pilot.press("d")
        await until(
            pilot,
            lambda: (
                "Dismissed" in text_of(app, "#status", Static)
                and not any(
                    p.startswith("Board") and "Sleep" in p
                    for p in option_prompts(app, "#suggestions")
                )
            ),
        )


async def test_profile_reaches_the_settings_and_turning_off_asks_first(
    community: Community,
) -> None:
    _ready(community)
    app = await member_app(community, "Orla")
    assert app.member is not None
    await community.suggestions.set_settings(app.member.id, suggestions_on=True, peers=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, ProfileScreen))
        await pilot.press("f")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, SuggestionSettingsScreen)
                and app.screen.query_one("#peers-on", Checkbox).value
            ),
        )
        await pilot.press("space")  # untick suggestions
        await pilot.press("ctrl+s")
        await until(
            pilot,
            lambda: (
                "Y yes" in str(app.screen.query_one(Static).render()) or len(app.screen_stack) > 3
            ),
        )
        await pilot.press("y")
        await until(pilot, lambda: "deleted" in text_of(app, "#status", Static))
        assert not app.screen.query_one("#peers-on", Checkbox).value
    settings = await community.suggestions.settings(app.member.id)
    assert not settings.suggestions and not settings.peers


async def test_peers_show_shared_themes_and_invite_and_message_keys_work(
    community: Community,
) -> None:
    _ready(community)
    app = await member_app(community, "Pax")
    other = await sign_up(community, "Quill")
    shy = await sign_up(community, "Rook")
    assert app.member is not None
    for member_id, peers in ((app.member.id, True), (other.id, True), (shy.id, False)):
        await post_in(community, member_id, "Sleep", "Nights", "Insomnia, awake at 3am, tired.")
        await community.suggestions.set_settings(member_id, suggestions_on=True, peers=peers)
    await community.suggestions.refresh_pass()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f")
        await until(
            pilot,
            lambda: isinstance(app.screen, ForYouScreen) and bool(option_prompts(app, "#peers")),
        )
        peers = option_prompts(app, "#peers")
        assert len(peers) == 1 and "Quill" in peers[0] and "shares: sleep" in peers[0]
        assert all("Rook" not in p for p in peers)
        await pilot.press("tab")
        await pilot.press("i")
        await until(pilot, lambda: "Invitation sent to Quill" in text_of(app, "#status", Static))
        await pilot.press("m")
        await until(
            pilot,
            lambda: (
                "New accounts" in text_of(app, "#status", Static)
                or isinstance(app.screen, ComposeScreen)
            ),
        )
    partnerships = await community.goals.partnerships(other.id)
    assert [p.other for p in partnerships] == ["Pax"]


async def test_a_resource_suggestion_opens_in_the_library_reader_literally(
    community: Community,
) -> None:
    from bbs.models import Role
    from screens.resources import ResourceReadScreen

    _ready(community)
    sysop = await sign_up(community, "Keeper", Role.SYSOP)
    hostile = "Grief [b]tips[/b] \x1b]52;c;aGk=\x07"
    await community.resources.add(
        sysop.id,
        title="Night routine [@click=app.quit]x[/]",
        body=hostile + " after a loss, bereavement, mourning",
        source="Harbour",
        tags="grief",
    )
    app = await member_app(community, "Sol")
    assert app.member is not None
    await post_in(
        community,
        app.member.id,
        "Off-topic",
        "Missing him",
        "My dad died in spring; the grief and the funeral, I miss him.",
    )
    await community.suggestions.set_settings(app.member.id, suggestions_on=True, peers=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, ForYouScreen)
                and any("Night routine" in p for p in option_prompts(app, "#suggestions"))
            ),
        )
        prompts = option_prompts(app, "#suggestions")
        index = next(i for i, p in enumerate(prompts) if "Night routine" in p)
        assert prompts[index].startswith("Resource")
        assert "[@click=app.quit]x[/]" in prompts[index]  # shown as written, not as markup
        app.screen.query_one("#suggestions", OptionList).highlighted = index
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ResourceReadScreen))
        body = text_of(app, "#resource-body", Static)
        assert "[b]tips[/b]" in body and "\x1b" not in body and "\x07" not in body
        assert app.is_running  # the markup in the title did not quit the app
