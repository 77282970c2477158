"""The counsellor console (Starlette): queue, case page, actions, export, and the JSON API.

Run by `make run` (python -m bot.console). Pages need a session (login, CSRF on every form); the
JSON API needs a bearer token (bot.console.security). Person's texts are rendered by Jinja2 with
autoescape and by `textContent` in the scripts, never as HTML.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import os
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.console import operations
from bot.console.activity import ConversationActivity
from bot.console.rasa_api import RasaAPI, RasaUnavailable
from bot.console.security import api, csrf_ok, csrf_token, page, session_user
from bot.console.transcript import slots, turns
from bot.handoff import canned, service
from bot.handoff.counsellors import (
    AccountError,
    LockedOut,
    authenticate,
    create_counsellor,
    list_counsellors,
)
from bot.handoff.settings import queue_timeout_minutes
from bot.language import load_languages
from bot.paths import VAR
from bot.privacy.retention import RetentionSettings, purge_periodically, tracker_database_url
from bot.secret_files import stored_secret
from bot.web.serve import widget_routes

HERE = Path(__file__).resolve().parent
OPENAPI = HERE / "openapi.json"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConsoleSettings:
    rasa_url: str
    rasa_token: str
    secret_key: str
    queue_timeout: dt.timedelta
    sweep_seconds: float = 5.0
    https_only: bool = False
    widget_server: str = ""  # the Rasa URL browsers use (the widget's socket.io)
    retention: RetentionSettings | None = None  # None: no scheduled purge (tests)

    @classmethod
    def from_env(cls) -> ConsoleSettings:
        token = os.environ.get("RASA_AUTH_TOKEN") or _read(VAR / "rasa-auth-token")
        return cls(
            rasa_url=os.environ.get("RASA_URL", "http://127.0.0.1:5005"),
            rasa_token=token,
            secret_key=os.environ.get("CONSOLE_SECRET_KEY")
            or stored_secret(VAR / "console-secret", 32),
            queue_timeout=dt.timedelta(minutes=queue_timeout_minutes()),
            sweep_seconds=float(os.environ.get("CONSOLE_SWEEP_SECONDS", "5")),
            https_only=os.environ.get("CONSOLE_HTTPS_ONLY", "") == "1",
            widget_server=os.environ.get("WIDGET_SERVER_URL")
            or os.environ.get("RASA_URL", "http://127.0.0.1:5005"),
            retention=RetentionSettings.from_env(),
        )


def _read(path: Path) -> str:
    return path.read_text().strip() if path.exists() else ""


templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True, trim_blocks=True
)


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    context |= {
        "user": getattr(request.state, "user", None) or session_user(request),
        "csrf": csrf_token(request),
    }
    return HTMLResponse(templates.get_template(name).render(**context), status_code=status)


def rasa(request: Request) -> RasaAPI:
    return request.app.state.rasa


def case_id_of(request: Request) -> int:
    try:
        return int(request.path_params["case_id"])
    except ValueError:
        raise service.CaseNotFound("no such case") from None


def filters_of(request: Request) -> service.CaseFilter:
    q = request.query_params
    return service.CaseFilter(
        **{k: (q.get(k) or None) for k in ("status", "priority", "language", "channel", "tag")},
        partner=q.get("partner") or None,
    )


async def case_view(request: Request, case_id: int) -> dict[str, Any]:
    """Everything the case page and the API show: the case, its timeline and the transcript."""
    detail = service.get_case(case_id)
    view: dict[str, Any] = {
        "case": asdict(detail.summary),
        "timeline": [asdict(t) for t in detail.timeline],
        "notes": [asdict(n) for n in detail.notes],
        "transcript": [],
        "slots": {},
        "transcript_error": None,
    }
    try:
        tracker = await rasa(request).tracker(detail.summary.conversation_id)
        view["transcript"] = [t.as_dict() for t in turns(tracker.get("events") or [])]
        view["slots"] = slots(tracker)
    except RasaUnavailable as error:
        view["transcript_error"] = str(error)
    return view


# ---------------------------------------------------------------- public


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def login_page(request: Request) -> Response:
    if request.method == "GET":
        return render(request, "login.html")
    if not await csrf_ok(request):
        return render(request, "login.html", 403, error="The form expired. Please try again.")
    form = await request.form()
    try:
        user = await asyncio.to_thread(
            authenticate, str(form.get("login") or ""), str(form.get("password") or "")
        )
    except LockedOut:
        return render(
            request, "login.html", 429, error="Too many failed attempts. Try again in 15 minutes."
        )
    if user is None:
        return render(request, "login.html", 401, error="Wrong login or password.")
    request.session.clear()  # a new session id on login (no fixation)
    request.session["login"] = user.login
    csrf_token(request)
    return RedirectResponse("/", status_code=303)


# ---------------------------------------------------------------- pages


@page
async def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@page
async def queue_page(request: Request) -> Response:
    return render(
        request,
        "queue.html",
        cases=service.list_cases(filters_of(request)),
        counts=service.counts(),
        filters=filters_of(request),
        languages=sorted(load_languages()),
        tags=service.all_tags(),
        erased=_int_or_none(request.query_params.get("erased")),
    )


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@page
async def queue_json(request: Request) -> Response:
    return JSONResponse(
        {
            "cases": [asdict(c) for c in service.list_cases(filters_of(request))],
            "counts": service.counts(),
        }
    )


@page
async def case_page(request: Request) -> Response:
    case_id = case_id_of(request)
    view = await case_view(request, case_id)
    return render(
        request,
        "case.html",
        view=view,
        canned=canned.for_language(view["case"]["language"]),
        counsellors=list_counsellors(),
        error=request.query_params.get("error"),
    )


@page
async def case_json(request: Request) -> Response:
    return JSONResponse(await case_view(request, case_id_of(request)))


@page
async def case_print(request: Request) -> Response:
    case_id = case_id_of(request)
    view = await case_view(request, case_id)
    service.log_event(case_id, "exported", request.state.user.login, "print")
    return render(request, "print.html", view=view)


@page
async def case_export(request: Request) -> Response:
    case_id = case_id_of(request)
    view = await case_view(request, case_id)
    service.log_event(case_id, "exported", request.state.user.login, "json")
    return Response(
        json.dumps(view, ensure_ascii=False, indent=2),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="case-{case_id}.json"'},
    )


async def _case_action(request: Request) -> None:
    """The form actions of the case page; each one is a timeline event."""
    case_id = case_id_of(request)
    login = request.state.user.login
    form = await request.form()
    action = request.path_params["action"]
    if action == "claim":
        service.claim(case_id, login)
    elif action == "assign":
        if not request.state.user.is_admin and form.get("to") != login:
            raise service.CaseError("only an admin assigns a case to someone else")
        service.assign(case_id, str(form.get("to") or ""), by=login)
    elif action == "reply":
        await operations.reply(rasa(request), case_id, login, str(form.get("text") or ""))
    elif action == "note":
        service.add_note(case_id, login, str(form.get("text") or ""))
    elif action == "tag":
        service.add_tag(case_id, str(form.get("tag") or ""), by=login)
    elif action == "untag":
        service.remove_tag(case_id, str(form.get("tag") or ""), by=login)
    elif action == "close":
        await operations.close(rasa(request), case_id, by=login, reason="closed_by_counsellor")
    else:
        raise service.CaseNotFound("no such action")


@page
async def case_action(request: Request) -> Response:
    case_id = case_id_of(request)
    target = f"/cases/{case_id}"
    try:
        await _case_action(request)
    except (service.CaseError, RasaUnavailable) as error:
        return RedirectResponse(f"{target}?error={quote(str(error))}", status_code=303)
    if request.headers.get("x-csrf-token"):
        return JSONResponse(await case_view(request, case_id))
    return RedirectResponse(target, status_code=303)


@page(admin=True)
async def case_erase(request: Request) -> Response:
    """Erases the person's data (conversation, this case, their other cases): admins, confirmed."""
    case_id = case_id_of(request)
    form = await request.form()
    if form.get("confirm") != "yes":
        error = "tick the box to confirm the erasure"
        return RedirectResponse(f"/cases/{case_id}?error={quote(error)}", status_code=303)
    try:
        await operations.erase_person(rasa(request), case_id, by=request.state.user.login)
    except RasaUnavailable as error:
        return RedirectResponse(f"/cases/{case_id}?error={quote(str(error))}", status_code=303)
    # The case is gone with the person's data: back to the queue, which says so.
    return RedirectResponse(f"/?erased={case_id}", status_code=303)


@page(admin=True)
async def counsellors_page(request: Request) -> Response:
    error = None
    if request.method == "POST":
        form = await request.form()
        try:
            await asyncio.to_thread(
                create_counsellor,
                str(form.get("login") or ""),
                str(form.get("password") or ""),
                name=str(form.get("name") or ""),
                role=str(form.get("role") or "counsellor"),
                languages=[x.strip() for x in str(form.get("languages") or "").split(",") if x],
                partner=str(form.get("partner") or ""),
            )
        except (AccountError, ValueError) as problem:
            error = str(problem)
    return render(request, "counsellors.html", counsellors=list_counsellors(), error=error)


# ---------------------------------------------------------------- JSON API


def api_error(error: Exception) -> JSONResponse:
    if isinstance(error, service.CaseNotFound):
        return JSONResponse({"error": str(error)}, status_code=404)
    if isinstance(error, RasaUnavailable):
        return JSONResponse({"error": str(error)}, status_code=502)
    return JSONResponse({"error": str(error)}, status_code=409)


async def _json_body(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


@api
async def api_cases(request: Request) -> Response:
    try:
        cases = service.list_cases(filters_of(request))
    except ValueError as error:  # an unknown status or priority
        return JSONResponse({"error": str(error)}, status_code=400)
    return JSONResponse({"cases": [asdict(c) for c in cases], "counts": service.counts()})


@api
async def api_case(request: Request) -> Response:
    try:
        return JSONResponse(await case_view(request, case_id_of(request)))
    except service.CaseError as error:
        return api_error(error)


@api
async def api_claim(request: Request) -> Response:
    try:
        case = service.claim(case_id_of(request), request.state.user.login)
    except service.CaseError as error:
        return api_error(error)
    return JSONResponse({"case": asdict(case)})


@api
async def api_reply(request: Request) -> Response:
    text = str((await _json_body(request)).get("text") or "")
    try:
        case = await operations.reply(
            rasa(request), case_id_of(request), request.state.user.login, text
        )
    except (service.CaseError, RasaUnavailable) as error:
        return api_error(error)
    return JSONResponse({"case": asdict(case)})


@api
async def api_close(request: Request) -> Response:
    try:
        case = await operations.close(
            rasa(request),
            case_id_of(request),
            by=request.state.user.login,
            reason="closed_by_counsellor",
        )
    except service.CaseError as error:
        return api_error(error)
    return JSONResponse({"case": asdict(case)})


@api
async def api_erase(request: Request) -> Response:
    if not request.state.user.is_admin:
        return JSONResponse({"error": "admins only"}, status_code=403)
    case_id = case_id_of(request)
    try:
        done = await operations.erase_person(rasa(request), case_id, by=request.state.user.login)
    except (service.CaseError, RasaUnavailable) as error:
        return api_error(error)
    return JSONResponse(
        {"erased": True, "case_id": case_id, "events": done["events"], "cases": done["cases"]}
    )


@api
async def api_openapi(request: Request) -> Response:
    return JSONResponse(json.loads(OPENAPI.read_text(encoding="utf-8")))


# ---------------------------------------------------------------- app


async def watch(app: Starlette, settings: ConsoleSettings) -> None:
    """Queue timeouts and cancellations, every few seconds, for as long as the console runs."""
    activity = ConversationActivity(tracker_database_url())
    while True:
        try:
            done = await operations.sweep(
                app.state.rasa, timeout=settings.queue_timeout, activity=activity
            )
            if any(done.values()):
                logger.info("watcher: %s", done)
        except Exception:  # the watcher must outlive one bad pass
            logger.exception("watcher pass failed")
        await asyncio.sleep(settings.sweep_seconds)


def create_app(settings: ConsoleSettings | None = None, *, watcher: bool = True) -> Starlette:
    settings = settings or ConsoleSettings.from_env()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await asyncio.to_thread(canned.sync_from_files)
        tasks = [asyncio.create_task(watch(app, settings))] if watcher else []
        if watcher and settings.retention and settings.retention.sweep_seconds > 0:
            tasks.append(asyncio.create_task(purge_periodically(settings.retention)))
        yield
        for task in tasks:
            task.cancel()

    routes = [
        # Public: the web chat widget for partner sites, and its demo page.
        *widget_routes(settings.widget_server or settings.rasa_url),
        Route("/health", health),
        Route("/login", login_page, methods=["GET", "POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        Route("/logout", logout, methods=["POST"]),
        Route("/", queue_page),
        Route("/queue.json", queue_json),
        Route("/counsellors", counsellors_page, methods=["GET", "POST"]),
        Route("/cases/{case_id}", case_page),
        Route("/cases/{case_id}/live.json", case_json),
        Route("/cases/{case_id}/export.json", case_export),
        Route("/cases/{case_id}/print", case_print),
        Route("/cases/{case_id}/erase", case_erase, methods=["POST"]),  # before {action}
        Route("/cases/{case_id}/{action}", case_action, methods=["POST"]),
        Route("/api/openapi.json", api_openapi),
        Route("/api/cases", api_cases),
        Route("/api/cases/{case_id}", api_case),
        Route("/api/cases/{case_id}/claim", api_claim, methods=["POST"]),
        Route("/api/cases/{case_id}/reply", api_reply, methods=["POST"]),
        Route("/api/cases/{case_id}/close", api_close, methods=["POST"]),
        Route("/api/cases/{case_id}/erase", api_erase, methods=["POST"]),
    ]

    async def not_found(request: Request, error: Exception) -> Response:
        return PlainTextResponse("no such case", status_code=404)

    app = Starlette(
        routes=routes,
        exception_handlers={service.CaseNotFound: not_found},
        middleware=[
            Middleware(
                SessionMiddleware,
                secret_key=settings.secret_key,
                session_cookie="console_session",
                max_age=12 * 3600,
                same_site="strict",
                https_only=settings.https_only,
            )
        ],
        lifespan=lifespan,
    )
    app.state.rasa = RasaAPI(settings.rasa_url, settings.rasa_token)
    app.state.settings = settings
    return app
