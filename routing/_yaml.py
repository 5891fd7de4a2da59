"""A safe YAML loader that refuses duplicate keys.

PyYAML keeps the last of two equal keys silently; in a hand-written file that hides a typo
(a road class listed twice, the second overriding the first).
"""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["UniqueKeyLoader", "load_unique"]


class UniqueKeyLoader(yaml.SafeLoader):
    """:class:`yaml.SafeLoader` that raises on a key repeated within one mapping."""


def _construct_mapping(loader: UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)  # resolve "<<" merge keys like SafeLoader does
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                f"duplicate key {key!r} (first on line {seen[key]})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=True)


UniqueKeyLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def load_unique(text: str) -> Any:
    """Parse YAML ``text`` like :func:`yaml.safe_load`, refusing duplicate keys.

    Raises
    ------
    yaml.YAMLError
        Not YAML, or a mapping repeats a key (the message names the key and both lines).
    """
    return yaml.load(text, Loader=UniqueKeyLoader)  # a SafeLoader subclass: no object tags
