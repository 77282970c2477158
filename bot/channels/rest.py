"""Rasa's REST channel, behind the project's message guard (bot/channels/guard.py).

Rasa answers a request whose body is not the expected JSON with a 500; here it gets a 400 that
says what is wrong, before Rasa reads it.
"""

from __future__ import annotations

import json
from typing import Any

from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint, response
from sanic.request import Request

from bot.channels.guard import Guard, Handler


def body_problem(body: bytes) -> str | None:
    """Why a webhook body cannot be a message, or None when it can."""
    try:
        data: Any = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError):
        return 'the body must be JSON: {"sender": "...", "message": "..."}'
    if not isinstance(data, dict):
        return "the body must be a JSON object"
    if not isinstance(data.get("message"), str):
        return '"message" must be a string'
    sender = data.get("sender", "default")
    if not isinstance(sender, (str, int)) or isinstance(sender, bool) or not str(sender).strip():
        return '"sender" must be a non-empty string'
    if "metadata" in data and not isinstance(data["metadata"], (dict, type(None))):
        return '"metadata" must be an object'
    return None


class RestInput(RasaRestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"  # same URL (/webhooks/rest/webhook) and channel name as Rasa's

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        guard = Guard()
        blueprint = super().blueprint(guard.wrap(on_new_message))
        guard.attach(blueprint)

        @blueprint.middleware("request")
        async def refuse_malformed(request: Request) -> Any:
            if request.method == "POST" and request.path.endswith("/webhook"):
                problem = body_problem(request.body)
                if problem:
                    return response.json({"error": problem}, status=400)
            return None

        return blueprint
