"""Write a case's exports into a folder, all or nothing.

Everything is written into a temporary folder beside the target and renamed
into place only when every format has been written.  A target that already
exists is replaced only if an earlier export wrote it (it holds the marker file
:data:`MARKER`); an empty folder is used as it is; anything else is left alone
and reported.  On any error the temporary folder (which this module made) is
removed and the target is as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ._io import write_json
from .formats import FORMATS, Context, parse_formats

if TYPE_CHECKING:  # pragma: no cover
    from ..cases import Case

MARKER = ".qalamoun-export"


class ExportError(ValueError):
    """An export cannot be made: bad format, case, rule or target folder. Nothing was written."""


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: the folder, the formats and every file (relative to the folder)."""

    folder: Path
    formats: tuple[str, ...]
    files: tuple[str, ...]


def export_case(
    case: str | os.PathLike[str] | Case,
    to: str | os.PathLike[str],
    formats: list[str] | tuple[str, ...] | None = None,
    best_rule: str = "median",
) -> ExportResult:
    """Export ``case`` into the folder ``to`` in ``formats`` (default: all); raise :class:`ExportError` on bad input."""
    names = _formats(formats)
    loaded = _load(case)
    _check_rule(best_rule, loaded)
    if "acled" in names:
        _check_country(loaded)
    target = Path(to)
    _check_target(target)
    ctx = Context(loaded, best_rule)
    created = _make_parents(target.parent)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    except OSError as exc:
        _remove_dirs(created)
        raise ExportError(f"cannot write in {target.parent}: {exc.strerror or exc}") from exc
    try:
        files = _write_all(ctx, names, tmp)
        _swap(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        _remove_dirs(created)
        raise
    return ExportResult(target, tuple(names), tuple(files))


def _formats(formats: list[str] | tuple[str, ...] | None) -> list[str]:
    try:
        return parse_formats(formats)
    except ValueError as exc:
        raise ExportError(str(exc)) from exc


def _load(case: str | os.PathLike[str] | Case) -> Case:
    from ..cases import Case, CaseError, load_case

    if isinstance(case, Case):
        return case
    try:
        return load_case(case)
    except CaseError as exc:
        raise ExportError(f"case {str(case)!r} cannot be exported: {exc}") from exc


def _check_rule(best_rule: str, case: Case) -> None:
    from ..flows import check_best_rule

    try:
        check_best_rule(best_rule, case)
    except ValueError as exc:
        raise ExportError(str(exc)) from exc


def _check_country(case: Case) -> None:
    """The data package's country (ACLED's ``country`` and ``iso``), checked before anything is written."""
    from .acled import CountryError, country

    try:
        country(case.package, str(case.path / "datapackage.json"))
    except CountryError as exc:
        raise ExportError(str(exc)) from exc


def _check_target(target: Path) -> None:
    """The target must be missing, an empty folder, or a folder an earlier export wrote."""
    for parent in target.parents:
        if parent.exists() and not parent.is_dir():
            raise ExportError(f"cannot write to {target}: {parent} is a file, not a folder")
    if not target.exists():
        return
    if not target.is_dir():
        raise ExportError(f"cannot write to {target}: it is a file, not a folder")
    if any(target.iterdir()) and not (target / MARKER).is_file():
        raise ExportError(
            f"{target} already holds files that qalamoun export did not write (no {MARKER} marker); "
            "choose a new or empty folder: nothing there is deleted or overwritten"
        )


def _make_parents(folder: Path) -> list[Path]:
    """Create missing parent folders; return those created (deepest last) so a failure can remove them."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    created = []
    for p in reversed(missing):
        try:
            p.mkdir()
        except OSError as exc:
            _remove_dirs(created)
            raise ExportError(f"cannot create the folder {p}: {exc.strerror or exc}") from exc
        created.append(p)
    return created


def _remove_dirs(created: list[Path]) -> None:
    for p in reversed(created):
        with contextlib.suppress(OSError):
            p.rmdir()


def _write_all(ctx: Context, names: list[str], tmp: Path) -> list[str]:
    files: list[str] = []
    formats_meta = {}
    for name in names:
        fmt = FORMATS[name]
        written = sorted(fmt.writer()(ctx, tmp / fmt.folder))
        files += written
        formats_meta[name] = {"folder": fmt.folder, "holds": fmt.description, "opens_with": fmt.opens_with, "files": written}
    from .. import __version__

    metadata = {
        "case": ctx.case.case_id,
        "title": ctx.case.title,
        "best_rule": ctx.best_rule,
        "written_by": f"qalamoun export (qalamoun-analysis {__version__})",
        "formats": formats_meta,
        "notes": {k: ctx.metadata[k] for k in names if k in ctx.metadata},
    }
    write_json(tmp / "metadata.json", metadata)
    (tmp / MARKER).write_text(
        f"Written by `qalamoun export` for case {ctx.case.case_id}; the exporter may replace this folder.\n", encoding="utf-8"
    )
    return ["metadata.json", *files]


def _swap(tmp: Path, target: Path) -> None:
    """Put ``tmp`` at ``target``: rename, moving an earlier export aside first and removing it after."""
    if target.exists() and any(target.iterdir()):
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
        old.rmdir()
        target.rename(old)
        try:
            tmp.rename(target)
        except OSError:
            old.rename(target)
            raise
        shutil.rmtree(old)  # an earlier export: it carried the marker (checked before any work)
        return
    if target.exists():
        target.rmdir()  # empty: nothing of anyone's is lost
    tmp.rename(target)
