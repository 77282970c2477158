"""Append examples to one label's block of an NLU file, keeping its layout and skipping duplicates.

Usage: python scripts/add_examples.py <nlu-file> <label> <text-file with one example per line>

Lines may start with "- " or not; blank lines are skipped. A label without a block gets a new one.
"""

from __future__ import annotations

import fcntl
import re
import sys
import tempfile
from pathlib import Path


def _key(example: str) -> str:
    return re.sub(r"[\W_]+", " ", example.lower()).strip()


def add_examples(path: Path, label: str, new: list[str]) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    header = f"- intent: {label}"
    existing = {_key(ln.strip()[2:]) for ln in lines if ln.strip().startswith("- ")}
    cleaned: list[str] = []
    for raw in new:
        text = raw.strip()
        text = text[2:].strip() if text.startswith("- ") else text
        if text and _key(text) not in existing:
            existing.add(_key(text))
            cleaned.append(f"    - {text}")
    if not cleaned:
        return 0
    if header not in lines:
        lines += [header, "  examples: |", *cleaned]
    else:
        end = lines.index(header) + 2
        while end < len(lines) and lines[end].startswith("    "):
            end += 1
        lines[end:end] = cleaned
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(cleaned)


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__)
        return 2
    path, label, source = Path(argv[0]), argv[1], Path(argv[2])
    # Several writers may add to the same file at once; a lock keeps their edits.
    with open(
        Path(tempfile.gettempdir())
        / f"add-examples-{path.resolve().as_posix().replace('/', '_')}.lock",
        "w",
    ) as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        added = add_examples(path, label, source.read_text(encoding="utf-8").splitlines())
    print(f"{path}: {added} examples added to {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
