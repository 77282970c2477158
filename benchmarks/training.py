"""Training time, cold: `rasa train` as `python -m bot.cli train` runs it (same files, same
validation), but into var/bench/train/<name>/ so models/current stays untouched, and with an empty
component cache so that nothing is restored from an earlier training.

Ours trains with config.yml; the peer with Rasa's default pipeline and policies (what the config
`rasa init` writes falls back to: DIET, ResponseSelector, UnexpecTED, TED, ...) on the same domain
and data. The peer's 100 epochs per model take hours on 2 cores, so by default it trains with fewer
epochs (BENCH_PEER_EPOCHS): serving costs the same whatever the epochs, and the full training time
is extrapolated from the epochs measured in its log. A time is recorded with a fingerprint of its
inputs and reused while they are unchanged (BENCH_RETRAIN=1 measures again).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import rasa
import yaml

from benchmarks.memory import Sampler
from benchmarks.settings import BENCH_VAR
from bot.cli import rasa_bin, rasa_env
from bot.fingerprint import training_files
from bot.paths import ROOT

TRAIN_DIR = BENCH_VAR / "train"
INIT_CONFIG = Path(rasa.__file__).parent / "cli" / "initial_project" / "config.yml"
# What Rasa fills in when a config (like rasa init's) gives no pipeline and no policies.
DEFAULT_CONFIG = (
    Path(rasa.__file__).parent / "engine" / "recipes" / "config_files" / "default_config.yml"
)
DEFAULT_EPOCHS = 100  # every trained model in Rasa's default config
DATA = ["data/nlu", "data/rules.yml", "data/stories.yml"]


def peer_config_text(epochs: int | None) -> str:
    """rasa init's config; with `epochs`, Rasa's default config with every model's epochs cut."""
    if epochs is None:
        return INIT_CONFIG.read_text(encoding="utf-8")
    config = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    for part in config["pipeline"] + config["policies"]:
        if "epochs" in part:
            part["epochs"] = epochs
    return (
        f"# Rasa {rasa.__version__}'s default pipeline and policies (default_config.yml, what\n"
        f"# rasa init's config falls back to), each model trained {epochs} epochs instead of\n"
        f"# {DEFAULT_EPOCHS} for the benchmark.\n" + yaml.safe_dump(config, sort_keys=False)
    )


def config_text(name: str, epochs: int | None = None) -> str:
    if name == "ours":
        return (ROOT / "config.yml").read_text(encoding="utf-8")
    return peer_config_text(epochs)


def inputs_fingerprint(name: str, epochs: int | None = None) -> str:
    """Content of the config, domain and training data, and Rasa's version."""
    digest = hashlib.sha256(f"{rasa.__version__}\0{config_text(name, epochs)}\0".encode())
    for path in training_files(ROOT):
        if path.name == "config.yml" and path.parent == ROOT:
            continue
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def model_path(name: str) -> Path:
    return TRAIN_DIR / name / f"{name}.tar.gz"


@dataclass(frozen=True)
class EpochBar:
    """One model's epoch progress bar in a training log: epochs done and seconds each took."""

    epochs: int
    total: int
    seconds: tuple[float, ...]  # elapsed time at the end of each epoch (cumulative, whole s)
    component: str = ""  # the component Rasa was training when the bar started

    @property
    def elapsed(self) -> float:
        return self.seconds[-1] if self.seconds else 0.0

    def estimate(self, epochs: int) -> float:
        """Seconds for `epochs` epochs: the first as measured (it includes TensorFlow's graph
        tracing), the rest at the pace of the later ones."""
        if not self.seconds:
            return 0.0
        first = self.seconds[0]
        pace = (self.elapsed - first) / (len(self.seconds) - 1) if len(self.seconds) > 1 else first
        return first + pace * (epochs - 1)


_TICK = re.compile(r"Epochs:\s+\d+%\|[^|]*\|\s*(\d+)/(\d+) \[(?:(\d+):)?(\d+):(\d+)<")
_COMPONENT = re.compile(r"Starting to train component '([^']+)'")


def epoch_bars(log: str) -> list[EpochBar]:
    """The epoch bars tqdm drew in a `rasa train` log, in training order."""
    bars: list[EpochBar] = []
    done: dict[int, float] = {}
    total, component, bar_component = 0, "", ""

    def close() -> None:
        if done:
            seconds = tuple(done[k] for k in sorted(done))
            bars.append(EpochBar(max(done), total, seconds, bar_component))

    for match in re.finditer(f"{_TICK.pattern}|{_COMPONENT.pattern}", log):
        if match[6] is not None:
            component = match[6]
            continue
        k, n = int(match[1]), int(match[2])
        seconds = int(match[3] or 0) * 3600 + int(match[4]) * 60 + int(match[5])
        if k == 0 or (done and k < max(done)):
            close()
            done, bar_component = {}, component
        total = n
        if k > 0:
            done[k] = float(seconds)
    close()
    return bars


def extrapolated_wall(wall: float, bars: list[EpochBar], epochs: int = DEFAULT_EPOCHS) -> float:
    """The wall time with every model trained `epochs` epochs instead of the ones measured."""
    return wall - sum(b.elapsed for b in bars) + sum(b.estimate(epochs) for b in bars)


def recorded(name: str, epochs: int | None = None) -> dict | None:
    """The recorded training of `name` if its inputs are unchanged (and, for the peer, its model
    is still there to serve)."""
    record = TRAIN_DIR / name / "train.json"
    if not record.exists():
        return None
    data = json.loads(record.read_text())
    fingerprint = inputs_fingerprint(name, epochs)
    if data.get("fingerprint") != fingerprint or data.get("returncode") != 0:
        return None
    if name == "peer" and not model_path(name).exists():
        return None
    return data


def train(name: str, epochs: int | None = None) -> dict:
    """Trains `name` ("ours" or "peer") from a cold cache; returns wall time and peak RSS."""
    folder = TRAIN_DIR / name
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "config.yml"
    # rasa writes its defaults into the file, hence a copy
    config.write_text(config_text(name, epochs), encoding="utf-8")
    cache = folder / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    model_path(name).unlink(missing_ok=True)
    env = rasa_env() | {"RASA_CACHE_DIRECTORY": str(cache)}
    command = [
        rasa_bin(), "train", "--config", str(config), "--domain", "domain.yml", "--data", *DATA,
        "--out", str(folder), "--fixed-model-name", name,
    ]  # fmt: skip
    print(f"[bench] training {name} (cold cache): {' '.join(command[1:])}", flush=True)
    log = folder / "train.log"
    started = time.monotonic()
    with log.open("w") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        with Sampler({"train": proc.pid}, interval=1.0) as memory:
            code = proc.wait()
    wall = time.monotonic() - started
    shutil.rmtree(cache, ignore_errors=True)
    record = {
        "name": name,
        "returncode": code,
        "wall_s": wall,
        "peak_rss_mib": memory.peak.get("train"),
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "fingerprint": inputs_fingerprint(name, epochs),
        "config": "config.yml" if name == "ours" else str(config.relative_to(ROOT)),
        "epochs": epochs,
        "command": " ".join(command[1:]),
        "model": str(model_path(name).relative_to(ROOT)),
        "log": str(log.relative_to(ROOT)),
    }
    if epochs is not None:
        bars = epoch_bars(log.read_text(errors="replace"))
        record["epoch_bars"] = [asdict(b) for b in bars]
        record["extrapolated_wall_s"] = extrapolated_wall(wall, bars)
    (folder / "train.json").write_text(json.dumps(record, indent=2))
    if code != 0:
        raise RuntimeError(
            f"training {name} failed ({code}); see {log}:\n{log.read_text()[-3000:]}"
        )
    if name == "ours":
        model_path(name).unlink(missing_ok=True)  # the servers use models/current.tar.gz
    print(f"[bench] trained {name} in {wall:.0f} s", flush=True)
    return record


def training(name: str, measure: bool, retrain: bool, epochs: int | None = None) -> dict | None:
    """The training record of `name`: measured now, or the recorded one for the same inputs."""
    if not retrain and (found := recorded(name, epochs)):
        return {**found, "reused": True}
    if not measure:
        return None
    return {**train(name, epochs), "reused": False}
