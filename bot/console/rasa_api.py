"""The console's only way into conversations: Rasa's HTTP API, with its token.

Replies go in as `bot` events with `output_channel=latest`, so they reach the person's own channel
and stay in the tracker (one transcript). Closing resumes the conversation, adds `action_listen` so
the policies see a normal history, and triggers `handoff_closed` (technical notes, section 5).
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import quote

import httpx


class RasaUnavailable(Exception):
    pass


class RasaAPI:
    def __init__(self, base_url: str, token: str, timeout: float = 15.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self._client: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _http(self) -> httpx.AsyncClient:
        # One client per event loop: a new client per request built a TLS context each time,
        # and the watcher asks for every open case's tracker every few seconds (the console grew
        # from 65 to 500 MB with one open case).
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop or self._client.is_closed:
            self._client = httpx.AsyncClient(timeout=self.timeout)
            self._loop = loop
        return self._client

    def _url(self, conversation_id: str, tail: str) -> str:
        return f"{self.base_url}/conversations/{quote(conversation_id, safe='')}/{tail}"

    async def _request(
        self,
        method: str,
        url: str,
        *,
        params: dict | None = None,
        json: Any = None,
        token_in_header: bool = False,
        refused: str = "Rasa answered",
    ) -> Any:
        # Rasa's own API takes the token as a query parameter; our webhooks take it in a header.
        headers = {"Authorization": f"Bearer {self.token}"} if token_in_header else None
        if not token_in_header:
            params = {"token": self.token} | (params or {})
        try:
            reply = await self._http().request(
                method, url, params=params, json=json, headers=headers
            )
        except httpx.HTTPError as error:
            raise RasaUnavailable(
                f"Rasa server not reachable: {error.__class__.__name__}"
            ) from None
        if reply.status_code >= 400:
            raise RasaUnavailable(f"{refused} {reply.status_code}")
        return reply.json() if reply.content else None

    async def tracker(self, conversation_id: str) -> dict[str, Any]:
        return await self._request(
            "GET", self._url(conversation_id, "tracker"), params={"include_events": "ALL"}
        )

    async def send_as_counsellor(self, conversation_id: str, text: str, login: str) -> None:
        event = {"event": "bot", "text": text, "metadata": {"counsellor": login}}
        await self._request(
            "POST",
            self._url(conversation_id, "tracker/events"),
            params={"output_channel": "latest", "execute_side_effects": "true"},
            json=[event],
        )

    async def hand_back(self, conversation_id: str) -> None:
        await self._request(
            "POST",
            self._url(conversation_id, "tracker/events"),
            json=[{"event": "resume"}, {"event": "action", "name": "action_listen"}],
        )
        await self._request(
            "POST",
            self._url(conversation_id, "trigger_intent"),
            params={"output_channel": "latest"},
            json={"name": "handoff_closed", "entities": {}},
        )

    async def forget(self, conversation_id: str) -> dict[str, Any]:
        """Erases the conversation (tracker events and cases) inside the Rasa server, under its
        lock (bot/channels/privacy.py)."""
        return await self._request(
            "POST",
            f"{self.base_url}/webhooks/privacy/forget",
            json={"sender": conversation_id},
            token_in_header=True,
            refused="Rasa refused the erasure:",
        )

    async def healthy(self) -> bool:
        try:
            async with httpx.AsyncClient(timeout=3) as client:
                return (await client.get(f"{self.base_url}/")).status_code == 200
        except httpx.HTTPError:
            return False
