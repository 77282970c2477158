"""Reading Rasa NLU files (data/nlu/<lang>.yml, tests/nlu/<lang>.yml) without Rasa, and the danger
set (tests/danger/<lang>.yml). Pure."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

# [span]{"entity": ..., "value": ...}
ANNOTATION = re.compile(r"\[([^\]]+)\](\{[^}]*\})")


@dataclass(frozen=True)
class Example:
    language: str  # the file's stem
    label: str
    text: str  # annotations removed
    entities: frozenset[tuple[str, str]]  # (entity, value)


def examples(path: Path) -> list[Example]:
    found = []
    for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
        for line in block.get("examples", "").splitlines():
            if not line.startswith("- "):
                continue
            raw = line[2:]
            entities = frozenset(
                (meta["entity"], str(meta["value"]))
                for meta in (json.loads(m.group(2)) for m in ANNOTATION.finditer(raw))
            )
            text = ANNOTATION.sub(lambda m: m.group(1), raw)
            found.append(Example(path.stem, block["intent"], text, entities))
    return found


def examples_in(directory: Path) -> list[Example]:
    return [e for path in sorted(directory.glob("*.yml")) for e in examples(path)]


def danger_sets(directory: Path) -> dict[str, dict[str, list[str]]]:
    """tests/danger/<lang>.yml by language: {"urgent": [...], "ordinary": [...]}."""
    return {
        path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted(directory.glob("*.yml"))
    }
