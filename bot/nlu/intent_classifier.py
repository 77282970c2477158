"""Rasa's logistic-regression intent classifier, saved under a fixed file name.

Rasa 3.6 names the saved file after the graph node (`train_LogisticRegressionClassifier5.skops`).
When training restores the classifier from Rasa's cache after the pipeline gained a component,
the node index differs and the model fails to load. A fixed name avoids that, and a model that
cannot be read raises instead of silently serving an untrained classifier.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.nlu.featurizers.featurizer import Featurizer

FILE_NAME = "intent_classifier.skops"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class IntentLogisticRegression(LogisticRegressionClassifier):
    @classmethod
    def required_components(cls) -> list[type]:
        return [Featurizer]

    def persist(self) -> None:
        import skops.io as sio

        with self._model_storage.write_to(self._resource) as model_dir:
            sio.dump(self.clf, model_dir / FILE_NAME)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> IntentLogisticRegression:
        import skops.io as sio

        with model_storage.read_from(resource) as model_dir:
            path = model_dir / FILE_NAME
            untrusted = sio.get_untrusted_types(file=path)
            # Only scikit-learn and numpy types are expected in the file.
            unexpected = [t for t in untrusted if not t.startswith(("sklearn.", "numpy."))]
            if unexpected:
                raise ValueError(f"unexpected types in {path.name}: {unexpected}")
            component = cls(config, execution_context.node_name, model_storage, resource)
            component.clf = sio.load(path, trusted=untrusted)
            return component
