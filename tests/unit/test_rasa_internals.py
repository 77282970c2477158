"""The four pieces of Rasa 3.6.21 that bot/rasa_server.py replaces or wraps at start-up are still
the code those replacements were written against.

A Rasa upgrade that changes one of them fails here, at once, naming the module to review, instead
of only in the end-to-end tests (or not at all). After reviewing the replacement, update the hash.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
from pathlib import Path

import pytest
import rasa

from bot.privacy.pseudonym import RASA_LOGGERS

# (module, Class.method) -> (first 16 hex digits of the source's SHA-256, our module to review)
REPLACED = {
    ("rasa.core.actions.action", "RemoteAction.run"): (
        "b530fc5a6789c82f",
        "bot/action_unavailable.py",
    ),
    ("rasa.core.actions.action", "RemoteAction._validate_action_result"): (
        "24da0f6bdeb2d44f",
        "bot/action_results.py",
    ),
    ("rasa.core.agent", "Agent._create_tracker_store"): ("44b81a5829031ff2", "bot/stores.py"),
    ("rasa.core.tracker_store", "FailSafeTrackerStore.retrieve"): (
        "3a893008fbafc668",
        "bot/stores.py",
    ),
}


def source_of(module: str, qualname: str) -> str:
    """The method's source as it stands in the installed file (not the live, patched object)."""
    text = Path(importlib.util.find_spec(module).origin).read_text(encoding="utf-8")
    class_name, method = qualname.split(".")
    for node in ast.parse(text).body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name == method:
                    return ast.get_source_segment(text, item) or ""
    raise LookupError(f"{module}.{qualname} is gone")


def test_the_rasa_version_the_replacements_were_written_for() -> None:
    assert rasa.__version__ == "3.6.21"


@pytest.mark.parametrize(("module", "qualname"), sorted(REPLACED))
def test_replaced_rasa_code_is_unchanged(module: str, qualname: str) -> None:
    expected, ours = REPLACED[(module, qualname)]
    digest = hashlib.sha256(source_of(module, qualname).encode()).hexdigest()[:16]
    assert digest == expected, f"{module}.{qualname} changed: review {ours}, then update the hash"


@pytest.mark.parametrize("name", RASA_LOGGERS)
def test_pseudonymised_loggers_exist_in_rasa(name: str) -> None:
    # A logger Rasa no longer uses would leave the filter on nothing while ids leak elsewhere.
    if name.startswith("rasa."):
        source = Path(importlib.util.find_spec(name).origin).read_text(encoding="utf-8")
        assert "logging.getLogger(__name__)" in source
    else:
        source = Path(importlib.util.find_spec("sanic.log").origin).read_text(encoding="utf-8")
        assert f'logging.getLogger("{name}")' in source
