"""Random secrets kept in files readable by their owner only (API token, passwords, keys)."""

from __future__ import annotations

import secrets
from pathlib import Path


def stored_secret(path: Path, length: int = 24) -> str:
    """The secret in `path`, made on first use: the same value across restarts."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(length))
        path.chmod(0o600)
    return path.read_text().strip()
