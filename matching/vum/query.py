"""The VUM ``zoekvraag``: a MongoDB-style query, compiled once and run over many documents.

A query is a JSON object ``{path: condition, "$or": [...], "$and": [...]}``; a condition is
an operator object (``{"$gte": 3}``) or a plain value (equality). Paths are dotted
(``werktijden.aantalWerkurenPerWeekMaximaal``) and step through arrays as MongoDB does: a
path into an array of objects yields the values of every element, and a comparison holds
when one of the values satisfies it. A missing field never matches, except for ``$ne``
(MongoDB: "not equal" holds for a document without the field). Empty arrays, objects and
strings count as missing, as the standard says, in documents and as conditions alike.

The query is checked against the fields of the domain (``Fields``) while it is compiled: an
unknown operator, an unknown path or a malformed operand raises ``QueryError`` naming the
place in the query, before a single document is looked at. No SQL is built from it.

>>> fields = fields_of({"werktijden": {"aantalWerkurenPerWeekMaximaal": None}})
>>> match = compile_query({"werktijden.aantalWerkurenPerWeekMaximaal": {"$gte": 32}}, fields)
>>> match({"werktijden": {"aantalWerkurenPerWeekMaximaal": 36}}), match({})
(True, False)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from matching.errors import InvalidInput

Document = Mapping[str, Any]
Predicate = Callable[[Document], bool]
Values = Callable[[Any], Iterator[Any]]

COMPARISONS = ("$eq", "$ne", "$lt", "$lte", "$gt", "$gte", "$in", "$all", "$elemMatch")
LOGICAL = ("$or", "$and")


class QueryError(InvalidInput):
    """A zoekvraag that cannot be evaluated; the message names the place and the reason."""


@dataclass(frozen=True)
class Fields:
    """The fields a query may name: a tree of field names (``None`` for a leaf value).

    ``aliases`` maps a path the standard's selection schema names onto the document path
    that holds the value (the selection schema and the data model differ in a few places).
    """

    tree: Mapping[str, Fields | None]
    aliases: Mapping[str, str]

    def child(self, name: str) -> Fields | None:
        """The subtree of ``name`` (``None`` when it is a leaf); KeyError when unknown."""
        return self.tree[name]


def fields_of(tree: Mapping[str, Any], aliases: Mapping[str, str] | None = None) -> Fields:
    """``Fields`` from a nested dict of names (``None`` marks a leaf)."""
    return Fields(
        {k: None if sub is None else fields_of(sub) for k, sub in tree.items()},
        dict(aliases or {}),
    )


def compile_query(query: Any, fields: Fields, *, where: str = "zoekvraag") -> Predicate:
    """A predicate over documents for ``query``; QueryError when the query is not valid."""
    if not isinstance(query, dict):
        raise QueryError(f"{where}: een zoekvraag is een JSON-object")
    parts: list[Predicate] = []
    for key, condition in query.items():
        place = f"{where}.{key}"
        if key in LOGICAL:
            parts.append(_logical(key, condition, fields, place))
        elif key.startswith("$"):
            raise QueryError(f"{place}: onbekende operator {key!r} op het niveau van velden")
        elif not _empty(condition):  # an empty condition is no condition (VUM: empty = absent)
            parts.append(_field(key, condition, fields, place))
    return _all_of(parts)


def _all_of(parts: list[Predicate]) -> Predicate:
    if len(parts) == 1:
        return parts[0]
    return lambda document: all(part(document) for part in parts)


def _logical(key: str, operand: Any, fields: Fields, place: str) -> Predicate:
    if not isinstance(operand, list) or not operand:
        raise QueryError(f"{place}: {key} verwacht een niet-lege lijst van zoekvragen")
    parts = [compile_query(q, fields, where=f"{place}[{i}]") for i, q in enumerate(operand)]
    if key == "$or":
        return lambda document: any(part(document) for part in parts)
    return _all_of(parts)


def _field(path: str, condition: Any, fields: Fields, place: str) -> Predicate:
    path = fields.aliases.get(path, path)
    values, leaf = _resolver(path, fields, place)
    test = _condition(condition, leaf, place)
    return lambda document: test(values, document)


def _resolver(path: str, fields: Fields, place: str) -> tuple[Values, Fields | None]:
    """A function yielding every value at ``path`` of a document, and the fields below it."""
    names = path.split(".")
    node: Fields | None = fields
    for depth, name in enumerate(names):
        if node is None or name not in node.tree:
            known = ".".join(names[:depth]) or "het document"
            raise QueryError(f"{place}: onbekend veld {name!r} in {known}")
        node = node.child(name)
    return (lambda document: _walk(document, names)), node


def _walk(value: Any, names: list[str]) -> Iterator[Any]:
    """The non-empty values at ``names`` below ``value``, stepping through arrays."""
    if not names:
        if isinstance(value, list):
            yield from (item for item in value if not _empty(item))
        elif not _empty(value):
            yield value
        return
    if isinstance(value, list):
        for item in value:
            yield from _walk(item, names)
    elif isinstance(value, dict) and names[0] in value:
        yield from _walk(value[names[0]], names[1:])


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, list | dict | str) and len(value) == 0)


Test = Callable[[Values, Document], bool]


def _condition(condition: Any, leaf: Fields | None, place: str) -> Test:
    """The test a field's condition makes: operators (all must hold) or plain equality."""
    if not _is_operator_object(condition, place):
        return _operator("$eq", condition, leaf, place)
    tests = [_operator(op, operand, leaf, f"{place}.{op}") for op, operand in condition.items()]
    if len(tests) == 1:
        return tests[0]
    return lambda values, document: all(test(values, document) for test in tests)


def _is_operator_object(condition: Any, place: str) -> bool:
    if not isinstance(condition, dict) or not condition:
        return False
    operators = [key.startswith("$") for key in condition]
    if all(operators):
        return True
    if any(operators):
        raise QueryError(f"{place}: operatoren en veldnamen door elkaar in één voorwaarde")
    return False


def _operator(op: str, operand: Any, leaf: Fields | None, place: str) -> Test:
    if op not in COMPARISONS:
        raise QueryError(f"{place}: onbekende operator {op!r}")
    if op == "$elemMatch":
        return _elem_match(operand, leaf, place)
    if op == "$all":
        return _all(operand, leaf, place)
    if op == "$in":
        if not isinstance(operand, list):
            raise QueryError(f"{place}: $in verwacht een lijst van waarden")
        for index, wanted in enumerate(operand):
            _check_scalar(wanted, f"{place}[{index}]")
        return lambda values, document: any(
            _equal(value, wanted) for value in values(document) for wanted in operand
        )
    _check_scalar(operand, place)
    if op == "$eq":
        return lambda values, document: any(_equal(v, operand) for v in values(document))
    if op == "$ne":
        return lambda values, document: not any(_equal(v, operand) for v in values(document))
    compare = _ORDER[op]
    return lambda values, document: any(
        _comparable(v, operand) and compare(v, operand) for v in values(document)
    )


_ORDER: Mapping[str, Callable[[Any, Any], bool]] = {
    "$lt": lambda a, b: bool(a < b),
    "$lte": lambda a, b: bool(a <= b),
    "$gt": lambda a, b: bool(a > b),
    "$gte": lambda a, b: bool(a >= b),
}


def _check_scalar(operand: Any, place: str) -> None:
    if operand is None or isinstance(operand, dict | list):
        raise QueryError(f"{place}: verwacht één waarde (tekst, getal of ja/nee)")


def _comparable(value: Any, operand: Any) -> bool:
    """MongoDB compares numbers with numbers and text with text, never across."""
    if isinstance(value, bool) or isinstance(operand, bool):
        return isinstance(value, bool) and isinstance(operand, bool)
    if isinstance(value, int | float) and isinstance(operand, int | float):
        return True
    return isinstance(value, str) and isinstance(operand, str)


def _equal(value: Any, operand: Any) -> bool:
    return _comparable(value, operand) and bool(value == operand)


def _elem_match(operand: Any, leaf: Fields | None, place: str) -> Test:
    """Some element of the array satisfies all of ``operand`` at once."""
    if not isinstance(operand, dict) or not operand:
        raise QueryError(f"{place}: $elemMatch verwacht een niet-lege voorwaarde")
    if _is_operator_object(operand, place) and not set(operand) & set(LOGICAL):
        # an array of plain values: {"$gte": 3}
        test = _condition(operand, None, place)
        return lambda values, document: any(
            test(_just(element), document) for element in values(document)
        )
    if leaf is None:
        raise QueryError(f"{place}: $elemMatch op een veld zonder onderdelen")
    predicate = compile_query(operand, leaf, where=place)
    return lambda values, document: any(
        isinstance(element, dict) and predicate(element) for element in values(document)
    )


def _just(value: Any) -> Values:
    return lambda _document: iter((value,))


def _all(operand: Any, leaf: Fields | None, place: str) -> Test:
    """Every listed value (or ``{"$elemMatch": …}``) is held by the array."""
    if not isinstance(operand, list) or not operand:
        raise QueryError(f"{place}: $all verwacht een niet-lege lijst")
    tests: list[Test] = []
    for index, item in enumerate(operand):
        at = f"{place}[{index}]"
        if isinstance(item, dict) and set(item) == {"$elemMatch"}:
            tests.append(_elem_match(item["$elemMatch"], leaf, f"{at}.$elemMatch"))
        elif isinstance(item, dict) and any(key.startswith("$") for key in item):
            raise QueryError(f"{at}: in $all mag alleen $elemMatch als operator staan")
        else:
            tests.append(_operator("$eq", item, leaf, at))
    return lambda values, document: all(test(values, document) for test in tests)
