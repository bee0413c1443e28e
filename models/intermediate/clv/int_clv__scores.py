"""One row per customer: BG/NBD + Gamma-Gamma predictions (purchases, P(alive), order value, CLV),
scored with the persisted fit of `int_clv__model_fit` rather than a second fit. No rows when
that fit failed (its row says why)."""

import pandas as pd

from cdp.clv import OUTPUT_COLUMNS, fit_from_record, predict_customers


def model(dbt, session):
    [fit] = dbt.ref("int_clv__model_fit").df().to_dict("records")
    if fit["fit_status"] != "ok":
        return pd.DataFrame({column: pd.Series(dtype="str" if column == "person_id" else "float")
                             for column in OUTPUT_COLUMNS})
    summary = dbt.ref("int_clv__purchase_summary").df()
    summary.loc[summary["frequency"] == 0, "monetary_value"] = 0.0
    return predict_customers(
        summary.astype({"monetary_value": "float64"}),
        fit_from_record(fit),
        horizon_days=int(dbt.config.get("horizon_days")),
        discount_rate_annual=float(dbt.config.get("discount_rate_annual")),
    )
