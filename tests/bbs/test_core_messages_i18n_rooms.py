"""The core's own messages (room replies, admin errors, sanction notices, privacy page)
say their English as before and reach a member in their language, parameters and all."""

from __future__ import annotations

import pytest
from support import add_member, sign_up

from bbs.accounts import members as accounts
from bbs.accounts.passwords import PasswordError, check_new_password
from bbs.admin import review as admin
from bbs.community import Community
from bbs.db import Database
from bbs.errors import StoreFullError
from bbs.i18n import Said, localise
from bbs.models import Role
from bbs.moderation_queue import sanctions
from bbs.moderation_queue.audit import AdminError
from bbs.moderation_queue.sanctions import SanctionKind
from bbs.rooms.service import HELP_TEXT


async def test_room_command_replies_are_said_in_the_readers_language(
    community: Community,
) -> None:
    ash = await sign_up(community, "Ash")
    oak = await sign_up(community, "Oak")
    await community.rooms.ensure_ready()
    visit = await community.rooms.enter(1, ash)
    await community.rooms.enter(1, oak)

    missing = (await community.rooms.submit(visit, "/ignore Nobody")).notes[0]
    assert isinstance(missing, Said)
    assert missing == "Nobody here is called Nobody."  # the English, as before
    assert localise(missing, "fr") == "Personne ici ne s'appelle Nobody."
    assert localise(missing, "pt") == "Ninguém aqui se chama Nobody."

    unknown = (await community.rooms.submit(visit, "/dance")).notes[0]
    assert localise(unknown, "pt") == "Não existe o comando /dance. /help mostra todos."

    ignored = (await community.rooms.submit(visit, "/ignore Oak")).notes[0]
    assert localise(ignored, "fr") == (
        "Vous ne verrez plus les lignes de Oak. /unignore Oak annule cela."
    )

    await community.rooms.submit(visit, "/away")
    who = (await community.rooms.submit(visit, "/who")).notes[0]
    assert who == "Here now (2): Ash (away), Oak"
    assert localise(who, "fr") == "Ici maintenant (2) : Ash (pas là), Oak"
    assert localise(who, "pt") == "Aqui agora (2): Ash (ausente), Oak"

    help_note = (await community.rooms.submit(visit, "/help")).notes[0]
    assert help_note == HELP_TEXT
    assert localise(help_note, "fr").startswith("Commandes : /me ACTION")


async def test_a_long_line_is_refused_with_its_numbers_in_the_readers_language(
    community: Community,
) -> None:
    ash = await sign_up(community, "Ash")
    await community.rooms.ensure_ready()
    visit = await community.rooms.enter(1, ash)
    limit = community.rooms.flood.max_chars
    reply = await community.rooms.submit(visit, "a" * (limit + 1))
    assert reply.keep_input
    note = reply.notes[0]
    assert note.startswith(f"Lines can be up to {limit} characters")
    assert localise(note, "pt") == (
        f"As linhas podem ter até {limit} caracteres; essa tem {limit + 1}. Tente dividi-la."
    )


def test_admin_errors_carry_their_parameters_into_french_and_portuguese(
    db: Database,
) -> None:
    sysop = add_member(db, "Harbourmaster", Role.SYSOP)
    with pytest.raises(AdminError) as caught, db.write() as session:
        admin.sanction_member(
            session, actor_id=sysop, pseudonym="Ghost", kind=SanctionKind.WARN, reason="x"
        )
    assert str(caught.value) == "There is no member called 'Ghost'."
    assert localise(caught.value, "fr") == "Il n'y a aucun membre nommé 'Ghost'."
    assert localise(caught.value, "pt") == "Não há nenhum membro chamado 'Ghost'."
    with pytest.raises(AdminError) as empty, db.write() as session:
        admin.sanction_member(
            session, actor_id=sysop, pseudonym="Harbourmaster", kind=SanctionKind.WARN
        )
    assert localise(empty.value, "fr").startswith("Chaque action a besoin d'une raison")


def test_a_sanction_notice_is_kept_in_the_members_language(db: Database) -> None:
    sysop = add_member(db, "Harbourmaster", Role.SYSOP)
    english = add_member(db, "Robin")
    french = add_member(db, "Camille")
    with db.write() as session:
        accounts.set_language(session, french, "fr")
    for name in ("Robin", "Camille"):
        with db.write() as session:
            admin.sanction_member(
                session,
                actor_id=sysop,
                pseudonym=name,
                kind=SanctionKind.MUTE,
                category="Spam",
                reason="Many links",
            )
    with db.read() as session:
        told_en = [n.text for n in sanctions.unseen_notices(session, english)]
        told_fr = [n.text for n in sanctions.unseen_notices(session, french)]
        muted = sanctions.posting_block(session, french)
    assert told_en[0].startswith("A moderator has muted you until ")
    assert "because Spam: Many links. You can still read everything" in told_en[0]
    assert told_en[0].endswith("you can appeal once from your home screen.")
    assert told_fr[0].startswith("Un modérateur vous a mis en sourdine jusqu'à ")
    assert "parce que Spam : Many links. Vous pouvez toujours tout lire" in told_fr[0]
    assert told_fr[0].endswith("faire appel une fois depuis votre écran d'accueil.")
    assert muted is not None and muted.startswith("You are muted until ")
    assert localise(muted, "pt").startswith("Sua conta está silenciada até ")


def test_account_errors_and_the_store_full_message_are_translated() -> None:
    with pytest.raises(PasswordError) as short:
        check_new_password("abc", "abc")
    assert localise(short.value, "de").startswith("Bitte nimm mindestens ")
    assert localise(StoreFullError(), "es").startswith("El servidor no pudo guardar ahora")


def test_line_mode_says_a_core_error_in_the_members_language() -> None:
    from bbs.accounts.members import AccountError
    from bbs.i18n import said
    from plain.forms import error_said

    class FrenchConsole:
        def t(self, message: object) -> str:
            return localise(message, "fr")

    error = AccountError(said("No member is called {name}.", name="'Robin'"))
    assert str(error) == "No member is called 'Robin'."
    assert error_said(FrenchConsole(), error) == "Aucun membre ne s'appelle 'Robin'."  # type: ignore[arg-type]
    assert error_said(FrenchConsole(), StoreFullError()).startswith(  # type: ignore[arg-type]
        "Le serveur n'a pas pu enregistrer"
    )
