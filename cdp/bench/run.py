"""`cdp bench`: the whole CDP at N persons, step by step, with the references in the same run.

generate -> split off the newest 1% as a later delivery -> load -> full build -> sync ->
deliver the 1% -> incremental load -> incremental build -> sync of the changes, then scipy's
connected components on the build's own identity edges. Every step runs in its own process
(cdp.bench.steps) on a folder the bench owns; the figures go to
bench/results/<date>-<size>.json and a table.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from cdp.bench.references import clv_fits, compare, scipy_components
from cdp.bench.steps import Step, cdp_command, run_step
from cdp.settings import PROJECT_DIR

MARKER = ".cdp-bench"  # the bench only ever clears a folder holding its own marker
RESULTS = PROJECT_DIR / "bench" / "results"
# The targets at 1M persons on 2 cores (README "Performance").
TARGETS = {"load_s": 60, "full_build_s": 240, "peak_rss_mb": 6 * 1024,
           "incremental_share": 0.10}
_NODE_TIME = re.compile(r" (?:OK created|OK loaded|PASS|WARN) \S+ (?:\S+ )*?(\w+\.\w+) [.\s]*"
                        r"\[.*? in ([\d.]+)s\]")
_ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")
_ANY_NODE_TIME = re.compile(r"\d+ of \d+ (?:OK created \S+ \S+ model (\w+)\.|(PASS|WARN|FAIL|ERROR)"
                            r" |OK loaded seed).*\[.*? in ([\d.]+)s\]")


class BenchError(RuntimeError):
    """The bench cannot run there (one line)."""


def size_label(persons: int) -> str:
    for unit, suffix in ((1_000_000, "m"), (1_000, "k")):
        if persons % unit == 0:
            return f"{persons // unit}{suffix}"
    return str(persons)


def _claim(folder: Path) -> None:
    """Use `folder` if it is new, empty or the bench's own; clear what an earlier bench left."""
    if folder.exists() and any(folder.iterdir()) and not (folder / MARKER).exists():
        raise BenchError(f"{folder} holds files the bench did not write: choose another --data")
    for name in ("feed", "later", "logs", "cdp.duckdb", "cdp.duckdb.wal", "cdp.duckdb.tmp"):
        path = folder / name
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("written by `cdp bench`; it may clear this folder\n")


def _plain_lines(log: str) -> list[str]:
    """A build step's output lines without dbt's colour codes."""
    return _ANSI_COLOUR.sub("", Path(log).read_text(errors="replace")).splitlines()


def slowest_nodes(log: str, count: int = 12) -> dict[str, float]:
    """The slowest dbt nodes of a build step's output, `schema.name` -> seconds."""
    times: dict[str, float] = {}
    for line in _plain_lines(log):
        if match := _NODE_TIME.search(line):
            times[match.group(1)] = times.get(match.group(1), 0) + float(match.group(2))
    top = sorted(times.items(), key=lambda item: -item[1])[:count]
    return {name: round(seconds, 2) for name, seconds in top}


def time_by_layer(log: str) -> dict[str, float]:
    """Seconds a build step spent per schema of its models, in data tests and in unit tests
    (dbt's own lines: with one thread they add up to the step's time, less dbt's start)."""
    times: dict[str, float] = {}
    for line in _plain_lines(log):
        if match := _ANY_NODE_TIME.search(line):
            schema, status, seconds = match.groups()
            layer = (f"models {schema}" if schema else "seeds" if not status else
                     "unit tests" if "::" in line else "data tests")
            times[layer] = times.get(layer, 0) + float(seconds)
    return {layer: round(seconds, 1) for layer, seconds in sorted(times.items())}


def _python(call: str) -> list[str]:
    """A deliveries call in its own process. Also what keeps this process small: on Linux a
    child's peak RSS starts from its parent's at the fork, so work done here would inflate
    every later step's figure."""
    return [sys.executable, "-c", "from pathlib import Path\n"
            f"from cdp.generate.deliveries import deliver, split_deliveries\n{call}"]


def _references(database: Path) -> dict:
    from cdp.settings import dbt_vars

    with duckdb.connect(str(database), read_only=True) as con:
        graph = scipy_components(con)
        _components, problems = compare(con, graph)
        clv = clv_fits(con, int(dbt_vars()["cdp_clv"]["period_days"]))
    return {"scipy_components_s": round(graph["matrix_s"] + graph["algorithm_s"], 3),
            "identity_nodes": graph["nodes"], "identity_edges": graph["edges"],
            "partition_matches_scipy": not problems, **clv}


def run_bench(persons: int, data: Path, *, seed: int = 7, share: float = 0.01,
              on_step=print) -> dict:
    """Run every step at `persons`; returns the result (`write_result` stores it)."""
    data = data.resolve()
    _claim(data)
    logs = data / "logs"
    logs.mkdir()
    generated, feed, later = data / "generated", data / "feed", data / "later"
    env = {**os.environ, "CDP_RAW_DIR": str(feed), "CDP_DUCKDB_PATH": str(data / "cdp.duckdb"),
           "CDP_TARGET": "duckdb", "DAGSTER_HOME": str(data / "dagster")}
    sync = [sys.executable, "-m", "cdp.bench.sync_step"]
    plan = [
        lambda: run_step("generate", cdp_command(
            "generate", "--persons", str(persons), "--seed", str(seed), "--out",
            str(generated), "--no-progress"), env, logs),
        lambda: run_step("split", _python(
            f"split_deliveries(Path({str(generated)!r}), Path({str(feed)!r}),"
            f" Path({str(later)!r}), share={share!r})"), env, logs),
        lambda: run_step("load", cdp_command("load"), env, logs),
        lambda: run_step("full build", cdp_command("build"), env, logs),
        lambda: run_step("sync", sync, env, logs),
        lambda: run_step("append 1%", _python(
            f"deliver(Path({str(later)!r}), Path({str(feed)!r}))"), env, logs),
        lambda: run_step("incremental load", cdp_command("load", "--incremental"), env, logs),
        lambda: run_step("incremental build", cdp_command("build"), env, logs),
        lambda: run_step("incremental sync", sync, env, logs),
        lambda: run_step("report", cdp_command("report", "--out", str(data / "reports")),
                         env, logs),
    ]
    steps: list[Step] = []
    for action in plan:
        steps.append(step := action())
        on_step(step)
        if not step.ok:
            break
    result = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"), "persons": persons, "seed": seed,
        "appended_share": share, "machine": {"cores": os.cpu_count(),
                                             "memory_gb": _memory_gb()},
        "duckdb_memory_limit": os.environ.get("CDP_DUCKDB_MEMORY_LIMIT", "4GB (default)"),
        "steps": [step.as_json() for step in steps],
        "ok": all(step.ok for step in steps) and len(steps) == len(plan),
    }
    by_name = {step.name: step for step in steps}
    for name in ("sync", "incremental sync"):
        if name in by_name and by_name[name].ok:
            result[f"{name.replace(' ', '_')}_records_sent"] = _records_sent(by_name[name].log)
    if build := by_name.get("full build"):
        result["slowest_full_build_nodes_s"] = slowest_nodes(build.log)
        result["full_build_s_by_layer"] = time_by_layer(build.log)
    if incremental := by_name.get("incremental build"):
        result["slowest_incremental_build_nodes_s"] = slowest_nodes(incremental.log)
        result["incremental_build_s_by_layer"] = time_by_layer(incremental.log)
        result["incremental_over_full"] = round(incremental.wall_s / build.wall_s, 3)
    if result["ok"]:
        result["references"] = _references(data / "cdp.duckdb")
        result["targets_met"] = _targets_met(result, by_name)
    return result


def _targets_met(result: dict, steps: dict[str, Step]) -> dict[str, bool]:
    """The issue's targets (set for 1M persons on 2 cores), each met or not."""
    return {"load_s": steps["load"].wall_s <= TARGETS["load_s"],
            "full_build_s": steps["full build"].wall_s <= TARGETS["full_build_s"],
            "peak_rss_mb": max(s.peak_rss_mb for s in steps.values()) <= TARGETS["peak_rss_mb"],
            "incremental_share": result["incremental_over_full"] <= TARGETS["incremental_share"]}


def _records_sent(log: str) -> int:
    """The sync step prints one JSON line last (cdp.bench.sync_step)."""
    return json.loads(Path(log).read_text().strip().splitlines()[-1])["records_sent"]


def _memory_gb() -> float:
    pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
    return round(pages * size / 2**30, 1)


def write_result(result: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{result['date']}-{size_label(result['persons'])}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    return path
