"""Secrets made on first use: kept across restarts, readable by their owner only."""

from __future__ import annotations

from pathlib import Path

from bot.secret_files import stored_secret


def test_a_secret_is_made_once_and_kept_private(tmp_path: Path) -> None:
    path = tmp_path / "secrets" / "rasa-token"
    first = stored_secret(path)
    assert len(first) >= 32  # 24 random bytes, URL-safe base64
    assert stored_secret(path) == first
    assert path.stat().st_mode & 0o777 == 0o600
    assert stored_secret(tmp_path / "other", 32) != first
