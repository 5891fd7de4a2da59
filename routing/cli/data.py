"""``routing data ...``: inspect road-network sources and their caches."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from .._osmwrite import OSM_SUFFIXES, check_output_path, osm_format
from ..exceptions import InvalidArgumentError
from ..sources import cache_files, load_network, regions
from ._app import console, data_app
from ._parse import parse_bbox

# --format choices (.osm.bz2 and .osm.gz are accepted by suffix when --format is left out).
EXPORT_FORMATS = tuple(s for s in OSM_SUFFIXES if s in (".osm.pbf", ".osm"))


@data_app.command("info")
def info(
    region: Annotated[
        str | None, typer.Argument(help="Region name or data path (default: the default region).")
    ] = None,
    bbox: Annotated[
        str | None, typer.Option(help="Cut to 'west,south,east,north' (degrees).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    refresh: Annotated[bool, typer.Option(help="Rebuild instead of using the cache.")] = False,
) -> None:
    """Source, OSM date, zoom, size per road class, connectivity and cache state."""
    box = parse_bbox(bbox) if bbox else None
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
        "cache_files": [str(f) for f in cache_files(region)],
    }
    if as_json:
        console.print_json(json.dumps(report))
        return
    table = Table(title=f"{region}: {net.meta.source}", show_lines=False)
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
    for file in cache_files(region):
        console.print(f"cache: {file} ({file.stat().st_size / 1e6:.1f} MB)")
    console.print(f"[dim]data: {net.meta.describe()}; {net.meta.attribution}[/]")


@data_app.command("regions")
def list_regions() -> None:
    """List the region packs (shipped, and the user's in ROUTING_REGIONS_DIR)."""
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
    net.to_osm(out, progress=console.is_terminal)
    summary = f"{net.n_nodes:,} junctions, {net.n_edges:,} ways, {len(net.coords):,} vertices"
    console.print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB): {summary}")
    console.print(f"[dim]data: {net.meta.describe()}; {net.meta.attribution}[/]")


__all__ = ["export", "info", "list_regions"]
