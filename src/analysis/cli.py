"""The ``qalamoun`` command: validate cases, run parameterized reports."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Curated cases of negotiated surrenders and evacuations.",
)


@app.command()
def validate(
    case: Annotated[str, typer.Argument(help="Case id under data/ or a path to a case folder.")] = "eastern-qalamoun-2018",
) -> None:
    """Validate a case and report every problem at once (exit status 1 if any)."""
    from .cases import CaseError, validate_case

    try:
        problems = validate_case(case)
    except CaseError as exc:
        typer.echo(f"error: {exc}", err=True)
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
    out: Annotated[str, typer.Option("--out", help="Output folder.")] = "reports",
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Notebooks run at once (0: one per core).")] = 0,
    timeout: Annotated[int, typer.Option("--timeout", help="Seconds a notebook cell may take.")] = 600,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
) -> None:
    """Run every notebook x parameter set with papermill; write HTML, notebooks, summaries and an index.

    Exit status: 0 when every run succeeded, 1 when any failed, 2 when the parameters are wrong (nothing runs).
    """
    from pathlib import Path

    from . import reports

    try:
        files = [Path(f) for f in params] if params else reports.default_param_sets()
        if not files:
            raise reports.RunError("no parameter sets: add YAML files to params/ or pass --params")
        sets = [reports.load_param_set(f) for f in files]
        overrides = dict(reports.parse_override(x) for x in (p or []))
        nbs = reports.find_notebooks(notebooks)
        planned = reports.plan(nbs, sets, overrides)
    except reports.RunError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"running {len(planned)} notebook(s): {len(nbs)} notebook(s) x {len(sets)} parameter set(s) -> {out}/", err=True)
    results = reports.run(planned, Path(out), n_jobs=jobs, timeout=timeout, progress=progress)
    failed = [r for r in results if not r.ok]
    for r in results:
        mark = "ok    " if r.ok else "FAILED"
        typer.echo(f"{mark} {r.job.name:45s} {r.seconds:6.1f} s" + (f"  {r.error}" if r.error else ""))
    typer.echo(f"{len(results) - len(failed)} of {len(results)} succeeded; index: {Path(out) / 'index.html'}")
    if failed:
        raise typer.Exit(1)


@app.command("execute-notebooks")
def execute_notebooks(
    notebooks: Annotated[list[str] | None, typer.Argument(help="Notebook names or stems; default: all.")] = None,
) -> None:
    """Re-execute the stored notebooks in place from their defaults (outputs committed for reviewers)."""
    from . import reports

    try:
        nbs = reports.find_notebooks(notebooks)
        for nb in nbs:
            typer.echo(f"executing {nb.name}", err=True)
            reports.execute_stored([nb])
    except reports.RunError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc


@app.command("cases")
def list_cases() -> None:
    """List the cases under data/."""
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
