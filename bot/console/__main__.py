"""python -m bot.console [--port 5070]: the counsellor console."""

from __future__ import annotations

import argparse
import os
import sys

# spaCy (the cancel-phrase matcher) imports thinc, and thinc imports TensorFlow whenever it is
# installed: 440 MB and seconds of start-up the console never uses (RSS 494 MB -> 133 MB).
sys.modules.setdefault("tensorflow", None)  # type: ignore[arg-type]

import uvicorn  # noqa: E402

from bot.console.app import create_app  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(prog="bot.console")
    parser.add_argument("--host", default=os.environ.get("CONSOLE_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("CONSOLE_PORT", 5070)))
    args = parser.parse_args()
    # access_log off: request logs are not needed and not kept. ws off: the console polls, and
    # Rasa pins an old `websockets` that uvicorn's websocket support cannot import.
    uvicorn.run(create_app(), host=args.host, port=args.port, access_log=False, ws="none")


if __name__ == "__main__":
    main()
