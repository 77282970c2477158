"""Danger phrases per language (the `danger` list of data/lexicon/<lang>.yml). Pure.

A safety net under the intent classifier: a message with such a phrase is treated as urgent_help,
because missing a person in danger is worse than a false alarm.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from bot.lexicon import load_lexicons
from bot.paths import LEXICON_DIR
from bot.phrases import Match, PhraseIndex


class DangerDetector:
    def __init__(self, directory: Path = LEXICON_DIR) -> None:
        phrases = {
            f"danger:{lang}": [str(p) for p in lexicon.get("danger") or []]
            for lang, lexicon in load_lexicons(directory).items()
        }
        self.index = PhraseIndex(phrases)

    def find(self, text: str) -> list[Match]:
        return self.index.find(text)


@lru_cache(maxsize=2)
def default_detector() -> DangerDetector:
    return DangerDetector()
