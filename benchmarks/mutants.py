"""Mutation check of the reconciliation (flows, figures, movements, checks) and the network: how many small changes do the fast tests catch?

    python benchmarks/mutants.py --module network             # every mutant of network.py, one at a time
    python benchmarks/mutants.py --module network --function metrics --limit 20 --jobs 2
    python benchmarks/mutants.py --list                       # print the mutants without running anything
    python benchmarks/mutants.py --module network --ids 4-6,12  # only these (numbers from --list)

Each function of the module (nested functions and lambdas count with the function that holds
them) is parsed with ``ast`` and mutated in one place at a time:

  compare    ``<`` -> ``<=`` and ``>``, ``<=`` -> ``<`` and ``>=``, ``>`` -> ``>=`` and ``<``,
             ``>=`` -> ``>`` and ``<=``, ``==`` <-> ``!=``
  arith      ``+`` <-> ``-`` (also ``+=`` <-> ``-=``)
  minmax     ``min`` <-> ``max`` (the builtins and ``.min()`` / ``.max()``)
  boolop     ``and`` <-> ``or``
  const      an integer constant n -> n + 1
  not        ``not x`` -> ``x``
  return     ``return <boolean expression>`` -> ``return not (...)``

Annotations are left alone (``from __future__ import annotations`` never evaluates them).  The
mutated expression is spliced into the original text (so line numbers hold) and the result is
checked to parse to exactly the intended tree.  The worktree's ``src/`` is never touched: it is
copied to a temporary folder (one per job), the mutated module is written there, and that folder
goes first on ``PYTHONPATH`` of a pytest subprocess that runs the module's fast tests
(``-x -q -p no:cacheprovider -p no:nbval -m "not slow"``).  A mutant is *killed* when the tests fail (or
cannot import it), *survives* when they pass, and *times out* after ``--timeout`` seconds
(default: five times the unmutated run, at least 60 s).  The same source gives the same mutants
in the same order.  Needs nothing beyond the standard library and the project's test environment.
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# the reconciliation lives in figures, movements and checks (flows.py is its entry point); the property tests are slow
RECONCILE_TESTS = ("tests/test_flows.py", "tests/test_reconcile_rules.py", "tests/test_validation.py")
MODULES: dict[str, tuple[str, tuple[str, ...]]] = {
    "flows": ("src/analysis/flows.py", RECONCILE_TESTS),
    "figures": ("src/analysis/figures.py", RECONCILE_TESTS),
    "movements": ("src/analysis/movements.py", RECONCILE_TESTS),
    "checks": ("src/analysis/checks.py", RECONCILE_TESTS),
    "network": ("src/analysis/network.py", ("tests/test_network.py",)),
}
PYTEST_ARGS = ("-x", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "-p", "no:nbval", "-m", "not slow")
COMPARE_SWAPS: dict[type, tuple[type, ...]] = {
    ast.Lt: (ast.LtE, ast.Gt),
    ast.LtE: (ast.Lt, ast.GtE),
    ast.Gt: (ast.GtE, ast.Lt),
    ast.GtE: (ast.Gt, ast.LtE),
    ast.Eq: (ast.NotEq,),
    ast.NotEq: (ast.Eq,),
}
ARITH_SWAPS: dict[type, type] = {ast.Add: ast.Sub, ast.Sub: ast.Add}
BOOL_CALLS = {"all", "any", "isinstance", "bool", "callable", "hasattr"}
STATUSES = ("killed", "survived", "timed out")


@dataclass(frozen=True)
class Mutant:
    """One change: replace the node at ``index`` (in ``ast.walk`` order of the module) by ``new``."""

    module: str
    path: str
    line: int
    col: int
    function: str
    kind: str
    index: int
    before: str
    after: str
    source: str = field(repr=False, compare=False)
    number: int = 0  # its place in the full list of its run's modules and functions (--list, --ids)

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def change(self) -> str:
        return f"{self.kind}: `{_short(self.before)}` -> `{_short(self.after)}`"


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width // 2 - 2] + " ... " + text[-(width // 2 - 3) :]


# --- generating mutants ------------------------------------------------------


def _functions(tree: ast.Module) -> list[tuple[str, ast.AST]]:
    """Top-level functions and methods of top-level classes, as (qualified name, node)."""
    out: list[tuple[str, ast.AST]] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            out.append((node.name, node))
        elif isinstance(node, ast.ClassDef):
            out += [(f"{node.name}.{f.name}", f) for f in node.body if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)]
    return out


def _annotation_nodes(fn: ast.AST) -> set[int]:
    """ids of every node inside an annotation of ``fn`` (never evaluated here)."""
    roots: list[ast.AST] = []
    for node in ast.walk(fn):
        if isinstance(node, ast.arg) and node.annotation is not None:
            roots.append(node.annotation)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns is not None:
            roots.append(node.returns)
        elif isinstance(node, ast.AnnAssign):
            roots.append(node.annotation)
    return {id(n) for r in roots for n in ast.walk(r)}


def _in_fstring(fn: ast.AST) -> set[int]:
    """ids of nodes inside f-strings, whose positions Python 3.11 does not always report exactly."""
    return {id(n) for j in ast.walk(fn) if isinstance(j, ast.JoinedStr) for n in ast.walk(j)}


def _variants(node: ast.AST) -> list[tuple[str, ast.AST]]:
    """Every (kind, replacement node) for ``node``."""
    out: list[tuple[str, ast.AST]] = []
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            for new_op in COMPARE_SWAPS.get(type(op), ()):
                new = copy.deepcopy(node)
                new.ops[i] = new_op()
                out.append(("compare", new))
    elif isinstance(node, ast.BinOp | ast.AugAssign) and type(node.op) in ARITH_SWAPS:
        new = copy.deepcopy(node)
        new.op = ARITH_SWAPS[type(node.op)]()
        out.append(("arith", new))
    elif isinstance(node, ast.Call):
        f = node.func
        name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
        if name in ("min", "max"):
            new = copy.deepcopy(node)
            setattr(new.func, "id" if isinstance(f, ast.Name) else "attr", "max" if name == "min" else "min")
            out.append(("minmax", new))
    elif isinstance(node, ast.BoolOp):
        new = copy.deepcopy(node)
        new.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        out.append(("boolop", new))
    elif isinstance(node, ast.Constant) and type(node.value) is int:
        out.append(("const", ast.Constant(node.value + 1)))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        out.append(("not", copy.deepcopy(node.operand)))
    return out


def _is_boolean(expr: ast.AST) -> bool:
    if isinstance(expr, ast.Compare | ast.BoolOp) or (isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not)):
        return True
    if isinstance(expr, ast.Constant):
        return isinstance(expr.value, bool)
    return isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id in BOOL_CALLS


def _return_variants(node: ast.AST) -> list[tuple[ast.AST, str, ast.AST]]:
    """(target node, kind, replacement) for a ``return`` of a boolean expression."""
    if isinstance(node, ast.Return) and node.value is not None and _is_boolean(node.value):
        return [(node.value, "return", ast.UnaryOp(ast.Not(), copy.deepcopy(node.value)))]
    return []


def _line_starts(data: bytes) -> list[int]:
    starts = [0]
    for i, b in enumerate(data):
        if b == 0x0A:
            starts.append(i + 1)
    return starts


def _splice(data: bytes, starts: list[int], node: ast.AST, new: ast.AST) -> str:
    """The module's text with ``node`` (by its position; columns are UTF-8 byte offsets) replaced by ``new``."""
    lo = starts[node.lineno - 1] + node.col_offset
    hi = starts[node.end_lineno - 1] + node.end_col_offset
    text = ast.unparse(new)
    if isinstance(new, ast.expr):
        text = f"({text})"
    return (data[:lo] + text.encode() + data[hi:]).decode()


def _expected_dump(text: str, index: int, new: ast.AST) -> str:
    """The dump of the module's tree with the node at ``index`` (ast.walk order) replaced by ``new``."""
    tree = ast.parse(text)
    nodes = list(ast.walk(tree))
    target = nodes[index]
    for parent in nodes:
        for name, value in ast.iter_fields(parent):
            if value is target:
                setattr(parent, name, new)
                return ast.dump(tree)
            if isinstance(value, list) and any(v is target for v in value):
                value[next(i for i, v in enumerate(value) if v is target)] = new
                return ast.dump(tree)
    raise LookupError(index)


def generate(module: str) -> list[Mutant]:
    """Every mutant of ``module`` (a key of :data:`MODULES`), in source order."""
    rel, _ = MODULES[module]
    data = (ROOT / rel).read_bytes()
    text = data.decode()
    tree = ast.parse(text)
    starts = _line_starts(data)
    index = {id(n): i for i, n in enumerate(ast.walk(tree))}
    seen: set[str] = set()
    found: list[tuple[tuple[int, int, int, int], Mutant]] = []
    for qualname, fn in _functions(tree):
        skip = _annotation_nodes(fn) | _in_fstring(fn)
        for node in ast.walk(fn):
            if id(node) in skip:
                continue
            targets = [(node, kind, new) for kind, new in _variants(node)] + _return_variants(node)
            for n, (target, kind, new) in enumerate(targets):
                mutated = _splice(data, starts, target, new)
                if mutated in seen or ast.dump(ast.parse(mutated)) != _expected_dump(text, index[id(target)], new):
                    continue  # a duplicate, or a position Python reported wrongly
                seen.add(mutated)
                m = Mutant(module, rel, target.lineno, target.col_offset, qualname, kind, index[id(target)],
                           ast.unparse(target), ast.unparse(new), mutated)  # fmt: skip
                found.append(((target.lineno, target.col_offset, index[id(target)], n), m))
    return [m for _, m in sorted(found, key=lambda x: x[0])]


# --- running them ------------------------------------------------------------


@dataclass
class Result:
    mutant: Mutant
    status: str
    seconds: float
    detail: str = ""


class Workspace:
    """A private copy of the worktree's src/ in which one mutated module at a time is written."""

    def __init__(self, base: Path, n: int) -> None:
        self.src = base / f"w{n}" / "src"
        shutil.copytree(ROOT / "src", self.src, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        self.env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(self.src), *filter(None, [os.environ.get("PYTHONPATH")])]),
            "PYTHONDONTWRITEBYTECODE": "1",  # a stale .pyc of the same size and second would hide a mutant
            "PYTHONHASHSEED": "0",
            "QALAMOUN_DATA": os.environ.get("QALAMOUN_DATA", str(ROOT / "data")),
        }

    def write(self, rel: str, text: str) -> None:
        (self.src / Path(rel).relative_to("src")).write_text(text, encoding="utf-8")

    def restore(self, rel: str) -> None:
        shutil.copyfile(ROOT / rel, self.src / Path(rel).relative_to("src"))

    def check_import(self, module: str) -> None:
        code = f"import analysis.{module} as m; print(m.__file__)"
        out = subprocess.run([sys.executable, "-c", code], env=self.env, cwd=ROOT, capture_output=True, text=True, check=True)
        if not Path(out.stdout.strip()).resolve().is_relative_to(self.src.resolve()):
            raise SystemExit(f"the tests would import analysis.{module} from {out.stdout.strip()}, not from the copy {self.src}")

    def run_tests(self, tests: tuple[str, ...], timeout: float) -> tuple[int | None, float, str]:
        """pytest's exit status (None on timeout), wall seconds and the last lines of its output."""
        start = time.perf_counter()
        cmd = [sys.executable, "-m", "pytest", *PYTEST_ARGS, *tests]
        proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                start_new_session=True)  # fmt: skip
        try:
            out, _ = proc.communicate(timeout=timeout)
            rc: int | None = proc.returncode
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the session this call started, nothing else
            out, _ = proc.communicate()
            rc = None
        return rc, time.perf_counter() - start, "\n".join(out.strip().splitlines()[-3:])


def _classify(rc: int | None) -> str:
    if rc is None:
        return "timed out"
    return "survived" if rc == 0 else "killed"  # 1: a test failed; 2-4: the mutant broke import or collection


def run_all(mutants: list[Mutant], jobs: int, timeout: float | None, base: Path) -> list[Result]:
    spaces = [Workspace(base, n) for n in range(jobs)]
    modules = sorted({m.module for m in mutants})
    limits: dict[str, float] = {}
    for module in modules:
        rel, tests = MODULES[module]
        spaces[0].check_import(module)
        rc, secs, tail = spaces[0].run_tests(tests, timeout=600)
        if rc != 0:
            raise SystemExit(f"the unmutated {rel} fails its tests (exit {rc}); fix that first:\n{tail}")
        limits[module] = timeout or max(60.0, 5 * secs)
        print(f"{module}: {' '.join(tests)} pass unmutated in {secs:.1f} s; timeout {limits[module]:.0f} s a mutant", flush=True)
    free: queue.Queue[Workspace] = queue.Queue()
    for s in spaces:
        free.put(s)
    results: list[Result | None] = [None] * len(mutants)
    lock = threading.Lock()
    done = [0]

    def one(i: int) -> None:
        m = mutants[i]
        space = free.get()
        try:
            space.write(m.path, m.source)
            rc, secs, tail = space.run_tests(MODULES[m.module][1], limits[m.module])
            space.restore(m.path)
        finally:
            free.put(space)
        results[i] = Result(m, _classify(rc), secs, tail)
        with lock:
            done[0] += 1
            head = f"[{done[0]:>4}/{len(mutants)}] #{m.number:<4} {m.where:<34} {m.function:<20}"
            print(f"{head} {m.change:<80} {results[i].status} ({secs:.1f} s)", flush=True)

    threads: list[threading.Thread] = []
    pending = list(range(len(mutants)))
    while pending or threads:
        while pending and len(threads) < jobs:
            t = threading.Thread(target=one, args=(pending.pop(0),))
            t.start()
            threads.append(t)
        threads[0].join()
        threads = [t for t in threads if t.is_alive()]
    return [r for r in results if r is not None]


# --- reporting ---------------------------------------------------------------


def _row(label: str, rs: list[Result]) -> str:
    c = Counter(r.status for r in rs)
    caught = c["killed"] + c["timed out"]
    share = f"{100 * caught / len(rs):.0f}%" if rs else "-"
    return f"{label:<32} {len(rs):>9} {c['killed']:>7} {c['survived']:>9} {c['timed out']:>10} {share:>8}"


def report(results: list[Result]) -> str:
    head = f"{'module / function':<32} {'generated':>9} {'killed':>7} {'survived':>9} {'timed out':>10} {'caught':>8}"
    lines = ["", head, "-" * len(head)]
    for module in dict.fromkeys(r.mutant.module for r in results):
        mine = [r for r in results if r.mutant.module == module]
        lines.append(_row(MODULES[module][0], mine))
        for fn in dict.fromkeys(r.mutant.function for r in mine):
            lines.append(_row(f"  {fn}", [r for r in mine if r.mutant.function == fn]))
    survivors = [r.mutant for r in results if r.status == "survived"]
    lines += ["", f"survivors ({len(survivors)}):"]
    lines += [f"  #{m.number:<4} {m.where:<34} {m.function:<20} {m.change}" for m in survivors] or ["  none"]
    timed = [r.mutant for r in results if r.status == "timed out"]
    if timed:
        lines += ["", f"timed out ({len(timed)}):"] + [f"  #{m.number:<4} {m.where:<34} {m.function:<20} {m.change}" for m in timed]
    return "\n".join(lines)


def _numbers(spec: str) -> set[int]:
    """'4,5,12-16' -> {4, 5, 12, 13, 14, 15, 16}."""
    out: set[int] = set()
    for part in filter(None, (p.strip() for p in spec.split(","))):
        lo, _, hi = part.partition("-")
        out.update(range(int(lo), int(hi or lo) + 1))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--module", choices=sorted(MODULES), action="append", help="module to mutate (repeatable; default: all)")
    ap.add_argument("--function", action="append", help="only mutants in this function (repeatable)")
    ap.add_argument("--limit", type=int, help="run only the first N mutants (after the filters)")
    ap.add_argument("--ids", help="run only these mutants, by their --list numbers (e.g. 4,5,12-16), after the filters")
    ap.add_argument("--jobs", type=int, default=1, help="mutants run at once, each in its own copy of src/ (default 1)")
    ap.add_argument("--timeout", type=float, help="seconds a mutant's tests may take (default: 5 x the unmutated run, >= 60)")
    ap.add_argument("--list", action="store_true", help="print the mutants and stop")
    args = ap.parse_args(argv)
    mutants = [m for module in (args.module or sorted(MODULES)) for m in generate(module)]
    if args.function:
        unknown = sorted(set(args.function) - {m.function for m in mutants})
        if unknown:
            ap.error(f"no mutants in function(s) {', '.join(unknown)}")
        mutants = [m for m in mutants if m.function in args.function]
    mutants = [replace(m, number=i) for i, m in enumerate(mutants, 1)]
    if args.ids:
        wanted = _numbers(args.ids)
        mutants = [m for m in mutants if m.number in wanted]
    if args.limit is not None:
        mutants = mutants[: args.limit]
    if args.list:
        for m in mutants:
            print(f"{m.number:>4} {m.where:<34} {m.function:<20} {m.change}")
        print(f"{len(mutants)} mutant(s)")
        return 0
    with tempfile.TemporaryDirectory(prefix="mutants-") as tmp:
        start = time.perf_counter()
        results = run_all(mutants, max(1, args.jobs), args.timeout, Path(tmp))
        print(report(results))
        print(f"\n{len(results)} mutant(s) in {time.perf_counter() - start:.0f} s with --jobs {max(1, args.jobs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
