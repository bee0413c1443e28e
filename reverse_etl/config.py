"""Sync definitions: one YAML file per sync in the syncs folder.

    name: paid_subscribers_webhook
    description: ...
    source: {audience: paid_subscribers}        # or {model: sync_webhook__customers}
    primary_key: person_id
    destination: {type: webhook, config: {url: ..., secret_env: CDP_WEBHOOK_SECRET}}
    mode: mirror                                # upsert | update | insert | mirror
    fields: {email: email, clv: predicted_clv}  # destination field: source column
    consent: [marketing, email]                 # purpose and channel the person must grant
    batch_size: 500                             # optional, at most the destination's limit
    max_remove_share: 0.5                       # mirror guard (default 0.5)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cdp.definition_files import read_definition
from reverse_etl.destinations.base import MODES, ConfigError

KEYS = {"name", "description", "source", "primary_key", "destination", "mode", "fields",
        "consent", "batch_size", "max_remove_share"}
REQUIRED = ("name", "source", "primary_key", "destination", "mode", "fields")


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
    fields: dict[str, str]  # destination field -> source column
    consent: tuple[str, str] | None = None
    batch_size: int | None = None
    max_remove_share: float = 0.5
    path: Path = field(default=Path("."))


def load_syncs(folder: Path) -> list[SyncSpec]:
    specs = [load_sync(path) for path in sorted(folder.glob("*.yml"))]
    names = [s.name for s in specs]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ConfigError(f"sync name used twice: {sorted(duplicates)[0]}")
    return specs


def load_sync(path: Path) -> SyncSpec:
    content = read_definition(path, kind="sync", keys=KEYS, required=REQUIRED,
                              error=ConfigError)
    name = str(content["name"])
    source = content["source"]
    if not isinstance(source, dict) or len(source) != 1 or next(iter(source)) not in (
            "audience", "model"):
        raise ConfigError(f"{path}: source must be {{audience: NAME}} or {{model: NAME}}")
    [(source_kind, source_name)] = source.items()
    destination = content["destination"]
    if not isinstance(destination, dict) or "type" not in destination:
        raise ConfigError(f"{path}: destination needs a type (and a config mapping)")
    mode = content["mode"]
    if mode not in MODES:
        raise ConfigError(f"{path}: mode must be one of {', '.join(sorted(MODES))}")
    fields = content["fields"]
    if not isinstance(fields, dict) or not all(isinstance(v, str) for v in fields.values()):
        raise ConfigError(f"{path}: fields must map destination fields to source columns")
    consent = content.get("consent")
    if consent is not None and (not isinstance(consent, list) or len(consent) != 2):
        raise ConfigError(f"{path}: consent must be [purpose, channel]")
    share = float(content.get("max_remove_share", 0.5))
    if not 0 < share <= 1:
        raise ConfigError(f"{path}: max_remove_share must be in (0, 1]")
    batch_size = content.get("batch_size")
    if batch_size is not None and (not isinstance(batch_size, int) or batch_size < 1):
        raise ConfigError(f"{path}: batch_size must be a positive integer")
    return SyncSpec(
        name=name, description=str(content.get("description", "")).strip(),
        source_kind=source_kind, source_name=str(source_name),
        primary_key=str(content["primary_key"]), destination_type=str(destination["type"]),
        destination_config=dict(destination.get("config") or {}), mode=mode,
        fields={str(k): v for k, v in fields.items()},
        consent=tuple(consent) if consent else None, batch_size=batch_size,
        max_remove_share=share, path=path,
    )
