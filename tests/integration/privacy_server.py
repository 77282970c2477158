"""A Rasa HTTP server with only the privacy channel, as `make run` configures it (`--cors "*"`),
and an agent stand-in holding two conversations in memory: no model needed.

python tests/integration/privacy_server.py <port> <token> <widget session id> <telegram chat id>
"""

from __future__ import annotations

import asyncio
import sys
from types import SimpleNamespace

from rasa.core.lock_store import InMemoryLockStore
from rasa.core.run import configure_app
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels.privacy import PrivacyInput


def main() -> None:
    port, token, *senders = sys.argv[1:]
    store = InMemoryTrackerStore(Domain.empty())
    for sender in senders:
        tracker = DialogueStateTracker.from_events(sender, [UserUttered(f"hello from {sender}")])
        asyncio.run(store.save(tracker))
    app = configure_app([PrivacyInput(token)], cors="*", enable_api=False, port=int(port))
    app.ctx.agent = SimpleNamespace(tracker_store=store, lock_store=InMemoryLockStore())
    app.run(host="127.0.0.1", port=int(port), access_log=False)


if __name__ == "__main__":
    main()
