"""Command-line interface: ``routing ...`` or ``python -m routing ...``.

Each command group lives in its own module and registers on :data:`app`; :func:`main` turns
the toolkit's typed errors into one clear line on stderr and the error's exit code.
"""

from __future__ import annotations

import sys

from ..exceptions import RoutingError
from . import batch, check, claims, data, places, reach, route, validate  # noqa: F401  (registers the commands)
from ._app import app, err_console

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the process exit code."""
    try:
        # Standalone mode: Typer/Click print usage errors themselves and exit with 2.
        app(args=argv, standalone_mode=True)
    except RoutingError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False)
        return exc.exit_code
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except KeyboardInterrupt:
        err_console.print("interrupted")
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
