"""Tables: a network view's edges and nodes as CSV, and the event and statement tables for
event-data and discourse-network users, each as CSV and as JSON Lines.

    csv                            a view's edges, columns CSV_EDGE_COLUMNS (nodes:
                                   ``write_csv_nodes``, both: ``write_csv_dir``)
    events, events-jsonl           one row per relation (event), columns EVENT_COLUMNS
    statements, statements-jsonl   one row per position, DNA-style, columns STATEMENT_COLUMNS

The event table is modelled on PLOVER's JSON field names (``event_type``, ``date``) and
GDELT's event table (source and target actor with CAMEO actor code, CAMEO event code and
root, a cooperative/conflictual sign, the source URL). The statement table is what
Discourse Network Analyzer (DNA / rDNA) imports: person, organisation, concept, agreement,
date, text.

Dates: a row's ``date`` is the record's own resolved time when it has one
(``date_source`` = ``text``), else its article's publication date (``published``), else
empty.

Example:
    >>> export(store, "events", sys.stdout.buffer, period=Period(start="2008-08-01"))
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, BinaryIO

import networkx as nx

from kg.export.networks import sorted_edges, flat_value, network
from kg.export.source import (
    ISSUES_QUERY,
    POSITIONS_QUERY,
    PREFIXES,
    RELATIONS_QUERY,
    THINGS_QUERY,
    GraphSource,
    actor_nodes,
    is_true,
    iso_date,
    labelled_nodes,
    local_name,
)

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
    writer.writerows({k: "" if v is None else spreadsheet_safe(flat_value(v))
                      for k, v in row.items()} for row in rows)
    text.flush()
    text.detach()  # leave the caller's stream open


def _csv_edges(graph: nx.Graph) -> Iterable[dict[str, Any]]:
    for u, v, _, data in sorted_edges(graph):
        yield {**data, "source": u, "target": v, "source_label": graph.nodes[u].get("label"),
               "target_label": graph.nodes[v].get("label"), "predicate": data.get("label")}


def _csv_nodes(graph: nx.Graph) -> Iterable[dict[str, Any]]:
    for node, data in sorted(graph.nodes(data=True)):
        yield {**data, "id": node}


def write_csv(source: GraphSource, out: BinaryIO, *, view: str = "actors") -> None:
    """Write a view's edges as CSV, one row per edge, columns CSV_EDGE_COLUMNS.

    ``predicate`` holds the relation type (actors), the polarity (positions) or
    "agreement"/"conflict". The nodes go to a second file with ``write_csv_nodes``, or
    both at once with ``write_csv_dir``.

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


EVENT_COLUMNS = (
    "id", "date", "date_source",
    "source", "source_type", "source_code", "source_country", "source_wikidata", "source_id",
    "target", "target_type", "target_code", "target_country", "target_wikidata", "target_id",
    "object", "event_class", "event_type", "cameo", "cameo_root", "sign", "verb",
    "modality", "negated", "confidence",
    "document", "url", "title", "publisher", "published", "sentence", "start", "end",
)
STATEMENT_COLUMNS = (
    "id", "date", "date_source", "person", "organization", "concept", "agreement",
    "polarity", "holder_type", "holder_id", "concept_id", "basis",
    "document", "url", "title", "publisher", "published", "text", "start", "end",
)


# -- queries --------------------------------------------------------------------------------

# the organisation or country a person holds a role of: DNA's "organization" of a person
AFFILIATIONS_QUERY = PREFIXES + """
SELECT ?holder ?of ?label WHERE { GRAPH ?g {
  ?role a kg:RoleAssignment ; kg:holder ?holder ; kg:of ?of }
  OPTIONAL { GRAPH ?e { ?of rdfs:label ?label } } }"""


# records are dated by their own time, else their article's publication date


# -- rows -----------------------------------------------------------------------------------

def _entities(source: GraphSource) -> dict[str, dict[str, Any]]:
    """Label and type of every actor, issue and thing; code, country and Wikidata IRI of
    actors (the same the network views show)."""
    return {**labelled_nodes(source, THINGS_QUERY, "Thing"),
            **labelled_nodes(source, ISSUES_QUERY, "Issue"), **actor_nodes(source)}


def _dated(row: dict[str, Any], key: str) -> tuple[str | None, str | None]:
    own, published = iso_date(row.get(key)), iso_date(row.get("published"))
    if own:
        return own, "text"
    return (published, "published") if published else (None, None)


def _int(value: Any) -> int | None:
    return int(value) if value is not None else None


def _document_columns(row: dict[str, Any]) -> dict[str, Any]:
    return {"document": row.get("doc_id"), "url": row.get("url"), "title": row.get("title"),
            "publisher": row.get("publisher"), "published": iso_date(row.get("published")),
            "start": _int(row.get("start")), "end": _int(row.get("end"))}


def event_rows(source: GraphSource) -> list[dict[str, Any]]:
    """One row per relation, columns EVENT_COLUMNS, ordered by date then id.

    The target is the recipient when there is one ("offered Poland a radar": Poland),
    else the object; ``object`` names the thing acted on when it is not the target.
    """
    from kg.lexicon import load_lexicon

    classes = load_lexicon().predicates
    entities = _entities(source)
    rows: dict[str, dict[str, Any]] = {}
    for row in source.select(RELATIONS_QUERY):
        if row["relation"] in rows:
            continue
        predicate = local_name(str(row["predicate"]))
        target = row.get("recipient") or row.get("object")
        obj = row.get("object")
        date, date_source = _dated(row, "time")
        event_class = classes.get(predicate)
        confidence = row.get("confidence")
        out: dict[str, Any] = {
            "id": row["relation"], "date": date, "date_source": date_source,
            "object": _label(entities, obj) if obj and obj != target else None,
            "event_class": predicate,
            "event_type": event_class.plover if event_class else None,
            "cameo": row.get("cameo") or (event_class.cameo if event_class else None),
            "cameo_root": event_class.cameo if event_class else None,
            "sign": event_class.sign if event_class else None,
            "verb": row.get("verb"), "modality": row.get("modality"),
            "negated": is_true(row.get("negated")),
            "confidence": float(confidence) if confidence is not None else None,
            "sentence": row.get("text"), **_document_columns(row)}
        for role, iri in (("source", row["subject"]), ("target", target)):
            entity = entities.get(iri, {}) if iri else {}
            out.update({role: _label(entities, iri) if iri else None,
                        f"{role}_type": entity.get("type") or (
                            ("Issue" if "/issue/" in iri else "Thing") if iri else None),
                        f"{role}_code": entity.get("code"),
                        f"{role}_country": entity.get("country"),
                        f"{role}_wikidata": entity.get("wikidata"), f"{role}_id": iri})
        rows[row["relation"]] = out
    return sorted(rows.values(), key=lambda r: (r["date"] or "9999", r["id"]))


def statement_rows(source: GraphSource) -> list[dict[str, Any]]:
    """One row per position, DNA-style, columns STATEMENT_COLUMNS, by date then id.

    ``person`` is the holder when a person; ``organization`` the holder when an
    organisation, country or group, else the organisation or country the person holds a
    role of (the first by name); ``concept`` the issue; ``agreement`` 1 for support and 0
    for opposition (DNA's binary qualifier).
    """
    entities = _entities(source)
    affiliations: dict[str, set[str]] = {}
    for row in source.select(AFFILIATIONS_QUERY):
        label = row.get("label") or _label(entities, row["of"])
        affiliations.setdefault(row["holder"], set()).add(str(label))
    rows: dict[str, dict[str, Any]] = {}
    for row in source.select(POSITIONS_QUERY):
        if row["position"] in rows:
            continue
        holder = row["holder"]
        holder_type = entities.get(holder, {}).get("type") or "Thing"
        is_person = holder_type == "Person"
        organization = (min(affiliations.get(holder, ()), default=None) if is_person
                        else _label(entities, holder))
        date, date_source = _dated(row, "date")
        polarity = str(row["polarity"])
        rows[row["position"]] = {
            "id": row["position"], "date": date, "date_source": date_source,
            "person": _label(entities, holder) if is_person else None,
            "organization": organization, "concept": _label(entities, row["issue"]),
            "agreement": 1 if polarity == "support" else 0, "polarity": polarity,
            "holder_type": holder_type, "holder_id": holder, "concept_id": row["issue"],
            "basis": row.get("basis"), "text": row.get("text"),
            **_document_columns(row)}
    return sorted(rows.values(), key=lambda r: (r["date"] or "9999", r["id"]))


def _label(entities: dict[str, dict[str, Any]], iri: str) -> str:
    return str(entities.get(iri, {}).get("label") or local_name(iri))


# -- writers --------------------------------------------------------------------------------

def _write_jsonl(out: BinaryIO, columns: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="\n")
    for row in rows:
        text.write(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False) + "\n")
    text.flush()
    text.detach()  # leave the caller's stream open


def _table_writer(name: str, columns: tuple[str, ...],
                  rows: Callable[[GraphSource], list[dict[str, Any]]], *, is_jsonl: bool):
    """A writer of one table as CSV (``_write_rows``) or JSON Lines, the exporter signature."""

    def write(source: GraphSource, out: BinaryIO, *, view: str = "actors") -> None:
        (_write_jsonl if is_jsonl else _write_rows)(out, columns, rows(source))

    table = "event" if name.startswith("events") else "statement"
    write.__name__ = f"write_{name.replace('-', '_')}"
    write.__doc__ = (f"Write the {table} table as {'JSON Lines' if is_jsonl else 'CSV'}, one "
                     f"row per {'relation' if table == 'event' else 'position'}, columns "
                     f"{table.upper()}_COLUMNS (the view does not apply).")
    return write


write_events = _table_writer("events", EVENT_COLUMNS, event_rows, is_jsonl=False)
write_events_jsonl = _table_writer("events-jsonl", EVENT_COLUMNS, event_rows, is_jsonl=True)
write_statements = _table_writer("statements", STATEMENT_COLUMNS, statement_rows,
                                 is_jsonl=False)
write_statements_jsonl = _table_writer("statements-jsonl", STATEMENT_COLUMNS, statement_rows,
                                       is_jsonl=True)
