"""The customer-360 report: static, self-contained HTML pages read from the active warehouse.

`cdp report` writes the overview (identity, audiences, value, attribution, sync health, data
quality) and `cdp report --person <identifier>` one person's page. Every number is aggregated
in the warehouse (the page embeds aggregates, never a row per person, whatever the scale), and
the pages carry plotly.js inline, so they open offline from the file system.
"""
