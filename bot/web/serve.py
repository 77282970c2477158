"""Serving the widget: its static files, its texts per language, and a demo partner page."""

from __future__ import annotations

import html
from pathlib import Path

import yaml
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot.language import load_languages
from bot.paths import DATA

HERE = Path(__file__).resolve().parent
WIDGET_TEXTS = DATA / "widget"


def widget_texts() -> dict[str, dict]:
    """Every served language: its own name, direction and the widget's texts in it."""
    texts = {
        path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for path in WIDGET_TEXTS.glob("*.yml")
    }
    return {
        code: {"name": info.name, "direction": info.direction, "ui": texts.get(code, {})}
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

    return [
        Route("/widget/i18n.json", i18n),
        Route("/demo", demo),
        Mount("/widget", StaticFiles(directory=HERE / "static"), name="widget"),
    ]
