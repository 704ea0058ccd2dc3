"""The report folder: only a folder the runner wrote is replaced, files a user added to it are kept.

The runner writes a marker file (``.qalamoun-report``) listing every file it
wrote.  ``--out`` may name a folder that does not exist, an empty folder, or a
folder with that marker; anything else is refused before any work.  Files in a
report folder that the marker does not list (a user's notes, say) are carried
over into the new report; if the new report would write a file of the same
name, the run is refused instead.  The new tree is built in a temporary folder
beside ``--out`` and swapped in only when complete.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
from collections.abc import Iterable
from pathlib import Path

from .plan import RunError

MARKER = ".qalamoun-report"


def _written(out: Path) -> set[str] | None:
    try:
        record = json.loads((out / MARKER).read_text(encoding="utf-8"))
        return set(record["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _all_files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


def check_out(out: Path, will_write: Iterable[str]) -> list[str]:
    """Refuse an ``--out`` the runner may not replace (:class:`RunError`); return the user's files to keep."""
    if not out.exists() and not out.is_symlink():
        return []
    if out.is_symlink() or not out.is_dir():
        raise RunError(f"refusing to write the report to {out}: it is not a folder (choose another --out)")
    present = _all_files(out)
    if not present and not any(out.iterdir()):
        return []
    written = _written(out)
    if written is None:
        raise RunError(
            f"refusing to replace {out}: it was not written by `qalamoun run` (it has no {MARKER} file) and holds "
            f"{len(present)} file(s); choose another --out, or move its contents away yourself"
        )
    user = sorted(present - written - {MARKER})
    clash = sorted(set(user) & set(will_write))
    if clash:
        raise RunError(
            f"refusing to replace {out}: the report would overwrite file(s) that `qalamoun run` did not write there: "
            f"{', '.join(clash)}; move them away or choose another --out"
        )
    return user


def mark(tmp: Path) -> None:
    """Write the marker listing every file now in ``tmp``."""
    files = sorted(_all_files(tmp) - {MARKER})
    (tmp / MARKER).write_text(json.dumps({"written_by": "qalamoun run", "files": files}, indent=1) + "\n", encoding="utf-8")


def move_into_place(tmp: Path, out: Path, keep: list[str]) -> None:
    """Swap the finished tree in, carrying the user's files over; signals wait until it is done."""
    old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        mark(tmp)
        for rel in keep:
            dest = tmp / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(out / rel, dest)
        old = None
        if out.exists():
            old = out.with_name(f".{out.name}.old-{os.getpid()}")
            out.rename(old)
        tmp.rename(out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
