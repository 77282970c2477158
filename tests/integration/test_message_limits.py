"""Limits on what people send, through the real Rasa server's channels."""

from __future__ import annotations

import uuid

import httpx
from chat import say, text_of, tracker

from bot.limits import MAX_MESSAGE_CHARS, RATE_LIMIT_BURST


def user_texts(state: dict) -> list[str]:
    return [e["text"] for e in state["events"] if e["event"] == "user"]


def test_a_very_long_message_is_cut_read_and_the_person_asked_for_shorter_ones(servers):
    sender = f"long-{uuid.uuid4().hex[:8]}"
    story = "Eu moro em Bruxelas há cinco anos e quero voltar para o Brasil. " * 200
    answers = say(servers, sender, story + "Quais documentos eu preciso?")
    assert answers[-1] == text_of("pt", "utter_message_too_long")
    assert len(user_texts(tracker(servers, sender))[-1]) == MAX_MESSAGE_CHARS


def test_a_flood_is_stopped_with_one_polite_notice(servers):
    sender = f"flood-{uuid.uuid4().hex[:8]}"
    say(servers, sender, "bonjour, je voudrais rentrer au Maroc")
    answers = [say(servers, sender, f"message {n}") for n in range(RATE_LIMIT_BURST + 10)]
    notice = text_of("fr", "utter_too_many_messages")
    told = [a == [notice] for a in answers]
    refused = [a == [notice] or a == [] for a in answers]
    # The bucket refills while Rasa answers, so on a slow machine one more message may pass
    # mid-flood (exact counts: tests/unit/test_limits.py, on a fake clock). What must hold at
    # any speed: the burst passes, a flood is refused, and the person is told once per run of
    # refused messages, not at each one.
    assert not any(refused[: RATE_LIMIT_BURST - 1])
    assert sum(refused) >= 5
    for n, was_refused in enumerate(refused):
        first_of_run = was_refused and (n == 0 or not refused[n - 1])
        assert told[n] == first_of_run, answers[n - 1 : n + 1]
    # What was refused never reached the conversation.
    assert len(user_texts(tracker(servers, sender))) == 1 + refused.count(False)
    assert say(servers, f"other-{sender}", "hello")  # other people are not affected


def test_control_characters_never_reach_the_conversation(servers):
    sender = f"ctrl-{uuid.uuid4().hex[:8]}"
    assert say(servers, sender, "hel\x00lo\x1b\u202e I lost my passport")
    assert user_texts(tracker(servers, sender))[-1] == "hello I lost my passport"


def test_an_oversized_request_body_is_refused_before_rasa_reads_it(servers):
    reply = httpx.post(
        f"{servers.rasa_url}/webhooks/rest/webhook",
        json={"sender": "big", "message": "x" * 70_000},
        timeout=30,
    )
    assert reply.status_code == 413
