"""Who gets in: every console route refuses without a session or token; login, lockout, CSRF."""

from __future__ import annotations

import re

from console_login import PASSWORD, csrf_of, log_in
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from bot.console.security import PUBLIC_PATHS
from bot.handoff.counsellors import issue_api_token
from bot.handoff.service import list_cases, open_case


def public(path: str) -> bool:
    """The console's declared public routes: login, health, and the widget for partner sites."""
    return any(path == p or path.startswith(p + "/") for p in PUBLIC_PATHS)


ACTIONS = ("claim", "assign", "reply", "note", "tag", "untag", "close")


def concrete(path: str) -> list[str]:
    path = re.sub(r"\{case_id\}", "1", path)
    return [path.replace("{action}", a) for a in ACTIONS] if "{action}" in path else [path]


def test_every_route_refuses_without_a_session_or_token(app, cases_db):
    open_case("conv-1", channel="socketio", language="fr", reason="requested")
    client = TestClient(app, follow_redirects=False)
    checked, skipped = [], set()
    for route in app.routes:
        if isinstance(route, Mount):
            continue  # static files: css and scripts only (console's and the widget's)
        assert isinstance(route, Route)
        if public(route.path):
            skipped.add(route.path)
            continue
        for method in sorted(route.methods - {"HEAD"}):
            for path in concrete(route.path):
                reply = client.request(method, path)
                checked.append((method, path, reply.status_code))
                if route.path.startswith("/api/"):
                    assert reply.status_code == 401, (method, route.path)
                elif method == "GET" and not route.path.endswith(".json"):
                    assert reply.status_code == 303 and reply.headers["location"] == "/login"
                else:
                    assert reply.status_code in (401, 403), (method, route.path)
    assert len(checked) >= 24
    # The erasure routes destroy a person's data: listed here so that they stay checked.
    erasure = {("POST", "/cases/1/erase"), ("POST", "/api/cases/1/erase")}
    assert erasure <= {(method, path) for method, path, _ in checked}
    # Exactly these are public; a new route under a public prefix must be added here on purpose.
    assert skipped == {
        "/login",
        "/health",
        "/demo",
        "/widget/i18n.json",
        "/privacy",
        "/privacy/{language}",
    }
    # Nothing was changed by the refused requests.
    assert list_cases()[0].status == "queued"


def test_a_wrong_api_token_is_refused_and_a_real_one_accepted(client):
    assert client.get("/api/cases", headers={"Authorization": "Bearer nope"}).status_code == 401
    token = issue_api_token("bo")
    reply = client.get("/api/cases", headers={"Authorization": f"Bearer {token}"})
    assert reply.status_code == 200 and reply.json()["cases"] == []


def test_login_with_the_right_password_opens_the_queue(client):
    reply = log_in(client)
    assert reply.status_code == 303 and reply.headers["location"] == "/"
    page = client.get("/")
    assert page.status_code == 200 and "Queue" in page.text


def test_a_wrong_password_is_refused_and_five_lock_the_account(client):
    for _ in range(5):
        assert log_in(client, password="wrong-password!").status_code == 401
    locked = log_in(client)  # even the right password, while locked
    assert locked.status_code == 429 and "Too many failed attempts" in locked.text
    assert client.get("/").status_code == 303


def test_a_form_without_its_csrf_token_is_refused(client):
    log_in(client)
    case = open_case("conv-1", channel="socketio", language="fr", reason="requested")
    reply = client.post(f"/cases/{case.id}/claim", data={})
    assert reply.status_code == 403
    assert list_cases()[0].status == "queued"
    login_page = client.get("/login").text
    forged = client.post("/login", data={"login": "ana", "password": PASSWORD, "csrf": "x"})
    assert forged.status_code == 403 and csrf_of(login_page)


def test_only_an_admin_creates_counsellors(client):
    log_in(client, "bo")
    page = client.get("/counsellors")
    assert page.status_code == 403


def test_the_privacy_page_is_public_in_every_language_and_right_to_left_where_needed(client):
    arabic = client.get("/privacy/ar")
    assert arabic.status_code == 200 and 'dir="rtl"' in arabic.text
    assert '<bdi dir="ltr">/forget</bdi>' in arabic.text
    assert 'dir="ltr"' in client.get("/privacy/fr").text
    assert client.get("/privacy/xx").status_code == 404
    texts = client.get("/widget/i18n.json").json()
    assert len(texts) == 16 and all(t["ui"]["privacy"] for t in texts.values())
