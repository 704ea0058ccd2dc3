"""How often a kernel dies at start when several processes start kernels at once, over TCP and over Unix sockets.

jupyter_client picks a kernel's TCP ports by binding port 0 and letting go; another process can take such a port
before the kernel binds it, and the kernel dies ("Kernel died before replying to kernel_info";
jupyter/jupyter_client#487).  The runner's kernels use Unix sockets in a folder of their own (runner.kernel).

    python benchmarks/kernel_race.py --processes 6 --starts 60

prints, for each transport, the failed starts out of all of them.  Run it on a quiet machine.  The race is rare
(1 of 360 TCP starts in one run, 0 of 360 on sockets): a rough check, not a measurement that tells the two
apart; the reason for sockets is the race itself, reported in jupyter_client#487 and papermill#511.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def starts(transport: str, n: int) -> int:
    """Start, check and stop ``n`` kernels one after another; return how many failed."""
    from jupyter_client.manager import KernelManager

    failed = 0
    folder = Path(tempfile.mkdtemp(prefix="kernel-race-"))
    for i in range(n):
        kw = {"transport": "ipc", "ip": str(folder / f"k{i}")} if transport == "ipc" else {}
        km = KernelManager(kernel_name="python3", **kw)
        kc = None
        try:
            with open("/dev/null", "w") as devnull:
                km.start_kernel(stderr=devnull)
            kc = km.client()
            kc.start_channels()
            kc.wait_for_ready(timeout=60)
        except Exception:
            failed += 1
        finally:
            if kc is not None:
                kc.stop_channels()
            if km.has_kernel:
                km.shutdown_kernel(now=True)
    shutil.rmtree(folder, ignore_errors=True)
    return failed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--processes", type=int, default=6)
    ap.add_argument("--starts", type=int, default=60, help="kernels each process starts")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(starts(args.worker, args.starts))
        return
    for transport in ("tcp", "ipc"):
        cmd = [sys.executable, __file__, "--worker", transport, "--starts", str(args.starts)]
        procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) for _ in range(args.processes)]
        answers = [p.communicate()[0].strip() for p in procs]
        if any(p.returncode or not a.isdigit() for p, a in zip(procs, answers, strict=True)):
            raise SystemExit(f"a {transport} worker process failed: {answers}")
        failed = sum(int(a) for a in answers)
        print(f"{transport}: {failed} of {args.processes * args.starts} kernel starts failed ({args.processes} processes at once)")


if __name__ == "__main__":
    main()
