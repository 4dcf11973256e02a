"""Tests for kg.store: documents in named graphs, on disk and in memory."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from test_rdf import as_dataset, extraction_a, extraction_b, sample_extractions

import kg.store
from kg import rdf
from kg.errors import QueryError, StoreError
from kg.records import Document, Extraction
from kg.store import SERIALIZE_FORMATS, Store, open_store

RDFLIB_FORMATS = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "ntriples": "nt",
                  "jsonld": "json-ld"}


def filled(path: Path | None = None) -> Store:
    store = open_store(path)
    store.replace_documents(sample_extractions())
    return store


def summary_quads(quads: set[rdf.Quad]) -> set[rdf.Quad]:
    """The per-actor summaries the store keeps in the entities graph, worked out here."""
    nodes: dict[rdflib.term.Node, dict[rdflib.term.Node, object]] = {}
    for s, p, o, _g in quads:
        if p in (rdf.KG.actor, rdf.KG.count):
            nodes.setdefault(s, {})[p] = o
    totals: dict[rdflib.term.Node, list[int]] = {}
    for node in nodes.values():
        total = totals.setdefault(node[rdf.KG.actor], [0, 0])
        total[0] += 1
        total[1] += int(node[rdf.KG.count])
    entities = rdflib.URIRef(rdf.ENTITIES_GRAPH)
    return {quad for actor, (documents, mentions) in totals.items() for quad in (
        (actor, rdf.KG.documentCount, rdflib.Literal(documents), entities),
        (actor, rdf.KG.mentionCount, rdflib.Literal(mentions), entities))}


def all_quads() -> set[rdf.Quad]:
    quads = {q for ex in sample_extractions() for q in rdf.extraction_quads(ex)}
    return quads | summary_quads(quads)


def expected_dataset() -> rdflib.Dataset:
    return as_dataset(list(all_quads()))


def union(dataset: rdflib.Dataset) -> rdflib.Graph:
    graph = rdflib.Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def test_store_replace_document_keeps_only_the_second_version(tmp_path: Path) -> None:
    with open_store(tmp_path / "kg-store") as store:
        store.replace_document(extraction_a())
        store.replace_document(extraction_a(offer_object="a gas pipeline"))
        objects = store.select("""
            SELECT ?label WHERE { ?r kg:predicate kgr:offer ; kg:object/rdfs:label ?label }""")
        assert objects == [{"label": "a gas pipeline"}]
        assert store.stats()["relations"] == 2
        assert store.documents() == ["doc-a"]


def test_store_replace_drops_what_the_new_version_no_longer_says() -> None:
    store = filled()
    shorter = Extraction(document=extraction_b().document, records=extraction_b().records[:3])
    store.replace_document(shorter)
    assert store.select("SELECT ?q WHERE { GRAPH kgg:doc\\/doc-b { ?q a schema:Quotation } }") == []
    # the entities graph keeps what other documents may rely on
    assert store.stats()["issues"] == 1
    assert store.stats()["quotes"] == 1


def test_store_failed_replace_leaves_the_old_version(monkeypatch: pytest.MonkeyPatch) -> None:
    store = filled()
    before = store.serialize("nquads")
    monkeypatch.setattr(rdf, "insert_data", lambda quads: "GRAPH <x> { broken")
    with pytest.raises(StoreError, match="in-memory store: cannot store doc-a"):
        store.replace_document(extraction_a(offer_object="a gas pipeline"))
    assert store.serialize("nquads") == before


def test_store_persists_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "kg-store"
    with filled(path):
        pass
    with open_store(path) as store:
        assert store.documents() == ["doc-a", "doc-b"]
        assert store.document_hash("doc-a") == extraction_a().document.content_hash


def test_store_document_hash() -> None:
    store = filled()
    assert store.document_hash("doc-b") == extraction_b().document.content_hash
    assert store.document_hash("doc-c") is None
    assert store.document_hashes() == {
        "doc-a": extraction_a().document.content_hash,
        "doc-b": extraction_b().document.content_hash}


def test_store_stats_count_the_model() -> None:
    assert filled().stats() == {
        "documents": 2, "actors": 3, "issues": 1, "relations": 3, "quotes": 2,
        "positions": 2, "roles": 1, "triples": len(union(expected_dataset())),
        "quads": len(all_quads()),
    }


def test_store_batch_keeps_the_last_extraction_of_a_document() -> None:
    store = open_store(None)
    count = store.replace_documents([extraction_a(), extraction_b(),
                                     extraction_a(offer_object="a gas pipeline")])
    assert count == 2
    labels = store.select("SELECT ?l WHERE { ?r kg:predicate kgr:offer ; kg:object/rdfs:label ?l }")
    assert labels == [{"l": "a gas pipeline"}]


def test_store_remove_document() -> None:
    store = filled()
    assert store.remove_document("doc-a") is True
    assert store.remove_document("doc-a") is False
    assert store.documents() == ["doc-b"]


def test_store_select_returns_python_values() -> None:
    [row] = filled().select("""
        SELECT ?doc ?label ?start ?confidence ?negated ?date ?unbound WHERE {
            ?r kg:predicate kgr:offer ; kg:confidence ?confidence ; kg:negated ?negated ;
               sem:hasTimeStamp ?date ; kg:subject/rdfs:label ?label ;
               prov:wasDerivedFrom ?s .
            ?s kg:start ?start ; dcterms:isPartOf ?doc .
            OPTIONAL { ?r kg:nothing ?unbound }
        }""")
    assert row == {"doc": rdf.doc_iri("doc-a"), "label": "Russia", "start": 19,
                   "confidence": 0.9, "negated": False, "date": datetime.date(2030, 3, 3),
                   "unbound": None}


def test_store_select_bindings_fill_variables() -> None:
    sparql = "SELECT ?id ?day WHERE { ?d dcterms:identifier ?id ; dcterms:date ?day }"
    rows = filled().select(sparql, bindings={"day": datetime.date(2030, 4, 10)})
    assert rows == [{"id": "doc-b", "day": datetime.date(2030, 4, 10)}]


def test_store_select_refuses_other_query_forms() -> None:
    with pytest.raises(QueryError, match="select needs a SELECT query, not ASK"):
        filled().select("ASK { ?s ?p ?o }")


def test_store_malformed_query_gives_the_parser_message() -> None:
    with pytest.raises(QueryError, match=r"malformed SPARQL: error at 1:\d+"):
        filled().select("SELECT ?s WHERE { ?s ?p }")


def test_store_query_times_out() -> None:
    store = filled()
    with pytest.raises(QueryError, match="timed out after 0.05 s"):
        store.select("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }", timeout=0.05)


def test_store_query_is_native_and_lazy() -> None:
    result = filled().query("SELECT ?id WHERE { ?d dcterms:identifier ?id } ORDER BY ?id")
    assert isinstance(result, ox.QuerySolutions)
    assert [v.value for v in result.variables] == ["id"]
    assert [solution["id"].value for solution in result] == ["doc-a", "doc-b"]


def test_store_rdflib_dataset_sees_the_same_data() -> None:
    store = filled()
    rows = store.dataset.query("SELECT (COUNT(*) AS ?n) WHERE { ?r a kg:Relation }")
    assert [int(row.n) for row in rows] == [3]
    graphs = {str(g.identifier) for g in store.dataset.graphs()}
    assert {rdf.ENTITIES_GRAPH, rdf.graph_iri("doc-a"), rdf.graph_iri("doc-b")} <= graphs


@pytest.mark.parametrize("fmt", list(SERIALIZE_FORMATS))
def test_store_serialize_round_trips(fmt: str, tmp_path: Path) -> None:
    store = filled(tmp_path / "kg-store")
    data = store.serialize(fmt)
    assert isinstance(data, bytes)
    expected = expected_dataset()
    if SERIALIZE_FORMATS[fmt].supports_datasets:
        parsed = rdflib.Dataset()
        parsed.parse(data=data, format=RDFLIB_FORMATS[fmt])
        for graph in (rdf.ENTITIES_GRAPH, rdf.graph_iri("doc-a"), rdf.graph_iri("doc-b")):
            iri = rdflib.URIRef(graph)
            assert isomorphic(parsed.graph(iri), expected.graph(iri)), graph
    else:
        parsed = rdflib.Graph().parse(data=data, format=RDFLIB_FORMATS[fmt])
        assert isomorphic(parsed, union(expected))
    with_oxigraph = list(ox.parse(data, format=SERIALIZE_FORMATS[fmt]))
    dataset_format = SERIALIZE_FORMATS[fmt].supports_datasets
    assert len(with_oxigraph) == (len(all_quads()) if dataset_format else len(union(expected)))


def test_store_serialize_writes_files_and_text_streams(tmp_path: Path) -> None:
    store = filled()
    target = tmp_path / "out.ttl"
    assert store.serialize("turtle", target) is None
    text = io.StringIO()
    store.serialize("turtle", text)
    assert target.read_text(encoding="utf-8") == text.getvalue()
    assert "@prefix kg: <https://w3id.org/kg/ontology#>" in text.getvalue()


def test_store_serialize_unknown_format() -> None:
    with pytest.raises(StoreError, match="unknown RDF format 'rdfxml'"):
        filled().serialize("rdfxml")


def test_store_load_nquads_shards(tmp_path: Path) -> None:
    shard = tmp_path / "shard-0001.nq"
    shard.write_text(rdf.to_nquads(extraction_a()), encoding="utf-8")
    store = open_store(tmp_path / "kg-store")
    store.load(shard)
    store.load(rdf.to_nquads(extraction_b()).encode("utf-8"), "nquads")
    assert store.documents() == ["doc-a", "doc-b"]
    store.refresh_summaries()  # a bulk load writes no summaries
    assert sorted(store.serialize("nquads").splitlines()) == sorted(
        filled().serialize("nquads").splitlines())


def test_store_load_reports_bad_data(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"^data: not valid nquads: "):
        open_store(None).load(b"<a> <b> .", "nquads")
    missing = tmp_path / "missing.nq"
    with pytest.raises(StoreError, match=f"^{missing}: cannot load into in-memory store"):
        open_store(None).load(missing)


def test_store_path_that_is_a_file(tmp_path: Path) -> None:
    path = tmp_path / "kg-store"
    path.write_text("not a store")
    with pytest.raises(StoreError, match=f"^{path}: is a file, not a store directory$"):
        open_store(path)


def test_store_refuses_a_directory_that_is_not_a_store(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    message = f"^{tmp_path}: directory is not empty and holds no kg store$"
    with pytest.raises(StoreError, match=message):
        open_store(tmp_path)


def test_store_second_writer_is_told_the_store_is_locked(tmp_path: Path) -> None:
    path = tmp_path / "kg-store"
    with open_store(path):
        with pytest.raises(StoreError, match=f"^{path}: the store is locked by another writer"):
            open_store(path)


def test_store_read_only_reader_beside_a_writer(tmp_path: Path) -> None:
    path = tmp_path / "kg-store"
    with open_store(path) as writer:
        writer.replace_document(extraction_a())
        writer.oxigraph.flush()
        with open_store(path, read_only=True) as reader:
            assert reader.documents() == ["doc-a"]
            with pytest.raises(StoreError, match="the store is open read-only"):
                reader.replace_document(extraction_b())


def test_store_read_only_needs_an_existing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store here to open read-only"):
        open_store(tmp_path / "nothing", read_only=True)
    with pytest.raises(StoreError, match="in-memory store cannot be opened read-only"):
        open_store(None, read_only=True)


def test_store_closed_store_refuses_work(tmp_path: Path) -> None:
    store = filled(tmp_path / "kg-store")
    store.close()
    store.close()
    with pytest.raises(StoreError, match="the store is closed"):
        store.documents()
    with open_store(tmp_path / "kg-store") as again:  # the lock is gone
        assert again.documents() == ["doc-a", "doc-b"]


def test_store_empty_document_still_has_its_hash() -> None:
    store = open_store(None)
    store.replace_document(Extraction(document=Document(id="empty", text="Nothing here.")))
    assert store.documents() == ["empty"]
    assert store.document_hash("empty") is not None


def test_store_rdflib_queries_run_on_oxigraph(monkeypatch: pytest.MonkeyPatch) -> None:
    from rdflib.plugins.sparql import processor

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("rdflib's own SPARQL engine was used")

    monkeypatch.setattr(processor.SPARQLProcessor, "query", refuse)
    rows = filled().dataset.query("SELECT ?id WHERE { ?d dcterms:identifier ?id } ORDER BY ?id")
    assert [str(row.id) for row in rows] == ["doc-a", "doc-b"]


@pytest.mark.parametrize(("query", "message"), [
    # Oxigraph alone says "error at 4:2" for the FILTER, the end of the query
    ("SELECT * WHERE {\n ?s ?p ?o .\n FILTER(?x = )\n}", "error at 3:2: cannot read on from "
     "'FILTER(?x = )'"),
    ("SELECT * WHERE { ?s ?p ?o .\n\t?s ?p }", "error at 2:2: "),
    ("SELECT ?s WHERE {\n  ?s ?p ?o", "error at 2:11: the query ends early"),
    # rdflib reads an undeclared prefix; Oxigraph's own message, inside the query
    ("ASK {\n ?s ex:p ?o }", "error at 2:"),
])
def test_store_issue_11_malformed_query_says_where(query: str, message: str) -> None:
    with pytest.raises(QueryError) as raised:
        filled().select(query)
    assert str(raised.value).startswith(f"malformed SPARQL: {message}")


SUMMARIES = """SELECT ?actor ?documents ?mentions WHERE { GRAPH kgg:entities {
    ?actor kg:documentCount ?documents ; kg:mentionCount ?mentions } } ORDER BY ?actor"""


def summaries(store: Store) -> dict[str, tuple[int, int]]:
    return {row["actor"].rsplit("/", 1)[1]: (row["documents"], row["mentions"])
            for row in store.select(SUMMARIES)}


def test_store_issue_13_summaries_follow_every_write() -> None:
    store = filled()
    assert summaries(store) == {"marta-lind": (2, 4), "poland": (2, 3), "russia": (2, 2)}
    # replaced: doc-b's new version no longer mentions Poland
    changed = extraction_b()
    changed = Extraction(document=changed.document, records=tuple(
        record for record in changed.records if getattr(record, "label", None) != "Poland"))
    store.replace_documents([changed])
    assert summaries(store) == {"marta-lind": (2, 4), "poland": (1, 2), "russia": (2, 2)}
    store.remove_document("doc-a")
    assert summaries(store) == {"marta-lind": (1, 2), "russia": (1, 1)}
    # renamed: the new IRI takes the old one's counts, added to its own
    store.replace_documents([extraction_a()])
    store.rename_actors({rdf.actor_iri("Marta Lind"): (rdf.actor_iri("Russia"), "Russia")})
    assert summaries(store) == {"poland": (1, 2), "russia": (2, 6)}


def test_store_issue_13_summaries_add_the_batch_not_recount_the_store(monkeypatch) -> None:
    """A write adds what its documents change to the stored summaries: counting an actor
    again reads every mention of it in the store, and the most mentioned actors are in a
    share of all articles, so a build that did so grew with the square of its size."""
    store = open_store(None)
    store.replace_documents([extraction_a()])
    counted: list[set[str]] = []
    recount = kg.store._summary_update
    monkeypatch.setattr(kg.store, "_summary_update",
                        lambda actors: counted.append(set(actors or ())) or recount(actors))
    store.replace_documents([extraction_b()])  # Russia, Poland, Lind: all stored before
    store.replace_documents([extraction_b()])  # the same again: old counts out, new in
    store.remove_document("doc-a")
    assert counted == [set(), set(), set()]
    kept = summaries(store)
    assert kept == {"marta-lind": (1, 2), "poland": (1, 1), "russia": (1, 1)}
    store.refresh_summaries()
    assert summaries(store) == kept


def test_store_issue_13_write_repairs_a_missing_summary(tmp_path: Path) -> None:
    """An actor with no summary (a store filled by a bulk load) is counted in full when a
    write touches it."""
    with open_store(tmp_path / "store") as store:
        store.replace_documents([extraction_a(), extraction_b()])
        store.oxigraph.update(f"DELETE WHERE {{ GRAPH <{rdf.ENTITIES_GRAPH}> {{ "
                              f"<{rdf.actor_iri('Russia')}> <{rdf.KG.mentionCount}> ?m }} }}")
    with open_store(tmp_path / "store") as store:  # what it holds is read anew
        store.replace_documents([extraction_b()])
        assert summaries(store)["russia"] == (2, 2)
        # and a store where some mentioned actor has none at all counts new actors too
        store.oxigraph.update(f"DELETE WHERE {{ GRAPH <{rdf.ENTITIES_GRAPH}> {{ "
                              f"<{rdf.actor_iri('Poland')}> ?p ?o }} }}")
    with open_store(tmp_path / "store") as store:
        store.replace_documents([extraction_a()])
        assert summaries(store) == {"marta-lind": (2, 4), "poland": (2, 3), "russia": (2, 2)}


class _Reads:
    """A pyoxigraph store that counts the reads of the entities graph made through it."""

    def __init__(self, inner: ox.Store) -> None:
        self.inner, self.entity_reads = inner, 0

    def quads_for_pattern(self, *pattern):
        if pattern[3] == ox.NamedNode(rdf.ENTITIES_GRAPH):
            self.entity_reads += 1
        return self.inner.quads_for_pattern(*pattern)

    def __getattr__(self, name: str):
        return getattr(self.inner, name)


def test_store_issue_13_writes_do_not_read_the_summaries_back() -> None:
    """The summaries are read from the store once, then kept: reading them for every batch
    read keys every batch rewrote, and RocksDB's memory grew with the store."""
    store = open_store(None)
    store.replace_documents([extraction_a()])
    reads = store._inner = _Reads(store.oxigraph)
    store.replace_documents([extraction_b()])
    store.replace_documents([extraction_b()])
    store.remove_document("doc-a")
    assert reads.entity_reads == 0
    kept = summaries(store)
    store.refresh_summaries()
    assert summaries(store) == kept == {"marta-lind": (1, 2), "poland": (1, 1),
                                        "russia": (1, 1)}


def test_store_issue_13_refresh_summaries_recomputes_them_all() -> None:
    store = filled()
    kept = summaries(store)
    store.oxigraph.update(f"DELETE WHERE {{ GRAPH <{rdf.ENTITIES_GRAPH}> {{ "
                          f"?a <{rdf.KG.mentionCount}> ?m }} }}")
    store.oxigraph.update(f"INSERT DATA {{ GRAPH <{rdf.ENTITIES_GRAPH}> {{ "
                          f"<{rdf.actor_iri('Nobody')}> <{rdf.KG.documentCount}> 7 }} }}")
    store.refresh_summaries()
    assert summaries(store) == kept
