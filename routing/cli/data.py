"""``routing data ...``: inspect road-network sources, check their tiles, and their caches."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from .._osmwrite import OSM_SUFFIXES, check_output_path, osm_format
from ..exceptions import DataFormatError, InvalidArgumentError
from ..output.envelope import data_record, envelope
from ..output.paths import check_output, write_text
from ..sources import TileReport, cache_files, check_source, load_network, manifest_of, regions
from ._app import console, data_app
from ._output import AsJson, echo_json
from ._parse import parse_bbox

# --format choices (.osm.bz2 and .osm.gz are accepted by suffix when --format is left out).
EXPORT_FORMATS = tuple(s for s in OSM_SUFFIXES if s in (".osm.pbf", ".osm"))
_REGION = typer.Argument(help="Region name or data path (default: the default region).")


@data_app.command("info")
def info(
    region: Annotated[
        str | None, typer.Argument(help="Region name or data path (default: the default region).")
    ] = None,
    bbox: Annotated[
        str | None, typer.Option(help="Cut to 'west,south,east,north' (degrees).")
    ] = None,
    as_json: AsJson = False,
    refresh: Annotated[bool, typer.Option(help="Rebuild instead of using the cache.")] = False,
) -> None:
    """Source, OSM date, zoom, size per road class, connectivity, tiles and cache state.

    Exits with code 3, listing them, if tiles in the extent are bad or missing.
    """
    box = parse_bbox(bbox) if bbox else None
    query = {"region": region, "bbox": list(box) if box else None, "refresh": refresh}
    # The tiles are read first (bytes and layers, not geometry): a bad tile is listed here,
    # whether or not the network was cached before the tile went bad.
    tiles = check_source(region, bbox=box, roads=False)
    if tiles is not None and not tiles.ok:
        _report_problems("data info", query, tiles, as_json)
    net = load_network(region, bbox=box, refresh=refresh)
    summary = net.summary()
    report = {
        "region": net.meta.region,
        "source": net.meta.source,
        "path": net.meta.path,
        "osm_date": net.meta.osm_date,
        "zoom": net.meta.zoom,
        "resolution_m": net.meta.resolution_m,
        "generalized": net.meta.generalized,
        "attribution": net.meta.attribution,
        "nodes": summary.nodes,
        "edges": summary.edges,
        "km_total": round(summary.km_total, 1),
        "km_by_class": {k: round(v, 1) for k, v in summary.km_by_class.items()},
        "edges_by_class": summary.edges_by_class,
        "components": summary.components,
        "largest_component_share": round(summary.largest_component_share, 4),
        "bbox": [round(c, 4) for c in summary.bbox],
        "build_report": net.build_report,
        "places": len(net.places),
        "tiles": tiles.summary() if tiles is not None else None,
        "cache_files": [str(f) for f in cache_files(region)],
    }
    if as_json:
        echo_json(
            envelope(
                "data info",
                query=query,
                results=[report],
                assumptions=[f"data: {net.meta.describe()}"],
                data=[data_record(net.meta)],
            )
        )
        return
    table = Table(
        title=f"{net.meta.region or region or net.meta.path}: {net.meta.source}", show_lines=False
    )
    table.add_column("road class")
    table.add_column("edges", justify="right")
    table.add_column("km", justify="right")
    for cls, km in summary.km_by_class.items():
        table.add_row(cls, f"{summary.edges_by_class[cls]:,}", f"{km:,.1f}")
    table.add_row("[bold]total", f"[bold]{summary.edges:,}", f"[bold]{summary.km_total:,.1f}")
    console.print(table)
    console.print(
        f"nodes: {summary.nodes:,}; components: {summary.components:,} "
        f"({summary.largest_component_share:.1%} of km in the largest)"
    )
    console.print("bbox (W,S,E,N): " + ", ".join(f"{c:.3f}" for c in summary.bbox))
    console.print(
        "topology repair: "
        + ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in net.build_report.items())
    )
    console.print(f"place points in source: {len(net.places):,}")
    if tiles is not None:
        console.print(f"tiles: {tiles.summary()}", highlight=False)
    for file in cache_files(region):
        console.print(f"cache: {file} ({file.stat().st_size / 1e6:.1f} MB)")
    console.print(f"[dim]data: {net.meta.describe()}; {net.meta.attribution}[/]")


@data_app.command("regions")
def list_regions(as_json: AsJson = False) -> None:
    """List the region packs (shipped, and the user's in ROUTING_REGIONS_DIR)."""
    if as_json:
        packs = [r.model_dump(mode="json") for r in regions().values()]
        echo_json(envelope("data regions", query={}, results=packs, attribution=""))
        return
    table = Table(title="region packs")
    for col in ("name", "data", "bbox", "description"):
        table.add_column(col)
    for r in regions().values():
        name = f"{r.name} (default)" if r.default else r.name
        table.add_row(name, r.source.path, str(r.bbox or "whole source"), r.description)
    console.print(table)


@data_app.command("export")
def export(
    region: Annotated[str, typer.Argument(help="Region name or path to data.")],
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    fmt: Annotated[
        str, typer.Option("--format", help="osm.pbf or osm (default: from --out's suffix).")
    ] = "",
    bbox: Annotated[
        str | None, typer.Option(help="Cut to 'west,south,east,north' (degrees).")
    ] = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
    as_json: AsJson = False,
) -> None:
    """Write the road network as an OSM file (for OSRM, Valhalla, JOSM, osmnx)."""
    box = parse_bbox(bbox) if bbox else None
    if fmt:
        wanted = "." + fmt.lower().lstrip(".")
        if wanted not in EXPORT_FORMATS:
            raise InvalidArgumentError(
                f"unknown --format {fmt!r}; choose one of "
                + ", ".join(f.lstrip(".") for f in EXPORT_FORMATS)
            )
        if osm_format(out) != wanted:
            raise InvalidArgumentError(
                f"--out {out.name!r} does not end in {wanted} as --format {fmt} asks"
            )
    # Before the (possibly long) load: a bad path fails at once.
    out = check_output_path(out, overwrite=force)
    net = load_network(region, bbox=box)
    net.to_osm(out, progress=console.is_terminal and not as_json)
    if as_json:
        written = {
            "path": str(out),
            "bytes": out.stat().st_size,
            "format": osm_format(out),
            "junctions": net.n_nodes,
            "ways": net.n_edges,
            "vertices": len(net.coords),
        }
        query = {"region": region, "out": str(out), "format": fmt or None, "bbox": bbox}
        echo_json(
            envelope(
                "data export",
                query=query,
                results=[written],
                assumptions=[f"data: {net.meta.describe()}"],
                data=[data_record(net.meta)],
            )
        )
        return
    summary = f"{net.n_nodes:,} junctions, {net.n_edges:,} ways, {len(net.coords):,} vertices"
    console.print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB): {summary}")
    console.print(f"[dim]data: {net.meta.describe()}; {net.meta.attribution}[/]")


@data_app.command("check")
def check(
    region: Annotated[str | None, _REGION] = None,
    bbox: Annotated[
        str | None, typer.Option(help="Only tiles touching 'west,south,east,north' (degrees).")
    ] = None,
    manifest: Annotated[
        Path | None,
        typer.Option(help="Manifest to verify against (default: the source's own, if any)."),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Read every tile of the extent: bad, missing and gap tiles (exit 3 if bad or missing).

    Bad: zero bytes, broken gzip, not a vector tile, impossible coordinates, not as the
    manifest lists it. Missing: absent although the region's extent or the manifest promises
    it. Gaps (listed, exit 0): absent or without roads, although roads of a neighbouring tile
    run into it.
    """
    box = parse_bbox(bbox) if bbox else None
    query = {
        "region": region,
        "bbox": list(box) if box else None,
        "manifest": str(manifest) if manifest else None,
    }
    report = check_source(region, bbox=box, manifest=manifest)
    if report is None:
        note = f"{region}: not a tile source; nothing to check"
        if as_json:
            echo_json(envelope("data check", query=query, results=[], notes=[note]))
        else:
            console.print(note)
        return
    _report_problems("data check", query, report, as_json)
    if not as_json:
        console.print(f"{report.source}: {report.summary()}", highlight=False)


@data_app.command("manifest")
def manifest(
    region: Annotated[str | None, _REGION] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Where to write it (default: inside the tile folder, or beside the .mbtiles, "
            "where `data check` and every build look for it).",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", "-f", help="Replace an existing file.")] = False,
    as_json: AsJson = False,
) -> None:
    """Write the size and SHA-256 of every tile, to verify copies of the data against later."""
    made, default = manifest_of(region)
    target = check_output(output if output is not None else default, force=force)
    write_text(target, made.to_json(), force=force)
    if as_json:
        query = {"region": region, "output": str(output) if output else None, "force": force}
        written = {"path": str(target), "tiles": len(made.tiles), "source": made.source}
        echo_json(envelope("data manifest", query=query, results=[written], attribution=""))
        return
    console.print(f"wrote {target}: {len(made.tiles):,} tiles of {made.source}", highlight=False)


def _report_problems(
    command: str, query: dict[str, Any], report: TileReport, as_json: bool
) -> None:
    """List the tile problems (a table, or the JSON envelope); exit 3 if any is bad or missing."""
    if as_json:
        found = [
            {"tile": p.tile, "kind": kind, "problem": p.problem}
            for kind, problems in (("bad", report.bad), ("missing", report.missing))
            for p in problems
        ]
        gaps = [{"tile": p.tile, "kind": "gap", "problem": p.problem} for p in report.gaps]
        summary = {
            "source": str(report.source),
            "zoom": report.zoom,
            "checked": report.checked,
            "bad": len(report.bad),
            "missing": len(report.missing),
            "gaps": len(report.gaps),
            "manifest": report.manifest,
            "ok": report.ok,
        }
        echo_json(envelope(command, query=query, results=gaps, summary=summary, errors=found))
    else:
        _problem_table(report)
    _fail_on_problems(report)


def _problem_table(report: TileReport) -> None:
    found = [
        *(("bad", p) for p in report.bad),
        *(("missing", p) for p in report.missing),
        *(("gap", p) for p in report.gaps),
    ]
    if not found:
        return
    table = Table(title=f"tile problems in {report.source} (z{report.zoom})")
    for col in ("tile", "kind", "problem"):
        table.add_column(col, overflow="fold")
    for kind, p in found:
        table.add_row(p.tile, kind, p.problem)
    console.print(table)


def _fail_on_problems(report: TileReport) -> None:
    if not report.ok:
        raise DataFormatError(f"{report.source}: {report.summary()}")


__all__ = ["check", "export", "info", "list_regions", "manifest"]
