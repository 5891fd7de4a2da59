"""One JSON document for every command's machine output: the envelope.

Every ``routing ... --json`` prints one object of the same shape, described by the JSON
Schema ``docs/output.schema.json`` (and :data:`SCHEMA_VERSION`)::

    {
      "schema_version": "1.0",
      "command": "route",
      "toolkit": {"name": "routing", "version": "0.1.0"},
      "generated": "2026-11-29T09:00:00+00:00",
      "query": {...},          # the command's input, as the user gave it
      "results": [{...}, ...], # one object per answer (route, pair, place, claim, row)
      "summary": {...},        # figures about the results as a whole (may be empty)
      "notes": ["..."],        # warnings a reader must see (text output prints them on stderr)
      "errors": [{...}],       # rows or inputs that could not be used (may be empty)
      "assumptions": ["..."],  # every assumption behind the figures, once each
      "data": [{...}],         # each dataset used: source, date, zoom, resolution, attribution
      "attribution": "..."     # the credit line every publication of the figures must carry
    }

Durations are numbers in hours and in minutes side by side: every ``<name>_h`` number has a
``<name>_min`` sibling, and every object whose ``unit`` is ``"h"`` has ``<key>_min`` beside each
of its numbers (``value``, ``low``, ``high``, ``figure``, ``band``). JSON has no infinity or NaN:
open-ended ranges and missing figures are ``null``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .._version import __version__
from ..network import NetworkMeta

__all__ = ["SCHEMA_VERSION", "data_record", "envelope", "jsonable", "to_json"]

SCHEMA_VERSION = "1.0"

# Keys holding a figure in the object's ``unit`` (hours, when the unit is "h").
_FIGURE_KEYS = ("value", "low", "high", "figure", "band")


def data_record(meta: NetworkMeta, role: str = "roads") -> dict[str, Any]:
    """What an envelope's ``data`` says about one network.

    Parameters
    ----------
    meta
        The network's provenance.
    role
        What the network is used for: ``"roads"`` (the figures), ``"cross-check"`` (the
        independent second network), ``"detail"`` (full-detail data for part of the region).

    Examples
    --------
    >>> from routing.network import NetworkMeta
    >>> rec = data_record(NetworkMeta(source="test tiles", path="/data", zoom=7))
    >>> rec["role"], rec["zoom"], rec["osm"]
    ('roads', 7, True)
    """
    return {
        "role": role,
        "region": meta.region,
        "source": meta.source,
        "path": meta.path,
        "osm_date": meta.osm_date,
        "zoom": meta.zoom,
        "resolution_m": meta.resolution_m,
        "generalized": meta.generalized,
        "road_classes": list(meta.road_classes),
        "bbox": list(meta.bbox) if meta.bbox else None,
        "osm": meta.osm,
        "attribution": meta.credit(),
        "description": meta.describe(),
    }


def envelope(
    command: str,
    *,
    query: Mapping[str, Any],
    results: Sequence[Mapping[str, Any]],
    assumptions: Iterable[str] = (),
    data: Sequence[Mapping[str, Any]] = (),
    summary: Mapping[str, Any] | None = None,
    notes: Iterable[str] = (),
    errors: Sequence[Mapping[str, Any]] = (),
    attribution: str | None = None,
) -> dict[str, Any]:
    """The JSON-ready envelope of one command's answer (see the module docstring).

    ``attribution`` defaults to the credit lines of every dataset in ``data``, each once.
    Durations gain their minutes, and non-finite numbers become ``None``.

    Examples
    --------
    >>> doc = envelope("places", query={"query": "Ana"}, results=[{"time_h": 1.5}])
    >>> doc["schema_version"], doc["results"]
    ('1.0', [{'time_h': 1.5, 'time_min': 90.0}])
    """
    if attribution is None:
        attribution = "; ".join(dict.fromkeys(str(d["attribution"]) for d in data))
    doc = {
        "schema_version": SCHEMA_VERSION,
        "command": command,
        "toolkit": {"name": "routing", "version": __version__},
        "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "query": dict(query),
        "results": [dict(r) for r in results],
        "summary": dict(summary or {}),
        "notes": list(dict.fromkeys(notes)),
        "errors": [dict(e) for e in errors],
        "assumptions": list(dict.fromkeys(assumptions)),
        "data": [dict(d) for d in data],
        "attribution": attribution,
    }
    out: dict[str, Any] = jsonable(doc)
    return out


def jsonable(value: Any) -> Any:
    """``value`` with numpy scalars as Python numbers, non-finite floats as ``None`` and
    minutes beside every duration in hours.

    Examples
    --------
    >>> jsonable({"time_h": 0.5})
    {'time_h': 0.5, 'time_min': 30.0}
    >>> jsonable({"unit": "h", "low": 1.0, "high": float("inf")})
    {'unit': 'h', 'low': 1.0, 'high': None, 'low_min': 60.0, 'high_min': None}
    """
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        out = {str(k): jsonable(v) for k, v in value.items()}
        for key, v in list(out.items()):
            if key.endswith("_h") and f"{key[:-2]}_min" not in out and _number_or_none(v):
                out[f"{key[:-2]}_min"] = _minutes(v)
        if out.get("unit") == "h":
            for key in _FIGURE_KEYS:
                if key in out and f"{key}_min" not in out:
                    out[f"{key}_min"] = _minutes(out[key])
        return out
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return jsonable(value.item())
    return value


def to_json(doc: Mapping[str, Any]) -> str:
    """The envelope as indented JSON text (UTF-8 names kept as they are)."""
    return json.dumps(doc, indent=1, ensure_ascii=False, allow_nan=False)


def _number_or_none(v: Any) -> bool:
    return v is None or (isinstance(v, int | float) and not isinstance(v, bool))


def _minutes(v: Any) -> Any:
    if isinstance(v, list):
        return [_minutes(x) for x in v]
    if isinstance(v, int | float) and not isinstance(v, bool):
        return round(v * 60.0, 1)
    return None
