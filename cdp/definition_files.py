"""The checks every one-file-per-definition YAML folder shares (audiences, syncs): valid YAML,
a mapping, known keys (with a "did you mean"), required keys, and a name equal to the file's."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable
from pathlib import Path

import yaml

NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")  # use fullmatch: `$` also matches before a "\n"
# A column, table or schema name we generate SQL with (fullmatch): lower_snake_case, a leading
# underscore allowed (`_synced_at`), at most 63 characters (PostgreSQL's limit).
IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]{0,62}")
NAME_RULE = "is not a lower_snake_case name (a-z, 0-9, _; at most 63 characters)"
SHOWN_CHARS = 60  # messages quote at most this much of a bad value (it may be hostile or huge)


def read_definition(path: Path, *, kind: str, keys: Collection[str], required: Iterable[str],
                    error: type[Exception]) -> dict:
    """The file's mapping, or `error` naming the file and the first problem."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as problem:
        raise error(f"{path}: {yaml_problem(problem)}") from None
    if not isinstance(content, dict):
        raise error(f"{path}: expected a mapping of {kind} keys")
    unknown = sorted(set(content) - set(keys), key=str)  # YAML keys may be numbers too
    if unknown:
        raise error(f"{path}: unknown key {shown(unknown[0])}{suggest(str(unknown[0]), keys)}")
    missing = [key for key in required if not content.get(key)]
    if missing:
        raise error(f"{path}: missing required key '{missing[0]}'")
    name = str(content["name"])
    if not NAME.fullmatch(name) or name != path.stem:
        raise error(f"{path}: name {shown(name)} must be lower_snake_case and equal the file name "
                    f"('{path.stem}')")
    return content


def yaml_problem(problem: yaml.YAMLError) -> str:
    """One line for a YAML error (PyYAML's own message spans several, with a caret)."""
    mark = getattr(problem, "problem_mark", None)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    what = getattr(problem, "problem", None) or str(problem).splitlines()[0]
    return f"not valid YAML{where}: {what}"


def suggest(word: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, sorted(candidates), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def is_name(value: object) -> bool:
    """A lower_snake_case identifier, safe to use as a SQL identifier or string."""
    return isinstance(value, str) and NAME.fullmatch(value) is not None


def shown(value: object) -> str:
    """`value` quoted for a one-line message, cut to SHOWN_CHARS characters."""
    text = value if isinstance(value, str) else repr(value)
    text = text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 3] + "..."
    return repr(text) if isinstance(value, str) else text
