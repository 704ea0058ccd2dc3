"""Defer third-party imports that cost seconds and that nothing here uses.

``jsonschema`` (imported by Altair, frictionless and pandera) registers its
``iri`` format check at import time by importing ``rfc3987_syntax``, which
compiles 38 Lark grammars as it loads: 0.6-0.8 s on a quiet 2-core machine, in
every kernel and command, more than starting the kernel itself.  Nothing in
this package checks IRIs.

:func:`defer_iri_grammar` puts a stand-in module under that name.  The
stand-in's ``is_valid_syntax`` (the one name jsonschema takes) and any other
attribute import the real module on first use, so an IRI check gives the same
answer as before, only its cost moves to the first check.  It does nothing if
the module is absent, already imported, or if jsonschema has already run its
import.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from typing import Any

IRI_GRAMMAR = "rfc3987_syntax"


class _StandIn(types.ModuleType):
    """A module that imports the real one, under the same name, on first attribute use."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system probing (``__path__``, ...): not a use
            raise AttributeError(name)
        return getattr(_real(), name)


def _real() -> types.ModuleType:
    if isinstance(sys.modules.get(IRI_GRAMMAR), _StandIn):
        del sys.modules[IRI_GRAMMAR]
    return importlib.import_module(IRI_GRAMMAR)


def _is_valid_syntax(*args: Any, **kwargs: Any) -> Any:
    return _real().is_valid_syntax(*args, **kwargs)


def defer_iri_grammar() -> bool:
    """Put the stand-in in place when it can take effect; True if it did."""
    if IRI_GRAMMAR in sys.modules or "jsonschema._format" in sys.modules:
        return False
    if importlib.util.find_spec(IRI_GRAMMAR) is None:
        return False
    stand_in = _StandIn(IRI_GRAMMAR, "stand-in: the real module is imported on first use (analysis.deferred)")
    stand_in.is_valid_syntax = _is_valid_syntax  # type: ignore[attr-defined]
    sys.modules[IRI_GRAMMAR] = stand_in
    return True
