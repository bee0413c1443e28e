"""CLV fit at N customers: our BG/NBD + Gamma-Gamma vs lifetimes' fitters on the same data.

    python bench/bench_clv.py --customers 1000000

Customers are simulated from the BG/NBD + Gamma-Gamma generative process with a fixed seed, as a
warehouse would summarise them: ages in whole days (first purchases spread over two years),
purchase days floored to whole days, times then in weeks. We time `fit_bgnbd` +
`fit_gamma_gamma` (grouping included) and the whole `score_customers` call. lifetimes is not a
project dependency: where it is importable (e.g. a throwaway venv with `pip install lifetimes`
and PYTHONPATH pointing here) `BetaGeoFitter().fit` + `GammaGammaFitter().fit` are timed on the
same per-customer arrays, as its docs call them, and also with its `weights` argument on the
distinct rows our fit groups into; otherwise it prints "lifetimes not installed".
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import pandas as pd

from cdp.bench.references import PARAMETERS, fit_lifetimes, import_lifetimes
from cdp.clv import fit_bgnbd, fit_gamma_gamma, score_customers
from cdp.clv._fit import group_rows
from cdp.clv.simulate import simulate_customers

# CDNOW-like, in weeks: purchase rate ~ Gamma(0.25, rate 30 days), dropout ~ Beta(0.8, 2.5).
TRUE = {"r": 0.25, "alpha": 30.0 / 7, "a": 0.8, "b": 2.5, "p": 6.0, "q": 4.0, "v": 15.0}
PERIOD_DAYS = 7


def simulate(customers: int, seed: int) -> pd.DataFrame:
    """Summary in days (the warehouse's grain) with weekly copies of recency and T."""
    rng = np.random.default_rng(seed)
    t_days = rng.integers(1, 731, customers).astype(np.float64)
    weekly = simulate_customers(t_days / PERIOD_DAYS, rng=rng, **TRUE)
    recency_days = np.floor(weekly["recency"] * PERIOD_DAYS + 1e-9)  # purchase day, not time
    return pd.DataFrame({
        "person_id": np.arange(customers), "frequency": weekly["frequency"],
        "recency_days": recency_days, "t_days": t_days,
        "monetary_value": weekly["monetary_value"],
        "recency": recency_days / PERIOD_DAYS, "T": t_days / PERIOD_DAYS,
    })


def fit_ours(data: pd.DataFrame) -> tuple[float, dict]:
    started = time.perf_counter()
    bgnbd = fit_bgnbd(data["frequency"], data["recency"], data["T"])
    spend = fit_gamma_gamma(data["frequency"], data["monetary_value"])
    seconds = time.perf_counter() - started
    return seconds, {"r": bgnbd.r, "alpha": bgnbd.alpha, "a": bgnbd.a, "b": bgnbd.b,
                     "p": spend.p, "q": spend.q, "v": spend.v, "bgnbd_iterations": bgnbd.iterations}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--skip-lifetimes", action="store_true",
                        help="time only our fit even if lifetimes is importable")
    args = parser.parse_args()

    started = time.perf_counter()
    data = simulate(args.customers, args.seed)
    print(f"simulated {args.customers:,} customers in {time.perf_counter() - started:.1f} s "
          f"({(data['frequency'] > 0).mean():.1%} with repeat purchases)")
    frequency, recency, age, monetary = (data[c].to_numpy() for c in
                                         ("frequency", "recency", "T", "monetary_value"))
    (gx, grec, gage), counts, _ = group_rows(frequency, recency, age)
    repeat = frequency > 0
    (sx, sm), spend_counts, _ = group_rows(frequency[repeat], monetary[repeat])
    print(f"distinct (frequency, recency, T) rows: {counts.size:,}; "
          f"distinct (frequency, monetary_value) rows among repeat customers: {sx.size:,}")

    sample = data.iloc[:5000]  # warm-up: first calls pay imports and caches, not the fit
    fit_ours(sample)
    ours_s, ours = fit_ours(data)
    scores, report = score_customers(data[["person_id", "frequency", "recency_days", "t_days",
                                           "monetary_value"]], period_days=PERIOD_DAYS)
    print(f"ours: fit {ours_s:.2f} s; score_customers: fit {report.fit_seconds:.2f} s + "
          f"score {report.score_seconds:.2f} s for {len(scores):,} rows")

    rows = [("true", None, TRUE), ("ours", ours_s, ours)]
    fitters = None if args.skip_lifetimes else import_lifetimes()
    if fitters is None:
        print("lifetimes not installed" if not args.skip_lifetimes else "lifetimes skipped")
    else:
        warm = sample[sample["frequency"] > 0]
        fit_lifetimes(fitters, (sample["frequency"], sample["recency"], sample["T"], None),
                      (warm["frequency"], warm["monetary_value"], None))
        lt_s, lt = fit_lifetimes(fitters, (frequency, recency, age, None),
                                 (frequency[repeat], monetary[repeat], None))
        rows.append(("lifetimes", lt_s, lt))
        # lifetimes given the same grouping as ours through its `weights` arguments
        lt_w_s, lt_w = fit_lifetimes(fitters, (gx, grec, gage, counts), (sx, sm, spend_counts))
        rows.append(("lifetimes weighted", lt_w_s, lt_w))

    names = PARAMETERS
    print(f"\n{'customers':>10} {'groups':>9} {'model':<19} {'fit s':>8} {'ratio':>8} "
          + " ".join(f"{n:>7}" for n in names))
    result = {"customers": args.customers, "groups": int(counts.size),
              "spend_groups": int(sx.size), "ours_fit_s": round(ours_s, 3),
              "ours_score_customers_s": round(report.fit_seconds + report.score_seconds, 3)}
    for label, seconds, params in rows:
        time_cells = (f"{seconds:>8.2f} {ours_s / seconds:>8.3f}" if seconds is not None
                      else f"{'':>8} {'':>8}")
        print(f"{args.customers:>10,} {counts.size:>9,} {label:<19} {time_cells} "
              + " ".join(f"{params[n]:>7.4g}" for n in names))
        if label.startswith("lifetimes"):
            key = label.replace(" ", "_")
            result[f"{key}_fit_s"] = round(seconds, 3)
            result[f"ours_over_{key}"] = round(ours_s / seconds, 4)
    print("ratio: our fit seconds over the row's (target for lifetimes: <= 0.5)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
