"""Geometric outputs (``--out``): GeoJSON, GeoPackage and GPX, one layer per kind of feature.

* **GeoPackage** (``.gpkg``) holds every layer in one file.
* **GeoJSON** (``.geojson``, RFC 7946, WGS84) holds one layer per file: a single layer is
  written to the path given, several to ``<stem>.<layer>.geojson`` beside it.
* **GPX** (``.gpx``, version 1.1) holds lines as tracks and points as waypoints, as GPS
  devices and route planners read them; polygons cannot be written to GPX.

Every file is written whole or not at all (:func:`~routing.output.paths.write_atomically`),
and the path and format are checked before any work starts (:func:`check_geo_output`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shapely

from .._text import quoted
from ..exceptions import InvalidArgumentError, OutputError
from .paths import check_output, write_atomically, write_text

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["GEO_FORMATS", "check_geo_output", "layer_paths", "write_layers"]

GEO_FORMATS = {".geojson": "GeoJSON", ".gpkg": "GeoPackage", ".gpx": "GPX"}

_GPX_NS = "http://www.topografix.com/GPX/1/1"
# Columns that name a feature, in order of preference, for GPX's <name>.
_NAME_KEYS = ("name", "route", "band", "kind")


def check_geo_output(path: str | Path, *, polygons: bool = False) -> Path:
    """Check ``path`` for a geometric output before any work; return it.

    Parameters
    ----------
    path
        The file to write; its suffix chooses the format.
    polygons
        The output holds polygons (GPX cannot hold them).

    Raises
    ------
    InvalidArgumentError
        Unknown suffix, or polygons into GPX (exit code 2).
    OutputError
        A path :func:`check_output` refuses.
    """
    out = Path(path).expanduser()
    fmt = out.suffix.lower()
    if fmt not in GEO_FORMATS:
        raise InvalidArgumentError(
            f"cannot write {quoted(out.name)}: unknown format {quoted(fmt or '(no suffix)')}; "
            "use " + ", ".join(f"{s} ({n})" for s, n in GEO_FORMATS.items())
        )
    if polygons and fmt == ".gpx":
        raise InvalidArgumentError(
            f"cannot write {quoted(out.name)}: GPX holds lines and points, not the polygons "
            "of this output; use .geojson or .gpkg"
        )
    return check_output(out)


def layer_paths(path: str | Path, layers: list[str]) -> list[Path]:
    """The files :func:`write_layers` writes for ``layers`` at ``path``.

    Examples
    --------
    >>> [p.name for p in layer_paths("reach.geojson", ["areas", "places"])]
    ['reach.areas.geojson', 'reach.places.geojson']
    >>> [p.name for p in layer_paths("reach.gpkg", ["areas", "places"])]
    ['reach.gpkg']
    """
    out = Path(path).expanduser()
    if out.suffix.lower() != ".geojson" or len(layers) == 1:
        return [out]
    return [out.with_name(f"{out.stem}.{name}{out.suffix}") for name in layers]


def write_layers(path: str | Path, layers: Mapping[str, gpd.GeoDataFrame]) -> list[Path]:
    """Write each GeoDataFrame (EPSG:4326) as one layer; return the files written.

    Raises
    ------
    InvalidArgumentError, OutputError
        As :func:`check_geo_output`, or when writing fails.
    """
    names = list(layers)
    if not names:
        raise OutputError("nothing to write: no layers")
    polygons = any(
        bool(g.geom_type.isin(["Polygon", "MultiPolygon"]).any()) for g in layers.values()
    )
    out = check_geo_output(path, polygons=polygons)
    fmt = out.suffix.lower()
    if fmt == ".gpx":
        return [write_text(out, _gpx(layers))]
    if fmt == ".gpkg":
        return [write_atomically(out, lambda tmp: _gpkg(tmp, layers))]
    targets = [check_output(t) for t in layer_paths(out, names)]
    texts = [layers[n].to_crs(4326).to_json(drop_id=True, ensure_ascii=False) for n in names]
    return [write_text(t, text) for t, text in zip(targets, texts, strict=True)]


def _gpkg(tmp: Path, layers: Mapping[str, gpd.GeoDataFrame]) -> None:
    for i, (name, frame) in enumerate(layers.items()):
        frame.to_crs(4326).to_file(tmp, layer=name, driver="GPKG", mode="w" if i == 0 else "a")


def _gpx(layers: Mapping[str, gpd.GeoDataFrame]) -> str:
    """GPX 1.1: points as waypoints (first), lines as tracks, properties as ``<desc>`` text."""
    ET.register_namespace("", _GPX_NS)
    root = ET.Element(f"{{{_GPX_NS}}}gpx", {"version": "1.1", "creator": "routing"})
    tracks: list[ET.Element] = []
    for frame in layers.values():
        for rec, geom in zip(
            frame.drop(columns=frame.geometry.name).to_dict("records"),
            frame.to_crs(4326).geometry,
            strict=True,
        ):
            if geom is None or geom.is_empty:
                continue
            if geom.geom_type in ("Point", "MultiPoint"):
                for pt in shapely.get_parts(geom):
                    wpt = ET.SubElement(root, f"{{{_GPX_NS}}}wpt", _latlon(pt.x, pt.y))
                    _describe(wpt, rec)
                continue
            trk = ET.Element(f"{{{_GPX_NS}}}trk")
            _describe(trk, rec)
            for line in shapely.get_parts(geom):
                seg = ET.SubElement(trk, f"{{{_GPX_NS}}}trkseg")
                for x, y in line.coords:
                    ET.SubElement(seg, f"{{{_GPX_NS}}}trkpt", _latlon(x, y))
            tracks.append(trk)
    root.extend(tracks)  # GPX orders waypoints before tracks
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _latlon(x: float, y: float) -> dict[str, str]:
    return {"lat": f"{y:.7f}", "lon": f"{x:.7f}"}


def _describe(element: ET.Element, record: Mapping[str, Any]) -> None:
    """``<name>`` from the record's first naming column, ``<desc>`` from the rest."""
    key = next((k for k in _NAME_KEYS if record.get(k) not in (None, "")), None)
    if key is not None:
        ET.SubElement(element, f"{{{_GPX_NS}}}name").text = str(record[key])
    rest = "; ".join(
        f"{k}: {v}"
        for k, v in record.items()
        if k not in (key, "lon", "lat") and v is not None and v == v and v != ""
    )
    if rest:
        ET.SubElement(element, f"{{{_GPX_NS}}}desc").text = rest
