"""Telegram end to end: updates as Telegram sends them, the channel in the real Rasa server (webhook
and polling mode), the real model and actions, and a local fake Bot API recording what is sent.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import time

import httpx
import pytest
from chat import TEXTS, WAIT_MINUTES, say, text_of, tracker
from fake_telegram import TELEGRAM_POLLING_TOKEN, TELEGRAM_SECRET
from handoff_helpers import Person

from bot.console.rasa_api import RasaAPI
from bot.handoff.service import get_case, list_cases

pytestmark = pytest.mark.integration
_update_ids = itertools.count(random.randint(10_000, 90_000) * 1000)


def new_chat() -> int:
    return random.randint(10**8, 10**9)


def person(chat_id: int, language_code: str | None) -> dict:
    user = {"id": chat_id, "is_bot": False, "first_name": "P"}
    return user | ({"language_code": language_code} if language_code else {})


def message_update(chat_id: int, language_code: str | None = "en", **content) -> dict:
    chat = content.pop("chat", {"id": chat_id, "type": "private", "first_name": "P"})
    message = {"message_id": random.randint(1, 10**6), "date": int(time.time()), "chat": chat}
    return {
        "update_id": next(_update_ids),
        "message": message | {"from": person(chat_id, language_code)} | content,
    }


def button_update(chat_id: int, data: str, language_code: str | None = "en") -> dict:
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": str(random.randint(1, 10**9)),
            "from": person(chat_id, language_code),
            "chat_instance": "1",
            "data": data,
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
            },
        },
    }


def deliver(servers, update: dict, secret: str = TELEGRAM_SECRET) -> httpx.Response:
    return httpx.post(
        f"{servers.rasa_url}/webhooks/telegram/webhook",
        json=update,
        headers={"X-Telegram-Bot-Api-Secret-Token": secret},
        timeout=60,
    )


def test_a_forged_update_is_refused_and_not_processed(servers, telegram_api):
    chat = new_chat()
    update = message_update(chat, text="hello")
    assert deliver(servers, update, secret="wrong").status_code == 403
    no_header = httpx.post(f"{servers.rasa_url}/webhooks/telegram/webhook", json=update)
    assert no_header.status_code == 403
    time.sleep(1)
    assert telegram_api.texts_to(chat) == []
    assert tracker(servers, str(chat))["events"] in ([], None) or not [
        e for e in tracker(servers, str(chat))["events"] if e["event"] == "user"
    ]


def test_start_welcomes_in_the_telegram_language_and_offers_languages(servers, telegram_api):
    chat = new_chat()
    assert deliver(servers, message_update(chat, "fr", text="/start")).status_code == 200
    sent = telegram_api.sent_to(chat)
    assert [c.params["text"] for c in sent] == [
        text_of("fr", "utter_start", privacy_url="http://localhost:5070/privacy/fr"),
        text_of("fr", "utter_choose_language"),
    ]
    keyboard = sent[1].params["reply_markup"]["inline_keyboard"]
    data = [row[0]["callback_data"] for row in keyboard]
    assert len(data) == 16 and all(len(d.encode()) <= 64 for d in data)
    # Pressing "العربية" switches the conversation to Arabic.
    arabic = next(d for d in data if '"ar"' in d)
    deliver(servers, button_update(chat, arabic, "fr"))
    assert telegram_api.texts_to(chat)[-1] == text_of("ar", "utter_language_changed")
    assert telegram_api.calls_of("answerCallbackQuery")


@pytest.mark.parametrize(
    ("language", "question"),
    [
        ("ar", "ما هي الوثائق التي أحتاجها للسفر؟"),
        ("fr", "combien de temps faut-il pour partir ?"),
        ("ru", "сколько стоит вернуться домой?"),
    ],
)
async def test_the_same_question_gets_the_same_answer_on_rest_socketio_and_telegram(
    servers, telegram_api, language, question
):
    on_rest = await asyncio.to_thread(say, servers, f"rest-{new_chat()}", question)
    assert len(on_rest) >= 1 and on_rest[0] in {text_of(language, name) for name in TEXTS[language]}
    web = Person(servers.rasa_url)
    await web.connect()
    try:
        await web.say(question)
        on_socket = await web.hears(on_rest[-1])
    finally:
        await web.close()
    chat = new_chat()
    await asyncio.to_thread(deliver, servers, message_update(chat, language, text=question))
    assert telegram_api.texts_to(chat) == on_rest == on_socket


def test_a_duplicate_delivery_is_answered_once(servers, telegram_api):
    chat = new_chat()
    update = message_update(chat, "nl", text="hallo, hoe kan ik terugkeren naar mijn land?")
    deliver(servers, update)
    first = telegram_api.texts_to(chat)
    assert first
    deliver(servers, update)
    assert telegram_api.texts_to(chat) == first


@pytest.mark.parametrize(
    "content",
    [
        {"photo": [{"file_id": "a", "file_unique_id": "a", "width": 1, "height": 1}]},
        {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 3}},
        {"sticker": {"file_id": "s", "file_unique_id": "s", "width": 1, "height": 1,
                     "is_animated": False, "is_video": False, "type": "regular"}},
        {"location": {"latitude": 50.85, "longitude": 4.35}},
        {"contact": {"phone_number": "+32470000000", "first_name": "P"}},
    ],
)  # fmt: skip
def test_non_text_gets_a_polite_answer_in_the_persons_language(servers, telegram_api, content):
    chat = new_chat()
    deliver(servers, message_update(chat, "es", text="hola, quiero volver a mi país con ayuda"))
    deliver(servers, message_update(chat, "es", **content))
    assert telegram_api.texts_to(chat)[-1] == text_of("es", "utter_only_text")
    # Neither the coordinates nor the phone number are kept in the conversation.
    stored = str(tracker(servers, str(chat)))
    assert "50.85" not in stored and "+32470000000" not in stored


def test_group_chats_are_not_served(servers, telegram_api):
    group = -new_chat()
    update = message_update(
        group, chat={"id": group, "type": "group", "title": "family"}, text="hi"
    )
    assert deliver(servers, update).status_code == 200
    assert telegram_api.texts_to(group) == []


def test_a_long_counsellor_reply_reaches_telegram_in_pieces(servers, telegram_api):
    chat = new_chat()
    deliver(servers, message_update(chat, "en", text="/human"))
    case = next(c for c in list_cases(url=servers.cases_url) if c.conversation_id == str(chat))
    assert telegram_api.texts_to(chat)[-1] == text_of(
        "en", "utter_handoff_started", case_id=case.id, wait_minutes=WAIT_MINUTES
    )
    reply = ("Here is what I found for you. " * 200).strip()  # about 6,000 characters
    asyncio.run(
        RasaAPI(servers.rasa_url, servers.token).send_as_counsellor(str(chat), reply, "ana")
    )
    pieces = telegram_api.texts_to(chat)[-2:]
    assert all(len(p) <= 4096 for p in pieces) and " ".join(pieces) == reply


def test_a_person_who_blocks_the_bot_is_marked_on_their_case(servers, telegram_api):
    chat = new_chat()
    deliver(servers, message_update(chat, "en", text="I want to talk to a person"))
    case = next(c for c in list_cases(url=servers.cases_url) if c.conversation_id == str(chat))
    blocked = {
        "update_id": next(_update_ids),
        "my_chat_member": {
            "chat": {"id": chat, "type": "private"},
            "from": person(chat, "en"),
            "date": int(time.time()),
            "old_chat_member": {"status": "member", "user": {"id": 42, "is_bot": True,
                                                             "first_name": "A"}},
            "new_chat_member": {"status": "kicked", "until_date": 0,
                                "user": {"id": 42, "is_bot": True, "first_name": "A"}},
        },
    }  # fmt: skip
    assert deliver(servers, blocked).status_code == 200
    kinds = [e.kind for e in get_case(case.id, url=servers.cases_url).timeline]
    assert kinds[-1] == "person_unreachable"
    # A later push to a chat that blocked the bot fails quietly and is recorded too.
    telegram_api.blocked.add(chat)
    asyncio.run(RasaAPI(servers.rasa_url, servers.token).send_as_counsellor(str(chat), "hi", "x"))
    kinds = [e.kind for e in get_case(case.id, url=servers.cases_url).timeline]
    assert kinds.count("person_unreachable") == 2


def test_forget_erases_the_conversation_and_cases_after_confirmation(servers, telegram_api):
    chat = new_chat()
    deliver(servers, message_update(chat, "ru", text="здравствуйте, я хочу поговорить с человеком"))
    assert any(c.conversation_id == str(chat) for c in list_cases(url=servers.cases_url))
    # While the person waits for a counsellor (the bot paused), /forget still works.
    deliver(servers, message_update(chat, "ru", text="/forget"))
    confirm = telegram_api.sent_to(chat)[-1]
    assert confirm.params["text"] == text_of("ru", "utter_forget_confirm")
    buttons = [row[0]["callback_data"] for row in confirm.params["reply_markup"]["inline_keyboard"]]
    assert buttons == ["/forget_confirmed", "/deny"]
    deliver(servers, button_update(chat, "/forget_confirmed", "ru"))
    assert telegram_api.texts_to(chat)[-1] == text_of("ru", "utter_forgotten")
    assert not [e for e in tracker(servers, str(chat))["events"] if e["event"] in ("user", "bot")]
    assert not [
        c
        for c in list_cases(include_closed=True, url=servers.cases_url)
        if c.conversation_id == str(chat)
    ]


def test_polling_mode_answers_updates_from_get_updates(polling_rasa, telegram_api):
    chat = new_chat()
    update = message_update(chat, "pt", text="oi, posso voltar pro Brasil com ajuda?")
    telegram_api.queue_update(TELEGRAM_POLLING_TOKEN, update)
    telegram_api.queue_update(TELEGRAM_POLLING_TOKEN, update)  # delivered twice
    texts = telegram_api.wait_for_texts(chat, 3)
    assert texts[:2] == [
        text_of("pt", "utter_eligibility_overview"),
        text_of("pt", "utter_reintegration_ended_brazil"),
    ]
    time.sleep(2)
    assert len(telegram_api.texts_to(chat)) == len(texts)  # the duplicate was not answered
    assert any(c.token == TELEGRAM_POLLING_TOKEN for c in telegram_api.calls_of("deleteWebhook"))
