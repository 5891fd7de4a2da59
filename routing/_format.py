"""Formatting shared by every text output: one way to write a duration."""

from __future__ import annotations

__all__ = ["format_hours"]


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
