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

from cdp.warehouse import WarehouseNotBuilt, read_only

_RECORDS = """
with truth as (
    select
        source_table,
        md5(source_table || '-' || source_file || '-' || cast(source_row as varchar))
            as source_record_key,
        person_id as true_person_id
    from read_parquet(?)
    where defect is null
)
select
    truth.source_table,
    truth.true_person_id,
    coalesce(resolved.person_id, 'unresolved:' || resolved.source_record_key)
        as resolved_person_id
from truth
inner join intermediate.int_identity__record_persons as resolved
    on truth.source_table = resolved.source_table
    and truth.source_record_key = resolved.source_record_key
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


def evaluate_identity(duckdb_path: Path, raw_dir: Path, worst: int = 5) -> IdentityScores:
    truth = Path(raw_dir) / "_truth" / "records.parquet"
    if not truth.exists():
        raise WarehouseNotBuilt(f"no ground truth at {truth}: evaluate needs generated data")
    with read_only(duckdb_path) as con:
        # The (resolved, true) person of every record, joined once for all figures below.
        con.execute(f"create temp table records as {_RECORDS}", [str(truth)])
        [(records, unresolved, true_persons, resolved_persons, both, predicted, actual)] = (
            con.execute("""
                with cells as (
                    select resolved_person_id, true_person_id, count(*) as n
                    from records group by all
                ),
                resolved as (select resolved_person_id, sum(n) as n from cells group by all),
                truths as (select true_person_id, sum(n) as n from cells group by all)
                select
                    (select sum(n) from cells),
                    (select count(*) from resolved
                     where resolved_person_id like 'unresolved:%'),
                    (select count(*) from truths),
                    (select count(*) from resolved),
                    (select sum(n * (n - 1) / 2) from cells),
                    (select sum(n * (n - 1) / 2) from resolved),
                    (select sum(n * (n - 1) / 2) from truths)
            """).fetchall()
        )
        over_merged = con.execute(f"""
            select resolved_person_id, count(distinct true_person_id), count(*)
            from records group by 1 having count(distinct true_person_id) > 1
            order by 2 desc, 3 desc, 1 limit {int(worst)}""").fetchall()
        split = con.execute(f"""
            select true_person_id, count(distinct resolved_person_id), count(*)
            from records group by 1 having count(distinct resolved_person_id) > 1
            order by 2 desc, 3 desc, 1 limit {int(worst)}""").fetchall()
        census = _census(con, Path(raw_dir) / "_truth", truth)
    return IdentityScores(
        records=int(records or 0), unresolved_records=int(unresolved or 0),
        true_persons=int(true_persons or 0), resolved_persons=int(resolved_persons or 0),
        precision=float(both / predicted) if predicted else 1.0,
        recall=float(both / actual) if actual else 1.0,
        over_merged=over_merged, split=split, census=census,
    )


def _census(con, truth_dir: Path, records: Path) -> PersonCensus:
    persons = truth_dir / "persons.parquet"
    generated = (con.execute("select count(*) from read_parquet(?)", [str(persons)]).fetchone()[0]
                 if persons.exists() else None)
    with_rows, only_rejected = con.execute("""
        select count(*), count(*) filter (where clean_rows = 0) from (
            select person_id, count(*) filter (where defect is null) as clean_rows
            from read_parquet(?) where person_id is not null group by person_id
        )""", [str(records)]).fetchone()
    [golden] = con.execute("select count(*) from marts.dim_customers").fetchone()
    return PersonCensus(generated, with_rows, only_rejected, golden)
