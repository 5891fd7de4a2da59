"""Compiled kernels of the CCH engine (numba): contraction, customization and queries.

A Customizable Contraction Hierarchy (Dibbelt, Strasser, Wagner 2016) over a node order:
nodes are numbered by *rank* (their position in the order), and the chordal supergraph holds,
for every node ``x``, its upper neighbours ``heads[first[x]:first[x + 1]]`` (sorted, all of
higher rank). Each such *CCH arc* ``(x, y)`` carries two weights after customization: ``fw``
for driving ``x -> y`` (upwards) and ``bw`` for ``y -> x`` (downwards), each the cost of a
cheapest path between them through lower-ranked nodes only. The upper neighbours of a node
are ancestors of it in the elimination tree (``parent``), so a search from a node relaxes the
arcs of its ancestors in rank order, and nothing else.

Queries: point-to-point (with several weighted sources and targets, unpacked to input arcs),
many-to-many (forward searches meeting backward searches stored in buckets per node) and
one-to-all (PHAST: the source's upward search, then one downward sweep over the nodes,
skipping the subtrees that lie beyond a cutoff).
Every kernel works in float64, so costs are sums of the input weights, not rounded integers.
"""

from __future__ import annotations

import numpy as np

from .._compiled import compiled

__all__ = [
    "chordal_graph",
    "customize",
    "many_to_many",
    "one_to_all",
    "route_query",
    "shortest_tree",
]


@compiled
def chordal_graph(
    n: int, first_in: np.ndarray, ups_in: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Chordal supergraph and elimination tree of a graph whose nodes are numbered by rank.

    ``ups_in[first_in[x]:first_in[x + 1]]`` are the higher-ranked neighbours of ``x`` in the
    input (duplicates allowed). Eliminating the nodes in rank order joins the upper neighbours
    of each node into a clique; they are gathered from the node's own arcs and its children in
    the elimination tree. Returns ``first``, ``heads`` (CSR of upper neighbours, sorted) and
    ``parent`` (lowest upper neighbour, -1 at roots).
    """
    parent = np.full(n, -1, np.int64)
    child = np.full(n, -1, np.int64)
    sibling = np.full(n, -1, np.int64)
    first = np.zeros(n + 1, np.int64)
    heads = np.empty(max(16, 2 * len(ups_in)), np.int64)
    size = 0
    buf = np.empty(64, np.int64)
    for x in range(n):
        k = first_in[x + 1] - first_in[x]
        c = child[x]
        while c != -1:
            k += first[c + 1] - first[c]
            c = sibling[c]
        if k > len(buf):
            buf = np.empty(2 * k, np.int64)
        m = 0
        for i in range(first_in[x], first_in[x + 1]):
            buf[m] = ups_in[i]
            m += 1
        c = child[x]
        while c != -1:
            for i in range(first[c], first[c + 1]):
                if heads[i] != x:
                    buf[m] = heads[i]
                    m += 1
            c = sibling[c]
        ups = np.sort(buf[:m])
        if size + m > len(heads):
            grown = np.empty(max(2 * len(heads), size + m), np.int64)
            grown[:size] = heads[:size]
            heads = grown
        count = 0
        for v in ups:
            if count == 0 or heads[size + count - 1] != v:
                heads[size + count] = v
                count += 1
        if count:
            p = heads[size]
            parent[x] = p
            sibling[x] = child[p]
            child[p] = x
        size += count
        first[x + 1] = size
    return first, heads[:size].copy(), parent


@compiled
def customize(
    n: int,
    first: np.ndarray,
    heads: np.ndarray,
    arc_cch: np.ndarray,
    arc_up: np.ndarray,
    weight: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Weights of every CCH arc in both directions, and how to unpack them.

    Input arc ``a`` lies on CCH arc ``arc_cch[a]`` (-1 for a loop), upwards if ``arc_up[a]``.
    Returns ``fw``, ``bw``, ``fw_via``, ``bw_via`` (the bottom node of the triangle a shortcut
    goes through, -1 where the weight is an input arc's) and ``fw_arc``, ``bw_arc`` (that input
    arc). Triangles are relaxed bottom node by bottom node in rank order: the two lower arcs of
    a triangle are final when it is relaxed.
    """
    m = len(heads)
    fw = np.full(m, np.inf)
    bw = np.full(m, np.inf)
    fw_via = np.full(m, -1, np.int64)
    bw_via = np.full(m, -1, np.int64)
    fw_arc = np.full(m, -1, np.int64)
    bw_arc = np.full(m, -1, np.int64)
    for a in range(len(arc_cch)):
        c = arc_cch[a]
        if c < 0:
            continue
        if arc_up[a]:
            if weight[a] < fw[c]:
                fw[c] = weight[a]
                fw_arc[c] = a
        elif weight[a] < bw[c]:
            bw[c] = weight[a]
            bw_arc[c] = a
    for x in range(n):
        hi = first[x + 1]
        for i in range(first[x], hi):
            y = heads[i]
            p = first[y]
            end = first[y + 1]
            for j in range(i + 1, hi):
                z = heads[j]
                while p < end and heads[p] < z:
                    p += 1
                # y -> x -> z and z -> x -> y improve the arc (y, z).
                up = bw[i] + fw[j]
                if up < fw[p]:
                    fw[p] = up
                    fw_via[p] = x
                down = bw[j] + fw[i]
                if down < bw[p]:
                    bw[p] = down
                    bw_via[p] = x
    return fw, bw, fw_via, bw_via, fw_arc, bw_arc


@compiled
def _search_up(
    seed_node: np.ndarray,
    seed_cost: np.ndarray,
    seed_label: np.ndarray,
    first: np.ndarray,
    heads: np.ndarray,
    weight: np.ndarray,
    parent: np.ndarray,
    dist: np.ndarray,
    label: np.ndarray,
    pred: np.ndarray,
    seen: np.ndarray,
    visited: np.ndarray,
) -> int:
    """Search from weighted seeds up the elimination tree; returns how many nodes it visited.

    ``visited[:count]`` lists them in rank order; ``dist``, ``label`` (the seed each came
    from) and ``pred`` (the CCH arc it was reached by, -1 at seeds) hold the results. ``dist``
    must be inf and ``seen`` False everywhere on entry (:func:`_clear` restores that).
    """
    count = 0
    for i in range(len(seed_node)):
        x = seed_node[i]
        if seed_cost[i] < dist[x]:
            dist[x] = seed_cost[i]
            label[x] = seed_label[i]
            pred[x] = -1
        while x != -1 and not seen[x]:
            seen[x] = True
            visited[count] = x
            count += 1
            x = parent[x]
    visited[:count] = np.sort(visited[:count])
    for i in range(count):
        x = visited[i]
        dx = dist[x]
        if dx == np.inf:
            continue
        for a in range(first[x], first[x + 1]):
            y = heads[a]
            nd = dx + weight[a]
            if nd < dist[y]:
                dist[y] = nd
                label[y] = label[x]
                pred[y] = a
    return count


@compiled
def _clear(visited: np.ndarray, count: int, dist: np.ndarray, seen: np.ndarray) -> None:
    for i in range(count):
        dist[visited[i]] = np.inf
        seen[visited[i]] = False


@compiled
def _find_arc(first: np.ndarray, heads: np.ndarray, x: int, y: int) -> int:
    lo: int = first[x]
    hi: int = first[x + 1]
    while lo < hi:
        mid = (lo + hi) // 2
        if heads[mid] < y:
            lo = mid + 1
        else:
            hi = mid
    return lo


@compiled
def _unpack(
    arcs: np.ndarray,
    upward: np.ndarray,
    tails: np.ndarray,
    first: np.ndarray,
    heads: np.ndarray,
    fw_via: np.ndarray,
    bw_via: np.ndarray,
    fw_arc: np.ndarray,
    bw_arc: np.ndarray,
) -> np.ndarray:
    """Input arcs of a path of CCH arcs (each driven upwards or downwards), in order."""
    out = np.empty(64, np.int64)
    count = 0
    stack_arc = np.empty(256, np.int64)
    stack_up = np.empty(256, np.bool_)
    for k in range(len(arcs)):
        top = 1
        stack_arc[0] = arcs[k]
        stack_up[0] = upward[k]
        while top:
            top -= 1
            a, up = stack_arc[top], stack_up[top]
            via = fw_via[a] if up else bw_via[a]
            if via < 0:
                if count == len(out):
                    grown = np.empty(2 * count, np.int64)
                    grown[:count] = out
                    out = grown
                out[count] = fw_arc[a] if up else bw_arc[a]
                count += 1
                continue
            if top + 2 > len(stack_arc):
                grown_arc = np.empty(2 * len(stack_arc), np.int64)
                grown_arc[:top] = stack_arc[:top]
                stack_arc = grown_arc
                grown_up = np.empty(2 * len(stack_up), np.bool_)
                grown_up[:top] = stack_up[:top]
                stack_up = grown_up
            low, high = tails[a], heads[a]
            to_low = _find_arc(first, heads, via, low)
            to_high = _find_arc(first, heads, via, high)
            # Upwards low -> via -> high; downwards high -> via -> low. Pushed last first.
            if up:
                stack_arc[top], stack_up[top] = to_high, True
                stack_arc[top + 1], stack_up[top + 1] = to_low, False
            else:
                stack_arc[top], stack_up[top] = to_low, True
                stack_arc[top + 1], stack_up[top + 1] = to_high, False
            top += 2
    return out[:count]


@compiled
def route_query(
    s_node: np.ndarray,
    s_cost: np.ndarray,
    t_node: np.ndarray,
    t_cost: np.ndarray,
    first: np.ndarray,
    heads: np.ndarray,
    tails: np.ndarray,
    parent: np.ndarray,
    fw: np.ndarray,
    bw: np.ndarray,
    fw_via: np.ndarray,
    bw_via: np.ndarray,
    fw_arc: np.ndarray,
    bw_arc: np.ndarray,
    work: tuple[np.ndarray, ...],
    unpack: bool,
) -> tuple[float, int, int, np.ndarray]:
    """Cheapest path from any weighted source to any weighted target.

    Returns its cost (inf if none), the indices of the source and target seeds it joins, and
    (if ``unpack``) its input arcs in order. ``work`` holds two sets of scratch arrays.
    """
    dist_f, label_f, pred_f, seen_f, visited_f, dist_b, label_b, pred_b, seen_b, visited_b = work
    kf = _search_up(
        s_node, s_cost, np.arange(len(s_node)), first, heads, fw, parent,
        dist_f, label_f, pred_f, seen_f, visited_f,
    )  # fmt: skip
    kb = _search_up(
        t_node, t_cost, np.arange(len(t_node)), first, heads, bw, parent,
        dist_b, label_b, pred_b, seen_b, visited_b,
    )  # fmt: skip
    best, meet = np.inf, -1
    for i in range(kb):
        x = visited_b[i]
        if seen_f[x]:
            total = dist_f[x] + dist_b[x]
            if total < best:
                best, meet = total, x
    s_seed, t_seed = -1, -1
    arcs = np.empty(0, np.int64)
    if meet >= 0:
        s_seed, t_seed = label_f[meet], label_b[meet]
    if meet >= 0 and unpack:
        down_count = 0
        x = meet
        while pred_f[x] >= 0:
            down_count += 1
            x = tails[pred_f[x]]
        up_count = 0
        x = meet
        while pred_b[x] >= 0:
            up_count += 1
            x = tails[pred_b[x]]
        path = np.empty(down_count + up_count, np.int64)
        upward = np.empty(down_count + up_count, np.bool_)
        x = meet
        for i in range(down_count - 1, -1, -1):
            path[i], upward[i] = pred_f[x], True
            x = tails[pred_f[x]]
        x = meet
        for i in range(down_count, down_count + up_count):
            path[i], upward[i] = pred_b[x], False
            x = tails[pred_b[x]]
        arcs = _unpack(path, upward, tails, first, heads, fw_via, bw_via, fw_arc, bw_arc)
    _clear(visited_f, kf, dist_f, seen_f)
    _clear(visited_b, kb, dist_b, seen_b)
    return best, s_seed, t_seed, arcs


@compiled
def many_to_many(
    s_first: np.ndarray,
    s_node: np.ndarray,
    s_cost: np.ndarray,
    t_first: np.ndarray,
    t_node: np.ndarray,
    t_cost: np.ndarray,
    first: np.ndarray,
    heads: np.ndarray,
    parent: np.ndarray,
    fw: np.ndarray,
    bw: np.ndarray,
    work: tuple[np.ndarray, ...],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Costs between every source and every target, each with several weighted seeds.

    Seeds of source ``i`` are ``s_node[s_first[i]:s_first[i + 1]]`` with their costs, and
    likewise for targets. Every target's backward search is stored in buckets at the nodes it
    reaches; every source's forward search then reads the buckets of its nodes. Returns the
    cost matrix (inf where unreachable) and, per cell, the source and target seed (global
    seed indices) of the cheapest connection. ``work`` holds a set of scratch arrays and
    two per-node arrays kept at -1 for the buckets.
    """
    dist, label, pred, seen, visited = work[0], work[1], work[2], work[3], work[4]
    n_src, n_tgt = len(s_first) - 1, len(t_first) - 1
    e_node = np.empty(1024, np.int64)
    e_target = np.empty(1024, np.int64)
    e_cost = np.empty(1024)
    e_seed = np.empty(1024, np.int64)
    size = 0
    for t in range(n_tgt):
        lo, hi = t_first[t], t_first[t + 1]
        k = _search_up(
            t_node[lo:hi], t_cost[lo:hi], np.arange(lo, hi), first, heads, bw, parent,
            dist, label, pred, seen, visited,
        )  # fmt: skip
        if size + k > len(e_node):
            cap = max(2 * len(e_node), size + k)
            grown_node = np.empty(cap, np.int64)
            grown_node[:size] = e_node[:size]
            e_node = grown_node
            grown_target = np.empty(cap, np.int64)
            grown_target[:size] = e_target[:size]
            e_target = grown_target
            grown_seed = np.empty(cap, np.int64)
            grown_seed[:size] = e_seed[:size]
            e_seed = grown_seed
            grown_cost = np.empty(cap)
            grown_cost[:size] = e_cost[:size]
            e_cost = grown_cost
        for i in range(k):
            x = visited[i]
            if dist[x] < np.inf:
                e_node[size] = x
                e_target[size] = t
                e_cost[size] = dist[x]
                e_seed[size] = label[x]
                size += 1
        _clear(visited, k, dist, seen)
    # Buckets: entries sorted by node; per node its range (scratch arrays kept at -1).
    bucket_lo, bucket_hi = work[5], work[6]
    by_node = np.argsort(e_node[:size], kind="mergesort")
    b_target = e_target[by_node]
    b_cost = e_cost[by_node]
    b_seed = e_seed[by_node]
    b_node = e_node[by_node]
    for j in range(size):
        x = b_node[j]
        if j == 0 or b_node[j - 1] != x:
            bucket_lo[x] = j
        bucket_hi[x] = j + 1
    out = np.full((n_src, n_tgt), np.inf)
    out_s = np.full((n_src, n_tgt), -1, np.int64)
    out_t = np.full((n_src, n_tgt), -1, np.int64)
    for s in range(n_src):
        lo, hi = s_first[s], s_first[s + 1]
        k = _search_up(
            s_node[lo:hi], s_cost[lo:hi], np.arange(lo, hi), first, heads, fw, parent,
            dist, label, pred, seen, visited,
        )  # fmt: skip
        row, row_s, row_t = out[s], out_s[s], out_t[s]
        for i in range(k):
            x = visited[i]
            d = dist[x]
            if d == np.inf:
                continue
            seed = label[x]
            if bucket_lo[x] < 0:
                continue
            for j in range(bucket_lo[x], bucket_hi[x]):
                total = d + b_cost[j]
                t = b_target[j]
                if total < row[t]:
                    row[t] = total
                    row_s[t] = seed
                    row_t[t] = b_seed[j]
        _clear(visited, k, dist, seen)
    for j in range(size):
        bucket_lo[b_node[j]] = -1
        bucket_hi[b_node[j]] = -1
    return out, out_s, out_t


@compiled
def one_to_all(
    seed_node: np.ndarray,
    seed_cost: np.ndarray,
    first: np.ndarray,
    heads: np.ndarray,
    parent: np.ndarray,
    fw: np.ndarray,
    bw: np.ndarray,
    limit: float,
    work: tuple[np.ndarray, ...],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cost from the nearest weighted seed to every node (by rank) up to ``limit``, PHAST style.

    The seeds' upward search settles their ancestors; one sweep down the ranks then gives
    every node its cost from its upper neighbours, which are final by then. Returns the costs
    (inf beyond ``limit``), the seed each cost comes from (valid within ``limit``) and the
    ranks within ``limit``, in descending order.

    A path into the subtree of ``x`` (elimination tree) from outside it enters through an
    upper neighbour of ``x``, so when none of them is within ``limit`` and no seed lies in the
    subtree (``x`` was not on the upward search), the whole subtree is beyond ``limit``: its
    nodes are skipped, each on one look at its parent.
    """
    dist, label, pred, seen, visited = work[0], work[1], work[2], work[3], work[4]
    k = _search_up(
        seed_node, seed_cost, np.arange(len(seed_node)), first, heads, fw, parent,
        dist, label, pred, seen, visited,
    )  # fmt: skip
    n = len(dist)
    out = dist.copy()
    seed = np.empty(n, np.int64)
    for i in range(k):
        seed[visited[i]] = label[visited[i]]
    beyond = np.zeros(n, np.bool_)  # the node's whole subtree is beyond the limit
    reached = np.empty(n, np.int64)
    count = 0
    for x in range(n - 1, -1, -1):
        p = parent[x]
        if p >= 0 and beyond[p]:
            beyond[x] = True
            continue
        dx = out[x]
        via = -1
        for a in range(first[x], first[x + 1]):
            nd = out[heads[a]] + bw[a]
            if nd < dx:
                dx = nd
                via = heads[a]
        if dx <= limit and dx < np.inf:
            out[x] = dx
            if via >= 0:
                seed[x] = seed[via]
            reached[count] = x
            count += 1
        else:
            out[x] = np.inf
            # Beyond with its subtree unless seeded or entered from an upper neighbour.
            beyond[x] = not seen[x]
            for a in range(first[x], first[x + 1]):
                if out[heads[a]] < np.inf:
                    beyond[x] = False
                    break
    _clear(visited, k, dist, seen)
    return out, seed, reached[:count]


@compiled
def _branch_origins(
    reached: np.ndarray, pred: np.ndarray, in_tail: np.ndarray, origin: np.ndarray
) -> None:
    """Give each reached node the origin of the root of its tree branch (``pred`` -1).

    ``pred`` holds per node the position of its arc in ``in_tail``; roots keep their origin.
    """
    for x in reached:
        if pred[x] >= 0:
            origin[x] = -1
    chain = np.empty(64, np.int64)
    for x in reached:
        length = 0
        y = x
        while origin[y] < 0:
            if length == len(chain):
                grown = np.empty(2 * length, np.int64)
                grown[:length] = chain
                chain = grown
            chain[length] = y
            length += 1
            y = in_tail[pred[y]]
        for i in range(length):
            origin[chain[i]] = origin[y]


@compiled
def shortest_tree(
    cost: np.ndarray,
    cost_seed: np.ndarray,
    reached: np.ndarray,
    in_first: np.ndarray,
    in_tail: np.ndarray,
    in_tail_node: np.ndarray,
    in_arc: np.ndarray,
    in_weight: np.ndarray,
    order: np.ndarray,
    seed_node: np.ndarray,
    seed_cost: np.ndarray,
    seed_owner: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shortest-path tree of exact node costs (by rank): per node its cheapest way in, its source.

    ``in_tail[in_first[x]:in_first[x + 1]]`` are the tails (ranks; ``in_tail_node`` as nodes)
    of the arcs ``in_arc`` into ``x``, in arc order, with their weights ``in_weight``. Only
    the ``reached`` nodes (finite cost) are looked at. A node reached more cheaply (or as
    cheaply, the first seed winning) from a seed than over any arc hangs off that seed
    (predecessor -1). Returns cost, predecessor node, predecessor arc and origin (seed owner)
    per node, by node index (``order`` maps ranks to nodes).

    The origins are those of ``cost_seed`` (the seed each cost comes from) when they agree
    with the tree, as they do unless two owners tie; otherwise each node takes the origin of
    the root of its branch.
    """
    n = len(cost)
    # Per reached rank (the rest is never read): its cheapest way in (-1 at roots), its origin.
    pred = np.empty(n, np.int64)
    origin = np.empty(n, np.int64)
    for x in reached:
        best, way = np.inf, -1
        for e in range(in_first[x], in_first[x + 1]):
            c = cost[in_tail[e]] + in_weight[e]
            if c < best:
                best, way = c, e
        pred[x] = way
        origin[x] = seed_owner[cost_seed[x]]
    # Seed nodes: a node hangs off its cheapest seed (the first on ties) unless an arc is cheaper.
    seed_best = np.empty(n)
    seed_of = np.empty(n, np.int64)
    for i in range(len(seed_node)):
        seed_best[seed_node[i]] = np.inf
    for i in range(len(seed_node)):
        x = seed_node[i]
        if seed_cost[i] < seed_best[x]:
            seed_best[x] = seed_cost[i]
            seed_of[x] = seed_owner[i]
    for i in range(len(seed_node)):
        x = seed_node[i]
        if seed_best[x] < np.inf and cost[x] < np.inf:
            e = pred[x]
            if e < 0 or not cost[in_tail[e]] + in_weight[e] < seed_best[x]:
                pred[x] = -1
                origin[x] = seed_of[x]
            seed_best[x] = np.inf  # done
    for x in reached:
        e = pred[x]
        if e >= 0 and origin[x] != origin[in_tail[e]]:
            _branch_origins(reached, pred, in_tail, origin)
            break
    node_cost = np.full(n, np.inf)
    pred_node = np.full(n, -1, np.int64)
    pred_arc = np.full(n, -1, np.int64)
    node_origin = np.full(n, -1, np.int64)
    for x in reached:
        v = order[x]
        node_cost[v] = cost[x]
        node_origin[v] = origin[x]
        e = pred[x]
        if e >= 0:
            pred_node[v] = in_tail_node[e]
            pred_arc[v] = in_arc[e]
    return node_cost, pred_node, pred_arc, node_origin
