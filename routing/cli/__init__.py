"""Command-line interface: ``routing ...`` or ``python -m routing ...``.

Each command group lives in its own module and registers on :data:`app`; :func:`main` turns
the toolkit's typed errors, and usage errors, into one line on stderr and the error's exit
code (see :mod:`routing.exceptions`), and prints the toolkit's warnings as one line each.
"""

from __future__ import annotations

import sys
import warnings
from typing import Any, TextIO

import typer

from .._text import one_line
from ..exceptions import RoutingError, RoutingWarning
from . import batch, check, claims, data, places, reach, route, validate  # noqa: F401  (registers the commands)
from ._app import app, err_console

__all__ = ["app", "main"]

# Typer vendors click (and older Typer versions use click itself): reach its usage-error base
# class through a public name rather than a private module path.
_ClickException: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"
)


def _print_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    if issubclass(category, RoutingWarning):
        err_console.print(f"[yellow]warning:[/] {one_line(str(message))}", highlight=False)
    else:
        _show_other(message, category, filename, lineno, file, line)


_show_other = warnings.showwarning


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the process exit code."""
    with warnings.catch_warnings():
        warnings.showwarning = _print_warning
        try:
            result: Any = app(args=argv, prog_name="routing", standalone_mode=False)
        except RoutingError as exc:
            _error(str(exc))
            return exc.exit_code
        except _ClickException as exc:
            return _usage_error(exc)
        except typer.Abort:
            err_console.print("aborted")
            return 1
        except KeyboardInterrupt:
            err_console.print("interrupted")
            return 130
    return result if isinstance(result, int) else 0


def _error(message: str) -> None:
    err_console.print(f"[bold red]error:[/] {one_line(message)}", highlight=False)


def _usage_error(exc: Any) -> int:
    """One line for a usage error, pointing at the command's help."""
    code = int(getattr(exc, "exit_code", 2))
    message = exc.format_message()
    if not message:  # a command group run without a command: its help is already printed
        return code
    ctx = getattr(exc, "ctx", None)
    hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
    _error(message + hint)
    return code


if __name__ == "__main__":
    sys.exit(main())
