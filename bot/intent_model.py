"""The intent model: word and character n-grams, a linear classifier with probabilities. Pure.

Chosen on the held-out files (tests/nlu, 16 languages, about 23k training messages, 2 cores),
see docs/evaluation.md: TF-IDF word 1-2-grams plus char 1-5-grams (within word boundaries) carry
typos, missing accents, transliteration and scripts without spaces; logistic loss trained by SGD
fits in seconds and gives the probabilities the fallback threshold needs. Languages people also type
in Latin letters add char n-grams of a Latin skeleton (bot/romanise.py). Rasa's DIET needed about
23 s per epoch on the same data (about 24 minutes for 60 epochs); a linear SVM scored 1-2 points
higher but has no probabilities, and its calibrated version rejected out-of-domain messages worse.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.romanise import Romanisation, skeletons

# Words are runs of anything but spaces and common punctuation of the supported scripts.
TOKEN = r"[^\s.,!?;:\"()\[\]¿¡،؛؟።፣፧]+"


@dataclass(frozen=True)
class IntentModelConfig:
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (1, 5)
    char_min_df: int = 2
    alpha: float = 3e-6
    epochs: int = 50
    seed: int = 0
    jobs: int = -1  # one binary problem per label: they train in parallel threads


class IntentModel:
    def __init__(
        self,
        config: IntentModelConfig | None = None,
        romanisations: dict[str, Romanisation] | None = None,
    ) -> None:
        self.config = config or IntentModelConfig()
        # Kept in the model: prediction must spell skeletons as training did.
        self.romanisations = dict(romanisations or {})
        self._words = None
        self._chars = None
        self._skeleton_chars = None
        self._classifier = None
        self.labels: list[str] = []

    def fit(
        self, texts: list[str], labels: list[str], languages: list[str | None] | None = None
    ) -> IntentModel:
        import numpy as np
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import SGDClassifier

        c = self.config
        self._words = TfidfVectorizer(
            token_pattern=TOKEN, ngram_range=c.word_ngrams, sublinear_tf=True
        )
        self._chars = self._char_vectorizer()
        has_table = any(language in self.romanisations for language in languages or [])
        self._skeleton_chars = self._char_vectorizer() if has_table else None
        features = self._features(texts, languages, fit=True)
        self._classifier = SGDClassifier(
            loss="log_loss",
            alpha=c.alpha,
            max_iter=c.epochs,
            tol=None,
            random_state=c.seed,
            n_jobs=c.jobs,
        )
        self._classifier.fit(features, labels)
        # Single precision halves the weights in memory and in the model file (25 labels x 264k
        # features, and the same again for the per-language models); probabilities move by 1e-7.
        self._classifier.coef_ = self._classifier.coef_.astype(np.float32)
        self.labels = [str(label) for label in self._classifier.classes_]
        return self

    def rank(
        self, texts: list[str], languages: list[str | None] | None = None
    ) -> list[list[tuple[str, float]]]:
        """For each text, (label, probability) from the most to the least likely."""
        if self._classifier is None or not texts:
            return [[] for _ in texts]
        ranked = []
        for row in self._probabilities(self._features(texts, languages)):
            pairs = sorted(
                zip(self.labels, (float(p) for p in row), strict=True), key=lambda p: -p[1]
            )
            ranked.append(pairs)
        return ranked

    def _skeletons(self, texts: list[str], languages: list[str | None] | None) -> list[str]:
        return skeletons(texts, list(languages or [None] * len(texts)), self.romanisations)

    def _char_vectorizer(self) -> Any:
        from sklearn.feature_extraction.text import TfidfVectorizer

        c = self.config
        return TfidfVectorizer(
            analyzer="char_wb", ngram_range=c.char_ngrams, min_df=c.char_min_df, sublinear_tf=True
        )

    def _features(
        self, texts: list[str], languages: list[str | None] | None, fit: bool = False
    ) -> Any:
        """Word and char n-grams of the text, and char n-grams of its Latin skeleton; `fit` learns
        the vocabularies from these texts first (one pass over them, as fit_transform does)."""
        from scipy import sparse

        views = [(self._words, texts), (self._chars, texts)]
        if self._skeleton_chars is not None:
            views.append((self._skeleton_chars, self._skeletons(texts, languages)))
        return sparse.hstack(
            [vector.fit_transform(t) if fit else vector.transform(t) for vector, t in views]
        ).tocsr()

    def _probabilities(self, features: Any) -> Any:
        """sklearn's predict_proba for this one-vs-rest logistic model, 9 times faster.

        sklearn multiplies by `coef_.T`, a strided view that scipy copies (25 labels x 264k
        features) on every call: 16 of the 18 ms a message took. The transposed weights are
        made contiguous once; the result is the same (tests/unit/test_intent_model.py).
        """
        import numpy as np
        from scipy.special import expit

        weights = self.__dict__.get("_weights_t")
        if weights is None:
            weights = np.ascontiguousarray(self._classifier.coef_.T)
            self.__dict__["_weights_t"] = weights
        scores = features @ weights + self._classifier.intercept_
        probabilities = expit(np.asarray(scores))
        if probabilities.shape[1] == 1:  # two labels: sklearn returns both columns
            return np.hstack([1 - probabilities, probabilities])
        return probabilities / probabilities.sum(axis=1, keepdims=True)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_weights_t", None)  # derived at load; keeps the model file small
        return state

    def save(self, path: Path) -> None:
        path.write_bytes(pickle.dumps(self))

    @classmethod
    def load(cls, path: Path) -> IntentModel:
        # The file is written by our own training run inside the model archive, never uploaded.
        model = pickle.loads(path.read_bytes())
        if not isinstance(model, cls):
            raise TypeError(f"{path} does not hold an {cls.__name__}")
        return model


class BlendedIntentModel(IntentModel):
    """One model for all languages, blended with a model of the message's own language.

    The shared model learns from every language (names of places, Fedasil, IOM, code-mixing); a
    model per language sees only that language's examples, so labels that share words with other
    labels in other languages stop pulling on each other. The probability of a label is
    (1 - language_weight) x shared + language_weight x own language. Measured on the held-out
    files with the detected language (docs/evaluation.md): about half a point of accuracy more
    at the same out-of-domain false accepts, and more languages at 0.90 macro-F1. A message with
    no language, or a language with too few training examples, gets the shared model alone.
    """

    def __init__(
        self,
        config: IntentModelConfig | None = None,
        language_weight: float = 0.3,
        min_examples: int = 200,
        romanisations: dict[str, Romanisation] | None = None,
    ) -> None:
        super().__init__(config, romanisations)
        self.language_weight = language_weight
        self.min_examples = min_examples
        self.by_language: dict[str, IntentModel] = {}

    def fit(
        self, texts: list[str], labels: list[str], languages: list[str | None] | None = None
    ) -> BlendedIntentModel:
        super().fit(texts, labels, languages)
        groups: dict[str, list[int]] = {}
        for i, language in enumerate(languages or []):
            if language:
                groups.setdefault(language, []).append(i)
        self.by_language = {
            language: IntentModel(self.config, self.romanisations).fit(
                [texts[i] for i in rows], [labels[i] for i in rows], [language] * len(rows)
            )
            for language, rows in sorted(groups.items())
            if len(rows) >= self.min_examples and len({labels[i] for i in rows}) > 1
        }
        return self

    def rank(
        self, texts: list[str], languages: list[str | None] | None = None
    ) -> list[list[tuple[str, float]]]:
        shared = super().rank(texts, languages)
        if not languages or not self.language_weight:
            return shared
        groups: dict[str, list[int]] = {}
        for i, language in enumerate(languages):
            if language in self.by_language:
                groups.setdefault(language, []).append(i)
        w = self.language_weight
        for language, rows in groups.items():
            own = self.by_language[language].rank([texts[i] for i in rows], [language] * len(rows))
            for i, ranking in zip(rows, own, strict=True):
                theirs = dict(ranking)  # a label the language never saw counts as 0
                blended = [
                    (label, (1 - w) * p + w * theirs.get(label, 0.0)) for label, p in shared[i]
                ]
                shared[i] = sorted(blended, key=lambda pair: -pair[1])
        return shared
