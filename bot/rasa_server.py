"""Rasa's own command line (`rasa run ...`) with the project's runtime additions installed first.

`python -m bot.rasa_server run --model ...` is what `make run`, `make run-prod` and the tests
start instead of the bare `rasa` script, so every profile answers when the action server is down
(bot.action_unavailable) and a database outage is an error, not a forked conversation
(bot.stores), and action responses are validated without re-checking the schema each time
(bot.action_results), and Rasa's log lines name no conversation (bot.privacy.pseudonym).
Everything else is Rasa unchanged.
"""

from __future__ import annotations

import os
import sys

from bot import action_results, action_unavailable, stores
from bot.privacy import pseudonym


def main() -> None:
    # Sanic refuses larger request bodies (413) before Rasa parses them; a chat message is capped
    # at 2,000 characters anyway (bot/limits.py). Here, not in the shared environment: the action
    # server receives whole conversations and must not inherit it.
    os.environ.setdefault("SANIC_REQUEST_MAX_SIZE", str(64 * 1024))
    action_results.install()
    action_unavailable.install()
    stores.install()
    pseudonym.install()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
