"""Audiences: YAML definitions, rule validation (sqlglot), compilation for dbt, previews."""
