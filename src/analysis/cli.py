"""The ``qalamoun`` command: validate cases, run parameterized reports."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Curated cases of negotiated surrenders and evacuations.",
)

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
    return project


@app.command()
def validate(
    case: Annotated[str, typer.Argument(help="Case id under data/ or a path to a case folder.")] = "eastern-qalamoun-2018",
    project: ProjectOption = None,
) -> None:
    """Validate a case and report every problem at once (exit status 1 if any)."""
    found = _project(project, required=not (Path(case) / "datapackage.json").is_file())
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


@app.command()
def run(
    params: Annotated[
        list[str] | None, typer.Option("--params", help="Parameter set YAML file(s); default: every file in params/.")
    ] = None,
    p: Annotated[list[str] | None, typer.Option("-p", help="Override a parameter: key=value (repeatable).")] = None,
    notebooks: Annotated[
        list[str] | None, typer.Option("--notebooks", "-n", help="Notebook name or stem (repeatable); default: all.")
    ] = None,
    out: Annotated[str, typer.Option("--out", help="Output folder (only a folder the runner wrote is replaced).")] = "reports",
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Notebooks run at once: local Dask workers (0: one per core).")] = 0,
    timeout: Annotated[int, typer.Option("--timeout", help="Seconds a notebook cell may take.")] = 600,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    force: Annotated[bool, typer.Option("--force", help="Rerun every notebook, even those the cache holds.")] = False,
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
    """Run every notebook x parameter set with papermill on Dask; write HTML, notebooks, summaries and an index.

    Unchanged runs are reused from the cache (shown as cached). Exit status: 0 when every run succeeded, 1 when any
    failed, 2 when the parameters, a case or --out are wrong (nothing runs), 130 when interrupted.
    """
    from . import runner

    try:
        root = _project(project)
        assert root is not None
        store = runner.Cache(Path(cache) if cache else runner.default_root(root))
        files = [Path(f) for f in params] if params else runner.default_param_sets(root)
        if not files:
            raise runner.RunError(f"no parameter sets: add YAML files to {root / 'params'} or pass --params")
        sets = [runner.load_param_set(f) for f in files]
        overrides = dict(runner.parse_override(x) for x in (p or []))
        nbs = runner.find_notebooks(root, notebooks)
        planned = runner.plan(nbs, sets, overrides, project=root, cache=store)

        def started(n_run: int, n_cached: int) -> None:
            typer.echo(
                f"running {n_run} notebook(s), {n_cached} cached: {len(nbs)} notebook(s) x {len(sets)} parameter set(s) -> {out}/",
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
            on_start=started,
        )
    except runner.RunError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    except (runner.Interrupted, KeyboardInterrupt) as exc:
        typer.echo("interrupted", err=True)
        raise typer.Exit(130) from exc
    _report(results, out)


def _report(results: list, out: str) -> None:
    failed = [r for r in results if not r.ok]
    for r in results:
        mark = {"ok": "ok    ", "cached": "cached", "failed": "FAILED"}[r.status]
        took = "     -  " if r.status == "cached" else f"{r.seconds:6.1f} s"
        typer.echo(f"{mark} {r.job.name:45s} {took}" + (f"  {r.error}" if r.error else ""))
    n_cached = sum(r.status == "cached" for r in results)
    typer.echo(f"{len(results) - len(failed)} of {len(results)} succeeded ({n_cached} cached); index: {Path(out) / 'index.html'}")
    if failed:
        raise typer.Exit(1)


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


@app.command("cases")
def list_cases(project: ProjectOption = None) -> None:
    """List the cases under data/."""
    _project(project)
    from .cases import available_cases

    for c in available_cases():
        typer.echo(c)


@app.command("export")
def export(
    case: Annotated[str, typer.Argument(help="Case id under data/ or a path to a case folder.")] = "eastern-qalamoun-2018",
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
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
