"""Tests for the peer benchmark's plumbing (benchmarks/_peer_worker.py, benchmarks/peers.py).

No peer engine is needed: these run the worker's JSON protocol with its ``ping`` task and the
report helpers on made-up measurements. Nothing here times anything.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name: str) -> ModuleType:
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


worker = _load("_peer_worker")
peers = _load("peers")


def test_ping_job_through_a_subprocess(tmp_path: Path) -> None:
    job = tmp_path / "job.json"
    result = tmp_path / "result.json"
    job.write_text(json.dumps({"task": "ping", "echo": [1, 2], "result": str(result)}))
    subprocess.run([sys.executable, str(BENCHMARKS / "_peer_worker.py"), str(job)], check=True)
    out = json.loads(result.read_text())
    assert out["ok"] is True
    assert out["echo"] == [1, 2]
    assert out["versions"]["python"].startswith(f"{sys.version_info[0]}.")
    assert set(out["versions"]) == {"python", "osrm-bindings", "pyvalhalla"}
    assert not Path(f"{result}.part").exists()


def test_failures_become_one_line_errors(tmp_path: Path) -> None:
    assert worker.run_job({"task": "nope", "result": "x"})["ok"] is False
    out = worker.run_job({"task": "osrm_query", "result": "x"})  # no fields: KeyError
    assert out["ok"] is False
    assert "\n" not in out["error"]
    assert worker.one_line(ValueError("a\n  b")) == "ValueError: a b"
    bad = tmp_path / "bad.json"
    bad.write_text("[1]")
    with pytest.raises(ValueError, match="task"):
        worker.read_job(bad)


def test_run_measured(tmp_path: Path) -> None:
    log = tmp_path / "log.txt"
    ok = worker.run_measured([sys.executable, "-c", "print('hi')"], log, timeout_s=60)
    assert ok["seconds"] > 0 and ok["peak_rss_mb"] > 1
    assert "hi" in log.read_text()
    with pytest.raises(RuntimeError, match="exited with 3: boom"):
        worker.run_measured(
            [sys.executable, "-c", "import sys; print('boom'); sys.exit(3)"], log, timeout_s=60
        )
    with pytest.raises(RuntimeError, match="timed out"):
        worker.run_measured(
            [sys.executable, "-c", "import time; time.sleep(30)"], log, timeout_s=0.3
        )


def test_latency_stats() -> None:
    stats = worker.latency_stats_ms([0.003, 0.001, 0.002])
    assert stats == {"median_ms": pytest.approx(2.0), "p90_ms": pytest.approx(3.0), "n": 3}
    assert worker.latency_stats_ms([])["median_ms"] is None


def test_agreement_and_table_without_peers() -> None:
    pairs = [((40.0, 34.0), (41.0, 35.0)), ((40.5, 34.5), (40.6, 34.6)), ((1.0, 2.0), (3.0, 4.0))]
    ours = [{"distance_m": 1000.0, "snap_m": [0, 0]}, {"distance_m": 200.0, "snap_m": [0, 0]}]
    ours.append({"error": "NoRouteError: no road"})
    theirs = [{"distance_m": 1001.0, "snap_m": [0, 0]}, {"distance_m": 190.0, "snap_m": [1, 2]}]
    theirs.append({"distance_m": 5.0, "snap_m": [0, 0]})
    ag = peers.agreement(ours, theirs, pairs)
    assert ag["n"] == 2 and ag["failed"] == 1
    assert ag["max_abs"] == pytest.approx(0.05)
    assert ag["worst"][0]["rel"] == pytest.approx(-0.05)
    assert "OSRM 0.190 km" in peers.format_worst(ag)[0]

    toolkit = {
        "build": {"ok": True, "build_s": 30.0, "cch_s": 3.0, "peak_rss_mb": 2048.0},
        "route": worker.latency_stats_ms([0.001]),
        "engine_route": worker.latency_stats_ms([0.0005]),
        "table_s": 2.0,
        "table_n": 1000,
        "reach": {"ok": True, "isochrone_s": 0.5, "isochrone_km2": 12345.0},
        "search_s": 0.1,
    }
    rows = peers.build_rows({"toolkit": toolkit, "osrm": {}, "valhalla": {}, "agreement": {}})
    text = peers.format_table(rows)
    assert "33.0 s (30.0 + 3.0)" in text and "2.00 GB" in text
    assert "1000x1000" in text
    for row in rows:
        assert row["valhalla"] == "n/a"


def test_osrm_profile_has_every_car_class(tmp_path: Path) -> None:
    lua = peers.osrm_profile(tmp_path / "p.lua").read_text()
    assert "weight_name = 'distance'" in lua
    for cls in ("motorway", "unclassified", "tertiary_link"):
        assert f"{cls} = " in lua


def test_no_python_312_leaves_the_peers_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(peers, "find_peer_python", lambda explicit=None: None)
    args = peers.parse_args(["--venv", str(tmp_path / "venv")])
    osrm, valhalla, versions = peers.run_peers(
        args, tmp_path, tmp_path / "x.osm.pbf", [], [], (0, 0), []
    )
    assert (osrm, valhalla, versions) == ({}, {}, {})
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "no Python >= 3.12" in out[0] and "install" in out[0]
    assert not (tmp_path / "venv").exists()


def test_python_candidates_are_real_files() -> None:
    for exe in peers.python_candidates():
        assert exe.exists()
    assert peers.python_candidates(sys.executable)[0] == Path(sys.executable)
