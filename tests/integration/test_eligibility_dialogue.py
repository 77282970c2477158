"""The eligibility check and the fallback, end to end: real model, Rasa server, action server."""

from __future__ import annotations

import uuid

import pytest
from chat import WAIT_MINUTES, say, text_of, tracker

pytestmark = pytest.mark.integration


def new_sender(tag: str) -> str:
    return f"person-{tag}-{uuid.uuid4().hex[:8]}"


def test_a_completed_check_in_portuguese_explains_result_rule_support_and_who_decides(servers):
    sender = new_sender("pt-check")
    answer = say(servers, sender, "oi, eu posso voltar pro Brasil com ajuda?")
    assert answer == [
        text_of("pt", "utter_eligibility_overview"),
        text_of("pt", "utter_reintegration_ended_brazil"),  # the country named in the question
        text_of("pt", "utter_offer_eligibility_check"),
    ]
    answer = say(servers, sender, "sim")
    assert answer == [text_of("pt", "utter_eligibility_start"), text_of("pt", "utter_ask_lives_in")]
    # Brazil was named already: the country question is not asked again.
    assert say(servers, sender, "moro na Bélgica") == [text_of("pt", "utter_ask_status_answer")]
    assert say(servers, sender, "não tenho documentos") == [text_of("pt", "utter_ask_earlier_help")]
    assert say(servers, sender, "/deny") == [text_of("pt", "utter_ask_family")]
    assert say(servers, sender, "prefiro não dizer") == [text_of("pt", "utter_ask_medical")]
    assert say(servers, sender, "/deny") == [text_of("pt", "utter_ask_minor_alone")]
    answer = say(servers, sender, "/deny")
    assert answer == [
        text_of("pt", name)
        for name in (
            "utter_result_likely_eligible",
            "utter_rule_visa_free_journey_only",
            "utter_support_premium_small",
            "utter_reintegration_ended_brazil",
            "utter_programme_decides",
        )
    ]
    slots = tracker(servers, sender)["slots"]
    assert (slots["eligibility_result"], slots["eligibility_rule"]) == (
        "likely_eligible",
        "visa_free_journey_only",
    )
    assert (slots["country_of_return"], slots["residence_status"]) == ("BR", "undocumented")


def start_check(servers, sender: str, lang: str, question: str) -> None:
    say(servers, sender, question)
    answer = say(servers, sender, "/affirm")
    assert answer[-1] == text_of(lang, "utter_ask_lives_in"), answer


def test_a_minor_alone_is_sent_to_a_counsellor(servers):
    sender = new_sender("en-minor")
    start_check(servers, sender, "en", "can I get help to go home?")
    say(servers, sender, "I live in Belgium")
    say(servers, sender, "Eritrea")
    say(servers, sender, "my asylum request is still pending")
    for _ in range(3):
        say(servers, sender, "/deny")
    answer = say(servers, sender, "/affirm")  # under 18 and alone
    assert answer[:2] == [
        text_of("en", "utter_result_needs_counsellor"),
        text_of("en", "utter_rule_minor_alone"),
    ]
    assert answer[-1] == text_of("en", "utter_programme_decides")
    assert tracker(servers, sender)["slots"]["eligibility_result"] == "needs_counsellor"
    # Accepting the offer opens a case.
    assert tracker(servers, sender)["paused"] is False
    say(servers, sender, "/affirm")
    assert tracker(servers, sender)["paused"] is True


def test_danger_in_the_middle_of_the_check_gets_emergency_numbers_and_an_urgent_case(servers):
    sender = new_sender("ru-urgent")
    start_check(servers, sender, "ru", "я могу вернуться домой с помощью?")
    answer = say(servers, sender, "хозяин забрал паспорт и бьет меня, я боюсь")
    state = tracker(servers, sender)
    assert answer == [
        text_of("ru", "utter_emergency_numbers"),
        text_of("ru", "utter_urgent_handoff_started", case_id=state["slots"]["handoff_case_id"]),
    ]
    assert state["paused"] is True and state["active_loop"] in ({}, None)


def test_stop_ends_the_check_without_a_result(servers):
    sender = new_sender("en-stop")
    start_check(servers, sender, "en", "am I eligible for voluntary return?")
    assert say(servers, sender, "stop") == [text_of("en", "utter_eligibility_stopped")]
    assert tracker(servers, sender)["slots"]["eligibility_result"] is None


def test_switching_language_in_the_middle_of_the_check_asks_the_same_question_in_it(servers):
    sender = new_sender("en-fr")
    start_check(servers, sender, "en", "can I get help to return home?")
    answer = say(servers, sender, "can we speak French please")
    assert answer == [text_of("fr", "utter_language_changed"), text_of("fr", "utter_ask_lives_in")]


def test_rephrase_once_then_offer_a_counsellor(servers):
    sender = new_sender("en-fallback")
    say(servers, sender, "hello")
    assert say(servers, sender, "/nlu_fallback") == [text_of("en", "utter_default")]
    assert say(servers, sender, "/nlu_fallback") == [
        text_of("en", "utter_default_still"),
        text_of("en", "utter_offer_human"),
    ]
    assert say(servers, sender, "/nlu_fallback")[-1] == text_of("en", "utter_offer_human")
    say(servers, sender, "/affirm")
    assert tracker(servers, sender)["paused"] is True


def test_a_minor_asking_about_return_is_answered_and_handed_to_a_person(servers):
    sender = new_sender("en-ask-minor")
    answer = say(servers, sender, "/ask_minor")
    state = tracker(servers, sender)
    assert answer == [
        text_of("en", "utter_answer_ask_minor"),
        text_of(
            "en",
            "utter_handoff_started",
            case_id=state["slots"]["handoff_case_id"],
            wait_minutes=WAIT_MINUTES,
        ),
    ]
    assert state["paused"] is True


@pytest.mark.parametrize(
    ("lang", "message", "note"),
    [
        (
            "pt",
            "perdi meu passaporte, sou do Brasil. como consigo um documento pra viajar?",
            "utter_travel_documents_brazil",
        ),
        (
            "uk",
            "які документи потрібні щоб повернутися в Україну?",
            "utter_travel_documents_ukraine",
        ),
        ("ru", "я потерял паспорт, как получить документ для поездки в Грузию?", None),
    ],
)
def test_a_travel_document_question_adds_what_is_known_about_the_country(
    servers, lang, message, note
):
    answer = say(servers, new_sender(f"{lang}-papers"), message)
    expected = [text_of(lang, "utter_answer_ask_travel_documents")]
    if note:
        expected.append(text_of(lang, note))
    assert answer == [*expected, text_of(lang, "utter_offer_human")]
