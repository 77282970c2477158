"""Country and residence-status extraction from the lexicons (data/lexicon/<lang>.yml). Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.lexicon import load_lexicons
from bot.paths import LEXICON_DIR
from bot.phrases import PhraseIndex

# Where the person lives, never a country of return.
HOST_COUNTRIES = {"BE", "LU"}
WORD = re.compile(r"\w+")


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


def is_bare_answer(text: str, spans: list[tuple[int, int]], max_other_words: int = 2) -> bool:
    """A message that is only a country or a status, give or take a short word ("to Peru",
    "Gürcistan'a", "я из Грузии"): an answer (inform) whatever the classifier thinks, since the
    classifier cannot know every country name in every language."""
    if not spans:
        return False
    rest = list(text)
    for start, end in spans:
        rest[start:end] = " " * (end - start)
    other_words = [w for w in WORD.findall("".join(rest)) if not w.isdigit()]
    covered = sum(end - start for start, end in spans)
    letters = sum(ch.isalnum() for ch in text)
    return len(other_words) <= max_other_words and covered * 2 >= letters
