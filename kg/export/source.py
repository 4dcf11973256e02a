"""What every exporter reads: the source protocol, and the SPARQL SELECTs over the model in
docs/rdf-model.md that the network views and the tables share.

The source is anything with ``select`` and ``serialize`` (``GraphSource``): the store, or
in tests an in-memory dataset. Every pattern names its graph: entities live in
kgg:entities, records in kgg:doc/{id}, and a store's default graph need not be their union.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any, BinaryIO, Protocol


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


# -- values ---------------------------------------------------------------------------------

def iso_date(value: Any) -> str | None:
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


def is_true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() in ("true", "1"))


def local_name(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def clean(attributes: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in attributes.items() if value not in (None, "", ())}


def sorted_rows(rows: list[dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda row: tuple(str(row.get(k) or "") for k in keys))


def actor_nodes(source: GraphSource) -> dict[str, dict[str, Any]]:
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
        date = iso_date(row.get("date"))
        if iri in actors and date and (actors[iri].get("start") or "9999") > date:
            actors[iri]["start"] = date
    quotes: dict[str, set[str]] = defaultdict(set)
    for row in source.select(QUOTES_QUERY):
        quotes[row["node"]].add(row["quote"])
    for iri, node in actors.items():
        node["label"] = node["label"] or local_name(iri)
        node["type"] = node["type"] or "Thing"
        node["mentions"] = mentions.get(iri, 0)
        node["quotes"] = len(quotes.get(iri, ()))
    return actors


def labelled_nodes(source: GraphSource, query: str, kind: str) -> dict[str, dict[str, Any]]:
    nodes: dict[str, dict[str, Any]] = {}
    for row in source.select(query):
        node = nodes.setdefault(row["node"], {"label": local_name(row["node"]), "type": kind})
        if row.get("label"):
            node["label"] = str(row["label"])
    return nodes

