"""Uncertainty of travel times: Monte Carlo over the speed profile.

Road distances carry their own bands (the data's calibration and the cross-check on a second
network, :mod:`routing.analysis.crosscheck`); this module covers the speeds.

Speeds (travel times)
    :func:`travel_time_samples` draws the speed of every road class from the profile's
    triangular ``(low, mode, high)`` distribution, one draw per class per run (as
    :meth:`~routing.engine.profiles.Profile.sample` does), and optional checkpoint stops.
    The route is held fixed (the fastest route at modal speeds): the time of run ``k`` is the
    route's kilometres per class divided by that run's speeds, plus the profile's fixed
    delays. This is exact for the fixed route and fully vectorised (10,000 draws in
    milliseconds); a faster alternative route under unusual draws is ignored, which can only
    overstate times slightly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..analysis.routes import Route
from ..engine.profiles import Profile

__all__ = [
    "DEFAULT_DRAWS",
    "Checkpoints",
    "TimeDistribution",
    "travel_time_samples",
]

DEFAULT_DRAWS = 10_000


@dataclass(frozen=True)
class Checkpoints:
    """Stops on the way (checkpoints, fuel, regrouping), each of a random duration.

    Attributes
    ----------
    count
        Number of stops.
    minutes
        ``(low, mode, high)`` minutes per stop, a triangular distribution.
    """

    count: int
    minutes: tuple[float, float, float] = (5.0, 15.0, 45.0)

    def __post_init__(self) -> None:
        low, mode, high = self.minutes
        if self.count < 0 or not 0 <= low <= mode <= high:
            raise ValueError(f"need count >= 0 and 0 <= low <= mode <= high, got {self}")

    def describe(self) -> str:
        """One line for assumption footers."""
        low, mode, high = self.minutes
        return f"{self.count} stop(s) of {low:g}-{high:g} min (most likely {mode:g}) each"


@dataclass(frozen=True)
class TimeDistribution:
    """Travel times of one route over Monte Carlo draws of speeds.

    Attributes
    ----------
    profile
        Name of the speed profile sampled.
    hours
        One travel time (h) per draw.
    route_km
        Road length of the (fixed) route.
    km_by_class
        Kilometres of the route per road class with sampled speeds.
    fixed_h
        Part of the time not sampled: roads with a tagged speed limit and the profile's
        per-town delays.
    assumptions
        How the draws were made.
    """

    profile: str
    hours: np.ndarray = field(repr=False)
    route_km: float
    km_by_class: dict[str, float]
    fixed_h: float
    assumptions: tuple[str, ...]

    def probability_within(self, bound_h: float) -> float:
        """Share of draws with a travel time at most ``bound_h`` hours."""
        return float(np.mean(self.hours <= bound_h))

    def quantiles(self, q: tuple[float, ...] = (0.05, 0.5, 0.95)) -> tuple[float, ...]:
        """Travel-time quantiles (h); by default the 5 %, median and 95 % points."""
        return tuple(float(x) for x in np.quantile(self.hours, q))


def travel_time_samples(
    fixed_route: Route,
    draws: int = DEFAULT_DRAWS,
    *,
    seed: int | np.random.Generator | None = 0,
    checkpoints: Checkpoints | None = None,
) -> TimeDistribution:
    """Monte Carlo travel times of a route under its profile's speed distributions.

    Parameters
    ----------
    fixed_route
        The route (normally the fastest at modal speeds); its profile is sampled.
    draws
        Number of draws.
    seed
        Seed or generator, for reproducible figures.
    checkpoints
        Random stops added to every draw.

    Returns
    -------
    TimeDistribution
    """
    if draws < 1:
        raise ValueError(f"draws must be >= 1, got {draws}")
    rng = np.random.default_rng(seed)
    profile = fixed_route.profile
    classes, km = _km_by_sampled_class(fixed_route)
    modal = np.array([_capped(profile, profile.speed(c, "mode")) for c in classes])
    # Everything the engine timed that class speeds do not explain stays fixed.
    fixed_h = max(
        fixed_route.time_h - float(np.sum(km / modal)) if len(km) else fixed_route.time_h, 0.0
    )
    hours = np.full(draws, fixed_h)
    for c, k in zip(classes, km, strict=True):
        rng_c = profile.speeds.get(c, profile.default)
        speed = (
            rng.triangular(rng_c.low, rng_c.mode, rng_c.high, draws)
            if rng_c.high > rng_c.low
            else np.full(draws, rng_c.mode)
        )
        hours += k / _capped(profile, speed)
    assumptions = [
        f"Monte Carlo, {draws:,} draws: one speed per road class per draw from the profile's "
        f"triangular (low, mode, high) range ({_ranges(profile, classes)})",
        "route held fixed: the fastest route at modal speeds (re-routing per draw could only "
        "shorten a few slow draws)",
    ]
    if fixed_h > 0:
        assumptions.append(
            f"{fixed_h * 60:.0f} min not sampled (off-road legs at the profile's access "
            "speed, tagged speed limits, per-town delays)"
        )
    if checkpoints is not None and checkpoints.count:
        low, mode, high = checkpoints.minutes
        stops = (
            rng.triangular(low, mode, high, (draws, checkpoints.count))
            if high > low
            else np.full((draws, checkpoints.count), mode)
        )
        hours += stops.sum(axis=1) / 60.0
        assumptions.append("checkpoints: " + checkpoints.describe())
    return TimeDistribution(
        profile.name,
        hours,
        fixed_route.length_km,
        dict(zip(classes, km.round(3).tolist(), strict=True)),
        fixed_h,
        tuple(assumptions),
    )


def _km_by_sampled_class(r: Route) -> tuple[list[str], np.ndarray]:
    """Route kilometres per road class, leaving out edges timed by a tagged maxspeed."""
    e = r.net.edges.iloc[r.edges]
    km = np.abs(r.end - r.start) * e["length"].to_numpy() / 1000.0
    sampled = np.ones(len(km), bool)
    if r.profile.maxspeed.use:
        sampled = np.isnan(e["maxspeed"].to_numpy(dtype=float))
    classes = e["highway"].astype(str).to_numpy()[sampled]
    names, inverse = np.unique(classes, return_inverse=True)
    return [str(n) for n in names], np.bincount(inverse, weights=km[sampled], minlength=len(names))


def _capped(profile: Profile, speed: Any) -> Any:
    return speed if profile.max_kph is None else np.minimum(speed, profile.max_kph)


def _ranges(profile: Profile, classes: list[str]) -> str:
    parts = []
    for c in classes:
        r = profile.speeds.get(c, profile.default)
        parts.append(f"{c} {r.low:g}/{r.mode:g}/{r.high:g} km/h")
    return ", ".join(parts)
