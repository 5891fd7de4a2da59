"""Claim-check reports: a Markdown page for readers and a JSON file of every number.

:func:`write_report` writes ``report.md`` (verdict table, one section per claim with its
figures, bands, explanation, what would make it true and assumptions, and the verdict scale)
and ``report.json`` (the same, machine-readable) into a directory, with the claim figure
(stated against measured) and a map of each claim's route embedded in the Markdown. Assumptions
shared by every claim (data, method) are listed once at the top of the Markdown; the JSON
repeats them in every claim so that each stands alone.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..claims.base import MeasuredClaimBase
from ..claims.io import validate_places
from ..claims.model import ClaimFile
from ..claims.results import ClaimResult, Verdict
from ..gazetteer import find_place
from ..location import Location, as_location
from ..network import RoadNetwork
from .envelope import data_record, envelope, to_json
from .paths import output_folder, write_text

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "ATTRIBUTION",
    "named_places",
    "report_dict",
    "report_markdown",
    "results_figure",
    "shared_assumptions",
    "write_report",
]

# The data source's own credit line is in each result's "data:" assumption.
ATTRIBUTION = "Road data (c) OpenStreetMap contributors, ODbL 1.0."


def report_dict(
    claim_file: ClaimFile,
    results: list[ClaimResult],
    *,
    query: dict[str, Any] | None = None,
    networks: Sequence[tuple[RoadNetwork, str]] = (),
) -> dict[str, Any]:
    """Everything the check measured and assumed: the ``routing check`` output envelope.

    Parameters
    ----------
    claim_file, results
        The claims and their check.
    query
        How the check was asked for (claim file, region, draws, seed), added to the envelope's
        ``query`` beside the article the claims come from.
    networks
        Each network the figures come from, with its role (``"roads"``, ``"cross-check"``);
        by default the networks of the results' routes.

    Returns
    -------
    dict
        The envelope (:func:`~routing.output.envelope.envelope`): one result per claim, each
        with its own assumptions so that it stands alone; the verdict counts and scale in
        ``summary``; the assumptions every claim shares in ``assumptions``.
    """
    source = (
        claim_file.source.model_dump(mode="json", exclude_none=True) if claim_file.source else {}
    )
    if not networks:
        nets = {id(r.net): r.net for res in results for r in res.routes}
        networks = [(n, "roads") for n in nets.values()]
    counts = Counter(r.verdict.value for r in results)
    return envelope(
        "check",
        query={"article": source, **(query or {})},
        results=[r.to_dict() for r in results],
        summary={
            "claims": len(results),
            "verdicts": {v.value: counts[v.value] for v in Verdict if counts[v.value]},
            "verdict_scale": {v.value: v.meaning for v in Verdict},
        },
        assumptions=shared_assumptions(results),
        data=[data_record(n.meta, role) for n, role in networks],
        attribution=None if networks else ATTRIBUTION,
    )


def shared_assumptions(results: list[ClaimResult]) -> list[str]:
    """Assumptions every result makes (data source, method), in their first order."""
    if not results:
        return []
    rest = [set(r.assumptions) for r in results[1:]]
    return [a for a in results[0].assumptions if all(a in s for s in rest)]


def report_markdown(
    claim_file: ClaimFile, results: list[ClaimResult], images: dict[str, str] | None = None
) -> str:
    """The report as Markdown.

    Parameters
    ----------
    claim_file, results
        The claims and their check.
    images
        Image file name per claim id (its route map), and under ``""`` the claim figure.
    """
    images = images or {}
    src = claim_file.source
    title = src.title if src and src.title else "Claim check"
    lines = [f"# Claim check: {title}", ""]
    if src:
        lines += [", ".join(str(x) for x in (src.publication, src.date, src.url) if x), ""]
    lines += ["| claim | stated | verdict | measured (band) |", "|---|---|---|---|"]
    for r in results:
        measured = "; ".join(f"{f.label}: {f.format()}" for f in r.figures[:2]) or "-"
        lines.append(
            f"| [{r.claim_id}](#{r.claim_id}) | {r.stated} | **{r.verdict.value}** | {measured} |"
        )
    if "" in images:
        lines += ["", f"![stated against measured figures]({images['']})"]
    shared = shared_assumptions(results)
    lines += ["", "## Data and method", "", *[f"- {a}" for a in shared]]
    for r in results:
        lines += [
            "",
            f'<a id="{r.claim_id}"></a>',
            "",
            f"## {r.claim_id}: {r.verdict.value}",
            "",
            f"> {r.claim.quote}",
            "",
        ]
        if r.claim.note:
            lines += [f"*Reading:* {r.claim.note}", ""]
        lines += [r.explanation, ""]
        if r.figures:
            lines += ["| figure | value | band | why the band |", "|---|---|---|---|"]
            for f in r.figures:
                lines.append(
                    f"| {f.label} | {f.value_text()} | {f.band_text() or 'exact'} | "
                    f"{f.band_reason or '-'} |"
                )
            lines.append("")
        if r.to_make_true:
            lines += ["**What would make it true:**", "", *[f"- {t}" for t in r.to_make_true], ""]
        if r.claim_id in images:
            lines += [f"![route of {r.claim_id}]({images[r.claim_id]})", ""]
        own = [a for a in r.assumptions if a not in shared]
        if own:
            lines += ["**Assumptions of this claim:**", "", *[f"- {a}" for a in own]]
    lines += [
        "",
        "## Verdict scale",
        "",
        *[f"- **{v.value}**: {v.meaning}" for v in Verdict],
        "",
        ATTRIBUTION,
        "",
    ]
    return "\n".join(lines)


def write_report(
    claim_file: ClaimFile, results: list[ClaimResult], directory: str | Path, **options: Any
) -> list[Path]:
    """Write ``report.md`` and ``report.json`` into ``directory`` (created if needed).

    ``report.json`` is :func:`report_dict`'s envelope; ``options`` are its ``query`` and
    ``networks``.

    Raises
    ------
    OutputError
        If the directory cannot be created or written.
    """
    out = output_folder(directory)
    images = _write_figures(claim_file, results, out)
    md = write_text(
        out / "report.md",
        report_markdown(claim_file, results, {key: p.name for key, p in images.items()}),
    )
    js = write_text(out / "report.json", to_json(report_dict(claim_file, results, **options)))
    return [md, js, *images.values()]


def _write_figures(claim_file: ClaimFile, results: list[ClaimResult], out: Path) -> dict[str, Path]:
    """The claim figure (key ``""``) and a map of each claim's first route (key: claim id)."""
    import matplotlib.pyplot as plt

    from .figures import route_map, save_figure

    images = {}
    fig = results_figure(claim_file, results)
    if fig is not None:
        images[""] = save_figure(fig, out / "claims.png")
        plt.close(fig)
    routed = [res for res in results if res.routes]
    if routed:
        towns = list(named_places(claim_file, routed[0].routes[0].net).values())
    for res in routed:
        fig = route_map(res.routes[0], towns=towns)
        images[res.claim_id] = save_figure(fig, out / f"route-{res.claim_id}.png")
        plt.close(fig)
    return images


def results_figure(claim_file: ClaimFile, results: list[ClaimResult]) -> Figure | None:
    """Every distance and travel-time claim, stated against measured, in one figure.

    Rows are titled by their places and the stated figure; the title names the source, the
    footer the data and its full credit line. ``None`` when no claim has such a figure.
    """
    from .figures import ClaimRow, claim_figure

    rows = []
    for res in results:
        claim = res.claim
        if not isinstance(claim, MeasuredClaimBase):
            continue
        low, high = claim_file.defaults.accepted_range(claim)
        unit = claim.quantity.unit.base.value
        measured = [f for f in res.figures if f.unit == unit][:3]
        if not measured:
            continue
        what = "travel time" if unit == "h" else "distance"
        rows.append(
            ClaimRow(
                label=f"{claim.places_text()}, {what}: \u201c{res.stated}\u201d",
                stated=claim.quantity.base_value,
                unit=unit,
                stated_low=low if math.isfinite(low) else None,
                stated_high=high if math.isfinite(high) else None,
                measured={f.label: f.value for f in measured},
                measured_low=measured[0].low,
                measured_high=measured[0].high,
                verdict=res.verdict.value,
                band_label=measured[0].band_reason,
            )
        )
    if not rows:
        return None
    metas = {r.net.meta for res in results for r in res.routes}
    src = claim_file.source
    return claim_figure(
        rows,
        title=f"Claims of \u201c{src.title}\u201d against the road data"
        if src and src.title
        else "Claims against the road data",
        assumptions=sorted(f"Data: {m.describe()}" for m in metas),
        attribution=" ".join(sorted({m.credit() for m in metas})),
    )


def named_places(claim_file: ClaimFile, net: RoadNetwork) -> dict[str, Location]:
    """Every place the claim file names, resolved as the check resolved it (for maps)."""
    return validate_places(claim_file, lambda name: as_location(find_place(name, net)))
