"""Rasa NLU component: `country` and `residence_status` entities from the lexicons."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from bot.entities import default_matcher
from bot.nlu.base import UntrainedComponent


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class LexiconEntityExtractor(UntrainedComponent):
    def __init__(self) -> None:
        self.matcher = default_matcher()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = self.typed_text(message)
            if not text:
                continue
            found = [
                {
                    "entity": f.entity,
                    "value": f.value,
                    "start": f.start,
                    "end": f.end,
                    "confidence_entity": 1.0,
                    "extractor": self.__class__.__name__,
                }
                for f in self.matcher.find(text)
            ]
            message.set("entities", [*message.get("entities", []), *found], add_to_output=True)
        return messages
