"""Publication figures: route map, reach map and claim figure (matplotlib, offline).

Every figure carries its assumptions in a footer (data source and date, speed profile, road
versus straight line) and the data's full credit line (:func:`credit`). Maps are drawn in a
local transverse Mercator projection centred on the map, so the scale bar is true to well
under 1 % across a few hundred kilometres and grid north is true north at the centre. They
show the data's water, rivers and borders, each country's name on its side of the borders in
view, and a locator inset (the map's frame in its region) when the data has a map context
(:class:`~routing.network.MapContext`). Colours are the Okabe-Ito colour-blind-safe palette;
reach bands run from dark red (near) to pale yellow (far), distinct in hue and in greyscale
(:func:`band_colours`); text sizes suit print at column width.

Labels are placed best first at the first free spot around their point: clear of markers,
of the route and straight line, of other labels, the legend, the scale bar and the locator;
a town label with no free spot is dropped (its marker stays). Route ends, origins and named
towns may move further out, tied to their point by a leader line. On reach maps a town's
label never sits on a band that its own time contradicts (a town reached in 2 h 44 min off
the 1 h and 2 h bands; one beyond every band off all of them). Arabic names
(``arabic=True``) need a font with Arabic glyphs (matplotlib's bundled DejaVu Sans has them)
and text shaping: matplotlib 3.11+ shapes and orders right-to-left text itself (libraqm);
older versions draw letters unjoined and left to right, so there the optional extra
``routing[arabic]`` (``arabic-reshaper`` and ``python-bidi``) does it.

Save with :func:`save_figure` (PNG, SVG or PDF). Artists carry ``gid`` labels (``"route"``,
``"straight-line"``, ``"scale-bar"``, ``"north-arrow"``, ``"attribution"``, ``"band"``,
``"place-label"``, ``"country-label"``, ``"water"``, ``"waterways"``, ``"subtitle"``,
``"locator-frame"``, ``"verdict"``; the inset axes ``"locator"``) so notebooks and tests can
find them.
"""

from __future__ import annotations

import itertools
import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib
import matplotlib.patheffects as pe
import matplotlib.pyplot as plt
import numpy as np
import shapely
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.text import Annotation, Text
from pyproj import CRS, Transformer

from .._format import format_hours
from .._geo import haversine_m
from ..exceptions import FigureError, OutputError, PlaceQueryError
from ..network import RoadNetwork, country_name
from .paths import check_output, output_folder

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..analysis.reach import Reach
    from ..analysis.routes import Route
    from ..location import Location

__all__ = [
    "OKABE_ITO",
    "ClaimRow",
    "FigureError",
    "band_colours",
    "check_figure_path",
    "claim_figure",
    "local_crs",
    "reach_map",
    "route_map",
    "save_figure",
]

OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
OSM_ATTRIBUTION = "(c) OpenStreetMap contributors"
_SAVE_FORMATS = (".png", ".svg", ".pdf")
_BAND_LABEL_LINES = 2
# Road styling: (colour, line width in points, legend label), most important first.
_ROAD_STYLE: dict[str, tuple[str, float, str]] = {
    "motorway": ("#4d4d4d", 1.6, "motorway"),
    "trunk": ("#7a7a7a", 1.2, "trunk road"),
    "primary": ("#a6a6a6", 0.8, "primary road"),
}
_MINOR_ROAD = ("#c8c8c8", 0.5, "other road")
_WATER = "#bcd8ee"  # lakes and sea
_RIVER = "#6ea6d2"
_LAND = "#f3f1ea"  # locator inset
_COUNTRY = "#8c8c8c"  # country names
_FONT = {"title": 13, "label": 9, "small": 8, "footer": 7}
_FIG_WIDTH_IN = 8.0
_MARGIN = 0.08  # share of the data extent added around a map
_NEAR_M = 5_000.0  # towns this close to a labelled origin/end are left unlabelled
_LABEL_ROOM_DEG = 0.25  # room (~25 km) left around a town that is labelled off the bands
# matplotlib 3.11 lays text out with libraqm: Arabic is joined and ordered right to left.
_MPL_SHAPES_TEXT = tuple(matplotlib.__version_info__[:2]) >= (3, 11)


@dataclass(frozen=True)
class ClaimRow:
    """One claim as drawn by :func:`claim_figure`: the stated value against measured ones.

    Attributes
    ----------
    label
        Row label, e.g. ``"Husaybah -> Baghdad, by road"``.
    stated
        The value the source states.
    stated_low, stated_high
        Range the statement allows ("about 100 km" -> 90..110); default: ``stated``.
    measured
        Measured values by kind, e.g. ``{"road": 408.0, "straight line": 336.0}``.
    measured_low, measured_high
        Uncertainty band of the first measured value (e.g. speed-profile range).
    unit
        Unit of every value in the row, e.g. ``"km"`` or ``"h"``.
    verdict
        Short verdict text shown at the row's right, e.g. ``"understated"``.
    band_label
        Why the band is as wide as it is, written above the row's right end, e.g.
        ``"5-95 % of 10,000 speed draws"``; empty for none.
    """

    label: str
    stated: float
    measured: Mapping[str, float]
    unit: str
    stated_low: float | None = None
    stated_high: float | None = None
    measured_low: float | None = None
    measured_high: float | None = None
    verdict: str = ""
    band_label: str = ""

    def __post_init__(self) -> None:
        if not self.measured:
            raise FigureError(f"claim row {self.label!r} has no measured value")
        values = [
            self.stated,
            *self.measured.values(),
            *(
                v
                for v in (self.stated_low, self.stated_high, self.measured_low, self.measured_high)
                if v is not None
            ),
        ]
        if not all(math.isfinite(v) for v in values):
            raise FigureError(f"claim row {self.label!r} has a non-finite value")
        for lo, hi, what in (
            (self.stated_low, self.stated_high, "stated"),
            (self.measured_low, self.measured_high, "measured"),
        ):
            if lo is not None and hi is not None and lo > hi:
                raise FigureError(f"claim row {self.label!r}: {what} low {lo} > high {hi}")


def local_crs(lon: float, lat: float) -> CRS:
    """Transverse Mercator on WGS84 centred at ``(lon, lat)``: metres, true scale there."""
    return CRS.from_proj4(
        f"+proj=tmerc +lat_0={lat:.6f} +lon_0={lon:.6f} +k=1 +datum=WGS84 +units=m +no_defs"
    )


def check_figure_path(path: str | Path) -> Path:
    """The path as a :class:`~pathlib.Path` if a figure can be saved there.

    Call it before expensive work, so a typo in the output path fails at once. Missing
    folders are allowed: :func:`save_figure` creates them (see :mod:`routing.output.paths`).

    Raises
    ------
    FigureError
        Unsupported extension.
    OutputError
        The folder cannot be created or written.
    """
    out = Path(path)
    if out.suffix.lower() not in _SAVE_FORMATS:
        raise FigureError(
            f"cannot save a figure as {out.name!r}: use one of " + ", ".join(_SAVE_FORMATS)
        )
    return check_output(out)


def save_figure(fig: Figure, path: str | Path, *, dpi: int = 200) -> Path:
    """Save a figure as PNG, SVG or PDF (by the file's extension); returns the path.

    Missing folders on the way are created.

    Raises
    ------
    FigureError
        Unsupported extension.
    OutputError
        The folder cannot be created, or the file cannot be written.
    """
    out = check_figure_path(path)
    output_folder(out.parent)
    try:
        fig.savefig(out, dpi=dpi, bbox_inches="tight")
    except OSError as exc:
        raise OutputError(f"cannot write {str(out)!r}: {exc.strerror or exc}") from exc
    return out


# ------------------------------------------------------------------------------ maps
def route_map(
    route: Route,
    *,
    arabic: bool = False,
    straight_line: bool = True,
    towns: Sequence[Location] = (),
) -> Figure:
    """Map of one route: roads by class, the route highlighted, towns, borders, cartography.

    Parameters
    ----------
    route
        A route from :func:`routing.analysis.routes.route`.
    arabic
        Add Arabic names under the English labels (needs ``arabic-reshaper`` and
        ``python-bidi``).
    straight_line
        Also draw the straight line between the endpoints (dashed).
    towns
        Places to mark and label before the data's own towns, e.g. those an article names
        (smaller towns such as Rawa or Husaybah are not in zoom-7 place layers).
    """
    geom = route.geometry
    ends = [(route.origin.lon, route.origin.lat), (route.destination.lon, route.destination.lat)]
    canvas = _Canvas.around(route.net, shapely.union_all([geom, shapely.MultiPoint(ends)]))
    canvas.context()
    canvas.roads()
    canvas.borders()
    named = [
        t for t in towns if all(haversine_m(lon, lat, t.lon, t.lat) >= _NEAR_M for lon, lat in ends)
    ]
    town_style: dict[str, Any] = {"marker": "o", "mfc": "white", "mec": "#222222", "mew": 1.2}
    for t in named:
        x, y = canvas.project_xy(t.lon, t.lat)
        if canvas.contains(x, y):
            canvas.marker(x, y, ms=5, zorder=7, **town_style)
            canvas.label(
                x, y, str(t), priority=0, size=_FONT["label"], color="#222222", leader=True
            )
    if named:
        canvas.ax.plot([], [], ms=5, ls="none", label="named town", **town_style)
    canvas.places(arabic=arabic, skip=[*ends, *((t.lon, t.lat) for t in named)])
    line = canvas.project(geom)
    canvas.ax.plot(*line.T, color="white", lw=5.5, solid_capstyle="round", zorder=5)
    kind = "shortest route" if route.optimize == "distance" else "fastest route"
    canvas.line(
        line,
        color=OKABE_ITO["vermillion"],
        lw=3.2,
        solid_capstyle="round",
        zorder=6,
        gid="route",
        label=f"{kind} by road",
    )
    if straight_line:
        canvas.line(
            canvas.project(shapely.LineString(ends)),
            color=OKABE_ITO["blue"],
            lw=1.6,
            ls=(0, (5, 3)),
            zorder=6,
            gid="straight-line",
            label="straight line",
        )
    for loc, marker in ((route.origin, "o"), (route.destination, "s")):
        x, y = canvas.project_xy(loc.lon, loc.lat)
        canvas.marker(
            x, y, marker=marker, ms=9, mfc=OKABE_ITO["vermillion"], mec="black", mew=1.2, zorder=8
        )
        canvas.label(
            x,
            y,
            _two_lines(str(loc)),
            priority=-1,
            size=_FONT["label"] + 1,
            weight="bold",
            clear=4.5,
            required=True,
        )
    how = "by road length" if route.optimize == "distance" else "by travel time"
    canvas.title(
        f"{route.origin} to {route.destination}: {route.length_km:,.0f} km by road",
        f"{kind.capitalize()} ({how}); {format_hours(route.time_h)} by car at the speeds of "
        f"profile {route.profile.name!r}"
        + (f"; {route.straight_km:,.0f} km in a straight line" if straight_line else ""),
    )
    canvas.finish(
        [
            f"Route: {kind}, along OSM roads between the points where each end joins the road; "
            f"time: {route.profile.describe()}.",
            "Straight line: geodesic distance between the given points.",
        ]
    )
    return canvas.fig


def reach_map(result: Reach, *, arabic: bool = False, label_limit: int = 14) -> Figure:
    """Map of a reachability result: nested band polygons with a legend, origins, places.

    Parameters
    ----------
    result
        From :func:`routing.analysis.reach.reach`.
    arabic
        Add Arabic names under the English labels (needs optional packages, see
        :func:`route_map`).
    label_limit
        Label at most this many places (the nearest), reached ones with their times.
    """
    bands = result.bands
    shown = result.places[
        np.isfinite(result.places["time_h"].fillna(result.places["distance_km"]))
    ].head(label_limit)
    extent = shapely.union_all(
        [*bands.geometry, *[shapely.Point(o.lon, o.lat) for o in result.origins]]
    )
    # A town beyond the bands but on their edge is labelled off them: leave it room.
    edge_towns = shapely.points(shown.loc[~shown["reached"], ["lon", "lat"]].to_numpy())
    edge_towns = edge_towns[shapely.contains(shapely.envelope(extent), edge_towns)]
    extent = shapely.union_all([extent, *shapely.buffer(edge_towns, _LABEL_ROOM_DEG)])
    canvas = _Canvas.around(result.net, extent)
    ax = canvas.ax
    canvas.context()
    colours = band_colours(len(bands))
    # Rings between consecutive limits, so no two bands stack their transparency and each
    # colour on the map matches its legend swatch.
    areas = [canvas.project_geometry(g) for g in bands.geometry]
    rings = [areas[0], *(shapely.difference(b, a) for a, b in itertools.pairwise(areas))]
    for k in reversed(range(len(bands))):
        if shapely.is_empty(rings[k]):
            continue
        row = bands.iloc[k]
        patch = _patch(rings[k], colours[k])
        patch.set_gid("band")
        patch.set_label(f"reached within {_limit(row.limit, row.unit)}")
        ax.add_patch(patch)
    canvas.roads()
    canvas.borders()
    star: dict[str, Any] = {"marker": "*", "mfc": OKABE_ITO["orange"], "mec": "black"}
    for o in result.origins:
        canvas.marker(*canvas.project_xy(o.lon, o.lat), ms=15, mew=1.0, zorder=8, **star)
    ax.plot(
        [],
        [],
        ms=12,
        ls="none",
        **star,
        label="origin" if len(result.origins) == 1 else f"origins ({len(result.origins)})",
    )
    if len(result.origins) == 1:
        x, y = canvas.project_xy(result.origins[0].lon, result.origins[0].lat)
        canvas.label(
            x,
            y,
            _two_lines(str(result.origins[0])),
            priority=-1,
            size=_FONT["label"] + 1,
            weight="bold",
            clear=6.0,
            required=True,
        )
    limits = list(bands["limit"])
    for rank, r in enumerate(shown.itertuples()):
        x, y = canvas.project_xy(r.lon, r.lat)
        if not canvas.contains(x, y) or any(
            haversine_m(o.lon, o.lat, r.lon, r.lat) < _NEAR_M for o in result.origins
        ):
            continue
        figure = format_hours(r.time_h) if result.unit == "h" else f"{r.distance_km:,.0f} km"
        if not r.reached:
            figure += f", beyond {result.limit_text}"
        canvas.marker(
            x, y, marker="o", ms=5, mfc="black" if r.reached else "white", mec="black", zorder=7
        )
        # A label must not sit on a band that says the town is nearer than it is: a town
        # beyond every band keeps off all of them, a 2 h 44 town off the 2 h band (bands
        # are nested, so the 1 h band is inside it).
        nearer = [k for k, limit in enumerate(limits) if not r.reached or limit < r.band]
        canvas.label(
            x,
            y,
            f"{r.name}\n{figure}" + _arabic_suffix(r.name_ar, arabic),
            priority=rank,
            size=_FONT["label"],
            color="black" if r.reached else "#555555",
            forbid=areas[nearer[-1]] if nearer else None,
            leader=bool(nearer),
        )
    figure_kind = "time" if result.unit == "h" else "road km"
    ax.plot(
        [],
        [],
        marker="o",
        ms=5,
        mfc="black",
        mec="black",
        ls="none",
        label=f"town reached ({figure_kind})",
    )
    ax.plot(
        [],
        [],
        marker="o",
        ms=5,
        mfc="white",
        mec="black",
        ls="none",
        label=f"town not reached ({figure_kind})",
    )
    origin = (
        str(result.origins[0]) if len(result.origins) == 1 else f"{len(result.origins)} origins"
    )
    steps = ", ".join(f"{x:g}" for x in limits[:-1])
    within = f"{steps} and {result.limit_text}" if steps else result.limit_text
    if result.unit == "h":
        headline = f"Reachable by car from {origin} within {within}"
        how = f"travel time at the speeds of profile {result.profile.name!r}"
    else:
        headline = f"Reachable by road from {origin} within {within}"
        how = "road distance"
    canvas.title(
        headline,
        f"{how}; areas: {result.area_text}; towns labelled with their own time",
    )
    canvas.finish([a for a in result.assumptions if not a.startswith("data:")])
    return canvas.fig


def band_colours(n: int) -> np.ndarray:
    """RGBA colours of ``n`` reach bands, nearest first.

    ColorBrewer's YlOrRd from dark red (near) to pale yellow (far): distinct hues that also
    order by lightness in greyscale and for colour-blind readers, and stand apart from the
    blue of water.
    """
    return np.asarray(plt.get_cmap("YlOrRd")(np.linspace(0.95, 0.15, n) if n > 1 else [0.9]))


def _limit(value: float, unit: str) -> str:
    return f"{value:g} h" if unit == "h" else f"{value:,.0f} km"


# ---------------------------------------------------------------------- claim figure
def claim_figure(
    rows: Sequence[ClaimRow],
    *,
    title: str = "Stated against measured",
    assumptions: Sequence[str] = (),
    attribution: str = OSM_ATTRIBUTION,
) -> Figure:
    """One panel per claim: the stated value and range against the measured values.

    Each row has its own axis (claims mix kilometres and hours). The stated value is a black
    diamond with its allowed range as a grey bar; measured values are coloured markers, the
    first with its uncertainty band in its colour (the row's ``band_label`` says why the band
    is that wide); the verdict is written at the right.

    Parameters
    ----------
    rows
        The claims, top to bottom.
    title
        Figure title.
    assumptions
        Extra footer lines, e.g. the data source and date and the speed profiles used.
    attribution
        Credit line of the data (:func:`credit`); "(c) OpenStreetMap contributors" is always
        part of it.

    Raises
    ------
    FigureError
        No rows.
    """
    if not rows:
        raise FigureError("no claims to draw")
    kinds = list(dict.fromkeys(k for r in rows for k in r.measured))
    palette = [OKABE_ITO[c] for c in ("vermillion", "blue", "green", "purple", "orange")]
    colour = {k: palette[i % len(palette)] for i, k in enumerate(kinds)}
    markers = dict(zip(kinds, "os^vP", strict=False))
    row_in = 1.7 if any(r.band_label for r in rows) else 1.3
    fig, axes = plt.subplots(
        len(rows), 1, figsize=(_FIG_WIDTH_IN, row_in * len(rows)), squeeze=False
    )
    for ax, row in zip(axes[:, 0], rows, strict=True):
        _claim_row(ax, row, colour, markers)
    # One band entry per kind that carries a band: each row's band is its own first kind's.
    banded = list(
        dict.fromkeys(
            next(iter(r.measured))
            for r in rows
            if r.measured_low is not None and r.measured_high is not None
        )
    )
    handles = [
        Line2D([], [], marker="D", color="black", ls="none", ms=8, label="stated"),
        Rectangle((0, 0), 1, 1, fc="#bbbbbb", label="stated range"),
        *[
            Line2D(
                [], [], marker=markers[k], color=colour[k], ls="none", ms=8, label=f"measured: {k}"
            )
            for k in kinds
        ],
        *[
            Rectangle((0, 0), 1, 1, fc=colour[k], alpha=0.25, label=f"uncertainty of {k}")
            for k in banded
        ],
    ]
    heading = textwrap.fill(title, int((_FIG_WIDTH_IN - 0.4) * 72 / (_FONT["title"] * 0.66)))
    title_in = (heading.count("\n") + 1) * _FONT["title"] * 1.3 / 72
    # Figure text, not a suptitle: it is placed by hand above the legend, and tight_layout
    # would add a suptitle's height to the top margin a second time.
    fig.text(
        0.02,
        0.99,
        heading,
        fontsize=_FONT["title"],
        weight="bold",
        ha="left",
        va="top",
        gid="title",
    )
    legend_rows = math.ceil(len(handles) / 2)
    legend_in = title_in + 0.1 + 0.17 * legend_rows  # title, then the legend's rows
    fig.set_figheight(fig.get_figheight() + legend_in)
    lines = [
        "Measured: road distance or travel time along OSM roads (first marker, with its "
        "uncertainty band); straight line: geodesic distance between the places.",
        *assumptions,
    ]
    fig.set_figheight(fig.get_figheight() + _footer_height_in(fig, lines))
    height = fig.get_figheight()
    fig.legend(
        handles=handles,
        loc="upper left",
        ncol=2,
        fontsize=_FONT["small"],
        frameon=False,
        bbox_to_anchor=(0.01, 1 - (title_in + 0.12) / height),
    )
    footer_in = _footer(fig, lines, attribution=attribution)
    fig.tight_layout(rect=(0, footer_in / height, 0.84, 1 - legend_in / height))
    return fig


def _claim_row(
    ax: Axes, row: ClaimRow, colour: Mapping[str, str], markers: Mapping[str, str]
) -> None:
    lo = row.stated_low if row.stated_low is not None else row.stated
    hi = row.stated_high if row.stated_high is not None else row.stated
    ax.axvspan(lo, hi, ymin=0.3, ymax=0.7, color="#bbbbbb", zorder=1)
    ax.plot(row.stated, 0, marker="D", color="black", ms=8, zorder=4)
    first = next(iter(row.measured))
    if row.measured_low is not None and row.measured_high is not None:
        ax.axvspan(
            row.measured_low,
            row.measured_high,
            ymin=0.2,
            ymax=0.8,
            color=colour[first],
            alpha=0.25,
            zorder=2,
        )
    for k, v in row.measured.items():
        ax.plot(v, 0, marker=markers[k], color=colour[k], ms=8, ls="none", zorder=5)
    values = [
        lo,
        hi,
        *row.measured.values(),
        *(v for v in (row.measured_low, row.measured_high) if v is not None),
    ]
    span = max(values) - min(values) or abs(max(values)) or 1.0
    # Non-negative quantities start at zero, so bar lengths compare honestly.
    ax.set_xlim(0.0 if min(values) >= 0 else min(values) - 0.1 * span, max(values) + 0.1 * span)
    ax.set_ylim(-1, 1)
    ax.set_yticks([])
    ax.set_xlabel(row.unit, fontsize=_FONT["small"], labelpad=1, loc="left")
    ax.tick_params(labelsize=_FONT["small"])
    ax.set_title(row.label, fontsize=_FONT["label"] + 1, loc="left", pad=3)
    if row.band_label:
        # Below the axis label (the unit), so the two never share a line; at most two lines
        # as wide as the axis (the full reasons are in the report's text).
        chars = int(_FIG_WIDTH_IN * 0.8 * 72 / (_FONT["small"] * 0.55))
        lines = textwrap.wrap(f"shaded: {row.band_label}", chars)
        if len(lines) > _BAND_LABEL_LINES:
            lines = lines[:_BAND_LABEL_LINES]
            lines[-1] = textwrap.shorten(lines[-1] + " …", chars - 20) + " (full reason: report)"
        ax.annotate(
            "\n".join(lines),
            (1, 0),
            xycoords="axes fraction",
            xytext=(0, -30),
            textcoords="offset points",
            ha="right",
            va="top",
            fontsize=_FONT["small"],
            color="#333333",
            gid="band-label",
        )
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.text(
        1.02,
        0.5,
        row.verdict,
        transform=ax.transAxes,
        fontsize=_FONT["label"] + 1,
        weight="bold",
        va="center",
        ha="left",
        gid="verdict",
    )


# ------------------------------------------------------------------------ cartography
@dataclass
class _Canvas:
    """A map axes in a local projection with the network's roads, places and borders."""

    net: RoadNetwork
    fig: Figure
    ax: Axes
    fwd: Transformer
    bounds: tuple[float, float, float, float]  # projected x0, y0, x1, y1
    map_height_in: float
    labels: list[_Label] = field(default_factory=list)
    # Things labels must not cover: (projected xy, half-width in points, hard?).
    obstacles: list[tuple[np.ndarray, float, bool]] = field(default_factory=list)

    @classmethod
    def around(cls, net: RoadNetwork, geom: shapely.Geometry) -> _Canvas:
        lon0, lat0 = (float(c) for c in shapely.centroid(shapely.envelope(geom)).coords[0])
        fwd = Transformer.from_crs("EPSG:4326", local_crs(lon0, lat0), always_xy=True)
        xy = np.column_stack(fwd.transform(*shapely.get_coordinates(geom).T))
        (x0, y0), (x1, y1) = xy.min(axis=0), xy.max(axis=0)
        pad = _MARGIN * max(x1 - x0, y1 - y0, 50_000.0)
        x0, x1, y0, y1 = x0 - pad, x1 + pad, y0 - pad, y1 + pad
        # Leave room at the top for the north arrow and legend in wide, flat extents.
        height = max(y1 - y0, 0.55 * (x1 - x0))
        y0 -= (height - (y1 - y0)) / 2
        y1 = y0 + height
        aspect = height / (x1 - x0)
        map_height = _FIG_WIDTH_IN * aspect
        fig, ax = plt.subplots(figsize=(_FIG_WIDTH_IN, map_height))
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_facecolor("#fbfbf8")
        return cls(net, fig, ax, fwd, (x0, y0, x1, y1), map_height)

    def project(self, geom: shapely.Geometry) -> np.ndarray:
        """Projected ``(n, 2)`` coordinates of a line."""
        return np.column_stack(self.fwd.transform(*shapely.get_coordinates(geom).T))

    def project_geometry(self, geom: shapely.Geometry) -> shapely.Geometry:
        """A geometry in the map's projection."""
        out: shapely.Geometry = shapely.transform(
            geom, lambda c: np.column_stack(self.fwd.transform(*c.T))
        )
        return out

    def project_xy(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = self.fwd.transform(lon, lat)
        return float(x), float(y)

    def contains(self, x: float, y: float) -> bool:
        x0, y0, x1, y1 = self.bounds
        return x0 <= x <= x1 and y0 <= y <= y1

    def _lonlat_box(self) -> shapely.Polygon:
        x0, y0, x1, y1 = self.bounds
        back = Transformer.from_crs(self.fwd.target_crs, "EPSG:4326", always_xy=True)
        xs, ys = np.meshgrid(np.linspace(x0, x1, 9), np.linspace(y0, y1, 9))
        lon, lat = back.transform(xs.ravel(), ys.ravel())
        box: shapely.Polygon = shapely.box(min(lon), min(lat), max(lon), max(lat))
        return box

    def marker(self, x: float, y: float, *, ms: float, **style: Any) -> None:
        """Plot one point marker that labels keep clear of."""
        self.ax.plot(x, y, ms=ms, ls="none", **style)
        self.obstacles.append((np.array([[x, y]]), ms / 2 + 1.0, True))

    def line(self, xy: np.ndarray, *, lw: float, **style: Any) -> None:
        """Plot a projected line (route, straight line) that labels keep clear of."""
        self.ax.plot(*xy.T, lw=lw, **style)
        self.obstacles.append((xy, lw / 2 + 1.0, True))

    def roads(self) -> None:
        """Network roads inside the map, styled by class (legend entries per class drawn)."""
        hits = self.net.edge_tree.query(self._lonlat_box(), predicate="intersects")
        classes = self.net.edges["highway"].astype(str).to_numpy()[hits]
        for cls in [*_ROAD_STYLE, None]:
            sel = (
                hits[~np.isin(classes, list(_ROAD_STYLE))] if cls is None else hits[classes == cls]
            )
            if not len(sel):
                continue
            colour, width, label = _ROAD_STYLE.get(cls or "", _MINOR_ROAD)
            segs = [self.project(g) for g in self.net.geometries[sel]]
            self.ax.add_collection(
                LineCollection(
                    segs, colors=colour, linewidths=width, zorder=3, label=label, gid="roads"
                )
            )

    def borders(self) -> None:
        """International borders from the data's boundary layer (if it has one)."""
        if self.net.borders is None:
            return
        coords, offsets = self.net.borders
        segs = [
            self.project(shapely.LineString(coords[a:b]))
            for a, b in itertools.pairwise(offsets)
            if b - a > 1
        ]
        # Soft: a label may cross a border when no spot around its point is free of one.
        self.obstacles += [(xy, 1.5, False) for xy in segs]
        self.ax.add_collection(
            LineCollection(
                segs,
                colors="#333333",
                linewidths=1.1,
                linestyles=(0, (6, 2, 1, 2)),
                zorder=4,
                label="international border",
                gid="borders",
            )
        )

    def title(self, headline: str, subtitle: str) -> None:
        """A bold headline (what the map shows, with its main figure) over a line of how."""
        # Characters per line of the map's width (bold text runs wider).
        width_pt = (_FIG_WIDTH_IN - 0.4) * 72
        head = textwrap.fill(headline, int(width_pt / (_FONT["title"] * 0.66)))
        sub = textwrap.fill(subtitle, int(width_pt / (_FONT["label"] * 0.56)))
        sub_pt = (sub.count("\n") + 1) * _FONT["label"] * 1.3
        self.ax.annotate(
            sub,
            (0, 1),
            xycoords="axes fraction",
            xytext=(0, 5),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize=_FONT["label"],
            color="#333333",
            gid="subtitle",
        )
        self.ax.set_title(
            head, loc="left", fontsize=_FONT["title"], weight="bold", pad=5 + sub_pt + 4
        )
        head_pt = (head.count("\n") + 1) * _FONT["title"] * 1.3
        self.map_height_in += (head_pt + sub_pt + 20) / 72

    def context(self) -> None:
        """Water, rivers and country names around the roads (if the data has them)."""
        ctx = self.net.context
        if ctx is None:
            return
        view = self._lonlat_box()
        water = ctx.water[shapely.intersects(ctx.water, view)]
        if len(water):
            patch = _patch(self.project_geometry(shapely.union_all(water)), _WATER)
            patch.set(alpha=1.0, zorder=1, gid="water")
            self.ax.add_patch(patch)
        rivers = ctx.waterways[shapely.intersects(ctx.waterways, view)]
        self.ax.add_collection(
            LineCollection(
                [self.project(g) for g in rivers],
                colors=_RIVER,
                linewidths=1.0,
                zorder=1.5,
                gid="waterways",
            )
        )
        if len(water) or len(rivers):
            self.ax.fill([], [], fc=_WATER, ec=_RIVER, lw=1.0, label="river, lake")
        self._country_labels()

    def _country_labels(self) -> None:
        """Each country's name on its side of the borders in view (the data says which side)."""
        ctx = self.net.context
        if ctx is None or not len(ctx.borders):
            return
        x0, y0, x1, y1 = self.bounds
        inset = 0.05 * (x1 - x0)
        view = shapely.box(x0 + inset, y0 + inset, x1 - inset, y1 - inset)
        seen = shapely.intersects(ctx.borders, self._lonlat_box())
        pieces: dict[str, list[tuple[float, shapely.LineString, float]]] = {}
        for line, (left, right) in zip(ctx.borders[seen], ctx.border_sides[seen], strict=True):
            for part in shapely.get_parts(shapely.intersection(self.project_geometry(line), view)):
                if part.geom_type != "LineString" or part.length == 0:
                    continue
                for code, side in ((left, 1.0), (right, -1.0)):
                    if code and code != (right if side > 0 else left):
                        pieces.setdefault(code, []).append((part.length, part, side))
        offset = 0.07 * (y1 - y0)
        for code, found in pieces.items():
            try:
                name = country_name(code)
            except PlaceQueryError:
                continue  # a code GeoNames does not know (e.g. a disputed area)
            _, part, side = max(found, key=lambda f: f[0])
            spots = []
            for frac in (0.5, 0.3, 0.7, 0.15, 0.85):
                a, b = (part.interpolate(frac + d, normalized=True) for d in (-0.02, 0.02))
                tx, ty = b.x - a.x, b.y - a.y
                norm = math.hypot(tx, ty) or 1.0
                p = part.interpolate(frac, normalized=True)
                for k in (1.0, 1.8):
                    spots.append(
                        (p.x - side * ty / norm * offset * k, p.y + side * tx / norm * offset * k)
                    )
            self.label(
                spots[0][0],
                spots[0][1],
                "\u2009".join(name.upper()),
                priority=1000.0,
                size=_FONT["label"] + 2,
                color=_COUNTRY,
                weight="bold",
                spots=[s for s in spots if self.contains(*s)],
                gid="country-label",
            )

    def label(
        self,
        x: float,
        y: float,
        text: str,
        *,
        priority: float,
        size: float,
        color: str = "black",
        weight: str = "normal",
        clear: float = 2.5,
        required: bool = False,
        forbid: shapely.Geometry | None = None,
        spots: Sequence[tuple[float, float]] = (),
        gid: str = "place-label",
        leader: bool = False,
    ) -> None:
        """Queue a label; :meth:`finish` places labels without overlaps, best first.

        ``clear`` is the gap (points) kept from the point, e.g. a marker's radius; a
        ``required`` label (a route end, the origin) is drawn even where every spot collides.
        ``forbid`` is an area (projected) the label must not touch, e.g. a band whose limit
        the label's figure exceeds. With ``spots`` (projected points) the label is centred
        on the first free one instead of set beside its point. A ``leader`` label (and a
        required one) may move further out, with a leader line to its point.
        """
        self.labels.append(
            _Label(
                x,
                y,
                text,
                priority,
                size,
                color,
                weight,
                clear,
                required,
                forbid,
                tuple(spots),
                gid,
                leader,
            )
        )

    def places(
        self, *, arabic: bool, skip: Sequence[tuple[float, float]] = (), max_rank: float = 13.0
    ) -> None:
        """Mark and label the data's towns inside the map (English, optionally Arabic).

        Towns within 5 km of a ``skip`` point (lon, lat), e.g. a labelled route end, are
        left out.
        """
        p = self.net.places
        p = p[p["rank"] <= max_rank]
        for r in p.to_dict("records"):
            if any(haversine_m(lon, lat, r["x"], r["y"]) < _NEAR_M for lon, lat in skip):
                continue
            x, y = self.project_xy(r["x"], r["y"])
            if not self.contains(x, y):
                continue
            self.marker(x, y, marker="o", ms=3.5, color="#333333", zorder=7)
            name = str(r["name_en"] or r["name"]) + _arabic_suffix(r["name_ar"], arabic)
            self.label(x, y, name, priority=r["rank"], size=_FONT["small"], color="#333333")

    def finish(self, assumptions: list[str], *, legend_title: str | None = None) -> None:
        """Scale bar, north arrow, locator inset, legend and the data/attribution footer."""
        _scale_bar(self.ax, self.bounds)
        handles, names = self.ax.get_legend_handles_labels()
        # Bands are drawn largest first; list them smallest first.
        bands = [i for i, h in enumerate(handles) if h.get_gid() == "band"][::-1]
        order = bands + [i for i in range(len(handles)) if i not in bands]
        leg = self.ax.legend(
            [handles[i] for i in order],
            [names[i] for i in order],
            loc="lower left",
            fontsize=_FONT["small"],
            framealpha=0.9,
            title=legend_title,
            title_fontsize=_FONT["small"],
            ncol=2 if len(handles) > 8 else 1,
        )
        leg.set_zorder(20)
        meta = self.net.meta
        lines = [
            f"Data: {meta.describe()}. Map: local transverse Mercator projection.",
            *assumptions,
        ]
        self.fig.set_figheight(self.map_height_in + _footer_height_in(self.fig, lines))
        # The footer hangs under the map itself; the map keeps to the top of its layout box
        # (equal aspect leaves spare height), so no gap opens between map and footer.
        _footer(self.fig, lines, attribution=meta.credit(), under=self.ax)
        self.ax.set_anchor("N")
        self.fig.tight_layout()
        # Equal aspect shrinks the axes inside its layout box at draw time; labels are placed
        # in display coordinates, so settle the final position first.
        self.ax.apply_aspect()
        locator = self._locator()
        fixed = [a for a in self.ax.get_children() if a.get_gid() in ("scale-bar", "north-arrow")]
        avoid = [leg, *fixed, *([locator] if locator is not None else [])]
        _place_labels(self.ax, self.labels, self.obstacles, avoid=avoid)

    def _crowding(self, fx: float, fy: float, width: float, height: float) -> int:
        """How many markers and lines (hard obstacles) touch a box given in axes fractions."""
        x0, y0, x1, y1 = self.bounds
        box = shapely.box(
            x0 + fx * (x1 - x0),
            y0 + fy * (y1 - y0),
            x0 + (fx + width) * (x1 - x0),
            y0 + (fy + height) * (y1 - y0),
        )
        return sum(
            int(
                shapely.intersects(
                    box, shapely.MultiPoint(xy) if len(xy) == 1 else shapely.LineString(xy)
                )
            )
            for xy, _, hard in self.obstacles
            if hard
        )

    def _locator(self) -> Axes | None:
        """Inset in a top corner: the map's frame in its region (countries, sea, rivers).

        The corner is the one whose area holds fewer of the map's markers and lines.
        """
        ctx = self.net.context
        if ctx is None:
            return None
        x0, y0, x1, y1 = self.bounds
        w, s, e, n = ctx.extent
        lon, lat = np.meshgrid(np.linspace(w, e, 15), np.linspace(s, n, 15))
        px, py = self.fwd.transform(lon.ravel(), lat.ravel())
        cx, cy, size = (x0 + x1) / 2, (y0 + y1) / 2, max(x1 - x0, y1 - y0)
        # The whole region the data covers, but at most six map widths across.
        lx0, lx1 = max(float(np.min(px)), cx - 3 * size), min(float(np.max(px)), cx + 3 * size)
        ly0, ly1 = max(float(np.min(py)), cy - 3 * size), min(float(np.max(py)), cy + 3 * size)
        if lx1 - lx0 < 1.5 * (x1 - x0) or ly1 - ly0 < 1.5 * (y1 - y0):
            return None  # the data reaches barely beyond the map: nothing to locate it in
        width = 0.24
        height = width * (ly1 - ly0) / (lx1 - lx0) * (x1 - x0) / (y1 - y0)
        if height > 0.42:
            width, height = width * 0.42 / height, 0.42
        pad = 0.012
        corners = {
            "right": (1 - pad - width, 1 - pad - height),
            "left": (pad, 1 - pad - height),
        }

        fx, fy = min(corners.values(), key=lambda c: self._crowding(c[0], c[1], width, height))
        inset = self.ax.inset_axes((fx, fy, width, height), zorder=15)
        inset.set_gid("locator")
        inset.set_facecolor(_LAND)
        inset.set_xlim(lx0, lx1)
        inset.set_ylim(ly0, ly1)
        inset.set_aspect("equal")
        inset.set_xticks([])
        inset.set_yticks([])
        for spine in inset.spines.values():
            spine.set_linewidth(0.8)
        if len(ctx.water):
            patch = _patch(self.project_geometry(shapely.union_all(ctx.water)), _WATER)
            patch.set(alpha=1.0, zorder=1)
            inset.add_patch(patch)
        inset.add_collection(
            LineCollection(
                [self.project(g) for g in ctx.waterways], colors=_RIVER, linewidths=0.5, zorder=2
            )
        )
        inset.add_collection(
            LineCollection(
                [self.project(g) for g in ctx.borders], colors="#555555", linewidths=0.6, zorder=3
            )
        )
        # The large countries only (OpenMapTiles ranks 1-2): a locator names the region.
        big = ctx.countries[ctx.countries["rank"] <= 2]
        for name, lon, lat in big[["name", "x", "y"]].itertuples(index=False):
            x, y = self.project_xy(float(lon), float(lat))
            margin = 0.12 * (lx1 - lx0)
            if lx0 + margin < x < lx1 - margin and ly0 < y < ly1:
                inset.text(
                    x,
                    y,
                    str(name),
                    ha="center",
                    va="center",
                    fontsize=_FONT["footer"] - 1,
                    color="#444444",
                    zorder=5,
                    clip_on=True,
                    path_effects=[pe.withStroke(linewidth=1.5, foreground=_LAND)],
                )
        inset.add_patch(
            Rectangle(
                (x0, y0),
                x1 - x0,
                y1 - y0,
                fc="none",
                ec=OKABE_ITO["vermillion"],
                lw=1.4,
                zorder=4,
                gid="locator-frame",
            )
        )
        return inset


def _wrap(fig: Figure, lines: list[str]) -> str:
    width = int(fig.get_figwidth() * 17)  # characters of the footer font per line
    return "\n".join(textwrap.fill(line, width, subsequent_indent="  ") for line in lines)


_FOOTER_LINE_IN = _FONT["footer"] * 1.3 / 72


def _footer_height_in(fig: Figure, lines: list[str]) -> float:
    """Height (inches) of the footer :func:`_footer` draws for ``lines``."""
    return (_wrap(fig, lines).count("\n") + 2.5) * _FOOTER_LINE_IN + 0.15


def _footer(
    fig: Figure, lines: list[str], *, attribution: str = OSM_ATTRIBUTION, under: Axes | None = None
) -> float:
    """Assumptions, then the attribution in bold, wrapped; returns the height in inches.

    Hung just under the axes ``under`` (so it follows the map through layout), otherwise
    placed in inches from the figure's bottom-left corner.
    """
    from matplotlib.offsetbox import AnchoredOffsetbox, TextArea, VPacker

    if OSM_ATTRIBUTION not in attribution:
        attribution = f"{attribution} {OSM_ATTRIBUTION}"
    text = _wrap(fig, lines)
    notes: dict[str, Any] = {"fontsize": _FONT["footer"], "color": "#333333", "gid": "assumptions"}
    credit: dict[str, Any] = {
        "fontsize": _FONT["footer"] + 1,
        "weight": "bold",
        "gid": "attribution",
    }
    if under is None:
        fig.text(
            0.1, 0.08, attribution, va="bottom", ha="left", transform=fig.dpi_scale_trans, **credit
        )
        fig.text(
            0.1,
            0.08 + 1.2 * _FOOTER_LINE_IN,
            text,
            va="bottom",
            ha="left",
            transform=fig.dpi_scale_trans,
            **notes,
        )
    else:
        box = VPacker(
            children=[TextArea(text, textprops=notes), TextArea(attribution, textprops=credit)],
            align="left",
            pad=0,
            sep=3,
        )
        under.add_artist(
            AnchoredOffsetbox(
                "upper left",
                child=box,
                pad=0,
                borderpad=0,
                frameon=False,
                bbox_to_anchor=(0, -0.015),
                bbox_transform=under.transAxes,
            )
        )
    return _footer_height_in(fig, lines)


def _scale_bar(ax: Axes, bounds: tuple[float, float, float, float]) -> None:
    """Two-segment black/white bar of a round length, about a fifth of the map width, with
    the north arrow beside it on one white backdrop (one block of map furniture)."""
    x0, y0, x1, y1 = bounds
    target = (x1 - x0) / 5 / 1000
    km = (
        max(n for n in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000) if n <= target)
        if target >= 1
        else 1
    )
    length = km * 1000.0
    height = (y1 - y0) * 0.012
    bx, by = x1 - (x1 - x0) * 0.04 - length, y0 + (y1 - y0) * 0.05
    pad = 0.08 * length
    arrow_x = bx - pad - 0.03 * (x1 - x0)
    ax.add_patch(
        Rectangle(
            (arrow_x - 0.025 * (x1 - x0), by - pad),
            bx + length + pad - arrow_x + 0.025 * (x1 - x0),
            7.6 * height + pad,
            fc="white",
            ec="none",
            alpha=0.85,
            zorder=9.5,
            gid="scale-bar",
        )
    )
    for i, fc in enumerate(("black", "white")):
        ax.add_patch(
            Rectangle(
                (bx + i * length / 2, by),
                length / 2,
                height,
                fc=fc,
                ec="black",
                lw=0.8,
                zorder=10,
                gid="scale-bar",
            )
        )
    for frac, text in ((0, "0"), (0.5, f"{km / 2:g}"), (1, f"{km:g} km")):
        ax.text(
            bx + frac * length,
            by + 1.8 * height,
            text,
            ha="center",
            va="bottom",
            fontsize=_FONT["small"],
            zorder=10,
            gid="scale-bar",
        )
    # Grid north is true north at the centre of the local transverse Mercator map.
    ax.annotate(
        "N",
        xy=(arrow_x, by + 7.4 * height),
        xytext=(arrow_x, by),
        ha="center",
        va="bottom",
        fontsize=_FONT["label"] + 1,
        weight="bold",
        arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.5, "shrinkA": 0},
        zorder=10,
        gid="north-arrow",
    )


@dataclass(frozen=True)
class _Label:
    x: float
    y: float
    text: str
    priority: float  # lower is placed first
    size: float
    color: str
    weight: str
    clear: float  # gap from the point, points
    required: bool  # drawn even where every spot collides
    forbid: shapely.Geometry | None = None  # projected area the label must not touch
    spots: tuple[tuple[float, float], ...] = ()  # projected centres to try instead
    gid: str = "place-label"
    leader: bool = False  # may move further out, tied to its point by a leader line


# Label spots around the point, tried in turn: unit direction and alignment (east first,
# then the diagonals, west, north and south), at the label's clearance plus a gap. Only
# required labels (route ends, origins) and leader labels (named towns, labels kept off
# a band) try wider rings, tied to their point by a leader line: a town label set further
# off without one could be read as naming a neighbouring marker.
_LABEL_DIRECTIONS = (
    ((1, 0), "left", "center"),
    ((0.7, 0.7), "left", "bottom"),
    ((0.7, -0.7), "left", "top"),
    ((-1, 0), "right", "center"),
    ((-0.7, 0.7), "right", "bottom"),
    ((-0.7, -0.7), "right", "top"),
    ((0, 1), "center", "bottom"),
    ((0, -1), "center", "top"),
)
# On the wider rings, the directions in between are tried too (steep ones first).
_LEADER_DIRECTIONS = (
    *_LABEL_DIRECTIONS,
    ((0.38, 0.92), "left", "bottom"),
    ((-0.38, 0.92), "right", "bottom"),
    ((0.38, -0.92), "left", "top"),
    ((-0.38, -0.92), "right", "top"),
    ((0.92, 0.38), "left", "bottom"),
    ((-0.92, 0.38), "right", "bottom"),
    ((0.92, -0.38), "left", "top"),
    ((-0.92, -0.38), "right", "top"),
)
_LABEL_GAPS_PT = (2.0,)
_LEADER_GAPS_PT = (2.0, 9.0, 16.0, 26.0, 38.0, 56.0)
# A label sticking out of the map is worse than one crossing a line inside it.
_OUTSIDE_PENALTY = 10


def _place_labels(
    ax: Axes,
    labels: list[_Label],
    obstacles: Sequence[tuple[np.ndarray, float, bool]],
    avoid: Sequence[Any] = (),
) -> None:
    """Draw labels best first at the spot that covers the fewest obstacles.

    A spot must stay inside the map and clear of placed labels, of ``avoid`` artists and of
    hard obstacles (markers, the route); among those, the one crossing fewest soft obstacles
    (borders) wins. A label with no such spot is dropped (its marker stays), unless it is
    required; then it takes the spot with the fewest collisions.
    """
    fig = ax.get_figure()
    if fig is None:
        raise FigureError("labels need axes that belong to a figure")
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    frame = ax.get_window_extent(renderer)
    px_per_pt = fig.dpi / 72
    hard: list[shapely.Geometry] = [
        shapely.box(*a.get_window_extent(renderer).extents).buffer(2 * px_per_pt) for a in avoid
    ]
    soft: list[shapely.Geometry] = []
    for xy, half_width, is_hard in obstacles:
        disp = ax.transData.transform(xy)
        geom = shapely.Point(disp[0]) if len(disp) == 1 else shapely.LineString(disp)
        (hard if is_hard else soft).append(geom.buffer(half_width * px_per_pt))
    hard_tree, soft_tree = shapely.STRtree(hard), shapely.STRtree(soft)
    placed: list[shapely.Geometry] = []
    to_data = ax.transData.inverted()
    for lab in sorted(labels, key=lambda lab: lab.priority):
        best: tuple[tuple[int, int], Any] | None = None
        # Required labels may move further out, and so may labels that must keep off an
        # area; a leader line then ties them to their point.
        far = lab.required or lab.leader
        candidates = (
            [((x, y), (0.0, 0.0), "center", "center") for x, y in lab.spots]
            if lab.spots
            else [
                ((lab.x, lab.y), (dx * (lab.clear + gap), dy * (lab.clear + gap)), ha, va)
                for gap, ((dx, dy), ha, va) in itertools.product(
                    *(
                        (_LEADER_GAPS_PT, _LEADER_DIRECTIONS)
                        if far
                        else (_LABEL_GAPS_PT, _LABEL_DIRECTIONS)
                    )
                )
            ]
        )
        for anchor, offset, ha, va in candidates:
            leader = far and math.hypot(*offset) > lab.clear + _LABEL_GAPS_PT[0] + 1
            ann = ax.annotate(
                lab.text,
                anchor,
                xytext=offset,
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=lab.size,
                color=lab.color,
                weight=lab.weight,
                zorder=9,
                gid=lab.gid,
                annotation_clip=False,
                path_effects=[pe.withStroke(linewidth=2.5, foreground="white")],
                arrowprops=(
                    {"arrowstyle": "-", "color": lab.color, "lw": 0.7, "shrinkB": lab.clear}
                    if leader
                    else None
                ),
            )
            ext = _text_extent(ann, renderer)
            box = shapely.box(*ext.extents)
            outside = not (
                ext.x0 >= frame.x0
                and ext.x1 <= frame.x1
                and ext.y0 >= frame.y0
                and ext.y1 <= frame.y1
            )
            forbidden = lab.forbid is not None and shapely.intersects(
                lab.forbid, shapely.box(*to_data.transform(ext.get_points()).ravel())
            )
            collisions = (
                _OUTSIDE_PENALTY * outside
                + int(forbidden)
                + len(hard_tree.query(box, predicate="intersects"))
                + sum(box.intersects(b) for b in placed)
            )
            if leader:
                # The leader line, too, keeps clear of other markers and of placed labels.
                point = shapely.Point(ax.transData.transform((lab.x, lab.y)))
                line = shapely.LineString([point, box.centroid])
                crossed = hard_tree.query(line, predicate="intersects")
                collisions += sum(not hard[i].intersects(point) for i in crossed) + sum(
                    line.intersects(b) for b in placed
                )
            score = (collisions, len(soft_tree.query(box, predicate="intersects")))
            if best is None or score < best[0]:
                if best is not None:
                    best[1].remove()
                best = (score, ann)
            else:
                ann.remove()
            if score == (0, 0):
                break
        if best is None:  # no spot was tried (no gaps or directions configured)
            continue
        (collisions, _), ann = best
        if collisions and not lab.required:
            ann.remove()
            continue
        placed.append(shapely.box(*_text_extent(ann, renderer).extents))


def _text_extent(ann: Annotation, renderer: Any) -> Any:
    """Display box of an annotation's text, without its leader line (which may cross what
    the text must not)."""
    ann.update_positions(renderer)
    return Text.get_window_extent(ann, renderer)


def _two_lines(name: str) -> str:
    """A long name with a parenthesis ("border crossing (34.398, 40.978)") on two lines."""
    head, sep, tail = name.partition(" (")
    return f"{head}\n({tail}" if sep and len(name) > 24 else name


def _arabic_suffix(name_ar: Any, arabic: bool) -> str:
    """A second label line with the Arabic name, shaped for display ("" if none/unwanted)."""
    if not arabic or not isinstance(name_ar, str) or not name_ar:
        return ""
    if _MPL_SHAPES_TEXT:
        return "\n" + name_ar
    try:
        import arabic_reshaper
        from bidi.algorithm import get_display
    except ImportError as exc:
        raise FigureError(
            "Arabic labels need the optional packages 'arabic-reshaper' and "
            "'python-bidi' (matplotlib cannot join Arabic letters by itself); "
            "install them or draw without arabic=True"
        ) from exc
    return "\n" + str(get_display(arabic_reshaper.reshape(name_ar)))


def _patch(geom: shapely.Geometry, colour: Any) -> PathPatch:
    """A filled matplotlib patch of a (multi)polygon with holes."""
    verts: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for poly in shapely.get_parts(geom):
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)
            c = np.full(len(xy), MplPath.LINETO)
            c[0], c[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
            verts.append(xy)
            codes.append(c)
    path = MplPath(np.concatenate(verts), np.concatenate(codes))
    return PathPatch(path, fc=colour, ec="none", alpha=0.55, zorder=2)
