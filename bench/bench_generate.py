"""Generator throughput: one `generate_sources` run, with rows, bytes, seconds and peak memory.

    python bench/bench_generate.py --persons 1000000 --out /tmp/cdp_bench
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import time
from pathlib import Path

from cdp.generate import generate_sources


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, default=Path("/tmp/cdp_bench"))
    args = parser.parse_args()

    started = time.perf_counter()
    manifest = generate_sources(args.out, args.persons, seed=args.seed, show_progress=True)
    seconds = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"\n{'file':<32} {'rows':>12} {'MB':>9}")
    for path, rows in manifest["files"].items():
        size = (args.out / path).stat().st_size / 1e6 if (args.out / path).exists() else 0.0
        print(f"{path:<32} {rows:>12,} {size:>9,.1f}")
    total_rows = sum(manifest["files"].values())
    total_mb = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file()) / 1e6
    print(f"{'total (with truth)':<32} {total_rows:>12,} {total_mb:>9,.1f}")
    result = {
        "persons": args.persons, "seconds": round(seconds, 1), "rows": total_rows,
        "megabytes": round(total_mb, 1), "peak_rss_mib": round(peak_mib),
        "rows_per_second": round(total_rows / seconds), "machine": platform.machine(),
        "python": platform.python_version(),
    }
    print(json.dumps(result))
    results = Path(__file__).parent / "results"
    results.mkdir(exist_ok=True)
    (results / f"generate_{args.persons}.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
