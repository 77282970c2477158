"""Danger phrases per language (the `danger` list of data/lexicon/<lang>.yml). Pure.

A safety net under the intent classifier: a message with such a phrase is treated as urgent_help,
because missing a person in danger is worse than a false alarm. The `not_danger` list holds longer
phrases that contain a danger phrase but say something ordinary ("I don't want to live here
anymore", said by someone who wants to go home): a danger phrase inside one of them is left to the
classifier. A message that is only a cry for help ("HELP!!", "sos svp vite") is danger too: a
`cry_for_help` phrase with nothing beside it but `cry_words` (please, quickly, someone).
Words of `danger_modifiers` (little, newborn, dear) may stand inside a danger phrase: "street with
my newborn baby" is "street with my baby".
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from bot.lexicon import load_lexicons
from bot.paths import LEXICON_DIR
from bot.phrases import Match, PhraseIndex, normalise

# Marks that end a clause, in the scripts served (apostrophes and hyphens stay inside words).
CLAUSE_MARKS = frozenset(".,;:!?¿¡…\n؟،؛።፣፤፥፦፧")

# A bare cry is short; a longer message says what is wrong and is the classifier's to read.
MAX_CRY_WORDS = 8


class DangerDetector:
    def __init__(self, directory: Path = LEXICON_DIR) -> None:
        lexicons = load_lexicons(directory)

        def index(kind: str) -> PhraseIndex:
            return PhraseIndex(
                {
                    f"{kind}:{lang}": [str(p) for p in lex.get(kind) or []]
                    for lang, lex in lexicons.items()
                }
            )

        self.danger = index("danger")
        self.ordinary = index("not_danger")
        self.cries = index("cry_for_help")
        self.cry_words = index("cry_words")
        self.modifiers = index("danger_modifiers")

    def find(self, text: str) -> list[Match]:
        """Danger phrases in `text`, leaving out those inside a `not_danger` phrase.

        A `not_danger` phrase counts only within one clause: matching reads punctuation as a space,
        and "I don't want to live. Here nobody helps me" is danger. Without a danger phrase, the
        text is read again without its modifiers, then a message that is only a cry for help is
        one match.
        """
        versions = list(dict.fromkeys([text, self._without_modifiers(text)]))  # as typed first
        # A not_danger phrase holds with or without its modifiers ("a little tired of living here").
        ordinary = [
            m
            for version in versions
            for m in self.ordinary.find(version)
            if not CLAUSE_MARKS.intersection(text[m.start : m.end])
        ]
        found: list[Match] = []
        for version in versions:
            found = [
                Match(m.label, m.start, m.end, text[m.start : m.end])
                for m in self.danger.find(version)
                if not any(o.start <= m.start and m.end <= o.end for o in ordinary)
            ]
            if found:
                break
        cry = None if found else self.bare_cry(text)
        return [cry] if cry else found

    def _without_modifiers(self, text: str) -> str:
        return blanked(text, self.modifiers.find(text))

    def bare_cry(self, text: str) -> Match | None:
        """The whole message as a match when it is only a cry for help, else None.

        Any language's cry words count beside a cry: people mix ("help lotfan", "sos svp").
        """
        if not 0 < len(normalise(text).split()) <= MAX_CRY_WORDS:
            return None
        cries = self.cries.find(text)
        rest = blanked(text, cries + self.cry_words.find(text))
        if not cries or normalise(rest).strip():
            return None
        return Match(cries[0].label, 0, len(text), text)


def blanked(text: str, matches: list[Match]) -> str:
    """`text` with the matches' characters as spaces: same length, so match offsets stay valid."""
    chars = list(text)
    for m in matches:
        chars[m.start : m.end] = " " * (m.end - m.start)
    return "".join(chars)


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
