"""Pilot tests for the admin screens: the queue, an action with a reason, notices and appeals."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from support import NO_WAIT, reach, settle, sign_up, text_of
from textual.widgets import OptionList

from bbs.admin import review as admin
from bbs.admin.service import ModelStatus
from bbs.boards import records as boards
from bbs.boards.records import PostStatus
from bbs.community import Community
from bbs.models import Role
from bbs.moderation_queue import sanctions
from bbs.moderation_queue.flags import Written
from bbs.moderation_queue.policy import Action
from bbs.rooms import records as rooms
from screens.admin import MemberLookupScreen, ReasonDialog, ReviewQueueScreen
from screens.app import BBSApp, SessionContext
from screens.menu import MainMenuScreen
from screens.moderation_notices import ModerationNews, NoticesScreen
from screens.widgets import KeyMenu, TextField

HOSTILE = "[b]you[/b] are [@click=app.quit]nothing[/] \x1b]52;c;aGk=\x07"


def _post(community: Community, author: int, body: str, action: Action) -> int:
    with community.database.read() as session:
        board_id = boards.all_boards(session)[0].id
    with community.database.write() as session:
        return boards.create_thread(
            session,
            author_id=author,
            board_id=board_id,
            written=Written(
                boards.clean_post("Title", body, ""),
                action,
                "harassment=0.93 spam=0.01 crisis=0.01",
            ),
            rules=NO_WAIT,
        ).id


async def _is(value: Awaitable[object], wanted: object) -> bool:
    return await value == wanted


async def _has(text: Awaitable[str], part: str) -> bool:
    return part in await text


async def test_admin_is_on_the_menu_for_staff_only(community: Community) -> None:
    member = await sign_up(community, "Wren")
    app = BBSApp(SessionContext(community.services, member))
    async with app.run_test(size=(80, 24)) as pilot:
        assert "admin" not in [
            action for action, _label in app.screen.query_one("#menu", KeyMenu).entries
        ]
        await pilot.press("a")
        await pilot.pause()  # the key is handled: a negative check, nothing is to appear
        assert isinstance(app.screen, MainMenuScreen)
    mod = await sign_up(community, "Keeper", Role.MODERATOR)
    app = BBSApp(SessionContext(community.services, mod))
    async with app.run_test(size=(80, 24)) as pilot:
        assert "admin" in [
            action for action, _label in app.screen.query_one("#menu", KeyMenu).entries
        ]
        await pilot.press("a")
        await reach(pilot, ReviewQueueScreen)


async def test_queue_shows_crisis_first_and_hostile_text_literally(community: Community) -> None:
    mod = await sign_up(community, "Keeper", Role.MODERATOR)
    troll = await sign_up(community, "Thorn")
    _post(community, troll.id, HOSTILE, Action.HOLD)
    _post(community, troll.id, "I can't do this any more", Action.CRISIS)
    app = BBSApp(SessionContext(community.services, mod))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(
            pilot,
            lambda: "crisis" in str(app.screen.query_one(ModerationNews).render()),
            "'crisis' in str(app.screen.query_one(ModerationNews).render())",
        )
        assert "1 crisis alert waiting" in str(app.screen.query_one(ModerationNews).render())
        await pilot.press("a")
        await reach(pilot, ReviewQueueScreen)
        await settle(pilot, lambda: "2 open" in text_of(app, "#queue-title"), "the queue to load")
        screen = app.screen
        assert isinstance(screen, ReviewQueueScreen)
        assert [i.kind.value for i in screen.items] == ["crisis", "hold"]
        assert "2 open, 1 crisis" in text_of(app, "#queue-title")
        assert "any more" in text_of(app, "#detail")
        await pilot.press("down")
        await settle(pilot, lambda: "harassment=0.93" in text_of(app, "#detail"), "the held post")
        detail = text_of(app, "#detail")
        assert "[b]you[/b] are [@click=app.quit]nothing[/]" in detail
        assert "\x1b" not in detail and "harassment=0.93" in detail
        # A crisis alert cannot be struck: W on it does nothing but explain.
        await pilot.press("up", "w")
        await pilot.pause()  # the keys are handled: a negative check, nothing is to change
        assert isinstance(app.screen, ReviewQueueScreen)
        assert app.is_running


async def test_hide_with_a_reason_from_the_queue(community: Community) -> None:
    mod = await sign_up(community, "Keeper", Role.MODERATOR)
    troll = await sign_up(community, "Thorn")
    post = _post(community, troll.id, "you are worthless", Action.HOLD)
    app = BBSApp(SessionContext(community.services, mod))
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(
            ReviewQueueScreen(
                admin=community.admin,
                events=community.events,
                texts=community.texts,
                resources=community.resources,
            )
        )
        await reach(pilot, ReviewQueueScreen)
        await settle(pilot, lambda: app.screen.items, "the queue to load")
        await pilot.press("h")
        await reach(pilot, ReasonDialog)
        # No reason at all is refused, kindly.
        app.screen.query_one("#reason", TextField).focus()
        await pilot.press("enter")
        await settle(pilot, lambda: "needs a reason" in text_of(app, "#dialog-error"), "refusal")
        app.screen.query_one("#categories", OptionList).focus()
        await pilot.press("enter")  # the first category: Harassment
        await settle(pilot, lambda: app.focused is app.screen.query_one("#reason"), "reason")
        await pilot.press(*"name-calling", "enter")
        await reach(pilot, ReviewQueueScreen)
        # The list and its title are filled one after the other: wait for both.
        await settle(
            pilot,
            lambda: (
                isinstance(app.screen, ReviewQueueScreen)
                and not app.screen.items
                and "0 open" in text_of(app, "#queue-title")
            ),
            "an empty queue",
        )
    with community.database.read() as session:
        stored = session.get(boards.Post, post)
        assert stored is not None and stored.status == PostStatus.HIDDEN.value
        [entry] = admin.audit_log(session, actor_id=mod.id)
        notices = sanctions.unseen_notices(session, troll.id)
    assert (entry.action, entry.actor, entry.category, entry.reason) == (
        "hide",
        "Keeper",
        "Harassment",
        "name-calling",
    )
    assert "Harassment: name-calling" in notices[0].text


async def test_member_reads_a_notice_and_appeals_once(community: Community) -> None:
    mod = await sign_up(community, "Keeper", Role.MODERATOR)
    troll = await sign_up(community, "Thorn")
    with community.database.write() as session:
        admin.sanction_member(
            session,
            actor_id=mod.id,
            pseudonym="Thorn",
            kind=sanctions.SanctionKind.WARN,
            category="Spam",
        )
    app = BBSApp(SessionContext(community.services, troll))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(
            pilot,
            lambda: "note" in str(app.screen.query_one(ModerationNews).render()),
            "'note' in str(app.screen.query_one(ModerationNews).render())",
        )
        assert "1 note from the moderators" in str(app.screen.query_one(ModerationNews).render())
        await pilot.press("n")
        await reach(pilot, NoticesScreen)
        await pilot.press("p")
        await settle(pilot, lambda: app.focused is app.screen.query_one("#appeal"), "appeal")
        await pilot.press(*"it was a link to a helpline", "enter")
        await settle(
            pilot,
            lambda: "with the moderators" in text_of(app, "#notice-status"),
            "'with the moderators' in text_of(app, '#notice-status')",
        )
        assert "with the moderators" in text_of(app, "#notice-status")
        await pilot.press("escape")
        await reach(pilot, MainMenuScreen)
    with community.database.read() as session:
        [item] = admin.review_queue(session, actor_id=mod.id)
        assert sanctions.unseen_notices(session, troll.id) == []
    assert item.kind.value == "appeal" and item.item.text == "it was a link to a helpline"


async def test_lookup_mutes_a_member_with_a_reason(community: Community) -> None:
    mod = await sign_up(community, "Keeper", Role.MODERATOR)
    troll = await sign_up(community, "Thorn")
    app = BBSApp(SessionContext(community.services, mod))
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(MemberLookupScreen("Thorn", admin=community.admin))
        await reach(pilot, MemberLookupScreen)
        await settle(pilot, lambda: "Thorn (member)" in text_of(app, "#record"), "the record")
        await pilot.press("m")
        await reach(pilot, ReasonDialog)
        await pilot.press("down", "enter")  # Spam
        await settle(pilot, lambda: app.focused is app.screen.query_one("#reason"), "reason")
        await pilot.press(*"link flood", "tab")
        app.screen.query_one("#length", TextField).focus()
        await pilot.press(*"2h", "enter")
        await reach(pilot, MemberLookupScreen)
        await settle(
            pilot,
            lambda: "IN FORCE" in text_of(app, "#record"),
            "'IN FORCE' in text_of(app, '#record')",
        )
        assert "mute IN FORCE: Spam link flood" in text_of(app, "#record")
    with community.database.read() as session:
        assert sanctions.posting_block(session, troll.id) is not None


async def test_on_call_note_shows_in_help_and_banner_reaches_members_online(
    community: Community,
) -> None:
    sysop = await sign_up(community, "Harbourmaster", Role.SYSOP)
    member = await sign_up(community, "Wren")
    await community.admin.set_setting(sysop.id, "on_call_note", "Sam is on call until 2am")
    app = BBSApp(SessionContext(community.services, member))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.screen.query("#menu"), "the menu")
        # Nothing from the moderators at login: the news is not built at all.
        assert not app.screen.query(ModerationNews)
        await community.admin.set_setting(sysop.id, "announcement", "Board tidy-up on Sunday")
        await settle(
            pilot,
            lambda: any(
                "Board tidy-up" in str(n.render()) for n in app.screen.query(ModerationNews)
            ),
            "the banner on the home screen",
        )
        news = app.screen.query_one(ModerationNews)
        assert "Announcement: Board tidy-up on Sunday" in str(news.render())
        await pilot.press("f1")
        await settle(
            pilot,
            lambda: "On call now" in text_of(app, "#help-text"),
            "'On call now' in text_of(app, '#help-text')",
        )
        assert "On call now: Sam is on call until 2am" in text_of(app, "#help-text")


async def test_changed_guidelines_are_agreed_to_again(community: Community) -> None:
    from screens.moderation_notices import GuidelinesAgainScreen

    sysop = await sign_up(community, "Harbourmaster", Role.SYSOP)
    member = await sign_up(community, "Wren")
    await community.admin.publish_guidelines(sysop.id, "Be kind. New rule: no diet talk.")
    app = BBSApp(SessionContext(community.services, member))
    async with app.run_test(size=(80, 24)) as pilot:
        await reach(pilot, GuidelinesAgainScreen)
        assert "no diet talk" in text_of(app, "#guidelines")
        await pilot.press("a")
        await reach(pilot, MainMenuScreen)
    assert not await community.admin.needs_agreement(member.id)


async def test_dashboard_and_community_settings_at_80x24(community: Community) -> None:
    from screens.admin import CommunitySettingsScreen
    from screens.dashboard import DashboardScreen

    sysop = await sign_up(community, "Harbourmaster", Role.SYSOP)
    author = await sign_up(community, "Fern")
    _post(community, author.id, "exams tomorrow", Action.ALLOW)
    _post(community, author.id, "exams again", Action.HOLD)
    app = BBSApp(SessionContext(community.services, sysop))
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(
            ReviewQueueScreen(
                admin=community.admin,
                events=community.events,
                texts=community.texts,
                resources=community.resources,
            )
        )
        await reach(pilot, ReviewQueueScreen)
        await pilot.press("g")
        await reach(pilot, DashboardScreen)
        await settle(
            pilot,
            lambda: "Posts" in text_of(app, "#dashboard"),
            "'Posts' in text_of(app, '#dashboard')",
        )
        text = text_of(app, "#dashboard")
        assert "Queue 1 open" in text and "Posts" in text and "█" in text
        assert all(len(line) <= 78 for line in text.splitlines())
        await pilot.press("escape")
        await reach(pilot, ReviewQueueScreen)
        await pilot.press("c")
        await reach(pilot, CommunitySettingsScreen)
        await settle(pilot, lambda: app.screen.loaded, "the settings to load")
        app.screen.query_one("#on-call", TextField).value = "Ash tonight"
        await pilot.press("ctrl+s")
        await settle(
            pilot, lambda: _is(community.admin.on_call_note(), "Ash tonight"), "the note saved"
        )
        from textual.widgets import TextArea

        await pilot.press("ctrl+e")
        await settle(pilot, lambda: "Help" in text_of(app, "#editor-label"), "the help editor")
        assert "Help and crisis lines in English" in text_of(app, "#editor-label")
        app.screen.query_one(TextArea).text = "Call 116 123 any time."
        await pilot.press("ctrl+e")  # the next language's help: Español
        await settle(pilot, lambda: "Español" in text_of(app, "#editor-label"), "Spanish help")
        assert "findahelpline.com" in app.screen.query_one(TextArea).text
        app.screen.query_one(TextArea).text = "Llama al 024 a cualquier hora."
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: _has(community.texts.help_text(), "116 123"), "help text saved")
        # One country's own help: typed above the editor, the help becomes that country's.
        app.screen.query_one("#help-country", TextField).value = "ie"
        await settle(pilot, lambda: "Ireland" in text_of(app, "#editor-label"), "Ireland's help")
        assert "Español" in text_of(app, "#editor-label")
        app.screen.query_one(TextArea).text = "En Irlanda: Samaritans 116 123."
        # Then the guidelines in each other language, after the help.
        for _ in range(4):
            await pilot.press("ctrl+e")
        await settle(pilot, lambda: "Guidelines in Español" in text_of(app, "#editor-label"), "es")
        assert "Sé amable" in app.screen.query_one(TextArea).text
        app.screen.query_one(TextArea).text = "Sé amable. Nada de hablar de dietas."
        await pilot.press("ctrl+s")
        await settle(
            pilot, lambda: _has(community.texts.guidelines_text("es"), "dietas"), "es guidelines"
        )
    assert await community.admin.on_call_note() == "Ash tonight"
    assert "Samaritans" in await community.texts.help_text("es", "IE")
    assert "Samaritans" not in await community.texts.help_text("es")
    assert "Sé amable" in await community.texts.guidelines_text("es")
    assert (await community.texts.help_text()).strip() == "Call 116 123 any time."
    assert (await community.texts.help_text("es")).strip() == "Llama al 024 a cualquier hora."
    # The other languages are as they were.
    assert "findahelpline.com" in await community.texts.help_text("fr")
    # The English guidelines are as they were (the Spanish ones changed).
    assert "Be kind. Everyone" in await community.texts.guidelines_text()


async def test_a_member_suspended_while_online_is_told_why_and_leaves(community: Community) -> None:
    mod = await sign_up(community, "Keeper", Role.MODERATOR)
    member = await sign_up(community, "Wren")
    app = BBSApp(SessionContext(community.services, member))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app._access is not None, "the app to listen for sanctions")
        await community.admin.sanction(
            mod.id,
            "Wren",
            sanctions.SanctionKind.SUSPEND,
            reason="cooling off",
            length=timedelta(days=2),
        )
        await settle(pilot, lambda: app.return_code is not None, "app.return_code is not None")
    assert app.return_code == 1
    assert "suspended until" in app.farewell and "cooling off" in app.farewell


class FakeModelOps:
    """Stands in for the server's model operations (a real retrain takes minutes)."""

    def __init__(self) -> None:
        self.current = "shipped"

    async def status(self) -> ModelStatus:
        return ModelStatus(
            self.current,
            ("shipped", "v0001"),
            ("harassment ROC-AUC 0.970",),
            examples_used=1 if self.current == "v0001" else 0,
        )

    async def retrain(self, on_line: Callable[[str], None]) -> bool:
        on_line("examples from sysop decisions: 2")
        self.current = "v0001"
        return True

    async def rollback(self) -> str:
        self.current = "shipped"
        return self.current


async def test_model_panel_retrains_and_rolls_back_with_audit(community: Community) -> None:
    from screens.model_panel import ModelPanelScreen

    sysop = await sign_up(community, "Harbourmaster", Role.SYSOP)
    troll = await sign_up(community, "Thorn")
    for body in ("held one", "held two"):
        flag_post = _post(community, troll.id, body, Action.HOLD)
        with community.database.read() as session:
            [item] = [
                i
                for i in admin.review_queue(session, actor_id=sysop.id)
                if i.target_id == flag_post
            ]
        await community.admin.decide(
            sysop.id, item.flag_id, admin.Decision.HIDE, category="Harassment"
        )
    community.admin.model_ops = FakeModelOps()
    app = BBSApp(SessionContext(community.services, sysop))
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ModelPanelScreen(admin=community.admin))
        await reach(pilot, ModelPanelScreen)
        await settle(pilot, lambda: "In use" in text_of(app, "#model-status"), "the model status")
        assert "2 since this model was trained" in text_of(app, "#model-status")
        await pilot.press("t")
        await settle(
            pilot,
            lambda: "In use: v0001" in text_of(app, "#model-status"),
            "'In use: v0001' in text_of(app, '#model-status')",
        )
        assert "1 since this model was trained" in text_of(app, "#model-status")
        assert "new model is in use" in text_of(app, "#model-output")
        await pilot.press("b")
        await settle(
            pilot,
            lambda: "In use: shipped" in text_of(app, "#model-status"),
            "'In use: shipped' in text_of(app, '#model-status')",
        )
        assert "Now using shipped" in text_of(app, "#model-output")
    with community.database.read() as session:
        actions = [e.action for e in admin.audit_log(session, actor_id=sysop.id)]
    assert actions[:2] == ["rollback", "retrain"]


async def test_members_read_the_public_log_from_help_without_moderator_names(
    community: Community,
) -> None:
    from screens.moderation_notices import PublicLogScreen

    sysop = await sign_up(community, "Harbourmaster", Role.SYSOP)
    member = await sign_up(community, "Wren")
    await sign_up(community, "Thorn")
    await community.admin.sanction(
        sysop.id, "Thorn", sanctions.SanctionKind.WARN, category="Spam", reason="link flood"
    )
    await community.admin.set_setting(sysop.id, admin.PUBLIC_LOG_SWITCH, "on")
    app = BBSApp(SessionContext(community.services, member))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await settle(pilot, lambda: app.screen.query("#help-text"), "the help screen")
        await pilot.press("l")
        await reach(pilot, PublicLogScreen)
        await settle(
            pilot,
            lambda: "warn" in text_of(app, "#public-log"),
            "'warn' in text_of(app, '#public-log')",
        )
        text = text_of(app, "#public-log")
    assert "warn Thorn: Spam: link flood" in text and "Harbourmaster" not in text


async def test_sysop_adds_and_archives_a_board_and_closes_a_room(community: Community) -> None:
    from screens.admin import PlacesScreen

    sysop = await sign_up(community, "Harbourmaster", Role.SYSOP)
    mod = await sign_up(community, "Keeper", Role.MODERATOR)
    with community.database.write() as session:
        rooms.seed_default_rooms(session)
    app = BBSApp(SessionContext(community.services, sysop))
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(PlacesScreen(admin=community.admin))
        await reach(pilot, PlacesScreen)
        await settle(pilot, lambda: app.screen.places, "the places to load")
        await pilot.press("n")
        await pilot.press(*"Grief", "enter")
        await settle(
            pilot,
            lambda: "Done" in text_of(app, "#place-prompt"),
            "'Done' in text_of(app, '#place-prompt')",
        )
        screen = app.screen
        assert isinstance(screen, PlacesScreen)
        names = [p.name for p in screen.places]
        assert "Grief" in names
        screen.query_one("#places", OptionList).highlighted = names.index("Grief")
        await pilot.press("x")
        await settle(pilot, lambda: "archived" in text_of(app, "#place-prompt"), "archived")
        assert "board Grief archived" in text_of(app, "#place-prompt")
        rooms_at = [i for i, p in enumerate(screen.places) if p.kind == "room"]
        screen.query_one("#places", OptionList).highlighted = rooms_at[0]
        await pilot.press("x")
        await settle(pilot, lambda: "closed" in text_of(app, "#place-prompt"), "closed")
        assert "room Lobby closed" in text_of(app, "#place-prompt")
        # L marks the room with a language; the list shows it by its own name.
        screen.query_one("#places", OptionList).highlighted = rooms_at[0]
        await pilot.press("l")
        await settle(pilot, lambda: "Language for Lobby" in text_of(app, "#place-prompt"), "ask")
        await pilot.press("e", "s", "enter")
        await settle(pilot, lambda: "Done" in text_of(app, "#place-prompt"), "the language set")
        options = screen.query_one("#places", OptionList)
        lobby = str(options.get_option_at_index(rooms_at[0]).prompt)
        assert lobby.startswith("Room   Lobby") and lobby.endswith("· Español"), lobby
    with community.database.read() as session:
        grief = [b for b in boards.all_boards(session) if b.name == "Grief"]
        assert grief and grief[0].archived
        assert [e.reason for e in admin.audit_log(session, actor_id=sysop.id)][-1] == "add_board"
    # Moderators review; only sysops shape the place.
    try:
        await community.admin.places(mod.id)
    except admin.AdminError:
        pass
    else:
        raise AssertionError("a moderator could list places for change")


async def test_esc_leaves_the_queue_lookup_and_places_and_first_closes_a_places_prompt(
    community: Community,
) -> None:
    from screens.admin import PlacesScreen

    sysop = await sign_up(community, "Harbourmaster", Role.SYSOP)
    app = BBSApp(SessionContext(community.services, sysop))
    async with app.run_test(size=(80, 24)) as pilot:
        await reach(pilot, MainMenuScreen)
        app.push_screen(
            ReviewQueueScreen(
                admin=community.admin,
                events=community.events,
                texts=community.texts,
                resources=community.resources,
            )
        )
        await reach(pilot, ReviewQueueScreen)
        await pilot.press("l")
        await reach(pilot, MemberLookupScreen)
        await pilot.press("escape")
        await reach(pilot, ReviewQueueScreen)
        await pilot.press("e")
        await reach(pilot, PlacesScreen)
        await settle(pilot, lambda: app.screen.places, "the places to load")
        await pilot.press("n")
        field = app.screen.query_one("#place-input", TextField)
        await settle(pilot, lambda: field.display and app.focused is field, "the prompt")
        await pilot.press("escape")
        await settle(pilot, lambda: not field.display, "the prompt closed")
        assert isinstance(app.screen, PlacesScreen)
        await pilot.press("escape")
        await reach(pilot, ReviewQueueScreen)
        await pilot.press("escape")
        await reach(pilot, MainMenuScreen)
