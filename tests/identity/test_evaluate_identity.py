"""`cdp evaluate identity` on a hand-made identity warehouse (tests/identity/identity_warehouse.py),
on DuckDB and PostgreSQL: pairwise figures with and without the probabilistic links, and
blocking recall. Every expected number below is counted by hand from the warehouse's docstring.
"""

from __future__ import annotations

import re

import pytest
from rich.console import Console

from cdp.identity.evaluate import evaluate_identity
from cdp.identity.partitions import split_persons
from cdp.identity.report import print_scores
from cdp.warehouse import open_warehouse
from tests.identity import identity_warehouse


def printed(scores) -> str:
    console = Console(record=True, width=300)
    print_scores(console, scores)
    return console.export_text()


def test_split_persons_keeps_record_links_within_one_person():
    identifiers = [("a", "P1"), ("b", "P1"), ("c", "P1"), ("d", "P1"), ("x", "P2"),
                   ("y", "P2")]
    links = [("a", "b"), ("c", "d"),
             ("b", "x"), ("x", "c"),  # through P2: would join P1's two parts
             ("y", "z")]  # z: no identifier of a person here
    parts = split_persons(identifiers, links)
    assert parts["a"] == parts["b"] != parts["c"] == parts["d"]
    assert len({parts["x"], parts["y"], parts["a"], parts["c"]}) == 4
    assert all(parts[key].startswith(f"{person}#") for key, person in identifiers)


def test_split_persons_without_links_leaves_every_identifier_alone():
    parts = split_persons([("a", "P1"), ("b", "P1")], [])
    assert parts["a"] != parts["b"]


def test_scores_with_and_without_probabilistic_links(engine, tmp_path):
    identity_warehouse.build(tmp_path / "raw")
    scores = evaluate_identity(tmp_path / "raw")
    # Today: P1 holds 6 records of T1 and 1 of T2, P2 2 of T3, P4 3 of T4; the unresolved
    # record (T3), P5 (T1) and P6 (T2) 1 each. Pairs given one person: 21 + 1 + 3, of which
    # 15 + 1 + 3 are true; true pairs: T1 7 records, T2 2, T3 3, T4 3: 21 + 1 + 3 + 3.
    assert (scores.records, scores.unresolved_records) == (15, 1)
    assert (scores.true_persons, scores.resolved_persons) == (4, 6)
    assert (scores.pairs_both, scores.pairs_predicted, scores.pairs_true) == (19, 25, 28)
    assert scores.probabilistic_links == 3
    # Without them P1 falls into {CRM-A, a@, phone 1} (4 records of T1), {CRM-B, b@}
    # (2 of T1) and {CRM-C} (T2), P4 into {CRM-D, d@} (2 of T4) and {CRM-E}; a@-d@ joins
    # no one, nor does d@-b@ join P1's parts through P4. Pairs given one person:
    # 6 + 1 + 1 (P2) + 1, all true.
    without = scores.without_probabilistic
    assert without.resolved_persons == 9
    assert (without.pairs_both, without.pairs_predicted, without.pairs_true) == (9, 9, 28)
    assert without.precision == 1.0 and without.recall == pytest.approx(9 / 28)
    assert scores.precision == pytest.approx(19 / 25)


def test_blocking_recall_counts_true_pairs_of_contacts_in_either_order(engine, tmp_path):
    identity_warehouse.build(tmp_path / "raw")
    blocking = evaluate_identity(tmp_path / "raw").blocking
    # True pairs: T1's contacts A, B, F give AB, AF, BF; T2's C, G give CG; T4's D, E give
    # DE (A's older version is one contact). Candidates hold AB, DE (rule 1) and FB (rule 2).
    assert (blocking.true_pairs, blocking.found, blocking.candidate_pairs) == (5, 3, 5)
    assert blocking.recall == pytest.approx(3 / 5)
    assert [(r.name, r.true_pairs_first_found) for r in blocking.rules] == [
        ("dob_initials", 2), ("postcode_surname", 1)]


def test_report_shows_both_partitions_blocking_rules_and_skipped_blocks(engine, tmp_path):
    identity_warehouse.build(tmp_path / "raw")
    out = printed(evaluate_identity(tmp_path / "raw"))
    assert re.search(r"all links +│ +6 │ +0\.76000 │ +0\.67857 │", out), out  # 19/25 19/28
    assert re.search(r"record links only +│ +9 │ +1\.00000 │ +0\.32143 │", out), out  # 9/28
    assert "3 probabilistic link(s); record links alone give 3 more person(s)" in out
    assert "blocking recall 0.60000: 3 of 5 true pairs" in out
    assert re.search(r"postcode_surname +│ postal_code, last_name +│ +3 │ +2 │ +2 │ +1 │"
                     r" +0\.20000 │ +0 │ +0 │", out), out
    assert re.search(r"dob_initials +│ date_of_birth, name_initials +│ +3 │ +3 │ +0 │ +\d+ │"
                     r" +[\d.]+ │ +3 │ +2 │", out), out
    [warning] = [line for line in out.splitlines() if line.startswith("warning:")]
    assert "postcode_surname" in warning and "2 block(s)" in warning and "150" in warning


def test_without_probabilistic_links_the_figures_are_the_same(engine, tmp_path):
    identity_warehouse.build(tmp_path / "raw")
    with open_warehouse() as wh:
        wh.execute("delete from marts.fct_identity_links where link_type <> 'record'")
        wh.execute("drop table intermediate.int_identity__candidate_pairs")
    scores = evaluate_identity(tmp_path / "raw")
    assert scores.probabilistic_links == 0
    assert scores.without_probabilistic.precision == scores.precision
    assert scores.without_probabilistic.recall == scores.recall
    assert scores.blocking is None
    out = printed(scores)
    assert "no probabilistic link: the figures without them are the same" in out
    assert "blocking recall: no intermediate.int_identity__candidate_pairs" in out
