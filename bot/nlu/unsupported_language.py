"""Rasa NLU component: a message in a language the assistant does not serve is `change_language`.

The language-change action then says, in English, French and Dutch, that it does not speak that
language yet, lets the person pick one of those three, and offers a counsellor (spec/topics.md):
never a silent answer in a wrong language.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.base import UntrainedComponent

CHANGE_LANGUAGE = "change_language"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class UnsupportedLanguage(UntrainedComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if (message.get("language") or {}).get("method") != "unsupported":
                continue
            self.force_intent(message, CHANGE_LANGUAGE)
        return messages
