"""Identity: persons, identifiers per person, graph changes per run, blocked and shared
identifiers, deterministic vs probabilistic links, and scores against the ground truth."""

from __future__ import annotations

import pandas as pd

from cdp import settings
from cdp.report import charts
from cdp.report.document import Block, Figure, Figures, Note, Table
from cdp.report.reader import Reader
from cdp.report.sections.common import chart, count, section, share
from cdp.warehouse.schemas import MARTS

# Persons with more identifiers than this share one bar: the tail is long and thin.
MOST_IDENTIFIERS_SHOWN = 20


@section("identity", "Identity", (MARTS, "dim_customers"), (MARTS, "dim_identity_identifiers"),
         (MARTS, "fct_identity_links"), (MARTS, "fct_identity_changes"))
def identity_section(reader: Reader) -> list[Block]:
    return [_figures(reader), _per_person(reader), _by_type(reader), _links(reader),
            _changes(reader), _unlinked(reader), *_scores(reader)]


def _figures(reader: Reader) -> Figures:
    persons, known, identifiers, multi_source = reader.warehouse.query(f"""
        select count(*), count(case when is_known then 1 end), sum(identifier_count),
            count(case when sources > 1 then 1 end)
        from {MARTS}.dim_customers""")[0]
    blocked, shared = reader.warehouse.query(f"""
        select count(case when status = 'blocked' then 1 end),
            count(case when status = 'shared' then 1 end)
        from {MARTS}.dim_identity_identifiers""")[0]
    return Figures({
        "persons (golden records)": count(persons), "known persons": count(known),
        "identifiers per person": f"{(identifiers or 0) / persons:.2f}" if persons else "-",
        "persons seen in 2+ sources": share(multi_source / persons if persons else None),
        "blocked identifiers": count(blocked), "shared identifiers": count(shared)})


def _per_person(reader: Reader) -> Figure | Note:
    frame = reader.frame(f"""
        select least(identifier_count, {MOST_IDENTIFIERS_SHOWN}) as identifiers,
            count(*) as persons
        from {MARTS}.dim_customers group by 1 order by 1""")
    return chart("Identifiers per person", charts.bars, frame, "identifiers", "persons",
                 caption=f"Persons by number of identifiers; the last bar holds "
                         f"{MOST_IDENTIFIERS_SHOWN} or more.")


def _by_type(reader: Reader) -> Figure | Note:
    frame = reader.frame(f"""
        select id_type, status, count(*) as identifiers
        from {MARTS}.dim_identity_identifiers group by 1, 2 order by 1, 2""")
    return chart("Identifiers by type and status", charts.bars, frame, "id_type", "identifiers",
                 color="status",
                 caption="linked: part of a person; shared: on several persons' records, so "
                         "linking nobody; blocked: a placeholder or test value.")


def _links(reader: Reader) -> Figure | Note:
    frame = reader.frame(f"""
        select case when link_type = 'record' then 'deterministic (same record)'
                else 'probabilistic (' || cast(floor(match_probability * 20) / 20 as varchar)
                    || ' ≤ p)' end as link,
            count(*) as links
        from {MARTS}.fct_identity_links group by 1 order by 1""")
    return chart("Links: deterministic vs probabilistic", charts.bars, frame, "link", "links",
                 horizontal=True, log=True,
                 caption="Edges of the ID graph (log scale); probabilistic ones by match "
                         "probability, in steps of 0.05.")


def _changes(reader: Reader) -> Figure | Note:
    frame = reader.frame(f"""
        select cast(run_at as varchar) as run, change_type, count(*) as changes,
            sum(identifiers_moved) as identifiers_moved
        from {MARTS}.fct_identity_changes group by 1, 2 order by 1, 2""")
    if frame.empty:
        return Note("Merges and splits per run: no run has merged or split a person yet (the "
                    "first build creates persons; later runs log what they change).")
    return chart("Merges and splits per run", charts.bars, frame, "run", "changes",
                 color="change_type",
                 caption="Persons merged into another or split off, per incremental run.")


def _unlinked(reader: Reader) -> Table:
    frame = reader.frame(f"""
        select status, id_type, coalesce(block_reason, shared_reason) as reason,
            count(*) as identifiers, sum(records) as records
        from {MARTS}.dim_identity_identifiers
        where status <> 'linked'
        group by 1, 2, 3 order by 4 desc, 1, 2, 3""")
    return Table("Blocked and shared identifiers", frame,
                 "Identifiers kept out of the graph's links, and why.")


def _scores(reader: Reader) -> list[Table | Note]:
    """Pairwise precision, recall and F1 against the generator's ground truth, when the raw
    folder has one (demo and benchmark data): the scores of `cdp evaluate identity`."""
    from cdp.identity.evaluate import score_identity, truth_path

    raw_dir = settings.raw_data_dir()
    if not truth_path(raw_dir).exists():
        return [Note("Evaluation: no ground truth beside the raw exports (only generated data "
                     "has one), so identity resolution is not scored here.")]
    scores = score_identity(reader.warehouse, raw_dir, worst=0)
    rows = [("deterministic + probabilistic", scores),
            ("deterministic only", scores.without_probabilistic)]
    frame = pd.DataFrame([(name, *(f"{score:.4f}" for score in (p.precision, p.recall, p.f1)))
                          for name, p in rows],
                         columns=["links", "precision", "recall", "F1"])
    return [Table("Evaluation against the ground truth", frame,
                  "Pairwise over records: two records are a pair when put in one person.")]
