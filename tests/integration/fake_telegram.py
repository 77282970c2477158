"""A local stand-in for Telegram's Bot API (python-telegram-bot's `base_url` points here).

It answers the methods the channel uses, records every call, serves queued updates to getUpdates
(polling mode), and refuses to send to chats listed as having blocked the bot.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

# The Telegram bot of the webhook-mode server, and of a second server in polling mode.
TELEGRAM_TOKEN = "1000:webhook-test"
TELEGRAM_POLLING_TOKEN = "2000:polling-test"
TELEGRAM_SECRET = "webhook-secret-for-tests"
BOT_USER = {"id": 42, "is_bot": True, "first_name": "Assistant", "username": "returnee_test_bot"}


@dataclass
class Call:
    token: str
    method: str
    params: dict[str, Any]


@dataclass
class FakeTelegram:
    port: int
    calls: list[Call] = field(default_factory=list)
    blocked: set[int] = field(default_factory=set)
    updates: dict[str, list[dict]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_message_id: int = 1

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def queue_update(self, token: str, update: dict) -> None:
        with self.lock:
            self.updates.setdefault(token, []).append(update)

    def sent_to(self, chat_id: int) -> list[Call]:
        with self.lock:
            return [
                c
                for c in self.calls
                if c.method in ("sendMessage", "sendPhoto")
                and int(c.params.get("chat_id", 0)) == chat_id
            ]

    def texts_to(self, chat_id: int) -> list[str]:
        return [c.params.get("text", "") for c in self.sent_to(chat_id)]

    def wait_for_texts(self, chat_id: int, count: int, seconds: float = 30) -> list[str]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            texts = self.texts_to(chat_id)
            if len(texts) >= count:
                return texts
            time.sleep(0.2)
        raise AssertionError(
            f"chat {chat_id}: {count} messages expected, got {self.texts_to(chat_id)}"
        )

    def calls_of(self, method: str) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == method]

    async def _handle(self, request: web.Request) -> web.Response:
        token, method = request.match_info["token"], request.match_info["method"]
        if request.content_type == "application/json":
            params = await request.json()
        else:
            params = {k: _decode(v) for k, v in (await request.post()).items()}
        with self.lock:
            self.calls.append(Call(token, method, params))
        if method == "getMe":
            return _ok(BOT_USER)
        if method in ("deleteWebhook", "setWebhook", "answerCallbackQuery"):
            return _ok(True)
        if method == "getUpdates":
            return _ok(await self._updates(token, params))
        if method in ("sendMessage", "sendPhoto"):
            chat_id = int(params.get("chat_id", 0))
            if chat_id in self.blocked:
                return web.json_response(
                    {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked"},
                    status=403,
                )
            with self.lock:
                message_id = self.next_message_id
                self.next_message_id += 1
            return _ok(
                {
                    "message_id": message_id,
                    "date": int(time.time()),
                    "chat": {"id": chat_id, "type": "private"},
                    "from": BOT_USER,
                    "text": params.get("text", ""),
                }
            )
        return web.json_response({"ok": False, "error_code": 404, "description": "no method"})

    async def _updates(self, token: str, params: dict) -> list[dict]:
        offset = int(params.get("offset") or 0)
        for _ in range(10):  # wait up to 1 s (Telegram would wait up to `timeout`)
            with self.lock:
                pending = [u for u in self.updates.get(token, []) if u["update_id"] >= offset]
            if pending:
                return pending
            await asyncio.sleep(0.1)
        return []


def _decode(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def start(port: int) -> tuple[FakeTelegram, callable]:
    """Runs the fake API in a thread of its own; returns it and a function that stops it."""
    fake = FakeTelegram(port)
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    app = web.Application()
    app.router.add_route("*", "/bot{token}/{method}", fake._handle)
    runner = web.AppRunner(app)

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(runner.setup())
        loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", port).start())
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait(10)

    def stop() -> None:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)

    return fake, stop
