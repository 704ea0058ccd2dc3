"""The first call of every notebook: check its parameters, load its case, pick how charts are shown.

Kept apart from :mod:`analysis.params`, which only checks values, so that checking a parameter set
(``qalamoun run`` does it before any kernel starts) switches nothing in the process.
"""

from __future__ import annotations

from typing import Any

from .params import Context, load


def start(**values: Any) -> Context:
    """Check the parameters and load the case(s) (:func:`analysis.params.load`), then turn on the chart renderer
    the ``interactive`` parameter asks for (:func:`analysis.charts.use_renderer`)."""
    from .charts import use_renderer

    ctx = load(**values)
    ctx.renderer = use_renderer(bool(ctx.params.get("interactive", False)))
    return ctx
