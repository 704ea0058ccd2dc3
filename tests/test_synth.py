"""Synthetic cases (for benchmarks) are valid by construction and sized as promised."""

from __future__ import annotations

import pytest

from analysis import synth
from analysis.cases import load_case, validate_case


def test_synthetic_case_is_valid_and_sized(tmp_path):
    folder = synth.write_case(tmp_path / "s", 60, seed=3)
    assert validate_case(folder) == []
    case = load_case(folder)
    assert (len(case.actors), len(case.relations), len(case.movements), len(case.claims)) == (60, 600, 60, 300)
    assert case.title.startswith("Synthetic case")


def test_same_seed_same_files(tmp_path):
    a = synth.write_case(tmp_path / "a", 30, seed=7)
    b = synth.write_case(tmp_path / "b", 30, seed=7)
    for table in ("claims", "relations", "movements"):
        assert (a / f"{table}.csv").read_bytes() == (b / f"{table}.csv").read_bytes()


def test_too_small_is_refused(tmp_path):
    with pytest.raises(ValueError, match="at least 4 actors"):
        synth.write_case(tmp_path / "x", 3)
