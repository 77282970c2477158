"""Training time, cold: `rasa train` as `python -m bot.cli train` runs it (same files, same
validation), but into var/bench/train/<name>/ so models/current stays untouched, and with an empty
component cache so that nothing is restored from an earlier training.

Ours trains with config.yml; the peer with the config `rasa init` writes (no pipeline and no
policies given, so Rasa fills in its default ones: DIET, ResponseSelector, UnexpecTED, TED, ...) on
the same domain and data. A time is recorded with a fingerprint of its inputs and reused while
they are unchanged (BENCH_RETRAIN=1 measures again).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import time
from datetime import datetime, timezone
from pathlib import Path

import rasa

from benchmarks.memory import Sampler
from benchmarks.settings import BENCH_VAR
from bot.cli import rasa_bin, rasa_env
from bot.fingerprint import training_files
from bot.paths import ROOT

TRAIN_DIR = BENCH_VAR / "train"
INIT_CONFIG = Path(rasa.__file__).parent / "cli" / "initial_project" / "config.yml"
DATA = ["data/nlu", "data/rules.yml", "data/stories.yml"]


def config_text(name: str) -> str:
    return (ROOT / "config.yml" if name == "ours" else INIT_CONFIG).read_text(encoding="utf-8")


def inputs_fingerprint(name: str) -> str:
    """Content of the config, domain and training data, and Rasa's version."""
    digest = hashlib.sha256(f"{rasa.__version__}\0{config_text(name)}\0".encode())
    for path in training_files(ROOT):
        if path.name == "config.yml" and path.parent == ROOT:
            continue
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def model_path(name: str) -> Path:
    return TRAIN_DIR / name / f"{name}.tar.gz"


def recorded(name: str) -> dict | None:
    """The recorded training of `name` if its inputs are unchanged (and, for the peer, its model
    is still there to serve)."""
    record = TRAIN_DIR / name / "train.json"
    if not record.exists():
        return None
    data = json.loads(record.read_text())
    if data.get("fingerprint") != inputs_fingerprint(name) or data.get("returncode") != 0:
        return None
    if name == "peer" and not model_path(name).exists():
        return None
    return data


def train(name: str) -> dict:
    """Trains `name` ("ours" or "peer") from a cold cache; returns wall time and peak RSS."""
    folder = TRAIN_DIR / name
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "config.yml"
    config.write_text(config_text(name), encoding="utf-8")  # rasa writes its defaults into it
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
        "fingerprint": inputs_fingerprint(name),
        "config": "config.yml" if name == "ours" else "rasa/cli/initial_project/config.yml",
        "command": " ".join(command[1:]),
        "model": str(model_path(name).relative_to(ROOT)),
        "log": str(log.relative_to(ROOT)),
    }
    (folder / "train.json").write_text(json.dumps(record, indent=2))
    if code != 0:
        raise RuntimeError(
            f"training {name} failed ({code}); see {log}:\n{log.read_text()[-3000:]}"
        )
    if name == "ours":
        model_path(name).unlink(missing_ok=True)  # the servers use models/current.tar.gz
    print(f"[bench] trained {name} in {wall:.0f} s", flush=True)
    return record


def training(name: str, measure: bool, retrain: bool) -> dict | None:
    """The training record of `name`: measured now, or the recorded one for the same inputs."""
    if not retrain and (found := recorded(name)):
        return {**found, "reused": True}
    if not measure:
        return None
    return {**train(name), "reused": False}
