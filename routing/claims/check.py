"""Check every claim of a claim file on a road network: :func:`check_claims`.

Each claim goes to the checker of its kind (:mod:`routing.claims.kinds`), which measures its
figures and grades it on the :class:`~routing.claims.results.Verdict` scale (the rules are in
each kind's module and in :mod:`routing.claims.results`). A claim the data cannot measure gets
*not checkable* with the reason; a claim whose reading of the text was flagged for review
(``review:``, set by ``routing extract``) is measured but judged only once a person confirms
the reading (``confirmed: true``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from tqdm import tqdm

from ..exceptions import NoRouteError, OffNetworkError
from ..gazetteer import find_place
from ..location import Location
from ..network import RoadNetwork
from .base import ClaimBase
from .context import CheckContext
from .io import validate_places
from .kinds import get_kind
from .model import ClaimFile
from .results import ClaimResult, Verdict
from .uncertainty import DEFAULT_DRAWS

__all__ = ["check_claims", "iter_check_claims"]


def check_claims(
    claim_file: ClaimFile,
    net: RoadNetwork,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
    second: RoadNetwork | None = None,
    resolver: Callable[[str], Any] | None = None,
    progress: bool = False,
) -> list[ClaimResult]:
    """Measure and grade every claim of a claim file.

    Parameters
    ----------
    claim_file
        Loaded claims (:func:`~routing.claims.io.load_claims`).
    net
        The road network to measure on.
    draws
        Monte Carlo draws per profile for travel-time claims.
    seed
        Random seed: the same seed gives the same probabilities.
    second
        An independent network to cross-check road figures on (a region pack's
        ``crosscheck``); ``None`` checks on ``net`` alone.
    resolver
        Place name -> place (``.name``, ``.lon``, ``.lat``); default: the gazetteer for ``net``.
    progress
        Show a progress bar (on stderr) while checking.

    Returns
    -------
    list of ClaimResult
        One per claim, in file order.

    Raises
    ------
    ClaimFileError
        A place the file names is unknown or ambiguous (every one listed with its line).
    """
    results = iter_check_claims(
        claim_file, net, draws=draws, seed=seed, second=second, resolver=resolver
    )
    return list(tqdm(results, total=len(claim_file.claims), desc="claims", disable=not progress))


def iter_check_claims(
    claim_file: ClaimFile,
    net: RoadNetwork,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
    second: RoadNetwork | None = None,
    resolver: Callable[[str], Any] | None = None,
) -> Iterator[ClaimResult]:
    """:func:`check_claims` one claim at a time, for long files (results as they come).

    Every place is resolved (and every unknown one reported) before the first result.
    """
    resolve = resolver or (lambda name: find_place(name, net))
    places = validate_places(claim_file, resolve)
    ctx = CheckContext(
        claim_file.defaults,
        net,
        {
            k: Location(str(v.name), float(v.lon), float(v.lat), str(getattr(v, "source", "")))
            for k, v in places.items()
        },
        places,
        draws,
        seed,
        second,
    )
    shared = ctx.base_assumptions()
    for claim in claim_file.claims:
        result = _check_one(claim, ctx)
        result.assumptions = [*shared, *result.assumptions]
        yield result


def _check_one(claim: ClaimBase, ctx: CheckContext) -> ClaimResult:
    try:
        result = get_kind(claim.kind_name).check(claim, ctx)
    except (OffNetworkError, NoRouteError) as exc:
        return ClaimResult(
            claim,
            Verdict.NOT_CHECKABLE,
            claim.describe(),
            [],
            f"The road data cannot measure this claim: {exc}",
        )
    if claim.needs_review and result.verdict is not Verdict.NOT_CHECKABLE:
        result.details["verdict_if_read_right"] = result.verdict.value
        result.explanation = (
            f"Needs review before a verdict: {claim.review} If the reading is right, the "
            f"claim is {result.verdict.value}: {result.explanation}"
        )
        result.verdict = Verdict.NEEDS_REVIEW
    return result
