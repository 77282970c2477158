"""Erasure over HTTP for callers outside the Rasa server: POST /webhooks/privacy/forget.

It lives in the Rasa server because only there can a conversation be erased under its lock (Rasa
would write the erased events back otherwise, bot.channels.erasure). Two callers:

- the counsellor console (or an operator): `Authorization: Bearer <RASA_AUTH_TOKEN>`, any
  conversation;
- the web widget, without a token, and only its own conversation: its conversation id is its
  socket.io session id, 96 random bits that only that browser holds (localStorage), so holding
  it is the proof. Only ids of that shape are accepted this way: a Telegram chat id is a number
  anyone could guess.

Body: `{"sender": "<conversation id>", "language": "<hint, optional>"}` as JSON; the widget sends
it as text/plain so that the browser needs no CORS preflight. Reply: `{"erased": true, "language",
"text" (utter_forgotten in the person's language), "events", "cases"}`.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.erasure import erase
from bot.paths import VAR
from bot.responses import load_catalog

logger = logging.getLogger(__name__)

# The widget's session ids: "web-" and 24 hex digits from crypto.getRandomValues (widget.js).
WIDGET_SESSION = re.compile(r"web-[0-9a-f]{24,64}")
MAX_SENDER = 255  # Rasa's events.sender_id column
# Marks a reply whose CORS headers are set here, so sanic-cors (`rasa run --cors`) adds none.
try:
    from sanic_cors.core import SANIC_CORS_EVALUATED
except ImportError:  # pragma: no cover - sanic-cors comes with Rasa
    SANIC_CORS_EVALUATED = "_sanic_cors_e"


def _server_token() -> str:
    """The Rasa HTTP API's token, as `make run` hands it to every process."""
    token = os.environ.get("RASA_AUTH_TOKEN", "")
    path = VAR / "rasa-auth-token"
    if not token and path.exists():
        token = path.read_text().strip()
    return token


class PrivacyInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "privacy"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(token=(credentials or {}).get("token") or _server_token())

    def __init__(self, token: str = "") -> None:
        self.token = token

    def authorised(self, request: Request) -> bool | None:
        """True with the right bearer token, False with a wrong one, None without one."""
        header = request.headers.get("authorization", "")
        if not header:
            return None
        sent = header[7:].strip() if header.lower().startswith("bearer ") else ""
        return bool(self.token) and hmac.compare_digest(sent.encode(), self.token.encode())

    def blueprint(self, on_new_message: Callable[[Any], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint("privacy_erasure", __name__)
        channel = self

        @hook.route("/forget", methods=["POST"])
        async def forget(request: Request) -> HTTPResponse:
            console = channel.authorised(request)
            widget = console is None
            headers = _open_cors(request) if widget else {}
            if console is False:
                return response.json({"error": "wrong token"}, status=401)
            try:
                body = json.loads(request.body or b"{}")
            except ValueError:
                body = None
            sender = body.get("sender") if isinstance(body, dict) else None
            if not isinstance(sender, str) or not 0 < len(sender) <= MAX_SENDER:
                return response.json({"error": "no sender"}, status=400, headers=headers)
            if widget and not WIDGET_SESSION.fullmatch(sender):
                return response.json(
                    {"error": "only a web chat session erases itself without a token"},
                    status=403,
                    headers=headers,
                )
            hint = body.get("language") if isinstance(body.get("language"), str) else None
            try:
                done = await erase(request.app.ctx.agent, sender, fallback=hint)
            except Exception as error:  # noqa: BLE001 - the caller is told; the log names nobody
                logger.error("erasure failed: %s", type(error).__name__)
                return response.json({"error": "erasure failed"}, status=503, headers=headers)
            text = load_catalog()[done.language]["utter_forgotten"][0]["text"]
            reply = {"erased": True, "language": done.language, "text": text}
            reply |= {"events": done.events, "cases": done.cases}
            return response.json(reply, headers=headers)

        return hook


def _open_cors(request: Request) -> dict[str, str]:
    """Any page may embed the widget, and no cookie is involved: every origin may read the reply."""
    setattr(request.ctx, SANIC_CORS_EVALUATED, True)
    return {"Access-Control-Allow-Origin": "*"}
