"""python -m benchmarks            run (settings from the environment, see benchmarks/settings.py)
python -m benchmarks report [--quick]   rewrite the plots and the report from the saved results
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("MPLBACKEND", "Agg")

from benchmarks.run import main, regenerate  # noqa: E402

if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["report"]:
        sys.exit(regenerate("quick" if "--quick" in args else "full"))
    if args:
        sys.exit(__doc__)
    sys.exit(main())
