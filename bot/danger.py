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


def likely(
    ranking: list[tuple[str, float]], label: str, first_floor: float, any_floor: float
) -> bool:
    """Whether a classifier makes `label` likely enough to act on, though it may not have won.

    Ranked first with `first_floor` (the fallback found it unsure, or too close to the second), or
    anywhere with `any_floor`: for danger, a false alarm costs far less than a miss.
    """
    p = dict(ranking).get(label, 0.0)
    first = bool(ranking) and ranking[0][0] == label
    return (first and p >= first_floor) or p >= any_floor


@lru_cache(maxsize=2)
def default_detector() -> DangerDetector:
    return DangerDetector()
