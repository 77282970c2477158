"""Phrase lists per language (data/lexicon/<lang>.yml).

Country names, residence-status phrases and language names.

Pure: no Rasa import. Matching is on normalised text (lower case, accents removed) and whole words.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from bot.paths import LEXICON_DIR
from bot.phrases import normalise


def load_language_files(directory: Path) -> dict[str, dict]:
    """Every `<lang>.yml` of a content folder (lexicon, canned replies, widget texts), by code."""
    return {
        path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for path in sorted(directory.glob("*.yml"))
    }


@lru_cache(maxsize=4)
def load_lexicons(directory: Path = LEXICON_DIR) -> dict[str, dict]:
    return load_language_files(directory)


@lru_cache(maxsize=4)
def language_name_index(directory: Path = LEXICON_DIR) -> list[tuple[str, str]]:
    """(normalised phrase, language code), longest phrases first so 'in english' beats 'en'."""
    pairs: set[tuple[str, str]] = set()
    for lexicon in load_lexicons(directory).values():
        for code, names in (lexicon.get("language_names") or {}).items():
            for name in names or []:
                phrase = normalise(str(name)).strip()
                if len(phrase) >= 3:
                    pairs.add((phrase, code))
    return sorted(pairs, key=lambda p: (-len(p[0]), p[0]))


def requested_language(text: str, supported: set[str], directory: Path = LEXICON_DIR) -> str | None:
    """The supported language a message names ("can we speak Arabic?" -> "ar"), if any."""
    words = f" {normalise(text).strip()} "
    for phrase, code in language_name_index(directory):
        if code in supported and f" {phrase} " in words:
            return code
    return None


CHANGE_LANGUAGE = "change_language"


def reads_as_language_request(
    text: str, ranking: list[tuple[str, float]], supported: set[str], min_confidence: float = 0.2
) -> bool:
    """A message that names a served language and that the classifier ranks as a request to
    switch among its two best labels: a request to switch ("შეგვიძლია ფრანგულად
    ვილაპარაკოთ?" was change_language 0.42 against out_of_scope 0.41, too close to accept).
    Naming a nationality alone ("Russian passport lost") is not enough: the classifier must
    already see a request."""
    if requested_language(text, supported) is None:
        return False
    labels = [(name, p) for name, p in ranking if name != "nlu_fallback"][:2]
    return any(name == CHANGE_LANGUAGE and p >= min_confidence for name, p in labels)
