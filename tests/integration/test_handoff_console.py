"""Handoff end to end: a person on the socket.io channel, the real Rasa and action servers, and the
counsellor console process. The console is used as a counsellor uses it (login, forms with CSRF),
and its JSON API is checked against its OpenAPI document.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
import uuid
from pathlib import Path

import httpx
import jsonschema
import pytest
import socketio
from chat import WAIT_MINUTES, text_of

from bot.console import operations
from bot.console.rasa_api import RasaAPI

ROOT = Path(__file__).resolve().parents[2]
OPENAPI = json.loads((ROOT / "bot" / "console" / "openapi.json").read_text(encoding="utf-8"))


class Person:
    """Someone on the web widget's channel (Rasa's socket.io), reading what arrives."""

    def __init__(self, rasa_url: str) -> None:
        self.rasa_url = rasa_url
        self.session_id = f"web-{uuid.uuid4().hex[:12]}"
        self.client = socketio.AsyncClient(reconnection=False)
        self.inbox: asyncio.Queue[str] = asyncio.Queue()
        self.confirmed = asyncio.Event()
        self.client.on("bot_uttered", self._on_bot)
        self.client.on("session_confirm", self._on_confirm)

    async def _on_bot(self, data: dict) -> None:
        await self.inbox.put(data.get("text", ""))

    async def _on_confirm(self, *_: object) -> None:
        self.confirmed.set()

    async def connect(self) -> None:
        # Long-polling: the resolved python-engineio client needs a newer aiohttp for websockets
        # than Rasa pins; the server side (what browsers use) is not affected.
        await self.client.connect(self.rasa_url, socketio_path="/socket.io", transports=["polling"])
        await self.client.emit("session_request", {"session_id": self.session_id})
        await asyncio.wait_for(self.confirmed.wait(), 20)

    async def say(self, text: str) -> None:
        await self.client.emit("user_uttered", {"message": text, "session_id": self.session_id})

    async def hears(self, expected: str, seconds: float = 40) -> list[str]:
        """Reads messages until `expected` arrives; returns everything read."""
        seen: list[str] = []
        deadline = asyncio.get_running_loop().time() + seconds
        while expected not in seen:
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                raise AssertionError(f"{expected!r} never arrived; got {seen}")
            try:
                seen.append(await asyncio.wait_for(self.inbox.get(), left))
            except asyncio.TimeoutError:
                raise AssertionError(f"{expected!r} never arrived; got {seen}") from None
        return seen

    async def close(self) -> None:
        await self.client.disconnect()


class CounsellorBrowser:
    """The console as a counsellor's browser uses it: a session cookie and the forms' CSRF token."""

    def __init__(self, console) -> None:
        self.http = httpx.AsyncClient(base_url=console.url, follow_redirects=False, timeout=30)
        self.console = console

    async def log_in(self) -> None:
        page = await self.http.get("/login")
        reply = await self.http.post(
            "/login",
            data={
                "login": self.console.admin,
                "password": self.console.password,
                "csrf": csrf_of(page.text),
            },
        )
        assert reply.status_code == 303

    async def act(self, case_id: int, action: str, **form: str) -> httpx.Response:
        page = await self.http.get(f"/cases/{case_id}")
        reply = await self.http.post(
            f"/cases/{case_id}/{action}", data={"csrf": csrf_of(page.text), **form}
        )
        assert reply.status_code == 303 and "error=" not in reply.headers["location"], reply
        return reply

    async def live(self, case_id: int) -> dict:
        return (await self.http.get(f"/cases/{case_id}/live.json")).json()


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def conforms(path: str, method: str, status: int, body: dict) -> None:
    """The reply matches the OpenAPI document's schema for that path, method and status."""
    operation = OPENAPI["paths"][path][method]
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    jsonschema.validate(body, {"$ref": schema["$ref"], "components": OPENAPI["components"]})


async def wait_for(condition, seconds: float = 20):
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        value = await condition()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.5)


async def test_a_person_reaches_a_counsellor_and_comes_back_to_the_bot(servers, console):
    person = Person(servers.rasa_url)
    counsellor = CounsellorBrowser(console)
    api = httpx.AsyncClient(
        base_url=console.url, headers={"Authorization": f"Bearer {console.api_token}"}
    )
    await person.connect()
    try:
        await person.say("I want to talk to a person")
        # The handoff message names the case; find it through the API, as another tool would.
        listing = await wait_for(lambda: _case_of(api, person.session_id))
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
        await person.close()
        await api.aclose()
        await counsellor.http.aclose()


async def _case_of(api: httpx.AsyncClient, conversation_id: str) -> dict | None:
    reply = await api.get("/api/cases", params={"status": "all"})
    assert reply.status_code == 200
    conforms("/api/cases", "get", 200, reply.json())
    found = [c for c in reply.json()["cases"] if c["conversation_id"] == conversation_id]
    return found[0] if found else None


async def test_the_json_api_replies_and_closes_as_documented(servers, console):
    person = Person(servers.rasa_url)
    api = httpx.AsyncClient(
        base_url=console.url, headers={"Authorization": f"Bearer {console.api_token}"}
    )
    await person.connect()
    try:
        await person.say("can a counsellor talk to me?")
        case = await wait_for(lambda: _case_of(api, person.session_id))
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
    finally:
        await person.close()
        await api.aclose()


async def test_a_waiting_person_who_no_longer_needs_anyone_gets_the_bot_back(servers, console):
    person = Person(servers.rasa_url)
    api = httpx.AsyncClient(
        base_url=console.url, headers={"Authorization": f"Bearer {console.api_token}"}
    )
    await person.connect()
    try:
        await person.say("je veux parler à un conseiller")
        case = await wait_for(lambda: _case_of(api, person.session_id))
        await person.say("Je n'ai plus besoin d'un conseiller")
        await person.hears(text_of("fr", "utter_handoff_cancelled"))
        closed = (await api.get(f"/api/cases/{case['id']}")).json()["case"]
        assert (closed["status"], closed["closed_reason"]) == ("closed", "cancelled")
        await person.say("bonjour")
        await person.hears(text_of("fr", "utter_greet"))
    finally:
        await person.close()
        await api.aclose()


async def test_a_case_nobody_picks_up_returns_to_the_bot_with_a_message(
    servers, console, monkeypatch
):
    monkeypatch.setenv("CASES_DATABASE_URL", servers.cases_url)
    person = Person(servers.rasa_url)
    api = httpx.AsyncClient(
        base_url=console.url, headers={"Authorization": f"Bearer {console.api_token}"}
    )
    await person.connect()
    try:
        await person.say("I want to talk to a person")
        case = await wait_for(lambda: _case_of(api, person.session_id))
        # The watcher's pass with a timeout already over (the console's own is a day long).
        done = await operations.sweep(
            RasaAPI(servers.rasa_url, servers.token), timeout=dt.timedelta(0)
        )
        assert done["timed_out"] >= 1
        await person.hears(text_of("en", "utter_handoff_timeout"))
        closed = (await api.get(f"/api/cases/{case['id']}")).json()["case"]
        assert closed["closed_reason"] == "timeout"
    finally:
        await person.close()
        await api.aclose()


pytestmark = pytest.mark.integration
