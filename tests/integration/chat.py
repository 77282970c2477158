"""Talking to the running Rasa server as a person would (REST channel), and reading its tracker."""

from __future__ import annotations

import time

import httpx

from bot.responses import load_catalog

TEXTS = load_catalog()
# The queue timeout the action server announces and the console applies (one setting for both).
WAIT_MINUTES = 1440


def say(
    servers, sender: str, text: str, *, retry_seconds: float = 0, timeout: float = 60
) -> list[str]:
    """A REST message to `servers` (their rasa_url, or a base URL); with `retry_seconds`, sent
    again after a 502-504 or a refused connection, as Telegram does with a webhook that failed."""
    base = servers if isinstance(servers, str) else servers.rasa_url
    deadline = time.monotonic() + retry_seconds
    while True:
        try:
            reply = httpx.post(
                f"{base}/webhooks/rest/webhook",
                json={"sender": sender, "message": text},
                timeout=timeout,
            )
            if reply.status_code not in (502, 503, 504) or not retry_seconds:
                reply.raise_for_status()
                return [m.get("text", "") for m in reply.json()]
        except httpx.TransportError:
            if not retry_seconds:
                raise
        if time.monotonic() > deadline:
            raise AssertionError(f"no answer to {text!r} for {sender}")
        time.sleep(0.5)


def tracker(servers, sender: str) -> dict:
    reply = httpx.get(
        f"{servers.rasa_url}/conversations/{sender}/tracker",
        params={"token": servers.token},
        timeout=10,
    )
    reply.raise_for_status()
    return reply.json()


def text_of(lang: str, response: str, **values: object) -> str:
    return (
        TEXTS[lang][response][0]["text"].format(**values)
        if values
        else TEXTS[lang][response][0]["text"]
    )
