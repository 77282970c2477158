"""python -m bot.production: start the production profile on this machine and keep it running.

A process that dies (a crashed replica, an action server) is started again; Ctrl-C or SIGTERM
stops everything, PostgreSQL included. Data stays in var/prod between runs.
"""

from __future__ import annotations

import signal
import sys
import time

from bot.cli import train
from bot.processes import ProcessError
from bot.production.profile import Production


def main() -> int:
    if train() != 0:
        return 1
    stopping: list[int] = []
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda signum, _frame: stopping.append(signum))
    prod = Production()
    layout = prod.layout
    try:
        prod.start(progress=lambda step: print(f"starting {step}", flush=True))
    except ProcessError as error:
        print(f"could not start: {error}", file=sys.stderr)
        prod.stop()
        return 1
    print(
        f"\nProduction profile up (all on 127.0.0.1):\n"
        f"  Rasa through nginx  http://localhost:{layout.rasa_port}  (replicas on "
        f"{', '.join(map(str, layout.replica_ports))}; API token in {layout.var}/secrets)\n"
        f"  Action servers      {', '.join(map(str, layout.action_ports))} behind nginx on "
        f"{layout.actions_port}\n"
        f"  Console             http://localhost:{layout.console_port}\n"
        f"  PostgreSQL          127.0.0.1:{layout.postgres_port} (databases tracker, cases)\n"
        f"  Redis               127.0.0.1:{layout.redis_port} (locks, socket.io)\n"
        f"  Logs                {prod.logs}\n"
        f"Ctrl-C stops everything.\n",
        flush=True,
    )
    while not stopping:
        for name, code in prod.exited():
            print(f"{name} exited with {code}; starting it again", flush=True)
            prod.start_process(name)
        time.sleep(1)
    prod.stop()
    print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
