"""A person on the web chat's channel, a counsellor in the console, and the console's JSON API, as
the integration tests use them.
"""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import jsonschema
import socketio

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


async def case_of(api: httpx.AsyncClient, conversation_id: str) -> dict | None:
    reply = await api.get("/api/cases", params={"status": "all"})
    assert reply.status_code == 200
    conforms("/api/cases", "get", 200, reply.json())
    found = [c for c in reply.json()["cases"] if c["conversation_id"] == conversation_id]
    return found[0] if found else None


def api_client(console) -> httpx.AsyncClient:
    """The console's JSON API with the test counsellor's bearer token."""
    return httpx.AsyncClient(
        base_url=console.url, headers={"Authorization": f"Bearer {console.api_token}"}
    )


@asynccontextmanager
async def person_and_api(servers, console) -> AsyncIterator[tuple[Person, httpx.AsyncClient]]:
    """A connected person on socket.io and an API client, both closed afterwards."""
    person = Person(servers.rasa_url)
    api = api_client(console)
    await person.connect()
    try:
        yield person, api
    finally:
        await person.close()
        await api.aclose()
