"""The watcher asks Rasa only about conversations with new events (Rasa's own tracker table)."""

from __future__ import annotations

from bot.console.activity import ConversationActivity


async def _say(store, sender: str, text: str) -> None:
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = await store.retrieve(sender) or DialogueStateTracker(sender, [])
    tracker.update(UserUttered(text, {"name": "greet"}))
    await store.save(tracker)


async def test_only_conversations_with_new_events_are_changed(tmp_path) -> None:
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    db = tmp_path / "tracker.db"
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(db))
    await _say(store, "a", "hello")
    await _say(store, "b", "hi")
    activity = ConversationActivity(f"sqlite:///{db}")
    # First look: every conversation that has events (one without any has nothing to read).
    assert activity.changed(["a", "b", "never"]) == {"a", "b"}
    assert activity.changed(["a", "b"]) == set()
    await _say(store, "a", "I don't need a person anymore")
    assert activity.changed(["a", "b"]) == {"a"}
    activity.forget("b")  # Rasa could not be asked about b: look again
    assert activity.changed(["a", "b"]) == {"b"}


def test_without_a_readable_tracker_database_every_conversation_is_checked(tmp_path) -> None:
    activity = ConversationActivity(f"sqlite:///{tmp_path / 'missing.db'}")
    assert activity.changed(["a", "b"]) == {"a", "b"}
    assert activity.changed(["a", "b"]) == {"a", "b"}
