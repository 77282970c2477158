"""Custom actions with rasa_sdk's Tracker and CollectingDispatcher, on a real SQLite cases DB."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionAnswerEligibility, ActionAnswerQuestion
from actions.handoff import ActionStartHandoff, ActionUrgentHelp
from actions.language import ActionChangeLanguage, ActionDetectLanguage
from bot.handoff.service import list_cases

DOMAIN: dict[str, Any] = {"responses": {"utter_answer_ask_costs": [{"text": "x"}]}}


def tracker(
    text: str = "",
    intent: str = "greet",
    slots: dict | None = None,
    language: dict | None = None,
    metadata: dict | None = None,
    channel: str = "rest",
) -> Tracker:
    message: dict[str, Any] = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "entities": [],
        "metadata": metadata or {},
    }
    if language:
        message["language"] = language
    return Tracker(
        sender_id="person-1",
        slots=slots or {},
        latest_message=message,
        events=[{"event": "user", "text": text, "input_channel": channel}],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    return [m["response"] for m in dispatcher.messages]


async def test_handoff_opens_a_case_pauses_and_tells_the_person(cases_db):
    dispatcher = CollectingDispatcher()
    events = await ActionStartHandoff().run(
        dispatcher, tracker("I want to talk to a person", "request_human", {"language": "fr"}), {}
    )
    [case] = list_cases()
    assert (case.conversation_id, case.language, case.channel, case.priority) == (
        "person-1",
        "fr",
        "rest",
        "normal",
    )
    assert responses(dispatcher) == ["utter_handoff_started"]
    assert dispatcher.messages[0]["case_id"] == case.id
    assert {
        "event": "slot",
        "timestamp": None,
        "name": "handoff_case_id",
        "value": str(case.id),
    } in events
    assert events[-1]["event"] == "pause"


async def test_urgent_help_gives_emergency_numbers_before_anything_else(cases_db):
    dispatcher = CollectingDispatcher()
    events = await ActionUrgentHelp().run(
        dispatcher, tracker("my boss took my passport", "urgent_help", {"language": "en"}), {}
    )
    assert responses(dispatcher) == ["utter_emergency_numbers", "utter_urgent_handoff_started"]
    assert list_cases()[0].priority == "urgent"
    assert events[-1]["event"] == "pause"


async def test_eligibility_answer_is_the_sourced_overview():
    dispatcher = CollectingDispatcher()
    await ActionAnswerEligibility().run(
        dispatcher, tracker("can I go home?", "ask_eligibility"), {}
    )
    assert responses(dispatcher) == ["utter_eligibility_overview"]


async def test_question_with_a_checked_answer_gets_it():
    dispatcher = CollectingDispatcher()
    await ActionAnswerQuestion().run(dispatcher, tracker("who pays", "ask_costs"), DOMAIN)
    assert responses(dispatcher) == ["utter_answer_ask_costs"]


async def test_question_without_a_checked_answer_says_so():
    dispatcher = CollectingDispatcher()
    await ActionAnswerQuestion().run(dispatcher, tracker("how fast", "ask_timeline"), DOMAIN)
    assert responses(dispatcher) == ["utter_no_checked_answer"]


async def test_detected_language_fills_the_slot():
    events = await ActionDetectLanguage().run(
        CollectingDispatcher(),
        tracker(
            "je veux rentrer chez moi",
            language={"code": "fr", "confidence": 0.9, "method": "detector"},
        ),
        {},
    )
    assert events == [{"event": "slot", "timestamp": None, "name": "language", "value": "fr"}]


async def test_locked_language_is_kept():
    events = await ActionDetectLanguage().run(
        CollectingDispatcher(),
        tracker(
            "where is the office please",
            slots={"language": "ar", "language_locked": True},
            language={"code": "en", "confidence": 0.9, "method": "detector"},
        ),
        {},
    )
    assert events == []


async def test_named_language_is_switched_to_and_locked():
    dispatcher = CollectingDispatcher()
    events = await ActionChangeLanguage().run(
        dispatcher,
        tracker("can we speak arabic please", "change_language", {"language": "en"}),
        {},
    )
    assert events == [
        {"event": "slot", "timestamp": None, "name": "language", "value": "ar"},
        {"event": "slot", "timestamp": None, "name": "language_locked", "value": True},
    ]
    # The confirmation names the new language, so the NLG renders it in Arabic right away.
    assert dispatcher.messages[0]["response"] == "utter_language_changed"
    assert dispatcher.messages[0]["language"] == "ar"


async def test_unnamed_language_request_offers_every_language():
    dispatcher = CollectingDispatcher()
    await ActionChangeLanguage().run(dispatcher, tracker("other language", "change_language"), {})
    assert responses(dispatcher) == ["utter_choose_language"]
    assert len(dispatcher.messages[0]["buttons"]) == 16


async def test_an_unsupported_language_gets_the_choice_of_english_french_dutch_or_a_person():
    dispatcher = CollectingDispatcher()
    events = await ActionChangeLanguage().run(
        dispatcher,
        tracker(
            "Ich möchte nach Hause",
            "change_language",
            {"language": "en"},
            language={"code": "de", "confidence": 0.8, "method": "unsupported"},
        ),
        {},
    )
    assert responses(dispatcher) == ["utter_language_not_supported"]
    assert events == []  # the conversation's language stays as it was
