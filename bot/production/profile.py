"""Starts and stops the production profile: PostgreSQL, Redis, two action servers, two Rasa
replicas and nginx in front of them, and the console, all on loopback (see config.py).

Used by `make run-prod` (bot/production/__main__.py) and by the tests that kill and restart its
parts, so a test exercises exactly what an operator runs.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from bot.cli import CURRENT, ROOT, action_server, rasa_env, rasa_run_command
from bot.processes import ProcessError, stop, wait_until
from bot.production.config import (
    LOCK_LIFETIME_SECONDS,
    Layout,
    endpoints,
    nginx_conf,
    redis_arguments,
)
from bot.secret_files import stored_secret

POSTGRES_SCRIPT = ROOT / "scripts" / "postgres.sh"


class ServiceError(ProcessError):
    pass


class Production:
    def __init__(self, layout: Layout | None = None, model: Path = CURRENT) -> None:
        self.layout = layout or Layout.from_env()
        self.model = model
        var = self.layout.var
        self.logs = var / "logs"
        self.procs: dict[str, subprocess.Popen] = {}
        self.db_password = stored_secret(var / "secrets" / "db-password")
        self.token = os.environ.get("RASA_AUTH_TOKEN") or stored_secret(
            var / "secrets" / "rasa-token"
        )
        self.env = self._environment()

    # --- configuration -------------------------------------------------------------------
    def _environment(self) -> dict[str, str]:
        layout = self.layout
        env = rasa_env()
        env |= {
            "RETURNEE_DB_PASSWORD": self.db_password,
            "CASES_DATABASE_URL": layout.database_url("cases", self.db_password),
            "TRACKER_DATABASE_URL": layout.database_url("tracker", self.db_password),
            "SOCKETIO_REDIS_URL": layout.redis_url,
            # The rate limit and Telegram's handled updates, shared by the replicas.
            "CHANNEL_REDIS_URL": layout.redis_url,
            "TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME_SECONDS),
            # Rasa's default pool (50 + 100 overflow per replica) exceeds PostgreSQL's 100.
            "SQL_POOL_SIZE": os.environ.get("SQL_POOL_SIZE", "5"),
            "SQL_MAX_OVERFLOW": os.environ.get("SQL_MAX_OVERFLOW", "10"),
            "RASA_URL": f"http://127.0.0.1:{layout.rasa_port}",
            "RASA_AUTH_TOKEN": self.token,
        }
        env.setdefault("PRIVACY_URL", f"http://localhost:{layout.console_port}/privacy")
        return env

    def write_files(self) -> None:
        var = self.layout.var
        for directory in (self.logs, var / "redis", var / "nginx" / "tmp"):
            directory.mkdir(parents=True, exist_ok=True)
        (var / "nginx" / "tmp").chmod(0o1777)
        (var / "endpoints.yml").write_text(
            yaml.safe_dump(endpoints(self.layout), sort_keys=False), encoding="utf-8"
        )
        (var / "nginx" / "nginx.conf").write_text(nginx_conf(self.layout, as_root=os.getuid() == 0))

    # --- commands ------------------------------------------------------------------------
    def commands(self) -> dict[str, list[str]]:
        layout, var = self.layout, self.layout.var
        made: dict[str, list[str]] = {"redis": ["redis-server", *redis_arguments(layout)]}
        for i, port in enumerate(layout.action_ports, 1):
            made[f"actions-{i}"] = action_server(port)
        for i, port in enumerate(layout.replica_ports, 1):
            made[f"rasa-{i}"] = rasa_run_command(
                self.model, var / "endpoints.yml", port, self.token, interface="127.0.0.1"
            )
        made["nginx"] = [
            "nginx", "-p", str(var / "nginx"), "-e", str(var / "nginx" / "error.log"),
            "-c", str(var / "nginx" / "nginx.conf"),
        ]  # fmt: skip
        made["console"] = [sys.executable, "-m", "bot.console", "--port", str(layout.console_port)]
        return made

    def health_url(self, name: str) -> str | None:
        layout = self.layout
        if name.startswith("actions-"):
            return f"http://127.0.0.1:{layout.action_ports[int(name[-1]) - 1]}/health"
        if name.startswith("rasa-"):
            port = layout.replica_ports[int(name[-1]) - 1]
            return f"http://127.0.0.1:{port}/status?token={self.token}"
        if name == "nginx":
            return f"http://127.0.0.1:{layout.rasa_port}/"
        if name == "console":
            return f"http://127.0.0.1:{layout.console_port}/health"
        return None

    def _env_for(self, name: str) -> dict[str, str]:
        env = dict(self.env)
        # Telegram allows one getUpdates reader: in polling mode only the first replica polls.
        if name != "rasa-1" and env.get("TELEGRAM_MODE") == "polling":
            env["TELEGRAM_MODE"] = "webhook"
        return env

    # --- processes -----------------------------------------------------------------------
    def start_process(self, name: str) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("a")
        proc = subprocess.Popen(
            self.commands()[name],
            cwd=ROOT,
            env=self._env_for(name),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs[name] = proc
        return proc

    def wait_healthy(self, names: list[str], seconds: float = 300) -> None:
        started = time.monotonic()  # one deadline for all: they start at the same time
        for name in names:
            if url := self.health_url(name):
                wait_until(url, seconds, self.procs[name], self.logs / f"{name}.log", started)

    def stop_process(self, name: str, sig: int = signal.SIGTERM) -> None:
        if proc := self.procs.get(name):
            stop(proc, group=True, sig=sig)

    def restart_process(self, name: str, sig: int = signal.SIGTERM) -> None:
        self.stop_process(name, sig)
        self.start_process(name)
        self.wait_healthy([name])

    # --- PostgreSQL (a cluster of its own under var/prod/postgres) -------------------------
    def _postgres(self, command: str, *args: str) -> None:
        password_file = self.layout.var / "secrets" / "db-password"
        env = dict(os.environ) | {
            "PG_USER": self.layout.user,
            "PG_PASSWORD_FILE": str(password_file),
            "PG_DATABASES": "tracker cases",
            "PG_FSYNC": "on",
        }
        pg_dir = str(self.layout.var / "postgres")
        subprocess.run(["bash", str(POSTGRES_SCRIPT), command, pg_dir, *args], env=env, check=True)

    def start_postgres(self) -> None:
        self._postgres("start", str(self.layout.postgres_port))

    def restart_postgres(self) -> None:
        self._postgres("restart")

    def stop_postgres(self) -> None:
        if (self.layout.var / "postgres" / "data" / "postmaster.pid").exists():
            self._postgres("stop")

    # --- the whole profile ---------------------------------------------------------------
    def start(self, progress: Callable[[str], None] = lambda _m: None) -> None:
        for program in ("redis-server", "nginx", "psql"):
            if shutil.which(program) is None and not Path("/usr/sbin", program).exists():
                raise ServiceError(f"{program} is missing: run scripts/system_packages.sh")
        if not self.model.exists():
            raise ServiceError(f"no model at {self.model}: run `make train`")
        self.write_files()
        progress("PostgreSQL")
        self.start_postgres()
        # Migrate the cases database once, here: processes starting together would race.
        from bot.handoff.db import engine_for

        engine_for(self.env["CASES_DATABASE_URL"]).dispose()
        progress("Redis, action servers, Rasa replicas (loading the model takes a minute)")
        for name in ("redis", *self._names("actions"), *self._names("rasa")):
            self.start_process(name)
        self.wait_healthy([*self._names("actions")], 120)
        self.wait_healthy([*self._names("rasa")], 400)
        progress("nginx and the console")
        self.start_process("nginx")
        self.start_process("console")
        self.wait_healthy(["nginx", "console"], 60)

    def _names(self, kind: str) -> list[str]:
        ports = self.layout.action_ports if kind == "actions" else self.layout.replica_ports
        return [f"{kind}-{i}" for i in range(1, len(ports) + 1)]

    def stop(self) -> None:
        for name in reversed(list(self.procs)):
            self.stop_process(name)
        self.stop_postgres()

    def exited(self) -> list[tuple[str, int]]:
        return [(n, p.returncode) for n, p in self.procs.items() if p.poll() is not None]
