"""The facts the assistant may state (data/knowledge/), loaded and validated. Pure: no Rasa.

Every fact carries its source, the date it was checked and a status; a response may quote a number,
amount, phone number, e-mail or web address only if the knowledge files contain it
(`quoted_items`), so a made-up figure fails a test instead of reaching a person.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.paths import KNOWLEDGE_DIR
from bot.spec import QUESTION_LABELS

logger = logging.getLogger(__name__)

STATUSES = ("verified", "reported")
REINTEGRATION = ("available", "vulnerable_only", "ended", "unknown")
REVIEW_AFTER = dt.timedelta(days=183)
# Digit groups joined by one separator are one item: 0800 32 745, 5,000, 12-14.
NUMBER = re.compile(r"\d+(?:[ .,\-\u00a0\u202f]\d+)*")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
WEB = re.compile(
    r"(?:https?://)?(?:www\.)?((?:[a-z0-9-]+\.)+(?:be|lu|org|int|com|eu|net|info))\b", re.I
)


@dataclass(frozen=True)
class Fact:
    id: str
    topic: str
    statement: str
    source: str
    checked: dt.date
    status: str
    values: tuple[str, ...] = ()
    review_by: dt.date | None = None
    file: str = ""

    @property
    def due(self) -> dt.date:
        return self.review_by or self.checked + REVIEW_AFTER


@dataclass(frozen=True)
class Country:
    code: str
    visa_free: bool | None
    reintegration: str
    answer: str | None
    facts: tuple[str, ...] = ()
    # More responses on this country, by question label (e.g. ask_travel_documents).
    answers_by_question: dict[str, str] = field(default_factory=dict)


@dataclass
class Knowledge:
    facts: dict[str, Fact] = field(default_factory=dict)
    countries: dict[str, Country] = field(default_factory=dict)
    groups: dict[str, frozenset[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def fact(self, fact_id: str) -> Fact:
        return self.facts[fact_id]

    def country(self, code: str | None) -> Country | None:
        return self.countries.get((code or "").upper())

    def in_group(self, group: str, code: str | None) -> bool:
        return (code or "").upper() in self.groups.get(group, frozenset())

    def overdue(self, today: dt.date | None = None) -> list[Fact]:
        today = today or dt.date.today()
        return [f for f in self.facts.values() if f.due < today]

    def allowed_items(self) -> set[str]:
        """Numbers, e-mails and web domains that the knowledge files contain."""
        items: set[str] = set()
        for fact in self.facts.values():
            for text in (fact.statement, *fact.values):
                items |= quoted_items(text)
            # A source gives its domain, not the numbers of its address.
            items |= {i for i in quoted_items(fact.source) if i.startswith("web:")}
        return items


def _digits(text: str) -> str:
    """Any script's digits (Arabic-Indic, Persian...) as ASCII."""
    return "".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in text)


def quoted_items(text: str) -> set[str]:
    """What a reader could act on or rely on: numbers (phones, amounts, years), e-mails, domains."""
    text = _digits(text)
    emails = {m.lower() for m in EMAIL.findall(text)}
    rest = EMAIL.sub(" ", text)
    domains = {m.lower() for m in WEB.findall(rest)}
    rest = WEB.sub(" ", rest)
    numbers = {re.sub(r"\D", "", m) for m in NUMBER.findall(rest)}
    return emails | {f"web:{d}" for d in domains} | {f"num:{n}" for n in numbers if n}


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _read_fact(raw: dict[str, Any], file: str, problems: list[str]) -> Fact | None:
    where = f"{file}: {raw.get('id', '?')}"
    missing = [
        k for k in ("id", "topic", "statement", "source", "checked", "status") if not raw.get(k)
    ]
    if missing:
        problems.append(f"{where}: missing {', '.join(missing)}")
        return None
    if not str(raw["source"]).startswith(("http://", "https://")):
        problems.append(f"{where}: source is not a web address")
    if raw["status"] not in STATUSES:
        problems.append(f"{where}: status {raw['status']!r} is not one of {STATUSES}")
    checked, review_by = _date(raw["checked"]), _date(raw.get("review_by") or raw["checked"])
    if checked is None or review_by is None:
        problems.append(f"{where}: dates must be YYYY-MM-DD")
        return None
    return Fact(
        id=str(raw["id"]),
        topic=str(raw["topic"]),
        statement=str(raw["statement"]),
        source=str(raw["source"]),
        checked=checked,
        status=str(raw["status"]),
        values=tuple(str(v) for v in raw.get("values") or ()),
        review_by=review_by if raw.get("review_by") else None,
        file=file,
    )


def load_knowledge(directory: Path = KNOWLEDGE_DIR) -> Knowledge:
    knowledge = Knowledge()
    for path in sorted(directory.rglob("*.yml")):
        name = path.relative_to(directory).as_posix()
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        facts = []
        for raw in data.get("facts") or []:
            fact = _read_fact(raw, name, knowledge.problems)
            if fact is None:
                continue
            if fact.id in knowledge.facts:
                knowledge.problems.append(f"{name}: fact id {fact.id} repeated")
            knowledge.facts[fact.id] = fact
            facts.append(fact.id)
        if "country" in data:
            code = str(data["country"]).upper()
            if path.stem.upper() != code:
                knowledge.problems.append(f"{name}: file name and country {code} differ")
            if data.get("reintegration") not in REINTEGRATION:
                knowledge.problems.append(f"{name}: reintegration must be one of {REINTEGRATION}")
            if not facts:
                knowledge.problems.append(f"{name}: a country file needs at least one fact")
            for label in data.get("answers_by_question") or {}:
                if label not in QUESTION_LABELS:
                    knowledge.problems.append(f"{name}: {label} is not a question label")
            knowledge.countries[code] = Country(
                code=code,
                visa_free=data.get("visa_free"),
                reintegration=str(data.get("reintegration")),
                answer=data.get("answer"),
                facts=tuple(facts),
                answers_by_question={
                    str(k): str(v) for k, v in (data.get("answers_by_question") or {}).items()
                },
            )
        for key, value in data.items():
            if isinstance(value, list) and key != "facts":
                knowledge.groups[key] = frozenset(str(v).upper() for v in value)
    for fact in knowledge.overdue():
        logger.warning("fact %s (%s) was due for review on %s", fact.id, fact.file, fact.due)
    return knowledge


@lru_cache(maxsize=2)
def knowledge(directory: Path = KNOWLEDGE_DIR) -> Knowledge:
    return load_knowledge(directory)
