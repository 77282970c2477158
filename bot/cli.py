"""Command line of the project: train when needed, run every process, list cases.

python -m bot.cli train [--force] [--skip-validation]   train only if config, domain or data changed
python -m bot.cli run               start Rasa, the action server and the counsellor console
python -m bot.cli counsellor add <login> [--role admin] [--languages fr,ar] [--partner X]
python -m bot.cli counsellor list | token <login>    accounts and JSON API tokens
python -m bot.cli cases [--all]     list counsellor cases from the cases database
python -m bot.cli --prod ...        the same commands on `make run-prod`'s databases
python -m bot.cli purge [--dry-run] delete conversations and cases older than RETENTION_DAYS
"""

from __future__ import annotations

import argparse
import getpass
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml

from bot.fingerprint import fingerprint
from bot.paths import ROOT, VAR
from bot.secret_files import stored_secret

MODELS = ROOT / "models"
STAMP = MODELS / "current.fingerprint"
CURRENT = MODELS / "current.tar.gz"


def rasa_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # Rasa's component cache lives inside the clone, so a second CI run on the machine reuses it.
    env.setdefault("RASA_CACHE_DIRECTORY", str(ROOT / ".cache" / "rasa"))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def rasa_bin() -> str:
    return str(Path(sys.executable).with_name("rasa"))


def action_server(port: int) -> list[str]:
    """The action server: rasa_sdk's own entry point, without Rasa's CLI (and so without
    TensorFlow: 137 MB instead of 531 MB)."""
    return [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)]


def rasa_server() -> list[str]:
    """The command that starts a Rasa server: Rasa's CLI with bot.action_unavailable installed."""
    return [sys.executable, "-m", "bot.rasa_server"]


def rasa_run_command(
    model: Path, endpoints: Path, port: int, token: str, interface: str | None = None
) -> list[str]:
    """`rasa run` with the HTTP API behind a token: `make run` and each production replica."""
    interface_args = ["-i", interface] if interface else []
    return [
        *rasa_server(), "run", "--model", str(model), "--endpoints", str(endpoints),
        "--credentials", str(ROOT / "credentials.yml"), "--port", str(port), *interface_args,
        # One argument: a token that starts with "-" (token_urlsafe can) is not an option.
        "--enable-api", f"--auth-token={token}", "--cors", "*",
    ]  # fmt: skip


def needs_training() -> bool:
    return not CURRENT.exists() or not STAMP.exists() or STAMP.read_text() != fingerprint(ROOT)


def train(force: bool = False, skip_validation: bool = False) -> int:
    if not force and not needs_training():
        print(f"model up to date: {CURRENT.relative_to(ROOT)} (fingerprint unchanged)")
        return 0
    MODELS.mkdir(exist_ok=True)
    stamp = fingerprint(ROOT)
    started = time.monotonic()
    cmd = [
        rasa_bin(),
        "train",
        "--config",
        "config.yml",
        "--domain",
        "domain.yml",
        "--data",
        "data/nlu",
        "data/rules.yml",
        "data/stories.yml",
        "--out",
        str(MODELS),
        "--fixed-model-name",
        "current",
    ]
    if skip_validation:
        cmd.append("--skip-validation")  # `make test` has just run `rasa data validate`
    code = subprocess.call(cmd, cwd=ROOT, env=rasa_env())
    if code == 0:
        STAMP.write_text(stamp)
        print(f"trained {CURRENT.relative_to(ROOT)} in {time.monotonic() - started:.0f} s")
    return code


def write_endpoints(target: Path, actions_port: int, var: Path) -> Path:
    """endpoints.yml with the chosen action-server port and the SQLite stores under `var`."""
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    endpoints["action_endpoint"]["url"] = f"http://127.0.0.1:{actions_port}/webhook"
    store = endpoints.get("tracker_store") or {}
    if store.get("dialect") == "sqlite":
        store["db"] = str(var / Path(store["db"]).name)
    target.write_text(yaml.safe_dump(endpoints, sort_keys=False), encoding="utf-8")
    return target


def api_token(env: dict[str, str]) -> str:
    token = env.get("RASA_AUTH_TOKEN")
    if token:
        return token
    return stored_secret(VAR / "rasa-auth-token")


def run(rasa_port: int, actions_port: int, console_port: int) -> int:
    if train() != 0:
        return 1
    VAR.mkdir(parents=True, exist_ok=True)
    env = rasa_env()
    token = api_token(env)
    env.setdefault("CASES_DATABASE_URL", f"sqlite:///{VAR / 'cases.db'}")
    endpoints = write_endpoints(VAR / "endpoints.yml", actions_port, VAR)
    procs = {
        "actions": action_server(actions_port),
        "rasa": rasa_run_command(CURRENT, endpoints, rasa_port, token),
        "console": [sys.executable, "-m", "bot.console", "--port", str(console_port)],
    }
    env.setdefault("RASA_URL", f"http://127.0.0.1:{rasa_port}")
    env.setdefault("RASA_AUTH_TOKEN", token)
    env.setdefault("PRIVACY_URL", f"http://localhost:{console_port}/privacy")
    # Explicit handlers: a shell that starts this in the background ignores SIGINT for it, and
    # Ctrl-C, `kill` and a closed terminal must all stop every process started here.
    stopping: list[int] = []
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda signum, _frame: stopping.append(signum))
    started = {
        name: subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
        for name, cmd in procs.items()
    }
    print(
        f"\nStarting (the model takes about 30 s to load):\n"
        f"  Rasa server     http://localhost:{rasa_port}  (REST: /webhooks/rest/webhook,"
        f" socket.io: /socket.io, API token in {VAR / 'rasa-auth-token'} or $RASA_AUTH_TOKEN)\n"
        f"  Action server   http://localhost:{actions_port}/webhook\n"
        f"  Console         http://localhost:{console_port}  (accounts: make counsellor)\n"
        f"  Web widget demo http://localhost:{console_port}/demo  (a partner page embedding it)\n"
        f"  Cases database  {env['CASES_DATABASE_URL']}  (list: make cases)\n"
        f"Ctrl-C stops everything.\n",
        flush=True,
    )
    code = 0
    while not stopping:
        exited = [(name, p.returncode) for name, p in started.items() if p.poll() is not None]
        if exited:
            print(f"{exited[0][0]} exited with {exited[0][1]}; stopping the others", flush=True)
            code = exited[0][1] or 1
            break
        time.sleep(0.3)
    for proc in started.values():
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    for proc in started.values():
        try:
            proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    print("stopped", flush=True)
    return code


def cases(include_closed: bool) -> int:
    from bot.handoff.db import database_url
    from bot.handoff.service import list_cases

    rows = list_cases(include_closed=include_closed)
    from sqlalchemy.engine import make_url

    where = make_url(database_url()).render_as_string(hide_password=True)
    print(f"{len(rows)} case(s) in {where}")
    if rows:
        header = ("id", "status", "priority", "lang", "channel", "reason", "created")
        print("{:>4}  {:15} {:8} {:4} {:10} {:16} {}".format(*header))
    for c in rows:
        print(
            f"{c.id:>4}  {c.status:15} {c.priority:8} {c.language:4} {c.channel:10} "
            f"{c.reason:16} {c.created_at}"
        )
    return 0


def purge(dry_run: bool) -> int:
    """The retention purge (the console also runs it every RETENTION_SWEEP_SECONDS)."""
    from bot.privacy.retention import RetentionSettings, purge_now

    settings = RetentionSettings.from_env()
    result = purge_now(settings, dry_run=dry_run)
    verb = "would delete" if dry_run else "deleted"
    print(
        f"retention {settings.days:g} days: {verb} {result.conversations} conversation(s)"
        f" ({result.events} events), {result.cases} case(s) of theirs and"
        f" {result.orphan_cases} old closed case(s) without a conversation;"
        f" {result.kept_open} old conversation(s) kept for an open case"
    )
    return 0


def counsellor(args: argparse.Namespace) -> int:
    from bot.handoff import counsellors

    if args.action == "list":
        for c in counsellors.list_counsellors():
            print(f"{c.login:20} {c.role:10} {','.join(c.languages):12} {c.partner}")
        return 0
    if args.action == "token":
        print(counsellors.issue_api_token(args.login))
        return 0
    # The password is read from the terminal, or from COUNSELLOR_PASSWORD for scripts.
    password = os.environ.get("COUNSELLOR_PASSWORD") or getpass.getpass("Password: ")
    try:
        made = counsellors.create_counsellor(
            args.login,
            password,
            name=args.name,
            role=args.role,
            languages=[x.strip() for x in args.languages.split(",") if x.strip()],
            partner=args.partner,
        )
    except counsellors.AccountError as error:
        print(f"not created: {error}", file=sys.stderr)
        return 1
    print(f"created {made.role} {made.login}")
    return 0


def use_production_databases() -> None:
    """Points this process at `make run-prod`'s PostgreSQL (accounts, cases, purge)."""
    from bot.production.config import Layout

    layout = Layout.from_env()
    secret = layout.var / "secrets" / "db-password"
    if not secret.exists():
        sys.exit("no production profile here yet: start it once with `make run-prod`")
    password = secret.read_text().strip()
    os.environ["CASES_DATABASE_URL"] = layout.database_url("cases", password)
    os.environ["TRACKER_DATABASE_URL"] = layout.database_url("tracker", password)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bot.cli")
    parser.add_argument(
        "--prod", action="store_true", help="use the production profile's databases (var/prod)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_train = sub.add_parser("train", help="train the model if its inputs changed")
    p_train.add_argument("--force", action="store_true")
    p_train.add_argument("--skip-validation", action="store_true")
    p_run = sub.add_parser("run", help="start every process")
    p_run.add_argument("--rasa-port", type=int, default=int(os.environ.get("RASA_PORT", 5005)))
    p_run.add_argument(
        "--actions-port", type=int, default=int(os.environ.get("ACTIONS_PORT", 5055))
    )
    p_run.add_argument(
        "--console-port", type=int, default=int(os.environ.get("CONSOLE_PORT", 5070))
    )
    p_c = sub.add_parser("counsellor", help="console accounts: add, list, token")
    c_sub = p_c.add_subparsers(dest="action", required=True)
    c_add = c_sub.add_parser("add", help="create an account (asks for the password)")
    c_add.add_argument("login")
    c_add.add_argument("--name", default="")
    c_add.add_argument("--role", choices=["counsellor", "admin"], default="counsellor")
    c_add.add_argument("--languages", default="", help="codes, comma-separated: fr,nl,ar")
    c_add.add_argument("--partner", default="")
    c_sub.add_parser("list", help="list accounts")
    c_token = c_sub.add_parser("token", help="issue a JSON API token (replaces the old one)")
    c_token.add_argument("login")
    p_cases = sub.add_parser("cases", help="list counsellor cases")
    p_cases.add_argument("--all", action="store_true", help="include closed cases")
    p_purge = sub.add_parser("purge", help="delete what is older than RETENTION_DAYS")
    p_purge.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    args = parser.parse_args(argv)
    if args.prod:
        use_production_databases()
    if args.command == "train":
        return train(args.force, args.skip_validation)
    if args.command == "run":
        return run(args.rasa_port, args.actions_port, args.console_port)
    if args.command == "counsellor":
        return counsellor(args)
    if args.command == "purge":
        return purge(args.dry_run)
    return cases(args.all)


if __name__ == "__main__":
    sys.exit(main())
