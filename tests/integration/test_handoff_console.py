"""Handoff end to end: a person on the socket.io channel, the real Rasa and action servers, and the
counsellor console process. The console is used as a counsellor uses it (login, forms with CSRF),
and its JSON API is checked against its OpenAPI document.
"""

from __future__ import annotations

import datetime as dt

import pytest
from chat import WAIT_MINUTES, text_of
from handoff_helpers import CounsellorBrowser, case_of, conforms, person_and_api, wait_for

from bot.console import operations
from bot.console.rasa_api import RasaAPI


async def test_a_person_reaches_a_counsellor_and_comes_back_to_the_bot(servers, console):
    counsellor = CounsellorBrowser(console)
    async with person_and_api(servers, console) as (person, api):
        try:
            await person.say("I want to talk to a person")
            # The handoff message names the case; find it through the API, as another tool would.
            listing = await wait_for(lambda: case_of(api, person.session_id))
            case_id = listing["id"]
            await person.hears(
                text_of("en", "utter_handoff_started", case_id=case_id, wait_minutes=WAIT_MINUTES)
            )
            assert (listing["status"], listing["channel"], listing["language"]) == (
                "queued",
                "socketio",
                "en",
            )

            await counsellor.log_in()
            queue = await counsellor.http.get("/")
            assert f"/cases/{case_id}" in queue.text
            await counsellor.act(case_id, "claim")
            await counsellor.act(case_id, "reply", text="Hello, I am Ana from the return desk.")
            await person.hears("Hello, I am Ana from the return desk.")

            await person.say("my passport is lost, what can I do?")

            async def sees_answer():
                view = await counsellor.live(case_id)
                mine = [t for t in view["transcript"] if t["who"] == "person"]
                return view if mine and mine[-1]["text"].startswith("my passport is lost") else None

            view = await wait_for(sees_answer)
            last = [t for t in view["transcript"] if t["who"] == "person"][-1]
            assert last["label"] == "ask_travel_documents" and last["language"] == "en"
            assert [t["who"] for t in view["transcript"]].count("counsellor") == 1
            assert view["case"]["status"] == "with_counsellor"

            got = await api.get(f"/api/cases/{case_id}")
            conforms("/api/cases/{case_id}", "get", 200, got.json())

            await counsellor.act(case_id, "close")
            await person.hears(text_of("en", "utter_handoff_closed"))
            await person.say("hello")
            await person.hears(text_of("en", "utter_greet"))

            closed = (await api.get(f"/api/cases/{case_id}")).json()
            assert closed["case"]["status"] == "closed"
            assert [e["kind"] for e in closed["timeline"]] == [
                "created",
                "claimed",
                "replied",
                "closed",
                "handed_back",
            ]
        finally:
            await counsellor.http.aclose()


async def test_the_json_api_replies_and_closes_as_documented(servers, console):
    async with person_and_api(servers, console) as (person, api):
        await person.say("can a counsellor talk to me?")
        case = await wait_for(lambda: case_of(api, person.session_id))
        claimed = await api.post(f"/api/cases/{case['id']}/claim")
        conforms("/api/cases/{case_id}/claim", "post", 200, claimed.json())
        replied = await api.post(f"/api/cases/{case['id']}/reply", json={"text": "Bonjour!"})
        conforms("/api/cases/{case_id}/reply", "post", 200, replied.json())
        await person.hears("Bonjour!")
        closed = await api.post(f"/api/cases/{case['id']}/close")
        conforms("/api/cases/{case_id}/close", "post", 200, closed.json())
        assert closed.json()["case"]["status"] == "closed"
        again = await api.post(f"/api/cases/{case['id']}/reply", json={"text": "late"})
        assert again.status_code == 409
        conforms("/api/cases/{case_id}/reply", "post", 409, again.json())
        missing = await api.get("/api/cases/999999")
        conforms("/api/cases/{case_id}", "get", 404, missing.json())
        await person.hears(text_of("en", "utter_handoff_closed"))


async def test_a_waiting_person_who_no_longer_needs_anyone_gets_the_bot_back(servers, console):
    async with person_and_api(servers, console) as (person, api):
        await person.say("je veux parler à un conseiller")
        case = await wait_for(lambda: case_of(api, person.session_id))
        await person.say("Je n'ai plus besoin d'un conseiller")
        await person.hears(text_of("fr", "utter_handoff_cancelled"))
        closed = (await api.get(f"/api/cases/{case['id']}")).json()["case"]
        assert (closed["status"], closed["closed_reason"]) == ("closed", "cancelled")
        await person.say("bonjour")
        await person.hears(text_of("fr", "utter_greet"))


async def test_a_case_nobody_picks_up_returns_to_the_bot_with_a_message(
    servers, console, monkeypatch
):
    monkeypatch.setenv("CASES_DATABASE_URL", servers.cases_url)
    async with person_and_api(servers, console) as (person, api):
        await person.say("I want to talk to a person")
        case = await wait_for(lambda: case_of(api, person.session_id))
        # The watcher's pass with a timeout already over (the console's own is a day long).
        done = await operations.sweep(
            RasaAPI(servers.rasa_url, servers.token), timeout=dt.timedelta(0)
        )
        assert done["timed_out"] >= 1
        await person.hears(text_of("en", "utter_handoff_timeout"))
        closed = (await api.get(f"/api/cases/{case['id']}")).json()["case"]
        assert closed["closed_reason"] == "timeout"


pytestmark = pytest.mark.integration
