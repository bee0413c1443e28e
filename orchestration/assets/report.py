"""The customer-360 report as the main job's last step: the overview page (`cdp report`),
written after the build and the syncs so that it shows this run's outcome."""

from collections.abc import Sequence

import dagster as dg
from dagster import AssetExecutionContext

from cdp.report.document import NotOurs
from cdp.report.overview import overview_path, write_overview
from cdp.summary import warehouse_label
from orchestration.resources import WarehouseResource

REPORT_STEP = "customer_report"


def report_asset(upstream: Sequence[dg.AssetsDefinition]) -> dg.AssetsDefinition:
    """The report, downstream of every asset in `upstream` (the build and the syncs)."""
    # In the writer pool like every step on the warehouse: on DuckDB a reader waits for writers.
    @dg.asset(name=REPORT_STEP, group_name="report", kinds={"python", "html"},
              pool="warehouse_writer",
              deps=[key for assets in upstream for key in assets.keys])
    def customer_report(context: AssetExecutionContext,
                        warehouse: WarehouseResource) -> dg.MaterializeResult:
        """Static HTML (plots inline, opens offline): identity, audiences, value,
        attribution, sync health and data quality, read from the warehouse."""
        # The layer reads the active target, which `warehouse` pinned for this run.
        try:
            written = write_overview(overview_path(), warehouse_label())
        except NotOurs as error:
            raise dg.Failure(description=str(error)) from None
        context.log.info(f"report written to {written.path} in {written.seconds:.1f} s")
        return dg.MaterializeResult(metadata={
            "path": dg.MetadataValue.path(str(written.path)),
            "seconds": round(written.seconds, 1),
            "plots": written.plots,
            **{f"seconds_{section.key}": round(section.seconds, 2)
               for section in written.sections}})

    return customer_report
