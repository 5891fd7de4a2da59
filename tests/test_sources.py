"""Named regions on the real offline data: sizes, lengths, continuity, bad input."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from pyproj import Geod

from routing.exceptions import DataNotFoundError, DataOutsideBoundsError
from routing.network import RoadNetwork
from routing.settings import data_dir
from routing.sources import default_region, load_network, regions

_GEOD = Geod(ellps="WGS84")


def _geod_m(lon1, lat1, lon2, lat2):  # type: ignore[no-untyped-def]
    """Independent oracle: geodesic metres on the WGS84 ellipsoid (pyproj), broadcast."""
    args = [np.atleast_1d(v).astype(float) for v in np.broadcast_arrays(lon1, lat1, lon2, lat2)]
    return np.asarray(_GEOD.inv(*args)[2]).reshape(np.shape(np.broadcast(lon1, lat1, lon2, lat2)))


# Town centres (lon, lat) for checks that must not depend on the gazetteer.
QAIM = (41.09, 34.37)
RAMADI = (43.30, 33.425)
BAGHDAD = (44.37, 33.31)
ABU_KAMAL = (40.92, 34.45)
DEIR_EZ_ZOR = (40.14, 35.33)


def _nearest_node(net: RoadNetwork, lon: float, lat: float, within: np.ndarray) -> int:
    cand = np.flatnonzero(within)
    d = _geod_m(lon, lat, net.nodes["x"].to_numpy()[cand], net.nodes["y"].to_numpy()[cand])
    return int(cand[np.argmin(d)])


def _road_km(
    net: RoadNetwork, graph: nx.MultiDiGraph, a: tuple[float, float], b: tuple[float, float]
) -> tuple[float, list[int]]:
    labels = net.component_labels()
    big = labels == np.bincount(labels).argmax()
    key = net.nodes["osmid"].to_numpy()  # graph node keys, by row
    u, v = int(key[_nearest_node(net, *a, big)]), int(key[_nearest_node(net, *b, big)])
    path = nx.shortest_path(graph, u, v, weight="length")
    return nx.path_weight(graph, path, "length") / 1000, path


@pytest.fixture(scope="module")
def wi_graph(western_iraq: RoadNetwork) -> nx.MultiDiGraph:
    return western_iraq.to_graph()


def test_western_iraq_provenance(western_iraq: RoadNetwork) -> None:
    meta = western_iraq.meta
    assert meta.zoom == 7
    assert meta.osm_date == "2021-02-01"
    assert meta.generalized
    assert 50 < (meta.resolution_m or 0) < 80
    assert "OpenStreetMap contributors" in meta.attribution
    assert set(western_iraq.edges["highway"].unique()) <= {
        "motorway",
        "trunk",
        "primary",
        "motorway_link",
        "trunk_link",
        "primary_link",
    }


@pytest.mark.parametrize(
    ("a", "b", "low", "high"), [(QAIM, BAGHDAD, 380, 460), (RAMADI, BAGHDAD, 100, 135)]
)
def test_road_lengths_within_bounds(
    western_iraq: RoadNetwork,
    wi_graph: nx.MultiDiGraph,
    a: tuple[float, float],
    b: tuple[float, float],
    low: float,
    high: float,
) -> None:
    km, _ = _road_km(western_iraq, wi_graph, a, b)
    straight = float(_geod_m(*a, *b)) / 1000
    print(f"road {km:.1f} km, straight line {straight:.1f} km")
    assert low <= km <= high
    assert km >= straight


def test_road_length_never_below_straight_line(western_iraq: RoadNetwork) -> None:
    e = western_iraq.edges
    nodes = western_iraq.nodes
    chord = _geod_m(
        nodes["x"].to_numpy()[e["u"]],
        nodes["y"].to_numpy()[e["u"]],
        nodes["x"].to_numpy()[e["v"]],
        nodes["y"].to_numpy()[e["v"]],
    )
    assert np.all(e["length"].to_numpy() >= chord - 1e-6)


def test_motorway_continuous_across_tile_edges(
    western_iraq: RoadNetwork, wi_graph: nx.MultiDiGraph
) -> None:
    _, path = _road_km(western_iraq, wi_graph, RAMADI, BAGHDAD)
    gaps = []
    for a, b, c in zip(path, path[1:], path[2:], strict=False):
        g1 = min(wi_graph[a][b].values(), key=lambda d: d["length"])["geometry"]
        g2 = min(wi_graph[b][c].values(), key=lambda d: d["length"])["geometry"]
        (x1, y1), (x2, y2) = g1.coords[-1], g2.coords[0]
        gaps.append(float(_geod_m(x1, y1, x2, y2)))
    assert max(gaps) < 1.0
    # No piece end on an inner tile edge is left unjoined.
    print("build report:", western_iraq.build_report)
    assert western_iraq.build_report["dangling_tile_ends"] == 0
    assert western_iraq.build_report["joined_tile_ends"] > 0


def test_connectivity_reported(western_iraq: RoadNetwork) -> None:
    s = western_iraq.summary()
    assert s.components >= 1
    assert 0.5 < s.largest_component_share <= 1.0
    assert s.km_total == pytest.approx(sum(s.km_by_class.values()))


def test_syria_z14_cut_against_z7(
    syria_cut: RoadNetwork, western_iraq: RoadNetwork, wi_graph: nx.MultiDiGraph
) -> None:
    assert syria_cut.meta.zoom == 14 and not syria_cut.meta.generalized
    assert syria_cut.meta.osm_date == "2021-08-05"
    assert syria_cut.build_report["joined_tile_ends"] > 1000
    km14, _ = _road_km(syria_cut, syria_cut.to_graph(), ABU_KAMAL, DEIR_EZ_ZOR)
    km7, _ = _road_km(western_iraq, wi_graph, ABU_KAMAL, DEIR_EZ_ZOR)
    straight = float(_geod_m(*ABU_KAMAL, *DEIR_EZ_ZOR)) / 1000
    print(
        f"Abu Kamal -> Deir ez-Zor: z14 {km14:.1f} km, z7 {km7:.1f} km, "
        f"straight line {straight:.1f} km"
    )
    assert straight < km14 < 1.6 * straight


def test_unknown_region_or_path() -> None:
    with pytest.raises(DataNotFoundError, match="neither a named region"):
        load_network("atlantis")


def test_missing_data_dir_names_the_setting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.setenv("ROUTING_DATA_DIR", "/nonexistent/osm")
    with pytest.raises(DataNotFoundError, match="ROUTING_DATA_DIR"):
        load_network("western-iraq")


def test_bbox_outside_data() -> None:
    with pytest.raises(DataOutsideBoundsError, match="no tiles"):
        load_network("western-iraq", bbox=(2.0, 48.0, 3.0, 49.0), use_cache=False)


def test_shipped_region_packs() -> None:
    assert {"western-iraq", "iraq", "syria", "naturalearth"} <= set(regions())
    assert default_region().name == "western-iraq"


TOWNS = [
    "Al-Qaim",
    "Husaybah",
    "Abu Kamal",
    "Rawah",
    "Anah",
    "Haditha",
    "Hit",
    "Ramadi",
    "Fallujah",
]


def test_towns_attach_to_one_component_without_absurd_detours(
    western_iraq: RoadNetwork,
) -> None:
    """Every article town reaches Baghdad (one component) from a nearby, sensible road."""
    from routing.api import route

    for town in TOWNS:
        r = route(town, "Baghdad", net=western_iraq)
        start, end = r.snaps[0], r.snaps[-1]
        print(
            f"{town:10} attaches {start.distance_m / 1000:5.2f} km from a {start.highway}; "
            f"Baghdad {end.distance_m / 1000:.2f} km; {r.headline()}"
        )
        assert start.distance_m < 10_000 and end.distance_m < 5_000
        # Haditha, Rawah and Anah sit beside the Euphrates near roads on both banks: whichever
        # road they attach to, the route must stay a plausible detour of the straight line.
        assert 1.0 <= r.detour_factor < 1.35


def test_directory_without_tiles(tmp_path: Path) -> None:
    with pytest.raises(DataNotFoundError, match="holds no vector tiles"):
        load_network(tmp_path, use_cache=False)


def test_missing_zoom_lists_the_zooms() -> None:
    with pytest.raises(DataNotFoundError, match=r"no zoom 9; it has zooms \[7\]"):
        load_network("western-iraq", zoom=9, use_cache=False)


@pytest.mark.parametrize("bbox", [(45.0, 31.0, 38.0, 36.0), (38.0, 31.0, 45.0), ("a", 1, 2, 3)])
def test_malformed_bbox(bbox: tuple[float, ...]) -> None:
    with pytest.raises(DataOutsideBoundsError, match="bbox"):
        load_network("western-iraq", bbox=bbox, use_cache=False)  # type: ignore[arg-type]


def test_loaded_networks_are_shared_in_process(western_iraq: RoadNetwork) -> None:
    assert load_network("western-iraq", progress=False) is load_network(
        "western-iraq", progress=False
    )


# --- Natural Earth: the independent second network -----------------------------------------
@pytest.fixture(scope="module")
def natural_earth() -> RoadNetwork:
    return load_network("naturalearth", progress=False)


def test_natural_earth_is_described_as_not_osm(natural_earth: RoadNetwork) -> None:
    meta = natural_earth.meta
    assert meta.source.startswith("Natural Earth roads, not OSM, public domain")
    assert not meta.osm and meta.generalized and meta.zoom == 7
    assert "OSM" not in meta.describe().split("not OSM", 1)[1]
    assert meta.attribution == "Natural Earth (public domain)"
    # Natural Earth types map onto OSM classes: no motorway (NE has no such type), no ferry.
    assert set(natural_earth.edges["highway"]) == {"trunk", "secondary", "unclassified"}


def test_natural_earth_km_by_type_match_the_reference_decoder(natural_earth: RoadNetwork) -> None:
    """Kilometres per Natural Earth type equal the tiles' own lines (decoded independently)."""
    import mapbox_vector_tile
    import shapely
    from pyproj import Geod

    from routing.sources._tiles import TileSet, tile_to_lonlat

    geod, km = Geod(ellps="WGS84"), {"Major Highway": 0.0, "Road": 0.0, "Unknown": 0.0}
    ts = TileSet(data_dir() / "naturalearth-z7")
    for x, y, data in ts.iter_raw(7, ts.tiles(7)):
        layer = mapbox_vector_tile.decode(data, default_options={"y_coord_down": True})["road"]
        for f in layer["features"]:
            kind = f["properties"]["type"]
            if kind not in km:
                continue
            geom = shapely.clip_by_rect(shapely.geometry.shape(f["geometry"]), 0, 0, 4096, 4096)
            for part in shapely.get_parts(geom):
                xy = shapely.get_coordinates(part)
                lon, lat = tile_to_lonlat(x + xy[:, 0] / 4096, y + xy[:, 1] / 4096, 7)
                km[kind] += geod.line_length(lon, lat) / 1000
    built = natural_earth.edges.groupby("highway")["length"].sum() / 1000
    print({k: round(v) for k, v in km.items()}, built.round().to_dict())
    # Joining pieces across tile edges and folding duplicates moves totals by well under 1 %.
    assert built["trunk"] == pytest.approx(km["Major Highway"], rel=0.01)
    assert built["secondary"] == pytest.approx(km["Road"], rel=0.01)
    assert built["unclassified"] == pytest.approx(km["Unknown"], rel=0.01)


def test_natural_earth_has_the_road_z7_osm_lacks(natural_earth: RoadNetwork) -> None:
    """Ramadi-Hit: about 70 km on the ground (published), 111 km on z7 OSM, 63 km on NE."""
    from routing.analysis.routes import route

    r = route(RAMADI, (42.83, 33.64), net=natural_earth)
    assert 55 < r.length_km < 75
    assert r.detour_factor < 1.4
