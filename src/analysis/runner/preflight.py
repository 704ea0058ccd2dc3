"""Pre-flight, before any kernel: load and validate every case the runs read; check ``prefer:`` sources and relation types in them."""

from __future__ import annotations

from collections import defaultdict

from .plan import Job, RunError


def check_cases(jobs: list[Job]) -> None:
    """Raise :class:`RunError` listing every problem of every case named by ``jobs`` (all at once)."""
    from ..cases import CaseError, CaseValidationError, load_case
    from ..params import check_against_case

    by_case: dict[str, list[Job]] = defaultdict(list)
    for job in jobs:
        for case in job.case_names:
            by_case[case].append(job)
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
        for (rule, relations), group in sorted(_by_rule(case_jobs).items()):
            sets = ", ".join(sorted({j.param_set.path or j.param_set.slug for j in group}))
            errors += [f"{sets}: case {case_name!r}: {p}" for p in check_against_case({"best_rule": rule, "relations": relations}, case)]
    if errors:
        raise RunError("\n".join(errors))


def _by_rule(jobs: list[Job]) -> dict[tuple[str, str], list[Job]]:
    """Jobs grouped by the case-dependent values they carry (best rule, relations)."""
    out: dict[tuple[str, str], list[Job]] = defaultdict(list)
    for j in jobs:
        out[(str(j.values.get("best_rule", "median")), str(j.values.get("relations", "all")))].append(j)
    return out
