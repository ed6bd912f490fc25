"""Private messages in line mode: conversations, reading, writing, who may write, block, mute."""

from __future__ import annotations

from bbs.accounts.blocks import BlockKind
from bbs.boards.records import BODY_MAX, PostStatus
from bbs.i18n import N_
from bbs.mail.records import ConversationView, MessagePage, WhoMayWrite
from plain.boards import CONCERN_THANKS, WORRIED_PROMPT, name_of, tell_outcome, when
from plain.forms import REPORTED, ask_text, confirm, read_body, send_kept
from plain.menus import Command, command, list_loop, listing
from plain.session import PlainSession

# -- what members read ----------------------------------------------------------------
TITLE = N_("Private messages. Who may start a conversation with you: {who}.")
NONE_YET = N_("No conversations yet. Type N to write to someone.")
CONVERSATION_LINE = N_("{partner}, last {when}{unread}{state}")
UNREAD = N_(", {count} new")
BLOCKED = N_(" (blocked)")
MUTED = N_(" (muted)")
LIST_PROMPT = N_(
    "Messages: type a conversation's number, N to write to someone new, W to change "
    "who may write to you, or 0 to go back: "
)
LIST_HINT = N_("Type a conversation's number, N, W or 0.")
WHO_NOW = N_("Now {who} may start a conversation with you.")
TO_WHOM = N_("Write to whom? Type their pseudonym, or 0 to go back: ")
WITH = N_("Conversation with {partner}{state}. Oldest first:")
MESSAGE_HEADER = "{number}. {sender}, {when}:"
YOU = N_("You")
HELD = N_("(Held for review: not delivered yet.)")
OLDER_NOTE = N_("Older messages: type O.")
CONVERSATION_PROMPT = N_(
    "Conversation: R to reply, O for older messages, B to block or unblock, "
    "M to mute or unmute, X and a number to report a message, W if you are worried "
    "about them, 0 to go back: "
)
CONVERSATION_HINT = N_("Type R, O, B, M, W, X and a number, or 0.")
NO_OLDER = N_("There are no older messages.")
BODY_INTRO = N_("Your message to {partner}.")
SENT = N_("Sent to {partner}.")
BLOCK_QUESTION = N_(
    "Block {partner}? They cannot message, mention or react to you, and their "
    "posts fold up for you. They are not told."
)
BLOCKED_DONE = N_("Blocked {partner}.")
UNBLOCKED_DONE = N_("No longer blocked.")
MUTED_DONE = N_("Muted {partner}: their messages arrive without telling you.")
UNMUTED_DONE = N_("No longer muted.")
REPORT_PROMPT = N_(
    "What is wrong with message {number}? A moderator will look at it. Type the "
    "reason, or 0 to go back: "
)
NOT_WRITTEN_YET = N_("{partner} has not written here yet.")
NO_SUCH_MESSAGE = N_("There is no message {number} here.")

# Who may start a conversation, as said in plain lines (the full screen has its own words).
WHO_LABELS = {
    WhoMayWrite.EVERYONE: N_("everyone"),
    WhoMayWrite.TALKED: N_("people I have talked with"),
    WhoMayWrite.NOBODY: N_("nobody"),
}
_WHO_ORDER = [WhoMayWrite.EVERYONE, WhoMayWrite.TALKED, WhoMayWrite.NOBODY]


async def run(s: PlainSession) -> None:
    console, boards, member = s.console, s.services.mail, s.member

    async def load() -> list[ConversationView]:
        return await boards.conversations(member.id)

    async def show(conversations: list[ConversationView]) -> str:
        who = await boards.who_may_write(member.id)
        if not conversations:
            return s.t(TITLE).format(who=s.t(WHO_LABELS[who])) + "\n" + s.t(NONE_YET)
        return listing(
            s.t(TITLE).format(who=s.t(WHO_LABELS[who])), [_line(s, c) for c in conversations]
        )

    async def act(answer: Command, conversations: list[ConversationView]) -> bool | None:
        chosen = answer.pick(len(conversations))
        if answer.is_word("n", "new"):
            await write_to(s)
            return True
        if answer.is_word("w", "who"):
            current = await boards.who_may_write(member.id)
            chosen_who = _WHO_ORDER[(_WHO_ORDER.index(current) + 1) % len(_WHO_ORDER)]
            await boards.set_who_may_write(member.id, chosen_who)
            await console.say(s.t(WHO_NOW).format(who=s.t(WHO_LABELS[chosen_who])))
            return False
        if chosen is None:
            return None
        await conversation(s, conversations[chosen].id)
        return True

    await list_loop(console, s.t(LIST_PROMPT), s.t(LIST_HINT), load=load, show=show, act=act)


def _state(s: PlainSession, c: ConversationView) -> str:
    """` (blocked)` or ` (muted)` after the partner's name, when they are."""
    return s.t(BLOCKED) if c.blocked else s.t(MUTED) if c.muted else ""


def _line(s: PlainSession, c: ConversationView) -> str:
    return s.t(CONVERSATION_LINE).format(
        partner=name_of(s, c.partner),
        when=when(c.last_at),
        unread=s.t(UNREAD).format(count=c.unread) if c.unread else "",
        state=_state(s, c),
    )


async def write_to(s: PlainSession, name: str = "") -> None:
    """A new message to someone, by pseudonym (asked for when not given)."""
    console, boards = s.console, s.services.mail
    if not name:
        name = (await console.ask(s.t(TO_WHOM))).strip()
    if not name or name == "0":
        return
    partner_id, partner = await boards.find_member_id(name)
    await boards.check_may_write(s.member.id, partner_id)
    await send_to(s, partner_id, partner)


async def send_to(s: PlainSession, partner_id: int, partner: str) -> None:
    console = s.console
    body = await read_body(console, s.t(BODY_INTRO).format(partner=partner), limit=BODY_MAX)
    if body is None:
        return
    outcome = await send_kept(
        console, lambda: s.services.mail.send_message(s.member.id, partner_id, body)
    )
    if outcome is not None:
        await tell_outcome(s, outcome, s.t(SENT).format(partner=partner))


def _page_text(s: PlainSession, page: MessagePage) -> str:
    c = page.conversation
    lines = [
        s.t(WITH).format(
            partner=name_of(s, c.partner),
            state=_state(s, c),
        )
    ]
    if page.has_before:
        lines.append(s.t(OLDER_NOTE))
    for number, m in enumerate(page.messages, start=1):
        lines.append(
            MESSAGE_HEADER.format(
                number=number,
                sender=s.t(YOU) if m.mine else name_of(s, m.sender),
                when=when(m.created_at),
            )
        )
        if m.status is PostStatus.HELD:
            lines.append(s.t(HELD))
        lines.append(m.body)
    return "\n".join(lines)


async def conversation(s: PlainSession, conversation_id: int) -> None:
    console, boards, member = s.console, s.services.mail, s.member
    page = await boards.messages(member.id, conversation_id)
    await console.say(_page_text(s, page))
    while True:
        c = page.conversation
        answer = command(await console.ask(s.t(CONVERSATION_PROMPT)))
        if answer.back:
            return
        if answer.is_word("r", "reply"):
            await boards.check_may_write(member.id, c.partner_id)
            await send_to(s, c.partner_id, c.partner)
        elif answer.is_word("o", "older"):
            if not page.has_before or not page.messages:
                await console.say(s.t(NO_OLDER))
                continue
            page = await boards.messages(member.id, conversation_id, before_id=page.messages[0].id)
            await console.say(_page_text(s, page))
        elif answer.is_word("b", "block"):
            blocked, _muted = await boards.is_blocked(member.id, c.partner_id)
            if not blocked and not await confirm(
                console, s.t(BLOCK_QUESTION).format(partner=c.partner)
            ):
                continue
            await boards.set_block(member.id, c.partner_id, BlockKind.BLOCK, not blocked)
            await console.say(
                s.t(UNBLOCKED_DONE) if blocked else s.t(BLOCKED_DONE).format(partner=c.partner)
            )
        elif answer.is_word("m", "mute"):
            _blocked, muted = await boards.is_blocked(member.id, c.partner_id)
            await boards.set_block(member.id, c.partner_id, BlockKind.MUTE, not muted)
            await console.say(
                s.t(UNMUTED_DONE) if muted else s.t(MUTED_DONE).format(partner=c.partner)
            )
        elif answer.is_word("w", "worried"):
            theirs = [m for m in page.messages if m.sender == c.partner]
            if not theirs:
                await console.say(s.t(NOT_WRITTEN_YET).format(partner=c.partner))
                continue
            note = (await console.ask(s.t(WORRIED_PROMPT).format(name=c.partner))).strip()
            if note != "0":
                await boards.raise_concern_about_message(member.id, theirs[-1].id, note)
                await console.say(s.t(CONCERN_THANKS))
        elif answer.word in ("x", "report") and answer.number is not None:
            if not 1 <= answer.number <= len(page.messages):
                await console.say(s.t(NO_SUCH_MESSAGE).format(number=answer.number))
                continue
            message = page.messages[answer.number - 1]
            reason = await ask_text(console, s.t(REPORT_PROMPT).format(number=answer.number))
            if reason is not None:
                await boards.report_message(member.id, message.id, reason)
                await console.say(s.t(REPORTED))
        else:
            await console.say(s.t(CONVERSATION_HINT))
