"""The erasure endpoint (bot/channels/privacy.py) over real HTTP, with Rasa's CORS set as `make run`
sets it: the console's token erases any conversation, the widget only a web session, and a
cross-origin page reads the reply (exactly one CORS header)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.cli import rasa_env
from bot.handoff.service import list_cases, open_case
from bot.processes import free_port, stop, wait_until
from bot.responses import load_catalog

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
TOKEN = "privacy-test-token"
WEB = "web-" + "3f" * 12
TELEGRAM = "123456789"
PARTNER = {"Origin": "https://partner.example", "Content-Type": "text/plain"}


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, str]]:
    work = tmp_path_factory.mktemp("privacy")
    cases_url = f"sqlite:///{work / 'cases.db'}"
    env = rasa_env() | {"CASES_DATABASE_URL": cases_url}
    port = free_port()
    log = work / "server.log"
    script = str(Path(__file__).with_name("privacy_server.py"))
    proc = subprocess.Popen(
        [sys.executable, script, str(port), TOKEN, WEB, TELEGRAM],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_until(f"http://127.0.0.1:{port}/", 60, proc, log)
        yield f"http://127.0.0.1:{port}/webhooks/privacy/forget", cases_url
    finally:
        stop(proc)


def post(url: str, body: str, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(url, content=body.encode(), headers=headers, timeout=10)


def test_the_widget_erases_its_own_session_and_a_partner_page_reads_the_reply(server):
    url, cases_url = server
    case = open_case(WEB, channel="socketio", language="fr", reason="requested", url=cases_url)
    reply = post(url, f'{{"sender": "{WEB}", "language": "fr"}}', PARTNER)
    assert reply.status_code == 200
    assert reply.headers.get_list("access-control-allow-origin") == ["*"]
    assert reply.json() == {
        "erased": True,
        "language": "fr",
        "text": load_catalog()["fr"]["utter_forgotten"][0]["text"],
        "events": 1,
        "cases": 1,
    }
    assert case.id not in {c.id for c in list_cases(include_closed=True, url=cases_url)}
    again = post(url, f'{{"sender": "{WEB}"}}', PARTNER)
    assert (again.json()["events"], again.json()["cases"]) == (0, 0)


def test_without_the_token_only_a_web_session_id_is_accepted(server):
    url, _ = server
    for sender in (TELEGRAM, "web-short", "web-" + "3F" * 12):
        refused = post(url, f'{{"sender": "{sender}"}}', PARTNER)
        assert refused.status_code == 403, sender
        assert refused.headers.get_list("access-control-allow-origin") == ["*"]
    assert post(url, "not json", PARTNER).status_code == 400
    assert post(url, '{"sender": ""}', PARTNER).status_code == 400


def test_the_consoles_token_erases_any_conversation_and_a_wrong_one_nothing(server):
    url, _ = server
    body = f'{{"sender": "{TELEGRAM}"}}'
    wrong = post(url, body, {"Authorization": "Bearer nope", "Content-Type": "application/json"})
    assert wrong.status_code == 401
    right = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    done = post(url, body, right)
    assert done.status_code == 200 and done.json()["events"] == 1
    assert post(url, body, right).json()["events"] == 0  # erased, not merely reported
