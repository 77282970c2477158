"""The danger safety net: it fires on danger, and on none of the ordinary training questions."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.danger import default_detector
from bot.lexicon import load_lexicons
from bot.nlu_data import examples_in

ROOT = Path(__file__).resolve().parents[2]


def test_every_language_has_danger_phrases():
    for lang, lexicon in load_lexicons().items():
        assert len(lexicon.get("danger") or []) >= 40, lang


@pytest.mark.parametrize(
    "text",
    [
        "my boss took my passport and I cannot leave",
        "they beat me last night",
        "i want to kill myself",
        "mon patron a pris mon passeport",
        "je veux mourir",
        "ik wil dood",
        "quero me matar",
        "меня избили",
    ],
)
def test_danger_is_found(text):
    assert default_detector().find(text), text


@pytest.mark.parametrize(
    "text",
    [
        "my passport expired, what now?",
        "I am sick, can I still travel?",
        "is it dangerous to go back to Syria?",
        "I am 16 and alone here, can I go home?",
        "mon passeport est perdu",
    ],
)
def test_ordinary_questions_are_not_danger(text):
    assert default_detector().find(text) == [], text


def test_no_danger_phrase_fires_on_a_training_example_of_another_label():
    fired = [
        f"{e.language} {e.label}: {e.text} <- {hits[0].text}"
        for e in examples_in(ROOT / "data" / "nlu")
        if e.label != "urgent_help" and (hits := default_detector().find(e.text))
    ]
    assert fired == []
