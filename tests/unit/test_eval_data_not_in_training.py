"""Evaluation sentences never leak into training data: the public sets in ../shared/eval-data,
the held-out files tests/nlu and the independent danger set tests/danger."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from bot.nlu_data import danger_sets, examples_in

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT.parent / "shared" / "eval-data"


def norm(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def eval_sentences() -> set[str]:
    found: set[str] = set()
    clinc = EVAL / "clinc150" / "data_full.json"
    if clinc.exists():
        for rows in json.loads(clinc.read_text(encoding="utf-8")).values():
            found.update(norm(text) for text, _ in rows)
    for path in (EVAL / "banking77").glob("*.csv"):
        with path.open(encoding="utf-8") as handle:
            found.update(norm(row[0]) for row in csv.reader(handle) if row)
    for path in (EVAL / "xsid-0.7").glob("*.tsv"):
        for line in path.read_text(encoding="utf-8").splitlines():
            found.update(norm(part) for part in line.split("\t") if len(part.split()) >= 3)
    for path in (EVAL / "snips-typos").glob("*/seq.in"):
        found.update(norm(line) for line in path.read_text(encoding="utf-8").splitlines())
    udhr = EVAL / "udhr-lid" / "udhr_lid.tsv"
    if udhr.exists():
        for line in udhr.read_text(encoding="utf-8").splitlines():
            found.update(norm(part) for part in line.split("\t") if len(part.split()) >= 3)
    return {s for s in found if len(s.split()) >= 3}


def project_sentences() -> dict[str, str]:
    return {norm(e.text): f"{e.language}.yml: {e.text}" for e in examples_in(ROOT / "data" / "nlu")}


@pytest.mark.skipif(not EVAL.exists(), reason="../shared/eval-data is not beside the checkout")
def test_no_evaluation_sentence_is_in_the_training_data():
    held_out = eval_sentences()
    leaked = [where for text, where in project_sentences().items() if text in held_out]
    assert leaked == []


def own_held_out_sentences() -> list[tuple[str, str]]:
    """(normalised, where) of tests/nlu (held out) and tests/danger (the independent danger set)."""
    found = [
        (norm(e.text), f"tests/nlu/{e.language}.yml: {e.text}")
        for e in examples_in(ROOT / "tests" / "nlu")
    ]
    for lang, sets in danger_sets(ROOT / "tests" / "danger").items():
        for kind, texts in sets.items():
            found += [(norm(t), f"tests/danger/{lang}.yml {kind}: {t}") for t in texts]
    return found


def test_no_held_out_sentence_of_the_project_is_in_the_training_data():
    # Three words or more, as for the public sets: "bye" or "no no" is everyone's sentence.
    training = project_sentences()
    leaked = [
        where
        for text, where in own_held_out_sentences()
        if text in training and len(text.split()) >= 3
    ]
    assert leaked == []
