"""The layout keeps its promises: layers import downwards only, no import cycle, no region
knowledge in the code, and a region defined in a file works with no code change."""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

import routing
from routing._geo import GEOD
from routing.api import check, reach, route
from routing.claims import Verdict, loads_claims
from routing.settings import data_dir

PACKAGE = Path(routing.__file__).parent

# Data flow, bottom to top: a module may import its own layer and the layers below it.
LAYERS: list[tuple[str, ...]] = [
    ("exceptions", "settings", "_version", "_geo", "_format", "_text", "_yaml", "location"),
    ("network", "cache", "_osmwrite"),
    ("sources",),
    ("gazetteer", "_transliterate"),
    ("engine",),
    ("analysis",),
    ("claims",),
    ("output",),
    ("batch",),
    ("api",),
    ("cli", "__main__", "__init__"),
]


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 1 else parts)


def _layer(module: str) -> int:
    top = module.split(".")[0]
    return next(i for i, names in enumerate(LAYERS) if top in names)


def _imports(path: Path) -> set[str]:
    """Package modules imported by a file (at run time: ``TYPE_CHECKING`` blocks excluded)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip |= {id(n) for n in ast.walk(node)}
    module = _module(path)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = set()
    for node in ast.walk(tree):
        if id(node) in skip or not isinstance(node, ast.ImportFrom) or not node.level:
            continue
        base = package[: len(package) - node.level + 1]
        target = ".".join([*base, node.module] if node.module else base)
        if node.module is None:  # "from . import a, b": the names may be modules
            for alias in node.names:
                sub = f"{target}.{alias.name}" if target else alias.name
                candidate = PACKAGE / Path(*sub.split("."))
                found.add(
                    sub if candidate.with_suffix(".py").exists() or candidate.is_dir() else target
                )
        else:
            found.add(target)
    return {m for m in found if m}


@pytest.fixture(scope="module")
def graph() -> nx.DiGraph:
    g = nx.DiGraph()
    for path in PACKAGE.rglob("*.py"):
        module = _module(path)
        g.add_node(module)
        for target in _imports(path):
            g.add_edge(module, target)
    return g


def test_layers_import_downwards_only(graph: nx.DiGraph) -> None:
    upward = [
        f"{a} (layer {_layer(a)}) imports {b} (layer {_layer(b)})"
        for a, b in graph.edges
        if _layer(b) > _layer(a)
    ]
    assert not upward, "\n".join(upward)


def test_no_import_cycle(graph: nx.DiGraph) -> None:
    # A package's __init__ re-exporting its own modules is not a cycle between layers.
    g = graph.copy()
    g.remove_edges_from([(a, b) for a, b in graph.edges if b.startswith(a + ".")])
    cycles = list(nx.simple_cycles(g))
    assert not cycles, cycles[:5]


# Names of the first case's region: code must not depend on them (docstrings and comments
# may use them as examples; region packs and curated data files hold them as data).
REGION_WORDS = {
    "iraq", "syria", "baghdad", "husaybah", "qaim", "anbar", "ramadi", "fallujah", "haditha",
    "euphrates", "deir", "rawa", "mosul", "damascus", "aleppo", "kamal", "irq", "syr",
    "western-iraq",
}  # fmt: skip


def _code_words(path: Path) -> set[tuple[int, str]]:
    """(line, word) of the string literals and names of a file, docstrings left out."""
    source = path.read_text(encoding="utf-8")
    docstrings = set()
    for node in ast.walk(ast.parse(source)):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                docstrings.add(value.lineno)
    words = set()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.NAME or (
            tok.type == tokenize.STRING and tok.start[0] not in docstrings
        ):
            for word in tok.string.lower().replace("_", " ").replace("'", " ").split():
                words.add((tok.start[0], word.strip("\"'.,:;()[]{}")))
    return words


def test_no_private_module_of_a_dependency_is_imported() -> None:
    private = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            else:
                continue
            for name in names:
                top, *rest = name.split(".")
                if top != "routing" and any(part.startswith("_") for part in rest):
                    private.append(f"{path.relative_to(PACKAGE)}: {name}")
    assert not private, private


def test_no_region_knowledge_in_code() -> None:
    hits = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {word}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line, word in sorted(_code_words(path))
        if word in REGION_WORDS
    ]
    assert not hits, "\n".join(hits)


def test_a_region_defined_in_a_file_needs_no_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A user's pack (a bbox on the full-detail MBTiles) routes, reaches and checks claims."""
    (tmp_path / "mine.yaml").write_text(
        f"""
name: euphrates-cut
description: a user's cut of the full-detail extract
source:
  path: {data_dir() / "syria-2021-08.mbtiles"}
  classes: [motorway, trunk, primary, secondary, tertiary, minor]
bbox: [40.35, 34.85, 40.65, 35.1]
places: ["Al Mayadin, Syria"]
""",
        encoding="utf-8",
    )
    monkeypatch.setenv("ROUTING_REGIONS_DIR", str(tmp_path))
    r = route("Al Mayadin", "Al-Ashara", net="euphrates-cut")
    assert r.net.meta.region == "euphrates-cut" and r.length_km >= r.straight_km
    result = reach("Al-Ashara", hours=[0.5], net="euphrates-cut")
    reached = result.reached_places()
    # Al Mayadin, 15 km up the road, is reached (its point named in the tiles' own script).
    n = len(reached)
    apart = GEOD.inv(reached["lon"].to_numpy(), reached["lat"].to_numpy(),
                     [r.origin.lon] * n, [r.origin.lat] * n)[2]  # fmt: skip
    assert (np.asarray(apart) < 3_000).any()
    a, b = (r.origin.lon, r.origin.lat), (r.destination.lon, r.destination.lat)
    claims = loads_claims(
        f"""
claims:
  - id: c
    kind: distance
    quote: The two points are {r.straight_km:.1f} km apart as the crow flies.
    from: "{a[1]},{a[0]}"
    to: "{b[1]},{b[0]}"
    value: {r.straight_km:.1f}
    unit: km
    measure: straight line
"""
    )
    (res,) = check(claims, net="euphrates-cut")
    assert res.verdict is Verdict.ACCURATE
