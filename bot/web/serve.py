"""Serving the widget: its static files, its texts per language, and a demo partner page."""

from __future__ import annotations

import html
import re
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot.language import load_languages
from bot.lexicon import load_language_files
from bot.paths import DATA
from bot.responses import load_catalog

HERE = Path(__file__).resolve().parent
WIDGET_TEXTS = DATA / "widget"
PRIVACY_TEXTS = DATA / "privacy"


def privacy_text(language: str) -> tuple[str, list[str]]:
    """The privacy page's title and paragraphs in a language (data/privacy/<lang>.md)."""
    path = PRIVACY_TEXTS / f"{language}.md"
    lines = path.read_text(encoding="utf-8").strip().split("\n\n")
    title = lines[0].lstrip("# ").strip()
    return title, [block.strip() for block in lines[1:] if block.strip()]


def _paragraph(block: str) -> str:
    """A paragraph as HTML: escaped first, then **bold** lead words."""
    escaped = html.escape(block)
    # Commands keep their slash in front inside right-to-left text.
    escaped = re.sub(r"(/[a-z_]+)", r'<bdi dir="ltr">\1</bdi>', escaped)
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped)


def erasure_texts(language: str) -> dict[str, str]:
    """The erasure question and its answers, as Telegram's /forget asks them (one translation)."""
    responses = load_catalog().get(language, {})
    if "utter_forget_confirm" not in responses:
        return {}
    [ask] = responses["utter_forget_confirm"][:1]
    yes, no = (button["title"] for button in ask["buttons"][:2])
    return {"forget_confirm": ask["text"], "forget_yes": yes, "forget_no": no}


def widget_texts() -> dict[str, dict]:
    """Every served language: its own name, direction and the widget's texts in it."""
    texts = load_language_files(WIDGET_TEXTS)
    return {
        code: {
            "name": info.name,
            "direction": info.direction,
            "ui": texts.get(code, {}) | {"privacy": privacy_text(code)[0]} | erasure_texts(code),
        }
        for code, info in load_languages().items()
    }


def widget_routes(server_url: str) -> list[BaseRoute]:
    async def i18n(request: Request) -> Response:
        return JSONResponse(widget_texts(), headers={"Cache-Control": "max-age=300"})

    async def demo(request: Request) -> Response:
        page = (HERE / "demo.html").read_text(encoding="utf-8")
        values = {"widget_url": "/widget/widget.js", "server": html.escape(server_url)}
        return HTMLResponse(
            page.replace("{widget_url}", values["widget_url"]).replace("{server}", values["server"])
        )

    async def privacy(request: Request) -> Response:
        languages = load_languages()
        code = request.path_params.get("language", "en")
        if code not in languages:
            return HTMLResponse("not found", status_code=404)
        title, paragraphs = privacy_text(code)
        others = " · ".join(
            f'<a href="/privacy/{c}" lang="{c}">{html.escape(i.name)}</a>'
            for c, i in languages.items()
        )
        body = "".join(f"<p>{_paragraph(p)}</p>" for p in paragraphs)
        page = (
            f'<!doctype html><html lang="{code}" dir="{languages[code].direction}"><head>'
            '<meta charset="utf-8"><meta name="viewport" content="width=device-width, '
            f'initial-scale=1"><title>{html.escape(title)}</title><style>body{{font-family:'
            "system-ui,sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem;"
            "line-height:1.6}nav{font-size:.9em;margin-top:2rem}</style></head><body>"
            f"<h1>{html.escape(title)}</h1>{body}<nav>{others}</nav></body></html>"
        )
        return HTMLResponse(page)

    return [
        Route("/privacy", privacy),
        Route("/privacy/{language}", privacy),
        Route("/widget/i18n.json", i18n),
        Route("/demo", demo),
        Mount("/widget", StaticFiles(directory=HERE / "static"), name="widget"),
    ]
