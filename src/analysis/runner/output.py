"""The report folder: runs add reports and replace the ones they ran; nothing else there is touched.

The runner writes a manifest (``.qalamoun-report``) listing every file it wrote and,
for each report (one notebook run under one parameter set), what it was built from:
its set, notebook, case, parameter values and the hash of its inputs
(:class:`Entry`).  A run replaces exactly the reports it ran and keeps every other
report of the manifest; ``qalamoun clean`` (or ``run --replace``) removes reports,
and only ever files the manifest lists.  Files the runner did not write (a
reviewer's notes) are kept; a run that would overwrite one is refused.

``--out`` may name a folder that does not exist, an empty folder, or a folder with
the manifest; anything else is refused before any work.

Writing is atomic: the new tree is built in a temporary folder beside ``--out``
(the reports kept are hard links to the files already there, so nothing is copied)
and exchanged with ``--out`` in one ``renameat2(RENAME_EXCHANGE)`` where the system
has it (Linux), else by two renames.  Killed at any moment, ``--out`` holds the
previous tree or the new one, never half of each.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import interrupt
from .plan import RunError

MARKER = ".qalamoun-report"
FORMAT = 2  # manifest format: 1 listed only files; 2 adds the reports
INDEX = "index.html"
SET_SUMMARY = "summary.json"
STATUSES = ("ok", "failed", "cached", "kept")  # this time: run now (ok or failed), reused from the cache, kept


@dataclass
class Entry:
    """One report in the folder: what it was built from, and (for this run) what became of it.

    ``inputs`` is the hash of everything the report depends on (:func:`analysis.runner.cache.run_key`),
    ``parts`` the hash of each input by name (notebook, case, basemap, source, ...), so that a stale
    report can say what changed.  ``status``, ``stale`` and ``seconds`` are this run's and are not stored
    (the manifest holds no timing: the same inputs give the same bytes).
    """

    name: str
    set: str
    set_title: str
    notebook: str
    notebook_path: str = ""
    case: str = ""
    cases: list[str] = field(default_factory=list)
    parameters: dict[str, Any] = field(default_factory=dict)
    show_code: bool = False
    inputs: str = ""
    parts: dict[str, Any] = field(default_factory=dict)
    outcome: str = "ok"
    error: str = ""
    seconds: float = 0.0
    files: list[str] = field(default_factory=list)
    status: str = field(default="kept", compare=False)
    stale: str = field(default="", compare=False)

    def stored(self) -> dict[str, Any]:
        """The manifest's record of this report (without this run's status)."""
        record = asdict(self)
        for key in ("status", "stale", "seconds"):
            record.pop(key)
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Entry:
        known = {k: v for k, v in record.items() if k in cls.__dataclass_fields__ and k not in ("status", "stale", "seconds")}
        return cls(**known)

    @property
    def case_names(self) -> list[str]:
        return self.cases or ([self.case] if self.case else [])


@dataclass
class Folder:
    """What ``--out`` holds now: the runner's reports (by name), every file it wrote, and the files it did not write."""

    out: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    written: set[str] = field(default_factory=set)
    user: list[str] = field(default_factory=list)


def _all_files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


def read(out: Path) -> Folder:
    """The report folder as it is; :class:`RunError` for a folder the runner may not write to."""
    if not out.exists() and not out.is_symlink():
        return Folder(out)
    if out.is_symlink() or not out.is_dir():
        raise RunError(f"refusing to write the report to {out}: it is not a folder (choose another --out)")
    present = _all_files(out)
    if not present and not any(out.iterdir()):
        return Folder(out)
    try:
        manifest = json.loads((out / MARKER).read_text(encoding="utf-8"))
        written = set(manifest["files"])
    except (OSError, ValueError, KeyError, TypeError):
        raise RunError(
            f"refusing to write to {out}: it was not written by `qalamoun run` (it has no {MARKER} file) and holds "
            f"{len(present)} file(s); choose another --out, or move its contents away yourself"
        ) from None
    entries = {r["name"]: Entry.from_record(r) for r in (manifest.get("reports") or {}).values()}
    if not entries:
        entries = _recover(out, written)
    for e in entries.values():
        e.files = [f for f in e.files if f in present]  # a file someone removed is no longer part of it
    entries = {k: e for k, e in entries.items() if e.files}
    return Folder(out, entries, written & present, sorted(present - written - {MARKER}))


def _recover(out: Path, written: set[str]) -> dict[str, Entry]:
    """Reports of a manifest from before reports were recorded, read back from their notebooks' metadata."""
    entries = {}
    for rel in sorted(f for f in written if f.endswith(".ipynb") and f.count("/") == 1):
        slug, stem = rel[: -len(".ipynb")].split("/")
        try:
            meta = json.loads((out / rel).read_text(encoding="utf-8")).get("metadata", {}).get("qalamoun", {})
        except (OSError, ValueError):
            meta = {}
        params = meta.get("parameters", {}) if isinstance(meta, dict) else {}
        files = sorted(f for f in written if f.startswith(f"{slug}/{stem}.") and f[len(slug) + len(stem) + 2 :].count(".") <= 1)
        cases = params.get("cases") or []
        entries[f"{slug}/{stem}"] = Entry(
            f"{slug}/{stem}",
            slug,
            slug,
            stem,
            case=str(params.get("case", "")) if not cases else "",
            cases=[str(c) for c in cases] if isinstance(cases, list) else [],
            parameters=params,
            files=files,
            stale="written by an earlier version of the runner, which did not record its inputs",
        )
    return entries


def check_clash(folder: Folder, will_write: set[str]) -> None:
    """Refuse a run that would overwrite a file the runner did not write."""
    clash = sorted(set(folder.user) & will_write)
    if clash:
        raise RunError(
            f"refusing to write to {folder.out}: the report would overwrite file(s) that `qalamoun run` did not write there: "
            f"{', '.join(clash)}; move them away or choose another --out"
        )


def new_tree(out: Path) -> Path:
    """A temporary folder beside ``out`` to build the next tree in (registered for removal on an interrupt)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    interrupt.scratch(tmp)
    umask = os.umask(0)
    os.umask(umask)
    tmp.chmod(0o777 & ~umask)  # a report folder as any other, not mkdtemp's private one
    return tmp


def link(src: Path, dst: Path) -> None:
    """Put ``src`` at ``dst`` as a hard link (a copy where links cannot be made)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError:
        shutil.copy2(src, dst, follow_symlinks=False)


def keep(folder: Folder, entries: list[Entry], tmp: Path) -> list[Entry]:
    """Link the files of reports kept from ``folder`` into ``tmp``; return them marked ``kept``."""
    kept = []
    for e in entries:
        files = []
        for rel in e.files:
            with contextlib.suppress(FileNotFoundError):  # removed by someone since the run began
                link(folder.out / rel, tmp / rel)
                files.append(rel)
        if files:
            e.files, e.status = files, "kept"
            kept.append(e)
    return kept


def set_summaries(tmp: Path, entries: list[Entry]) -> list[str]:
    """``<set>/summary.json``: the summaries of every report of each set, keyed by notebook."""
    written = []
    for slug in sorted({e.set for e in entries}):
        merged = {}
        for e in sorted((e for e in entries if e.set == slug), key=lambda e: e.notebook):
            path = tmp / slug / f"{e.notebook}.summary.json"
            try:
                merged[e.notebook] = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                merged[e.notebook] = {}
        (tmp / slug).mkdir(parents=True, exist_ok=True)
        (tmp / slug / SET_SUMMARY).write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        written.append(f"{slug}/{SET_SUMMARY}")
    return written


def write_manifest(tmp: Path, entries: list[Entry], user: list[str]) -> None:
    """The manifest: every file now in ``tmp`` that is not the user's, and every report."""
    files = sorted(_all_files(tmp) - set(user) - {MARKER})
    record = {
        "written_by": "qalamoun run",
        "format": FORMAT,
        "files": files,
        "reports": {e.name: e.stored() for e in sorted(entries, key=lambda e: e.name)},
    }
    (tmp / MARKER).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def commit(tmp: Path, folder: Folder) -> None:
    """Carry the user's files over (as links) and put ``tmp`` in place of ``folder.out`` atomically; a signal waits."""
    out = folder.out
    for rel in folder.user:
        if not (tmp / rel).exists():
            link(out / rel, tmp / rel)
    with interrupt.committing():
        if out.exists():
            _exchange(tmp, out)  # now tmp holds the previous tree (still registered: an interrupt removes it)
            _rescue(tmp, out, folder)
        else:
            tmp.rename(out)
    shutil.rmtree(tmp, ignore_errors=True)
    interrupt.unscratch(tmp)


def remove(folder: Folder) -> None:
    """Remove ``folder.out`` altogether (every file in it is the runner's), atomically."""
    with interrupt.committing():
        gone = Path(tempfile.mkdtemp(prefix=f".{folder.out.name}.old-", dir=folder.out.parent))
        interrupt.scratch(gone)
        gone.rmdir()
        folder.out.rename(gone)
    shutil.rmtree(gone, ignore_errors=True)
    interrupt.unscratch(gone)


def _rescue(old: Path, out: Path, folder: Folder) -> None:
    """Files that appeared in the old tree while the run built the new one are not the runner's: move them over."""
    known = folder.written | set(folder.user) | {MARKER}
    for rel in sorted(_all_files(old) - known):
        if not (out / rel).exists():
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(OSError):
                os.replace(old / rel, out / rel)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> None:
    """Swap two folders: one system call on Linux; elsewhere two renames (a moment when ``b`` is missing)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
        renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
            return
    except (OSError, AttributeError):
        pass
    aside = a.with_name(a.name + ".prev")
    b.rename(aside)
    a.rename(b)
    aside.rename(a)
