"""Every screen fits a small terminal: its keys whole at 80x24, its title on screen at 40x12.

One table, `CASES`, names every screen of the app (and every modal) with how to open it on
a seeded community (boards, messages, rooms, goals, partners, flags, sanctions, notes).
Each case opens its screen in a real app and checks the cells actually drawn:
- at 80x24, in monochrome, with a crisis alert on screen: every key line (each
  `KeyBar`, or a modal's own key note) is whole, inside the screen, on the lines its text
  has, uncovered, with a blank cell after it (a bar that runs into the last column cannot
  be told from one that was cut), and names what Esc, Enter, Tab and F1 do; the texts a
  case names (the offered SSH key) are drawn whole;
- at 80x24, in monochrome: every list shows its chosen row without colour (in reverse,
  or with a marker);
- at 80x24: long texts (help, crisis notes, guidelines) wrap without ragged lines;
- opened on a 40x12 terminal: the title is still on screen, at its start, and long
  texts are no wider than the screen.

To add a screen, add a `Case`: `test_every_screen_has_a_case` fails until you do. The
checks read the text the widgets hold, so a translated app (longer words, other scripts)
runs the same checks unchanged.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import pkgutil
import re
import shutil
import time
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import timedelta
from importlib import import_module
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from support import FAST_ARGON2, NO_WAIT, PASSWORD, WordScorer, let_new_members_write
from textual.geometry import Region
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import OptionList, RadioSet
from textual.widgets._toast import Toast

import screens
from bbs.accounts.members import MemberView, PublicKeyInfo
from bbs.community import Community
from bbs.config import Settings, load_settings, with_overrides
from bbs.goals.streaks import CheckInStatus
from bbs.i18n import LANGUAGES, LOCALE_DIR, translator
from bbs.models import Role
from bbs.moderation_queue.policy import crisis_message
from bbs.moderation_queue.sanctions import SanctionKind
from bbs.terminal_caps import ColourDepth
from bbs.text_safety import cell_width
from screens.app import BBSApp, SessionContext
from screens.privacy import QuickHideScreen
from screens.widgets import KeyBar, KeyMenu, PlainText
from server.wiring import build_community

# A long pseudonym (24 is the most allowed): names end up in titles and key lines.
PARTNER = "Alder.Longbottom-Stream"
# As tests/conftest.py: real argon2id at a test suite's cost.
FINGERPRINT = "SHA256:" + "q3Yx9bT0pL2mN8vR5sW1uZ7kD4fH6jG0aC3eB9nM2xQ"


# -- a community with something everywhere -------------------------------------------
@dataclass
class World:
    community: Community
    sysop: MemberView
    wren: MemberView
    partner: MemberView
    troll: MemberView
    board_id: int = 0
    thread_id: int = 0
    conversation_id: int = 0
    room_id: int = 0
    goal_id: int = 0
    partner_goal_id: int = 0
    ids: dict[str, Any] = field(default_factory=dict)


async def _world(community: Community) -> World:
    community.boards.rules = NO_WAIT
    let_new_members_write(community.database)

    async def join(name: str, role: Role = Role.MEMBER) -> MemberView:
        return (await community.accounts.sign_up(name, PASSWORD, PASSWORD, role=role)).member

    world = World(
        community,
        await join("Keeper", Role.SYSOP),
        await join("Wren"),
        await join(PARTNER),
        await join("Thorn"),
    )
    wren, partner, troll, sysop = world.wren, world.partner, world.troll, world.sysop
    boards = community.boards
    board_list = await boards.board_list(wren.id)
    world.board_id = next(b.id for b in board_list if b.name == "Sleep")
    thread = await boards.create_thread(
        wren.id,
        world.board_id,
        title="Nights are long lately: what helps you wind down?",
        body="I lie awake until three most nights. I have tried reading and cutting out "
        "coffee after noon. What has worked for you?",
    )
    assert thread.post is not None
    world.thread_id = thread.post.thread_id
    replies = []
    for n in range(6):
        reply = await boards.reply(
            partner.id,
            world.thread_id,
            body=f"Reply {n}: a warm bath and no screens for an hour helps me. "
            "Some nights nothing works and that is fine too.",
            warning="sleeplessness" if n == 2 else "",
        )
        assert reply.post is not None
        replies.append(reply.post.id)
    held = await boards.reply(troll.id, world.thread_id, body="you are an idiot")
    assert held.post is not None
    await boards.reply(partner.id, world.thread_id, body="Some days I want to end it all.")
    await boards.react(wren.id, thread.post.id, "hug")
    await boards.report_post(wren.id, replies[0], "Feels like advertising to me")
    # Private messages, both ways.
    sent = await community.mail.send_message(
        partner.id, wren.id, "How did last night go? I am around this evening if you want to talk."
    )
    assert sent.message is not None
    await community.mail.send_message(wren.id, partner.id, "Better, thank you. Five hours!")
    world.conversation_id = (await community.mail.conversations(wren.id))[0].id
    # Rooms.
    world.room_id = (await community.rooms.list_rooms(wren))[0][0].id
    # Goals, a partner, cheers.
    goals = community.goals
    goal = await goals.create_goal(
        wren.id,
        title="Lights out by eleven, screens off at ten",
        category="sleep",
        visibility="partners",
    )
    world.goal_id = goal.id
    await goals.create_goal(
        wren.id,
        title="Walk after lunch",
        category="movement",
        cadence="3",
        measure="minutes",
        target="20",
    )
    await goals.check_in(
        wren.id,
        goal.id,
        CheckInStatus.DONE,
        days_ago=1,
        mood=4,
        note="Asleep by half eleven, close enough.",
    )
    partner_goal = await goals.create_goal(
        partner.id, title="No drinks on weekdays", category="sobriety", visibility="partners"
    )
    world.partner_goal_id = partner_goal.id
    invitation = await goals.invite(wren.id, PARTNER)
    await goals.answer(partner.id, invitation.id, True)
    await goals.cheer(partner.id, wren.id, "Proud of you for sticking with it!", goal_id=goal.id)
    world.ids["check_in"] = await goals.check_in(
        wren.id, goal.id, CheckInStatus.DONE, mood=3, note="Screens off at ten, read a book."
    )
    walk = (await goals.goals(wren.id))[-1].goal
    world.ids["crisis_check_in"] = await goals.check_in(
        wren.id, walk.id, CheckInStatus.MISSED, mood=1, note="Some days I want to end it all."
    )
    # Moderation: a warning for Wren (a note to read), notes and a sanction for Thorn.
    admin = community.admin
    await admin.sanction(
        sysop.id,
        "Wren",
        SanctionKind.WARN,
        category="Off topic",
        reason="Please keep selling posts off the Sleep board.",
    )
    await admin.sanction(
        sysop.id,
        "Thorn",
        SanctionKind.MUTE,
        category="Harassment",
        reason="Name-calling in a support thread.",
        length=timedelta(days=1),
    )
    await admin.add_note(sysop.id, "Thorn", "Second time this week; next time a suspension.")
    await admin.add_note(sysop.id, "Thorn", "Talked it through in private messages.")
    await admin.set_setting(sysop.id, "public_moderation_log", "on")
    await community.suggestions.set_settings(wren.id, suggestions_on=True, peers=True)
    return world


# -- the cases ---------------------------------------------------------------------------
Opener = Callable[[World, BBSApp], Awaitable[Screen[Any] | None]]


def _always(_screen: Screen[Any]) -> bool:
    return True


@dataclass(frozen=True)
class Case:
    """One screen: who opens it, how, when it has its data, and where its keys are."""

    screen: type[Screen[Any]]
    # Builds the screen to push on top of the viewer's first screen (None: the first
    # screen itself is the one to check).
    open: Opener
    viewer: str = "wren"  # "wren" (a member), "sysop", or "visitor" (signing up)
    ready: Callable[[Screen[Any]], bool] = _always
    # The key lines: every KeyBar, plus these selectors (a modal's own key note).
    keys: tuple[str, ...] = ()
    # Texts that must be drawn whole at 80x24 (wrapped is fine, cut is not).
    whole: tuple[str, ...] = ()
    # Widgets showing long prose (help, guidelines, notes): wrapped without ragged lines.
    prose: tuple[str, ...] = ()
    # What must stay on screen at 40x12 (None: the screen has no title by design).
    title: str | None = ".title"
    label: str = ""
    offered_key: bool = False
    # The session's language (sign-up in each of bbs.i18n.LANGUAGES).
    language: str = "en"
    # Known failures fixed on another branch: (test name, reason), run as strict xfail.
    known: tuple[tuple[str, str], ...] = ()

    @property
    def id(self) -> str:
        language = "" if self.language == "en" else f"-{self.language}"
        return self.screen.__name__ + (f"-{self.label}" if self.label else "") + language


async def _first(_world: World, _app: BBSApp) -> None:
    """The viewer's first screen (the welcome screen, or home) is the one to check."""
    return None


def _has_options(selector: str) -> Callable[[Screen[Any]], bool]:
    return lambda s: s.query_one(selector, OptionList).option_count > 0


def _text_of(selector: str) -> Callable[[Screen[Any]], str]:
    return lambda s: str(s.query_one(selector, Widget).render())


def _shows(selector: str, *absent: str) -> Callable[[Screen[Any]], bool]:
    def ready(screen: Screen[Any]) -> bool:
        text = _text_of(selector)(screen)
        return bool(text.strip()) and not any(a in text for a in absent)

    return ready


def _opener(make: Callable[[World, BBSApp], Any]) -> Opener:
    """A case's screen from a plain or async function of the world."""

    async def open_it(world: World, app: BBSApp) -> Screen[Any] | None:
        made = make(world, app)
        return (await made) if inspect.isawaitable(made) else made  # type: ignore[no-any-return]

    return open_it


def _cases() -> list[Case]:
    from screens import (
        admin,
        boards,
        compose,
        dashboard,
        goals,
        help,
        menu,
        messages,
        model_panel,
        moderation_notices,
        privacy,
        profile,
        resources,
        resources_admin,
        rooms,
        signup,
        suggestions,
    )

    async def thread_post(world: World, app: BBSApp) -> Any:
        page = await world.community.boards.thread_page(world.wren.id, world.thread_id)
        return page.posts[0]

    async def library_entry(world: World, app: BBSApp) -> Any:
        return (await world.community.resources.library())[0]

    async def tags(world: World, app: BBSApp) -> list[tuple[str, int]]:
        counted: dict[str, int] = {}
        for entry in await world.community.resources.library():
            for tag in entry.tags:
                counted[tag] = counted.get(tag, 0) + 1
        return sorted(counted.items())

    async def notices(world: World, app: BBSApp) -> Any:
        return await world.community.admin.notices(world.wren.id)

    async def room(world: World, app: BBSApp) -> Any:
        return rooms.RoomScreen(
            await world.community.rooms.enter(world.room_id, world.wren),
            rooms=world.community.rooms,
        )

    async def goal(world: World, app: BBSApp) -> Any:
        return (await world.community.goals.detail(world.wren.id, world.goal_id)).summary.goal

    async def help_lines(world: World, app: BBSApp) -> str:
        return await world.community.texts.help_text()

    def signing_up(language: str) -> list[Case]:
        return [
            Case(
                signup.WelcomeScreen,
                _opener(
                    lambda w, a: signup.WelcomeScreen(
                        settings=w.community.services.settings,
                        texts=w.community.texts,
                        accounts=w.community.accounts,
                    )
                ),
                viewer="visitor",
                ready=_shows(
                    "#guidelines", "Loading", "Cargando", "Chargement", "geladen", "Carregando"
                ),
                prose=("#guidelines", "#what-we-store"),
                language=language,
            ),
            Case(
                signup.SignUpFormScreen,
                _opener(
                    lambda w, a: signup.SignUpFormScreen(
                        accounts=w.community.accounts, settings=w.community.services.settings
                    )
                ),
                viewer="visitor",
                offered_key=True,
                # The key the member is asked about, in full: it is how they recognise it.
                whole=(f"ssh-ed25519 {FINGERPRINT}",),
                language=language,
            ),
            Case(
                signup.RecoverScreen,
                _opener(
                    lambda w, a: signup.RecoverScreen(
                        accounts=w.community.accounts, settings=w.community.services.settings
                    )
                ),
                viewer="visitor",
                language=language,
            ),
            Case(
                signup.RecoveryCodeScreen,
                _opener(
                    lambda w, a: signup.RecoveryCodeScreen(
                        "7KQ2M-XW9PA-RT4EH-N3CJD-5BVGF",
                        first_time=True,
                        settings=w.community.services.settings,
                    )
                ),
                language=language,
            ),
        ]

    return [
        # Arriving and signing up: the language first, then each step in every language.
        Case(signup.LanguageScreen, _first, viewer="visitor", ready=_has_options("#languages")),
        *(case for language in LANGUAGES for case in signing_up(language)),
        # Home and help.
        Case(menu.MainMenuScreen, _first, label="member"),
        Case(menu.MainMenuScreen, _first, viewer="sysop", label="sysop"),
        Case(
            help.HelpScreen,
            _opener(
                lambda w, a: help.HelpScreen(
                    texts=w.community.texts,
                    admin=w.community.admin,
                    resources=w.community.resources,
                )
            ),
            ready=_shows("#help-text", "Loading"),
            prose=("#help-text",),
        ),
        Case(
            moderation_notices.PublicLogScreen,
            _opener(lambda w, a: moderation_notices.PublicLogScreen(admin=w.community.admin)),
            ready=_shows("#public-log", "Reading"),
        ),
        Case(
            moderation_notices.NoticesScreen,
            _opener(
                lambda w, a: _then(
                    notices(w, a),
                    lambda n: moderation_notices.NoticesScreen(n, admin=w.community.admin),
                )
            ),
            ready=_has_options("#notices"),
        ),
        Case(
            moderation_notices.GuidelinesAgainScreen,
            _opener(
                lambda w, a: _then(
                    w.community.texts.guidelines_text(),
                    lambda t: moderation_notices.GuidelinesAgainScreen(t, admin=w.community.admin),
                )
            ),
            prose=("#guidelines",),
        ),
        # Boards.
        Case(
            boards.BoardsScreen,
            _opener(
                lambda w, a: boards.BoardsScreen(boards=w.community.boards, mail=w.community.mail)
            ),
            ready=_has_options("#boards"),
        ),
        Case(
            boards.ThreadListScreen,
            _opener(
                lambda w, a: boards.ThreadListScreen(
                    w.board_id, boards=w.community.boards, mail=w.community.mail
                )
            ),
            ready=_has_options("#threads"),
        ),
        Case(
            boards.ThreadScreen,
            _opener(
                lambda w, a: boards.ThreadScreen(
                    w.thread_id, boards=w.community.boards, mail=w.community.mail
                )
            ),
            ready=lambda s: bool(s.query(boards.PostWidget)),
        ),
        Case(
            boards.ReactionScreen,
            _opener(lambda w, a: _then(thread_post(w, a), boards.ReactionScreen)),
            keys=(".note",),
        ),
        Case(
            boards.WarningPrefsScreen,
            _opener(lambda w, a: boards.WarningPrefsScreen(boards=w.community.boards)),
        ),
        Case(
            boards.SearchScreen,
            _opener(
                lambda w, a: boards.SearchScreen(boards=w.community.boards, mail=w.community.mail)
            ),
        ),
        # Writing.
        Case(
            compose.ComposeScreen,
            _opener(
                lambda w, a: compose.ComposeScreen(
                    compose.ComposeTarget(
                        "thread", w.board_id, "New thread on Sleep", with_title=True
                    ),
                    boards=w.community.boards,
                    mail=w.community.mail,
                )
            ),
            label="thread",
        ),
        Case(
            compose.ComposeScreen,
            _opener(
                lambda w, a: compose.ComposeScreen(
                    compose.ComposeTarget("pm", w.partner.id, f"Message to {PARTNER}"),
                    boards=w.community.boards,
                    mail=w.community.mail,
                )
            ),
            label="message",
        ),
        Case(
            compose.NoteScreen,
            _opener(
                lambda w, a: _then(
                    help_lines(w, a), lambda text: compose.NoteScreen(crisis_message(text))
                )
            ),
            keys=(".note",),
            title=None,
            prose=("#note-text",),
        ),
        Case(
            compose.AskScreen,
            _opener(
                lambda w, a: compose.AskScreen(
                    "Why are you reporting this post? (a few words for the moderators)"
                )
            ),
            keys=(".note",),
            title=None,
        ),
        Case(
            compose.ConfirmScreen,
            _opener(
                lambda w, a: compose.ConfirmScreen(
                    "Archive this goal? Its check-ins and badges are kept."
                )
            ),
            keys=(".note",),
            title=None,
        ),
        # Private messages.
        Case(
            messages.MessagesScreen,
            _opener(
                lambda w, a: messages.MessagesScreen(
                    mail=w.community.mail, boards=w.community.boards
                )
            ),
            ready=_has_options("#conversations"),
        ),
        Case(
            messages.ConversationScreen,
            _opener(
                lambda w, a: messages.ConversationScreen(
                    w.conversation_id, mail=w.community.mail, boards=w.community.boards
                )
            ),
            ready=lambda s: bool(s.query(messages.MessageWidget)),
        ),
        # Rooms.
        Case(
            rooms.RoomListScreen,
            _opener(lambda w, a: rooms.RoomListScreen(rooms=w.community.rooms)),
            ready=_has_options("#rooms"),
        ),
        Case(rooms.RoomScreen, _opener(room), title="#room-topic"),
        Case(
            rooms.CrisisNoteScreen,
            _opener(
                lambda w, a: _then(
                    help_lines(w, a), lambda text: rooms.CrisisNoteScreen(crisis_message(text))
                )
            ),
            keys=("#crisis-keys",),
            title=None,
            prose=("#crisis-box",),
        ),
        # Goals.
        Case(
            goals.GoalsScreen,
            _opener(lambda w, a: goals.GoalsScreen(goals=w.community.goals)),
            ready=_has_options("#goals"),
        ),
        Case(
            goals.GoalFormScreen,
            _opener(lambda w, a: goals.GoalFormScreen(None, goals=w.community.goals)),
            label="new",
        ),
        Case(
            goals.GoalFormScreen,
            _opener(
                lambda w, a: _then(
                    goal(w, a), lambda g: goals.GoalFormScreen(g, goals=w.community.goals)
                )
            ),
            label="edit",
        ),
        Case(
            goals.CheckInScreen,
            _opener(
                lambda w, a: _then(
                    goal(w, a), lambda g: goals.CheckInScreen(g, goals=w.community.goals)
                )
            ),
        ),
        Case(
            goals.CheckInReplyScreen,
            _opener(
                lambda w, a: goals.CheckInReplyScreen(w.ids["check_in"], goals=w.community.goals)
            ),
            keys=("#reply-keys",),
            title=None,
        ),
        Case(
            goals.CheckInReplyScreen,
            _opener(
                lambda w, a: goals.CheckInReplyScreen(
                    w.ids["crisis_check_in"], goals=w.community.goals
                )
            ),
            keys=("#reply-keys",),
            title=None,
            label="crisis",
            prose=("#help-lines",),
        ),
        Case(
            goals.GoalDetailScreen,
            _opener(lambda w, a: goals.GoalDetailScreen(w.goal_id, goals=w.community.goals)),
            ready=_shows("#detail", "Loading"),
            title=None,
            label="mine",
        ),
        Case(
            goals.GoalDetailScreen,
            _opener(
                lambda w, a: goals.GoalDetailScreen(w.partner_goal_id, goals=w.community.goals)
            ),
            ready=_shows("#detail", "Loading"),
            title=None,
            label="partner",
        ),
        Case(
            goals.PartnersScreen,
            _opener(lambda w, a: goals.PartnersScreen(goals=w.community.goals)),
            ready=_has_options("#partners"),
        ),
        Case(
            goals.PartnerGoalsScreen,
            _opener(
                lambda w, a: goals.PartnerGoalsScreen(
                    w.partner.id, PARTNER, partner=True, goals=w.community.goals
                )
            ),
            ready=_has_options("#partner-goals"),
        ),
        Case(
            goals.GoalSettingsScreen,
            _opener(lambda w, a: goals.GoalSettingsScreen(goals=w.community.goals)),
        ),
        # For you, profile and privacy.
        Case(
            suggestions.ForYouScreen,
            _opener(
                lambda w, a: suggestions.ForYouScreen(
                    suggestions=w.community.suggestions,
                    resources=w.community.resources,
                    boards=w.community.boards,
                    mail=w.community.mail,
                )
            ),
        ),
        Case(
            suggestions.SuggestionSettingsScreen,
            _opener(
                lambda w, a: suggestions.SuggestionSettingsScreen(
                    suggestions=w.community.suggestions
                )
            ),
        ),
        Case(
            profile.ProfileScreen,
            _opener(
                lambda w, a: profile.ProfileScreen(
                    accounts=w.community.accounts,
                    goals=w.community.goals,
                    privacy=w.community.privacy,
                    suggestions=w.community.suggestions,
                )
            ),
        ),
        Case(
            privacy.PrivacyScreen,
            _opener(lambda w, a: privacy.PrivacyScreen(privacy=w.community.privacy)),
        ),
        Case(
            privacy.WhatWeStoreScreen,
            _opener(lambda w, a: privacy.WhatWeStoreScreen(privacy=w.community.privacy)),
            ready=_shows("#stored", "Reading"),
            prose=("#stored",),
        ),
        Case(
            privacy.ChangePasswordScreen,
            _opener(lambda w, a: privacy.ChangePasswordScreen(privacy=w.community.privacy)),
        ),
        Case(
            privacy.NewRecoveryCodeScreen,
            _opener(lambda w, a: privacy.NewRecoveryCodeScreen(privacy=w.community.privacy)),
        ),
        Case(
            privacy.KeysScreen,
            _opener(lambda w, a: privacy.KeysScreen(privacy=w.community.privacy)),
        ),
        Case(
            privacy.SessionsScreen,
            _opener(lambda w, a: privacy.SessionsScreen(privacy=w.community.privacy)),
        ),
        Case(
            privacy.DeleteAccountScreen,
            _opener(lambda w, a: privacy.DeleteAccountScreen(privacy=w.community.privacy)),
        ),
        # Quick-hide shows nothing of the BBS, keys included, by design.
        Case(privacy.QuickHideScreen, _opener(lambda w, a: privacy.QuickHideScreen()), title=None),
        # The resource library.
        Case(
            resources.ResourceLibraryScreen,
            _opener(lambda w, a: resources.ResourceLibraryScreen(resources=w.community.resources)),
            ready=_has_options("#resources"),
        ),
        Case(
            resources.ResourceReadScreen,
            _opener(
                lambda w, a: _then(
                    library_entry(w, a),
                    lambda e: resources.ResourceReadScreen(
                        e, False, resources=w.community.resources
                    ),
                )
            ),
        ),
        Case(
            resources.TagPickerScreen,
            _opener(lambda w, a: _then(tags(w, a), resources.TagPickerScreen)),
            keys=(".note",),
        ),
        # The admin screens.
        Case(
            admin.ReviewQueueScreen,
            _opener(
                lambda w, a: admin.ReviewQueueScreen(
                    admin=w.community.admin,
                    events=w.community.events,
                    texts=w.community.texts,
                    resources=w.community.resources,
                )
            ),
            viewer="sysop",
            ready=_has_options("#queue"),
        ),
        Case(
            admin.ReasonDialog,
            _opener(
                lambda w, a: admin.ReasonDialog(
                    f"Mute: post by {PARTNER}",
                    ["Harassment", "Spam", "Off topic", "Privacy", "Self-harm details", "Other"],
                    ask_length=True,
                )
            ),
            viewer="sysop",
            label="mute",
        ),
        Case(
            admin.ReasonDialog,
            _opener(
                lambda w, a: admin.ReasonDialog(
                    f"Acknowledge: post by {PARTNER}", [], ask_support=True, reason_needed=False
                )
            ),
            viewer="sysop",
            label="crisis",
        ),
        Case(
            admin.AuditLogScreen,
            _opener(lambda w, a: admin.AuditLogScreen(admin=w.community.admin)),
            viewer="sysop",
            ready=_shows("#audit"),
        ),
        Case(
            admin.MemberLookupScreen,
            _opener(lambda w, a: admin.MemberLookupScreen("Thorn", admin=w.community.admin)),
            viewer="sysop",
            ready=_shows("#record"),
        ),
        Case(
            admin.CommunitySettingsScreen,
            _opener(
                lambda w, a: admin.CommunitySettingsScreen(
                    admin=w.community.admin, texts=w.community.texts
                )
            ),
            viewer="sysop",
        ),
        Case(
            admin.PlacesScreen,
            _opener(lambda w, a: admin.PlacesScreen(admin=w.community.admin)),
            viewer="sysop",
            ready=_has_options("#places"),
        ),
        Case(
            dashboard.DashboardScreen,
            _opener(lambda w, a: dashboard.DashboardScreen(admin=w.community.admin)),
            viewer="sysop",
        ),
        Case(
            model_panel.ModelPanelScreen,
            _opener(lambda w, a: model_panel.ModelPanelScreen(admin=w.community.admin)),
            viewer="sysop",
        ),
        Case(
            resources_admin.ResourceAdminScreen,
            _opener(
                lambda w, a: resources_admin.ResourceAdminScreen(resources=w.community.resources)
            ),
            viewer="sysop",
            ready=_has_options("#res-records"),
        ),
        Case(
            resources_admin.ResourceFormScreen,
            _opener(
                lambda w, a: _then(
                    library_entry(w, a),
                    lambda e: resources_admin.ResourceFormScreen(
                        e, resources=w.community.resources
                    ),
                )
            ),
            viewer="sysop",
        ),
    ]


async def _then(value: Awaitable[Any], make: Callable[[Any], Any]) -> Any:
    return make(await value)


CASES = _cases()


# -- what is drawn ---------------------------------------------------------------------
def _rows(app: BBSApp, region: Region) -> list[str]:
    """The characters drawn in `region` of the current screen, one string a row."""
    strips = app.screen._compositor.render_strips()
    return [
        strips[y].crop(region.x, region.right).text
        for y in range(region.y, region.bottom)
        if 0 <= y < len(strips)
    ]


def _marked_rows(app: BBSApp, region: Region) -> list[str]:
    """Rows of `region` that stand out without colour: drawn in reverse, or with a marker."""
    strips = app.screen._compositor.render_strips()
    marked = []
    for y in range(region.y, min(region.bottom, len(strips))):
        strip = strips[y].crop(region.x, region.right)
        # Letters in reverse, not a scroll bar's blocks.
        reversed_cells = sum(
            len(seg.text)
            for seg in strip
            if seg.style is not None and seg.style.reverse and any(c.isalnum() for c in seg.text)
        )
        if reversed_cells or strip.text.lstrip().startswith(("> ", "\u25b8 ", "\u203a ")):
            marked.append(strip.text)
    return marked


def _squeezed(text: str) -> str:
    return "".join(text.split())


# A bar's way-out or help key with no word after it ("... I library Esc"): it reads as a
# bar cut short, and the member is left guessing.
UNSAID = re.compile(r"\b(Esc|F1|Tab|Enter)(\s{2,}|\s*$)")


def key_lines(screen: Screen[Any], case: Case) -> list[Widget]:
    lines: list[Widget] = list(screen.query(KeyBar))
    for selector in case.keys:
        lines.extend(screen.query(selector))
    return lines


def key_problems(app: BBSApp, case: Case) -> list[str]:
    """What keeps the screen's key lines from being read whole (empty: nothing)."""
    screen = app.screen
    lines = key_lines(screen, case)
    if not lines and case.title is not None:
        return ["no key line on this screen"]
    problems = []
    whole = Region(0, 0, *app.size)
    for line in lines:
        text = str(line.render())
        region = line.content_region
        if not line.display or not region:
            problems.append(f"{text!r} is not on screen")
            continue
        if whole.intersection(line.region) != line.region:
            problems.append(f"{text!r} is partly outside the {app.size} screen: {line.region}")
            continue
        drawn = _rows(app, region)
        wanted = text.split("\n")
        if len(drawn) == len(wanted):
            # Each line on its own row: exactly its cells, then one blank cell to show it ends.
            for y, want in enumerate(wanted, start=region.y):
                width = cell_width(want)
                shown = _rows(app, Region(region.x, y, min(width + 1, region.width), 1))[0]
                if shown.rstrip() != want.rstrip():
                    problems.append(f"{want!r} is drawn as {shown!r}")
                elif width >= region.width:
                    problems.append(f"{want!r} runs into the last column, so it reads as cut")
        elif isinstance(line, KeyBar):
            problems.append(f"{text!r} does not fit its lines: it wraps to {drawn!r}")
        elif _squeezed(" ".join(drawn)) != _squeezed(text):
            problems.append(f"{text!r} is drawn as {drawn!r}")
        if isinstance(line, KeyBar) and UNSAID.search(text):
            problems.append(f"{text!r}: a key that does not say what it does reads as cut")
    screen_text = _squeezed(" ".join(_rows(app, whole)))
    problems += [
        f"{text!r} is not drawn whole" for text in case.whole if _squeezed(text) not in screen_text
    ]
    return problems


def list_problems(app: BBSApp) -> list[str]:
    """Lists whose chosen row cannot be seen without colour (empty: none)."""
    problems = []
    for options in app.screen.query(OptionList):
        index = options.highlighted
        if not options.display or index is None or options.option_count < 1:
            continue
        prompt = str(options.get_option_at_index(index).prompt).strip()
        marked = _marked_rows(app, options.content_region)
        start = _squeezed(prompt.splitlines()[0] if prompt else "")[:12]
        if not any(start in _squeezed(row) for row in marked):
            problems.append(
                f"list #{options.id}: the chosen row {prompt[:40]!r} is not marked "
                f"(marked rows: {marked!r})"
            )
        elif options.option_count > 1 and len(marked) >= options.option_count:
            problems.append(f"list #{options.id}: every row is marked: {marked!r}")
    for radios in app.screen.query(RadioSet):
        for chosen in radios.query(".-selected"):
            label = str(chosen.render()).strip()
            marked = _marked_rows(app, chosen.region)
            if radios.has_focus and not marked:
                problems.append(f"choices #{radios.id}: the cursor on {label!r} is not marked")
    for menu in app.screen.query(KeyMenu):
        if not _marked_rows(app, menu.content_region):
            problems.append(f"menu #{menu.id}: no entry is marked")
    return problems


def ragged_lines(app: BBSApp, case: Case) -> list[str]:
    """Drawn lines of long texts that end early though the next line's first word fits.

    That is what a hard-wrapped source looks like when a narrower box wraps it again:
    "...or someone is hurting you," alone, then "please contact emergency services...".
    """
    problems = []
    for selector in case.prose:
        found = list(app.screen.query(selector))
        if not found:
            problems.append(f"no {selector} on this screen")
            continue
        text = found[0]
        region = text.content_region
        for ancestor in text.ancestors:
            if isinstance(ancestor, Widget) and not isinstance(ancestor, Screen):
                region = region.intersection(ancestor.region)  # what the scroll shows
        rows = [row.rstrip() for row in _rows(app, region)]
        for row, following in pairwise(rows):
            words = following.split()
            if (
                row.strip()
                and words
                and words[0][:1].islower()
                and len(row) + 1 + len(words[0]) <= region.width
            ):
                problems.append(f"{selector}: {row.strip()!r} ends before {words[0]!r}")
    return problems


def too_wide(app: BBSApp, case: Case) -> list[str]:
    """Long texts running off the sides of the screen (their lines would be cut)."""
    problems = []
    for selector in case.prose:
        for text in app.screen.query(selector):
            region = text.region
            if region.x < 0 or region.right > app.size.width:
                problems.append(f"{selector} is wider than the {app.size} screen: {region}")
    return problems


def title_problems(app: BBSApp, case: Case) -> list[str]:
    """The title has scrolled away, or is not drawn where it starts (empty: it is there)."""
    if case.title is None:
        return []
    found = list(app.screen.query(case.title))
    if not found:
        return [f"no {case.title} on this screen"]
    tops = [str(t.render()) for t in app.screen.query_children(".title")]
    if len(tops) > 1:
        # Screen > .title is docked at the top: two would be drawn over each other.
        return [f"more than one title at the top of the screen: {tops!r}"]
    title = found[0]
    text = str(title.render()).strip()
    region = title.content_region
    width, height = app.size
    if not title.display or not region or not (0 <= region.y < height and 0 <= region.x < width):
        return [f"the title {text!r} is not on the {app.size} screen: {region}"]
    drawn = _rows(app, Region(region.x, region.y, width - region.x, 1))
    if not drawn or _squeezed(text)[:8] not in _squeezed(drawn[0]):
        return [f"the title {text!r} does not start on screen: {drawn!r}"]
    return []


async def _until(pilot: Any, check: Callable[[], list[str]], timeout: float = 10.0) -> None:
    """Wait until `check` finds no problem; fail with what it found last."""
    deadline = time.monotonic() + timeout
    problems = ["never checked"]
    while time.monotonic() < deadline:
        await pilot.pause()
        try:
            problems = check()
        except Exception as error:  # widgets not mounted yet, data not there yet
            problems = [repr(error)]
        if not problems:
            return
        await pilot.pause(0.02)  # poll interval of a deadline loop, not a wait for something
    raise AssertionError(
        "\n".join(problems)
        + "\n\nOn screen:\n"
        + "\n".join(_rows(pilot.app, Region(0, 0, *pilot.app.size)))
    )


# -- running a case ----------------------------------------------------------------------
@dataclass(frozen=True)
class Template:
    """A seeded data directory, copied for each test (seeding once saves ~1 s a case)."""

    data_dir: Path
    world: World


def _seed(settings: Settings) -> World:
    async def run() -> World:
        community = build_community(settings, scorer=WordScorer())
        community.prepare()
        try:
            return await _world(community)
        finally:
            community.close()

    return asyncio.run(run())


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    data_dir = tmp_path_factory.mktemp("fit") / "data"
    settings = with_overrides(load_settings(data_dir, port=0), argon2=FAST_ARGON2)
    # Its own loop, in its own thread: the tests' loops are not running yet.
    with ThreadPoolExecutor(1) as pool:
        world = pool.submit(_seed, settings).result()
    return Template(data_dir, world)


@pytest.fixture
def world(template: Template, tmp_path: Path) -> Iterator[World]:
    data_dir = tmp_path / "data"
    shutil.copytree(template.data_dir, data_dir)
    settings = with_overrides(load_settings(data_dir, port=0), argon2=FAST_ARGON2)
    community = build_community(settings, scorer=WordScorer())
    community.prepare()
    yield replace(template.world, community=community)
    community.close()


def _app(world: World, case: Case, *, mono: bool = False) -> BBSApp:
    viewer = {"wren": world.wren, "sysop": world.sysop, "visitor": None}[case.viewer]
    key = PublicKeyInfo("ssh-ed25519", FINGERPRINT, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA")
    app = BBSApp(
        SessionContext(
            world.community.services,
            viewer,
            offered_key=key if case.offered_key else None,
            detected_depth=ColourDepth.MONOCHROME if mono else ColourDepth.EIGHT_BIT,
        )
    )
    app.language = case.language
    return app


async def _open(pilot: Any, world: World, case: Case) -> Screen[Any]:
    app: BBSApp = pilot.app
    screen = await case.open(world, app)
    if screen is not None:
        app.push_screen(screen)

    def opened() -> list[str]:
        current = app.screen
        if not isinstance(current, case.screen) or not current.is_mounted:
            return [f"waiting for {case.screen.__name__}, on {current!r}"]
        return [] if case.ready(current) else [f"{case.id} has not loaded its data"]

    await _until(pilot, opened, timeout=10.0)
    return app.screen


def _params(test: str) -> list[Any]:
    return [
        pytest.param(
            case,
            id=case.id,
            marks=[
                pytest.mark.xfail(strict=True, reason=reason)
                for name, reason in case.known
                if name == test
            ],
        )
        for case in CASES
    ]


@pytest.mark.parametrize("case", _params("keys"))
async def test_keys_whole_at_80x24(world: World, case: Case) -> None:
    """Every key line, and the texts a case names, drawn whole at 80x24 (in monochrome),
    also while a notification is up (a crisis alert stays for a minute)."""
    app = _app(world, case, mono=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _open(pilot, world, case)
        app.clear_notifications()
        app.notify(
            "Crisis alert: someone may be in danger. Press A on the home screen to review.",
            title="Crisis alert",
            severity="error",
            timeout=60,
        )

        def shown_with_keys() -> list[str]:
            if case.screen is QuickHideScreen:
                return []  # notifications wait until the screen comes back
            if not any(toast.region for toast in app.screen.query(Toast)):
                return ["waiting for the notification to show"]
            return key_problems(app, case)

        await _until(pilot, shown_with_keys)


@pytest.mark.parametrize("case", _params("lists"))
async def test_chosen_row_marked_in_monochrome(world: World, case: Case) -> None:
    """Every list shows which row is chosen without colour: in reverse, or with a marker."""
    app = _app(world, case, mono=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, world, case)
        await _until(pilot, lambda: list_problems(app))


@pytest.mark.parametrize("case", [p for p in _params("prose") if p.values[0].prose])
async def test_long_texts_wrap_without_ragged_lines(world: World, case: Case) -> None:
    """Help, crisis notes, guidelines and what we store read as paragraphs at 80x24."""
    app = _app(world, case)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, world, case)
        await _until(pilot, lambda: ragged_lines(app, case))


@pytest.mark.parametrize("case", _params("title"))
async def test_title_stays_at_40x12(world: World, case: Case) -> None:
    """Opened on a 40x12 terminal, the screen still shows where the member is, and its
    long texts (crisis lines among them) are as wide as the screen at most."""
    app = _app(world, case)
    async with app.run_test(size=(40, 12)) as pilot:
        await _open(pilot, world, case)
        await _until(pilot, lambda: title_problems(app, case) + too_wide(app, case))


# -- every screen in every language --------------------------------------------------------
TRANSLATED = tuple(lang for lang in LANGUAGES if lang != "en")


@functools.cache
def _english_sources() -> frozenset[str]:
    """Every message the catalogues translate (stripped), as written in English."""
    with (LOCALE_DIR / "bbs.pot").open("rb") as f:
        ids = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    return frozenset(i.strip() for i in ids if translator("de").gettext(i) != i)


def _in_every_language(test: str) -> list[Any]:
    return [
        pytest.param(
            replace(case, language=lang),
            id=f"{case.id}-{lang}",
            marks=[
                pytest.mark.xfail(strict=True, reason=reason)
                for name, reason in case.known
                if name == test
            ],
        )
        for case in CASES
        if case.language == "en"
        for lang in TRANSLATED
    ]


def untranslated(app: BBSApp) -> list[str]:
    """Key lines and titles still showing an English message (empty: none)."""
    english = _english_sources()
    problems = []
    for widget in [*app.screen.query(KeyBar), *app.screen.query(".title")]:
        text = str(widget.render()).strip()
        if text in english:
            problems.append(f"{text!r} is still in English")
    return problems


@pytest.mark.parametrize("case", _in_every_language("keys"))
async def test_keys_whole_and_translated_at_80x24_in_every_language(
    world: World, case: Case
) -> None:
    """The same check as in English, for every screen in Spanish, French, German and
    Portuguese (German and French run long): every key line whole at 80x24, and no key
    line or title left in English."""
    app = _app(world, case, mono=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, world, case)
        await _until(pilot, lambda: key_problems(app, case) + untranslated(app))


@pytest.mark.parametrize("mode", ["thread", "pm"])
async def test_the_compose_body_has_a_label(world: World, mode: str) -> None:
    """The text field a member writes in says what it is, on the line above it."""
    from screens.compose import ComposeScreen, ComposeTarget, PostEditor

    target_id = world.board_id if mode == "thread" else world.partner.id
    target = ComposeTarget(mode, target_id, "Writing", with_title=mode == "thread")
    case = Case(
        ComposeScreen,
        _opener(
            lambda w, a: ComposeScreen(target, boards=w.community.boards, mail=w.community.mail)
        ),
    )
    app = _app(world, case)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, world, case)

        def labelled() -> list[str]:
            body = app.screen.query_one(PostEditor).region
            above, _region = app.screen.get_widget_at(body.x, body.y - 1)
            label = str(above.render()).strip() if isinstance(above, PlainText) else ""
            if not label:
                return [f"above the body is {above!r}, not a label"]
            return []

        await _until(pilot, labelled)


def _screen_classes() -> set[type[Screen[Any]]]:
    found: set[type[Screen[Any]]] = set()
    for module_info in pkgutil.iter_modules(screens.__path__):
        module = import_module(f"screens.{module_info.name}")
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(value, Screen)
                and value.__module__ == module.__name__
                and not value.__name__.startswith("_")
                and module.__name__ != "screens.base"  # the bases, never shown alone
            ):
                found.add(value)
    return found


def test_every_screen_has_a_case() -> None:
    covered = {case.screen for case in CASES}
    missing = sorted(c.__name__ for c in _screen_classes() - covered)
    assert not missing, f"add a Case for: {', '.join(missing)}"
