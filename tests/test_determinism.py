"""Same inputs, same outputs: chart specs and summaries do not depend on the process (hash seed)."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import case_ids

SCRIPT = """
import hashlib, json, sys
from analysis import load_case, network, flows, charts
out = []
for case in sys.argv[1:]:
    c = load_case(case)
    g = network.build_graph(c)
    pos = network.layout(network.focus(g))
    m = network.metrics(g)
    snap = network.phase_snapshots(g, ['negotiation'])['negotiation']
    rec = flows.reconcile(c)
    mt = rec.movements
    specs = [charts.node_link(g, pos, 'en', m), charts.node_link(snap, pos, 'en'), charts.adjacency(g),
             charts.claims_dotplot(c, rec.figures), charts.route_map(c, mt), charts.timeline(c)]
    out += [s.to_dict() for s in specs] + [network.summary(c, g), rec.summary(), rec.contradictions.to_dict('records'),
            m.to_dict('records'), network.edges_table(network.ego(g, network.most_central(m))).to_dict('records')]
print(hashlib.sha256(json.dumps(out, sort_keys=True, default=str).encode()).hexdigest())
"""


def _digest(seed: str) -> str:
    """The digest of every case's charts and summaries, computed under ``PYTHONHASHSEED=seed``."""
    env = {**os.environ, "PYTHONHASHSEED": seed}
    proc = subprocess.run([sys.executable, "-c", SCRIPT, *case_ids()], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_outputs_do_not_depend_on_the_hash_seed():
    assert _digest("1") == _digest("2") == _digest("12345")


def test_the_summary_names_a_case_the_same_wherever_the_data_folder_is(tmp_path, monkeypatch):
    """A case in the data folder is named by its folder's name (the runner copies the data to a new temporary folder
    for every run: the summary must not change with it); a case elsewhere by its full path."""
    import shutil

    from conftest import CASE_DIR, CASE_ID

    from analysis import flows, load_case

    paths = []
    for where in ("one", "two"):
        data = tmp_path / where / "data"
        shutil.copytree(CASE_DIR, data / CASE_ID)
        monkeypatch.setenv("QALAMOUN_DATA", str(data))
        paths.append(flows.reconcile(load_case(CASE_ID)).summary()["case"]["path"])
    assert paths == [CASE_ID, CASE_ID]
    elsewhere = tmp_path / "elsewhere" / "my-case"
    shutil.copytree(CASE_DIR, elsewhere)
    assert flows.reconcile(load_case(elsewhere)).summary()["case"]["path"] == str(elsewhere)
