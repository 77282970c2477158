"""The production profile's generated configuration, checked by the real programs."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.action_unavailable import (
    APOLOGY,
    CONTACTS,
    EMERGENCY,
    HANDOFF_FAILED,
    responses_for,
)
from bot.production.config import (
    ACTION_READ_TIMEOUT,
    LOCK_LIFETIME_SECONDS,
    Layout,
    endpoints,
    nginx_conf,
)


def test_nginx_accepts_the_generated_configuration(tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        pytest.fail("nginx is missing: scripts/system_packages.sh installs it")
    layout = Layout(var=tmp_path)
    (tmp_path / "nginx" / "tmp").mkdir(parents=True)
    conf = tmp_path / "nginx" / "nginx.conf"
    conf.write_text(nginx_conf(layout, as_root=os.getuid() == 0))
    checked = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path / "nginx"), "-e", str(tmp_path / "error.log"),
         "-c", str(conf)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    text = conf.read_text()
    for port in (*layout.replica_ports, *layout.action_ports):
        assert f"server 127.0.0.1:{port} " in text
    assert "access_log off" in text  # request lines carry conversation ids


def test_endpoints_share_the_conversation_state_between_replicas() -> None:
    made = endpoints(Layout())
    assert made["tracker_store"]["type"] == "bot.stores.ResilientSQLTrackerStore"
    assert made["tracker_store"]["dialect"] == "postgresql"
    assert made["tracker_store"]["password"] == "${RETURNEE_DB_PASSWORD}"  # not in the file
    assert made["lock_store"]["type"] == "bot.locks.SharedRedisLockStore"
    assert made["action_endpoint"]["url"].endswith(f":{Layout().actions_port}/webhook")


def test_a_dead_replica_holds_a_conversation_no_longer_than_a_slow_turn_needs() -> None:
    assert ACTION_READ_TIMEOUT < LOCK_LIFETIME_SECONDS < 60


def test_without_the_action_server_danger_still_gets_the_emergency_numbers_first() -> None:
    assert responses_for("action_urgent_help", "urgent_help", False) == [
        EMERGENCY,
        HANDOFF_FAILED,
        CONTACTS,
    ]
    assert responses_for("action_answer_question", "ask_costs", False) == [APOLOGY, CONTACTS]
    assert responses_for("action_start_handoff", "request_human", False) == [
        HANDOFF_FAILED,
        CONTACTS,
    ]
    # Said once per message, and never for the language slot filler that runs before it.
    assert responses_for("action_answer_question", "ask_costs", True) == []
    assert responses_for("action_detect_language", "ask_costs", False) == []


def test_the_command_line_reaches_the_production_databases(tmp_path, monkeypatch) -> None:
    import bot.production.config as config
    from bot.cli import use_production_databases

    monkeypatch.setattr(config, "VAR", tmp_path)
    # Recorded by monkeypatch, so what the command sets is undone after the test.
    monkeypatch.setenv("CASES_DATABASE_URL", "unset")
    monkeypatch.setenv("TRACKER_DATABASE_URL", "unset")
    with pytest.raises(SystemExit):  # no profile started here yet: say so, touch nothing
        use_production_databases()
    (tmp_path / "prod" / "secrets").mkdir(parents=True)
    (tmp_path / "prod" / "secrets" / "db-password").write_text("s3cret\n")
    use_production_databases()
    port = Layout().postgres_port
    assert os.environ["CASES_DATABASE_URL"].endswith(f":s3cret@127.0.0.1:{port}/cases")
    assert os.environ["TRACKER_DATABASE_URL"].endswith(f"@127.0.0.1:{port}/tracker")


def test_a_replica_reads_an_api_token_that_starts_with_a_dash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # token_urlsafe starts with "-" once in 64 draws; "--auth-token -x" made rasa exit at start.
    from rasa.__main__ import create_argument_parser

    from bot.cli import rasa_run_command
    from bot.production.profile import Production

    monkeypatch.setenv("RASA_AUTH_TOKEN", "-d8ECHDxhzQ")
    replica = Production(Layout(var=tmp_path)).commands()["rasa-1"]
    make_run = rasa_run_command(tmp_path / "m.tar.gz", tmp_path / "e.yml", 5005, "-d8ECHDxhzQ")
    for command in (replica, make_run):
        args = create_argument_parser().parse_args(command[command.index("run") :])
        assert args.auth_token == "-d8ECHDxhzQ"
        assert args.enable_api
