"""Data quality: rejects per source and reason, the reconciliation of every raw line, and how
fresh each source's newest export file is."""

from __future__ import annotations

from cdp.report import charts
from cdp.report.document import Block, Figure, Note, Table
from cdp.report.reader import Reader
from cdp.report.sections.common import chart, section
from cdp.warehouse.schemas import MARTS, RAW


@section("quality", "Data quality", (MARTS, "fct_source_reject_reasons"),
         (MARTS, "fct_source_reconciliation"), (RAW, "_loaded_files"))
def quality_section(reader: Reader) -> list[Block]:
    return [*_mass_rejections(reader), _rejects(reader), _freshness(reader),
            _reconciliation(reader)]


def _mass_rejections(reader: Reader) -> list[Note]:
    rows = reader.warehouse.query(f"""
        select source_table, reject_reason, reject_share, config_vars
        from {MARTS}.fct_source_reject_reasons where is_mass_rejection
        order by 1, 2""")
    return [Note(f"{table}: {reason} rejects {float(rate):.0%} of the source's lines"
                 + (f" (see var {names})" if names else ""), warning=True)
            for table, reason, rate, names in rows]


def _rejects(reader: Reader) -> Figure | Note:
    frame = reader.frame(f"""
        select source_table as source, reject_reason as reason, rejected_rows as rows
        from {MARTS}.fct_source_reject_reasons where rejected_rows > 0 order by 1, 2""")
    if frame.empty:
        return Note("No raw row was rejected.")
    return Figure("Rejects per source and reason", charts.bars(
        frame, "source", "rows", color="reason", horizontal=True),
        "Rows staging could not use (marts.fct_source_rejects holds each with its raw record).")


def _freshness(reader: Reader) -> Figure | Note:
    frame = reader.frame(f"""
        select source_table as source, count(*) as files, max(modified_at) as newest_file,
            date_diff('minute', max(modified_at), current_timestamp) / 60.0 as age_hours
        from {RAW}._loaded_files group by 1 order by 1""")
    return chart("Source freshness", charts.bars, frame, "source", "age_hours", horizontal=True,
                 caption="Hours since each source's newest export file was written (the Dagster "
                         "freshness checks alert on these against each source's thresholds).")


def _reconciliation(reader: Reader) -> Table:
    frame = reader.frame(f"""
        select source_table as source, files_loaded, lines_in_files, rows_loaded,
            unreadable_lines, rejected_rows, staged_rows, duplicates_removed, erased_rows,
            is_reconciled
        from {MARTS}.fct_source_reconciliation order by 1""")
    return Table("Reconciliation", frame, "Every raw line accounted for: lines in files = rows "
                 "loaded + unreadable lines; rows loaded = staged + rejected + duplicates.")
