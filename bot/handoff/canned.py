"""Canned replies: prepared texts per language (data/canned/<lang>.yml, copied into the database at
console start so an operator's edits to the files arrive), plus the bot's own checked answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from bot.handoff.db import new_session
from bot.handoff.models import CannedReply
from bot.lexicon import load_language_files
from bot.paths import CANNED_DIR
from bot.responses import load_catalog


@dataclass(frozen=True)
class Canned:
    key: str
    title: str
    text: str


def load_files(directory: Path = CANNED_DIR) -> dict[str, dict[str, dict[str, str]]]:
    return load_language_files(directory)


def sync_from_files(directory: Path = CANNED_DIR, url: str | None = None) -> int:
    """Inserts or updates every canned reply of the files; returns how many rows changed."""
    changed = 0
    with new_session(url) as session, session.begin():
        existing = {(c.key, c.language): c for c in session.scalars(select(CannedReply))}
        for language, entries in load_files(directory).items():
            for key, entry in entries.items():
                title, text = str(entry["title"]), str(entry["text"])
                row = existing.get((key, language))
                if row is None:
                    session.add(CannedReply(key=key, language=language, title=title, text=text))
                    changed += 1
                elif (row.title, row.text) != (title, text):
                    row.title, row.text = title, text
                    changed += 1
    return changed


def for_language(language: str, url: str | None = None) -> list[Canned]:
    """The canned replies in the person's language, then the bot's checked answers in it."""
    with new_session(url) as session:
        rows = session.scalars(
            select(CannedReply).where(CannedReply.language == language).order_by(CannedReply.id)
        ).all()
        canned = [Canned(r.key, r.title, r.text) for r in rows]
    responses = load_catalog().get(language) or {}
    for name, variants in sorted(responses.items()):
        if name.startswith("utter_answer_ask_") and variants:
            label = name.removeprefix("utter_answer_")
            canned.append(Canned(name, f"answer: {label}", str(variants[0].get("text", ""))))
    return canned
