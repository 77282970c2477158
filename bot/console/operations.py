"""What a counsellor (or the queue watcher) does to a case: the database and Rasa kept in step."""

from __future__ import annotations

import datetime as dt
import logging

from bot.console.activity import ConversationActivity
from bot.console.rasa_api import RasaAPI, RasaUnavailable
from bot.console.transcript import last_pause, person_texts_after
from bot.handoff import service
from bot.handoff.cancel import cancels_handoff
from bot.handoff.models import utcnow

logger = logging.getLogger(__name__)


async def reply(api: RasaAPI, case_id: int, login: str, text: str) -> service.CaseSummary:
    """Sends the text to the person's channel (and tracker), then records that it went out."""
    text = text.strip()
    if not text:
        raise service.CaseError("an empty reply")
    case = service.check_can_reply(case_id)
    await api.send_as_counsellor(case.conversation_id, text[:4000], login)
    return service.record_reply(case_id, login)


async def close(api: RasaAPI, case_id: int, *, by: str, reason: str) -> service.CaseSummary:
    """Closes the case, then hands the conversation back to the bot, which tells the person."""
    case = service.close(case_id, by=by, reason=reason)
    await hand_back(api, case)
    return case


async def erase_person(api: RasaAPI, case_id: int, *, by: str) -> dict:
    """Erases the case's person: their conversation, this case and every other case of theirs."""
    case = service.get_case(case_id).summary
    done = await api.forget(case.conversation_id)
    # The case id and counts only: the conversation id names the person.
    logger.info(
        "case %s: the person's data erased by %s (%s events, %s cases)",
        case_id, by, done.get("events"), done.get("cases"),
    )  # fmt: skip
    return done


async def hand_back(api: RasaAPI, case: service.CaseSummary) -> bool:
    try:
        await api.hand_back(case.conversation_id)
    except RasaUnavailable as error:
        # The watcher tries again (needs_hand_back); the person is never left paused for good.
        logger.warning("case %s: hand back failed (%s)", case.id, error)
        return False
    service.log_event(case.id, "handed_back", "system")
    return True


async def sweep(
    api: RasaAPI,
    *,
    timeout: dt.timedelta,
    now: dt.datetime | None = None,
    activity: ConversationActivity | None = None,
) -> dict:
    """One pass of the watcher: queue timeouts, people who cancelled, failed hand-backs.

    With `activity`, only conversations that have new events are read from Rasa."""
    now = now or utcnow()
    done = {"timed_out": 0, "cancelled": 0, "handed_back": 0}
    for case in service.queued_before(now - timeout):
        await close(api, case.id, by="system", reason="timeout")
        done["timed_out"] += 1
    cases = service.list_cases()
    if activity is not None:
        fresh = activity.changed([c.conversation_id for c in cases])
        cases = [c for c in cases if c.conversation_id in fresh]
    for case in cases:
        try:
            tracker = await api.tracker(case.conversation_id)
        except RasaUnavailable:
            if activity is not None:
                activity.forget(case.conversation_id)
            continue
        events = tracker.get("events") or []
        paused_at = last_pause(events)
        if paused_at is not None and any(
            cancels_handoff(t) for t in person_texts_after(events, paused_at)
        ):
            await close(api, case.id, by="person", reason="cancelled")
            done["cancelled"] += 1
    for case in service.needs_hand_back(now - dt.timedelta(days=1)):
        done["handed_back"] += int(await hand_back(api, case))
    return done
