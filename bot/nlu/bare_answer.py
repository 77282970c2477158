"""Rasa NLU component: a message that is only a country or a residence status is `inform`.

It runs after the FallbackClassifier (and before the danger net): "Mongolia" typed as an answer
is understood even when the classifier has never seen that country's name in that language.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from bot.entities import is_bare_answer
from bot.nlu.base import UntrainedComponent

INFORM = "inform"
ANSWER_ENTITIES = ("country", "residence_status")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class BareAnswer(UntrainedComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = self.typed_text(message)
            spans = [
                (int(e["start"]), int(e["end"]))
                for e in message.get("entities") or []
                if e.get("entity") in ANSWER_ENTITIES and "start" in e
            ]
            if not text or not is_bare_answer(text, spans):
                continue
            self.force_intent(message, INFORM)
        return messages
