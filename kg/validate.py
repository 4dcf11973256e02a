"""Check a store against the SHACL shapes of ``kg/ontology/shapes.ttl``.

The shapes are compiled into SPARQL queries that Oxigraph runs natively, one query per
constraint, each over every named graph at once (``GRAPH ?graph { ... }``): a store of
10,000 articles validates in seconds, where reading it into rdflib for pyshacl took well
over a minute (issue #13). No shape needs a node from another graph, so a constraint is
checked within the graph its focus node is described in. ``documents=`` checks only the
graphs of those documents (and, with ``entities=True``, the entities graph): what a build
has just written.

The compiler knows the SHACL Core components the shapes use (``sh:minCount``,
``sh:maxCount``, ``sh:class``, ``sh:nodeKind``, ``sh:datatype``, ``sh:in``, ``sh:or`` of
datatypes, ``sh:pattern``, ``sh:minInclusive``, ``sh:maxInclusive``, ``sh:minLength``,
``sh:lessThan``) and SPARQL-based constraints (``sh:sparql``); a shape using another one
is refused with ``ConfigError`` rather than silently not checked. ``engine="pyshacl"``
runs pyshacl instead, a batch of graphs at a time; the tests hold both to the same
answers.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from kg import rdf
from kg.errors import ConfigError
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


# -- the shapes as SPARQL ----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Check:
    """One compiled constraint: a SELECT of ``?graph ?this`` (and ``?message``) that fail."""

    sparql: str
    message: str
    severity: str
    path: str | None
    # for a check of several property shapes: their path -> what a failure says
    properties: dict[str, _Property] | None = None


# the components the compiler turns into SPARQL; any other sh: predicate on a property
# shape (other than these descriptions) is refused
_DESCRIPTIVE = {SH.path, SH.message, SH.name, SH.description, SH.severity, SH.order, SH.group}
_KNOWN = {SH.minCount, SH.maxCount, SH["class"], SH.nodeKind, SH.datatype, SH["in"], SH["or"],
          SH.pattern, SH.flags, SH.minInclusive, SH.maxInclusive, SH.minLength, SH.lessThan}


def _term(node: Node) -> str:
    if isinstance(node, rdflib.URIRef):
        return f"<{node}>"
    if isinstance(node, rdflib.Literal):
        return node.n3()
    raise ConfigError(f"{SHAPES}: cannot use {node!r} in a compiled constraint")


def _subclasses(ontology: rdflib.Graph, shapes: rdflib.Graph, cls: Node) -> list[str]:
    """A class and its subclasses (rdfs:subClassOf*), as SHACL's class tests see them."""
    found, todo = {cls}, [cls]
    while todo:
        current = todo.pop()
        for graph in (ontology, shapes):
            for sub in graph.subjects(RDFS.subClassOf, current):
                if sub not in found:
                    found.add(sub)
                    todo.append(sub)
    return sorted(_term(node) for node in found)


def _value_test(shapes: rdflib.Graph, shape: Node, ontology: rdflib.Graph) -> Iterator[str]:
    """SPARQL expressions that are true when ``?value`` meets a constraint of ``shape``."""
    for datatype in shapes.objects(shape, SH.datatype):
        yield f"(isLITERAL(?value) && DATATYPE(?value) = {_term(datatype)})"
    for kind in shapes.objects(shape, SH.nodeKind):
        tests = {SH.IRI: "isIRI(?value)", SH.Literal: "isLITERAL(?value)",
                 SH.BlankNode: "isBLANK(?value)",
                 SH.BlankNodeOrIRI: "(isBLANK(?value) || isIRI(?value))",
                 SH.IRIOrLiteral: "(isIRI(?value) || isLITERAL(?value))",
                 SH.BlankNodeOrLiteral: "(isBLANK(?value) || isLITERAL(?value))"}
        yield tests[kind]
    for members in shapes.objects(shape, SH["in"]):
        terms = list(Collection(shapes, members))
        yield "(" + " || ".join(f"sameTerm(?value, {_term(t)})" for t in terms) + ")"
    for alternatives in shapes.objects(shape, SH["or"]):
        tests = []
        for alternative in Collection(shapes, alternatives):
            extra = set(shapes.predicates(alternative)) - {SH.datatype, SH.nodeKind, RDF.type}
            if extra:
                raise ConfigError(f"{SHAPES}: sh:or alternatives may only test datatypes and "
                                  f"node kinds, not {sorted(map(str, extra))}")
            tests.append("(" + " && ".join(_value_test(shapes, alternative, ontology)) + ")")
        yield "(" + " || ".join(tests) + ")"
    for pattern in shapes.objects(shape, SH.pattern):
        flags = shapes.value(shape, SH.flags)
        flag_text = f", {_term(rdflib.Literal(str(flags)))}" if flags is not None else ""
        yield (f"(!isBLANK(?value) && REGEX(STR(?value), "
               f"{_term(rdflib.Literal(str(pattern)))}{flag_text}))")
    for bound in shapes.objects(shape, SH.minInclusive):
        yield f"COALESCE(?value >= {_term(bound)}, false)"
    for bound in shapes.objects(shape, SH.maxInclusive):
        yield f"COALESCE(?value <= {_term(bound)}, false)"
    for length in shapes.objects(shape, SH.minLength):
        yield f"(!isBLANK(?value) && STRLEN(STR(?value)) >= {int(length)})"


@dataclass
class _Property:
    path: rdflib.URIRef
    message: str
    minimum: int = 0
    maximum: int | None = None
    tests: list[str] | None = None  # expressions true when ?value is fine
    classes: list[str] | None = None  # sh:class: each a class and its subclasses
    less_than: list[str] | None = None  # sh:lessThan: the other properties


def _property(shapes: rdflib.Graph, ontology: rdflib.Graph, prop: Node) -> _Property:
    path = shapes.value(prop, SH.path)
    if not isinstance(path, rdflib.URIRef):
        raise ConfigError(f"{SHAPES}: only property shapes with an IRI sh:path are compiled")
    unknown = {p for p in shapes.predicates(prop) if str(p).startswith(str(SH))} \
        - _DESCRIPTIVE - _KNOWN
    if unknown:
        raise ConfigError(f"{SHAPES}: cannot compile {', '.join(sorted(map(str, unknown)))}")
    minimum = int(shapes.value(prop, SH.minCount) or 0)
    if minimum > 1:
        raise ConfigError(f"{SHAPES}: sh:minCount above 1 is not compiled (on <{path}>)")
    maximum = shapes.value(prop, SH.maxCount)
    tests = list(_value_test(shapes, prop, ontology))
    classes = [" ".join(_subclasses(ontology, shapes, cls))
               for cls in shapes.objects(prop, SH["class"])]
    message = str(shapes.value(prop, SH.message) or f"fails a constraint on <{path}>")
    return _Property(path, message, minimum, int(maximum) if maximum is not None else None,
                     tests, classes, [str(other) for other in shapes.objects(prop, SH.lessThan)])


def _shape_checks(targets: str, properties: list[_Property], severity: str
                  ) -> Iterator[_Check]:
    """The queries for the property shapes of one node shape whose targets are the
    instances of ``targets`` (a class and its subclasses).

    Each query scans one property's triples and asks a candidate's class only when its
    value fails: joining every focus node first made Oxigraph read every node's type.
    """
    by_path = {str(p.path): p for p in properties}
    is_focus = (f"EXISTS {{ VALUES ?target {{ {targets} }} "
                f"GRAPH ?graph {{ ?this a ?target }} }}")

    def check(sparql: str) -> _Check:
        return _Check(sparql, "", severity, None, by_path)

    for prop in properties:
        step = f"<{prop.path}>"
        if prop.minimum:
            yield check(f"""SELECT ?graph ?this ?path WHERE {{
                VALUES ?target {{ {targets} }}
                GRAPH ?graph {{ ?this a ?target }}
                MINUS {{ GRAPH ?graph {{ ?this {step} ?value }} }}
                BIND ({step} AS ?path)
            }}""")
        if prop.maximum is not None:
            yield check(f"""SELECT ?graph ?this ?path WHERE {{
                {{ SELECT ?graph ?this WHERE {{ GRAPH ?graph {{ ?this {step} ?value }} }}
                  GROUP BY ?graph ?this HAVING (COUNT(DISTINCT ?value) > {prop.maximum}) }}
                FILTER ({is_focus})
                BIND ({step} AS ?path)
            }}""")
        if prop.tests:
            # an error inside a test counts as failing it, as in SHACL
            good = " && ".join(f"COALESCE({test}, false)" for test in prop.tests)
            yield check(f"""SELECT DISTINCT ?graph ?this ?path WHERE {{
                GRAPH ?graph {{ ?this {step} ?value }}
                FILTER (!({good}) && {is_focus})
                BIND ({step} AS ?path)
            }}""")
        for classes in prop.classes or ():
            yield check(f"""SELECT DISTINCT ?graph ?this ?path WHERE {{
                GRAPH ?graph {{ ?this {step} ?value }}
                MINUS {{ VALUES ?class {{ {classes} }} GRAPH ?graph {{ ?value a ?class }} }}
                FILTER ({is_focus})
                BIND ({step} AS ?path)
            }}""")
        for other in prop.less_than or ():
            yield check(f"""SELECT DISTINCT ?graph ?this ?path WHERE {{
                GRAPH ?graph {{ ?this {step} ?value ; <{other}> ?other }}
                FILTER (!COALESCE(?value < ?other, false) && {is_focus})
                BIND ({step} AS ?path)
            }}""")


def _sparql_checks(shapes: rdflib.Graph, focus: str, node: Node, severity: str
                   ) -> Iterator[_Check]:
    for constraint in shapes.objects(node, SH.sparql):
        select = str(shapes.value(constraint, SH.select))
        message = str(shapes.value(constraint, SH.message) or "fails a SPARQL constraint")
        inner = select.replace("$this", "?this")
        # the constraint's own variables come back for its message ("{?sign}")
        yield _Check(f"""SELECT * WHERE {{
            {focus}
            GRAPH ?graph {{ {{ {inner} }} }}
        }}""", message, severity, None)


@functools.cache
def _checks() -> tuple[_Check, ...]:
    shapes, ontology = _graph(SHAPES), _graph(ONTOLOGY)
    checks: list[_Check] = []
    # a property shape shared by several node shapes (kgs:derivedFromSentence) is checked
    # once, for the targets of all of them: one scan of its property instead of one each
    targets_of: dict[tuple[Node, str], set[str]] = {}
    for node in sorted(shapes.subjects(RDF.type, SH.NodeShape)):
        other = {p for p in shapes.predicates(node) if str(p).startswith(str(SH))} - {
            SH.targetClass, SH.property, SH.sparql, SH.message, SH.severity, SH.name,
            SH.description}
        if other:
            raise ConfigError(f"{SHAPES}: cannot compile {', '.join(sorted(map(str, other)))} "
                              f"on {node}")
        severity = _SEVERITIES.get(str(shapes.value(node, SH.severity) or SH.Violation),
                                   "violation")
        classes = {cls for target in shapes.objects(node, SH.targetClass)
                   for cls in _subclasses(ontology, shapes, target)}
        for prop in shapes.objects(node, SH.property):
            targets_of.setdefault((prop, severity), set()).update(classes)
        if classes:
            focus = (f"VALUES ?target {{ {' '.join(sorted(classes))} }} "
                     f"GRAPH ?graph {{ ?this a ?target }}")
            checks += _sparql_checks(shapes, focus, node, severity)
    for (prop, severity), classes in sorted(targets_of.items(), key=lambda item: str(item[0])):
        if classes:
            checks += _shape_checks(" ".join(sorted(classes)),
                                    [_property(shapes, ontology, prop)], severity)
    return tuple(checks)


_MESSAGE_VARIABLE = re.compile(r"\{[?$](\w+)\}")


def _native(store: Store, graphs: list[str] | None) -> set[Violation]:
    found: set[Violation] = set()
    # GRAPH ?graph ranges over the graphs asked for alone
    named = [ox.NamedNode(graph) for graph in graphs] if graphs is not None else None
    for check in _checks():
        for solution in store.oxigraph.query(check.sparql, prefixes=rdf.PREFIXES,
                                             named_graphs=named):
            this, graph = solution["this"], solution["graph"]

            def value(match: re.Match[str], solution: ox.QuerySolution = solution) -> str:
                term = solution[match.group(1)]
                return term.value if term is not None else ""

            message, path = check.message, check.path
            if check.properties is not None:
                path = solution["path"].value
                message = check.properties[path].message
            found.add(Violation(
                focus_node=this.value if not isinstance(this, ox.BlankNode)
                else f"_:{this.value}",
                message=_MESSAGE_VARIABLE.sub(value, message),
                severity=check.severity, path=path,
                graph=graph.value if isinstance(graph, ox.NamedNode) else None))
    return found


# -- pyshacl, for reference ---------------------------------------------------------------------

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


def _pyshacl(store: Store, graphs: list[str] | None, batch_size: int) -> set[Violation]:
    import pyshacl

    shapes, ontology = _graph(SHAPES), _graph(ONTOLOGY)
    names: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = (
        [ox.NamedNode(g) for g in graphs] if graphs is not None
        else [*store.oxigraph.named_graphs(), ox.DefaultGraph()])
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
    return violations


def validate_store(store: Store, *, documents: Iterable[str] | None = None,
                   entities: bool = True, engine: str = "sparql",
                   batch_size: int = 500) -> list[Violation]:
    """Validate the graphs of the store against the kg shapes.

    Args:
        store: an open store.
        documents: check only the graphs of these document ids; all graphs when None.
        entities: with ``documents``, check the entities graph too.
        engine: ``sparql`` (the shapes compiled to SPARQL, run by Oxigraph) or
            ``pyshacl`` (the reference implementation; slow on large stores).
        batch_size: for pyshacl, how many named graphs to check in one run.

    Returns:
        The SHACL results, empty when the store conforms; sorted by graph and focus node.

    Raises:
        ConfigError: an unknown engine, or a shape the SPARQL compiler cannot handle.

    Example:
        >>> for violation in validate_store(store):
        ...     print(violation)
    """
    graphs = None
    if documents is not None:
        graphs = [rdf.graph_iri(doc_id) for doc_id in documents]
        if entities:
            graphs.append(rdf.ENTITIES_GRAPH)
        if not graphs:
            return []
    if engine == "sparql":
        violations = _native(store, graphs)
    elif engine == "pyshacl":
        violations = _pyshacl(store, graphs, batch_size)
    else:
        raise ConfigError(f"unknown validation engine {engine!r} (use sparql or pyshacl)")
    logger.debug("validated %s graphs: %d results",
                 "all" if graphs is None else len(graphs), len(violations))
    return sorted(violations, key=lambda v: (v.graph or "", v.focus_node, v.path or "",
                                             v.message))
