"""Calibrate the z7 and Natural Earth bands against full-detail data (issue: figures that hold up).

Run: ``python benchmarks/calibration.py [--pairs-per-bin 70] [--seed 7] [--no-write]``

Syria is the one place where generalized data (OpenMapTiles z7, Natural Earth) and
full-detail data of the same OSM (the z14 extract, 2021-08) both exist. This script

1. picks populated places (OSM ``city``/``town`` points of the z14 extract, at most a few per
   quarter-degree cell so every part of the country counts) and pairs them at random (fixed
   seed), the same number of pairs in each straight-line class 10-30, 30-60, 60-120,
   120-250 and 250-600 km;
2. cuts the z7 and Natural Earth networks to the area the z14 extract covers (the z14 data
   hold no roads beyond Syria, so a z7 route through Turkey would not be comparable);
3. measures every pair on z7, Natural Earth and z14 (the truth: road km plus the off-road
   legs, place to place), and on z14 between each coarse network's snapped road points (all
   classes: road factor; motorway/trunk/primary only: geometric shortening alone);
4. separates the error kinds: (a) road factor, (b) topology gaps (coarse/true ratio above
   1.3 or below 0.77, or no coarse route), (c) snapping (true distance minus the true road
   km between the snapped points, per km of off-road legs);
5. derives each band component from the pairs without a gap and writes them, with the flag
   thresholds and provenance, to ``routing/data/calibration/{openmaptiles,naturalearth}-z7.yaml``;
6. runs the cross-check's own flag logic (:func:`routing.analysis.crosscheck.assess`) on the
   recorded figures and prints the coverage: the share of unflagged pairs whose z14 distance
   lies inside the band (target >= 95 %), the flagged share, and every gap pair the detector
   missed; and the same share on held-out pairs (bands fitted on the other half).

The z14 network takes ~30-70 s to build the first time (cached after); a run on warm caches
takes a few minutes on two cores.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import itertools
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from pyproj import Geod

from routing.analysis.calibration import (
    AccessFactor,
    AppliesTo,
    Calibration,
    Coverage,
    DetourLimit,
    LengthClass,
    source_name,
    write_calibration,
)
from routing.analysis.crosscheck import NetworkFigure, assess, calibrated_band
from routing.analysis.routes import Location, route
from routing.exceptions import NoRouteError, OffNetworkError
from routing.network import RoadNetwork
from routing.settings import data_dir
from routing.sources import load_network
from routing.sources._vectortiles import MAJOR_CLASSES

OUT_DIR = Path(__file__).resolve().parent.parent / "routing" / "data" / "calibration"
STRAIGHT_BINS_KM = (10, 30, 60, 120, 250, 600)
LENGTH_CLASS_EDGES_KM = (30, 60, 120, 250)
# A coarse figure off the truth by more than this ratio is a topology gap (issue text).
GAP_HIGH, GAP_LOW = 1.3, 0.77
QUANTILES = (0.025, 0.975)
MIN_CLASS_PAIRS = 20
NAMES = {"z7": "openmaptiles-z7", "ne": "naturalearth-z7"}
LABELS = {"openmaptiles-z7": "z7 OSM", "naturalearth-z7": "Natural Earth"}
# z14 routes longer than this times the straight line are truth-side gaps (destroyed
# Euphrates bridges, streets the extract does not connect): left out of the fit and coverage.
TRUTH_MAX_DETOUR = 3.0
DETOUR_QUANTILE = 0.9
# Policy, not measured: flag a figure when off-road legs make up more than this share of it.
MAX_ACCESS_SHARE = 0.5
# Off-road legs shorter than this say nothing about the access factor (division by ~0).
MIN_ACCESS_KM = 1.0
# Concave hull of the z14 nodes: ratio 0.1 follows Syria's outline (area ~18 sq. degrees).
HULL_RATIO = 0.1
CELL_DEG = 0.25
_GEOD = Geod(ellps="WGS84")


@dataclass
class Fig:
    """A network's measurement of one pair (None: no route or off the network)."""

    road_km: float | None = None
    access_km: tuple[float, float] = (0.0, 0.0)
    snapped: tuple[tuple[float, float], tuple[float, float]] | None = None
    problem: str = ""

    @property
    def total_km(self) -> float | None:
        return None if self.road_km is None else self.road_km + sum(self.access_km)


@dataclass
class Pair:
    """One pair of places measured on every network."""

    a: Location
    b: Location
    straight_km: float
    truth: Fig
    coarse: dict[str, Fig] = field(default_factory=dict)
    # z14 km between each coarse network's snapped road points: all classes, major only.
    truth_between: dict[str, float | None] = field(default_factory=dict)
    major_between: dict[str, float | None] = field(default_factory=dict)


def _measure(
    a: Location | tuple[float, float], b: Location | tuple[float, float], net: RoadNetwork
) -> Fig:
    try:
        r = route(a, b, net=net)
    except (NoRouteError, OffNetworkError) as exc:
        return Fig(problem=f"{type(exc).__name__}: {exc}")
    return Fig(
        r.length_km,
        (r.snaps[0].distance_m / 1000, r.snaps[-1].distance_m / 1000),
        ((r.snaps[0].lon, r.snaps[0].lat), (r.snaps[-1].lon, r.snaps[-1].lat)),
    )


def _cut(net: RoadNetwork, area: shapely.Geometry) -> RoadNetwork:
    mid = shapely.line_interpolate_point(net.geometries, 0.5, normalized=True)
    inside = shapely.contains_xy(area, shapely.get_x(mid), shapely.get_y(mid))
    return net.subset_edges(inside)


def _places(
    truth: RoadNetwork, area: shapely.Geometry, per_cell: int, rng: np.random.Generator
) -> pd.DataFrame:
    pl = truth.places
    pl = pl[pl["kind"].isin(["city", "town"]) & (pl["name"] != "")]
    pl = pl[shapely.contains_xy(area, pl["x"].to_numpy(), pl["y"].to_numpy())]
    pl = pl.iloc[rng.permutation(len(pl))]
    cell = (
        (pl["x"] // CELL_DEG).astype(int).astype(str)
        + "/"
        + (pl["y"] // CELL_DEG).astype(int).astype(str)
    )
    return pl[cell.groupby(cell).cumcount() < per_cell].reset_index(drop=True)


def _pairs(pl: pd.DataFrame, per_bin: int, rng: np.random.Generator) -> list[tuple[int, int]]:
    x, y = pl["x"].to_numpy(), pl["y"].to_numpy()
    i, j = np.triu_indices(len(pl), 1)
    d_km = _GEOD.inv(x[i], y[i], x[j], y[j])[2] / 1000
    out: list[tuple[int, int]] = []
    for lo, hi in itertools.pairwise(STRAIGHT_BINS_KM):
        pool = np.flatnonzero((d_km >= lo) & (d_km < hi))
        pick = rng.choice(pool, size=min(per_bin, len(pool)), replace=False)
        out += [(int(i[k]), int(j[k])) for k in pick]
    return out


def _pair_from_dict(d: dict[str, Any]) -> Pair:
    def fig(f: dict[str, Any]) -> Fig:
        ends = f["snapped"]
        snapped = None if ends is None else ((ends[0][0], ends[0][1]), (ends[1][0], ends[1][1]))
        return Fig(f["road_km"], (f["access_km"][0], f["access_km"][1]), snapped, f["problem"])

    return Pair(
        Location(**d["a"]),
        Location(**d["b"]),
        d["straight_km"],
        fig(d["truth"]),
        {k: fig(v) for k, v in d["coarse"].items()},
        d["truth_between"],
        d["major_between"],
    )


def measure(args: argparse.Namespace) -> tuple[list[Pair], dict[str, RoadNetwork], RoadNetwork]:
    t0 = time.perf_counter()
    truth = load_network("syria", progress=False)
    major = load_network("syria", classes=MAJOR_CLASSES, progress=False)
    area = shapely.concave_hull(
        shapely.multipoints(truth.nodes[["x", "y"]].to_numpy()), ratio=HULL_RATIO
    )
    w, s, e, n = area.bounds
    z7 = load_network(
        data_dir() / "openmaptiles-planet-z7",
        bbox=(w, s, e, n),
        classes=MAJOR_CLASSES,
        progress=False,
    )
    ne = load_network("naturalearth", progress=False)
    coarse = {"z7": _cut(z7, area), "ne": _cut(ne, area)}
    print(
        f"networks loaded in {time.perf_counter() - t0:.0f} s; z7, Natural Earth cut to z14's area"
    )
    rng = np.random.default_rng(args.seed)
    pl = _places(truth, area, args.per_cell, rng)
    chosen = _pairs(pl, args.pairs_per_bin, rng)
    if args.measurements and Path(args.measurements).exists():
        pairs = [_pair_from_dict(d) for d in json.loads(Path(args.measurements).read_text())]
        print(f"{len(pairs)} measured pairs read from {args.measurements}")
        return pairs, coarse, truth
    print(f"{len(pl)} places, {len(chosen)} pairs; routing each on 7 networks/point sets")
    pairs = []
    t0 = time.perf_counter()
    for k, (i, j) in enumerate(chosen):
        a, b = (
            Location(str(pl["name"][m]), float(pl["x"][m]), float(pl["y"][m]), "z14 place")
            for m in (i, j)
        )
        p = Pair(a, b, _GEOD.inv(a.lon, a.lat, b.lon, b.lat)[2] / 1000, _measure(a, b, truth))
        for name, net in coarse.items():
            fig = p.coarse[name] = _measure(a, b, net)
            if fig.snapped is not None:
                p.truth_between[name] = _measure(*fig.snapped, truth).road_km
                p.major_between[name] = _measure(*fig.snapped, major).road_km
        pairs.append(p)
        if (k + 1) % 50 == 0:
            print(f"  {k + 1} pairs routed ({time.perf_counter() - t0:.0f} s)", flush=True)
    print(f"routed {len(pairs)} pairs x 7 routes in {time.perf_counter() - t0:.0f} s")
    if args.measurements:
        Path(args.measurements).write_text(json.dumps([dataclasses.asdict(p) for p in pairs]))
    return pairs, coarse, truth


# ------------------------------------------------------------------ derivation
def _frame(pairs: list[Pair], name: str) -> pd.DataFrame:
    """One row per pair with a usable truth: the coarse network ``name`` against z14."""
    rows = [
        {
            "a": p.a.name,
            "b": p.b.name,
            "straight": p.straight_km,
            "truth": p.truth.total_km,
            "road": p.coarse[name].road_km,
            "access": sum(p.coarse[name].access_km),
            "total": p.coarse[name].total_km,
            "between": p.truth_between.get(name),
            "major": p.major_between.get(name),
        }
        for p in pairs
        if _usable(p)
    ]
    df = pd.DataFrame(rows).astype({c: float for c in ("road", "total", "between", "major")})
    df["ratio"] = df["total"] / df["truth"]
    df["gap"] = df["total"].isna() | (df["ratio"] > GAP_HIGH) | (df["ratio"] < GAP_LOW)
    # (a) z14 over coarse road km between the same road points; geometric shortening alone
    # where the major roads suffice (major-only z14 route within the gap ratio of the
    # all-class one). (c) what the off-road legs really add, per km of straight leg.
    df["k"] = df["between"] / df["road"]
    df["g"] = (df["major"] / df["road"]).where(df["major"] <= GAP_HIGH * df["between"])
    df["alpha"] = (df["truth"] - df["between"]) / df["access"]
    return df


def _usable(p: Pair) -> bool:
    t = p.truth.total_km
    return t is not None and t <= TRUTH_MAX_DETOUR * p.straight_km


def _classes(values: pd.Series, by: pd.Series) -> tuple[LengthClass, ...]:
    """Quantiles of ``values`` per class of ``by`` (km); classes under 20 pairs are merged."""
    ok = values.notna() & by.notna()
    bounds = (0.0, *LENGTH_CLASS_EDGES_KM, float(by[ok].max()))
    out, since = [], 0.0
    for hi in bounds[1:]:
        sel = values[ok & (by > since) & (by <= hi)]
        if len(sel) < MIN_CLASS_PAIRS and hi != bounds[-1]:
            continue  # too few pairs for quantiles: merge into the next class
        if len(sel):
            low, med, high = (float(v) for v in sel.quantile([QUANTILES[0], 0.5, QUANTILES[1]]))
            out.append(
                LengthClass(
                    max_km=round(hi, 1),
                    low=round(low, 4),
                    high=round(high, 4),
                    median=round(med, 4),
                    pairs=len(sel),
                )
            )
            since = hi
    return tuple(out)


def derive(
    df: pd.DataFrame,
    truth: pd.DataFrame,
    name: str,
    net: RoadNetwork,
    measured: dict[str, str],
    detour_q: float,
) -> Calibration:
    """Band components of one coarse network from its pairs without a gap."""
    fit = df[~df["gap"]]
    acc = fit.loc[fit["access"] >= MIN_ACCESS_KM, "alpha"].dropna()
    a_lo, a_med, a_hi = (float(v) for v in acc.quantile([QUANTILES[0], 0.5, QUANTILES[1]]))
    detour = truth["truth"] / truth["straight"]
    limits = []
    for lo, hi in itertools.pairwise(STRAIGHT_BINS_KM):
        sel = detour[(truth["straight"] >= lo) & (truth["straight"] < hi)]
        limits.append(
            DetourLimit(
                max_km=hi,
                detour=round(float(sel.quantile(detour_q)), 3),
                quantile=detour_q,
                pairs=len(sel),
            )
        )
    source = source_name(net.meta)
    return Calibration(
        name=name,
        label=LABELS[name],
        description=(
            f"{source} at zoom {net.meta.zoom}: error bands measured against full-detail OSM "
            "(z14) in Syria"
        ),
        applies_to=AppliesTo(source=source, zoom=net.meta.zoom),
        quantiles=QUANTILES,
        road_factor=_classes(fit["k"], fit["road"]),
        geometric=_classes(fit["g"], fit["road"]),
        access=AccessFactor(
            low=round(a_lo, 3), median=round(a_med, 3), high=round(a_hi, 3), pairs=len(acc)
        ),
        detour_limits=tuple(limits),
        max_access_share=MAX_ACCESS_SHARE,
        measured={**measured, "data": net.meta.describe()},
        coverage=Coverage(
            pairs=0,
            flagged=0,
            unflagged_inside=0,
            gaps=0,
            gaps_flagged=0,
            flagged_inside=0,
            held_out_inside_share=0.0,
        ),
    )


def _figure(p: Pair, key: str, cal: Calibration) -> NetworkFigure:
    f = p.coarse[key]
    band = None
    if f.road_km is not None:
        band = calibrated_band(cal, f.road_km, f.access_km, p.straight_km)
    return NetworkFigure(cal.label, "", f.road_km, f.access_km, band, f.problem)


def evaluate(pairs: list[Pair], key: str, cals: dict[str, Calibration]) -> pd.DataFrame:
    """Flags and bands exactly as the cross-check raises them, against the z14 truth."""
    other = "ne" if key == "z7" else "z7"
    rows = []
    for p in filter(_usable, pairs):
        truth = p.truth.total_km or 0.0
        fig = _figure(p, key, cals[key])
        check = assess(p.a, p.b, p.straight_km, fig, _figure(p, other, cals[other]), cals[key])
        ratio = np.nan if fig.total_km is None else fig.total_km / truth
        rows.append(
            {
                "a": p.a.name,
                "b": p.b.name,
                "straight": p.straight_km,
                "truth": truth,
                "figure": fig.total_km,
                "ratio": ratio,
                "gap": fig.total_km is None or not GAP_LOW <= ratio <= GAP_HIGH,
                "flags": ",".join(sorted({fl.kind for fl in check.flags})),
                "inside": check.band is not None and check.band.contains(truth),
                "low": np.nan if check.band is None else check.band.low_km,
                "high": np.nan if check.band is None else check.band.high_km,
            }
        )
    df = pd.DataFrame(rows)
    df["flagged"] = df["flags"] != ""
    return df


def _coverage(ev: pd.DataFrame, held_out: float) -> Coverage:
    return Coverage(
        pairs=len(ev),
        flagged=int(ev["flagged"].sum()),
        unflagged_inside=int((~ev["flagged"] & ev["inside"]).sum()),
        gaps=int(ev["gap"].sum()),
        gaps_flagged=int((ev["gap"] & ev["flagged"]).sum()),
        flagged_inside=int((ev["flagged"] & ev["inside"]).sum()),
        held_out_inside_share=round(held_out, 4),
    )


def _fit(
    pairs: list[Pair], nets: dict[str, RoadNetwork], measured: dict[str, str], detour_q: float
) -> dict[str, Calibration]:
    frames = {k: _frame(pairs, k) for k in nets}
    # Plausible detours come from the truth alone: the same for both networks.
    return {k: derive(frames[k], frames["z7"], NAMES[k], nets[k], measured, detour_q) for k in nets}


def calibrate(
    pairs: list[Pair], nets: dict[str, RoadNetwork], measured: dict[str, str], detour_q: float
) -> dict[str, tuple[Calibration, pd.DataFrame]]:
    """Fit on every pair; coverage in-sample and two-fold held out."""
    full = _fit(pairs, nets, measured, detour_q)
    order = np.random.default_rng(0).permutation(len(pairs))
    halves = [[pairs[i] for i in order[::2]], [pairs[i] for i in order[1::2]]]
    held: dict[str, list[pd.DataFrame]] = {k: [] for k in nets}
    for train, test in (halves, halves[::-1]):
        cals = _fit(train, nets, measured, detour_q)
        for k in nets:
            held[k].append(evaluate(test, k, cals))
    out = {}
    for k in nets:
        ev = evaluate(pairs, k, full)
        h = pd.concat(held[k])
        share = float((h["inside"] & ~h["flagged"]).sum() / max(int((~h["flagged"]).sum()), 1))
        out[k] = (full[k].model_copy(update={"coverage": _coverage(ev, share)}), ev)
    return out


# ------------------------------------------------------------------ report
def report(cal: Calibration, ev: pd.DataFrame) -> None:
    cov = cal.coverage
    print(f"\n=== {cal.label} ({cal.name}.yaml): {cov.pairs} pairs with a usable z14 route ===")
    print("(a) road factor: z14 km / coarse km between the same road points, by coarse km")
    for rc, gc in zip(cal.road_factor, cal.geometric, strict=False):
        print(
            f"    <= {rc.max_km:4.0f} km: x{rc.low:.3f}-x{rc.high:.3f} "
            f"(median x{rc.median:.3f}, {rc.pairs} pairs); geometric alone "
            f"x{gc.low:.3f}-x{gc.high:.3f} (median x{gc.median:.3f})"
        )
    a = cal.access
    print(
        f"(c) snapping: true minus road km = off-road km x{a.low:.2f}..x{a.high:.2f} "
        f"(median x{a.median:.2f}; {a.pairs} pairs with >= {MIN_ACCESS_KM:g} km off-road)"
    )
    limits = ", ".join(f"<= {d.max_km:g} km x{d.detour:.2f}" for d in cal.detour_limits)
    print(f"(b) topology: plausible detour ({cal.detour_limits[0].quantile:.0%} of z14): {limits}")
    print(
        f"    gaps (ratio above {GAP_HIGH} or below {GAP_LOW}, or no route): {cov.gaps} "
        f"({cov.gaps / cov.pairs:.0%}); flagged: {cov.gaps_flagged}"
    )
    print(
        f"COVERAGE: {cov.unflagged_inside}/{cov.unflagged} unflagged pairs have their z14 "
        f"distance inside the band = {cov.inside_share:.1%} (held out: "
        f"{cov.held_out_inside_share:.1%}); target >= 95 %"
    )
    print(
        f"FLAGGED: {cov.flagged}/{cov.pairs} = {cov.flagged_share:.0%}; z14 inside the "
        f"widened band of flagged pairs: {cov.flagged_inside}/{cov.flagged}"
    )
    kinds = ev.loc[ev["flagged"], "flags"].str.split(",").explode().value_counts()
    print("    flags raised: " + ", ".join(f"{k} {v}" for k, v in kinds.items()))
    missed = ev[ev["gap"] & ~ev["flagged"]]
    print(f"gap pairs not flagged: {len(missed)}")
    for r in missed.itertuples():
        print(
            f"    {r.a} - {r.b}: straight {r.straight:.0f} km, {cal.label} {r.figure:.0f} km, "
            f"z14 {r.truth:.0f} km (ratio {r.ratio:.2f})"
        )
    outside = ev[~ev["flagged"] & ~ev["inside"]]
    print(f"unflagged pairs outside the band: {len(outside)}")
    for r in outside.itertuples():
        print(f"    {r.a} - {r.b}: z14 {r.truth:.0f} km, band {r.low:.0f}-{r.high:.0f} km")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--pairs-per-bin", type=int, default=70, help="pairs per distance class")
    parser.add_argument("--per-cell", type=int, default=5, help="places per quarter degree")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--detour-quantile", type=float, default=DETOUR_QUANTILE)
    parser.add_argument("--no-write", action="store_true", help="print only, write no file")
    parser.add_argument(
        "--measurements", help="JSON file: read measured pairs if it exists, else write them"
    )
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    t0 = time.perf_counter()
    pairs, nets, truth = measure(args)
    doubtful = [p for p in pairs if not _usable(p)]
    print(
        f"left out: {len(doubtful)} pairs without a usable z14 truth (no route, or over "
        f"x{TRUTH_MAX_DETOUR:g} the straight line: destroyed bridges, unconnected streets)"
    )
    for p in doubtful:
        t, z7 = p.truth.total_km, p.coarse["z7"].total_km
        t_text = "none" if t is None else f"{t:.0f} km"
        z7_text = "none" if z7 is None else f"{z7:.0f} km"
        ends = f"{p.a.name} - {p.b.name}"
        print(f"    {ends}: straight {p.straight_km:.0f} km, z14 {t_text}, z7 {z7_text}")
    measured = {
        "date": dt.date.today().isoformat(),
        "command": " ".join(["python benchmarks/calibration.py", *sys.argv[1:]]),
        "seed": str(args.seed),
        "pairs": str(len(pairs)),
        "places": f"OSM city/town points of the z14 extract, <= {args.per_cell} per "
        f"{CELL_DEG} degree cell",
        "pairing": f"{args.pairs_per_bin} random pairs per straight-line class "
        + "/".join(map(str, STRAIGHT_BINS_KM))
        + " km",
        "where": "Syria",
        "truth_label": "z14 OSM",
        "truth": truth.meta.describe(),
    }
    for cal, ev in calibrate(pairs, nets, measured, args.detour_quantile).values():
        report(cal, ev)
        if not args.no_write:
            header = f"{cal.description}.\nWritten by benchmarks/calibration.py; do not edit."
            print(f"written: {write_calibration(cal, OUT_DIR / f'{cal.name}.yaml', header)}")
    print(f"\ntotal {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
