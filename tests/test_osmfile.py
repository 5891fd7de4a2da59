"""Tests for routing.sources._osmfile: OSM XML and PBF readers on the tests/fixtures town."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fixtures import make_fixtures as town
from pyproj import Geod

from routing.exceptions import DataFormatError, DataNotFoundError
from routing.network import RoadNetwork
from routing.sources._osmfile import network_from_osm_file, way_filter

_GEOD = Geod(ellps="WGS84")


def _geod_m(lon1, lat1, lon2, lat2):  # type: ignore[no-untyped-def]
    """Independent oracle: geodesic metres on the WGS84 ellipsoid (pyproj), broadcast."""
    args = [np.atleast_1d(v).astype(float) for v in np.broadcast_arrays(lon1, lat1, lon2, lat2)]
    return np.asarray(_GEOD.inv(*args)[2]).reshape(np.shape(np.broadcast(lon1, lat1, lon2, lat2)))


FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module", params=["town.osm", "town.osm.bz2", "town.osm.pbf"])
def net(request: pytest.FixtureRequest) -> RoadNetwork:
    return network_from_osm_file(FIXTURES / request.param)


def _segments(net: RoadNetwork) -> pd.DataFrame:
    """Edges keyed by OSM node ids instead of internal node indices."""
    osmid = net.nodes["osmid"].to_numpy()
    edges = net.edges.copy()
    edges["ou"], edges["ov"] = osmid[edges["u"]], osmid[edges["v"]]
    return edges


def _way_length(way_id: int) -> float:
    way = next(w for w in town.WAYS if w["id"] == way_id)
    lon, lat = np.array([town.NODES[n] for n in way["nodes"]]).T
    return float(_geod_m(lon[:-1], lat[:-1], lon[1:], lat[1:]).sum())


def test_keeps_exactly_the_drivable_ways(net: RoadNetwork) -> None:
    assert set(net.edges["name"]) == town.DRIVE_NAMES
    assert net.meta.road_classes == (
        "trunk",
        "primary",
        "unclassified",
        "residential",
        "motorway_link",
    )


def test_segments_keep_their_way_ids(net: RoadNetwork) -> None:
    ways = {w["id"]: w for w in town.WAYS}
    for name, osmid in net.edges[["name", "osmid"]].itertuples(index=False):
        assert ways[osmid]["tags"].get("name", "") == name
    drive_ways = {w["id"] for w in town.WAYS if w["tags"].get("name") in town.DRIVE_NAMES}
    assert set(net.edges["osmid"]) <= drive_ways
    graph = net.to_graph()
    assert graph.graph["osm_ids"] is True
    assert set(graph.nodes) == set(net.nodes["osmid"])


def test_every_kept_way_keeps_its_full_length(net: RoadNetwork) -> None:
    by_name = net.edges.groupby("name")["length"].sum()
    for way in town.WAYS:
        name = way["tags"].get("name")
        if name in town.DRIVE_NAMES:
            assert by_name[name] == pytest.approx(_way_length(way["id"]), rel=1e-9), name


def test_segments_end_at_junctions_and_way_ends_only(net: RoadNetwork) -> None:
    osmids = set(net.nodes["osmid"])
    # The footway's crossing is not a junction once the footway is dropped ...
    assert town.FOOTWAY_CROSSING not in osmids
    street_2 = _segments(net).query("name == 'Street 2'")
    assert len(street_2) == 3  # trunk-School, School-Souq, Souq-River
    # ... while the node where Highway 12 West ends and East begins is one.
    assert 110 in osmids
    # Mid-way vertices are geometry, not nodes.
    assert not osmids & {101, 102, 103, 104, 310, 320}


def test_oneway_minus_one_is_stored_in_legal_direction(net: RoadNetwork) -> None:
    souq = net.edges.index[net.edges["name"] == "Souq Street"]
    assert len(souq) == 2
    for i in souq:
        xy = net.edge_coords(int(i))
        assert net.edges.at[i, "oneway"]
        assert xy[0, 0] > xy[-1, 0]  # drawn west to east, legal only east to west


def test_roundabout_is_one_oneway_loop_from_its_junction(net: RoadNetwork) -> None:
    ring = _segments(net).query("name == 'Clock Roundabout'")
    assert len(ring) == 1
    assert ring["oneway"].all()
    assert (ring["ou"] == 306).all() and (ring["ov"] == 306).all()
    assert ring["length"].iloc[0] == pytest.approx(_way_length(20), rel=1e-9)


def test_isolated_ring_is_dropped_disconnected_road_kept(net: RoadNetwork) -> None:
    assert "Isolated Loop" not in set(net.edges["name"])
    assert net.summary().components == 2


def test_tags_are_carried(net: RoadNetwork) -> None:
    edges = net.edges.set_index("name")
    assert edges.loc["Station Road", "maxspeed"] == pytest.approx(50 * 1.609344)
    assert np.isnan(edges.loc["Airport Link", "maxspeed"])  # "RU:urban" is not a number
    assert edges.loc["Airport Link", "tunnel"] and edges.loc["Airport Link", "oneway"]
    assert edges.loc["River Street", "bridge"].all()
    assert set(edges.loc["Highway 12 West", "ref"]) == {"12"}
    assert not edges.loc["Farm Road", "oneway"]


def test_osm_date_from_header(net: RoadNetwork) -> None:
    assert net.meta.osm_date == town.OSM_BASE[:10]
    assert "OSM data of 2024-05-01" in net.meta.describe()


def test_pbf_and_xml_give_the_same_network() -> None:
    xml = network_from_osm_file(FIXTURES / "town.osm")
    pbf = network_from_osm_file(FIXTURES / "town.osm.pbf")
    assert (pbf.n_nodes, pbf.n_edges) == (xml.n_nodes, xml.n_edges)
    assert pbf.edges["length"].sum() == pytest.approx(xml.edges["length"].sum(), rel=1e-3)
    cols = ["ou", "ov", "name", "highway", "oneway", "bridge", "tunnel"]
    key = [*cols, "length"]
    a = _segments(xml)[key].sort_values(key).reset_index(drop=True)
    b = _segments(pbf)[key].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(a[cols].astype(str), b[cols].astype(str))
    np.testing.assert_allclose(a["length"], b["length"], rtol=1e-9)


def test_drive_service_adds_service_roads() -> None:
    for name in ("town.osm", "town.osm.pbf"):
        net = network_from_osm_file(FIXTURES / name, network_type="drive_service")
        assert set(net.edges["name"]) == town.SERVICE_NAMES


@pytest.mark.parametrize("suffix", [".osm", ".osm.pbf"])
def test_date_falls_back_to_newest_road_edit(tmp_path: Path, suffix: str) -> None:
    path = town.write(tmp_path / f"t{suffix}", header_date=None)
    assert network_from_osm_file(path).meta.osm_date == town.NEWEST_EDIT.date().isoformat()
    path = town.write(tmp_path / f"u{suffix}", header_date=None, timestamps=False)
    assert network_from_osm_file(path).meta.osm_date == "unknown"


# ------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("name", ["missing.osm", "missing.osm.pbf"])
def test_missing_file(tmp_path: Path, name: str) -> None:
    with pytest.raises(DataNotFoundError, match=f"{name} does not exist"):
        network_from_osm_file(tmp_path / name)


def test_directory_is_not_a_file(tmp_path: Path) -> None:
    (tmp_path / "x.osm").mkdir()
    with pytest.raises(DataNotFoundError, match="is a directory"):
        network_from_osm_file(tmp_path / "x.osm")


def test_garbage_pbf(tmp_path: Path) -> None:
    path = tmp_path / "bad.osm.pbf"
    path.write_bytes(b"\x00\x00\x00\x0dnot a pbf at all" * 50)
    with pytest.raises(DataFormatError, match="not a readable OSM PBF"):
        network_from_osm_file(path)


def test_truncated_xml(tmp_path: Path) -> None:
    path = tmp_path / "cut.osm"
    path.write_bytes((FIXTURES / "town.osm").read_bytes()[:5000])
    with pytest.raises(DataFormatError, match="not a readable OSM XML file"):
        network_from_osm_file(path)


def test_corrupt_bz2(tmp_path: Path) -> None:
    path = tmp_path / "bad.osm.bz2"
    path.write_bytes(b"BZh9" + b"\x17" * 200)
    with pytest.raises(DataFormatError):
        network_from_osm_file(path)


@pytest.mark.parametrize("suffix", [".osm", ".osm.pbf"])
def test_file_without_drivable_roads(tmp_path: Path, suffix: str) -> None:
    path = town.write(tmp_path / f"paths{suffix}", ways=[w for w in town.WAYS if w["id"] >= 40])
    with pytest.raises(DataNotFoundError, match="no 'drive' roads"):
        network_from_osm_file(path)


@pytest.mark.parametrize("suffix", [".osm", ".osm.pbf"])
def test_way_with_missing_nodes(tmp_path: Path, suffix: str) -> None:
    ways = [{"id": 1, "nodes": [100, 999_999, 101], "tags": {"highway": "primary"}}]
    path = town.write(tmp_path / f"clipped{suffix}", ways=ways)
    with pytest.raises(DataFormatError, match=r"referencing .*it does not contain"):
        network_from_osm_file(path)


def test_unknown_suffix(tmp_path: Path) -> None:
    path = tmp_path / "roads.geojson"
    path.write_text("{}")
    with pytest.raises(DataFormatError, match="cannot tell the OSM format"):
        network_from_osm_file(path)


def test_unknown_network_type() -> None:
    with pytest.raises(ValueError, match="drive_service"):
        network_from_osm_file(FIXTURES / "town.osm", network_type="drvie")


@pytest.mark.parametrize(
    ("tags", "drive", "drive_service"),
    [
        ({"highway": "primary"}, True, True),
        ({"highway": "residential", "oneway": "yes"}, True, True),
        ({"highway": "footway"}, False, False),
        ({"highway": "track"}, False, False),
        ({"highway": "service"}, False, True),
        ({"highway": "service", "service": "parking_aisle"}, False, False),
        ({"highway": "service", "service": "driveway"}, False, True),
        ({"highway": "tertiary", "access": "private"}, False, False),
        ({"highway": "tertiary", "motorcar": "no"}, False, False),
        ({"highway": "pedestrian", "area": "yes"}, False, False),
        ({"highway": "primary_construction"}, False, False),  # Overpass regexes are unanchored
        ({"name": "no highway tag"}, False, False),
    ],
)
def test_way_filter_follows_osmnx_network_types(
    tags: dict[str, str], drive: bool, drive_service: bool
) -> None:
    assert way_filter("drive")(tags) is drive
    assert way_filter("drive_service")(tags) is drive_service
