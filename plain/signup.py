"""Arriving as `new` in line mode: guidelines and what we store, agree, a pseudonym, a
password twice, keep the SSH key or not, and the recovery code shown once. Or recovery."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from functools import partial

from bbs.accounts.members import AccountError
from bbs.accounts.passwords import PasswordError, check_new_password
from bbs.accounts.pseudonyms import PseudonymError
from bbs.accounts.service import SignUpResult
from bbs.errors import StoreBusyError
from bbs.i18n import LANGUAGE_NAMES, LANGUAGES, N_, ready_language
from bbs.models import FrontEnd
from plain.forms import confirm, error_said
from plain.session import Goodbye, PlainSession

# -- what members read ----------------------------------------------------------------
WELCOME = N_("Welcome to {community}.")
INTRO = N_(
    "Before you join, please read the community guidelines and what we store about "
    "you. They follow now; Enter shows more when a screenful is read."
)
CHOOSE = N_("Type A to agree and sign up, R if you have a recovery code, or Q to leave: ")
CHOOSE_AGAIN = N_("Please type A, R or Q.")
LEAVING = N_("Goodbye. You are welcome back any time.")
EXPIRED = N_(
    "Sign-up has a time limit and it ran out, so we closed it. Nothing was saved. "
    "Connect again whenever you are ready."
)
NAME_HOW = N_(
    "Choose how you will be known here: a pseudonym of 2 to 24 letters or digits "
    "(and _ - .). Not your real name. Type 0 to go back."
)
NAME_PROMPT = N_("Pseudonym: ")
PASSWORD_HOW = N_("Now a password of at least 10 characters. It is not shown as you type.")
PASSWORD_PROMPT = N_("Password: ")
REPEAT_PROMPT = N_("The same password again: ")
KEY_QUESTION = N_(
    "You connected with an SSH key ({algorithm} {fingerprint}). May that key log "
    "you in next time, without the password?"
)
ONE_MOMENT = N_("One moment...")
RECOVER_HOW = N_(
    "Use your recovery code: type your pseudonym, the recovery code you noted when "
    "you joined, and a new password twice. Type 0 to go back."
)
RECOVER_NAME = N_("Your pseudonym: ")
CODE_PROMPT = N_("Your recovery code: ")
NEW_PASSWORD = N_("New password (not shown as you type): ")
TOO_MANY = N_("That did not work three times, so we stop here. Connect again to try once more.")
WELCOME_NEW = N_("Welcome, {name}.")
NEW_PASSWORD_SET = N_("New password set, {name}.")
CODE_HOW = N_(
    "Here is your recovery code. Write it down somewhere safe now: it is shown only "
    "this once, and it is the only way back in if you forget your password, because "
    "we keep no e-mail address for you."
)
NEXT_TIME = N_(
    "Next time, connect the same way with your name instead of new, for example: "
    "ssh -t -p {port} {name}@HOST plain"
)
NOTED_PROMPT = N_("Press Enter when you have noted it: ")
# Asked before anything else, so in every language at once; each named in its own words.
LANGUAGE_QUESTION = "Language · Idioma · Langue · Sprache · Idioma"
LANGUAGE_PROMPT = "1-5, Enter = {current}: "
BACK = frozenset({"0", "back", "cancel"})
TRIES = 3


async def arrive(s: PlainSession) -> None:
    """Sign up or recover within the sign-up time limit; the session then has its member."""
    try:
        async with asyncio.timeout(float(s.services.settings().login.signup_seconds)):
            await choose_language(s)
            result, first = await _arrive(s)
    except TimeoutError:
        raise Goodbye(s.t(EXPIRED), status=1) from None
    await ready_language(result.member.language)  # a recovered member's own
    s.became(result.member)
    _ = s.t
    title = _(WELCOME_NEW) if first else _(NEW_PASSWORD_SET)
    await s.console.say(
        "\n".join(
            [
                title.format(name=result.member.pseudonym),
                _(CODE_HOW),
                "",
                result.recovery_code,
                "",
                _(NEXT_TIME).format(port=s.services.settings().port, name=result.member.pseudonym),
            ]
        )
    )
    await s.console.ask(_(NOTED_PROMPT))


async def choose_language(s: PlainSession) -> None:
    """The first question: the language of sign-up and of the board (Enter keeps the one
    the SSH client asked for, or English)."""
    choices = "\n".join(f"{n}: {LANGUAGE_NAMES[lang]}" for n, lang in enumerate(LANGUAGES, start=1))
    await s.console.say(LANGUAGE_QUESTION + "\n" + choices)
    while True:
        answer = (
            (await s.console.ask(LANGUAGE_PROMPT.format(current=LANGUAGE_NAMES[s.language])))
            .strip()
            .lower()
        )
        if not answer:
            return
        if answer.isdecimal() and 1 <= int(answer) <= len(LANGUAGES):
            named = [LANGUAGES[int(answer) - 1]]
        else:
            named = [lang for lang in LANGUAGES if answer in (lang, LANGUAGE_NAMES[lang].lower())]
        if named:
            await ready_language(named[0])  # its catalogue read in a thread, the first time
            s.language = named[0]
            return


async def _arrive(s: PlainSession) -> tuple[SignUpResult, bool]:
    console = s.console
    _ = s.t
    guidelines = await s.services.texts.guidelines_text(s.language)
    await console.say(
        _(WELCOME).format(community=s.services.settings().community_name) + "\n" + _(INTRO)
    )
    if await console.say(guidelines.strip()):
        await console.say("\n" + s.t(s.services.texts.what_we_store_text()))
    while True:
        answer = (await console.ask(_(CHOOSE))).strip().lower()
        if answer in ("a", "agree", "yes", "y"):
            result = await _sign_up(s)
            if result is not None:
                return result, True
        elif answer in ("r", "recover", "recovery"):
            result = await _recover(s)
            if result is not None:
                return result, False
        elif answer in ("q", "quit", "leave", "0"):
            raise Goodbye(_(LEAVING))
        else:
            await console.say(_(CHOOSE_AGAIN))


async def _password(s: PlainSession, prompt: str) -> tuple[str, str]:
    while True:
        password = await s.console.ask(prompt, secret=True)
        repeated = await s.console.ask(s.t(REPEAT_PROMPT), secret=True)
        try:
            check_new_password(password, repeated)
        except PasswordError as error:
            await s.console.say(s.t(error))
            continue
        return password, repeated


async def _typed(s: PlainSession, prompt: str) -> str | None:
    """The answer to `prompt`, stripped; None when the member goes back."""
    answer = (await s.console.ask(s.t(prompt))).strip()
    return None if answer.lower() in BACK else answer


async def _settled(
    s: PlainSession,
    attempt: Callable[[], Awaitable[SignUpResult]],
    errors: tuple[type[Exception], ...],
    *,
    then: str = "",
) -> SignUpResult | None:
    """`attempt` made after "One moment..."; None when it fails with one of `errors`, which
    is said (followed by `then`, when given)."""
    await s.console.say(s.t(ONE_MOMENT))
    try:
        return await attempt()
    except errors as error:
        await s.console.say(error_said(s.console, error) + ("\n" + then if then else ""))
        return None


async def _sign_up(s: PlainSession) -> SignUpResult | None:
    console = s.console
    _ = s.t
    await console.say(_(NAME_HOW))
    while True:
        name = await _typed(s, NAME_PROMPT)
        if name is None:
            return None
        try:
            await s.services.accounts.check_pseudonym(name)
        except (PseudonymError, AccountError, StoreBusyError) as error:
            await console.say(error_said(s.console, error))
            continue
        await console.say(_(PASSWORD_HOW))
        password, repeated = await _password(s, _(PASSWORD_PROMPT))
        key = s.context.offered_key
        if key is not None and not await confirm(
            console, _(KEY_QUESTION).format(algorithm=key.algorithm, fingerprint=key.fingerprint)
        ):
            key = None
        # The name may have gone meanwhile, or too many sign-ups came from here: said, and
        # the name asked again.
        result = await _settled(
            s,
            partial(
                s.services.accounts.sign_up,
                name,
                password,
                repeated,
                key=key,
                source=s.context.source,
                language=s.language,
                front_end=FrontEnd.PLAIN,
            ),
            (PseudonymError, AccountError, PasswordError, StoreBusyError),
            then=_(NAME_HOW),
        )
        if result is not None:
            return result


async def _recover(s: PlainSession) -> SignUpResult | None:
    console = s.console
    _ = s.t
    await console.say(_(RECOVER_HOW))
    for _attempt in range(TRIES):
        name = await _typed(s, RECOVER_NAME)
        if name is None:
            return None
        code = await _typed(s, CODE_PROMPT)
        if code is None:
            return None
        password, repeated = await _password(s, _(NEW_PASSWORD))
        result = await _settled(
            s,
            partial(
                s.services.accounts.reset_password,
                name,
                code,
                password,
                repeated,
                source=s.context.source,
            ),
            (AccountError, PasswordError, StoreBusyError),
        )
        if result is not None:
            return result
    raise Goodbye(_(TOO_MANY), status=1)
