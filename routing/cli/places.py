"""CLI command ``routing places QUERY``: look a place name up in the offline gazetteer."""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

import pandas as pd
import typer
from rich.table import Table

from ..exceptions import DataNotFoundError, PlaceNotFoundError
from ..gazetteer import GEONAMES_SOURCE, Gazetteer, Place, default_gazetteer
from ..network import NetworkMeta
from ..output.envelope import data_record, envelope
from ._app import app, console, err_console
from ._output import AsCsv, AsJson, echo_csv, echo_json, one_format

__all__ = ["places"]


@cache
def _gazetteer() -> tuple[Gazetteer, NetworkMeta | None, str | None]:
    """The default region's place points plus GeoNames; GeoNames alone without the data."""
    try:
        from ..sources import load_network

        net = load_network(progress=False)
        return Gazetteer.for_network(net), net.meta, None
    except DataNotFoundError as exc:
        return default_gazetteer(), None, f"road data not found ({exc}); searching GeoNames only"


# GeoNames asks for credit under CC BY 4.0 (geonames.org/about.html).
_GEONAMES = {
    "role": "gazetteer",
    "source": GEONAMES_SOURCE,
    "attribution": "Place names: GeoNames (geonames.org), CC BY 4.0",
}


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
    as_json: AsJson = False,
    as_csv: AsCsv = False,
) -> None:
    """List the places a name can refer to, best first (exit code 2 if none)."""
    one_format(as_json, as_csv)
    gazetteer, meta, note = _gazetteer()
    if note:
        err_console.print(f"[yellow]note:[/] {note}", highlight=False)
    found = gazetteer.search(query, limit, country=country)
    if not found:
        raise PlaceNotFoundError(query, gazetteer.suggest(query, country=country))
    records = [p.to_dict() for p in found]
    data: list[dict[str, Any]] = [_GEONAMES]
    if meta is not None:
        data.insert(0, data_record(meta, role="places"))
    assumptions = [
        "candidates best first: the road data's own place points, then curated places, "
        "then GeoNames; coordinates from the best source"
    ]
    if as_csv:
        flat = [
            {**r, "sources": "; ".join(r["sources"]), "notes": "; ".join(r["notes"])}
            for r in records
        ]
        echo_csv(pd.DataFrame(flat), [*assumptions, *(d["attribution"] for d in data)])
    elif as_json:
        query_doc = {"query": query, "limit": limit, "country": country}
        echo_json(
            envelope(
                "places",
                query=query_doc,
                results=records,
                assumptions=assumptions,
                data=data,
                notes=[note] if note else [],
            )
        )
    else:
        console.print(_table(query, found))
