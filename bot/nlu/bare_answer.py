"""Rasa NLU component: a message that is only a country or a residence status is `inform`.

It runs after the FallbackClassifier (and before the danger net): "Mongolia" typed as an answer
is understood even when the classifier has never seen that country's name in that language.
A status followed by a short question ("visa expired, am I entitled?") stays the question the
classifier found, when it found one with confidence.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from bot.entities import is_bare_answer
from bot.nlu.base import UntrainedComponent

INFORM = "inform"
ANSWER_ENTITIES = ("country", "residence_status")
QUESTION_MARKS = ("?", "\u061f", "\u1367")  # Latin, Arabic-script and Ethiopic question marks
QUESTION_FLOOR = 0.5


def asks_a_question(message: Message, text: str) -> bool:
    """A question mark, and the classifier confident of a label other than an answer."""
    intent = message.get("intent") or {}
    return (
        any(mark in text for mark in QUESTION_MARKS)
        and intent.get("name") not in (None, INFORM, "nlu_fallback")
        and float(intent.get("confidence") or 0.0) >= QUESTION_FLOOR
    )


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
            if not text or not is_bare_answer(text, spans) or asks_a_question(message, text):
                continue
            self.force_intent(message, INFORM)
        return messages
