"""CSV outputs (``--csv``): assumptions as ``#`` lines above the header, then the table.

The comment lines come first, so ``pandas.read_csv(path, comment="#")`` (and spreadsheets
told to skip lines starting with ``#``) read the table and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .._text import one_line

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["csv_text"]


def csv_text(frame: pd.DataFrame, header: Iterable[str]) -> str:
    """``frame`` as CSV (10 significant digits), preceded by one ``# `` line per ``header`` line.

    Examples
    --------
    >>> import io, pandas as pd
    >>> text = csv_text(pd.DataFrame({"origin": ["Ana"], "km": [12.3456]}), ["data: test"])
    >>> print(text, end="")
    # data: test
    origin,km
    Ana,12.3456
    >>> pd.read_csv(io.StringIO(text), comment="#")["km"].tolist()
    [12.3456]
    """
    lines = "".join(f"# {one_line(h)}\n" for h in header)
    return lines + frame.to_csv(index=False, float_format="%.10g", lineterminator="\n")
