"""Topology repair on small synthetic pieces (planar tile units)."""

from __future__ import annotations

import numpy as np

from routing.sources._noding import Pieces, Topology, build_topology


def _build(
    lines: list[list[tuple[float, float]]],
    *,
    tiles: list[int] | None = None,
    on_edge: list[tuple[bool, bool]] | None = None,
    attr: list[int] | None = None,
    no_cross: list[bool] | None = None,
    oneway: list[bool] | None = None,
    crossings: bool = True,
) -> Topology:
    n = len(lines)
    pieces = Pieces(
        coords=[np.asarray(xy, dtype=float) for xy in lines],
        attr=np.asarray(attr or [0] * n),
        tile=np.asarray(tiles or [0] * n),
        on_edge=np.asarray(on_edge or [(False, False)] * n, dtype=bool),
        no_cross=np.asarray(no_cross or [False] * n, dtype=bool),
    )
    return build_topology(
        pieces,
        oneway_attr=np.asarray(oneway or [False] * 4),
        join_tol=3.0,
        snap_tol=2.0,
        node_crossings=crossings,
    )


def test_pieces_meeting_at_tile_edge_are_joined_and_merged() -> None:
    topo = _build(
        [[(0, 10), (4096, 12)], [(4096, 13.5), (8000, 20)]],
        tiles=[0, 1],
        on_edge=[(False, True), (True, False)],
    )
    assert topo.joined_tile_ends == 1 and topo.dangling_tile_ends == 0
    assert len(topo.edge_u) == 1  # one continuous road, merged through the join
    assert len(topo.node_xy) == 2


def test_unmatched_tile_edge_end_is_counted() -> None:
    topo = _build(
        [[(0, 10), (4096, 12)], [(4096, 40), (8000, 20)]],
        tiles=[0, 1],
        on_edge=[(False, True), (True, False)],
    )
    assert topo.dangling_tile_ends == 2
    assert len(topo.edge_u) == 2


def test_dead_end_near_road_is_snapped_into_junction() -> None:
    topo = _build([[(0, 0), (100, 0)], [(50, 1.5), (50, 80)]], crossings=False)
    assert topo.snapped_dead_ends == 1
    assert len(topo.edge_u) == 3  # the through road split at the new T-junction
    assert len(topo.node_xy) == 4


def test_crossing_noded_but_not_at_bridges() -> None:
    cross = _build([[(0, 0), (100, 100)], [(0, 100), (100, 0)]])
    assert len(cross.edge_u) == 4 and cross.crossings_noded == 2
    bridge = _build([[(0, 0), (100, 100)], [(0, 100), (100, 0)]], no_cross=[False, True])
    assert len(bridge.edge_u) == 2 and bridge.crossings_noded == 0


def test_oneway_chains_do_not_merge_against_direction() -> None:
    # Two one-way pieces pointing at each other meet head to head: not one road.
    topo = _build([[(0, 0), (50, 0)], [(100, 0), (50, 0)]], attr=[1, 1], oneway=[False, True])
    assert len(topo.edge_u) == 2
    same_way = _build([[(0, 0), (50, 0)], [(50, 0), (100, 0)]], attr=[1, 1], oneway=[False, True])
    assert len(same_way.edge_u) == 1


def test_different_attributes_stay_separate_edges() -> None:
    topo = _build([[(0, 0), (50, 0)], [(50, 0), (100, 0)]], attr=[0, 2])
    assert len(topo.edge_u) == 2
