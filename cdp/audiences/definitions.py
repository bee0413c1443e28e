"""Audience definitions: one YAML file per audience in the audiences folder, checked on load.

Rules are validated by `cdp.audiences.rules`; this module checks everything around them (keys,
names, shares, references between audiences) and turns each file into an `Audience`. The YAML
is untrusted input: every value that reaches SQL as text is a checked identifier or label (the
dbt models quote them too, with `string_literal`), and every problem of a file is collected,
so `cdp audiences validate` can list them all at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from cdp.definition_files import NAME_RULE, is_name, read_definition, shown, suggest, yaml_problem

TRAITS_FILE = "_traits.yml"
KEYS = {"name", "description", "owner", "rule", "exclude", "holdout", "variants", "salt",
        "group", "priority", "tags"}
REQUIRED = ("name", "description", "owner", "rule")
BASIS_POINTS = 10_000  # arms are cut on 0.01% buckets of the person hash
SALT = re.compile(r"[A-Za-z0-9_.:-]{1,64}")  # hashed as text: a short label, nothing to escape
SALT_RULE = "is not a short label (letters, digits, _ . : -; 1 to 64 characters)"
MAX_PRIORITY = 2**31 - 1  # group_priority is an `integer` column


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


@dataclass
class CheckedFolder:
    """Every audience whose file could be read (a value that failed its check is left out or
    at its default) and every problem, per file in file order."""

    audiences: list[Audience]
    problems: dict[Path, list[str]]

    def messages(self) -> list[str]:
        return [message for messages in self.problems.values() for message in messages]

    def valid(self) -> list[Audience]:
        """The audiences whose files have no problem."""
        return [a for a in self.audiences if a.path not in self.problems]


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
    """Every valid `*.yml` audience in `folder` (sorted by name), with cross-audience checks.

    Raises a DefinitionError naming the first problem (and how many more there are), or with
    `errors` appends every problem to it and returns the audiences without any."""
    checked = check_audiences(folder)
    messages = checked.messages()
    if messages and errors is None:
        more = len(messages) - 1
        raise DefinitionError(messages[0] + (
            f" (and {more} more problem{'s' if more > 1 else ''}: run `cdp audiences validate`)"
            if more else ""))
    if errors is not None:
        errors.extend(messages)
    return checked.valid()


def check_audiences(folder: Path) -> CheckedFolder:
    """Every audience file of `folder` checked, collecting all of each file's problems."""
    audiences, problems = [], {}
    for path in sorted(folder.glob("*.yml")):
        if path.name == TRAITS_FILE:
            continue
        found: list[str] = []
        if (audience := _audience(path, found)) is not None:
            audiences.append(audience)
        if found:
            problems[path] = found
    for path, message in _reference_problems(audiences):
        problems.setdefault(path, []).append(message)
    return CheckedFolder(audiences, dict(sorted(problems.items())))


def _reference_problems(audiences: list[Audience]) -> list[tuple[Path, str]]:
    names, found = [a.name for a in audiences], []
    for audience in audiences:
        for excluded in audience.exclude:
            if excluded == audience.name:
                found.append((audience.path, f"{audience.path}: an audience cannot exclude itself"))
            elif excluded not in names:
                found.append((audience.path, f"{audience.path}: exclude: unknown audience "
                                             f"'{excluded}'{suggest(excluded, names)}"))
    groups: dict[tuple[str, int], str] = {}
    for audience in audiences:
        if audience.group:
            clash = groups.setdefault((audience.group, audience.priority), audience.name)
            if clash != audience.name:
                found.append((audience.path, f"{audience.path}: priority {audience.priority} of "
                                             f"group '{audience.group}' is already taken by "
                                             f"'{clash}'"))
    return found


def _audience(path: Path, problems: list[str]) -> Audience | None:
    """The file's audience, appending each problem (`path: key: why`) to `problems`; None when
    the file cannot be read as an audience at all (then its first structural problem)."""
    try:
        content = read_definition(path, kind="audience", keys=KEYS, required=REQUIRED,
                                  error=DefinitionError)
    except DefinitionError as error:
        problems.append(str(error))
        return None
    name = str(content["name"])

    def problem(message: str) -> None:
        problems.append(f"{path}: {message}")

    # Checked in the order the README documents the keys, so messages follow the file.
    arms = _arms(problem, content.get("holdout"), content.get("variants"))
    salt = content.get("salt")
    if salt is None or salt == "":
        salt = name
    elif isinstance(salt, bool) or not isinstance(salt, str | int) or not SALT.fullmatch(
            str(salt)):
        problem(f"salt: {shown(salt)} {SALT_RULE}")
    exclude = _names(problem, "exclude", content.get("exclude"))
    has_group = content.get("group") not in (None, "")
    group = _name(problem, "group", content["group"]) if has_group else ""
    priority = content.get("priority")
    if has_group and not _is_int(priority):
        problem("priority: an audience in a group needs an integer priority")
    elif priority is not None and not has_group:
        problem("priority is only meaningful with a group")
    elif _is_int(priority) and abs(priority) > MAX_PRIORITY:
        problem(f"priority: {priority} is out of range (at most {MAX_PRIORITY:,} either way)")
    return Audience(
        name=name, description=str(content["description"]).strip(),
        owner=str(content["owner"]), rule=str(content["rule"]).strip(), path=path,
        exclude=exclude, salt=str(salt), group=group,
        priority=priority if _is_int(priority) else 0,
        tags=_names(problem, "tags", content.get("tags")), arms=arms,
    )


def _arms(problem, holdout, variants) -> tuple[Arm, ...]:
    """Holdout first, then the variants' shares of the rest; one `members` arm by default.
    Empty when any part is invalid (each problem reported)."""
    found: list[str] = []
    holdout = 0 if holdout is None else holdout
    if not _is_number(holdout) or not 0 <= holdout < 100:
        found.append("holdout must be a percentage in [0, 100)")
    variants = variants or [{"name": "members", "share": 100}]
    if not isinstance(variants, list) or not all(
            isinstance(v, dict) and set(v) == {"name", "share"} for v in variants):
        found.append("variants must be a list of {name, share}")
        variants = []
    shares, names = [v["share"] for v in variants], [v["name"] for v in variants]
    if variants and (not all(_is_number(s) and s > 0 for s in shares)
                     or abs(sum(shares) - 100) > 1e-9):
        found.append("variant shares must be positive and add up to 100")
    found += [f"variants[{index}].name: {shown(name)} {NAME_RULE}"
              for index, name in enumerate(names) if not is_name(name)]
    if all(map(is_name, names)) and (len(set(names)) != len(names) or "holdout" in names):
        found.append("variant names must be unique and not 'holdout'")
    for message in found:
        problem(message)
    if found:
        return ()
    cut = round(holdout * BASIS_POINTS / 100)
    arms = [Arm("holdout", 0, cut, True)] if cut else []
    treated, lower, cumulative = BASIS_POINTS - cut, cut, 0.0
    for name, share in zip(names, shares, strict=True):
        cumulative += share
        upper = cut + round(treated * cumulative / 100)
        arms.append(Arm(name, lower, upper, False))
        lower = upper
    return tuple(arms)


def _names(problem, key: str, value) -> tuple[str, ...]:
    """A list of lower_snake_case names (tags, excluded audiences); the valid ones are kept."""
    if value is None:
        return ()
    if not isinstance(value, list):
        problem(f"{key} must be a list of names")
        return ()
    return tuple(name for index, name in enumerate(value)
                 if _name(problem, f"{key}[{index}]", name))


def _name(problem, key: str, value) -> str:
    """`value` when it is a lower_snake_case name, else "" with a problem naming `key`."""
    if is_name(value):
        return value
    problem(f"{key}: {shown(value)} {NAME_RULE}")
    return ""


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)  # YAML `yes` is a bool


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _read(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise DefinitionError(f"{path}: {yaml_problem(error)}") from None
