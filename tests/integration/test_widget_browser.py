"""The web chat widget in a real browser (Playwright driving Debian's Chromium) on the demo partner
page served by the console process, talking to the real Rasa server over socket.io.
Screenshots at 360 px and at desktop width are saved in artifacts/.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest
from chat import TEXTS, text_of
from playwright.async_api import expect

from bot.console.rasa_api import RasaAPI

WIDGET = ".returnee-widget"

pytestmark = pytest.mark.integration


async def open_widget(page, console, language: str | None = None):
    await page.goto(f"{console.url}/demo")
    launcher = page.locator(f"{WIDGET} .launcher")
    await expect(launcher).to_be_visible()
    await launcher.click()
    if language:
        await page.locator(f"{WIDGET} select").select_option(language)
    return page.locator(f"{WIDGET} .log")


async def write(page, text: str) -> None:
    await page.locator(f"{WIDGET} textarea").fill(text)
    await page.locator(f"{WIDGET} form button").click()


async def test_a_conversation_survives_a_reload_and_gets_a_counsellor_reply(
    servers, console, browser, artifacts
):
    context = await browser.new_context(viewport={"width": 360, "height": 740}, locale="fr-BE")
    page = await context.new_page()
    log = await open_widget(page, console)
    # The browser's language is the first choice: the interface is in French.
    await expect(page.locator(f"{WIDGET} textarea")).to_have_attribute(
        "placeholder", (await texts())["fr"]["ui"]["placeholder"]
    )
    await write(page, "est-ce que je peux rentrer chez moi avec une aide ?")
    await expect(log).to_contain_text(text_of("fr", "utter_eligibility_overview")[:60])
    # Buttons of the offer are shown; pressing one answers like typing would.
    buttons = page.locator(f"{WIDGET} .buttons button")
    await expect(buttons.first).to_be_visible()
    await page.screenshot(path=str(artifacts / "widget-360.png"))
    box = await page.locator(f"{WIDGET} .panel").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert await page.evaluate("document.documentElement.scrollWidth") <= 360

    await page.reload()
    log = page.locator(f"{WIDGET} .log")
    await expect(log).to_contain_text("est-ce que je peux rentrer chez moi avec une aide ?")
    await expect(log).to_contain_text(text_of("fr", "utter_eligibility_overview")[:60])

    await write(page, "je voudrais parler à un conseiller")
    await expect(log).to_contain_text("(")  # the case number in the handoff message
    session = await page.evaluate(
        f"JSON.parse(localStorage.getItem('returnee-widget:' + {servers.rasa_url!r})).sessionId"
    )
    await RasaAPI(servers.rasa_url, servers.token).send_as_counsellor(
        session, "Bonjour, je suis Ana, conseillère.", "ana"
    )
    await expect(log).to_contain_text("Bonjour, je suis Ana, conseillère.")
    await context.close()


async def test_an_arabic_conversation_is_laid_out_right_to_left(
    servers, console, browser, artifacts
):
    context = await browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    page = await context.new_page()
    log = await open_widget(page, console, language="ar")
    await expect(log).to_contain_text(text_of("ar", "utter_language_changed"))
    panel = page.locator(f"{WIDGET} .panel")
    await expect(panel).to_have_attribute("dir", "rtl")
    await write(page, "كيف أتصل بكم؟")
    answer = text_of("ar", "utter_answer_ask_contact")
    await expect(log).to_contain_text(answer[:40])
    bubble = page.locator(f"{WIDGET} .msg.bot", has_text="745").last
    await expect(bubble).to_have_attribute("dir", "rtl")
    # Numbers and Latin words keep their order inside the Arabic text ("12-14", "0800 32 745").
    isolated = await bubble.locator("bdi").all_inner_texts()
    assert any("0800 32 745" in run for run in isolated)
    assert "rue Héger-Bordet 3" in isolated  # accented Latin stays in one run
    # The privacy page in the conversation's language is one click away.
    link = page.locator(f"{WIDGET} a.privacy")
    await expect(link).to_have_attribute("href", f"{console.url}/privacy/ar")
    await page.screenshot(path=str(artifacts / "widget-desktop-ar.png"))
    await context.close()


async def test_the_widget_is_usable_with_the_keyboard_alone(servers, console, browser):
    page = await browser.new_page()
    await page.goto(f"{console.url}/demo")
    await page.locator(f"{WIDGET} .launcher").focus()
    await page.keyboard.press("Enter")
    await expect(page.locator(f"{WIDGET} .panel")).to_be_visible()
    # First contact: the welcome says what is kept and links the privacy page, unasked.
    welcome = next(v["text"] for v in TEXTS["en"]["utter_start"] if v.get("channel") == "socketio")
    await expect(page.locator(f"{WIDGET} .log")).to_contain_text(welcome.split("🔒")[0].strip())
    await expect(page.locator(f"{WIDGET} .log")).to_contain_text("/privacy/en")
    # Focus is in the message box: typing and Enter send.
    await page.keyboard.type("hello")
    await page.keyboard.press("Enter")
    await expect(page.locator(f"{WIDGET} .log")).to_contain_text(text_of("en", "utter_greet")[:40])
    await expect(page.locator(f"{WIDGET} [role=log]")).to_have_attribute("aria-live", "polite")
    await page.keyboard.press("Escape")
    await expect(page.locator(f"{WIDGET} .panel")).to_be_hidden()
    await page.close()


async def texts() -> dict:
    from bot.web.serve import widget_texts

    return await asyncio.to_thread(widget_texts)


def test_the_widget_is_small(console):
    sizes = {
        name: len(httpx.get(f"{console.url}/widget/{name}", timeout=10).content)
        for name in ("widget.js", "vendor/socket.io.min.js", "i18n.json")
    }
    print(f"widget payload: {sizes}, total {sum(sizes.values())} bytes")
    assert sum(sizes.values()) < 100_000
