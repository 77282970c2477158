"""One rough Latin spelling for a language typed in its own script or in Latin letters. Pure.

People type Mongolian, Georgian, Russian or Ukrainian on phones in Latin letters as often as in
their own script, and each person spells the sounds their own way (хөтөлбөр: hutulbur, hotolbor;
წელი: weli, tseli). The training files hold far more messages in the language's own script, so
the intent model also reads this skeleton: a Latin message then meets the words it shares with
every message of its language, not only with the few typed in Latin.

The tables are content, one file per language (data/romanisation/<lang>.yml): `letters` maps the
script's letters to Latin, then `rewrites` merge the spellings people use for one sound, applied in
order to both scripts. A language without a file has no skeleton.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPEATS = re.compile(r"(\w)\1+")  # "dugaar", "утасныы": length marks and typos, one letter kept


@dataclass(frozen=True)
class Romanisation:
    letters: dict[str, str]
    rewrites: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def skeleton(self, text: str) -> str:
        latin = "".join(self.letters.get(ch, ch) for ch in text.lower())
        latin = "".join(
            ch for ch in unicodedata.normalize("NFKD", latin) if not unicodedata.combining(ch)
        )
        for before, after in self.rewrites:
            latin = latin.replace(before, after)
        return REPEATS.sub(r"\1", latin)


def load_romanisations(directory: Path) -> dict[str, Romanisation]:
    tables: dict[str, Romanisation] = {}
    for path in sorted(directory.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        tables[path.stem] = Romanisation(
            letters={str(k): str(v) for k, v in (data.get("letters") or {}).items()},
            rewrites=tuple((str(a), str(b)) for a, b in data.get("rewrites") or []),
        )
    return tables


def skeletons(
    texts: list[str], languages: list[str | None], tables: dict[str, Romanisation]
) -> list[str]:
    """The skeleton of each text in its language; empty where the language has no table."""
    out = []
    for text, language in zip(texts, languages, strict=True):
        table = tables.get(language or "")
        out.append(table.skeleton(text) if table else "")
    return out
