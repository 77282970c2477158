"""Whole-word phrase matching on normalised text (spaCy blank pipeline + PhraseMatcher).

Pure: no Rasa import, no downloaded model. Text and phrases are normalised the same way (lower case,
accents and Arabic vowel marks dropped, punctuation as spaces), and matches are mapped back to the
person's original characters.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Match:
    label: str
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
            if category.startswith(("P", "S", "Z")) or piece in "\u200c\u200d\t\n\r":
                piece = " "  # punctuation (also Ethiopic ። ፧) and ZWNJ split words like spaces
            if piece == " " and out and out[-1] == " ":
                continue  # one space between words, or spaCy makes a token of the extra one
            out.append(piece)
            where.append(index)
    return "".join(out), where


def normalise(text: str) -> str:
    return normalise_with_offsets(text)[0]


class PhraseIndex:
    """Finds labelled phrases in text; where matches overlap, the longest wins."""

    def __init__(self, phrases: dict[str, Iterable[str]]) -> None:
        import spacy
        from spacy.matcher import PhraseMatcher

        self.nlp = spacy.blank("xx")
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for label, names in phrases.items():
            cleaned = {normalise(str(n)).strip() for n in names}
            docs = [self.nlp.make_doc(n) for n in sorted(cleaned) if n]
            if docs:
                self.matcher.add(label, docs)

    def find(self, text: str) -> list[Match]:
        from spacy.util import filter_spans

        normalised, where = normalise_with_offsets(text)
        doc = self.nlp.make_doc(normalised)
        spans = [
            doc.char_span(
                doc[s].idx, doc[e - 1].idx + len(doc[e - 1]), label=self.nlp.vocab.strings[m]
            )
            for m, s, e in self.matcher(doc)
        ]
        found = []
        for span in sorted(
            filter_spans([s for s in spans if s is not None]), key=lambda s: s.start_char
        ):
            start, end = where[span.start_char], where[span.end_char - 1] + 1
            found.append(Match(span.label_, start, end, text[start:end]))
        return found
