"""Rasa NLG that answers in the conversation's language (slot `language`).

Configured in endpoints.yml as `nlg: type: bot.nlg.LanguageNLG`. A response missing in a language
falls back to the default language with a warning, so a gap shows in the logs, not as silence.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from rasa.core.nlg.generator import NaturalLanguageGenerator
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.trackers import DialogueStateTracker

from bot.language import default_language
from bot.paths import RESPONSES_DIR, ROOT
from bot.responses import load_catalog

logger = logging.getLogger(__name__)


class LanguageNLG(NaturalLanguageGenerator):
    def __init__(self, endpoint_config: Any = None, domain: Any = None, **_: Any) -> None:
        kwargs = getattr(endpoint_config, "kwargs", None) or {}
        directory = Path(kwargs.get("responses_dir", RESPONSES_DIR))
        if not directory.is_absolute():
            directory = ROOT / directory
        self.default = default_language()
        self.generators = {
            lang: TemplatedNaturalLanguageGenerator(responses)
            for lang, responses in load_catalog(directory).items()
        }
        if self.default not in self.generators:
            raise ValueError(f"no responses for the default language {self.default!r}")

    def language_of(self, tracker: DialogueStateTracker, requested: Any = None) -> str:
        # An action that switches language names the new one: Rasa renders an action's messages
        # before it applies the action's slot events.
        if isinstance(requested, str) and requested in self.generators:
            return requested
        return tracker.get_slot("language") or self.default

    async def generate(
        self,
        utter_action: str,
        tracker: DialogueStateTracker,
        output_channel: str,
        **kwargs: Any,
    ) -> dict[str, Any] | None:
        language = self.language_of(tracker, kwargs.pop("language", None))
        generator = self.generators.get(language)
        if generator is None or utter_action not in generator.responses:
            logger.warning(
                "response %s missing in %s; answering in %s", utter_action, language, self.default
            )
            generator = self.generators[self.default]
        # Texts may link the privacy page in the person's language (served by the console process).
        base = os.environ.get("PRIVACY_URL", "http://localhost:5070/privacy").rstrip("/")
        kwargs.setdefault("privacy_url", f"{base}/{language}")
        return generator.generate_from_slots(
            utter_action, tracker.current_slot_values(), output_channel, **kwargs
        )
