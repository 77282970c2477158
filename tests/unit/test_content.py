"""Content files: every language is complete where it exists, and the domain matches them."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.knowledge import load_knowledge
from bot.language import load_languages
from bot.lexicon import load_language_files
from bot.nlu_data import danger_sets
from bot.responses import catalog_problems, load_catalog, unsourced_items
from bot.spec import LABELS, RESIDENCE_STATUSES, SLOTS

ROOT = Path(__file__).resolve().parents[2]


def domain() -> dict:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def test_domain_responses_equal_english_responses():
    assert set(domain()["responses"]) == set(load_catalog()["en"])


def test_response_files_have_every_response_and_the_same_placeholders():
    assert catalog_problems(load_catalog()) == []


def test_response_files_are_only_for_supported_languages():
    assert set(load_catalog()) <= set(load_languages())


def test_every_supported_language_has_every_response():
    catalog = load_catalog()
    missing = [code for code in load_languages() if code not in catalog]
    assert missing == [], f"no data/responses/<lang>.yml for {missing}"
    assert catalog_problems(catalog) == []


def test_every_response_a_country_file_names_exists():
    responses = set(domain()["responses"])
    named = {
        (code, name)
        for code, country in load_knowledge().countries.items()
        for name in (country.answer, *country.answers_by_question.values())
        if name
    }
    assert {(code, name) for code, name in named if name not in responses} == set()
    assert ("BR", "utter_travel_documents_brazil") in named


def test_responses_quote_only_numbers_and_addresses_of_the_knowledge_files():
    allowed = load_knowledge().allowed_items()
    problems = [
        f"{lang}: {p}"
        for lang, responses in load_catalog().items()
        for p in unsourced_items(responses, allowed)
    ]
    assert problems == []


def test_every_answer_names_its_source():
    for lang, responses in load_catalog().items():
        for name, variants in responses.items():
            if name.startswith(("utter_answer_", "utter_reintegration_", "utter_rule_")):
                assert any(
                    ".be" in v["text"]
                    or ".lu" in v["text"]
                    or ".hu" in v["text"]
                    or ".int" in v["text"]
                    for v in variants
                ), (lang, name)


def test_every_supported_language_has_training_and_held_out_data():
    for code in load_languages():
        assert (ROOT / "data" / "nlu" / f"{code}.yml").exists(), code
        assert (ROOT / "tests" / "nlu" / f"{code}.yml").exists(), code


def test_every_supported_language_has_an_independent_danger_set_of_both_kinds():
    danger = danger_sets(ROOT / "tests" / "danger")
    for code in load_languages():
        assert len(danger[code]["urgent"]) >= 25 and len(danger[code]["ordinary"]) >= 15, code


def test_every_label_and_slot_of_the_spec_is_in_the_domain():
    assert set(LABELS) <= set(domain()["intents"])
    assert set(SLOTS) <= set(domain()["slots"])
    assert domain()["slots"]["residence_status"]["values"] == list(RESIDENCE_STATUSES)


def test_every_language_can_skip_stop_and_name_where_it_lives_in_the_questionnaire():
    from bot.lexicon import load_lexicons

    for code in load_languages():
        replies = load_lexicons().get(code, {}).get("form_replies") or {}
        for kind in ("skip", "stop", "belgium", "luxembourg"):
            assert replies.get(kind), f"data/lexicon/{code}.yml: form_replies.{kind} is empty"


def test_every_language_has_test_stories():
    for code in load_languages():
        assert (ROOT / "tests" / "stories" / f"test_{code}.yml").exists(), code


def test_every_language_has_every_canned_reply_and_widget_text():
    for folder in ("canned", "widget"):
        files = load_language_files(ROOT / "data" / folder)
        for code in load_languages():
            assert code in files, f"no data/{folder}/{code}.yml"
            assert list(files[code]) == list(files["en"]), (folder, code)


def test_canned_replies_state_no_fact_of_their_own():
    allowed = load_knowledge().allowed_items()
    for code, replies in load_language_files(ROOT / "data" / "canned").items():
        as_responses = {key: [{"text": r["text"]}] for key, r in replies.items()}
        assert unsourced_items(as_responses, allowed) == [], code


def test_every_language_has_the_privacy_text_with_the_same_parts():
    from bot.web.serve import privacy_text

    title, paragraphs = privacy_text("en")
    for code in load_languages():
        their_title, theirs = privacy_text(code)
        assert their_title and len(theirs) == len(paragraphs), code
        assert "/forget" in " ".join(theirs), code
