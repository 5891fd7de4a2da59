"""Formatting shared by every text output: one way to write a duration, one a speed tag."""

from __future__ import annotations

import math

__all__ = ["format_hours", "speed_tag"]


def format_hours(h: float) -> str:
    """A duration in hours as text: ``4.76`` -> ``"4 h 46 min"``; under an hour, minutes only.

    Examples
    --------
    >>> format_hours(4.76)
    '4 h 46 min'
    >>> format_hours(0.25)
    '15 min'
    """
    minutes = round(h * 60)
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def speed_tag(speed_kph: float) -> str:
    """A speed in km/h as OSM's ``maxspeed`` tag writes it, ``""`` for NaN.

    Examples
    --------
    >>> speed_tag(80.0), speed_tag(80.4672), speed_tag(float("nan"))
    ('80', '80.4672', '')
    """
    if math.isnan(speed_kph):
        return ""
    return f"{speed_kph:.0f}" if abs(speed_kph - round(speed_kph)) < 1e-6 else f"{speed_kph:g}"
