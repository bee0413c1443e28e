"""Every model and every column it builds is documented (dbt docs are the data dictionary BI
users read), and the dashboards that read the marts are declared as exposures."""

from __future__ import annotations

import json

from cdp.dbt import run_dbt


def test_every_model_and_built_column_is_documented(warehouse, tmp_path):
    manifest = run_dbt(["parse", "--target-path", str(tmp_path)],
                       duckdb_path=warehouse.duckdb_path).result
    models = [node for node in manifest.nodes.values()
              if node.resource_type == "model" and node.package_name == "cdp"]
    assert len(models) > 60
    problems = []
    for node in models:
        if not node.description.strip():
            problems.append(f"{node.name}: no description")
        built = {name for (name,) in warehouse.rows(
            "select column_name from information_schema.columns"
            f" where table_schema = '{node.schema}' and table_name = '{node.alias}'")}
        assert built, f"{node.name} was not built"
        columns = node.columns
        if node.fqn[1] == "pii_masked":  # a mart's columns, masked: documented on the mart
            columns = manifest.nodes[node.depends_on.nodes[0]].columns
        documented = {name for name, column in columns.items() if column.description.strip()}
        problems += [f"{node.name}.{name}: undocumented" for name in sorted(built - documented)]
        problems += [f"{node.name}.{name}: documented but not built"
                     for name in sorted(set(columns) - built)]
    assert problems == []


def test_exposures_declare_the_dashboards_on_the_marts(warehouse, tmp_path):
    manifest = run_dbt(["parse", "--target-path", str(tmp_path)],
                       duckdb_path=warehouse.duckdb_path).result
    read_by_dashboards = {
        manifest.nodes[node_id].name
        for exposure in manifest.exposures.values()
        for node_id in exposure.depends_on.nodes
    }
    assert {"dim_customers", "fct_kpi_monthly", "fct_cohort_retention",
            "fct_clv_by_acquisition", "fct_attribution_by_channel"} <= read_by_dashboards
    assert all(exposure.owner.email for exposure in manifest.exposures.values())


def test_dbt_docs_generate_catalogs_every_mart(warehouse, tmp_path):
    """The README's `make docs`: `dbt docs generate` on a built warehouse."""
    run_dbt(["docs", "generate", "--target-path", str(tmp_path)],
            duckdb_path=warehouse.duckdb_path)
    catalog = json.loads((tmp_path / "catalog.json").read_text())["nodes"]
    marts = {key for key in catalog if key.startswith("model.cdp.dim_")
             or key.startswith("model.cdp.fct_")}
    assert {"model.cdp.dim_customers", "model.cdp.fct_audience_memberships",
            "model.cdp.fct_attribution_by_channel"} <= marts
    assert "predicted_clv" in catalog["model.cdp.dim_customers"]["columns"]
    assert (tmp_path / "index.html").stat().st_size > 100_000  # the docs site itself
