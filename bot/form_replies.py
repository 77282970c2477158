"""Reading a person's answer to a questionnaire question. Pure: no Rasa.

Phrases come from the `form_replies` section of data/lexicon/<lang>.yml (skip, stop, belgium,
luxembourg); all languages are searched, since people often answer in a mix.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from bot.lexicon import load_lexicons
from bot.paths import LEXICON_DIR
from bot.phrases import PhraseIndex

KINDS = ("skip", "stop", "belgium", "luxembourg")


@lru_cache(maxsize=2)
def _index(directory: Path = LEXICON_DIR) -> PhraseIndex:
    phrases: dict[str, set[str]] = {kind: set() for kind in KINDS}
    for lexicon in load_lexicons(directory).values():
        for kind, names in (lexicon.get("form_replies") or {}).items():
            if kind in phrases:
                phrases[kind].update(str(n) for n in names or [])
    return PhraseIndex(phrases)


def reply_kinds(text: str, directory: Path = LEXICON_DIR) -> set[str]:
    """Which of skip / stop / belgium / luxembourg a message says."""
    return {match.label for match in _index(directory).find(text or "")}


def place_of_residence(text: str) -> str | None:
    kinds = reply_kinds(text) & {"belgium", "luxembourg"}
    return kinds.pop() if len(kinds) == 1 else None
