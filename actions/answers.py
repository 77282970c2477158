"""Actions that answer questions from the response files (texts that state only sourced facts)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot.knowledge import knowledge

# Questions whose answer continues with the country file's `answer` (its reintegration support);
# a country file can name more answers by question in `answers_by_question`.
COUNTRY_SPECIFIC = {"ask_reintegration", "ask_eligibility"}


def answer_name(intent: str | None) -> str | None:
    if intent == "ask_eligibility":
        return "utter_eligibility_overview"
    return f"utter_answer_{intent}" if intent else None


class ActionAnswerQuestion(Action):
    """Answers an ask_* question with `utter_answer_<label>` when a checked answer exists.

    Without one, it says so (a rule then offers a counsellor): the bot never improvises a fact.
    """

    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = (tracker.latest_message or {}).get("intent", {}).get("name")
        response = answer_name(intent)
        known = domain.get("responses") or {}
        if response in known:
            dispatcher.utter_message(response=response)
        else:
            dispatcher.utter_message(response="utter_no_checked_answer")
        country_answer = country_response(tracker, intent)
        if country_answer in known:
            dispatcher.utter_message(response=country_answer)
        return []


def country_response(tracker: Tracker, intent: str | None) -> str | None:
    """What the knowledge says on the person's country (named now, or earlier) for this question."""
    code = next(tracker.get_latest_entity_values("country"), None) or tracker.get_slot(
        "country_of_return"
    )
    entry = knowledge().country(code)
    if entry is None:
        return None
    if intent in entry.answers_by_question:
        return entry.answers_by_question[intent]
    return entry.answer if intent in COUNTRY_SPECIFIC else None


class ActionAnswerEligibility(Action):
    """Explains who may use the programme, and that the programme, not the bot, decides."""

    def name(self) -> str:
        return "action_answer_eligibility"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_eligibility_overview")
        answer = country_response(tracker, "ask_eligibility")
        if answer in (domain.get("responses") or {}):
            dispatcher.utter_message(response=answer)
        return []
