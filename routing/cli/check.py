"""CLI command ``routing check``: verdicts for a claim file.

The output fits an 80-column terminal: a short verdict table, then one block per claim with
its quote, figures and their bands, the explanation and what would make it true, then the
assumptions behind every figure, each printed once.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from .. import api
from ..claims.base import MeasuredClaimBase
from ..claims.io import load_claims
from ..claims.results import ClaimResult, Figure, Verdict
from ..claims.units import Dimension
from ..output.html import check_html_path, write_html
from ..output.paths import check_output
from ..output.report import ATTRIBUTION, report_dict, shared_assumptions, write_report
from ._app import app, console, err_console
from ._output import AsCsv, AsJson, echo_csv, echo_json, one_format

__all__ = ["check"]

_STYLE = {
    Verdict.ACCURATE: "green",
    Verdict.ROUGHLY_ACCURATE: "green",
    Verdict.PLAUSIBLE: "green",
    Verdict.BORDERLINE: "yellow",
    Verdict.MISLEADING: "yellow",
    Verdict.FALSE: "red",
    Verdict.IMPLAUSIBLE: "red",
    Verdict.NOT_CHECKABLE: "dim",
}


@app.command("check")
def check(
    claims: Annotated[Path, typer.Argument(help="Claim file (YAML, see docs/claims.md).")],
    report: Annotated[
        Path | None, typer.Option("--report", help="Write report.md and report.json here.")
    ] = None,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html", help="Write an interactive, self-contained HTML report (map included)."
        ),
    ] = None,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
    region: Annotated[
        str | None,
        typer.Option(help="Region name or data path to measure on (default: the default region)."),
    ] = None,
    draws: Annotated[int, typer.Option(min=100, help="Monte Carlo draws per profile.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Random seed for the Monte Carlo.")] = 0,
) -> None:
    """Check a claim file's distance, time, route and border claims against road data.

    --csv prints one row per claim with its first (headline) figure and band; --json and
    --report's report.json hold every figure.
    """
    one_format(as_json, as_csv)
    if html is not None:
        check_html_path(html)  # before the slow part, so a typo fails at once
    if report is not None:
        check_output(report, folder=True)  # before the work, so a bad folder fails at once
    claim_file = load_claims(claims)
    net = api.network(region)
    second = api.second_network(net)
    results = api.check(
        claim_file, net=net, second=second, draws=draws, seed=seed, progress=sys.stderr.isatty()
    )
    options: dict[str, Any] = {
        "query": {"claims": str(claims), "region": region, "draws": draws, "seed": seed},
        "networks": [(net, "roads"), *([(second, "cross-check")] if second else [])],
    }
    if as_json:
        echo_json(report_dict(claim_file, results, **options))
    elif as_csv:
        echo_csv(_claims_frame(results), [*shared_assumptions(results), ATTRIBUTION])
    else:
        console.print(_table(results))
        for r in results:
            console.print(_block(r))
        console.print(_footer(results))
    if report is not None:
        paths = write_report(claim_file, results, report, **options)
        err_console.print("report: " + ", ".join(str(p) for p in paths), highlight=False)
    if html is not None:
        out = write_html(claim_file, results, html, net)
        err_console.print(f"interactive report: {out}", highlight=False)


def _claims_frame(results: list[ClaimResult]) -> pd.DataFrame:
    """One row per claim: its verdict and headline figure (times in hours and minutes)."""
    rows = []
    for r in results:
        head = _headline(r)
        scale = 60.0 if head is not None and head.unit == "h" else None
        row: dict[str, Any] = {
            "id": r.claim_id,
            "kind": r.claim.kind_name,
            "stated": r.stated,
            "verdict": r.verdict.value,
            "figure": head.label if head else None,
            "value": head.value if head else None,
            "low": head.low if head else None,
            "high": head.high if head else None,
            "unit": head.unit if head else None,
        }
        for key in ("value", "low", "high"):
            v = row[key]
            row[f"{key}_min"] = round(v * scale, 1) if scale and v is not None else None
            row[key] = None if v is None else round(v, 4)
        row |= {"needs_review": bool(r.claim.review), "explanation": r.explanation}
        rows.append(row)
    return pd.DataFrame(rows)


def _headline(r: ClaimResult) -> Figure | None:
    """The first figure in the stated quantity's unit (km, h), else the first figure."""
    claim = r.claim
    if isinstance(claim, MeasuredClaimBase):
        unit = "h" if claim.quantity.dimension is Dimension.TIME else "km"
        return next((f for f in r.figures if f.unit == unit), r.figures[0])
    return r.figures[0] if r.figures else None


def _verdict(r: ClaimResult) -> Text:
    return Text(r.verdict.value, style=_STYLE[r.verdict])


def _table(results: list[ClaimResult]) -> Table:
    table = Table(title="Claim check (details below)", title_justify="left")
    table.add_column("claim", overflow="fold")
    table.add_column("stated", overflow="fold")
    table.add_column("verdict", no_wrap=True)
    for r in results:
        table.add_row(r.claim_id, r.stated, _verdict(r))
    return table


def _block(r: ClaimResult) -> RenderableType:
    """One claim: quote, reading, explanation, figures with bands, what would make it true."""
    head = Text.assemble("\n", (r.claim_id, "bold"), ": ", _verdict(r))
    parts: list[RenderableType] = [Text(f"\u201c{r.claim.quote}\u201d", style="italic")]
    if r.claim.note:
        parts.append(Text(f"Reading: {r.claim.note}", style="dim"))
    parts.append(Text(r.explanation))
    for f in r.figures:
        line = Text.assemble("\u2022 ", (f"{f.label}: ", "bold"), f.format())
        if f.band_reason:
            line.append(f"; band: {f.band_reason}", style="dim")
        parts.append(line)
    if r.to_make_true:
        parts.append(Text("What would make it true:", style="bold"))
        parts += [Text(f"\u2022 {t}") for t in r.to_make_true]
    return Group(head, Padding(Group(*parts), (0, 0, 0, 2)))


def _footer(results: list[ClaimResult]) -> RenderableType:
    """The assumptions, each once: those shared by every claim, then each claim's own."""
    shared = shared_assumptions(results)
    lines = [
        Text("\nAssumptions (every claim):", style="bold"),
        *[Text(f"\u2022 {a}", style="dim") for a in shared],
    ]
    for r in results:
        own = [a for a in r.assumptions if a not in shared]
        if own:
            lines.append(Text(f"{r.claim_id}:", style="bold"))
            lines += [Text(f"\u2022 {a}", style="dim") for a in own]
    lines.append(Text(ATTRIBUTION, style="dim"))
    return Group(*lines)
