"""Reach results as GIS files: one GeoPackage layer, or one GeoJSON file, per kind of feature.

The kinds are :data:`~routing.analysis.reach.LAYERS`: the band polygons, the origins, the
places and the reached roads (see :meth:`Reach.layers <routing.analysis.reach.Reach.layers>`).
A GeoPackage holds all four as layers, with the metric, data date and assumptions in its
metadata; GeoJSON holds one kind a file: the bands in the file named (what an isochrone file
holds, as Valhalla's and openrouteservice's do) and the others beside it as
``<stem>-origins.geojson``, ``<stem>-places.geojson`` and ``<stem>-roads.geojson``, each
FeatureCollection with the assumptions in its ``properties``.

Paths follow :mod:`routing.output.paths` (checked before any work, missing folders created);
files are written under temporary names and renamed at the end, so a failure leaves no
partial file.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..analysis.reach import Reach
from ..exceptions import InvalidArgumentError, OutputError
from .paths import check_output, output_folder

__all__ = ["LAYER_SUFFIXES", "check_layers_path", "write_layers"]

LAYER_SUFFIXES = (".gpkg", ".geojson", ".json")


def check_layers_path(path: str | Path) -> Path:
    """Check that :func:`write_layers` can write ``path``, before any work; the path.

    Raises
    ------
    InvalidArgumentError
        The suffix is not ``.gpkg``, ``.geojson`` or ``.json``.
    OutputError
        As :func:`routing.output.paths.check_output` (a folder that cannot be written).
    """
    out = Path(path).expanduser()
    if out.suffix.lower() not in LAYER_SUFFIXES:
        raise InvalidArgumentError(
            f"cannot write reach layers as {out.name!r}: use one of " + ", ".join(LAYER_SUFFIXES)
        )
    return check_output(out)


def write_layers(result: Reach, path: str | Path) -> list[Path]:
    """Write every layer of ``result`` to ``path`` (``.gpkg`` or ``.geojson``); the files.

    Raises
    ------
    InvalidArgumentError, OutputError
        As :func:`check_layers_path`, or when writing fails (disk full).
    """
    out = check_layers_path(path)
    layers = result.layers()
    if out.suffix.lower() == ".gpkg":
        targets = {out: layers}
    else:
        targets = {
            out if kind == "bands" else out.with_name(f"{out.stem}-{kind}{out.suffix}"): {
                kind: frame
            }
            for kind, frame in layers.items()
        }
    for target in targets:
        check_output(target)
    output_folder(out.parent)
    temporary: dict[Path, Path] = {}
    try:
        for target, frames in targets.items():
            fd, name = tempfile.mkstemp(
                dir=target.parent, prefix=f".{target.name}.", suffix=target.suffix
            )
            os.close(fd)
            temporary[target] = Path(name)
            _write_file(result, Path(name), frames)
        for target, tmp in temporary.items():
            os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(f"cannot write {out}: {exc.strerror or exc}") from exc
    finally:
        for tmp in temporary.values():
            tmp.unlink(missing_ok=True)
    return list(targets)


def _write_file(result: Reach, path: Path, frames: Mapping[str, Any]) -> None:
    if path.suffix.lower() == ".gpkg":
        path.unlink()  # GDAL creates the GeoPackage itself
        meta = {
            k: json.dumps(v) if isinstance(v, list) else str(v)
            for k, v in result.properties.items()
        }
        for kind, frame in frames.items():
            frame.to_file(path, layer=kind, driver="GPKG", dataset_metadata=meta)
        return
    ((kind, _),) = frames.items()
    path.write_text(json.dumps(result.to_geojson(kind), ensure_ascii=False), "utf-8")
