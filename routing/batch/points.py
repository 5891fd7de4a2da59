"""Points with ids from a file: the origins and destinations of large matrices.

A CSV or Parquet file with an ``id`` column and longitude/latitude columns (``lon``/``lat``,
``longitude``/``latitude`` or ``x``/``y``, WGS84 degrees), or a GeoParquet file of points (any
CRS, turned into WGS84) with an ``id`` column; Parquet needs pyarrow (the ``dask`` extra).
Each point becomes a :class:`~routing.location.Location` named by its id, so matrix rows and
columns are labelled by id.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..exceptions import BatchInputError, DataFormatError, DataNotFoundError
from ..location import Location

__all__ = ["POINT_SUFFIXES", "is_points_file", "read_points"]

POINT_SUFFIXES = (".csv", ".parquet", ".geoparquet")
_LON_LAT = (("lon", "lat"), ("lng", "lat"), ("longitude", "latitude"), ("x", "y"))


def is_points_file(value: object) -> bool:
    """Whether ``value`` names a points file (a path with a :data:`POINT_SUFFIXES` suffix)."""
    return isinstance(value, str | Path) and Path(value).suffix.lower() in POINT_SUFFIXES


def read_points(path: str | Path, id_column: str = "id") -> list[Location]:
    """The points of a CSV or GeoParquet file, named by their ids, in file order.

    Raises
    ------
    DataNotFoundError
        The file does not exist or cannot be read.
    DataFormatError
        The file is not valid CSV or Parquet.
    BatchInputError
        No points, no id or coordinate columns, geometries that are not points, missing or
        out-of-range coordinates, or duplicate ids (each is named).
    """
    path = Path(path)
    if not path.is_file():
        raise DataNotFoundError(f"no such points file: {path}")
    try:
        if path.suffix.lower() == ".csv":
            frame = pd.read_csv(path, dtype={id_column: str})
            lon, lat = _lon_lat(frame, path)
        else:
            frame, lon, lat = _parquet(path)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, ValueError) as exc:
        raise DataFormatError(f"cannot read points from {path}: {exc}") from exc
    if id_column not in frame.columns:
        raise BatchInputError(
            f"{path}: no {id_column!r} column (columns: {', '.join(map(str, frame.columns))})"
        )
    if frame.empty:
        raise BatchInputError(f"{path}: no points")
    ids = frame[id_column].astype(str).to_numpy()
    bad = ~(np.isfinite(lon) & np.isfinite(lat) & (np.abs(lon) <= 180) & (np.abs(lat) <= 90))
    if bad.any():
        raise BatchInputError(
            f"{path}: {bad.sum()} point(s) with missing or out-of-range coordinates, e.g. id "
            f"{ids[bad][0]!r}"
        )
    dup = pd.Index(ids).duplicated()
    if dup.any():
        raise BatchInputError(f"{path}: duplicate id(s), e.g. {ids[dup][0]!r}; ids must be unique")
    source = f"points file {path.name}"
    return [
        Location(i, float(x), float(y), source)
        for i, x, y in zip(ids, lon.tolist(), lat.tolist(), strict=True)
    ]


def _lon_lat(frame: pd.DataFrame, path: Path) -> tuple[np.ndarray, np.ndarray]:
    columns = {str(c).lower(): c for c in frame.columns}
    for lon, lat in _LON_LAT:
        if lon in columns and lat in columns:
            return (
                pd.to_numeric(frame[columns[lon]], errors="coerce").to_numpy(float),
                pd.to_numeric(frame[columns[lat]], errors="coerce").to_numpy(float),
            )
    raise BatchInputError(
        f"{path}: no coordinate columns; expected one of "
        + ", ".join(f"{a}/{b}" for a, b in _LON_LAT)
    )


def _parquet(path: Path) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """A (Geo)Parquet file's attributes and point coordinates in WGS84."""
    import geopandas as gpd
    import pyarrow.parquet as pq

    if b"geo" not in (pq.read_schema(path).metadata or {}):  # plain Parquet: lon/lat columns
        plain = pd.read_parquet(path)
        return (plain, *_lon_lat(plain, path))
    frame = gpd.read_parquet(path)
    if frame.crs is not None:
        frame = frame.to_crs(4326)
    kinds = set(frame.geom_type.dropna())
    if kinds - {"Point"}:
        raise BatchInputError(
            f"{path}: geometries must be points, found {', '.join(sorted(kinds - {'Point'}))}"
        )
    lon = frame.geometry.x.to_numpy(float)
    lat = frame.geometry.y.to_numpy(float)
    return pd.DataFrame(frame.drop(columns=frame.geometry.name)), lon, lat
