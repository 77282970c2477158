"""Misunderstandings: ask to rephrase once; from the second in a row, offer a counsellor."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

MISUNDERSTOOD = "nlu_fallback"


def misunderstandings_in_a_row(events: list[dict[str, Any]]) -> int:
    """How many of the latest user messages, counting back, were not understood."""
    count = 0
    for event in reversed(events):
        if event.get("event") != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent != MISUNDERSTOOD:
            break
        count += 1
    return count


class ActionFallback(Action):
    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if misunderstandings_in_a_row(tracker.events) <= 1:
            dispatcher.utter_message(response="utter_default")
            return [SlotSet("misunderstood", "once")]
        # A rule follows with utter_offer_human, whose yes/no the handoff rules already handle.
        dispatcher.utter_message(response="utter_default_still")
        return [SlotSet("misunderstood", "again")]
