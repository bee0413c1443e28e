"""Sync definitions: one YAML file per sync in the syncs folder, every problem reported at once.

    name: paid_subscribers_webhook
    description: ...
    source: {audience: paid_subscribers}        # or {model: sync_webhook__customers}
    primary_key: person_id
    destination: {type: webhook, config: {url: ..., secret_env: CDP_WEBHOOK_SECRET}}
    mode: mirror                                # upsert | update | insert | mirror
    fields: {email: email, clv: predicted_clv}  # destination field: source column/expression
    purpose: marketing                          # why: one of var cdp_processing_purposes
    consent: [marketing, email]                 # purpose and channel the person must grant
    batch_size: 500                             # optional, at most the destination's limit
    max_remove_share: 0.5                       # mirror guard (default 0.5)

Names must be known (an audience of the audiences folder, a model of the dbt project, a consent
pair of var `cdp_consent_purposes`, a purpose of var `cdp_processing_purposes`), keys and columns
identifiers, field expressions pass the audience-rule sandbox. A destination receiving personal
data needs a purpose; a purpose whose legal basis is consent needs `consent` for that purpose.
The destination's own config is checked when it is created.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cdp.definition_files import read_definition, shown, suggest
from reverse_etl import spec_checks as checks
from reverse_etl.catalog import Catalog, project_catalog
from reverse_etl.destinations.base import MODES, ConfigError
from reverse_etl.destinations.registry import DESTINATIONS

KEYS = {"name", "description", "source", "primary_key", "destination", "mode", "fields",
        "purpose", "consent", "batch_size", "max_remove_share"}
REQUIRED = ("name", "source", "primary_key", "destination", "mode", "fields")
SOURCE_KINDS = ("audience", "model")


@dataclass(frozen=True)
class SyncSpec:
    name: str
    description: str
    source_kind: str  # "audience" or "model"
    source_name: str
    primary_key: str
    destination_type: str
    destination_config: dict
    mode: str
    fields: dict[str, str]  # destination field -> source column or expression
    purpose: str | None = None  # a key of var cdp_processing_purposes
    consent: tuple[str, str] | None = None
    batch_size: int | None = None
    max_remove_share: float = 0.5
    path: Path | None = None  # the YAML file (None for a spec built in code)

    @property
    def label(self) -> str:
        """How messages name the definition: its file, or the sync when built in code."""
        return str(self.path) if self.path else f"sync '{self.name}'"


def load_syncs(folder: Path, errors: list[str] | None = None,
               catalog: Catalog | None = None) -> list[SyncSpec]:
    """Every valid sync of `folder`. Problems are appended to `errors`, one line each; without
    `errors` they are raised together as one ConfigError."""
    from cdp import settings

    if catalog is None:
        try:
            catalog = project_catalog(settings.audiences_dir())
        except ConfigError as error:  # the project's own vars: no sync can be checked
            if errors is None:
                raise
            errors += str(error).splitlines()
            return []
    found: list[str] = []
    specs = []
    for path in sorted(folder.glob("*.yml")):
        spec, problems = check_sync(path, catalog)
        found += problems
        if spec is not None:
            specs.append(spec)
    names = [s.name for s in specs]
    found += [f"{s.path}: name: sync name '{s.name}' is used twice" for s in specs
              if names.count(s.name) > 1]
    if errors is None and found:
        raise ConfigError("\n".join(found))
    if errors is not None:
        errors += found
    return [s for s in specs if names.count(s.name) == 1]


def load_sync(path: Path, catalog: Catalog | None = None) -> SyncSpec:
    """One sync file; ConfigError listing every problem."""
    from cdp import settings

    spec, problems = check_sync(path, catalog or project_catalog(settings.audiences_dir()))
    if problems or spec is None:
        raise ConfigError("\n".join(problems))
    return spec


def check_sync(path: Path, catalog: Catalog) -> tuple[SyncSpec | None, list[str]]:
    """The spec (None when anything is wrong) and every problem as 'file: key: reason'."""
    try:
        content = read_definition(path, kind="sync", keys=KEYS, required=REQUIRED,
                                  error=ConfigError)
    except ConfigError as error:
        return None, [str(error)]
    problems: list[str | None] = []
    kind, name = _source(content["source"], catalog, problems)
    columns = catalog.source_columns(kind, name) if kind else None
    problems.append(checks.column_problem("primary_key", content["primary_key"], columns))
    destination, mode = _destination(content["destination"], content["mode"], problems)
    problems += checks.checked_fields(content["fields"], columns)[1]
    consent, purpose = content.get("consent"), content.get("purpose")
    if consent is not None:
        problems.append(checks.consent_problem(consent, catalog.consent_pairs))
        if kind == "model" and columns is not None and "person_id" not in columns:
            problems.append("consent: needs a person_id column in the source model")
    personal = (DESTINATIONS[destination].capabilities.personal_data
                if destination in DESTINATIONS else None)
    problems += checks.purpose_problems(purpose, consent, personal, catalog.purposes,
                                        catalog.consent_pairs)
    share, batch_size = content.get("max_remove_share", 0.5), content.get("batch_size")
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share <= 1:
        problems.append(f"max_remove_share: {shown(share)} must be a number in (0, 1]")
    if batch_size is not None and (isinstance(batch_size, bool)
                                   or not isinstance(batch_size, int) or batch_size < 1):
        problems.append(f"batch_size: {shown(batch_size)} must be a positive integer")
    description = content.get("description", "")
    if not isinstance(description, str):
        problems.append("description: must be text")
    found = [f"{path}: {problem}" for problem in problems if problem]
    if found:
        return None, found
    return SyncSpec(
        name=str(content["name"]), description=description.strip(), source_kind=kind,
        source_name=name, primary_key=content["primary_key"], destination_type=destination,
        destination_config=dict(content["destination"].get("config") or {}), mode=mode,
        fields=dict(content["fields"]), purpose=purpose,
        consent=tuple(consent) if consent else None,
        batch_size=batch_size, max_remove_share=float(share), path=path), []


def _source(source, catalog: Catalog, problems: list) -> tuple[str, str]:
    if not isinstance(source, dict) or len(source) != 1 or next(iter(source)) not in SOURCE_KINDS:
        problems.append("source: must be {audience: NAME} or {model: NAME}")
        return "", ""
    [(kind, name)] = source.items()
    problem = checks.identifier_problem(f"source.{kind}", name, f"{kind} name")
    if problem is None:
        known = catalog.audiences if kind == "audience" else catalog.models
        problem = checks.known_problem(f"source.{kind}", name, known, kind)
    problems.append(problem)
    return (kind, name) if problem is None else ("", "")


def _destination(destination, mode, problems: list) -> tuple[str, str]:
    if mode not in MODES:
        problems.append(f"mode: {shown(mode)} is not a sync mode "
                        f"({', '.join(sorted(MODES))}){suggest(str(mode), MODES)}")
    if not isinstance(destination, dict) or not isinstance(destination.get("type"), str):
        problems.append("destination: needs a type (and a config mapping)")
        return "", ""
    kind, config = destination["type"], destination.get("config")
    unknown = sorted(set(destination) - {"type", "config"})
    if unknown:
        problems.append(f"destination: unknown key '{unknown[0]}'"
                        f"{suggest(unknown[0], ('type', 'config'))}")
    if config is not None and not isinstance(config, dict):
        problems.append("destination.config: must be a mapping")
    if kind not in DESTINATIONS:
        problems.append(f"destination.type: unknown destination type {shown(kind)}"
                        f"{suggest(kind, DESTINATIONS)} (available: "
                        f"{', '.join(sorted(DESTINATIONS))})")
    elif mode in MODES and mode not in DESTINATIONS[kind].capabilities.modes:
        supported = ", ".join(sorted(DESTINATIONS[kind].capabilities.modes))
        problems.append(f"mode: the {kind} destination does not support '{mode}' "
                        f"(supports {supported})")
    return kind, str(mode)
