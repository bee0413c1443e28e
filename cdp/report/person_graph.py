"""A drawing of one person's ID graph: identifiers as points, the links between them as lines
(deterministic: two identifiers on one record; probabilistic: a fuzzy match)."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import plotly.graph_objects as go

from cdp.report import charts

LINK_STYLE = {"record": {"color": "#829ab1", "dash": "solid"},
              "probabilistic": {"color": "#d64545", "dash": "dash"}}


def graph_figure(identifiers: pd.DataFrame, links: pd.DataFrame) -> go.Figure:
    """`identifiers`: identifier_key, id_type, id_value; `links`: identifier_key_a/_b,
    link_type, records. The layout is seeded: the same graph draws the same way every time."""
    identifiers = charts.plain(identifiers)
    graph = nx.Graph()
    graph.add_nodes_from(identifiers["identifier_key"])
    graph.add_edges_from(zip(links["identifier_key_a"], links["identifier_key_b"], strict=True))
    place = nx.spring_layout(graph, seed=7) if len(graph) > 1 else {
        key: (0.0, 0.0) for key in graph}
    figure = go.Figure()
    for link_type, group in links.groupby("link_type"):
        xs, ys = [], []
        for a, b in zip(group["identifier_key_a"], group["identifier_key_b"], strict=True):
            xs += [place[a][0], place[b][0], None]
            ys += [place[a][1], place[b][1], None]
        figure.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip",
                                    name=f"{link_type} link",
                                    line={"width": 1.5, **LINK_STYLE.get(link_type, {})}))
    for id_type, group in identifiers.groupby("id_type"):
        figure.add_trace(go.Scatter(
            x=[place[key][0] for key in group["identifier_key"]],
            y=[place[key][1] for key in group["identifier_key"]],
            mode="markers+text", name=id_type, text=list(group["id_value"]),
            textposition="top center", textfont={"size": 10}, marker={"size": 14},
            hovertemplate=f"{id_type}: %{{text}}<extra></extra>"))
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return charts.styled(figure, height=460)
