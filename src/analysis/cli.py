"""The ``qalamoun`` command: validate cases, run parameterized reports, clean them, export a case."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Annotated, Any


def _interrupted_early(signum: int, frame: Any) -> None:  # pragma: no cover - a signal while the command starts
    """Before the command has started anything: say so and end, status 130."""
    os.write(2, b"interrupted\n")
    os._exit(130)


if __name__ == "__main__" or Path(sys.argv[0]).name == "qalamoun":  # the command itself, not an import (main() takes over)
    for _s in (signal.SIGINT, signal.SIGTERM):
        signal.signal(_s, _interrupted_early)

import typer  # noqa: E402
from typer.core import TyperCommand  # noqa: E402

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Curated cases of negotiated surrenders and evacuations.",
)
_AS_COMMAND = False  # main() ran: this process is the command (signals end it; see runner.interrupt)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("qalamoun-analysis")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree that is not installed
        from . import __version__

        return str(__version__)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"qalamoun {_version()}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """Curated cases of negotiated surrenders and evacuations."""


ProjectOption = Annotated[
    str | None,
    typer.Option("--project", help="The project folder (holding notebooks/, params/, data/); default: the working directory or a parent."),
]


def _project(given: str | None, required: bool = True) -> Path | None:
    """The project folder, with ``$QALAMOUN_DATA`` pointing at its data (unless set); exit 2 saying where it looked."""
    from .project import ProjectError, data_dir, find_project

    try:
        project = find_project(given)
    except ProjectError as exc:
        if not required:
            return None
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    os.environ.setdefault("QALAMOUN_DATA", str(data_dir(project)))
    os.environ.setdefault("QALAMOUN_PROJECT", str(project))
    return project


def _case_or_default(case: str | None) -> str:
    """``case``, or where none is given the project's default case (:func:`analysis.params.default_case`); exit 2
    saying why when there is none."""
    if case is not None:
        return case
    from .params import ParameterError, default_case

    try:
        return default_case()
    except ParameterError as exc:
        typer.echo(f"error: {exc}; name a case: qalamoun cases lists them", err=True)
        raise typer.Exit(2) from exc


@app.command()
def validate(
    case: Annotated[
        str | None, typer.Argument(help="Case id under data/ or a path to a case folder; default: the case of params/default.yaml.")
    ] = None,
    project: ProjectOption = None,
) -> None:
    """Validate a case and report every problem at once (exit status 1 if any)."""
    found = _project(project, required=case is None or not (Path(case) / "datapackage.json").is_file())
    case = _case_or_default(case)
    from .cases import CaseError, validate_case

    try:
        problems = validate_case(case)
    except CaseError as exc:
        where = "" if found else " (outside a project: give the case as a path)"
        typer.echo(f"error: {exc}{where}", err=True)
        raise typer.Exit(2) from exc
    if problems:
        typer.echo(f"{len(problems)} problem(s) in case {case!r}:", err=True)
        for p in problems:
            typer.echo(f"  - {p}", err=True)
        raise typer.Exit(1)
    typer.echo(f"case {case!r} is valid")


def _run_help_epilog() -> str:
    """The parameter sets of the project (params/) and the readers' parameters (analysis.params), for ``run --help``."""
    from rich.markup import escape

    from .params import PARAMETERS
    from .project import ProjectError, find_project
    from .runner import RUNNER_PARAMETERS, RunError, default_param_sets, load_param_set
    from .runner.index import show_value

    lines = ["[b]Parameter sets[/b] (--params NAME, from params/):"]
    try:
        root = find_project(os.environ.get("QALAMOUN_PROJECT") or None)
        for path in sorted(default_param_sets(root), key=lambda f: f.stem):
            try:
                ps = load_param_set(path)
                lines.append(f"  {escape(path.stem)}: {escape(ps.title)}")
            except RunError as exc:
                lines.append(f"  {escape(path.stem)}: cannot be read ({escape(str(exc))})")
        if len(lines) == 1:
            lines.append(f"  none: add YAML files to {escape(str(root / 'params'))}")
    except ProjectError:
        lines.append("  (no project here: run inside a checkout, or pass --project, to list them)")
    lines.append("[b]Parameters[/b] (-p NAME=VALUE):")
    for name, (_, default, help_text) in PARAMETERS.items():
        if name not in RUNNER_PARAMETERS:
            lines.append(f"  {name}: {escape(help_text)} (default {escape(show_value(default))})")
    at = lines.index("[b]Parameters[/b] (-p NAME=VALUE):")
    return "\n".join(lines[:at]) + "\n\n" + "\n".join(lines[at:])  # rich keeps single line breaks inside a paragraph


class _RunCommand(TyperCommand):
    """``run``, whose help lists the parameter sets and parameters as they are when the help is asked for."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self.epilog = _run_help_epilog()
        super().format_help(ctx, formatter)


def _start_run() -> None:
    """Signals from now on end the run at once (exit 130), leaving nothing behind: runner.interrupt."""
    from .runner import interrupt

    if _AS_COMMAND:
        interrupt.install(exit_process=True)


@app.command(cls=_RunCommand)
def run(
    params: Annotated[
        list[str] | None,
        typer.Option("--params", help="Parameter set: a name from params/ (e.g. spanish) or a YAML file (repeatable); default: every set."),
    ] = None,
    p: Annotated[list[str] | None, typer.Option("-p", help="Set a parameter: NAME=VALUE (repeatable); see the list below.")] = None,
    notebooks: Annotated[
        list[str] | None,
        typer.Option(
            "--notebooks", "-n", help="Notebook: number, name or file name (01, 01_timeline, 01_timeline.ipynb; repeatable); default: all."
        ),
    ] = None,
    out: Annotated[
        str, typer.Option("--out", help="Report folder: runs add and replace their reports there and keep the others.")
    ] = "reports",
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Notebooks run at once: local Dask workers (0: one per core).")] = 0,
    timeout: Annotated[int, typer.Option("--timeout", help="Seconds a notebook cell may take.")] = 600,
    progress: Annotated[bool, typer.Option(help="Show a progress bar (without it, each run's line still prints as it ends).")] = True,
    force: Annotated[bool, typer.Option("--force", help="Rerun every notebook, even those the cache holds.")] = False,
    replace: Annotated[
        bool, typer.Option("--replace", help="Remove every other report the runner wrote in --out (default: keep them).")
    ] = False,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Address of an existing Dask scheduler (tcp://host:8786); default: a local cluster.")
    ] = None,
    retries: Annotated[int, typer.Option("--retries", help="Times a failed run is tried again.", min=0)] = 0,
    show_code: Annotated[bool, typer.Option("--show-code", help="Keep code cells in the HTML reports (default: outputs only).")] = False,
    cache: Annotated[str | None, typer.Option("--cache", help="Cache folder (default: $QALAMOUN_CACHE or .qalamoun-cache).")] = None,
    fresh_kernels: Annotated[
        bool,
        typer.Option("--fresh-kernels", help="A new kernel for each notebook (default: a warm kernel per worker, cleared before each)."),
    ] = False,
    project: ProjectOption = None,
) -> None:
    """Run notebooks x parameter sets with papermill on Dask; write HTML, notebooks, summaries and an index.

    A run replaces the reports it runs and keeps every other report in --out. Unchanged runs are reused from the
    cache (shown as cached). A -p value that changes what a set runs gives the reports a folder and title of their
    own. Ctrl-C (SIGINT) or SIGTERM at any moment ends everything the run started and leaves the report folder as
    it was. Exit status: 0 when every run succeeded, 1 when any failed, 2 when the parameters, a case or --out are
    wrong (nothing runs), 130 when interrupted.
    """
    _start_run()
    from . import runner

    try:
        root = _project(project)
        assert root is not None
        store = runner.Cache(Path(cache) if cache else runner.default_root(root))
        sets = [runner.load_param_set(f) for f in runner.find_param_sets(root, params)]
        overrides = dict(runner.parse_override(x) for x in (p or []))
        nbs = runner.find_notebooks(root, notebooks)
        planned = runner.plan(nbs, sets, overrides, project=root, cache=store)
        n_sets = len({j.param_set.slug for j in planned})

        def started(n_run: int, n_cached: int, n_kept: int) -> None:
            kept = f"; {n_kept} other report(s) there kept" if n_kept else ""
            typer.echo(
                f"running {n_run} notebook(s), {n_cached} cached: {len(nbs)} notebook(s) x {n_sets} parameter set(s) -> {out}/{kept}",
                err=True,
            )

        results = runner.run(
            planned,
            Path(out),
            data=Path(os.environ["QALAMOUN_DATA"]),
            cache=store,
            n_jobs=jobs,
            timeout=timeout,
            progress=progress,
            force=force,
            scheduler=scheduler,
            retries=retries,
            show_code=show_code,
            fresh_kernels=fresh_kernels,
            replace=replace,
            project=root,
            on_start=started,
            on_result=lambda r: _line(r, progress),
            on_note=lambda text: typer.echo(text, err=True),
        )
    except runner.RunError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    except (runner.Interrupted, KeyboardInterrupt) as exc:
        typer.echo("interrupted", err=True)
        raise typer.Exit(130) from exc
    _report(results, out)


MARKS = {"ok": "ok    ", "cached": "cached", "failed": "FAILED"}


def _line(r: Any, progress: bool) -> None:
    """One run's line, as it ends (above the progress bar, if there is one)."""
    took = "     -  " if r.status == "cached" else f"{r.seconds:6.1f} s"
    line = f"{MARKS[r.status]} {r.job.name:45s} {took}" + (f"  {r.error}" if r.error else "")
    if progress:
        from tqdm import tqdm

        tqdm.write(line)
    else:
        typer.echo(line)


def _report(results: list, out: str) -> None:
    failed = [r for r in results if not r.ok]
    n_cached = sum(r.status == "cached" for r in results)
    typer.echo(f"{len(results) - len(failed)} of {len(results)} succeeded ({n_cached} cached); index: {Path(out) / 'index.html'}")
    if failed:
        raise typer.Exit(1)


@app.command()
def clean(
    out: Annotated[str, typer.Option("--out", help="Report folder to clean.")] = "reports",
    params: Annotated[
        list[str] | None, typer.Option("--params", help="Only the reports of this set (its folder name; repeatable).")
    ] = None,
    notebooks: Annotated[
        list[str] | None, typer.Option("--notebooks", "-n", help="Only the reports of this notebook (number or name; repeatable).")
    ] = None,
    stale: Annotated[bool, typer.Option("--stale", help="Only reports whose inputs have changed since they were built.")] = False,
    project: ProjectOption = None,
) -> None:
    """Remove reports that `qalamoun run` wrote (all of them, or those chosen); files it did not write stay.

    The index is rewritten for the reports left; a folder left with nothing in it is removed. Exit status 2 for a
    folder the runner did not write.
    """
    from . import runner

    root = _project(project, required=False)
    data = Path(os.environ.get("QALAMOUN_DATA") or (root / "data" if root else "data"))
    try:
        gone = runner.clean(Path(out), data, sets=params, notebooks=notebooks, stale=stale, project=root)
    except runner.RunError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    for name in gone:
        typer.echo(f"removed {name}")
    left = f"; index: {Path(out) / 'index.html'}" if (Path(out) / "index.html").exists() else ""
    typer.echo(f"{len(gone)} report(s) removed from {out}{left}")


@app.command("execute-notebooks")
def execute_notebooks(
    notebooks: Annotated[list[str] | None, typer.Argument(help="Notebook names or stems; default: all.")] = None,
    project: ProjectOption = None,
) -> None:
    """Re-execute the stored notebooks in place from their defaults (outputs committed for reviewers)."""
    from . import runner

    root = _project(project)
    assert root is not None
    try:
        nbs = runner.find_notebooks(root, notebooks)
        for nb in nbs:
            typer.echo(f"executing {nb.name}", err=True)
            runner.execute_stored([nb], Path(os.environ["QALAMOUN_DATA"]))
    except runner.RunError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc


@app.command("migrate")
def migrate(
    case: Annotated[str, typer.Argument(help="Case id under data/ or a path to a case folder written for an earlier schema.")],
    project: ProjectOption = None,
) -> None:
    """Upgrade a case folder to the schema this package reads, keeping a backup of the whole folder beside it.

    Exit status 0 when the case is upgraded (or already current), 2 when it cannot be found or read.
    """
    found = _project(project, required=not (Path(case) / "datapackage.json").is_file())
    from .cases import CaseError, resolve_case
    from .schema import VERSION, SchemaVersionError
    from .schema import migrate as upgrade

    try:
        folder = resolve_case(case) if found else Path(case).resolve()
        backup, todo = upgrade(folder)
    except (CaseError, SchemaVersionError, OSError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    if backup == folder:
        typer.echo(f"case {case!r} is already at schema version {VERSION}")
        return
    typer.echo(f"case {case!r} upgraded to schema version {VERSION}; the folder as it was: {backup}")
    for line in todo:
        typer.echo(f"  to do: {line}")
    typer.echo(f"then check it: qalamoun validate {case}")


@app.command("new-case")
def new_case(
    case: Annotated[str, typer.Argument(help="The new case's id (a folder under data/, lower case and hyphens) or a path.")],
    title: Annotated[str, typer.Option("--title", help="The case's title, in English.")],
    country: Annotated[str | None, typer.Option("--country", help="Country name, ISO 3166 alpha-3 and numeric: 'Syria,SYR,760'.")] = None,
    project: ProjectOption = None,
) -> None:
    """Start a case: the schema's datapackage.json and every table's header, with no rows, in a new folder.

    Exit status 0 when written, 2 when the folder exists or the country is malformed.  Then fill the tables and run
    ``qalamoun validate <case>`` until it is clean (docs/adding-a-case.md).
    """
    from .schema import scaffold

    as_path = "/" in case or case.startswith(".")
    if not as_path:
        _project(project)
        from .cases import data_dir

        folder = data_dir() / case
    else:
        folder = Path(case).resolve()
    place = None
    if country:
        parts = [p.strip() for p in country.split(",")]
        if len(parts) != 3 or not parts[2].isdigit() or len(parts[1]) != 3:
            typer.echo(f"error: --country {country!r}: write it as name,ISO3,numeric (for example 'Syria,SYR,760')", err=True)
            raise typer.Exit(2)
        place = {"name": parts[0], "iso3": parts[1].upper(), "iso_numeric": int(parts[2])}
    try:
        written = scaffold(folder, title, place)
    except (FileExistsError, OSError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"new case in {folder}: {', '.join(p.name for p in written)}")
    typer.echo(f"fill the tables (docs/adding-a-case.md), then: qalamoun validate {case if not as_path else folder}")


@app.command("cases")
def list_cases(project: ProjectOption = None) -> None:
    """List the cases under data/: id and title."""
    _project(project)
    from .cases import available_cases, data_dir
    from .runner.index import case_title

    ids = available_cases()
    width = max((len(c) for c in ids), default=0)
    for c in ids:
        typer.echo(f"{c:{width}s}  {case_title(str(data_dir() / c))}".rstrip())


@app.command("export")
def export(
    case: Annotated[
        str | None, typer.Argument(help="Case id under data/ or a path to a case folder; default: the case of params/default.yaml.")
    ] = None,
    to: Annotated[str, typer.Option("--to", help="Folder to write (new, empty, or an earlier export).")] = "exports",
    formats: Annotated[
        list[str] | None,
        typer.Option("--format", "-f", help="hxl, acled, ucdp, graph, geojson, results or all (repeatable or comma-separated)."),
    ] = None,
    best_rule: Annotated[str, typer.Option("--best-rule", help="median or prefer:<source_id>.")] = "median",
) -> None:
    """Export the case and its computed results for other tools (default: every format).

    Writes into a temporary folder beside DIR and renames it into place when complete.
    Exit status 2, with nothing written, for an unknown format, a folder that cannot be
    written (or holds files an export did not write), or a case that fails validation.
    """
    from .export import FORMATS, ExportError, export_case

    case = _case_or_default(case)
    try:
        result = export_case(case, to, formats, best_rule=best_rule)
    except ExportError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    for name in result.formats:
        fmt = FORMATS[name]
        typer.echo(f"{name:8s} {result.folder / fmt.folder}/  ({fmt.opens_with})")
    typer.echo(f"{len(result.files)} file(s) in {result.folder}; notes in {result.folder / 'metadata.json'}")


def main() -> None:  # pragma: no cover - entry point
    """The command: a signal before a command takes it over ends the process with status 130 and says so."""
    from .runner.interrupt import Interrupted

    global _AS_COMMAND
    _AS_COMMAND = True

    def early(signum: int, frame: Any) -> None:
        raise Interrupted(signal.Signals(signum).name)

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, early)
    from .runner.interrupt import wait_if_stopping

    try:
        app()
    except Interrupted:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    finally:
        wait_if_stopping()  # an interrupt being handled ends the process, with its own status


if __name__ == "__main__":  # pragma: no cover
    main()
