"""Probabilistic matching end to end on a CRM-only data set with person noise (issue 16).

`cdp generate --profile contacts-only` writes ~5,200 CRM contacts for 3,000 persons: names,
addresses and birth dates with typos, nicknames, swapped names, day/month swaps and gaps, no
email or phone, households of relatives at one address, and the truth. They are loaded and
the identity models built with the shipped settings; the truth then judges the result.
"""

from __future__ import annotations

import duckdb
import pytest

from cdp.build import build_project
from cdp.generate import generate_sources
from cdp.identity.evaluate import evaluate_identity
from cdp.load import load_raw

PERSONS = 3_000
# What evaluate reads (dim_customers only for its count); the rest of the build is not needed.
SELECTION = ["+dim_customers", "+fct_identity_links", "+int_identity__blocking_rules"]


@pytest.fixture(scope="module")
def built(tmp_path_factory, monkeypatch_module):
    root = tmp_path_factory.mktemp("contacts_only")
    raw, db = root / "raw", root / "cdp.duckdb"
    generate_sources(raw, PERSONS, seed=11, show_progress=False, profile="contacts-only")
    load_raw(raw, db)
    monkeypatch_module.setenv("CDP_DUCKDB_PATH", str(db))
    # Models only: the data tests of the same models run in every pipeline build.
    build_project(["--select", *SELECTION, "--exclude-resource-type", "test", "unit_test"],
                  duckdb_path=db)
    return raw, db


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(scope="module")
def scores(built):
    raw, _ = built
    return evaluate_identity(raw)


def _pairs(db, raw, where: str) -> list[tuple]:
    """Scored pairs with both records' truth (person, household, noise) under `where`."""
    with duckdb.connect(str(db), read_only=True) as con:
        con.execute(f"""
            create temp view truth as
            select md5(source_table || '-' || source_file || '-' || cast(source_row as varchar))
                as record_key, person_id, noise
            from read_parquet('{raw / '_truth' / 'records.parquet'}')""")
        con.execute(f"""
            create temp view persons as select person_id, household_id
            from read_parquet('{raw / '_truth' / 'persons.parquet'}')""")
        return con.execute(f"""
            select pairs.is_match, ta.person_id = tb.person_id, pa.household_id = pb.household_id,
                ta.noise, tb.noise
            from intermediate.int_identity__scored_pairs as pairs
            join truth as ta on ta.record_key = pairs.record_a
            join truth as tb on tb.record_key = pairs.record_b
            join persons as pa on pa.person_id = ta.person_id
            join persons as pb on pb.person_id = tb.person_id
            where {where}""").fetchall()


def test_f1_with_the_shipped_settings(scores):
    assert scores.records >= 5_000
    assert scores.f1 >= 0.985, (scores.precision, scores.recall)


def test_probabilistic_links_are_what_joins_the_contacts(scores):
    """No identifier is shared, so without probabilistic links every contact is alone."""
    assert scores.probabilistic_links > 0
    assert scores.without_probabilistic.recall < 0.05
    assert scores.recall - scores.without_probabilistic.recall > 0.9


def test_blocking_recall(scores):
    blocking = scores.blocking
    assert blocking.recall >= 0.95, blocking
    assert sum(rule.new_pairs for rule in blocking.rules) == blocking.candidate_pairs


def test_relatives_at_one_address_stay_apart(built):
    raw, db = built
    relatives = _pairs(db, raw, "true")
    household_pairs = [row for row in relatives if row[2] and not row[1]]
    assert len(household_pairs) > 500  # the blocking puts relatives side by side ...
    merged = sum(1 for row in household_pairs if row[0])
    assert merged / len(household_pairs) < 0.01  # ... and matching keeps them apart


COSMETIC = {"name_case", "name_padding", "address_case", "accents_dropped"}


def _kinds(noise: str | None) -> set[str]:
    return set((noise or "").split(",")) - COSMETIC - {""}


@pytest.mark.parametrize("kind", ["first_name_typo", "last_name_typo", "nickname",
                                  "truncated_first_name", "names_swapped", "postcode_typo",
                                  "dob_typo", "dob_day_month_swapped", "missing_first_name",
                                  "missing_date_of_birth", "missing_postcode", "missing_address",
                                  "address_abbreviated", "address_typo", "city_typo"])
def test_each_kind_of_noise_is_matched(built, kind):
    """A clean contact and its duplicate carrying just this noise (besides case and spacing)
    are matched: each kind alone is survivable. (Combinations may leave too little: a
    duplicate without first name and birth date is only a surname at an address, as a
    relative is.)"""
    raw, db = built
    pairs = [row for row in _pairs(db, raw, "true") if row[1]
             and sorted([_kinds(row[3]), _kinds(row[4])], key=len) == [set(), {kind}]]
    assert len(pairs) >= 10, kind
    assert sum(1 for row in pairs if row[0]) / len(pairs) >= 0.95, kind
