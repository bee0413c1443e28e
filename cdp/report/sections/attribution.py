"""Attribution: conversions and revenue credited to each channel by the five models."""

from __future__ import annotations

from cdp.report import charts
from cdp.report.document import Block, Figure, Note
from cdp.report.reader import Reader
from cdp.report.sections.common import section
from cdp.warehouse.schemas import MARTS

LABELS = {"attribution_model": "model"}


@section("attribution", "Attribution", (MARTS, "fct_attribution_by_channel"))
def attribution_section(reader: Reader) -> list[Block]:
    frame = reader.frame(f"""
        select channel, attribution_model, sum(attributed_revenue) as revenue,
            sum(attributed_conversions) as conversions
        from {MARTS}.fct_attribution_by_channel group by 1, 2 order by 1, 2""")
    if frame.empty:
        return [Note("No conversion has a touch to credit (no orders, or no web, app or email "
                     "touches before them).")]
    return [
        Figure("Attributed revenue by channel", charts.bars(
            frame, "channel", "revenue", color="attribution_model", group=True,
            labels=LABELS), "First touch, last touch, linear, time decay and position based, "
            "side by side."),
        Figure("Attributed conversions by channel", charts.bars(
            frame, "channel", "conversions", color="attribution_model", group=True,
            labels=LABELS), "Each conversion's credit split over its touches by each model."),
    ]
