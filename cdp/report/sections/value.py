"""Value: RFM, CLV (distribution, by acquisition channel and cohort), P(alive) against recency,
cohort retention and the monthly KPIs."""

from __future__ import annotations

import numpy as np

from cdp.report import charts
from cdp.report.document import Block, Figure, Figures, Note
from cdp.report.reader import Reader
from cdp.report.sections.common import chart, count, money, section, share
from cdp.warehouse.schemas import MARTS

# CLV bins: four per power of ten, so a distribution spanning cents to thousands stays legible.
CLV_BINS_PER_DECADE = 4
RECENCY_BUCKET_DAYS = 30


@section("value", "Value", (MARTS, "dim_customers"), (MARTS, "fct_clv_by_acquisition"),
         (MARTS, "fct_cohort_retention"), (MARTS, "fct_kpi_monthly"))
def value_section(reader: Reader) -> list[Block]:
    return [_figures(reader), _rfm_grid(reader), _rfm_segments(reader),
            _clv_distribution(reader), _clv_by_channel(reader), _clv_by_cohort(reader),
            _p_alive(reader), _retention(reader), _kpis(reader)]


def _figures(reader: Reader) -> Figures:
    buyers, revenue, clv, p_alive = reader.warehouse.query(f"""
        select count(case when orders > 0 then 1 end), sum(net_revenue),
            avg(predicted_clv), avg(p_alive)
        from {MARTS}.dim_customers""")[0]
    return Figures({"buyers": count(buyers), "net revenue": money(revenue),
                    "mean predicted CLV (buyers)": money(clv),
                    "mean P(alive) (buyers)": share(p_alive)})


def _rfm_grid(reader: Reader) -> Figure | Note:
    frame = reader.frame(f"""
        select recency_score, frequency_score, count(*) as buyers
        from {MARTS}.dim_customers where rfm_cell is not null group by 1, 2""")
    return chart("RFM grid", charts.heatmap, frame, "recency_score", "frequency_score", "buyers",
                 labels={"color": "buyers"},
                 caption="Buyers by recency score (5: bought most recently) and frequency score.")


def _rfm_segments(reader: Reader) -> Figure | Note:
    frame = reader.frame(f"""
        select rfm_segment as segment, count(*) as buyers, sum(net_revenue) as net_revenue
        from {MARTS}.dim_customers where rfm_segment is not null group by 1 order by 2""")
    return chart("RFM segments", charts.bars, frame, "segment", "buyers", horizontal=True,
                 caption="Buyers per segment of the RFM grid.")


def _clv_distribution(reader: Reader) -> Figure | Note:
    frame = reader.frame(f"""
        select case when predicted_clv > 0 then floor(ln(predicted_clv) / ln(10)
                * {CLV_BINS_PER_DECADE}) end as bin, count(*) as buyers
        from {MARTS}.dim_customers where predicted_clv is not null group by 1 order by 1""")
    frame["predicted CLV from"] = [
        "0" if np.isnan(b) else f"{10 ** (b / CLV_BINS_PER_DECADE):,.2f}" for b in frame["bin"]]
    return chart("CLV distribution", charts.bars, frame, "predicted CLV from", "buyers",
                 caption=f"Buyers by predicted CLV, {CLV_BINS_PER_DECADE} bins per power of ten.")


def _clv_by_channel(reader: Reader) -> Figure | Note:
    frame = reader.frame(f"""
        select acquisition_channel as channel,
            sum(predicted_clv) / nullif(sum(customers), 0) as predicted_clv_per_customer,
            sum(customers) as customers
        from {MARTS}.fct_clv_by_acquisition group by 1 order by 2 desc""")
    return chart("CLV by acquisition channel", charts.bars, frame, "channel",
                 "predicted_clv_per_customer",
                 caption="Predicted CLV per buyer, by the channel that first brought the person.")


def _clv_by_cohort(reader: Reader) -> Figure | Note:
    frame = reader.frame(f"""
        select cast(acquisition_cohort_month as varchar) as cohort, acquisition_channel as channel,
            predicted_clv_per_customer
        from {MARTS}.fct_clv_by_acquisition where customers > 0""")
    return chart("CLV by acquisition cohort and channel", charts.heatmap, frame, "cohort",
                 "channel", "predicted_clv_per_customer", text=False,
                 caption="Predicted CLV per buyer, by month and channel of acquisition.")


def _p_alive(reader: Reader) -> Figure | Note:
    frame = reader.frame(f"""
        select floor(days_since_last_order / {RECENCY_BUCKET_DAYS}) * {RECENCY_BUCKET_DAYS}
                as days_since_last_order,
            avg(p_alive) as p_alive, count(*) as buyers
        from {MARTS}.dim_customers where p_alive is not null group by 1 order by 1""")
    return chart("P(alive) vs recency", charts.lines, frame, "days_since_last_order", "p_alive",
                 caption=f"Mean probability a buyer is still active, by days since the last order "
                         f"({RECENCY_BUCKET_DAYS}-day buckets).")


def _retention(reader: Reader) -> Figure | Note:
    frame = reader.frame(f"""
        select cast(first_order_cohort_month as varchar) as cohort, months_since_first_order,
            retention_rate
        from {MARTS}.fct_cohort_retention where months_since_first_order > 0""")
    return chart("Cohort retention", charts.heatmap, frame, "months_since_first_order", "cohort",
                 "retention_rate", text=False,
                 height=max(360, 14 * frame["cohort"].nunique() + 120),
                 caption="Share of each first-order cohort buying again N months later (month 0 is"
                         " 100% by definition, so left out: the scale shows the months after).")


def _kpis(reader: Reader) -> Figure | Note:
    frame = reader.frame(f"""
        select report_month, repeat_purchase_rate as repeat_rate, return_rate,
            conversion_rate
        from {MARTS}.fct_kpi_monthly order by 1""")
    return chart("KPI trends", charts.lines, frame, "report_month",
                 ["repeat_rate", "return_rate", "conversion_rate"],
                 labels={"report_month": "month"},
                 caption="Monthly repeat purchase rate, return rate and visitor conversion rate.")
