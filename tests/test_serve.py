"""Tests for kg.serve: the SPARQL 1.1 Protocol endpoint, /queries, /network and the page.

The store is built from two small made-up articles (a ferry link across the Baltic);
the fast tests use Starlette's TestClient, the ``slow`` ones a real uvicorn server on
127.0.0.1 queried by SPARQLWrapper, rdflib's SPARQLStore and curl.
"""

from __future__ import annotations

import contextlib
import importlib
import csv
import io
import json
import shutil
import socket
import subprocess
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from hypothesis import given, settings
from hypothesis import strategies as st
import pyoxigraph as ox
import pytest
import rdflib
import uvicorn
from starlette.testclient import TestClient

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
from kg.serve import NetworkFilter, bounded_network, create_app, network_json, uvicorn_config
from kg.store import open_store

TEXT_ONE = (
    "HELSINKI, May 2 - Finland offered Estonia a ferry link on Monday. "
    'Prime Minister Ida Koski of Finland said: "The sea should join us." '
    "Estonia welcomes the ferry link. Latvia opposes the ferry link."
)
TEXT_TWO = "RIGA, June 9 - Latvia accused Finland of haste. Estonia still backs the ferry link."

LOCAL = "http://127.0.0.1"  # the endpoint answers loopback Host headers only, by default
COUNT_ACTORS = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a kg:Actor }"
LABELS = "SELECT ?label WHERE { ?a a kg:Actor ; rdfs:label ?label } ORDER BY ?label"


def _evidence(text: str, sentence: str) -> Evidence:
    start = text.index(sentence)
    return Evidence(sentence=sentence, start=start, end=start + len(sentence))


def _actor(doc: str, label: str, kind: str) -> Actor:
    return Actor(doc=doc, id=rdf.actor_iri(label), label=label, type=kind)


def _issue(label: str) -> EntityRef:
    return EntityRef(id=rdf.issue_iri(label), label=label, type="Issue")


def extraction_one() -> Extraction:
    """Finland offers Estonia a ferry link; Estonia welcomes it, Latvia opposes it."""
    doc = "ferry-one"
    finland, estonia, latvia = (_actor(doc, name, "Country")
                                for name in ("Finland", "Estonia", "Latvia"))
    koski = _actor(doc, "Ida Koski", "Person")
    quoted = 'Prime Minister Ida Koski of Finland said: "The sea should join us."'
    ferry = _issue("Baltic ferry link")
    return Extraction(
        document=Document(id=doc, text=TEXT_ONE, published="2031-05-02", place="HELSINKI",
                          title="A ferry link"),
        records=(
            finland, estonia, latvia, koski,
            Relation(doc=doc, subject=finland.ref, predicate="offer",
                     object=EntityRef(id=rdf.thing_iri("a ferry link"), label="a ferry link"),
                     recipient=estonia.ref, verb="offered",
                     evidence=_evidence(TEXT_ONE,
                                        "Finland offered Estonia a ferry link on Monday.")),
            Quote(doc=doc, speaker=koski.ref, text="The sea should join us.",
                  evidence=_evidence(TEXT_ONE, quoted)),
            Role(doc=doc, subject=koski.ref, role="Prime Minister", of=finland.ref,
                 evidence=_evidence(TEXT_ONE, quoted)),
            Position(doc=doc, holder=estonia.ref, issue=ferry, polarity="support",
                     evidence=_evidence(TEXT_ONE, "Estonia welcomes the ferry link.")),
            Position(doc=doc, holder=latvia.ref, issue=ferry, polarity="oppose",
                     evidence=_evidence(TEXT_ONE, "Latvia opposes the ferry link.")),
        ),
    )


def extraction_two() -> Extraction:
    """Latvia accuses Finland; Estonia still supports the link."""
    doc = "ferry-two"
    finland, estonia, latvia = (_actor(doc, name, "Country")
                                for name in ("Finland", "Estonia", "Latvia"))
    return Extraction(
        document=Document(id=doc, text=TEXT_TWO, published="2031-06-09", place="RIGA"),
        records=(
            finland, estonia, latvia,
            Relation(doc=doc, subject=latvia.ref, predicate="accuse", object=finland.ref,
                     verb="accused",
                     evidence=_evidence(TEXT_TWO, "Latvia accused Finland of haste.")),
            Position(doc=doc, holder=estonia.ref, issue=_issue("Baltic ferry link"),
                     polarity="support",
                     evidence=_evidence(TEXT_TWO, "Estonia still backs the ferry link.")),
        ),
    )


def build_store(path: Path) -> Path:
    """Store both made-up articles at ``path`` (test_browser uses it too)."""
    with open_store(path) as store:
        store.replace_documents([extraction_one(), extraction_two()])
    return path


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("serve") / "store")


@pytest.fixture(scope="module")
def client(store_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(store_path, timeout=5.0), base_url=LOCAL) as test_client:
        yield test_client


def _labels(response_text: str) -> list[str]:
    return [b["label"]["value"] for b in json.loads(response_text)["results"]["bindings"]]


# -- protocol: how a query arrives ------------------------------------------------------------

def test_serve_get_query_answers_sparql_json(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": LABELS})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert _labels(response.text) == ["Estonia", "Finland", "Ida Koski", "Latvia"]


def test_serve_post_form_query(client: TestClient) -> None:
    response = client.post("/sparql", data={"query": LABELS})
    assert response.status_code == 200
    assert _labels(response.text) == ["Estonia", "Finland", "Ida Koski", "Latvia"]


def test_serve_post_sparql_query_body(client: TestClient) -> None:
    response = client.post("/sparql", content=LABELS.encode(),
                           headers={"content-type": "application/sparql-query"})
    assert response.status_code == 200
    assert _labels(response.text)[0] == "Estonia"


def test_serve_missing_query_is_400(client: TestClient) -> None:
    for response in (client.post("/sparql", data={"format": "json"}),
                     client.get("/sparql", params=[("query", "ASK {}"), ("query", "ASK {}")])):
        assert response.status_code == 400
        assert "exactly one query" in response.text


def test_serve_issue_11_service_description(client: TestClient) -> None:
    response = client.get("/sparql")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = graph.value(predicate=rdflib.RDF.type, object=sd.Service)
    assert graph.value(service, sd.endpoint) == rdflib.URIRef(f"{LOCAL}/sparql")
    assert graph.value(service, sd.supportedLanguage) == sd.SPARQL11Query
    assert set(graph.objects(service, sd.feature)) == {sd.UnionDefaultGraph}
    formats = set(graph.objects(service, sd.resultFormat))
    assert rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
    assert rdflib.URIRef("http://www.w3.org/ns/formats/RDF_XML") in formats
    as_json_ld = client.get("/sparql", headers={"accept": "application/ld+json"})
    assert as_json_ld.headers["content-type"].startswith("application/ld+json")
    assert rdflib.Graph().parse(data=as_json_ld.text, format="json-ld").isomorphic(graph)


def test_serve_text_that_names_a_file_is_not_read_from_disk(client: TestClient,
                                                             tmp_path: Path) -> None:
    rq = tmp_path / "secret.rq"
    rq.write_text("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", encoding="utf-8")
    for text in (str(rq), "actors"):
        response = client.get("/sparql", params={"query": text})
        assert response.status_code == 400, text


# -- protocol: result formats -----------------------------------------------------------------

@pytest.mark.parametrize(("accept", "media_type"), [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/html,application/xhtml+xml,*/*;q=0.8", "application/sparql-results+json"),
    ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
    ("", "application/sparql-results+json"),
])
def test_serve_select_negotiates_by_accept(client: TestClient, accept: str,
                                           media_type: str) -> None:
    response = client.get("/sparql", params={"query": LABELS}, headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "Ida Koski" in response.text


def test_serve_select_formats_are_well_formed(client: TestClient) -> None:
    def get(fmt: str) -> str:
        return client.get("/sparql", params={"query": LABELS, "format": fmt}).text

    names = "{http://www.w3.org/2005/sparql-results#}"
    root = ET.fromstring(get("xml"))
    assert [e.text for e in root.iter(f"{names}literal")] == ["Estonia", "Finland", "Ida Koski",
                                                              "Latvia"]
    assert list(csv.reader(io.StringIO(get("csv")))) == [["label"], ["Estonia"], ["Finland"],
                                                        ["Ida Koski"], ["Latvia"]]
    assert get("tsv").splitlines() == ["?label", '"Estonia"', '"Finland"', '"Ida Koski"',
                                       '"Latvia"']


def test_serve_format_parameter_overrides_accept(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": LABELS, "format": "csv"},
                          headers={"accept": "application/sparql-results+json"})
    assert response.headers["content-type"].startswith("text/csv")


def test_serve_issue_11_accept_wins_over_an_unknown_format(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": LABELS, "format": "yaml"},
                          headers={"accept": "text/csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")


@pytest.mark.parametrize(("fmt", "media_type"), [
    ("xml", "application/rdf+xml"), ("rdf", "application/rdf+xml"),
    ("json-ld", "application/ld+json"), ("n3", "text/turtle"), ("turtle", "text/turtle"),
])
def test_serve_issue_11_format_names_for_graph_results(client: TestClient, fmt: str,
                                                       media_type: str) -> None:
    response = client.get("/sparql", params={
        "query": "CONSTRUCT WHERE { ?a rdfs:label ?l }", "format": fmt})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media_type)


def test_serve_unknown_format_is_400_and_unacceptable_accept_is_406(client: TestClient) -> None:
    assert client.get("/sparql", params={"query": LABELS, "format": "yaml"}).status_code == 400
    response = client.get("/sparql", params={"query": LABELS}, headers={"accept": "image/png"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text


def test_serve_ask_in_every_result_format(client: TestClient) -> None:
    ask = "ASK { ?a rdfs:label 'Latvia' }"
    as_json = client.get("/sparql", params={"query": ask})
    assert json.loads(as_json.text)["boolean"] is True
    as_xml = client.get("/sparql", params={"query": ask, "format": "xml"})
    assert "<boolean>true</boolean>" in as_xml.text
    assert client.get("/sparql", params={"query": ask, "format": "csv"}).text.strip() == "true"


def test_serve_select_keeps_types_languages_and_unbound(client: TestClient) -> None:
    query = """SELECT ?n ?word ?none WHERE { BIND (3 AS ?n) BIND ("sea"@en AS ?word) }"""
    answer = json.loads(client.get("/sparql", params={"query": query}).text)
    [binding] = answer["results"]["bindings"]
    assert binding["n"] == {"type": "literal", "value": "3",
                            "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    assert binding["word"] == {"type": "literal", "value": "sea", "xml:lang": "en"}
    assert "none" not in binding


def test_serve_issue_13_json_is_what_oxigraph_writes(client: TestClient) -> None:
    # the endpoint sends what Oxigraph's writer writes (the JSON of an answer it has to cut
    # at max_rows, when Oxigraph's cannot be cut, it writes itself: the same JSON)
    query = r"""SELECT * WHERE {
      VALUES (?a ?b) { (<urn:x> "tab\there \"quoted\" \u00e9\u2028 \u0001 </script>"@fr)
                       ("1.5"^^xsd:decimal UNDEF) ("plain" "true"^^xsd:boolean) }
      BIND (<<( <urn:a> <urn:b> "c"@en )>> AS ?t)
    }"""
    mine = json.loads(client.get("/sparql", params={"query": query}).content)
    theirs = json.loads(ox.Store().query(query, prefixes=rdf.PREFIXES).serialize(
        format=ox.QueryResultsFormat.JSON))
    assert mine == theirs
    bnode = json.loads(client.get("/sparql", params={
        "query": "SELECT ?b WHERE { BIND (BNODE() AS ?b) }"}).content)
    assert bnode["results"]["bindings"][0]["b"]["type"] == "bnode"


@pytest.mark.parametrize(("accept", "media_type", "parse_as"), [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("*/*", "text/turtle", "turtle"),
])
def test_serve_construct_negotiates_rdf(client: TestClient, accept: str, media_type: str,
                                        parse_as: str) -> None:
    query = "CONSTRUCT { ?a rdfs:label ?label } WHERE { ?a a kg:Actor ; rdfs:label ?label }"
    response = client.get("/sparql", params={"query": query}, headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    graph = rdflib.Graph().parse(data=response.text, format=parse_as)
    assert len(graph) == 4
    assert rdflib.Literal("Ida Koski") in set(graph.objects())


def test_serve_describe_answers_as_rdf(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": f"DESCRIBE <{rdf.actor_iri('Latvia')}>",
                                             "format": "ntriples"})
    assert response.status_code == 200
    assert "Latvia" in response.text


# -- refusals ---------------------------------------------------------------------------------

def test_serve_malformed_query_is_400_with_parser_message(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.startswith("malformed SPARQL")
    assert "1:" in response.text  # the parser says where


@pytest.mark.parametrize(("query", "position"), [
    ("SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(?s = )\n}\n", "error at 3:3: "),
    ("ASK {\r\n\t?s ?p ?o }\r\ngarbage", "error at 3:1: "),
    ("SELECT ?s WHERE {", "error at 1:18: "),
])
def test_serve_issue_11_parse_errors_point_into_the_query(client: TestClient, query: str,
                                                          position: str) -> None:
    response = client.post("/sparql", content=query.encode(),
                           headers={"content-type": "application/sparql-query"})
    assert response.status_code == 400
    assert response.text.startswith(f"malformed SPARQL: {position}"), response.text


@pytest.mark.parametrize("request_kwargs", [
    {"params": {"update": "DROP ALL"}},
    {"data": {"update": "DROP ALL"}},
    {"content": b"DROP ALL", "headers": {"content-type": "application/sparql-update"}},
    {"params": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
    {"content": b"PREFIX x: <urn:x#>\nDELETE WHERE { ?s ?p ?o }",
     "headers": {"content-type": "application/sparql-query"}},
])
def test_serve_refuses_updates(client: TestClient, request_kwargs: dict) -> None:
    method = "GET" if set(request_kwargs) == {"params"} else "POST"
    response = client.request(method, "/sparql", **request_kwargs)
    assert response.status_code in (400, 403)
    assert client.get("/sparql", params={"query": COUNT_ACTORS}).json()["results"]["bindings"][0][
        "n"]["value"] == "4"


def test_serve_refuses_service(client: TestClient) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 403
    assert "SERVICE" in response.text


def test_serve_service_in_strings_and_comments_is_allowed(client: TestClient) -> None:
    query = '# no SERVICE here\nSELECT ("SERVICE" AS ?word) WHERE { }'
    assert client.get("/sparql", params={"query": query}).status_code == 200


def test_serve_allow_service_lets_the_query_through(store_path: Path) -> None:
    app = create_app(store_path, allow_service=True)
    # port 1 is closed: the query fails in Oxigraph's HTTP client, not in our refusal
    query = "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    with TestClient(app, base_url=LOCAL) as allowed:
        assert allowed.get("/sparql", params={"query": query}).status_code != 403


def test_serve_refuses_dataset_parameters(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": LABELS,
                                             "default-graph-uri": "urn:x"})
    assert response.status_code == 400


def test_serve_timeout_is_503(store_path: Path) -> None:
    # every triple joined with every other, four times over: ~10^9 rows, each one a chance
    # for the query to notice it was given up on
    slow = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with TestClient(create_app(store_path, timeout=0.2), base_url=LOCAL) as impatient:
        started = time.monotonic()
        response = impatient.get("/sparql", params={"query": slow})
    assert response.status_code == 503
    assert "timed out" in response.text
    assert time.monotonic() - started < 5


def test_serve_truncates_at_max_rows(store_path: Path) -> None:
    with TestClient(create_app(store_path, max_rows=2), base_url=LOCAL) as small:
        response = small.get("/sparql", params={"query": LABELS})
        assert response.headers["x-kg-truncated"] == "true"
        assert _labels(response.text) == ["Estonia", "Finland"]
        construct = small.get("/sparql", params={
            "query": "CONSTRUCT WHERE { ?a rdfs:label ?l }", "format": "ntriples"})
        assert construct.headers["x-kg-truncated"] == "true"
        assert len(construct.text.strip().splitlines()) == 2
        ask = small.get("/sparql", params={"query": "ASK {}"})
        assert "x-kg-truncated" not in ask.headers



# strings that look like what separates two solutions in SPARQL JSON: Oxigraph's writer is
# stopped early, so the endpoint cuts the answer from the solutions written, or runs it anew
_LOOKALIKE = ',{"v":{},{' * 3


@pytest.mark.parametrize(("count", "text", "max_rows"), [
    (5, "plain", 2), (2, "plain", 2), (3, "plain", 2),
    (5, _LOOKALIKE, 2), (2, _LOOKALIKE, 3), (2, _LOOKALIKE * 400, 1), (2, _LOOKALIKE * 400, 2),
], ids=["more", "as-many", "one-more", "lookalikes-more", "lookalikes-fewer",
        "long-lookalikes-more", "long-lookalikes-as-many"])
def test_serve_issue_13_answers_are_cut_at_max_rows_whatever_they_hold(
        store_path: Path, count: int, text: str, max_rows: int) -> None:
    values = [f"{text}{number}" for number in range(count)]
    literals = " ".join('"' + value.replace('"', '\\"') + '"' for value in values)
    query = f"SELECT ?v ?unbound WHERE {{ VALUES ?v {{ {literals} }} }}"
    with TestClient(create_app(store_path, max_rows=max_rows, workers=1),
                    base_url=LOCAL) as small:
        response = small.post("/sparql", data={"query": query})
        rows = [row["v"]["value"] for row in json.loads(response.content)["results"]["bindings"]]
        assert rows == values[:max_rows]
        assert (response.headers.get("x-kg-truncated") == "true") == (count > max_rows)
        xml = small.post("/sparql", data={"query": query},
                         headers={"accept": "application/sparql-results+xml"})
        assert xml.text.count("<result>") == min(count, max_rows)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="%+=&;\\#0123456789aAfFzZ \n\u00e9\u20ac"))
def test_serve_issue_13_form_bodies_decode_as_urllib_does(body: str) -> None:
    # kg.serve is the function (kg/__init__.py); the module is in sys.modules
    serve_module = importlib.import_module("kg.serve")
    expected = parse_qsl(body, keep_blank_values=True)
    assert serve_module._form_fields(body.encode("utf-8")) == expected


@given(st.lists(st.tuples(st.text(), st.text()), max_size=4))
def test_serve_issue_13_form_fields_round_trip(fields: list[tuple[str, str]]) -> None:
    serve_module = importlib.import_module("kg.serve")
    assert serve_module._form_fields(urlencode(fields).encode("ascii")) == fields

# -- freshness --------------------------------------------------------------------------------

def test_serve_sees_a_build_that_writes_meanwhile(tmp_path: Path) -> None:
    path = tmp_path / "store"

    def count(client: TestClient) -> str:
        query = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a schema:NewsArticle }"
        answer = client.get("/sparql", params={"query": query}).json()
        return answer["results"]["bindings"][0]["n"]["value"]

    # a build holds the store open for writing the whole time the server reads it
    with open_store(path) as writer:
        writer.replace_document(extraction_two())
        with TestClient(create_app(path, refresh=0.0), base_url=LOCAL) as fresh:
            before = count(fresh)
            writer.replace_document(extraction_one())
            during = count(fresh)
        with TestClient(create_app(path, refresh=3600.0), base_url=LOCAL) as stale:
            writer.remove_document("ferry-one")
            # within the refresh interval the server keeps answering from its snapshot
            cached = count(stale)
    assert (before, during, cached) == ("1", "2", "2")


def test_serve_answers_a_query_asked_again_from_its_cache(store_path: Path) -> None:
    query = "SELECT ?label WHERE { ?a rdfs:label ?label } ORDER BY ?label"
    with TestClient(create_app(store_path), base_url=LOCAL) as cached:
        first = cached.get("/sparql", params={"query": query})
        again = cached.get("/sparql", params={"query": query})
        # another format is another answer, computed by a worker, then cached in turn
        as_csv = cached.get("/sparql", params={"query": query}, headers={"accept": "text/csv"})
        clock = "SELECT (NOW() AS ?t) (RAND() AS ?r) WHERE {}"
        ticks = [cached.get("/sparql", params={"query": clock}) for _ in range(2)]
        hits = cached.app.state.cache.hits
    assert "x-kg-cache" not in first.headers and again.headers["x-kg-cache"] == "hit"
    assert again.content == first.content and _labels(again.text)
    assert "x-kg-cache" not in as_csv.headers and as_csv.text.startswith("label")
    # volatile functions are evaluated every time
    assert all("x-kg-cache" not in tick.headers for tick in ticks)
    assert ticks[0].json() != ticks[1].json() and hits == 1


def test_serve_cache_never_answers_for_a_store_that_changed(tmp_path: Path) -> None:
    path = tmp_path / "store"
    query = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a schema:NewsArticle }"

    def count(client: TestClient) -> str:
        return client.get("/sparql", params={"query": query}).json()[
            "results"]["bindings"][0]["n"]["value"]

    with open_store(path) as writer:
        writer.replace_document(extraction_two())
        with TestClient(create_app(path, refresh=0.0), base_url=LOCAL) as client:
            before, before_again = count(client), count(client)
            writer.replace_document(extraction_one())
            after, after_again = count(client), count(client)
        with TestClient(create_app(path, refresh=0.0, cache_bytes=0), base_url=LOCAL) as off:
            count(off)
            assert "x-kg-cache" not in off.get("/sparql", params={"query": query}).headers
            assert off.app.state.cache is None
    assert (before, before_again, after, after_again) == ("1", "1", "2", "2")


def test_serve_cache_keeps_within_its_budget() -> None:
    serve_module = importlib.import_module("kg.serve")
    cache = serve_module._AnswerCache(8000)
    for n in range(40):  # 900-byte answers: room for eight
        cache.put((None, f"q{n}", "", None), ("answer", b"x" * 900, "text/csv", False, None))
    assert cache.get((None, "q0", "", None)) is None
    assert cache.get((None, "q39", "", None)) is not None
    assert cache._bytes <= 8000 and len(cache._entries) == 8
    cache.put((None, "big", "", None), ("answer", b"x" * 1001, "text/csv", False, None))
    assert cache.get((None, "big", "", None)) is None  # over an eighth of the budget


def test_serve_accepts_an_open_store() -> None:
    store = open_store(None)
    store.replace_document(extraction_two())
    with TestClient(create_app(store), base_url=LOCAL) as memory:
        assert memory.get("/sparql", params={"query": "ASK { ?a rdfs:label 'Latvia' }"}).json()[
            "boolean"] is True


# -- /queries, /network, the page -------------------------------------------------------------

def test_serve_queries_lists_the_shipped_queries_with_text(client: TestClient) -> None:
    shipped = client.get("/queries").json()
    names = [query["name"] for query in shipped]
    assert "actors" in names and "positions-over-time" in names
    for query in shipped:
        assert query["description"] and "SELECT" in query["query"].upper()
        response = client.get("/sparql", params={"query": query["query"]})
        assert response.status_code == 200, query["name"]


def test_serve_shipped_actors_query_counts_mentions(client: TestClient) -> None:
    [actors] = [q for q in client.get("/queries").json() if q["name"] == "actors"]
    rows = client.get("/sparql", params={"query": actors["query"]}).json()["results"]["bindings"]
    assert {row["label"]["value"] for row in rows} == {"Estonia", "Finland", "Ida Koski", "Latvia"}


def test_serve_network_actors(client: TestClient) -> None:
    answer = client.get("/network", params={"view": "actors"}).json()
    labels = {node["label"] for node in answer["nodes"]}
    assert {"Finland", "Estonia", "Latvia"} <= labels
    by_id = {node["id"]: node for node in answer["nodes"]}
    edges = {(by_id[e["source"]]["label"], e["predicate"], by_id[e["target"]]["label"])
             for e in answer["edges"]}
    assert ("Finland", "offer", "Estonia") in edges
    assert ("Latvia", "accuse", "Finland") in edges
    assert len({e["id"] for e in answer["edges"]} | set(by_id)) == len(answer["edges"]) + len(by_id)


def test_serve_network_positions_are_signed(client: TestClient) -> None:
    answer = client.get("/network", params={"view": "positions"}).json()
    by_id = {node["id"]: node for node in answer["nodes"]}
    signs = {(by_id[e["source"]]["label"], e["polarity"], e["sign"]) for e in answer["edges"]}
    assert signs == {("Estonia", "support", 1), ("Latvia", "oppose", -1)}
    assert {by_id[e["target"]]["type"] for e in answer["edges"]} == {"Issue"}


def test_serve_issue_13_network_keeps_the_best_connected_nodes(client: TestClient) -> None:
    finland, estonia, latvia = (rdf.actor_iri(name) for name in ("Finland", "Estonia", "Latvia"))
    top = client.get("/network", params={"view": "actors", "limit": 1}).json()
    # Finland offered and was accused: two edges; the others have one each
    assert [node["id"] for node in top["nodes"]] == [finland]
    assert top["nodes"][0]["degree"] == 2
    assert top["edges"] == []
    assert top["total"] == {"nodes": 3, "edges": 2}
    assert top["types"] == ["Country", "Person"] and top["limit"] == 1
    grown = client.get("/network", params=[("view", "actors"), ("limit", "1"),
                                           ("expand", latvia)]).json()
    assert {node["id"] for node in grown["nodes"]} == {finland, latvia}
    assert [(e["source"], e["predicate"], e["target"]) for e in grown["edges"]] == [
        (latvia, "accuse", finland)]
    assert grown["expanded"] == [latvia]
    everything = client.get("/network", params={"view": "actors", "limit": 0}).json()
    assert {node["id"] for node in everything["nodes"]} == {finland, estonia, latvia}


def test_serve_issue_13_network_filters_before_it_ranks(client: TestClient) -> None:
    # the offer is dated 2031-05-02 (its article), the accusation 2031-06-09
    june = client.get("/network", params={"view": "actors", "from": "2031-06-01"}).json()
    assert [e["predicate"] for e in june["edges"]] == ["accuse"]
    assert june["total"] == {"nodes": 2, "edges": 1}
    shown = client.get("/network", params={"view": "actors", "from": "2031-06",
                                           "isolated": "1"}).json()
    # Estonia, unconnected in June, and Ida Koski, who only speaks, are shown on request
    assert len(shown["nodes"]) == 4
    assert client.get("/network", params={"view": "actors", "hide": "Country"}).json()[
        "nodes"] == []
    assert client.get("/network", params={"view": "actors", "confidence": "1"}).json()[
        "total"]["edges"] == 0
    for bad in ({"limit": "many"}, {"limit": "-1"}, {"confidence": "high"}):
        response = client.get("/network", params={"view": "actors", **bad})
        assert response.status_code == 400, bad


def test_serve_issue_13_bounded_network_caps_parallel_edges(monkeypatch) -> None:
    nodes = [{"id": f"urn:{name}", "label": name, "type": "Person"} for name in "abcd"]
    edges = [{"id": f"edge-{n}", "source": "urn:a", "target": "urn:b", "date": f"2020-01-{n + 10}"}
             for n in range(5)]
    edges += [{"id": "edge-5", "source": "urn:c", "target": "urn:a"}]
    answer = {"view": "actors", "directed": True, "nodes": nodes, "edges": edges}
    cut = bounded_network(answer, NetworkFilter(limit=3))
    assert [node["id"] for node in cut["nodes"]] == ["urn:a", "urn:b", "urn:c"]
    # the latest three of the five a -> b edges, each saying how many there are
    assert [(e["id"], e["parallel"]) for e in cut["edges"]] == [
        ("edge-2", 5), ("edge-3", 5), ("edge-4", 5), ("edge-5", 1)]
    assert cut["total"] == {"nodes": 3, "edges": 6}
    with_d = bounded_network(answer, NetworkFilter(limit=3, has_isolated=True))
    assert with_d["total"]["nodes"] == 4 and len(with_d["nodes"]) == 3
    # past MAX_EDGES, one edge per pair (kg.serve the name is the function serve)
    monkeypatch.setattr(importlib.import_module("kg.serve"), "MAX_EDGES", 3)
    tight = bounded_network(answer, NetworkFilter(limit=3))
    assert [e["id"] for e in tight["edges"]] == ["edge-4", "edge-5"]


def test_serve_network_unknown_view_is_400(client: TestClient) -> None:
    response = client.get("/network", params={"view": "galaxy"})
    assert response.status_code == 400
    assert "actors" in response.text


def test_serve_network_json_of_a_plain_graph() -> None:
    import networkx as nx

    graph = nx.Graph(view="agreement")
    graph.add_edge("urn:a", "urn:b", issues=("x", "y"), weight=2)
    answer = network_json(graph)
    assert answer["edges"] == [{"issues": ["x", "y"], "weight": 2, "id": "edge-0",
                                "source": "urn:a", "target": "urn:b"}]
    assert answer["directed"] is False


def test_serve_page_and_static_files(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for asset in ("/static/app.js", "/static/style.css", "/static/vendor/cytoscape.min.js"):
        assert asset in page.text or asset.endswith("style.css") or asset.endswith("app.js")
        assert client.get(asset).status_code == 200, asset
    # nothing is loaded from another host at run time
    assert "http://" not in page.text.replace("http://www.w3.org", "")
    assert "https://" not in page.text


def test_serve_missing_store_raises(tmp_path: Path) -> None:
    from kg.errors import StoreError

    with pytest.raises(StoreError):
        create_app(tmp_path / "nowhere")


# -- a real server ----------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_server(store_path: Path) -> Iterator[str]:
    """Run uvicorn on 127.0.0.1 in a thread; yield the /sparql URL (test_browser uses it)."""
    port = _free_port()
    config = uvicorn_config(create_app(store_path), "127.0.0.1", port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not running.started:
            if time.monotonic() > deadline or not thread.is_alive():
                pytest.fail("uvicorn did not start")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/sparql"
    finally:
        running.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(store_path: Path) -> Iterator[str]:
    with running_server(store_path) as url:
        yield url


@pytest.mark.slow
def test_serve_sparqlwrapper_select_and_construct(server: str) -> None:
    from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(server)
    client.setQuery(f"PREFIX rdfs: <{rdflib.RDFS}>\nPREFIX kg: <https://w3id.org/kg/ontology#>\n"
                    + LABELS)
    client.setReturnFormat(JSON)
    labels = [b["label"]["value"] for b in client.queryAndConvert()["results"]["bindings"]]
    assert labels == ["Estonia", "Finland", "Ida Koski", "Latvia"]

    client.setMethod(POST)
    client.setQuery("CONSTRUCT WHERE { ?a <http://www.w3.org/2000/01/rdf-schema#label> ?l }")
    client.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=client.queryAndConvert(), format="turtle")
    assert rdflib.Literal("Latvia") in set(graph.objects())


@pytest.mark.slow
def test_serve_issue_11_sparqlwrapper_defaults_for_every_query_type(server: str) -> None:
    # SPARQLWrapper's default return format is XML: it sends format=xml (and output=xml)
    # with an Accept header for the query type, so a CONSTRUCT asked "xml" wants RDF/XML
    from SPARQLWrapper import SPARQLWrapper

    latvia = rdflib.URIRef(rdf.actor_iri("Latvia"))
    client = SPARQLWrapper(server)
    client.setQuery(f"PREFIX rdfs: <{rdflib.RDFS}>\nSELECT ?l WHERE {{ <{latvia}> rdfs:label ?l }}")
    document = client.queryAndConvert()  # a DOM of SPARQL XML results
    assert [node.firstChild.data for node in document.getElementsByTagName("literal")] \
        == ["Latvia"]
    client.setQuery(f"ASK {{ <{latvia}> ?p ?o }}")
    boolean = client.queryAndConvert().getElementsByTagName("boolean")[0]
    assert boolean.firstChild.data == "true"
    client.setQuery(f"CONSTRUCT WHERE {{ <{latvia}> <{rdflib.RDFS.label}> ?l }}")
    assert (latvia, rdflib.RDFS.label, rdflib.Literal("Latvia")) in client.queryAndConvert()
    client.setQuery(f"DESCRIBE <{latvia}>")
    assert (latvia, rdflib.RDFS.label, rdflib.Literal("Latvia")) in client.queryAndConvert()


@pytest.mark.slow
@pytest.mark.parametrize("return_format", ["json-ld", "n3", "turtle", "xml", "rdf+xml"])
def test_serve_issue_11_sparqlwrapper_graph_return_formats(server: str,
                                                           return_format: str) -> None:
    from SPARQLWrapper import SPARQLWrapper

    latvia = rdflib.URIRef(rdf.actor_iri("Latvia"))
    client = SPARQLWrapper(server, returnFormat=return_format)
    for query in (f"CONSTRUCT WHERE {{ <{latvia}> <{rdflib.RDFS.label}> ?l }}",
                  f"DESCRIBE <{latvia}>"):
        client.setQuery(query)
        answer = client.queryAndConvert()
        if isinstance(answer, bytes):  # SPARQLWrapper hands N3 and Turtle over unparsed
            answer = rdflib.Graph().parse(data=answer, format="turtle")
        assert (latvia, rdflib.RDFS.label, rdflib.Literal("Latvia")) in answer, query


@pytest.mark.slow
def test_serve_sparqlwrapper_sees_400(server: str) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    client = SPARQLWrapper(server)
    client.setQuery("SELECT ?s WHERE { ?s ?p }")
    client.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed):
        client.queryAndConvert()


@pytest.mark.slow
def test_serve_rdflib_sparqlstore(server: str) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = rdflib.Graph(SPARQLStore(server, returnFormat="json"))
    rows = graph.query("""
        PREFIX kg: <https://w3id.org/kg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?label WHERE { ?a a kg:Actor ; rdfs:label ?label } ORDER BY ?label""")
    assert [str(row.label) for row in rows] == ["Estonia", "Finland", "Ida Koski", "Latvia"]
    latvia = rdflib.URIRef(rdf.actor_iri("Latvia"))
    assert graph.value(latvia, rdflib.RDFS.label) == rdflib.Literal("Latvia")
    assert (latvia, rdflib.RDFS.label, rdflib.Literal("Latvia")) in graph


@pytest.mark.slow
def test_serve_rdflib_sparqlstore_xml_and_construct(server: str) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = rdflib.Graph(SPARQLStore(server))  # rdflib's default: XML results, RDF/XML graphs
    ask = graph.query("ASK { ?a <http://www.w3.org/2000/01/rdf-schema#label> 'Estonia' }")
    assert ask.askAnswer is True
    built = graph.query(
        "CONSTRUCT WHERE { ?a <http://www.w3.org/2000/01/rdf-schema#label> ?l }").graph
    assert len(built) == 5  # four actors and one thing have an rdfs:label


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_serve_curl(server: str) -> None:
    def curl(*arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["curl", "-sS", "--max-time", "20", *arguments],
                              capture_output=True, text=True, check=True)

    as_csv = curl("-H", "Accept: text/csv", "--data-urlencode", f"query={LABELS}", server)
    assert as_csv.stdout.splitlines() == ["label", "Estonia", "Finland", "Ida Koski", "Latvia"]
    as_body = curl("-H", "Content-Type: application/sparql-query",
                   "-H", "Accept: application/sparql-results+json", "--data-binary",
                   "ASK { ?a a kg:Actor }", server)
    assert json.loads(as_body.stdout)["boolean"] is True
    refused = curl("-o", "/dev/null", "-w", "%{http_code}", "--data-urlencode",
                   "update=DROP ALL", server)
    assert refused.stdout == "403"
    assert ox.parse(curl("-G", "--data-urlencode", "query=CONSTRUCT WHERE { ?s a ?c }",
                         "-H", "Accept: application/n-triples", server).stdout,
                    format=ox.RdfFormat.N_TRIPLES) is not None



# -- issue 12: no request can take the host ---------------------------------------------------

class _Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it gets (and answers none)."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.1)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.socket.close()


@contextlib.contextmanager
def kg_serve(store_path: Path, *options: str) -> Iterator[tuple[str, int]]:
    """Run ``kg serve`` (the real command) on 127.0.0.1; yield its base URL and pid."""
    import sys

    import httpx

    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "-q", "serve", "--store", str(store_path),
         "--port", str(port), *options], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{url}/queries", timeout=1)
                break
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"kg serve did not start: {process.stderr.read().decode()}")
                time.sleep(0.1)
        yield url, process.pid
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.slow
def test_serve_issue_12_no_spelling_of_service_fetches(store_path: Path) -> None:
    import httpx

    listener = _Listener()
    target = f"<http://127.0.0.1:{listener.port}/sparql>"
    spellings = [
        f"SELECT ?s WHERE {{ #\rSERVICE {target} {{ ?s ?p ?o }} }}",  # a comment ended by CR
        f"SELECT ?s WHERE {{ SERVICE {target} {{ ?s ?p ?o }} }}",
        f"select ?s where {{ service silent {target} {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{{{}}SERVICE{target}{{}}}}",
    ]
    try:
        with kg_serve(store_path) as (url, _):
            for query in spellings:
                for response in (
                        httpx.get(f"{url}/sparql", params={"query": query}),
                        httpx.post(f"{url}/sparql", data={"query": query}),
                        httpx.post(f"{url}/sparql", content=query.encode(),
                                   headers={"content-type": "application/sparql-query"})):
                    assert response.status_code == 403, (query, response.text)
        assert listener.connections == 0
    finally:
        listener.close()


def test_serve_issue_12_workers_have_no_network(store_path: Path, monkeypatch) -> None:
    # even a SERVICE the text check misses reaches nothing: the workers have no network
    # kg.serve is the function (kg/__init__.py); the module is in sys.modules
    serve_module = importlib.import_module("kg.serve")

    monkeypatch.setattr(serve_module, "_check_service", lambda *args: None)
    listener = _Listener()
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/x> {{ ?s ?p ?o }} }}"
    try:
        with TestClient(create_app(store_path, workers=1), base_url=LOCAL) as client:
            if not client.app.state.queries.pool.is_isolated:
                pytest.skip("no Linux network namespaces here")
            response = client.get("/sparql", params={"query": query})
        assert response.status_code == 403
        assert "SERVICE" in response.text
        assert listener.connections == 0
    finally:
        listener.close()


def test_serve_issue_12_refuses_foreign_hosts_and_cross_site_requests(client: TestClient) -> None:
    ask = {"query": "ASK {}"}
    assert client.get("/sparql", params=ask, headers={"host": "localhost:7878"}).status_code == 200
    assert client.get("/sparql", params=ask, headers={"host": "[::1]:7878"}).status_code == 200
    rebound = client.get("/sparql", params=ask, headers={"host": "attacker.example:7878"})
    assert rebound.status_code == 400
    assert "attacker.example" in rebound.text
    # a form on another site posting to the endpoint
    posted = client.post("/sparql", data=ask, headers={"origin": "http://attacker.example"})
    assert posted.status_code == 403
    fetched = client.post("/sparql", data=ask, headers={"sec-fetch-site": "cross-site"})
    assert fetched.status_code == 403
    # the page itself posts from its own origin
    own = client.post("/sparql", data=ask, headers={"origin": "http://127.0.0.1"})
    assert own.status_code == 200


def test_serve_issue_11_cors_is_off_by_default(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"},
                          headers={"origin": "http://localhost:8888"})
    assert response.status_code == 403
    assert "access-control-allow-origin" not in response.headers
    preflight = client.options("/sparql", headers={
        "origin": "http://localhost:8888", "access-control-request-method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers


def test_serve_issue_11_cors_opens_the_endpoint_to_one_origin(store_path: Path) -> None:
    notebook = "http://localhost:8888"
    app = create_app(store_path, workers=1, cors=[notebook])
    with TestClient(app, base_url=LOCAL) as client:
        preflight = client.options("/sparql", headers={
            "origin": notebook, "access-control-request-method": "POST",
            "access-control-request-headers": "content-type"})
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == notebook
        assert "POST" in preflight.headers["access-control-allow-methods"]
        assert "content-type" in preflight.headers["access-control-allow-headers"].lower()
        answered = client.post("/sparql", content=b"ASK {}", headers={
            "origin": notebook, "sec-fetch-site": "cross-site",
            "content-type": "application/sparql-query"})
        assert answered.status_code == 200
        assert answered.headers["access-control-allow-origin"] == notebook
        assert "X-KG-Truncated" in answered.headers["access-control-expose-headers"]
        network = client.get("/network", headers={"origin": notebook})
        assert network.status_code == 200
        assert network.headers["access-control-allow-origin"] == notebook
        # any other site is still refused, and told nothing it could read
        other = client.get("/sparql", params={"query": "ASK {}"},
                           headers={"origin": "http://attacker.example"})
        assert other.status_code == 403
        assert "access-control-allow-origin" not in other.headers


def test_serve_issue_12_allowed_hosts_are_configurable(store_path: Path) -> None:
    app = create_app(store_path, allowed_hosts=["kg.internal"], workers=1)
    with TestClient(app, base_url="http://kg.internal") as named:
        assert named.get("/sparql", params={"query": "ASK {}"}).status_code == 200
        assert named.get("/sparql", params={"query": "ASK {}"},
                         headers={"host": "127.0.0.1"}).status_code == 400


def _tree(pid: int) -> tuple[float, int]:
    """CPU seconds used and resident bytes of a process and its children."""
    psutil = pytest.importorskip("psutil")
    parent = psutil.Process(pid)
    cpu, rss = 0.0, 0
    for process in [parent, *parent.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            times = process.cpu_times()
            cpu += times.user + times.system
            rss += process.memory_info().rss
    return cpu, rss


@pytest.mark.slow
@pytest.mark.parametrize("query", [
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    "SELECT ?c WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } ORDER BY ?c LIMIT 1",
], ids=["count", "order-by"])
def test_serve_issue_12_timed_out_query_stops_using_cpu_and_memory(store_path: Path,
                                                                   query: str) -> None:
    import httpx

    with kg_serve(store_path, "--timeout", "1.5", "--workers", "1") as (url, pid):
        time.sleep(1.0)  # the worker settles after start-up
        _, idle_rss = _tree(pid)
        started = time.monotonic()
        response = httpx.get(f"{url}/sparql", params={"query": query}, timeout=30)
        assert response.status_code == 503, response.text
        # whichever bound it meets first, the time or the memory limit, the query is stopped
        assert "timed out" in response.text or "MiB" in response.text, response.text
        assert time.monotonic() - started < 5
        time.sleep(2.0)  # the replacement worker starts
        cpu_before, rss_after = _tree(pid)
        time.sleep(1.0)
        cpu_after, _ = _tree(pid)
        assert cpu_after - cpu_before < 0.3  # nothing runs on
        assert rss_after < idle_rss + (100 << 20)  # the query's memory is back
        # and the endpoint still answers
        assert httpx.get(f"{url}/sparql", params={"query": "ASK {}"}).status_code == 200


@pytest.mark.slow
def test_serve_issue_12_busy_endpoint_answers_503_at_once(store_path: Path) -> None:
    import httpx

    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with kg_serve(store_path, "--timeout", "3", "--workers", "1", "--max-waiting", "0") as (
            url, _):
        running = threading.Thread(
            target=lambda: httpx.get(f"{url}/sparql", params={"query": slow}, timeout=30))
        running.start()
        time.sleep(0.5)
        started = time.monotonic()
        response = httpx.get(f"{url}/sparql", params={"query": "ASK {}"}, timeout=30)
        elapsed = time.monotonic() - started
        running.join()
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert elapsed < 1.0


def test_serve_issue_12_memory_limit_kills_the_query(store_path: Path) -> None:
    query = "SELECT ?c WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } ORDER BY ?c LIMIT 1"
    app = create_app(store_path, workers=1, timeout=20, max_memory=1)
    with TestClient(app, base_url=LOCAL) as limited:
        started = time.monotonic()
        response = limited.get("/sparql", params={"query": query})
    assert response.status_code == 503
    assert "memory" in response.text
    assert time.monotonic() - started < 5


# -- issue 12: bodies and connections ---------------------------------------------------------

def _exchange(port: int, data: bytes, *, wait: float = 5.0) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as connection:
        connection.sendall(data)
        answer = b""
        with contextlib.suppress(TimeoutError, ConnectionResetError):
            while chunk := connection.recv(65536):
                answer += chunk
                if b"\r\n\r\n" in answer:
                    break
        return answer


@contextlib.contextmanager
def _guarded_server(store_path: Path) -> Iterator[int]:
    port = _free_port()
    running = uvicorn_server(create_app(store_path, workers=1), port)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not running.started:
            assert time.monotonic() < deadline and thread.is_alive()
            time.sleep(0.05)
        yield port
    finally:
        running.should_exit = True
        thread.join(timeout=10)


def uvicorn_server(app, port: int) -> uvicorn.Server:
    return uvicorn.Server(uvicorn_config(app, "127.0.0.1", port, log_level="warning"))


def test_serve_issue_12_large_body_is_refused_before_it_is_read(store_path: Path) -> None:
    with _guarded_server(store_path) as port:
        # 100 MB announced, a few bytes sent: the answer comes without the rest
        announced = _exchange(port, b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    b"Content-Type: application/sparql-query\r\n"
                                    b"Content-Length: 100000000\r\n\r\nASK {}")
        assert announced.startswith(b"HTTP/1.1 413")
        # chunked, with no length: refused once 1 MiB has come in
        chunk = b"#" * 65536
        streamed = (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    b"Content-Type: application/sparql-query\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + (b"%x\r\n%s\r\n" % (len(chunk), chunk)) * 17)
        assert _exchange(port, streamed).startswith(b"HTTP/1.1 413")


def test_serve_issue_12_idle_and_slow_connections_are_closed(store_path: Path,
                                                             monkeypatch) -> None:
    # kg.serve is the function (kg/__init__.py); the module is in sys.modules
    serve_module = importlib.import_module("kg.serve")

    monkeypatch.setattr(serve_module, "HEADER_TIMEOUT", 0.5)
    with _guarded_server(store_path) as port:
        for greeting in (b"", b"GET /sparql?query=ASK%20%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n"):
            with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
                connection.sendall(greeting)
                started = time.monotonic()
                assert connection.recv(100) == b""  # closed by the server
                assert time.monotonic() - started < 3
