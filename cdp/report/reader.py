"""One read connection for a whole page: small aggregate frames, and which tables are absent.

Every query is written once in DuckDB's dialect; the warehouse layer transpiles it for
PostgreSQL and Spark. A section whose tables were never built (every source is optional, syncs
may never have run) says so instead of failing the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import pandas as pd

from cdp.warehouse import Warehouse
from cdp.warehouse.schemas import Schema


class Reader:
    def __init__(self, warehouse: Warehouse):
        self.warehouse = warehouse

    def frame(self, sql: str, params: Sequence = ()) -> pd.DataFrame:
        """Rows of `sql` as a frame; decimals as floats (plotly and pandas want numbers)."""
        frame = self.warehouse.execute(sql, params).df()
        for column in frame.columns:
            values = frame[column].dropna()
            if len(values) and isinstance(values.iloc[0], Decimal):
                frame[column] = pd.to_numeric(frame[column].astype(object), errors="coerce")
        return frame

    def value(self, sql: str, params: Sequence = ()):
        """The one value of a one-row, one-column query."""
        return self.warehouse.query(sql, params)[0][0]

    def missing(self, *relations: tuple[Schema, str]) -> list[str]:
        """`schema.table` of each relation that does not exist."""
        return [f"{schema}.{name}" for schema, name in relations
                if not self.warehouse.relation_exists(str(schema), name)]
