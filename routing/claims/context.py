"""What every claim check shares: the networks, the resolved places, the Monte Carlo settings.

A claim kind's checker (:mod:`routing.claims.kinds`) receives one :class:`CheckContext` per
claim file and reads its places, defaults and road figures from it. A road figure is measured
on the network and, where the data are generalized, cross-checked on an independent second
network (:mod:`routing.analysis.crosscheck`): its band comes from the data's calibration, and
a figure in doubt (a road missing from the data, an implausible detour) is flagged so that no
verdict rests on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..analysis.calibration import Calibration, calibration_for
from ..analysis.crosscheck import CrossCheck, cross_check
from ..analysis.routes import Route
from ..exceptions import NoRouteError
from ..location import Location
from ..network import RoadNetwork
from .base import Defaults
from .results import Figure

__all__ = ["CheckContext"]


@dataclass
class CheckContext:
    """Shared inputs of the checks of one claim file.

    Attributes
    ----------
    defaults
        The file's comparison defaults.
    net
        The road network measured on.
    loc
        Every place name of the file, resolved to a point.
    places
        The gazetteer's record of each name (country, population, ...).
    draws, seed
        Monte Carlo draws per speed profile, and the random seed.
    second
        An independent network to cross-check road figures on (``None``: no cross-check).
    """

    defaults: Defaults
    net: RoadNetwork
    loc: dict[str, Location]
    places: dict[str, Any]
    draws: int
    seed: int
    second: RoadNetwork | None = None
    _checks: dict[tuple[Location, Location], CrossCheck] = field(default_factory=dict)

    @property
    def calibration(self) -> Calibration | None:
        """The measured error bands of the network's data (``None``: full detail)."""
        return calibration_for(self.net.meta)

    def base_assumptions(self) -> list[str]:
        """Assumptions every claim of the file shares (data, measures, bands)."""
        out = [
            f"data: {self.net.meta.describe()}; {self.net.meta.attribution}",
            "road distance: the shortest route along the roads between the points where the "
            "places join them, plus the off-road legs from each place to its road (straight "
            "lines)",
            "straight line: geodesic on the WGS84 ellipsoid between the gazetteer points",
        ]
        cal = self.calibration
        if cal is not None:
            out.append(cal.describe())
        if self.second is not None:
            out.append(
                f"cross-check: every road figure is also measured on {self.second.meta.describe()}"
                "; where the two disagree beyond their bands the figure is flagged and no "
                "verdict rests on it"
            )
        return out

    def cross_check(self, a: Location, b: Location) -> tuple[CrossCheck, Route]:
        """The road figure between two places on both networks (measured once per pair), and
        the shortest route on the network.

        Raises
        ------
        NoRouteError
            No route on the network (the reason says why).
        """
        key = (a, b)
        if key not in self._checks:
            self._checks[key] = cross_check(a, b, self.net, self.second)
        found = self._checks[key]
        if found.primary.route is None:
            raise NoRouteError(found.primary.problem)
        return found, found.primary.route

    def road_figure(self, check: CrossCheck, label: str) -> Figure:
        """The primary network's place-to-place road figure with its band and why."""
        total = check.primary.total_km
        if total is None:
            raise NoRouteError(check.primary.problem)
        band = check.band
        if band is None:
            reasons = ["full-detail data: no calibrated band"]
            low = high = None
        else:
            reasons = [p.describe() for p in band.parts]
            # The calibrated range can lie to one side of the measured figure (generalized
            # routes run long where they miss minor roads); the figure itself stays in it.
            low, high = min(band.low_km, total), max(band.high_km, total)
            if (low, high) != (band.low_km, band.high_km):
                reasons.append("widened to keep the measured figure")
        reasons += [f"warning: {f.message}" for f in check.flags]
        return Figure(label, total, "km", low, high, band_reason="; ".join(reasons))
