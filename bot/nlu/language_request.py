"""Rasa NLU component: a request to switch to a named language is `change_language` even when the
classifier hesitates between it and another label (bot.lexicon.reads_as_language_request).

It runs after the FallbackClassifier and before the danger net: a person who asks for their
language must not be told to rephrase in a language they asked to leave.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from bot.language import load_languages
from bot.lexicon import CHANGE_LANGUAGE, reads_as_language_request
from bot.nlu.base import UntrainedComponent


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class LanguageRequest(UntrainedComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        supported = set(load_languages())
        for message in messages:
            text = self.typed_text(message)
            ranking = [
                (r["name"], float(r.get("confidence") or 0.0))
                for r in message.get("intent_ranking") or []
            ]
            if text and reads_as_language_request(text, ranking, supported):
                self.force_intent(message, CHANGE_LANGUAGE)
        return messages
