"""From the raw results (var/bench/<mode>/results.json): the side-by-side table printed at the end
of a run, the plots (bench-*.png) and the markdown report (docs/benchmarks.md in full mode)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.paths import ROOT

GB_IN_MIB = 1.2e9 / 2**20  # the target "1.2 GB" (decimal), in MiB: 1,144 MiB


# --- reading the results ---------------------------------------------------------------------


def level(server: dict | None, channel: str, users: int) -> dict | None:
    for run in (server or {}).get(channel, []):
        if run.get("users") == users:
            return run
    return None


def get(server: dict | None, *path: object) -> object:
    value: object = server
    for key in path:
        if value is None:
            return None
        if isinstance(key, int) and isinstance(value, list):
            value = value[key] if key < len(value) else None
        else:
            value = value.get(key) if isinstance(value, dict) else None
    return value


def fault_count(run: dict | None) -> int:
    summary = (run or {}).get("summary") or {}
    return int(summary.get("errors") or 0) + int(summary.get("non_200") or 0)


def cpu_per_message(run: dict | None) -> dict[str, float]:
    """CPU milliseconds per completed message, per process, during one load."""
    done = get(run, "summary", "completed")
    cpu = (run or {}).get("cpu_s") or {}
    if not done:
        return {}
    return {name: sec * 1000 / done for name, sec in cpu.items() if sec is not None}


def cpu_text(run: dict | None) -> str:
    per = cpu_per_message(run)
    return ", ".join(f"{name} {ms:.0f}" for name, ms in per.items())


def capacity(run: dict | None, cores: int) -> float | None:
    """The most messages per second `cores` could complete at this CPU cost per message."""
    total = sum(cpu_per_message(run).values())
    return cores * 1000 / total if total else None


@dataclass
class Row:
    section: str
    label: str
    unit: str
    ours: float | None
    peer: float | None
    target: str = ""
    status: str = ""  # PASS, MISS, n/a, or "" when the row has no target
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.ours is None or self.peer is None or self.peer == 0 or not self.unit:
            return None
        return self.ours / self.peer


def _check(value: float | None, limit: float, higher_is_better: bool, faults: int = 0) -> str:
    if value is None:
        return "n/a"
    if faults:
        return "MISS (errors)"
    ok = value >= limit if higher_is_better else value <= limit
    return "PASS" if ok else "MISS"


def side_by_side(
    section: str,
    label: str,
    unit: str,
    ours: dict | None,
    peer: dict | None,
    *path: object,
    target: str = "",
    status: str = "",
    note: str = "",
) -> Row:
    """A row with the same measure read from both servers' results."""
    return Row(section, label, unit, get(ours, *path), get(peer, *path), target, status, note)


def _plural(n: int) -> str:
    return f"{n} user{'s' if n > 1 else ''}"


def rows(results: dict) -> list[Row]:
    ours = results["servers"].get("ours")
    peer = results["servers"].get("peer")
    training = results.get("training") or {}
    users = results["settings"]["users"]
    long_turns = results["settings"]["long_turns"]
    out: list[Row] = []

    def best_throughput(server: dict | None) -> tuple[float | None, int | None, int]:
        runs = [r for r in (server or {}).get("rest", []) if r["summary"]["throughput_per_s"]]
        if not runs:
            return None, None, 0
        best = max(runs, key=lambda r: r["summary"]["throughput_per_s"])
        return best["summary"]["throughput_per_s"], best["users"], fault_count(best)

    mine_tp, mine_users, mine_faults = best_throughput(ours)
    best_row = Row(
        "REST webhook",
        "best throughput over the levels",
        "msg/s",
        mine_tp,
        best_throughput(peer)[0],
        "≥ 60 msg/s",
        _check(mine_tp, 60, True, mine_faults),
        f"at {_plural(mine_users)}" if mine_users else "",
    )

    name_rest = "REST webhook"
    for channel, name in (("rest", name_rest), ("socketio", "socket.io")):
        if channel == "socketio":
            out.append(best_row)
            if 8 not in users:
                out.append(
                    Row(name_rest, "p95 latency, 8 users", "ms", None, None, "≤ 60 ms", "n/a")
                )
        for n in users:
            mine, theirs = level(ours, channel, n), level(peer, channel, n)
            for p in ("p50", "p95", "p99"):
                target = status = ""
                if channel == "rest" and n == 8 and p == "p95":
                    target = "≤ 60 ms"
                    status = _check(get(mine, "summary", "p95_ms"), 60, False, fault_count(mine))
                out.append(
                    side_by_side(
                        name, f"{p} latency, {_plural(n)}", "ms", mine, theirs,
                        "summary", f"{p}_ms", target=target, status=status,
                    )
                )  # fmt: skip
            out.append(
                side_by_side(
                    name, f"throughput, {_plural(n)}", "msg/s", mine, theirs,
                    "summary", "throughput_per_s",
                )
            )  # fmt: skip
            out.append(
                Row(
                    name,
                    f"errors + non-200, {_plural(n)}",
                    "",
                    fault_count(mine) if mine else None,
                    fault_count(theirs) if theirs else None,
                )
            )

    for kind, label in (("sequential", "1 client"), ("concurrent", "concurrent clients")):
        mine, theirs = get(ours, "parse", kind), get(peer, "parse", kind)
        n = get(mine, "users") or get(theirs, "users")
        label = f"{n} clients" if kind == "concurrent" and n else label
        for p in ("p50", "p95", "p99"):
            out.append(
                side_by_side(
                    "/model/parse", f"{p} latency, {label}", "ms", mine, theirs,
                    "summary", f"{p}_ms",
                )
            )  # fmt: skip
        out.append(
            side_by_side(
                "/model/parse", f"throughput, {label}", "req/s", mine, theirs,
                "summary", "throughput_per_s",
            )
        )  # fmt: skip

    window = results["settings"]["window"]
    section = "Long conversation"
    out.append(
        side_by_side(
            section, f"median latency, turns 1-{window}", "ms", ours, peer,
            "long", "early_median_ms",
        )
    )  # fmt: skip
    out.append(
        side_by_side(
            section, f"median latency, turns {long_turns - window + 1}-{long_turns}", "ms",
            ours, peer, "long", "late_median_ms",
        )
    )  # fmt: skip
    ratio = get(ours, "long", "late_over_early")
    paused = bool(get(ours, "long", "paused"))
    if paused:
        status, note = "n/a (paused)", "the conversation was paused (handoff): not comparable"
    elif long_turns >= 200:
        status, note = _check(ratio, 1.5, False, fault_count(get(ours, "long"))), ""
    else:
        status, note = "n/a", f"quick mode: turn {long_turns}, not 200"
    out.append(
        side_by_side(
            section, f"turn {long_turns} / turn {window}", "×", ours, peer,
            "long", "late_over_early",
            target="≤ 1.5×" if long_turns >= 200 else "≤ 1.5× (at turn 200)",
            status=status, note=note,
        )
    )  # fmt: skip

    for proc, label in (
        ("rasa", "Rasa server"),
        ("actions", "action server"),
        ("console", "console"),
    ):
        peak_mine = get(ours, "memory", "peak", proc)
        out.append(
            side_by_side(
                "Memory (RSS)", f"{label}, after the load", "MiB", ours, peer,
                "memory", "after_load", proc,
            )
        )  # fmt: skip
        out.append(
            side_by_side(
                "Memory (RSS)", f"{label}, peak", "MiB", ours, peer, "memory", "peak", proc,
                target="≤ 1.2 GB (1,144 MiB)" if proc == "rasa" else "",
                status=_check(peak_mine, GB_IN_MIB, False) if proc == "rasa" else "",
            )
        )  # fmt: skip
    out.append(
        side_by_side("Startup", "Rasa server start to ready", "s", ours, peer, "startup_s", "rasa")
    )

    t_ours, t_peer = training.get("ours"), training.get("peer")
    wall = get(t_ours, "wall_s")
    peer_epochs = get(t_peer, "epochs")
    notes = ["ours recorded earlier for the same inputs" if get(t_ours, "reused") else ""]
    if peer_epochs:
        notes.append(
            f"peer: {peer_epochs} epochs per model measured in "
            f"{fmt(get(t_peer, 'wall_s'))} s, extrapolated to 100"
        )
    out.append(
        Row(
            "Training (cold cache)",
            "full training, wall time",
            "s",
            wall,
            get(t_peer, "extrapolated_wall_s") or get(t_peer, "wall_s"),
            "≤ 5 min (300 s)",
            _check(wall, 300, False),
            "; ".join(n for n in notes if n),
        )
    )
    out.append(
        side_by_side(
            "Training (cold cache)", "peak RSS while training", "MiB", t_ours, t_peer,
            "peak_rss_mib",
        )
    )  # fmt: skip
    return out


# --- formatting ------------------------------------------------------------------------------


def fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    if unit == "×":
        return f"{value:.2f}×"
    if isinstance(value, int) or float(value).is_integer() and abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def fmt_ratio(row: Row) -> str:
    return "—" if row.ratio is None else f"{row.ratio:.2f}"


def table_text(results: dict) -> str:
    """The side-by-side table for the terminal."""
    lines = []
    header = f"{'metric':52} {'ours':>10} {'peer':>10} {'ours/peer':>9}  {'target':22} status"
    section = None
    for row in rows(results):
        if row.section != section:
            section = row.section
            lines += ["", f"== {section}", header]
        label = f"{row.label} ({row.unit})" if row.unit else row.label
        status = f"{row.status} {row.note}".strip() if row.status else row.note
        lines.append(
            f"{label:52} {fmt(row.ours, row.unit):>10} {fmt(row.peer, row.unit):>10} "
            f"{fmt_ratio(row):>9}  {row.target:22} {status}"
        )
    return "\n".join(lines)


def faults_text(results: dict) -> list[str]:
    """Every run with errors or non-200 answers, spelled out (they must not hide in a table)."""
    found = []
    for server_name, server in results["servers"].items():
        runs = [
            (f"{c} {r['users']} users", r) for c in ("rest", "socketio") for r in server.get(c, [])
        ]
        runs += [(f"parse {k}", server["parse"][k]) for k in ("sequential", "concurrent")]
        runs += [("long conversation", server["long"])]
        for name, run in runs:
            s = run["summary"]
            if s["errors"] or s["non_200"]:
                kinds = sorted({x["error"] or f"HTTP {x['status']}" for x in run["samples"]
                                if x["error"] or x["status"] != 200})  # fmt: skip
                found.append(
                    f"{server_name}, {name}: {s['errors']} errors, {s['non_200']} non-200 of "
                    f"{s['errors'] + s['non_200'] + s['completed']} ({'; '.join(kinds)[:300]})"
                )
    return found


# --- plots -----------------------------------------------------------------------------------

COLOURS = {"ours": "#1f77b4", "peer": "#ff7f0e"}
NICE_MS = tuple(m * 10**e for e in range(5) for m in (1, 1.5, 2, 3, 5, 7))


def plots(results: dict, images: Path) -> list[Path]:
    os.environ.setdefault("MPLBACKEND", "Agg")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    images.mkdir(parents=True, exist_ok=True)
    servers = results["servers"]
    users = results["settings"]["users"]
    written = []

    # Latency percentiles per channel and number of users.
    fig, axes = plt.subplots(1, 3, figsize=(14, 4.2))
    for ax, channel, title in (
        (axes[0], "rest", "REST webhook"),
        (axes[1], "socketio", "socket.io"),
    ):
        for name, server in servers.items():
            for p, style in (("p50", ":"), ("p95", "-"), ("p99", "--")):
                ys = [get(level(server, channel, n), "summary", f"{p}_ms") for n in users]
                ax.plot(users, ys, style, marker="o", color=COLOURS[name], label=f"{name} {p}")
        if channel == "rest" and 8 in users:
            ax.axhline(60, color="grey", lw=0.8)
            ax.annotate("target p95 at 8 users", (8, 60), fontsize=8, color="grey")
        ax.set(title=title, xlabel="concurrent users", ylabel="latency (ms, log)")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.minorticks_off()
        low, high = ax.get_ylim()
        ticks = [t for t in NICE_MS if low <= t <= high] or [round(low), round(high)]
        ticks = ticks[:: max(1, len(ticks) // 8)]
        ax.set_yticks(ticks)
        ax.set_yticklabels([f"{t:g}" for t in ticks])
        ax.set_xticks(users)
        ax.set_xticklabels([str(n) for n in users])
        ax.legend(fontsize=7)
    ax = axes[2]
    kinds = ("sequential", "concurrent")
    group = len(servers) * 3 + 1
    for k in range(len(kinds)):
        for i, (name, server) in enumerate(servers.items()):
            for j, p in enumerate(("p50", "p95", "p99")):
                y = get(server, "parse", kinds[k], "summary", f"{p}_ms") or 0
                ax.bar(k * group + i * 3 + j, y, 0.8, color=COLOURS[name], alpha=0.45 + 0.25 * j,
                       label=f"{name} {p}" if k == 0 else None)  # fmt: skip
    ax.set_xticks([k * group + (group - 2) / 2 for k in range(len(kinds))])
    ax.set_xticklabels(["1 client", f"{results['settings']['parse_concurrency']} clients"])
    ax.set(title="/model/parse", ylabel="latency (ms)")
    ax.legend(fontsize=7)
    fig.tight_layout()
    written.append(_save(fig, images / "bench-latency.png"))

    # Throughput.
    fig, ax = plt.subplots(figsize=(8, 4))
    labels = [f"{c} {n}u" for c in ("REST", "sio") for n in users]
    for i, (name, server) in enumerate(servers.items()):
        ys = [
            get(level(server, c, n), "summary", "throughput_per_s") or 0
            for c in ("rest", "socketio")
            for n in users
        ]
        xs, width = _offsets(len(labels), i, len(servers))
        ax.bar(xs, ys, width, color=COLOURS[name], label=name)
    ax.axhline(60, color="grey", lw=0.8)
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels)
    ax.set(title="Completed messages per second (target ≥ 60)", ylabel="msg/s")
    ax.legend()
    fig.tight_layout()
    written.append(_save(fig, images / "bench-throughput.png"))

    # Latency per turn of the long conversation.
    fig, ax = plt.subplots(figsize=(8, 4))
    for name, server in servers.items():
        samples = get(server, "long", "samples") or []
        xs = [s["turn"] for s in samples if s["status"] == 200]
        ys = [s["latency_ms"] for s in samples if s["status"] == 200]
        ax.plot(xs, ys, ".", ms=3, color=COLOURS[name], alpha=0.5)
        rolling = [sorted(ys[max(0, i - 9): i + 1])[len(ys[max(0, i - 9): i + 1]) // 2]
                   for i in range(len(ys))]  # fmt: skip
        ax.plot(xs, rolling, "-", color=COLOURS[name], label=f"{name} (median of 10 turns)")
    ax.set(title="One conversation, one session: latency per turn", xlabel="turn",
           ylabel="latency (ms)")  # fmt: skip
    ax.legend()
    fig.tight_layout()
    written.append(_save(fig, images / "bench-long-conversation.png"))

    # Memory per process and training.
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    ax = axes[0]
    procs = ("rasa", "actions", "console")
    for i, (name, server) in enumerate(servers.items()):
        ys = [get(server, "memory", "peak", p) or 0 for p in procs]
        xs, width = _offsets(len(procs), i, len(servers))
        ax.bar(xs, ys, width, color=COLOURS[name], label=name)
    ax.axhline(GB_IN_MIB, color="grey", lw=0.8)
    ax.annotate("1.2 GB target (Rasa server)", (0.6, GB_IN_MIB + 20), fontsize=8, color="grey")
    ax.set_xticks(range(len(procs)))
    ax.set_xticklabels(["Rasa server", "action server", "console"])
    ax.set(title="Peak RSS per process", ylabel="MiB")
    ax.legend()
    ax = axes[1]
    training = results.get("training") or {}
    names = [n for n in ("ours", "peer") if get(training, n, "wall_s")]
    # The peer's extrapolated time when it was trained with fewer epochs (see peer_text).
    minutes = [
        (training[n].get("extrapolated_wall_s") or training[n]["wall_s"]) / 60 for n in names
    ]
    labels = [
        f"{n}\n(extrapolated)" if training[n].get("extrapolated_wall_s") else n for n in names
    ]
    ax.bar(labels, minutes, color=[COLOURS[n] for n in names])
    if len(minutes) > 1 and max(minutes) > 20 * min(minutes):
        ax.set_yscale("log")  # hours against minutes: a linear axis hides ours
    ax.axhline(5, color="grey", lw=0.8)
    ax.set(title="Full training from a cold cache (target ≤ 5 min)", ylabel="minutes")
    if not names:
        ax.clear()
        ax.set_axis_off()
        ax.text(0.5, 0.5, "training not measured in this run", ha="center",
                transform=ax.transAxes)  # fmt: skip
    fig.tight_layout()
    written.append(_save(fig, images / "bench-memory-training.png"))
    return written


def _offsets(groups: int, index: int, count: int) -> tuple[list[float], float]:
    """x positions of the `index`-th of `count` bars in each group, centred on the group."""
    width = 0.8 / count
    return [g + (index - (count - 1) / 2) * width for g in range(groups)], width


def _save(fig, path: Path) -> Path:
    fig.savefig(path, dpi=110)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return path


# --- the markdown report ---------------------------------------------------------------------

WHY = {
    "webhook": (
        "Closed-loop load: each of the 8 users sends the next message as soon as the answer "
        "arrives, so 8 requests are always in flight. By Little's law the mean latency is then "
        "users / throughput{little}: a p95 of 60 ms at 8 users needs well over 8 / 0.06 = 133 "
        "messages per second, whatever the per-message cost. Each message costs the Rasa server "
        "(one Python process, one event loop) NLU, loading and saving the tracker in SQLite and "
        "at least one HTTP call to the action server (`action_detect_language`, the `language` "
        "slot's custom mapping, runs on every turn; questions and the questionnaire add more), "
        "and the action server and the load generator share the same 2 cores.",
        "More throughput per machine (see the next target): more cores or a second Rasa "
        "replica behind a Redis lock store (measured 64 instead of 42 req/s on 2 cores, "
        "notes §6); detecting the language in the NLU pipeline instead of an action-server "
        "round trip on every turn. Real people pause for seconds between messages, so 8 "
        "conversations rarely mean 8 requests in flight: a load with think time measures that.",
    ),
    "throughput": (
        "2 cores carry the Rasa server, the action server and the load generator together. One "
        "Rasa server is a single Python process; per message it runs the NLU pipeline, replays "
        "the session's events, predicts with the policies (TED runs TensorFlow), calls the "
        "action server and writes the events to SQLite.",
        "A second Rasa replica with a Redis lock store and a shared tracker store (measured 64 "
        "vs 42 req/s on these 2 cores, notes §6), more cores, the load generator on another "
        "machine, fewer action-server calls per turn.",
    ),
    "long": (
        "Rasa loads every event of the current session from the tracker store and replays it "
        "for each message (notes §6, RasaHQ/rasa#11313), so the cost of a turn grows with the "
        "session's length; `session_expiration_time` bounds sessions by silence, not by length.",
        "A tracker store that keeps live trackers in memory (Redis/in-memory) instead of "
        "reading and replaying them from SQL each turn; a shorter session expiry only helps "
        "conversations with pauses. Policies look at 5 turns (`max_history: 5`), so a store "
        "that loads a bounded tail plus the current slots would make the cost flat.",
    ),
    "memory": (
        "TensorFlow alone puts a Rasa 3.6 server at ≈1.1 GB (the `rasa init` moodbot measured "
        "1.11 GB, notes §8); the language identification loads lingua's models (≈+0.25 GB).",
        "Lingua with fewer languages or its low-accuracy mode, loading it lazily; policies that "
        "do not need TensorFlow (TED is the only TensorFlow component of our config) — whether "
        "Rasa 3.6 then still imports TensorFlow must be checked.",
    ),
    "training": (
        "Training validates the data, trains the NLU components and then TED (50 epochs); a "
        "cold cache means nothing is restored.",
        "Fewer TED epochs (measured per epoch in the training log), or the component cache "
        "(`.cache/rasa`) that `make train` uses: unchanged components are restored (≈20 s).",
    ),
}


def _ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}" if value < 10 else f"{value:.0f}"


def cpu_section(results: dict) -> list[str]:
    """CPU time per message and process during each load, and the throughput it allows."""
    cores = results["machine"]["cores_logical"]
    lines = [
        "## Where the CPU goes",
        "",
        "CPU milliseconds per completed message, per process (psutil, user + system, children "
        "included), during each load; `generator` is the load generator itself. The "
        f"last two columns are upper bounds on throughput at that cost: {cores} cores for "
        f"everything ({cores} × 1000 / sum of the row), and one Rasa process, whose event loop "
        "handles one message at a time (1000 / Rasa).",
        "",
        "| load | server | Rasa | actions | console | generator | bound, all cores (msg/s) "
        "| bound, one Rasa process (msg/s) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    users = results["settings"]["users"]
    loads = [(f"REST, {n} user{'s' * (n > 1)}", "rest", n) for n in users]
    loads += [(f"socket.io, {n} user{'s' * (n > 1)}", "socketio", n) for n in users]
    for label, channel, n in loads:
        for name, server in results["servers"].items():
            run = level(server, channel, n)
            per = cpu_per_message(run)
            if not per:
                continue
            cells = " | ".join(_ms(per.get(p)) for p in ("rasa", "actions", "console", "generator"))
            single = 1000 / per["rasa"] if per.get("rasa") else None
            lines.append(
                f"| {label} | {name} | {cells} | {fmt(capacity(run, cores))} | {fmt(single)} |"
            )
    return lines


def handoff_lines(results: dict) -> list[str]:
    lines = []
    for name, server in results["servers"].items():
        found = server.get("handoffs") or {}
        if found.get("paused_conversations"):
            lines.append(
                f"- {name}: {found['paused_conversations']} conversation(s) paused by a handoff "
                f"({found.get('cases')} case(s) opened). Later turns of a paused conversation "
                "get no answer and cost less; the console's watcher polls every open case."
            )
    if not lines:
        return ["No conversation was handed to a counsellor during the loads."]
    return [
        "Handoffs during the loads (small talk read as yes after an offer of a counsellor, or "
        "a message read as a request for a person):",
        "",
        *lines,
    ]


def _capacity_sentence(results: dict) -> str:
    run = level(results["servers"].get("ours"), "rest", 8) or next(
        iter((results["servers"].get("ours") or {}).get("rest", [])[-1:]), None
    )
    per = cpu_per_message(run)
    if not per:
        return ""
    cores = results["machine"]["cores_logical"]
    return (
        f" Measured at {run['users']} users, one message costs {cpu_text(run)} CPU ms: "
        f"{cores} cores can complete at most {fmt(capacity(run, cores))} messages per second at "
        "that cost, and one Rasa process, handling one message at a time, at most "
        f"{fmt(1000 / per['rasa']) if per.get('rasa') else '—'}."
        + _dialogue_share(results, per.get("rasa"))
    )


def _dialogue_share(results: dict, rasa_ms: float | None) -> str:
    parse = get(results["servers"].get("ours"), "parse", "sequential", "summary", "p50_ms")
    if not parse or not rasa_ms:
        return ""
    return (
        f" A /model/parse (NLU only) takes {fmt(parse)} ms, so roughly "
        f"{fmt(max(0.0, rasa_ms - parse))} ms of the Rasa server's CPU per message go to the "
        "dialogue side (tracker load and save, policies, NLG, action calls)."
    )


# What was found when the figures were read (2026-11-24, py-spy on the Rasa server under load);
# kept here so that a new run writes it again. Revise it when the figures move.
FINDINGS = {
    "webhook": "Profiled with py-spy under load, the Rasa server first spent 49% of its CPU "
    "re-checking Rasa's action-response schema against the JSON-Schema meta-schema on every "
    "action call (now checked once, `bot/action_results.py`) and 17% copying the intent model's "
    "weights on every message (`bot/intent_model.py`): a message went from about 120 to about "
    "43 Rasa CPU ms. What remains is NLU (about 10 ms), two action-server calls per turn that "
    "each serialise the whole session, the policies and SQLite. A p95 of 60 ms with 8 users "
    "always in flight needs about 7 CPU ms per message in all, less than Rasa's own `rasa init` "
    "bot costs on this machine (webhook p50 17 ms with one user, notes section 8).",
    "throughput": "The Rasa server dominates: about 42 of the 53 CPU ms a message costs "
    "(action server about 10, load generator 1-3). 60 messages per second need about 2.5 Rasa "
    "processes' worth of CPU plus the action servers: about 4 cores with the production "
    "profile's two replicas (`make run-prod`), not 2.",
    "long": "Not split per component yet. The turn cost grows about 1.4 ms per turn. Three "
    "parts grow with the session: Rasa replays every event of the session when it loads the "
    "tracker, serialises the whole session into each action-server call (two per turn; nginx "
    "had to buffer these bodies to disk in the production profile), and counts the stored "
    "events before each save. The first fix to try: a slot mapping that sets the language "
    "without an action-server call, which removes one of the two serialisations per turn.",
    "memory": "Not split further yet: TensorFlow (about 1.1 GB for any Rasa 3.6 server, notes "
    "section 8), lingua's models for 16 languages loaded at start, and the n-gram intent model "
    "(264k features x 25 labels). The console and the action server no longer load TensorFlow "
    "(spaCy's thinc imported it whenever installed); they went from about 500 MiB each to "
    "about 135 MiB.",
}


def _memory_sentence(results: dict) -> str:
    ours, peer = results["servers"].get("ours"), results["servers"].get("peer")
    text = (
        f" Here the Rasa server held {fmt(get(ours, 'memory', 'after_start', 'rasa'))} MiB "
        f"right after start and {fmt(get(ours, 'memory', 'after_load', 'rasa'))} MiB after the "
        "load"
    )
    if peer:
        text += (
            f"; the peer's held {fmt(get(peer, 'memory', 'after_start', 'rasa'))} MiB after start"
        )
    return text + "."


def _little(results: dict) -> str:
    run = level(results["servers"].get("ours"), "rest", 8)
    tp = get(run, "summary", "throughput_per_s")
    mean = get(run, "summary", "mean_ms")
    if not tp:
        return ""
    return f" (here 8 / {tp:.1f} msg/s = {8000 / tp:.0f} ms, measured mean {mean:.0f} ms)"


def _session_text(results: dict) -> str:
    session = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8")).get(
        "session_config", {}
    )
    minutes = session.get("session_expiration_time")
    carry = session.get("carry_over_slots_to_new_session")
    long_run = get(results["servers"].get("ours"), "long") or {}
    wall = get(long_run, "summary", "wall_s")
    parts = [
        f"`domain.yml` sets `session_expiration_time: {minutes}` (minutes) and",
        f"`carry_over_slots_to_new_session: {str(carry).lower()}`.",
        f"A new session starts only when a person writes after more than {minutes} minutes",
        "of silence; Rasa then loads only that session's events, and the slots (language,",
        "questionnaire answers) carry over. Sessions are therefore bounded by pauses, not by",
        f"length: someone who keeps writing without a {minutes}-minute pause — a long exchange,",
        "the questionnaire twice, or a conversation with a counsellor (the person's messages are",
        "recorded in the same tracker while the bot is paused) — reaches turn 200 in one session",
        f"and pays the turn-200 figure. The benchmark sent its {long_run.get('turns', '—')} turns",
        f"in {fmt(wall)} s, so all of them were in one session: the tracker holds",
        f"{long_run.get('sessions', '—')} `session_started` event(s) and",
        f"{long_run.get('user_events', '—')} user messages; paused: {long_run.get('paused')}.",
    ]
    return " ".join(parts)


# Measured on this 2-core machine (2026-11-24) with the 100 epochs of rasa init's config.
PEER_TRAINING_MEASURED = (
    "Trained with rasa init's config as it is, DIET's first two epochs took 257 s and 227 s "
    "here, so its 100 epochs alone come to about 6.5 hours on 2 cores, before UnexpecTED and "
    "TED."
)


def _pace(seconds: list[float]) -> str:
    """'first epoch s then later epochs' mean s' from one epoch bar's cumulative times."""
    if len(seconds) < 2:
        return f"{fmt(seconds[0])} s" if seconds else "—"
    later = (seconds[-1] - seconds[0]) / (len(seconds) - 1)
    return f"{fmt(seconds[0])} s then {fmt(later)} s"


def peer_text(results: dict) -> str:
    """What the peer was in this run: not run, rasa init's config, or that with fewer epochs."""
    skipped = results.get("skipped", {}).get("peer")
    if skipped:
        return f" *Not run: {skipped}.* {PEER_TRAINING_MEASURED}"
    trained = (results.get("training") or {}).get("peer") or {}
    epochs = trained.get("epochs")
    if not epochs:
        return ""
    paces = "; ".join(
        f"{bar.get('component') or 'a model'} {_pace(bar['seconds'])}"
        for bar in trained.get("epoch_bars") or []
    )
    return (
        " Its 100 epochs per model take hours on 2 cores, so in this run each of its models was "
        f"trained **{epochs} epochs instead of 100**, with everything else as Rasa's default "
        "config has it (`BENCH_PEER_EPOCHS`; `full` trains rasa init's config unchanged; "
        "ResponseSelector trains nothing here: the data has no retrieval intents). "
        "Serving costs the same whatever the number of epochs (same featurizers, "
        "same network sizes), so latency, throughput and memory are the default pipeline's; its "
        "answers are those of an under-trained model, which changes which actions run on some "
        "turns but not the cost of a turn. The peer's training time in the table is "
        f"extrapolated to 100 epochs from its log (measured wall time {fmt(trained.get('wall_s'))}"
        f" s; per model, the first epoch, which includes TensorFlow's graph tracing, then each "
        f"later one, to the second as tqdm logs them: {paces or 'no epoch bars found'})."
    )


def markdown(results: dict, images: Path, report: Path) -> str:
    s = results["settings"]
    m = results["machine"]
    rel = os.path.relpath(images, report.parent)
    quick = s["quick"]
    lines = [
        "# Benchmarks",
        "",
        "<!-- Generated by `make bench` (benchmarks/report.py) from "
        f"{results['results_file']}; edit the generator, not this file. -->",
        "",
    ]
    if quick:
        lines += [
            "> **QUICK SMOKE RUN (`BENCH_QUICK=1`)** — tiny sizes, no training, no peer. These "
            "figures only show that the benchmark works; the report of record comes from "
            "`make bench`.",
            "",
        ]
    lines += [
        f"Run {results['started_at']} – {results['finished_at']} ({s['mode']} mode).",
        "",
        "## What was measured",
        "",
        "Two servers, one after the other, never at the same time, each with the action server "
        "and the counsellor console running beside it (as `make run` starts them), SQLite "
        "tracker and cases stores in a fresh directory, and the same traffic (seed "
        f"{s['seed']}):",
        "",
        "- **ours**: `models/current.tar.gz`, trained from `config.yml`;",
        "- **peer**: Rasa's default pipeline — the `config.yml` that `rasa init` writes (no "
        "pipeline or policies, so Rasa fills in its defaults: DIET, ResponseSelector, "
        "UnexpecTED, TED), trained on the same domain and data." + peer_text(results),
        "",
        "Traffic: held-out messages from `tests/nlu/<lang>.yml` (never training data), each "
        "conversation in one of the 16 languages; conversations of "
        f"{s['turns_per_conversation']} turns (of: greeting, six questions answered by "
        "`action_answer_question`, out-of-scope, thanks, goodbye); one in four is the "
        "eligibility questionnaire instead (a form validated by the action server; scripted "
        "answers in English or Portuguese, as in the integration tests). Every turn "
        "passes through the action server (`action_detect_language`). Each user waits for the "
        "answer before sending the next message (no think time) and starts a new conversation "
        f"(new sender) after {s['turns_per_conversation']} turns.",
        "",
        f"- **REST webhook** and **socket.io** (polling transport, a new client per conversation; "
        f"latency = until the server acknowledged the message, after all its `bot_uttered`): "
        f"{', '.join(map(str, s['users']))} concurrent users, about {s['messages_per_level']} "
        "messages per level, after an unmeasured warm-up (both questionnaire scripts, "
        f"{s['warmup']} other messages, a socket.io conversation). Throughput = completed "
        f"messages / wall time of the level. Errors (no HTTP answer) and non-200 answers are "
        f"counted apart and are not in the percentiles.",
        f"- **/model/parse**: {s['parse_requests']} requests from 1 client, then from "
        f"{s['parse_concurrency']} clients.",
        f"- **Long conversation**: one sender, {s['long_turns']} turns over REST (the same "
        f"{s['window']} questions, in one language, over and over), median of turns "
        f"1-{s['window']} against the last {s['window']}. Questions only: small talk after an "
        "answer that offers a counsellor can be read as yes and pause the conversation.",
        "- **Memory**: RSS (psutil, process and children) of each process after start, after "
        "the load, and the peak (sampled every 0.5 s).",
        "- **Training**: `rasa train` as `python -m bot.cli train` runs it (with validation), "
        "into `var/bench/train/<name>/`, with an empty component cache (cold).",
        "",
        "Percentiles interpolate linearly between ranks (numpy's default; "
        "`benchmarks/stats.py`, tested in `tests/unit/test_bench_stats.py`).",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        f"| CPU | {m['cpu_model']}, {m['cores_logical']} logical cores "
        f"({m['cores_physical']} physical) |",
        f"| RAM | {m['ram_gib']:.1f} GiB |",
        f"| OS | {m['os']} |",
        f"| Python | {m['python']} |",
        f"| Rasa / rasa-sdk / TensorFlow | {m['rasa']} / {m['rasa_sdk']} / {m['tensorflow']} |",
        f"| load average before the run | {m['load_before']} |",
        "",
        "The machine is shared: the load generator runs on the same 2 cores as the servers, "
        "and other work may have run at the same time (load average above).",
        "",
        "## Targets",
        "",
        "| target | ours | status |",
        "|---|---|---|",
    ]
    all_rows = rows(results)
    targeted = [r for r in all_rows if r.target]
    for r in targeted:
        note = f" ({r.note})" if r.note else ""
        unit = "" if r.unit == "×" else f" {r.unit}"
        value = "not measured" if r.ours is None else f"{fmt(r.ours, r.unit)}{unit}"
        lines.append(f"| {r.label} {r.target} ({r.section}) | {value}{note} | {r.status} |")
    faults = faults_text(results)
    if faults:
        lines += ["", "**Runs with errors:**", ""] + [f"- {f}" for f in faults]
    lines += ["", "## Side by side", "", "Ratio = ours / peer (below 1: ours is lower).", ""]
    section = None
    for r in all_rows:
        if r.section != section:
            section = r.section
            lines += [
                "",
                f"### {section}",
                "",
                "| | ours | peer | ours / peer |",
                "|---|---|---|---|",
            ]
        unit = f" ({r.unit})" if r.unit else ""
        lines.append(
            f"| {r.label}{unit} | {fmt(r.ours, r.unit)} | {fmt(r.peer, r.unit)} | {fmt_ratio(r)} |"
        )
    lines += ["", *cpu_section(results), "", *handoff_lines(results)]
    lines += [
        "",
        "## Figures",
        "",
        f"![latency]({rel}/bench-latency.png)",
        "",
        f"![throughput]({rel}/bench-throughput.png)",
        "",
        f"![long conversation]({rel}/bench-long-conversation.png)",
        "",
        f"![memory and training]({rel}/bench-memory-training.png)",
        "",
        "## Sessions in production",
        "",
        _session_text(results),
        "",
        "## Missed targets: why, and what would reach them",
        "",
    ]
    keys = {
        "≤ 60 ms": "webhook",
        "≥ 60 msg/s": "throughput",
        "≤ 1.5×": "long",
        "≤ 1.2 GB (1,144 MiB)": "memory",
        "≤ 5 min (300 s)": "training",
    }
    missed = [r for r in targeted if r.status.startswith("MISS")]
    for r in missed:
        key = keys.get(r.target, "long" if r.target.startswith("≤ 1.5×") else "")
        why, reach = WHY.get(key, ("", ""))
        lines += [
            f"### {r.section}: {r.label} {r.target} — {fmt(r.ours, r.unit)}"
            + ("" if r.unit == "×" else f" {r.unit}"),
            "",
            f"*Why:* {why.format(little=_little(results) if key == 'webhook' else '')}"
            + (_capacity_sentence(results) if key in ("webhook", "throughput") else "")
            + (_memory_sentence(results) if key == "memory" else ""),
            "",
            f"*What would reach it:* {reach}",
            "",
            *([f"*Found:* {FINDINGS[key]}", ""] if key in FINDINGS else []),
        ]
        if r.status == "MISS (errors)":
            lines += ["Errors occurred in this run (see above); the figure is not trustworthy.", ""]
    if not missed:
        lines += ["None in this run.", ""]
    not_measured = [r for r in targeted if r.status == "n/a"]
    if not_measured:
        lines += [
            "Not measured in this run: "
            + "; ".join(f"{r.label} {r.target}" for r in not_measured)
            + ".",
            "",
        ]
    lines += [
        "## Reproduce",
        "",
        "```sh",
        "make bench                 # full run; the first one also trains the peer (2 epochs)",
        "BENCH_PEER_EPOCHS=full make bench  # the peer exactly as rasa init has it: hours",
        "BENCH_QUICK=1 make bench   # smoke run, 1-2 minutes, results in var/bench/quick/",
        "python -m benchmarks report  # rewrite this page from var/bench/full/results.json",
        "```",
        "",
        "The peer's training (Rasa's DIET on every language's examples) is long; its time is "
        "recorded with a fingerprint of its inputs in `var/bench/train/peer/` and reused, with "
        "its model, while config, domain and data are unchanged (`BENCH_RETRAIN=1` measures "
        "again). The same holds for our own training time. "
        "Raw results (every request's latency, status and error): "
        f"`{results['results_file']}`; servers' logs next to it.",
        "",
    ]
    return "\n".join(lines)


def write(results: dict, report: Path, images: Path) -> list[Path]:
    written = plots(results, images)
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(markdown(results, images, report), encoding="utf-8")
    return [*written, report]


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
