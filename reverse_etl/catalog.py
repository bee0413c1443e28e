"""What a sync may read, known without a warehouse: the audiences defined in the audiences
folder, the dbt models of this project (with their columns where a contract pins them), the
consent purposes and channels the project tracks, and the processing purposes a sync may
declare with their legal basis.

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
from cdp.definition_files import IDENTIFIER, shown
from cdp.settings import PROJECT_DIR, dbt_vars
from reverse_etl.destinations.base import ConfigError

MODELS_DIR = PROJECT_DIR / "models"
AUDIENCE_COLUMNS = ("audience_variant",)  # added to dim_customers' columns for audience sources
# GDPR art. 6(1): the lawful bases for processing personal data.
LEGAL_BASES = ("consent", "contract", "legal_obligation", "vital_interests", "public_task",
               "legitimate_interests")
PURPOSES_VAR = "dbt_project.yml: vars.cdp_processing_purposes"


@dataclass(frozen=True)
class Catalog:
    audiences: frozenset[str]
    models: frozenset[str]
    consent_pairs: tuple[tuple[str, str], ...]
    customer_columns: tuple[str, ...]
    purposes: dict[str, str] = field(default_factory=dict)  # processing purpose -> legal basis
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
    return Catalog(audiences, models, consent_pairs(), tuple(customer_columns()),
                   processing_purposes(), contracts)


def consent_pairs() -> tuple[tuple[str, str], ...]:
    """(purpose, channel) pairs of var `cdp_consent_purposes`: the golden record has a
    `consent_<purpose>_<channel>` column for each."""
    return tuple((str(p), str(c)) for p, c in dbt_vars()["cdp_consent_purposes"])


def processing_purposes(declared: object = None,
                        pairs: tuple[tuple[str, str], ...] | None = None) -> dict[str, str]:
    """Purpose -> legal basis from var `cdp_processing_purposes` (or `declared`); ConfigError
    listing every problem. Each purpose people grant or revoke (var `cdp_consent_purposes`)
    must be declared with basis `consent`: another basis would let syncs ignore revocations."""
    declared = dbt_vars().get("cdp_processing_purposes") if declared is None else declared
    pairs = consent_pairs() if pairs is None else pairs
    if not isinstance(declared, dict) or not declared:
        raise ConfigError(f"{PURPOSES_VAR}: must map each purpose to its legal basis "
                          f"({', '.join(LEGAL_BASES)})")
    problems = []
    for purpose, basis in declared.items():
        if not isinstance(purpose, str) or not IDENTIFIER.fullmatch(purpose):
            problems.append(f"{PURPOSES_VAR}: {shown(purpose)} is not a lower_snake_case name")
        elif basis not in LEGAL_BASES:
            problems.append(f"{PURPOSES_VAR}.{purpose}: {shown(basis)} is not a legal basis "
                            f"({', '.join(LEGAL_BASES)})")
    for purpose in sorted({p for p, _ in pairs}):
        if declared.get(purpose) != "consent":
            problems.append(f"{PURPOSES_VAR}.{purpose}: people grant and revoke '{purpose}' "
                            "(var cdp_consent_purposes), so its legal basis must be consent")
    if problems:
        raise ConfigError("\n".join(problems))
    return dict(declared)


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
