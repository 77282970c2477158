"""Who may do what in the console: sessions with CSRF tokens for pages, bearer tokens for the API.

Every route is wrapped by `page`, `page_admin` or `api`; only the login page, /health and the
static files are public (a test lists every route and checks this).
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response

from bot.handoff.counsellors import CounsellorInfo, by_api_token, by_login

Handler = Callable[[Request], Awaitable[Response]]
# Routes without a session or token (tests/console/test_console_access.py holds every other to it).
PUBLIC_PATHS = ("/login", "/health", "/static", "/widget", "/demo", "/privacy")


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(24)
        request.session["csrf"] = token
    return token


async def csrf_ok(request: Request) -> bool:
    expected = request.session.get("csrf")
    if not expected:
        return False
    sent = request.headers.get("x-csrf-token")
    if sent is None:
        form = await request.form()
        sent = str(form.get("csrf") or "")
    return secrets.compare_digest(sent, expected)


def session_user(request: Request) -> CounsellorInfo | None:
    login = request.session.get("login")
    return by_login(login) if login else None


def page(handler: Handler | None = None, *, admin: bool = False):
    """A console page or form: needs a logged-in counsellor, and a CSRF token on every POST."""

    def wrap(fn: Handler) -> Handler:
        @functools.wraps(fn)
        async def guarded(request: Request) -> Response:
            user = session_user(request)
            if user is None:
                if request.method == "GET" and not request.url.path.endswith(".json"):
                    return RedirectResponse("/login", status_code=303)
                return PlainTextResponse("login needed", status_code=401)
            if admin and not user.is_admin:
                return PlainTextResponse("admins only", status_code=403)
            if request.method == "POST" and not await csrf_ok(request):
                return PlainTextResponse("the form has expired; reload the page", status_code=403)
            request.state.user = user
            return await fn(request)

        return guarded

    return wrap(handler) if handler else wrap


def api(fn: Handler) -> Handler:
    """A JSON API route: needs `Authorization: Bearer <token>` of an active counsellor."""

    @functools.wraps(fn)
    async def guarded(request: Request) -> Response:
        header = request.headers.get("authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else ""
        user = by_api_token(token)
        if user is None:
            return JSONResponse(
                {"error": "a valid bearer token is needed"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        request.state.user = user
        return await fn(request)

    return guarded
