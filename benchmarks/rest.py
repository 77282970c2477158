"""Load over HTTP with asyncio + aiohttp: the REST channel, /model/parse, one long conversation."""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, dataclass

import aiohttp

from benchmarks.stats import median, summarize
from benchmarks.traffic import Conversation

TIMEOUT = aiohttp.ClientTimeout(total=60)


@dataclass
class Sample:
    """One request: latency until the whole answer arrived, or what went wrong."""

    user: int
    turn: int  # 1-based turn within its conversation
    start_s: float  # since the start of the run
    latency_ms: float
    status: int | None  # None: no HTTP answer (see error)
    error: str | None
    replies: int  # bot messages in the answer


def summary_of(samples: list[Sample], wall_s: float) -> dict:
    ok = [s for s in samples if s.status == 200 and s.error is None]
    return summarize(
        [s.latency_ms for s in ok],
        wall_s=wall_s,
        errors=sum(1 for s in samples if s.status is None),
        non_200=sum(1 for s in samples if s.status is not None and s.status != 200),
        no_reply=sum(1 for s in ok if s.replies == 0),
    )


def result(samples: list[Sample], wall_s: float, **extra: object) -> dict:
    return {
        **extra,
        "summary": summary_of(samples, wall_s),
        "samples": [asdict(s) for s in samples],
    }


async def _post(
    http: aiohttp.ClientSession, url: str, payload: dict, user: int, turn: int, t0: float
) -> tuple[Sample, object]:
    started = time.perf_counter()
    try:
        async with http.post(url, json=payload) as reply:
            body = await reply.json(content_type=None) if reply.status == 200 else None
            status = reply.status
        error = None
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
        body, status, error = None, None, f"{type(exc).__name__}: {exc}"[:200]
    latency = (time.perf_counter() - started) * 1000
    replies = len(body) if isinstance(body, list) else 0
    return Sample(user, turn, started - t0, latency, status, error, replies), body


async def _talk(
    http: aiohttp.ClientSession, url: str, user: int, talks: list[Conversation], t0: float
) -> list[Sample]:
    samples = []
    for conversation in talks:
        for turn, text in enumerate(conversation.turns, start=1):
            payload = {"sender": conversation.sender, "message": text}
            sample, _ = await _post(http, url, payload, user, turn, t0)
            samples.append(sample)
    return samples


async def webhook_load(rasa_url: str, plan: list[list[Conversation]]) -> dict:
    """Every user (one list of conversations each) talks at once, each waiting for the answer
    before the next message, as a person in a chat does."""
    url = f"{rasa_url}/webhooks/rest/webhook"
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(timeout=TIMEOUT, connector=connector) as http:
        t0 = time.perf_counter()
        per_user = await asyncio.gather(
            *(_talk(http, url, user, talks, t0) for user, talks in enumerate(plan))
        )
        wall = time.perf_counter() - t0
    samples = [s for user_samples in per_user for s in user_samples]
    return result(samples, wall, users=len(plan))


async def parse_load(rasa_url: str, token: str, texts: list[str], concurrency: int) -> dict:
    """POST /model/parse (NLU only, no tracker, no actions) from `concurrency` clients."""
    url = f"{rasa_url}/model/parse?token={token}"
    queue: asyncio.Queue[str] = asyncio.Queue()
    for text in texts:
        queue.put_nowait(text)

    async def client(user: int, http: aiohttp.ClientSession, t0: float) -> list[Sample]:
        samples = []
        while not queue.empty():
            sample, body = await _post(http, url, {"text": queue.get_nowait()}, user, 1, t0)
            sample.replies = 1 if isinstance(body, dict) and body.get("intent") else 0
            samples.append(sample)
        return samples

    async with aiohttp.ClientSession(timeout=TIMEOUT, connector=aiohttp.TCPConnector()) as http:
        t0 = time.perf_counter()
        per_client = await asyncio.gather(*(client(u, http, t0) for u in range(concurrency)))
        wall = time.perf_counter() - t0
    return result([s for c in per_client for s in c], wall, users=concurrency)


async def long_conversation(rasa_url: str, token: str, talk: Conversation, window: int) -> dict:
    """One person, many turns, one session: latency of the first `window` turns against the last
    `window` (the same messages), then what the tracker says (paused, sessions, events)."""
    async with aiohttp.ClientSession(timeout=TIMEOUT) as http:
        t0 = time.perf_counter()
        samples = await _talk(http, f"{rasa_url}/webhooks/rest/webhook", 0, [talk], t0)
        wall = time.perf_counter() - t0
        tracker_url = f"{rasa_url}/conversations/{talk.sender}/tracker"
        params = {"token": token, "include_events": "ALL"}
        async with http.get(tracker_url, params=params) as reply:
            tracker = await reply.json(content_type=None) if reply.status == 200 else {}
    events = tracker.get("events") or []
    ok = [s.latency_ms if s.status == 200 else None for s in samples]
    first = [x for x in ok[:window] if x is not None]
    last = [x for x in ok[-window:] if x is not None]
    early, late = median(first), median(last)
    return result(
        samples,
        wall,
        turns=len(samples),
        language=talk.language,
        window=window,
        early_median_ms=early,
        late_median_ms=late,
        late_over_early=late / early if early and late else None,
        sessions=sum(1 for e in events if e.get("event") == "session_started"),
        events=len(events),
        user_events=sum(1 for e in events if e.get("event") == "user"),
        paused=tracker.get("paused"),
    )
