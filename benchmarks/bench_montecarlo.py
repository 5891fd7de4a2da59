"""Benchmark: 10,000 Monte Carlo draws of one travel-time claim (target: at most 5 s).

Run: ``python benchmarks/bench_montecarlo.py``. Times the vectorised draws on the fastest
Al-Qaim -> Baghdad route (route held fixed) under every profile.
"""

from __future__ import annotations

import time

from routing.api import route
from routing.claims.uncertainty import DEFAULT_DRAWS, travel_time_samples
from routing.engine.profiles import available_profiles
from routing.sources import load_network


def main() -> None:
    """Print the time of 10,000 draws per profile."""
    net = load_network("western-iraq", progress=False)
    for name in available_profiles():
        fixed = route("Al-Qaim", "Baghdad", net=net, profile=name, optimize="time")
        start = time.perf_counter()
        dist = travel_time_samples(fixed, DEFAULT_DRAWS, seed=0)
        took = time.perf_counter() - start
        print(
            f"{name:8s} {DEFAULT_DRAWS:,} draws in {took * 1000:7.1f} ms "
            f"(P(<= 4 h) = {dist.probability_within(4.0):.1%}; limit 5 s)"
        )


if __name__ == "__main__":
    main()
