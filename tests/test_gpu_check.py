"""scripts/gpu-check.py's verdict and table, from the figgen.json model records it reads.

(The script itself builds the whole course twice: it is run by hand on a CUDA machine.)
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "gpu-check.py"
spec = importlib.util.spec_from_file_location("gpu_check", SCRIPT)
gpu_check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gpu_check)

GOOD = {
    "cnn": {"seconds": 8.0, "metrics": {"test_accuracy": 0.978, "train_accuracy": 0.99}},
    "rnn": {"seconds": 17.0, "metrics": {"accuracy_by_delay": {"5": 1.0, "40": 0.72, "80": 0.15}, "chance": 0.125}},
    "lstm": {"seconds": 15.0, "metrics": {"accuracy_by_delay": {"5": 1.0, "40": 1.0, "80": 0.999}, "chance": 0.125}},
    "autoencoder": {"seconds": 9.0, "metrics": {"test_mse": 0.0345}},
    "lm": {"seconds": 1.3, "metrics": {"next_word": "va", "next_word_probability": 0.9}},
}


def build(device, models, built=27, wall=30.0, exit=0):
    return {"device": device, "exit": exit, "wall": wall, "built": built, "failed": 27 - built, "models": models}


def test_every_bar_holds_on_a_good_build_and_a_missing_or_weak_model_fails_it():
    assert all(held for _, held in gpu_check.quality_bars(GOOD))
    weak = {**GOOD, "cnn": {"seconds": 8.0, "metrics": {"test_accuracy": 0.96}}}
    without_rnn = {name: record for name, record in GOOD.items() if name != "rnn"}  # training failed
    assert [held for _, held in gpu_check.quality_bars(weak)] == [False, True, True, True]
    assert [held for _, held in gpu_check.quality_bars(without_rnn)] == [True, False, True, True]
    assert gpu_check.passed([build("cuda", GOOD), build("cpu", GOOD)], tasks=27)
    assert not gpu_check.passed([build("cuda", without_rnn, built=25, exit=1), build("cpu", GOOD)], tasks=27)


def test_the_table_compares_cuda_with_cpu_per_model_and_for_the_whole_build():
    fast = {name: {**record, "seconds": record["seconds"] / 4} for name, record in GOOD.items()}
    table = gpu_check.report([build("cuda", fast, wall=12.0), build("cpu", GOOD, wall=30.0)], "python3 scripts/gpu-check.py")
    assert "| cnn | 2.00 | 8.00 | 0.25 |" in table
    assert "| **cold build, wall** | 12.0 | 30.0 | 0.40 |" in table
    assert "accuracy_by_delay 1/0.72/0.15" in table  # delays in order, not as strings
    assert "| cuda | 0 | 27 | 0 | ok | ok | ok | ok |" in table
