"""Export the knowledge graph: RDF serialisations, and networks for Gephi.

Every exporter has one signature, ``(source, out, *, view="actors") -> None``, and is
registered by name in ``EXPORTERS``, the same way extensions will register theirs:

    turtle, trig, nquads, ntriples, jsonld   the RDF itself, serialised by the source
    graphml                                  networkx's GraphML writer
    gexf                                     GEXF 1.3, dynamic, dates on nodes and edges
    csv                                      an edge list; ``write_csv_nodes`` the nodes
    events, events-jsonl                     one row per event, PLOVER/CAMEO codes (kg.tables)
    statements, statements-jsonl             DNA-style statements (kg.tables)

Every network and table export takes a ``period`` (``kg.tables.Period``: from, to, a
moving window) and then sees only the records dated inside it.

Network formats read one *view* of the graph (``VIEWS``), built with SPARQL SELECTs over
the model in docs/rdf-model.md:

    actors      who did what to whom: actors and things, one edge per relation
    positions   actor -> issue, one edge per stated position, signed by polarity
    agreement   actor -- actor, linked by the issues on which they take the same side
    conflict    actor -- actor, linked by the issues on which they take opposite sides

The source is anything with ``select`` and ``serialize`` (``GraphSource``): the store,
or in tests an in-memory dataset.

Example:
    >>> with open("actors.gexf", "wb") as out:
    ...     export(store, "gexf", out, view="actors")
"""

from __future__ import annotations

import csv
import datetime
import functools
import importlib
import io
import itertools
import logging
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, Protocol

import networkx as nx

from kg.errors import ConfigError, LexiconError
from kg.records import PREDICATES

logger = logging.getLogger(__name__)

__all__ = [
    "EXPORTERS",
    "RDF_FORMATS",
    "VIEWS",
    "Exporter",
    "GraphSource",
    "export",
    "gexf_tree",
    "network",
    "predicate_signs",
    "register_exporter",
    "register_view",
    "spreadsheet_safe",
    "write_csv",
    "write_csv_dir",
    "write_csv_nodes",
    "write_gexf",
    "write_graphml",
]


class GraphSource(Protocol):
    """What an exporter reads: the store implements exactly this."""

    def select(self, sparql: str) -> list[dict[str, Any]]:
        """Run a SELECT; one dict per row, variable -> Python value (None when unbound).

        IRIs and plain literals come back as str, typed literals as int, float, bool or
        datetime.date.
        """
        ...

    def serialize(self, fmt: str, out: BinaryIO) -> None:
        """Write every quad as ``fmt`` (one of RDF_FORMATS) to ``out``."""
        ...


class Exporter(Protocol):
    def __call__(self, source: GraphSource, out: BinaryIO, *, view: str = "actors") -> None: ...


View = Callable[[GraphSource, bool], nx.Graph]

EXPORTERS: dict[str, Exporter] = {}
VIEWS: dict[str, View] = {}
RDF_FORMATS = ("turtle", "trig", "nquads", "ntriples", "jsonld")

WIKIDATA = "http://www.wikidata.org/entity/"
PREFIXES = """\
PREFIX kg: <https://w3id.org/kg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def _evidence(record: str) -> str:
    """Patterns for a record's evidence sentence (text, offsets) and the article whose graph
    holds it (id, date, URL, title, publisher)."""
    return f"""
  OPTIONAL {{ {record} prov:wasDerivedFrom ?sentence .
             OPTIONAL {{ ?sentence schema:text ?text }}
             OPTIONAL {{ ?sentence kg:start ?start }}
             OPTIONAL {{ ?sentence kg:end ?end }} }}
  OPTIONAL {{ ?doc a schema:NewsArticle .
             OPTIONAL {{ ?doc dcterms:identifier ?doc_id }}
             OPTIONAL {{ ?doc dcterms:date ?published }}
             OPTIONAL {{ ?doc schema:url ?url }}
             OPTIONAL {{ ?doc dcterms:title ?title }}
             OPTIONAL {{ ?doc dcterms:publisher ?publisher }} }}"""


# Every pattern names its graph: entities live in kgg:entities, records in kgg:doc/{id}, and
# a store's default graph need not be their union.
ACTORS_QUERY = PREFIXES + """
SELECT ?node ?label ?type ?iso ?nationality ?same_as ?code WHERE { GRAPH ?g {
  ?node a kg:Actor .
  OPTIONAL { ?node rdfs:label ?label }
  OPTIONAL { ?node kg:actorType ?type }
  OPTIONAL { ?node kg:isoCode ?iso }
  OPTIONAL { ?node kg:nationality ?nationality }
  OPTIONAL { ?node owl:sameAs ?same_as }
  OPTIONAL { ?node kg:cameoCode ?code }
} }"""
THINGS_QUERY = PREFIXES + """
SELECT ?node ?label WHERE { GRAPH ?g {
  ?node a kg:Thing . OPTIONAL { ?node rdfs:label ?label } } }"""
ISSUES_QUERY = PREFIXES + """
SELECT ?node ?label WHERE { GRAPH ?g {
  ?node a kg:Issue . OPTIONAL { ?node skos:prefLabel ?label } } }"""
MENTIONS_QUERY = PREFIXES + """
SELECT ?node ?count ?date WHERE { GRAPH ?g {
  ?doc a schema:NewsArticle ; kg:mentions ?node .
  OPTIONAL { ?doc dcterms:date ?date }
  OPTIONAL { ?mentions a kg:MentionCount ; kg:actor ?node ; kg:count ?count }
} }"""
QUOTES_QUERY = PREFIXES + """
SELECT ?node ?quote WHERE { GRAPH ?g { ?quote a schema:Quotation ; schema:creator ?node } }"""
RELATIONS_QUERY = PREFIXES + """
SELECT ?relation ?subject ?predicate ?object ?recipient ?time ?modality ?negated ?confidence
       ?verb ?cameo ?text ?start ?end ?doc_id ?published ?url ?title ?publisher
WHERE { GRAPH ?g {
  ?relation a kg:Relation ; kg:subject ?subject ; kg:predicate ?predicate .
  OPTIONAL { ?relation kg:object ?object }
  OPTIONAL { ?relation kg:recipient ?recipient }
  OPTIONAL { ?relation sem:hasTimeStamp ?time }
  OPTIONAL { ?relation kg:modality ?modality }
  OPTIONAL { ?relation kg:negated ?negated }
  OPTIONAL { ?relation kg:confidence ?confidence }
  OPTIONAL { ?relation kg:verb ?verb }
  OPTIONAL { ?relation kg:cameoCode ?cameo }
""" + _evidence("?relation") + "} }"
POSITIONS_QUERY = PREFIXES + """
SELECT ?position ?holder ?issue ?polarity ?date ?basis ?text ?start ?end ?doc_id ?published
       ?url ?title ?publisher WHERE { GRAPH ?g {
  ?position a kg:Position ; kg:holder ?holder ; kg:issue ?issue ; kg:polarity ?polarity .
  OPTIONAL { ?position dcterms:date ?date }
  OPTIONAL { ?position kg:basis ?basis }
""" + _evidence("?position") + "} }"

# Gephi colours (viz:color): node by type, edge by sign; Tableau 10 hues
TYPE_COLORS = {
    "Person": (31, 119, 180), "Country": (255, 127, 14), "Organization": (148, 103, 189),
    "Group": (140, 86, 75), "Office": (227, 119, 194), "Treaty": (188, 189, 34),
    "Place": (23, 190, 207), "Thing": (127, 127, 127), "Issue": (214, 175, 0),
}
SIGN_COLORS = {1: (44, 160, 44), -1: (214, 39, 40), 0: (153, 153, 153)}


def predicate_signs() -> dict[str, int]:
    """The sign of each predicate: +1 cooperative, -1 conflictual, 0 neither
    (kg/data/predicates.tsv, through the cached lexicon).

    Raises:
        LexiconError: the file is missing or a line is malformed.
    """
    from kg.lexicon import load_lexicon

    return load_lexicon().signs


def register_exporter(name: str) -> Callable[[Exporter], Exporter]:
    """Register an exporter under a format name (a decorator)."""

    def register(exporter: Exporter) -> Exporter:
        EXPORTERS[name] = exporter
        return exporter

    return register


def register_view(name: str) -> Callable[[View], View]:
    """Register a network view builder under a name (a decorator)."""

    def register(view: View) -> View:
        VIEWS[name] = view
        return view

    return register


def export(source: GraphSource, fmt: str, out: BinaryIO, *, view: str = "actors",
           period: Any = None) -> None:
    """Write the graph in ``source`` to ``out`` as ``fmt``.

    Args:
        source: the store (anything with ``select`` and ``serialize``).
        fmt: a name in EXPORTERS: an RDF format, "graphml", "gexf", "csv", "events",
            "statements" (and their "-jsonl" forms).
        out: a binary stream.
        view: for network formats, a name in VIEWS; RDF formats export every quad.
        period: a ``kg.tables.Period``: network and table formats keep only the records
            dated inside it.

    Raises:
        ConfigError: unknown format or view, or a period given for an RDF format.

    Example:
        >>> export(store, "graphml", sys.stdout.buffer, view="positions")
    """
    if fmt not in EXPORTERS:
        raise ConfigError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORTERS)}")
    _check_view(view)
    from kg.tables import windowed

    if period is not None and not period.is_open and fmt in RDF_FORMATS:
        raise ConfigError(f"--from/--to/--window apply to network and table formats, not {fmt}")
    EXPORTERS[fmt](windowed(source, period), out, view=view)


def network(source: GraphSource, view: str = "actors", *,
            include_negated: bool = False) -> nx.Graph:
    """Build one view of the graph as a networkx graph.

    Nodes are keyed by IRI and edges of multigraphs by the IRI of the record they come
    from. Attribute values are str, int, float, bool or tuples of str; ``start``/``end``
    are ISO dates for the timeline.

    Args:
        source: the store.
        view: "actors", "positions", "agreement" or "conflict" (see VIEWS).
        include_negated: keep negated relations as edges (actors view; off by default).

    Raises:
        ConfigError: unknown view.

    Example:
        >>> graph = network(store, "agreement")
        >>> graph.edges["https://w3id.org/kg/id/actor/poland", "..."]["issues"]
    """
    _check_view(view)
    graph = VIEWS[view](source, include_negated)
    graph.graph.update(view=view, description=f"kg {view} network")
    _date_nodes(graph)
    from kg.tables import period_of

    period = period_of(source)
    if period is not None:
        _keep_period(graph, period, source)
    return graph


def _keep_period(graph: nx.Graph, period: Any, source: Any) -> None:
    """Drop the nodes no record of the period touches; with a moving window, let every
    edge last the window's length, so Gephi's timeline shows a moving-window network."""
    graph.remove_nodes_from([node for node, degree in list(graph.degree()) if degree == 0])
    start, end = source.bounds()
    graph.graph.update(_clean({"from": start, "to": end, "window": period.window}))
    if period.window is None:
        return
    length = datetime.timedelta(days=period.window)
    for *_, data in graph.edges(data=True):
        if data.get("start"):
            last = (datetime.date.fromisoformat(data["start"]) + length).isoformat()
            data["end"] = min(data.get("end") or last, last)


def _check_view(view: str) -> None:
    if view not in VIEWS:
        raise ConfigError(f"unknown network view {view!r}; choose one of {', '.join(VIEWS)}")


# -- values ---------------------------------------------------------------------------------

def _iso(value: Any) -> str | None:
    """An ISO date (YYYY-MM-DD) from a date, datetime or string, else None."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str) and len(value) >= 10:
        try:
            return datetime.date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            return None
    return None


def _is_true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() in ("true", "1"))


def _local(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _clean(attributes: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in attributes.items() if value not in (None, "", ())}


def _sorted_rows(rows: list[dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda row: tuple(str(row.get(k) or "") for k in keys))


# -- views ----------------------------------------------------------------------------------

def _actor_nodes(source: GraphSource) -> dict[str, dict[str, Any]]:
    """Every actor with label, type, country code, Wikidata IRI, mentions, quotes, start."""
    actors: dict[str, dict[str, Any]] = {}
    nationality: dict[str, str] = {}
    for row in source.select(ACTORS_QUERY):
        node = actors.setdefault(row["node"], {"label": None, "type": None})
        same_as = row.get("same_as")
        for key, value in (("label", row.get("label")), ("type", row.get("type")),
                           ("country", row.get("iso")), ("code", row.get("code")),
                           ("wikidata", same_as if str(same_as).startswith(WIKIDATA) else None)):
            if value is not None and node.get(key) is None:
                node[key] = str(value)
        if row.get("nationality"):
            nationality[row["node"]] = row["nationality"]
    for iri, country in nationality.items():
        # a person's country is their nationality's ISO code
        if actors[iri].get("country") is None:
            actors[iri]["country"] = actors.get(country, {}).get("country")
    mentions: dict[str, int] = defaultdict(int)
    for row in source.select(MENTIONS_QUERY):
        iri = row["node"]
        # kg:mentions without a count node still means at least one mention
        mentions[iri] += int(row["count"]) if row.get("count") is not None else 1
        date = _iso(row.get("date"))
        if iri in actors and date and (actors[iri].get("start") or "9999") > date:
            actors[iri]["start"] = date
    quotes: dict[str, set[str]] = defaultdict(set)
    for row in source.select(QUOTES_QUERY):
        quotes[row["node"]].add(row["quote"])
    for iri, node in actors.items():
        node["label"] = node["label"] or _local(iri)
        node["type"] = node["type"] or "Thing"
        node["mentions"] = mentions.get(iri, 0)
        node["quotes"] = len(quotes.get(iri, ()))
    return actors


def _labels(source: GraphSource, query: str, kind: str) -> dict[str, dict[str, Any]]:
    nodes: dict[str, dict[str, Any]] = {}
    for row in source.select(query):
        node = nodes.setdefault(row["node"], {"label": _local(row["node"]), "type": kind})
        if row.get("label"):
            node["label"] = str(row["label"])
    return nodes


def _node(iri: str, *tables: dict[str, dict[str, Any]], kind: str = "Thing") -> dict[str, Any]:
    """The attributes of a node from the first table that describes it."""
    for table in tables:
        if iri in table:
            return _clean(table[iri])
    return {"label": _local(iri), "type": kind}


@register_view("actors")
def actors_network(source: GraphSource, include_negated: bool = False) -> nx.MultiDiGraph:
    """Actors and things; one edge per relation, subject -> recipient, else -> object."""
    signs = predicate_signs()
    actors = _actor_nodes(source)
    things = _labels(source, THINGS_QUERY, "Thing")
    graph = nx.MultiDiGraph()
    for iri in sorted(actors):
        graph.add_node(iri, **_clean(actors[iri]))
    seen: set[str] = set()
    skipped = 0
    for row in _sorted_rows(source.select(RELATIONS_QUERY), "relation"):
        negated = _is_true(row.get("negated"))
        if row["relation"] in seen or (negated and not include_negated):
            continue
        seen.add(row["relation"])
        # who did what to whom: "the U.S. offered Poland a radar" links the U.S. to Poland
        target = row.get("recipient") or row.get("object")
        if target is None:
            skipped += 1
            continue
        for end in (row["subject"], target):
            if end not in graph:
                graph.add_node(end, **_node(end, things))
        obj = row.get("object")
        predicate = _local(str(row["predicate"]))
        date = _iso(row.get("time")) or _iso(row.get("published"))
        confidence = row.get("confidence")
        graph.add_edge(row["subject"], target, key=row["relation"], **_clean({
            "label": predicate, "predicate": predicate, "weight": 1,
            "sign": signs.get(predicate, 0), "date": date, "start": date, "negated": negated,
            "modality": row.get("modality"), "verb": row.get("verb"),
            "confidence": float(confidence) if confidence is not None else None,
            "object": _node(obj, things, actors)["label"] if obj and obj != target else None,
            "document": row.get("doc_id"), "url": row.get("url"), "sentence": row.get("text"),
        }))
    if skipped:
        logger.debug("actors network: %d relations have no object or recipient", skipped)
    return graph


def _positions(source: GraphSource) -> list[dict[str, Any]]:
    """Every position, deduplicated, with its ISO date (the article's when it has none)."""
    seen: set[str] = set()
    positions = []
    for row in _sorted_rows(source.select(POSITIONS_QUERY), "date", "position"):
        if row["position"] in seen:
            continue
        seen.add(row["position"])
        row["date"] = _iso(row.get("date")) or _iso(row.get("published"))
        positions.append(row)
    return positions


@register_view("positions")
def positions_network(source: GraphSource, include_negated: bool = False) -> nx.MultiDiGraph:
    """Actor -> issue, one edge per position, lasting until the holder's stance changes."""
    actors = _actor_nodes(source)
    issues = _labels(source, ISSUES_QUERY, "Issue")
    stances: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in _positions(source):
        stances[row["holder"], row["issue"]].append(row)
    graph = nx.MultiDiGraph()
    for (holder, issue), rows in sorted(stances.items()):
        if holder not in graph:
            graph.add_node(holder, bipartite=0, **_node(holder, actors))
        if issue not in graph:
            graph.add_node(issue, bipartite=1, **_node(issue, issues, kind="Issue"))
        for row in rows:
            # the edge ends where the holder next takes the other side on the issue, so
            # Gephi's timeline replays positions changing
            end = min((other["date"] for other in rows if other["polarity"] != row["polarity"]
                       and row["date"] and (other["date"] or "") > row["date"]), default=None)
            polarity = str(row["polarity"])
            graph.add_edge(holder, issue, key=row["position"], **_clean({
                "label": polarity, "polarity": polarity, "weight": 1,
                "sign": 1 if polarity == "support" else -1, "date": row["date"],
                "start": row["date"], "end": end, "basis": row.get("basis"),
                "document": row.get("doc_id"), "url": row.get("url"),
                "sentence": row.get("text"),
            }))
    return graph


def _projection(source: GraphSource, same_side: bool) -> nx.Graph:
    """Discourse network analysis: actors linked by the issues they agree / conflict on.

    As in Leifeld's Discourse Network Analyzer (congruence and conflict networks, no time
    window), every stance an actor ever stated counts: one who first supported and then
    opposed an issue agrees with both sides of it. Weight = number of issues per pair.
    """
    actors = _actor_nodes(source)
    issues = _labels(source, ISSUES_QUERY, "Issue")
    # (issue, holder) -> polarity -> first date stated ("" when undated)
    first: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for row in _positions(source):
        stated = first[row["issue"], row["holder"]]
        date = row["date"] or ""
        if row["polarity"] not in stated or (date and date < stated[row["polarity"]]):
            stated[row["polarity"]] = date
    graph = nx.Graph()
    by_issue: dict[str, list[str]] = defaultdict(list)
    for issue, holder in sorted(first):
        by_issue[issue].append(holder)
        if holder not in graph:
            graph.add_node(holder, **_node(holder, actors))
    links: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)  # pair -> issue -> date
    for issue, members in by_issue.items():
        for a, b in itertools.combinations(members, 2):
            # linked on this issue from when both had taken their sides ("" if undated)
            dates = [max(first[issue, a][p], first[issue, b][q])
                     for p in first[issue, a] for q in first[issue, b] if (p == q) == same_side]
            if dates:
                links[min(a, b), max(a, b)][issue] = min((d for d in dates if d), default="")
    for (a, b), linked in sorted(links.items()):
        start = min((d for d in linked.values() if d), default=None)
        graph.add_edge(a, b, **_clean({
            "label": "agreement" if same_side else "conflict", "weight": len(linked),
            "sign": 1 if same_side else -1, "date": start, "start": start,
            "issues": tuple(sorted(_node(i, issues)["label"] for i in linked)),
        }))
    return graph


@register_view("agreement")
def agreement_network(source: GraphSource, include_negated: bool = False) -> nx.Graph:
    """Actor -- actor, weighted by the issues on which both took the same side."""
    return _projection(source, same_side=True)


@register_view("conflict")
def conflict_network(source: GraphSource, include_negated: bool = False) -> nx.Graph:
    """Actor -- actor, weighted by the issues on which they took opposite sides."""
    return _projection(source, same_side=False)


def _date_nodes(graph: nx.Graph) -> None:
    """Start every node no later than its first dated edge, so Gephi shows the edge."""
    for u, v, data in graph.edges(data=True):
        start = data.get("start")
        if start:
            for node in (u, v):
                if start < graph.nodes[node].get("start", "9999"):
                    graph.nodes[node]["start"] = start


# -- writers --------------------------------------------------------------------------------

def _flat(value: Any) -> Any:
    """A value GraphML, GEXF and CSV can hold: lists joined with "; "."""
    if isinstance(value, (list, tuple, set, frozenset)):
        return "; ".join(str(v) for v in value)
    return value


def _edges(graph: nx.Graph) -> Iterable[tuple[str, str, str, dict[str, Any]]]:
    """(source, target, edge id, attributes) in a stable order."""
    if graph.is_multigraph():
        rows = [(u, v, str(k), d) for u, v, k, d in graph.edges(keys=True, data=True)]
    else:
        rows = [(u, v, f"{u} {v}", d) for u, v, d in graph.edges(data=True)]
    return sorted(rows, key=lambda row: (row[3].get("start") or "", row[2]))


@register_exporter("graphml")
def write_graphml(source: GraphSource, out: BinaryIO, *, view: str = "actors") -> None:
    """Write a view as GraphML (networkx), lists joined with "; " and unknown values left out.

    Example:
        >>> write_graphml(store, open("positions.graphml", "wb"), view="positions")
    """
    graph = network(source, view)
    flat = graph.__class__()
    flat.graph.update({k: _flat(v) for k, v in graph.graph.items()})
    flat.add_nodes_from((n, {k: _flat(v) for k, v in d.items()})
                        for n, d in sorted(graph.nodes(data=True)))
    for u, v, key, data in _edges(graph):
        attributes = {k: _flat(val) for k, val in data.items()}
        if flat.is_multigraph():
            flat.add_edge(u, v, key=key, **attributes)
        else:
            flat.add_edge(u, v, **attributes)
    nx.write_graphml(flat, out, encoding="utf-8", prettyprint=True)


GEXF_NS = "http://gexf.net/1.3"
GEXF_VIZ_NS = "http://gexf.net/1.3/viz"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
# node and edge keys GEXF holds as XML attributes rather than <attvalue>s
_GEXF_NODE_KEYS = ("label", "start", "end")
_GEXF_EDGE_KEYS = ("label", "weight", "start", "end")


def _gexf_type(values: list[Any]) -> str:
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if any(isinstance(v, bool) for v in values):
        return "string"
    if all(isinstance(v, int) for v in values):
        return "integer"
    if all(isinstance(v, (int, float)) for v in values):
        return "double"
    return "string"


def _gexf_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(_flat(value))


def _gexf_attributes(graph_element: ET.Element, cls: str, items: list[dict[str, Any]],
                     reserved: tuple[str, ...], ids: Iterator[int]) -> dict[str, str]:
    """Declare the attributes of nodes or edges; return title -> id."""
    values: dict[str, list[Any]] = defaultdict(list)
    for data in items:
        for key, value in data.items():
            if key not in reserved and value is not None:
                values[key].append(value)
    declared: dict[str, str] = {}
    if not values:
        return declared
    block = ET.SubElement(graph_element, "attributes", {"class": cls, "mode": "static"})
    for title, seen in sorted(values.items()):
        # numeric ids: graphology-gexf names an attribute by its id unless the id is a number
        declared[title] = str(next(ids))
        ET.SubElement(block, "attribute", id=declared[title], title=title, type=_gexf_type(seen))
    return declared


def _gexf_attvalues(element: ET.Element, data: dict[str, Any], declared: dict[str, str]) -> None:
    present = [(declared[k], v) for k, v in sorted(data.items()) if k in declared and v is not None]
    if present:
        attvalues = ET.SubElement(element, "attvalues")
        for key, value in present:
            ET.SubElement(attvalues, "attvalue", {"for": key, "value": _gexf_value(value)})


def _gexf_color(element: ET.Element, rgb: tuple[int, int, int]) -> None:
    r, g, b = rgb
    ET.SubElement(element, "viz:color", r=str(r), g=str(g), b=str(b), a="1.0")


def gexf_tree(graph: nx.Graph) -> ET.ElementTree:
    """The GEXF 1.3 document of a network: dynamic, dates as ``start``/``end``.

    Written here rather than by ``networkx.write_gexf``: its "1.3" output has a misspelt
    XML Schema instance namespace and a ``name`` on <graph> that the 1.3 schema lacks.
    Every attribute is declared static in one <attributes> block per class, because
    graphology-gexf (Gephi Lite) reads only the last block of each class; time lives on
    the nodes and edges. Parallel edges carry ``kind`` = their label, so Gephi merges
    repeated events of one type and keeps different types apart.
    """
    root = ET.Element("gexf", {
        "xmlns": GEXF_NS, "xmlns:viz": GEXF_VIZ_NS, "xmlns:xsi": XSI_NS,
        "xsi:schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd", "version": "1.3"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "kg"
    ET.SubElement(meta, "description").text = str(graph.graph.get("description", "kg network"))
    graph_element = ET.SubElement(root, "graph", {
        "mode": "dynamic", "timeformat": "date",
        "defaultedgetype": "directed" if graph.is_directed() else "undirected"})
    nodes = sorted(graph.nodes(data=True))
    edges = list(_edges(graph))
    ids = itertools.count()  # one sequence for node and edge attributes
    node_keys = _gexf_attributes(graph_element, "node", [d for _, d in nodes],
                                 _GEXF_NODE_KEYS, ids)
    edge_keys = _gexf_attributes(graph_element, "edge", [d for *_, d in edges],
                                 _GEXF_EDGE_KEYS, ids)
    nodes_element = ET.SubElement(graph_element, "nodes", count=str(len(nodes)))
    for node, data in nodes:
        element = ET.SubElement(nodes_element, "node", _clean({
            "id": node, "label": " ".join(str(data.get("label", node)).split()),  # xsd:token
            "start": data.get("start"), "end": data.get("end")}))
        _gexf_attvalues(element, data, node_keys)
        _gexf_color(element, TYPE_COLORS.get(data.get("type", "Thing"), TYPE_COLORS["Thing"]))
    edges_element = ET.SubElement(graph_element, "edges", count=str(len(edges)))
    for u, v, key, data in edges:
        element = ET.SubElement(edges_element, "edge", _clean({
            "id": key, "source": u, "target": v, "label": data.get("label"),
            "kind": data.get("label") if graph.is_multigraph() else None,
            "weight": str(data.get("weight", 1)),
            "start": data.get("start"), "end": data.get("end")}))
        _gexf_attvalues(element, data, edge_keys)
        _gexf_color(element, SIGN_COLORS.get(data.get("sign", 0), SIGN_COLORS[0]))
    ET.indent(root)
    return ET.ElementTree(root)


@register_exporter("gexf")
def write_gexf(source: GraphSource, out: BinaryIO, *, view: str = "actors") -> None:
    """Write a view as dynamic GEXF 1.3 for Gephi's timeline.

    Example:
        >>> write_gexf(store, open("positions.gexf", "wb"), view="positions")
    """
    gexf_tree(network(source, view)).write(out, encoding="utf-8", xml_declaration=True)


CSV_EDGE_COLUMNS = ("source", "target", "source_label", "target_label", "predicate", "weight",
                    "sign", "date", "document", "url", "sentence")
CSV_NODE_COLUMNS = ("id", "label", "type", "country", "wikidata", "mentions", "start")


# a cell a spreadsheet would run as a formula (OWASP, "CSV Injection"); numbers stay numbers
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def spreadsheet_safe(value: Any) -> Any:
    """Neutralise a CSV cell that a spreadsheet would take for a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    leading ``'``, as OWASP recommends against CSV injection; numbers and other values
    are returned as they are.

    Example:
        >>> spreadsheet_safe("=HYPERLINK(\"http://x\")"), spreadsheet_safe("-1")
        ("'=HYPERLINK(\"http://x\")", '-1')
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START) \
            and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def _write_rows(out: BinaryIO, columns: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    writer = csv.DictWriter(text, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows({k: "" if v is None else spreadsheet_safe(_flat(v)) for k, v in row.items()}
                     for row in rows)
    text.flush()
    text.detach()  # leave the caller's stream open


def _csv_edges(graph: nx.Graph) -> Iterable[dict[str, Any]]:
    for u, v, _, data in _edges(graph):
        yield {**data, "source": u, "target": v, "source_label": graph.nodes[u].get("label"),
               "target_label": graph.nodes[v].get("label"), "predicate": data.get("label")}


def _csv_nodes(graph: nx.Graph) -> Iterable[dict[str, Any]]:
    for node, data in sorted(graph.nodes(data=True)):
        yield {**data, "id": node}


@register_exporter("csv")
def write_csv(source: GraphSource, out: BinaryIO, *, view: str = "actors") -> None:
    """Write a view's edges as CSV, one row per edge, columns CSV_EDGE_COLUMNS.

    ``predicate`` holds the relation type (actors), the polarity (positions) or
    "agreement"/"conflict". The nodes go to a second file with ``write_csv_nodes``, or
    both at once with ``write_csv_dir`` (``kg export --format csv --out DIR``).

    Example:
        >>> write_csv(store, sys.stdout.buffer, view="conflict")
    """
    _write_rows(out, CSV_EDGE_COLUMNS, _csv_edges(network(source, view)))


def write_csv_nodes(source: GraphSource, out: BinaryIO, *, view: str = "actors") -> None:
    """Write a view's nodes as CSV, columns CSV_NODE_COLUMNS.

    Example:
        >>> write_csv_nodes(store, open("actors-nodes.csv", "wb"))
    """
    _write_rows(out, CSV_NODE_COLUMNS, _csv_nodes(network(source, view)))


def write_csv_dir(source: GraphSource, directory: Path, *,
                  view: str = "actors") -> tuple[Path, Path]:
    """Write ``{view}-edges.csv`` and ``{view}-nodes.csv`` into ``directory``.

    Returns:
        The paths of the edge and node files.

    Example:
        >>> write_csv_dir(store, Path("out"), view="agreement")
    """
    graph = network(source, view)
    directory.mkdir(parents=True, exist_ok=True)
    edges_path, nodes_path = directory / f"{view}-edges.csv", directory / f"{view}-nodes.csv"
    with edges_path.open("wb") as out:
        _write_rows(out, CSV_EDGE_COLUMNS, _csv_edges(graph))
    with nodes_path.open("wb") as out:
        _write_rows(out, CSV_NODE_COLUMNS, _csv_nodes(graph))
    return edges_path, nodes_path


def _rdf_exporter(fmt: str) -> Exporter:
    def write_rdf(source: GraphSource, out: BinaryIO, *, view: str = "actors") -> None:
        source.serialize(fmt, out)

    write_rdf.__doc__ = f"Write every quad as {fmt} (the view does not apply)."
    write_rdf.__name__ = f"write_{fmt}"
    return write_rdf


for _fmt in RDF_FORMATS:
    register_exporter(_fmt)(_rdf_exporter(_fmt))

# the tabular exporters register themselves; imported last, as they build on this module
importlib.import_module("kg.tables")
