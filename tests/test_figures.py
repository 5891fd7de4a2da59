"""Figures checked through their matplotlib artists (not pixels), on real data."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import shapely
from matplotlib.figure import Figure

from routing._format import format_hours
from routing.analysis.routes import Route
from routing.api import reach, route
from routing.exceptions import OutputError
from routing.network import RoadNetwork
from routing.output import figures
from routing.output.figures import (
    ClaimRow,
    FigureError,
    band_colours,
    check_figure_path,
    claim_figure,
    reach_map,
    route_map,
    save_figure,
)


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def husaybah_baghdad(western_iraq: RoadNetwork) -> Route:
    return route("Husaybah", "Baghdad", net=western_iraq, optimize="time")


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text)]


def _by_gid(fig: Figure, gid: str) -> list[Any]:
    return [a for a in fig.findobj() if a.get_gid() == gid]


def _legend(fig: Figure) -> list[str]:
    legend = fig.axes[0].get_legend()
    assert legend is not None
    return [t.get_text() for t in legend.get_texts()]


def _common_cartography(fig: Figure, net: RoadNetwork) -> None:
    texts = "\n".join(_texts(fig))
    assert "(c) OpenStreetMap contributors" in texts
    assert net.meta.osm_date in texts
    assert _by_gid(fig, "north-arrow")
    assert any(t.endswith(" km") for t in _texts(fig) if t) and _by_gid(fig, "scale-bar")
    legend = _legend(fig)
    assert {"motorway", "trunk road", "primary road", "international border"} <= set(legend)


def test_route_map(husaybah_baghdad: Route, western_iraq: RoadNetwork) -> None:
    fig = route_map(husaybah_baghdad)
    title = fig.axes[0].get_title(loc="left")
    assert "Husaybah" in title and "Baghdad" in title
    assert f"{husaybah_baghdad.length_km:,.0f} km" in title
    (line,) = _by_gid(fig, "route")
    assert len(line.get_xydata()) == len(husaybah_baghdad.geometry.coords)
    assert _by_gid(fig, "straight-line")
    assert {"fastest route by road", "straight line"} <= set(_legend(fig))
    (subtitle,) = _by_gid(fig, "subtitle")
    assert f"{husaybah_baghdad.straight_km:,.0f} km in a straight line" in subtitle.get_text()
    labels = {a.get_text() for a in _by_gid(fig, "place-label")}
    assert {"Husaybah", "Baghdad"} <= labels and "Haditha" in labels
    assert "profile 'car'" in "\n".join(_texts(fig))
    _common_cartography(fig, western_iraq)


def test_route_map_arabic_needs_optional_packages(
    husaybah_baghdad: Route, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Where matplotlib cannot shape Arabic itself (before 3.11), the optional packages do.
    monkeypatch.setattr(figures, "_MPL_SHAPES_TEXT", False)
    try:
        import arabic_reshaper  # noqa: F401
        import bidi  # noqa: F401
    except ImportError:
        with pytest.raises(FigureError, match="arabic-reshaper"):
            route_map(husaybah_baghdad, arabic=True)
    else:
        fig = route_map(husaybah_baghdad, arabic=True)
        assert any("\n" in a.get_text() for a in _by_gid(fig, "place-label"))
    # Missing packages give the clear error, not an ImportError.
    monkeypatch.setitem(sys.modules, "arabic_reshaper", None)
    with pytest.raises(FigureError, match="arabic-reshaper"):
        route_map(husaybah_baghdad, arabic=True)


def test_route_map_arabic_labels(husaybah_baghdad: Route) -> None:
    # matplotlib >= 3.11 shapes Arabic itself; older versions use the `arabic` extra, which
    # the dev extra installs.
    fig = route_map(husaybah_baghdad, arabic=True)
    labels = [a.get_text() for a in _by_gid(fig, "place-label")]
    assert any(t.startswith("Haditha\n") and len(t) > len("Haditha\n") for t in labels)


def test_labels_keep_clear_of_route_and_markers(husaybah_baghdad: Route) -> None:
    fig = route_map(husaybah_baghdad)
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    (line,) = _by_gid(fig, "route")
    route_px = shapely.LineString(ax.transData.transform(line.get_xydata()))
    towns = [a for a in _by_gid(fig, "place-label") if a.get_text() not in ("Husaybah", "Baghdad")]
    assert towns
    for a in towns:
        box = shapely.box(*a.get_window_extent(renderer).extents)
        assert not box.intersects(route_px), a.get_text()


def test_reach_map(western_iraq: RoadNetwork) -> None:
    result = reach("Husaybah", hours=[1, 2, 4], net=western_iraq)
    fig = reach_map(result)
    title = fig.axes[0].get_title(loc="left")
    assert "Husaybah" in title and "4 h" in title
    legend = _legend(fig)
    bands = [t for t in legend if t.startswith("reached within")]
    assert bands == ["reached within 1 h", "reached within 2 h", "reached within 4 h"]
    assert len(_by_gid(fig, "band")) == 3
    labels = "\n".join(a.get_text() for a in _by_gid(fig, "place-label"))
    haditha = result.places.set_index("name").loc["Haditha"]
    assert haditha["reached"]
    assert f"Haditha\n{format_hours(haditha['time_h'])}" in labels  # a reached town, its time
    assert "off-road straight at 30 km/h" in " ".join(" ".join(_texts(fig)).split())
    _common_cartography(fig, western_iraq)


def _border_segments(fig: Figure) -> list[shapely.LineString]:
    (borders,) = _by_gid(fig, "borders")
    return [shapely.LineString(seg) for seg in borders.get_segments()]


def _label_point(fig: Figure, text: str, gid: str = "place-label") -> shapely.Point:
    (label,) = [a for a in _by_gid(fig, gid) if a.get_text() == text]
    return shapely.Point(label.xy)


def test_route_map_shows_water_and_country_names(husaybah_baghdad: Route) -> None:
    fig = route_map(husaybah_baghdad)
    assert "river, lake" in _legend(fig)
    (water,) = _by_gid(fig, "water")
    assert len(water.get_path().vertices) > 100  # the lakes around Haditha, Tharthar, ...
    (rivers,) = _by_gid(fig, "waterways")
    assert sum(len(seg) for seg in rivers.get_segments()) > 100  # Euphrates, Tigris
    # Each country's name on its own side of the drawn border: Abu Kamal is in Syria,
    # Husaybah in Iraq (GeoNames), so the line from "SYRIA" to Abu Kamal crosses no border
    # and the one to Husaybah does; and the other way round for "IRAQ".
    border = shapely.MultiLineString(_border_segments(fig))
    abu_kamal = _label_point(fig, "Abu Kamal")
    husaybah = _label_point(fig, "Husaybah")
    for name, home, abroad in (("SYRIA", abu_kamal, husaybah), ("IRAQ", husaybah, abu_kamal)):
        spot = _label_point(fig, "\u2009".join(name), gid="country-label")
        assert not shapely.LineString([spot, home]).intersects(border), name
        assert shapely.LineString([spot, abroad]).intersects(border), name


def test_map_has_a_locator_framing_the_map(husaybah_baghdad: Route) -> None:
    fig = route_map(husaybah_baghdad)
    ax = fig.axes[0]
    (inset,) = [a for a in ax.child_axes if a.get_gid() == "locator"]
    (frame,) = _by_gid(fig, "locator-frame")
    x0, y0 = frame.get_xy()
    assert (x0, x0 + frame.get_width()) == pytest.approx(ax.get_xlim())
    assert (y0, y0 + frame.get_height()) == pytest.approx(ax.get_ylim())
    # The locator shows the region around the map: several times its width.
    assert np.diff(inset.get_xlim())[0] > 2.5 * np.diff(ax.get_xlim())[0]
    names = {t.get_text() for t in inset.texts}
    assert {"Syria", "Iraq"} <= names
    # Nothing placed later covers it.
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    box = shapely.box(*inset.get_window_extent(renderer).extents)
    for a in _by_gid(fig, "place-label"):
        assert not box.intersects(shapely.box(*a.get_window_extent(renderer).extents))


def test_reach_labels_never_contradict_the_band_under_them(western_iraq: RoadNetwork) -> None:
    from routing.analysis.reach import border_crossings

    crossings = border_crossings(western_iraq, bbox=(40.5, 34.0, 41.5, 34.8))
    result = reach(crossings, hours=[1, 2, 3, 4], net=western_iraq)
    fig = reach_map(result)
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    # The rings as drawn (what a reader sees), each with its limit from the legend label.
    rings = []
    for patch in _by_gid(fig, "band"):
        limit = float(patch.get_label().removeprefix("reached within ").removesuffix(" h"))
        polys = [shapely.Polygon(p) for p in patch.get_path().to_polygons() if len(p) > 3]
        rings.append((limit, shapely.union_all([p.buffer(0) for p in polys])))
    times = dict(zip(result.places["name"], result.places["time_h"], strict=True))
    checked = 0
    for label in _by_gid(fig, "place-label"):
        name = label.get_text().split("\n")[0]
        if name not in times:
            continue  # the origin
        ext = matplotlib.text.Text.get_window_extent(label, renderer)
        box = shapely.box(*ax.transData.inverted().transform(ext.get_points()).ravel())
        for limit, ring in rings:
            if times[name] > limit:
                assert not box.intersects(ring), (name, times[name], limit)
        checked += 1
    labelled = {a.get_text().split("\n")[0] for a in _by_gid(fig, "place-label")}
    assert {"Haditha", "Hīt", "Fallujah"} <= labelled
    assert checked >= 6
    assert any("beyond 4 h" in a.get_text() for a in _by_gid(fig, "place-label"))


def test_band_colours_are_distinct_and_ordered() -> None:
    colours = band_colours(4)[:, :3]
    distances = [np.linalg.norm(a - b) for a, b in itertools.combinations(colours, 2)]
    assert min(distances) > 0.15
    # Near (first) to far (last): lighter each step, so the order reads in greyscale too.
    luminance = colours @ np.array([0.2126, 0.7152, 0.0722])
    assert np.all(np.diff(luminance) > 0.05)


def _rows() -> list[ClaimRow]:
    return [
        ClaimRow(
            "Husaybah to Baghdad",
            100.0,
            {"road": 408.0, "straight line": 336.0},
            "km",
            stated_low=90.0,
            stated_high=110.0,
            measured_low=400.0,
            measured_high=440.0,
            verdict="false",
        ),
        ClaimRow(
            "Syria to Baghdad outskirts",
            4.0,
            {"road": 4.6},
            "h",
            stated_low=0.0,
            stated_high=4.0,
            measured_low=3.8,
            measured_high=6.4,
            verdict="plausible",
        ),
    ]


def test_claim_figure() -> None:
    fig = claim_figure(_rows())
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert titles == ["Husaybah to Baghdad", "Syria to Baghdad outskirts"]
    assert [ax.get_xlabel() for ax in fig.axes] == ["km", "h"]
    assert [a.get_text() for a in _by_gid(fig, "verdict")] == ["false", "plausible"]
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert {"stated", "measured: road", "measured: straight line"} <= set(legend)
    # The measured value lies inside its row's x range.
    lo, hi = fig.axes[0].get_xlim()
    assert lo <= 408.0 <= hi
    assert "(c) OpenStreetMap contributors" in _texts(fig)


def test_claim_rows_validated() -> None:
    with pytest.raises(FigureError, match="no claims"):
        claim_figure([])
    with pytest.raises(FigureError, match="no measured"):
        ClaimRow("x", 1.0, {}, "km")
    with pytest.raises(FigureError, match="low"):
        ClaimRow("x", 1.0, {"road": 2.0}, "km", stated_low=3.0, stated_high=1.0)


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_save_formats(tmp_path: Path, suffix: str) -> None:
    out = save_figure(claim_figure(_rows()), tmp_path / f"claims{suffix}", dpi=60)
    assert out.stat().st_size > 1000


def test_save_rejects_bad_paths(tmp_path: Path) -> None:
    fig = claim_figure(_rows())
    with pytest.raises(FigureError, match="use one of"):
        save_figure(fig, tmp_path / "claims.jpg")
    with pytest.raises(OutputError, match="is a file"):
        save_figure(fig, Path(__file__) / "claims.png")
    # Missing folders are created, as for every output (routing.output.paths).
    assert save_figure(fig, tmp_path / "new" / "claims.png", dpi=30).stat().st_size > 0


def test_claim_figure_band_legend_per_kind() -> None:
    rows = _rows()
    rows[1] = ClaimRow(
        "Syria to Baghdad outskirts",
        4.0,
        {"fastest time, car": 4.6},
        "h",
        stated_low=0.0,
        stated_high=4.0,
        measured_low=3.8,
        measured_high=6.4,
        band_label="5-95 % of speed draws",
    )
    fig = claim_figure(
        rows,
        assumptions=["Data: OSM data of 2021-02-01."],
        attribution="(c) OpenMapTiles (c) MapTiler",
    )
    assert "(c) OpenMapTiles (c) MapTiler (c) OpenStreetMap contributors" in _texts(fig)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "uncertainty of road" in legend and "uncertainty of fastest time, car" in legend
    assert [a.get_text() for a in _by_gid(fig, "band-label")] == ["shaded: 5-95 % of speed draws"]
    assert "2021-02-01" in "\n".join(_texts(fig))
    # Non-negative rows start at zero.
    assert fig.axes[1].get_xlim()[0] == 0.0


def test_check_figure_path(tmp_path: Path) -> None:
    assert check_figure_path(tmp_path / "a.PDF") == tmp_path / "a.PDF"
    with pytest.raises(FigureError, match="use one of"):
        check_figure_path(tmp_path / "a.txt")
    with pytest.raises(OutputError, match="is a file"):
        check_figure_path(Path(__file__) / "a.png")
    assert check_figure_path(tmp_path / "missing" / "a.png") == tmp_path / "missing" / "a.png"
    assert not (tmp_path / "missing").exists()  # checked, not created
