"""Check one language's NLU files: shape, counts per label, entity values, train/test overlap.

Usage: python scripts/check_nlu_files.py <lang> [<lang> ...]
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bot.spec import CONVERSATION_LABELS, MAIN_LABELS, RESIDENCE_STATUSES  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ANNOTATION = re.compile(r"\[([^\]]+)\](\{[^}]*\}|\([^)]*\))")
STATUSES = set(RESIDENCE_STATUSES)
MAIN = list(MAIN_LABELS)
SMALL = list(CONVERSATION_LABELS)


def plain(example: str) -> str:
    return ANNOTATION.sub(lambda m: m.group(1), example).strip()


def normalise(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def read(path: Path) -> tuple[dict[str, list[str]], list[str]]:
    problems: list[str] = []
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    by_label: dict[str, list[str]] = {}
    for block in data.get("nlu", []):
        label = block.get("intent")
        lines = [ln[2:] for ln in block["examples"].splitlines() if ln.startswith("- ")]
        other = [
            ln for ln in block["examples"].splitlines() if ln.strip() and not ln.startswith("- ")
        ]
        if other:
            problems.append(f"{path.name}:{label}: lines not starting with '- ': {other[:2]}")
        if label in by_label:
            problems.append(f"{path.name}: label {label} appears twice")
        by_label.setdefault(label, []).extend(lines)
        for ex in lines:
            for _span, meta in ANNOTATION.findall(ex):
                if not meta.startswith("{"):
                    problems.append(f"{path.name}: use the JSON form for entities: {ex}")
                    continue
                try:
                    ent = json.loads(meta)
                except json.JSONDecodeError:
                    problems.append(f"{path.name}: bad entity JSON: {ex}")
                    continue
                name, value = ent.get("entity"), ent.get("value")
                if name == "country" and not re.fullmatch(r"[A-Z]{2}", str(value)):
                    problems.append(f"{path.name}: country value must be ISO alpha-2: {ex}")
                elif name == "residence_status" and value not in STATUSES:
                    problems.append(f"{path.name}: unknown residence_status {value!r}: {ex}")
                elif name not in ("country", "residence_status"):
                    problems.append(f"{path.name}: unknown entity {name!r}: {ex}")
    return by_label, problems


def check(lang: str) -> list[str]:
    train_path = ROOT / "data" / "nlu" / f"{lang}.yml"
    test_path = ROOT / "tests" / "nlu" / f"{lang}.yml"
    train, problems = read(train_path)
    test, test_problems = read(test_path) if test_path.exists() else ({}, [f"{test_path} missing"])
    problems += test_problems
    for label in MAIN + SMALL:
        need_train = 30 if label in MAIN else 18
        need_test = 12 if label in ("urgent_help", "out_of_scope") else 10
        n_train, n_test = len(train.get(label, [])), len(test.get(label, []))
        print(f"{lang} {label:22} train {n_train:3}  test {n_test:3}")
        if n_train < need_train:
            problems.append(f"{label}: {n_train} training examples, need {need_train}")
        if n_test < need_test:
            problems.append(f"{label}: {n_test} test examples, need {need_test}")
    for label in set(train) | set(test):
        if label not in MAIN + SMALL:
            problems.append(f"unknown label {label}")
    seen: dict[str, str] = {}
    for label, examples in train.items():
        counts = Counter(normalise(plain(e)) for e in examples)
        problems += [f"duplicate in {label}: {t}" for t, c in counts.items() if c > 1 and t]
        for t in counts:
            if t in seen and seen[t] != label:
                problems.append(f"same sentence under {seen[t]} and {label}: {t}")
            seen[t] = label
    for label, examples in test.items():
        for e in examples:
            if normalise(plain(e)) in seen:
                problems.append(f"test sentence also in training ({label}): {plain(e)}")
    lex = ROOT / "data" / "lexicon" / f"{lang}.yml"
    if not lex.exists():
        problems.append(f"{lex} missing")
    else:
        lexicon = yaml.safe_load(lex.read_text(encoding="utf-8"))
        for key in ("countries", "residence_status", "language_names"):
            if not lexicon.get(key):
                problems.append(f"lexicon: {key} missing or empty")
        bad = [s for s in (lexicon.get("residence_status") or {}) if s not in STATUSES]
        if bad:
            problems.append(f"lexicon: unknown statuses {bad}")
    return problems


def main(langs: list[str]) -> int:
    failed = 0
    for lang in langs:
        problems = check(lang)
        for p in problems:
            print(f"PROBLEM {lang}: {p}")
        print(f"{lang}: {'OK' if not problems else f'{len(problems)} problems'}")
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
