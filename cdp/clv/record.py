"""A FitReport as one flat row and back: the warehouse keeps the fit it scored customers with."""

from __future__ import annotations

from dataclasses import asdict, fields

from cdp.clv.bgnbd import BgNbdParams
from cdp.clv.gamma_gamma import GammaGammaParams
from cdp.clv.score import FitReport

_PREFIXES = (("bgnbd_", BgNbdParams), ("gamma_gamma_", GammaGammaParams))


def fit_to_record(report: FitReport) -> dict[str, object]:
    """`fit_status` ok, `period_days`, `fit_seconds` and every parameter prefixed by its model."""
    record: dict[str, object] = {"fit_status": "ok", "fit_error": None,
                                 "period_days": report.period_days,
                                 "fit_seconds": report.fit_seconds}
    for prefix, params in zip(("bgnbd_", "gamma_gamma_"), (report.bgnbd, report.gamma_gamma),
                              strict=True):
        record.update({prefix + name: value for name, value in asdict(params).items()})
    return record


def failed_fit_record(period_days: float, reason: str) -> dict[str, object]:
    """The row of a fit that could not be made: the same columns, null values, and why."""
    record: dict[str, object] = {"fit_status": "failed", "fit_error": reason,
                                 "period_days": float(period_days), "fit_seconds": None}
    for prefix, cls in _PREFIXES:
        record.update({prefix + f.name: None for f in fields(cls)})
    return record


def fit_from_record(record: dict) -> FitReport:
    """The FitReport `fit_to_record` flattened (extra keys are ignored)."""
    models = [cls(**{f.name: _native(record[prefix + f.name]) for f in fields(cls)})
              for prefix, cls in _PREFIXES]
    return FitReport(*models, period_days=float(record["period_days"]),
                     fit_seconds=float(record["fit_seconds"]), score_seconds=0.0)


def _native(value):
    """numpy scalars from a DataFrame row as plain Python values."""
    return value.item() if hasattr(value, "item") else value
