"""Turning loose line pieces into a routable topology.

Vector tiles cut every road at tile edges and quantise vertices to the tile grid; low zooms
also simplify lines, so a junction vertex may survive in one road and not in the road that
meets it. This module repairs that, in planar coordinates (tile units, so the grid is exact):

1. pieces ending on a tile edge are joined to the matching piece of the neighbouring tile;
2. dead ends lying within a small tolerance of another road are snapped onto it (T-junctions
   that lost their shared vertex);
3. optionally, crossing lines are noded at their intersection (low zooms only, where an
   interchange and its roads collapse into one crossing; bridges and tunnels are exempt);
4. lines are split at every vertex shared by two pieces, giving junction nodes and edges;
5. chains of edges through degree-2 nodes with identical attributes are merged back.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

__all__ = ["Pieces", "Topology", "build_topology"]

# Keys for exact vertex identity: coordinates in 1/16 tile unit.
_KEY_SCALE = 16.0


@dataclass
class Pieces:
    """Line pieces in planar coordinates.

    Attributes
    ----------
    coords
        List of ``(n, 2)`` float arrays.
    attr
        Integer attribute code per piece; pieces merge only when codes are equal.
    tile
        Integer id of the tile each piece came from (``-1`` if not from a tile).
    on_edge
        ``(m, 2)`` bool: whether the piece's first / last vertex lies on its tile's edge.
    no_cross
        Bool per piece: never node this piece at crossings (bridges, tunnels).
    """

    coords: list[np.ndarray]
    attr: np.ndarray
    tile: np.ndarray
    on_edge: np.ndarray
    no_cross: np.ndarray


@dataclass
class Topology:
    """Result of :func:`build_topology`: nodes and edges in planar coordinates."""

    node_xy: np.ndarray
    edge_u: np.ndarray
    edge_v: np.ndarray
    edge_attr: np.ndarray
    coords: np.ndarray
    offsets: np.ndarray
    joined_tile_ends: int
    dangling_tile_ends: int
    snapped_dead_ends: int
    crossings_noded: int


def _union_find(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    adj = coo_array((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    return np.asarray(connected_components(adj, directed=False)[1])


def _join_tile_edges(pieces: Pieces, tol: float) -> tuple[int, int]:
    """Move matching piece ends on tile edges onto one point; return (joined, dangling)."""
    ends, owner, which = [], [], []
    for i, xy in enumerate(pieces.coords):
        for j, at in ((0, 0), (1, -1)):
            if pieces.on_edge[i, j]:
                ends.append(xy[at])
                owner.append(i)
                which.append(at)
    if not ends:
        return 0, 0
    pts = np.asarray(ends)
    tiles = pieces.tile[np.asarray(owner)]
    pairs = cKDTree(pts).query_pairs(tol, output_type="ndarray")
    pairs = pairs[tiles[pairs[:, 0]] != tiles[pairs[:, 1]]]
    labels = _union_find(len(pts), pairs[:, 0], pairs[:, 1])
    sizes = np.bincount(labels)
    centre = np.zeros((labels.max() + 1, 2))
    np.add.at(centre, labels, pts)
    centre /= sizes[:, None]
    for k, (i, at) in enumerate(zip(owner, which, strict=True)):
        if sizes[labels[k]] > 1:
            pieces.coords[i][at] = centre[labels[k]]
    return int((sizes > 1).sum()), int((sizes[labels] == 1).sum())


def _keys(xy: np.ndarray) -> np.ndarray:
    k = np.round(xy * _KEY_SCALE).astype(np.int64)
    return np.asarray(k[:, 0] * (1 << 31) + k[:, 1])


def _insert_points(coords: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Insert points lying on (or next to) a polyline at their positions along it."""
    line = shapely.linestrings(coords)
    where = shapely.line_locate_point(line, shapely.points(points))
    seg = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(coords, axis=0).T))])
    pos = np.searchsorted(seg, where, side="right")
    # Points are placed after vertex pos-1; equal positions keep a stable order.
    order = np.argsort(where, kind="stable")
    return np.insert(coords, pos[order], points[order], axis=0)


def _snap_dead_ends(pieces: Pieces, tol: float) -> int:
    """Snap piece ends that touch nothing onto a road within ``tol``; return how many."""
    first = np.array([xy[0] for xy in pieces.coords])
    last = np.array([xy[-1] for xy in pieces.coords])
    all_keys = np.concatenate([_keys(xy) for xy in pieces.coords])
    uniq, counts = np.unique(all_keys, return_counts=True)
    end_xy = np.concatenate([first, last])
    end_owner = np.concatenate([np.arange(len(first)), np.arange(len(last))])
    end_keys = _keys(end_xy)
    lone = counts[np.searchsorted(uniq, end_keys)] == 1
    lone &= ~np.concatenate([pieces.on_edge[:, 0], pieces.on_edge[:, 1]])
    idx = np.flatnonzero(lone)
    if not len(idx):
        return 0
    lines = np.asarray([shapely.linestrings(xy) for xy in pieces.coords])
    tree = shapely.STRtree(lines)
    pts = np.asarray(shapely.points(end_xy[idx]))
    hit_pt, hit_line = tree.query(pts, predicate="dwithin", distance=tol)
    keep = end_owner[idx[hit_pt]] != hit_line
    hit_pt, hit_line = hit_pt[keep], hit_line[keep]
    if not len(hit_pt):
        return 0
    # Nearest road for each dead end.
    dist = shapely.distance(pts[hit_pt], lines[hit_line])
    order = np.lexsort((dist, hit_pt))
    hit_pt, hit_line = hit_pt[order], hit_line[order]
    first_hit = np.concatenate([[True], hit_pt[1:] != hit_pt[:-1]])
    inserts: dict[int, list[np.ndarray]] = {}
    for p, li in zip(hit_pt[first_hit], hit_line[first_hit], strict=True):
        target = lines[li]
        snapped = shapely.get_coordinates(
            shapely.line_interpolate_point(target, shapely.line_locate_point(target, pts[p]))
        )[0]
        k = idx[p]
        owner = end_owner[k]
        pieces.coords[owner][0 if k < len(first) else -1] = snapped
        inserts.setdefault(int(li), []).append(snapped)
    for li, pts_list in inserts.items():
        pieces.coords[li] = _insert_points(pieces.coords[li], np.asarray(pts_list))
    return int(first_hit.sum())


def _node_crossings(pieces: Pieces) -> int:
    """Insert a shared vertex where two pieces cross without one; return how many."""
    lines = [shapely.linestrings(xy) for xy in pieces.coords]
    arr = np.asarray(lines)
    tree = shapely.STRtree(arr)
    a, b = tree.query(arr, predicate="intersects")
    keep = (a < b) & ~pieces.no_cross[a] & ~pieces.no_cross[b]
    a, b = a[keep], b[keep]
    inter = shapely.intersection(arr[a], arr[b])
    inserts: dict[int, list[np.ndarray]] = {}
    count = 0
    for i, j, geom in zip(a, b, inter, strict=True):
        pts = shapely.get_coordinates(shapely.extract_unique_points(geom))
        if shapely.get_type_id(geom) not in (0, 4):  # overlaps (lines): leave to vertices
            continue
        for p in pts:
            inserts.setdefault(int(i), []).append(p)
            inserts.setdefault(int(j), []).append(p)
    for li, pts_list in inserts.items():
        xy = pieces.coords[li]
        existing = set(_keys(xy).tolist())
        new = np.asarray([p for p in pts_list if _keys(p[None, :])[0] not in existing])
        if len(new):
            new = np.unique(new, axis=0)
            pieces.coords[li] = _insert_points(xy, new)
            count += len(new)
    return count


def _split(
    pieces: Pieces,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split pieces at shared vertices; return node_xy, u, v, attr, coords, offsets."""
    xy_list = []
    owner_list = []
    for i, xy in enumerate(pieces.coords):
        k = _keys(xy)
        keep = np.concatenate([[True], k[1:] != k[:-1]])  # drop repeated vertices
        xy = xy[keep]
        if len(xy) < 2:
            continue
        xy_list.append(xy)
        owner_list.append(np.full(len(xy), i))
    xy_all = np.concatenate(xy_list)
    owner = np.concatenate(owner_list)
    keys = _keys(xy_all)
    _uniq, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    start = np.concatenate([[True], owner[1:] != owner[:-1]])
    end = np.concatenate([owner[1:] != owner[:-1], [True]])
    is_node = start | end | (counts[inverse] > 1)
    flagged = np.flatnonzero(is_node)
    a, b = flagged[:-1], flagged[1:]
    same = owner[a] == owner[b]
    a, b = a[same], b[same]
    # Node ids: only keys that are nodes, numbered densely.
    node_keys, node_first = np.unique(keys[flagged], return_index=True)
    node_xy = xy_all[flagged[node_first]]
    u = np.searchsorted(node_keys, keys[a])
    v = np.searchsorted(node_keys, keys[b])
    counts_e = b - a + 1
    offsets = np.concatenate([[0], np.cumsum(counts_e)])
    take = np.repeat(a - offsets[:-1], counts_e) + np.arange(offsets[-1])
    coords = xy_all[take]
    # Vertices sharing a key may differ below the key's resolution: pin edge ends to the node.
    coords[offsets[:-1]] = node_xy[u]
    coords[offsets[1:] - 1] = node_xy[v]
    return node_xy, u, v, pieces.attr[owner[a]], coords, offsets


def _merge_degree2(
    n_nodes: int,
    u: np.ndarray,
    v: np.ndarray,
    attr: np.ndarray,
    coords: np.ndarray,
    offsets: np.ndarray,
    oneway_attr: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Merge edges through nodes of degree 2 whose two edges share attributes.

    A one-way edge joins a chain only in its own direction of travel.
    """
    deg = np.bincount(np.concatenate([u, v]), minlength=n_nodes)
    incident: list[list[int]] = [[] for _ in range(n_nodes)]
    for e in np.flatnonzero(deg[u] == 2):
        incident[u[e]].append(int(e))
    for e in np.flatnonzero(deg[v] == 2):
        incident[v[e]].append(int(e))

    def through(node: int) -> bool:
        inc = incident[node]
        return (
            deg[node] == 2 and len(inc) == 2 and inc[0] != inc[1] and (attr[inc[0]] == attr[inc[1]])
        )

    used = np.zeros(len(u), dtype=bool)
    new_u, new_v, new_attr, parts = [], [], [], []

    def seg(e: int, forward: bool) -> np.ndarray:
        xy = coords[offsets[e] : offsets[e + 1]]
        return xy if forward else xy[::-1]

    for e0 in range(len(u)):
        if used[e0]:
            continue
        used[e0] = True
        # Walk backwards from u to the chain start, then forwards from there.
        chain = [(e0, True)]
        node = int(u[e0])
        while through(node):
            nxt = next(e for e in incident[node] if e != chain[0][0])
            fwd = int(v[nxt]) == node
            if used[nxt] or (oneway_attr[attr[nxt]] and not fwd):
                break
            used[nxt] = True
            chain.insert(0, (nxt, fwd))
            node = int(u[nxt]) if fwd else int(v[nxt])
        start = node
        node = int(v[e0])
        while through(node):
            nxt = next(e for e in incident[node] if e != chain[-1][0])
            fwd = int(u[nxt]) == node
            if used[nxt] or (oneway_attr[attr[nxt]] and not fwd):
                break
            used[nxt] = True
            chain.append((nxt, fwd))
            node = int(v[nxt]) if fwd else int(u[nxt])
        xy = np.concatenate([seg(e, f)[(1 if k else 0) :] for k, (e, f) in enumerate(chain)])
        new_u.append(start)
        new_v.append(node)
        new_attr.append(attr[e0])
        parts.append(xy)
    new_offsets = np.concatenate([[0], np.cumsum([len(p) for p in parts])])
    return (
        np.asarray(new_u),
        np.asarray(new_v),
        np.asarray(new_attr),
        np.concatenate(parts),
        new_offsets,
    )


def build_topology(
    pieces: Pieces,
    *,
    oneway_attr: np.ndarray,
    join_tol: float,
    snap_tol: float,
    node_crossings: bool,
) -> Topology:
    """Run the whole repair and noding pipeline (see the module docstring).

    Parameters
    ----------
    pieces
        Input pieces; their coordinates are modified in place.
    join_tol
        Distance (planar units) within which piece ends on tile edges are joined.
    snap_tol
        Distance within which dead ends are snapped onto another road (0 disables).
    node_crossings
        Node crossing lines at their intersections.
    oneway_attr
        Bool per attribute code: pieces with that code may only be travelled in their
        digitised direction, so chains never reverse them.
    """
    joined, dangling = _join_tile_edges(pieces, join_tol)
    snapped = _snap_dead_ends(pieces, snap_tol) if snap_tol > 0 else 0
    crossings = _node_crossings(pieces) if node_crossings else 0
    node_xy, u, v, attr, coords, offsets = _split(pieces)
    u, v, attr, coords, offsets = _merge_degree2(
        len(node_xy), u, v, attr, coords, offsets, oneway_attr
    )
    # Nodes left isolated by merging are dropped and ids renumbered.
    used = np.unique(np.concatenate([u, v]))
    remap = np.full(len(node_xy), -1)
    remap[used] = np.arange(len(used))
    return Topology(
        node_xy=node_xy[used],
        edge_u=remap[u],
        edge_v=remap[v],
        edge_attr=attr,
        coords=coords,
        offsets=offsets,
        joined_tile_ends=joined,
        dangling_tile_ends=dangling,
        snapped_dead_ends=snapped,
        crossings_noded=crossings,
    )
