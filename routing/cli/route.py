"""CLI commands ``routing route`` and ``routing matrix``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.table import Table

from .._format import format_hours
from ..analysis.crosscheck import CrossCheck
from ..analysis.matrix import Matrix
from ..analysis.routes import Route
from ..analysis.scenarios import parse_avoid
from ..api import alternatives, crosscheck, locate, matrix, network, route, second_network
from ..batch.cluster import connect
from ..batch.matrix import MANIFEST
from ..batch.points import is_points_file
from ..engine.profiles import available_profiles, get_profile
from ..output.envelope import data_record, envelope
from ..output.geodata import check_geo_output, write_layers
from ..output.layers import route_layers
from ..output.paths import output_folder
from ._app import app, console, err_console
from ._output import AsCsv, AsJson, GeoOut, echo_csv, echo_json, one_format
from .batch import SCHEDULER_OPTION, WORKERS_OPTION

__all__ = ["matrix_command", "route_command"]

_REGION = typer.Option(
    "--region", "-r", help="Region name or data path (default: the default region pack)."
)
_PROFILE_HELP = "Speed profile: " + ", ".join(available_profiles()) + ", or a YAML profile file."


@app.command("route")
def route_command(
    origin: Annotated[str, typer.Argument(help="Place name or 'lat,lon'.")],
    destination: Annotated[str, typer.Argument(help="Place name or 'lat,lon'.")],
    via: Annotated[
        list[str] | None, typer.Option("--via", help="Pass through (repeatable).")
    ] = None,
    profile: Annotated[str, typer.Option("--profile", "-p", help=_PROFILE_HELP)] = "car",
    avoid: Annotated[
        list[str] | None,
        typer.Option(
            "--avoid",
            help="Closure/delay: ref:1, name:X, near:LAT,LON[:5km], bridge:LAT,LON, "
            "bbox:W,S,E,N, area:FILE.geojson, checkpoint:LAT,LON:MIN (repeatable).",
        ),
    ] = None,
    alternatives_k: Annotated[
        int, typer.Option("--alternatives", "-k", min=1, max=5, help="Up to K distinct routes.")
    ] = 1,
    region: Annotated[str | None, _REGION] = None,
    cross_check: Annotated[
        bool,
        typer.Option(
            "--cross-check/--no-cross-check",
            help="Measure the distance on the region's independent network too (generalized "
            "data only), with a calibrated band and flags for data artefacts.",
        ),
    ] = True,
    as_json: AsJson = False,
    out: GeoOut = None,
) -> None:
    """Shortest and fastest road route between two places, with roads taken and assumptions.

    On generalized data the distance is also measured on the region's independent network
    (Natural Earth for the z7 regions): both figures, the calibrated band and, where the
    figure may rest on a gap in the data, the reason in words.
    """
    if out is not None:
        check_geo_output(out)  # before routing, so a bad path fails at once
    net = network(region)
    prof = get_profile(profile)
    # Resolve each place once: every route below reuses the same Locations.
    a, b = locate(origin, net), locate(destination, net)
    common: dict[str, Any] = {
        "net": net,
        "profile": prof,
        "scenario": parse_avoid(avoid or []),
        "via": [locate(v, net) for v in via or []],
    }
    shortest = route(a, b, optimize="distance", **common)
    # The first of the alternatives is the fastest route itself.
    fastest, *others = alternatives(a, b, alternatives_k, optimize="time", **common)
    every = [
        ("shortest", shortest),
        ("fastest", fastest),
        *[(f"alternative {i}", r) for i, r in enumerate(others, 1)],
    ]
    notes = list(dict.fromkeys(n for _, r in every for n in r.notes))
    if len(others) < alternatives_k - 1:
        notes.append(
            f"only {len(others)} alternative(s) distinct and fast enough "
            "(limits: routing.analysis.routes.alternatives)"
        )
    # A cross-check measures place to place: a route bent by --via or --avoid has none.
    second = second_network(net) if cross_check and not (via or avoid) else None
    checked = None if second is None else crosscheck(a, b, net=net, second=second)
    assumptions = _merged_assumptions(every)
    if checked is not None and second is not None:
        notes += [f.message for f in checked.flags if f.message not in notes]
        assumptions.append(f"cross-checked on: {second.meta.describe()}; {second.meta.credit()}")
    if out is not None:
        for path in write_layers(out, route_layers(every)):
            err_console.print(f"wrote {path}", highlight=False)
    if as_json:
        query = {
            "origin": origin,
            "destination": destination,
            "via": via or [],
            "profile": prof.name,
            "avoid": avoid or [],
            "alternatives": alternatives_k,
            "region": region,
        }
        echo_json(
            envelope(
                "route",
                query=query,
                results=[_route_record(kind, r) for kind, r in every],
                assumptions=assumptions,
                data=[
                    data_record(net.meta),
                    *([] if second is None else [data_record(second.meta, "cross-check")]),
                ],
                summary={} if checked is None else {"cross_check": checked.to_dict()},
                notes=notes,
            )
        )
        return
    table = Table(title=f"{shortest.origin} -> {shortest.destination}")
    for col in (
        "route",
        "distance",
        f"time ({prof.name})",
        "straight line",
        "detour",
        "main roads",
    ):
        table.add_column(col, justify="left" if col in ("route", "main roads") else "right")
    for kind, r in every:
        # One road per line, so a number never wraps away from its unit.
        main = "\n".join(
            f"{x.road}: {x.km:,.0f}\u00a0km" for x in r.roads().nlargest(3, "km").itertuples()
        )
        table.add_row(
            kind,
            f"{r.length_km:,.1f} km\n({r.access_km:,.1f} off-road)",
            format_hours(r.time_h),
            f"{r.straight_km:,.1f} km",
            f"x{r.detour_factor:.2f}",
            main,
        )
    console.print(table)
    if checked is not None:
        _print_cross_check(checked)
    console.print(_times_by_profile(shortest))
    _print_roads(fastest)
    for note in notes:
        err_console.print(f"[bold yellow]warning:[/] {note}", highlight=False)
    _print_assumptions(assumptions)


def _print_cross_check(checked: CrossCheck) -> None:
    """Both networks' place-to-place figures, the band and why it may not settle anything."""
    verdict = "they agree" if checked.settled else "not settled: see the warnings below"
    console.print(f"[bold]distance on two networks[/] ({verdict})", highlight=False)
    for line in checked.describe():
        if not line.startswith("warning: "):  # printed once, with the other warnings
            console.print(f"  {line}", highlight=False)


def _route_record(kind: str, r: Route) -> dict[str, Any]:
    """A route for the JSON envelope: figures, roads, snaps and the line (GeoJSON)."""
    record = {"route": kind, **r.to_dict(), "geometry": r.to_geojson()["geometry"]}
    # Stated once for the whole answer, in the envelope's assumptions and data.
    for key in ("assumptions", "source", "osm_date"):
        record.pop(key)
    return record


@app.command("matrix")
def matrix_command(
    places: Annotated[
        list[str], typer.Argument(help="Origins (names or 'lat,lon'), or one points file.")
    ],
    to: Annotated[
        list[str] | None,
        typer.Option("--to", help="Destinations, or one points file (default: the origins)."),
    ] = None,
    profile: Annotated[str, typer.Option("--profile", "-p", help=_PROFILE_HELP)] = "car",
    avoid: Annotated[list[str] | None, typer.Option("--avoid", help="As for 'route'.")] = None,
    region: Annotated[str | None, _REGION] = None,
    as_csv: AsCsv = False,
    as_json: AsJson = False,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Compute on Dask, write partitioned Parquet to this folder."),
    ] = None,
    scheduler: Annotated[str | None, SCHEDULER_OPTION] = None,
    workers: Annotated[int | None, WORKERS_OPTION] = None,
) -> None:
    """Road distance (shortest route, km) and travel time (fastest route, h) between places.

    --csv and --json give one row per pair, in the order given, with the names as typed
    (``origin_query``, ``destination_query``) beside the places they were read as. Origins
    and destinations may be points files (CSV or GeoParquet with an id column); with --out
    the origins are computed in blocks on Dask (--scheduler, or a local cluster) and written
    as Parquet parts (origin_id, destination_id, distance_km, time_h, straight_km).
    """
    one_format(as_json, as_csv)
    if out is None and (scheduler or workers):
        raise typer.BadParameter("--scheduler and --workers need --out, the folder for the parts")
    if out is not None and (as_json or as_csv):
        raise typer.BadParameter("--out writes Parquet; --json and --csv print the table")
    if out is not None:
        output_folder(out)
    origins, destinations = _points_file_or_places(places), to and _points_file_or_places(to)
    common: dict[str, Any] = {"profile": profile, "scenario": parse_avoid(avoid or [])}
    net = network(region)
    if out is not None:
        with connect(scheduler, workers=workers) as client:
            parts = matrix(origins, destinations, net=net, cluster=client, out=out, **common)
        console.print(
            f"{parts.origins:,} x {parts.destinations:,} pairs in {parts.parts} part(s): "
            f"{parts.path} (manifest: {MANIFEST})"
        )
        for note in (n for notes in parts.notes.values() for n in notes):
            err_console.print(f"[bold yellow]warning:[/] {note}", highlight=False)
        _print_assumptions(parts.assumptions)
        return
    result = matrix(origins, destinations, net=net, **common)
    if not (as_csv or as_json):
        _print_matrix(result)
        return
    long = _pairs(
        result,
        _typed_names(origins, result.distance_km.index),
        _typed_names(destinations or origins, result.distance_km.columns),
    )
    if as_csv:
        echo_csv(long, [*result.assumptions, *(f"note: {n}" for n in result.notes)])
        return
    query = {
        "origins": places,
        "destinations": to or places,
        "profile": result.profile.name,
        "avoid": avoid or [],
        "region": region,
    }
    echo_json(
        envelope(
            "matrix",
            query=query,
            results=long.to_dict("records"),
            assumptions=result.assumptions,
            data=[data_record(net.meta)],
            notes=result.notes,
        )
    )


def _pairs(result: Matrix, origins: list[str], destinations: list[str]) -> Any:
    """The long-form matrix with the names as typed and times in hours and minutes."""
    long = result.to_frame()
    # to_frame stacks row by row: origin i, then every destination in order.
    long.insert(0, "origin_query", np.repeat(origins, len(destinations)))
    long.insert(1, "destination_query", np.tile(destinations, len(origins)))
    long.insert(list(long.columns).index("time_h") + 1, "time_min", long["time_h"] * 60.0)
    # Metres, seconds and a detour to four decimals: finer digits are noise on any data.
    return long.round(
        {"distance_km": 3, "straight_km": 3, "time_h": 4, "time_min": 1, "detour_factor": 4}
    )


def _typed_names(values: list[str] | Path, resolved: Any) -> list[str]:
    """The names as typed, or the resolved names when the places came from a points file."""
    return [str(v) for v in resolved] if isinstance(values, Path) else values


def _points_file_or_places(values: list[str]) -> list[str] | Path:
    """One points file as a path, else the place names as given."""
    return Path(values[0]) if len(values) == 1 and is_points_file(values[0]) else values


def _print_matrix(result: Matrix) -> None:
    tables: tuple[tuple[str, Any, Callable[[float], str]], ...] = (
        ("road distance (shortest route)", result.distance_km, lambda v: f"{v:,.1f} km"),
        (
            f"travel time (fastest route, profile {result.profile.name!r})",
            result.time_h,
            format_hours,
        ),
        ("straight-line distance (geodesic)", result.straight_km, lambda v: f"{v:,.1f} km"),
    )
    names = [str(c) for c in result.distance_km.columns]
    # Numbered columns when the names do not fit side by side: names are never cut.
    widest_row = max(len(str(n)) for n in result.distance_km.index)
    numbered = sum(max(len(n), 11) + 3 for n in names) + widest_row + 4 > console.width
    for title, frame, fmt in tables:
        table = Table(title=title)
        table.add_column("from \\ to")
        for i, col in enumerate(names, 1):
            table.add_column(f"({i})" if numbered else col, justify="right")
        for label, row in frame.iterrows():
            table.add_row(
                str(label), *["no route" if v != v else fmt(v) for v in row.to_numpy(float)]
            )
        console.print(table)
    if numbered:
        console.print("columns: " + "; ".join(f"({i}) {n}" for i, n in enumerate(names, 1)))
    for note in result.notes:
        err_console.print(f"[bold yellow]warning:[/] {note}", highlight=False)
    _print_assumptions(result.assumptions)


def _times_by_profile(r: Route) -> Table:
    """Travel time of the shortest route under every built-in profile, with its source."""
    table = Table(title=f"time on the shortest route ({r.length_km:,.0f} km) by profile")
    table.add_column("profile")
    table.add_column("time", justify="right", no_wrap=True)
    table.add_column("source of the speeds")
    for name in available_profiles():
        prof = get_profile(name)
        table.add_row(name, format_hours(r.time_with(prof) / 3600.0), prof.source)
    return table


def _print_roads(r: Route) -> None:
    table = Table(title="roads taken (fastest route)")
    for col in ("road", "class", "km", "min"):
        table.add_column(col, justify="right" if col in ("km", "min") else "left")
    for x in r.roads().itertuples():
        table.add_row(str(x.road), str(x.highway), f"{x.km:,.1f}", f"{x.minutes:,.0f}")
    console.print(table)


def _merged_assumptions(routes: list[tuple[str, Route]]) -> list[str]:
    """Every route's assumptions once; a line not shared by all routes names its route."""
    out: dict[str, None] = {}
    for kind, r in routes:
        for line in r.assumptions:
            shared = all(line in other.assumptions for _, other in routes)
            out.setdefault(line if shared or line.startswith(kind) else f"{kind} route: {line}")
    return list(out)


def _print_assumptions(lines: list[str]) -> None:
    # A grid gives wrapped lines a hanging indent under their bullet.
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for line in lines:
        grid.add_row("  -", line)
    console.print("[dim]Assumptions:[/]")
    console.print(grid, style="dim", highlight=False)
