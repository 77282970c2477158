"""Base of the project's NLU components that learn nothing from the training data."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


class UntrainedComponent(GraphComponent):
    """Built from nothing but its class (rules, lexicons, a shipped model): no state to persist."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UntrainedComponent:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    @staticmethod
    def typed_text(message: Message) -> str:
        """The person's words, or "" for an empty message or a button payload ("/affirm")."""
        text = message.get("text") or ""
        return "" if text.startswith("/") else text

    @staticmethod
    def force_intent(message: Message, name: str) -> None:
        """Make `name` the label with full confidence, first in the ranking (rule overrides)."""
        ranking = [r for r in message.get("intent_ranking") or [] if r["name"] != name]
        message.set("intent", {"name": name, "confidence": 1.0}, add_to_output=True)
        message.set(
            "intent_ranking", [{"name": name, "confidence": 1.0}, *ranking], add_to_output=True
        )

    @staticmethod
    def restore_intent(message: Message, name: str) -> None:
        """Make the classifier's own `name` the label, with its confidence, first in the ranking."""
        ranking = [r for r in message.get("intent_ranking") or [] if r["name"] != "nlu_fallback"]
        chosen = next(r for r in ranking if r["name"] == name)
        rest = [r for r in ranking if r["name"] != name]
        message.set("intent", dict(chosen), add_to_output=True)
        message.set("intent_ranking", [chosen, *rest], add_to_output=True)
