"""Private messages in line mode: conversations, reading, writing, who may write, block, mute."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bbs.accounts.blocks import BlockKind
from bbs.boards.records import BODY_MAX, PostStatus
from bbs.mail.records import WHO_LABELS, ConversationView, MessagePage, WhoMayWrite
from plain.boards import CONCERN_THANKS, WORRIED_PROMPT, tell_outcome, when
from plain.forms import confirm, read_body, send_kept
from plain.menus import Command, command, list_loop, listing

if TYPE_CHECKING:
    from plain.session import PlainSession

# -- what members read ----------------------------------------------------------------
TITLE = "Private messages. Who may start a conversation with you: {who}."
NONE_YET = "No conversations yet. Type N to write to someone."
CONVERSATION_LINE = "{partner}, last {when}{unread}{state}"
UNREAD = ", {count} new"
BLOCKED = " (blocked)"
MUTED = " (muted)"
LIST_PROMPT = (
    "Messages: type a conversation's number, N to write to someone new, W to change "
    "who may write to you, or 0 to go back: "
)
LIST_HINT = "Type a conversation's number, N, W or 0."
WHO_NOW = "Now {who} may start a conversation with you."
TO_WHOM = "Write to whom? Type their pseudonym, or 0 to go back: "
WITH = "Conversation with {partner}{state}. Oldest first:"
MESSAGE_HEADER = "{number}. {sender}, {when}:"
YOU = "You"
HELD = "(Held for review: not delivered yet.)"
OLDER_NOTE = "Older messages: type O."
CONVERSATION_PROMPT = (
    "Conversation: R to reply, O for older messages, B to block or unblock, "
    "M to mute or unmute, X and a number to report a message, W if you are worried "
    "about them, 0 to go back: "
)
CONVERSATION_HINT = "Type R, O, B, M, W, X and a number, or 0."
NO_OLDER = "There are no older messages."
BODY_INTRO = "Your message to {partner}."
SENT = "Sent to {partner}."
BLOCK_QUESTION = (
    "Block {partner}? They cannot message, mention or react to you, and their "
    "posts fold up for you. They are not told."
)
BLOCKED_DONE = "Blocked {partner}."
UNBLOCKED_DONE = "No longer blocked."
MUTED_DONE = "Muted {partner}: their messages arrive without telling you."
UNMUTED_DONE = "No longer muted."
REPORT_PROMPT = (
    "What is wrong with message {number}? A moderator will look at it. Type the "
    "reason, or 0 to go back: "
)
REPORTED = "Thank you. A moderator will look at it."
NOT_WRITTEN_YET = "{partner} has not written here yet."
NO_SUCH_MESSAGE = "There is no message {number} here."

_WHO_ORDER = [WhoMayWrite.EVERYONE, WhoMayWrite.TALKED, WhoMayWrite.NOBODY]


async def run(s: PlainSession) -> None:
    console, boards, member = s.console, s.services.mail, s.member

    async def load() -> list[ConversationView]:
        return await boards.conversations(member.id)

    async def show(conversations: list[ConversationView]) -> str:
        who = await boards.who_may_write(member.id)
        if not conversations:
            return TITLE.format(who=WHO_LABELS[who]) + "\n" + NONE_YET
        return listing(TITLE.format(who=WHO_LABELS[who]), [_line(c) for c in conversations])

    async def act(answer: Command, conversations: list[ConversationView]) -> bool | None:
        chosen = answer.pick(len(conversations))
        if answer.is_word("n", "new"):
            await write_to(s)
            return True
        if answer.is_word("w", "who"):
            current = await boards.who_may_write(member.id)
            chosen_who = _WHO_ORDER[(_WHO_ORDER.index(current) + 1) % len(_WHO_ORDER)]
            await boards.set_who_may_write(member.id, chosen_who)
            await console.say(WHO_NOW.format(who=WHO_LABELS[chosen_who]))
            return False
        if chosen is None:
            return None
        await conversation(s, conversations[chosen].id)
        return True

    await list_loop(console, LIST_PROMPT, LIST_HINT, load=load, show=show, act=act)


def _line(c: ConversationView) -> str:
    return CONVERSATION_LINE.format(
        partner=c.partner,
        when=when(c.last_at),
        unread=UNREAD.format(count=c.unread) if c.unread else "",
        state=BLOCKED if c.blocked else MUTED if c.muted else "",
    )


async def write_to(s: PlainSession, name: str = "") -> None:
    """A new message to someone, by pseudonym (asked for when not given)."""
    console, boards = s.console, s.services.mail
    if not name:
        name = (await console.ask(TO_WHOM)).strip()
    if not name or name == "0":
        return
    partner_id, partner = await boards.find_member_id(name)
    await boards.check_may_write(s.member.id, partner_id)
    await send_to(s, partner_id, partner)


async def send_to(s: PlainSession, partner_id: int, partner: str) -> None:
    console = s.console
    body = await read_body(console, BODY_INTRO.format(partner=partner), limit=BODY_MAX)
    if body is None:
        return
    outcome = await send_kept(
        console, lambda: s.services.mail.send_message(s.member.id, partner_id, body)
    )
    if outcome is not None:
        await tell_outcome(s, outcome, SENT.format(partner=partner))


def _page_text(page: MessagePage) -> str:
    c = page.conversation
    lines = [
        WITH.format(partner=c.partner, state=BLOCKED if c.blocked else MUTED if c.muted else "")
    ]
    if page.has_before:
        lines.append(OLDER_NOTE)
    for number, m in enumerate(page.messages, start=1):
        lines.append(
            MESSAGE_HEADER.format(
                number=number, sender=YOU if m.mine else m.sender, when=when(m.created_at)
            )
        )
        if m.status is PostStatus.HELD:
            lines.append(HELD)
        lines.append(m.body)
    return "\n".join(lines)


async def conversation(s: PlainSession, conversation_id: int) -> None:
    console, boards, member = s.console, s.services.mail, s.member
    page = await boards.messages(member.id, conversation_id)
    await console.say(_page_text(page))
    while True:
        c = page.conversation
        answer = command(await console.ask(CONVERSATION_PROMPT))
        if answer.back:
            return
        if answer.is_word("r", "reply"):
            await boards.check_may_write(member.id, c.partner_id)
            await send_to(s, c.partner_id, c.partner)
        elif answer.is_word("o", "older"):
            if not page.has_before or not page.messages:
                await console.say(NO_OLDER)
                continue
            page = await boards.messages(member.id, conversation_id, before_id=page.messages[0].id)
            await console.say(_page_text(page))
        elif answer.is_word("b", "block"):
            blocked, _muted = await boards.is_blocked(member.id, c.partner_id)
            if not blocked and not await confirm(console, BLOCK_QUESTION.format(partner=c.partner)):
                continue
            await boards.set_block(member.id, c.partner_id, BlockKind.BLOCK, not blocked)
            await console.say(UNBLOCKED_DONE if blocked else BLOCKED_DONE.format(partner=c.partner))
        elif answer.is_word("m", "mute"):
            _blocked, muted = await boards.is_blocked(member.id, c.partner_id)
            await boards.set_block(member.id, c.partner_id, BlockKind.MUTE, not muted)
            await console.say(UNMUTED_DONE if muted else MUTED_DONE.format(partner=c.partner))
        elif answer.is_word("w", "worried"):
            theirs = [m for m in page.messages if m.sender == c.partner]
            if not theirs:
                await console.say(NOT_WRITTEN_YET.format(partner=c.partner))
                continue
            note = (await console.ask(WORRIED_PROMPT.format(name=c.partner))).strip()
            if note != "0":
                await boards.raise_concern_about_message(member.id, theirs[-1].id, note)
                await console.say(CONCERN_THANKS)
        elif answer.word in ("x", "report") and answer.number is not None:
            if not 1 <= answer.number <= len(page.messages):
                await console.say(NO_SUCH_MESSAGE.format(number=answer.number))
                continue
            message = page.messages[answer.number - 1]
            reason = (await console.ask(REPORT_PROMPT.format(number=answer.number))).strip()
            if reason and reason != "0":
                await boards.report_message(member.id, message.id, reason)
                await console.say(REPORTED)
        else:
            await console.say(CONVERSATION_HINT)
