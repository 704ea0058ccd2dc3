"""Mutation fuzzer of the case loader: break the cases of data/ in many seeded ways and count what loading them did.

    python benchmarks/fuzz_cases.py                      # 10,000 mutations of every case of data/, in turn
    python benchmarks/fuzz_cases.py --count 500 --jobs 2 --start 20000
    python benchmarks/fuzz_cases.py --case data/eastern-ghouta-2018 --count 1000

Mutation ``seed`` (from ``--start`` on) breaks case number ``seed mod N`` of the N cases given (default: every case
of data/) with :func:`analysis.fuzz.mutate_case` and loads it with :func:`analysis.fuzz.attempt`.  It prints how many
loaded, how many were refused with the package's case error, and how many crashed with any other exception (a bug:
each crash class, the number of crashes, the first seed), then the first crash's changes and traceback.  The same
start, count and cases give the same counts.  Exit status 1 if anything crashed.  Each mutation takes about 0.4 s of
one core (pandera validation); ``--jobs`` spreads them over processes.
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def one(job: tuple[int, str, str]) -> tuple[int, str, str, str]:
    """Break case ``source`` with ``seed`` in a folder under ``scratch``, load it, remove it: (seed, result, changes, traceback)."""
    from analysis import fuzz

    seed, source, scratch = job
    folder = Path(scratch) / str(seed)
    try:
        changes = fuzz.mutate_case(source, folder, seed)
        outcome = fuzz.attempt(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return seed, outcome.result, fuzz.describe(changes), outcome.traceback


def crash_class(traceback: str) -> str:
    """The exception line of a traceback (its last line), cut to 120 characters."""
    lines = [ln for ln in traceback.strip().splitlines() if ln.strip()]
    return lines[-1][:120] if lines else "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10_000, help="mutations to try (default 10,000)")
    parser.add_argument("--start", type=int, default=0, help="first seed (default 0)")
    parser.add_argument("--jobs", type=int, default=1, help="processes (default 1)")
    parser.add_argument("--case", action="append", help="a case folder to break (repeatable; default: every case of data/)")
    args = parser.parse_args(argv)
    cases = [str(Path(c).resolve()) for c in args.case] if args.case else []
    if not cases:
        cases = [str(p) for p in sorted((ROOT / "data").iterdir()) if (p / "datapackage.json").is_file()]
    counts: Counter[str] = Counter()
    classes: dict[str, list] = {}
    first: tuple[int, str, str] | None = None
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fuzz-cases-") as scratch:
        jobs = [(seed, cases[seed % len(cases)], scratch) for seed in range(args.start, args.start + args.count)]
        with multiprocessing.Pool(args.jobs) if args.jobs > 1 else _Serial() as pool:
            for seed, result, changes, tb in pool.imap(one, jobs, chunksize=8):
                counts[result] += 1
                if result == "crashed":
                    classes.setdefault(crash_class(tb), [0, seed])[0] += 1
                    if first is None or seed < first[0]:
                        first = (seed, changes, tb)
    seconds = time.perf_counter() - began
    print(f"{args.count} mutations of {len(cases)} case(s) (seeds {args.start}-{args.start + args.count - 1}), {seconds:.0f} s:")
    for result in ("loaded", "refused", "crashed"):
        print(f"  {result:8} {counts[result]:6}")
    for name, (n, seed) in sorted(classes.items(), key=lambda kv: -kv[1][0]):
        print(f"  crash class ({n}x, first seed {seed}): {name}")
    if first is not None:
        print(f"\nthe first crash, seed {first[0]} ({cases[first[0] % len(cases)]}):\n{first[1]}\n{first[2]}")
    return 1 if counts["crashed"] else 0


class _Serial:
    """A stand-in for a process pool of one: the jobs run in this process."""

    def __enter__(self) -> _Serial:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def imap(self, fn, jobs, chunksize: int = 1):  # type: ignore[no-untyped-def]
        return map(fn, jobs)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
