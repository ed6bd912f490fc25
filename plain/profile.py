"""Profile and privacy in line mode: the front end, what we store, export, password,
recovery code, SSH keys, sessions, appearing offline, and deleting the account."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import NamedTuple

from bbs.accounts.members import AccountError, MemberView
from bbs.accounts.passwords import PasswordError
from bbs.countries import country_name
from bbs.i18n import LANGUAGE_NAMES, LANGUAGES, N_, ready_language
from bbs.models import FrontEnd
from bbs.privacy.records import DeleteChoice, KeyView
from bbs.privacy.service import ACCOUNT_DELETED_FAREWELL
from plain.forms import KIND_ERRORS, ask_text, confirm, error_said
from plain.menus import Command, command, list_loop, listing
from plain.session import Goodbye, PlainSession

# -- what members read ----------------------------------------------------------------
TITLE = N_("Profile: {name}. Role: {role}. Member since {since}. {keys} can log you in.")
ONE_KEY = N_("One SSH key")
KEYS = N_("{count} SSH keys")
NOT_GIVEN = N_("not given")
COUNTRY_PROMPT = N_(
    "Your country as two letters, such as DE or BR (it only chooses the crisis lines help "
    "shows), - to remove it, 0 to go back: "
)
COUNTRY_SAVED = N_("Saved: help shows the crisis lines for {country} where we have them.")
NO_COUNTRY_SAVED = N_("Saved: no country.")
ROLES = {"member": N_("member"), "moderator": N_("moderator"), "sysop": N_("sysop")}
PLAIN_NAME = N_("plain lines")
FULL_NAME = N_("the full screen")
YES = N_("yes")
NO = N_("no")
PROMPT = N_("Profile: type a number, or 0 to go back (Enter lists the choices): ")
HINT = N_("Type one of the numbers shown, or 0.")
FRONT_END_HOW = N_(
    "Which front end should your next plain login (ssh NAME@host) open? 1: plain "
    "lines, like this (for screen readers, braille displays and slow links). 2: "
    "the full screen. Whatever you choose, ssh -t NAME@host plain and ssh -t "
    "NAME@host full open either one."
)
FRONT_END_PROMPT = N_("Type 1 or 2, or 0 to keep {front_end}: ")
FRONT_END_SAVED = N_("Saved: your next login opens {front_end}.")
EXPORT = N_(
    "Everything of yours as one JSON file: run this on your own computer, with your usual "
    "login (it writes mine.json there):\n{command}"
)
CURRENT_PASSWORD = N_("Your current password (not shown): ")
NEW_PASSWORD = N_("New password, at least 10 characters (not shown): ")
REPEAT_PASSWORD = N_("The new password again: ")
PASSWORD_CHANGED = N_("Your password is changed.")
CODE_QUESTION = N_(
    "A new recovery code replaces the old one, which stops working. Make a new one now?"
)
NEW_CODE = N_(
    "Your new recovery code. Write it down somewhere safe now: it is shown only this "
    "once.\n\n{code}\n"
)
KEYS_TITLE = N_("SSH keys that log you in:")
NO_KEYS = N_("No SSH keys: only your password logs you in.")
KEY_LINE = N_("{algorithm} {fingerprint}{comment}, added {added}{used}")
KEY_USED = N_(", last used {when}")
KEYS_PROMPT = N_(
    "Keys: A to add one (paste the line of your .pub file), R and a number to remove one, 0 back: "
)
KEYS_HINT = N_("Type A, R and a key's number, or 0.")
PASTE_KEY = N_("Paste your public key line (it starts with ssh-ed25519 or ssh-rsa), or 0: ")
KEY_ADDED = N_("Added: {fingerprint} can log you in.")
REMOVE_KEY = N_("Remove {fingerprint}? It will not log you in any more (your password still does).")
KEY_REMOVED = N_("Removed.")
SESSIONS_TITLE = N_("Your sessions now:")
SESSION_LINE = N_("Since {since}, window {width} by {height}{this}")
THIS_ONE = N_(" (this one)")
SESSIONS_PROMPT = N_("Sessions: E and a number ends that session, or 0 to go back: ")
SESSION_ENDED = N_("Ended.")
SESSION_GONE = N_("That session had already ended.")
OFFLINE_QUESTION = N_(
    "Appear offline? Rooms then leave you out of who is here; your lines still show your name."
)
OFFLINE_NOW = N_("You appear offline now.")
ONLINE_NOW = N_("You appear online again.")
DELETE_HOW = N_(
    "Delete my account. Take your time; nothing happens until you type your name. "
    "Deleting cannot be undone. Your private messages, goals, check-ins, "
    "partnerships, keys and settings are removed, and your sessions end. Your name "
    "cannot be used by anyone for 30 days. You can export your data first (choice "
    "3).\nYour posts on the boards:\n1. Remove them (a short placeholder keeps "
    'replies readable)\n2. Keep them, shown as written by "a former member"'
)
DELETE_CHOICE = N_("Type 1 or 2, or 0 to go back without deleting: ")
DELETE_CONFIRM = N_("To confirm, type your name ({name}), or 0 to go back: ")
NOT_DELETED = N_("Your account was not deleted.")
LANGUAGE_HOW = "Language · Idioma · Langue · Sprache · Idioma\n{choices}"
LANGUAGE_PROMPT = "1-5, 0 = {language}: "
LANGUAGE_SAVED = N_("Saved: the board speaks {language} to you from now on.")


def _front_end_name(s: PlainSession, front_end: FrontEnd) -> str:
    return s.t(PLAIN_NAME) if front_end is FrontEnd.PLAIN else s.t(FULL_NAME)


async def run(s: PlainSession) -> None:
    console, privacy = s.console, s.services.privacy

    async def load() -> MemberView:
        return s.member

    async def show(member: MemberView) -> str:
        offline = await privacy.appear_offline(member.id)
        keys = s.t(ONE_KEY) if member.key_count == 1 else s.t(KEYS).format(count=member.key_count)
        title = s.t(TITLE).format(
            name=member.pseudonym,
            role=s.t(ROLES[member.role.value]) if member.role.value in ROLES else member.role.value,
            since=f"{member.created_at:%Y-%m-%d}",
            keys=keys,
        )
        items = [
            s.t(choice.label).format(
                front_end=_front_end_name(s, member.front_end),
                offline=s.t(YES) if offline else s.t(NO),
                language=LANGUAGE_NAMES[member.language],
                country=country_name(member.country, s.language)
                if member.country
                else s.t(NOT_GIVEN),
            )
            for choice in MENU
        ]
        return listing(title, items)

    async def act(answer: Command, _member: MemberView) -> bool | None:
        chosen = answer.pick(len(MENU))
        if chosen is None:
            return None
        try:
            await MENU[chosen].run(s)
        except KIND_ERRORS as error:
            await console.say(error_said(console, error))
        return MENU[chosen].shows_setting

    # Said afresh each time: choosing a language here changes them at once.
    await list_loop(
        console, lambda _m: s.t(PROMPT), lambda _m: s.t(HINT), load=load, show=show, act=act
    )


async def _what_we_store(s: PlainSession) -> None:
    await s.console.say(s.t(await s.services.privacy.what_we_store(s.member.id)))


async def _export(s: PlainSession) -> None:
    await s.console.say(s.t(EXPORT).format(command=s.services.privacy.export_command(s.member)))


async def _password(s: PlainSession) -> None:
    console = s.console
    current = await console.ask(s.t(CURRENT_PASSWORD), secret=True)
    new = await console.ask(s.t(NEW_PASSWORD), secret=True)
    repeated = await console.ask(s.t(REPEAT_PASSWORD), secret=True)
    await s.services.privacy.change_password(s.member.id, current, new, repeated)
    await console.say(s.t(PASSWORD_CHANGED))


async def _recovery_code(s: PlainSession) -> None:
    console = s.console
    if await confirm(console, s.t(CODE_QUESTION)):
        current = await console.ask(s.t(CURRENT_PASSWORD), secret=True)
        code = await s.services.privacy.regenerate_recovery_code(s.member.id, current)
        await console.say(s.t(NEW_CODE).format(code=code))


async def _appear_offline(s: PlainSession) -> None:
    console, privacy, member = s.console, s.services.privacy, s.member
    hidden = await privacy.appear_offline(member.id)
    if hidden or await confirm(console, s.t(OFFLINE_QUESTION)):
        await privacy.set_appear_offline(member, not hidden)
        await console.say(s.t(ONLINE_NOW) if hidden else s.t(OFFLINE_NOW))


async def _suggestions(s: PlainSession) -> None:
    from plain.foryou import settings

    await settings(s)


async def _country(s: PlainSession) -> None:
    """The member's country, for the crisis lines help shows; '-' says none."""
    console, member = s.console, s.member
    answer = await ask_text(console, s.t(COUNTRY_PROMPT))
    if answer is None:
        return
    code = "" if answer in ("-", "none") else answer
    s.context.member = await s.services.accounts.set_country(member.id, code)
    country = s.context.member.country
    await console.say(
        s.t(COUNTRY_SAVED).format(country=country_name(country, s.language))
        if country
        else s.t(NO_COUNTRY_SAVED)
    )


async def _language(s: PlainSession) -> None:
    """Each language in its own name; the help and crisis lines follow the choice."""
    console, member = s.console, s.member
    choices = "\n".join(f"{n}: {LANGUAGE_NAMES[lang]}" for n, lang in enumerate(LANGUAGES, 1))
    await console.say(LANGUAGE_HOW.format(choices=choices))
    answer = command(
        await console.ask(LANGUAGE_PROMPT.format(language=LANGUAGE_NAMES[member.language]))
    )
    index = answer.pick(len(LANGUAGES))
    if index is None:
        return
    chosen = LANGUAGES[index]
    await ready_language(chosen)  # its catalogue read in a thread, the first time
    s.context.member = await s.services.accounts.set_language(member.id, chosen)
    s.language = chosen
    await console.say(s.t(LANGUAGE_SAVED).format(language=LANGUAGE_NAMES[chosen]))


async def _front_end(s: PlainSession) -> None:
    console, member = s.console, s.member
    await console.say(s.t(FRONT_END_HOW))
    answer = command(
        await console.ask(
            s.t(FRONT_END_PROMPT).format(front_end=_front_end_name(s, member.front_end))
        )
    )
    if answer.word or answer.number not in (1, 2):
        return
    chosen = FrontEnd.PLAIN if answer.number == 1 else FrontEnd.FULL
    s.context.member = await s.services.accounts.set_front_end(member.id, chosen)
    await console.say(s.t(FRONT_END_SAVED).format(front_end=_front_end_name(s, chosen)))


async def _keys(s: PlainSession) -> None:
    console, privacy = s.console, s.services.privacy

    async def load() -> list[KeyView]:
        return await privacy.keys(s.member.id)

    async def show(keys: list[KeyView]) -> str:
        return listing(s.t(KEYS_TITLE), [_key_line(s, k) for k in keys]) if keys else s.t(NO_KEYS)

    await list_loop(
        console,
        s.t(KEYS_PROMPT),
        s.t(KEYS_HINT),
        load=load,
        show=show,
        act=partial(_on_key, s),
        errors=(AccountError,),
    )


def _key_line(s: PlainSession, k: KeyView) -> str:
    return s.t(KEY_LINE).format(
        algorithm=k.algorithm,
        fingerprint=k.fingerprint,
        comment=f" ({k.comment})" if k.comment else "",
        added=f"{k.created_at:%Y-%m-%d}",
        used=s.t(KEY_USED).format(when=f"{k.last_used_at:%Y-%m-%d}") if k.last_used_at else "",
    )


async def _on_key(s: PlainSession, answer: Command, keys: list[KeyView]) -> bool | None:
    """One answer at the keys' prompt; True when the keys changed, None when the answer
    means nothing here."""
    console, privacy = s.console, s.services.privacy
    removing = answer.pick(len(keys), "r", "remove")
    if answer.is_word("a", "add"):
        line = await ask_text(console, s.t(PASTE_KEY))
        if line is not None:
            added = await privacy.add_key(s.member.id, line)
            await console.say(s.t(KEY_ADDED).format(fingerprint=added.fingerprint))
            return True
    elif removing is not None:
        key = keys[removing]
        if await confirm(console, s.t(REMOVE_KEY).format(fingerprint=key.fingerprint)):
            await privacy.remove_key(s.member.id, key.fingerprint)
            await console.say(s.t(KEY_REMOVED))
            return True
    else:
        return None
    return False


async def _sessions(s: PlainSession) -> None:
    console, privacy = s.console, s.services.privacy
    while True:
        sessions = await privacy.sessions(s.member.id)
        lines = [
            s.t(SESSION_LINE).format(
                since=f"{x.started_at:%Y-%m-%d %H:%M} UTC",
                width=x.width,
                height=x.height,
                this=s.t(THIS_ONE) if x.session_id == s.context.session_id else "",
            )
            for x in sessions
        ]
        await console.say(listing(s.t(SESSIONS_TITLE), lines))
        answer = command(await console.ask(s.t(SESSIONS_PROMPT)))
        if answer.back or answer.empty:
            return
        ending = answer.pick(len(sessions), "e", "end")
        if ending is not None:
            ended = await privacy.end_session(s.member.id, sessions[ending].session_id)
            await console.say(s.t(SESSION_ENDED) if ended else s.t(SESSION_GONE))


async def _delete(s: PlainSession) -> None:
    console, member = s.console, s.member
    await console.say(s.t(DELETE_HOW))
    answer = command(await console.ask(s.t(DELETE_CHOICE)))
    if answer.word or answer.number not in (1, 2):
        await console.say(s.t(NOT_DELETED))
        return
    choice = DeleteChoice.REMOVE if answer.number == 1 else DeleteChoice.ANONYMISE
    while True:
        typed = await ask_text(console, s.t(DELETE_CONFIRM).format(name=member.pseudonym))
        if typed is None:
            await console.say(s.t(NOT_DELETED))
            return
        try:
            await s.services.privacy.delete_account(member, typed, choice)
        except (AccountError, PasswordError) as error:
            await console.say(error_said(console, error))
            continue
        # The server ended this session's other windows; this one says goodbye now.
        raise Goodbye(s.t(ACCOUNT_DELETED_FAREWELL))


class Choice(NamedTuple):
    """One numbered choice of the profile menu."""

    # Marked for translation, and formatted with the member's settings when shown.
    label: str
    run: Callable[[PlainSession], Awaitable[None]]
    # Its label shows a setting the choice may change: the menu is said again after it.
    shows_setting: bool = False


# The profile menu, in the order it is numbered.
MENU = (
    Choice(
        N_("Front end: now {front_end}. Choose which one your next login opens"),
        _front_end,
        shows_setting=True,
    ),
    Choice(N_("What we store about you"), _what_we_store),
    Choice(N_("Export your data"), _export),
    Choice(N_("Change your password"), _password),
    Choice(N_("A new recovery code"), _recovery_code),
    Choice(N_("SSH keys that log you in"), _keys),
    Choice(N_("Your sessions"), _sessions),
    Choice(N_("Appear offline in rooms: now {offline}"), _appear_offline, shows_setting=True),
    Choice(N_("Suggestions for you: settings"), _suggestions),
    Choice(N_("Delete my account"), _delete),
    # Translated with the English word kept beside it, and the language named in its own
    # words: someone who chose a language by mistake still finds the way back.
    Choice(N_("Language: now {language}"), _language, shows_setting=True),
    # Only chooses which crisis lines help shows (where a sysop wrote a country's own).
    Choice(N_("Country: now {country}"), _country, shows_setting=True),
)
