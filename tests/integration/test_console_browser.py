"""The console in a real browser (Playwright driving Debian's Chromium; never `playwright install`):
login, the live queue, the case page, a reply, closing. A person's HTML is shown as text, never run.
A screenshot of the case page is saved in artifacts/.
"""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
from chat import text_of
from playwright.async_api import async_playwright, expect
from test_handoff_console import Person, _case_of, wait_for

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
HOSTILE = '<img src=x onerror="window.pwned=1"><b>bold</b> I want to talk to a person'

pytestmark = pytest.mark.integration
# Answers pass through Rasa, which is slow under a full CI run on 2 cores.
expect.set_options(timeout=20_000)


@pytest.fixture
async def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: run scripts/system_packages.sh (make test does)")
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        await browser.close()


async def test_a_counsellor_handles_a_case_in_the_browser(servers, console, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    person = Person(servers.rasa_url)
    api = httpx.AsyncClient(
        base_url=console.url, headers={"Authorization": f"Bearer {console.api_token}"}
    )
    page = await browser.new_page()
    await person.connect()
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
        case = await wait_for(lambda: _case_of(api, person.session_id))
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
        await page.screenshot(path=str(ARTIFACTS / "console-case.png"), full_page=True)

        # Close and hand back: the person is told, and the page shows the case closed.
        await page.get_by_role("button", name="Close and hand back to the bot").click()
        await expect(page.locator("#status")).to_have_text("closed")
        await person.hears(text_of("en", "utter_handoff_closed"))
        assert (ARTIFACTS / "console-case.png").stat().st_size > 10_000
    finally:
        await person.close()
        await api.aclose()
        await page.close()


def text_of_canned(language: str, key: str) -> str:
    import yaml

    path = ROOT / "data" / "canned" / f"{language}.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))[key]["text"]
