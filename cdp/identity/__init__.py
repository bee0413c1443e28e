"""Identity resolution helpers around the dbt models: accuracy evaluation and explanations."""
