"""A message naming a served language that the classifier half reads as a request to switch is
change_language (bot.lexicon.reads_as_language_request)."""

from __future__ import annotations

from bot.language import load_languages
from bot.lexicon import reads_as_language_request

SERVED = set(load_languages())


def test_a_hesitant_request_to_speak_french_is_a_language_request() -> None:
    ranking = [("nlu_fallback", 0.7), ("change_language", 0.42), ("out_of_scope", 0.41)]
    assert reads_as_language_request("შეგვიძლია ფრანგულად ვილაპარაკოთ?", ranking, SERVED)
    assert reads_as_language_request(
        "in English pls", [("out_of_scope", 0.5), ("change_language", 0.3)], SERVED
    )


def test_a_nationality_in_another_question_is_not() -> None:
    ranking = [("ask_travel_documents", 0.6), ("ask_apply", 0.2), ("change_language", 0.1)]
    assert not reads_as_language_request("Russian passport lost", ranking, SERVED)


def test_no_language_named_is_not() -> None:
    ranking = [("change_language", 0.4), ("out_of_scope", 0.39)]
    assert not reads_as_language_request("can we talk another way?", ranking, SERVED)


def test_a_weak_third_guess_is_not() -> None:
    ranking = [("out_of_scope", 0.5), ("ask_contact", 0.3), ("change_language", 0.15)]
    assert not reads_as_language_request("do you know a French teacher", ranking, SERVED)
