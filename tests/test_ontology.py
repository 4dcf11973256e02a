"""Tests for kg/ontology: the OWL ontology and the SHACL shapes agree with kg.rdf and records."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, SH, SKOS

from kg import rdf
from kg.records import MODALITIES, POLARITIES, PREDICATES

ONTOLOGY_DIR = Path(rdf.__file__).parent / "ontology"
KG_TTL = ONTOLOGY_DIR / "kg.ttl"
SHAPES_TTL = ONTOLOGY_DIR / "shapes.ttl"
CAMEO_ROOT_CODES = {f"{n:02d}" for n in range(1, 21)}
# PLOVER 2021 event types
PLOVER_TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
                "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE",
                "COERCE", "ASSAULT"}


def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(KG_TTL, format="turtle")


def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES_TTL, format="turtle")


@pytest.mark.parametrize("path", [KG_TTL, SHAPES_TTL], ids=["kg.ttl", "shapes.ttl"])
def test_ontology_parses_with_rdflib_and_pyoxigraph(path: Path) -> None:
    with_rdflib = rdflib.Graph().parse(path, format="turtle")
    with_oxigraph = list(ox.parse(path=path, format=ox.RdfFormat.TURTLE))
    assert len(with_rdflib) == len(with_oxigraph) > 50


def test_ontology_event_types_are_exactly_the_predicates() -> None:
    graph = ontology()
    scheme = rdf.KG.eventTypes
    in_scheme = {str(c) for c in graph.subjects(SKOS.inScheme, scheme)}
    top = {str(c) for c in graph.objects(scheme, SKOS.hasTopConcept)}
    expected = {str(rdf.KGR[p]) for p in PREDICATES}
    assert in_scheme == top == expected
    assert {str(c) for c in graph.subjects(RDF.type, SKOS.Concept)} == expected
    assert set(rdf.KGR.__annotations__) == set(PREDICATES)


@pytest.mark.parametrize("predicate", PREDICATES)
def test_ontology_event_type_is_described_and_coded(predicate: str) -> None:
    graph = ontology()
    concept = rdf.KGR[predicate]
    assert (concept, RDF.type, OWL.ObjectProperty) in graph
    assert str(graph.value(concept, SKOS.prefLabel)) == predicate
    assert graph.value(concept, SKOS.definition) is not None
    assert str(graph.value(concept, rdf.KG.cameoCode)) in CAMEO_ROOT_CODES
    plover = graph.value(concept, rdf.KG.ploverCode)
    assert plover is None or str(plover) in PLOVER_TYPES


@pytest.mark.parametrize(("predicate", "cameo", "plover"), [
    ("consult", "04", "CONSULT"),
    ("aid", "07", "AID"),
    ("threaten", "13", "THREATEN"),
    ("deploy", "15", "MOBILIZE"),
    ("say", "01", None),
])
def test_ontology_event_type_codes(predicate: str, cameo: str, plover: str | None) -> None:
    graph = ontology()
    assert str(graph.value(rdf.KGR[predicate], rdf.KG.cameoCode)) == cameo
    value = graph.value(rdf.KGR[predicate], rdf.KG.ploverCode)
    assert (str(value) if value is not None else None) == plover


def test_ontology_declares_every_kg_term_rdf_uses() -> None:
    graph = ontology()
    declared = {str(s) for s in graph.subjects(RDF.type, None)}
    used = {str(rdf.KG[name]) for name in rdf.KG.__annotations__}
    assert used - declared == set()
    ours = {iri for iri in declared if iri.startswith(str(rdf.KG._NS))}
    assert ours - used == set(), "terms in kg.ttl that kg.rdf.KG does not list"


def test_ontology_relation_is_a_sem_event_and_issue_a_skos_concept() -> None:
    graph = ontology()
    assert (rdf.KG.Relation, rdflib.RDFS.subClassOf, rdf.SEM.Event) in graph
    assert (rdf.KG.Issue, rdflib.RDFS.subClassOf, SKOS.Concept) in graph


def _sh_in(path: rdflib.URIRef) -> list[str]:
    graph = shapes()
    for prop in graph.subjects(SH.path, path):
        values = graph.value(prop, SH["in"])
        if values is not None:
            return [str(v) for v in rdflib.collection.Collection(graph, values)]
    raise AssertionError(f"no sh:in for {path}")


def test_shapes_lists_match_the_records() -> None:
    assert _sh_in(rdf.KG.predicate) == [str(rdf.KGR[p]) for p in PREDICATES]
    assert _sh_in(rdf.KG.modality) == list(MODALITIES)
    assert _sh_in(rdf.KG.polarity) == list(POLARITIES)


def test_shapes_target_every_node_kind_of_the_model() -> None:
    targets = set(shapes().objects(None, SH.targetClass))
    assert targets >= {rdf.KG.Relation, rdf.KG.RoleAssignment, rdf.KG.Position, rdf.KG.Sentence,
                       rdf.KG.Actor, rdf.KG.Issue, rdf.KG.MentionCount, rdf.KG.Thing,
                       rdflib.SDO.Quotation, rdflib.SDO.NewsArticle}


def test_ontology_codes_match_the_table_in_rdf_model_doc() -> None:
    doc = (Path(__file__).parent.parent / "docs" / "rdf-model.md").read_text(encoding="utf-8")
    table = doc.split("## Event types", 1)[1].split("##", 1)[0]
    documented = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        for name, cameo, plover in (cells[0:3], cells[4:7]) if len(cells) == 7 else ():
            if name in PREDICATES:
                documented[name] = (cameo, None if plover == "—" else plover)
    graph = ontology()
    coded = {}
    for predicate in PREDICATES:
        plover = graph.value(rdf.KGR[predicate], rdf.KG.ploverCode)
        coded[predicate] = (str(graph.value(rdf.KGR[predicate], rdf.KG.cameoCode)),
                            str(plover) if plover is not None else None)
    assert documented == coded


def test_ontology_event_types_follow_the_predicate_table() -> None:
    """kg/data/predicates.tsv is the one source: the ontology repeats its codes."""
    from kg.lexicon import load_lexicon

    graph = ontology()
    table = load_lexicon().predicates
    assert list(table) == list(PREDICATES)
    for predicate, entry in table.items():
        concept = rdf.KGR[predicate]
        assert str(graph.value(concept, rdf.KG.cameoCode)) == entry.cameo
        plover = graph.value(concept, rdf.KG.ploverCode)
        assert (str(plover) if plover is not None else None) == entry.plover
        assert ((concept, RDF.type, OWL.SymmetricProperty) in graph) == entry.is_symmetric
