"""Batch claim checking: many articles' claims extracted and checked on a Dask cluster.

:func:`check_article` is the whole job for one article (extract with
:func:`~routing.claims.extract_claims`, check with :func:`~routing.claims.check_claims`) and
gives one row per claim; :func:`check_batch` runs it over an archive in tasks of a few
articles each, with the networks sent to every worker once, and writes the rows as Parquet
(one part per task) and CSV, plus a summary.

The output is keyed on ``(article_id, claim_id)`` and laid out in input order whatever the
cluster: part ``N`` holds the rows of the ``N``-th batch of articles, and a task that Dask
re-runs after its worker died rewrites its own part. So a run on a laptop and a run on a
cluster give the same files, and no claim is lost or counted twice.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from tqdm import tqdm

from ..claims import ClaimBase, ClaimFile, ClaimResult, check_claims, extract_claims
from ..claims.uncertainty import DEFAULT_DRAWS
from ..exceptions import InvalidArgumentError, OutputError, RoutingError
from ..network import RoadNetwork
from ..output.paths import write_text
from ._parts import PART_GLOB, part_name, parts_folder
from .articles import Article, Articles
from .cluster import ClusterLike, connect, map_bounded, networks_on_workers

__all__ = [
    "CLAIM_COLUMNS",
    "DEFAULT_BATCH_SIZE",
    "ERROR",
    "BatchSummary",
    "check_article",
    "check_batch",
]

# Articles per task: a task costs ~0.1-1 s, well above Dask's ~1 ms overhead per task, and
# a killed worker loses little work.
DEFAULT_BATCH_SIZE = 8
# The verdict column's value for a claim or article that could not be checked.
ERROR = "error"
# Output columns and their Arrow types (every part has this schema, even an empty one).
CLAIM_COLUMNS: dict[str, str] = {
    "article_id": "string",
    "claim_index": "int32",  # 0-based position in the article's extracted claims
    "claim_id": "string",  # null on a row reporting an article that could not be read
    "kind": "string",
    "quote": "string",
    "stated": "string",
    "verdict": "string",
    "measure": "string",  # what the first figure measures, e.g. "road distance"
    "value": "float64",
    "low": "float64",
    "high": "float64",
    "unit": "string",
    "figures": "string",  # every figure with its band, "; "-separated
    "flags": "string",  # review notes, route warnings, extraction comments, " | "-separated
    "explanation": "string",
    "error": "string",
}
_PARTS = "claims.parquet"
_FAILURES_LISTED = 20


@dataclass(frozen=True)
class BatchSummary:
    """What a batch run checked, and where it wrote the rows.

    Attributes
    ----------
    articles
        Articles in the input.
    articles_with_claims
        Articles with at least one claim extracted.
    articles_failed
        Articles that could not be read or processed (rows with an ``error`` and no claim).
    claims
        Claims extracted (one output row each).
    verdicts
        Claims per verdict (``"error"``: a place unknown or ambiguous, or a failed check).
    failures
        The first articles that failed, ``(article id, reason)``.
    network, second
        The networks measured on (description lines).
    draws, seed
        Monte Carlo settings of the travel-time checks.
    files
        The Parquet folder, the CSV and the summary JSON written.
    """

    articles: int
    articles_with_claims: int
    articles_failed: int
    claims: int
    verdicts: dict[str, int]
    failures: list[tuple[str, str]]
    network: str
    second: str | None
    draws: int
    seed: int
    files: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form (the summary JSON)."""
        return asdict(self)


def check_article(
    article: Article,
    net: RoadNetwork,
    *,
    second: RoadNetwork | None = None,
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
) -> list[dict[str, Any]]:
    """Extract and check one article's claims: one row (:data:`CLAIM_COLUMNS`) per claim.

    An article that cannot be read or processed gives one row with ``verdict`` ``"error"``,
    no claim id and the reason in ``error``; an article without claims gives no row. A
    claim naming an unknown or ambiguous place is an error row of its own, and the
    article's other claims are checked.
    """
    if article.text is None:
        return [_row(article.id, error=article.error or "no text")]
    try:
        extraction = extract_claims(article.text)
        claim_file = extraction.claim_file
        results = _check_claims(claim_file, net, second, draws, seed)
    except RoutingError as exc:
        return [_row(article.id, error=str(exc))]
    except Exception as exc:  # one article's failure must not stop an archive
        return [_row(article.id, error=f"internal error ({type(exc).__name__}: {exc})")]
    return [
        _claim_row(article.id, i, claim, result, extraction.comments.get(claim.id, []))
        for i, (claim, result) in enumerate(zip(claim_file.claims, results, strict=True))
    ]


def _check_claims(
    claim_file: ClaimFile,
    net: RoadNetwork,
    second: RoadNetwork | None,
    draws: int,
    seed: int,
) -> list[ClaimResult | str]:
    """Results in claim order; a claim that cannot be checked gives the reason instead."""
    if not claim_file.claims:
        return []
    try:
        return list(check_claims(claim_file, net, draws=draws, seed=seed, second=second))
    except RoutingError:
        pass  # one unknown or ambiguous place fails the whole file: check claims one by one
    results: list[ClaimResult | str] = []
    for claim in claim_file.claims:
        alone = claim_file.model_copy(update={"claims": [claim]})
        try:
            results += check_claims(alone, net, draws=draws, seed=seed, second=second)
        except RoutingError as exc:
            results.append(str(exc))
    return results


def _claim_row(
    article_id: str,
    index: int,
    claim: ClaimBase,
    result: ClaimResult | str,
    comments: list[str],
) -> dict[str, Any]:
    base: dict[str, Any] = {"claim_index": index, "claim_id": claim.id, "kind": claim.kind_name,
            "quote": claim.quote}  # fmt: skip
    if isinstance(result, str):
        return _row(article_id, **base, error=result)
    flags = [f"review: {claim.review}"] if claim.review else []
    flags += [f"route: {note}" for r in result.routes for note in r.notes]
    flags += [c for c in comments if c not in flags and c != f"review: {claim.review}"]
    first = result.figures[0] if result.figures else None
    return _row(
        article_id,
        **base,
        stated=result.stated,
        verdict=result.verdict.value,
        measure=first.label if first else None,
        value=first.value if first else None,
        low=first.low if first else None,
        high=first.high if first else None,
        unit=first.unit if first else None,
        figures="; ".join(f"{f.label}: {f.format()}" for f in result.figures) or None,
        flags=" | ".join(dict.fromkeys(flags)) or None,
        explanation=result.explanation,
    )


def _row(article_id: str, *, error: str | None = None, **values: Any) -> dict[str, Any]:
    row = dict.fromkeys(CLAIM_COLUMNS)
    row.update(values, article_id=article_id, error=error)
    if error is not None:
        row["verdict"] = ERROR
    return row


def check_batch(
    articles: Articles,
    net: RoadNetwork,
    out: str | Path,
    *,
    second: RoadNetwork | None = None,
    cluster: ClusterLike = None,
    workers: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
    progress: bool | Callable[[int], None] = True,
) -> BatchSummary:
    """Check every article's claims on a Dask cluster and write the rows under ``out``.

    Parameters
    ----------
    articles
        From :func:`~routing.batch.articles.read_articles`.
    net, second
        The network to measure on and the independent one to cross-check on (as for
        :func:`~routing.claims.check_claims`); sent to each worker once.
    out
        Folder for ``claims.parquet/`` (one part per batch), ``claims.csv`` and
        ``summary.json``; earlier parts there are replaced.
    cluster, workers
        As for :func:`~routing.batch.cluster.connect`: ``None`` starts a ``LocalCluster``
        of ``workers`` processes (default: one per core) unless ``$DASK_SCHEDULER_ADDRESS``
        names a scheduler.
    batch_size
        Articles per task.
    draws, seed
        Monte Carlo settings, as for :func:`~routing.claims.check_claims`.
    progress
        Show a progress bar of articles done (``True``), nothing (``False``), or call this
        function with the number of articles done after each batch.

    Raises
    ------
    ClusterError, InvalidArgumentError
        As :func:`~routing.batch.cluster.connect`; a batch size below 1.
    OutputError
        ``out`` cannot be written.
    """
    if batch_size < 1:
        raise InvalidArgumentError(f"batch size must be at least 1, got {batch_size}")
    parts = parts_folder(Path(out) / _PARTS)
    tally = _Tally()
    in_flight: dict[int, list[str]] = {}

    def tasks(token: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
        for index, batch in enumerate(_chunks(articles, batch_size)):
            in_flight[index] = [a.id for a in batch]
            yield index, (token, batch, draws, seed)

    with (
        connect(cluster, workers=workers) as client,
        networks_on_workers(client, {"net": net, "second": second}) as token,
        _progress(progress, len(articles)) as advance,
    ):
        for index, rows, exc in map_bounded(client, _check_task, tasks(token), prefix="check"):
            ids = in_flight.pop(index)
            if exc is not None:  # Dask gave up: the task killed worker after worker
                rows = [_row(i, error=f"not checked: {type(exc).__name__}: {exc}") for i in ids]
            _write_part(parts / part_name(index), rows)
            tally.add(ids, rows)
            advance(len(ids))
    files = [parts, _write_csv(parts, parts.parent / "claims.csv"), parts.parent / "summary.json"]
    summary = BatchSummary(
        articles=len(articles),
        **tally.counts(),
        network=net.meta.describe(),
        second=second.meta.describe() if second is not None else None,
        draws=draws,
        seed=seed,
        files=[str(f) for f in files],
    )
    # File names relative to ``out``: the same input gives the same files wherever it ran.
    doc = {**summary.to_dict(), "files": [f.name for f in files]}
    write_text(files[2], json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    return summary


def _check_task(token: str, batch: list[Article], draws: int, seed: int) -> list[dict[str, Any]]:
    """One task on a worker: the batch's rows, measured on the networks sent with ``token``."""
    from ._worker import network

    net, second = network(token, "net"), network(token, "second")
    if net is None:
        raise RuntimeError("the batch's network did not reach this worker")
    return [
        row for a in batch for row in check_article(a, net, second=second, draws=draws, seed=seed)
    ]


class _Tally:
    def __init__(self) -> None:
        self.with_claims: set[str] = set()
        self.failures: list[tuple[str, str]] = []
        self.failed = 0
        self.verdicts: Counter[str] = Counter()

    def add(self, ids: list[str], rows: list[dict[str, Any]]) -> None:
        for row in rows:
            if row["claim_id"] is None:
                self.failed += 1
                if len(self.failures) < _FAILURES_LISTED:
                    self.failures.append((row["article_id"], row["error"]))
            else:
                self.with_claims.add(row["article_id"])
                self.verdicts[row["verdict"]] += 1

    def counts(self) -> dict[str, Any]:
        return {
            "articles_with_claims": len(self.with_claims),
            "articles_failed": self.failed,
            "claims": sum(self.verdicts.values()),
            "verdicts": dict(sorted(self.verdicts.items())),
            "failures": self.failures,
        }


def _chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(articles)
    while chunk := list(islice(it, size)):
        yield chunk


def _schema() -> Any:
    import pyarrow as pa

    return pa.schema([(name, getattr(pa, kind)()) for name, kind in CLAIM_COLUMNS.items()])


def _write_part(path: Path, rows: list[dict[str, Any]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pq.write_table(pa.Table.from_pylist(rows, schema=_schema()), path)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc}") from exc


def _write_csv(parts: Path, path: Path) -> Path:
    """All parts, in order, as one CSV (read a part at a time)."""
    import pyarrow.parquet as pq

    try:
        with path.open("w", encoding="utf-8", newline="") as f:
            for i, part in enumerate(sorted(parts.glob(PART_GLOB))):
                pq.read_table(part).to_pandas().to_csv(f, header=i == 0, index=False)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}") from exc
    return path


@contextmanager
def _progress(
    progress: bool | Callable[[int], None], total: int
) -> Iterator[Callable[[int], None]]:
    """``advance(n)``: a tqdm bar of articles done on stderr, a callback, or nothing."""
    if progress is True:
        with tqdm(total=total, unit="article", file=sys.stderr, smoothing=0.1) as bar:
            yield bar.update
    elif callable(progress):
        report, done = progress, 0

        def advance(n: int) -> None:
            nonlocal done
            done += n
            report(done)

        yield advance
    else:
        yield lambda n: None
