"""Response texts per language (data/responses/<lang>.yml), free of Rasa imports.

Each file maps a response name to a list of variants in Rasa's response format
(`text`, optional `buttons`). Translators edit their own file; nothing is retrained.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.paths import RESPONSES_DIR

Responses = dict[str, list[dict[str, Any]]]
PLACEHOLDER = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)\}")
# Direction marks and embeddings break the widget's own right-to-left layout.
DIRECTION_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@lru_cache(maxsize=4)
def load_catalog(directory: Path = RESPONSES_DIR) -> dict[str, Responses]:
    catalog: dict[str, Responses] = {}
    for path in sorted(directory.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        catalog[path.stem] = {name: list(variants) for name, variants in data.items()}
    return catalog


def placeholders(variants: list[dict[str, Any]]) -> set[str]:
    found: set[str] = set()
    for variant in variants:
        found.update(PLACEHOLDER.findall(variant.get("text", "")))
        for button in variant.get("buttons", []):
            found.update(PLACEHOLDER.findall(button.get("title", "")))
    return found


def payloads(variants: list[dict[str, Any]]) -> list[str]:
    return [b.get("payload", "") for v in variants for b in v.get("buttons", [])]


def texts(variants: list[dict[str, Any]]) -> list[str]:
    return [v.get("text", "") for v in variants] + [
        b.get("title", "") for v in variants for b in v.get("buttons", [])
    ]


def unsourced_items(responses: Responses, allowed: set[str]) -> list[str]:
    """Numbers, e-mails and web addresses in the texts that no knowledge file contains."""
    from bot.knowledge import quoted_items

    problems = []
    for name, variants in sorted(responses.items()):
        for text in texts(variants):
            for item in sorted(quoted_items(text) - allowed):
                problems.append(f"{name}: {item} is in no knowledge file")
    return problems


def catalog_problems(catalog: dict[str, Responses], reference: str = "en") -> list[str]:
    """Missing responses, extra responses and placeholder differences against the reference."""
    problems: list[str] = []
    base = catalog.get(reference, {})
    for lang, responses in sorted(catalog.items()):
        for name in sorted(set(base) - set(responses)):
            problems.append(f"{lang}: missing {name}")
        for name in sorted(set(responses) - set(base)):
            problems.append(f"{lang}: {name} is not in {reference}")
        for name in sorted(set(base) & set(responses)):
            if placeholders(responses[name]) != placeholders(base[name]):
                problems.append(f"{lang}: placeholders of {name} differ from {reference}")
            if payloads(responses[name]) != payloads(base[name]):
                problems.append(f"{lang}: button payloads of {name} differ from {reference}")
            for variant in responses[name]:
                if not variant.get("text", "").strip():
                    problems.append(f"{lang}: {name} has an empty text")
                if DIRECTION_MARKS.search(variant.get("text", "")):
                    problems.append(f"{lang}: {name} has hard-coded direction marks")
    return problems
