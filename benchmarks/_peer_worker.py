"""Peer-engine worker for ``benchmarks/peers.py``: runs OSRM or Valhalla on one job.

It runs inside the peers' own virtual environment (Python >= 3.12, ``osrm-bindings`` and
``pyvalhalla`` from PyPI; see ``peers.py``), never in the toolkit's, and needs nothing but the
standard library and those two packages. Protocol:

    python _peer_worker.py JOB.json

``JOB.json`` is ``{"task": NAME, "result": PATH, ...task fields}``. The worker writes
``{"ok": true, ...}`` or ``{"ok": false, "error": "one line"}`` to ``PATH`` (the engines log
to stdout themselves, so the result goes to a file, not stdout) and exits 0 either way; a
crash or timeout is the caller's to report.

Tasks: ``ping`` (Python and peer versions), ``osrm_build`` (extract, partition, customize,
contract; wall time and peak RSS of each tool), ``osrm_query`` (route latency with CH and
MLD, table, distances of pairs), ``valhalla_build`` (tile build), ``valhalla_query``
(route latency, matrix, isochrone) and ``valhalla_isochrone`` (contours as given). Both
engines are used in-process through their Python bindings: no server, no port.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

Job = dict[str, Any]
Result = dict[str, Any]


# --------------------------------------------------------------------------- protocol
def read_job(path: str | os.PathLike[str]) -> Job:
    """The job in ``path``; it must name a ``task`` and a ``result`` path."""
    job = json.loads(Path(path).read_text())
    if not isinstance(job, dict) or "task" not in job or "result" not in job:
        raise ValueError(f"{path}: a job is a JSON object with 'task' and 'result'")
    return job


def write_result(path: str | os.PathLike[str], result: Result) -> None:
    """Write ``result`` as JSON via a temporary file, so a reader never sees half of it."""
    tmp = Path(f"{path}.part")
    tmp.write_text(json.dumps(result, allow_nan=False, default=_jsonable))
    os.replace(tmp, path)


def _jsonable(value: Any) -> Any:
    if hasattr(value, "__float__"):
        return float(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def one_line(exc: BaseException) -> str:
    """An exception as one line: ``Type: message`` with newlines folded."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def latency_stats_ms(seconds: Sequence[float]) -> Result:
    """Median, 90th percentile and count of latencies, in milliseconds."""
    if not seconds:
        return {"median_ms": None, "p90_ms": None, "n": 0}
    ordered = sorted(seconds)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return {
        "median_ms": 1e3 * statistics.median(ordered),
        "p90_ms": 1e3 * p90,
        "n": len(ordered),
    }


def run_measured(
    cmd: Sequence[str], log: Path, timeout_s: float, cwd: Path | None = None
) -> Result:
    """Run a command; its wall time and peak RSS (``os.wait4`` of that very process).

    Raises
    ------
    RuntimeError
        Non-zero exit (with the last log line) or timeout (the process is killed).
    """
    t0 = time.perf_counter()
    with open(log, "ab") as out:
        out.write(f"$ {' '.join(cmd)}\n".encode())
        out.flush()
        proc = subprocess.Popen(list(cmd), stdout=out, stderr=subprocess.STDOUT, cwd=cwd)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - t0 > timeout_s:
                proc.kill()
                os.wait4(proc.pid, 0)
                raise RuntimeError(f"{Path(cmd[0]).name} timed out after {timeout_s:.0f} s")
            time.sleep(0.02)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        tail = _last_line(log)
        raise RuntimeError(
            f"{Path(cmd[0]).name} exited with {proc.returncode}: {tail} (log: {log})"
        )
    return {"seconds": wall, "peak_rss_mb": usage.ru_maxrss / 1024.0}


def _last_line(log: Path) -> str:
    lines = [ln for ln in log.read_text(errors="replace").splitlines() if ln.strip()]
    return lines[-1].strip() if lines else "(no output)"


def _versions() -> Result:
    from importlib.metadata import PackageNotFoundError, version

    out: Result = {"python": platform.python_version()}
    for dist in ("osrm-bindings", "pyvalhalla"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = None
    return out


# --------------------------------------------------------------------------- tasks
def task_ping(job: Job) -> Result:
    """Python and peer versions: checks the interpreter and the protocol."""
    return {"versions": _versions(), "echo": job.get("echo")}


def task_osrm_build(job: Job) -> Result:
    """osrm-extract with the job's Lua profile, then partition + customize (MLD), contract (CH).

    Partition renumbers the graph, so it runs before contract and one dataset serves both
    algorithms.
    """
    import osrm

    bin_dir = Path(osrm.__file__).parent / "bin"
    work = Path(job["dir"])
    work.mkdir(parents=True, exist_ok=True)
    pbf = work / "roads.osm.pbf"
    if pbf.exists() or pbf.is_symlink():
        pbf.unlink()
    pbf.symlink_to(Path(job["pbf"]).resolve())
    base = str(work / "roads.osrm")
    log = work / "build.log"
    log.write_text("")
    timeout = float(job.get("timeout_s", 1800))
    threads = str(job.get("threads", os.cpu_count() or 1))
    steps: Result = {}
    steps["extract"] = run_measured(
        [str(bin_dir / "osrm-extract"), "-p", job["profile"], "-t", threads, str(pbf)], log, timeout
    )
    for step in ("partition", "customize", "contract"):
        steps[step] = run_measured(
            [str(bin_dir / f"osrm-{step}"), "-t", threads, base], log, timeout
        )
    return {"base": base, "steps": steps, "log": str(log)}


def _osrm_engine(base: str, algorithm: str) -> Any:
    import osrm

    return osrm.OSRM(
        storage_config=base,
        algorithm=algorithm,
        use_shared_memory=False,
        max_locations_distance_table=1_000_000,
        max_locations_viaroute=1000,
    )


def _timed_each(fn: Callable[[Any], Any], items: Sequence[Any]) -> tuple[list[float], list[Any]]:
    times, out = [], []
    for item in items:
        t0 = time.perf_counter()
        try:
            value = fn(item)
        except Exception as exc:  # a failed query still counts its time
            value = exc
        times.append(time.perf_counter() - t0)
        out.append(value)
    return times, out


def task_osrm_query(job: Job) -> Result:
    """Route latency (CH and MLD), table time, and route distances of the agreement pairs."""
    import osrm

    result: Result = {}
    pairs = job["pairs"]
    for algorithm in ("CH", "MLD"):
        t0 = time.perf_counter()
        engine = _osrm_engine(job["base"], algorithm)
        load_s = time.perf_counter() - t0

        def route(pair: Sequence[Sequence[float]], engine: Any = engine) -> Any:
            params = osrm.RouteParameters(
                coordinates=[tuple(pair[0]), tuple(pair[1])], overview="false"
            )
            return engine.Route(params)

        route(pairs[0])  # warm-up: first query touches cold pages
        times, answers = _timed_each(route, pairs)
        failures = sum(isinstance(a, Exception) or a["code"] != "Ok" for a in answers)
        row: Result = {"load_s": load_s, "route": latency_stats_ms(times), "failed": failures}
        points = job["table_points"]
        params = osrm.TableParameters(
            coordinates=[tuple(p) for p in points], annotations=["distance", "duration"]
        )
        t0 = time.perf_counter()
        table = engine.Table(params)
        row["table_s"] = time.perf_counter() - t0
        row["table_n"] = len(points)
        row["table_reached"] = sum(v is not None for r in table["distances"] for v in r)
        result[algorithm.lower()] = row
    engine = _osrm_engine(job["base"], "CH")
    rows = []
    for a, b in job["agree_pairs"]:
        params = osrm.RouteParameters(coordinates=[tuple(a), tuple(b)], overview="false")
        try:
            answer = engine.Route(params)
        except RuntimeError as exc:
            rows.append({"error": one_line(exc)})
            continue
        wp = answer["waypoints"]
        rows.append(
            {
                "distance_m": float(answer["routes"][0]["distance"]),
                "snap_m": [float(wp[0]["distance"]), float(wp[1]["distance"])],
                "snapped": [
                    list(map(float, wp[0]["location"])),
                    list(map(float, wp[1]["location"])),
                ],
            }
        )
    result["agree"] = rows
    return result


def task_valhalla_build(job: Job) -> Result:
    """Valhalla tiles from the PBF with ``valhalla_build_tiles`` and a generated config."""
    import valhalla

    work = Path(job["dir"])
    tiles = work / "tiles"
    tiles.mkdir(parents=True, exist_ok=True)
    config = valhalla.get_config(tile_extract="", tile_dir=tiles)
    mjolnir = config["mjolnir"]
    for key in ("traffic_extract", "admin", "landmarks", "timezone"):
        mjolnir[key] = ""  # no admin/timezone databases offline
    mjolnir["transit_dir"] = mjolnir["transit_feeds_dir"] = ""
    mjolnir["concurrency"] = int(job.get("threads", os.cpu_count() or 1))
    limits = config["service_limits"]
    # Lets "disable_hierarchy_pruning" work at any distance (the default 0 turns it off).
    limits["max_distance_disable_hierarchy_culling"] = 10_000_000.0
    limits["isochrone"].update(
        max_time_contour=600, max_distance_contour=1000, max_distance=10_000_000.0
    )
    limits["auto"].update(
        max_distance=10_000_000.0,
        max_matrix_distance=10_000_000.0,
        max_matrix_location_pairs=1_000_000,
        max_locations=10_000,
    )
    config_path = work / "valhalla.json"
    config_path.write_text(json.dumps(config, indent=1))
    log = work / "build.log"
    log.write_text("")
    bin_dir = Path(valhalla.__file__).parent / "bin"
    step = run_measured(
        [str(bin_dir / "valhalla_build_tiles"), "-c", str(config_path), str(job["pbf"])],
        log,
        float(job.get("timeout_s", 1800)),
    )
    return {"config": str(config_path), "steps": {"build_tiles": step}, "log": str(log)}


def task_valhalla_query(job: Job) -> Result:
    """Route latency, a square matrix and a time isochrone with ``valhalla.Actor``."""
    import valhalla

    actor = valhalla.Actor(job["config"])

    def loc(p: Sequence[float]) -> dict[str, float]:
        return {"lon": float(p[0]), "lat": float(p[1])}

    def route(pair: Sequence[Sequence[float]]) -> Any:
        req = {
            "locations": [loc(pair[0]), loc(pair[1])],
            "costing": "auto",
            "directions_type": "none",
        }
        return actor.route(req)

    route(job["pairs"][0])
    times, answers = _timed_each(route, job["pairs"])
    errors = [one_line(a) for a in answers if isinstance(a, Exception)]
    result: Result = {"route": latency_stats_ms(times), "failed": len(errors)}
    if errors:
        result["first_error"] = errors[0]
    # Shortest (not fastest) routes for the length comparison: costing option "shortest", and
    # no hierarchy pruning, which otherwise drops minor roads far from both ends (routes up to
    # a third longer on the full-detail Syria network).
    rows = []
    for a, b in job.get("agree_pairs", []):
        req = {
            "locations": [loc(a), loc(b)],
            "costing": "auto",
            "costing_options": {"auto": {"shortest": True, "disable_hierarchy_pruning": True}},
            "directions_type": "none",
            "units": "kilometers",
        }
        try:
            trip = actor.route(req)["trip"]
            rows.append({"distance_m": 1000.0 * float(trip["summary"]["length"])})
        except RuntimeError as exc:
            rows.append({"error": one_line(exc)})
    result["agree"] = rows
    points = [loc(p) for p in job["matrix_points"]]
    t0 = time.perf_counter()
    try:
        m = actor.matrix({"sources": points, "targets": points, "costing": "auto"})
        result["matrix_s"] = time.perf_counter() - t0
        result["matrix_n"] = len(points)
        result["matrix_algorithm"] = m.get("algorithm")
        result["matrix_reached"] = sum(
            c.get("distance") is not None for r in m["sources_to_targets"] for c in r
        )
    except RuntimeError as exc:
        result["matrix_error"] = one_line(exc)
    t0 = time.perf_counter()
    try:
        iso = actor.isochrone(
            {
                "locations": [loc(job["iso_point"])],
                "costing": "auto",
                "contours": [{"time": float(job["iso_minutes"])}],
                "polygons": True,
            }
        )
        result["isochrone_s"] = time.perf_counter() - t0
        result["isochrone_geojson"] = iso
    except RuntimeError as exc:
        result["isochrone_error"] = one_line(exc)
    return result


def task_valhalla_isochrone(job: Job) -> Result:
    """Valhalla's isochrone polygons for ``contours`` (its own request format) from a point."""
    import valhalla

    actor = valhalla.Actor(job["config"])
    lon, lat = job["point"]
    request = {
        "locations": [{"lon": float(lon), "lat": float(lat)}],
        "costing": "auto",
        "contours": job["contours"],
        "polygons": True,
    }
    t0 = time.perf_counter()
    answer = actor.isochrone(request)
    seconds = time.perf_counter() - t0
    return {
        "isochrone_s": seconds,
        "geojson": json.loads(answer) if isinstance(answer, str) else answer,
    }


TASKS: dict[str, Callable[[Job], Result]] = {
    "ping": task_ping,
    "osrm_build": task_osrm_build,
    "osrm_query": task_osrm_query,
    "valhalla_build": task_valhalla_build,
    "valhalla_query": task_valhalla_query,
    "valhalla_isochrone": task_valhalla_isochrone,
}


def run_job(job: Job) -> Result:
    """Run one job; any failure becomes ``{"ok": False, "error": ...}``."""
    task = TASKS.get(job.get("task", ""))
    if task is None:
        return {"ok": False, "error": f"unknown task {job.get('task')!r}; known: {sorted(TASKS)}"}
    t0 = time.perf_counter()
    try:
        out = task(job)
    except Exception as exc:
        return {"ok": False, "error": one_line(exc), "seconds": time.perf_counter() - t0}
    return {"ok": True, "seconds": time.perf_counter() - t0, **out}


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: _peer_worker.py JOB.json", file=sys.stderr)
        return 2
    job = read_job(args[0])
    write_result(job["result"], run_job(job))
    return 0


if __name__ == "__main__":
    sys.exit(main())
