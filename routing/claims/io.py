"""Read and write claim files (YAML), with errors that name the file, line and claim.

Loading is safe (a :class:`yaml.SafeLoader` subclass: no Python object tags) and keeps the
line of every claim, field and list item, so that malformed input gives messages such as::

    claims.yaml:14: claim 'qaim-baghdad': unknown unit 'furlong'; expected one of km, mi, m, h, min

and :func:`validate_places` can point at the line of an unknown place name.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ..exceptions import AmbiguousPlaceError, ClaimFileError, DataNotFoundError, PlaceNotFoundError
from .base import Defaults, Origin, Source
from .model import CLAIM_TYPES, ClaimFile

__all__ = ["dump_claims", "load_claims", "loads_claims", "validate_places"]

T = TypeVar("T")

# Field order in written files: identity first, then the claim's substance, provenance last.
_FIRST_KEYS = ("id", "kind", "quote", "place", "places", "from", "to")
_LAST_KEYS = ("note", "source")


class _Mapping(dict[Any, Any]):
    """A YAML mapping that remembers its own line and the line of each key."""

    line: int
    key_lines: dict[str, int]


class _Sequence(list[Any]):
    """A YAML sequence that remembers its own line and the line of each item."""

    line: int
    item_lines: list[int]


class _LineLoader(yaml.SafeLoader):
    """Safe YAML loader building :class:`_Mapping` / :class:`_Sequence` with line numbers."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> Iterator[_Mapping]:
    data = _Mapping()
    data.line, data.key_lines = node.start_mark.line + 1, {}
    yield data
    loader.flatten_mapping(node)  # resolve "<<" merge keys like SafeLoader does
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in data:
            # PyYAML keeps the last of duplicate keys silently; in a claim that hides a typo.
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[str(key)] = key_node.start_mark.line + 1


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> Iterator[_Sequence]:
    data = _Sequence()
    data.line = node.start_mark.line + 1
    data.item_lines = [item.start_mark.line + 1 for item in node.value]
    yield data
    data.extend(loader.construct_object(item, deep=True) for item in node.value)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def load_claims(path: str | Path) -> ClaimFile:
    """Load and validate a claim file.

    Parameters
    ----------
    path
        YAML claim file (format: ``docs/claims.md``).

    Returns
    -------
    ClaimFile
        Validated claims; each claim's :attr:`origin` gives its file and lines.

    Raises
    ------
    DataNotFoundError
        If the file does not exist or cannot be read.
    ClaimFileError
        If it is not valid YAML or not a valid claim file; the message names the line and the
        claim id of each problem.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ClaimFileError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:
        raise DataNotFoundError(f"cannot read claim file {path}: {exc.strerror}") from exc
    return loads_claims(text, str(path))


def loads_claims(text: str, path: str = "<string>") -> ClaimFile:
    """Parse and validate claim-file text; ``path`` is only used in messages.

    Raises
    ------
    ClaimFileError
        As :func:`load_claims`.
    """
    try:
        data = yaml.load(text, Loader=_LineLoader)  # a SafeLoader subclass: no object tags
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark else path
        raise ClaimFileError(f"{where}: invalid YAML: {exc.problem or exc.context}") from exc
    except yaml.YAMLError as exc:
        raise ClaimFileError(f"{path}: invalid YAML: {exc}") from exc
    if not isinstance(data, _Mapping):
        line = getattr(data, "line", 1)
        raise ClaimFileError(
            f"{path}:{line}: a claim file is a mapping with a 'claims:' list "
            f"(and optional 'source:' and 'defaults:'), not {_describe_type(data)}"
        )
    try:
        claim_file = ClaimFile.model_validate(data)
    except ValidationError as exc:
        raise ClaimFileError(
            "\n".join(_describe_error(err, data, path) for err in exc.errors())
        ) from exc
    raw_claims = data.get("claims") or []
    for claim, raw in zip(claim_file.claims, raw_claims, strict=True):
        claim._origin = Origin(
            path=path,
            line=raw.line,
            field_lines=dict(raw.key_lines),
            item_lines={k: v.item_lines for k, v in raw.items() if isinstance(v, _Sequence)},
        )
    return claim_file


def validate_places(claim_file: ClaimFile, resolver: Callable[[str], T]) -> dict[str, T]:
    """Resolve every place a claim file names; fail on any that does not resolve.

    Parameters
    ----------
    claim_file
        Loaded claims (from :func:`load_claims`, so that errors can name lines).
    resolver
        Maps a place name to a place, raising
        :class:`~routing.exceptions.PlaceNotFoundError` or
        :class:`~routing.exceptions.AmbiguousPlaceError`; normally
        :func:`routing.gazetteer.find_place`.

    Returns
    -------
    dict
        Each distinct place name mapped to what ``resolver`` returned for it.

    Raises
    ------
    ClaimFileError
        Listing every unknown or ambiguous place with its file, line, claim id and field, and
        the resolver's suggestions.
    """
    resolved: dict[str, T] = {}
    problems: list[str] = []
    for claim in claim_file.claims:
        for field, index, name in claim.place_refs():
            try:
                if name not in resolved:
                    resolved[name] = resolver(name)
            except PlaceNotFoundError as exc:
                hint = f"; did you mean: {', '.join(exc.suggestions)}?" if exc.suggestions else ""
                problem = f"unknown place {name!r}{hint}"
            except AmbiguousPlaceError as exc:
                problem = f"ambiguous place {name!r}; candidates: {'; '.join(exc.candidates)}"
            else:
                continue
            origin = claim.origin
            where = f"{origin.path}:{origin.line_of(field, index)}: " if origin else ""
            problems.append(f"{where}claim {claim.id!r}: {field}: {problem}")
    if problems:
        raise ClaimFileError("\n".join(problems))
    return resolved


def dump_claims(
    claim_file: ClaimFile,
    comments: Mapping[str, Sequence[str]] | None = None,
    header: Sequence[str] = (),
) -> str:
    """Write claims as YAML that :func:`loads_claims` reads back to an equal file.

    Parameters
    ----------
    claim_file
        The claims to write. A claim's source is written only where it differs from the
        file's source.
    comments
        Comment lines to put above a claim, by claim id (e.g. what a reviewer should check).
    header
        Comment lines for the top of the file.

    Returns
    -------
    str
        YAML text.
    """
    comments = comments or {}
    parts = [_comment_lines(header, "")]
    top: dict[str, Any] = {"version": claim_file.version}
    if claim_file.source is not None:
        top["source"] = claim_file.source.model_dump(mode="json", exclude_none=True)
    if claim_file.defaults != Defaults():
        top["defaults"] = claim_file.defaults.model_dump(mode="json", exclude_defaults=True)
    parts.append(_yaml(top))
    parts.append("claims:\n" if claim_file.claims else "claims: []\n")
    for claim in claim_file.claims:
        raw = claim.model_dump(mode="json", by_alias=True, exclude_none=True)
        if claim.source == claim_file.source:
            raw.pop("source", None)
        ordered = {k: raw.pop(k) for k in _FIRST_KEYS if k in raw}
        last = {k: raw.pop(k) for k in _LAST_KEYS if k in raw}
        item = _yaml([ordered | raw | last])
        parts.append("\n" + _comment_lines(comments.get(claim.id, ()), "  "))
        parts.append("".join("  " + line for line in item.splitlines(keepends=True)))
    return "".join(parts)


def _yaml(data: object) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=96)


def _comment_lines(lines: Sequence[str], indent: str) -> str:
    return "".join(
        f"{indent}# {part}".rstrip() + "\n" for line in lines for part in line.splitlines()
    )


def _describe_type(data: object) -> str:
    if data is None:
        return "an empty document"
    return "a list" if isinstance(data, list) else f"a {type(data).__name__}"


def _describe_error(err: ErrorDetails, data: _Mapping, path: str) -> str:
    """One line "file:line: claim 'id': message" for a pydantic error on the raw data."""
    loc = list(err["loc"])
    if err["type"] == "duplicate_id":
        loc = ["claims", err["ctx"]["index"], "id"]
    elif err["type"] in ("union_tag_invalid", "union_tag_not_found"):
        loc.append("kind")  # point at the bad kind, or at the claim when it has none
    node: Any = data
    line, claim_id, kind = data.line, None, None
    if len(loc) > 1 and loc[0] == "claims" and isinstance(loc[1], int):
        claims, index = data.get("claims"), loc[1]
        if isinstance(claims, _Sequence) and index < len(claims):
            line, node = claims.item_lines[index], claims[index]
        raw_id = node.get("id") if isinstance(node, _Mapping) else None
        claim_id = repr(raw_id) if isinstance(raw_id, str) else f"#{index + 1}"
        loc = loc[2:]
        if loc and isinstance(node, _Mapping) and loc[0] == node.get("kind"):
            kind, loc = node["kind"], loc[1:]  # the union's tag, not a field
    fields = [str(part) for part in loc]
    for part in loc:
        if isinstance(node, _Mapping) and part in node:
            line, node = node.key_lines.get(str(part), line), node[part]
        elif isinstance(node, _Sequence) and isinstance(part, int) and part < len(node):
            line, node = node.item_lines[part], node[part]
        else:
            break
    where = f"claim {claim_id}: " if claim_id else ""
    return f"{path}:{line}: {where}{_error_message(err, fields, kind)}"


def _error_message(err: ErrorDetails, fields: list[str], kind: str | None) -> str:
    error_type, ctx = err["type"], err.get("ctx", {})
    if error_type == "missing":
        return f"missing field {fields[-1]!r}"
    if error_type == "extra_forbidden":
        allowed = _allowed_keys(fields[:-1], kind)
        close = difflib.get_close_matches(fields[-1], allowed, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"expected one of {', '.join(allowed)}"
        return f"unknown field {fields[-1]!r}; {hint}"
    if error_type in ("union_tag_invalid", "union_tag_not_found"):
        problem = f"unknown kind {ctx['tag']!r}" if "tag" in ctx else "missing field 'kind'"
        return f"{problem}; expected one of {', '.join(CLAIM_TYPES)}"
    message = err["msg"].removeprefix("Value error, ")
    return f"{'.'.join(fields)}: {message}" if fields and error_type != "duplicate_id" else message


def _allowed_keys(parent: list[str], kind: str | None) -> list[str]:
    """YAML keys allowed in the mapping at ``parent`` (inside a claim of ``kind``, if any)."""
    if parent and parent[-1] == "source":
        model: type[BaseModel] = Source
    elif kind is not None:
        model = CLAIM_TYPES[kind]
    elif parent and parent[-1] == "defaults":
        model = Defaults
    else:
        model = ClaimFile
    return [info.serialization_alias or name for name, info in model.model_fields.items()]
