"""Fingerprint of everything that changes the trained model (content, not timestamps)."""

from __future__ import annotations

import hashlib
from pathlib import Path

# Response texts, lexicons, knowledge and the code of the untrained NLU components are read when
# the model is loaded, not stored in it, so changing them needs no retraining. The intent model's
# code is an input: what it learns is stored in the model.
INTENT_MODEL_CODE = ("bot/intent_model.py", "bot/nlu/intent_classifier.py", "bot/romanise.py")
# What the intent model reads at training besides Rasa's training data and config, which Rasa
# fingerprints itself: its code and the romanisation tables it keeps.
INTENT_MODEL_INPUTS = (*INTENT_MODEL_CODE, "data/romanisation")
TRAINING_INPUTS = (
    "config.yml",
    "domain.yml",
    "data/nlu",
    "data/rules.yml",
    "data/stories.yml",
    *INTENT_MODEL_INPUTS,
)


def training_files(root: Path, names: tuple[str, ...] = TRAINING_INPUTS) -> list[Path]:
    files: list[Path] = []
    for name in names:
        path = root / name
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in (".yml", ".py"))
            )
        elif path.is_file():
            files.append(path)
    return files


def fingerprint(root: Path, names: tuple[str, ...] = TRAINING_INPUTS) -> str:
    digest = hashlib.sha256()
    for path in training_files(root, names):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
