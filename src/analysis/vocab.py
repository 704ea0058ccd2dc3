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

Every field with an ``enum`` is a vocabulary (:class:`Vocabulary`), and so is each entry of the
package's ``qalamoun:vocabularies`` (closed sets no table stores: how people are known, scenario,
check kinds).  Beside its values a vocabulary carries its labels in each language
(``qalamoun:labels``), the colours and marks charts give its values (``qalamoun:colors``,
``qalamoun:marks``) and the values that play a role (``qalamoun:roles``, e.g. the phase drawn as
context); ``qalamoun:vocabulary`` names it where the field's own name would not.  The convention and
the recipe for adding a value are in ``docs/vocabularies.md``.  :func:`vocabulary` answers from the
case(s) loaded (:func:`register`), else from the packages under ``data/``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

NUMERIC_KINDS = ("count", "equipment", "measure", "duration")
PREFIX = "qalamoun:"


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


# ---------------------------------------------------------------------------
# Vocabularies as data: values, labels in each language, presentation roles


@dataclass(frozen=True)
class Vocabulary:
    """A closed vocabulary of a case: its values in declared order, their labels per language and how they are drawn.

    ``labels`` is ``{lang: {value: label}}``; ``colors`` ``{value: "#rrggbb"}``; ``marks`` ``{value: shape}``
    (a Vega shape name or an SVG path); ``roles`` ``{role: value}`` (``context`` for the phase drawn as
    background, say).  ``cldr`` names CLDR data that labels the values instead (``languages``: ISO 639 codes).
    Values are text: an integer vocabulary (relation signs) is keyed ``"-1"``, ``"0"``, ``"1"``.
    """

    name: str
    values: tuple[str, ...]
    labels: dict[str, dict[str, str]] = dc_field(default_factory=dict)
    colors: dict[str, str] = dc_field(default_factory=dict)
    marks: dict[str, str] = dc_field(default_factory=dict)
    roles: dict[str, str] = dc_field(default_factory=dict)
    cldr: str | None = None

    def role(self, name: str) -> str:
        """The value playing role ``name``; a KeyError naming the vocabulary and the roles it has."""
        if name not in self.roles:
            raise KeyError(f"vocabulary {self.name!r} has no role {name!r} (qalamoun:roles: {', '.join(self.roles) or 'none'})")
        return self.roles[name]

    def ordered(self, present: Iterable[Any]) -> list[str]:
        """The values among ``present``, in the vocabulary's order."""
        seen = {key(v) for v in present}
        return [v for v in self.values if v in seen]


def key(value: Any) -> str:
    """A vocabulary value as the text its labels are keyed by (``-1`` for the integer -1 or the float -1.0)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _vocabulary(name: str, spec: dict[str, Any]) -> Vocabulary:
    return Vocabulary(
        name=name,
        values=tuple(key(v) for v in spec.get("constraints", {}).get("enum", ())),
        labels={lang: {key(k): str(v) for k, v in words.items()} for lang, words in spec.get(f"{PREFIX}labels", {}).items()},
        colors={key(k): str(v) for k, v in spec.get(f"{PREFIX}colors", {}).items()},
        marks={key(k): str(v) for k, v in spec.get(f"{PREFIX}marks", {}).items()},
        roles={str(k): key(v) for k, v in spec.get(f"{PREFIX}roles", {}).items()},
        cldr=spec.get(f"{PREFIX}cldr"),
    )


def _merge(a: Vocabulary, b: Vocabulary) -> Vocabulary:
    """``a`` and ``b`` as one vocabulary: the values of both (a's order first), b's words and roles over a's."""
    labels = {lang: {**a.labels.get(lang, {}), **b.labels.get(lang, {})} for lang in {*a.labels, *b.labels}}
    return Vocabulary(
        name=a.name,
        values=tuple(dict.fromkeys([*a.values, *b.values])),
        labels=labels,
        colors={**a.colors, **b.colors},
        marks={**a.marks, **b.marks},
        roles={**a.roles, **b.roles},
        cldr=b.cldr or a.cldr,
    )


def declared(package: dict[str, Any]) -> list[tuple[str, str | None, dict[str, Any]]]:
    """Where each vocabulary is written: (vocabulary name, ``table.field`` or None for the package's own, its spec)."""
    out = []
    for r in package.get("resources", []):
        for f in r.get("schema", {}).get("fields", []):
            if "enum" in f.get("constraints", {}):
                out.append((str(f.get(f"{PREFIX}vocabulary", f["name"])), f"{r['name']}.{f['name']}", f))
    for name, spec in package.get(f"{PREFIX}vocabularies", {}).items():
        out.append((str(name), None, spec))
    return out


def vocabularies(package: dict[str, Any]) -> dict[str, Vocabulary]:
    """Every vocabulary of a data package, by name: the fields with an ``enum`` (named by ``qalamoun:vocabulary``, else
    by the field's name) and the package's ``qalamoun:vocabularies``.  Fields naming one vocabulary share it: its values
    are all of theirs, its labels and roles those written on any of them."""
    out: dict[str, Vocabulary] = {}
    for name, _, spec in declared(package):
        v = _vocabulary(name, spec)
        out[name] = _merge(out[name], v) if name in out else v
    return out


_REGISTRY: dict[str, Vocabulary] = {}


def register(package: dict[str, Any]) -> None:
    """Make a loaded case's vocabularies the ones :func:`vocabulary` answers with (:func:`analysis.cases.load_case` calls
    it); a second case adds its values, and its words and roles replace the first one's where both have them."""
    for name, v in vocabularies(package).items():
        _REGISTRY[name] = _merge(_REGISTRY[name], v) if name in _REGISTRY else v


_CURATED: dict[str, dict[str, Vocabulary]] = {}


def _curated() -> dict[str, Vocabulary]:
    """The vocabularies of every case under ``data/`` (read once, not validated), for when no case has been loaded."""
    import json

    from .cases import CaseError, available_cases, data_dir

    try:
        root = str(data_dir())
    except CaseError:
        return {}
    if root not in _CURATED:
        out: dict[str, Vocabulary] = {}
        for case in available_cases():
            package = json.loads((data_dir() / case / "datapackage.json").read_text(encoding="utf-8"))
            for name, v in vocabularies(package).items():
                out[name] = _merge(out[name], v) if name in out else v
        _CURATED[root] = out
    return _CURATED[root]


def vocabulary(name: str) -> Vocabulary:
    """The vocabulary ``name`` of the loaded case(s); before any case is loaded, that of the cases under ``data/``.

    A KeyError names the vocabularies there are.
    """
    known = _REGISTRY or _curated()
    if name not in known:
        raise KeyError(f"no vocabulary {name!r}; vocabularies are {', '.join(sorted(known))}")
    return known[name]


def role_values(package: dict[str, Any], table: str, name: str, role: str) -> tuple[str, ...]:
    """The values of ``table.name`` that play ``role`` in its ``qalamoun:roles`` (a value, or a list of values)."""
    given = field(package, table, name).get(f"{PREFIX}roles", {}).get(role, ())
    return (key(given),) if isinstance(given, str | int | float) else tuple(key(v) for v in given)


def values_of_class(package: dict[str, Any], table: str, name: str, prop: str, cls: str) -> frozenset[str]:
    """The values of ``table.name`` that its ``qalamoun:<prop>`` classification puts in class ``cls``."""
    return frozenset(v for v, c in classes(package, table, name, prop).items() if c == cls)


def package_property(package: dict[str, Any], name: str, default: Any = None) -> Any:
    """A top-level ``qalamoun:<name>`` property of the package (``default`` where the case does not declare it)."""
    return package.get(f"{PREFIX}{name}", default)


def unit_days(package: dict[str, Any]) -> dict[str, float]:
    """Unit of a duration -> its length in days (``qalamoun:days`` on ``claims.unit``); {} where the case has no units."""
    try:
        return {k: float(v) for k, v in field(package, "claims", "unit").get(f"{PREFIX}days", {}).items()}
    except KeyError:
        return {}
