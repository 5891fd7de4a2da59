"""Parsing helpers shared by CLI commands."""

from __future__ import annotations

import typer

from ..exceptions import InvalidBBoxError
from ..network import check_bbox

__all__ = ["parse_bbox"]


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """Parse ``'west,south,east,north'`` in degrees, checking order and ranges."""
    try:
        return check_bbox(text.split(","))
    except InvalidBBoxError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--bbox'") from None
