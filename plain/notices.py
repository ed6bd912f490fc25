"""Notes from the moderators in line mode: what they did about my posts or account, and
why; each action may be appealed once."""

from __future__ import annotations

from dataclasses import replace

from bbs.i18n import N_
from plain.forms import ask_text
from plain.menus import command, listing
from plain.session import PlainSession

# -- what members read ----------------------------------------------------------------
TITLE = N_("Notes from the moderators:")
NONE = N_("There are no notes from the moderators for you.")
LINE = "{when}: {text}{appeal}"
APPEALABLE = N_(" (P and this number appeals)")
PROMPT = N_("Notes: type P and a number to appeal that action (once), or 0 to go back: ")
HINT = N_("Type P and a note's number, or 0.")
NOT_APPEALABLE = N_("That note is not about an action you can appeal.")
WHY_PROMPT = N_(
    "Why do you think this was a mistake? Type it in one line (up to 500 "
    "characters), or 0 to go back: "
)


async def run(s: PlainSession) -> None:
    console, admin, member = s.console, s.services.admin, s.member
    notices = await admin.notices(member.id)
    if not notices:
        await console.say(s.t(NONE))
        return
    lines = [
        LINE.format(
            when=f"{n.created_at:%Y-%m-%d %H:%M}",
            text=s.t(n.text),
            appeal=s.t(APPEALABLE) if n.appealable and n.audit_id is not None else "",
        )
        for n in notices
    ]
    await console.say(listing(s.t(TITLE), lines))
    while True:
        answer = command(await console.ask(s.t(PROMPT)))
        if answer.back or answer.empty:
            # Read: the home screen stops counting them.
            await admin.mark_seen(member.id, [n.id for n in notices])
            return
        appealed = answer.pick(len(notices), "p", "appeal")
        if appealed is None:
            await console.say(s.t(HINT))
            continue
        notice = notices[appealed]
        if not notice.appealable or notice.audit_id is None:
            await console.say(s.t(NOT_APPEALABLE))
            continue
        why = await ask_text(console, s.t(WHY_PROMPT))
        if why is None:
            continue
        sent = await admin.appeal(member.id, notice.audit_id, why)
        notices = [
            replace(n, appealable=False) if n.audit_id == notice.audit_id else n for n in notices
        ]
        await console.say(s.t(sent.message))
