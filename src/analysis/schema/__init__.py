"""The case schema this package reads, its version, and the upgrade of a case folder written for an earlier one.

Every case folder carries its own ``datapackage.json`` (tables, fields, vocabularies): analysts keep
cases outside this repository, and a case must be readable on its own.  The package ships the
canonical one, :func:`template` (``schema/datapackage.json``: the same resources and vocabularies,
no case metadata), stamped with :data:`VERSION`.  A case says which version it was written for in
``qalamoun:schemaVersion`` (a case with none is version 1).

- :func:`check_version` refuses, before any work, a case written for another version, naming both
  versions and the command that upgrades it (``qalamoun migrate <case>``);
- :func:`migrate` upgrades a folder in place, one step per version, after copying the whole folder
  to a backup beside it; it writes every file to a temporary folder first, so an interrupted
  upgrade leaves the case as it was.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

VERSION = 2
KEY = "qalamoun:schemaVersion"
CASE_METADATA = (
    "name",
    "title",
    "description",
    "version",
    "licenses",
    "sources",
    "homepage",
    "contributors",
    "created",
    "keywords",
    "qalamoun:country",
    "qalamoun:heading",
    "qalamoun:title",
    "qalamoun:description",
    "qalamoun:plausibility",
)


class SchemaVersionError(ValueError):
    """A case written for a schema version this package does not read."""


def template() -> dict[str, Any]:
    """The canonical data package of this version: every resource and vocabulary, no case metadata."""
    text = resources.files(__package__).joinpath("datapackage.json").read_text(encoding="utf-8")
    return json.loads(text)


def version_of(package: dict[str, Any]) -> int:
    """The schema version a case's package was written for (1 where it does not say)."""
    try:
        return int(package.get(KEY, 1))
    except (TypeError, ValueError):
        return 0


def check_version(package: dict[str, Any], where: str, case: str) -> None:
    """Refuse a case written for another schema version: the message names both versions and what to do."""
    found = version_of(package)
    if found == VERSION:
        return
    if found < VERSION:
        raise SchemaVersionError(
            f"{where}: written for schema version {found}; this package reads version {VERSION}. "
            f"Upgrade the case with: qalamoun migrate {case}  (it keeps a backup of the folder beside it)"
        )
    raise SchemaVersionError(
        f"{where}: written for schema version {found}, newer than the version {VERSION} this package reads; "
        "update the package (git pull, then make env)"
    )


# ---------------------------------------------------------------------------
# Upgrading a folder


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "unknown"


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, header, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        w.writerows({h: r.get(h, "") for h in header} for r in rows)


def _v1_to_v2(folder: Path, package: dict[str, Any]) -> list[str]:
    """Claims name an originator (``originator_id``, a table of its own) instead of writing who said it as text
    (``attributed_to``); new optional columns and tables.  Returns what the curator must still do."""
    todo = []
    header, rows = _read(folder / "claims.csv")
    if "attributed_to" in header:
        ids: dict[str, str] = {}
        for r in rows:
            text = r.pop("attributed_to", "") or "unknown"
            ids.setdefault(text, _slug(text))
            r["originator_id"] = ids[text]
        header[header.index("attributed_to")] = "originator_id"
        _write(folder / "claims.csv", header, rows)
        origin = [
            {"originator_id": oid, "name_en": text, "kind": "unknown", "side": "unknown", "note": f"migrated from attributed_to '{text}'"}
            for text, oid in sorted(ids.items(), key=lambda kv: kv[1])
        ]
        _write(folder / "originators.csv", ["originator_id", "name_en", "name_es", "name_ar", "kind", "side", "note"], origin)
        todo.append(
            f"originators.csv: {len(origin)} originators made from claims.attributed_to with kind and side 'unknown'; "
            "classify each (kind: state media, monitor, outlet, anonymous...; side: government, opposition, neutral), "
            "as only classified originators can confirm a figure"
        )
    return todo


STEPS: dict[int, Callable[[Path, dict[str, Any]], list[str]]] = {1: _v1_to_v2}


def _conform(folder: Path, package: dict[str, Any]) -> dict[str, Any]:
    """The case's package with the template's resources and vocabularies (its own metadata and any extra resource
    kept), and every table's header completed with the columns the template declares (empty cells)."""
    canon = template()
    out = {k: v for k, v in package.items() if k in CASE_METADATA}
    out.update({k: v for k, v in canon.items() if k not in CASE_METADATA})
    names = {r["name"] for r in canon["resources"]}
    out["resources"] = [*canon["resources"], *(r for r in package.get("resources", []) if r.get("name") not in names)]
    for r in canon["resources"]:
        path = folder / r["path"]
        fields = [f["name"] for f in r["schema"]["fields"]]
        if path.is_file():
            header, rows = _read(path)
            _write(path, [*fields, *(h for h in header if h not in fields)], rows)
        else:  # a table the earlier version did not have: its header, no rows
            _write(path, fields, [])
    out[KEY] = VERSION
    return out


def migrate(folder: str | Path) -> tuple[Path, list[str]]:
    """Upgrade the case folder to :data:`VERSION`; returns the backup folder and what the curator must still do.

    Nothing is changed where the case is already at this version.  The folder is copied to
    ``<folder>.schema-v<N>.bak`` (never overwriting an earlier backup), the steps run on a temporary copy,
    and the copy replaces the folder only when every step has succeeded.
    """
    folder = Path(folder).resolve()
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    found = version_of(package)
    if found == VERSION:
        return folder, []
    if found > VERSION:
        raise SchemaVersionError(f"{folder}: written for schema version {found}, newer than {VERSION}: nothing to migrate")
    backup = folder.with_name(f"{folder.name}.schema-v{found}.bak")
    n = 1
    while backup.exists():
        n += 1
        backup = folder.with_name(f"{folder.name}.schema-v{found}.bak{n}")
    shutil.copytree(folder, backup)
    work = Path(tempfile.mkdtemp(prefix=f".{folder.name}.migrate-", dir=folder.parent))
    try:
        staged = work / folder.name
        shutil.copytree(folder, staged)
        todo: list[str] = []
        for v in range(found, VERSION):
            todo += STEPS[v](staged, package)
        package = _conform(staged, package)
        (staged / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        old = work / f"{folder.name}.old"
        folder.rename(old)
        staged.rename(folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return backup, todo


def scaffold(folder: str | Path, title: str, country: dict[str, Any] | None = None) -> list[Path]:
    """Start a new case in ``folder`` (which must not exist): the template's ``datapackage.json`` with the case's
    name (the folder's name), title and country, and every table's header with no rows.  Returns the files written.

    The folder is written whole to a temporary folder beside it and then moved into place, so an interrupted
    scaffold leaves nothing."""
    folder = Path(folder)
    if folder.exists():
        raise FileExistsError(f"{folder}: already exists; a new case starts in a folder of its own")
    package = {"profile": "data-package", "name": folder.name, "title": title, "version": "0.1.0"}
    if country:
        package["qalamoun:country"] = country
    package.update({k: v for k, v in template().items() if k not in CASE_METADATA and k != "profile"})
    folder.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder.parent, prefix=f".{folder.name}.") as tmp:
        work = Path(tmp) / folder.name
        work.mkdir()
        for r in package["resources"]:
            _write(work / r["path"], [f["name"] for f in r["schema"]["fields"]], [])
        (work / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        work.rename(folder)
    return sorted(folder.iterdir())
