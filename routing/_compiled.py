"""Compiled loops (numba) where numpy cannot vectorise: one decorator for the whole package.

Machine code is cached next to each module (``__pycache__``), so only the first run after an
install pays the compilation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba

__all__ = ["compiled"]

_F = TypeVar("_F", bound=Callable[..., Any])


def compiled(fn: _F) -> _F:
    """Compile ``fn`` with numba (no Python objects, GIL released, cached on disk)."""
    return cast(_F, numba.njit(cache=True, nogil=True)(fn))
