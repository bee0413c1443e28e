"""The one way the CLI writes to the terminal."""

from __future__ import annotations

import os

from rich.console import Console

# Off a terminal (CI logs, pipes, `tee`) Rich assumes 80 columns and cuts table cells with
# "…"; logs have no width limit, so tables get room for their content instead.
PIPED_WIDTH = 200


def make_console() -> Console:
    console = Console()
    if not console.is_terminal and not os.environ.get("COLUMNS", "").isdigit():
        return Console(width=PIPED_WIDTH)
    return console
