"""Country and residence-status extraction from the lexicons (data/lexicon/<lang>.yml). Pure."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.lexicon import load_lexicons
from bot.paths import LEXICON_DIR
from bot.phrases import PhraseIndex

# Where the person lives, never a country of return.
HOST_COUNTRIES = {"BE", "LU"}


@dataclass(frozen=True)
class Found:
    entity: str  # "country" or "residence_status"
    value: str  # ISO 3166-1 alpha-2, or a residence_status value
    start: int
    end: int
    text: str


class EntityMatcher:
    def __init__(self, directory: Path = LEXICON_DIR) -> None:
        phrases: dict[str, set[str]] = {}
        for lexicon in load_lexicons(directory).values():
            for code, names in (lexicon.get("countries") or {}).items():
                if code not in HOST_COUNTRIES:
                    phrases.setdefault(f"country:{code}", set()).update(map(str, names or []))
            for status, names in (lexicon.get("residence_status") or {}).items():
                phrases.setdefault(f"residence_status:{status}", set()).update(
                    map(str, names or [])
                )
        self.index = PhraseIndex(phrases)

    def find(self, text: str) -> list[Found]:
        found = []
        for match in self.index.find(text):
            entity, value = match.label.split(":", 1)
            found.append(Found(entity, value, match.start, match.end, match.text))
        return found


@lru_cache(maxsize=2)
def default_matcher() -> EntityMatcher:
    return EntityMatcher()
