"""CLI command ``routing validate REFERENCES``: the toolkit's figures against published ones.

Per row: the published figure, the toolkit's road and straight-line figures (and, where the
region pack names full-detail data for part of the region, that data's road figure), the band,
and whether the published figure lies inside; then a summary share, the notes (flags,
unsettled rows) and the assumptions.
Malformed rows and unknown places are listed with their line numbers on stderr after
everything else; the exit code is then 2 (0 if every row was well-formed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.table import Table

from .._format import format_hours
from ..analysis.calibration import calibration_for
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
from ..output.envelope import data_record, envelope
from ..output.report import ATTRIBUTION
from ..sources import RegionPack, default_region, get_region, load_network
from ._app import app, console, err_console
from ._output import AsCsv, AsJson, echo_csv, echo_json, one_format

__all__ = ["validate"]

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
            help="Region pack whose data measure the rows, cut to the references' extent "
            "(default: the default region).",
        ),
    ] = None,
    cross_check: Annotated[
        bool, typer.Option(help="Cross-check on the pack's independent network.")
    ] = True,
    detail: Annotated[
        bool, typer.Option(help="Add the pack's full-detail figure where it covers a pair.")
    ] = True,
    profile: Annotated[str, typer.Option("--profile", "-p", help="Profile for time rows.")] = "car",
    as_json: AsJson = False,
    as_csv: AsCsv = False,
) -> None:
    """Check published distances and times against the toolkit's figures and bands."""
    one_format(as_json, as_csv)
    refs, errors = read_references(references)
    pack = get_region(region) if region else default_region()
    net = _over(pack.name, refs)
    second = _over(pack.crosscheck, refs) if cross_check and pack.crosscheck else None
    fine = get_region(pack.detail.region) if detail and pack.detail else None
    fine_net = load_network(fine.name, progress=False) if fine else None
    checks, place_errors = check_references(
        refs,
        net,
        second=second,
        detail=fine_net,
        detail_country=pack.detail.country if fine and pack.detail else None,
        profile=profile,
        where=str(references),
    )
    errors = sorted([*errors, *place_errors], key=lambda e: e.line)
    summary = references_summary(checks)
    assumptions = _assumptions(net, checks, profile, fine)
    if as_json:
        used = [(net, "roads"), (second, "cross-check"), (fine_net, "detail")]
        query = {
            "references": str(references),
            "region": pack.name,
            "cross_check": cross_check,
            "detail": detail,
            "profile": profile,
        }
        echo_json(
            envelope(
                "validate",
                query=query,
                results=[c.to_dict() for c in checks],
                summary=summary,
                errors=[{"line": e.line, "message": e.message} for e in errors],
                assumptions=assumptions,
                data=[data_record(n.meta, role) for n, role in used if n is not None],
            )
        )
    elif as_csv:
        echo_csv(_rows_frame(checks), assumptions)
    else:
        _print(checks, summary, assumptions)
    for e in errors:
        err_console.print(f"[bold red]error:[/] {e}", highlight=False)
    if errors:
        raise typer.Exit(2)


def _over(region: str, refs: list[Reference]) -> RoadNetwork:
    """A region's data cut to the bounding box of every place the references name."""
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
        return load_network(region, progress=False)
    bbox = (
        max(min(xs) - _MARGIN_DEG, -180.0),
        max(min(ys) - _MARGIN_DEG, -90.0),
        min(max(xs) + _MARGIN_DEG, 180.0),
        min(max(ys) + _MARGIN_DEG, 90.0),
    )
    return load_network(region, bbox=bbox, progress=False)


def _rows_frame(checks: list[ReferenceCheck]) -> pd.DataFrame:
    """One flat row per reference: the published figure beside the toolkit's."""
    rows = []
    for c in checks:
        d = c.to_dict()
        published = d.pop("published")
        band = d.pop("band") or [None, None]
        d.pop("cross_check")
        rows.append(
            {
                "line": d.pop("line"),
                "from": d.pop("from"),
                "to": d.pop("to"),
                **{f"published_{k}": v for k, v in published.items()},
                **d,
                "band_low": band[0],
                "band_high": band[1],
            }
        )
    return pd.DataFrame(rows)


def _published(c: ReferenceCheck) -> str:
    return c.reference.describe()


def _toolkit(c: ReferenceCheck) -> str:
    if c.reference.kind == "time":
        profile = c.measure.split(" ", 1)[0]
        return "no route" if c.figure is None else f"{profile} {format_hours(c.figure)}"
    road = "no route" if c.road_km is None else f"{c.road_km:,.0f}"
    text = f"road {road}\nstraight {c.straight_km:,.0f}"
    if c.detail_km is not None:
        text += f"\ndetail {c.detail_km:,.0f}"
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


def _assumptions(
    net: RoadNetwork, checks: list[ReferenceCheck], profile: str, detail: RegionPack | None
) -> list[str]:
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
        ATTRIBUTION,
    ]
    if detail is not None:
        out.insert(-1, f"detail: road km on {detail.description} where it covers both places; "
                   "not used for the band")  # fmt: skip
    return out
