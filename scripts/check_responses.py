"""Check response files against English: every response present, same placeholders and button
payloads, no direction marks, and no number, e-mail or web address that the knowledge files lack.

Usage: python scripts/check_responses.py [<lang> ...]   (default: every file in data/responses)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bot.knowledge import load_knowledge  # noqa: E402
from bot.responses import catalog_problems, load_catalog, unsourced_items  # noqa: E402


def main(langs: list[str]) -> int:
    catalog = load_catalog()
    allowed = load_knowledge().allowed_items()
    langs = langs or sorted(catalog)
    failed = 0
    all_problems = catalog_problems(catalog)
    for lang in langs:
        if lang not in catalog:
            print(f"{lang}: no file data/responses/{lang}.yml")
            failed += 1
            continue
        problems = [p for p in all_problems if p.startswith(f"{lang}:")]
        problems += [f"{lang}: {p}" for p in unsourced_items(catalog[lang], allowed)]
        for problem in problems:
            print(f"PROBLEM {problem}")
        verdict = f"{len(problems)} problems" if problems else "OK"
        print(f"{lang}: {len(catalog[lang])} responses, {verdict}")
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
