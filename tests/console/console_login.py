"""Logging in to the console as a browser does: the login form's CSRF token, then the POST."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

PASSWORD = "a-long-password-1"


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def log_in(client: TestClient, login: str = "ana", password: str = PASSWORD):
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"login": login, "password": password, "csrf": token})
