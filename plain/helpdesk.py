"""Help in line mode: crisis lines and the sysop's help, the resource library, the public
moderation log. (`help` or `?` at any prompt shows the help and crisis lines too.)"""

from __future__ import annotations

from bbs.i18n import N_
from bbs.resources.records import ResourceView
from plain.menus import Command, command, list_loop, listing
from plain.session import PlainSession

# -- what members read ----------------------------------------------------------------
PROMPT = N_(
    "Help: R for the resource library (grounding, breathing, sleep and other "
    "self-help), L for the moderation log, H to read the help again, 0 back: "
)
HINT = N_("Type R, L, H or 0.")
LIBRARY_TITLE = N_("The resource library:")
LIBRARY_EMPTY = N_("The library is empty right now.")
ENTRY_LINE = "{title}{favourite} ({tags})"
FAVOURITE = N_(", a favourite")
LIBRARY_PROMPT = N_(
    "Library: type an entry's number to read it, F and a number to keep it as a "
    "favourite (or let it go), V for favourites only, A for all, 0 back: "
)
LIBRARY_HINT = N_("Type an entry's number, F and a number, V, A or 0.")
ENTRY = N_("{title}\nTags: {tags}\n\n{body}\n\nSource: {source}")
KEPT = N_("{title} is one of your favourites now.")
LET_GO = N_("{title} is no longer a favourite.")
NO_FAVOURITES = N_("No favourites yet: F and an entry's number keeps one.")
LOG_TITLE = N_("Moderation log: what moderators did and why. Moderators' names are not shown.")
LOG_OFF = N_("This community does not publish its moderation log.")
LOG_LINE = "{day} {action} {member}: {why}"
NO_REASON = N_("no reason given")


async def run(s: PlainSession) -> None:
    await s.show_help()
    console, t = s.console, s.t
    while True:
        answer = command(await console.ask(t(PROMPT)))
        if answer.back or answer.empty:
            return
        if answer.word in ("r", "resources", "library"):
            await library(s)
        elif answer.word in ("l", "log"):
            await public_log(s)
        elif answer.word == "h":
            await s.show_help()
        else:
            await console.say(t(HINT))


async def library(s: PlainSession) -> None:
    console, resources, member, t = s.console, s.services.resources, s.member, s.t
    only_favourites = False
    # The entries as last shown: numbers typed refer to them.
    entries: list[ResourceView] = []

    async def load() -> set[int]:
        return await resources.favourite_ids(member.id, s.language)

    async def show(favourites: set[int]) -> str:
        nonlocal entries
        entries = await (
            resources.favourites(member.id, s.language)
            if only_favourites
            else resources.library(s.language)
        )
        if not entries:
            return t(NO_FAVOURITES if only_favourites else LIBRARY_EMPTY)
        lines = [
            ENTRY_LINE.format(
                title=e.title,
                favourite=t(FAVOURITE) if e.id in favourites else "",
                tags=", ".join(e.tags),
            )
            for e in entries
        ]
        return listing(t(LIBRARY_TITLE), lines)

    async def act(answer: Command, favourites: set[int]) -> bool | None:
        nonlocal only_favourites
        index = answer.index(len(entries))
        chosen = entries[index] if index is not None else None
        if answer.word in ("v", "favourites"):
            only_favourites = True
            return True
        if answer.word in ("a", "all"):
            only_favourites = False
            return True
        if not answer.word and chosen is not None:
            await read_entry(s, chosen)
        elif answer.word in ("f", "favourite") and chosen is not None:
            now = await resources.set_favourite(member.id, chosen.id, chosen.id not in favourites)
            await console.say(t(KEPT if now else LET_GO).format(title=chosen.title))
        else:
            return None
        return False

    await list_loop(console, t(LIBRARY_PROMPT), t(LIBRARY_HINT), load=load, show=show, act=act)


async def read_entry(s: PlainSession, entry: ResourceView) -> None:
    await s.console.say(
        s.t(ENTRY).format(
            title=entry.title, tags=", ".join(entry.tags), body=entry.body, source=entry.source
        )
    )


async def public_log(s: PlainSession) -> None:
    entries = await s.services.admin.public_log()
    if not entries:
        await s.console.say(s.t(LOG_OFF))
        return
    await s.console.say(
        s.t(LOG_TITLE)
        + "\n"
        + "\n".join(
            LOG_LINE.format(
                day=f"{e.created_at:%Y-%m-%d}",
                action=e.action,
                member=e.member,
                why=": ".join(p for p in (e.category, e.reason) if p) or s.t(NO_REASON),
            )
            for e in entries
        )
    )
