"""CLI command ``routing places QUERY``: look a place name up in the offline gazetteer."""

from __future__ import annotations

import json
from functools import cache
from typing import Annotated

import typer
from rich.table import Table

from ..exceptions import DataNotFoundError, PlaceNotFoundError
from ..gazetteer import Gazetteer, Place, default_gazetteer
from ._app import app, console, err_console

__all__ = ["places"]


@cache
def _gazetteer() -> tuple[Gazetteer, str | None]:
    """The default region's place points plus GeoNames; GeoNames alone without the data."""
    try:
        from ..sources import load_network

        return Gazetteer.for_network(load_network(progress=False)), None
    except DataNotFoundError as exc:
        return default_gazetteer(), f"road data not found ({exc}); searching GeoNames only"


def _table(query: str, found: list[Place]) -> Table:
    table = Table(title=f"places matching {query!r}", title_justify="left")
    for column in ("name", "country", "province", "lat", "lon", "kind"):
        table.add_column(
            column, no_wrap=True, justify="right" if column in ("lat", "lon") else "left"
        )
    # Only the long free-text columns wrap, so names and coordinates stay readable.
    table.add_column("source", overflow="fold", ratio=1)
    table.add_column("notes", overflow="fold", ratio=2)
    for p in found:
        table.add_row(
            p.name,
            p.country_name or p.country or "",
            p.admin1 or "",
            f"{p.lat:.4f}",
            f"{p.lon:.4f}",
            p.kind or "",
            "\n".join(p.sources),
            "\n".join(p.notes),
        )
    return table


@app.command()
def places(
    query: Annotated[str, typer.Argument(help="Place name, 'Name, Country' or 'lat,lon'.")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Maximum candidates.")] = 10,
    country: Annotated[
        str | None, typer.Option("--country", "-c", help="Only places in this country.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List the places a name can refer to, best first (exit code 2 if none)."""
    gazetteer, note = _gazetteer()
    if note:
        err_console.print(f"[yellow]note:[/] {note}", highlight=False)
    found = gazetteer.search(query, limit, country=country)
    if not found:
        raise PlaceNotFoundError(query, gazetteer.suggest(query, country=country))
    if as_json:
        console.print_json(json.dumps([p.to_dict() for p in found], ensure_ascii=False))
    else:
        console.print(_table(query, found))
