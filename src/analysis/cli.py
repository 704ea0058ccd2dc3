"""The ``qalamoun`` command: validate cases, run parameterized reports."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Curated cases of negotiated surrenders and evacuations.")


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


@app.command("cases")
def list_cases() -> None:
    """List the cases under data/."""
    from .cases import available_cases

    for c in available_cases():
        typer.echo(c)


def main() -> None:  # pragma: no cover - entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
