"""What the map context (water, rivers, borders, country names) adds to a network build.

Run: ``python benchmarks/bench_context.py [--repeat 5]``

Builds each network from the tiles with and without the context (no cache), and prints the
median times, their ratio, the machine load, and the context's share of the cache file.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from routing.cache import save_cached
from routing.sources import get_region
from routing.sources._tiles import TileSet
from routing.sources._vectortiles import network_from_tiles

CASES = {
    "western-iraq": None,
    "syria, Abu Kamal - Deir ez-Zor cut (z14)": (40.0, 34.3, 41.0, 35.5),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    for label, bbox in CASES.items():
        region = get_region(label.split(",")[0])
        ts = TileSet(region.data_path())
        extent = bbox or region.bbox
        classes = region.source.classes or ()
        times: dict[bool, list[float]] = {False: [], True: []}
        for _ in range(args.repeat):
            for context in (False, True):
                t0 = time.perf_counter()
                net = network_from_tiles(
                    ts, bbox=extent, classes=classes, progress=False, context=context
                )
                times[context].append(time.perf_counter() - t0)
        without, with_ = statistics.median(times[False]), statistics.median(times[True])
        with tempfile.TemporaryDirectory() as tmp:
            save_cached(net, Path(tmp) / "with.npz")
            net.context = None
            save_cached(net, Path(tmp) / "without.npz")
            sizes = [(Path(tmp) / f"{k}.npz").stat().st_size / 1e6 for k in ("without", "with")]
        print(
            f"{label}: build {without:.2f} s -> {with_:.2f} s with context "
            f"(x{with_ / without:.2f}, +{with_ - without:.2f} s); cache "
            f"{sizes[0]:.2f} -> {sizes[1]:.2f} MB"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
