"""Claims about distances and travel times: file format, units, loading and extraction.

Modules: :mod:`~routing.claims.model` (the format, as pydantic models and JSON Schema),
:mod:`~routing.claims.units` (quantities, units, qualifiers), :mod:`~routing.claims.io`
(YAML with line numbers) and :mod:`~routing.claims.extract` (claims proposed from text).
"""

from __future__ import annotations

from .extract import Extraction, extract_claims
from .io import dump_claims, load_claims, loads_claims, validate_places
from .model import (
    CLAIM_TYPES,
    AlongRouteClaim,
    BorderClaim,
    Claim,
    ClaimFile,
    Defaults,
    DestinationRule,
    Direction,
    DistanceClaim,
    Measure,
    MeasuredClaim,
    Origin,
    RouteChoice,
    Source,
    TravelTimeClaim,
    claim_file_schema,
)
from .units import DEFAULT_TOLERANCE, Qualifier, Quantity, Unit, parse_quantity

__all__ = [
    "CLAIM_TYPES",
    "DEFAULT_TOLERANCE",
    "AlongRouteClaim",
    "BorderClaim",
    "Claim",
    "ClaimFile",
    "Defaults",
    "DestinationRule",
    "Direction",
    "DistanceClaim",
    "Extraction",
    "Measure",
    "MeasuredClaim",
    "Origin",
    "Qualifier",
    "Quantity",
    "RouteChoice",
    "Source",
    "TravelTimeClaim",
    "Unit",
    "claim_file_schema",
    "dump_claims",
    "extract_claims",
    "load_claims",
    "loads_claims",
    "parse_quantity",
    "validate_places",
]

# Verdicts, uncertainty and reports (issue 4 parts 3, 4, 6).
from .report import write_report
from .verdicts import ClaimResult, Figure, Verdict, check_claims

__all__ += ["ClaimResult", "Figure", "Verdict", "check_claims", "write_report"]
