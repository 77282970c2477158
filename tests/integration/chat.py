"""Talking to the running Rasa server as a person would (REST channel), and reading its tracker."""

from __future__ import annotations

import httpx

from bot.responses import load_catalog

TEXTS = load_catalog()
# The queue timeout the action server announces and the console applies (one setting for both).
WAIT_MINUTES = 1440


def say(servers, sender: str, text: str) -> list[str]:
    reply = httpx.post(
        f"{servers.rasa_url}/webhooks/rest/webhook",
        json={"sender": sender, "message": text},
        timeout=30,
    )
    reply.raise_for_status()
    return [m.get("text", "") for m in reply.json()]


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
