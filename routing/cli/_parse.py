"""Parsing helpers shared by CLI commands."""

from __future__ import annotations

import typer

__all__ = ["parse_bbox"]


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """Parse ``'west,south,east,north'`` in degrees, checking order and ranges."""
    try:
        west, south, east, north = (float(p) for p in text.split(","))
    except ValueError:
        raise typer.BadParameter(
            f"bbox must be 'west,south,east,north' in degrees, got {text!r}"
        ) from None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise typer.BadParameter(
            f"bbox {text!r} is not west<east, south<north within lon -180..180, lat -90..90"
        )
    return west, south, east, north
