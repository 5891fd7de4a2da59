"""CLI command ``routing validate REFERENCES``: the toolkit's figures against published ones.

Per row: the published figure, the toolkit's road and straight-line figures (and, for pairs
inside Syria, the full-detail z14 road figure), the band, and whether the published figure
lies inside; then a summary share, the notes (flags, unsettled rows) and the assumptions.
Malformed rows and unknown places are listed with their line numbers on stderr after
everything else; the exit code is then 2 (0 if every row was well-formed).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ..analysis.calibration import calibration_for
from ..analysis.crosscheck import SECOND_NETWORK
from ..analysis.routes import format_hours, resolve_network
from ..claims.references import (
    TIME_DRAWS,
    TIME_QUANTILES,
    Reference,
    ReferenceCheck,
    check_references,
    read_references,
    references_summary,
)
from ..exceptions import RoutingError
from ..network import RoadNetwork
from ..output.report import ATTRIBUTION
from ..sources import load_network
from ._app import app, console, err_console

__all__ = ["validate"]

# The z7 tiles (the data of the ``iraq`` region) cover Iraq, Syria and their neighbours.
_Z7_REGION = "iraq"
_MARGIN_DEG = 1.0


@app.command("validate")
def validate(
    references: Annotated[
        Path, typer.Argument(help="Tab-separated table: from, to, value, unit, kind, source.")
    ],
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            "-r",
            help="Network to measure on (default: the z7 tiles over the references' extent).",
        ),
    ] = None,
    second: Annotated[
        str, typer.Option(help="Independent network for the cross-check, or 'none'.")
    ] = SECOND_NETWORK,
    detail: Annotated[
        str,
        typer.Option(help="Full-detail network for pairs inside --detail-country, or 'none'."),
    ] = "syria",
    detail_country: Annotated[str, typer.Option(help="ISO alpha-2 code.")] = "SY",
    profile: Annotated[str, typer.Option("--profile", "-p", help="Profile for time rows.")] = "car",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Check published distances and times against the toolkit's figures and bands."""
    refs, errors = read_references(references)
    net = resolve_network(region) if region else _z7_over(refs)
    checks, place_errors = check_references(
        refs,
        net,
        second=None if second == "none" else second,
        detail=None if detail == "none" else detail,
        detail_country=detail_country,
        profile=profile,
        where=str(references),
    )
    errors = sorted([*errors, *place_errors], key=lambda e: e.line)
    summary = references_summary(checks)
    assumptions = _assumptions(net, checks, profile)
    if as_json:
        doc = {
            "rows": [c.to_dict() for c in checks],
            "errors": [{"line": e.line, "message": e.message} for e in errors],
            "summary": summary,
            "assumptions": assumptions,
        }
        typer.echo(json.dumps(doc, indent=1, ensure_ascii=False))
    else:
        _print(checks, summary, assumptions)
    for e in errors:
        err_console.print(f"[bold red]error:[/] {e}", highlight=False)
    if errors:
        raise typer.Exit(2)


def _z7_over(refs: list[Reference]) -> RoadNetwork:
    """The z7 tiles over the bounding box of every place the references name."""
    from ..gazetteer import find_place

    xs, ys = [], []
    for name in {n for r in refs for n in (r.origin, r.destination)}:
        try:
            p = find_place(name)
        except RoutingError:
            continue  # reported per row later
        xs.append(p.lon)
        ys.append(p.lat)
    if not xs:
        return load_network(_Z7_REGION, progress=False)
    bbox = (
        max(min(xs) - _MARGIN_DEG, -180.0),
        max(min(ys) - _MARGIN_DEG, -90.0),
        min(max(xs) + _MARGIN_DEG, 180.0),
        min(max(ys) + _MARGIN_DEG, 90.0),
    )
    return load_network(_Z7_REGION, bbox=bbox, progress=False)


def _published(c: ReferenceCheck) -> str:
    return c.reference.describe()


def _toolkit(c: ReferenceCheck) -> str:
    if c.reference.kind == "time":
        profile = c.measure.split(" ", 1)[0]
        return "no route" if c.figure is None else f"{profile} {format_hours(c.figure)}"
    road = "no route" if c.road_km is None else f"{c.road_km:,.0f}"
    text = f"road {road}\nstraight {c.straight_km:,.0f}"
    if c.detail_km is not None:
        text += f"\nz14 {c.detail_km:,.0f}"
    return text


def _band(c: ReferenceCheck) -> str:
    if c.low is None or c.high is None:
        return "-"
    if c.reference.kind == "time":
        return f"{format_hours(c.low)}-\n{format_hours(c.high)}"
    return f"{c.low:,.0f}-{c.high:,.0f} km"


def _verdict(c: ReferenceCheck) -> str:
    if c.inside is None:
        return "-"
    text = "[green]yes[/]" if c.inside else "[red]no[/]"
    return text + ("?" if not c.settled else "")


def _print(checks: list[ReferenceCheck], summary: dict[str, Any], assumptions: list[str]) -> None:
    table = Table(title="Published figures against the toolkit's (km or h)", title_justify="left")
    table.add_column("line", justify="right", no_wrap=True)
    table.add_column("from - to", overflow="fold")
    table.add_column("published", overflow="fold")
    table.add_column("toolkit", justify="right", no_wrap=True)
    table.add_column("band", justify="right", no_wrap=True)
    table.add_column("in", no_wrap=True)
    for c in checks:
        r = c.reference
        table.add_row(
            str(r.line),
            f"{r.origin} - {r.destination}",
            _published(c),
            _toolkit(c),
            _band(c),
            _verdict(c),
        )
    console.print(table)
    parts = [
        f"{k} {v['inside']}/{v['judged']}" for k, v in summary["by_kind"].items() if v["judged"]
    ]
    if not summary["judged"]:
        console.print("[bold]No row has a band[/] (the data were never calibrated)")
    else:
        console.print(
            f"[bold]Inside the band: {summary['inside']}/{summary['judged']} rows "
            f"({summary['share']:.0%})[/] ({', '.join(parts)}); unsettled (networks "
            f"disagree, marked ?): {summary['unsettled']}",
            highlight=False,
        )
    notes = [
        (c.reference.line, c.note) for c in checks if c.note and c.reference.kind != "straight"
    ]
    if notes:
        console.print("[dim]Notes:[/]")
        for line, note in notes:
            console.print(f"  line {line}: {note}", style="dim", highlight=False)
    console.print("[dim]Assumptions:[/]")
    for a in assumptions:
        console.print(f"  - {a}", style="dim", highlight=False)


def _assumptions(net: RoadNetwork, checks: list[ReferenceCheck], profile: str) -> list[str]:
    out = [f"data: {net.meta.describe()}; {net.meta.attribution}"]
    seconds = {c.check.second.source for c in checks if c.check and c.check.second}
    out += [f"cross-checked on: {s}" for s in sorted(seconds)]
    cal = calibration_for(net.meta)
    out.append(cal.describe() if cal else "no calibration for this data: road figures have no band")
    out += [
        "road figures: shortest route between the snapped road points plus both off-road legs "
        "(straight), place to place",
        "straight: geodesic on the WGS84 ellipsoid between the gazetteer's points",
        "stated: inside if anywhere from the straight-line band's low end to the road band's "
        "high end (the source does not say which it means)",
        f"time: fastest route, speed profile {profile!r}, off-road legs at the route's mean "
        f"speed; band: {TIME_QUANTILES[0]:.0%}-{TIME_QUANTILES[1]:.0%} of {TIME_DRAWS:,} Monte "
        "Carlo draws of the profile's speeds, scaled by the road band; published times are "
        "often by bus or taxi and include stops",
        "z14: full-detail OSM road km (Syria extract) where both places are in Syria; "
        "not used for the band",
        ATTRIBUTION,
    ]
    return out
