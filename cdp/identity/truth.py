"""The generator's ground truth in the warehouse, for the figures of `cdp evaluate identity`.

The truth lives in local Parquet files the warehouse may not reach (a server, a cluster): its
clean records are uploaded as a temporary table, then joined there.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from cdp.warehouse import Warehouse

TRUTH_TABLE = "cdp_identity_truth"

# The true person of every clean record, keyed like staging keys records (surrogate_key of
# source table, file and row): a CTE for the `with` of each figure.
TRUTH = f"""truth as (
    select
        source_table,
        md5(source_table || '-' || source_file || '-' || cast(source_row as varchar))
            as source_record_key,
        person_id as true_person_id
    from {TRUTH_TABLE}
)"""


def upload_truth(wh: Warehouse, records: pa.Table) -> None:
    """The clean records (no defect: staging keeps them) of _truth/records.parquet."""
    clean = records.filter(pc.is_null(records["defect"]))
    wh.write_table(TRUTH_TABLE, clean.select(["source_table", "source_file", "source_row",
                                              "person_id"]), temporary=True)
