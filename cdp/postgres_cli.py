"""`cdp postgres start|stop`: a project-local PostgreSQL for "Run on PostgreSQL" when you have
no server of your own (`make run-postgres` uses it). Data under warehouse/postgres."""

from __future__ import annotations

import typer

from cdp import local_postgres
from cdp.settings import PROJECT_DIR

app = typer.Typer(help="A project-local PostgreSQL server (127.0.0.1, no password).",
                  no_args_is_help=True)

ROOT = PROJECT_DIR / "warehouse" / "postgres"
PORT = 54329
DATABASE = "cdp"


@app.command()
def start() -> None:
    """Start the local server (created on first use) and print the settings to export."""
    try:
        local_postgres.start(ROOT, PORT)
        local_postgres.create_database(ROOT, PORT, DATABASE)
    except local_postgres.PostgresError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(code=1) from None
    typer.echo(f"export CDP_TARGET=postgres CDP_PG_HOST=127.0.0.1 CDP_PG_PORT={PORT}"
               f" CDP_PG_USER={local_postgres.ADMIN} CDP_PG_DATABASE={DATABASE}")


@app.command()
def stop() -> None:
    """Stop the local server (its data stays under warehouse/postgres)."""
    local_postgres.stop(ROOT)
