"""The checks every one-file-per-definition YAML folder shares (audiences, syncs): valid YAML,
a mapping, known keys (with a "did you mean"), required keys, and a name equal to the file's."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable
from pathlib import Path

import yaml

NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


def read_definition(path: Path, *, kind: str, keys: Collection[str], required: Iterable[str],
                    error: type[Exception]) -> dict:
    """The file's mapping, or `error` naming the file and the first problem."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as problem:
        raise error(f"{path}: not valid YAML: {problem}") from None
    if not isinstance(content, dict):
        raise error(f"{path}: expected a mapping of {kind} keys")
    unknown = sorted(set(content) - set(keys))
    if unknown:
        raise error(f"{path}: unknown key '{unknown[0]}'{suggest(unknown[0], keys)}")
    missing = [key for key in required if not content.get(key)]
    if missing:
        raise error(f"{path}: missing required key '{missing[0]}'")
    name = str(content["name"])
    if not NAME.match(name) or name != path.stem:
        raise error(f"{path}: name '{name}' must be lower_snake_case and equal the file name "
                    f"('{path.stem}')")
    return content


def suggest(word: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, sorted(candidates), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
