"""Erasing a person end to end, with the real Rasa server, action server and console: once from the
console's case page (an admin), once with the widget's button in Chromium. Afterwards every table
of the tracker database and of the cases database is searched for the person's conversation id
and their words: nothing is left, and nobody else's data was touched. The processes' logs never
named them either.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from chat import text_of
from handoff_helpers import (
    CounsellorBrowser,
    Person,
    api_client,
    case_of,
    csrf_of,
    person_and_api,
    wait_for,
)
from playwright.async_api import expect
from sqlalchemy import column, create_engine, inspect, select, table
from test_widget_browser import WIDGET, open_widget, write

pytestmark = pytest.mark.integration


def found_in_databases(servers, *needles: str) -> list[tuple[str, str, str]]:
    """(database, table, needle) for every row of every table that contains a needle anywhere:
    in any column, in any case (tags are lower-cased), raw or as Rasa's JSON writes it
    (non-ASCII letters as \\u escapes)."""
    forms = {n: {n.lower(), json.dumps(n)[1:-1].lower()} for n in needles}
    hits = []
    for name, url in (("tracker", f"sqlite:///{servers.tracker_db}"), ("cases", servers.cases_url)):
        engine = create_engine(url, future=True)
        with engine.connect() as conn:
            for table_name in inspect(engine).get_table_names():
                columns = [c["name"] for c in inspect(engine).get_columns(table_name)]
                rows = conn.execute(select(*table(table_name, *map(column, columns)).c))
                for row in rows:
                    text = " ".join(str(value) for value in row).lower()
                    hits += [
                        (name, table_name, needle)
                        for needle, variants in forms.items()
                        if any(v in text for v in variants)
                    ]
        engine.dispose()
    return hits


def logs_naming(servers, console, *needles: str) -> list[str]:
    logs = [servers.work / "rasa.log", servers.work / "actions.log", console.log]
    return [
        f"{log.name}: {line.strip()}"
        for log in logs
        if log and Path(log).exists()
        for line in Path(log).read_text(errors="replace").splitlines()
        if any(needle in line for needle in needles)
    ]


async def test_an_admin_erases_a_person_from_the_case_page(servers, console):
    words = "my name is Zephyrine Okonkwo and I live in Namur"
    counsellor = CounsellorBrowser(console)
    other = Person(servers.rasa_url)
    await other.connect()
    async with person_and_api(servers, console) as (person, api):
        try:
            await person.say(words)
            await person.say("I want to talk to a person")
            case = await wait_for(lambda: case_of(api, person.session_id))
            await other.say("I want to talk to a person")
            others = await wait_for(lambda: case_of(api, other.session_id))
            await counsellor.log_in()
            await counsellor.act(case["id"], "note", text="Zephyrine Okonkwo called back")
            await counsellor.act(case["id"], "tag", tag="zephyrine okonkwo")
            await counsellor.act(case["id"], "tag", tag="namur")
            await counsellor.act(others["id"], "tag", tag="namur")
            needles = (person.session_id, "Zephyrine", "Okonkwo")
            assert {hit[1] for hit in found_in_databases(servers, *needles)} >= {
                "events", "cases", "notes", "tags",
            }  # fmt: skip

            page = await counsellor.http.get(f"/cases/{case['id']}")
            assert "Erase this person" in page.text
            reply = await counsellor.http.post(
                f"/cases/{case['id']}/erase", data={"csrf": csrf_of(page.text), "confirm": "yes"}
            )
            assert reply.status_code == 303
            assert reply.headers["location"] == f"/?erased={case['id']}"
            queue = await counsellor.http.get(reply.headers["location"])
            assert f"Case #{case['id']} and the person" in queue.text
            assert (await counsellor.http.get(f"/cases/{case['id']}")).status_code == 404

            assert found_in_databases(servers, *needles) == []
            assert logs_naming(servers, console, *needles) == []
            # The other person keeps their conversation, their case and the tag they share.
            assert await case_of(api, other.session_id) == others | {"tags": ["namur"]}
            kept = {hit[1] for hit in found_in_databases(servers, other.session_id)}
            assert kept >= {"events", "cases"}
        finally:
            await counsellor.http.aclose()
            await other.close()


async def test_the_widget_button_erases_the_conversation_and_starts_a_new_one(
    servers, console, browser, artifacts
):
    words = "je m'appelle Quirinus Vandermolen"
    context = await browser.new_context(viewport={"width": 360, "height": 740}, locale="fr-BE")
    page = await context.new_page()
    counsellor = CounsellorBrowser(console)
    api = api_client(console)
    key = f"'returnee-widget:' + {servers.rasa_url!r}"
    try:
        log = await open_widget(page, console)
        await write(page, words)
        await expect(log.locator(".msg.bot").first).to_be_visible()
        await write(page, "je voudrais parler à un conseiller")
        await expect(log).to_contain_text("(")  # the case number in the handoff message
        session = await page.evaluate(f"JSON.parse(localStorage.getItem({key})).sessionId")
        case = await wait_for(lambda: case_of(api, session))
        await counsellor.log_in()
        await counsellor.act(case["id"], "note", text="Quirinus Vandermolen, Anvers")
        await counsellor.act(case["id"], "tag", tag="vandermolen")
        needles = (session, "Quirinus", "Vandermolen")

        # The question comes first, in the person's language; "no" keeps everything.
        forget = page.locator(f"{WIDGET} .forget")
        await expect(forget).to_have_text(_widget_text("fr", "forget"))
        await forget.click()
        question = page.locator(f"{WIDGET} .confirm")
        await expect(question).to_contain_text(text_of("fr", "utter_forget_confirm"))
        await expect(page.locator(f"{WIDGET} .confirm .no")).to_be_focused()
        await page.locator(f"{WIDGET} .confirm .no").click()
        await expect(question).to_be_hidden()
        assert await case_of(api, session) is not None

        await forget.click()
        await page.screenshot(path=str(artifacts / "widget-erase-question.png"))
        await page.locator(f"{WIDGET} .confirm .yes").click()
        await expect(log).to_contain_text(text_of("fr", "utter_forgotten"))
        await expect(log).not_to_contain_text(words)
        state = await page.evaluate(f"JSON.parse(localStorage.getItem({key}))")
        assert state["history"] == [] and state["sessionId"] != session
        assert state["sessionId"].startswith("web-")

        assert found_in_databases(servers, *needles) == []
        assert logs_naming(servers, console, *needles) == []
        assert await case_of(api, session) is None

        # The widget goes on with a new conversation.
        await write(page, "bonjour")
        await expect(log).to_contain_text(text_of("fr", "utter_greet")[:30])

        async def stored() -> bool:
            return bool(found_in_databases(servers, state["sessionId"]))

        await wait_for(stored)
        assert found_in_databases(servers, session) == []
    finally:
        await counsellor.http.aclose()
        await api.aclose()
        await context.close()


def _widget_text(language: str, key: str) -> str:
    from bot.web.serve import widget_texts

    return widget_texts()[language]["ui"][key]
