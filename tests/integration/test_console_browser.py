"""The console in a real browser (Playwright driving Debian's Chromium; never `playwright install`):
login, the live queue, the case page, a reply, closing. A person's HTML is shown as text, never run.
A screenshot of the case page is saved in artifacts/.
"""

from __future__ import annotations

import pytest
from chat import text_of
from handoff_helpers import case_of, person_and_api, wait_for
from playwright.async_api import expect

from bot.handoff.canned import load_files

HOSTILE = '<img src=x onerror="window.pwned=1"><b>bold</b> I want to talk to a person'

pytestmark = pytest.mark.integration


async def test_a_counsellor_handles_a_case_in_the_browser(servers, console, browser, artifacts):
    page = await browser.new_page()
    async with person_and_api(servers, console) as (person, api):
        try:
            # Login: a wrong password first, then the right one.
            await page.goto(f"{console.url}/")
            await expect(page).to_have_url(f"{console.url}/login")
            await page.fill("input[name=login]", console.admin)
            await page.fill("input[name=password]", "not-the-password")
            await page.click("button[type=submit]")
            await expect(page.get_by_role("alert")).to_contain_text("Wrong login or password")
            await page.fill("input[name=login]", console.admin)
            await page.fill("input[name=password]", console.password)
            await page.click("button[type=submit]")
            await expect(page.get_by_role("heading", name="Queue")).to_be_visible()

            # The queue updates itself when a person asks for a human (no reload).
            await person.say(HOSTILE)
            case = await wait_for(lambda: case_of(api, person.session_id))
            link = page.get_by_role("link", name=f"#{case['id']}", exact=True)
            await expect(link).to_be_visible(timeout=15000)

            # The case page shows the person's HTML as text, with the bot's reading beside it.
            await link.click()
            await expect(page.get_by_role("heading", name=f"Case #{case['id']}")).to_be_visible()
            transcript = page.locator("#transcript")
            await expect(transcript).to_contain_text('<img src=x onerror="window.pwned=1">')
            await expect(transcript).to_contain_text("understood: request_human")
            assert await page.evaluate("window.pwned") is None
            assert await transcript.locator(".text img, .text b").count() == 0

            # A message written while the page is open appears without a reload.
            await person.say("I am in Liège")

            async def stored() -> bool:  # under CI load Rasa may take a while; the page is the test
                view = (await api.get(f"/api/cases/{case['id']}")).json()
                return any(t["text"] == "I am in Liège" for t in view["transcript"])

            await wait_for(stored, 45)
            await expect(transcript).to_contain_text("I am in Liège", timeout=15000)

            # Reply with a canned reply in the person's language; it reaches the person.
            await page.select_option("#canned", label="Hello")
            greeting = text_of_canned("en", "greeting")
            await expect(page.locator("#reply-text")).to_have_value(greeting)
            await page.click("#reply-form button[type=submit]")
            await person.hears(greeting)
            await expect(transcript).to_contain_text(greeting)
            await page.screenshot(path=str(artifacts / "console-case.png"), full_page=True)

            # Close and hand back: the person is told, and the page shows the case closed.
            await page.get_by_role("button", name="Close and hand back to the bot").click()
            await expect(page.locator("#status")).to_have_text("closed")
            await person.hears(text_of("en", "utter_handoff_closed"))
            assert (artifacts / "console-case.png").stat().st_size > 10_000
        finally:
            await page.close()


def text_of_canned(language: str, key: str) -> str:
    return load_files()[language][key]["text"]
