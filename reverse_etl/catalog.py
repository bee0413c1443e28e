"""What a sync may read, known without a warehouse: the audiences defined in the audiences
folder, the dbt models of this project (with their columns where a contract pins them), and the
consent purposes and channels the project tracks.

Sync YAML is untrusted input: every name in it must be one of these before it can reach SQL.
The warehouse has the last word on columns (`reverse_etl.source_query` checks them again
against the built relation), so a model without a contract is checked there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from cdp.audiences.compile import customer_columns
from cdp.audiences.definitions import TRAITS_FILE
from cdp.settings import PROJECT_DIR, dbt_vars

MODELS_DIR = PROJECT_DIR / "models"
AUDIENCE_COLUMNS = ("audience_variant",)  # added to dim_customers' columns for audience sources


@dataclass(frozen=True)
class Catalog:
    audiences: frozenset[str]
    models: frozenset[str]
    consent_pairs: tuple[tuple[str, str], ...]
    customer_columns: tuple[str, ...]
    # model -> its columns, for models whose contract fixes them (others: only the warehouse)
    contract_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def source_columns(self, kind: str, name: str) -> tuple[str, ...] | None:
        """Columns a sync reading `kind: name` may map, or None when only a build knows."""
        if kind == "audience":
            return (*self.customer_columns, *AUDIENCE_COLUMNS)
        return self.contract_columns.get(name)


def project_catalog(audiences_dir: Path) -> Catalog:
    """The catalog of this project with the audiences of `audiences_dir`."""
    audiences = frozenset(path.stem for path in audiences_dir.glob("*.yml")
                          if path.name != TRAITS_FILE)
    models, contracts = _dbt_models()
    return Catalog(audiences, models, consent_pairs(), tuple(customer_columns()), contracts)


def consent_pairs() -> tuple[tuple[str, str], ...]:
    """(purpose, channel) pairs of var `cdp_consent_purposes`: the golden record has a
    `consent_<purpose>_<channel>` column for each."""
    return tuple((str(p), str(c)) for p, c in dbt_vars()["cdp_consent_purposes"])


def _dbt_models() -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """Model names (SQL and Python files) and the columns of those with an enforced contract."""
    names = frozenset(path.stem for pattern in ("*.sql", "*.py")
                      for path in MODELS_DIR.rglob(pattern))
    contracts: dict[str, tuple[str, ...]] = {}
    for path in sorted(MODELS_DIR.rglob("*.yml")):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
            contract = (model.get("config") or {}).get("contract") or model.get("contract") or {}
            if contract.get("enforced") and model.get("columns"):
                contracts[model["name"]] = tuple(c["name"] for c in model["columns"])
    return names, contracts
