"""Over real SSH: a client that sends LANG=es_ES.UTF-8 (or pt_BR) signs up in that
language, and a crisis post brings the crisis lines back in it (full screen and plain)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from plain_reader import open_plain
from support import SSH_PASSWORD as PASSWORD

from bbs.boards.records import PostingRules
from bbs.moderation_queue.policy import Scores
from screens.signup import LANGUAGE_TITLE
from server.ssh_server import RunningServer

TAB = "\t"
CTRL_S = "\x13"


class SpanishAndPortugueseCrisis:
    """A stand-in model: crisis words in Spanish or Portuguese, read as that language."""

    def score(self, texts: Sequence[str]) -> list[Scores]:
        def one(text: str) -> Scores:
            if "acabar con todo" in text:
                return Scores(0.0, 0.0, 0.95, lang="es")
            if "acabar com tudo" in text:
                return Scores(0.0, 0.0, 0.95, lang="pt")
            return Scores(0.0, 0.0, 0.0, lang="")

        return [one(t) for t in texts]

    def explain(self, text: str, top: int = 5) -> dict[str, list[tuple[str, float]]]:
        return {}


def _prepare(server: RunningServer) -> None:
    community = server.registry.community
    community.boards.rules = PostingRules(interval=timedelta(0), new_account_interval=timedelta(0))
    community.moderation.set_scorer(SpanishAndPortugueseCrisis())


async def _wait_words(term: Any, phrase: str, timeout: float = 15.0) -> str:
    """Wait until `phrase` is on screen, however the screen wrapped it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # A modal's border sits between the wrapped lines: read the words only.
        words = " ".join(term.text().replace("│", " ").split())
        if phrase in words:
            return words
        if term.closed.is_set():
            break
        await asyncio.sleep(0.02)
    raise AssertionError(f"{phrase!r} never appeared on screen:\n{term.text()}")


async def test_a_spanish_client_signs_up_in_spanish_and_gets_the_crisis_lines_in_spanish(
    connect: Any, server: RunningServer
) -> None:
    _prepare(server)
    term = await connect("new", env={"LANG": "es_ES.UTF-8"})
    screen = await term.wait_for(LANGUAGE_TITLE)
    assert "2  Español" in screen and "5  Português" in screen
    term.send("\r")  # Spanish is chosen already: the client asked for it
    await term.wait_for("Te damos la bienvenida a")
    await term.wait_for("A acepto")
    term.send("a")
    await term.wait_for("Elige cómo te conocerán aquí")
    await term.wait_for("Enter siguiente/crear")
    term.send("Lucia\r")
    term.send(PASSWORD + "\r")
    term.send(PASSWORD + "\r")
    await term.wait_for("Te damos la bienvenida, Lucia", timeout=20)
    await _wait_words(term, "Este es tu código de recuperación")
    term.send("\r")
    await term.wait_for("te damos la bienvenida, Lucia")

    term.send("b")
    await term.wait_for("Introductions")  # the board's own name
    term.send("\r")
    await term.wait_for("Aún no hay hilos")
    term.send("n")
    await term.wait_for("Hilo nuevo en Introductions")
    term.send("Esta noche")
    term.send(TAB + TAB)
    term.send("no puedo más, quiero acabar con todo")
    await term.wait_for("quiero acabar con todo")
    term.send(CTRL_S)
    words = await _wait_words(term, "Solo tú puedes ver esta nota.")
    assert "Tu mensaje está publicado, tal como lo escribiste." in words
    await _wait_words(term, "No has hecho nada malo")
    member = await server.registry.community.accounts.authenticate_password("Lucia", PASSWORD)
    assert member is not None and member.language == "es"


async def test_a_portuguese_client_in_plain_lines_signs_up_and_gets_the_lines_in_portuguese(
    server: RunningServer,
) -> None:
    _prepare(server)
    term = await open_plain(
        server.port, "new", command="plain", allow_utf8=True, env={"LANG": "pt_BR.UTF-8"}
    )
    try:
        read = await term.answer("1-5, Enter = Português: ", "")
        assert "Language" in read and "1: English" in read and "5: Português" in read
        await term.expect("Boas-vindas a Harbour.")
        await term.page_through("Digite A para aceitar")
        term.send("a\r")
        await term.answer("Pseudônimo: ", "Joana")
        await term.answer("Senha: ", PASSWORD)
        await term.answer("A mesma senha de novo: ", PASSWORD)
        read = await term.expect("Pressione Enter quando tiver anotado: ")
        assert "Boas-vindas, Joana." in read
        term.send("\r")
        # Line mode itself speaks Portuguese too (the core's crisis note already did).
        await term.answer("Menu principal: digite um número", "2")
        await term.answer("Fóruns: digite", "3")
        await term.answer("Conversas: digite", "n")
        await term.answer("Título (até 120 caracteres)", "Hoje")
        await term.answer("Aviso de conteúdo", "")
        await term.answer("Texto, ou . para enviar: ", "quero acabar com tudo hoje")
        await term.answer("Texto, ou . para enviar: ", ".")
        words = " ".join((await term.page_through("Conversas: digite")).split())
        assert "A sua mensagem foi publicada, do jeito que você escreveu." in words
        assert "Só você pode ver esta nota." in words
        assert "Você não fez nada de errado" in words and "findahelpline.com" in words
        term.check()
    finally:
        term.conn.close()
