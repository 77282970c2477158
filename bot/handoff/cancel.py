"""Does a waiting person say they no longer need a counsellor? (data/lexicon `handoff_cancel`).

While a conversation is paused the bot runs no action, so the console's watcher reads the person's
new messages and asks this. Phrases of every language count: people mix languages.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from bot.lexicon import load_lexicons
from bot.paths import LEXICON_DIR
from bot.phrases import PhraseIndex


@lru_cache(maxsize=2)
def _index(directory: Path = LEXICON_DIR) -> PhraseIndex:
    phrases = [
        str(p)
        for lexicon in load_lexicons(directory).values()
        for p in lexicon.get("handoff_cancel") or []
    ]
    return PhraseIndex({"handoff_cancel": phrases})


def cancels_handoff(text: str, directory: Path = LEXICON_DIR) -> bool:
    return bool(text) and bool(_index(directory).find(text))


def cancel_phrases(directory: Path = LEXICON_DIR) -> dict[str, list[str]]:
    return {
        code: [str(p) for p in lexicon.get("handoff_cancel") or []]
        for code, lexicon in load_lexicons(directory).items()
    }
