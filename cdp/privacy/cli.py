"""`cdp forget`: record forget requests (the next run erases), withdraw one."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from cdp.console import make_console

console = make_console()


def forget(
    identifier: Annotated[str | None, typer.Argument(
        help="Email, phone, account, CRM id... of the person to forget")] = None,
    id_type: Annotated[str | None, typer.Option(
        "--type", help="Only this identifier type (var cdp_identity_types) [default: any]")] = None,
    request_id: Annotated[str | None, typer.Option(
        help="The request's id in your ticket system [default: a new req_<hex>]")] = None,
    requested_at: Annotated[datetime | None, typer.Option(
        formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"],
        help="When the person asked, UTC (the SLA runs from it) [default: now]")] = None,
    file: Annotated[Path | None, typer.Option(
        "--file", help="A CSV of requests: request_id, identifier_type, identifier_value,"
                       " requested_at")] = None,
    withdraw: Annotated[str | None, typer.Option(
        help="Withdraw this request id: its identifiers may be imported again")] = None,
) -> None:
    """Record a request to forget a person. The next run (`cdp run` or `cdp build`) resolves
    it through the ID graph to every identifier and record of the person, erases them from
    the warehouse, raw tier included, keeps only salted hashes so a re-import stays out, and
    removes the person from every destination that holds them (marts.fct_privacy_requests)."""
    from cdp.privacy import requests
    from cdp.warehouse import WarehouseLocked, open_warehouse, writing
    from cdp.warehouse_lock import WarehouseBusy

    if sum(x is not None for x in (identifier, file, withdraw)) != 1:
        _fail("give one of: an IDENTIFIER, --file or --withdraw", code=2)
    try:
        if file is not None:
            batch, origin = requests.read_requests_file(file), f"file:{file.name}"
        elif identifier is not None:
            batch = [requests.Request(request_id or requests.new_request_id(), identifier,
                                      id_type, requested_at)]
            origin = "cli"
            if problems := requests.check(batch[0], "request"):
                _fail("\n".join(problems), code=2)
        with writing("cdp forget"), open_warehouse() as warehouse:
            if withdraw is not None:
                requests.withdraw(warehouse, withdraw)
                console.print(f"withdrawn: {escape(withdraw)} (its identifiers may be"
                              " imported again; erased data stays erased)", soft_wrap=True)
                return
            recorded = requests.record(warehouse, batch, origin)
    except (requests.RequestError, WarehouseBusy, WarehouseLocked) as error:
        _fail(str(error))
    for request in recorded:
        console.print(f"recorded forget request {escape(request)}", soft_wrap=True)
    if skipped := len(batch) - len(recorded):
        console.print(f"{skipped} request(s) recorded before were skipped", soft_wrap=True)
    console.print("the next run erases the person(s); follow progress in"
                  " marts.fct_privacy_requests", soft_wrap=True)


def _fail(message: str, code: int = 1) -> None:
    for line in message.splitlines():
        console.print(f"[bold red]error:[/] {escape(line)}", soft_wrap=True)
    raise typer.Exit(code=code)
