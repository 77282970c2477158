"""Rasa action server: thin glue from rasa_sdk to the `bot` library."""

import sys

# spaCy (phrase matching) imports thinc, which imports TensorFlow whenever it is installed:
# hundreds of MB the action server never uses. No effect where TensorFlow is already loaded.
sys.modules.setdefault("tensorflow", None)  # type: ignore[arg-type]

from bot.form_replies import reply_kinds  # noqa: E402
from bot.knowledge import knowledge  # noqa: E402

# Build the phrase index (spaCy's import alone takes seconds) and the knowledge while the server
# starts: built on the first person's message, a cold call took 15 s under load and exceeded the
# action timeout of the production profile.
reply_kinds("warm up")
knowledge()
