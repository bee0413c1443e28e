"""One row: the BG/NBD and Gamma-Gamma fit of this build (parameters, log-likelihoods, sizes).

A dbt Python model so `dbt build` fits in one go on DuckDB; the statistics are the plain library
`cdp.clv`, so an adapter without Python models can run the same functions from Dagster. A fit
the data cannot support (too few repeat customers, a parameter running off) is recorded as
failed with its reason instead of failing the build: golden records do not wait for CLV.
"""

import pandas as pd

from cdp.clv import ClvFitError, failed_fit_record, fit_models, fit_to_record


def model(dbt, session):
    period_days = int(dbt.config.get("period_days"))
    summary = dbt.ref("int_clv__purchase_summary").df()
    # One-time buyers have no repeat spend to average: Gamma-Gamma ignores their value.
    summary.loc[summary["frequency"] == 0, "monetary_value"] = 0.0
    try:
        report = fit_models(summary.astype({"monetary_value": "float64"}),
                            period_days=period_days)
        record = fit_to_record(report)
    except ClvFitError as error:
        record = failed_fit_record(period_days, str(error))
    return pd.DataFrame([record])
