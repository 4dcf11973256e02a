"""Tests for kg.query: shipped competency queries, query resolution, result formats."""

from __future__ import annotations

import csv
import datetime
import io
import json
from pathlib import Path

import pytest
import rdflib
from test_rdf import sample_extractions

from kg import rdf
from kg.errors import QueryError
from kg.query import QUERIES_DIR, format_result, list_queries, load_query, run_query
from kg.store import Store, open_store, to_python

SHIPPED = ("actors", "offers", "positions-over-time", "quotes", "roles", "who-did-what")


def store() -> Store:
    store = open_store(None)
    store.replace_documents(sample_extractions())
    return store


def rows(name: str, **bindings: object) -> list[dict[str, object]]:
    result = run_query(store(), name, bindings=bindings or None)
    return [{n: to_python(v) for n, v in zip(result.variables, row)} for row in result.rows]


def test_query_list_has_every_shipped_query_with_its_description() -> None:
    queries = list_queries()
    assert tuple(queries) == SHIPPED
    assert all(description and not description.startswith("#") for description in queries.values())
    assert queries["quotes"].startswith("Quotations: who said what")


@pytest.mark.parametrize("name", SHIPPED)
def test_query_shipped_file_declares_its_prefixes(name: str) -> None:
    text = (QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8")
    assert text.startswith("# ")
    used = {prefix for prefix in rdf.PREFIXES if f" {prefix}:" in text or f"({prefix}:" in text}
    declared = {line.split()[1].rstrip(":") for line in text.splitlines()
                if line.startswith("PREFIX")}
    assert used <= declared


def test_query_who_did_what() -> None:
    found = rows("who-did-what")
    facts = [(r["subject"], r["predicate"], r["object"], r["date"], r["negated"]) for r in found]
    assert facts == [
        ("Russia", "offer", "a gas deal", datetime.date(2030, 3, 3), False),
        ("Russia", "reject", "the plan", datetime.date(2030, 3, 4), True),
        ("Russia", "threaten", "Poland", datetime.date(2030, 4, 10), False),
    ]
    assert found[0]["recipient"] == "Poland"
    assert found[0]["document"] == "doc-a"
    assert found[0]["sentence"] == "Russia offered Poland a gas deal on Tuesday."


def test_query_positions_over_time_shows_the_change() -> None:
    found = rows("positions-over-time")
    assert [(r["holder"], r["issue"], r["polarity"], r["sign"], r["date"], r["document"])
            for r in found] == [
        ("Marta Lind", "gas deal", "support", 1, datetime.date(2030, 3, 4), "doc-a"),
        ("Marta Lind", "gas deal", "oppose", -1, datetime.date(2030, 4, 9), "doc-b"),
    ]


def test_query_quotes_for_one_speaker() -> None:
    assert [(r["speaker"], r["text"], r["date"], r["document"]) for r in rows("quotes")] == [
        ("Marta Lind", "We welcome the talks.", datetime.date(2030, 3, 4), "doc-a"),
        ("Marta Lind", "This is blackmail,", datetime.date(2030, 4, 10), "doc-b"),
    ]
    assert rows("quotes", speaker="Marta Lind") == rows("quotes")
    assert rows("quotes", speaker="Ivan Nobody") == []


def test_query_offers() -> None:
    [offer] = rows("offers")
    assert offer["who"] == "Russia"
    assert offer["what"] == "a gas deal"
    assert offer["to_whom"] == "Poland"
    assert offer["date"] == datetime.date(2030, 3, 3)
    assert offer["dateline"] == "VILNIUS"


def test_query_actors_count_documents_and_mentions() -> None:
    found = {r["label"]: (r["type"], r["documents"], r["mentions"]) for r in rows("actors")}
    assert found == {"Marta Lind": ("Person", 2, 4), "Poland": ("Country", 2, 3),
                     "Russia": ("Country", 2, 2)}


def test_query_roles() -> None:
    [role] = rows("roles")
    assert (role["holder"], role["role"], role["of"], role["document"]) == (
        "Marta Lind", "Foreign Minister", "Poland", "doc-a")


def test_query_runs_sparql_text_and_rq_files(tmp_path: Path) -> None:
    sparql = "SELECT ?id WHERE { ?d dcterms:identifier ?id } ORDER BY ?id"
    path = tmp_path / "ids.rq"
    path.write_text(sparql, encoding="utf-8")
    assert run_query(store(), str(path)) == run_query(store(), sparql)
    assert [to_python(row[0]) for row in run_query(store(), sparql).rows] == ["doc-a", "doc-b"]


def test_query_unknown_name_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="unknown query 'who-did-wot' \\(shipped queries: actors,"):
        load_query("who-did-wot")
    missing = tmp_path / "gone.rq"
    with pytest.raises(QueryError, match=f"{missing}: cannot read the query"):
        load_query(str(missing))


def test_query_malformed_sparql_gives_the_parser_message() -> None:
    with pytest.raises(QueryError, match=r"^malformed SPARQL: error at 1:\d+: "):
        run_query(store(), "SELECT ?s WHERE { ?s ?p }")


@pytest.mark.parametrize("update", [
    "INSERT DATA { <http://a> <http://b> <http://c> }",
    "PREFIX ex: <http://example.org/>\nDELETE WHERE { ?s ex:p ?o }",
    "# clean up\nDROP ALL",
    "base <http://example.org/> clear default",
])
def test_query_refuses_updates(update: str) -> None:
    s = store()
    before = s.stats()
    with pytest.raises(QueryError, match="^updates are not allowed here"):
        run_query(s, update)
    assert s.stats() == before


def test_query_timeout() -> None:
    with pytest.raises(QueryError, match="timed out"):
        run_query(store(), "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
                  timeout=0.05)


# -- formats ----------------------------------------------------------------------------------

def test_format_table_is_aligned() -> None:
    text = format_result(run_query(store(), "positions-over-time"), "table")
    lines = text.splitlines()
    assert lines[0].split() == ["holder", "issue", "polarity", "sign", "date", "document",
                                "sentence"]
    assert set(lines[1]) <= {"-", " "}
    starts = [lines[0].index("polarity")]
    assert all(line[starts[0]:].startswith(("polarity", "--", "support", "oppose"))
               for line in lines[:4])
    assert lines[-1] == "(2 rows)"


def test_format_table_shortens_iris_and_long_values() -> None:
    result = run_query(store(), "actors")
    assert "kgi:actor/marta-lind" in format_result(result, "table")
    long = run_query(store(), 'SELECT ?t { BIND (CONCAT(STRUUID(), STRUUID(), STRUUID()) AS ?t) }')
    cell = format_result(long, "table").splitlines()[2]
    assert len(cell) == 80 and cell.endswith("…")


def test_format_csv_and_tsv() -> None:
    result = run_query(store(), "who-did-what")
    parsed = list(csv.DictReader(io.StringIO(format_result(result, "csv"))))
    assert parsed[0]["subject"] == "Russia"
    assert parsed[0]["date"] == "2030-03-03"
    assert parsed[0]["recipient"] == "Poland"
    assert parsed[1]["recipient"] == ""
    tsv = format_result(result, "tsv").splitlines()
    assert tsv[0].split("\t")[:3] == ["?subject", "?predicate", "?object"]
    assert '"2030-03-03"^^<http://www.w3.org/2001/XMLSchema#date>' in tsv[1].split("\t")


def test_format_json_follows_sparql_results_json() -> None:
    document = json.loads(format_result(run_query(store(), "positions-over-time"), "json"))
    assert document["head"]["vars"][:3] == ["holder", "issue", "polarity"]
    first = document["results"]["bindings"][0]
    assert first["holder"] == {"type": "literal", "value": "Marta Lind"}
    assert first["sign"] == {"type": "literal", "value": "1",
                             "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    iri = json.loads(format_result(run_query(store(), "SELECT ?a WHERE { ?a a kg:Issue }"), "json"))
    assert iri["results"]["bindings"] == [
        {"a": {"type": "uri", "value": rdf.issue_iri("gas deal")}}]


def test_format_ask() -> None:
    result = run_query(store(), "ASK { ?r a kg:Relation }")
    assert format_result(result, "table") == "true\n"
    assert json.loads(format_result(result, "json")) == {"head": {}, "boolean": True}


def test_format_construct_is_turtle() -> None:
    result = run_query(store(),
                       "CONSTRUCT { ?a rdfs:label ?l } WHERE { ?a a kg:Actor ; rdfs:label ?l }")
    graph = rdflib.Graph().parse(data=format_result(result, "table"), format="turtle")
    assert len(graph) == 3
    russia = rdflib.URIRef(rdf.actor_iri("Russia"))
    assert (russia, rdflib.RDFS.label, rdflib.Literal("Russia")) in graph


def test_format_unknown() -> None:
    with pytest.raises(QueryError, match="unknown result format 'xml'"):
        format_result(run_query(store(), "actors"), "xml")


def test_query_issue_12_csv_results_cannot_run_as_formulas():
    import pyoxigraph as ox

    from kg.query import format_result
    from kg.store import QueryResult

    result = QueryResult(kind="select", variables=("label", "n"),
                         rows=((ox.Literal("=1+2"), ox.Literal("-3", datatype=ox.NamedNode(
                             "http://www.w3.org/2001/XMLSchema#integer"))),))
    assert format_result(result, "csv").splitlines()[1] == "'=1+2,-3"


# -- issue #13: parameters and pages ---------------------------------------------------------

def labels(name: str, column: str, **parameters: object) -> list[object]:
    result = run_query(store(), name, **parameters)
    index = result.variables.index(column)
    return [to_python(row[index]) for row in result.rows]


@pytest.mark.parametrize("name", SHIPPED)
def test_query_issue_13_every_shipped_query_has_a_page_and_parameters(name: str) -> None:
    from kg.query import query_parameters, render_query

    assert "LIMIT 100 OFFSET 0" in render_query(name)
    assert "LIMIT 7 OFFSET 3" in render_query(name, limit=7, offset=3)
    assert "actor" in query_parameters(name)
    # without parameters the file is the query that runs: comments stay comments
    assert render_query(name) == load_query(name)


def test_query_issue_13_actor_parameter() -> None:
    assert labels("quotes", "speaker", actor="Marta Lind") == ["Marta Lind", "Marta Lind"]
    assert labels("quotes", "speaker", actor="marta   LIND") == ["Marta Lind", "Marta Lind"]
    assert labels("quotes", "speaker", actor="Ivan Nobody") == []
    # an actor as subject, object or recipient
    assert labels("who-did-what", "predicate", actor="Poland") == ["offer", "threaten"]
    assert labels("who-did-what", "predicate", actor=rdf.actor_iri("Russia")) == [
        "offer", "reject", "threaten"]
    assert labels("positions-over-time", "polarity", actor="Marta Lind") == ["support", "oppose"]
    assert labels("roles", "role", actor="Russia") == []
    assert labels("offers", "who", actor="Poland") == ["Russia"]
    assert labels("actors", "label", actor=["Poland", "Russia"]) == ["Poland", "Russia"]


def test_query_issue_13_event_issue_role_and_type_parameters() -> None:
    assert labels("who-did-what", "predicate", event="threaten") == ["threaten"]
    assert labels("who-did-what", "predicate", event=["offer", "reject"]) == ["offer", "reject"]
    assert labels("positions-over-time", "issue", issue="Gas Deal") == ["gas deal", "gas deal"]
    assert labels("positions-over-time", "issue", issue="oil") == []
    assert labels("roles", "holder", role="foreign minister") == ["Marta Lind"]
    assert labels("actors", "label", type="Country") == ["Poland", "Russia"]


def test_query_issue_13_date_range_is_inclusive() -> None:
    assert labels("who-did-what", "predicate", start="2030-03-04") == ["reject", "threaten"]
    assert labels("who-did-what", "predicate", end="2030-03-04") == ["offer", "reject"]
    assert labels("who-did-what", "predicate", start="2030-03-04", end="2030-03-04") == [
        "reject"]
    assert labels("quotes", "text", start="2030-04-01") == ["This is blackmail,"]
    assert labels("positions-over-time", "polarity", end="2030-03-31") == ["support"]


def test_query_issue_13_a_year_or_month_counts_as_its_first_day() -> None:
    from test_rdf import evidence

    from kg.records import Document, EntityRef, Extraction, Relation

    text = "Russia warned Poland."
    russia = EntityRef(id=rdf.actor_iri("Russia"), label="Russia", type="Country")
    poland = EntityRef(id=rdf.actor_iri("Poland"), label="Poland", type="Country")
    month = Extraction(document=Document(id="m", text=text), records=(
        Relation(doc="m", subject=russia, predicate="threaten", object=poland, time="2030-06",
                 evidence=evidence(text, text)),))
    graph = open_store(None)
    graph.replace_documents([month])
    found = run_query(graph, "who-did-what", start="2030-06-01", end="2030-06-01").rows
    assert len(found) == 1
    assert run_query(graph, "who-did-what", start="2030-06-02").rows == ()


def test_query_issue_13_pages_cover_the_answer_once() -> None:
    everything = run_query(store(), "who-did-what").rows
    pages = [run_query(store(), "who-did-what", limit=1, offset=n).rows for n in range(4)]
    assert [len(page) for page in pages] == [1, 1, 1, 0]
    assert sorted(str(row) for page in pages for row in page) == sorted(map(str, everything))


def test_query_issue_13_parameters_are_never_pasted_into_the_query() -> None:
    from kg.query import render_query

    # a name with SPARQL in it becomes a slug IRI, nothing else
    sparql = render_query("quotes", actor='x" } } DELETE WHERE { ?s ?p ?o } #')
    assert "DELETE" not in sparql
    assert f"<{rdf.actor_iri('x DELETE WHERE s p o')}>" in sparql
    with pytest.raises(QueryError, match="is not an IRI"):
        render_query("quotes", actor="http://example.com/a> } DELETE {")
    with pytest.raises(QueryError, match="is not an ISO date"):
        render_query("quotes", start='2030-01-01" ) } #')
    with pytest.raises(QueryError, match="unknown event class 'ofer'"):
        render_query("who-did-what", event="ofer")
    with pytest.raises(QueryError, match="unknown actor type"):
        render_query("actors", type="Robot")


def test_query_issue_13_a_parameter_the_query_does_not_take_is_an_error() -> None:
    with pytest.raises(QueryError, match=r"query 'actors' takes no --issue \(its parameters: "
                                         r"--actor, --type\)"):
        run_query(store(), "actors", issue="gas deal")
    with pytest.raises(QueryError, match="this query takes no --actor"):
        run_query(store(), "SELECT * WHERE { ?s ?p ?o }", actor="Russia")
    with pytest.raises(QueryError, match="--limit must be at least 1"):
        run_query(store(), "quotes", limit=0)


def test_query_issue_13_own_sparql_keeps_its_own_limit() -> None:
    sparql = "SELECT ?s WHERE { ?s a kg:Sentence }"
    assert len(run_query(store(), sparql, limit=1).rows) > 1


def test_query_issue_13_a_closed_range_is_looked_up_day_by_day() -> None:
    from kg.query import render_query

    closed = render_query("who-did-what", start="2030-03-01", end="2030-03-31")
    assert '"2030-03-15"^^' in closed and '"2030-03"^^' in closed and '"2030"^^' not in closed
    # the type pattern no longer picks the page: it checks the rows the range picked
    assert "      # GRAPH ?graph { ?relation a kg:Relation }" in closed
    assert "FILTER EXISTS { GRAPH ?graph { ?relation a kg:Relation } }" in closed
    assert "      VALUES ?page_date" not in render_query("who-did-what", start="2030-03-01")
    # a range too long for the look-up is a FILTER over every date, with the same answer
    assert labels("who-did-what", "predicate", start="2020-01-01", end="2040-01-01") == \
        labels("who-did-what", "predicate", start="2030-01-01", end="2030-12-31") == \
        ["offer", "reject", "threaten"]
