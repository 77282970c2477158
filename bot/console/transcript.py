"""A Rasa tracker as a counsellor reads it: who said what, and what the bot understood.

Pure (no web or Rasa import). Each message of the person carries the bot's reading beside it
(label, confidence, entities, language), so a counsellor who does not read the language still sees
what it is about.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

# Slots a counsellor needs (../shared/spec/topics.md); nothing else is shown.
SHOWN_SLOTS = (
    "language",
    "country_of_return",
    "residence_status",
    "eligibility_result",
    "eligibility_rule",
    "handoff_case_id",
)


@dataclass(frozen=True)
class Turn:
    who: str  # "person", "bot", "counsellor" or "system"
    text: str
    at: str
    counsellor: str | None = None
    label: str | None = None
    confidence: float | None = None
    entities: list[dict[str, str]] = field(default_factory=list)
    language: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _time(timestamp: Any) -> str:
    if not isinstance(timestamp, (int, float)):
        return ""
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).isoformat(timespec="seconds")


def _language(parse: dict[str, Any]) -> str | None:
    value = parse.get("language")
    if isinstance(value, dict):
        return value.get("code")
    return value if isinstance(value, str) else None


def turns(events: list[dict[str, Any]]) -> list[Turn]:
    result: list[Turn] = []
    for event in events:
        kind = event.get("event")
        at = _time(event.get("timestamp"))
        if kind == "user":
            parse = event.get("parse_data") or {}
            intent = parse.get("intent") or {}
            result.append(
                Turn(
                    who="person",
                    text=event.get("text") or "",
                    at=at,
                    label=intent.get("name"),
                    confidence=round(float(intent.get("confidence") or 0.0), 2),
                    entities=[
                        {"entity": str(e.get("entity")), "value": str(e.get("value"))}
                        for e in parse.get("entities") or []
                    ],
                    language=_language(parse),
                )
            )
        elif kind == "bot":
            counsellor = (event.get("metadata") or {}).get("counsellor")
            text = event.get("text") or ""
            if not text and not counsellor:
                continue
            result.append(
                Turn(
                    who="counsellor" if counsellor else "bot",
                    text=text,
                    at=at,
                    counsellor=counsellor,
                )
            )
        elif kind in ("pause", "resume"):
            text = "bot paused (handoff)" if kind == "pause" else "bot resumed"
            result.append(Turn(who="system", text=text, at=at))
    return result


def slots(tracker: dict[str, Any]) -> dict[str, Any]:
    values = tracker.get("slots") or {}
    return {name: values.get(name) for name in SHOWN_SLOTS if values.get(name) is not None}


def person_texts_after(events: list[dict[str, Any]], after: float) -> list[str]:
    """What the person wrote after a moment (a Unix timestamp), oldest first."""
    return [
        e.get("text") or ""
        for e in events
        if e.get("event") == "user" and float(e.get("timestamp") or 0) > after
    ]


def last_pause(events: list[dict[str, Any]]) -> float | None:
    """When the conversation was last paused, if it is paused now."""
    for event in reversed(events):
        if event.get("event") == "resume":
            return None
        if event.get("event") == "pause":
            return float(event.get("timestamp") or 0)
    return None
