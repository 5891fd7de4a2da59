"""The Typer application object every CLI command module registers on."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from .._version import __version__

app = typer.Typer(
    name="routing",
    help="Road distances, travel times, reachability and claim checks on OpenStreetMap data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
data_app = typer.Typer(help="Inspect and prepare road-network data.", no_args_is_help=True)
map_app = typer.Typer(help="Draw publication-ready maps.", no_args_is_help=True)
app.add_typer(data_app, name="data")
app.add_typer(map_app, name="map")

console = Console()
# soft_wrap: an error stays one line however narrow the terminal (easy to grep and paste).
err_console = Console(stderr=True, soft_wrap=True)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"routing {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Road distances, travel times, reachability and claim checks on OpenStreetMap data."""
