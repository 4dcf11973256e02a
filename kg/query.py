"""Run SPARQL queries on a store and format their answers.

A query is SPARQL text, a path to a ``.rq`` file, or the name of a competency query shipped
in ``kg/queries/`` (``kg query who-did-what``). Each shipped file starts with a ``#``
comment line that says what it answers; ``list_queries`` collects them. Queries run on the
union of all graphs (see ``kg.store``); updates are refused.

A shipped query answers one page (``limit``, default 100, and ``offset``) and takes the
parameters its ``#@NAME`` lines declare (``query_parameters``): ``actor``, ``issue``,
``event``, ``role``, ``type``, ``start``, ``end``. ``render_query`` turns them into SPARQL
terms kg makes itself, never into pasted text (issue #13).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg import rdf
from kg.errors import QueryError
from kg.records import ACTOR_TYPES, PREDICATES
from kg.store import QueryResult, Store, Term

__all__ = ["DEFAULT_LIMIT", "FORMATS", "PARAMETERS", "QUERIES_DIR", "QueryResult",
           "format_result", "list_queries", "load_query", "query_parameters", "refuse_updates",
           "render_query", "run_query"]

QUERIES_DIR = Path(__file__).parent / "queries"
FORMATS = ("table", "csv", "tsv", "json")

_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
# the prologue (comments, PREFIX, BASE) before a query's or an update's first keyword
_FIRST_KEYWORD = re.compile(
    r"^(?:\s+|#[^\n]*(?:\n|$)|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)*([A-Za-z]+)",
    re.IGNORECASE)
_UPDATE_KEYWORDS = {"insert", "delete", "load", "clear", "drop", "create", "add", "move",
                    "copy", "with"}
_TABLE_CELL_WIDTH = 80


def list_queries() -> dict[str, str]:
    """Return the shipped queries as ``{name: description}``, sorted by name.

    The description is the first comment line of the ``.rq`` file.

    Example:
        >>> list_queries()["quotes"]
        'Quotations: who said what, when, in which document'
    """
    queries = {}
    for path in sorted(QUERIES_DIR.glob("*.rq")):
        first = path.read_text(encoding="utf-8").lstrip().split("\n", 1)[0]
        queries[path.stem] = first.lstrip("#").strip() if first.startswith("#") else ""
    return queries


def load_query(query: str) -> str:
    """Return the SPARQL text of a shipped query name, a ``.rq`` path, or SPARQL text itself.

    Raises:
        QueryError: a ``.rq`` file that does not exist or an unknown query name.
    """
    if _NAME.match(query):
        path = QUERIES_DIR / f"{query}.rq"
        if path.is_file():
            return path.read_text(encoding="utf-8")
        known = ", ".join(list_queries())
        raise QueryError(f"unknown query {query!r} (shipped queries: {known})")
    if query.rstrip().endswith(".rq") and "\n" not in query.strip():
        path = Path(query.strip())
        try:
            return path.read_text(encoding="utf-8")
        except OSError as error:
            raise QueryError(f"{path}: cannot read the query: {error.strerror}") from None
    return query


# -- parameters of the shipped queries --------------------------------------------------------
#
# A shipped query marks where each parameter goes with a comment line `#@NAME SPARQL`,
# using `$NAME` for the value(s): `#@actor VALUES ?actor_iri { $actor }`. Without the
# parameter the line stays a comment, so each .rq file is plain SPARQL that any endpoint
# runs as it is; with it, the line becomes its SPARQL with `$NAME` replaced by terms kg
# builds itself (IRIs minted by kg.rdf from the name, validated IRIs, ISO dates), never by
# the user's text. Its page is the line marked `#@page`: `LIMIT 100 OFFSET 0  #@page`.

DEFAULT_LIMIT = 100
PARAMETERS = ("actor", "issue", "event", "role", "type", "start", "end")
_MARKER = re.compile(r"^([ \t]*)#@([a-z]+(?:,[a-z]+)*)[ \t]+(.*)$", re.MULTILINE)
# a plain line ending "#@unless NAMES" is dropped when any of those parameters is given:
# the pattern that picks a page when nothing narrower does
_UNLESS = re.compile(r"^([ \t]*)(\S[^\n]*?)[ \t]*#@unless[ \t]+([a-z]+(?:,[a-z]+)*)[ \t]*$",
                     re.MULTILINE)
_PAGE = re.compile(r"\bLIMIT\s+\d+(?:\s+OFFSET\s+\d+)?(?=\s*#@page\b)", re.IGNORECASE)
_UNSAFE_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def query_parameters(query: str) -> tuple[str, ...]:
    """Return the parameters a shipped query takes (``actor``, ``event`` ...), in file order.

    Example:
        >>> query_parameters("offers")
        ('actor', 'start', 'end')
    """
    names = dict.fromkeys(name for match in _MARKER.finditer(load_query(query))
                          for name in match.group(2).split(","))
    return tuple(name for name in names if name in PARAMETERS)


def _iri(value: str, what: str) -> str:
    if _UNSAFE_IRI.search(value):
        raise QueryError(f"{what} {value!r} is not an IRI")
    return f"<{value}>"


def _terms(name: str, values: Sequence[str]) -> str:
    """The SPARQL terms for a parameter's values: IRIs minted by kg.rdf, or checked dates."""
    terms = []
    for value in values:
        value = str(value).strip()
        if not value:
            raise QueryError(f"--{name} is empty")
        if name in ("start", "end"):
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                raise QueryError(f"--{'from' if name == 'start' else 'to'} {value!r} is not "
                                 "an ISO date (YYYY-MM-DD)") from None
            terms.append(f'"{day.isoformat()}"')
        elif name == "event":
            if value not in PREDICATES:
                raise QueryError(f"unknown event class {value!r} (use one of "
                                 f"{', '.join(PREDICATES)})")
            terms.append(f"<{rdf.KGR[value]}>")
        elif name == "type":
            if value not in ACTOR_TYPES:
                raise QueryError(f"unknown actor type {value!r} (use one of "
                                 f"{', '.join(ACTOR_TYPES)})")
            terms.append(f'"{value}"')
        elif value.startswith(("http://", "https://", "urn:")):
            terms.append(_iri(value, name))
        else:
            # a name: the IRI kg mints for it (case, accents and punctuation do not matter)
            mint = {"actor": rdf.actor_iri, "issue": rdf.issue_iri, "role": rdf.role_iri}[name]
            terms.append(f"<{mint(value)}>")
    return " ".join(terms)


# a date range of up to this many days is looked up day by day in the index of kg:date
# values (`#@days`); a longer or open one is a scan of every date with a FILTER
MAX_DAYS = 3 * 366


def _days(start: object, end: object) -> str | None:
    """Every kg:date value inside ``start..end``, as SPARQL terms, for an index look-up.

    Each day of the range as an xsd:date, and each month and year whose first day falls
    inside it as xsd:gYearMonth and xsd:gYear: a year or a month alone counts as its first
    day, as the FILTER lines say. None for an open range or one longer than MAX_DAYS.
    """
    if not isinstance(start, str) or not isinstance(end, str):
        return None
    try:
        first, last = dt.date.fromisoformat(start.strip()), dt.date.fromisoformat(end.strip())
    except ValueError:
        return None  # _terms says what is wrong with it
    if not 0 <= (last - first).days <= MAX_DAYS:
        return None
    xsd = "http://www.w3.org/2001/XMLSchema#"
    terms = []
    for offset in range((last - first).days + 1):
        day = first + dt.timedelta(days=offset)
        terms.append(f'"{day.isoformat()}"^^<{xsd}date>')
        if day.day == 1:
            terms.append(f'"{day.isoformat()[:7]}"^^<{xsd}gYearMonth>')
            if day.month == 1:
                terms.append(f'"{day.year:04d}"^^<{xsd}gYear>')
    return " ".join(terms)


def render_query(query: str, *, limit: int | None = DEFAULT_LIMIT, offset: int = 0,
                 **parameters: str | Sequence[str] | None) -> str:
    """Return the SPARQL text ``run_query`` runs: a shipped query with its parameters and page.

    Args:
        query: a shipped query name, a ``.rq`` path or SPARQL text.
        limit: rows per page for a query with a ``#@page`` line (at least 1).
        offset: rows of the answer skipped before the page.
        **parameters: ``actor``, ``issue``, ``role`` (names or IRIs), ``event`` (an event
            class: ``offer`` ...), ``type`` (an actor type), ``start``, ``end`` (ISO dates,
            inclusive); a sequence gives several values. None means not given.

    Raises:
        QueryError: a parameter the query does not take, or a bad value.

    Example:
        >>> print(render_query("offers", actor="Vladimir Putin", limit=10))
    """
    sparql = load_query(query)
    given = {name: value for name, value in parameters.items() if value is not None}
    for name in given:
        if name not in PARAMETERS:
            raise QueryError(f"unknown query parameter {name!r} (use {', '.join(PARAMETERS)})")
    marked = set(query_parameters(sparql))
    missing = [name for name in given if name not in marked]
    if missing:
        takes = ", ".join(f"--{'from' if n == 'start' else 'to' if n == 'end' else n}"
                          for n in query_parameters(sparql)) or "none"
        what = f"query {query!r}" if _NAME.match(query) else "this query"
        raise QueryError(f"{what} takes no --{missing[0]} (its parameters: {takes})")

    def expand(match: re.Match[str]) -> str:
        # a line marked with several names ("#@start,end") is kept when any is given
        indent, names, text = match.groups()
        names = [name for name in names.split(",") if name in given]
        if not names:
            return match.group(0)
        for name in names:
            values = given[name]
            if name == "days":  # terms kg made itself (_days)
                text = text.replace("$days", values)  # type: ignore[arg-type]
                continue
            values = [values] if isinstance(values, str) else list(values)
            text = text.replace(f"${name}", _terms(name, values))
        return indent + text

    days = _days(given.get("start"), given.get("end"))
    if days is not None:
        given["days"] = days
    sparql = _MARKER.sub(expand, sparql)

    def drop(match: re.Match[str]) -> str:
        indent, text, names = match.groups()
        if any(name in given for name in names.split(",")):
            return f"{indent}# {text}"
        return match.group(0)

    sparql = _UNLESS.sub(drop, sparql)
    if limit is not None and _PAGE.search(sparql):
        if limit < 1 or offset < 0:
            raise QueryError(f"--limit must be at least 1 and --offset at least 0 "
                             f"(got {limit} and {offset})")
        sparql = _PAGE.sub(f"LIMIT {limit} OFFSET {offset}", sparql, count=1)
    return sparql


def refuse_updates(sparql: str) -> None:
    """Raise ``QueryError`` when ``sparql`` is an update (INSERT, DELETE, LOAD, DROP ...)."""
    match = _FIRST_KEYWORD.match(sparql)
    if match and match.group(1).lower() in _UPDATE_KEYWORDS:
        raise QueryError(f"updates are not allowed here ({match.group(1).upper()}); "
                         "kg query only reads the store")


def run_query(store: Store, query: str, *, timeout: float | None = None,
              bindings: Mapping[str, Any] | None = None, limit: int | None = DEFAULT_LIMIT,
              offset: int = 0, **parameters: str | Sequence[str] | None) -> QueryResult:
    """Run a query on the store and read its whole answer.

    Args:
        store: an open store.
        query: SPARQL text, a path to a ``.rq`` file, or a shipped query name.
        timeout: give up after this many seconds.
        bindings: values for variables, e.g. ``{"speaker": "Vladimir Putin"}`` (strings
            that look like IRIs become IRIs).
        limit: rows per page of a shipped query (default 100); other queries keep their own.
        offset: rows skipped before the page.
        **parameters: a shipped query's parameters (``render_query``): ``actor``,
            ``issue``, ``role``, ``event``, ``type``, ``start``, ``end``.

    Raises:
        QueryError: unknown name, a parameter the query does not take or a bad value,
            malformed SPARQL (with the parser's message), an update, a failure or a timeout.

    Example:
        >>> result = run_query(store, "positions-over-time", actor="Vladimir Putin")
        >>> print(format_result(result, "table"))
    """
    sparql = render_query(query, limit=limit, offset=offset, **parameters)
    refuse_updates(sparql)
    return store.run(sparql, timeout=timeout, bindings=bindings)


# -- formatting -----------------------------------------------------------------------------

_PREFIX_BY_LENGTH = sorted(rdf.PREFIXES.items(), key=lambda item: -len(item[1]))
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _compact(iri: str) -> str:
    for prefix, namespace in _PREFIX_BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


def _plain(term: Term | None) -> str:
    """The value as a person reads it: a literal's text, an IRI in full."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        return term.value
    return str(term)


def _cell(term: Term | None) -> str:
    if isinstance(term, ox.NamedNode):
        text = _compact(term.value)
    elif isinstance(term, ox.BlankNode):
        text = f"_:{term.value}"
    else:
        text = _plain(term)
    text = " ".join(text.split())
    if len(text) > _TABLE_CELL_WIDTH:
        text = text[: _TABLE_CELL_WIDTH - 1] + "…"
    return text


def _table(result: QueryResult) -> str:
    header = list(result.variables)
    cells = [[_cell(term) for term in row] for row in result.rows]
    widths = [max([len(name)] + [len(row[i]) for row in cells]) for i, name in enumerate(header)]

    def line(values: list[str]) -> str:
        return "  ".join(value.ljust(width) for value, width in zip(values, widths)).rstrip()

    lines = [line(header), line(["-" * width for width in widths])]
    lines += [line(row) for row in cells]
    count = len(cells)
    lines.append(f"({count} row{'s' if count != 1 else ''})")
    return "\n".join(lines) + "\n"


def _csv(result: QueryResult) -> str:
    # SPARQL 1.1 CSV: plain values, CRLF line ends; text a spreadsheet would run as a
    # formula gets a leading ' (kg.export.spreadsheet_safe)
    from kg.export import spreadsheet_safe

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([spreadsheet_safe(_plain(term)) if not isinstance(term, ox.BlankNode)
                         else f"_:{term.value}" for term in row])
    return buffer.getvalue()


def _tsv(result: QueryResult) -> str:
    # SPARQL 1.1 TSV: ?-prefixed header, terms in N-Triples syntax
    lines = ["\t".join(f"?{name}" for name in result.variables)]
    lines += ["\t".join("" if term is None else str(term) for term in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        value = {"type": "literal", "value": term.value}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            value["datatype"] = term.datatype.value
        return value
    return {"type": "triple", "value": str(term)}


def _json(result: QueryResult) -> str:
    if result.kind == "ask":
        document: dict[str, Any] = {"head": {}, "boolean": result.boolean}
    else:
        bindings = [{name: _json_term(term) for name, term in zip(result.variables, row)
                     if term is not None} for row in result.rows]
        document = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Format a query answer as ``table``, ``csv``, ``tsv`` or ``json``.

    ``table`` is aligned plain text for people (IRIs shortened with the kg prefixes, long
    values cut at 80 characters); ``csv``, ``tsv`` and ``json`` follow the SPARQL 1.1 result
    formats. CONSTRUCT and DESCRIBE answers are always Turtle; ASK answers ``true``/``false``
    (or the SPARQL JSON boolean).

    Raises:
        QueryError: an unknown format.

    Example:
        >>> sys.stdout.write(format_result(run_query(store, "offers"), "csv"))
    """
    if fmt not in FORMATS:
        raise QueryError(f"unknown result format {fmt!r} (use one of {', '.join(FORMATS)})")
    if result.kind == "construct":
        data = ox.serialize(result.triples, format=ox.RdfFormat.TURTLE, prefixes=rdf.PREFIXES)
        return data.decode("utf-8")
    if fmt == "json":
        return _json(result)
    if result.kind == "ask":
        return "true\n" if result.boolean else "false\n"
    return {"table": _table, "csv": _csv, "tsv": _tsv}[fmt](result)
