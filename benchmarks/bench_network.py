"""Network build and cache benchmarks (issue: road networks from real OSM data).

Run: ``python benchmarks/bench_network.py [--regions western-iraq syria]``

For each region it measures, each in a fresh subprocess so peak memory is the step's own:
building the network from the tiles (no cache), reloading it from the cache, and, as the
reference, the same graph through ``osmnx.save_graphml`` / ``osmnx.load_graphml``. Targets
(issue 2): Syria z14 build <= 60 s on 2 cores, cached reload <= 2 s, peak memory <= 1.5 GB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap

_STEP = textwrap.dedent(
    """
    import json, resource, sys, time, os
    os.environ["ROUTING_CACHE_DIR"] = sys.argv[2]
    from routing.sources import load_network
    region, step = sys.argv[1], sys.argv[3]
    t0 = time.perf_counter()
    if step == "build":
        net = load_network(region, refresh=True, progress=False)
        out = {"nodes": net.n_nodes, "edges": net.n_edges}
    elif step == "reload":
        net = load_network(region, progress=False)
        out = {}
    elif step == "graphml-save":
        import osmnx as ox
        net = load_network(region, progress=False)
        t0 = time.perf_counter()
        ox.save_graphml(net.to_graph(), sys.argv[2] + "/ref.graphml")
        out = {}
    else:
        import osmnx as ox
        g = ox.load_graphml(sys.argv[2] + "/ref.graphml")
        out = {}
    out["seconds"] = time.perf_counter() - t0
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))
    """
)


def _run(region: str, cache: str, step: str) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-c", _STEP, region, cache, step],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", nargs="+", default=["western-iraq", "syria"])
    args = parser.parse_args()
    print(f"{'region':14} {'step':14} {'seconds':>9} {'peak MB':>9}  notes")
    for region in args.regions:
        with tempfile.TemporaryDirectory() as cache:
            build = _run(region, cache, "build")
            reload = _run(region, cache, "reload")
            save = _run(region, cache, "graphml-save")
            load = _run(region, cache, "graphml-load")
        size = f"{build['nodes']:,} nodes, {build['edges']:,} edges"
        print(f"{region:14} {'build':14} {build['seconds']:9.2f} {build['peak_mb']:9.0f}  {size}")
        print(
            f"{region:14} {'cache reload':14} {reload['seconds']:9.3f} {reload['peak_mb']:9.0f}  "
            f"{load['seconds'] / reload['seconds']:.0f}x faster than osmnx.load_graphml"
        )
        print(
            f"{region:14} {'graphml save':14} {save['seconds']:9.2f} {save['peak_mb']:9.0f}  "
            "osmnx reference"
        )
        print(
            f"{region:14} {'graphml load':14} {load['seconds']:9.2f} {load['peak_mb']:9.0f}  "
            "osmnx reference"
        )


if __name__ == "__main__":
    main()
