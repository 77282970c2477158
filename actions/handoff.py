"""Actions that hand the conversation to a human counsellor."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.handoff.service import CaseNotFound, get_case, open_case
from bot.handoff.settings import queue_timeout_minutes
from bot.language import default_language

logger = logging.getLogger(__name__)


def _open(tracker: Tracker, *, reason: str, urgent: bool) -> int:
    case = open_case(
        tracker.sender_id,
        channel=tracker.get_latest_input_channel() or "unknown",
        language=tracker.get_slot("language") or default_language(),
        reason=reason,
        urgent=urgent,
        # A partner site's widget names its organisation, so its counsellors find their cases.
        partner=str(((tracker.latest_message or {}).get("metadata") or {}).get("partner") or "")[
            :128
        ],
    )
    # Case ids only: conversation ids can be phone-derived (Telegram chat ids), never log them.
    logger.info("handoff case %s opened (%s, %s)", case.id, reason, case.priority)
    return case.id


class ActionStartHandoff(Action):
    """Opens a case, tells the person what happens next, and pauses the bot."""

    def name(self) -> str:
        return "action_start_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = (tracker.latest_message or {}).get("intent", {}).get("name") or "unknown"
        reason = "requested" if intent in ("request_human", "affirm") else f"after_{intent}"
        case_id = _open(tracker, reason=reason, urgent=False)
        dispatcher.utter_message(
            response="utter_handoff_started", case_id=case_id, wait_minutes=queue_timeout_minutes()
        )
        return [SlotSet("handoff_case_id", str(case_id)), ConversationPaused()]


class ActionUrgentHelp(Action):
    """Danger: the emergency numbers at once, then an urgent case that jumps the queue."""

    def name(self) -> str:
        return "action_urgent_help"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_emergency_numbers")
        case_id = _open(tracker, reason="urgent_help", urgent=True)
        dispatcher.utter_message(response="utter_urgent_handoff_started", case_id=case_id)
        return [SlotSet("handoff_case_id", str(case_id)), ConversationPaused()]


# Why the case ended (bot.console sets it when it closes the case) -> what the person is told.
ENDINGS = {
    "cancelled": "utter_handoff_cancelled",
    "timeout": "utter_handoff_timeout",
}


class ActionHandoffEnded(Action):
    """The console closed the case and triggered `handoff_closed`: the bot says it is back."""

    def name(self) -> str:
        return "action_handoff_ended"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        case_id = tracker.get_slot("handoff_case_id")
        reason = None
        if case_id and str(case_id).isdigit():
            try:
                reason = get_case(int(case_id)).summary.closed_reason
            except CaseNotFound:
                reason = None
        dispatcher.utter_message(response=ENDINGS.get(reason or "", "utter_handoff_closed"))
        return [SlotSet("handoff_case_id", None)]
