"""Compare the toolkit with OSRM and Valhalla on the same road graph.

Run: ``python benchmarks/peers.py [--region syria] [--pairs 200] [--json]``
(``--region western-iraq`` for a quick run). The network is exported with
``RoadNetwork.to_osm`` to ``.osm.pbf``, and OSRM and Valhalla are built from that file, so all
three route on the same roads. Nothing is asserted: timings depend on the machine.

The peers come from PyPI wheels (``osrm-bindings``, ``pyvalhalla``) that need Python >= 3.12:
the script finds such an interpreter (``--python``, ``python3.1x`` on PATH, pyenv versions,
``/usr/bin``), creates a virtual environment for them once (``--venv``, default
``data/osm_cache/peers-venv``) and runs every peer measurement in a subprocess of that
environment (``benchmarks/_peer_worker.py``, JSON job in, JSON result out). Both peers are
queried in-process through their Python bindings: no server is started and no port is used.
Builds live under ``--workdir`` (default ``data/osm_cache/peers/REGION``), never in git.

* **OSRM** gets a small Lua profile written at run time: every highway class of the export
  routable at the toolkit's ``car`` speeds (for durations), and ``weight_name = 'distance'``
  so routes are *shortest*, like the toolkit's ``optimize="distance"``; no turn costs.
  ``osrm-extract``, then ``osrm-partition`` + ``osrm-customize`` (MLD) and ``osrm-contract``
  (CH) on the same dataset.
* **Valhalla** builds tiles with ``valhalla_build_tiles`` and a config from
  ``valhalla.get_config``; it routes with its own ``auto`` costing (its own speeds); the
  length comparison uses ``shortest`` with ``disable_hierarchy_pruning``.

Rows: (1) preprocessing time and peak memory, (2) route latency between two coordinates with
snapping, (3) a 1000 x 1000 table (Valhalla 100 x 100: its matrix is far slower), a 1000 x
1000 node table, a new speed profile (a sampled ``convoy``) with 1000 queries (OSRM: its MLD
re-customization, or a new CH contraction), (4) the 4-hour one-to-all search with its tree
against networkx's ``single_source_dijkstra_path_length`` on the same arcs, and a 4-hour
isochrone (toolkit ``reach`` vs Valhalla), (5) agreement of shortest-route lengths with OSRM
and Valhalla between random edge midpoints of the largest strongly connected component, each
point snapped to its nearest road by all three.

Known length differences (not bugs of the export): the toolkit measures on the WGS84 ellipsoid,
as OSRM's "cheap ruler" does (they agree to a few thousandths of a percent); Valhalla uses a
sphere of 6,378,137 m (+0.11 % to +0.3 % against the ellipsoid at these latitudes). Without
pruning disabled Valhalla's shortest routes skip minor roads far from both ends. ``route()``
starts a point lying on a road (within 10 m) on that road, and otherwise lets nearby roads
compete on road plus three times the off-road metres, so a point off the road may join
another road than the nearest; its row compares the road length only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _peer_worker import latency_stats_ms, one_line, run_measured, write_result

from routing.api import matrix, reach, route
from routing.engine import get_engine
from routing.engine.profiles import get_profile
from routing.engine.snapping import snap_candidates
from routing.network import RoadNetwork
from routing.settings import cache_dir
from routing.sources import load_network

WORKER = Path(__file__).resolve().with_name("_peer_worker.py")
PEER_PACKAGES = ("osrm-bindings", "pyvalhalla")
MIN_PEER_PYTHON = (3, 12)
ISO_HOURS = 4.0
# Isochrone origins per region (lon, lat); other regions use the network's centre road.
ISO_POINTS = {"syria": (40.141, 35.336), "western-iraq": (43.305, 33.42), "iraq": (44.36, 33.31)}
JITTER_DEG = 0.01  # route/table points lie up to ~1 km off a road of the main component
ENGINE_TABLE_NODES = 1000  # node-to-node table (no snapping)
NEW_PROFILE = "convoy"  # sampled for the "new speed profile + 1000 queries" row
ONE_TO_ALL_SOURCES = 5  # random sources of the one-to-all comparison with networkx

Row = dict[str, Any]


class PeerSetupError(RuntimeError):
    """No usable Python or virtual environment for the peers."""


# --------------------------------------------------------------------------- machine
def machine_load() -> dict[str, Any]:
    """1/5/15-minute load averages and the CPUs this process may use."""
    one, five, fifteen = os.getloadavg()
    return {
        "loadavg": [round(one, 2), round(five, 2), round(fifteen, 2)],
        "nproc": len(os.sched_getaffinity(0)),
    }


def _load_line(when: str, load: dict[str, Any]) -> str:
    avg = ", ".join(f"{x:.2f}" for x in load["loadavg"])
    return f"machine load at {when}: {avg} (1/5/15 min), nproc {load['nproc']}"


# --------------------------------------------------------------------------- peer python
def _python_version(exe: str | Path) -> tuple[int, int] | None:
    try:
        out = subprocess.run(
            [str(exe), "-c", "import sys; print(*sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout.split()
        return int(out[0]), int(out[1])
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        return None


def python_candidates(explicit: str | None = None) -> list[Path]:
    """Interpreters that may be Python >= 3.12: explicit, PATH, pyenv versions, /usr."""
    names = [f"python3.{minor}" for minor in range(20, MIN_PEER_PYTHON[1] - 1, -1)]
    found: list[Path] = [Path(explicit)] if explicit else []
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    versions = sorted(
        (pyenv_root / "versions").glob("3.*"),
        key=lambda p: [int(x) for x in re.findall(r"\d+", p.name)[:3]],
        reverse=True,
    )
    found += [v / "bin" / "python3" for v in versions]
    for name in names:
        if exe := shutil.which(name):
            found.append(Path(exe))
        found += [Path(d) / name for d in ("/usr/local/bin", "/usr/bin")]
    unique: list[Path] = []
    for path in found:
        if path.exists() and path not in unique:
            unique.append(path)
    return unique


def find_peer_python(explicit: str | None = None) -> Path | None:
    """The first interpreter found that runs and is Python >= 3.12."""
    for exe in python_candidates(explicit):
        got = _python_version(exe)
        if got is not None and got >= MIN_PEER_PYTHON:
            return exe
    return None


def ensure_peer_venv(venv: Path, python: Path, timeout_s: float) -> Path:
    """A venv with the peers installed (created and pip-installed once); its interpreter.

    Raises
    ------
    PeerSetupError
        venv creation or pip failed (the message names the log).
    """
    exe = venv / "bin" / "python"
    marker = venv / "peers-installed.json"
    if marker.exists() and exe.exists():
        return exe
    venv.parent.mkdir(parents=True, exist_ok=True)
    log = venv.parent / f"{venv.name}-setup.log"
    print(f"creating the peers' venv {venv} with {python} (once) ...", flush=True)
    steps = [
        [str(python), "-m", "venv", "--clear", str(venv)],
        [str(exe), "-m", "pip", "install", "--disable-pip-version-check", "-q", *PEER_PACKAGES],
    ]
    with open(log, "w") as out:
        for cmd in steps:
            try:
                subprocess.run(
                    cmd, stdout=out, stderr=subprocess.STDOUT, timeout=timeout_s, check=True
                )
            except (OSError, subprocess.SubprocessError) as exc:
                raise PeerSetupError(
                    f"{' '.join(cmd[:4])} ... failed ({one_line(exc)}); see {log}"
                ) from exc
    marker.write_text(json.dumps({"python": str(python), "packages": PEER_PACKAGES}))
    return exe


def run_worker(
    python: Path, job: dict[str, Any], workdir: Path, timeout_s: float
) -> dict[str, Any]:
    """Run one worker job in the peers' venv; a crash or timeout becomes ``ok: False``."""
    task = job["task"]
    job_path = workdir / f"job-{task}.json"
    result_path = workdir / f"result-{task}.json"
    result_path.unlink(missing_ok=True)
    job_path.write_text(json.dumps({**job, "result": str(result_path)}))
    log = workdir / f"worker-{task}.log"
    try:
        with open(log, "w") as out:
            proc = subprocess.run(
                [str(python), str(WORKER), str(job_path)],
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=timeout_s,
            )
    except subprocess.TimeoutExpired:
        return {"ok": False, "error": f"{task} timed out after {timeout_s:.0f} s (log: {log})"}
    if not result_path.exists():
        return {"ok": False, "error": f"{task} died with exit code {proc.returncode} (log: {log})"}
    return dict(json.loads(result_path.read_text()))


# --------------------------------------------------------------------------- sampling
def main_component_edges(net: RoadNetwork) -> np.ndarray:
    """Edges with both ends in the largest strongly connected component."""
    engine = get_engine(net)
    n = net.n_nodes
    adj = coo_array((np.ones(len(engine.tail), np.int8), (engine.tail, engine.head)), shape=(n, n))
    _, labels = connected_components(adj.tocsr(), directed=True, connection="strong")
    big = np.bincount(labels).argmax()
    u, v = net.edges["u"].to_numpy(), net.edges["v"].to_numpy()
    return np.flatnonzero((labels[u] == big) & (labels[v] == big))


def edge_midpoints(net: RoadNetwork, edges: np.ndarray) -> np.ndarray:
    """(lon, lat) of the point halfway along each edge's geometry."""
    pts = shapely.line_interpolate_point(net.geometries[edges], 0.5, normalized=True)
    return np.asarray(shapely.get_coordinates(pts))


def sample_points(
    net: RoadNetwork, main: np.ndarray, rng: np.random.Generator, k: int, jitter: float
) -> list[tuple[float, float]]:
    """Points near (``jitter`` degrees) random roads of the main component."""
    xy = edge_midpoints(net, rng.choice(main, k)) + rng.uniform(-jitter, jitter, (k, 2))
    return [(float(x), float(y)) for x, y in xy]


# --------------------------------------------------------------------------- toolkit
def toolkit_build_child(region: str, result: str) -> None:
    """(Child process) network from the raw source and CCH for length and car time."""
    import resource

    t0 = time.perf_counter()
    net = load_network(region, use_cache=False, progress=False)
    t1 = time.perf_counter()
    engine = get_engine(net)
    for w in (engine.weights("length"), engine.weights("car")):
        engine.node_distance(0, 0, w)  # contracts once, customizes each weighting
    t2 = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    write_result(result, {"ok": True, "build_s": t1 - t0, "cch_s": t2 - t1, "peak_rss_mb": peak})


def toolkit_preprocessing(region: str, workdir: Path, timeout_s: float) -> dict[str, Any]:
    """Build from tiles + CCH in a fresh process, for its time and its own peak RSS."""
    result = workdir / "result-toolkit-build.json"
    result.unlink(missing_ok=True)
    cmd = [sys.executable, __file__, "--region", region, "--toolkit-build-child", str(result)]
    try:
        subprocess.run(cmd, timeout=timeout_s, check=True, stdout=subprocess.DEVNULL)
        return dict(json.loads(result.read_text()))
    except (OSError, subprocess.SubprocessError, json.JSONDecodeError) as exc:
        return {"ok": False, "error": one_line(exc)}


def toolkit_reach_child(
    region: str, point: tuple[float, float], result: str, max_gb: float
) -> None:
    """(Child process) ``reach()`` from a warm engine, under an address-space cap."""
    import resource

    cap = int(max_gb * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    net = load_network(region, progress=False)
    engine = get_engine(net)
    engine.one_to_all([0], engine.weights("car"), cutoff=1.0)
    t0 = time.perf_counter()
    r = reach(point, hours=[ISO_HOURS], net=net)
    seconds = time.perf_counter() - t0
    km2 = float(r.bands["area_km2"].iloc[-1])
    write_result(result, {"ok": True, "isochrone_s": seconds, "isochrone_km2": km2})


def toolkit_reach(
    region: str, point: tuple[float, float], workdir: Path, timeout_s: float, max_gb: float
) -> dict[str, Any]:
    """``reach()`` in a child process: a time limit and a memory cap, and its peak RSS."""
    result = workdir / "result-toolkit-reach.json"
    result.unlink(missing_ok=True)
    cmd = [sys.executable, __file__, "--region", region, "--max-gb", str(max_gb)]
    cmd += ["--toolkit-reach-child", str(result), "--iso-point", f"{point[0]},{point[1]}"]
    try:
        run = run_measured(cmd, workdir / "toolkit-reach.log", timeout_s)
    except RuntimeError as exc:
        return {"ok": False, "error": one_line(exc)}
    out = dict(json.loads(result.read_text()))
    out["peak_rss_mb"] = run["peak_rss_mb"]
    return out


def _timed_each(fn: Callable[[Any], Any], items: Sequence[Any]) -> tuple[list[float], int]:
    times, failed = [], 0
    for item in items:
        t0 = time.perf_counter()
        try:
            fn(item)
        except Exception:
            failed += 1
        times.append(time.perf_counter() - t0)
    return times, failed


def toolkit_queries(
    net: RoadNetwork,
    pairs: list[tuple[tuple[float, float], tuple[float, float]]],
    table_points: list[tuple[float, float]],
    iso_point: tuple[float, float],
    agree_pairs: list[tuple[tuple[float, float], tuple[float, float]]],
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    engine = get_engine(net)
    length = engine.weights("length")
    route(pairs[0][0], pairs[0][1], net=net)  # warm-up (engine, spatial index)

    times, failed = _timed_each(lambda p: route(p[0], p[1], net=net), pairs)
    out["route"] = {**latency_stats_ms(times), "failed": failed}

    def low_level(p: tuple[tuple[float, float], tuple[float, float]]) -> None:
        s = snap_candidates(net, *p[0])
        t = snap_candidates(net, *p[1])
        engine.route(s, t, length)

    times, failed = _timed_each(low_level, pairs)
    out["engine_route"] = {**latency_stats_ms(times), "failed": failed}

    t0 = time.perf_counter()
    m = matrix(table_points, net=net, profile="car")
    out["table_s"] = time.perf_counter() - t0
    out["table_n"] = len(table_points)
    out["table_reached"] = int(np.isfinite(m.distance_km.to_numpy()).sum())

    # The search alone (what reach() starts with): snapped origin, 4 h of car time, the tree.
    car = engine.weights("car")
    engine.one_to_all([0], car, cutoff=1.0)  # builds the car Dijkstra graph once
    t0 = time.perf_counter()
    snap = snap_candidates(net, *iso_point, candidates=False)
    tree = engine.one_to_all(snap, car, cutoff=ISO_HOURS * 3600.0)
    out["search_s"] = time.perf_counter() - t0
    out["search_nodes"] = int(np.isfinite(tree.cost).sum())

    out.update(engine_rows(net, np.random.default_rng(len(pairs))))

    rows, nearest = [], []
    for a, b in agree_pairs:
        try:
            res = route(a, b, net=net, optimize="distance")
            rows.append(
                {
                    "distance_m": res.road_m,
                    "snap_m": [res.snaps[0].distance_m, res.snaps[-1].distance_m],
                }
            )
        except Exception as exc:
            rows.append({"error": one_line(exc)})
        # The same graph distance with each point on its nearest road only (as OSRM snaps):
        # route() lets candidates up to max_snap_m away compete, which can pick another road.
        try:
            s = snap_candidates(net, *a, candidates=False)
            t = snap_candidates(net, *b, candidates=False)
            path = engine.route(s, t, length)
            nearest.append(
                {
                    "distance_m": float(path.edge_costs(length.edge).sum()),
                    "snap_m": [s[0].distance_m, t[0].distance_m],
                }
            )
        except Exception as exc:
            nearest.append({"error": one_line(exc)})
    out["agree"] = rows
    out["agree_nearest"] = nearest
    return out


def engine_rows(net: RoadNetwork, rng: np.random.Generator) -> dict[str, Any]:
    """Engine-level measures (what ``bench_engine.py`` measured): a node table, a new speed
    profile with 1000 queries, and the 4-hour one-to-all search against networkx."""
    import networkx as nx

    engine = get_engine(net)
    car = engine.weights("car")
    out: dict[str, Any] = {}
    nodes = rng.integers(0, net.n_nodes, ENGINE_TABLE_NODES)
    t0 = time.perf_counter()
    engine.node_matrix(nodes, nodes, car)
    out["node_table_s"] = time.perf_counter() - t0
    out["node_table_n"] = len(nodes)
    # Town crossings depend on the network only and are kept with it: counted once here.
    get_profile(NEW_PROFILE).travel_times(net)
    queries = rng.integers(0, net.n_nodes, (1000, 2))
    t0 = time.perf_counter()
    sampled = engine.weights(get_profile(NEW_PROFILE).sample(rng))
    for a, b in queries:
        engine.node_distance(int(a), int(b), sampled)
    out["new_profile_s"] = time.perf_counter() - t0
    # One-to-all with the tree, 4 h of car time, against networkx on the same arcs.
    g = nx.MultiDiGraph()
    g.add_nodes_from(range(net.n_nodes))
    weight = car.edge[engine.arc_edge]
    g.add_weighted_edges_from(
        (int(a), int(b), float(c))
        for a, b, c in zip(engine.tail, engine.head, weight, strict=True)
        if np.isfinite(c)
    )
    cutoff = ISO_HOURS * 3600.0
    ours, theirs, reached = [], [], []
    for s in rng.integers(0, net.n_nodes, ONE_TO_ALL_SOURCES):
        t0 = time.perf_counter()
        tree = engine.one_to_all([int(s)], car, cutoff=cutoff)
        ours.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        nx.single_source_dijkstra_path_length(g, int(s), cutoff=cutoff)
        theirs.append(time.perf_counter() - t0)
        reached.append(int(np.isfinite(tree.cost).sum()))
    out["one_to_all_ms"] = 1e3 * float(np.median(ours))
    out["networkx_ms"] = 1e3 * float(np.median(theirs))
    out["one_to_all_nodes"] = int(np.median(reached))
    return out


# --------------------------------------------------------------------------- OSRM profile
def osrm_profile(path: Path) -> Path:
    """Write a distance-weighted OSRM profile with the toolkit's car speeds (km/h)."""
    car = get_profile("car")
    speeds = ", ".join(f"{k} = {v.mode:g}" for k, v in sorted(car.speeds.items()))
    factor = car.maxspeed.factor if car.maxspeed.use else 0.0
    path.write_text(
        f"""-- Generated by benchmarks/peers.py: shortest-distance routing on an exported network.
api_version = 4
local SPEEDS = {{ {speeds} }}
local DEFAULT_SPEED = {car.default.mode:g}
local MAXSPEED_FACTOR = {factor:g}

function setup()
  return {{
    properties = {{
      weight_name = 'distance',
      max_speed_for_map_matching = 180 / 3.6,
      u_turn_penalty = 0,
      traffic_light_penalty = 0,
      continue_straight_at_waypoint = false,
      use_turn_restrictions = false,
    }},
    default_mode = mode.driving,
    default_speed = DEFAULT_SPEED,
  }}
end

function process_node(profile, node, result, relations) end

function process_way(profile, way, result, relations)
  local highway = way:get_value_by_key('highway')
  if not highway then return end
  local speed = SPEEDS[highway] or DEFAULT_SPEED
  local maxspeed = tonumber(way:get_value_by_key('maxspeed'))
  if maxspeed and maxspeed > 0 and MAXSPEED_FACTOR > 0 then speed = maxspeed * MAXSPEED_FACTOR end
  result.forward_mode = mode.driving
  result.backward_mode = mode.driving
  if way:get_value_by_key('oneway') == 'yes' then result.backward_mode = mode.inaccessible end
  result.forward_speed = speed
  result.backward_speed = speed
  -- distance weight: edge weight = distance / rate
  result.weight = -1
  result.forward_rate = 1
  if result.backward_mode ~= mode.inaccessible then result.backward_rate = 1 end
  result.name = way:get_value_by_key('name') or ''
  result.ref = way:get_value_by_key('ref') or ''
end

function process_turn(profile, turn)
  turn.duration = 0
  turn.weight = 0
end

return {{ setup = setup, process_way = process_way, process_node = process_node,
         process_turn = process_turn }}
"""
    )
    return path


# --------------------------------------------------------------------------- agreement
def agreement(
    ours: list[dict[str, Any]],
    theirs: list[dict[str, Any]],
    pairs: list[tuple[tuple[float, float], tuple[float, float]]],
) -> dict[str, Any]:
    """Relative difference (theirs - ours) / ours of route lengths; the 3 worst pairs."""
    rows = []
    for (a, b), o, t in zip(pairs, ours, theirs, strict=True):
        if "distance_m" not in o or "distance_m" not in t or o["distance_m"] <= 0:
            continue
        rel = (t["distance_m"] - o["distance_m"]) / o["distance_m"]
        rows.append({"from": a, "to": b, "ours": o, "theirs": t, "rel": rel})
    if not rows:
        return {"n": 0}
    rel = np.array([r["rel"] for r in rows])
    worst = sorted(rows, key=lambda r: -abs(r["rel"]))[:3]
    return {
        "n": len(rows),
        "failed": len(pairs) - len(rows),
        "median_signed": float(np.median(rel)),
        "median_abs": float(np.median(np.abs(rel))),
        "p95_abs": float(np.percentile(np.abs(rel), 95)),
        "max_abs": float(np.abs(rel).max()),
        "worst": worst,
    }


# --------------------------------------------------------------------------- report
def _pct(x: float) -> str:
    return f"{100 * x:.3f} %" if abs(x) < 0.1 else f"{100 * x:.1f} %"


def _ms(stats: dict[str, Any] | None) -> str:
    if not stats or stats.get("median_ms") is None:
        return "n/a"
    return f"{stats['median_ms']:.2f} ms"


def _mb(x: float | None) -> str:
    return "n/a" if x is None else (f"{x / 1024:.2f} GB" if x >= 1024 else f"{x:.0f} MB")


def build_rows(res: dict[str, Any]) -> list[Row]:
    """The table's rows (cells as text) from the measurements."""
    tk, o, v = res["toolkit"], res.get("osrm") or {}, res.get("valhalla") or {}
    ob, oq = o.get("build") or {}, o.get("query") or {}
    vb, vq = v.get("build") or {}, v.get("query") or {}
    na = "n/a"
    rows: list[Row] = []
    pre = tk.get("build") or {}
    steps = ob.get("steps") or {}

    def osrm_pre(names: Sequence[str]) -> tuple[str, str]:
        if not all(n in steps for n in names):
            return na, na
        secs = sum(steps[n]["seconds"] for n in names)
        parts = " + ".join(f"{steps[n]['seconds']:.1f}" for n in names)
        return f"{secs:.1f} s ({parts})", _mb(max(steps[n]["peak_rss_mb"] for n in names))

    ch_t, ch_m = osrm_pre(["extract", "contract"])
    mld_t, mld_m = osrm_pre(["extract", "partition", "customize"])
    vstep = (vb.get("steps") or {}).get("build_tiles")
    if pre.get("ok"):
        tk_t = f"{pre['build_s'] + pre['cch_s']:.1f} s ({pre['build_s']:.1f} + {pre['cch_s']:.1f})"
        tk_m = _mb(pre["peak_rss_mb"])
    else:
        tk_t = tk_m = na
    rows.append(
        {
            "row": "1 preprocessing time",
            "toolkit": tk_t,
            "osrm_ch": ch_t,
            "osrm_mld": mld_t,
            "valhalla": f"{vstep['seconds']:.1f} s" if vstep else na,
        }
    )
    rows.append(
        {
            "row": "1 preprocessing peak RSS",
            "toolkit": tk_m,
            "osrm_ch": ch_m,
            "osrm_mld": mld_m,
            "valhalla": _mb(vstep["peak_rss_mb"]) if vstep else na,
        }
    )
    rows.append(
        {
            "row": "2 route, median (snap incl.)",
            "toolkit": f"{_ms(tk['route'])}; engine {_ms(tk['engine_route'])}",
            "osrm_ch": _ms((oq.get("ch") or {}).get("route")),
            "osrm_mld": _ms((oq.get("mld") or {}).get("route")),
            "valhalla": _ms(vq.get("route")),
        }
    )

    def table(d: dict[str, Any] | None) -> str:
        return f"{d['table_s']:.2f} s" if d and "table_s" in d else na

    n = tk["table_n"]
    vm = f"{vq['matrix_s']:.2f} s ({vq['matrix_n']}x{vq['matrix_n']})" if "matrix_s" in vq else na
    rows.append(
        {
            "row": f"3 table {n}x{n} (snap incl.)",
            "toolkit": table(tk),
            "osrm_ch": table(oq.get("ch")),
            "osrm_mld": table(oq.get("mld")),
            "valhalla": vm,
        }
    )
    mld_customize = steps.get("customize")
    rows.append(
        {
            "row": f"3 node table {tk.get('node_table_n', 0)}x{tk.get('node_table_n', 0)}",
            "toolkit": f"{tk['node_table_s']:.2f} s" if "node_table_s" in tk else na,
            "osrm_ch": na,
            "osrm_mld": na,
            "valhalla": na,
        }
    )
    rows.append(
        {
            "row": "3 new speed profile + 1000 queries",
            "toolkit": f"{tk['new_profile_s']:.2f} s" if "new_profile_s" in tk else na,
            "osrm_ch": "re-contract (row 1)" if steps else na,
            "osrm_mld": (f"customize {mld_customize['seconds']:.1f} s" if mld_customize else na),
            "valhalla": na,
        }
    )
    if "one_to_all_ms" in tk:
        ratio = tk["networkx_ms"] / tk["one_to_all_ms"]
        o2a = (
            f"{tk['one_to_all_ms']:.1f} ms vs networkx {tk['networkx_ms']:.0f} ms "
            f"(x{ratio:.0f}, {tk['one_to_all_nodes']:,} nodes)"
        )
    else:
        o2a = na
    rows.append(
        {
            "row": f"4 one-to-all {ISO_HOURS:g} h, car, tree",
            "toolkit": o2a,
            "osrm_ch": na,
            "osrm_mld": na,
            "valhalla": na,
        }
    )
    viso = na
    if "isochrone_s" in vq:
        viso = f"{vq['isochrone_s']:.2f} s"
        if vq.get("isochrone_km2"):
            viso += f", {vq['isochrone_km2']:,.0f} km2"
    tr = tk.get("reach") or {}
    if "isochrone_s" in tr:
        tk_iso = f"{tr['isochrone_s']:.2f} s, {tr['isochrone_km2']:,.0f} km2"
    else:
        tk_iso = "reach() failed"
    if "search_s" in tk:
        tk_iso += f"; search {1e3 * tk['search_s']:.0f} ms"
    rows.append(
        {
            "row": f"4 isochrone {ISO_HOURS:g} h",
            "toolkit": tk_iso,
            "osrm_ch": na,
            "osrm_mld": na,
            "valhalla": viso,
        }
    )
    ag = res.get("agreement") or {}
    ag_v = res.get("agreement_valhalla") or {}

    def spread(a: dict[str, Any]) -> str:
        if not a.get("n"):
            return na
        return f"med {_pct(a['median_abs'])}, p95 {_pct(a['p95_abs'])}, max {_pct(a['max_abs'])}"

    cell = spread(ag)
    rows.append(
        {
            "row": f"5 length vs toolkit ({ag.get('n', 0)} pairs)",
            "toolkit": "reference",
            "osrm_ch": cell,
            "osrm_mld": "(same data as CH)" if ag.get("n") else na,
            "valhalla": spread(ag_v),
        }
    )
    return rows


def format_table(rows: list[Row]) -> str:
    cols = [("row", ""), ("toolkit", "toolkit"), ("osrm_ch", "OSRM CH")]
    cols += [("osrm_mld", "OSRM MLD"), ("valhalla", "Valhalla")]
    widths = [max(len(h), *(len(str(r[k])) for r in rows)) for k, h in cols]
    line = "  ".join(h.ljust(w) for (_, h), w in zip(cols, widths, strict=True))
    out = [line, "-" * len(line)]
    for r in rows:
        out.append("  ".join(str(r[k]).ljust(w) for (k, _), w in zip(cols, widths, strict=True)))
    return "\n".join(out)


def format_worst(ag: dict[str, Any], peer: str = "OSRM") -> list[str]:
    lines = []
    for w in ag.get("worst", []):
        a, b = w["from"], w["to"]
        o, t = w["ours"], w["theirs"]
        line = (
            f"  ({a[1]:.5f},{a[0]:.5f}) -> ({b[1]:.5f},{b[0]:.5f}): toolkit "
            f"{o['distance_m'] / 1000:.3f} km, {peer} {t['distance_m'] / 1000:.3f} km "
            f"({_pct(w['rel'])}); snapped off-road: toolkit {o['snap_m'][0]:.1f}/"
            f"{o['snap_m'][1]:.1f} m"
        )
        if "snap_m" in t:
            line += f", {peer} {t['snap_m'][0]:.1f}/{t['snap_m'][1]:.1f} m"
        lines.append(line)
    return lines


# --------------------------------------------------------------------------- main
def _geodesic_km2(geojson: dict[str, Any]) -> float | None:
    from pyproj import Geod
    from shapely.geometry import shape

    try:
        geod = Geod(ellps="WGS84")
        total = 0.0
        for feature in geojson.get("features", []):
            geom = shape(feature["geometry"])
            if geom.geom_type == "LineString" and geom.is_closed:
                geom = shapely.Polygon(geom.coords)
            total += abs(geod.geometry_area_perimeter(geom)[0])
        return total / 1e6
    except Exception:
        return None


def run_peers(
    args: argparse.Namespace,
    workdir: Path,
    pbf: Path,
    pairs: list[Any],
    table_points: list[Any],
    iso_point: tuple[float, float],
    agree_pairs: list[Any],
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """OSRM and Valhalla results (empty dicts for a peer that is skipped) and versions."""
    osrm: dict[str, Any] = {}
    valhalla: dict[str, Any] = {}
    python = find_peer_python(args.python)
    if python is None:
        print(
            "peers: n/a - no Python >= 3.12 found; install one (e.g. 'pyenv install 3.12' or "
            "apt-get install python3.12) or pass --python"
        )
        return osrm, valhalla, {}
    try:
        exe = ensure_peer_venv(Path(args.venv), python, args.timeout)
    except PeerSetupError as exc:
        print(f"peers: n/a - {exc}")
        return osrm, valhalla, {}
    ping = run_worker(exe, {"task": "ping"}, workdir, 120)
    versions = ping.get("versions", {}) if ping.get("ok") else {}
    threads = len(os.sched_getaffinity(0))
    if not args.skip_osrm:
        profile = osrm_profile(workdir / "osrm-distance.lua")
        build = run_worker(
            exe,
            {
                "task": "osrm_build",
                "pbf": str(pbf),
                "dir": str(workdir / "osrm"),
                "profile": str(profile),
                "timeout_s": args.timeout,
                "threads": threads,
            },
            workdir,
            args.timeout * 4,
        )
        if not build.get("ok"):
            print(f"OSRM skipped: build failed: {build.get('error')}")
        else:
            osrm["build"] = build
            query = run_worker(
                exe,
                {
                    "task": "osrm_query",
                    "base": build["base"],
                    "pairs": pairs,
                    "table_points": table_points,
                    "agree_pairs": agree_pairs,
                },
                workdir,
                args.timeout,
            )
            if query.get("ok"):
                osrm["query"] = query
            else:
                print(f"OSRM queries skipped: {query.get('error')}")
    if not args.skip_valhalla:
        build = run_worker(
            exe,
            {
                "task": "valhalla_build",
                "pbf": str(pbf),
                "dir": str(workdir / "valhalla"),
                "timeout_s": args.timeout,
                "threads": threads,
            },
            workdir,
            args.timeout * 2,
        )
        if not build.get("ok"):
            print(f"Valhalla skipped: tile build failed: {build.get('error')}")
        else:
            valhalla["build"] = build
            query = run_worker(
                exe,
                {
                    "task": "valhalla_query",
                    "config": build["config"],
                    "pairs": pairs,
                    "matrix_points": table_points[: args.valhalla_matrix_points],
                    "iso_point": list(iso_point),
                    "iso_minutes": ISO_HOURS * 60,
                    "agree_pairs": agree_pairs,
                },
                workdir,
                args.timeout,
            )
            if query.get("ok"):
                geo = query.pop("isochrone_geojson", None)
                if geo is not None:
                    query["isochrone_km2"] = _geodesic_km2(geo)
                valhalla["query"] = query
                if query.get("failed"):
                    print(
                        f"Valhalla: {query['failed']} of {len(pairs)} routes failed, "
                        f"e.g. {query.get('first_error')}"
                    )
                if "matrix_error" in query:
                    print(f"Valhalla matrix failed: {query['matrix_error']}")
                if "isochrone_error" in query:
                    print(f"Valhalla isochrone failed: {query['isochrone_error']}")
            else:
                print(f"Valhalla queries skipped: {query.get('error')}")
    return osrm, valhalla, versions


def _iso_point(args: argparse.Namespace, net: RoadNetwork | None) -> tuple[float, float]:
    if args.iso_point:
        lon, lat = (float(c) for c in args.iso_point.split(","))
        return lon, lat
    if args.region in ISO_POINTS or net is None:
        return ISO_POINTS[args.region]
    x, y = net.nodes["x"].to_numpy(), net.nodes["y"].to_numpy()
    return float(np.median(x)), float(np.median(y))


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--region", default="syria", help="named region or OSM/tile path")
    p.add_argument("--pairs", type=int, default=200, help="route and agreement pairs")
    p.add_argument("--matrix-points", type=int, default=1000)
    p.add_argument("--valhalla-matrix-points", type=int, default=100)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--workdir", help="build folder (default data/osm_cache/peers/REGION)")
    p.add_argument("--venv", help="peers' venv (default data/osm_cache/peers-venv)")
    p.add_argument("--python", help="a Python >= 3.12 for the peers' venv")
    p.add_argument("--timeout", type=float, default=1800.0, help="seconds per peer step")
    p.add_argument("--skip-osrm", action="store_true")
    p.add_argument("--skip-valhalla", action="store_true")
    p.add_argument(
        "--json",
        nargs="?",
        const="-",
        help="also write the results as JSON to this file (no file: to stdout)",
    )
    p.add_argument("--iso-point", help="isochrone origin 'lon,lat' (default per region)")
    p.add_argument("--iso-timeout", type=float, default=600.0, help="seconds for reach()")
    p.add_argument("--max-gb", type=float, default=12.0, help="memory cap of reach()'s process")
    p.add_argument("--toolkit-build-child", help=argparse.SUPPRESS)
    p.add_argument("--toolkit-reach-child", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    args.venv = args.venv or str(cache_dir() / "peers-venv")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.toolkit_build_child:
        toolkit_build_child(args.region, args.toolkit_build_child)
        return 0
    if args.toolkit_reach_child:
        toolkit_reach_child(
            args.region, _iso_point(args, None), args.toolkit_reach_child, args.max_gb
        )
        return 0
    load_start = machine_load()
    print(_load_line("start", load_start), flush=True)
    workdir = Path(args.workdir or cache_dir() / "peers" / Path(args.region).name).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(args.seed)

    pre = toolkit_preprocessing(args.region, workdir, args.timeout)
    if not pre.get("ok"):
        print(f"toolkit build-from-source measurement failed: {pre.get('error')}")
    t0 = time.perf_counter()
    net = load_network(args.region, progress=False)
    reload_s = time.perf_counter() - t0
    pbf = workdir / "roads.osm.pbf"
    t0 = time.perf_counter()
    net.to_osm(pbf)
    export_s = time.perf_counter() - t0
    print(
        f"region {args.region}: {net.n_nodes:,} nodes, {net.n_edges:,} edges, "
        f"{len(net.coords):,} vertices, {net.edges['length'].sum() / 1000:,.0f} km; "
        f"cache reload {reload_s:.2f} s; export to {pbf.name} {export_s:.1f} s "
        f"({pbf.stat().st_size / 1e6:.1f} MB)",
        flush=True,
    )
    main = main_component_edges(net)
    pairs = [tuple(sample_points(net, main, rng, 2, JITTER_DEG)) for _ in range(args.pairs)]
    table_points = sample_points(net, main, rng, args.matrix_points, JITTER_DEG)
    mids = edge_midpoints(net, rng.choice(main, (args.pairs, 2)).ravel()).reshape(-1, 2, 2)
    agree_pairs = [((float(a[0]), float(a[1])), (float(b[0]), float(b[1]))) for a, b in mids]
    iso_point = _iso_point(args, net)

    tk = toolkit_queries(net, pairs, table_points, iso_point, agree_pairs)  # type: ignore[arg-type]
    tk["reach"] = toolkit_reach(args.region, iso_point, workdir, args.iso_timeout, args.max_gb)
    tk["build"] = pre
    tk["reload_s"] = reload_s
    osrm, valhalla, versions = run_peers(
        args, workdir, pbf, pairs, table_points, iso_point, agree_pairs
    )
    ag, ag_route, ag_v = {}, {}, {}
    if "query" in osrm:
        ag = agreement(tk["agree_nearest"], osrm["query"]["agree"], agree_pairs)
        ag_route = agreement(tk["agree"], osrm["query"]["agree"], agree_pairs)
    if "query" in valhalla:
        ag_v = agreement(tk["agree_nearest"], valhalla["query"].pop("agree"), agree_pairs)
    results = {
        "region": args.region,
        "graph": {
            "nodes": net.n_nodes,
            "edges": net.n_edges,
            "vertices": len(net.coords),
            "km": float(net.edges["length"].sum() / 1000),
            "source": net.meta.describe(),
        },
        "seed": args.seed,
        "versions": {
            "python": platform.python_version(),
            "routing": version("routing"),
            **{f"peer_{k}": val for k, val in versions.items()},
        },
        "toolkit": tk,
        "osrm": osrm,
        "valhalla": valhalla,
        "agreement": ag,
        "agreement_route": ag_route,
        "agreement_valhalla": ag_v,
        "iso_point": iso_point,
    }
    results["rows"] = build_rows(results)
    tr = tk["reach"]
    if "isochrone_s" not in tr:
        print(f"toolkit reach() failed: {tr.get('error')}")
    else:
        print(f"toolkit reach(): peak RSS {_mb(tr['peak_rss_mb'])} (own process)")
    peers = ", ".join(f"{k} {versions.get(k) or 'n/a'}" for k in PEER_PACKAGES)
    print(
        f"\nversions: routing {version('routing')}, {peers}; "
        f"peer python {versions.get('python', 'n/a')}"
    )
    print(f"seed {args.seed}; {args.pairs} route pairs within ~1 km of main-component roads")
    print(format_table(results["rows"]))
    if ag.get("n"):
        print(
            f"length agreement: median signed difference {_pct(ag['median_signed'])} "
            f"(OSRM - toolkit), nearest-road snapping both, {ag['failed']} pairs failed; "
            "worst pairs (lat,lon):"
        )
        print("\n".join(format_worst(ag)))
    if ag_v.get("n"):
        print(
            "Valhalla shortest routes (no hierarchy pruning): median signed difference "
            f"{_pct(ag_v['median_signed'])}"
            f" (Valhalla - toolkit), {ag_v['failed']} pairs failed; worst pairs:"
        )
        print("\n".join(format_worst(ag_v, "Valhalla")))
    if ag_route.get("n"):
        print(
            f"with route()'s own snapping (on-road points start on their road, nearby roads "
            "compete otherwise; road length only): "
            f"median {_pct(ag_route['median_abs'])}, p95 {_pct(ag_route['p95_abs'])}, "
            f"max {_pct(ag_route['max_abs'])}"
        )
    results["load_end"] = load_end = machine_load()
    results["load_start"] = load_start
    print(_load_line("end", load_end))
    tk.pop("agree")
    tk.pop("agree_nearest")
    if osrm.get("query"):
        osrm["query"].pop("agree")
    if args.json:
        text = json.dumps(results, indent=1, default=float)
        if args.json == "-":
            print(text)
        else:
            Path(args.json).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
