"""The Fellegi-Sunter estimation (`int_identity__match_weights`), run for real on DuckDB
through dbt, recovers known parameters from simulated comparisons.

Comparison levels are drawn in Python from known m (same person) and u (different persons)
distributions: a random-pair sample from u alone (what u is estimated from) and the pairs of
one blocking rule, a known share of them matches. A scratch project builds the project's own
model over those counts; m must come back within a few points, u equal the sample's
frequencies and the prior the expected matches over all pairs.
"""

from __future__ import annotations

import json
from collections import Counter

import duckdb
import numpy as np
import pytest

from tests.dbt.scratch_project import PROJECT_DIR, invoke_dbt, write_scratch_project

# comparison -> {level: probability}; phone stays missing (-1): the rule blocks on it.
TRUE_M = {
    "first_name": {5: 0.80, 4: 0.08, 3: 0.06, 2: 0.03, 0: 0.03},
    "last_name": {4: 0.85, 3: 0.08, 2: 0.04, 0: 0.03},
    "date_of_birth": {4: 0.80, 3: 0.05, 2: 0.10, 0: 0.05},
    "location": {4: 0.70, 3: 0.10, 2: 0.10, 1: 0.05, 0: 0.05},
    "email": {1: 0.60, 0: 0.40},
}
TRUE_U = {
    "first_name": {5: 0.01, 4: 0.005, 3: 0.01, 2: 0.05, 0: 0.925},
    "last_name": {4: 0.005, 3: 0.005, 2: 0.04, 0: 0.95},
    "date_of_birth": {4: 0.0005, 3: 0.0002, 2: 0.004, 0: 0.9953},
    "location": {4: 0.001, 3: 0.001, 2: 0.005, 1: 0.05, 0: 0.943},
    "email": {1: 0.0001, 0: 0.9999},
}
COMPARISONS = [*TRUE_M, "phone"]
RANDOM_PAIRS, RULE_PAIRS, MATCH_SHARE, RECORDS = 200_000, 20_000, 0.2, 10_000


def _draw(rng: np.random.Generator, table: dict, n: int) -> np.ndarray:
    levels = list(table)
    return np.array(levels)[rng.choice(len(levels), size=n, p=list(table.values()))]


def _patterns(rng: np.random.Generator) -> list[tuple]:
    """(rule_order, levels..., pairs, first_pairs) rows, as int_identity__comparison_patterns."""
    is_match = rng.random(RULE_PAIRS) < MATCH_SHARE
    rule = {name: np.where(is_match, _draw(rng, TRUE_M[name], RULE_PAIRS),
                           _draw(rng, TRUE_U[name], RULE_PAIRS)) for name in TRUE_M}
    sample = {name: _draw(rng, TRUE_U[name], RANDOM_PAIRS) for name in TRUE_M}
    rows = []
    for order, levels, n in ((0, sample, RANDOM_PAIRS), (1, rule, RULE_PAIRS)):
        vectors = zip(*(levels[name] for name in TRUE_M), [-1] * n, strict=True)
        rows += [(order, *map(int, v), c, c) for v, c in Counter(vectors).items()]
    return rows


@pytest.fixture(scope="module")
def estimated(tmp_path_factory) -> tuple[dict, list[tuple]]:
    root = tmp_path_factory.mktemp("fellegi_sunter")
    database = write_scratch_project(root)
    rows = _patterns(np.random.default_rng(3))
    with duckdb.connect(str(database)) as con:
        columns = ", ".join(f"{name}_level integer" for name in COMPARISONS)
        con.execute(f"create table simulated (rule_order integer, {columns}, pairs bigint,"
                    " first_pairs bigint)")
        con.executemany(f"insert into simulated values ({', '.join(['?'] * 9)})", rows)
    models = root / "models"
    models.mkdir()
    model = PROJECT_DIR / "models/intermediate/identity/int_identity__match_weights.sql"
    # A table, as in the project (a scratch project's default is a view).
    (models / model.name).write_text("{{ config(materialized='table') }}\n" + model.read_text())
    (models / "int_identity__comparison_patterns.sql").write_text("select * from simulated")
    (models / "int_identity__match_records.sql").write_text(
        f"select i as contact_id from range({RECORDS}) as t(i)")
    fuzzy = {"blocking_rules": [{"name": "by_phone", "keys": ["phone_tail"]}],
             "max_block_size": 100, "u_sample_pairs": 1000, "em_iterations": 40,
             "match_threshold": 0.95, "household_guard": []}
    result = invoke_dbt(root, "run", "--vars", json.dumps({"cdp_identity_fuzzy": fuzzy}))
    assert result.success, result.exception
    with duckdb.connect(str(database)) as con:
        weights = con.execute("select comparison, level, m_probability, u_probability"
                              " from main.int_identity__match_weights").fetchall()
    return {(c, level): (m, u) for c, level, m, u in weights}, rows


def test_em_recovers_m_without_labels(estimated):
    weights, _ = estimated
    for name, levels in TRUE_M.items():
        for level, m in levels.items():
            assert weights[(name, level)][0] == pytest.approx(m, abs=0.03), (name, level)


def test_u_is_the_random_sample_frequency(estimated):
    weights, rows = estimated
    for name, levels in TRUE_U.items():
        position = 1 + COMPARISONS.index(name)
        counts = Counter()
        for row in rows:
            if row[0] == 0:
                counts[row[position]] += row[-2]
        for level in levels:
            smoothed = (counts[level] + 1) / (RANDOM_PAIRS + len(levels))
            assert weights[(name, level)][1] == pytest.approx(smoothed, rel=1e-9), (name, level)


def test_prior_is_expected_matches_over_all_pairs(estimated):
    weights, _ = estimated
    expected = RULE_PAIRS * MATCH_SHARE / (RECORDS * (RECORDS - 1) / 2)
    assert weights[("prior", 0)][0] == pytest.approx(expected, rel=0.05)
