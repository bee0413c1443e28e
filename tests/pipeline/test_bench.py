"""`cdp bench` runs every step on a folder it owns and writes its figures."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cdp.bench import run as bench_run
from cdp.bench.run import BenchError, run_bench, write_result

STEPS = ["generate", "split", "load", "full build", "sync", "append 1%", "incremental load",
         "incremental build", "incremental sync", "report"]


def test_every_step_runs_and_is_measured(tmp_path, monkeypatch):
    result = run_bench(300, tmp_path / "bench", seed=3, on_step=lambda step: None)
    assert result["ok"], result["steps"]
    assert [s["step"] for s in result["steps"]] == STEPS
    assert all(s["wall_s"] > 0 and s["peak_rss_mb"] > 20 for s in result["steps"]), result
    assert 0 < result["incremental_sync_records_sent"] < result["sync_records_sent"]
    assert result["references"]["partition_matches_scipy"]
    assert result["targets_met"]["peak_rss_mb"]  # 300 persons: far below 6 GB
    slowest = result["slowest_full_build_nodes_s"]  # which ones varies at 300 persons
    assert len(slowest) == 12 and all(seconds > 0 for seconds in slowest.values()), slowest
    assert {name.split(".")[0] for name in slowest} <= {"staging", "intermediate", "marts",
                                                         "sync", "pii_masked", "reference"}
    layers = result["incremental_build_s_by_layer"]
    assert {"models staging", "models intermediate", "models marts", "data tests",
            "unit tests"} <= set(layers), layers
    # With one thread the layers account for the step, less dbt's start-up.
    build = next(s for s in result["steps"] if s["step"] == "full build")
    assert 0.3 * build["wall_s"] < sum(result["full_build_s_by_layer"].values()) < build["wall_s"]
    monkeypatch.setattr(bench_run, "RESULTS", tmp_path / "results")
    path = write_result(result)
    assert (tmp_path / "bench" / "reports" / "index.html").exists()
    assert path.name.endswith("-300.json")
    assert json.loads(path.read_text())["persons"] == 300


def test_a_folder_with_other_files_is_refused_untouched(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(BenchError, match="did not write"):
        run_bench(300, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    done = subprocess.run([sys.executable, "-m", "cdp.cli", "bench", "--persons", "300",
                           "--data", str(tmp_path)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2 and "did not write" in done.stdout
