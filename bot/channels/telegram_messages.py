"""What a Telegram update means for the assistant, and how answers fit Telegram's limits.

Pure: works on the update's JSON (as Telegram sends it), no Rasa or network import.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

MAX_TEXT = 4096  # Telegram's limit for one message
MAX_CALLBACK_DATA = 64  # bytes, Telegram's limit for an inline button's data

# Commands -> what Rasa receives ("/intent" is read by Rasa as that intent, not through NLU).
COMMANDS = {
    "start": "/start_conversation",
    "language": "/change_language",
    "human": "/request_human",
    "forget": "/forget",
}
# Erasure is the channel's own (it works while a counsellor has the conversation, and Rasa would
# write erased events back): /forget asks, the button's /forget_confirmed erases.
FORGET = "/forget"
FORGET_CONFIRMED = "/forget_confirmed"

# Kinds of messages that are not text. Only the kind goes on: a location's coordinates or a
# contact's phone number are personal data the assistant does not need.
NON_TEXT_KINDS = (
    "photo",
    "voice",
    "audio",
    "video",
    "video_note",
    "animation",
    "sticker",
    "document",
    "location",
    "venue",
    "contact",
    "poll",
    "dice",
)


@dataclass(frozen=True)
class Incoming:
    """One update, read: `kind` says what to do with it."""

    kind: str  # message, callback, blocked, unblocked, group, ignored
    update_id: int
    chat_id: int | None = None
    text: str = ""
    language_code: str | None = None
    callback_id: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


def command_text(text: str) -> str:
    """A typed message as Rasa should get it: commands mapped, other leading slashes dropped."""
    stripped = text.strip()
    if stripped.startswith("/"):
        word = stripped[1:].split(maxsplit=1)[0] if len(stripped) > 1 else ""
        command = word.split("@", 1)[0].lower()  # "/start@SomeBot" in menus
        if command in COMMANDS:
            return COMMANDS[command]
        # A person's "/something" must not be taken as an intent name by Rasa.
        return stripped.lstrip("/").strip() or "?"
    return text


def read_update(data: dict[str, Any]) -> Incoming:
    update_id = int(data.get("update_id") or 0)
    if "callback_query" in data:
        query = data["callback_query"]
        message = query.get("message") or {}
        chat = message.get("chat") or {}
        sender = query.get("from") or {}
        if chat.get("type", "private") != "private":
            return Incoming("group", update_id, chat.get("id"))
        return Incoming(
            "callback",
            update_id,
            chat.get("id") or sender.get("id"),
            text=str(query.get("data") or ""),
            language_code=sender.get("language_code"),
            callback_id=query.get("id"),
        )
    if "my_chat_member" in data:
        member = data["my_chat_member"]
        status = (member.get("new_chat_member") or {}).get("status")
        chat_id = (member.get("chat") or {}).get("id")
        if status == "kicked":
            return Incoming("blocked", update_id, chat_id)
        if status == "member":
            return Incoming("unblocked", update_id, chat_id)
        return Incoming("ignored", update_id, chat_id)
    edited = "edited_message" in data
    message = data.get("message") or data.get("edited_message")
    if not message:
        return Incoming("ignored", update_id)
    chat = message.get("chat") or {}
    if chat.get("type") != "private":
        return Incoming("group", update_id, chat.get("id"))
    sender = message.get("from") or {}
    metadata: dict[str, Any] = {"edited": True} if edited else {}
    text = message.get("text")
    if text is None:
        kind = next((k for k in NON_TEXT_KINDS if k in message), "other")
        return Incoming(
            "message",
            update_id,
            chat.get("id"),
            text="/non_text",
            language_code=sender.get("language_code"),
            metadata=metadata | {"telegram_kind": kind},
        )
    return Incoming(
        "message",
        update_id,
        chat.get("id"),
        text=command_text(text),
        language_code=sender.get("language_code"),
        metadata=metadata,
    )


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces under Telegram's limit, cut at a paragraph, line, sentence or word where possible."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"))
        if cut < limit // 2:
            cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
            cut = cut + 1 if cut >= limit // 2 else window.rfind(" ")
        if cut < limit // 2:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not pieces:
        pieces.append(rest)
    return pieces


class Payloads:
    """Button payloads as callback data: as they are when short enough, else a short code.

    Codes come from a hash, so every replica computes the same code for the same payload; the
    payloads a replica has sent or knows from the response files are remembered to read codes back.
    """

    def __init__(self, known: list[str] | None = None, capacity: int = 10_000) -> None:
        self.by_code: OrderedDict[str, str] = OrderedDict()
        self.capacity = capacity
        for payload in known or []:
            self.encode(payload)

    def encode(self, payload: str) -> str:
        if len(payload.encode("utf-8")) <= MAX_CALLBACK_DATA and not payload.startswith("#"):
            return payload
        code = "#" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:40]
        self.by_code[code] = payload
        self.by_code.move_to_end(code)
        while len(self.by_code) > self.capacity:
            self.by_code.popitem(last=False)
        return code

    def decode(self, data: str) -> str | None:
        if data.startswith("#"):
            return self.by_code.get(data)
        return data


class SeenUpdates:
    """The last update ids handled: Telegram may deliver an update twice."""

    def __init__(self, capacity: int = 10_000) -> None:
        self.ids: OrderedDict[int, None] = OrderedDict()
        self.capacity = capacity

    def first_time(self, update_id: int) -> bool:
        if update_id in self.ids:
            return False
        self.ids[update_id] = None
        while len(self.ids) > self.capacity:
            self.ids.popitem(last=False)
        return True
