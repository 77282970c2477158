"""The production profile (`make run-prod`) on this machine, and its faults.

One profile for the module: PostgreSQL, Redis, two Rasa replicas and two action servers behind
nginx, the console, all started by bot.production exactly as an operator starts them. Ports and
the data directory are the test's own.
"""

from __future__ import annotations

import asyncio
import re
import signal
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import yaml
from chat import say, text_of
from handoff_helpers import Person

from bot.handoff.service import open_case_of
from bot.processes import free_port
from bot.production.config import LOCK_LIFETIME_SECONDS, Layout
from bot.production.profile import Production

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = list(yaml.safe_load((ROOT / "data" / "languages.yml").read_text())["languages"])
MARKUP = re.compile(r"\[([^\]]+)\]\{[^}]*\}")


@pytest.fixture(scope="module")
def prod():
    # Not under pytest's 0700 tmp dir: as root, PostgreSQL runs as the postgres user.
    var = Path(tempfile.mkdtemp(prefix="returnee-prod-"))
    var.chmod(0o755)
    layout = Layout(
        var=var,
        rasa_port=free_port(),
        actions_port=free_port(),
        console_port=free_port(),
        replica_ports=(free_port(), free_port()),
        action_ports=(free_port(), free_port()),
        postgres_port=free_port(),
        redis_port=free_port(),
    )
    profile = Production(layout)
    # A database that stays away is reported after this long (20 s in production).
    profile.env["TRACKER_STORE_RETRY_SECONDS"] = "6"
    try:
        profile.start()
        yield profile
    finally:
        profile.stop()


def url(prod: Production, replica: int | None = None) -> str:
    port = prod.layout.rasa_port if replica is None else prod.layout.replica_ports[replica]
    return f"http://127.0.0.1:{port}"


def tracker(prod: Production, sender: str, replica: int | None = None) -> dict:
    reply = httpx.get(
        f"{url(prod, replica)}/conversations/{sender}/tracker",
        params={"token": prod.token},
        timeout=30,
    )
    reply.raise_for_status()
    return reply.json()


def story(state: dict) -> str:
    """A failing conversation, readably: what the person said, what ran, what was set."""
    lines = [state["sender_id"]]
    for e in state["events"]:
        if e["event"] == "user":
            lines.append(f"user {e['text']!r} {e['parse_data']['intent'].get('name')}")
        elif e["event"] == "action":
            lines.append(f"  {e['name']}")
        elif e["event"] == "slot":
            lines.append(f"  slot {e['name']}={e['value']!r}")
        elif e["event"] == "bot":
            lines.append(f"  bot {(e.get('text') or '')[:60]!r}")
    return "\n".join(lines)


def user_texts(state: dict) -> list[str]:
    return [e["text"] for e in state["events"] if e["event"] == "user"]


def script(language: str) -> list[str]:
    """The start of the eligibility check in `language`, from its test story: the question,
    "yes please", the form's buttons (payloads, as the widget sends them) and a typed "no"."""
    stories = yaml.safe_load((ROOT / "tests" / "stories" / f"test_{language}.yml").read_text())
    typed = [
        MARKUP.sub(r"\1", step["user"]).strip()
        for step in stories["stories"][0]["steps"]
        if "user" in step
    ]
    return [
        typed[0],
        typed[1],
        '/inform{"lives_in": "belgium"}',
        '/inform{"residence_status": "asylum_rejected"}',
        typed[2],
        "/skip",
    ]


EXPECTED_SLOTS = {
    "lives_in": "belgium",
    "country_answer": "GE",
    "status_answer": "asylum_rejected",
    "earlier_help": "no",
    "family": "skipped",
    "requested_slot": "medical",
}


def test_fifty_conversations_alternating_between_replicas_keep_state_and_order(prod):
    def converse(number: int) -> tuple[str, str, list[str]]:
        language = LANGUAGES[number % len(LANGUAGES)]
        sender = f"alt-{number}-{language}"
        for turn, text in enumerate(script(language)):
            answers = say(url(prod, (number + turn) % 2), sender, text)
            assert answers, f"{sender}: no answer to turn {turn}"
        return sender, language, script(language)

    with ThreadPoolExecutor(8) as pool:
        done = list(pool.map(converse, range(50)))
    for sender, language, sent in done:
        state = tracker(prod, sender)
        assert user_texts(state) == sent, sender
        slots = state["slots"]
        assert slots["language"] == language, sender
        assert {k: slots[k] for k in EXPECTED_SLOTS} == EXPECTED_SLOTS, story(state)
        assert state["active_loop"]["name"] == "eligibility_form", sender
        # Both replicas read the same conversation from PostgreSQL.
        assert user_texts(tracker(prod, sender, 0)) == user_texts(tracker(prod, sender, 1))


def test_a_bot_message_reaches_a_socket_connected_to_the_other_replica(prod):
    async def scenario() -> None:
        person = Person(url(prod, 0))
        await person.connect()
        try:
            await person.say("hello")
            await person.hears(text_of("en", "utter_greet"))
            # An event posted on replica 2 (as the console does for a counsellor's reply) goes
            # out on the person's socket, which replica 1 holds, through Redis.
            reply = httpx.post(
                f"{url(prod, 1)}/conversations/{person.session_id}/tracker/events",
                params={
                    "token": prod.token,
                    "output_channel": "latest",
                    "execute_side_effects": "true",
                },
                json={"event": "bot", "text": "Counsellor: hello from the other replica"},
                timeout=30,
            )
            reply.raise_for_status()
            await person.hears("Counsellor: hello from the other replica", seconds=20)
        finally:
            await person.close()

    asyncio.run(scenario())


def test_action_servers_down_then_back(prod):
    sender = "actions-down"
    # One action server down: nginx sends the calls to the other, nobody notices.
    prod.stop_process("actions-1")
    try:
        answers = say(url(prod), sender, "what documents do I need to travel back?")
        assert text_of("en", "utter_answer_ask_travel_documents") in answers
        # Both down: an apology in the person's language and the counsellors' contacts.
        prod.stop_process("actions-2")
        answers = say(url(prod), "actions-down-ru", "какие документы нужны для возвращения домой?")
        assert answers == [
            text_of("ru", "utter_action_unavailable"),
            text_of("ru", "utter_answer_ask_contact"),
        ]
        # Danger: the emergency numbers come first, even without the action server.
        answers = say(url(prod), "actions-down-danger", "my husband hits me and I am afraid")
        assert answers[0] == text_of("en", "utter_emergency_numbers")
        assert text_of("en", "utter_handoff_failed") in answers
        # Nothing is lost: the message is in the conversation.
        assert user_texts(tracker(prod, "actions-down-ru"))[-1].startswith("какие документы")
    finally:
        for name in ("actions-1", "actions-2"):
            prod.start_process(name)
        prod.wait_healthy(["actions-1", "actions-2"])
    answers = say(url(prod), "actions-down-ru", "какие документы нужны для возвращения домой?")
    assert text_of("ru", "utter_answer_ask_travel_documents") in answers


def test_a_replica_killed_mid_conversation_loses_no_message(prod):
    senders = [f"kill-{n}" for n in range(10)]
    sent: dict[str, list[str]] = {s: [] for s in senders}
    killed = threading.Event()

    def converse(sender: str) -> None:
        language = LANGUAGES[senders.index(sender) % len(LANGUAGES)]
        for turn, text in enumerate(script(language)):
            if turn == 3:
                killed.wait(60)
            # A message caught by the kill gets 502 and is sent again, like a Telegram retry.
            answers = say(url(prod), sender, text, retry_seconds=LOCK_LIFETIME_SECONDS + 30)
            assert answers, f"{sender}: no answer to turn {turn}"
            sent[sender].append(text)

    with ThreadPoolExecutor(10) as pool:
        futures = [pool.submit(converse, s) for s in senders]
        time.sleep(2)
        prod.stop_process("rasa-1", signal.SIGKILL)
        killed.set()
        for future in futures:
            future.result()
    for sender in senders:
        seen = user_texts(tracker(prod, sender))
        # At least once, not exactly once: a message the replica had saved when it was killed,
        # before its answer left, comes again with the retry (as a Telegram retry would). Only
        # that one may repeat, right after itself; nothing is lost or reordered.
        repeats = [i for i in range(1, len(seen)) if seen[i] == seen[i - 1]]
        assert len(repeats) <= 1, (sender, seen)
        assert [t for i, t in enumerate(seen) if i not in repeats] == sent[sender], sender
        assert tracker(prod, sender)["slots"]["requested_slot"] == "medical", sender
    prod.start_process("rasa-1")
    prod.wait_healthy(["rasa-1"])


def test_restarted_replicas_resume_conversations_and_open_cases_stay_paused(prod):
    sender = "restart-fr"
    say(url(prod), sender, "bonjour, je voudrais rentrer en Géorgie")
    assert say(url(prod), sender, "je veux parler à un conseiller")
    assert tracker(prod, sender)["paused"]
    case = open_case_of(sender, url=prod.env["CASES_DATABASE_URL"])
    assert case is not None and case.language == "fr"
    for name in ("rasa-1", "rasa-2"):
        prod.restart_process(name)
    # Paused after the restart: the bot stays silent, the message is kept for the counsellor.
    assert say(url(prod), sender, "vous êtes là ?") == []
    state = tracker(prod, sender)
    assert state["paused"] and user_texts(state)[-1] == "vous êtes là ?"
    assert state["slots"]["language"] == "fr"
    assert open_case_of(sender, url=prod.env["CASES_DATABASE_URL"]).id == case.id


def test_postgres_restart_during_traffic_loses_no_message(prod):
    senders = [f"pg-{n}" for n in range(6)]
    sent: dict[str, list[str]] = {s: [] for s in senders}
    unavailable = {text_of(lang, "utter_store_unavailable") for lang in LANGUAGES}
    refused: list[str] = []
    stop = threading.Event()

    def converse(sender: str) -> None:
        language = LANGUAGES[senders.index(sender) % len(LANGUAGES)]
        turn = 0
        while not stop.is_set() or turn < 3:
            text = f"{script(language)[0]} ({turn})"
            answers = say(url(prod), sender, text)
            if set(answers) & unavailable:
                refused.append(text)  # a clear error: the person is told to send it again
            else:
                assert answers, f"{sender}: no answer to {text!r}"
                sent[sender].append(text)
            turn += 1

    with ThreadPoolExecutor(len(senders)) as pool:
        futures = [pool.submit(converse, s) for s in senders]
        time.sleep(3)
        prod.restart_postgres()
        time.sleep(3)
        stop.set()
        for future in futures:
            future.result()
    assert not refused, f"a restart within the retry period refused messages: {refused}"
    for sender in senders:
        assert user_texts(tracker(prod, sender)) == sent[sender], sender


def test_postgres_down_longer_than_the_retries_gives_a_clear_error_then_recovers(prod):
    sender = "pg-down-ru"
    question = "какие документы нужны для возвращения домой?"
    assert text_of("ru", "utter_answer_ask_travel_documents") in say(url(prod), sender, question)
    prod.stop_postgres()
    try:
        answers = say(url(prod), sender, "а сколько это стоит?")
        # Told, in their language, that the message was not kept: never a silent fresh start.
        assert answers == [text_of("ru", "utter_store_unavailable")]
    finally:
        prod.start_postgres()
    answers = say(url(prod), sender, question)
    assert text_of("ru", "utter_answer_ask_travel_documents") in answers
    state = tracker(prod, sender)
    assert user_texts(state) == [question, question]  # the refused message is not half-kept
    assert state["slots"]["language"] == "ru"


def test_the_rate_limit_holds_across_replicas(prod):
    # 24 messages at once, half to each replica: one shared bucket lets the burst of 12 (and what
    # refills meanwhile) through, and the person is told once. Per-process buckets let all 24 in.
    # Each message is sent once (a resend would meet the bucket again) and is the same greeting:
    # "hello 15" was sometimes not understood, two of those handed the person to a counsellor, and
    # a paused conversation answers nothing, which looked like a refusal.
    sender = "prod-flood"
    with ThreadPoolExecutor(max_workers=24) as pool:
        replies = list(
            pool.map(lambda i: say(url(prod, i % 2), sender, "hello", timeout=600), range(24))
        )
    notice = text_of("en", "utter_too_many_messages")
    assert sum(notice in reply for reply in replies) == 1
    greeted = [reply for reply in replies if reply == [text_of("en", "utter_greet")]]
    refused = [reply for reply in replies if not reply]
    assert len(greeted) + len(refused) == 23, replies
    assert 12 <= len(greeted) <= 14, replies
    assert len(user_texts(tracker(prod, sender))) == len(greeted)
