"""Incremental runs: a key per run and a folder of finished runs, stored byte for byte.

A run's key hashes everything its outputs depend on: the notebook's bytes, its
parameter values, its parameter set's name (written into the notebook), every
file of its case folder, the basemap, the whole package (its source, language catalogs,
schema and fonts: ``analysis/**``) and whether code is shown.  A finished run is stored under its key exactly as
written to the report, so a run reused from the cache gives the same bytes.

Layout of the cache folder (``<project>/.qalamoun-cache`` unless ``--cache`` or
``$QALAMOUN_CACHE`` says otherwise)::

    runs/<key>/<files>       the run's outputs (notebook, HTML, summary)
    runs/<key>/run.json      its seconds and file names
    memo/<kind>-<key>.json   parsed notebook parameters and checked values
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

FORMAT = "qalamoun-runner-cache-1"
ENV = "QALAMOUN_CACHE"


def digest_bytes(data: bytes) -> str:
    """SHA-256 of ``data``, hex."""
    return hashlib.sha256(data).hexdigest()


def tree_digest(folder: Path, pattern: str = "*") -> str:
    """Hash of every file under ``folder`` matching ``pattern``: relative paths and bytes, in sorted order."""
    h = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts):
            h.update(path.relative_to(folder).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


@functools.cache
def source_digest() -> str:
    """Hash of every file of the package (``analysis/**``: source, language catalogs, schema, fonts): a reworded
    message changes a report as surely as changed code does."""
    return tree_digest(Path(__file__).resolve().parents[1])


def run_key(parts: dict[str, Any]) -> str:
    """The key of one run from named parts (each already a digest or a plain value)."""
    return digest_bytes(json.dumps({"format": FORMAT, **parts}, sort_keys=True, default=str).encode())


def default_root(project: Path) -> Path:
    """``$QALAMOUN_CACHE`` or ``<project>/.qalamoun-cache``."""
    env = os.environ.get(ENV)
    return Path(env) if env else project / ".qalamoun-cache"


class Cache:
    """Finished runs and memoised look-ups under one folder; every write is atomic (a temporary name, then a rename)."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def _tmp(self, where: Path) -> Path:
        from .interrupt import scratch

        where.mkdir(parents=True, exist_ok=True)
        return scratch(Path(tempfile.mkdtemp(prefix=".tmp-", dir=where)))  # removed if the run is interrupted

    def get(self, key: str) -> tuple[dict[str, Path], dict[str, Any]] | None:
        """The stored files of a run (name -> path) and its record, or None."""
        folder = self.root / "runs" / key
        try:
            record = json.loads((folder / "run.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        files = {name: folder / name for name in record.get("files", [])}
        if not all(p.is_file() for p in files.values()):
            return None
        return files, record

    def put(self, key: str, files: dict[str, bytes], record: dict[str, Any]) -> None:
        """Store a finished run (never a failed one)."""
        from .interrupt import unscratch

        final = self.root / "runs" / key
        if final.exists():
            return
        tmp = self._tmp(self.root / "runs")
        try:
            for name, data in files.items():
                (tmp / name).write_bytes(data)
            (tmp / "run.json").write_text(json.dumps({**record, "files": sorted(files)}, sort_keys=True), encoding="utf-8")
            tmp.rename(final)
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)
        finally:
            unscratch(tmp)

    def memo_get(self, kind: str, key: str) -> Any:
        """A memoised value, or None."""
        try:
            return json.loads((self.root / "memo" / f"{kind}-{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def memo_put(self, kind: str, key: str, value: Any) -> None:
        """Memoise a JSON value."""
        from .interrupt import scratch, unscratch

        folder = self.root / "memo"
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        scratch(Path(tmp))
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(value, fh, sort_keys=True, default=str)
            os.replace(tmp, folder / f"{kind}-{key}.json")
        finally:
            unscratch(Path(tmp))
