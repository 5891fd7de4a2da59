"""Claim kinds as plug-ins: each module of this package is one kind and registers itself.

A kind is its claim model (a pydantic class with ``kind: Literal["name"]``, subclassing
:class:`~routing.claims.base.ClaimBase`) and its checker (claim and
:class:`~routing.claims.context.CheckContext` in, :class:`~routing.claims.results.ClaimResult`
out). Adding a kind means adding one module here that calls :func:`register`; the claim file
format (:mod:`routing.claims.model`), its JSON Schema and :func:`~routing.claims.check_claims`
pick it up. The built-in kinds are ``distance``, ``travel_time``, ``along_route`` and
``border``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..base import ClaimBase
from ..context import CheckContext
from ..results import ClaimResult

__all__ = ["ClaimKind", "get_kind", "kinds", "register"]

Checker = Callable[[Any, CheckContext], ClaimResult]


@dataclass(frozen=True)
class ClaimKind:
    """One kind of claim.

    Attributes
    ----------
    name
        The ``kind`` value in claim files, e.g. ``"distance"``.
    model
        The pydantic model of the claim.
    check
        Measures and grades one claim.
    """

    name: str
    model: type[ClaimBase]
    check: Checker


_REGISTRY: dict[str, ClaimKind] = {}


def register(name: str, model: type[ClaimBase], check: Checker) -> ClaimKind:
    """Register a claim kind (called by each kind module at import).

    Raises
    ------
    ValueError
        The name is taken, or the model's ``kind`` field does not default to it.
    """
    if name in _REGISTRY:
        raise ValueError(f"claim kind {name!r} is already registered")
    field = model.model_fields.get("kind")
    if field is None or field.default != name:
        raise ValueError(f"{model.__name__} must declare kind: Literal[{name!r}] = {name!r}")
    kind = _REGISTRY[name] = ClaimKind(name, model, check)
    return kind


def kinds() -> dict[str, ClaimKind]:
    """Every registered kind by name (the built-in ones are loaded with this package)."""
    return dict(_REGISTRY)


def get_kind(name: str) -> ClaimKind:
    """The kind called ``name``.

    Raises
    ------
    KeyError
        No such kind is registered.
    """
    return _REGISTRY[name]


for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_module}")
