"""Handoff settings an operator sets by environment (the same for the action server and console)."""

from __future__ import annotations

import os


def queue_timeout_minutes() -> int:
    """After this long in the queue with nobody on it, the bot takes the conversation back."""
    return max(1, int(os.environ.get("HANDOFF_QUEUE_TIMEOUT_MINUTES", "60")))
