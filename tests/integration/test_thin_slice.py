"""The thin conversation across every process: Rasa server, action server, cases database."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest
from chat import WAIT_MINUTES, say, text_of, tracker

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("hello", "greet"),
        ("can I go back home with help?", "ask_eligibility"),
        ("I want to talk to a person", "request_human"),
        ("bonjour", "greet"),
        ("est-ce que je peux rentrer dans mon pays avec une aide ?", "ask_eligibility"),
        ("je veux parler à une personne", "request_human"),
    ],
)
def test_model_parse_returns_the_spec_labels(servers, text, label):
    reply = httpx.post(
        f"{servers.rasa_url}/model/parse",
        params={"token": servers.token},
        json={"text": text},
        timeout=30,
    )
    reply.raise_for_status()
    assert reply.json()["intent"]["name"] == label


def test_model_parse_reports_the_language(servers):
    reply = httpx.post(
        f"{servers.rasa_url}/model/parse",
        params={"token": servers.token},
        json={"text": "est-ce que je peux rentrer chez moi avec une aide ?"},
    )
    assert reply.json()["language"]["code"] == "fr"


@pytest.mark.parametrize(
    ("lang", "greeting", "question"),
    [
        ("en", "hello", "can I go back home with help?"),
        ("fr", "bonjour, j'ai une question", "est-ce que je peux rentrer chez moi avec une aide ?"),
    ],
)
def test_eligibility_question_is_answered_by_the_custom_action_in_the_person_language(
    servers, lang, greeting, question
):
    sender = f"person-{lang}-{uuid.uuid4().hex[:8]}"
    assert say(servers, sender, greeting) == [text_of(lang, "utter_greet")]
    answer = say(servers, sender, question)
    assert answer[0] == text_of(lang, "utter_eligibility_overview")
    assert answer[1] == text_of(lang, "utter_offer_eligibility_check")
    actions = [e.get("name") for e in tracker(servers, sender)["events"] if e["event"] == "action"]
    assert "action_answer_eligibility" in actions


def test_asking_for_a_person_creates_a_case_and_pauses_the_bot(servers):
    sender = f"person-handoff-{uuid.uuid4().hex[:8]}"
    say(servers, sender, "hello")
    answer = say(servers, sender, "I want to talk to a person")

    state = tracker(servers, sender)
    assert state["paused"] is True
    case_id = state["slots"]["handoff_case_id"]
    assert answer == [
        text_of("en", "utter_handoff_started").format(case_id=case_id, wait_minutes=WAIT_MINUTES)
    ]

    listing = subprocess.run(
        [sys.executable, "-m", "bot.cli", "cases"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=os.environ | {"CASES_DATABASE_URL": servers.cases_url},
        check=True,
    ).stdout
    rows = [line.split() for line in listing.splitlines()[1:] if line.split()[:1] == [case_id]]
    assert len(rows) == 1, listing
    row = rows[0]
    assert row[1:6] == ["queued", "normal", "en", "rest", "requested"]
    # While paused the person's messages are recorded but not answered.
    assert say(servers, sender, "hello?") == []


def test_french_handoff_message_is_in_french(servers):
    sender = f"person-fr-handoff-{uuid.uuid4().hex[:8]}"
    answer = say(servers, sender, "je voudrais parler avec un conseiller s'il vous plait")
    case_id = tracker(servers, sender)["slots"]["handoff_case_id"]
    assert answer == [
        text_of("fr", "utter_handoff_started").format(case_id=case_id, wait_minutes=WAIT_MINUTES)
    ]


def test_api_refuses_requests_without_the_token(servers):
    reply = httpx.get(f"{servers.rasa_url}/conversations/someone/tracker", timeout=10)
    assert reply.status_code == 401


def test_model_parse_gives_country_and_status_entities(servers):
    reply = httpx.post(
        f"{servers.rasa_url}/model/parse",
        params={"token": servers.token},
        json={"text": "my asylum was refused, can I go back to Georgia?"},
        timeout=30,
    )
    entities = {(e["entity"], e["value"]) for e in reply.json()["entities"]}
    assert {("country", "GE"), ("residence_status", "asylum_rejected")} <= entities


def test_socketio_channel_is_served(servers):
    # Engine.IO handshake (polling transport): "0" followed by the session's JSON.
    reply = httpx.get(
        f"{servers.rasa_url}/socket.io/", params={"EIO": "4", "transport": "polling"}, timeout=10
    )
    assert reply.status_code == 200 and reply.text.startswith("0{")


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "they beat me last night and i am scared"), ("fr", "je veux mourir, j'en peux plus")],
)
def test_danger_gets_emergency_numbers_first_and_an_urgent_case(servers, lang, text):
    sender = f"person-danger-{lang}-{uuid.uuid4().hex[:8]}"
    answer = say(servers, sender, text)
    case_id = tracker(servers, sender)["slots"]["handoff_case_id"]
    assert answer == [
        text_of(lang, "utter_emergency_numbers"),
        text_of(lang, "utter_urgent_handoff_started").format(case_id=case_id),
    ]


def test_a_language_the_assistant_does_not_serve_gets_a_choice_and_a_person(servers):
    sender = f"person-de-{uuid.uuid4().hex[:8]}"
    answer = say(servers, sender, "Ich möchte nach Hause zurückkehren, können Sie mir helfen?")
    assert answer == [text_of("en", "utter_language_not_supported")]
    assert tracker(servers, sender)["slots"]["language"] in (None, "en")
