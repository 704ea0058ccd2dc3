"""Measure what a report costs, against the floor, and how the analysis scales. Prints tables; asserts nothing.

    python benchmarks/run_all.py            # the scale table (what `make bench` prints), also written as Markdown
                                            # to benchmarks/out/bench.md (about 15 minutes on 2 cores)
    python benchmarks/run_all.py --quick    # the scale table at N = 1,000 only, 1 run each
    python benchmarks/run_all.py --all      # every section below (about 30 minutes)
    python benchmarks/run_all.py --only scale --sizes 1000 10000 --repeat 3
    python benchmarks/run_all.py --only runner --quick   # the runner on 4 notebooks x 3 sets (about 2 minutes)

Sections:
  scale    synthetic cases (N actors, 10N relations, N movements, 5N claims): load + validate, the network step
           (build, metrics, balance, summary) and reconcile, each in a fresh process, with its peak memory;
           the floor (an empty notebook that imports analysis, run by papermill) in the same run; every figure
           measured --repeat times in turns (floor, then each size's steps, then again), medians reported, with
           the CPU seconds beside the wall seconds (the machine is shared: CPU time moves less with the load).
           The network step is skipped above --network-max actors; a step that passes --timeout is stopped
           and reported as such.  Then notebooks 01-03 run through `qalamoun run` on each size up to
           --network-max: its wall time and the sizes of the executed notebook and its HTML.
  suite    wall time of `qalamoun run` (all notebooks x default sets), serial and --jobs 2, against the floor
  runner   `qalamoun run`: the suite cold, with nothing changed, with one CSV of one case changed, one notebook cold,
           and where a run's time goes (per-run breakdown from the cache's records), each against the same floor
  startup  `python -X importtime -c "import analysis"` and the heavy submodules
  tests    the test suite's wall time and its slowest tests
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
QALAMOUN = [PY, "-m", "analysis.cli"]


def sh(cmd: list[str], **kw) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    kw.setdefault("env", {k: v for k, v in os.environ.items() if not k.startswith("QALAMOUN_")})
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, **kw)
    return time.perf_counter() - start, proc


def table(title: str, header: list[str], rows: list[list[object]]) -> None:
    print(f"\n### {title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for r in rows:
        print("| " + " | ".join(str(x) for x in r) + " |")
    sys.stdout.flush()


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, Python {platform.python_version()}, {platform.system()}"


# ---------------------------------------------------------------------------


def _floor_notebook(tmp: Path) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import analysis")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    src = tmp / "floor.ipynb"
    nbformat.write(nb, src)
    return src


def _floor_once(tmp: Path, src: Path, i: int) -> float:
    """One run of the floor: papermill, in a fresh process, on a notebook that only imports analysis."""
    code = (
        "import papermill as pm, sys; pm.execute_notebook(sys.argv[1], sys.argv[2], kernel_name='python3', "
        "progress_bar=False, log_output=False)"
    )
    t, proc = sh([PY, "-c", code, str(src), str(tmp / f"floor-out-{i}.ipynb")])
    if proc.returncode:
        raise SystemExit(proc.stderr)
    return t


def floor_seconds(tmp: Path, repeat: int = 3) -> float:
    src = _floor_notebook(tmp)
    return statistics.median(_floor_once(tmp, src, i) for i in range(repeat))


def suite(tmp: Path) -> None:
    floor = floor_seconds(tmp)
    n_sets = len(list((ROOT / "params").glob("*.yaml")))
    n_nb = len(list((ROOT / "notebooks").glob("[0-9]*.ipynb")))
    runs = n_sets * n_nb
    rows = []
    timings = {}
    for jobs in (1, 2):
        out, cache = str(tmp / f"reports-{jobs}"), str(tmp / f"cache-{jobs}")
        t, proc = sh([*QALAMOUN, "run", "--out", out, "--cache", cache, "--jobs", str(jobs), "--no-progress"])
        if proc.returncode:
            raise SystemExit(proc.stdout + proc.stderr)
        timings[jobs] = t
        per = [float(m) for m in re.findall(r"\s([\d.]+) s$", proc.stdout, re.M)]
        rows.append([f"`qalamoun run --jobs {jobs}`", runs, f"{t:.1f}", f"{statistics.mean(per):.1f}", f"{t / (runs * floor):.2f}"])
    rows.append(["floor: empty notebook + `import analysis` (papermill, fresh kernel)", 1, f"{floor:.1f}", f"{floor:.1f}", "1.00"])
    size = sum(p.stat().st_size for p in (tmp / "reports-2").rglob("*") if p.is_file())
    table("Report suite", ["run", "notebooks", "wall s", "mean s per notebook (inside)", "wall / (notebooks x floor)"], rows)
    print(f"\nparallel speed-up (--jobs 1 / --jobs 2): {timings[1] / timings[2]:.2f}x; report tree {size / 2**20:.1f} MiB")


def _papermill_alone(tmp: Path, notebook: Path) -> float:
    code = (
        "import papermill as pm, sys; pm.execute_notebook(sys.argv[1], sys.argv[2], kernel_name='python3', "
        "parameters={'summary_path': 'summary.json'}, cwd=sys.argv[3], progress_bar=False, log_output=False)"
    )
    t, proc = sh([PY, "-c", code, str(notebook), str(tmp / "alone.ipynb"), str(tmp)])
    if proc.returncode:
        raise SystemExit(proc.stderr)
    return t


def _runner_suite(tmp: Path, quick: bool) -> tuple[list[str], dict[str, str]]:
    """Arguments for the suite (the project's sets, or 2 in quick mode, plus one set on a copy of the case) and its env."""
    import shutil

    data = tmp / "runner-data"
    shutil.copytree(ROOT / "data", data)
    shutil.copytree(data / "eastern-qalamoun-2018", data / "case-copy")
    other = tmp / "other-case.yaml"
    other.write_text("title: The same case, copied\nparameters:\n  case: case-copy\n", encoding="utf-8")
    sets = sorted((ROOT / "params").glob("*.yaml"))
    if quick:
        sets = [s for s in sets if s.stem in ("default", "spanish")]
    args = [x for s in [*sets, other] for x in ("--params", str(s))]
    env = {**os.environ, "QALAMOUN_DATA": str(data), "QALAMOUN_CACHE": str(tmp / "runner-cache")}
    return args, env


def _one_notebook(tmp: Path, env: dict[str, str], repeat: int) -> tuple[float, list[list[object]]]:
    """The floor, papermill alone on ``01_timeline`` and ``qalamoun run -n 01`` cold, measured in turns ``repeat`` times.

    In turns, so that a slow moment of the machine falls on all three alike (one floor alone ranged from 2.8 s to
    4.1 s between two runs of this script); medians, with the range.  Returns the floor and the table's rows.
    """
    src, nb = _floor_notebook(tmp), ROOT / "notebooks" / "01_timeline.ipynb"
    one = ["-n", "01", "--params", str(ROOT / "params" / "default.yaml"), "--jobs", "1", "--no-progress"]
    times: dict[str, list[float]] = {"floor": [], "alone": [], "runner": []}
    for i in range(repeat):
        times["floor"].append(_floor_once(tmp, src, i))
        times["alone"].append(_papermill_alone(tmp, nb))
        t, proc = sh([*QALAMOUN, "run", *one, "--out", str(tmp / f"one-{i}")], env={**env, "QALAMOUN_CACHE": str(tmp / f"one-cache-{i}")})
        if proc.returncode or re.search(r"^cached ", proc.stdout, re.M):
            raise SystemExit(proc.stdout + proc.stderr)
        times["runner"].append(t)
    floor = statistics.median(times["floor"])
    labels = {
        "floor": ("floor: empty notebook + `import analysis` (papermill, fresh process)", ""),
        "alone": ("papermill alone, `01_timeline` (fresh process)", ""),
        "runner": ("`qalamoun run -n 01`, one set, cold", "<= 2 x floor"),
    }
    rows: list[list[object]] = []
    for key, (label, target) in labels.items():
        med = statistics.median(times[key])
        spread = f"{min(times[key]):.1f}-{max(times[key]):.1f}"
        rows.append([label, f"1 (median of {repeat}; {spread})", f"{med:.1f}", f"{med / floor:.2f}", target])
    return floor, rows


def runner(tmp: Path, quick: bool) -> None:
    args, env = _runner_suite(tmp, quick)
    floor, rows = _one_notebook(tmp, env, repeat=3 if quick else 5)
    n_runs = len(args) // 2 * len(list((ROOT / "notebooks").glob("[0-9]*.ipynb")))
    out = ["--out", str(tmp / "runner-reports"), "--jobs", "2", "--no-progress"]

    def timed(label: str, extra: list[str], runs: int, target: str = "", cache: str = "") -> float:
        t, proc = sh([*QALAMOUN, "run", *extra], env={**env, "QALAMOUN_CACHE": cache} if cache else env)
        if proc.returncode:
            raise SystemExit(proc.stdout + proc.stderr)
        n_cached = len(re.findall(r"^cached ", proc.stdout, re.M))
        rows.append([label, f"{runs} ({n_cached} cached)", f"{t:.1f}", f"{t / (runs * floor):.2f}", target])
        return t

    timed("suite cold (`--jobs 2`)", [*args, *out], n_runs)
    warm = timed("suite, nothing changed", [*args, *out], n_runs, "< 2 s")
    _touch_csv(Path(env["QALAMOUN_DATA"]) / "case-copy" / "events.csv")
    timed("suite, one CSV of one case changed", [*args, *out], n_runs)
    fresh = ["--out", str(tmp / "fresh-reports"), "--jobs", "2", "--no-progress", "--fresh-kernels"]
    timed("suite cold, `--fresh-kernels`", [*args, *fresh], n_runs, cache=str(tmp / "fresh-cache"))
    table("Runner (`qalamoun run`)", ["run", "runs", "wall s", "wall / (runs x floor)", "target"], rows)
    print(f"\nnothing changed: {warm:.2f} s for {n_runs} runs")
    _breakdown(Path(env["QALAMOUN_CACHE"]))


def _touch_csv(csv: Path) -> None:
    """Change one cell's text in the case copy (the table stays valid): the runs on that case must rerun."""
    import csv as csvmod

    with csv.open(encoding="utf-8", newline="") as fh:
        rows = list(csvmod.DictReader(fh))
    rows[0]["summary_en"] = rows[0]["summary_en"] + " (edited)"
    with csv.open("w", encoding="utf-8", newline="") as fh:
        w = csvmod.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def _breakdown(cache: Path) -> None:
    """Median seconds of each part of a run, from the records the runner keeps in its cache."""
    records = [json.loads(p.read_text()) for p in cache.glob("runs/*/run.json")]
    parts: dict[str, list[float]] = {}
    for r in records:
        for k, v in r.get("timings", {}).items():
            parts.setdefault(k, []).append(v)
        parts.setdefault("whole run (in the worker)", []).append(r.get("seconds", 0.0))
    order = [
        "workers start (once per run, beside the checks)",
        "kernel preparation",
        "kernel start and papermill",
        "first cell",
        "other cells",
        "html",
        "whole run (in the worker)",
    ]
    label = {
        "kernel preparation": "warm kernel: cleared (a worker's first run: started and loaded)",
        "kernel start and papermill": "papermill's own work (and kernel start, fresh kernels only)",
        "first cell": "first cell: imports, loading and checking the case",
        "other cells": "other cells: compute and SVG charts",
        "html": "HTML export (exporter built once per worker)",
    }
    rows = [[label.get(k, k), len(parts[k]), f"{statistics.median(parts[k]):.2f}", f"{max(parts[k]):.2f}"] for k in order if k in parts]
    table("Where a run's time goes (runs done by the runner above)", ["part", "runs", "median s", "max s"], rows)


def startup() -> None:
    _, proc = sh([PY, "-X", "importtime", "-c", "import analysis"])
    total = 0
    rows = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|\s+(.*)", line)
        if m:
            rows.append((int(m.group(2)), m.group(3).strip()))
            if m.group(3).strip() == "analysis":
                total = int(m.group(2))
    out = [["`import analysis`", f"{total / 1000:.1f}", "-"]]
    for mod in ("analysis.cases", "analysis.flows", "analysis.network", "analysis.charts"):
        times = []
        for _ in range(3):
            t, p = sh([PY, "-c", f"import {mod}"])
            times.append(t)
        _, p = sh([PY, "-X", "importtime", "-c", f"import {mod}"])
        heavy = sorted(
            (
                (int(m.group(2)), m.group(3).strip())
                for m in (re.match(r"import time:\s+(\d+) \|\s+(\d+) \|\s+(.*)", ln) for ln in p.stderr.splitlines())
                if m and not m.group(3).startswith(" ")
            ),
            reverse=True,
        )[:3]
        out.append(
            [
                f"`import {mod}` (fresh process, wall)",
                f"{statistics.median(times) * 1000:.0f}",
                ", ".join(f"{n} {c / 1000:.0f} ms" for c, n in heavy),
            ]
        )
    table("Start-up", ["what", "ms", "largest top-level imports"], out)


SCALE_SCRIPT = r"""
import json, resource, sys, time
from analysis import flows, network
from analysis.cases import load_case
folder, step = sys.argv[1], sys.argv[2]
wall, cpu = time.perf_counter(), time.process_time()
if step == "load":
    case = load_case(folder)
else:
    case = load_case(folder, validate=False)
    wall, cpu = time.perf_counter(), time.process_time()
    if step == "network":
        g = network.build_graph(case)
        m = network.metrics(g)
        b = network.balance(g)
        network.summary(case, g, metrics_table=m, balance_result=b)
    elif step == "reconcile":
        flows.reconcile(case).summary()
out = {"seconds": time.perf_counter() - wall, "cpu": time.process_time() - cpu}
print(json.dumps({**out, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""
STEPS = {"load": "load + validate", "network": "network", "reconcile": "reconcile"}


def _cpu_limit(seconds: float):
    """A pre-exec hook: the child is stopped (SIGXCPU) once it has used ``seconds`` of CPU, however busy the machine."""

    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_CPU, (math.ceil(seconds), math.ceil(seconds) + 5))

    return limit


def _step_once(folder: Path, step: str, timeout: float) -> dict[str, float] | None:
    """One step in a fresh process: wall and CPU seconds and peak MiB; None when it uses more than ``timeout`` CPU
    seconds (or ten times that on the wall clock: on a shared machine the wall clock runs slower than the CPU)."""
    try:
        _, proc = sh([PY, "-c", SCALE_SCRIPT, str(folder), step], timeout=10 * timeout, preexec_fn=_cpu_limit(timeout))
    except subprocess.TimeoutExpired:
        return None
    if proc.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return None
    if proc.returncode:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _floor_timed(tmp: Path, src: Path, i: int) -> dict[str, float]:
    return {"seconds": _floor_once(tmp, src, i), "cpu": math.nan, "peak_mib": math.nan}


def _cell(runs: list[dict[str, float] | None], timeout: float) -> str:
    done = [r for r in runs if r is not None]
    if not done:
        return f"stopped after {timeout:.0f} s of CPU"
    wall, cpu = statistics.median(r["seconds"] for r in done), statistics.median(r["cpu"] for r in done)
    text = f"{wall:.2f}" if math.isnan(cpu) else f"{wall:.2f} ({cpu:.2f})"
    return text + (f", {len(runs) - len(done)} stopped" if len(done) < len(runs) else "")


def scale(tmp: Path, sizes: list[int], repeat: int = 3, timeout: float = 300, network_max: int = 10_000, markdown: Path | None = None):
    from analysis import synth

    started, load_before = time.strftime("%Y-%m-%d"), os.getloadavg()
    folders = {n: synth.write_case(tmp / f"synth-{n}", n) for n in sizes}
    src = _floor_notebook(tmp)
    plan = [("floor", 0)] + [(step, n) for n in sizes for step in STEPS if step != "network" or n <= network_max]
    runs: dict[tuple[str, int], list[dict[str, float] | None]] = {item: [] for item in plan}
    for rep in range(repeat):  # in turns: a slow moment of the shared machine falls on every figure alike
        for step, n in plan:
            if runs[(step, n)] and runs[(step, n)][-1] is None:
                continue  # stopped once: not tried again
            runs[(step, n)].append(_floor_timed(tmp, src, rep) if step == "floor" else _step_once(folders[n], step, timeout))
    load_after = os.getloadavg()
    floor = statistics.median(r["seconds"] for r in runs[("floor", 0)])
    header = ["N actors", *[f"{label} s" for label in STEPS.values()], "together s", "together / floor", "peak MiB: " + " / ".join(STEPS)]
    rows, medians = [], {}
    for n in sizes:
        cells, total, peaks = [], 0.0, []
        for step in STEPS:
            got = runs.get((step, n))
            if got is None:
                cells.append("not run")
                peaks.append("-")
                continue
            cells.append(_cell(got, timeout))
            done = [r for r in got if r is not None]
            medians[(step, n)] = statistics.median(r["seconds"] for r in done) if len(done) == len(got) else math.nan
            total += medians[(step, n)]
            peaks.append(f"{max(r['peak_mib'] for r in done):,.0f}" if done else "-")
        ok = not math.isnan(total)
        rows.append([f"{n:,}", *cells, f"{total:.2f}" if ok else "-", f"{total / floor:.1f}" if ok else "-", " / ".join(peaks)])
    rows.append(["floor: empty notebook + `import analysis` (papermill)", "", "", "", _cell(runs[("floor", 0)], timeout), "1.0", ""])
    notes = [
        f"Measured {started} on {machine()}.",
        f"The machine was shared with other users (load average {load_before[0]:.1f} at the start, {load_after[0]:.1f} at the end):"
        f" each figure is the median of {repeat} runs taken in turns; wall seconds, CPU seconds of the process in brackets.",
        "Each step runs in a fresh process on a synthetic case (N actors, 10N relations, N movements, 5N claims);"
        " network = build_graph + metrics + balance + summary; reconcile = flows.reconcile(case).summary();"
        f" peak MiB = the largest resident size of the step's process. The network step runs up to N = {network_max:,};"
        f" a step is stopped after {timeout:.0f} s of CPU.",
    ]
    growth = []
    for a, b in pairwise(sizes):
        ratios = [
            f"{STEPS[step]} x{medians[(step, b)] / medians[(step, a)]:.1f}"
            for step in STEPS
            if not math.isnan(medians.get((step, a), math.nan)) and not math.isnan(medians.get((step, b), math.nan))
        ]
        if ratios:
            growth.append(f"{a:,} to {b:,} ({b / a:.0f}x N): " + ", ".join(ratios))
    if growth:
        notes.append("Growth (target: at most 12x for 10x N): " + "; ".join(growth) + ".")
    title = "Scale (synthetic cases) against the floor"
    table(title, header, rows)
    for line in notes:
        print(line)
    nb_rows = _notebooks_at_scale(tmp, [n for n in sizes if n <= network_max], folders)
    nb_header = ["N actors", "notebook", "s (in the runner)", "executed notebook", "HTML"]
    if nb_rows:
        table("Notebooks at scale (`qalamoun run -n 01 -n 02 -n 03`, one run each)", nb_header, nb_rows)
    if markdown:
        markdown.parent.mkdir(parents=True, exist_ok=True)
        text = [f"### {title}", "", *_markdown_table(header, rows), "", *notes]
        if nb_rows:
            text += ["", "### Notebooks at scale (one run each)", "", *_markdown_table(nb_header, nb_rows)]
        markdown.write_text("\n".join(text) + "\n", encoding="utf-8")
        print(f"\nwritten: {markdown}")


def _markdown_table(header: list[str], rows: list[list[object]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"] + [
        "| " + " | ".join(str(x) for x in r) + " |" for r in rows
    ]


def _notebooks_at_scale(tmp: Path, sizes: list[int], folders: dict[int, Path]) -> list[list[object]]:
    """Notebooks 01-03 through the runner on each synthetic case (one set, one job): each one's wall seconds inside
    the runner, and the sizes of its executed notebook and HTML."""
    rows = []
    for n in sizes:
        out = tmp / f"nbs-{n}"
        cmd = [*QALAMOUN, "run", "-n", "01", "-n", "02", "-n", "03", "-p", f"case={folders[n]}"]
        cmd += ["--params", str(ROOT / "params" / "default.yaml")]
        _, proc = sh([*cmd, "--out", str(out), "--cache", str(tmp / f"nbs-cache-{n}"), "--jobs", "1", "--no-progress"])
        seconds = {m.group(2): m.group(3) for m in re.finditer(r"^(ok|FAILED)\s+\S+/(\S+)\s+([\d.]+) s", proc.stdout, re.M)}
        for stem in ("01_timeline", "02_actor_network", "03_evacuation_flows"):
            found = sorted(out.glob(f"*/{stem}.html"))
            if proc.returncode and not found:
                rows.append([f"{n:,}", stem, seconds.get(stem, "-"), "failed", (proc.stdout + proc.stderr).strip().splitlines()[-1][:120]])
                continue
            html = found[0]
            nb = html.with_suffix(".ipynb")
            sizes_mib = [f"{p.stat().st_size / 2**20:.2f} MiB" for p in (nb, html)]
            rows.append([f"{n:,}", stem, seconds.get(stem, "-"), *sizes_mib])
    return rows


def tests() -> None:
    t, proc = sh([PY, "-m", "pytest", "-n", "2", "--dist", "loadfile", "tests", "-q", "--durations=8", "-p", "no:cacheprovider"])
    t2, proc2 = sh(
        [
            PY,
            "-m",
            "pytest",
            "-p",
            "no:xdist",
            "-p",
            "no:cacheprovider",
            "--nbval",
            "notebooks",
            "--nbval-sanitize-with",
            "tests/nbval_sanitize.cfg",
            "-q",
        ]
    )
    slow = re.findall(r"^([\d.]+)s (call|setup)\s+(\S+)", proc.stdout, re.M)
    rows = [
        ["`pytest -n 2 tests`", f"{t:.0f}", proc.stdout.strip().splitlines()[-1]],
        ["`pytest --nbval notebooks`", f"{t2:.0f}", proc2.stdout.strip().splitlines()[-1]],
    ]
    table("Test suite", ["run", "wall s", "result"], rows)
    table("Slowest tests", ["s", "phase", "test"], [[s, ph, f"`{name}`"] for s, ph, name in slow])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="the scale table at N = 1,000, one run each (runner: its short form)")
    ap.add_argument("--all", action="store_true", help="every section")
    ap.add_argument("--only", choices=["suite", "runner", "startup", "scale", "tests"], action="append")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--repeat", type=int, default=3, help="runs of each scale figure, taken in turns (median reported)")
    ap.add_argument("--timeout", type=float, default=300, help="seconds after which a scale step is stopped")
    ap.add_argument("--network-max", type=int, default=10_000, help="largest N whose network step and notebooks 01-03 run")
    ap.add_argument("--markdown", type=Path, default=ROOT / "benchmarks" / "out" / "bench.md", help="where the scale table is written")
    args = ap.parse_args()
    sections = args.only or (["suite", "runner", "startup", "scale", "tests"] if args.all else ["scale"])
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="qalamoun-bench-") as d:
        tmp = Path(d)
        if "suite" in sections:
            suite(tmp)
        if "runner" in sections:
            runner(tmp, args.quick)
        if "startup" in sections:
            startup()
        if "scale" in sections:
            sizes = [s for s in args.sizes if not args.quick or s <= 1000]
            scale(tmp, sizes, 1 if args.quick else args.repeat, args.timeout, args.network_max, args.markdown)
        if "tests" in sections:
            tests()


if __name__ == "__main__":
    main()
