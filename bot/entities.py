"""Country and residence-status extraction from the lexicons (spaCy blank pipeline + PhraseMatcher).

Pure: no Rasa import, no downloaded model. Text and phrases are normalised the same way (lower case,
accents and Arabic vowel marks dropped, punctuation as spaces), and matches are mapped back to the
person's original characters.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.lexicon import load_lexicons
from bot.paths import LEXICON_DIR

# Where the person lives, never a country of return.
HOST_COUNTRIES = {"BE", "LU"}


@dataclass(frozen=True)
class Found:
    entity: str  # "country" or "residence_status"
    value: str  # ISO 3166-1 alpha-2, or a residence_status value
    start: int
    end: int
    text: str


def normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """Normalised text, and for each of its characters the index of the original character."""
    out: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        for piece in unicodedata.normalize("NFKD", char.lower()):
            if unicodedata.combining(piece):
                continue
            category = unicodedata.category(piece)
            if category.startswith(("P", "S")) or piece in "\u200c\u200d":
                piece = " "  # punctuation (also Ethiopic ። ፧) and ZWNJ split words like spaces
            out.append(piece)
            where.append(index)
    return "".join(out), where


def normalise(text: str) -> str:
    return normalise_with_offsets(text)[0]


class EntityMatcher:
    def __init__(self, directory: Path = LEXICON_DIR) -> None:
        import spacy
        from spacy.matcher import PhraseMatcher

        self.nlp = spacy.blank("xx")
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.labels: dict[int, tuple[str, str]] = {}
        phrases: dict[tuple[str, str], set[str]] = {}
        for lexicon in load_lexicons(directory).values():
            for code, names in (lexicon.get("countries") or {}).items():
                if code not in HOST_COUNTRIES:
                    phrases.setdefault(("country", str(code)), set()).update(map(str, names or []))
            for status, names in (lexicon.get("residence_status") or {}).items():
                phrases.setdefault(("residence_status", status), set()).update(
                    map(str, names or [])
                )
        for (entity, value), names in phrases.items():
            key = f"{entity}:{value}"
            docs = [self.nlp.make_doc(n) for n in {normalise(x).strip() for x in names} if n]
            self.matcher.add(key, docs)
            self.labels[self.nlp.vocab.strings[key]] = (entity, value)

    def find(self, text: str) -> list[Found]:
        from spacy.util import filter_spans

        normalised, where = normalise_with_offsets(text)
        doc = self.nlp.make_doc(normalised)
        spans = []
        for match_id, start, end in self.matcher(doc):
            span = doc[start:end]
            span.label_ = self.nlp.vocab.strings[match_id]
            spans.append(span)
        found = []
        # Longest match wins where phrases overlap ("asylum refused" over "asylum").
        for span in sorted(filter_spans(spans), key=lambda s: s.start_char):
            entity, value = self.labels[self.nlp.vocab.strings[span.label_]]
            start, end = where[span.start_char], where[span.end_char - 1] + 1
            found.append(Found(entity, value, start, end, text[start:end]))
        return found


@lru_cache(maxsize=2)
def default_matcher() -> EntityMatcher:
    return EntityMatcher()
