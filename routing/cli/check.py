"""CLI command ``routing check``: verdicts for a claim file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..claims.io import load_claims
from ..claims.report import report_dict, write_report
from ..claims.verdicts import ClaimResult, Verdict, check_claims
from ._app import app, console, err_console

__all__ = ["check"]

_STYLE = {
    Verdict.ACCURATE: "green", Verdict.ROUGHLY_ACCURATE: "green", Verdict.PLAUSIBLE: "green",
    Verdict.BORDERLINE: "yellow", Verdict.MISLEADING: "yellow", Verdict.FALSE: "red",
    Verdict.IMPLAUSIBLE: "red", Verdict.NOT_CHECKABLE: "dim",
}


@app.command("check")
def check(
    claims: Annotated[Path, typer.Argument(help="Claim file (YAML, see docs/claims.md).")],
    report: Annotated[
        Path | None, typer.Option("--report", help="Write report.md and report.json here.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the full results as JSON instead of a table.")
    ] = False,
    region: Annotated[
        str, typer.Option(help="Region name or data path to measure on.")
    ] = "western-iraq",
    draws: Annotated[int, typer.Option(min=100, help="Monte Carlo draws per profile.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Random seed for the Monte Carlo.")] = 0,
) -> None:
    """Check a claim file's distance, time, route and border claims against road data."""
    claim_file = load_claims(claims)
    results = check_claims(claim_file, region, draws=draws, seed=seed)
    if as_json:
        console.print_json(json.dumps(report_dict(claim_file, results), ensure_ascii=False))
    else:
        console.print(_table(results))
        for line in _footer(results):
            console.print(line, style="dim", highlight=False)
    if report is not None:
        paths = write_report(claim_file, results, report)
        err_console.print("report: " + ", ".join(str(p) for p in paths), highlight=False)


def _table(results: list[ClaimResult]) -> Table:
    table = Table(title="Claim check", show_lines=True)
    for name in ("claim", "stated", "verdict", "measured (band)", "why"):
        table.add_column(name, overflow="fold")
    for r in results:
        measured = "\n".join(f"{f.label}: {f.format()}" for f in r.figures)
        why = " ".join([r.explanation, *r.to_make_true])
        table.add_row(r.claim_id, r.stated,
                      f"[{_STYLE[r.verdict]}]{r.verdict.value}[/]", measured or "-", why)
    return table


def _footer(results: list[ClaimResult]) -> list[str]:
    """Assumptions shared by every claim once, then each claim's own."""
    seen: list[str] = []
    for r in results:
        seen += [a for a in r.assumptions if a not in seen]
    return ["Assumptions:", *[f"  - {a}" for a in seen],
            "Bands: road km widened by the measured z7 generalization and off-road gaps; "
            "straight lines by town extent; times by Monte Carlo speed draws (5-95 %)."]
