"""Notebooks are stored executed, so a reader sees every result without running them.

CI re-executes them with nbmake (``pytest --nbmake notebooks``), which catches code that no
longer runs; these checks catch stored outputs that no longer match their code (cheaply,
without a kernel): every code cell ran, in order, in one session, without errors, warnings
or stray text on stderr, and every figure is shown as an image. Re-execute a notebook in
place after changing it, from its folder::

    jupyter execute --inplace NOTEBOOK.ipynb
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))
MAX_BYTES = 2_000_000
_FIGURE_CALL = re.compile(r"\b(route_map|reach_map|claim_figure|results_figure)\(")


def _code_cells(path: Path) -> list[dict[str, Any]]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [c for c in cells if c["cell_type"] == "code"]


def _text(output: dict[str, Any]) -> str:
    if output["output_type"] == "stream":
        return "".join(output["text"])
    return "".join(output.get("data", {}).get("text/plain", ""))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_stored_executed_in_order(path: Path) -> None:
    code = _code_cells(path)
    assert code, "a notebook without code cells"
    counts = [c.get("execution_count") for c in code]
    assert counts == list(range(1, len(code) + 1)), (
        f"{path.name} was not run top to bottom in one session (execution counts {counts}): "
        "re-execute it"
    )
    for i, cell in enumerate(code, 1):
        source = "".join(cell["source"])
        outputs = cell["outputs"]
        assert outputs, f"{path.name} cell {i} shows no result"
        for out in outputs:
            assert out["output_type"] != "error", f"{path.name} cell {i}: {out.get('ename')}"
            assert not (out["output_type"] == "stream" and out["name"] == "stderr"), (
                f"{path.name} cell {i} wrote to stderr: {_text(out)[:200]}"
            )
            assert "Warning" not in _text(out), f"{path.name} cell {i}: {_text(out)[:200]}"
        # A figure is shown as an image, never only as "<Figure size ...>".
        images = [o for o in outputs if "image/png" in o.get("data", {})]
        if _FIGURE_CALL.search(source):
            assert images, f"{path.name} cell {i} draws a figure but shows no image"
        for out in outputs:
            if _text(out).startswith("<Figure size"):
                assert "image/png" in out.get("data", {}), f"{path.name} cell {i}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_stored_notebooks_stay_small_and_local(path: Path) -> None:
    assert path.stat().st_size < MAX_BYTES
    text = "\n".join(_text(o) for c in _code_cells(path) for o in c["outputs"])
    # The outputs carry no trace of the machine that ran them (paths, cache folders).
    for trace in ("/work/", "/tmp/", "/home/", "osm_cache/"):
        assert trace not in text, trace
