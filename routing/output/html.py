"""Interactive claim-check report: one self-contained HTML file.

:func:`write_html` writes the verdict table, each claim with its figures, bands (drawn as a
small chart), explanation and assumptions, and a map of every claim's route, places and
bands, over the toolkit's own roads, water, borders and places as vector layers. Nothing is
fetched when the file is opened: the map library (Leaflet, vendored from the npm registry
with its licence, see ``tools/vendor_leaflet.py``) and all data are inlined, and the page's
Content-Security-Policy forbids any request, so it works offline, in an archive, or attached
to an e-mail.

Geometries are simplified to the map's scale and coordinates rounded to ~10 m, so a report
on the default region stays around 1 MB; the road layer is simplified further until it fits
:data:`ROAD_BUDGET_BYTES`.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import shapely
import shapely.ops

from .._format import format_hours
from .._geo import haversine_m
from .._version import __version__
from ..analysis.routes import Route
from ..claims.model import BorderClaim, ClaimFile, DistanceClaim, TravelTimeClaim
from ..claims.results import ClaimResult, Figure, Verdict
from ..exceptions import DataNotFoundError, InvalidArgumentError
from ..location import Location
from ..network import RoadNetwork
from .figures import OKABE_ITO
from .report import ATTRIBUTION, named_places, shared_assumptions

__all__ = ["ROAD_BUDGET_BYTES", "check_html_path", "report_html", "write_html"]

# Roads are the bulk of a report; past this size they are simplified further.
ROAD_BUDGET_BYTES = 2_500_000
# Douglas-Peucker tolerances tried for the roads, in degrees (~30 m, 100 m, 300 m, 1 km).
_ROAD_TOLERANCES = (0.0003, 0.001, 0.003, 0.01)
_ROUTE_TOLERANCE = 0.0003  # ~30 m: routes keep their bends
_DECIMALS = 4  # ~10 m
_MARGIN = 0.25  # share of the claims' extent added around the map
_ROAD_CLASSES = ("motorway", "trunk", "primary", "secondary", "tertiary")
_VERDICT_TONE = {
    Verdict.ACCURATE: "good",
    Verdict.ROUGHLY_ACCURATE: "good",
    Verdict.PLAUSIBLE: "good",
    Verdict.BORDERLINE: "mixed",
    Verdict.MISLEADING: "mixed",
    Verdict.FALSE: "bad",
    Verdict.IMPLAUSIBLE: "bad",
    Verdict.NOT_CHECKABLE: "none",
}
_VENDOR = "_vendor/leaflet"


def check_html_path(path: str | Path) -> Path:
    """The path as a :class:`~pathlib.Path` if a report can be written there.

    Raises
    ------
    InvalidArgumentError
        Not an ``.html`` file name, or its directory does not exist.
    """
    out = Path(path)
    if out.suffix.lower() not in (".html", ".htm"):
        raise InvalidArgumentError(f"cannot write an HTML report as {out.name!r}: use .html")
    if not out.parent.is_dir():
        raise InvalidArgumentError(f"directory {str(out.parent)!r} does not exist")
    return out


def write_html(
    claim_file: ClaimFile, results: list[ClaimResult], path: str | Path, net: RoadNetwork
) -> Path:
    """Write the interactive report to ``path`` (see :func:`report_html`).

    Raises
    ------
    InvalidArgumentError
        Bad file name or missing directory.
    DataNotFoundError
        The file cannot be written, or the vendored map library is damaged.
    """
    out = check_html_path(path)
    page = report_html(claim_file, results, net)
    try:
        out.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise DataNotFoundError(f"cannot write {str(out)!r}: {exc.strerror or exc}") from exc
    return out


def report_html(claim_file: ClaimFile, results: list[ClaimResult], net: RoadNetwork) -> str:
    """The report as one HTML page with everything inlined.

    Parameters
    ----------
    claim_file, results
        The claims and their check (:func:`~routing.claims.check_claims`).
    net
        The network the claims were checked on (its roads, water and places are drawn).
    """
    places = named_places(claim_file, net)
    claims = [_claim_layer(r, places, claim_file, net) for r in results]
    extent = _extent(claims, places.values(), net)
    data = {
        "bounds": [[extent[1], extent[0]], [extent[3], extent[2]]],
        "colours": {"route": OKABE_ITO["vermillion"], "straight": OKABE_ITO["blue"]},
        "attribution": html.escape(net.meta.credit()),
        **_base_layers(net, extent),
        "claims": claims,
    }
    src = claim_file.source
    title = src.title if src and src.title else "Claim check"
    return _page(title, claim_file, results, net, data)


# ------------------------------------------------------------------------------ data
def _rounded(geom: shapely.Geometry) -> Any:
    """GeoJSON geometry with coordinates rounded to ~10 m."""
    text = shapely.to_geojson(shapely.set_precision(geom, 10**-_DECIMALS))
    return json.loads(text, parse_float=lambda x: round(float(x), _DECIMALS))


def _feature(geom: shapely.Geometry, **props: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": props, "geometry": _rounded(geom)}


def _extent(
    claims: list[dict[str, Any]], places: Iterable[Location], net: RoadNetwork
) -> tuple[float, float, float, float]:
    """Lon/lat box of every claim's geometry and place, with a margin, within the data."""
    pts = [(p.lon, p.lat) for p in places]
    for c in claims:
        for r in c["routes"]:
            pts += shapely.get_coordinates(shapely.geometry.shape(r["geometry"])).tolist()
    if not pts:
        return net.bbox
    xy = np.asarray(pts)
    (w, s), (e, n) = xy.min(axis=0), xy.max(axis=0)
    pad = _MARGIN * max(e - w, n - s, 0.5)
    nw, ns, ne, nn = net.bbox
    return (
        float(max(w - pad, nw)),
        float(max(s - pad, ns)),
        float(min(e + pad, ne)),
        float(min(n + pad, nn)),
    )


def _base_layers(net: RoadNetwork, extent: tuple[float, float, float, float]) -> dict[str, Any]:
    """Roads by class, water, rivers, borders, towns and country names inside ``extent``."""
    box = shapely.box(*extent)
    hits = net.edge_tree.query(box, predicate="intersects")
    classes = net.edges["highway"].astype(str).to_numpy()[hits]
    geoms = net.geometries[hits]
    roads: list[dict[str, Any]] = []
    for tol in _ROAD_TOLERANCES:
        roads = []
        for cls in [*_ROAD_CLASSES, None]:
            sel = ~np.isin(classes, _ROAD_CLASSES) if cls is None else classes == cls
            if sel.any():
                merged = shapely.line_merge(shapely.union_all(geoms[sel]))
                roads.append(_feature(shapely.simplify(merged, tol), cls=cls or "other"))
        if len(json.dumps(roads)) <= ROAD_BUDGET_BYTES:
            break
    layers: dict[str, Any] = {"roads": roads, "water": [], "rivers": [], "countries": []}
    ctx = net.context
    if ctx is not None:
        water = ctx.water[shapely.intersects(ctx.water, box)]
        if len(water):
            layers["water"] = [_feature(shapely.intersection(shapely.union_all(water), box))]
        rivers = ctx.waterways[shapely.intersects(ctx.waterways, box)]
        if len(rivers):
            layers["rivers"] = [_feature(shapely.intersection(shapely.union_all(rivers), box))]
        big = ctx.countries[ctx.countries["rank"] <= 2]
        layers["countries"] = _points_in(box, big["name"], big["x"], big["y"])
    lines = net.border_lines()
    seen = lines[shapely.intersects(lines, box)] if len(lines) else lines
    layers["borders"] = [_feature(shapely.union_all(seen))] if len(seen) else []
    towns = net.places[(net.places["rank"] <= 13)]
    names = towns["name_en"].where(towns["name_en"].astype(bool), towns["name"])
    layers["towns"] = _points_in(box, names, towns["x"], towns["y"])
    return layers


def _points_in(box: shapely.Polygon, names: Any, lon: Any, lat: Any) -> list[dict[str, Any]]:
    """Named points (lon/lat columns) inside ``box``, rounded to ~10 m."""
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    inside = shapely.contains_xy(box, lon, lat)
    return [
        {"name": str(n), "lon": round(float(x), _DECIMALS), "lat": round(float(y), _DECIMALS)}
        for n, x, y in zip(np.asarray(names)[inside], lon[inside], lat[inside], strict=True)
    ]


def _claim_layer(
    res: ClaimResult, places: dict[str, Location], claim_file: ClaimFile, net: RoadNetwork
) -> dict[str, Any]:
    """What the map draws for one claim: its routes, places, ring and stated stretch."""
    claim = res.claim
    layer: dict[str, Any] = {
        "id": claim.id,
        "verdict": res.verdict.value,
        "tone": _VERDICT_TONE[res.verdict],
        "routes": [],
        "points": [],
        "lines": [],
        "ring": None,
        "stretch": None,
    }
    seen: dict[bytes, dict[str, Any]] = {}
    for k, r in enumerate(res.routes):
        geom = shapely.simplify(r.geometry, _ROUTE_TOLERANCE)
        key = shapely.to_wkb(geom)
        label = _route_label(r)
        if key in seen:  # the same road under another speed profile
            seen[key]["label"] += f"; {_format_time(r)}"
            continue
        seen[key] = {"geometry": _rounded(geom), "label": label, "main": k == 0}
        layer["routes"].append(seen[key])
    for role, name in _place_roles(res):
        loc = places.get(name)
        if loc is not None:
            layer["points"].append({"name": str(loc), "lon": loc.lon, "lat": loc.lat, "role": role})
    if res.routes:
        first = res.routes[0]
        for end, role in ((first.origin, "from"), (first.destination, "to")):
            if all(haversine_m(p["lon"], p["lat"], end.lon, end.lat) > 50 for p in layer["points"]):
                layer["points"].append(
                    {"name": str(end), "lon": end.lon, "lat": end.lat, "role": role}
                )
    if isinstance(claim, TravelTimeClaim):
        radius = res.details.get("destination_radius_km")
        dest = places.get(claim.to)
        if radius and dest is not None:
            layer["ring"] = {"lon": dest.lon, "lat": dest.lat, "radius_m": radius * 1000.0}
    if isinstance(claim, DistanceClaim) and res.routes:
        layer["stretch"] = _stated_stretch(
            res.routes[0], claim_file.defaults.accepted_range(claim), res
        )
        a, b = places.get(claim.from_), places.get(claim.to)
        if a is not None and b is not None:
            layer["lines"].append(
                {
                    "geometry": _rounded(shapely.LineString([(a.lon, a.lat), (b.lon, b.lat)])),
                    "label": "straight line",
                    "kind": "straight",
                }
            )
    if isinstance(claim, BorderClaim):
        layer["lines"] += _border_links(claim, places, net)
    return layer


def _format_time(r: Route) -> str:
    """``"4 h 40 min (car)"``: the route's time under its profile."""
    return f"{format_hours(r.time_h)} ({r.profile.name})"


def _route_label(r: Route) -> str:
    kind = "shortest route" if r.optimize == "distance" else "fastest route"
    return f"{kind} {r.origin} \u2192 {r.destination}: {r.length_km:,.0f} km, {_format_time(r)}"


def _place_roles(res: ClaimResult) -> list[tuple[str, str]]:
    """The places a claim names, with their role (from, to, along, border)."""
    roles = []
    for field, _index, name in res.claim.place_refs():
        role = {"from": "from", "to": "to", "places": "along"}.get(field, "place")
        roles.append((role, name))
    return roles


def _stated_stretch(
    r: Route, accepted: tuple[float, float], res: ClaimResult
) -> dict[str, Any] | None:
    """The part of the route the stated distance allows, and where the stated value ends.

    Along the measured road from its origin: "just 100 km" (85-115 km) on a 403 km route is
    the stretch from km 85 to km 115, drawn on the map so a reader sees where the claim
    would put the destination.
    """
    low, high = accepted
    length = r.length_km
    if not length or low >= length:
        return None
    stated = res.claim.quantity.base_value if isinstance(res.claim, DistanceClaim) else low
    hi = min(high, length) if math.isfinite(high) else length
    stretch = shapely.ops.substring(r.geometry, low / length, hi / length, normalized=True)
    marker = None
    if stated <= length:
        p = r.geometry.interpolate(stated / length, normalized=True)
        marker = {"lon": p.x, "lat": p.y}
    return {
        "geometry": _rounded(shapely.simplify(stretch, _ROUTE_TOLERANCE)),
        "label": f"the stated {res.stated} along this road from {r.origin} "
        f"({low:,.0f}-{hi:,.0f} km allowed)",
        "marker": marker,
        "marker_label": f"{res.stated} by road from {r.origin} ends here",
    }


def _border_links(
    claim: BorderClaim, places: dict[str, Location], net: RoadNetwork
) -> list[dict[str, Any]]:
    """A dashed line from each place to the nearest point of the border it is said to be on."""
    lines = net.border_lines(claim.border_with)
    if not len(lines):
        return []
    border = shapely.MultiLineString(list(lines))
    out = []
    for name in [claim.place, *([claim.across_from] if claim.across_from else [])]:
        loc = places.get(name)
        if loc is None:
            continue
        near = shapely.ops.nearest_points(shapely.Point(loc.lon, loc.lat), border)[1]
        km = haversine_m(loc.lon, loc.lat, near.x, near.y) / 1000.0
        out.append(
            {
                "geometry": _rounded(shapely.LineString([(loc.lon, loc.lat), (near.x, near.y)])),
                "label": f"{loc}: {km:.1f} km to the border with {claim.border_with}",
                "kind": "border",
            }
        )
    return out


# ------------------------------------------------------------------------------ page
@cache
def _vendored() -> tuple[str, str, str, str]:
    """Leaflet's script, stylesheet, licence and version, checked against VENDOR.json."""
    root = resources.files("routing.output").joinpath(_VENDOR)
    try:
        record = json.loads(root.joinpath("VENDOR.json").read_text(encoding="utf-8"))
        files = {name: root.joinpath(name).read_bytes() for name in record["sha256"]}
    except (OSError, KeyError, ValueError) as exc:
        raise DataNotFoundError(f"the vendored map library is missing: {exc}") from exc
    for name, digest in record["sha256"].items():
        if hashlib.sha256(files[name]).hexdigest() != digest:
            raise DataNotFoundError(
                f"vendored {name} fails its checksum: reinstall, or run tools/vendor_leaflet.py"
            )
    # Leaflet's stylesheet points at icon images next to it; the report uses none of them,
    # and a file that fetches nothing must not name any.
    css = re.sub(r"url\(images/[^)]*\)", "none", files["leaflet.css"].decode("utf-8"))
    return (
        files["leaflet.js"].decode("utf-8"),
        css,
        files["LICENSE"].decode("utf-8"),
        str(record["version"]),
    )


def _json_for_script(data: Any) -> str:
    # Inside <script>, "</" would end the element; "<\/" is the same JSON string.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def _page(
    title: str,
    claim_file: ClaimFile,
    results: list[ClaimResult],
    net: RoadNetwork,
    data: dict[str, Any],
) -> str:
    leaflet_js, leaflet_css, leaflet_license, leaflet_version = _vendored()
    e = html.escape
    src = claim_file.source
    byline = ", ".join(str(x) for x in (src.publication, src.date, src.url) if x) if src else ""
    shared = shared_assumptions(results)
    rows = "\n".join(
        f'<tr><td><a href="#{e(r.claim_id)}">{e(r.claim_id)}</a></td><td>{e(r.stated)}</td>'
        f'<td><span class="verdict {_VERDICT_TONE[r.verdict]}">{e(r.verdict.value)}</span></td>'
        f"<td>{'<br>'.join(e(f'{f.label}: {f.format()}') for f in r.figures[:2]) or '-'}</td>"
        f'<td><button type="button" class="show" data-claim="{i}">map</button></td></tr>'
        for i, r in enumerate(results)
    )
    sections = "\n".join(_section(i, r, shared, claim_file) for i, r in enumerate(results))
    scale = "\n".join(f"<li><b>{e(v.value)}</b>: {e(v.meaning)}</li>" for v in Verdict)
    return _TEMPLATE.format(
        title=e(title),
        byline=e(byline),
        rows=rows,
        sections=sections,
        shared="\n".join(f"<li>{e(a)}</li>" for a in shared),
        data_line=e(net.meta.describe()),
        credit=e(net.meta.credit()),
        attribution=e(ATTRIBUTION),
        scale=scale,
        version=e(__version__),
        leaflet_css=leaflet_css,
        leaflet_js=leaflet_js,
        leaflet_license=e(leaflet_license),
        leaflet_version=e(leaflet_version),
        data=_json_for_script(data),
        app=_APP_JS,
        style=_STYLE,
    )


def _section(i: int, r: ClaimResult, shared: Sequence[str], claim_file: ClaimFile) -> str:
    """One claim: quote, reading, explanation, band chart, figures, assumptions."""
    e = html.escape
    parts = [
        f'<section id="{e(r.claim_id)}" class="claim">',
        f'<h3>{e(r.claim_id)}: <span class="verdict {_VERDICT_TONE[r.verdict]}">'
        f"{e(r.verdict.value)}</span> "
        f'<button type="button" class="show" data-claim="{i}">show on map</button></h3>',
        f"<blockquote>{e(r.claim.quote)}</blockquote>",
    ]
    if r.claim.note:
        parts.append(f"<p><i>Reading:</i> {e(r.claim.note)}</p>")
    parts.append(f"<p>{e(r.explanation)}</p>")
    chart = _band_chart(r, claim_file)
    if chart:
        parts.append(chart)
    if r.figures:
        parts.append(
            "<table><tr><th>figure</th><th>value</th><th>band</th><th>why the band</th></tr>"
            + "".join(
                f"<tr><td>{e(f.label)}</td><td>{e(f.value_text())}</td>"
                f"<td>{e(f.band_text() or 'exact')}</td><td>{e(f.band_reason or '-')}</td></tr>"
                for f in r.figures
            )
            + "</table>"
        )
    if r.to_make_true:
        parts.append(
            "<p><b>What would make it true:</b></p><ul>"
            + "".join(f"<li>{e(t)}</li>" for t in r.to_make_true)
            + "</ul>"
        )
    own = [a for a in r.assumptions if a not in shared]
    if own:
        parts.append(
            "<p><b>Assumptions of this claim:</b></p><ul>"
            + "".join(f"<li>{e(a)}</li>" for a in own)
            + "</ul>"
        )
    parts.append("</section>")
    return "\n".join(parts)


def _band_chart(r: ClaimResult, claim_file: ClaimFile) -> str:
    """Inline SVG: the stated range and value against the measured figures and their bands.

    Drawn for distance and time claims, on one axis from zero, like the claim figure.
    """
    claim = r.claim
    if not isinstance(claim, DistanceClaim | TravelTimeClaim):
        return ""
    unit = "h" if isinstance(claim, TravelTimeClaim) else "km"
    figures: list[Figure] = [f for f in r.figures if f.unit == unit][:4]
    if not figures:
        return ""
    stated = claim.quantity.base_value
    low, high = claim_file.defaults.accepted_range(claim)
    top = max(
        stated,
        *(v for f in figures for v in (f.value, f.high or f.value)),
        *(x for x in (low, high) if math.isfinite(x)),
    )
    # A column of row labels, then the chart on one axis from zero.
    width, left, right, row_h = 780.0, 350.0, 20.0, 22.0

    def x(v: float) -> float:
        return left + (width - left - right) * min(v, top * 1.05) / (top * 1.05)

    height = row_h * (len(figures) + 1) + 34
    out = [
        f'<svg class="band-chart" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'aria-label="stated against measured, {html.escape(unit)}">'
    ]
    y = 10.0
    hi_x = x(high) if math.isfinite(high) else x(top * 1.05)
    out.append(
        f'<rect x="{x(low):.1f}" y="{y:.1f}" width="{max(hi_x - x(low), 1):.1f}" height="14" '
        'fill="#bbbbbb"><title>range the statement allows</title></rect>'
    )
    out.append(
        f'<path d="M{x(stated):.1f} {y}l7 7-7 7-7-7z" fill="black"><title>stated: '
        f"{html.escape(r.stated)}</title></path>"
    )
    out.append(
        f'<text x="{left - 10}" y="{y + 11:.1f}" text-anchor="end">stated: '
        f"{html.escape(r.stated)}</text>"
    )
    palette = [OKABE_ITO[c] for c in ("vermillion", "blue", "green", "purple")]
    for k, f in enumerate(figures):
        y += row_h
        colour = palette[k % len(palette)]
        if f.low is not None and f.high is not None:
            out.append(
                f'<rect x="{x(f.low):.1f}" y="{y:.1f}" width="{max(x(f.high) - x(f.low), 1):.1f}"'
                f' height="14" fill="{colour}" fill-opacity="0.3"><title>band: '
                f"{html.escape(f.band_text() or '')}; {html.escape(f.band_reason)}</title></rect>"
            )
        out.append(
            f'<circle cx="{x(f.value):.1f}" cy="{y + 7:.1f}" r="5" fill="{colour}"><title>'
            f"{html.escape(f.label)}: {html.escape(f.format())}</title></circle>"
        )
        out.append(
            f'<text x="{left - 10}" y="{y + 11:.1f}" text-anchor="end">'
            f"{html.escape(f.label)}: {html.escape(f.value_text())}</text>"
        )
    y += row_h + 4
    out.append(f'<line x1="{left}" x2="{width - right}" y1="{y}" y2="{y}" stroke="black"/>')
    step = _nice_step(top * 1.05)
    v = 0.0
    while v <= top * 1.05:
        out.append(
            f'<line x1="{x(v):.1f}" x2="{x(v):.1f}" y1="{y}" y2="{y + 4}" stroke="black"/>'
            f'<text x="{x(v):.1f}" y="{y + 16}" text-anchor="middle">{v:g}</text>'
        )
        v += step
    out.append(f'<text x="{width - right}" y="{y + 16}" text-anchor="end">{unit}</text>')
    out.append("</svg>")
    return "".join(out)


def _nice_step(span: float) -> float:
    raw = span / 6
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)


_STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;
max-width:1100px;margin:0 auto;padding:0 16px 40px}
h1{font-size:1.6em;margin:.6em 0 .1em}h2{margin-top:1.6em}
.byline{color:#555;margin:0 0 1em}
table{border-collapse:collapse;margin:.6em 0;width:100%}
td,th{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
.verdict{font-weight:700;padding:1px 6px;border-radius:3px;white-space:nowrap}
.verdict.good{background:#d7efe4;color:#005a3c}.verdict.mixed{background:#fbe8c4;color:#6b4200}
.verdict.bad{background:#f6d3cf;color:#8a1c0f}.verdict.none{background:#e6e6e6;color:#444}
.verdict.good::before{content:"\\2713  "}.verdict.bad::before{content:"\\2717  "}
.verdict.mixed::before{content:"~ "}
#map{height:560px;border:1px solid #999;margin:.8em 0;background:#f3f1ea}
.leaflet-container{background:#f3f1ea;font:13px system-ui,sans-serif}
blockquote{border-left:4px solid #ccc;margin:.5em 0;padding:.2em .8em;color:#333}
section.claim{border-top:1px solid #ccc;padding-top:.4em}
button.show{font-size:.8em;cursor:pointer}
.band-chart{width:100%;max-width:780px;font:11px system-ui,sans-serif}
.town-label{background:none;border:none;box-shadow:none;font-weight:600;color:#222;
text-shadow:0 0 3px #fff,0 0 3px #fff}
.country-label{color:#8c8c8c;font-weight:700;letter-spacing:.3em;font-size:14px;
text-shadow:0 0 3px #fff}
.legend{background:rgba(255,255,255,.92);padding:6px 8px;line-height:1.5;font-size:12px}
.legend i{display:inline-block;width:22px;height:0;margin-right:6px;vertical-align:middle}
footer{color:#555;font-size:.85em;margin-top:2em}
"""

# The map: vector layers only (no tiles), one group per claim, a legend and layer control.
# Drawn with SVG paths whose classes name their layer, so a browser test can count them.
_APP_JS = """
(function () {
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const map = L.map("map", {zoomSnap: 0.25, attributionControl: true});
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(data.attribution);
  L.control.scale({imperial: false}).addTo(map);
  const counts = {};
  function count(name, n) { counts[name] = (counts[name] || 0) + n; }
  function geo(features, style, name) {
    const layer = L.geoJSON(features, {style: () => Object.assign({className: "layer-" + name,
      interactive: false}, style)});
    count(name, features.length);
    return layer;
  }
  const base = {
    "water": geo(data.water, {color: "#6ea6d2", weight: 0.5, fillColor: "#bcd8ee",
      fillOpacity: 1}, "water"),
    "rivers": geo(data.rivers, {color: "#6ea6d2", weight: 1.2}, "rivers"),
  };
  const roadStyle = {motorway: ["#4d4d4d", 2.4], trunk: ["#7a7a7a", 1.8],
    primary: ["#a6a6a6", 1.3], secondary: ["#bbbbbb", 1], tertiary: ["#c8c8c8", 0.8],
    other: ["#d0d0d0", 0.6]};
  const roads = L.layerGroup(data.roads.map(f => {
    const s = roadStyle[f.properties.cls] || roadStyle.other;
    count("roads", 1);
    return L.geoJSON(f, {style: {color: s[0], weight: s[1], className: "layer-roads",
      interactive: false}});
  }));
  const borders = geo(data.borders, {color: "#333", weight: 1.4, dashArray: "8 3 2 3"},
    "borders");
  const towns = L.layerGroup(data.towns.map(t => {
    count("towns", 1);
    return L.circleMarker([t.lat, t.lon], {radius: 3, color: "#333", fillColor: "#333",
      fillOpacity: 1, weight: 1, className: "layer-towns"}).bindTooltip(t.name,
      {permanent: false, direction: "right"});
  }));
  const countries = L.layerGroup(data.countries.map(c => {
    count("countries", 1);
    return L.marker([c.lat, c.lon], {interactive: false, keyboard: false,
      icon: L.divIcon({className: "country-label", html: c.name.toUpperCase(),
        iconSize: [160, 20], iconAnchor: [80, 10]})});
  }));
  [base.water, base.rivers, roads, borders, towns, countries].forEach(l => l.addTo(map));
  const groups = data.claims.map((c, i) => {
    const g = L.featureGroup();
    c.routes.forEach(r => {
      L.geoJSON(r.geometry, {style: {color: "#fff", weight: 7, opacity: 0.9,
        className: "layer-route-casing"}}).addTo(g);
      L.geoJSON(r.geometry, {style: {color: data.colours.route, weight: r.main ? 4 : 2.5,
        dashArray: r.main ? null : "6 5", className: "layer-route"}})
        .bindTooltip(r.label, {sticky: true}).addTo(g);
      count("route", 1);
    });
    c.lines.forEach(l => {
      L.geoJSON(l.geometry, {style: {color: l.kind === "border" ? "#000" : data.colours.straight,
        weight: 2, dashArray: "6 4", className: "layer-" + l.kind}})
        .bindTooltip(l.label, {sticky: true}).addTo(g);
      count(l.kind, 1);
    });
    if (c.stretch) {
      L.geoJSON(c.stretch.geometry, {style: {color: "#000", weight: 12, opacity: 0.25,
        lineCap: "butt", className: "layer-stated"}}).bindTooltip(c.stretch.label,
        {sticky: true}).addTo(g);
      count("stated", 1);
      if (c.stretch.marker) {
        L.circleMarker([c.stretch.marker.lat, c.stretch.marker.lon], {radius: 6,
          color: "#000", fillColor: "#fff", fillOpacity: 1, weight: 2,
          className: "layer-stated-end"}).bindTooltip(c.stretch.marker_label,
          {permanent: true, direction: "bottom", className: "town-label"}).addTo(g);
      }
    }
    if (c.ring) {
      L.circle([c.ring.lat, c.ring.lon], {radius: c.ring.radius_m, color: "#555",
        weight: 1.5, dashArray: "4 4", fill: false, className: "layer-ring"})
        .bindTooltip("outskirts: " + (c.ring.radius_m / 1000) + " km from the centre")
        .addTo(g);
      count("ring", 1);
    }
    c.points.forEach(p => {
      L.circleMarker([p.lat, p.lon], {radius: 5, color: "#222", fillColor:
        p.role === "from" || p.role === "to" ? data.colours.route : "#fff",
        fillOpacity: 1, weight: 1.5, className: "layer-place"})
        .bindTooltip(p.name, {permanent: true, direction: "right", className: "town-label"})
        .addTo(g);
      count("place", 1);
    });
    return g;
  });
  const overlays = {"water": base.water, "rivers": base.rivers, "roads": roads,
    "borders": borders, "towns": towns};
  data.claims.forEach((c, i) => {
    overlays["<span class='verdict " + c.tone + "'>" + c.verdict + "</span> " + c.id] =
      groups[i];
  });
  L.control.layers(null, overlays, {collapsed: false}).addTo(map);
  const legend = L.control({position: "bottomleft"});
  legend.onAdd = function () {
    const div = L.DomUtil.create("div", "legend");
    div.innerHTML =
      "<i style='border-top:4px solid " + data.colours.route + "'></i>route by road<br>" +
      "<i style='border-top:2px dashed " + data.colours.straight + "'></i>straight line<br>" +
      "<i style='border-top:10px solid rgba(0,0,0,.25)'></i>stretch the stated figure " +
      "allows<br><i style='border-top:2px dashed #000'></i>place to border<br>" +
      "<i style='border-top:2px dashed #333'></i>international border<br>" +
      "<i style='border-top:6px solid #bcd8ee'></i>river, lake";
    return div;
  };
  legend.addTo(map);
  // One claim at a time, so the labels of several claims do not pile up; the layer control
  // adds others.
  function show(i, scroll) {
    groups.forEach((g, k) => { if (k === i) { g.addTo(map); } else { map.removeLayer(g); } });
    const b = groups[i].getBounds();
    if (b.isValid()) { map.fitBounds(b.pad(0.15)); }
    if (scroll) {
      document.getElementById("map").scrollIntoView({behavior: "smooth", block: "center"});
    }
  }
  document.querySelectorAll("button.show").forEach(b =>
    b.addEventListener("click", () => show(Number(b.dataset.claim), true)));
  map.fitBounds(data.bounds);
  if (groups.length) { groups[0].addTo(map); }
  window.routingReport = {counts: counts, claims: data.claims.length, show: show,
    toScreen: (lon, lat) => map.latLngToContainerPoint([lat, lon])};
  document.body.dataset.mapReady = "1";
})();
"""

_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="routing {version}">
<title>Claim check: {title}</title>
<style>
/* Leaflet {leaflet_version}: (c) Volodymyr Agafonkin, (c) CloudMade; BSD-2-Clause, see below */
{leaflet_css}
</style>
<style>{style}</style>
</head>
<body>
<header>
<h1>Claim check: {title}</h1>
<p class="byline">{byline}</p>
</header>
<h2>Verdicts</h2>
<table class="verdicts">
<tr><th>claim</th><th>stated</th><th>verdict</th><th>measured (band)</th><th></th></tr>
{rows}
</table>
<div id="map" role="region" aria-label="map of the claims"></div>
<p class="byline">Map: {data_line}. {credit}. No online basemap: roads, water, borders and
towns are the data the claims were checked on. Toggle layers and claims at the top right.</p>
<h2>Data and method (every claim)</h2>
<ul>
{shared}
</ul>
<h2>Claims</h2>
{sections}
<h2>Verdict scale</h2>
<ul>
{scale}
</ul>
<footer>
<p>{attribution} {credit}.</p>
<p>Written by routing {version}. This file is self-contained and fetches nothing.</p>
<details><summary>Software licence: Leaflet {leaflet_version} (BSD-2-Clause), inlined
in this file</summary><pre>{leaflet_license}</pre></details>
</footer>
<script>
{leaflet_js}
</script>
<script type="application/json" id="report-data">{data}</script>
<script>{app}</script>
</body>
</html>
"""
