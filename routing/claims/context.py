"""What every claim check shares: the network, the resolved places, the Monte Carlo settings.

A claim kind's checker (:mod:`routing.claims.kinds`) receives one :class:`CheckContext` per
claim file and reads its places, defaults and the road-length band from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..analysis.routes import Route
from ..location import Location
from ..network import RoadNetwork
from .base import Defaults
from .uncertainty import GeneralizationFactor

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
    gen
        The length band of a generalized network, ``None`` on full-detail data.
    """

    defaults: Defaults
    net: RoadNetwork
    loc: dict[str, Location]
    places: dict[str, Any]
    draws: int
    seed: int
    gen: GeneralizationFactor | None

    def base_assumptions(self) -> list[str]:
        """Assumptions every claim of the file shares (data, measures, generalization)."""
        out = [
            f"data: {self.net.meta.describe()}; {self.net.meta.attribution}",
            "road distance: along OSM roads between the points where each place joins the "
            "road (off-road gaps excluded, but added to the upper band)",
            "straight line: geodesic on the WGS84 ellipsoid between the gazetteer points",
        ]
        if self.gen is not None:
            out.append(self.gen.describe())
        return out

    def road_band(self, r: Route) -> tuple[float, float]:
        """Low and high ends (km) of a route's road length."""
        low, high = self.gen.band(r.length_km) if self.gen else (r.length_km, r.length_km)
        gaps = sum(s.distance_m for s in (r.snaps[0], r.snaps[-1])) / 1000.0
        return low, high + gaps

    def road_reason(self, r: Route) -> str:
        """Why the road band of a route is as wide as it is."""
        gaps = sum(s.distance_m for s in (r.snaps[0], r.snaps[-1])) / 1000.0
        gen = (
            f"z7 lines cut bends: the same roads measure x{min(self.gen.low, 1):.3f}-"
            f"x{max(self.gen.high, 1):.3f} on full-detail z14 data"
            if self.gen
            else "full-detail data"
        )
        return gen + (f"; +{gaps:.1f} km off-road at the ends" if gaps >= 0.05 else "")
