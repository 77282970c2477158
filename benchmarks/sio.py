"""Load over Rasa's socket.io channel, as the web widget talks to it.

Each conversation is a new client (python-socketio AsyncClient, long-polling transport: the
websocket transport needs a newer aiohttp than Rasa pins). A message is sent with `call()`, which
returns when the server's handler has finished, i.e. after every `bot_uttered` of the answer was
emitted: that is the latency measured. Connecting is not part of a message's latency, but it is
part of the run's wall time (a new person connects for each conversation).
"""

from __future__ import annotations

import asyncio
import time

import socketio

from benchmarks.rest import Sample, result
from benchmarks.traffic import Conversation

CALL_TIMEOUT = 60


async def _conversation(rasa_url: str, user: int, talk: Conversation, t0: float) -> list[Sample]:
    client = socketio.AsyncClient(reconnection=False)
    heard: list[dict] = []
    confirmed = asyncio.Event()
    client.on("bot_uttered", lambda data: heard.append(data))
    client.on("session_confirm", lambda *_: confirmed.set())
    samples: list[Sample] = []
    try:
        await client.connect(rasa_url, socketio_path="/socket.io", transports=["polling"])
        await client.emit("session_request", {"session_id": talk.sender})
        await asyncio.wait_for(confirmed.wait(), 30)
    except (socketio.exceptions.SocketIOError, asyncio.TimeoutError, OSError) as exc:
        error = f"connect: {type(exc).__name__}: {exc}"[:200]
        await client.disconnect()
        return [
            Sample(user, turn, 0.0, 0.0, None, error, 0) for turn in range(1, len(talk.turns) + 1)
        ]
    try:
        for turn, text in enumerate(talk.turns, start=1):
            before = len(heard)
            started = time.perf_counter()
            try:
                await client.call(
                    "user_uttered",
                    {"message": text, "session_id": talk.sender},
                    timeout=CALL_TIMEOUT,
                )
                status, error = 200, None
            except (socketio.exceptions.SocketIOError, asyncio.TimeoutError) as exc:
                status, error = None, f"{type(exc).__name__}: {exc}"[:200]
            latency = (time.perf_counter() - started) * 1000
            # Events are handled in arrival order, and the acknowledgement comes after them.
            await asyncio.sleep(0)
            samples.append(
                Sample(user, turn, started - t0, latency, status, error, len(heard) - before)
            )
    finally:
        await client.disconnect()
    return samples


async def socketio_load(rasa_url: str, plan: list[list[Conversation]]) -> dict:
    async def user_run(user: int, talks: list[Conversation], t0: float) -> list[Sample]:
        samples = []
        for talk in talks:
            samples.extend(await _conversation(rasa_url, user, talk, t0))
        return samples

    t0 = time.perf_counter()
    per_user = await asyncio.gather(*(user_run(u, talks, t0) for u, talks in enumerate(plan)))
    wall = time.perf_counter() - t0
    return result([s for u in per_user for s in u], wall, users=len(plan))
