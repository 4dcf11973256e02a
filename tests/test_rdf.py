"""Tests for kg.rdf: IRIs, the record → RDF mapping, N-Quads.

``sample_extractions()`` builds two small made-up articles by hand; test_store, test_query
and test_validate import it from here.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import given
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from kg import rdf
from kg.records import (
    Actor,
    Document,
    EntityRef,
    Evidence,
    Extraction,
    Position,
    Quote,
    Relation,
    Role,
)

TEXT_A = (
    "VILNIUS, March 4 - Russia offered Poland a gas deal on Tuesday. "
    'Foreign Minister Marta Lind of Poland said: "We welcome the talks." '
    "Russia did not reject the plan. Lind backs the gas deal."
)
TEXT_B = (
    "VILNIUS, April 10 - Marta Lind now opposes the gas deal. "
    "Russia warned Poland over the pipeline. "
    '"This is blackmail," Lind said.'
)


def evidence(text: str, sentence: str) -> Evidence:
    start = text.index(sentence)
    return Evidence(sentence=sentence, start=start, end=start + len(sentence))


def actor(doc: str, label: str, kind: str, **fields: object) -> Actor:
    return Actor(doc=doc, id=rdf.actor_iri(label), label=label, type=kind, **fields)


def thing(label: str) -> EntityRef:
    return EntityRef(id=rdf.thing_iri(label), label=label)


def issue(label: str) -> EntityRef:
    return EntityRef(id=rdf.issue_iri(label), label=label, type="Issue")


def extraction_a(*, offer_object: str = "a gas deal") -> Extraction:
    """Russia offers Poland a gas deal; Lind welcomes the talks and backs the deal."""
    doc = "doc-a"
    russia = actor(doc, "Russia", "Country", country="RU", code="RUS",
                   same_as=("http://www.wikidata.org/entity/Q159",))
    poland = actor(doc, "Poland", "Country", country="PL", aliases=("Poland",), mentions=2)
    lind = actor(doc, "Marta Lind", "Person", country="PL", aliases=("Marta Lind", "Lind"),
                 mentions=2)
    first = "Russia offered Poland a gas deal on Tuesday."
    quote_sentence = 'Foreign Minister Marta Lind of Poland said: "We welcome the talks."'
    return Extraction(
        document=Document(id=doc, text=TEXT_A, source="corpus/doc-a.txt", title="Gas talks",
                          author="By Jan Nowicki", publisher="The Test Times",
                          published="2030-03-04", place="VILNIUS"),
        records=(
            russia, poland, lind,
            Relation(doc=doc, subject=russia.ref, predicate="offer", object=thing(offer_object),
                     recipient=poland.ref, evidence=evidence(TEXT_A, first), verb="offered",
                     time="2030-03-03", confidence=0.9),
            Relation(doc=doc, subject=russia.ref, predicate="reject", object=thing("the plan"),
                     evidence=evidence(TEXT_A, "Russia did not reject the plan."),
                     verb="reject", negated=True),
            Quote(doc=doc, speaker=lind.ref, text="We welcome the talks.",
                  evidence=evidence(TEXT_A, quote_sentence)),
            Role(doc=doc, subject=lind.ref, role="Foreign Minister", of=poland.ref,
                 evidence=evidence(TEXT_A, quote_sentence)),
            Position(doc=doc, holder=lind.ref, issue=issue("gas deal"), polarity="support",
                     evidence=evidence(TEXT_A, "Lind backs the gas deal."),
                     basis="relation:support"),
        ),
    )


def extraction_b() -> Extraction:
    """A month later Lind opposes the deal and Russia threatens Poland."""
    doc = "doc-b"
    russia = actor(doc, "Russia", "Country", country="RU")
    poland = actor(doc, "Poland", "Country", country="PL")
    lind = actor(doc, "Marta Lind", "Person", aliases=("Lind",), mentions=2)
    return Extraction(
        document=Document(id=doc, text=TEXT_B, published="2030-04-10", place="VILNIUS"),
        records=(
            russia, poland, lind,
            Relation(doc=doc, subject=russia.ref, predicate="threaten", object=poland.ref,
                     evidence=evidence(TEXT_B, "Russia warned Poland over the pipeline."),
                     verb="warned"),
            Quote(doc=doc, speaker=lind.ref, text="This is blackmail,", time="2030-04-10",
                  evidence=evidence(TEXT_B, '"This is blackmail," Lind said.')),
            Position(doc=doc, holder=lind.ref, issue=issue("gas deal"), polarity="oppose",
                     evidence=evidence(TEXT_B, "Marta Lind now opposes the gas deal."),
                     time="2030-04-09", basis="relation:oppose"),
        ),
    )


def sample_extractions() -> list[Extraction]:
    return [extraction_a(), extraction_b()]


def as_dataset(quads: list[rdf.Quad]) -> rdflib.Dataset:
    dataset = rdflib.Dataset(default_union=True)
    for s, p, o, g in quads:
        dataset.add((s, p, o, g))
    return dataset


# -- IRIs -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("label", "expected"), [
    ("Vladimir Putin", "vladimir-putin"),
    ("United States", "united-states"),
    ("Lech Kaczyński", "lech-kaczynski"),
    ("Łódź", "lodz"),
    ("U.S. President George W. Bush", "u-s-president-george-w-bush"),
    ("  --NATO--  ", "nato"),
    ("Straße", "strasse"),
])
def test_rdf_slug_folds_to_ascii(label: str, expected: str) -> None:
    assert rdf.slug(label) == expected


def test_rdf_slug_of_non_latin_label_is_stable_and_distinct() -> None:
    assert rdf.slug("普京") == rdf.slug("普京")
    assert rdf.slug("普京") != rdf.slug("北京")
    assert re.fullmatch(r"u-[0-9a-f]{12}", rdf.slug("普京"))


@given(st.text())
def test_rdf_slug_is_always_an_iri_segment(label: str) -> None:
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rdf.slug(label))


def test_rdf_iri_functions_follow_the_model() -> None:
    base = "https://w3id.org/kg/id/"
    assert rdf.actor_iri("Vladimir Putin") == base + "actor/vladimir-putin"
    assert rdf.thing_iri("a radar station") == base + "thing/a-radar-station"
    assert rdf.issue_iri("US missile defense") == base + "issue/us-missile-defense"
    assert rdf.role_iri("national security adviser") == base + "role/national-security-adviser"
    assert rdf.doc_iri("2008/08 poland") == base + "doc/2008%2F08%20poland"
    assert rdf.sentence_iri("doc-a", 3, 40) == base + "doc/doc-a/s/3-40"
    assert rdf.graph_iri("doc-a") == "https://w3id.org/kg/graph/doc/doc-a"
    assert rdf.ENTITIES_GRAPH == "https://w3id.org/kg/graph/entities"
    assert type(rdf.actor_iri("Russia")) is str


def test_rdf_namespaces_refuse_unknown_terms() -> None:
    assert str(rdf.KG.Relation) == "https://w3id.org/kg/ontology#Relation"
    assert str(rdf.KGR.offer) == "https://w3id.org/kg/relation/offer"
    with pytest.raises(AttributeError):
        rdf.KG.Relashun  # noqa: B018
    with pytest.raises(AttributeError):
        rdf.KGR.ofer  # noqa: B018


# -- mapping ----------------------------------------------------------------------------------

def test_rdf_quads_split_document_graph_and_entities_graph() -> None:
    quads = rdf.extraction_quads(extraction_a())
    graphs = {str(g) for *_, g in quads}
    assert graphs == {rdf.graph_iri("doc-a"), rdf.ENTITIES_GRAPH}
    entities = {(str(s), str(p)) for s, p, _, g in quads if str(g) == rdf.ENTITIES_GRAPH}
    assert (rdf.actor_iri("Russia"), str(rdflib.RDFS.label)) in entities
    assert (rdf.issue_iri("gas deal"), str(rdflib.SKOS.prefLabel)) in entities
    # nothing about the document, its sentences or its nodes leaks into the entities graph
    assert not any(s.startswith("https://w3id.org/kg/id/doc/") for s, _ in entities)
    assert len(quads) == len(set(quads))


def test_rdf_round_trip_reads_back_the_key_facts() -> None:
    dataset = as_dataset(rdf.extraction_quads(extraction_a()))
    rows = dataset.query("""
        SELECT ?subject ?predicate ?object ?recipient ?time ?sentence ?start ?end ?doc_id WHERE {
            ?r a kg:Relation ; kg:subject/rdfs:label ?subject ; kg:predicate ?predicate ;
               kg:object/rdfs:label ?object ; kg:negated false ;
               prov:wasDerivedFrom ?s .
            OPTIONAL { ?r kg:recipient/rdfs:label ?recipient }
            OPTIONAL { ?r sem:hasTimeStamp ?time }
            ?s schema:text ?sentence ; kg:start ?start ; kg:end ?end ;
               dcterms:isPartOf/dcterms:identifier ?doc_id .
        }""", initNs=rdf.PREFIXES)
    [row] = list(rows)
    assert str(row.subject) == "Russia"
    assert row.predicate == rdf.KGR.offer
    assert str(row.object) == "a gas deal"
    assert str(row.recipient) == "Poland"
    assert row.time.toPython().isoformat() == "2030-03-03"
    assert TEXT_A[row.start.toPython():row.end.toPython()] == str(row.sentence)
    assert str(row.doc_id) == "doc-a"

    ask = dataset.query("""ASK {
        actor:russia kgr:offer thing:a-gas-deal .
        ?q a schema:Quotation ; schema:creator actor:marta-lind ;
           schema:text "We welcome the talks." .
        actor:marta-lind kgr:say ?q .
        ?role a kg:RoleAssignment ; kg:holder actor:marta-lind ; kg:of actor:poland ;
              kg:role/skos:prefLabel "Foreign Minister" .
        ?p a kg:Position ; kg:holder actor:marta-lind ; kg:issue issue:gas-deal ;
           kg:polarity "support" ; kg:sign 1 ; kg:basis "relation:support" .
        actor:russia kg:isoCode "RU" ; kg:cameoCode "RUS" ;
            owl:sameAs <http://www.wikidata.org/entity/Q159> ; a schema:Country, kg:Actor .
        actor:marta-lind kg:nationalityCode "PL" ; kg:nationality actor:poland ;
            skos:altLabel "Lind" .
        ?m a kg:MentionCount ; kg:actor actor:marta-lind ; kg:count 2 .
        ?d a schema:NewsArticle ; dcterms:title "Gas talks" ; dcterms:creator "By Jan Nowicki" ;
           dcterms:publisher "The Test Times" ; kg:datelinePlace "VILNIUS" ;
           kg:source "corpus/doc-a.txt" ; kg:mentions actor:russia .
    }""", initNs={**rdf.PREFIXES, "actor": rdf.KGI + "actor/", "thing": rdf.KGI + "thing/",
                  "issue": rdf.KGI + "issue/"})
    assert ask.askAnswer is True


def test_rdf_negated_relation_has_no_direct_triple() -> None:
    dataset = as_dataset(rdf.extraction_quads(extraction_a()))
    assert (rdflib.URIRef(rdf.actor_iri("Russia")), rdf.KGR.reject, None) not in dataset
    negated = list(dataset.query(
        "SELECT ?r WHERE { ?r kg:predicate kgr:reject ; kg:negated true }", initNs=rdf.PREFIXES))
    assert len(negated) == 1


def test_rdf_node_iris_are_stable_and_follow_the_record() -> None:
    first = rdf.extraction_quads(extraction_a())
    assert first == rdf.extraction_quads(extraction_a())
    relations = {str(s) for s, p, o, _ in first if o == rdf.KG.Relation}
    assert all(re.fullmatch(r"https://w3id.org/kg/id/doc/doc-a/relation/\d+-[0-9a-f]{8}", iri)
               for iri in relations)
    changed = rdf.extraction_quads(extraction_a(offer_object="a gas pipeline"))
    assert relations != {str(s) for s, p, o, _ in changed if o == rdf.KG.Relation}


def test_rdf_to_nquads_is_the_same_dataset() -> None:
    ex = extraction_a()
    expected = as_dataset(rdf.extraction_quads(ex))
    parsed = rdflib.Dataset()
    parsed.parse(data=rdf.to_nquads(ex), format="nquads")
    for graph in (rdf.graph_iri("doc-a"), rdf.ENTITIES_GRAPH):
        assert isomorphic(expected.graph(rdflib.URIRef(graph)), parsed.graph(rdflib.URIRef(graph)))
    assert len(list(ox.parse(rdf.to_nquads(ex), format=ox.RdfFormat.N_QUADS))) == len(
        rdf.extraction_quads(ex))


def test_rdf_plain_quads_are_the_rdflib_quads() -> None:
    # the store writes plain quads, exports read rdflib ones: one mapping, the same terms
    ex = extraction_a()
    plain, terms = rdf.plain_quads(ex), rdf.extraction_quads(ex)
    assert list(rdf.quads_to_nquads(plain)) == list(rdf.quads_to_nquads(terms))
    assert all(type(term) is str for quad in plain for term in quad[:2] + quad[3:])
    literals = {o for _s, _p, o, _g in terms if isinstance(o, rdflib.Literal)}
    assert rdflib.Literal(True) in literals or rdflib.Literal(False) in literals
    assert any(o.datatype == rdflib.XSD.integer and isinstance(o.toPython(), int)
               for o in literals)


def test_rdf_plain_terms_refuse_an_undefined_name() -> None:
    with pytest.raises(AttributeError):
        rdf._kg.noSuchProperty


@given(st.text(min_size=1).filter(lambda text: text.strip()))
def test_rdf_to_nquads_keeps_any_quotation_text(text: str) -> None:
    speaker = EntityRef(id=rdf.actor_iri("Speaker"), label="Speaker", type="Person")
    ex = Extraction(document=Document(id="q", text="x" * 10), records=(
        Quote(doc="q", speaker=speaker, text=text,
              evidence=Evidence(sentence=text, start=0, end=5)),))
    quads = list(ox.parse(rdf.to_nquads(ex), format=ox.RdfFormat.N_QUADS))
    texts = {q.object.value for q in quads if q.predicate.value == "https://schema.org/text"}
    assert texts == {text}


def test_rdf_external_iris_are_made_safe() -> None:
    odd = Actor(doc="d", id=rdf.actor_iri("Odd"), label="Odd", type="Organization",
                same_as=("http://example.org/a b<c>",))
    ex = Extraction(document=Document(id="d", text="Odd."), records=(odd,))
    parsed = list(ox.parse(rdf.to_nquads(ex), format=ox.RdfFormat.N_QUADS))
    assert ox.NamedNode("http://example.org/a%20b%3Cc%3E") in {q.object for q in parsed}


@pytest.mark.parametrize(("time", "expected", "datatype"), [
    ("2030-03-03", "2030-03-03", rdflib.XSD.date),
    ("2030-03-03T10:15:00", "2030-03-03", rdflib.XSD.date),
    ("2030-03", "2030-03", rdflib.XSD.gYearMonth),
    ("2030", "2030", rdflib.XSD.gYear),
])
def test_rdf_times_become_xsd_dates(time: str, expected: str, datatype: rdflib.URIRef) -> None:
    ex = extraction_b()
    quote = next(r for r in ex.records if isinstance(r, Quote))
    ex = Extraction(document=ex.document, records=(_replace_time(quote, time),))
    node = next(s for s, p, o, _ in rdf.extraction_quads(ex) if o == rdflib.SDO.Quotation)
    [date] = [o for s, p, o, _ in rdf.extraction_quads(ex)
              if s == node and p == rdflib.DCTERMS.date]
    assert (str(date), date.datatype) == (expected, datatype)


def test_rdf_bad_time_names_the_document() -> None:
    quote = next(r for r in extraction_b().records if isinstance(r, Quote))
    ex = Extraction(document=extraction_b().document, records=(_replace_time(quote, "last May"),))
    with pytest.raises(ValueError, match="doc-b: quote time: 'last May' is not an ISO date"):
        rdf.extraction_quads(ex)


def _replace_time(quote: Quote, time: str) -> Quote:
    return Quote(doc=quote.doc, speaker=quote.speaker, text=quote.text,
                 evidence=quote.evidence, time=time)


def test_rdf_insert_data_groups_quads_by_graph() -> None:
    text = rdf.insert_data(rdf.extraction_quads(extraction_a()))
    assert text.count(f"GRAPH <{rdf.graph_iri('doc-a')}>") == 1
    assert text.count(f"GRAPH <{rdf.ENTITIES_GRAPH}>") == 1
    store = ox.Store()
    store.update(f"INSERT DATA {{ {text} }}")
    assert len(store) == len(rdf.extraction_quads(extraction_a()))


def test_rdf_issue_13_a_name_read_as_two_types_has_one_mention_count() -> None:
    # "Jordan" as a person and as an organisation: one actor IRI, so one mention node
    # whose count is the sum, not one node with two kg:count values
    doc = "doc-j"
    person = actor(doc, "Jordan", "Person", mentions=2)
    organization = actor(doc, "Jordan", "Organization", mentions=3)
    other = actor(doc, "Marta Lind", "Person")
    quads = rdf.extraction_quads(Extraction(
        document=Document(id=doc, text="Jordan said. Jordan. Marta Lind."),
        records=(person, organization, other)))
    counts = {(str(s), int(o)) for s, p, o, _g in quads if p == rdf.KG.count}
    assert counts == {(rdf.mention_iri(doc, rdf.actor_iri("Jordan")), 5),
                      (rdf.mention_iri(doc, rdf.actor_iri("Marta Lind")), 1)}


def test_rdf_mention_iri_follows_the_actor_iri() -> None:
    assert rdf.mention_iri("a b", rdf.actor_iri("Vladimir Putin")) == \
        rdf.KGI + "doc/a%20b/mentions/vladimir-putin"
    # two actors whose labels slug alike but whose IRIs differ keep two mention nodes
    assert rdf.mention_iri("a", "http://www.wikidata.org/entity/Q159") != \
        rdf.mention_iri("a", rdf.actor_iri("Q159"))


def test_rdf_issue_13_role_concepts_are_described_once_in_the_entities_graph() -> None:
    quads = [quad for extraction in sample_extractions()
             for quad in rdf.extraction_quads(extraction)]
    role = rdflib.URIRef(rdf.role_iri("Foreign Minister"))
    graphs = {str(g) for s, _p, _o, g in quads if s == role}
    assert graphs == {rdf.ENTITIES_GRAPH}
    assert (role, rdflib.SKOS.prefLabel, rdflib.Literal("Foreign Minister"),
            rdflib.URIRef(rdf.ENTITIES_GRAPH)) in quads


def test_rdf_issue_13_every_record_node_carries_its_date() -> None:
    dates = {str(s).split("/")[-2]: str(o) for extraction in sample_extractions()
             for s, p, o, _g in rdf.extraction_quads(extraction) if p == rdf.KG.date
             and "/doc-b/" in str(s)}
    # its own time when the text gives one, else the publication date
    assert dates == {"relation": "2030-04-10", "quote": "2030-04-10", "position": "2030-04-09"}
    undated = Extraction(document=Document(id="u", text="Russia warned Poland."), records=(
        Relation(doc="u", subject=EntityRef(id=rdf.actor_iri("Russia"), label="Russia",
                                            type="Country"),
                 predicate="threaten", object=EntityRef(id=rdf.actor_iri("Poland"),
                                                        label="Poland", type="Country"),
                 evidence=evidence("Russia warned Poland.", "Russia warned Poland.")),))
    assert not [q for q in rdf.extraction_quads(undated) if q[1] == rdf.KG.date]
