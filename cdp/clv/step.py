"""The CLV step between the two halves of a build: read the purchase summary dbt built, fit
BG/NBD + Gamma-Gamma in Python, and write the fit and the scores back, on any warehouse.

dbt Python models run on DuckDB only (not on PostgreSQL, and on Spark only on Databricks), so
the fit runs here, through the warehouse layer, and its two tables are the dbt source `clv`
(`stg_clv__model_fits`, `stg_clv__scores`) that `dim_customers` reads. Rows are read in
person order, so every engine fits on the same input and gets the same parameters.
A fit the data cannot support is recorded as failed with its reason (and no scores) instead
of failing the build: golden records do not wait for CLV.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from cdp.clv.errors import ClvFitError
from cdp.clv.record import failed_fit_record, fit_to_record
from cdp.clv.score import OUTPUT_COLUMNS, fit_models, predict_customers
from cdp.warehouse import Warehouse
from cdp.warehouse.schemas import CLV, INTERMEDIATE

SCHEMA = CLV  # `clv` in prod (resolved per use: cdp.warehouse.schemas)


def score_clv(warehouse: Warehouse, settings: dict) -> dict:
    """Fit, score, write `clv.model_fits` and `clv.scores`; returns the fit record.
    `settings` is var `cdp_clv` (period_days, horizon_days, discount_rate_annual)."""
    summary = read_purchase_summary(warehouse)
    period_days = int(settings["period_days"])
    try:
        report = fit_models(summary, period_days=period_days)
        record = fit_to_record(report)
        scores = predict_customers(summary, report,
                                   horizon_days=int(settings["horizon_days"]),
                                   discount_rate_annual=float(settings["discount_rate_annual"]))
    except ClvFitError as error:
        record = failed_fit_record(period_days, str(error))
        scores = pd.DataFrame({c: pd.Series(dtype="str" if c == "person_id" else "float64")
                               for c in OUTPUT_COLUMNS})
    warehouse.execute(f"create schema if not exists {SCHEMA}")
    warehouse.write_table(f"{SCHEMA}.model_fits", _fit_table(record))
    warehouse.write_table(f"{SCHEMA}.scores", pa.Table.from_pandas(
        scores[list(OUTPUT_COLUMNS)], preserve_index=False))
    return record


def read_purchase_summary(warehouse) -> pd.DataFrame:
    """The purchase summary dbt built, as the fit takes it: floats, in person order, and no
    spend on one-time buyers (Gamma-Gamma has no repeat spend of theirs to average)."""
    summary = warehouse.execute(
        "select person_id, frequency, recency_days, t_days, monetary_value"
        f" from {INTERMEDIATE}.int_clv__purchase_summary order by person_id").df()
    summary["monetary_value"] = summary["monetary_value"].astype("float64").fillna(0.0)
    summary.loc[summary["frequency"] == 0, "monetary_value"] = 0.0
    return summary.astype({"frequency": "float64", "recency_days": "float64",
                           "t_days": "float64"})


def _fit_table(record: dict) -> pa.Table:
    """One row, typed by column name, so a failed fit's nulls have the columns' types."""
    return pa.table({name: pa.array([value], _fit_type(name)) for name, value in record.items()})


def _fit_type(name: str) -> pa.DataType:
    if name in ("fit_status", "fit_error"):
        return pa.string()
    if name.endswith("_converged"):
        return pa.bool_()
    if name.endswith(("_n_customers", "_n_groups", "_iterations")):
        return pa.int64()
    return pa.float64()
