"""The deferred IRI grammar: not loaded by importing the package and Altair, and IRI checks answer as before."""

from __future__ import annotations

import json
import subprocess
import sys

# Hand-picked values and RFC 3987's answers: a non-ASCII letter is allowed in an IRI (not in a URI);
# a space is allowed in neither an IRI nor an IRI reference; a relative path is a reference, not an IRI.
CASES = [
    ("http://example.org/ü", "iri", True),
    ("not an iri", "iri", False),
    ("a b", "iri-reference", False),
    ("../relative/ü", "iri-reference", True),
    ("../relative/ü", "iri", False),
]

SCRIPT = """
import json, sys
{first}
import altair, jsonschema
loaded_before = type(sys.modules.get("rfc3987_syntax")).__name__
checker = jsonschema.FormatChecker()
answers = [checker.conforms(value, fmt) for value, fmt, _ in json.loads(sys.argv[1])]
print(json.dumps({{"before": loaded_before, "answers": answers, "after": type(sys.modules["rfc3987_syntax"]).__name__}}))
"""


def _run(first: str) -> dict:
    out = subprocess.run([sys.executable, "-c", SCRIPT.format(first=first), json.dumps(CASES)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_importing_analysis_then_altair_does_not_load_the_grammar_and_iri_checks_still_answer_right():
    got = _run("import analysis")
    assert got["before"] == "_StandIn"
    assert got["answers"] == [expected for _, _, expected in CASES]
    assert got["after"] == "module"  # the first check loaded the real module


def test_without_analysis_jsonschema_gives_the_same_answers():
    got = _run("")
    assert got["before"] == "module"
    assert got["answers"] == [expected for _, _, expected in CASES]
