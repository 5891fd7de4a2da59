"""``routing reach PLACE`` and ``routing map route A B``: reachability and map figures."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from .._format import format_hours
from .._text import quoted
from ..analysis.reach import MAX_BANDS, MAX_HOURS, MAX_KM, Reach
from ..api import network, reach, route
from ..engine.profiles import DEFAULT_PROFILE
from ..exceptions import InvalidArgumentError, ReachError
from ..output.envelope import data_record, envelope
from ..output.paths import check_output, write_text
from ._app import app, console, err_console, map_app
from ._output import AsCsv, AsJson, echo_csv, echo_json, one_format

__all__ = ["map_route", "reach_command"]

_MAP_SUFFIXES = (".png", ".svg", ".pdf")


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
    out: Annotated[
        list[Path] | None,
        typer.Option(
            help="Write a map (.png, .svg, .pdf) or the layers (bands, origins, places, roads): "
            ".gpkg (one layer each) or .geojson (one file each, NAME.bands.geojson ...). "
            "Repeat for several files."
        ),
    ] = None,
    geojson: Annotated[
        Path | None,
        typer.Option(help="Write the band polygons as one GeoJSON FeatureCollection."),
    ] = None,
    roads_only: Annotated[
        bool,
        typer.Option(
            "--roads-only",
            help="Areas: the reached roads 5 km either side, instead of the reachable area "
            "(roads plus off-road legs at the profile's access speed).",
        ),
    ] = False,
    as_csv: AsCsv = False,
    as_json: AsJson = False,
) -> None:
    """Towns and areas reachable from PLACE within each band (travel time or road km).

    --csv and --json give one row per place, nearest first, with one within_<limit> column
    per band; --json adds the bands (area in km2) in its summary.
    """
    from ..output.figures import check_figure_path
    from ..output.geodata import GEO_FORMATS, check_geo_output, write_layers

    one_format(as_json, as_csv)
    # Bad output paths fail before the search, not after it.
    maps, layers = [], []
    for path in out or []:
        if path.suffix.lower() in GEO_FORMATS:
            layers.append(check_geo_output(path, polygons=True))
        elif path.suffix.lower() in _MAP_SUFFIXES:
            maps.append(check_figure_path(path))
        else:
            raise InvalidArgumentError(
                f"cannot write {quoted(path.name)}: use one of {', '.join(_MAP_SUFFIXES)} (map) "
                "or " + ", ".join(GEO_FORMATS) + " (layers)"
            )
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
        area="roads" if roads_only else "reachable",
    )
    report = console
    if as_csv or as_json:
        report = err_console  # stdout holds the document alone
        rows = _place_rows(result)
        if as_csv:
            echo_csv(rows, result.assumptions)
        else:
            echo_json(
                envelope(
                    "reach",
                    query={
                        "places": place,
                        "hours": hours,
                        "km": km,
                        "profile": result.profile.name,
                        "region": region,
                        "roads_only": roads_only,
                    },
                    results=rows.to_dict("records"),
                    summary={"area": result.area_text, "bands": _band_rows(result)},
                    assumptions=result.assumptions,
                    data=[data_record(result.net.meta)],
                )
            )
    else:
        _print_table(result)
    if geojson is not None:
        write_text(geojson, json.dumps(result.to_geojson(), ensure_ascii=False))
        report.print(f"wrote {geojson}", highlight=False)
    for path in layers:
        for written in write_layers(path, result.layers()):
            report.print(f"wrote {written}", highlight=False)
    if maps:
        from ..output.figures import reach_map, save_figure

        fig = reach_map(result)
        for path in maps:
            report.print(f"wrote {save_figure(fig, path)}", highlight=False)


def _place_rows(result: Reach) -> Any:
    """The places table with flat column names (``within_2_h``) and no list values."""
    places = result.layers()["places"]
    rows = places.drop(columns=[places.geometry.name, "data", "attribution"])
    rows.insert(1, "lon", result.places["lon"].to_numpy())
    rows.insert(2, "lat", result.places["lat"].to_numpy())
    return rows


def _band_rows(result: Reach) -> list[dict[str, Any]]:
    """Each band's limit and area, for the JSON summary."""
    key = "limit_h" if result.unit == "h" else "limit_km"
    return [
        {"label": label, key: limit, "metric": metric, "area_km2": round(float(area), 1)}
        for label, limit, metric, area in zip(
            result.bands["band"],
            result.bands["limit"],
            result.bands["metric"],
            result.bands["area_km2"],
            strict=True,
        )
    ]


# A full-detail region names thousands of places: the terminal shows the nearest ones.
_TABLE_ROWS = 60


def _print_table(result: Reach) -> None:
    metric = "time" if result.unit == "h" else "road km"
    table = Table(
        title=f"Reach from {', '.join(map(str, result.origins))} "
        f"within {result.limit_text} ({result.metric})"
    )
    for col in ("place", metric, "road km", "straight km", "reached"):
        table.add_column(col, justify="left" if col == "place" else "right")
    places = result.places
    for r in places.head(_TABLE_ROWS).to_dict("records"):
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
    if len(places) > _TABLE_ROWS:
        table.caption = (
            f"nearest {_TABLE_ROWS} of {len(places):,} places; --csv, --json or --out list them all"
        )
    console.print(table)
    for line in result.assumptions:
        console.print(f"[dim]assumption: {line}[/]", highlight=False)


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
