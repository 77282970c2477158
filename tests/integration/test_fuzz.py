"""Every entry point fed hostile input (Hypothesis): a clear error or a sensible answer, never a
500 or a crash, and nothing a person writes runs as script in the counsellor's browser.

Entry points: Rasa's REST webhook and socket.io (the widget), the Telegram webhook, the console's
JSON API and its forms. The servers are the real processes of the other integration tests.
"""

from __future__ import annotations

import asyncio
import json
import uuid

import httpx
import pytest
from chat import say
from fake_telegram import TELEGRAM_SECRET
from handoff_helpers import CounsellorBrowser, Person, api_client, case_of, csrf_of, wait_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.async_api import expect

pytestmark = pytest.mark.integration
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HOSTILE = [
    "<script>window.pwned=1</script>",
    '<img src=x onerror="window.pwned=1">',
    "'; DROP TABLE events; --",
    '" OR 1=1 --',
    "{{7*7}} ${7*7} %s %n",
    "\x00\x01\x1b[2J\u202e\ufeff",
    "🙂" * 3000,
    "a" * 10_000,
    '/inform{"lives_in": "<b>x</b>"}',
    "/restart",
    "/request_human{broken json",
]
texts = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=300),
    # Every code point a client can send: UTF-8 has no lone surrogates (nor has Telegram's JSON),
    # and httpx refuses to encode one before any request leaves.
    st.text(alphabet=st.characters(codec="utf-8"), max_size=80),
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


def sensible(reply: httpx.Response) -> None:
    assert reply.status_code < 500, (reply.status_code, reply.text[:300])


@FUZZ
@given(text=texts)
def test_rest_webhook_answers_or_refuses_clearly(servers, text):
    reply = httpx.post(
        f"{servers.rasa_url}/webhooks/rest/webhook",
        json={"sender": f"fz-{uuid.uuid4().hex[:10]}", "message": text},
        timeout=60,
    )
    sensible(reply)
    if reply.status_code == 200:
        assert isinstance(reply.json(), list)


@FUZZ
@given(body=st.one_of(json_values.map(json.dumps), st.binary(max_size=2000)))
def test_rest_webhook_survives_malformed_bodies(servers, body):
    sensible(
        httpx.post(
            f"{servers.rasa_url}/webhooks/rest/webhook",
            content=body,
            headers={"content-type": "application/json"},
            timeout=60,
        )
    )


@FUZZ
@given(update=json_values, text=texts)
def test_telegram_webhook_survives_malformed_updates(servers, update, text):
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
    url = f"{servers.rasa_url}/webhooks/telegram/webhook"
    sensible(httpx.post(url, json=update, headers=headers, timeout=60))
    chat = int(uuid.uuid4().int % 10**9) + 10**8
    shaped = {
        "update_id": int(uuid.uuid4().int % 10**12),
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": False, "first_name": text[:60]},
            "text": text,
        },
    }
    sensible(httpx.post(url, json=shaped, headers=headers, timeout=60))


def test_socketio_survives_hostile_messages(servers):
    async def scenario() -> None:
        person = Person(servers.rasa_url)
        await person.connect()
        try:
            for text in HOSTILE:
                await person.client.emit(
                    "user_uttered", {"message": text, "session_id": person.session_id}
                )
            await person.client.emit("user_uttered", "not a dict")
            await person.client.emit("user_uttered", {"session_id": person.session_id})
            await person.say("hello")
            await asyncio.wait_for(person.inbox.get(), 60)  # still answering
        finally:
            await person.close()

    asyncio.run(scenario())
    assert httpx.get(f"{servers.rasa_url}/", timeout=10).status_code == 200


@FUZZ
@given(body=st.one_of(json_values.map(json.dumps), st.binary(max_size=2000)), case=st.integers())
def test_console_api_refuses_bad_input_clearly(console, body, case):
    headers = {"Authorization": f"Bearer {console.api_token}", "content-type": "application/json"}
    with httpx.Client(base_url=console.url, headers=headers, timeout=30) as api:
        for path in ("/api/cases/{}/reply", "/api/cases/{}/close", "/api/cases/{}/claim"):
            sensible(api.post(path.format(abs(case) % 10**6), content=body))
        sensible(api.get("/api/cases", params={"status": str(body)[:50], "language": str(case)}))


async def test_console_forms_and_browser_survive_hostile_text(servers, console, browser):
    """Hostile text from a person and in a counsellor's forms: stored as text, shown as text."""
    sender = f"fz-web-{uuid.uuid4().hex[:8]}"
    for text in HOSTILE[:6]:
        say(servers, sender, text)
    say(servers, sender, "I want to talk to a person")
    async with api_client(console) as api:
        case = await wait_for(lambda: case_of(api, sender))
    counsellor = CounsellorBrowser(console)
    await counsellor.log_in()
    await counsellor.act(case["id"], "claim")
    for text in HOSTILE:
        for action, field in (("note", "text"), ("tag", "tag"), ("reply", "text")):
            form = await counsellor.http.get(f"/cases/{case['id']}")
            reply = await counsellor.http.post(
                f"/cases/{case['id']}/{action}", data={"csrf": csrf_of(form.text), field: text}
            )
            assert reply.status_code < 500, (action, text[:40], reply.status_code)

    page = await browser.new_page()
    await page.goto(f"{console.url}/login")
    await page.fill("input[name=login]", console.admin)
    await page.fill("input[name=password]", console.password)
    await page.click("button[type=submit]")
    await expect(page.get_by_role("heading", name="Queue")).to_be_visible()
    await page.goto(f"{console.url}/cases/{case['id']}")
    await expect(page.locator("#transcript")).to_contain_text("DROP TABLE events")
    await page.wait_for_timeout(4000)  # a live refresh renders the transcript again
    assert await page.evaluate("window.pwned") is None
    await page.goto(f"{console.url}/")
    await expect(page.get_by_role("heading", name="Queue")).to_be_visible()
    assert await page.evaluate("window.pwned") is None
