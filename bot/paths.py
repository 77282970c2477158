"""Where the project's content lives; every module finds data through here."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("RETURNEE_DATA_DIR", ROOT / "data"))
LANGUAGES_FILE = DATA / "languages.yml"
RESPONSES_DIR = DATA / "responses"
LEXICON_DIR = DATA / "lexicon"
NLU_DIR = DATA / "nlu"
ROMANISATION_DIR = DATA / "romanisation"
KNOWLEDGE_DIR = DATA / "knowledge"
CANNED_DIR = DATA / "canned"
VAR = Path(os.environ.get("RETURNEE_VAR_DIR", ROOT / "var"))
