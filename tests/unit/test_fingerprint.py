"""The model is retrained when training inputs change, and only then."""

from __future__ import annotations

import shutil
from pathlib import Path

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


def test_a_change_in_the_intent_model_code_changes_the_fingerprint(tmp_path):
    # What the intent model learns is stored in the model: new code must retrain it.
    root = copy_project(tmp_path)
    before = fingerprint(root)
    with (root / "bot" / "intent_model.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# edited\n")
    assert fingerprint(root) != before


def test_a_change_in_other_code_keeps_the_fingerprint(tmp_path):
    root = copy_project(tmp_path)
    before = fingerprint(root)
    with (root / "bot" / "danger.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# edited\n")
    assert fingerprint(root) == before


def test_training_data_change_changes_the_fingerprint(tmp_path):
    root = copy_project(tmp_path)
    before = fingerprint(root)
    with (root / "data" / "nlu" / "en.yml").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert fingerprint(root) != before


def test_response_text_change_keeps_the_fingerprint(tmp_path):
    root = copy_project(tmp_path)
    before = fingerprint(root)
    path = root / "data" / "responses" / "en.yml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert fingerprint(root) == before


def test_touching_a_file_without_changing_it_keeps_the_fingerprint(tmp_path):
    root = copy_project(tmp_path)
    before = fingerprint(root)
    (root / "config.yml").touch()
    assert fingerprint(root) == before


def test_lexicon_change_keeps_the_fingerprint(tmp_path):
    root = copy_project(tmp_path)
    before = fingerprint(root)
    path = root / "data" / "lexicon" / "en.yml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert fingerprint(root) == before


def test_a_romanisation_table_change_changes_the_fingerprint(tmp_path):
    # The tables are read at training and kept in the model (bot/romanise.py).
    root = copy_project(tmp_path)
    before = fingerprint(root)
    with (root / "data" / "romanisation" / "mn.yml").open("a", encoding="utf-8") as handle:
        handle.write("  - [zh, j]\n")
    assert fingerprint(root) != before


def test_a_romanisation_table_change_changes_rasas_cache_key(tmp_path, monkeypatch):
    # Rasa fingerprints training data and config, not files a component reads: without the
    # tables in its key, Rasa restored the classifier from its cache after a table changed.
    from bot.nlu import intent_classifier

    tables = tmp_path / "romanisation"
    shutil.copytree(ROOT / "data" / "romanisation", tables)
    monkeypatch.setattr(intent_classifier, "ROMANISATION_DIR", tables)
    config = intent_classifier.NgramIntentClassifier.get_default_config()
    before = intent_classifier.NgramIntentClassifier.fingerprint_addon(config)
    assert intent_classifier.NgramIntentClassifier.fingerprint_addon(config) == before
    with (tables / "ka.yml").open("a", encoding="utf-8") as handle:
        handle.write("  - [sh, s]\n")
    assert intent_classifier.NgramIntentClassifier.fingerprint_addon(config) != before
