"""The exports committed in exports/ are what the example corpus builds to today.

Regenerate them with ``python exports/rebuild.py`` after a change that alters extraction.
The comparison is on parsed graphs, not bytes, so serialiser whitespace does not matter.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import networkx as nx
import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic

ROOT = Path(__file__).resolve().parents[1]
EXPORTS = ROOT / "exports"

pytestmark = pytest.mark.model


def _rebuild_module():
    spec = importlib.util.spec_from_file_location("rebuild", EXPORTS / "rebuild.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("exports")
    _rebuild_module().rebuild(out)
    return out


def _network_signature(graph: nx.Graph) -> tuple:
    nodes = sorted((str(n), tuple(sorted((k, str(v)) for k, v in d.items())))
                   for n, d in graph.nodes(data=True))
    edges = sorted((str(u), str(v), tuple(sorted((k, str(x)) for k, x in d.items()
                                                if k not in ("id",))))
                   for u, v, d in graph.edges(data=True))
    return nodes, edges


def test_exports_turtle_is_fresh(fresh):
    committed = rdflib.Graph().parse(EXPORTS / "examples.ttl", format="turtle")
    rebuilt = rdflib.Graph().parse(fresh / "examples.ttl", format="turtle")
    assert isomorphic(committed, rebuilt), "exports/ is stale: run python exports/rebuild.py"


def test_exports_trig_is_fresh_and_parses_with_oxigraph(fresh):
    committed = rdflib.Dataset().parse(EXPORTS / "examples.trig", format="trig")
    rebuilt = rdflib.Dataset().parse(fresh / "examples.trig", format="trig")
    assert sorted(map(str, committed.graphs())) == sorted(map(str, rebuilt.graphs()))
    quads = len(list(rebuilt.quads()))
    assert len(list(committed.quads())) == quads
    store = pyoxigraph.Store()
    store.load(path=str(EXPORTS / "examples.trig"), format=pyoxigraph.RdfFormat.TRIG)
    assert len(store) == quads


@pytest.mark.parametrize("name,read", [
    ("examples-actors.graphml", nx.read_graphml),
    ("examples-agreement.graphml", nx.read_graphml),
    ("examples-actors.gexf", nx.read_gexf),
    ("examples-positions.gexf", nx.read_gexf),
])
def test_exports_networks_are_fresh(fresh, name, read):
    committed = read(EXPORTS / name)
    rebuilt = read(fresh / name)
    assert committed.number_of_nodes() > 0
    assert _network_signature(committed) == _network_signature(rebuilt), \
        "exports/ is stale: run python exports/rebuild.py"
