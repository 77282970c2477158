"""A waiting person can end the wait in their words; nothing else is read as cancelling."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.handoff.cancel import cancel_phrases, cancels_handoff
from bot.language import load_languages
from bot.nlu_data import examples_in
from bot.phrases import normalise
from bot.responses import load_catalog

ROOT = Path(__file__).resolve().parents[2]


def test_every_language_has_cancel_phrases_and_quotes_the_first_in_the_handoff_message():
    phrases = cancel_phrases()
    catalog = load_catalog()
    for code in load_languages():
        assert len(phrases.get(code, [])) >= 10, code
        started = normalise(catalog[code]["utter_handoff_started"][0]["text"])
        assert normalise(phrases[code][0]).strip() in started, code


@pytest.mark.parametrize(
    "text",
    [
        "I don't need a person anymore",
        "ok i dont need a counsellor anymore thanks",
        "Je n'ai plus besoin d'un conseiller",
        "Мне больше не нужен консультант",
        "لم أعد بحاجة إلى مستشار",
    ],
)
def test_a_cancel_is_recognised(text):
    assert cancels_handoff(text)


@pytest.mark.parametrize(
    "text",
    ["I want to cancel my return", "cancel", "stop", "no thanks", "I want to talk to a person"],
)
def test_ordinary_messages_do_not_cancel(text):
    assert not cancels_handoff(text)


def test_no_training_message_of_any_label_reads_as_a_cancel():
    fired = [
        f"{e.language} {e.label}: {e.text}"
        for e in examples_in(ROOT / "data" / "nlu")
        if cancels_handoff(e.text)
    ]
    assert fired == []
