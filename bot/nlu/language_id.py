"""Rasa NLU component: adds `language` ({code, confidence, method}) to every parsed message.

The parse result carries it to /model/parse and to the tracker, where the action that maps the
`language` slot decides whether to switch (bot.language.choose_language).
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from bot.language import LanguageIdentifier
from bot.nlu.base import UntrainedComponent

LANGUAGE_KEY = "language"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class LanguageIdentification(UntrainedComponent):
    def __init__(self) -> None:
        self.identifier = LanguageIdentifier()
        self.identifier.preload()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = self.typed_text(message)
            if not text:
                continue
            found = self.identifier.detect(text)
            message.set(
                LANGUAGE_KEY,
                {
                    "code": found.code,
                    "confidence": round(found.confidence, 3),
                    "method": found.method,
                },
                add_to_output=True,
            )
        return messages
