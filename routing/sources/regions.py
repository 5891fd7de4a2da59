"""Region packs: a named region is a small YAML file, not code.

A pack names the data a region loads (a path under the data directory, the road classes to
keep), its extent, notes on the data's resolution, and towns to report besides the data's own
place layer::

    name: my-region
    description: what it covers and at which detail
    default: false            # the region used when none is named (one pack says true)
    source:
      path: some-tiles/       # relative to ROUTING_DATA_DIR (or absolute)
      classes: [motorway, trunk, primary]   # OpenMapTiles classes; tile sources only
      complete: true          # every tile of the extent exists: a missing one is damage
    bbox: [west, south, east, north]        # optional cut
    notes: ["..."]            # printed with every figure's data line
    places: ["Town, Country"] # optional extra towns for reachability tables
    crosscheck: other-region  # optional: an independent network to check figures against
    detail:                   # optional: full-detail data for part of the extent
      region: detailed-region
      country: XY             # ISO alpha-2 code of the part it covers

The package ships its packs in ``routing/data/regions``; users add their own (or replace a
shipped one of the same name) in the folder named by ``ROUTING_REGIONS_DIR``.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from ..exceptions import DataNotFoundError, RegionError
from ..settings import data_dir, regions_dir

__all__ = [
    "RegionDetail",
    "RegionPack",
    "RegionSource",
    "default_region",
    "get_region",
    "regions",
]

_BUILTIN = Path(__file__).resolve().parent.parent / "data" / "regions"
Name = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=60)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RegionSource(_Strict):
    """Where a region's roads come from."""

    path: str = Field(description="File or folder, relative to the data directory.")
    classes: tuple[str, ...] | None = Field(
        default=None, description="OpenMapTiles road classes to keep (tile sources)."
    )
    complete: bool = Field(
        default=False,
        description="Every tile of the region's extent exists (a planet build): a missing one "
        "is damage, not empty land. Extracts that leave empty tiles out say false.",
    )


class RegionDetail(_Strict):
    """Full-detail data covering part of a generalized region (its ground truth there)."""

    region: Name
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


class RegionPack(_Strict):
    """A named region (one YAML file)."""

    name: Name
    description: str
    default: bool = False
    source: RegionSource
    bbox: tuple[float, float, float, float] | None = None
    notes: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    crosscheck: Name | None = Field(
        default=None, description="Region of an independent network to cross-check against."
    )
    detail: RegionDetail | None = None

    def data_path(self) -> Path:
        """The source's file or folder.

        Raises
        ------
        DataNotFoundError
            The data directory or the source is missing.
        """
        path = Path(self.source.path).expanduser()
        if not path.is_absolute():
            root = data_dir()
            path = root / path
            where = f"the data directory {root}"
        else:
            where = "the file system"
        if not path.exists():
            raise DataNotFoundError(
                f"region {self.name!r} needs {path}, which is missing from {where}"
            )
        return path


@functools.cache
def _load(folders: tuple[Path, ...]) -> dict[str, RegionPack]:
    packs: dict[str, RegionPack] = {}
    for folder in folders:
        for file in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
            pack = _read(file)
            packs[pack.name] = pack  # a user pack replaces a shipped one of the same name
    return packs


def _read(file: Path) -> RegionPack:
    try:
        data: Any = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RegionError(f"region file {file}: cannot read it ({exc})") from exc
    except yaml.YAMLError as exc:
        raise RegionError(f"region file {file}: not valid YAML ({exc})".splitlines()[0]) from exc
    try:
        return RegionPack.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "file"
        raise RegionError(f"region file {file}: {where}: {err['msg']}") from exc


def regions() -> dict[str, RegionPack]:
    """Every region pack by name: the shipped ones, then the user's (``ROUTING_REGIONS_DIR``).

    Raises
    ------
    RegionError
        A pack file is unreadable or malformed (the file and field are named).
    """
    user = regions_dir()
    return _load((_BUILTIN, *([user] if user is not None else [])))


def get_region(name: str) -> RegionPack:
    """The region pack called ``name``.

    Raises
    ------
    KeyError
        No pack has that name.
    """
    return regions()[name]


def default_region() -> RegionPack:
    """The pack marked ``default: true`` (of several, the last loaded: a user's pack).

    Raises
    ------
    RegionError
        No pack is marked default.
    """
    marked = [p for p in regions().values() if p.default]
    if not marked:
        raise RegionError("no region pack is marked 'default: true'; name a region")
    return marked[-1]
