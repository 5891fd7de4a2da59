"""Claims about distances and travel times: file format, extraction and checking.

Modules: :mod:`~routing.claims.model` (the claim file, as pydantic models and JSON Schema),
:mod:`~routing.claims.base` (what every claim model is built from), :mod:`~routing.claims.kinds`
(one module per claim kind: model and checker), :mod:`~routing.claims.units` (quantities,
units, qualifiers), :mod:`~routing.claims.io` (YAML with line numbers),
:mod:`~routing.claims.extract` (claims proposed from text), :mod:`~routing.claims.check`
(:func:`check_claims`), :mod:`~routing.claims.results` (verdicts and figures),
:mod:`~routing.claims.uncertainty` (Monte Carlo times) and :mod:`~routing.claims.references`
(published figures against the toolkit's). Reports are written by
:mod:`routing.output.report`.

The package re-exports every module's public names (each module's ``__all__``), so that
``from routing.claims import check_claims, load_claims`` works without knowing the layout.
"""

from __future__ import annotations

from . import base, check, extract, io, model, references, results, uncertainty, units
from .base import *  # noqa: F403
from .check import *  # noqa: F403
from .extract import *  # noqa: F403
from .io import *  # noqa: F403
from .model import *  # noqa: F403
from .references import *  # noqa: F403
from .results import *  # noqa: F403
from .uncertainty import *  # noqa: F403
from .units import *  # noqa: F403

__all__ = [
    *base.__all__,
    *check.__all__,
    *extract.__all__,
    *io.__all__,
    *model.__all__,
    *references.__all__,
    *results.__all__,
    *uncertainty.__all__,
    *units.__all__,
]
