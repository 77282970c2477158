"""Erasing a person from the console (admins, CSRF, confirmation; Rasa replaced by a stand-in that
erases the cases as the Rasa endpoint does) and the retention purge the console schedules."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from pathlib import Path

import jsonschema
from console_login import csrf_of, log_in
from starlette.testclient import TestClient

from bot.console.app import ConsoleSettings, create_app
from bot.console.rasa_api import RasaAPI
from bot.handoff.counsellors import issue_api_token
from bot.handoff.service import add_note, erase_conversation, list_cases, open_case
from bot.privacy.retention import RetentionSettings

OPENAPI = json.loads(
    (Path(__file__).resolve().parents[2] / "bot" / "console" / "openapi.json").read_text()
)


class FakeRasa(RasaAPI):
    """Rasa's erasure endpoint stands in: it erases the cases (no tracker here); the rest of
    Rasa's API stays unreachable, as in the other console tests."""

    def __init__(self) -> None:
        super().__init__("http://127.0.0.1:9", "x")
        self.forgotten: list[str] = []

    async def forget(self, conversation_id: str) -> dict:
        self.forgotten.append(conversation_id)
        cases = erase_conversation(conversation_id)
        return {"erased": True, "language": "fr", "text": "", "events": 7, "cases": cases}


def erase_form(client: TestClient, case_id: int, **fields: str):
    token = csrf_of(client.get(f"/cases/{case_id}").text)
    return client.post(f"/cases/{case_id}/erase", data={"csrf": token, **fields})


def test_an_admin_erases_a_person_after_confirming_and_lands_on_the_queue(app, client):
    fake = app.state.rasa = FakeRasa()
    case = open_case("web-person", channel="socketio", language="fr", reason="requested")
    add_note(case.id, "ana", "lives in Liège")
    earlier = open_case("someone-else", channel="telegram", language="ar", reason="requested")
    log_in(client)
    assert "Erase this person" in client.get(f"/cases/{case.id}").text

    unconfirmed = erase_form(client, case.id)
    assert "error=" in unconfirmed.headers["location"] and fake.forgotten == []

    reply = erase_form(client, case.id, confirm="yes")
    assert reply.status_code == 303 and reply.headers["location"] == f"/?erased={case.id}"
    assert fake.forgotten == ["web-person"]
    assert [c.id for c in list_cases()] == [earlier.id]  # only that person's case went
    assert f"Case #{case.id} and the person" in client.get(reply.headers["location"]).text
    assert client.get(f"/cases/{case.id}").status_code == 404


def test_only_admins_erase_and_never_without_the_forms_token(app, client):
    fake = app.state.rasa = FakeRasa()
    case = open_case("web-person", channel="socketio", language="fr", reason="requested")
    log_in(client, "bo")
    assert "Erase this person" not in client.get(f"/cases/{case.id}").text
    assert erase_form(client, case.id, confirm="yes").status_code == 403
    client.post("/logout", data={"csrf": csrf_of(client.get("/").text)})
    log_in(client)
    forged = client.post(f"/cases/{case.id}/erase", data={"confirm": "yes", "csrf": "x"})
    assert forged.status_code == 403
    assert fake.forgotten == [] and len(list_cases()) == 1


def test_when_rasa_is_unreachable_nothing_is_erased_and_the_page_says_so(client):
    case = open_case("web-person", channel="socketio", language="fr", reason="requested")
    log_in(client)
    reply = erase_form(client, case.id, confirm="yes")
    assert reply.headers["location"].startswith(f"/cases/{case.id}?error=Rasa")
    assert len(list_cases()) == 1


def validate(path: str, status: int, body: dict) -> None:
    operation = OPENAPI["paths"][path]["post"]
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    jsonschema.validate(body, {"$ref": schema["$ref"], "components": OPENAPI["components"]})


def test_the_json_api_erases_for_admins_only_as_documented(app, client):
    app.state.rasa = FakeRasa()
    case = open_case("web-person", channel="socketio", language="fr", reason="requested")
    path = "/api/cases/{case_id}/erase"
    bo = {"Authorization": f"Bearer {issue_api_token('bo')}"}
    refused = client.post(f"/api/cases/{case.id}/erase", headers=bo)
    assert refused.status_code == 403
    validate(path, 403, refused.json())
    ana = {"Authorization": f"Bearer {issue_api_token('ana')}"}
    done = client.post(f"/api/cases/{case.id}/erase", headers=ana)
    assert done.status_code == 200
    validate(path, 200, done.json())
    assert done.json() == {"erased": True, "case_id": case.id, "events": 7, "cases": 1}
    missing = client.post(f"/api/cases/{case.id}/erase", headers=ana)
    assert missing.status_code == 404
    validate(path, 404, missing.json())


def test_the_console_purges_old_conversations_when_it_starts(cases_db, tmp_path):
    tracker = tmp_path / "tracker.db"
    with sqlite3.connect(tracker) as db:  # the columns of Rasa's events table
        db.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL,"
            " type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255),"
            " action_name VARCHAR(255), data TEXT)"
        )
        old = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=100)).timestamp()
        db.executemany(
            "INSERT INTO events (sender_id, type_name, timestamp) VALUES (?, 'user', ?)",
            [("old", old), ("new", dt.datetime.now(dt.timezone.utc).timestamp())],
        )
    settings = ConsoleSettings(
        rasa_url="http://127.0.0.1:9",
        rasa_token="x",
        secret_key="test-secret",
        queue_timeout=dt.timedelta(minutes=60),
        sweep_seconds=3600,
        retention=RetentionSettings(f"sqlite:///{tracker}", cases_db, days=61, sweep_seconds=3600),
    )
    with TestClient(create_app(settings)) as client:
        assert client.get("/health").status_code == 200
        deadline = dt.datetime.now() + dt.timedelta(seconds=10)
        while dt.datetime.now() < deadline:
            with sqlite3.connect(tracker) as db:
                senders = {row[0] for row in db.execute("SELECT sender_id FROM events")}
            if senders == {"new"}:
                break
            time.sleep(0.1)
    assert senders == {"new"}


def test_the_widget_has_the_erasure_texts_in_every_language(client):
    texts = client.get("/widget/i18n.json").json()
    keys = ("forget", "forget_confirm", "forget_yes", "forget_no", "forget_failed")
    assert len(texts) == 16
    for code, language in texts.items():
        assert all(language["ui"].get(key) for key in keys), code
    # The privacy page names the widget's button in the page's own language.
    for code in texts:
        assert texts[code]["ui"]["forget"] in client.get(f"/privacy/{code}").text, code
