"""``routing reach PLACE`` and ``routing map route A B``: reachability and map figures."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from .._format import format_hours
from .._text import quoted
from ..analysis.reach import MAX_BANDS, MAX_HOURS, MAX_KM
from ..api import network, reach, route
from ..engine.profiles import DEFAULT_PROFILE
from ..exceptions import ReachError
from ..output.envelope import data_record, envelope
from ..output.paths import check_output, write_text
from ._app import app, console, map_app
from ._output import AsJson, echo_json

__all__ = ["map_route", "reach_command"]


@app.command("reach")
def reach_command(
    place: Annotated[list[str], typer.Argument(help="Origin place(s): name or 'lat,lon'.")],
    hours: Annotated[
        str | None,
        typer.Option(
            help=f"Time bands in hours, e.g. '1,2,3,4' (default); at most {MAX_BANDS} bands, "
            f"each up to {MAX_HOURS:g} h."
        ),
    ] = None,
    km: Annotated[
        str | None,
        typer.Option(
            help=f"Road-distance bands in km, e.g. '100,200'; at most {MAX_BANDS} bands, "
            f"each up to {MAX_KM:,.0f} km."
        ),
    ] = None,
    profile: Annotated[
        str, typer.Option(help="Speed profile name or YAML file.")
    ] = DEFAULT_PROFILE,
    region: Annotated[
        str | None, typer.Option(help="Region name or data path (default: the default region).")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Write a map (.png, .svg or .pdf).")] = None,
    geojson: Annotated[Path | None, typer.Option(help="Write bands and places as GeoJSON.")] = None,
) -> None:
    """Towns and areas reachable from PLACE within each band (travel time or road km)."""
    from ..output.figures import check_figure_path

    # Bad output paths fail before the search, not after it.
    if out is not None:
        check_figure_path(out)
    if geojson is not None:
        check_output(geojson)
    if hours is None and km is None:
        hours = "1,2,3,4"
    result = reach(
        place,
        hours=_numbers(hours, "--hours"),
        km=_numbers(km, "--km"),
        profile=profile,
        net=network(region),
    )
    metric = "time" if result.unit == "h" else "road km"
    table = Table(
        title=f"Reach from {', '.join(map(str, result.origins))} "
        f"within {result.limit_text} ({result.metric})"
    )
    for col in ("place", metric, "road km", "straight km", "reached"):
        table.add_column(col, justify="left" if col == "place" else "right")
    for r in result.places.to_dict("records"):
        road_km = "-" if math.isnan(r["distance_km"]) else f"{r['distance_km']:,.0f}"
        figure = (
            road_km if result.unit == "km" or math.isnan(r["time_h"]) else format_hours(r["time_h"])
        )
        table.add_row(
            str(r["name"]),
            figure,
            road_km,
            f"{r['straight_km']:,.0f}",
            "yes" if r["reached"] else f"no ({r['note']})",
        )
    console.print(table)
    for line in result.assumptions:
        console.print(f"[dim]assumption: {line}[/]", highlight=False)
    if geojson is not None:
        write_text(geojson, json.dumps(result.to_geojson(), ensure_ascii=False))
        console.print(f"wrote {geojson}")
    if out is not None:
        from ..output.figures import reach_map, save_figure

        console.print(f"wrote {save_figure(reach_map(result), out)}")


@map_app.command("route")
def map_route(
    origin: Annotated[str, typer.Argument(help="Start: place name or 'lat,lon'.")],
    destination: Annotated[str, typer.Argument(help="End: place name or 'lat,lon'.")],
    out: Annotated[Path, typer.Option(help="Map file (.png, .svg or .pdf).")],
    profile: Annotated[
        str, typer.Option(help="Speed profile name or YAML file.")
    ] = DEFAULT_PROFILE,
    fastest: Annotated[bool, typer.Option(help="Fastest instead of shortest route.")] = False,
    region: Annotated[
        str | None, typer.Option(help="Region name or data path (default: the default region).")
    ] = None,
    arabic: Annotated[bool, typer.Option(help="Add Arabic names (needs routing[arabic]).")] = False,
    as_json: AsJson = False,
) -> None:
    """Draw a route map: roads by class, the route, towns, borders, scale and attribution."""
    from ..output.figures import check_figure_path, route_map, save_figure

    check_figure_path(out)  # before routing, so a bad path fails at once
    r = route(
        origin,
        destination,
        net=network(region),
        profile=profile,
        optimize="time" if fastest else "distance",
    )
    written = save_figure(route_map(r, arabic=arabic), out)
    if as_json:
        record = {"route": "fastest" if fastest else "shortest", **r.to_dict(), "map": str(written)}
        query = {
            "origin": origin,
            "destination": destination,
            "out": str(out),
            "profile": r.profile.name,
            "fastest": fastest,
            "region": region,
        }
        assumptions = record.pop("assumptions")
        echo_json(
            envelope(
                "map route",
                query=query,
                results=[record],
                assumptions=assumptions,
                data=[data_record(r.net.meta)],
                notes=r.notes,
            )
        )
        return
    console.print(r.headline(), highlight=False)
    console.print(f"wrote {written}")


def _numbers(text: str | None, option: str) -> list[float] | None:
    """``'1,2,4'`` -> ``[1.0, 2.0, 4.0]``; range checks are ``reach()``'s."""
    if text is None:
        return None
    try:
        return [float(p) for p in text.split(",") if p.strip()]
    except ValueError:
        raise ReachError(
            f"{option} must be numbers separated by commas, got {quoted(text)}"
        ) from None
