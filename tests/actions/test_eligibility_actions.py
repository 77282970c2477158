"""The eligibility questionnaire, its result and the fallback, with rasa_sdk's Tracker."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionAnswerQuestion
from actions.eligibility import ActionEligibilityResult, ValidateEligibilityForm
from actions.fallback import ActionFallback
from bot.paths import ROOT

DOMAIN: dict[str, Any] = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
FORM = ValidateEligibilityForm()


def tracker(
    text: str,
    intent: str = "inform",
    *,
    slots: dict | None = None,
    entities: list[dict] | None = None,
    events: list[dict] | None = None,
) -> Tracker:
    return Tracker(
        sender_id="person-2",
        slots=slots or {},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 0.9},
            "entities": entities or [],
        },
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={"name": "eligibility_form"},
        latest_action_name="action_listen",
    )


def said(dispatcher: CollectingDispatcher) -> list[str]:
    return [m["response"] for m in dispatcher.messages]


async def test_place_of_residence_is_read_in_the_persons_language():
    found = await FORM.extract_lives_in(
        CollectingDispatcher(),
        tracker("moro em Luxemburgo", slots={"requested_slot": "lives_in"}),
        DOMAIN,
    )
    assert found == {"lives_in": "luxembourg"}
    found = await FORM.extract_lives_in(
        CollectingDispatcher(),
        tracker("انا ساكن ببلجيكا", slots={"requested_slot": "lives_in"}),
        DOMAIN,
    )
    assert found == {"lives_in": "belgium"}


async def test_any_question_can_be_skipped_in_words_or_by_button():
    asked = {"requested_slot": "status_answer"}
    typed = await FORM.extract_status_answer(
        CollectingDispatcher(), tracker("prefiro não dizer", "deny", slots=asked), DOMAIN
    )
    button = await FORM.extract_status_answer(
        CollectingDispatcher(), tracker("/skip", "skip", slots=asked), DOMAIN
    )
    assert typed == button == {"status_answer": "skipped"}


def slot_events(events: list[dict]) -> dict:
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


async def test_stop_ends_the_questionnaire_and_remembers_why():
    events = await FORM.run(
        CollectingDispatcher(),
        tracker("стоп", "deny", slots={"requested_slot": "earlier_help", "lives_in": "belgium"}),
        DOMAIN,
    )
    found = slot_events(events)
    assert found["eligibility_stopped"] is True
    assert "lives_in" not in found  # answers already given stay as they are
    assert {found[s] for s in ("country_answer", "status_answer", "minor_alone")} == {"skipped"}


async def test_country_and_status_answers_also_fill_the_spec_slots():
    events = await FORM.run(
        CollectingDispatcher(),
        tracker(
            "Brasil",
            slots={"requested_slot": "country_answer", "lives_in": "belgium"},
            entities=[{"entity": "country", "value": "BR"}],
        ),
        DOMAIN,
    )
    found = slot_events(events)
    assert (found["country_answer"], found["country_of_return"]) == ("BR", "BR")


async def test_a_country_named_earlier_is_not_asked_again():
    found = await FORM.extract_country_answer(
        CollectingDispatcher(), tracker("ok", "affirm", slots={"country_of_return": "GE"}), DOMAIN
    )
    assert found == {"country_answer": "GE"}


async def test_yes_and_no_answer_the_yes_no_questions():
    asked = {"requested_slot": "minor_alone"}
    yes = await FORM.extract_minor_alone(
        CollectingDispatcher(), tracker("yes", "affirm", slots=asked), DOMAIN
    )
    no = await FORM.extract_minor_alone(
        CollectingDispatcher(), tracker("nope", "deny", slots=asked), DOMAIN
    )
    assert (yes, no) == ({"minor_alone": "yes"}, {"minor_alone": "no"})


async def test_danger_during_the_questionnaire_is_left_to_the_urgent_rule():
    dispatcher = CollectingDispatcher()
    found = await FORM.run(
        dispatcher,
        tracker(
            "my boss beats me, I am from Georgia",
            "urgent_help",
            slots={"requested_slot": "country_answer"},
            entities=[{"entity": "country", "value": "GE"}],
        ),
        DOMAIN,
    )
    assert slot_events(found) == {} and said(dispatcher) == []


async def test_an_unreadable_answer_is_explained_and_asked_again():
    dispatcher = CollectingDispatcher()
    events = await FORM.run(
        dispatcher, tracker("hmm", "nlu_fallback", slots={"requested_slot": "lives_in"}), DOMAIN
    )
    assert slot_events(events) == {"form_retries": 1}
    assert said(dispatcher) == ["utter_form_not_understood"]


async def test_after_two_unreadable_answers_the_question_counts_as_skipped():
    dispatcher = CollectingDispatcher()
    asked = {"requested_slot": "lives_in", "form_retries": 2}
    events = await FORM.run(dispatcher, tracker("hmm", "nlu_fallback", slots=asked), DOMAIN)
    assert slot_events(events) == {"lives_in": "skipped", "form_retries": 0}
    assert said(dispatcher) == []


async def test_result_for_a_brazilian_without_papers_explains_rule_support_and_who_decides():
    dispatcher = CollectingDispatcher()
    slots = {
        "lives_in": "belgium",
        "country_answer": "BR",
        "status_answer": "undocumented",
        "earlier_help": "no",
        "family": "yes",
        "medical": "no",
        "minor_alone": "no",
    }
    events = await ActionEligibilityResult().run(
        dispatcher, tracker("no", "deny", slots=slots), DOMAIN
    )
    assert said(dispatcher) == [
        "utter_result_likely_eligible",
        "utter_rule_visa_free_journey_only",
        "utter_support_premium_small",
        "utter_reintegration_ended_brazil",
        "utter_programme_decides",
    ]
    set_slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert set_slots["eligibility_result"] == "likely_eligible"
    assert set_slots["eligibility_rule"] == "visa_free_journey_only"
    assert set_slots["country_answer"] is None  # a new check starts from scratch


async def test_result_for_a_minor_alone_sends_to_a_counsellor():
    dispatcher = CollectingDispatcher()
    slots = {
        "lives_in": "skipped",
        "country_answer": "ER",
        "status_answer": "asylum_pending",
        "earlier_help": "skipped",
        "family": "no",
        "medical": "no",
        "minor_alone": "yes",
    }
    events = await ActionEligibilityResult().run(
        dispatcher, tracker("yes", "affirm", slots=slots), DOMAIN
    )
    assert said(dispatcher)[:2] == ["utter_result_needs_counsellor", "utter_rule_minor_alone"]
    assert {
        "event": "slot",
        "timestamp": None,
        "name": "eligibility_result",
        "value": "needs_counsellor",
    } in events


async def test_a_stopped_check_gives_no_result():
    dispatcher = CollectingDispatcher()
    await ActionEligibilityResult().run(
        dispatcher,
        tracker("stop", slots={"eligibility_stopped": True, "lives_in": "skipped"}),
        DOMAIN,
    )
    assert said(dispatcher) == ["utter_eligibility_stopped"]


def user(intent: str) -> dict:
    return {"event": "user", "text": "x", "parse_data": {"intent": {"name": intent}}}


async def test_first_misunderstanding_asks_to_rephrase_the_second_offers_a_person():
    first = CollectingDispatcher()
    events = await ActionFallback().run(
        first, tracker("x", "nlu_fallback", events=[user("greet"), user("nlu_fallback")]), DOMAIN
    )
    assert said(first) == ["utter_default"] and events[0]["value"] == "once"
    second = CollectingDispatcher()
    events = await ActionFallback().run(
        second,
        tracker("x", "nlu_fallback", events=[user("nlu_fallback"), user("nlu_fallback")]),
        DOMAIN,
    )
    assert said(second) == ["utter_default_still"] and events[0]["value"] == "again"


async def test_reintegration_answer_adds_what_is_known_for_the_persons_country():
    dispatcher = CollectingDispatcher()
    await ActionAnswerQuestion().run(
        dispatcher,
        tracker(
            "what help after I go back", "ask_reintegration", slots={"country_of_return": "GE"}
        ),
        DOMAIN,
    )
    assert said(dispatcher) == [
        "utter_answer_ask_reintegration",
        "utter_reintegration_vulnerable_only",
    ]


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("BR", ["utter_answer_ask_travel_documents", "utter_travel_documents_brazil"]),
        ("GE", ["utter_answer_ask_travel_documents"]),  # no travel-document note for Georgia
    ],
)
async def test_travel_document_answer_adds_the_note_the_knowledge_has_for_the_country(
    country, expected
):
    dispatcher = CollectingDispatcher()
    await ActionAnswerQuestion().run(
        dispatcher,
        tracker("lost my passport", "ask_travel_documents", slots={"country_of_return": country}),
        DOMAIN,
    )
    assert said(dispatcher) == expected
