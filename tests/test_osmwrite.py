"""Tests for RoadNetwork.to_osm (routing._osmwrite) and ``routing data export``.

Each network is exported to ``.osm`` and ``.osm.pbf`` and read back with the toolkit's own
OSM reader (``load_network(path)``) and, for XML, with ``osmnx.graph_from_xml``; both must give
the same roads, lengths, tags and shortest paths as the network written.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import networkx as nx
import numpy as np
import osmium
import osmnx as ox
import pandas as pd
import pytest
from pyproj import Geod

from routing._osmwrite import _ids
from routing.cli import main
from routing.exceptions import InvalidArgumentError, OutputError
from routing.network import RoadNetwork
from routing.sources import load_network

FIXTURES = Path(__file__).parent / "fixtures"
TAG_COLUMNS = ["highway", "ref", "name", "oneway", "bridge", "tunnel", "maxspeed"]
N_PAIRS = 20
GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def town() -> RoadNetwork:
    return load_network(FIXTURES / "town.osm", progress=False)


@pytest.fixture(scope="module", params=["town", "western-iraq"])
def source(request: pytest.FixtureRequest, town: RoadNetwork) -> RoadNetwork:
    if request.param == "town":
        return town
    net: RoadNetwork = request.getfixturevalue("western_iraq")
    return net


@pytest.fixture(scope="module", params=[".osm", ".osm.pbf"])
def exported(
    request: pytest.FixtureRequest, source: RoadNetwork, tmp_path_factory: pytest.TempPathFactory
) -> tuple[RoadNetwork, Path, RoadNetwork]:
    """(network written, file, network read back by the toolkit)."""
    path = tmp_path_factory.mktemp("export") / f"roads{request.param}"
    assert source.to_osm(path) == path
    return source, path, load_network(path, use_cache=False, progress=False)


def _doubled_back(net: RoadNetwork) -> np.ndarray:
    """Edges drawn u -> a -> u (tile artefacts): an OSM reader splits them at ``a``.

    The middle vertex has one neighbour on both sides, which makes it a segment end under
    osmnx's rules, so each such edge reads back as two segments of the same total length.
    """
    e = net.edges
    return np.asarray((e["u"] == e["v"]).to_numpy() & (np.diff(net.offsets) == 3))


def test_total_length_is_kept(exported: tuple[RoadNetwork, Path, RoadNetwork]) -> None:
    net, _, back = exported
    # Coordinates are rounded to 1e-7 degrees: centimetres over thousands of km.
    assert back.edges["length"].sum() == pytest.approx(net.edges["length"].sum(), rel=1e-6)


def test_same_oneway_and_two_way_segments(exported: tuple[RoadNetwork, Path, RoadNetwork]) -> None:
    net, _, back = exported
    split = _doubled_back(net)
    for oneway in (True, False):
        mine = net.edges["oneway"].to_numpy() == oneway
        expected = int(mine.sum() + (split & mine).sum())
        assert int((back.edges["oneway"] == oneway).sum()) == expected, f"oneway={oneway}"
    assert back.n_nodes == net.n_nodes + int(split.sum())


def test_tags_are_kept(exported: tuple[RoadNetwork, Path, RoadNetwork]) -> None:
    net, _, back = exported

    def km_by_tags(n: RoadNetwork) -> pd.Series:
        e = n.edges.assign(highway=n.edges["highway"].astype(str), maxspeed=n.edges["maxspeed"])
        e["maxspeed"] = e["maxspeed"].fillna(-1.0)
        return e.groupby(TAG_COLUMNS)["length"].sum().round(0)

    pd.testing.assert_series_equal(km_by_tags(back), km_by_tags(net))
    assert back.meta.osm_date == net.meta.osm_date


def test_junction_ids(exported: tuple[RoadNetwork, Path, RoadNetwork]) -> None:
    net, path, back = exported
    ids = _ids(net)
    # Only the OSM file source has real ids; tiles' negative ids are written as 1..n.
    assert ids.real == (net.meta.zoom is None)
    if ids.real:
        np.testing.assert_array_equal(ids.junction, net.nodes["osmid"].to_numpy())
    else:
        np.testing.assert_array_equal(ids.junction, np.arange(1, net.n_nodes + 1))
    assert set(ids.junction) <= set(back.nodes["osmid"])
    generator = osmium.io.Reader(str(path)).header().get("generator")
    assert ("source OSM node ids" if ids.real else "sequential node ids") in generator


def _pairs(net: RoadNetwork, graph: nx.MultiDiGraph) -> list[tuple[int, int]]:
    main_scc = max(nx.strongly_connected_components(graph), key=len)
    nodes = np.array(sorted(main_scc))
    rng = np.random.default_rng(7)
    return [(int(a), int(b)) for a, b in rng.choice(nodes, (N_PAIRS, 2))]


def _assert_same_paths(net: RoadNetwork, other: nx.MultiDiGraph, node_of: dict[int, int]) -> None:
    mine = net.to_graph()
    for a, b in _pairs(net, mine):
        want = nx.shortest_path_length(mine, a, b, weight="length")
        got = nx.shortest_path_length(other, node_of[a], node_of[b], weight="length")
        assert got == pytest.approx(want, abs=1.0), (a, b)


def test_shortest_paths_with_the_toolkit_reader(
    exported: tuple[RoadNetwork, Path, RoadNetwork],
) -> None:
    net, _, back = exported
    junction = _ids(net).junction  # the ids written, which the reader keeps as node keys
    mine = net.nodes["osmid"].tolist()  # graph node keys, by row
    _assert_same_paths(
        net, back.to_graph(), {k: int(j) for k, j in zip(mine, junction, strict=True)}
    )


def test_shortest_paths_with_osmnx(source: RoadNetwork, tmp_path: Path) -> None:
    net = source
    path = net.to_osm(tmp_path / "roads.osm")  # osmnx reads OSM XML (not PBF)
    # One segment per way, as the toolkit's reader cuts them, so the arcs can be counted.
    graph = ox.simplify_graph(
        ox.graph_from_xml(path, simplify=False, retain_all=True), edge_attrs_differ=["osmid"]
    )
    split = _doubled_back(net)
    arcs_per_edge = np.where(net.edges["oneway"].to_numpy(), 1, 2)
    assert graph.number_of_edges() == int((arcs_per_edge * (1 + split)).sum())
    # osmnx measures on a sphere, the toolkit on the WGS84 ellipsoid: give osmnx's edges
    # their geodesic length (pyproj) from the geometry it read, then the totals must agree.
    for u, v, d in graph.edges(data=True):
        geom = d.get("geometry")
        xy = (
            np.asarray(geom.coords)
            if geom is not None
            else np.array([[graph.nodes[n]["x"], graph.nodes[n]["y"]] for n in (u, v)])
        )
        d["length"] = GEOD.line_length(xy[:, 0], xy[:, 1])
    total = sum(d["length"] for _, _, d in graph.edges(data=True) if not d["reversed"])
    assert total == pytest.approx(net.edges["length"].sum(), rel=1e-6)
    junction = _ids(net).junction
    mine = net.nodes["osmid"].tolist()  # graph node keys, by row
    _assert_same_paths(net, graph, {k: int(j) for k, j in zip(mine, junction, strict=True)})


@pytest.mark.parametrize("suffix", [".osm.bz2", ".osm.gz"])
def test_compressed_xml(town: RoadNetwork, tmp_path: Path, suffix: str) -> None:
    path = town.to_osm(tmp_path / f"town{suffix}")
    magic = path.read_bytes()[:3]
    assert magic == (b"BZh" if suffix == ".osm.bz2" else gzip.compress(b"")[:3])
    ways = sum(1 for o in osmium.FileProcessor(str(path)) if isinstance(o, osmium.osm.Way))
    assert ways == town.n_edges


# --------------------------------------------------------------------------- bad input
def test_bad_suffix(town: RoadNetwork, tmp_path: Path) -> None:
    with pytest.raises(InvalidArgumentError, match=r"\*\.osm\.pbf"):
        town.to_osm(tmp_path / "roads.geojson")
    with pytest.raises(InvalidArgumentError):
        town.to_osm(tmp_path / ".osm")
    assert not any(tmp_path.iterdir())


def test_missing_folders_are_created_as_for_every_output(town: RoadNetwork, tmp_path: Path) -> None:
    out = town.to_osm(tmp_path / "new" / "deeper" / "roads.osm.pbf")
    ways = sum(1 for o in osmium.FileProcessor(str(out)) if isinstance(o, osmium.osm.Way))
    assert ways == town.n_edges


def test_folder_or_file_in_the_way(town: RoadNetwork, tmp_path: Path) -> None:
    (tmp_path / "roads.osm").mkdir()
    with pytest.raises(OutputError, match="folder"):
        town.to_osm(tmp_path / "roads.osm")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="is a file"):
        town.to_osm(tmp_path / "file" / "roads.osm")


def test_failed_write_leaves_no_file(
    town: RoadNetwork, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "roads.osm.pbf"
    target.write_bytes(b"old")

    def broken(net: RoadNetwork) -> object:
        raise RuntimeError("disk full")

    monkeypatch.setattr("routing._osmwrite._way_tags", broken)
    with pytest.raises(OutputError, match="disk full"):
        town.to_osm(target)
    assert [p.name for p in tmp_path.iterdir()] == ["roads.osm.pbf"]
    assert target.read_bytes() == b"old"


# --------------------------------------------------------------------------- CLI
def test_cli_export(tmp_path: Path, western_iraq: RoadNetwork) -> None:
    out = tmp_path / "wi.osm.pbf"
    args = ["data", "export", "western-iraq", "--format", "osm.pbf", "--out", str(out)]
    assert main(args) == 0
    back = load_network(out, use_cache=False, progress=False)
    assert back.edges["length"].sum() == pytest.approx(western_iraq.edges["length"].sum(), 1e-6)
    before = out.read_bytes()
    assert main(args) == 2  # exists, no --force
    assert out.read_bytes() == before
    assert main([*args, "--force", "--bbox", "40,33,42,35"]) == 0
    assert len(out.read_bytes()) < len(before)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--format", "osm", "--out", "{tmp}/file/x.osm"], OutputError.exit_code),
        (["--format", "osm", "--out", "{tmp}/x.osm.pbf"], InvalidArgumentError.exit_code),
        (["--format", "shp", "--out", "{tmp}/x.shp"], InvalidArgumentError.exit_code),
        (["--out", "{tmp}/x.txt"], InvalidArgumentError.exit_code),
    ],
)
def test_cli_export_bad_input(tmp_path: Path, args: list[str], code: int) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    argv = ["data", "export", "no-such-region", *(a.format(tmp=tmp_path) for a in args)]
    # The output path is checked before the region is even looked up.
    assert main(argv) == code
    assert [p.name for p in tmp_path.iterdir()] == ["file"]
