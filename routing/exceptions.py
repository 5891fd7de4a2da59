"""Typed exceptions raised by the toolkit, all in one place.

Every error a user can provoke with bad input derives from :class:`RoutingError`; the CLI
turns each into a one-line message and the exit code given by ``exit_code``:

* 2: bad input or usage (unknown place, malformed file or argument, output exists);
* 3: data, cache or I/O problems (missing or corrupt data, an output that cannot be written);
* 4: off the network or no route.

Warnings that do not stop the work (a cache that cannot be written) are
:class:`RoutingWarning` subclasses, printed by the CLI as one ``warning:`` line.
"""

from __future__ import annotations

from ._text import quoted

__all__ = [
    "AmbiguousPlaceError",
    "BadTileError",
    "BatchInputError",
    "CacheError",
    "CacheWarning",
    "ClaimFileError",
    "ClusterError",
    "DataFormatError",
    "DataNotFoundError",
    "DataOutsideBoundsError",
    "DataWarning",
    "FigureError",
    "InvalidArgumentError",
    "InvalidBBoxError",
    "NoRouteError",
    "OffNetworkError",
    "OutputError",
    "OutputExistsError",
    "OverpassUnavailableError",
    "PlaceNotFoundError",
    "PlaceQueryError",
    "ProfileError",
    "ReachError",
    "RegionError",
    "RoutingError",
    "RoutingWarning",
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


class BadTileError(DataFormatError):
    """One vector tile is corrupt, empty, misplaced or not as its manifest lists it.

    Parameters
    ----------
    tile
        The tile, ``"z/x/y"`` (XYZ rows).
    reason
        What is wrong with it, e.g. ``"empty (0 bytes)"``.
    source
        The tile folder or MBTiles file, if known.
    """

    def __init__(self, tile: str, reason: str, source: object = None) -> None:
        self.tile, self.reason = tile, reason
        where = f" of {source}" if source is not None else ""
        super().__init__(f"tile {tile}{where}: {reason}")


class DataOutsideBoundsError(RoutingError):
    """A requested bounding box does not overlap the data source."""

    exit_code = 3


class CacheError(RoutingError):
    """A cached network is corrupt, stale or unwritable."""

    exit_code = 3


class ClusterError(RoutingError):
    """A Dask cluster cannot be reached or used (scheduler unreachable, Dask not installed)."""

    exit_code = 3


class OutputError(RoutingError):
    """An output file or folder cannot be created or written (the filesystem refuses)."""

    exit_code = 3


class OutputExistsError(RoutingError):
    """An output file exists and replacing it was not asked for (``--force``)."""

    exit_code = 2


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
        msg = f"unknown place {quoted(query)}"
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
        super().__init__(
            f"place name {quoted(query)} is ambiguous; candidates: {'; '.join(candidates)}; "
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


class InvalidBBoxError(InvalidArgumentError, DataOutsideBoundsError):
    """A bbox argument is not ``(west, south, east, north)`` with west < east, south < north.

    A usage error (exit code 2) wherever a bbox is given; also a
    :class:`DataOutsideBoundsError` for callers that catch that.
    """

    exit_code = 2


class ReachError(RoutingError):
    """Reachability limits or origins are malformed: none, zero, negative, both hours and km."""

    exit_code = 2


class FigureError(RoutingError):
    """A figure cannot be drawn or saved as asked (bad format, missing optional package)."""

    exit_code = 2


class RoutingWarning(UserWarning):
    """Something the user should know that does not stop the work."""


class DataWarning(RoutingWarning):
    """The data has a flaw that may affect results (e.g. tiles that roads run into are absent)."""


class CacheWarning(RoutingWarning):
    """A cache is unusable (corrupt, unwritable): it is rebuilt, or the work is done in memory."""
