"""The Typer application object every CLI command module registers on."""

from __future__ import annotations

import typer
from rich.console import Console

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
