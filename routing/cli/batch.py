"""CLI command ``routing check-batch``: the claims of many articles, checked on Dask."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from .. import api
from ..batch.articles import read_articles
from ..batch.check import DEFAULT_BATCH_SIZE, ERROR, BatchSummary, check_batch
from ..batch.cluster import SCHEDULER_ENV, connect
from ..claims.results import Verdict
from ..claims.uncertainty import DEFAULT_DRAWS
from ..network import RoadNetwork
from ..output.envelope import data_record, envelope
from ..output.paths import output_folder
from ._app import app, console, err_console
from ._output import AsJson, echo_json

__all__ = ["SCHEDULER_OPTION", "WORKERS_OPTION", "check_batch_command"]

SCHEDULER_OPTION = typer.Option(
    "--scheduler",
    help=f"Dask scheduler tcp://HOST:PORT (default: ${SCHEDULER_ENV}, else a local cluster).",
)
WORKERS_OPTION = typer.Option(
    "--workers", min=1, help="Worker processes of the local cluster (default: one per core)."
)


@app.command("check-batch")
def check_batch_command(
    articles: Annotated[
        Path,
        typer.Argument(
            help="A folder of .txt articles (ids: file names), or a .jsonl/.csv of id and text."
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="Folder for claims.parquet/, claims.csv and summary.json."
        ),
    ],
    region: Annotated[
        str | None,
        typer.Option(help="Region name or data path to measure on (default: the default region)."),
    ] = None,
    scheduler: Annotated[str | None, SCHEDULER_OPTION] = None,
    workers: Annotated[int | None, WORKERS_OPTION] = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Articles per Dask task.")
    ] = DEFAULT_BATCH_SIZE,
    draws: Annotated[
        int, typer.Option(min=100, help="Monte Carlo draws per profile.")
    ] = DEFAULT_DRAWS,
    seed: Annotated[int, typer.Option(help="Random seed for the Monte Carlo.")] = 0,
    as_json: AsJson = False,
) -> None:
    """Extract and check the claims of many articles on a Dask cluster: one row per claim."""
    source = read_articles(articles)  # bad input fails before any cluster starts
    output_folder(out)
    start = time.perf_counter()
    with connect(scheduler, workers=workers) as client:  # an unreachable scheduler fails fast
        net = api.network(region)
        second = api.second_network(net)
        summary = check_batch(
            source,
            net,
            out,
            second=second,
            cluster=client,
            batch_size=batch_size,
            draws=draws,
            seed=seed,
        )
        n_workers = len(client.nthreads())  # type: ignore[no-untyped-call]
    elapsed_s = time.perf_counter() - start
    if as_json:
        _echo_summary(summary, [net, second], articles, out, region, elapsed_s, n_workers)
        return
    console.print(_verdicts(summary))
    for article_id, reason in summary.failures[:5]:
        err_console.print(f"[bold yellow]not checked:[/] {article_id}: {reason}", highlight=False)
    if summary.articles_failed > 5:
        err_console.print(f"... and {summary.articles_failed - 5} more (summary.json)")
    err_console.print(
        f"{summary.articles:,} articles in {elapsed_s:,.1f} s on {n_workers} worker(s) "
        f"({summary.articles / elapsed_s:,.1f} articles/s, cluster start included); "
        "written: " + ", ".join(summary.files),
        highlight=False,
    )


def _echo_summary(
    summary: BatchSummary,
    nets: list[RoadNetwork | None],
    articles: Path,
    out: Path,
    region: str | None,
    elapsed_s: float,
    n_workers: int,
) -> None:
    """The envelope of a batch: the files written as results, the counts as its summary."""
    counts = summary.to_dict()
    files = counts.pop("files")
    failures = counts.pop("failures")
    echo_json(
        envelope(
            "check-batch",
            query={"articles": str(articles), "out": str(out), "region": region},
            results=[{"path": str(out / name)} for name in files],
            summary={**counts, "elapsed_s": round(elapsed_s, 1), "workers": n_workers},
            assumptions=[
                *(f"data: {n.meta.describe()}" for n in nets if n is not None),
                f"Monte Carlo draws: {summary.draws}",
            ],
            data=[data_record(n.meta) for n in nets if n is not None],
            errors=[{"input": article_id, "error": reason} for article_id, reason in failures],
        )
    )


def _verdicts(summary: BatchSummary) -> Table:
    table = Table(
        title=(
            f"{summary.claims:,} claims from {summary.articles_with_claims:,} of "
            f"{summary.articles:,} articles ({summary.articles_failed:,} not readable)"
        ),
        title_justify="left",
    )
    table.add_column("verdict")
    table.add_column("claims", justify="right")
    table.add_column("meaning")
    for verdict, n in summary.verdicts.items():
        meaning = (
            "a place unknown or ambiguous, or the check failed (see the error column)"
            if verdict == ERROR
            else Verdict(verdict).meaning
        )
        table.add_row(verdict, f"{n:,}", meaning)
    table.caption = f"network: {summary.network}"
    return table
