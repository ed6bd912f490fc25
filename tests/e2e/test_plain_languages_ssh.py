"""Plain line mode over real SSH in German and French: after sign-up everything the line
front end itself prints follows the member's language (the main menu, the boards, the
rooms, a check-in, the help), the translated words typed (hilfe, aide, verbergen,
zurück) work beside the English ones, and no escape byte or C1 control is ever sent.
"""

from __future__ import annotations

import asyncssh
from plain_reader import PlainTerminal, open_plain
from support import SSH_PASSWORD as PASSWORD
from support import let_new_members_write

from bbs.community import Community
from server.ssh_server import RunningServer

ROOM = "\n> "


def _community(server: RunningServer) -> Community:
    community = server.registry.community
    let_new_members_write(community.database)
    return community


async def _member(server: RunningServer, name: str, language: str) -> None:
    community = _community(server)
    member = (await community.accounts.sign_up(name, PASSWORD, PASSWORD)).member
    await community.accounts.set_language(member.id, language)


async def _login(server: RunningServer, name: str) -> PlainTerminal:
    return await open_plain(server.port, name.lower(), password=PASSWORD, allow_utf8=True)


def _words(text: str) -> str:
    return " ".join(text.split())


async def test_a_german_client_signs_up_and_reads_line_mode_in_german(
    server: RunningServer,
) -> None:
    _community(server)
    key = asyncssh.generate_private_key("ssh-ed25519")
    term = await open_plain(
        server.port,
        "new",
        client_keys=[key],
        command="plain",
        allow_utf8=True,
        env={"LANG": "de_DE.UTF-8"},
    )
    try:
        await term.answer("1-5, Enter = Deutsch: ", "")
        await term.page_through("Tippe A, um zuzustimmen")
        term.send("a\r")
        await term.answer("Pseudonym: ", "Amsel")
        await term.answer("Passwort: ", PASSWORD)
        await term.answer("Dasselbe Passwort noch einmal: ", PASSWORD)
        await term.answer("Tippe J für ja oder N für nein: ", "nein")
        await term.answer("Drück Enter, wenn du ihn notiert hast: ", "")
        # The welcome and the main menu, in German.
        read = _words(await term.expect("Hauptmenü: Tippe eine Nummer"))
        assert "willkommen, Amsel." in read and "Das ist der Zeilenmodus." in read
        assert "Hauptmenü:" in read and "2. Foren" in read and "5. Räume: Live-Chat" in read
        assert "6. Ziele und Einträge" in read and "0. Tschüss" in read
        assert "Main menu" not in read and "Boards" not in read
        # Help from any prompt, typed as the German word.
        term.send("hilfe\r")
        read = _words(await term.page_through("Hauptmenü: Tippe eine Nummer"))
        assert "Hilfe und Krisentelefone" in read and "Im Zeilenmodus:" in read
        assert "Das war die Hilfe." in read
        # The boards, in German (the boards' own names and descriptions are the sysop's).
        term.send("2\r")
        read = _words(await term.answer("Foren: Tippe die Nummer eines Forums", "1"))
        assert "Foren:" in read and "(0 Threads)" in read
        read = _words(await term.answer("Threads: Tippe die Nummer eines Threads", "0"))
        assert "Hier gibt es noch keine Threads. Tippe N, um einen zu beginnen." in read
        await term.answer("Foren: Tippe die Nummer eines Forums", "zurück")
        # Hide and back, in German.
        await term.answer("Hauptmenü: Tippe eine Nummer", "verbergen")
        await term.expect("Systemstatus: Alle Dienste arbeiten normal.")
        term.send("zurück\r")
        await term.expect("Du bist zurück.")
        # Choosing French on the profile: from then on, line mode speaks French.
        await term.answer("Hauptmenü: Tippe eine Nummer", "9")
        read = _words(await term.answer("Profil: Tippe eine Nummer", "11"))
        assert "11. Sprache (Language): jetzt Deutsch" in read
        await term.answer("1-5, 0 = Deutsch: ", "3")
        await term.expect("Enregistré. Langue : Français.")
        read = _words(await term.answer("Profil : tapez un numéro", "0"))
        assert "11. Langue (Language) : actuellement Français" in read
        await term.answer("Menu principal : tapez un numéro", "0")
        await term.expect("Au revoir. Prenez soin de vous.")
        assert await term.wait_closed() == 0
        term.check()
    finally:
        term.conn.close()
    member = await server.registry.community.accounts.authenticate_password("Amsel", PASSWORD)
    assert member is not None and member.language == "fr"


async def test_a_room_line_and_a_check_in_in_french_and_german(server: RunningServer) -> None:
    await _member(server, "Merle", "fr")
    await _member(server, "Amsel", "de")
    merle = await _login(server, "Merle")
    amsel = await _login(server, "Amsel")
    try:
        read = _words(await merle.expect("Menu principal : tapez un numéro"))
        assert "bienvenue, Merle." in read and "2. Forums" in read and "0. Au revoir" in read
        await amsel.expect("Hauptmenü: Tippe eine Nummer")
        # Both go into the lobby; each reads the room in their own language.
        merle.send("5\r")
        read = _words(await merle.answer("Salons : tapez le numéro d'un salon", "1"))
        assert "Salons : discussion en direct." in read and "1. Lobby" in read
        read = _words(await merle.expect(ROOM))
        assert "Vous êtes dans Lobby." in read and "/leave (ou partir" in read
        amsel.send("5\r")
        await amsel.answer("Räume: Tippe die Nummer eines Raums", "1")
        await amsel.expect("Du bist in Lobby.")
        await amsel.expect(ROOM)
        await merle.expect("Arrivée de Amsel.")
        amsel.send("hallo zusammen\r")
        await merle.expect("Amsel: hallo zusammen")
        merle.send("bonjour\r")
        await amsel.expect("Merle: bonjour")
        # Leaving with the translated word.
        amsel.send("gehen\r")
        await amsel.expect("Du hast Lobby verlassen.")
        await merle.expect("Départ de Amsel.")
        merle.send("/leave\r")
        await merle.expect("Vous avez quitté Lobby.")
        await merle.answer("Salons : tapez le numéro d'un salon", "0")
        # A check-in, in French.
        await merle.answer("Menu principal : tapez un numéro", "6")
        read = _words(await merle.answer("Objectifs : le numéro d'un objectif", "n"))
        assert "Pas encore d'objectif." in read
        await merle.answer("Titre (120 caractères au plus)", "Marcher dehors")
        await merle.answer("Catégorie :", "movement")
        await merle.answer("Fréquence :", "")
        await merle.answer("Mesuré en minutes ou count", "")
        await merle.answer("Cible par suivi", "")
        await merle.answer("Qui le voit :", "")
        await merle.expect("Objectif créé : Marcher dehors.")
        read = _words(await merle.answer("Objectifs : le numéro d'un objectif", "c1"))
        line = "1. Marcher dehors: quotidien, privé. Pas encore de série. Prévu aujourd'hui."
        assert line in read
        await merle.answer("Comment ça s'est passé ?", "d")
        await merle.answer("Votre humeur, de 1", "4")
        await merle.answer("Quel jour ?", "")
        await merle.answer("Une note, si vous voulez", "Au soleil")
        # The first check-in is a milestone: sharing it is offered, in French.
        read = _words(await merle.page_through("Tapez W pour la partager"))
        merle.send("\r")
        await merle.expect("Objectifs : le numéro d'un objectif")
        assert "Suivi enregistré pour" in read and ": fait. Série 1 jour (meilleure 1)." in read
        # Help from inside goals, typed as the French word.
        merle.send("aide\r")
        read = _words(await merle.page_through("Objectifs : le numéro d'un objectif"))
        assert "Aide et lignes d'écoute" in read and "C'était l'aide." in read
        merle.send("0\r")
        await merle.answer("Menu principal : tapez un numéro", "0")
        await merle.expect("Au revoir. Prenez soin de vous.")
        assert await merle.wait_closed() == 0
        amsel.send("0\r")
        await amsel.answer("Hauptmenü: Tippe eine Nummer", "0")
        assert await amsel.wait_closed() == 0
        for term in (merle, amsel):
            assert "\x1b" not in term.text()
            term.check()
    finally:
        merle.conn.close()
        amsel.conn.close()
