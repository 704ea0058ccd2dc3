"""Analytical notebooks for negotiated surrenders and evacuations.

The first case is the April 2018 surrender of the Eastern Qalamoun enclave
(Syria).  Import cost is kept low: submodules load on first use, and a
third-party grammar nothing here uses loads only if something uses it
(:mod:`analysis.deferred`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .deferred import defer_iri_grammar

__version__ = "0.1.0"

defer_iri_grammar()

if TYPE_CHECKING:  # pragma: no cover
    from .cases import (  # noqa: F401
        Case,
        CaseError,
        CaseValidationError,
        Problem,
        available_cases,
        load_case,
        validate_case,
    )

_LAZY = {
    "Case": "cases",
    "CaseError": "cases",
    "CaseValidationError": "cases",
    "Problem": "cases",
    "load_case": "cases",
    "validate_case": "cases",
    "available_cases": "cases",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")
