"""Output files and folders: one policy for everything the toolkit writes.

* Paths are checked before any work starts (:func:`check_output`), so a typo or an unwritable
  folder fails at once, not after the computation.
* Missing folders on the way to an output are created, for every kind of output alike
  (``--report reports/x``, ``--out maps/reach.png``, ``-o claims/new.yaml``).
* A file a person keeps or edits (the ``-o`` of ``routing extract``, ``claims-schema`` and
  ``data manifest``) is replaced only when asked (``force=True``, ``--force``); figures,
  GeoJSON and reports, which are regenerated from the data, are replaced.
* When the filesystem refuses (a folder that cannot be written, a file where a folder must
  be), the error is :class:`~routing.exceptions.OutputError` (exit code 3); an existing file
  without ``force`` is :class:`~routing.exceptions.OutputExistsError` (exit code 2).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .._text import quoted
from ..exceptions import OutputError, OutputExistsError

__all__ = ["check_output", "output_folder", "write_atomically", "write_text"]

# Paths are quoted in messages; real ones are far shorter than this.
_PATH_CHARS = 200


def _shown(path: Path) -> str:
    return quoted(str(path), _PATH_CHARS)


def _writable_folder(folder: Path) -> None:
    # os.access also says no on a read-only filesystem and for immutable folders (even to root).
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write into the folder {_shown(folder)}: permission denied")


def check_output(path: str | Path, *, folder: bool = False, force: bool = True) -> Path:
    """Check that an output can be written at ``path``, without writing anything.

    Parameters
    ----------
    path
        The output file (or, with ``folder``, the output folder).
    folder
        The output is a folder that files are written into (``--report DIR``).
    force
        An existing file may be replaced.

    Returns
    -------
    Path
        ``path`` as a :class:`~pathlib.Path` (``~`` expanded).

    Raises
    ------
    OutputError
        The path or a folder on the way is a file where a folder must be (or the reverse), or
        the folder that would hold it cannot be written.
    OutputExistsError
        The file exists and ``force`` is false.
    """
    out = Path(path).expanduser()
    if out.exists():
        if folder:
            if not out.is_dir():
                raise OutputError(f"cannot write into {_shown(out)}: it is a file, not a folder")
            _writable_folder(out)
        elif out.is_dir():
            raise OutputError(f"cannot write {_shown(out)}: it is a folder; give a file name")
        elif not force:
            raise OutputExistsError(f"{_shown(out)} exists; pass --force to replace it")
        elif not os.access(out, os.W_OK):
            raise OutputError(f"cannot write {_shown(out)}: permission denied")
        return out
    ancestor = out.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise OutputError(
            f"cannot create {_shown(out)}: {_shown(ancestor)} is a file, not a folder"
        )
    _writable_folder(ancestor)
    return out


def output_folder(path: str | Path) -> Path:
    """Check and create an output folder (and the folders above it); return it.

    Raises
    ------
    OutputError
        As :func:`check_output`, or when creating the folder fails.
    """
    out = check_output(path, folder=True)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the folder {_shown(out)}: {exc.strerror or exc}") from exc
    return out


def write_text(path: str | Path, text: str, *, force: bool = True) -> Path:
    """Write UTF-8 ``text`` to ``path``, creating missing folders; return the path.

    Raises
    ------
    OutputError, OutputExistsError
        As :func:`write_atomically`.
    """
    return write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), force=force)


def write_atomically(
    path: str | Path, write: Callable[[Path], object], *, force: bool = True
) -> Path:
    """Have ``write`` fill a temporary file beside ``path``, then move it into place.

    A failed or interrupted write leaves no partial file and an earlier file untouched: the
    temporary file (same folder, same suffix, so format drivers recognise it) is removed.

    Raises
    ------
    OutputError, OutputExistsError
        As :func:`check_output`, or when the write itself fails (disk full).
    """
    out = check_output(path, force=force)
    output_folder(out.parent)
    fd, name = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=out.suffix, dir=out.parent)
    os.close(fd)
    tmp = Path(name)
    tmp.unlink()  # writers such as GDAL's refuse to open an existing empty file
    try:
        write(tmp)
        os.replace(tmp, out)
    except OSError as exc:
        raise OutputError(f"cannot write {_shown(out)}: {exc.strerror or exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return out
