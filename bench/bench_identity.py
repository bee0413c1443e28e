"""Identity stage at N persons: dbt wall time, slowest models, SQL connected components vs scipy.

    python bench/bench_identity.py --persons 100000 --data /tmp/cdp_identity_100k [--fuzzy on]

The first run with a data folder generates DIR/raw, loads DIR/cdp.duckdb and builds everything
upstream of identity; later runs with the same persons and seed reuse it (delete DIR/prepared.json
to rebuild the upstream models after changing them). Probabilistic matching (var
cdp_identity_fuzzy) is off unless `--fuzzy on`; the timed selection holds its models either way
(off, they select nothing), so on minus off is what matching costs.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import duckdb
import yaml

from cdp.bench.references import compare, scipy_components
from cdp.dbt import run_dbt
from cdp.generate import generate_sources
from cdp.load import load_raw
from cdp.settings import PROJECT_DIR

IDENTITY = "int_identity__observations+ int_identity__match_records+"
# downstream of identity, but read what the CLV step writes between the build's halves
NOT_IDENTITY = "source:clv+"
COMPONENTS = "int_identity__components"


def _dbt(args: list[str], data: Path, fuzzy_on: bool = False):
    """dbt with matching on or off (the other keys of the var as in dbt_project.yml), its target
    and log folders in DIR: the project's `target/` stays untouched, and the same vars in every
    run keep dbt's partial parsing (switching on/off re-parses once)."""
    fuzzy = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]
    fuzzy = {**fuzzy["cdp_identity_fuzzy"], "enabled": fuzzy_on}
    extra = ["--vars", json.dumps({"cdp_identity_fuzzy": fuzzy}),
             "--target-path", str(data / "target"), "--log-path", str(data / "logs")]
    return run_dbt([*args, *extra], duckdb_path=data / "cdp.duckdb")


def prepare(data: Path, persons: int, seed: int) -> None:
    """Generate, load and build everything upstream of identity, unless DIR already has it."""
    wanted = {"persons": persons, "seed": seed}
    marker, manifest = data / "prepared.json", data / "raw" / "manifest.json"
    if marker.exists() and json.loads(marker.read_text()) == wanted:
        return
    marker.unlink(missing_ok=True)
    same = manifest.exists() and all(json.loads(manifest.read_text())[k] == v
                                     for k, v in wanted.items())
    if not same:
        started = time.perf_counter()
        generate_sources(data / "raw", persons, seed=seed, show_progress=True)
        print(f"generated in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    load_raw(data / "raw", data / "cdp.duckdb")
    print(f"loaded in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    _dbt(["build", "--exclude", IDENTITY], data)
    print(f"upstream built in {time.perf_counter() - started:.1f} s")
    marker.write_text(json.dumps(wanted) + "\n")


def run_identity(data: Path, fuzzy_on: bool) -> tuple[float, float, list[tuple[str, float]]]:
    """Identity models: wall and dbt-reported seconds, (model, seconds) slowest first."""
    started = time.perf_counter()
    result = _dbt(["run", "--select", IDENTITY, "--exclude", NOT_IDENTITY], data, fuzzy_on)
    wall = time.perf_counter() - started
    models = [(r.node.name, r.execution_time) for r in result.result.results]
    return wall, result.result.elapsed_time, sorted(models, key=lambda m: -m[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--data", type=Path, default=None,
                        help="working folder (default /tmp/cdp_bench_identity_<persons>)")
    parser.add_argument("--fuzzy", choices=("off", "on"), default="off",
                        help="probabilistic matching in the timed run (default off)")
    args = parser.parse_args()
    data = (args.data or Path(f"/tmp/cdp_bench_identity_{args.persons}")).resolve()
    data.mkdir(parents=True, exist_ok=True)

    prepare(data, args.persons, args.seed)
    stage_s, dbt_s, models = run_identity(data, args.fuzzy == "on")
    components_s = dict(models)[COMPONENTS]
    print(f"\nidentity stage, matching {args.fuzzy}: {stage_s:.1f} s wall, {dbt_s:.1f} s in"
          " dbt's run (rest: parse)")
    print(f"{'slowest identity models':<40} {'seconds':>9}")
    for name, seconds in models[:8]:
        print(f"{name:<40} {seconds:>9.2f}")

    with duckdb.connect(str(data / "cdp.duckdb"), read_only=True) as con:
        sp = scipy_components(con)
        components, problems = compare(con, sp)
        [(rounds,)] = con.execute(
            f"select count(*) from intermediate.{COMPONENTS}__cc_rounds").fetchall()
        keys = ("rule_name", "blocks", "skipped_blocks", "candidate_pairs", "new_pairs")
        rules = [dict(zip(keys, row, strict=True)) for row in con.execute(
            f"select {', '.join(keys)} from intermediate.int_identity__blocking_rules"
            " order by rule_order").fetchall()]
        [(matches,)] = con.execute(
            "select count(*) from intermediate.int_identity__fuzzy_matches").fetchall()
    scipy_s = sp["matrix_s"] + sp["algorithm_s"]
    result = {
        "persons": args.persons, "fuzzy": args.fuzzy, "nodes": sp["nodes"], "edges": sp["edges"],
        "components": components, "cc_rounds": rounds, "stage_s": round(stage_s, 2),
        "stage_dbt_elapsed_s": round(dbt_s, 2),
        "components_s": round(components_s, 2), "scipy_s": round(scipy_s, 3),
        "scipy_matrix_s": round(sp["matrix_s"], 3),
        "scipy_algorithm_s": round(sp["algorithm_s"], 3),
        "components_over_scipy": round(components_s / scipy_s, 1),
        "scipy_with_io_s": round(scipy_s + sp["io_s"], 3),
        "components_over_scipy_with_io": round(components_s / (scipy_s + sp["io_s"]), 1),
        "stage_over_scipy": round(stage_s / scipy_s, 1), "partition_matches": not problems,
        "slowest_models_s": {name: round(seconds, 2) for name, seconds in models[:8]},
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "fuzzy_matches": matches, "blocking_rules": rules,
    }
    if args.fuzzy == "on":
        print(f"\n{'blocking rule':<24} {'blocks':>9} {'skipped':>8} {'pairs':>11} {'new':>11}")
        for rule in rules:
            print(f"{rule['rule_name']:<24} {rule['blocks']:>9,} {rule['skipped_blocks']:>8,}"
                  f" {rule['candidate_pairs']:>11,} {rule['new_pairs']:>11,}")
        print(f"accepted matches: {matches:,}")
    print(f"\npartition: {'OK' if not problems else 'MISMATCH'}")
    for problem in problems[:10]:
        print(f"  {problem}")
    print(f"\n{'persons':>10} {'nodes':>11} {'edges':>11} {'components':>11} {'rounds':>6} "
          f"{'stage s':>8} {'comp. s':>8} {'scipy s':>8} {'comp/sp':>8} {'stage/sp':>8}")
    print(f"{args.persons:>10,} {sp['nodes']:>11,} {sp['edges']:>11,} {components:>11,} "
          f"{rounds:>6} {stage_s:>8.1f} {components_s:>8.2f} {scipy_s:>8.3f} "
          f"{result['components_over_scipy']:>8.1f} {result['stage_over_scipy']:>8.1f}")
    print(f"scipy: matrix {sp['matrix_s']:.3f} s + algorithm {sp['algorithm_s']:.3f} s;"
          f" with reading edges and writing labels back {result['scipy_with_io_s']:.3f} s"
          f" (components/scipy with io: {result['components_over_scipy_with_io']:.1f})")
    print(json.dumps(result))
    results = Path(__file__).parent / "results"
    results.mkdir(exist_ok=True)
    name = f"identity_{args.persons}{'_fuzzy' if args.fuzzy == 'on' else ''}.json"
    (results / name).write_text(json.dumps(result, indent=2) + "\n")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
