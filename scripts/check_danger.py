"""Which danger phrases fire on each line of a text file (one message per line).

Usage: python scripts/check_danger.py <text-file>

For writing the `danger` and `not_danger` lists of data/lexicon/<lang>.yml: a line that should be
danger and prints nothing needs a phrase; an ordinary line that prints a phrase needs a longer
`not_danger` phrase around it.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.danger import DangerDetector  # noqa: E402


def main(path: str) -> int:
    detector = DangerDetector()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            found = " | ".join(m.text for m in detector.find(line)) or "-"
            print(f"{found:30}  {line}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        raise SystemExit(2)
    raise SystemExit(main(sys.argv[1]))
