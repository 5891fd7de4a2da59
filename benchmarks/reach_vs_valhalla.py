"""Reach areas against Valhalla's isochrones on the same roads.

Run: ``python benchmarks/reach_vs_valhalla.py [--region western-iraq] [--point LON,LAT]
[--hours 1,2,4] [--km 100,200,400]``

The network is exported with ``RoadNetwork.to_osm`` and Valhalla's tiles are built from that
file (as ``benchmarks/peers.py`` does, in the peers' Python >= 3.12 environment under
``data/osm_cache/peers-venv``), so both work on the same roads. For each band the script prints
the geodesic area of Valhalla's polygon (``auto`` costing, its own speeds), of the toolkit's
reachable area (``area="reachable"``: roads plus off-road legs at the profile's access speed,
at most ``max_snap_m``) and of the older buffered-roads corridor (``area="roads"``), their
ratios, and how much of Valhalla's polygon the toolkit's covers. Time bands differ by the
speed models as well as the polygon method; distance bands (Valhalla's ``distance`` contours)
compare the polygon method alone. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape

sys.path.insert(0, str(Path(__file__).resolve().parent))
from peers import (
    ISO_POINTS,
    PeerSetupError,
    ensure_peer_venv,
    find_peer_python,
    machine_load,
    run_worker,
)

from routing._geo import GEOD
from routing.analysis.reach import reach
from routing.settings import cache_dir
from routing.sources import load_network


def _km2(geom: shapely.Geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def valhalla_polygons(geojson: dict[str, Any]) -> dict[float, shapely.Geometry]:
    """Valhalla's polygons by contour value (minutes or km)."""
    out: dict[float, shapely.Geometry] = {}
    for feature in geojson["features"]:
        geom = shape(feature["geometry"])
        if geom.geom_type in ("Polygon", "MultiPolygon"):
            out[float(feature["properties"]["contour"])] = shapely.make_valid(geom)
    return out


def compare(
    net: Any,
    point: tuple[float, float],
    unit: str,
    limits: list[float],
    peer: dict[float, Any],
    png: Path | None = None,
) -> None:
    kwargs = {"hours": limits} if unit == "h" else {"km": limits}
    mine = reach(point, net=net, **kwargs)  # type: ignore[arg-type]
    roads = reach(point, net=net, area="roads", **kwargs)  # type: ignore[arg-type]
    print(
        f"{'band':>8} {'Valhalla km2':>13} {'reachable km2':>14} {'ratio':>6} "
        f"{'roads km2':>10} {'ratio':>6} {'Valhalla inside reachable':>26}"
    )
    for limit, geom, corridor in zip(
        limits, mine.bands.geometry, roads.bands.geometry, strict=True
    ):
        theirs = peer.get(limit * 60 if unit == "h" else limit)
        if theirs is None:
            print(f"{limit:>6g} {unit}: Valhalla returned no polygon")
            continue
        v, r, c = _km2(theirs), _km2(geom), _km2(corridor)
        inside = _km2(shapely.intersection(theirs, geom)) / v if v else float("nan")
        print(
            f"{limit:>6g} {unit} {v:>13,.0f} {r:>14,.0f} {r / v:>6.2f} {c:>10,.0f} {c / v:>6.2f} "
            f"{inside:>25.0%}"
        )
    if png is not None:
        draw(mine, roads, peer, unit, png)


def draw(mine: Any, roads: Any, peer: dict[float, Any], unit: str, png: Path) -> None:
    """The largest band three ways on one map: reachable area, roads corridor, Valhalla."""
    import geopandas as gpd
    import matplotlib.pyplot as plt

    limit = mine.limits[-1]
    fig, ax = plt.subplots(figsize=(9, 8))
    gpd.GeoSeries([mine.bands.geometry.iloc[-1]]).plot(ax=ax, color="#f4a582", alpha=0.6)
    gpd.GeoSeries([roads.bands.geometry.iloc[-1]]).plot(ax=ax, color="#92c5de", alpha=0.7)
    theirs = peer.get(limit * 60 if unit == "h" else limit)
    if theirs is not None:
        gpd.GeoSeries([theirs]).plot(ax=ax, facecolor="none", edgecolor="black", lw=0.8)
    mine.net.edges_gdf().plot(ax=ax, color="grey", lw=0.3)
    ax.set_xlim(*mine.bands.total_bounds[[0, 2]])
    ax.set_ylim(*mine.bands.total_bounds[[1, 3]])
    ax.set_title(
        f"within {limit:g} {unit}: reachable area (orange), roads +{roads.buffer_km:g} km "
        "(blue), Valhalla (black outline)",
        fontsize=9,
    )
    ax.text(0.01, 0.01, mine.net.meta.attribution, transform=ax.transAxes, fontsize=7)
    fig.savefig(png, dpi=110, bbox_inches="tight")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--region", default="western-iraq")
    p.add_argument("--point", help="origin 'lon,lat' (default: benchmarks/peers.py's)")
    p.add_argument("--hours", default="1,2,4")
    p.add_argument("--km", default="100,200,400")
    p.add_argument("--venv", default=str(cache_dir() / "peers-venv"))
    p.add_argument("--timeout", type=float, default=1800.0)
    p.add_argument("--png", help="draw the largest bands to PNG files with this prefix")
    args = p.parse_args(argv)
    point = (
        tuple(float(c) for c in args.point.split(","))
        if args.point
        else ISO_POINTS.get(args.region, ISO_POINTS["western-iraq"])
    )
    hours = [float(x) for x in args.hours.split(",")]
    km = [float(x) for x in args.km.split(",")]
    print(f"machine: {json.dumps(machine_load())}")
    net = load_network(args.region, progress=False)
    print(f"network: {net}\norigin: {point}")
    work = cache_dir() / "peers" / args.region
    work.mkdir(parents=True, exist_ok=True)
    pbf = work / f"{args.region}.osm.pbf"
    if not pbf.exists():
        net.to_osm(pbf)
    python = find_peer_python()
    if python is None:
        print("Valhalla: n/a - no Python >= 3.12 found")
        return 1
    try:
        exe = ensure_peer_venv(Path(args.venv), python, args.timeout)
    except PeerSetupError as exc:
        print(f"Valhalla: n/a - {exc}")
        return 1
    config = work / "valhalla" / "valhalla.json"
    if not config.exists():
        build = run_worker(
            exe,
            {"task": "valhalla_build", "pbf": str(pbf), "dir": str(work / "valhalla")},
            work,
            args.timeout,
        )
        if not build.get("ok"):
            print(f"Valhalla tile build failed: {build.get('error')}")
            return 1
    # Distance contours above 200 km need a larger limit than tiles built earlier set.
    settings = json.loads(config.read_text())
    iso_limits = settings["service_limits"]["isochrone"]
    if iso_limits.get("max_distance_contour", 0) < max(km):
        iso_limits["max_distance_contour"] = max(km)
        config.write_text(json.dumps(settings, indent=1))
    for unit, limits, contours in (
        ("h", hours, [{"time": h * 60} for h in hours]),
        ("km", km, [{"distance": k} for k in km]),
    ):
        job = {"task": "valhalla_isochrone", "config": str(config), "point": list(point)}
        answer = run_worker(exe, {**job, "contours": contours}, work, args.timeout)
        print(f"\n{'time' if unit == 'h' else 'road distance'} bands ({unit}):")
        if not answer.get("ok"):
            print(f"Valhalla isochrone failed: {answer.get('error')}")
            continue
        png = Path(f"{args.png}-{unit}.png") if args.png else None
        compare(net, point, unit, limits, valhalla_polygons(answer["geojson"]), png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
