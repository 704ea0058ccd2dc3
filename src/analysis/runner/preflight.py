"""Pre-flight: load and validate every case the runs read, and check ``prefer:`` sources in them, before any kernel."""

from __future__ import annotations

from collections import defaultdict

from .plan import Job, RunError


def check_cases(jobs: list[Job]) -> None:
    """Raise :class:`RunError` listing every problem of every case named by ``jobs`` (all at once)."""
    from ..cases import CaseError, CaseValidationError, load_case
    from ..flows import check_best_rule

    by_case: dict[str, list[Job]] = defaultdict(list)
    for job in jobs:
        if job.case is not None:
            by_case[job.case].append(job)
    errors: list[str] = []
    for case_name, case_jobs in sorted(by_case.items()):
        try:
            case = load_case(case_name)
        except CaseValidationError as exc:
            errors.append(f"case {case_name!r}: {len(exc.problems)} problem(s):")
            errors += [f"  - {p}" for p in exc.problems]
            continue
        except CaseError as exc:
            errors.append(f"case {case_name!r}: {exc}")
            continue
        for rule in sorted({j.values["best_rule"] for j in case_jobs if "best_rule" in j.values}):
            try:
                check_best_rule(rule, case)
            except ValueError as exc:
                sets = ", ".join(sorted({j.param_set.path or j.param_set.slug for j in case_jobs if j.values.get("best_rule") == rule}))
                errors.append(f"{sets}: case {case_name!r}: {exc}")
    if errors:
        raise RunError("\n".join(errors))
