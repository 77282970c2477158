"""The eligibility check: a Rasa form that asks, and an action that explains the result.

The questions and their order are the form's required slots (domain.yml); every question can be
skipped, and "stop" ends the check. The decision is bot.eligibility.assess, pure and tested apart.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.eligibility import Answers, assess
from bot.form_replies import place_of_residence, reply_kinds
from bot.knowledge import knowledge

SKIPPED = "skipped"
YES_NO_SLOTS = ("earlier_help", "family", "medical", "minor_alone")
FORM_SLOTS = ("lives_in", "country_answer", "status_answer", *YES_NO_SLOTS)
MAX_RETRIES = 2
# Form questions whose answer is also a slot of the spec (country_of_return, residence_status).
SPEC_SLOTS = {"country_answer": "country_of_return", "status_answer": "residence_status"}
INTERRUPTIONS = {"urgent_help", "request_human", "change_language"}
# Replies that are meant as an answer even when no value can be read from them.
ANSWER_LIKE = {"inform", "affirm", "deny", "nlu_fallback", "out_of_scope", "greet", "thank"}


def _message(tracker: Tracker) -> tuple[str, str, list[dict[str, Any]]]:
    message = tracker.latest_message or {}
    return (
        (message.get("intent") or {}).get("name") or "",
        message.get("text") or "",
        message.get("entities") or [],
    )


def _entity(entities: list[dict[str, Any]], name: str) -> str | None:
    values = [str(e.get("value")) for e in entities if e.get("entity") == name and e.get("value")]
    return values[0] if values else None


class ValidateEligibilityForm(FormValidationAction):
    """Reads each answer; a skip fills the question with "skipped", a stop fills them all."""

    def name(self) -> str:
        return "validate_eligibility_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        requested = tracker.get_slot("requested_slot")
        events = await super().run(dispatcher, tracker, domain)
        # rasa_sdk keeps only the form's own slots; what else an answer means is added here.
        filled = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
        extra: list[EventType] = []
        intent, text, _ = _message(tracker)
        if requested and intent not in INTERRUPTIONS and "stop" in reply_kinds(text):
            extra.append(SlotSet("eligibility_stopped", True))
        for form_slot, spec_slot in SPEC_SLOTS.items():
            if filled.get(form_slot) not in (None, SKIPPED):
                extra.append(SlotSet(spec_slot, filled[form_slot]))
        retries = int(tracker.get_slot("form_retries") or 0)
        if requested and requested not in filled and intent in ANSWER_LIKE:
            # Meant as an answer, but unreadable: explain and ask again, and after two tries move
            # on as if skipped. (Setting a slot keeps the form from being rejected, which would
            # hand the turn to the rules.)
            if retries >= MAX_RETRIES:
                extra += [SlotSet(requested, SKIPPED), SlotSet("form_retries", 0)]
            else:
                dispatcher.utter_message(response="utter_form_not_understood")
                extra.append(SlotSet("form_retries", retries + 1))
        elif retries and requested in filled:
            extra.append(SlotSet("form_retries", 0))
        return events + extra

    async def extract_lives_in(self, dispatcher, tracker: Tracker, domain: DomainDict):
        return self._extract("lives_in", tracker)

    async def extract_country_answer(self, dispatcher, tracker: Tracker, domain: DomainDict):
        return self._extract("country_answer", tracker)

    async def extract_status_answer(self, dispatcher, tracker: Tracker, domain: DomainDict):
        return self._extract("status_answer", tracker)

    async def extract_earlier_help(self, dispatcher, tracker: Tracker, domain: DomainDict):
        return self._extract("earlier_help", tracker)

    async def extract_family(self, dispatcher, tracker: Tracker, domain: DomainDict):
        return self._extract("family", tracker)

    async def extract_medical(self, dispatcher, tracker: Tracker, domain: DomainDict):
        return self._extract("medical", tracker)

    async def extract_minor_alone(self, dispatcher, tracker: Tracker, domain: DomainDict):
        return self._extract("minor_alone", tracker)

    def _extract(self, slot: str, tracker: Tracker) -> dict[str, Any]:
        # What the conversation already knows is not asked again.
        spec = SPEC_SLOTS.get(slot)
        if spec and tracker.get_slot(spec) and not tracker.get_slot(slot):
            return {slot: tracker.get_slot(spec)}
        if tracker.get_slot("requested_slot") != slot:
            return {}
        intent, text, entities = _message(tracker)
        if intent in INTERRUPTIONS:
            return {}  # danger, a person or a language first: the rules take over from the form
        kinds = reply_kinds(text)
        if "stop" in kinds or intent == "stop":
            # Every remaining question is filled so the form ends; the result action sees the stop.
            return {s: SKIPPED for s in FORM_SLOTS if not tracker.get_slot(s)}
        if intent == "skip" or "skip" in kinds:
            return {slot: SKIPPED}
        if slot == "lives_in":
            value = _entity(entities, "lives_in") or place_of_residence(text)
            if value:
                return {slot: value}
        elif slot == "country_answer":
            value = _entity(entities, "country")
            if value:
                return {slot: value}
        elif slot == "status_answer":
            value = _entity(entities, "residence_status")
            if value:
                return {slot: value}
        elif intent == "affirm":
            return {slot: "yes"}
        elif intent == "deny":
            return {slot: "no"}
        # Unreadable (see run) or another request (a question, danger...): the rules answer it.
        return {}


def _yes_no(value: Any) -> bool | None:
    return {"yes": True, "no": False}.get(str(value)) if value else None


def answers_from(tracker: Tracker) -> Answers:
    def known(name: str) -> str | None:
        value = tracker.get_slot(name)
        return None if value in (None, SKIPPED) else str(value)

    return Answers(
        lives_in=known("lives_in"),
        country=known("country_answer") or known("country_of_return"),
        status=known("status_answer") or known("residence_status"),
        earlier_help=_yes_no(tracker.get_slot("earlier_help")),
        family=_yes_no(tracker.get_slot("family")),
        medical=_yes_no(tracker.get_slot("medical")),
        minor_alone=_yes_no(tracker.get_slot("minor_alone")),
    )


def support_responses(support: tuple[str, ...], country: str | None) -> list[str]:
    """Response names for what may follow: premium, then help after arrival for that country."""
    names = []
    entry = knowledge().country(country)
    for key in support:
        if key.startswith("reintegration_") and entry is not None and entry.answer:
            names.append(entry.answer)
        elif key == "reintegration_eu_excluded":
            names.append("utter_reintegration_eu_excluded")
        else:
            names.append(f"utter_support_{key}")
    return names


class ActionEligibilityResult(Action):
    """Says the result, why, what support may follow, and that the programme decides."""

    def name(self) -> str:
        return "action_eligibility_result"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        cleared = [SlotSet(s, None) for s in (*FORM_SLOTS, "eligibility_stopped")]
        if tracker.get_slot("eligibility_stopped"):
            dispatcher.utter_message(response="utter_eligibility_stopped")
            return cleared
        answers = answers_from(tracker)
        result = assess(answers)
        known = set((domain.get("responses") or {}).keys())
        dispatcher.utter_message(response=f"utter_result_{result.result}")
        dispatcher.utter_message(response=f"utter_rule_{result.rule}")
        for name in support_responses(result.support, answers.country):
            dispatcher.utter_message(
                response=name if name in known else "utter_support_depends_on_country"
            )
        dispatcher.utter_message(response="utter_programme_decides")
        return [
            *cleared,
            SlotSet("eligibility_result", result.result),
            SlotSet("eligibility_rule", result.rule),
        ]
