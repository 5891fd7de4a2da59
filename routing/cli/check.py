"""CLI command ``routing check``: verdicts for a claim file."""

from __future__ import annotations

from ._app import app  # noqa: F401
