"""Find the project: the folder holding ``notebooks/``, ``params/`` and ``data/``.

Looked for, in order: the folder given (``--project DIR``), ``$QALAMOUN_PROJECT``,
then the working directory and each of its parents.  Nothing depends on where the
package is installed, so a non-editable install works inside a checkout.
"""

from __future__ import annotations

import os
from pathlib import Path

PARTS: tuple[str, ...] = ("notebooks", "params", "data")
ENV = "QALAMOUN_PROJECT"


class ProjectError(LookupError):
    """No project where one was looked for; the message says where."""


def is_project(folder: Path) -> bool:
    """True if ``folder`` holds every one of :data:`PARTS` as a folder."""
    return all((folder / part).is_dir() for part in PARTS)


def _need(folder: Path, how: str) -> Path:
    folder = folder.expanduser().resolve()
    if not is_project(folder):
        missing = ", ".join(f"{p}/" for p in PARTS if not (folder / p).is_dir())
        raise ProjectError(f"{how} {folder} is not a project: it lacks {missing} (a project holds {', '.join(f'{p}/' for p in PARTS)})")
    return folder


def find_project(start: str | os.PathLike[str] | None = None) -> Path:
    """The project folder: ``start`` if given, else ``$QALAMOUN_PROJECT``, else the first of cwd and its parents that is one."""
    if start is not None:
        return _need(Path(start), "--project")
    env = os.environ.get(ENV)
    if env:
        return _need(Path(env), f"${ENV}")
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if is_project(folder):
            return folder
    raise ProjectError(
        f"no project found: looked for a folder holding {', '.join(f'{p}/' for p in PARTS)} in {here} and each folder above it; "
        f"run inside a checkout, or pass --project DIR, or set ${ENV}"
    )


def data_dir(project: Path | None = None) -> Path:
    """The cases: ``$QALAMOUN_DATA`` if set, else ``<project>/data`` (the project found by :func:`find_project` if not given)."""
    env = os.environ.get("QALAMOUN_DATA")
    return Path(env) if env else (project or find_project()) / "data"


def default_parameters(project: Path | None = None) -> dict:
    """The ``parameters`` of the project's default set, ``params/default.yaml`` ({} where there is none)."""
    import yaml

    path = (project or find_project()) / "params" / "default.yaml"
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return dict(data.get("parameters") or {})
