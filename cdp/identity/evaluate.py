"""Pairwise accuracy of identity resolution against the generator's ground truth.

Every clean record that carries an identifier is a point; two records are a true pair when the
generator made them for the same person, and a predicted pair when identity resolution gave
them the same person id. Records left without a person count as their own singleton.

The same scoring runs on two partitions of the records: today's persons, and the persons
without probabilistic links (`cdp.identity.partitions`), which shows what the probabilistic
CRM matches add. Blocking recall (`cdp.identity.blocking`) says what they could add at most.

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

from cdp.identity.blocking import Blocking, blocking_recall
from cdp.identity.partitions import resolved_persons, without_probabilistic
from cdp.identity.truth import TRUTH, upload_truth
from cdp.warehouse import Warehouse, WarehouseNotBuilt, reading
from cdp.warehouse.schemas import MARTS


def _records(persons: str) -> str:
    """The (resolved, true) person of every record, the resolved one from `persons` (a
    relation of source_table, source_record_key, person_id): a CTE each figure starts from."""
    return f"""
with {TRUTH},
records as (
    select
        truth.source_table,
        truth.true_person_id,
        coalesce(resolved.person_id, 'unresolved:' || resolved.source_record_key)
            as resolved_person_id
    from truth
    inner join {persons} as resolved
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


@dataclass(frozen=True)
class Partition:
    """Pairwise figures of one partition of the records into resolved persons."""
    records: int
    unresolved_records: int
    true_persons: int
    resolved_persons: int
    pairs_both: int  # record pairs of one true person given one person
    pairs_predicted: int  # record pairs given one person
    pairs_true: int  # record pairs of one true person

    @property
    def precision(self) -> float:
        return self.pairs_both / self.pairs_predicted if self.pairs_predicted else 1.0

    @property
    def recall(self) -> float:
        return self.pairs_both / self.pairs_true if self.pairs_true else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(frozen=True)
class IdentityScores(Partition):
    """Today's persons' figures, and the other figures of the evaluation."""
    probabilistic_links: int = 0
    without_probabilistic: Partition | None = None  # the same object when there are none
    blocking: Blocking | None = None  # None: built without blocking rules
    over_merged: list[tuple] = field(default_factory=list)  # (person, true persons, records)
    split: list[tuple] = field(default_factory=list)  # (true person, resolved persons, records)
    census: PersonCensus | None = None


def truth_path(raw_dir: Path) -> Path:
    """Where the generator writes which true person every record belongs to."""
    return Path(raw_dir) / "_truth" / "records.parquet"


def evaluate_identity(raw_dir: Path, worst: int = 5) -> IdentityScores:
    truth = truth_path(raw_dir)
    if not truth.exists():
        raise WarehouseNotBuilt(f"no ground truth at {truth}: evaluate needs generated data")
    with reading("cdp evaluate identity") as wh:
        return score_identity(wh, raw_dir, worst)


def score_identity(wh: Warehouse, raw_dir: Path, worst: int = 5) -> IdentityScores:
    """The evaluation on an open connection (the report reads it on its own)."""
    records = pq.read_table(truth_path(raw_dir), columns=[
        "source_table", "source_file", "source_row", "person_id", "defect"])
    [(golden,)] = wh.query(f"select count(*) from {MARTS}.dim_customers")
    census = _census(Path(raw_dir) / "_truth", records, golden)
    upload_truth(wh, records)
    # The truth is in the warehouse now: its Arrow copy (2 GB at a million persons) goes
    # before the scoring queries take their own memory.
    del records
    pa.default_memory_pool().release_unused()
    today = score_partition(wh, resolved_persons())
    persons, links = without_probabilistic(wh)
    without = score_partition(wh, persons) if links else today
    blocking = blocking_recall(wh)
    over_merged = _worst(wh, "resolved_person_id", "true_person_id", worst) if worst else []
    split = _worst(wh, "true_person_id", "resolved_person_id", worst) if worst else []
    return IdentityScores(
        **vars(today), probabilistic_links=links, without_probabilistic=without,
        blocking=blocking, over_merged=over_merged, split=split, census=census,
    )


def score_partition(wh: Warehouse, persons: str) -> Partition:
    """Pairwise counts of the records' partition `persons` (see `_records`) against the truth
    (uploaded: `cdp.identity.truth`)."""
    [row] = wh.query(_records(persons) + """,
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
            (select count(*) from resolved where resolved_person_id like 'unresolved:%'),
            (select count(*) from truths),
            (select count(*) from resolved),
            (select sum(n * (n - 1) / 2) from cells),
            (select sum(n * (n - 1) / 2) from resolved),
            (select sum(n * (n - 1) / 2) from truths)
    """)
    return Partition(*(int(value or 0) for value in row))


def _worst(wh: Warehouse, person: str, other: str, worst: int) -> list[tuple]:
    """The `person`s (a resolved or a true one) holding records of most distinct `other`s."""
    return wh.query(_records(resolved_persons()) + f"""
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
