"""Cross-check a road figure on generalized data against a second, independent network.

Generalized data (zoom-7 tiles hold only motorway, trunk and primary roads) can lack a road,
and then its figure is wrong by far more than bend-cutting explains: Ramadi-Hit measures
111 km on the z7 OSM data, 68 km on Natural Earth, about 70 km on the ground.
:func:`cross_check` measures a pair of places on both networks and returns a
:class:`CrossCheck`:

* each network's figure as road km between the snapped road points plus the two off-road
  legs (:class:`NetworkFigure`), and the straight line (geodesic, WGS84);
* a band for the true distance from the network's measured calibration
  (:mod:`routing.analysis.calibration`): road factor (a), off-road legs (c), as
  :class:`BandPart` s a reader can audit;
* flags, in words, where the figure may rest on a data artefact (b): no route, the two
  networks disagree beyond their bands, a detour factor above what full-detail routes of that
  length reach, or off-road legs that make up most of the figure. A flagged figure's band is
  widened to cover the other network (or down to the straight line), and ``settled`` is False
  with the reason; :meth:`CrossCheck.judge` says what each network supports for a given
  value.

The detector needs no full-detail data (in Iraq only z7 and Natural Earth exist); its
thresholds are measured on Syria, where the z14 extract gives the truth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .._geo import geodesic_m
from ..exceptions import NoRouteError, OffNetworkError
from ..location import Location, PointLike, as_location
from ..network import RoadNetwork
from .calibration import Calibration, calibration_for
from .routes import Route, route

__all__ = [
    "Band",
    "BandPart",
    "CrossCheck",
    "Flag",
    "FlagKind",
    "Judgement",
    "NetworkFigure",
    "assess",
    "calibrated_band",
    "cross_check",
    "network_label",
]

# Closer than this, routing refuses the pair as the same place (routes.route does too).
_SAME_PLACE_KM = 0.1

FlagKind = Literal["no-route", "networks-disagree", "implausible-detour", "far-off-road"]


@dataclass(frozen=True)
class BandPart:
    """One component of a band: how far it moves the band's low and high ends.

    The parts add up: the figure plus every part's ``low_km`` is the band's low end, plus
    every ``high_km`` its high end.

    Attributes
    ----------
    name
        ``"road factor"``, ``"off-road legs"``, ``"straight line"`` or ``"other network"``.
    low_km, high_km
        How far this component moves the low and the high end (km; negative is down).
    reason
        How the component was measured, in words.
    """

    name: str
    low_km: float
    high_km: float
    reason: str

    def describe(self) -> str:
        return f"{self.name} {self.low_km:+,.0f}/{self.high_km:+,.0f} km ({self.reason})"


@dataclass(frozen=True)
class Band:
    """Range of the true distance between two places, around a figure.

    Attributes
    ----------
    figure_km
        The figure the band is around (road km plus off-road legs).
    low_km, high_km
        The range (never below the straight line).
    parts
        Components behind the range, in the order applied.
    """

    figure_km: float
    low_km: float
    high_km: float
    parts: tuple[BandPart, ...]

    def contains(self, km: float) -> bool:
        return self.low_km <= km <= self.high_km

    @property
    def relative(self) -> tuple[float, float]:
        """The range as factors of the figure (to scale a travel time the same way)."""
        return self.low_km / self.figure_km, self.high_km / self.figure_km

    def describe(self) -> str:
        """``'58-75 km: road factor -3/+1 km (...); off-road legs ...'``."""
        parts = "; ".join(p.describe() for p in self.parts)
        return f"{self.low_km:,.0f}-{self.high_km:,.0f} km: {parts}"


@dataclass(frozen=True)
class NetworkFigure:
    """One network's distance between two places.

    Attributes
    ----------
    label
        How prose names the network (``"z7 OSM"``, ``"Natural Earth"``).
    source
        ``meta.describe()`` of the network.
    road_km
        Road length between the two snapped road points; None if no route or off the network.
    access_km
        Off-road legs (straight line) at the origin and the destination, km.
    band
        Calibrated range of the true distance; None without a calibration or a figure.
    problem
        Why there is no figure (the routing error), else ``""``.
    route
        The route itself (roads, geometry), if one was found.
    """

    label: str
    source: str
    road_km: float | None
    access_km: tuple[float, float]
    band: Band | None
    problem: str = ""
    route: Route | None = field(default=None, repr=False, compare=False)

    @property
    def total_km(self) -> float | None:
        """Road km plus both off-road legs: the network's place-to-place figure."""
        return None if self.road_km is None else self.road_km + sum(self.access_km)

    def describe(self) -> str:
        """``'z7 OSM: 111 km (110.8 km by road + 0.8 km off-road)'`` or why there is none."""
        if self.total_km is None or self.road_km is None:
            return f"{self.label}: no figure ({self.problem})"
        return (
            f"{self.label}: {self.total_km:,.0f} km ({self.road_km:,.1f} km by road + "
            f"{sum(self.access_km):,.1f} km off-road)"
        )


@dataclass(frozen=True)
class Flag:
    """A reason to distrust a figure, in plain words."""

    kind: FlagKind
    message: str


@dataclass(frozen=True)
class Judgement:
    """What the data say about one value (a published or claimed distance).

    Attributes
    ----------
    value_km
        The value judged.
    inside
        Whether it lies inside the final (widened if flagged) band; None without a band.
    by_network
        ``(label, inside)`` per network with a band.
    settled
        True if the answer does not depend on which network is right.
    reason
        Why it is not settled (``"cannot be settled on this data: ..."``), else ``""``.
    """

    value_km: float
    inside: bool | None
    by_network: tuple[tuple[str, bool], ...]
    settled: bool
    reason: str


@dataclass(frozen=True)
class CrossCheck:
    """A distance measured on two networks, with a band and flags (see the module docstring).

    Attributes
    ----------
    origin, destination
        The places, resolved once and measured from the same points on both networks.
    straight_km
        Geodesic distance (WGS84) between them.
    primary
        The figure on the network asked for (generalized OSM).
    second
        The figure on the independent network, if one was given.
    band
        The final band: the primary's, widened when flagged; None if the data were never
        calibrated (full-detail data, the truth the calibration is measured against).
    flags
        Reasons to distrust the primary figure.
    notes
        Plain facts that are not flags (e.g. the second network has no road nearby).
    """

    origin: Location
    destination: Location
    straight_km: float
    primary: NetworkFigure
    second: NetworkFigure | None
    band: Band | None
    flags: tuple[Flag, ...]
    notes: tuple[str, ...] = ()

    @property
    def settled(self) -> bool:
        """True if no flag was raised: figures can rest on the primary network alone."""
        return not self.flags

    @property
    def reason(self) -> str:
        """Why the figure is not settled, as one line; ``""`` if it is."""
        if self.settled:
            return ""
        return "cannot be settled on this data: " + "; ".join(f.message for f in self.flags)

    @property
    def figures(self) -> tuple[NetworkFigure, ...]:
        return (self.primary,) if self.second is None else (self.primary, self.second)

    def judge(self, value_km: float, *, floor_km: float | None = None) -> Judgement:
        """Whether each network supports ``value_km`` and whether that settles it.

        Parameters
        ----------
        value_km
            The distance to judge.
        floor_km
            Lower every band's low end to this (e.g. the straight line, for a figure that may
            be straight-line rather than by road).
        """
        by_network = tuple(
            (f.label, _within(f.band, value_km, floor_km)) for f in self.figures if f.band
        )
        inside = None if self.band is None else _within(self.band, value_km, floor_km)
        verdicts = {ok for _, ok in by_network}
        if self.settled:
            return Judgement(value_km, inside, by_network, True, "")
        if len(by_network) > 1 and len(verdicts) == 1:
            # Whatever the artefact, every network gives the same answer for this value.
            return Judgement(value_km, inside, by_network, True, "")
        supports = [label for label, ok in by_network if ok]
        rejects = [label for label, ok in by_network if not ok]
        said = []
        if supports:
            said.append(f"{' and '.join(supports)} support{'s' * (len(supports) == 1)} it")
        if rejects:
            said.append(f"{' and '.join(rejects)} do{'es' * (len(rejects) == 1)} not")
        reason = self.reason + (f" ({value_km:,.0f} km: {', '.join(said)})" if said else "")
        return Judgement(value_km, inside, by_network, False, reason)

    def describe(self) -> list[str]:
        """Lines for a report: figures, band, flags, notes."""
        lines = [f.describe() for f in self.figures]
        lines.append(f"straight line: {self.straight_km:,.1f} km (geodesic, WGS84)")
        if self.band is not None:
            lines.append("band: " + self.band.describe())
        lines += [f"warning: {f.message}" for f in self.flags]
        lines += [f"note: {n}" for n in self.notes]
        return lines

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form (JSON-ready)."""

        def band(b: Band | None) -> dict[str, Any] | None:
            if b is None:
                return None
            return {
                "low_km": round(b.low_km, 2),
                "high_km": round(b.high_km, 2),
                "parts": [
                    {
                        "name": p.name,
                        "low_km": round(p.low_km, 2),
                        "high_km": round(p.high_km, 2),
                        "reason": p.reason,
                    }
                    for p in b.parts
                ],
            }

        def figure(f: NetworkFigure) -> dict[str, Any]:
            return {
                "label": f.label,
                "source": f.source,
                "road_km": None if f.road_km is None else round(f.road_km, 2),
                "access_km": [round(a, 2) for a in f.access_km],
                "total_km": None if f.total_km is None else round(f.total_km, 2),
                "band": band(f.band),
                "problem": f.problem,
            }

        return {
            "origin": self.origin.name,
            "destination": self.destination.name,
            "straight_km": round(self.straight_km, 2),
            "primary": figure(self.primary),
            "second": None if self.second is None else figure(self.second),
            "band": band(self.band),
            "flags": [{"kind": f.kind, "message": f.message} for f in self.flags],
            "notes": list(self.notes),
            "settled": self.settled,
            "reason": self.reason,
        }


def _within(band: Band, km: float, floor_km: float | None) -> bool:
    low = band.low_km if floor_km is None else min(band.low_km, floor_km)
    return low <= km <= band.high_km


def network_label(net: RoadNetwork, calibration: Calibration | None = None) -> str:
    """How prose names a network: the calibration's label, else ``"z7 OSM"`` or the source."""
    if calibration is not None:
        return calibration.label
    meta = net.meta
    if meta.osm:
        return f"z{meta.zoom} OSM" if meta.zoom is not None else "OSM"
    return meta.source.split(",", 1)[0].split(" (", 1)[0]


def cross_check(
    origin: PointLike,
    destination: PointLike,
    primary: RoadNetwork,
    second: RoadNetwork | None,
    *,
    calibrations: list[Calibration] | tuple[Calibration, ...] | None = None,
) -> CrossCheck:
    """Measure two places on the primary network and on an independent second network.

    Parameters
    ----------
    origin, destination
        :class:`~routing.location.Location`, ``(lon, lat)`` or gazetteer Place: measured
        from the same points on both networks.
    primary
        The network the figure is for (normally generalized OSM).
    second
        The independent network (a region pack's ``crosscheck``), or None for none.
    calibrations
        Candidate calibrations (default: the files shipped with the package).

    Returns
    -------
    CrossCheck

    Raises
    ------
    NoRouteError
        Origin and destination are the same place.
    """
    net = primary
    a, b = as_location(origin), as_location(destination)
    cal = calibration_for(net.meta, calibrations)
    straight_km = _straight_km(a, b)
    if straight_km < _SAME_PLACE_KM:
        route(a, b, net=net)  # raises NoRouteError, naming the places
    first = _figure(a, b, net, cal)
    other = None
    if second is not None:
        other = _figure(a, b, second, calibration_for(second.meta, calibrations))
    return assess(a, b, straight_km, first, other, cal)


def assess(
    origin: Location,
    destination: Location,
    straight_km: float,
    primary: NetworkFigure,
    second: NetworkFigure | None,
    calibration: Calibration | None,
) -> CrossCheck:
    """Flags and the final band from figures already measured (no routing).

    :func:`cross_check` routes and calls this; the calibration benchmark calls it on
    recorded figures, so that flags are measured exactly as they are raised.
    """
    between = f"between {origin} and {destination}"
    flags: list[Flag] = []
    notes: list[str] = []
    p, s = primary, second
    if p.total_km is None:
        flags.append(Flag("no-route", f"no {p.label} route {between} ({p.problem})"))
    if s is not None and s.total_km is None:
        notes.append(f"no {s.label} figure {between} ({s.problem})")
    if p.total_km is not None and s is not None and s.total_km is not None:
        flag = _disagreement(p, s, between)
        if flag is not None:
            flags.append(flag)
    if p.total_km is not None and calibration is not None:
        flags += _plausibility(p, calibration, straight_km, origin, destination)
    band = _final_band(p, s, flags, straight_km)
    if p.total_km is not None and calibration is None:
        notes.append(f"no calibration for the {p.label} data: its figure has no band")
    return CrossCheck(origin, destination, straight_km, p, s, band, tuple(flags), tuple(notes))


def _disagreement(p: NetworkFigure, s: NetworkFigure, between: str) -> Flag | None:
    """Flag two figures whose bands do not overlap (or a figure outside the other's band)."""
    if p.total_km is None or s.total_km is None:
        return None
    p_low, p_high = (p.band.low_km, p.band.high_km) if p.band else (p.total_km, p.total_km)
    s_low, s_high = (s.band.low_km, s.band.high_km) if s.band else (s.total_km, s.total_km)
    if p_low <= s_high and s_low <= p_high:
        return None
    if p.total_km > s.total_km:
        return Flag(
            "networks-disagree",
            f"the {p.label} data seems to lack a road {between}: {s.label} gives "
            f"{s.total_km:,.0f} km ({p.label} {p.total_km:,.0f} km)",
        )
    return Flag(
        "networks-disagree",
        f"{s.label} gives {s.total_km:,.0f} km where the {p.label} data gives "
        f"{p.total_km:,.0f} km: {s.label} seems to lack a road {between}, or the {p.label} "
        "data joins roads that do not meet",
    )


def _plausibility(
    p: NetworkFigure, cal: Calibration, straight_km: float, a: Location, b: Location
) -> list[Flag]:
    """Flags from the primary figure alone: implausible detour, mostly off-road."""
    if p.total_km is None:
        return []
    out = []
    limit = cal.detour_limit(straight_km)
    detour = p.total_km / straight_km
    if detour > limit.detour:
        out.append(
            Flag(
                "implausible-detour",
                f"the {p.label} route is x{detour:.2f} the straight line, more than "
                f"{limit.quantile:.0%} of full-detail routes with a straight line of this "
                f"length (x{limit.detour:.2f}, {limit.pairs} measured): a road may be missing "
                f"from the {p.label} data",
            )
        )
    share = sum(p.access_km) / p.total_km if p.total_km else 0.0
    if share > cal.max_access_share:
        out.append(
            Flag(
                "far-off-road",
                f"{a} and {b} lie {p.access_km[0]:,.0f} km and {p.access_km[1]:,.0f} km from "
                f"the nearest {p.label} road: {share:.0%} of the figure is off-road legs, "
                "whose real length the data do not show",
            )
        )
    return out


def _final_band(
    p: NetworkFigure, s: NetworkFigure | None, flags: list[Flag], straight_km: float
) -> Band | None:
    """The primary band; when flagged, widened to the other network or the straight line."""
    if not flags:
        return p.band
    # Without a primary figure the other network's band is all there is; a primary figure
    # that was never calibrated keeps no band.
    base = p.band if p.total_km is not None else (s.band if s is not None else None)
    if base is None:
        return None
    low, high, parts = base.low_km, base.high_km, list(base.parts)
    other = s if base is p.band else None
    if other is not None and other.total_km is not None:
        o_low, o_high = (
            (other.band.low_km, other.band.high_km)
            if other.band
            else (other.total_km, other.total_km)
        )
        if o_low < low or o_high > high:
            parts.append(
                BandPart(
                    "other network",
                    min(o_low, low) - low,
                    max(o_high, high) - high,
                    f"widened to cover {other.label}'s band, the data being in doubt",
                )
            )
            low, high = min(low, o_low), max(high, o_high)
    elif any(f.kind in ("implausible-detour", "far-off-road") for f in flags):
        # A missing road could make the way as short as the straight line.
        parts.append(
            BandPart(
                "straight line",
                straight_km - low,
                0.0,
                "low end lowered to the straight line: a missing road or a shorter access "
                "road could make the way that short",
            )
        )
        low = straight_km
    return Band(base.figure_km, low, high, tuple(parts))


def _figure(a: Location, b: Location, net: RoadNetwork, cal: Calibration | None) -> NetworkFigure:
    label = network_label(net, cal)
    try:
        r = route(a, b, net=net)
    except (NoRouteError, OffNetworkError) as exc:
        return NetworkFigure(label, net.meta.describe(), None, (0.0, 0.0), None, str(exc))
    road_km = r.road_km
    access = (r.snaps[0].distance_m / 1000.0, r.snaps[-1].distance_m / 1000.0)
    band = None if cal is None else calibrated_band(cal, road_km, access, r.straight_km)
    return NetworkFigure(label, net.meta.describe(), road_km, access, band, route=r)


def calibrated_band(
    cal: Calibration, road_km: float, access_km: tuple[float, float], straight_km: float
) -> Band:
    """The calibrated range of the true distance for a road figure and its off-road legs.

    ``true = road_km x road factor + off-road km x access factor``, each factor between its
    stored quantiles, and never below the straight line.
    """
    off_km = sum(access_km)
    figure = road_km + off_km
    road_lo, road_hi = cal.road_band(road_km)
    acc_lo, acc_hi = cal.access_band(off_km)
    rc = cal.road_class(road_km)
    truth = cal.measured.get("truth_label", "full-detail")
    parts = [
        BandPart(
            "road factor",
            road_lo - road_km,
            road_hi - road_km,
            f"x{rc.low:.2f}-x{rc.high:.2f}: {truth} / {cal.label} km between the same road "
            f"points on {rc.pairs} measured routes of this length (bends cut, shorter roads "
            f"the {cal.label} data leave out)",
        ),
        BandPart(
            "off-road legs",
            acc_lo - off_km,
            acc_hi - off_km,
            f"per km of straight off-road leg ({off_km:,.1f} km here) the true distance differs "
            f"by {cal.access.low:+.2f} to {cal.access.high:+.2f} km: real access roads wind, "
            f"or join the road elsewhere ({cal.access.pairs} measured pairs)",
        ),
    ]
    low, high = road_lo + acc_lo, road_hi + acc_hi
    if low < straight_km:
        raise_high = max(straight_km - high, 0.0)
        parts.append(BandPart("straight line", straight_km - low, raise_high, "no way is shorter"))
        low, high = straight_km, high + raise_high
    return Band(figure, low, high, tuple(parts))


def _straight_km(a: Location, b: Location) -> float:
    return geodesic_m(a.lon, a.lat, b.lon, b.lat) / 1000.0
