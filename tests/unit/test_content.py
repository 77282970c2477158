"""Content files: every language is complete where it exists, and the domain matches them."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.language import load_languages
from bot.responses import catalog_problems, load_catalog

ROOT = Path(__file__).resolve().parents[2]


def domain() -> dict:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def test_domain_responses_equal_english_responses():
    assert set(domain()["responses"]) == set(load_catalog()["en"])


def test_response_files_have_every_response_and_the_same_placeholders():
    assert catalog_problems(load_catalog()) == []


def test_response_files_are_only_for_supported_languages():
    assert set(load_catalog()) <= set(load_languages())


def test_every_supported_language_has_training_and_held_out_data():
    for code in load_languages():
        assert (ROOT / "data" / "nlu" / f"{code}.yml").exists(), code
        assert (ROOT / "tests" / "nlu" / f"{code}.yml").exists(), code


def test_every_label_of_the_spec_is_in_the_domain():
    spec_labels = {
        "greet",
        "goodbye",
        "affirm",
        "deny",
        "thank",
        "bot_challenge",
        "request_human",
        "change_language",
        "out_of_scope",
        "ask_eligibility",
        "ask_apply",
        "ask_costs",
        "ask_travel_documents",
        "ask_reintegration",
        "ask_timeline",
        "ask_confidentiality",
        "ask_family",
        "ask_medical",
        "ask_minor",
        "ask_luggage",
        "ask_reentry",
        "ask_contact",
        "ask_withdraw",
        "inform",
        "urgent_help",
    }
    assert spec_labels <= set(domain()["intents"])
    slots = domain()["slots"]
    for slot in (
        "language",
        "country_of_return",
        "residence_status",
        "handoff_case_id",
        "eligibility_result",
    ):
        assert slot in slots
