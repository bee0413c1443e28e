"""`cdp report --person <identifier>`: one person's page. The golden record with the source
of each field, the identifiers and a drawing of their ID graph, a timeline of activities and
orders, audience memberships, consent, and CLV."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pandas as pd
import plotly.express as px

from cdp.report import charts
from cdp.report.document import (
    Figure,
    Figures,
    Note,
    Section,
    Table,
    render_page,
    timed,
    write_atomically,
)
from cdp.report.person_graph import graph_figure
from cdp.report.reader import Reader
from cdp.report.sections.common import count, decimal, money, share
from cdp.warehouse import reading
from cdp.warehouse.schemas import INTERMEDIATE, MARTS

# Golden-record fields whose value, source and time of observation dim_customers carries.
SOURCED_FIELDS = {"name": "concat_ws(' ', first_name, last_name)", "email": "email",
                  "phone": "phone",
                  "address": "concat_ws(', ', address_line1, address_line2, postal_code, city,"
                             " region, country_code)", "date_of_birth": "date_of_birth"}
TRAITS = ("lifecycle_stage", "acquisition_channel", "acquired_at", "first_seen_at",
          "last_seen_at", "preferred_channel", "preferred_device", "rfm_segment",
          "subscription_status", "subscription_plan", "top_genre", "top_team")
# A bot's or a shared device's millions of events would make the page unreadable and huge.
MOST_EVENTS = 2000


def write_person_page(person_id: str, folder: Path) -> Path:
    """Write the page of `person_id` (a checked, existing id) to folder/<person id>.html."""
    started = time.perf_counter()
    with reading("cdp report --person") as warehouse:
        reader = Reader(warehouse)
        sections = [timed(build, reader, person_id) for build in (
            _golden_record, _identifiers, _timeline, _audiences, _consent)]
    path = folder / f"{re.sub(r'[^A-Za-z0-9_-]', '_', person_id)}.html"
    subtitle = f"Person {person_id}, read in {time.perf_counter() - started:.1f} s"
    write_atomically(path, render_page("Customer 360: one person", subtitle, sections))
    return path


def _golden_record(reader: Reader, person_id: str) -> Section:
    where = f"from {MARTS}.dim_customers where person_id = ?"
    kpis = reader.frame(f"""
        select orders, net_revenue, predicted_clv, clv_decile, p_alive,
            expected_purchases_365d, identifier_count, records {where}""", [person_id])
    row = kpis.iloc[0]
    fields = reader.frame(" union all ".join(
        f"select '{field}' as field, cast({expression} as varchar) as value,"
        f" {field}_source as source,"
        f" {field}_observed_at as observed_at {where}" for field, expression in
        SOURCED_FIELDS.items()), [person_id] * len(SOURCED_FIELDS))
    traits = reader.frame(f"select {', '.join(TRAITS)} {where}", [person_id]).melt(
        var_name="trait", value_name="value")
    return Section("record", "Golden record", [
        Figures({"orders": count(row.orders), "net revenue": money(row.net_revenue),
                 "predicted CLV": money(row.predicted_clv),
                 "CLV decile": "-" if pd.isna(row.clv_decile) else str(int(row.clv_decile)),
                 "P(alive)": share(row.p_alive),
                 "expected purchases (365 d)": decimal(row.expected_purchases_365d),
                 "identifiers": count(row.identifier_count), "records": count(row.records)}),
        Table("Fields and their sources", fields,
              "Each field's value, the source it was taken from, and when it was observed."),
        Table("Traits", traits.astype({"value": str}))])


def _identifiers(reader: Reader, person_id: str) -> Section:
    identifiers = reader.frame(f"""
        select identifier_key, id_type, id_value, status, first_seen_at, last_seen_at,
            records, sources
        from {MARTS}.dim_identity_identifiers where person_id = ?
        order by id_type, first_seen_at, id_value""", [person_id])
    links = reader.frame(f"""
        select identifier_key_a, identifier_key_b, link_type, match_probability, records
        from {MARTS}.fct_identity_links where person_id = ?""", [person_id])
    probabilistic = int((links["link_type"] == "probabilistic").sum())
    return Section("identifiers", "Identifiers and ID graph", [
        Figure("ID graph", graph_figure(identifiers, links),
               f"{len(identifiers)} identifiers, {len(links)} links ({probabilistic} "
               "probabilistic, dashed). `cdp explain <identifier>` prints each link's record."),
        Table("Identifiers", identifiers.drop(columns="identifier_key"))])


def _timeline(reader: Reader, person_id: str) -> Section:
    events = reader.frame(f"""
        select activity_at, source_table as source, channel, activity_type
        from {INTERMEDIATE}.int_customers__activities where person_id = ?
        order by activity_at desc limit {MOST_EVENTS}""", [person_id])
    orders = reader.frame(f"""
        select ordered_at, order_id, channel, total_reporting as total, is_return
        from {INTERMEDIATE}.int_customers__orders where person_id = ?
        order by ordered_at desc""", [person_id])
    section = Section("timeline", "Timeline")
    if events.empty:
        section.blocks.append(Note("No activity recorded for this person."))
        return section
    figure = px.scatter(charts.plain(events), x="activity_at", y="source",
                        color="activity_type", labels={"activity_at": "time"},
                        color_discrete_sequence=px.colors.qualitative.Dark24)
    if len(events) == MOST_EVENTS:
        section.blocks.append(Note(f"Only the {MOST_EVENTS:,} most recent activities shown."))
    section.blocks += [Figure("Activities over time", charts.styled(figure, height=420),
                              "Every record of the person: events, emails, orders, tickets."),
                       Table("Orders", orders) if not orders.empty else Note("No orders."),
                       Table("Latest activities", events.head(50))]
    return section


def _audiences(reader: Reader, person_id: str) -> Section:
    memberships = reader.frame(f"""
        select audience_name as audience, variant, is_holdout, entered_at, exited_at,
            exit_reason
        from {MARTS}.fct_audience_memberships where person_id = ?
        order by entered_at, audience_name""", [person_id])
    section = Section("audiences", "Audiences")
    if memberships.empty:
        section.blocks.append(Note("Never a member of an audience."))
        return section
    bars = memberships.assign(until=memberships["exited_at"].fillna(pd.Timestamp.now()))
    figure = px.timeline(charts.plain(bars), x_start="entered_at", x_end="until",
                         y="audience", color="variant")
    section.blocks += [
        Figure("Memberships", charts.styled(figure, height=max(240, 40 * len(bars) + 120)),
               "Each membership from entry to exit (open ones run to now)."),
        Table("Entered and exited", memberships)]
    return section


def _consent(reader: Reader, person_id: str) -> Section:
    consent = reader.frame(f"""
        select purpose, channel, status, consent_source as source, status_since,
            revocations, policy_version
        from {MARTS}.dim_consent where person_id = ? order by purpose, channel""",
                           [person_id])
    if consent.empty:
        return Section("consent", "Consent", [Note("No consent recorded: nothing is sent to "
                                                   "destinations that need it.")])
    return Section("consent", "Consent", [Table("Consent state", consent,
                                                "The deciding event per purpose and channel.")])
