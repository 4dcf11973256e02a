"""Tables for event-data and discourse-network users, and time windows on every export.

Two exporters register here (``kg.export.EXPORTERS``), each as CSV and as JSON Lines:

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

Time windows: ``Period`` (``kg export --from/--to/--window``) keeps only the records dated
inside it; undated records are left out when a period is given. ``windowed`` wraps a
source so that every view and table sees the period alone.

Example:
    >>> export(store, "events", sys.stdout.buffer, period=Period(start="2008-08-01"))
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import json
from collections.abc import Callable, Iterable
from typing import Any, BinaryIO

from kg.errors import ConfigError
from kg.export import (
    ISSUES_QUERY,
    POSITIONS_QUERY,
    PREFIXES,
    RELATIONS_QUERY,
    THINGS_QUERY,
    Exporter,
    GraphSource,
    _actor_nodes,
    _is_true,
    _iso,
    _labels,
    _local,
    _write_rows,
    register_exporter,
)

__all__ = [
    "EVENT_COLUMNS",
    "STATEMENT_COLUMNS",
    "Period",
    "event_rows",
    "statement_rows",
    "windowed",
    "write_events",
    "write_statements",
]

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


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Period:
    """A time window: ISO dates, inclusive; ``window`` days long when given.

    With ``window`` the period ends at ``end`` (or ``start + window - 1`` days, or the
    latest date in the data) and starts ``window - 1`` days before; in GEXF every edge
    then lasts ``window`` days, so Gephi's timeline replays a moving window.
    """

    start: str | None = None
    end: str | None = None
    window: int | None = None

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if value is not None and _iso(value) != value:
                raise ConfigError(f"--{'from' if name == 'start' else 'to'}: {value!r} is not an "
                                  f"ISO date (YYYY-MM-DD)")
        if self.window is not None and self.window < 1:
            raise ConfigError(f"--window: {self.window} is not a number of days (1 or more)")
        if self.window is not None and self.start and self.end:
            raise ConfigError("--window takes --from or --to, not both")
        if self.start and self.end and self.start > self.end:
            raise ConfigError(f"--from {self.start} is after --to {self.end}")

    @property
    def is_open(self) -> bool:
        """No bound at all: every record, dated or not."""
        return self.start is None and self.end is None and self.window is None

    def bounds(self, latest: str | None) -> tuple[str | None, str | None]:
        """The first and last day kept, given the latest date in the data."""
        if self.window is None:
            return self.start, self.end
        days = datetime.timedelta(days=self.window - 1)
        if self.start and not self.end:
            return self.start, (datetime.date.fromisoformat(self.start) + days).isoformat()
        end = self.end or latest
        if end is None:
            return None, None
        return (datetime.date.fromisoformat(end) - days).isoformat(), end


# the SELECTs whose rows are records with a date; the views and tables read these
_DATED_QUERIES: dict[str, tuple[str, ...]] = {}


class _Windowed:
    """A GraphSource that sees only the records dated inside a period."""

    def __init__(self, source: GraphSource, period: Period) -> None:
        self.source = source
        self.period = period
        self._bounds: tuple[str | None, str | None] | None = None

    def serialize(self, fmt: str, out: BinaryIO) -> None:
        raise ConfigError(f"--from/--to/--window apply to network and table formats, not {fmt}")

    def select(self, sparql: str) -> list[dict[str, Any]]:
        rows = self.source.select(sparql)
        keys = _DATED_QUERIES.get(sparql)
        if keys is None:
            return rows
        start, end = self.bounds()
        kept = []
        for row in rows:
            date = next((d for d in (_iso(row.get(k)) for k in keys) if d), None)
            if date is not None and (start is None or date >= start) and (
                    end is None or date <= end):
                kept.append(row)
        return kept

    def bounds(self) -> tuple[str | None, str | None]:
        if self._bounds is None:
            latest = None
            if self.period.window is not None and not (self.period.end or self.period.start):
                dates = [d for sparql, keys in _DATED_QUERIES.items()
                         for row in self.source.select(sparql)
                         if (d := next((x for x in (_iso(row.get(k)) for k in keys) if x), None))]
                latest = max(dates, default=None)
            self._bounds = self.period.bounds(latest)
        return self._bounds


def windowed(source: GraphSource, period: Period | None) -> GraphSource:
    """Wrap a source so that views and tables see only the records dated in ``period``.

    Example:
        >>> network(windowed(store, Period(start="2014-01-01", end="2014-12-31")), "conflict")
    """
    if period is None or period.is_open:
        return source
    return _Windowed(source, period)  # type: ignore[return-value]


def period_of(source: GraphSource) -> Period | None:
    """The period a source was wrapped in by ``windowed``, else None."""
    return source.period if isinstance(source, _Windowed) else None


# -- queries --------------------------------------------------------------------------------

# the organisation or country a person holds a role of: DNA's "organization" of a person
AFFILIATIONS_QUERY = PREFIXES + """
SELECT ?holder ?of ?label WHERE { GRAPH ?g {
  ?role a kg:RoleAssignment ; kg:holder ?holder ; kg:of ?of }
  OPTIONAL { GRAPH ?e { ?of rdfs:label ?label } } }"""


# records are dated by their own time, else their article's publication date
_DATED_QUERIES.update({
    RELATIONS_QUERY: ("time", "published"),
    POSITIONS_QUERY: ("date", "published"),
})


# -- rows -----------------------------------------------------------------------------------

def _entities(source: GraphSource) -> dict[str, dict[str, Any]]:
    """Label and type of every actor, issue and thing; code, country and Wikidata IRI of
    actors (the same the network views show)."""
    return {**_labels(source, THINGS_QUERY, "Thing"), **_labels(source, ISSUES_QUERY, "Issue"),
            **_actor_nodes(source)}


def _dated(row: dict[str, Any], key: str) -> tuple[str | None, str | None]:
    own, published = _iso(row.get(key)), _iso(row.get("published"))
    if own:
        return own, "text"
    return (published, "published") if published else (None, None)


def _int(value: Any) -> int | None:
    return int(value) if value is not None else None


def _document_columns(row: dict[str, Any]) -> dict[str, Any]:
    return {"document": row.get("doc_id"), "url": row.get("url"), "title": row.get("title"),
            "publisher": row.get("publisher"), "published": _iso(row.get("published")),
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
        predicate = _local(str(row["predicate"]))
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
            "negated": _is_true(row.get("negated")),
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
    return str(entities.get(iri, {}).get("label") or _local(iri))


# -- writers --------------------------------------------------------------------------------

def _write_jsonl(out: BinaryIO, columns: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="\n")
    for row in rows:
        text.write(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False) + "\n")
    text.flush()
    text.detach()  # leave the caller's stream open


def _table_exporter(name: str, columns: tuple[str, ...],
                    rows: Callable[[GraphSource], list[dict[str, Any]]], *,
                    is_jsonl: bool) -> Exporter:
    """Register an exporter writing one table as CSV (``_write_rows``) or JSON Lines."""

    def write(source: GraphSource, out: BinaryIO, *, view: str = "actors") -> None:
        (_write_jsonl if is_jsonl else _write_rows)(out, columns, rows(source))

    table = "event" if name.startswith("events") else "statement"
    write.__name__ = f"write_{name.replace('-', '_')}"
    write.__doc__ = (f"Write the {table} table as {'JSON Lines' if is_jsonl else 'CSV'}, one "
                     f"row per {'relation' if table == 'event' else 'position'}, columns "
                     f"{table.upper()}_COLUMNS (the view does not apply).")
    return register_exporter(name)(write)


write_events = _table_exporter("events", EVENT_COLUMNS, event_rows, is_jsonl=False)
write_events_jsonl = _table_exporter("events-jsonl", EVENT_COLUMNS, event_rows, is_jsonl=True)
write_statements = _table_exporter("statements", STATEMENT_COLUMNS, statement_rows,
                                   is_jsonl=False)
write_statements_jsonl = _table_exporter("statements-jsonl", STATEMENT_COLUMNS, statement_rows,
                                         is_jsonl=True)
