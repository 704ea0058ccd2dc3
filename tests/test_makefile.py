"""The set-up commands as a container runs them: JupyterLab as root on 127.0.0.1, and an unusable Python named with its cure."""

from __future__ import annotations

import os
import shutil
import subprocess

from reportkit import ROOT


def _make(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(["make", *args], capture_output=True, text=True, cwd=cwd, timeout=60)


def test_make_lab_binds_this_machine_and_allows_root_only_as_root():
    proc = _make("-n", "lab", "-o", ".venv/.installed")  # -n: print the command; -o: without building .venv
    assert proc.returncode == 0, proc.stderr
    [line] = [ln for ln in proc.stdout.splitlines() if "jupyter lab" in ln]
    assert "--ip=127.0.0.1" in line
    assert ("--allow-root" in line) == (os.getuid() == 0)


def test_an_old_python_is_refused_with_the_command_that_installs_a_new_one(tmp_path):
    for name in ("Makefile", "pyproject.toml", "constraints.txt"):
        shutil.copy(ROOT / name, tmp_path / name)
    old = tmp_path / "python-old"
    old.write_text('#!/bin/sh\nif [ "$1" = "--version" ]; then echo "Python 3.8.10"; exit 0; fi\nexit 1\n')
    old.chmod(0o755)
    proc = _make("env", f"PYTHON={old}", cwd=tmp_path)
    assert proc.returncode != 0
    assert "==> Building .venv" in proc.stdout
    assert "is Python 3.8.10; the project needs Python 3.11 or newer" in proc.stderr
    assert "apt-get install -y python3.11 python3.11-venv" in proc.stderr
    assert not (tmp_path / ".venv").exists()
