"""Reading Telegram updates and fitting answers to Telegram's limits (pure, no network)."""

from __future__ import annotations

import pytest

from bot.channels.telegram_messages import (
    MAX_CALLBACK_DATA,
    Payloads,
    SeenUpdates,
    command_text,
    read_update,
    split_text,
)


def update(**message) -> dict:
    chat = message.pop("chat", {"id": 7, "type": "private"})
    base = {"message_id": 1, "date": 0, "chat": chat, "from": {"id": 7, "language_code": "ar"}}
    return {"update_id": 5, "message": base | message}


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("/start", "/start_conversation"),
        ("/start@returnee_bot", "/start_conversation"),
        ("/human", "/request_human"),
        ("/language", "/change_language"),
        ("/forget", "/forget"),
        ("/affirm", "affirm"),  # a typed intent name is not obeyed
        ("/", "?"),
        ("hello", "hello"),
    ],
)
def test_commands_map_to_intents_and_other_slashes_are_plain_text(typed, sent):
    assert command_text(typed) == sent


def test_a_text_message_carries_the_telegram_language():
    incoming = read_update(update(text="مرحبا"))
    assert (incoming.kind, incoming.chat_id, incoming.text, incoming.language_code) == (
        "message",
        7,
        "مرحبا",
        "ar",
    )


def test_a_location_is_only_its_kind():
    incoming = read_update(update(location={"latitude": 50.8, "longitude": 4.3}))
    assert incoming.text == "/non_text" and incoming.metadata == {"telegram_kind": "location"}
    assert "50.8" not in repr(incoming)


def test_group_chats_edits_and_blocks_are_told_apart():
    group = read_update(update(text="hi", chat={"id": -1, "type": "supergroup"}))
    assert group.kind == "group"
    edited = {"update_id": 6, "edited_message": update(text="fixed")["message"]}
    assert read_update(edited).metadata == {"edited": True}
    blocked = {
        "update_id": 8,
        "my_chat_member": {"chat": {"id": 7}, "new_chat_member": {"status": "kicked"}},
    }
    assert read_update(blocked).kind == "blocked"
    assert read_update({"update_id": 9, "channel_post": {}}).kind == "ignored"


def test_long_text_is_cut_under_the_limit_at_sentence_ends():
    text = " ".join(f"Sentence number {i} is here." for i in range(400))
    pieces = split_text(text, limit=1000)
    assert all(len(p) <= 1000 for p in pieces) and len(pieces) > 5
    assert all(p.endswith(".") for p in pieces)
    assert " ".join(pieces) == text
    assert split_text("short") == ["short"]
    assert split_text("x" * 2500, limit=1000) == ["x" * 1000, "x" * 1000, "x" * 500]


def test_long_payloads_become_short_codes_that_read_back():
    payloads = Payloads()
    short = '/change_language{"requested_language": "ar"}'
    assert payloads.encode(short) == short
    long = '/inform{"country": "' + "x" * 80 + '"}'
    code = payloads.encode(long)
    assert len(code.encode()) <= MAX_CALLBACK_DATA and payloads.decode(code) == long
    assert Payloads().decode(code) is None  # unknown on a replica that never saw it
    assert Payloads([long]).decode(code) == long  # known from the response files


def test_an_update_is_handled_once():
    seen = SeenUpdates(capacity=2)
    assert seen.first_time(1) and not seen.first_time(1)
    assert seen.first_time(2) and seen.first_time(3) and seen.first_time(1)  # 1 was forgotten
