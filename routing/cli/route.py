"""CLI commands ``routing route`` and ``routing matrix``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from .._format import format_hours
from ..analysis.matrix import Matrix
from ..analysis.routes import Route
from ..analysis.scenarios import parse_avoid
from ..api import alternatives, locate, matrix, network, route
from ..batch.cluster import connect
from ..batch.matrix import MANIFEST
from ..batch.points import is_points_file
from ..engine.profiles import available_profiles, get_profile
from ..output.paths import output_folder
from ._app import app, console, err_console
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
    as_json: Annotated[bool, typer.Option("--json", help="GeoJSON FeatureCollection.")] = False,
) -> None:
    """Shortest and fastest road route between two places, with roads taken and assumptions."""
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
    if len(others) < alternatives_k - 1:
        err_console.print(
            f"note: only {len(others)} alternative(s) distinct and fast enough "
            "(limits: routing.analysis.routes.alternatives)",
            highlight=False,
        )
    if as_json:
        features = [{**r.to_geojson(), "id": kind} for kind, r in every]
        typer.echo(json.dumps({"type": "FeatureCollection", "features": features}, indent=1))
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
    console.print(_times_by_profile(shortest))
    _print_roads(fastest)
    for note in dict.fromkeys(n for _, r in every for n in r.notes):
        err_console.print(f"[bold yellow]warning:[/] {note}", highlight=False)
    _print_assumptions(_merged_assumptions(every))


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
    as_csv: Annotated[bool, typer.Option("--csv", help="Long-form CSV.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON records.")] = False,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Compute on Dask, write partitioned Parquet to this folder."),
    ] = None,
    scheduler: Annotated[str | None, SCHEDULER_OPTION] = None,
    workers: Annotated[int | None, WORKERS_OPTION] = None,
) -> None:
    """Road distance (shortest route, km) and travel time (fastest route, h) between places.

    Origins and destinations may be points files (CSV or GeoParquet with an id column); with
    --out the origins are computed in blocks on Dask (--scheduler, or a local cluster) and
    written as Parquet parts (origin_id, destination_id, distance_km, time_h, straight_km).
    """
    if as_csv and as_json:
        raise typer.BadParameter("choose one of --csv and --json")
    if out is None and (scheduler or workers):
        raise typer.BadParameter("--scheduler and --workers need --out, the folder for the parts")
    if out is not None:
        output_folder(out)
    origins, destinations = _points_file_or_places(places), to and _points_file_or_places(to)
    common: dict[str, Any] = {"profile": profile, "scenario": parse_avoid(avoid or [])}
    if out is not None:
        with connect(scheduler, workers=workers) as client:
            parts = matrix(
                origins, destinations, net=network(region), cluster=client, out=out, **common
            )
        console.print(
            f"{parts.origins:,} x {parts.destinations:,} pairs in {parts.parts} part(s): "
            f"{parts.path} (manifest: {MANIFEST})"
        )
        for note in (n for notes in parts.notes.values() for n in notes):
            err_console.print(f"[bold yellow]warning:[/] {note}", highlight=False)
        _print_assumptions(parts.assumptions)
        return
    result = matrix(origins, destinations, net=network(region), **common)
    long = result.to_frame()
    if as_csv:
        typer.echo(long.to_csv(index=False, float_format="%.3f"), nl=False)
        for line in result.assumptions:
            typer.echo(f"# {line}")
        return
    if as_json:
        doc = {
            "pairs": json.loads(long.to_json(orient="records", double_precision=4)),
            "assumptions": result.assumptions,
            "notes": result.notes,
        }
        typer.echo(json.dumps(doc, indent=1))
        return
    _print_matrix(result)


def _points_file_or_places(values: list[str]) -> list[str] | Path:
    """One points file as a path, else the place names as given."""
    return Path(values[0]) if len(values) == 1 and is_points_file(values[0]) else values


def _print_matrix(result: Matrix) -> None:
    tables = (
        ("road distance, km (shortest route)", result.distance_km, "{:,.1f}"),
        (
            f"travel time, hours (fastest route, profile {result.profile.name!r})",
            result.time_h,
            "{:.2f}",
        ),
        ("straight-line distance, km (geodesic)", result.straight_km, "{:,.1f}"),
    )
    names = [str(c) for c in result.distance_km.columns]
    # Numbered columns when the names do not fit side by side: names are never cut.
    widest_row = max(len(str(n)) for n in result.distance_km.index)
    numbered = sum(max(len(n), 7) + 3 for n in names) + widest_row + 4 > console.width
    for title, frame, fmt in tables:
        table = Table(title=title)
        table.add_column("from \\ to")
        for i, col in enumerate(names, 1):
            table.add_column(f"({i})" if numbered else col, justify="right")
        for label, row in frame.iterrows():
            table.add_row(
                str(label), *["no route" if v != v else fmt.format(v) for v in row.to_numpy(float)]
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
