"""Pairwise accuracy of identity resolution against the generator's ground truth.

Every clean record that carries an identifier is a point; two records are a true pair when the
generator made them for the same person, and a predicted pair when identity resolution gave
them the same person id. Records left without a person count as their own singleton.

The person counts differ from the summary's on purpose, and `PersonCensus` says by how much:
true persons are generated persons with such a record (some generated persons leave none,
some only rows staging rejects); resolved persons are the person ids holding these records
(the golden records) plus one per unresolved record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from cdp.warehouse import Warehouse, WarehouseNotBuilt, reading
from cdp.warehouse.schemas import INTERMEDIATE, MARTS

# The generator's truth lives in local Parquet files the warehouse may not reach (a server,
# a cluster): its clean records are uploaded as a temporary table, then joined there.
TRUTH_TABLE = "cdp_identity_truth"


def _records() -> str:
    """The (resolved, true) person of every record: a CTE each figure below starts from
    (built per call: the schema is the environment's at that time)."""
    return f"""
with truth as (
    select
        source_table,
        md5(source_table || '-' || source_file || '-' || cast(source_row as varchar))
            as source_record_key,
        person_id as true_person_id
    from {TRUTH_TABLE}
),
records as (
    select
        truth.source_table,
        truth.true_person_id,
        coalesce(resolved.person_id, 'unresolved:' || resolved.source_record_key)
            as resolved_person_id
    from truth
    inner join {INTERMEDIATE}.int_identity__record_persons as resolved
        on truth.source_table = resolved.source_table
        and truth.source_record_key = resolved.source_record_key
)
"""


@dataclass(frozen=True)
class PersonCensus:
    """Where `true persons` and `resolved persons` come from (see the module docstring)."""
    generated: int | None  # persons in _truth/persons.parquet (None: no such file)
    with_rows: int  # generated persons with at least one row in any export
    only_rejected: int  # ... whose every row is one staging rejects (a defect)
    golden_records: int  # rows of marts.dim_customers


@dataclass
class IdentityScores:
    records: int
    unresolved_records: int
    true_persons: int
    resolved_persons: int
    precision: float
    recall: float
    over_merged: list[tuple] = field(default_factory=list)  # (person, true persons, records)
    split: list[tuple] = field(default_factory=list)  # (true person, resolved persons, records)
    census: PersonCensus | None = None

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def evaluate_identity(raw_dir: Path, worst: int = 5) -> IdentityScores:
    truth = Path(raw_dir) / "_truth" / "records.parquet"
    if not truth.exists():
        raise WarehouseNotBuilt(f"no ground truth at {truth}: evaluate needs generated data")
    records = pq.read_table(truth, columns=["source_table", "source_file", "source_row",
                                            "person_id", "defect"])
    with reading("cdp evaluate identity") as wh:
        wh.write_table(TRUTH_TABLE, records.filter(pc.is_null(records["defect"]))
                       .drop_columns(["defect"]), temporary=True)
        [(n_records, unresolved, true_persons, resolved_persons, both, predicted, actual)] = (
            wh.query(_records() + """,
                cells as (
                    select resolved_person_id, true_person_id, count(*) as n
                    from records group by resolved_person_id, true_person_id
                ),
                resolved as (
                    select resolved_person_id, sum(n) as n from cells group by resolved_person_id
                ),
                truths as (select true_person_id, sum(n) as n from cells group by true_person_id)
                select
                    (select sum(n) from cells),
                    (select count(*) from resolved
                     where resolved_person_id like 'unresolved:%'),
                    (select count(*) from truths),
                    (select count(*) from resolved),
                    (select sum(n * (n - 1) / 2) from cells),
                    (select sum(n * (n - 1) / 2) from resolved),
                    (select sum(n * (n - 1) / 2) from truths)
            """)
        )
        over_merged = _worst(wh, "resolved_person_id", "true_person_id", worst)
        split = _worst(wh, "true_person_id", "resolved_person_id", worst)
        [(golden,)] = wh.query(f"select count(*) from {MARTS}.dim_customers")
    return IdentityScores(
        records=int(n_records or 0), unresolved_records=int(unresolved or 0),
        true_persons=int(true_persons or 0), resolved_persons=int(resolved_persons or 0),
        precision=float(both / predicted) if predicted else 1.0,
        recall=float(both / actual) if actual else 1.0,
        over_merged=over_merged, split=split,
        census=_census(Path(raw_dir) / "_truth", records, golden),
    )


def _worst(wh: Warehouse, person: str, other: str, worst: int) -> list[tuple]:
    """The `person`s (a resolved or a true one) holding records of most distinct `other`s."""
    return wh.query(_records() + f"""
        select {person}, count(distinct {other}), count(*)
        from records group by {person} having count(distinct {other}) > 1
        order by 2 desc, 3 desc, 1 limit {int(worst)}""")


def _census(truth_dir: Path, records: pa.Table, golden: int) -> PersonCensus:
    """From the truth files alone (read here, whatever the engine), plus the golden count."""
    persons = truth_dir / "persons.parquet"
    generated = pq.ParquetFile(persons).metadata.num_rows if persons.exists() else None
    rows = records.filter(pc.is_valid(records["person_id"]))
    clean = rows.append_column("clean", pc.cast(pc.is_null(rows["defect"]), pa.int64()))
    per_person = clean.group_by("person_id").aggregate([("clean", "sum")])
    only_rejected = pc.sum(pc.equal(per_person["clean_sum"], 0)).as_py() or 0
    return PersonCensus(generated, per_person.num_rows, only_rejected, golden)
