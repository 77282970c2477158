"""Actions that keep the conversation in the person's language."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.language import language_after_message, load_languages
from bot.lexicon import requested_language


class ActionDetectLanguage(Action):
    """Fills the `language` slot after each message (custom slot mapping in domain.yml)."""

    def name(self) -> str:
        return "action_detect_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        current = tracker.get_slot("language")
        chosen = language_after_message(
            tracker.latest_message or {}, current, bool(tracker.get_slot("language_locked"))
        )
        return [] if chosen == current else [SlotSet("language", chosen)]


class ActionChangeLanguage(Action):
    """An explicit request ("can we speak Arabic?", a button) switches and locks the language."""

    def name(self) -> str:
        return "action_change_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        supported = set(load_languages())
        target = next(tracker.get_latest_entity_values("requested_language"), None)
        if target not in supported:
            target = requested_language((tracker.latest_message or {}).get("text") or "", supported)
        found = (tracker.latest_message or {}).get("language") or {}
        if target is None and found.get("method") == "unsupported":
            # Said in English, French and Dutch: the person picks one, or asks for a person.
            dispatcher.utter_message(response="utter_language_not_supported")
            return []
        if target is None:
            buttons = [
                {
                    "title": info.name,
                    "payload": f'/change_language{{"requested_language": "{code}"}}',
                }
                for code, info in load_languages().items()
            ]
            dispatcher.utter_message(response="utter_choose_language", buttons=buttons)
            return []
        # Rasa renders an action's messages before applying its events: the NLG is told the
        # new language, so the confirmation already comes out in it.
        dispatcher.utter_message(response="utter_language_changed", language=target)
        return [SlotSet("language", target), SlotSet("language_locked", True)]
