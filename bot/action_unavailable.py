"""When the action server cannot run an action, the person still gets an answer in their language.

Rasa 3.6 logs a failed custom action and goes on silently ("the actions events are lost"): a
person in danger would get no emergency numbers, anyone else no answer at all. Rasa has no hook
for this, so `install()` wraps `RemoteAction.run` in the Rasa server process (bot/rasa_server.py
calls it before Rasa's own command line starts). The wrapper answers from the Rasa server's own
responses: the emergency numbers first when the message was about danger, then an apology with
the counsellors' contact points (checked facts, utter_answer_ask_contact). Nothing is lost: the
person's message is already in the tracker, and the next message goes to the action server again.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from bot.language import language_after_message

logger = logging.getLogger(__name__)

APOLOGY = "utter_action_unavailable"
CONTACTS = "utter_answer_ask_contact"
EMERGENCY = "utter_emergency_numbers"
HANDOFF_FAILED = "utter_handoff_failed"
URGENT_INTENT = "urgent_help"
HANDOFF_ACTIONS = {"action_start_handoff", "action_urgent_help"}
# The slot filler runs before every turn's action, which reports a failure once for both.
SILENT_ACTIONS = {"action_detect_language"}


def responses_for(action_name: str, intent: str | None, already_apologised: bool) -> list[str]:
    """The responses to send when `action_name` failed; none if this turn already has them."""
    if action_name in SILENT_ACTIONS or already_apologised:
        return []
    answer = [EMERGENCY] if intent == URGENT_INTENT or action_name == "action_urgent_help" else []
    answer.append(HANDOFF_FAILED if action_name in HANDOFF_ACTIONS else APOLOGY)
    answer.append(CONTACTS)
    return answer


def _apologised_this_turn(tracker: Any) -> bool:
    from rasa.shared.core.events import BotUttered, UserUttered

    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, BotUttered) and (event.metadata or {}).get("utter_action") in (
            APOLOGY,
            HANDOFF_FAILED,
        ):
            return True
    return False


async def apologise(action_name: str, nlg: Any, tracker: Any, channel_name: str) -> list[Any]:
    """Bot utterances (and the language slot) for a failed action, rendered by the Rasa server."""
    from rasa.core.actions.action import create_bot_utterance
    from rasa.shared.core.events import FollowupAction, SlotSet

    latest = tracker.latest_message
    message: dict[str, Any] = dict(latest.parse_data) if latest else {}
    if latest is not None and latest.metadata:
        message.setdefault("metadata", latest.metadata)
    intent = (message.get("intent") or {}).get("name")
    names = responses_for(action_name, intent, _apologised_this_turn(tracker))
    if not names:
        return []
    # The slot filler may itself be down: pick the language here, as action_detect_language would.
    current = tracker.get_slot("language")
    language = language_after_message(message, current, bool(tracker.get_slot("language_locked")))
    events: list[Any] = [] if language == current else [SlotSet("language", language)]
    for name in names:
        draft = await nlg.generate(name, tracker, channel_name, language=language)
        if draft:
            draft["utter_action"] = name
            events.append(create_bot_utterance(draft))
    # Then wait for the person: what the rules would do next (an offer, a form) needs actions too.
    return [*events, FollowupAction("action_listen")]


def install() -> None:
    """Wraps RemoteAction.run once per process."""
    from rasa.core.actions.action import ActionExecutionRejection, RemoteAction

    original = RemoteAction.run
    if getattr(original, "_answers_when_unavailable", False):
        return

    @functools.wraps(original)
    async def run(self: Any, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> list:
        try:
            return await original(self, output_channel, nlg, tracker, domain)
        except ActionExecutionRejection:
            raise  # a form's normal control flow, not a failure
        except Exception as error:  # noqa: BLE001 - any failure gets the same honest answer
            logger.error("custom action %s failed: %s", self.name(), type(error).__name__)
            return await apologise(self.name(), nlg, tracker, output_channel.name())

    run._answers_when_unavailable = True  # type: ignore[attr-defined]
    RemoteAction.run = run  # type: ignore[method-assign]
