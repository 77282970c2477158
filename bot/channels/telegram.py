"""Telegram as a Rasa input channel, on python-telegram-bot 22 (Rasa's own uses aiogram).

Webhook mode: Telegram POSTs updates to /webhooks/telegram/webhook with the secret token set by
setWebhook in the X-Telegram-Bot-Api-Secret-Token header; anything else gets 403 and is dropped.
Polling mode (no public URL needed): the Rasa server itself long-polls getUpdates. Both feed the
same handler. The output channel also serves later pushes (`output_channel=latest`), so a
counsellor's reply from the console reaches Telegram.

Settings: credentials.yml, or TELEGRAM_TOKEN, TELEGRAM_SECRET_TOKEN, TELEGRAM_MODE (webhook or
polling) and TELEGRAM_API_BASE_URL (a Bot API server other than Telegram's, e.g. in tests). Without
a token the channel stays off.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import Forbidden, TelegramError

from bot.channels.guard import Guard
from bot.channels.shared_state import seen_updates
from bot.channels.telegram_messages import (
    FORGET,
    FORGET_CONFIRMED,
    Incoming,
    Payloads,
    read_update,
    split_text,
)
from bot.responses import load_catalog, payloads

logger = logging.getLogger(__name__)
# httpx logs every request URL at INFO, and Telegram's URLs contain the bot token.
logging.getLogger("httpx").setLevel(logging.WARNING)
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def _known_payloads() -> list[str]:
    catalog = load_catalog()
    return sorted({p for texts in catalog.values() for v in texts.values() for p in payloads(v)})


class TelegramOutput(OutputChannel):
    """Sends to one Telegram chat (the recipient id is the chat id)."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    def __init__(self, channel: TelegramInput) -> None:
        self.channel = channel

    async def _send(self, recipient_id: str, text: str, markup: Any = None) -> None:
        bot = await self.channel.bot()
        parts = split_text(text)
        try:
            for index, part in enumerate(parts):
                last = index == len(parts) - 1
                await bot.send_message(
                    chat_id=int(recipient_id), text=part, reply_markup=markup if last else None
                )
        except Forbidden:
            self.channel.person_unreachable(recipient_id, "blocked the bot")

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send(recipient_id, text)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        rows = [
            [
                InlineKeyboardButton(
                    str(b.get("title", "")),
                    callback_data=self.channel.payloads.encode(str(b.get("payload", ""))),
                )
            ]
            for b in buttons
        ]
        await self._send(recipient_id, text, InlineKeyboardMarkup(rows))

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        bot = await self.channel.bot()
        try:
            await bot.send_photo(chat_id=int(recipient_id), photo=image)
        except Forbidden:
            self.channel.person_unreachable(recipient_id, "blocked the bot")

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        text = json_message.get("text")
        if isinstance(text, str) and text:
            await self._send(recipient_id, text)


class TelegramInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}

        def setting(key: str, env: str, default: str = "") -> str:
            return str(credentials.get(key) or os.environ.get(env) or default)

        return cls(
            token=setting("token", "TELEGRAM_TOKEN"),
            secret_token=setting("secret_token", "TELEGRAM_SECRET_TOKEN"),
            mode=setting("mode", "TELEGRAM_MODE", "webhook"),
            api_base_url=setting("api_base_url", "TELEGRAM_API_BASE_URL"),
        )

    def __init__(
        self, token: str, secret_token: str = "", mode: str = "webhook", api_base_url: str = ""
    ) -> None:
        if mode not in ("webhook", "polling"):
            raise ValueError(f"telegram mode must be webhook or polling, not {mode!r}")
        self.token = token
        self.secret_token = secret_token
        self.mode = mode
        self.api_base_url = api_base_url
        self.payloads = Payloads(_known_payloads())
        self.seen = seen_updates()
        self._bot: Bot | None = None
        self._poller: asyncio.Task | None = None

    async def bot(self) -> Bot:
        """The Bot, created in the server's event loop on first use."""
        if self._bot is None:
            kwargs = {"base_url": self.api_base_url} if self.api_base_url else {}
            bot = Bot(self.token, **kwargs)
            await bot.initialize()
            self._bot = bot
        return self._bot

    def get_output_channel(self) -> OutputChannel:
        return TelegramOutput(self)

    def person_unreachable(self, chat_id: str | int | None, detail: str) -> None:
        from bot.handoff.service import mark_unreachable

        case_id = mark_unreachable(str(chat_id), detail) if chat_id is not None else None
        # No chat id in the log (it identifies the person): the case id, if any, is enough.
        logger.info("telegram: a person %s (case %s)", detail, case_id)

    async def handle(self, data: dict[str, Any], on_new_message: OnNewMessage, agent: Any) -> None:
        incoming = read_update(data)
        if not await self.seen.first_time(incoming.update_id):
            logger.debug("telegram: update %s delivered again, ignored", incoming.update_id)
            return
        if incoming.kind == "blocked":
            self.person_unreachable(incoming.chat_id, "blocked the bot")
            return
        if incoming.kind in ("group", "ignored", "unblocked"):
            return  # group chats are not served: people would expose themselves to others
        if incoming.kind == "callback":
            await self._answer_callback(incoming)
            text = self.payloads.decode(incoming.text)
            if text is None:
                return  # a button from before a restart whose long payload is unknown
        else:
            text = incoming.text
        sender = str(incoming.chat_id)
        if text == FORGET:
            await self.confirm_forget(sender, incoming, agent)
            return
        if text == FORGET_CONFIRMED:
            await self.forget(sender, incoming, agent)
            return
        metadata = {"language_code": incoming.language_code} if incoming.language_code else {}
        await on_new_message(
            UserMessage(
                text,
                self.get_output_channel(),
                sender,
                input_channel=self.name(),
                metadata=metadata | incoming.metadata,
            )
        )

    async def _answer_callback(self, incoming: Incoming) -> None:
        try:
            await (await self.bot()).answer_callback_query(incoming.callback_id)
        except TelegramError as error:
            logger.debug("telegram: callback answer failed: %s", error.__class__.__name__)

    async def confirm_forget(self, sender: str, incoming: Incoming, agent: Any) -> None:
        from bot.channels.erasure import person_language

        language = await person_language(agent, sender, fallback=incoming.language_code)
        [variant] = load_catalog()[language]["utter_forget_confirm"][:1]
        await self.get_output_channel().send_text_with_buttons(
            sender, variant["text"], variant.get("buttons", [])
        )

    async def forget(self, sender: str, incoming: Incoming, agent: Any) -> None:
        """Erases the person's conversation and cases, then says so in their language."""
        from bot.channels.erasure import erase_person

        language = await erase_person(agent, sender, fallback=incoming.language_code)
        text = load_catalog()[language]["utter_forgotten"][0]["text"]
        await self.get_output_channel().send_text_message(sender, text)

    async def poll(self, on_new_message: OnNewMessage, agent: Any) -> None:
        """Long-polls getUpdates for as long as the server runs (polling mode)."""
        bot = await self.bot()
        await bot.delete_webhook()  # Telegram serves getUpdates only without a webhook
        offset = None
        while True:
            try:
                updates = await bot.get_updates(offset=offset, timeout=20)
            except asyncio.CancelledError:
                raise
            except TelegramError as error:
                logger.warning("telegram: getUpdates failed (%s); retrying", error)
                await asyncio.sleep(2)
                continue
            for update in updates:
                offset = update.update_id + 1
                try:
                    await self.handle(update.to_dict(), on_new_message, agent)
                except Exception:  # one bad update must not stop the poller
                    logger.exception("telegram: update %s failed", update.update_id)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        hook = Blueprint("telegram_ptb", __name__)
        channel = self
        guard = Guard()
        guard.attach(hook)
        on_new_message = guard.wrap(on_new_message)

        @hook.route("/", methods=["GET"])
        async def health(request: Request) -> Any:
            return response.json({"status": "ok", "mode": channel.mode, "on": bool(channel.token)})

        @hook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> Any:
            if not channel.token or channel.mode != "webhook":
                return response.text("telegram webhook is off", status=404)
            sent = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
            if not channel.secret_token or not hmac.compare_digest(sent, channel.secret_token):
                return response.text("forbidden", status=403)
            data = request.json
            if not isinstance(data, dict) or "update_id" not in data:
                return response.text("not an update", status=400)
            await channel.handle(data, on_new_message, request.app.ctx.agent)
            return response.text("ok")

        @hook.listener("after_server_start")
        async def start_polling(app: Any, loop: Any) -> None:
            if channel.token and channel.mode == "polling":
                channel._poller = loop.create_task(channel.poll(on_new_message, app.ctx.agent))

        @hook.listener("before_server_stop")
        async def stop_polling(app: Any, loop: Any) -> None:
            if channel._poller:
                channel._poller.cancel()

        return hook
