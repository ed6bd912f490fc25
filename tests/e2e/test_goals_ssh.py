"""Goals over real SSH: a goal, a check-in, its streak and the companion; a partner sees it."""

from __future__ import annotations

from typing import Any

from support import SSH_PASSWORD as PASSWORD
from support import wait_until

from bbs.community import Community
from bbs.goals.service import cheer_topic
from server.ssh_server import RunningServer


async def test_goal_check_in_streak_companion_and_partner_view(
    connect: Any, server: RunningServer
) -> None:
    community: Community = server.registry.community
    community.moderation.set_scorer(None)
    rowan = (await community.accounts.sign_up("Rowan", PASSWORD, PASSWORD)).member
    await community.accounts.sign_up("Sage", PASSWORD, PASSWORD)

    term = await connect("rowan", password=PASSWORD)
    await term.wait_for("welcome, Rowan")
    await term.type("g")
    await term.wait_for("No goals yet")
    await term.type("n")
    await term.wait_for("New goal")
    await term.type("Stretch in the morning\r")  # title
    # Category a choice: M for movement; cadence, measure and target as they are.
    await term.type("m\r\r\r\r")
    # Who sees it, a choice too: Right from private is partners; the last field: Enter saves.
    await term.type("\x1b[C\r")
    await term.wait_for("Goal set: Stretch in the morning")
    [made] = await community.goals.goals(rowan.id)
    assert (made.goal.category, made.goal.visibility.value) == ("movement", "partners")
    await term.type("c")
    await term.wait_for("Check in: Stretch in the morning")
    await term.type("d4\r")
    screen = await term.wait_for("Companion (automated)")
    assert "Streak: 1 day" in screen
    assert "First check-in" in screen
    await term.type("\r")
    await term.wait_for("done today")

    invite = await community.goals.invite(rowan.id, "sage")
    sage_id = invite.other_id
    await community.goals.answer(sage_id, invite.id, True)
    partner = await connect("sage", password=PASSWORD)
    await partner.wait_for("welcome, Sage")
    await partner.type("g")
    await partner.wait_for("Goals and check-ins")
    await partner.type("p")
    await partner.wait_for("Rowan")
    await partner.type("\r")
    await partner.wait_for("Goals Rowan shares with you")
    await partner.wait_for("Stretch in the morning")
    await partner.type("\r")
    screen = await partner.wait_for("Recent check-ins")
    assert "done, mood 4" in screen
    assert "Streak: 1 day" in screen
    await partner.type("x")
    await partner.wait_for("A cheer for Rowan")
    await partner.type("Proud of you!\r")
    await partner.wait_for("Cheer sent.")
    await term.wait_for("Sage cheered you on: Proud of you!")  # live, on Rowan's screen
    cheers = await community.goals.cheers(rowan.id)
    assert [c.body for c in cheers] == ["Proud of you!"]

    # Leaving lets go of the live cheer subscription (and so of the session's app).
    await term.close()
    await wait_until(
        lambda: community.events.subscriber_count(cheer_topic(rowan.id)) == 0,
        "the cheer subscription to end",
        timeout=30,
    )
    assert community.events.subscriber_count(cheer_topic(rowan.id)) == 0
