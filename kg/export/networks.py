"""Networks for Gephi: views of the graph as networkx graphs, written as GraphML or GEXF.

Network formats read one *view* of the graph (``VIEWS``), built with SPARQL SELECTs over
the model in docs/rdf-model.md:

    actors      who did what to whom: actors and things, one edge per relation
    positions   actor -> issue, one edge per stated position, signed by polarity
    agreement   actor -- actor, linked by the issues on which they take the same side
    conflict    actor -- actor, linked by the issues on which they take opposite sides

Example:
    >>> with open("actors.gexf", "wb") as out:
    ...     write_gexf(store, out, view="actors")
"""

from __future__ import annotations

import datetime
import itertools
import logging
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any, BinaryIO

import networkx as nx

from kg.errors import ConfigError
from kg.export.source import (
    ISSUES_QUERY,
    POSITIONS_QUERY,
    RELATIONS_QUERY,
    THINGS_QUERY,
    GraphSource,
    actor_nodes,
    clean,
    is_true,
    iso_date,
    labelled_nodes,
    local_name,
    sorted_rows,
)
from kg.export.windows import period_of

logger = logging.getLogger(__name__)

View = Callable[[GraphSource, bool], nx.Graph]

VIEWS: dict[str, View] = {}

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


def register_view(name: str) -> Callable[[View], View]:
    """Register a network view builder under a name (a decorator)."""

    def register(view: View) -> View:
        VIEWS[name] = view
        return view

    return register


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
    check_view(view)
    graph = VIEWS[view](source, include_negated)
    graph.graph.update(view=view, description=f"kg {view} network")
    _date_nodes(graph)
    period = period_of(source)
    if period is not None:
        _keep_period(graph, period, source)
    return graph


def _keep_period(graph: nx.Graph, period: Any, source: Any) -> None:
    """Drop the nodes no record of the period touches; with a moving window, let every
    edge last the window's length, so Gephi's timeline shows a moving-window network."""
    graph.remove_nodes_from([node for node, degree in list(graph.degree()) if degree == 0])
    start, end = source.bounds()
    graph.graph.update(clean({"from": start, "to": end, "window": period.window}))
    if period.window is None:
        return
    length = datetime.timedelta(days=period.window)
    for *_, data in graph.edges(data=True):
        if data.get("start"):
            last = (datetime.date.fromisoformat(data["start"]) + length).isoformat()
            data["end"] = min(data.get("end") or last, last)


def check_view(view: str) -> None:
    """Raise ConfigError unless ``view`` names a view in VIEWS."""
    if view not in VIEWS:
        raise ConfigError(f"unknown network view {view!r}; choose one of {', '.join(VIEWS)}")


def _node(iri: str, *tables: dict[str, dict[str, Any]], kind: str = "Thing") -> dict[str, Any]:
    """The attributes of a node from the first table that describes it."""
    for table in tables:
        if iri in table:
            return clean(table[iri])
    return {"label": local_name(iri), "type": kind}


@register_view("actors")
def actors_network(source: GraphSource, include_negated: bool = False) -> nx.MultiDiGraph:
    """Actors and things; one edge per relation, subject -> recipient, else -> object."""
    signs = predicate_signs()
    actors = actor_nodes(source)
    things = labelled_nodes(source, THINGS_QUERY, "Thing")
    graph = nx.MultiDiGraph()
    for iri in sorted(actors):
        graph.add_node(iri, **clean(actors[iri]))
    seen: set[str] = set()
    skipped = 0
    for row in sorted_rows(source.select(RELATIONS_QUERY), "relation"):
        negated = is_true(row.get("negated"))
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
        predicate = local_name(str(row["predicate"]))
        date = iso_date(row.get("time")) or iso_date(row.get("published"))
        confidence = row.get("confidence")
        graph.add_edge(row["subject"], target, key=row["relation"], **clean({
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
    for row in sorted_rows(source.select(POSITIONS_QUERY), "date", "position"):
        if row["position"] in seen:
            continue
        seen.add(row["position"])
        row["date"] = iso_date(row.get("date")) or iso_date(row.get("published"))
        positions.append(row)
    return positions


@register_view("positions")
def positions_network(source: GraphSource, include_negated: bool = False) -> nx.MultiDiGraph:
    """Actor -> issue, one edge per position, lasting until the holder's stance changes."""
    actors = actor_nodes(source)
    issues = labelled_nodes(source, ISSUES_QUERY, "Issue")
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
            graph.add_edge(holder, issue, key=row["position"], **clean({
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
    actors = actor_nodes(source)
    issues = labelled_nodes(source, ISSUES_QUERY, "Issue")
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
        graph.add_edge(a, b, **clean({
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

def flat_value(value: Any) -> Any:
    """A value GraphML, GEXF and CSV can hold: lists joined with "; "."""
    if isinstance(value, (list, tuple, set, frozenset)):
        return "; ".join(str(v) for v in value)
    return value


def sorted_edges(graph: nx.Graph) -> Iterable[tuple[str, str, str, dict[str, Any]]]:
    """(source, target, edge id, attributes) in a stable order."""
    if graph.is_multigraph():
        rows = [(u, v, str(k), d) for u, v, k, d in graph.edges(keys=True, data=True)]
    else:
        rows = [(u, v, f"{u} {v}", d) for u, v, d in graph.edges(data=True)]
    return sorted(rows, key=lambda row: (row[3].get("start") or "", row[2]))


def write_graphml(source: GraphSource, out: BinaryIO, *, view: str = "actors") -> None:
    """Write a view as GraphML (networkx), lists joined with "; " and unknown values left out.

    Example:
        >>> write_graphml(store, open("positions.graphml", "wb"), view="positions")
    """
    graph = network(source, view)
    flat = graph.__class__()
    flat.graph.update({k: flat_value(v) for k, v in graph.graph.items()})
    flat.add_nodes_from((n, {k: flat_value(v) for k, v in d.items()})
                        for n, d in sorted(graph.nodes(data=True)))
    for u, v, key, data in sorted_edges(graph):
        attributes = {k: flat_value(val) for k, val in data.items()}
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
    return str(flat_value(value))


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
    edges = list(sorted_edges(graph))
    ids = itertools.count()  # one sequence for node and edge attributes
    node_keys = _gexf_attributes(graph_element, "node", [d for _, d in nodes],
                                 _GEXF_NODE_KEYS, ids)
    edge_keys = _gexf_attributes(graph_element, "edge", [d for *_, d in edges],
                                 _GEXF_EDGE_KEYS, ids)
    nodes_element = ET.SubElement(graph_element, "nodes", count=str(len(nodes)))
    for node, data in nodes:
        element = ET.SubElement(nodes_element, "node", clean({
            "id": node, "label": " ".join(str(data.get("label", node)).split()),  # xsd:token
            "start": data.get("start"), "end": data.get("end")}))
        _gexf_attvalues(element, data, node_keys)
        _gexf_color(element, TYPE_COLORS.get(data.get("type", "Thing"), TYPE_COLORS["Thing"]))
    edges_element = ET.SubElement(graph_element, "edges", count=str(len(edges)))
    for u, v, key, data in edges:
        element = ET.SubElement(edges_element, "edge", clean({
            "id": key, "source": u, "target": v, "label": data.get("label"),
            "kind": data.get("label") if graph.is_multigraph() else None,
            "weight": str(data.get("weight", 1)),
            "start": data.get("start"), "end": data.get("end")}))
        _gexf_attvalues(element, data, edge_keys)
        _gexf_color(element, SIGN_COLORS.get(data.get("sign", 0), SIGN_COLORS[0]))
    ET.indent(root)
    return ET.ElementTree(root)


def write_gexf(source: GraphSource, out: BinaryIO, *, view: str = "actors") -> None:
    """Write a view as dynamic GEXF 1.3 for Gephi's timeline.

    Example:
        >>> write_gexf(store, open("positions.gexf", "wb"), view="positions")
    """
    gexf_tree(network(source, view)).write(out, encoding="utf-8", xml_declaration=True)

