"""Rasa NLU component, last in the pipeline: a danger phrase makes the label urgent_help.

It runs after the FallbackClassifier, so neither a low confidence nor another label can keep a
person in danger from the emergency numbers and an urgent counsellor.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from bot.danger import default_detector
from bot.nlu.base import UntrainedComponent

URGENT = "urgent_help"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DangerOverride(UntrainedComponent):
    def __init__(self) -> None:
        self.detector = default_detector()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = self.typed_text(message)
            if not text or not self.detector.find(text):
                continue
            intent = message.get("intent") or {}
            if intent.get("name") == URGENT:
                continue
            self.force_intent(message, URGENT)
        return messages
