"""The shape of VUM objects (which properties nest which), read from the pydantic models.

One shape serves three things: the fields a zoekvraag may name (``query.Fields``), the
projection of a detail onto a search summary, and the paths the import report counts.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from functools import cache
from typing import Any, Union

from pydantic import BaseModel

from matching.vum import model as vm
from matching.vum.query import Fields

Shape = Mapping[str, "Shape | None"]

# Paths the standard's selection schema names that the data model holds elsewhere.
WERKZOEKENDE_ALIASES = {
    "datumAanvangBeschikbaarVoorWerk": "flexibiliteit.datumAanvangBeschikbaarVoorWerk"
}
VACATURE_ALIASES = {"datumAanvangWerkzaamheden": "arbeidsVoorwaarden.datumAanvangWerkzaamheden"}
# bemiddelingsberoep holds Beroep objects ({codeBeroepsnaam}); its selection names
# "beroep.codeBeroepsnaam" inside $elemMatch.
ELEMENT_ALIASES: dict[tuple[str, ...], dict[str, str]] = {
    ("bemiddelingsberoep",): {"beroep.codeBeroepsnaam": "codeBeroepsnaam"}
}


@cache
def shape_of(model: type[BaseModel]) -> Shape:
    """Property name → shape of its object (or of its array's objects), ``None`` for values."""
    return {name: _inner(field.annotation) for name, field in model.model_fields.items()}


def _inner(annotation: Any) -> Shape | None:
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType, list, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _inner(arg)
            if found is not None:
                return found
        return None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return shape_of(annotation)
    return None


def fields_for(shape: Shape, aliases: Mapping[str, str], at: tuple[str, ...] = ()) -> Fields:
    """The query ``Fields`` of a shape, with the standard's path aliases."""
    tree = {
        name: None if sub is None else fields_for(sub, {}, (*at, name))
        for name, sub in shape.items()
    }
    return Fields(tree, {**aliases, **ELEMENT_ALIASES.get(at, {})})


WERKZOEKENDE_FIELDS = fields_for(shape_of(vm.Werkzoekende), WERKZOEKENDE_ALIASES)
VACATURE_FIELDS = fields_for(shape_of(vm.Vacature), VACATURE_ALIASES)


def project(document: Any, shape: Shape | None) -> Any:
    """``document`` reduced to the properties of ``shape``; empty arrays and objects dropped."""
    if shape is None:
        return document
    if isinstance(document, list):
        items = [project(item, shape) for item in document]
        return [item for item in items if item not in ({}, [], None)]
    if not isinstance(document, dict):
        return document
    kept = {}
    for name, value in document.items():
        if name in shape:
            reduced = project(value, shape[name])
            if reduced not in ({}, [], None):
                kept[name] = reduced
    return kept
