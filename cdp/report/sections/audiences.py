"""Audiences: sizes over time, who entered and exited each day, overlaps, holdout vs
treatment arms."""

from __future__ import annotations

from cdp.report import charts
from cdp.report.document import Block, Figure, Figures, Note
from cdp.report.reader import Reader
from cdp.report.sections.common import chart, count, section
from cdp.warehouse.schemas import MARTS


@section("audiences", "Audiences", (MARTS, "dim_audiences"), (MARTS, "fct_audience_members"),
         (MARTS, "fct_audience_daily_sizes"))
def audiences_section(reader: Reader) -> list[Block]:
    audiences, members, holdout = reader.warehouse.query(f"""
        select count(*), sum(members), sum(holdout_members) from {MARTS}.dim_audiences""")[0]
    if not audiences:
        return [Note("No audience is defined (audiences/*.yml).")]
    return [Figures({"audiences": count(audiences), "memberships (treatment)": count(members),
                     "memberships (holdout)": count(holdout)}),
            *_sizes(reader), _overlaps(reader), _arms(reader)]


def _sizes(reader: Reader) -> list[Figure | Note]:
    frame = reader.frame(f"""
        select cast(size_date as varchar) as size_date, audience_name, members, entered, exited
        from {MARTS}.fct_audience_daily_sizes order by 1, 2""")
    moves = reader.frame(f"""
        select cast(size_date as varchar) as size_date, 'entered' as movement,
            sum(entered) as persons
        from {MARTS}.fct_audience_daily_sizes group by 1
        union all
        select cast(size_date as varchar), 'exited', -sum(exited)
        from {MARTS}.fct_audience_daily_sizes group by 1
        order by 1, 2""")
    return [
        chart("Audience sizes over time", charts.lines, frame, "size_date", "members",
              color="audience_name", labels={"size_date": "day", "audience_name": "audience"},
              caption="Members (holdout excluded) at the end of each day."),
        chart("Entered and exited per day", charts.bars, moves, "size_date", "persons",
              color="movement", labels={"size_date": "day"},
              caption="Persons entering any audience (up) and leaving one (down), per day."),
    ]


def _overlaps(reader: Reader) -> Figure | Note:
    frame = reader.frame(f"""
        select a.audience_name as audience, b.audience_name as also_in, count(*) as persons
        from {MARTS}.fct_audience_members as a
        inner join {MARTS}.fct_audience_members as b on a.person_id = b.person_id
        where not a.is_holdout and not b.is_holdout
        group by 1, 2""")
    names = len(frame["audience"].unique())
    return chart("Overlaps between audiences", charts.heatmap, frame, "also_in", "audience",
                 "persons", height=max(360, 28 * names + 120),
                 caption="Current members of the row's audience who are also in the column's (the "
                         "diagonal is each audience's size).")


def _arms(reader: Reader) -> Figure | Note:
    frame = reader.frame(f"""
        select audience_name as audience,
            case when is_holdout then 'holdout' else variant end as arm, count(*) as persons
        from {MARTS}.fct_audience_members group by 1, 2 order by 1, 2""")
    return chart("Holdout vs treatment", charts.bars, frame, "audience", "persons", color="arm",
                 horizontal=True,
                 caption="Current members per arm: the holdout receives no sync, the variants do.")
