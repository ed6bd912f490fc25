"""For you in line mode: suggestions with their reasons, people with shared themes, and the
plain opt-in (nothing is read for suggestions until the member says yes)."""

from __future__ import annotations

from bbs.i18n import N_
from bbs.suggestions.records import ForYou, Suggestion
from plain.forms import KIND_ERRORS, OFF_WORD, ON_WORD, SAVED, confirm
from plain.menus import command, numbered
from plain.session import PlainSession

# -- what members read ----------------------------------------------------------------
TITLE = N_("For you:")
OFF = N_(
    "Suggestions are off. Type O to read what they use and to turn them on; until then "
    "nothing is read for them."
)
THEMES = N_("Your themes: {themes}.")
KINDS = {"board": N_("Board"), "thread": N_("Thread"), "resource": N_("Resource")}
SUGGESTION_LINE = "{kind}: {title}{where}. {why}."
ON_BOARD = N_(" (on {board})")
NO_SUGGESTIONS = N_("Nothing to suggest yet.")
PEERS_TITLE = N_("People working on similar things:")
PEER_LINE = N_("{name}, shares: {themes}")
PEERS_OFF = N_("Peer matching is off (O to change).")
NO_PEERS = N_("People working on similar things: nobody yet.")
PROMPT = N_(
    "For you: a suggestion's number opens it, D and a number dismisses it; P and a "
    "person's number: I invite, M message, DP dismiss (like I1); O settings, 0 back: "
)
HINT = N_("Type a suggestion's number, D and a number, I, M or DP and a person's number, O or 0.")
DISMISSED = N_("Dismissed: it will not come back, and {theme} will weigh a little less.")
ITS_THEME = N_("its theme")
PEER_DISMISSED = N_("{name} will not be suggested to you again.")
INVITED = N_("Invitation sent to {name}. They can accept it in their partner list.")
GONE = N_("That resource is no longer in the library.")
NOW = N_("Now: suggestions {suggestions}, peer matching {peers}.")
ASK_SUGGESTIONS = N_("Turn suggestions on? (No turns them off and deletes what they learned.)")
ASK_PEERS = N_(
    "Turn peer matching on too? Others who also said yes may see your pseudonym and "
    "the themes you share."
)


async def run(s: PlainSession) -> None:
    console = s.console
    shown = await s.services.suggestions.for_you(s.member.id)
    await console.say(_text(s, shown))
    while True:
        answer = command(await console.ask(s.t(PROMPT)))
        if answer.back:
            return
        try:
            if answer.empty:
                pass
            elif answer.is_word("o", "settings"):
                await settings(s)
            elif (opened := answer.pick(len(shown.suggestions))) is not None:
                await open_suggestion(s, shown.suggestions[opened])
                continue
            elif (dismissed := answer.pick(len(shown.suggestions), "d", "dismiss")) is not None:
                item = shown.suggestions[dismissed]
                await s.services.suggestions.dismiss(
                    s.member.id, item.kind, item.item_id, item.theme
                )
                await console.say(s.t(DISMISSED).format(theme=item.theme or s.t(ITS_THEME)))
            elif (peer := answer.pick(len(shown.peers), "i", "m", "dp")) is not None:
                await _peer(s, answer.word, shown, peer)
            else:
                await console.say(s.t(HINT))
                continue
        except KIND_ERRORS as error:
            await console.say(s.t(error))
            continue
        shown = await s.services.suggestions.for_you(s.member.id)
        await console.say(_text(s, shown))


def _text(s: PlainSession, shown: ForYou) -> str:
    lines = [s.t(TITLE)]
    if not shown.enabled:
        lines.append(s.t(OFF))
        return "\n".join(lines)
    if shown.message:
        lines.append(s.t(shown.message))
    elif shown.themes:
        lines.append(s.t(THEMES).format(themes=", ".join(shown.themes[:5])))
    if shown.suggestions:
        lines.append(
            numbered(
                [
                    SUGGESTION_LINE.format(
                        kind=s.t(KINDS[x.kind]) if x.kind in KINDS else x.kind,
                        title=x.title,
                        where=s.t(ON_BOARD).format(board=x.where) if x.where else "",
                        why=s.t(x.why),
                    )
                    for x in shown.suggestions
                ]
            )
        )
    elif not shown.message:
        lines.append(s.t(NO_SUGGESTIONS))
    if not shown.peers_enabled:
        lines.append(s.t(PEERS_OFF))
    elif not shown.peers:
        lines.append(s.t(NO_PEERS))
    else:
        lines.append(s.t(PEERS_TITLE))
        lines.append(
            numbered(
                [
                    s.t(PEER_LINE).format(name=p.pseudonym, themes=", ".join(p.shared))
                    for p in shown.peers
                ]
            )
        )
    return "\n".join(lines)


async def _peer(s: PlainSession, word: str, shown: ForYou, index: int) -> None:
    peer = shown.peers[index]
    service = s.services.suggestions
    if word == "i":
        await service.invite_peer(s.member.id, peer.member_id)
        await s.console.say(s.t(INVITED).format(name=peer.pseudonym))
    elif word == "m":
        from plain.messages import send_to

        name = await service.peer_to_write(s.member.id, peer.member_id)
        await send_to(s, peer.member_id, name)
    else:
        await service.dismiss(s.member.id, "peer", peer.member_id)
        await s.console.say(s.t(PEER_DISMISSED).format(name=peer.pseudonym))


async def open_suggestion(s: PlainSession, item: Suggestion) -> None:
    from plain import boards, helpdesk

    if item.kind == "board":
        await boards.threads(s, item.item_id)
    elif item.kind == "thread":
        await boards.read_thread(s, item.item_id)
    elif item.kind == "resource":
        entry = await s.services.resources.get(item.item_id, s.language)
        if entry is None:
            await s.console.say(s.t(GONE))
            return
        await helpdesk.read_entry(s, entry)


async def settings(s: PlainSession) -> None:
    console, service = s.console, s.services.suggestions
    current = await service.settings(s.member.id)
    await console.say(
        s.t(service.opt_in_text())
        + "\n\n"
        + s.t(NOW).format(
            suggestions=s.t(ON_WORD) if current.suggestions else s.t(OFF_WORD),
            peers=s.t(ON_WORD) if current.peers else s.t(OFF_WORD),
        )
    )
    on = await confirm(console, s.t(ASK_SUGGESTIONS))
    peers = on and await confirm(console, s.t(ASK_PEERS))
    await service.set_settings(s.member.id, suggestions_on=on, peers=peers)
    await console.say(s.t(SAVED))
