"""Rasa NLU component, last in the pipeline: danger wins over hesitation and over other labels.

It runs after the FallbackClassifier, so neither a low confidence nor another label can keep a
person in danger from the emergency numbers and an urgent counsellor:
- a danger phrase of data/lexicon, or a message that is only a cry for help, makes the label
  urgent_help;
- so does the classifier ranking urgent_help first with at least `urgent_floor`, even when the
  fallback rejected the message as unsure or too close to the second label;
- and urgent_help at `urgent_over_any` or more, even when another label won.
Missing a person in danger is worse than a false alarm (docs/evaluation.md has the measured
trade-off).
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message

from bot.danger import default_detector, likely
from bot.nlu.base import UntrainedComponent

URGENT = "urgent_help"
FALLBACK = "nlu_fallback"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DangerOverride(UntrainedComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"urgent_floor": 0.25, "urgent_over_any": 0.35}

    def __init__(self, urgent_floor: float = 0.25, urgent_over_any: float = 0.35) -> None:
        self.detector = default_detector()
        self.urgent_floor = urgent_floor
        self.urgent_over_any = urgent_over_any

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> DangerOverride:
        defaults = cls.get_default_config()
        return cls(
            float(config.get("urgent_floor", defaults["urgent_floor"])),
            float(config.get("urgent_over_any", defaults["urgent_over_any"])),
        )

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = self.typed_text(message)
            intent = message.get("intent") or {}
            if not text or intent.get("name") == URGENT:
                continue
            if self.detector.find(text):
                self.force_intent(message, URGENT)
                continue
            ranking = [
                (r["name"], float(r["confidence"]))
                for r in message.get("intent_ranking") or []
                if r["name"] != FALLBACK
            ]
            if likely(ranking, URGENT, self.urgent_floor, self.urgent_over_any):
                self.restore_intent(message, URGENT)
        return messages
