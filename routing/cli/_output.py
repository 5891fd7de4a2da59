"""Options and printing shared by every command's machine output (``--json``, ``--csv``)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..output.envelope import to_json
from ..output.geodata import GEO_FORMATS
from ..output.tabular import csv_text

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["AsCsv", "AsJson", "GeoOut", "echo_csv", "echo_json", "one_format"]

AsJson = Annotated[
    bool,
    typer.Option(
        "--json", help="Print one JSON document (schema: docs/output.schema.json) instead of text."
    ),
]
AsCsv = Annotated[
    bool,
    typer.Option("--csv", help="Print CSV (assumptions as '#' lines above the header)."),
]
GeoOut = Annotated[
    Path | None,
    typer.Option(
        "--out",
        help="Write the geometry: " + ", ".join(GEO_FORMATS) + " (format from the suffix).",
    ),
]


def one_format(as_json: bool, as_csv: bool) -> None:
    """Refuse ``--json`` and ``--csv`` together."""
    if as_json and as_csv:
        raise typer.BadParameter("choose one of --json and --csv")


def echo_json(doc: dict[str, Any]) -> None:
    typer.echo(to_json(doc))


def echo_csv(frame: pd.DataFrame, header: Iterable[str]) -> None:
    typer.echo(csv_text(frame, header), nl=False)
