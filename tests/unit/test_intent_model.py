"""The intent model's fast probabilities equal sklearn's own, and survive saving."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from bot.intent_model import IntentModel, IntentModelConfig

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
