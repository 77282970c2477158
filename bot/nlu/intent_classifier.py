"""Rasa intent classifier around bot.intent_model (word + char n-grams, linear, probabilities).

Why not DIET or Rasa's featurizers: see bot/intent_model.py and docs/evaluation.md. The component
reads the message text itself, so the pipeline needs no Rasa featurizer, which also cuts training
time; it saves under a fixed file name inside the model archive.

The language of a training example is the file it stands in (data/nlu/<lang>.yml): Rasa's
training data does not keep it, so it is looked up by text. At prediction the language is the one
LanguageIdentification, earlier in the pipeline, detected for the message. The romanisation
tables (data/romanisation) are read at training and kept in the model.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.fingerprint import INTENT_MODEL_INPUTS, fingerprint
from bot.intent_model import BlendedIntentModel, IntentModelConfig
from bot.nlu.language_id import LANGUAGE_KEY
from bot.nlu_data import examples_in
from bot.paths import NLU_DIR, ROMANISATION_DIR, ROOT
from bot.romanise import load_romanisations

FILE_NAME = "intent_model.pkl"
RANKING_LENGTH = 10


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class NgramIntentClassifier(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        defaults = IntentModelConfig()
        return {
            "word_ngrams": list(defaults.word_ngrams),
            "char_ngrams": list(defaults.char_ngrams),
            "char_min_df": defaults.char_min_df,
            "alpha": defaults.alpha,
            "epochs": defaults.epochs,
            "language_weight": 0.3,
            "min_examples": 200,
        }

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """The code and romanisation tables that train the model: Rasa's cache must not reuse a
        model older ones made (it fingerprints the training data and config, not these)."""
        return fingerprint(ROOT, INTENT_MODEL_INPUTS)

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: BlendedIntentModel | None = None,
    ) -> None:
        self._config = config
        self._storage = model_storage
        self._resource = resource
        self.model = model or BlendedIntentModel(
            IntentModelConfig(
                word_ngrams=tuple(config["word_ngrams"]),
                char_ngrams=tuple(config["char_ngrams"]),
                char_min_df=int(config["char_min_df"]),
                alpha=float(config["alpha"]),
                epochs=int(config["epochs"]),
            ),
            language_weight=float(config["language_weight"]),
            min_examples=int(config["min_examples"]),
            romanisations=load_romanisations(ROMANISATION_DIR),
        )

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> NgramIntentClassifier:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get("text")]
        language_of = {e.text: e.language for e in examples_in(NLU_DIR)} if NLU_DIR.is_dir() else {}
        texts = [e.get("text") for e in examples]
        self.model.fit(
            texts, [e.get("intent") for e in examples], [language_of.get(t) for t in texts]
        )
        with self._storage.write_to(self._resource) as directory:
            self.model.save(directory / FILE_NAME)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> NgramIntentClassifier:
        with model_storage.read_from(resource) as directory:
            model = BlendedIntentModel.load(directory / FILE_NAME)
        return cls(config, model_storage, resource, model)

    def process(self, messages: list[Message]) -> list[Message]:
        texts = [m.get("text") or "" for m in messages]
        languages = [(m.get(LANGUAGE_KEY) or {}).get("code") for m in messages]
        for message, ranking in zip(messages, self.model.rank(texts, languages), strict=True):
            if not ranking:
                continue
            top = [{"name": name, "confidence": p} for name, p in ranking[:RANKING_LENGTH]]
            message.set("intent", top[0], add_to_output=True)
            message.set("intent_ranking", top, add_to_output=True)
        return messages
