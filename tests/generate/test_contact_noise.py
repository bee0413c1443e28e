"""The contacts-only noise: every kind at a plausible rate, 1-3 changes per duplicate, and a
duplicate differs from its person's original contact exactly where its truth says."""

from __future__ import annotations

import unicodedata
from collections import Counter
from datetime import date

import pytest

from cdp.generate.contacts_only.kinds import KIND_NAMES
from cdp.generate.contacts_only.nicknames import read_nicknames
from tests.generate.raw_files import contacts_with_truth

STYLE = {"name_case", "name_padding", "accents_dropped", "address_case"}
# The contact columns each kind may change: anything else equals the original's.
FIELDS = {
    "first_name": {"first_name_typo", "nickname", "truncated_first_name", "names_swapped",
                   "missing_first_name"},
    "last_name": {"last_name_typo", "names_swapped"},
    "date_of_birth": {"dob_typo", "dob_day_month_swapped", "missing_date_of_birth"},
    "postal_code": {"postcode_typo", "missing_postcode"},
    "address_line1": {"address_abbreviated", "address_typo", "missing_address"},
    "address_line2": {"missing_address"},
    "city": {"city_typo"},
    "region": set(),
}
# One spelling per street word (US `Avenue`/`Ave` and French `avenue`/`av.` alike).
SHORT_FORMS = {"street": "st", "road": "rd", "avenue": "ave", "av.": "ave", "drive": "dr",
               "lane": "ln", "court": "ct", "place": "pl", "boulevard": "blvd", "bd": "blvd"}


@pytest.fixture(scope="module")
def rows(contacts_only) -> list[dict]:
    return contacts_with_truth(contacts_only.raw_dir)


@pytest.fixture(scope="module")
def pairs(rows) -> list[tuple[dict, dict]]:
    """(original, duplicate) contacts of the same person."""
    originals = {r["person_id"]: r for r in rows if not set(r["noise"]) - STYLE}
    return [(originals[r["person_id"]], r) for r in rows
            if originals[r["person_id"]] is not r]


def test_every_kind_occurs_at_a_plausible_rate(pairs):
    counts = Counter(kind for _, dup in pairs for kind in dup["noise"])
    for kind in KIND_NAMES:
        share = counts[kind] / len(pairs)
        low, high = (0.02, 0.09) if kind.startswith("missing_") else (0.02, 0.25)
        assert low <= share <= high, (kind, share)


def test_duplicates_get_one_to_three_changes_one_per_field(pairs):
    changes = Counter(len(set(dup["noise"]) - STYLE) for _, dup in pairs)
    assert changes[0] == 0
    assert (changes[1] + changes[2] + changes[3]) / len(pairs) > 0.97
    assert 1.2 < sum(n * c for n, c in changes.items()) / len(pairs) < 2.0
    for _, dup in pairs:
        for kinds in FIELDS.values():
            assert len(kinds & set(dup["noise"])) <= 1, dup["noise"]


def test_originals_carry_style_noise_only_and_mostly_none(rows):
    persons = {r["person_id"] for r in rows}
    originals = [r for r in rows if not set(r["noise"]) - STYLE]
    assert len(originals) == len(persons)
    assert 0.6 < sum(not r["noise"] for r in originals) / len(originals) < 0.9


def test_a_duplicate_differs_only_where_its_noise_says(pairs):
    for original, dup in pairs:
        for field, kinds in FIELDS.items():
            if not kinds & set(dup["noise"]):
                assert _norm(dup[field]) == _norm(original[field]), (field, dup)


def test_each_kind_changes_its_field_as_named(pairs):
    nicknames = read_nicknames()
    checked = Counter()
    for original, dup in pairs:
        was, now = original, dup
        for kind in set(dup["noise"]) - STYLE:
            checked[kind] += 1
            if kind.startswith("missing_"):
                field = {"missing_first_name": "first_name", "missing_postcode": "postal_code",
                         "missing_date_of_birth": "date_of_birth",
                         "missing_address": "address_line1"}[kind]
                assert now[field] == ""
                assert kind != "missing_address" or now["address_line2"] == ""
            elif kind == "nickname":
                assert _norm(now["first_name"]) in nicknames[_norm(was["first_name"])]
            elif kind == "truncated_first_name":
                short = _norm(now["first_name"]).rstrip(".")
                assert short != _norm(was["first_name"])
                assert _norm(was["first_name"]).startswith(short)
            elif kind == "names_swapped":
                assert (_norm(now["first_name"]), _norm(now["last_name"])) == (
                    _norm(was["last_name"]), _norm(was["first_name"]))
            elif kind == "dob_day_month_swapped":
                year, month, day = was["date_of_birth"].split("-")
                assert now["date_of_birth"] == f"{year}-{day}-{month}" != was["date_of_birth"]
            elif kind == "dob_typo":
                assert _one_char_differs(now["date_of_birth"], was["date_of_birth"])
                assert date(1900, 1, 1) <= date.fromisoformat(now["date_of_birth"])
            elif kind == "postcode_typo":
                assert _one_char_differs(now["postal_code"], was["postal_code"])
            elif kind == "address_abbreviated":
                assert _norm(now["address_line1"]) != _norm(was["address_line1"])
                assert _short(now["address_line1"]) == _short(was["address_line1"])
            else:  # typos
                field = {"first_name_typo": "first_name", "last_name_typo": "last_name",
                         "address_typo": "address_line1", "city_typo": "city"}[kind]
                assert _norm(now[field]) != _norm(was[field])
    assert set(checked) == set(KIND_NAMES)


def _norm(text: str) -> str:
    """What style noise leaves: case, padding and accents do not count."""
    folded = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def _short(line: str) -> str:
    """A street line with every street word in one form (`straße` -> `str.`)."""
    text = _norm(line).replace("straße", "str.")
    return " ".join(SHORT_FORMS.get(word, word) for word in text.split(" "))


def _one_char_differs(now: str, was: str) -> bool:
    return len(now) == len(was) and sum(a != b for a, b in zip(now, was, strict=True)) == 1
