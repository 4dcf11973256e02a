"""Tests for kg.validate: the SHACL shapes accept what kg.rdf makes and catch broken graphs."""

from __future__ import annotations

import dataclasses

import pytest
from test_rdf import sample_extractions

from kg import rdf
from kg.store import Store, open_store
from kg.validate import Violation, validate_store

DOC = rdf.graph_iri("broken")
KG = "https://w3id.org/kg/ontology#"
KGI = rdf.KGI + "doc/broken/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"

# one document graph with one thing wrong per node
BROKEN = f"""
<{KGI}s/9-4> <{RDF_TYPE}> <{KG}Sentence> <{DOC}> .
<{KGI}s/9-4> <{KG}start> "9"^^<{XSD}integer> <{DOC}> .
<{KGI}s/9-4> <{KG}end> "4"^^<{XSD}integer> <{DOC}> .
<{KGI}s/9-4> <https://schema.org/text> "A sentence." <{DOC}> .
<{KGI}s/9-4> <http://purl.org/dc/terms/isPartOf> <{rdf.doc_iri("broken")}> <{DOC}> .
<{rdf.doc_iri("broken")}> <{RDF_TYPE}> <https://schema.org/NewsArticle> <{DOC}> .
<{rdf.doc_iri("broken")}> <http://purl.org/dc/terms/identifier> "broken" <{DOC}> .
<{rdf.doc_iri("broken")}> <http://purl.org/dc/terms/date> "4 March 2030" <{DOC}> .
<{KGI}relation/1-nosubject> <{RDF_TYPE}> <{KG}Relation> <{DOC}> .
<{KGI}relation/1-nosubject> <{KG}predicate> <https://w3id.org/kg/relation/offer> <{DOC}> .
<{KGI}relation/1-nosubject> <{KG}modality> "asserted" <{DOC}> .
<{KGI}relation/1-nosubject> <{DERIVED}> <{KGI}s/9-4> <{DOC}> .
<{KGI}relation/2-badpredicate> <{RDF_TYPE}> <{KG}Relation> <{DOC}> .
<{KGI}relation/2-badpredicate> <{KG}subject> <{rdf.actor_iri("Russia")}> <{DOC}> .
<{KGI}relation/2-badpredicate> <{KG}predicate> <https://w3id.org/kg/relation/ofer> <{DOC}> .
<{KGI}relation/2-badpredicate> <{KG}modality> "asserted" <{DOC}> .
<{KGI}relation/2-badpredicate> <{DERIVED}> <{KGI}s/9-4> <{DOC}> .
<{KGI}relation/3-nosentence> <{RDF_TYPE}> <{KG}Relation> <{DOC}> .
<{KGI}relation/3-nosentence> <{KG}subject> <{rdf.actor_iri("Russia")}> <{DOC}> .
<{KGI}relation/3-nosentence> <{KG}predicate> <https://w3id.org/kg/relation/offer> <{DOC}> .
<{KGI}relation/3-nosentence> <{KG}modality> "asserted" <{DOC}> .
<{KGI}position/1-badsign> <{RDF_TYPE}> <{KG}Position> <{DOC}> .
<{KGI}position/1-badsign> <{KG}holder> <{rdf.actor_iri("Russia")}> <{DOC}> .
<{KGI}position/1-badsign> <{KG}issue> <{rdf.issue_iri("gas deal")}> <{DOC}> .
<{KGI}position/1-badsign> <{KG}polarity> "oppose" <{DOC}> .
<{KGI}position/1-badsign> <{KG}sign> "1"^^<{XSD}integer> <{DOC}> .
<{KGI}position/1-badsign> <{DERIVED}> <{KGI}s/9-4> <{DOC}> .
<{KGI}quote/1-nospeaker> <{RDF_TYPE}> <https://schema.org/Quotation> <{DOC}> .
<{KGI}quote/1-nospeaker> <https://schema.org/text> "We will see." <{DOC}> .
<{KGI}quote/1-nospeaker> <{DERIVED}> <{KGI}s/9-4> <{DOC}> .
<{rdf.actor_iri("Nameless")}> <{RDF_TYPE}> <{KG}Actor> <{rdf.ENTITIES_GRAPH}> .
"""


def good_store() -> Store:
    store = open_store(None)
    store.replace_documents(sample_extractions())
    return store


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_validate_good_extractions_conform(engine: str) -> None:
    assert validate_store(good_store(), engine=engine) == []


def test_validate_good_extractions_conform_in_small_batches() -> None:
    assert validate_store(good_store(), engine="pyshacl", batch_size=1) == []


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_validate_broken_graph_names_every_problem(engine: str) -> None:
    store = good_store()
    store.load(BROKEN.encode("utf-8"), "nquads")
    violations = validate_store(store, engine=engine)
    found = {(v.focus_node.removeprefix(KGI), v.path.removeprefix(KG) if v.path else None)
             for v in violations}
    assert found == {
        ("relation/1-nosubject", "subject"),
        ("relation/2-badpredicate", "predicate"),
        ("relation/3-nosentence", "http://www.w3.org/ns/prov#wasDerivedFrom"),
        ("s/9-4", "start"),
        ("position/1-badsign", None),
        ("quote/1-nospeaker", "https://schema.org/creator"),
        (rdf.doc_iri("broken"), "http://purl.org/dc/terms/date"),
        (rdf.actor_iri("Nameless"), "http://www.w3.org/2000/01/rdf-schema#label"),
    }
    assert all(v.severity == "violation" for v in violations)
    by_focus = {v.focus_node: v for v in violations}
    assert by_focus[KGI + "position/1-badsign"].message == (
        "kg:sign 1 does not match kg:polarity oppose")
    assert by_focus[KGI + "relation/1-nosubject"].graph == DOC
    assert by_focus[rdf.actor_iri("Nameless")].graph == rdf.ENTITIES_GRAPH
    assert str(by_focus[KGI + "s/9-4"]).startswith(f"violation: {KGI}s/9-4 (in {DOC}): ")


def test_validate_violation_is_frozen() -> None:
    violation = Violation(focus_node="x", message="m", severity="violation")
    with pytest.raises(dataclasses.FrozenInstanceError):
        violation.message = "other"  # type: ignore[misc]


def test_validate_accepts_a_year_or_month_as_the_date() -> None:
    store = open_store(None)
    extraction = sample_extractions()[1]
    records = tuple(dataclasses.replace(r, time="2030-04") if hasattr(r, "time") else r
                    for r in extraction.records)
    store.replace_document(dataclasses.replace(extraction, records=records))
    assert validate_store(store) == []
    assert store.select("SELECT DISTINCT (DATATYPE(?t) AS ?type) WHERE { ?r sem:hasTimeStamp ?t }"
                        ) == [{"type": "http://www.w3.org/2001/XMLSchema#gYearMonth"}]


OTHER = rdf.graph_iri("other")
OKI = rdf.KGI + "doc/other/"
# one thing wrong per node again, for the components BROKEN does not reach
MORE = f"""
<{OKI}s/0-4> <{RDF_TYPE}> <{KG}Sentence> <{OTHER}> .
<{OKI}s/0-4> <{KG}start> "0"^^<{XSD}integer> <{OTHER}> .
<{OKI}s/0-4> <{KG}end> "4"^^<{XSD}integer> <{OTHER}> .
<{OKI}s/0-4> <https://schema.org/text> "Text." <{OTHER}> .
<{OKI}s/0-4> <http://purl.org/dc/terms/isPartOf> <{OKI}not-an-article> <{OTHER}> .
<{rdf.doc_iri("other")}> <{RDF_TYPE}> <https://schema.org/NewsArticle> <{OTHER}> .
<{rdf.doc_iri("other")}> <http://purl.org/dc/terms/identifier> "other" <{OTHER}> .
<{rdf.doc_iri("other")}> <{KG}contentHash> "XYZ" <{OTHER}> .
<{OKI}relation/1-two> <{RDF_TYPE}> <{KG}Relation> <{OTHER}> .
<{OKI}relation/1-two> <{KG}subject> <{rdf.actor_iri("Russia")}> <{OTHER}> .
<{OKI}relation/1-two> <{KG}subject> <{rdf.actor_iri("Poland")}> <{OTHER}> .
<{OKI}relation/1-two> <{KG}predicate> <https://w3id.org/kg/relation/offer> <{OTHER}> .
<{OKI}relation/1-two> <{KG}modality> "maybe" <{OTHER}> .
<{OKI}relation/1-two> <{KG}confidence> "1.5"^^<{XSD}decimal> <{OTHER}> .
<{OKI}relation/1-two> <{KG}object> "a literal" <{OTHER}> .
<{OKI}relation/1-two> <{DERIVED}> <{OKI}s/0-4> <{OTHER}> .
<{OKI}quote/1-empty> <{RDF_TYPE}> <https://schema.org/Quotation> <{OTHER}> .
<{OKI}quote/1-empty> <https://schema.org/creator> <{rdf.actor_iri("Russia")}> <{OTHER}> .
<{OKI}quote/1-empty> <https://schema.org/text> "" <{OTHER}> .
<{OKI}quote/1-empty> <{DERIVED}> <{OKI}s/0-4> <{OTHER}> .
<{OKI}mentions/x> <{RDF_TYPE}> <{KG}MentionCount> <{OTHER}> .
<{OKI}mentions/x> <{KG}actor> <{rdf.actor_iri("Russia")}> <{OTHER}> .
<{OKI}mentions/x> <{KG}count> "0"^^<{XSD}integer> <{OTHER}> .
<{OKI}mentions/y> <{RDF_TYPE}> <{KG}MentionCount> <{OTHER}> .
<{OKI}mentions/y> <{KG}actor> <{rdf.actor_iri("Poland")}> <{OTHER}> .
<{OKI}mentions/y> <{KG}count> "2" <{OTHER}> .
"""


def test_validate_issue_13_the_compiled_shapes_answer_as_pyshacl_does() -> None:
    store = good_store()
    store.load((BROKEN + MORE).encode("utf-8"), "nquads")
    native = validate_store(store)
    assert native == validate_store(store, engine="pyshacl")
    found = {(v.focus_node.removeprefix(OKI), v.path.removeprefix(KG)) for v in native
             if v.graph == OTHER}
    assert found == {
        ("s/0-4", "http://purl.org/dc/terms/isPartOf"),
        (rdf.doc_iri("other"), "contentHash"),
        ("relation/1-two", "subject"),
        ("relation/1-two", "modality"),
        ("relation/1-two", "confidence"),
        ("relation/1-two", "object"),
        ("quote/1-empty", "https://schema.org/text"),
        ("mentions/x", "count"),
        ("mentions/y", "count"),
    }


def test_validate_issue_13_only_the_documents_asked_for() -> None:
    store = good_store()
    store.load((BROKEN + MORE).encode("utf-8"), "nquads")
    assert validate_store(store, documents=["doc-a", "doc-b"], entities=False) == []
    assert {v.graph for v in validate_store(store, documents=["other"], entities=False)} == {
        OTHER}
    assert {v.graph for v in validate_store(store, documents=["other"])} == {
        OTHER, rdf.ENTITIES_GRAPH}
    assert validate_store(store, documents=[], entities=False) == []


def test_validate_issue_13_a_name_read_as_two_types_conforms() -> None:
    from test_rdf import actor

    from kg.records import Document, Extraction

    doc = "doc-j"
    store = open_store(None)
    store.replace_documents([Extraction(
        document=Document(id=doc, text="Jordan said. Jordan."),
        records=(actor(doc, "Jordan", "Person", mentions=2),
                 actor(doc, "Jordan", "Organization", mentions=1)))])
    assert validate_store(store) == []
