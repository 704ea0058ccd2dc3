"""Vocabularies of a case, read from its ``datapackage.json`` (the one place they are written).

A field's ``constraints.enum`` lists its allowed values.  A few fields carry a
classification of those values beside the enum, as a ``qalamoun:`` property:

- ``claims.quantity`` -> ``qalamoun:kinds``: each quantity is a ``count`` (people,
  buses), ``equipment`` (tanks: may carry a ``fate``), ``measure`` (a distance),
  ``date`` (its value is a date in ``value_text``) or ``text``;
- ``claims.qualifier`` -> ``qalamoun:shapes``: each qualifier is a ``point`` (one
  figure: value_low = value_high), a ``range`` (value_low < value_high), a ``floor``
  (value_low only), a ``ceiling`` (value_high only) or ``none`` (no figure);
- ``relations.relation`` -> ``qalamoun:signs``: the usual sign of each relation type.

List-valued foreign keys (``actor_ids``, ``source_ids``), which Frictionless cannot
declare, are in each schema's ``qalamoun:listForeignKeys``.
"""

from __future__ import annotations

from typing import Any

NUMERIC_KINDS = ("count", "equipment", "measure")


def resource(package: dict[str, Any], name: str) -> dict[str, Any]:
    """The resource called ``name``; KeyError naming the resources there are."""
    for r in package.get("resources", []):
        if r.get("name") == name:
            return r
    known = ", ".join(str(r.get("name")) for r in package.get("resources", []))
    raise KeyError(f"the data package has no resource {name!r} (it has {known})")


def field(package: dict[str, Any], table: str, name: str) -> dict[str, Any]:
    """The field description of ``table.name``."""
    for f in resource(package, table)["schema"]["fields"]:
        if f["name"] == name:
            return f
    raise KeyError(f"{table} has no field {name!r}")


def enum(package: dict[str, Any], table: str, name: str) -> tuple[Any, ...]:
    """The allowed values of ``table.name`` in their declared order."""
    return tuple(field(package, table, name).get("constraints", {}).get("enum", ()))


def classes(package: dict[str, Any], table: str, name: str, prop: str) -> dict[str, str]:
    """The ``qalamoun:<prop>`` classification of a field's values (value -> class)."""
    return dict(field(package, table, name).get(f"qalamoun:{prop}", {}))


def quantity_kinds(package: dict[str, Any]) -> dict[str, str]:
    """Quantity -> kind (count, equipment, measure, date, text)."""
    return classes(package, "claims", "quantity", "kinds")


def quantities_of_kind(package: dict[str, Any], *kinds: str) -> frozenset[str]:
    """The quantities whose kind is one of ``kinds``."""
    return frozenset(q for q, k in quantity_kinds(package).items() if k in kinds)


def numeric_quantities(package: dict[str, Any]) -> frozenset[str]:
    """Quantities that carry figures (value_low / value_high)."""
    return quantities_of_kind(package, *NUMERIC_KINDS)


def date_quantities(package: dict[str, Any]) -> frozenset[str]:
    """Quantities whose value is a date (in value_text)."""
    return quantities_of_kind(package, "date")


def qualifier_shapes(package: dict[str, Any]) -> dict[str, str]:
    """Qualifier -> shape (point, range, floor, ceiling, none)."""
    return classes(package, "claims", "qualifier", "shapes")


def relation_signs(package: dict[str, Any]) -> dict[str, int]:
    """Relation type -> its usual sign."""
    return {k: int(v) for k, v in classes(package, "relations", "relation", "signs").items()}


def list_foreign_keys(package: dict[str, Any]) -> dict[tuple[str, str], tuple[str, str]]:
    """(table, column) -> (referenced table, key) for every ``;``-separated foreign key."""
    out = {}
    for r in package.get("resources", []):
        for fk in r.get("schema", {}).get("qalamoun:listForeignKeys", []):
            out[(r["name"], fk["fields"])] = (fk["reference"]["resource"] or r["name"], fk["reference"]["fields"])
    return out


def role_values(package: dict[str, Any], table: str, name: str, role: str) -> tuple[str, ...]:
    """The values of ``table.name`` that play ``role`` (``qalamoun:roles`` maps a role to a value or a list of values)."""
    given = field(package, table, name).get("qalamoun:roles", {}).get(role, ())
    return (given,) if isinstance(given, str) else tuple(given)


def package_property(package: dict[str, Any], name: str, default: Any = None) -> Any:
    """A top-level ``qalamoun:<name>`` property of the package (``default`` where the case does not declare it)."""
    return package.get(f"qalamoun:{name}", default)
