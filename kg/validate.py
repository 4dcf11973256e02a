"""Check a store against the SHACL shapes of ``kg/ontology/shapes.ttl``.

pyshacl runs with the shapes and the OWL ontology (``kg/ontology/kg.ttl``, mixed into the
data so that subclasses count). No shape needs a node from another graph, so the store is
checked a batch of named graphs at a time, in bounded memory.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import rdflib

from kg.store import Store

__all__ = ["ONTOLOGY", "SHAPES", "Violation", "validate_store"]

logger = logging.getLogger(__name__)

ONTOLOGY = Path(__file__).parent / "ontology" / "kg.ttl"
SHAPES = Path(__file__).parent / "ontology" / "shapes.ttl"

_SEVERITIES = {"http://www.w3.org/ns/shacl#Violation": "violation",
               "http://www.w3.org/ns/shacl#Warning": "warning",
               "http://www.w3.org/ns/shacl#Info": "info"}

_RESULTS = """
    PREFIX sh: <http://www.w3.org/ns/shacl#>
    SELECT ?focus ?message ?severity ?path WHERE {
        ?result a sh:ValidationResult ; sh:focusNode ?focus ; sh:resultSeverity ?severity .
        OPTIONAL { ?result sh:resultMessage ?message }
        OPTIONAL { ?result sh:resultPath ?path }
    }"""


@dataclass(frozen=True, slots=True, kw_only=True)
class Violation:
    """One SHACL result: the node that fails, why, and how bad it is."""

    focus_node: str
    message: str
    severity: str  # "violation", "warning" or "info"
    path: str | None = None  # the property the constraint is about
    graph: str | None = None  # the named graph the focus node is described in

    def __str__(self) -> str:
        where = f" (in {self.graph})" if self.graph else ""
        return f"{self.severity}: {self.focus_node}{where}: {self.message}"


@functools.cache
def _graph(path: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(path, format="turtle")


def _graph_names(store: Store) -> list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph]:
    return [*store.oxigraph.named_graphs(), ox.DefaultGraph()]


def _batch_graph(store: Store, graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph]
                 ) -> rdflib.Graph:
    triples = store.oxigraph.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                                   default_graph=graphs)
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    # rdflib's own parser: oxrdflib's gives plain literals an explicit xsd:string datatype,
    # which rdflib then tells apart from the plain literals of sh:in lists
    return rdflib.Graph().parse(data=data, format="nt")


def _graph_of(store: Store, focus: str) -> str | None:
    if focus.startswith("_:"):
        return None
    for quad in store.oxigraph.quads_for_pattern(ox.NamedNode(focus), None, None, None):
        graph = quad.graph_name
        return graph.value if isinstance(graph, ox.NamedNode) else None
    return None


def validate_store(store: Store, *, batch_size: int = 500) -> list[Violation]:
    """Validate every graph of the store against the kg shapes.

    Args:
        store: an open store.
        batch_size: how many named graphs to check in one pyshacl run.

    Returns:
        The SHACL results, empty when the store conforms; sorted by graph and focus node.

    Example:
        >>> for violation in validate_store(store):
        ...     print(violation)
    """
    shapes, ontology = _graph(SHAPES), _graph(ONTOLOGY)
    names = _graph_names(store)
    violations: set[Violation] = set()
    for first in range(0, len(names), batch_size):
        data = _batch_graph(store, names[first:first + batch_size])
        if not len(data):
            continue
        conforms, results, _text = pyshacl.validate(
            data, shacl_graph=shapes, ont_graph=ontology, inference="none")
        if conforms:
            continue
        for row in results.query(_RESULTS):
            focus = str(row.focus)
            violations.add(Violation(
                focus_node=focus,
                message=str(row.message) if row.message is not None else "fails a shape",
                severity=_SEVERITIES.get(str(row.severity), str(row.severity)),
                path=str(row.path) if row.path is not None else None,
                graph=_graph_of(store, focus)))
    logger.debug("validated %d graphs: %d results", len(names), len(violations))
    return sorted(violations, key=lambda v: (v.graph or "", v.focus_node, v.path or "",
                                             v.message))
