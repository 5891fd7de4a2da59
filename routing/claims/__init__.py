"""Claims about distances and travel times: file format, checking and reports.

Modules: :mod:`~routing.claims.model` (the format, as pydantic models and JSON Schema),
:mod:`~routing.claims.units` (quantities, units, qualifiers), :mod:`~routing.claims.io`
(YAML with line numbers), :mod:`~routing.claims.extract` (claims proposed from text),
:mod:`~routing.claims.verdicts` (measuring and grading), :mod:`~routing.claims.uncertainty`
(Monte Carlo times, generalization band), :mod:`~routing.claims.references` (published figures
against the toolkit's) and :mod:`~routing.output.report` (Markdown and JSON).

The package re-exports every module's public names (each module's ``__all__``), so that
``from routing.claims import check_claims, load_claims`` works without knowing the layout.
"""

from __future__ import annotations

from . import extract, io, model, references, uncertainty, units, verdicts
from .extract import *  # noqa: F403
from .io import *  # noqa: F403
from .model import *  # noqa: F403
from .references import *  # noqa: F403
from .uncertainty import *  # noqa: F403
from .units import *  # noqa: F403
from .verdicts import *  # noqa: F403

__all__ = [
    *extract.__all__,
    *io.__all__,
    *model.__all__,
    *references.__all__,
    *uncertainty.__all__,
    *units.__all__,
    *verdicts.__all__,
]
