"""The nickname seed (`seeds/identity_nicknames.csv`), read by the generator as dbt reads it:
one list feeds both the noise the generator makes and the matcher that must see through it."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

from cdp.settings import PROJECT_DIR

NICKNAMES_CSV = PROJECT_DIR / "seeds" / "identity_nicknames.csv"


def name_key(name: str) -> str:
    """How the seed spells a name: lower case, accents dropped (`Jérôme` -> `jerome`)."""
    folded = unicodedata.normalize("NFKD", name.strip().lower())
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def read_nicknames(path: Path = NICKNAMES_CSV) -> dict[str, tuple[str, ...]]:
    """Given name (as `name_key` spells it) -> its nicknames, in file order."""
    by_name: dict[str, list[str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            by_name.setdefault(row["given_name"], []).append(row["nickname"])
    return {name: tuple(nicks) for name, nicks in by_name.items()}


def written_nickname(nickname: str) -> str:
    """As a person writes it: `Bob`, `Anne-So`; initials stay capitals (`JB`, `MJ`)."""
    if not any(ch in "aeiouy" for ch in nickname):
        return nickname.upper()
    return "-".join(part.capitalize() for part in nickname.split("-"))
