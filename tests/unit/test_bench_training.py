"""The benchmark's peer: Rasa's default config with fewer epochs, and the full training time
extrapolated from the epoch bars of its log (benchmarks/training.py, benchmarks/settings.py)."""

from __future__ import annotations

import pytest
import yaml

from benchmarks.settings import from_env
from benchmarks.training import DEFAULT_CONFIG, epoch_bars, extrapolated_wall, peer_config_text

# Two models as tqdm draws them in `rasa train`'s log: carriage returns, postfixes, h:mm:ss.
LOG = (
    "2026-11-24 03:37:08 INFO rasa.engine.training.hooks  - Starting to train component "
    "'DIETClassifier'.\n"
    "Epochs:   0%|          | 0/2 [00:00<?, ?it/s]"
    "\rEpochs:  50%|#####     | 1/2 [04:17<04:17, 257.33s/it]"
    "\rEpochs:  50%|#####     | 1/2 [04:17<04:17, 257.33s/it, t_loss=11.5, i_acc=0.557]"
    "\rEpochs: 100%|##########| 2/2 [08:04<00:00, 239.31s/it, t_loss=23.9, i_acc=0.903]\n"
    "2026-11-24 03:45:45 INFO rasa.engine.training.hooks  - Starting to train component "
    "'TEDPolicy'.\n"
    "Epochs:   0%|          | 0/3 [00:00<?, ?it/s]"
    "\rEpochs:  33%|###       | 1/3 [00:10<00:20, 10.00s/it]"
    "\rEpochs:  67%|######    | 2/3 [00:14<00:04, 4.00s/it]"
    "\rEpochs: 100%|##########| 3/3 [1:00:18<00:00, 4.00s/it]\n"
)


def test_each_models_epochs_are_read_from_the_log() -> None:
    first, second = epoch_bars(LOG)
    assert (first.epochs, first.total, first.seconds) == (2, 2, (257.0, 484.0))
    assert (second.epochs, second.seconds) == (3, (10.0, 14.0, 3618.0))
    assert (first.component, second.component) == ("DIETClassifier", "TEDPolicy")


def test_the_first_epoch_counts_once_and_the_later_pace_for_the_rest() -> None:
    first, _ = epoch_bars(LOG)
    assert first.estimate(100) == pytest.approx(257 + 99 * 227)


def test_extrapolated_wall_replaces_measured_epochs_only() -> None:
    bars = epoch_bars(LOG)
    measured = sum(b.elapsed for b in bars)
    wall = measured + 60  # a minute of featurisation and loading outside the bars
    assert extrapolated_wall(wall, bars, epochs=2) == pytest.approx(60 + 484 + 10 + 1804)
    assert extrapolated_wall(wall, [], epochs=100) == wall


def test_peer_config_is_rasas_default_with_every_models_epochs_cut() -> None:
    default = yaml.safe_load(DEFAULT_CONFIG.read_text())
    cut = yaml.safe_load(peer_config_text(2))
    parts = [*cut["pipeline"], *cut["policies"]]
    trained = {p["name"] for p in parts if "epochs" in p}
    assert trained == {"DIETClassifier", "ResponseSelector", "UnexpecTEDIntentPolicy", "TEDPolicy"}
    assert all(p["epochs"] == 2 for p in parts if "epochs" in p)
    for part in parts:
        part.pop("epochs", None)
    for part in [*default["pipeline"], *default["policies"]]:
        part.pop("epochs", None)
    assert cut == default
    assert "pipeline:\n#" in peer_config_text(None)  # rasa init's own file, defaults left to Rasa


def test_peer_epochs_setting() -> None:
    assert from_env({}).peer_epochs == 2
    assert from_env({"BENCH_PEER_EPOCHS": "full"}).peer_epochs is None
    assert from_env({"BENCH_PEER_EPOCHS": "5"}).peer_epochs == 5
    with pytest.raises(ValueError):
        from_env({"BENCH_PEER_EPOCHS": "0"})
