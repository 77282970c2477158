"""Country and residence-status extraction from the lexicons, across scripts."""

from __future__ import annotations

import pytest

from bot.entities import default_matcher
from bot.phrases import normalise_with_offsets


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Je suis géorgien, ma demande d'asile a été refusée",
            {("country", "GE"), ("residence_status", "asylum_rejected")},
        ),
        (
            "I have no papers and I want to go back to Brazil",
            {("residence_status", "undocumented"), ("country", "BR")},
        ),
        ("bghit nrje3 l suria", {("country", "SY")}),
        ("أريد العودة لسوريا", {("country", "SY")}),
        ("хочу вернуться в Грузию", {("country", "GE")}),
        (
            "vreau sa ma intorc in moldova, nu am acte",
            {("country", "MD"), ("residence_status", "undocumented")},
        ),
        ("ናብ ኤርትራ ክምለስ ደልየ", {("country", "ER")}),
        ("I live in Belgium", set()),
        # A city that is also an everyday word once accents go ("quitó", took) is not a country.
        ("mi jefe me quitó el pasaporte", set()),
    ],
)
def test_finds_countries_and_statuses(text, expected):
    assert {(f.entity, f.value) for f in default_matcher().find(text)} == expected


def test_offsets_point_at_the_original_characters():
    text = "Je suis géorgien, ma demande d'asile a été refusée"
    for found in default_matcher().find(text):
        assert text[found.start : found.end] == found.text
    assert any(f.text == "géorgien" for f in default_matcher().find(text))


def test_normalisation_drops_marks_and_keeps_a_map_to_the_original():
    normalised, where = normalise_with_offsets("Géorgie!")
    assert normalised == "georgie "
    assert len(where) == len(normalised) and where[1] == 1


def test_punctuation_between_words_does_not_break_a_phrase():
    normalised, _ = normalise_with_offsets("asylum, refused!  now")
    assert normalised == "asylum refused now"
    assert {(f.entity, f.value) for f in default_matcher().find("I'm from georgia, no papers")} >= {
        ("country", "GE")
    }


@pytest.mark.parametrize(
    ("text", "bare"),
    [
        ("Mongolia", True),
        ("to Peru", True),
        ("Gürcistan'a", True),
        ("я из Грузии", True),
        ("منغوليا", True),
        ("my asylum was refused", True),
        ("I want to go back to Georgia with help", False),
        ("what help is there in Brazil after I return?", False),
        ("hello", False),
    ],
)
def test_a_message_that_is_only_a_country_or_status_is_a_bare_answer(text, bare):
    from bot.entities import is_bare_answer

    spans = [(f.start, f.end) for f in default_matcher().find(text)]
    assert is_bare_answer(text, spans) is bare


def _classified(text: str, name: str, confidence: float):
    from rasa.shared.nlu.training_data.message import Message

    from bot.entities import default_matcher

    message = Message(data={"text": text})
    message.set("intent", {"name": name, "confidence": confidence})
    message.set("intent_ranking", [{"name": name, "confidence": confidence}])
    message.set(
        "entities",
        [
            {"entity": f.entity, "start": f.start, "end": f.end, "value": f.value}
            for f in default_matcher().find(text)
        ],
    )
    return message


@pytest.mark.parametrize(
    ("text", "name", "confidence", "expected"),
    [
        ("my asylum was refused", "ask_eligibility", 0.8, "inform"),  # an answer, not a question
        ("Mongolia?", "nlu_fallback", 0.4, "inform"),  # unsure answer
        ("asylum refused, can I?", "ask_eligibility", 0.3, "inform"),  # the classifier is unsure
        ("asylum refused, can I?", "ask_eligibility", 0.8, "ask_eligibility"),
        ("بدون اوراق، ممكن؟", "ask_eligibility", 0.8, "ask_eligibility"),
        ("sans papiers, je peux ?", "ask_eligibility", 0.8, "ask_eligibility"),
    ],
)
def test_a_status_with_a_question_stays_the_question(text, name, confidence, expected):
    from bot.nlu.bare_answer import BareAnswer

    message = _classified(text, name, confidence)
    BareAnswer().process([message])
    assert message.get("intent")["name"] == expected
