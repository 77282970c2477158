"""The model is retrained when training inputs change, and only then."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.fingerprint import fingerprint

ROOT = Path(__file__).resolve().parents[2]


def copy_project(tmp_path: Path) -> Path:
    for name in ("config.yml", "domain.yml", "data", "bot"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(src, tmp_path / name)
    return tmp_path


def _edit(root: Path, name: str) -> None:
    path = root / name
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")


# Training inputs: the intent model's code (what it learns is stored in the model), the training
# data, and the romanisation tables (read at training and kept in the model, bot/romanise.py).
@pytest.mark.parametrize(
    "name", ["bot/intent_model.py", "data/nlu/en.yml", "data/romanisation/mn.yml"]
)
def test_a_training_input_change_changes_the_fingerprint(tmp_path, name):
    root = copy_project(tmp_path)
    before = fingerprint(root)
    _edit(root, name)
    assert fingerprint(root) != before


# Read when the model is loaded, not stored in it: no retraining.
@pytest.mark.parametrize("name", ["bot/danger.py", "data/responses/en.yml", "data/lexicon/en.yml"])
def test_a_change_outside_the_training_inputs_keeps_the_fingerprint(tmp_path, name):
    root = copy_project(tmp_path)
    before = fingerprint(root)
    _edit(root, name)
    assert fingerprint(root) == before


def test_touching_a_file_without_changing_it_keeps_the_fingerprint(tmp_path):
    root = copy_project(tmp_path)
    before = fingerprint(root)
    (root / "config.yml").touch()
    assert fingerprint(root) == before


def test_a_romanisation_table_change_changes_rasas_cache_key(tmp_path, monkeypatch):
    # Rasa fingerprints training data and config, not files a component reads: without the
    # tables in its key, Rasa restored the classifier from its cache after a table changed.
    from bot.nlu import intent_classifier

    root = copy_project(tmp_path)
    monkeypatch.setattr(intent_classifier, "ROOT", root)
    config = intent_classifier.NgramIntentClassifier.get_default_config()
    before = intent_classifier.NgramIntentClassifier.fingerprint_addon(config)
    assert intent_classifier.NgramIntentClassifier.fingerprint_addon(config) == before
    with (root / "data" / "romanisation" / "ka.yml").open("a", encoding="utf-8") as handle:
        handle.write("  - [sh, s]\n")
    assert intent_classifier.NgramIntentClassifier.fingerprint_addon(config) != before
