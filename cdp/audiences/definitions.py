"""Audience definitions: one YAML file per audience in the audiences folder, checked on load.

Rules are validated by `cdp.audiences.rules`; this module checks everything around them (keys,
names, shares, references between audiences) and turns each file into an `Audience`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from cdp.definition_files import read_definition, suggest

TRAITS_FILE = "_traits.yml"
KEYS = {"name", "description", "owner", "rule", "exclude", "holdout", "variants", "salt",
        "group", "priority", "tags"}
REQUIRED = ("name", "description", "owner", "rule")
BASIS_POINTS = 10_000  # arms are cut on 0.01% buckets of the person hash


class DefinitionError(ValueError):
    """An audience file that cannot be used, naming the file and the problem."""


@dataclass(frozen=True)
class Arm:
    """A slice [lower, upper) of the 10,000 hash buckets: the holdout or one variant."""

    name: str
    lower: int
    upper: int
    is_holdout: bool


@dataclass(frozen=True)
class Audience:
    name: str
    description: str
    owner: str
    rule: str
    path: Path
    exclude: tuple[str, ...] = ()
    salt: str = ""
    group: str = ""
    priority: int = 0
    tags: tuple[str, ...] = ()
    arms: tuple[Arm, ...] = field(default=())


def load_traits(folder: Path) -> dict[str, str]:
    """Named traits (`traits: {name: expression}`) rules may use, from `_traits.yml`."""
    path = folder / TRAITS_FILE
    if not path.exists():
        return {}
    content = _read(path)
    traits = content.get("traits") if isinstance(content, dict) else None
    if not isinstance(traits, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in traits.items()):
        raise DefinitionError(f"{path}: expected `traits:` mapping names to SQL expressions")
    return {name.lower(): expression for name, expression in traits.items()}


def load_audiences(folder: Path, errors: list[str] | None = None) -> list[Audience]:
    """Every `*.yml` audience in `folder` (sorted by name), with cross-audience checks.

    Raises the first DefinitionError, or with `errors` appends every problem to it and
    returns the audiences that are fine on their own."""
    audiences = []
    for path in sorted(folder.glob("*.yml")):
        if path.name == TRAITS_FILE:
            continue
        try:
            audiences.append(_audience(path))
        except DefinitionError as error:
            if errors is None:
                raise
            errors.append(str(error))
    try:
        _check_references(audiences)
    except DefinitionError as error:
        if errors is None:
            raise
        errors.append(str(error))
    return audiences


def _check_references(audiences: list[Audience]) -> None:
    names = [a.name for a in audiences]
    for audience in audiences:
        for excluded in audience.exclude:
            if excluded not in names:
                raise DefinitionError(f"{audience.path}: exclude: unknown audience "
                                      f"'{excluded}'{suggest(excluded, names)}")
            if excluded == audience.name:
                raise DefinitionError(f"{audience.path}: an audience cannot exclude itself")
    groups: dict[tuple[str, int], str] = {}
    for audience in audiences:
        if audience.group:
            clash = groups.setdefault((audience.group, audience.priority), audience.name)
            if clash != audience.name:
                raise DefinitionError(
                    f"{audience.path}: priority {audience.priority} of group "
                    f"'{audience.group}' is already taken by '{clash}'")


def _audience(path: Path) -> Audience:
    content = read_definition(path, kind="audience", keys=KEYS, required=REQUIRED,
                              error=DefinitionError)
    name = str(content["name"])
    group, priority = str(content.get("group") or ""), content.get("priority")
    if group and not isinstance(priority, int):
        raise DefinitionError(f"{path}: an audience in group '{group}' needs an integer priority")
    if priority is not None and not group:
        raise DefinitionError(f"{path}: priority is only meaningful with a group")
    return Audience(
        name=name, description=str(content["description"]).strip(),
        owner=str(content["owner"]), rule=str(content["rule"]).strip(), path=path,
        exclude=_names(path, "exclude", content.get("exclude")),
        salt=str(content.get("salt") or name), group=group, priority=priority or 0,
        tags=_names(path, "tags", content.get("tags")),
        arms=_arms(path, content.get("holdout"), content.get("variants")),
    )


def _arms(path: Path, holdout, variants) -> tuple[Arm, ...]:
    """Holdout first, then the variants' shares of the rest; one `members` arm by default."""
    holdout = 0 if holdout is None else holdout
    if not isinstance(holdout, int | float) or not 0 <= holdout < 100:
        raise DefinitionError(f"{path}: holdout must be a percentage in [0, 100)")
    variants = variants or [{"name": "members", "share": 100}]
    if not isinstance(variants, list) or not all(
            isinstance(v, dict) and set(v) == {"name", "share"} for v in variants):
        raise DefinitionError(f"{path}: variants must be a list of {{name, share}}")
    shares = [v["share"] for v in variants]
    positive = all(isinstance(s, int | float) and s > 0 for s in shares)
    if not positive or abs(sum(shares) - 100) > 1e-9:
        raise DefinitionError(f"{path}: variant shares must be positive and add up to 100")
    names = [str(v["name"]) for v in variants]
    if len(set(names)) != len(names) or "holdout" in names:
        raise DefinitionError(f"{path}: variant names must be unique and not 'holdout'")
    cut = round(holdout * BASIS_POINTS / 100)
    arms = [Arm("holdout", 0, cut, True)] if cut else []
    treated, lower, cumulative = BASIS_POINTS - cut, cut, 0.0
    for name, share in zip(names, shares, strict=True):
        cumulative += share
        upper = cut + round(treated * cumulative / 100)
        arms.append(Arm(name, lower, upper, False))
        lower = upper
    return tuple(arms)


def _names(path: Path, key: str, value) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DefinitionError(f"{path}: {key} must be a list of names")
    return tuple(value)


def _read(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise DefinitionError(f"{path}: not valid YAML: {error}") from None
