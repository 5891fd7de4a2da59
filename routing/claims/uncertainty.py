"""Uncertainty of measured figures: Monte Carlo travel times and the generalization band.

Two sources of uncertainty are quantified, each stated with every figure it widens:

Speeds (travel times)
    :func:`travel_time_samples` draws the speed of every road class from the profile's
    triangular ``(low, mode, high)`` distribution, one draw per class per run (as
    :meth:`~routing.engine.profiles.Profile.sample` does), and optional checkpoint stops.
    The route is held fixed (the fastest route at modal speeds): the time of run ``k`` is the
    route's kilometres per class divided by that run's speeds, plus the profile's fixed
    delays. This is exact for the fixed route and fully vectorised (10,000 draws in
    milliseconds); a faster alternative route under unusual draws is ignored, which can only
    overstate times slightly.
Generalization (road lengths)
    Zoom-7 tiles snap vertices to a ~75 m grid and simplify lines, which cuts bends and
    shortens roads. :func:`measure_generalization` measures by how much: it routes between
    pairs of Syrian towns on the Euphrates road (Abu Kamal - Deir ez-Zor, the only stretch
    where both the z7 planet tiles and the full-detail z14 Syria extract hold the same road),
    once on the z7 network and once on the z14 network, between the same points on the z7
    road (z14 routes may use any road). The ratio z14/z7 is the factor by which z7 lengths
    run short; :func:`generalization_factor` caches the measurement as JSON in
    :func:`routing.settings.cache_dir`. Measured on the 2021 data, the ratios over stretches of
    40 km or more lie between about 0.99 and 1.06 (see ``routing check`` output for the exact
    figures): z7 lengths run up to ~6 % short. Shorter stretches (one of 13.5 km measures
    x1.16) mostly measure where each end falls in town, so they count in the mean factor but
    not in the band.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from ..analysis.routes import Route, route
from ..engine.profiles import Profile
from ..engine.snapping import nearest_snap
from ..exceptions import CacheWarning, DataFormatError, NoRouteError
from ..network import RoadNetwork
from ..settings import cache_dir, cache_unwritable, writable_cache_dir

__all__ = [
    "DEFAULT_DRAWS",
    "GENERALIZATION_PAIRS",
    "MIN_SPREAD_STRETCH_KM",
    "Checkpoints",
    "GeneralizationFactor",
    "PairMeasurement",
    "TimeDistribution",
    "generalization_factor",
    "measure_generalization",
    "travel_time_samples",
]

DEFAULT_DRAWS = 10_000
# Town pairs along the Euphrates road in Syria, inside the z14 cut the test-suite also uses
# (so both share one cached network). Each pair is a stretch of the same trunk road.
# Stretches shorter than this measure their end effects more than generalization; they count
# in the mean factor but not in the band's spread.
MIN_SPREAD_STRETCH_KM = 40.0

GENERALIZATION_PAIRS: tuple[tuple[str, str], ...] = (
    ("Abu Kamal", "Al-Ashara"),
    ("Al-Ashara", "Al Mayadin"),
    ("Abu Kamal", "Al Mayadin"),
    ("Al Mayadin", "Deir ez-Zor"),
    ("Abu Kamal", "Deir ez-Zor"),
)
_Z14_BBOX = (40.0, 34.3, 41.0, 35.5)
_CACHE_FILE = "generalization-z7-z14.json"
_CACHE_VERSION = 1


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
            f"{fixed_h * 60:.0f} min not sampled (tagged speed limits, "
            "per-town delays of the profile)"
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


# ------------------------------------------------------------------ generalization
@dataclass(frozen=True)
class PairMeasurement:
    """One z7-vs-z14 comparison: the same road stretch measured on both networks."""

    origin: str
    destination: str
    z7_km: float
    z14_km: float

    @property
    def ratio(self) -> float:
        """z14 length over z7 length: how much longer the detailed road is."""
        return self.z14_km / self.z7_km


@dataclass(frozen=True)
class GeneralizationFactor:
    """How much a generalized (z7) network shortens roads, as measured against z14.

    Attributes
    ----------
    pairs
        The measured stretches.
    z7_source, z14_source
        ``meta.describe()`` of the two networks.
    """

    pairs: tuple[PairMeasurement, ...]
    z7_source: str
    z14_source: str

    @property
    def _spread_pairs(self) -> tuple[PairMeasurement, ...]:
        # On short stretches the two ends (town streets at z14, a grid cell at z7) dominate
        # the ratio; the claims checked are about routes of tens to hundreds of km.
        long = tuple(p for p in self.pairs if p.z7_km >= MIN_SPREAD_STRETCH_KM)
        return long or self.pairs

    @property
    def low(self) -> float:
        """Smallest ratio on long stretches (z7 may come out a little *long* where routes
        differ)."""
        return min(p.ratio for p in self._spread_pairs)

    @property
    def high(self) -> float:
        """Largest ratio on long stretches: the most z7 was found to shorten a road."""
        return max(p.ratio for p in self._spread_pairs)

    @property
    def factor(self) -> float:
        """Length-weighted mean ratio: total z14 km over total z7 km."""
        return sum(p.z14_km for p in self.pairs) / sum(p.z7_km for p in self.pairs)

    def band(self, length_km: float) -> tuple[float, float]:
        """Range of true lengths of a road measured ``length_km`` long on z7."""
        return length_km * min(self.low, 1.0), length_km * max(self.high, 1.0)

    def describe(self) -> str:
        """One line: the measured factor, its spread and how it was measured."""
        return (
            f"z7 generalization: the same major-road stretches measure x{self.factor:.3f} "
            f"(range x{self.low:.3f}-x{self.high:.3f} over stretches of "
            f"{MIN_SPREAD_STRETCH_KM:g} km or more) longer on z14 full-detail data "
            f"({len(self.pairs)} stretches of the Euphrates road Abu Kamal-Deir ez-Zor, "
            "Syria); z7 road lengths are widened by that range"
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form, with the derived figures."""
        return {
            "factor": self.factor,
            "low": self.low,
            "high": self.high,
            "pairs": [{**asdict(p), "ratio": p.ratio} for p in self.pairs],
            "z7_source": self.z7_source,
            "z14_source": self.z14_source,
            "method": self.describe(),
        }


def measure_generalization(
    z7: RoadNetwork | None = None, z14: RoadNetwork | None = None
) -> GeneralizationFactor:
    """Measure how much z7 shortens roads, on :data:`GENERALIZATION_PAIRS`.

    Both routes run between the same points: each town's nearest point on the z7 roads
    (within a grid cell of the real road), so that the stretch compared is the same road and
    off-road gaps play no part.

    Parameters
    ----------
    z7
        The generalized network (default: ``load_network("western-iraq")``).
    z14
        The full-detail network (default: the Syria z14 extract cut around the pairs).
    """
    from ..sources import load_network

    z7 = z7 or load_network("western-iraq", progress=False)
    z14 = z14 or load_network("syria", bbox=_Z14_BBOX, progress=False)
    pairs = []
    for a, b in GENERALIZATION_PAIRS:
        ends = [_on_road(z7, name) for name in (a, b)]
        try:
            r7 = route(*ends, net=z7)
            # z14 routes may use any road: a shortcut over minor roads can only make the
            # ratio, and so the band, smaller.
            r14 = route(*ends, net=z14)
        except NoRouteError:
            continue  # a town whose z7 road point lands on a disconnected z14 fragment
        pairs.append(PairMeasurement(a, b, r7.length_km, r14.length_km))
    return GeneralizationFactor(tuple(pairs), z7.meta.describe(), z14.meta.describe())


def _on_road(net: RoadNetwork, name: str) -> tuple[float, float]:
    from ..gazetteer import find_place

    place = find_place(name, net)
    snap = nearest_snap(net, place.lon, place.lat)
    return snap.lon, snap.lat


def generalization_factor(
    z7: RoadNetwork | None = None, *, refresh: bool = False
) -> GeneralizationFactor:
    """The measured generalization factor, from the cache or measured now (~10 s) and cached.

    The cache is keyed on the z7 network's description (source, date, zoom), so other z7
    data are measured afresh.

    Raises
    ------
    DataNotFoundError
        When it must be measured and the z14 Syria extract is missing.
    """
    from ..sources import load_network

    z7 = z7 or load_network("western-iraq", progress=False)
    path = cache_dir() / _CACHE_FILE
    key = z7.meta.describe()
    if path.is_file() and not refresh:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") == _CACHE_VERSION and data.get("z7_source") == key:
                return GeneralizationFactor(
                    tuple(PairMeasurement(**p) for p in data["pairs"]),
                    data["z7_source"],
                    data["z14_source"],
                )
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            warnings.warn(
                f"unreadable cache {path}: {exc}; measuring again", CacheWarning, stacklevel=2
            )
    measured = measure_generalization(z7)
    if not measured.pairs:
        raise DataFormatError("no z7/z14 road stretch could be measured")
    record = {
        "version": _CACHE_VERSION,
        "z7_source": measured.z7_source,
        "z14_source": measured.z14_source,
        "pairs": [asdict(p) for p in measured.pairs],
    }
    if writable_cache_dir() is not None:
        try:
            path.write_text(json.dumps(record, indent=2), encoding="utf-8")
        except OSError as exc:
            cache_unwritable(path.parent, f"cannot be written ({exc.strerror or exc})")
    return measured
