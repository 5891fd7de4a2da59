"""Output folders of Parquet parts, shared by batch checks and matrices."""

from __future__ import annotations

from pathlib import Path

from ..exceptions import OutputError
from ..output.paths import output_folder

__all__ = ["PART_GLOB", "part_name", "parts_folder"]

PART_GLOB = "part-*.parquet"


def part_name(index: int) -> str:
    """The file name of part ``index``: parts sort in index order."""
    return f"part-{index:06d}.parquet"


def parts_folder(path: str | Path) -> Path:
    """Create the folder (checked as every output is) without an earlier run's parts.

    Raises
    ------
    OutputError
        The folder cannot be created or an old part cannot be removed.
    """
    folder = output_folder(path)
    try:
        for old in folder.glob(PART_GLOB):
            old.unlink()
    except OSError as exc:
        raise OutputError(f"cannot replace the parts in {folder}: {exc.strerror}") from exc
    return folder.resolve()
