"""Typed exceptions raised by the toolkit, all in one place.

Every error a user can provoke with bad input derives from :class:`RoutingError`; the CLI
turns each into a one-line message and the exit code given by ``exit_code``.
"""

from __future__ import annotations

__all__ = [
    "AmbiguousPlaceError",
    "BatchInputError",
    "CacheError",
    "ClaimFileError",
    "ClusterError",
    "DataFormatError",
    "DataNotFoundError",
    "DataOutsideBoundsError",
    "FigureError",
    "InvalidArgumentError",
    "NoRouteError",
    "OffNetworkError",
    "OverpassUnavailableError",
    "PlaceNotFoundError",
    "PlaceQueryError",
    "ProfileError",
    "ReachError",
    "RegionError",
    "RoutingError",
    "ScenarioError",
]


class RoutingError(Exception):
    """Base class of every error the toolkit raises on purpose."""

    exit_code: int = 1


class DataNotFoundError(RoutingError):
    """Input data (a file, directory or named region's source) does not exist or is unreadable."""

    exit_code = 3


class DataFormatError(RoutingError):
    """A data file exists but is corrupt, truncated or not in the format its name promises."""

    exit_code = 3


class DataOutsideBoundsError(RoutingError):
    """A requested bounding box does not overlap the data source."""

    exit_code = 3


class CacheError(RoutingError):
    """A cached network is corrupt, stale or unwritable."""

    exit_code = 3


class ClusterError(RoutingError):
    """A Dask cluster cannot be reached or used (scheduler unreachable, Dask not installed)."""

    exit_code = 3


class OverpassUnavailableError(RoutingError):
    """The Overpass API could not be reached (no network, refused, timed out)."""

    exit_code = 3


class PlaceNotFoundError(RoutingError):
    """A place name matched nothing in the gazetteer.

    Parameters
    ----------
    query
        The name the user gave.
    suggestions
        Close names the user may have meant, best first.
    """

    exit_code = 2

    def __init__(self, query: str, suggestions: list[str] | None = None) -> None:
        self.query = query
        self.suggestions = suggestions or []
        msg = f"unknown place {query!r}"
        if self.suggestions:
            msg += "; did you mean: " + ", ".join(self.suggestions) + "?"
        super().__init__(msg)


class PlaceQueryError(RoutingError):
    """A place query is malformed: coordinates out of range, or an unknown country/province."""

    exit_code = 2


class AmbiguousPlaceError(RoutingError):
    """A place name matched several distinct places; the user must pick one."""

    exit_code = 2

    def __init__(self, query: str, candidates: list[str]) -> None:
        self.query = query
        self.candidates = candidates
        lines = "\n".join(f"  - {c}" for c in candidates)
        super().__init__(
            f"place name {query!r} is ambiguous; candidates:\n{lines}\n"
            "give a more specific name, 'Name, Country', or 'lat,lon'"
        )


class OffNetworkError(RoutingError):
    """A point lies farther from any road than the allowed snap distance."""

    exit_code = 4


class NoRouteError(RoutingError):
    """No route exists between two points under the given constraints."""

    exit_code = 4


class ProfileError(RoutingError):
    """A speed profile is unknown or a profile file is malformed."""

    exit_code = 2


class BatchInputError(RoutingError):
    """A batch input (articles folder, texts file, points file) is empty or malformed."""

    exit_code = 2


class ClaimFileError(RoutingError):
    """A claim file is malformed; the message names the claim id and line."""

    exit_code = 2


class ScenarioError(RoutingError):
    """A scenario rule (road closure, avoided area, checkpoint) is malformed or matches nothing."""

    exit_code = 2


class InvalidArgumentError(RoutingError, ValueError):
    """An argument is out of its allowed values (a ValueError too, for plain-Python callers)."""

    exit_code = 2


class RegionError(RoutingError):
    """A region pack file is malformed, or a region name is unknown."""

    exit_code = 2


class ReachError(RoutingError):
    """Reachability limits or origins are malformed: none, zero, negative, both hours and km."""

    exit_code = 2


class FigureError(RoutingError):
    """A figure cannot be drawn or saved as asked (bad format, missing optional package)."""

    exit_code = 2
