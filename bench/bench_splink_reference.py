"""Reference pairwise F1 of splink, out of the box, on the generator's CRM contacts (issue 16).

    /tmp/splink-venv/bin/python bench/bench_splink_reference.py /tmp/splink-data

RAW is a folder `cdp generate` wrote (`--profile contacts-only` where the generator has it: CRM
contacts alone, with re-created duplicates and households). The CRM export(s) named in
`_truth/records.parquet` are read with their clean rows only (defect null); email, phones and
the id columns are dropped, which leaves a names/address/date-of-birth problem. Splink then
runs on DuckDB with settings in the spirit of its FEBRL examples, nothing tuned on the truth:
u by seeded random sampling, m by EM on two blocking rules. Clusters at 0.5/0.9/0.95 are scored
pairwise against the truth (two records match when they belong to the same true person), also
on the pairs of records with different contact ids alone (the ones no shared identifier links),
and so are the scored pairs at each threshold before clustering (edges). Prints a table and
writes bench/results/<date>-splink-reference.json.

Splink is no project dependency: run this with a Python that has it (a venv of its own).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import logging
import sys
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

try:
    import duckdb
    import pyarrow as pa
    import splink
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on
except ImportError as error:
    sys.exit(f"splink is not importable ({error}): run this with a Python that has it, "
             "e.g. python3 -m venv /tmp/splink-venv && /tmp/splink-venv/bin/pip install splink")

TABLE = "crm_contacts"
SEED = 7
THRESHOLDS = (0.5, 0.9, 0.95)
COLUMNS = ("first_name", "last_name", "date_of_birth", "address_line1", "city", "postal_code")
# What staging's clean_text turns into null (dbt var cdp_null_tokens), compared lower-cased.
NULL_TOKENS = frozenset(("", "n/a", "na", "null", "none", "unknown", "-", "undefined"))

SETTINGS = SettingsCreator(
    link_type="dedupe_only",
    unique_id_column_name="unique_id",
    comparisons=[
        cl.NameComparison("first_name"),
        cl.NameComparison("last_name"),
        # ISO dates: each backend's default format (a format string is in one dialect's syntax).
        cl.DateOfBirthComparison("date_of_birth", input_is_string=True),
        cl.LevenshteinAtThresholds("postal_code"),  # countries vary: no UK-only PostcodeComparison
        cl.JaroWinklerAtThresholds("address_line1"),
        cl.ExactMatch("city"),
    ],
    blocking_rules_to_generate_predictions=[
        block_on("date_of_birth"),
        block_on("postal_code", "substr(last_name, 1, 1)"),
        block_on("first_name", "last_name"),
    ],
    retain_matching_columns=False,
)


def _clean(value: str | None) -> str | None:
    """Whitespace collapsed, lower case; null tokens as null."""
    text = " ".join((value or "").split()).lower()
    return None if text in NULL_TOKENS else text


def load_contacts(raw: Path) -> tuple[pa.Table, dict[int, str], dict[int, str]]:
    """Clean CRM rows of every export the truth names: the splink input (unique_id and COLUMNS),
    unique_id -> true person, unique_id -> contact id."""
    truth = duckdb.sql(
        "select source_file, source_row, person_id, record_id "
        f"from read_parquet('{raw / '_truth' / 'records.parquet'}') "
        f"where source_table = '{TABLE}' and defect is null order by source_file, source_row"
    ).fetchall()
    wanted = defaultdict(dict)
    for source_file, source_row, person, contact in truth:
        wanted[source_file][source_row] = (person, contact)
    rows, persons, contacts = [], {}, {}
    for source_file, by_row in sorted(wanted.items()):
        with (raw / source_file).open(newline="", encoding="utf-8") as handle:
            # Row k of the file is source_row k (the loader's numbering; no rejects kept here).
            for source_row, record in enumerate(csv.DictReader(handle), start=1):
                if source_row not in by_row:
                    continue
                person, contact = by_row[source_row]
                if record["contact_id"] != contact:
                    sys.exit(f"{source_file} row {source_row}: contact {record['contact_id']}"
                             f" is {contact} in the truth; is RAW one generator run?")
                uid = len(rows)
                rows.append({"unique_id": uid, **{c: _clean(record[c]) for c in COLUMNS}})
                persons[uid], contacts[uid] = person, contact
    if len(rows) != len(truth):
        sys.exit(f"{len(truth)} clean {TABLE} rows in the truth, {len(rows)} found in the files")
    return pa.Table.from_pylist(rows), persons, contacts


def same_group_pairs(groups: dict[int, object]) -> set[tuple[int, int]]:
    """Every (a, b), a < b, of records in one group."""
    members = defaultdict(list)
    for uid, group in groups.items():
        members[group].append(uid)
    return {pair for uids in members.values() for pair in combinations(sorted(uids), 2)}


def scores(predicted: set, true: set) -> dict:
    hits = len(predicted & true)
    precision = hits / len(predicted) if predicted else 1.0
    recall = hits / len(true) if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "predicted_pairs": len(predicted), "true_pairs": len(true), "true_positives": hits}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", type=Path, help="raw folder written by `cdp generate`")
    args = parser.parse_args()

    started = time.perf_counter()
    contacts_table, persons, contacts = load_contacts(args.raw)
    loaded = time.perf_counter()

    linker = Linker(DuckDBAPI().register(contacts_table), SETTINGS, log_level=logging.WARNING)
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("first_name", "last_name", "date_of_birth")], recall=0.7)
    training.estimate_u_using_random_sampling(max_pairs=1e6, seed=SEED)
    training.estimate_parameters_using_expectation_maximisation(block_on("first_name", "last_name"))
    training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    trained = time.perf_counter()

    predictions = linker.inference.predict()  # every candidate pair, scored
    scored = {(min(r["unique_id_l"], r["unique_id_r"]), max(r["unique_id_l"], r["unique_id_r"])):
              r["match_probability"] for r in predictions.as_record_list()}
    candidates = set(scored)
    predicted = time.perf_counter()
    clusters = {}
    for threshold in THRESHOLDS:
        table = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=threshold)
        clusters[threshold] = {r["unique_id"]: r["cluster_id"] for r in table.as_record_list()}
    clustered = time.perf_counter()

    manifest = json.loads((args.raw / "manifest.json").read_text())
    true = same_group_pairs(persons)
    cross = {pair for pair in true if contacts[pair[0]] != contacts[pair[1]]}
    result = {
        "splink": splink.__version__, "duckdb": duckdb.__version__, "raw": str(args.raw),
        "generated": {k: manifest.get(k, "default")  # no profile in a default run's manifest
                      for k in ("profile", "persons", "seed")},
        "records": len(persons), "persons": len(set(persons.values())),
        "candidate_pairs": len(candidates),
        "blocking_recall": round(len(true & candidates) / len(true), 4) if true else None,
        "blocking_recall_cross_contact":
            round(len(cross & candidates) / len(cross), 4) if cross else None,
        "thresholds": {},
        "seconds": {"load": round(loaded - started, 2), "train": round(trained - loaded, 2),
                    "predict": round(predicted - trained, 2),
                    "cluster": round(clustered - predicted, 2),
                    "total": round(clustered - started, 2)},
    }
    for threshold, labels in clusters.items():
        pairs = same_group_pairs(labels)
        result["thresholds"][str(threshold)] = {
            "edges": scores({p for p, prob in scored.items() if prob >= threshold}, true),
            "all": scores(pairs, true),
            "cross_contact": scores({p for p in pairs if contacts[p[0]] != contacts[p[1]]}, cross),
            "clusters": len(set(labels.values())),
        }

    print(f"splink {result['splink']} (DuckDB {result['duckdb']}): {result['records']} clean CRM"
          f" rows, {result['persons']} persons, {len(true)} true pairs ({len(cross)} across"
          f" contact ids), {len(candidates)} candidate pairs, blocking recall"
          f" {result['blocking_recall']} ({result['blocking_recall_cross_contact']})")
    # Edges: scored pairs at or above the threshold; clusters: every pair within one cluster.
    print(f"{'threshold':>9} {'edges f1':>8} {'pairs':>7} {'precision':>9} {'recall':>7}"
          f" {'f1':>7} {'f1 across contact ids':>22} {'clusters':>8}")
    for threshold, row in result["thresholds"].items():
        every, cross_row = row["all"], row["cross_contact"]
        print(f"{threshold:>9} {row['edges']['f1']:>8.4f} {every['predicted_pairs']:>7}"
              f" {every['precision']:>9.4f} {every['recall']:>7.4f} {every['f1']:>7.4f}"
              f" {cross_row['f1']:>22.4f} {row['clusters']:>8}")
    print("seconds: " + ", ".join(f"{k} {v}" for k, v in result["seconds"].items()))

    results = Path(__file__).parent / "results"
    results.mkdir(exist_ok=True)
    out = results / f"{dt.date.today().isoformat()}-splink-reference.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"-> {out}")


if __name__ == "__main__":
    main()
