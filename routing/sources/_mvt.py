"""The Mapbox Vector Tile 2.1 message, built at import from its schema with protobuf's public API.

The schema is the specification's ``vector_tile.proto`` (github.com/mapbox/vector-tile-spec,
2.1), written out below as a descriptor; protobuf's C parser (upb) then reads tiles as fast as
generated code would, without importing another package's generated module. Fields the
specification marks ``required`` are optional here: a tile that leaves one out still parses,
and the reader checks what it needs.
"""

from __future__ import annotations

from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

__all__ = ["GEOM_LINE", "GEOM_POINT", "GEOM_POLYGON", "Tile"]

GEOM_POINT, GEOM_LINE, GEOM_POLYGON = 1, 2, 3

_PACKAGE = "routing_vector_tile"
_F = descriptor_pb2.FieldDescriptorProto


def _field(
    message: Any, name: str, number: int, kind: int, *, repeated: bool = False, **extra: Any
) -> None:
    label = _F.LABEL_REPEATED if repeated else _F.LABEL_OPTIONAL
    message.field.add(name=name, number=number, type=kind, label=label, **extra)


def _schema() -> descriptor_pb2.FileDescriptorProto:
    packed = descriptor_pb2.FieldOptions(packed=True)
    schema = descriptor_pb2.FileDescriptorProto(
        name=f"{_PACKAGE}.proto", package=_PACKAGE, syntax="proto2"
    )
    tile = schema.message_type.add(name="Tile")
    geom_type = tile.enum_type.add(name="GeomType")
    for number, name in enumerate(("UNKNOWN", "POINT", "LINESTRING", "POLYGON")):
        geom_type.value.add(name=name, number=number)
    value = tile.nested_type.add(name="Value")
    for number, (name, kind) in enumerate(
        (
            ("string_value", _F.TYPE_STRING),
            ("float_value", _F.TYPE_FLOAT),
            ("double_value", _F.TYPE_DOUBLE),
            ("int_value", _F.TYPE_INT64),
            ("uint_value", _F.TYPE_UINT64),
            ("sint_value", _F.TYPE_SINT64),
            ("bool_value", _F.TYPE_BOOL),
        ),
        start=1,
    ):
        _field(value, name, number, kind)
    feature = tile.nested_type.add(name="Feature")
    _field(feature, "id", 1, _F.TYPE_UINT64)
    _field(feature, "tags", 2, _F.TYPE_UINT32, repeated=True, options=packed)
    _field(feature, "type", 3, _F.TYPE_ENUM, type_name=f".{_PACKAGE}.Tile.GeomType")
    _field(feature, "geometry", 4, _F.TYPE_UINT32, repeated=True, options=packed)
    layer = tile.nested_type.add(name="Layer")
    _field(layer, "version", 15, _F.TYPE_UINT32, default_value="1")
    _field(layer, "name", 1, _F.TYPE_STRING)
    _field(
        layer, "features", 2, _F.TYPE_MESSAGE, repeated=True, type_name=f".{_PACKAGE}.Tile.Feature"
    )
    _field(layer, "keys", 3, _F.TYPE_STRING, repeated=True)
    _field(layer, "values", 4, _F.TYPE_MESSAGE, repeated=True, type_name=f".{_PACKAGE}.Tile.Value")
    _field(layer, "extent", 5, _F.TYPE_UINT32, default_value="4096")
    _field(tile, "layers", 3, _F.TYPE_MESSAGE, repeated=True, type_name=f".{_PACKAGE}.Tile.Layer")
    return schema


_pool = descriptor_pool.DescriptorPool()
_pool.Add(_schema())
#: The ``Tile`` message class: ``Tile.FromString(data)`` parses one (decompressed) tile.
Tile: Any = message_factory.GetMessageClass(_pool.FindMessageTypeByName(f"{_PACKAGE}.Tile"))
