"""Working a case with the console's forms (SQLite; no Rasa running, as the page says)."""

from __future__ import annotations

from console_login import csrf_of, log_in

from bot.handoff.service import get_case, open_case


def form(client, case_id: int, action: str, **fields: str):
    token = csrf_of(client.get(f"/cases/{case_id}").text)
    return client.post(f"/cases/{case_id}/{action}", data={"csrf": token, **fields})


def test_claim_note_tag_and_assign_are_each_on_the_timeline(client):
    case = open_case("conv-1", channel="telegram", language="ar", reason="requested")
    log_in(client)
    for action, fields in [
        ("claim", {}),
        ("note", {"text": "Asked about Syria, call back Monday"}),
        ("tag", {"tag": "Syria"}),
        ("tag", {"tag": "medical"}),
        ("untag", {"tag": "medical"}),
        ("assign", {"to": "bo"}),
    ]:
        reply = form(client, case.id, action, **fields)
        assert reply.status_code == 303 and "error" not in reply.headers["location"], action
    detail = get_case(case.id)
    assert detail.summary.assignee == "bo" and detail.summary.tags == ("syria",)
    assert [(e.kind, e.actor) for e in detail.timeline] == [
        ("created", "bot"),
        ("claimed", "ana"),
        ("noted", "ana"),
        ("tagged", "ana"),
        ("tagged", "ana"),
        ("untagged", "ana"),
        ("assigned", "ana"),
    ]
    page = client.get(f"/cases/{case.id}").text
    assert "Asked about Syria, call back Monday" in page and "Transcript unavailable" in page


def test_a_counsellor_cannot_assign_a_case_to_someone_else(client):
    case = open_case("conv-1", channel="telegram", language="ar", reason="requested")
    log_in(client, "bo")
    reply = form(client, case.id, "assign", to="ana")
    assert "error=" in reply.headers["location"]
    assert get_case(case.id).summary.assignee is None


def test_html_in_a_note_is_shown_as_text(client):
    case = open_case("conv-1", channel="socketio", language="fr", reason="requested")
    log_in(client)
    form(client, case.id, "note", text="<script>alert(1)</script>")
    page = client.get(f"/cases/{case.id}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_queue_filters_and_puts_urgent_first(client):
    open_case("a", channel="telegram", language="ar", reason="requested")
    open_case("b", channel="socketio", language="fr", reason="requested", partner="Caritas")
    open_case("c", channel="socketio", language="fr", reason="urgent_help", urgent=True)
    log_in(client)
    ids = [c["conversation_id"] for c in client.get("/queue.json").json()["cases"]]
    assert ids == ["c", "a", "b"]
    by = {
        "language=fr": ["c", "b"],
        "channel=telegram": ["a"],
        "priority=urgent": ["c"],
        "partner=Caritas": ["b"],
        "status=closed": [],
    }
    for query, expected in by.items():
        got = client.get(f"/queue.json?{query}").json()["cases"]
        assert [c["conversation_id"] for c in got] == expected, query
    counts = client.get("/queue.json").json()["counts"]
    assert (counts["queued"], counts["urgent"]) == (3, 1)


def test_the_json_export_and_print_page_are_recorded(client):
    case = open_case("conv-1", channel="socketio", language="fr", reason="requested")
    log_in(client)
    export = client.get(f"/cases/{case.id}/export.json")
    assert export.json()["case"]["id"] == case.id
    assert "attachment" in export.headers["content-disposition"]
    assert client.get(f"/cases/{case.id}/print").status_code == 200
    assert [e.detail for e in get_case(case.id).timeline if e.kind == "exported"] == [
        "json",
        "print",
    ]


def test_an_admin_creates_a_counsellor_who_can_then_log_in(client):
    log_in(client)
    token = csrf_of(client.get("/counsellors").text)
    client.post(
        "/counsellors",
        data={"csrf": token, "login": "chloe", "password": "long-enough-pw", "languages": "ti"},
    )
    client.post("/logout", data={"csrf": csrf_of(client.get("/").text)})
    assert log_in(client, "chloe", "long-enough-pw").status_code == 303
