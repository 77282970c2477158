"""The knowledge files: every fact sourced, dated and checkable; the checks catch what they must."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.knowledge import load_knowledge, quoted_items
from bot.responses import unsourced_items


def test_the_project_knowledge_files_have_no_problems():
    knowledge = load_knowledge()
    assert knowledge.problems == []
    assert len(knowledge.facts) >= 40
    assert {"BR", "GE", "UA", "SY", "MD"} <= set(knowledge.countries)


def test_a_fact_without_a_source_is_reported(tmp_path: Path):
    (tmp_path / "x.yml").write_text(
        "facts:\n  - id: x.one\n    topic: costs\n    statement: A ticket is paid.\n"
        "    checked: 2026-11-23\n    status: verified\n",
        encoding="utf-8",
    )
    problems = load_knowledge(tmp_path).problems
    assert problems == ["x.yml: x.one: missing source"]


def test_a_fact_with_a_bad_status_or_source_is_reported(tmp_path: Path):
    (tmp_path / "x.yml").write_text(
        "facts:\n  - id: x.one\n    topic: costs\n    statement: A ticket is paid.\n"
        "    source: somewhere\n    checked: 2026-11-23\n    status: rumour\n",
        encoding="utf-8",
    )
    problems = load_knowledge(tmp_path).problems
    assert any("not a web address" in p for p in problems)
    assert any("status 'rumour'" in p for p in problems)


def test_overdue_facts_are_listed_for_review(tmp_path: Path, caplog):
    (tmp_path / "x.yml").write_text(
        "facts:\n  - id: x.old\n    topic: costs\n    statement: Paid.\n"
        "    source: https://example.be/\n    checked: 2020-01-01\n    status: verified\n",
        encoding="utf-8",
    )
    knowledge = load_knowledge(tmp_path)
    assert [f.id for f in knowledge.overdue(dt.date(2026, 11, 23))] == ["x.old"]
    assert "x.old" in caplog.text


def test_quoted_items_normalise_phone_numbers_amounts_and_scripts():
    assert "num:080032745" in quoted_items("call 0800 32 745 now")
    assert "num:5000" in quoted_items("up to 5,000 euros")
    assert "num:350" in quoted_items("٣٥٠ يورو")  # Arabic-Indic digits are still checked
    assert "web:fedasil.be" in quoted_items("Source: https://www.fedasil.be/en/x")
    assert "a@b.be" in quoted_items("write to a@b.be")


def test_a_made_up_phone_number_or_amount_in_a_response_is_caught():
    allowed = load_knowledge().allowed_items()
    responses = {
        "utter_x": [{"text": "Call 0800 99 999 or get 900 euros, see scam.example.com"}],
        "utter_ok": [{"text": "Call 0800 32 745; premium 350 euros. Source: fedasil.be"}],
    }
    problems = unsourced_items(responses, allowed)
    assert problems == [
        "utter_x: num:080099999 is in no knowledge file",
        "utter_x: num:900 is in no knowledge file",
        "utter_x: web:scam.example.com is in no knowledge file",
    ]


def test_a_country_answer_for_an_unknown_question_is_reported(tmp_path: Path):
    (tmp_path / "XX.yml").write_text(
        "country: XX\nvisa_free: false\nreintegration: unknown\n"
        "answers_by_question:\n  ask_passports: utter_x\n"
        "facts:\n  - id: xx.one\n    topic: costs\n    statement: Paid.\n"
        "    source: https://example.be/\n    checked: 2026-11-23\n    status: verified\n",
        encoding="utf-8",
    )
    assert load_knowledge(tmp_path).problems == ["XX.yml: ask_passports is not a question label"]
