"""The intent model's fast probabilities equal sklearn's own, and survive saving."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from bot.intent_model import BlendedIntentModel, IntentModel, IntentModelConfig

TEXTS = {
    "ask_costs": ["how much does it cost", "is the ticket free", "do I pay for the flight"],
    "ask_travel_documents": ["I lost my passport", "which papers do I need", "passport expired"],
    "greet": ["hello", "hi there", "good morning"],
}


def _fit(labels: list[str]) -> IntentModel:
    texts = [t for label in labels for t in TEXTS[label]]
    names = [label for label in labels for _ in TEXTS[label]]
    return IntentModel(IntentModelConfig(char_min_df=1, epochs=20)).fit(texts, names)


@pytest.mark.parametrize("labels", [list(TEXTS), ["ask_costs", "greet"]])
def test_probabilities_are_sklearns(labels: list[str], tmp_path) -> None:
    model = _fit(labels)
    probes = ["my passport is lost", "hello how much", "", "ticket price ok?"]
    features = sparse.hstack(
        [model._words.transform(probes), model._chars.transform(probes)]
    ).tocsr()
    expected = model._classifier.predict_proba(features)
    assert np.allclose(model._probabilities(features), expected, atol=1e-12)
    path = tmp_path / "model.pkl"
    model.save(path)
    loaded = IntentModel.load(path)
    assert loaded.rank(probes) == model.rank(probes)
    assert "_weights_t" not in vars(IntentModel.load(path))  # derived, not stored


def test_the_ranking_puts_the_right_label_first() -> None:
    ranked = _fit(list(TEXTS)).rank(["I lost my passport", "how much is the ticket"])
    assert [r[0][0] for r in ranked] == ["ask_travel_documents", "ask_costs"]
    assert all(abs(sum(p for _, p in r) - 1) < 1e-9 for r in ranked)


def _two_languages(weight: float) -> BlendedIntentModel:
    # "dag" closes a conversation in one language and opens one in the other: the shared model
    # cannot tell; the model of the message's own language can.
    data = [
        ("nl", "goodbye", "dag"),
        ("nl", "goodbye", "dag hoor"),
        ("nl", "goodbye", "tot ziens"),
        ("nl", "greet", "hallo"),
        ("nl", "greet", "goeiemorgen"),
        ("xx", "greet", "dag"),
        ("xx", "greet", "dag dag"),
        ("xx", "greet", "salut"),
        ("xx", "goodbye", "ciao"),
        ("xx", "goodbye", "adieu"),
    ]
    config = IntentModelConfig(char_min_df=1, epochs=30)
    model = BlendedIntentModel(config, language_weight=weight, min_examples=3)
    languages, labels, texts = zip(*data, strict=True)
    return model.fit(list(texts), list(labels), list(languages))


def test_the_message_language_decides_between_labels_the_languages_share() -> None:
    model = _two_languages(0.5)
    assert sorted(model.by_language) == ["nl", "xx"]
    assert model.rank(["dag"], ["nl"])[0][0][0] == "goodbye"
    assert model.rank(["dag"], ["xx"])[0][0][0] == "greet"
    shared = model.rank(["dag"])[0]
    for language in ("nl", "xx", "pt"):  # pt: no model of its own, the shared ranking
        ranking = model.rank(["dag"], [language])[0]
        assert abs(sum(p for _, p in ranking) - 1) < 1e-9
    assert model.rank(["dag"], ["pt"])[0] == shared


def test_a_blended_model_survives_saving(tmp_path) -> None:
    model = _two_languages(0.3)
    path = tmp_path / "model.pkl"
    model.save(path)
    loaded = BlendedIntentModel.load(path)
    probes = ["dag", "hallo", "ciao"]
    assert loaded.rank(probes, ["nl", "xx", None]) == model.rank(probes, ["nl", "xx", None])
