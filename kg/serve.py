"""A read-only SPARQL 1.1 Protocol endpoint and a small page to query and look at the graph.

``create_app(store_path)`` returns a Starlette app; ``serve(store_path)`` runs it with
uvicorn on 127.0.0.1:7878. Routes:

    /sparql     SPARQL 1.1 Protocol query operation: GET ?query=, POST form query=,
                POST application/sparql-query; GET without a query answers the SPARQL 1.1
                Service Description (Turtle, or another RDF format by Accept).
                SELECT/ASK answer as SPARQL JSON, XML, CSV
                or TSV; CONSTRUCT/DESCRIBE as Turtle, N-Triples, JSON-LD or RDF/XML, chosen
                by the Accept header or, overriding it, ``format=`` (a name, an alias in
                FORMAT_ALIASES such as SPARQLWrapper's ``xml``, ``json-ld`` and ``n3``, or
                a media type; one it does not know gives way to the Accept header)
    /queries    the shipped competency queries as JSON: name, description, SPARQL text
    /network    ``?view=actors|positions|agreement|conflict``: nodes and edges as JSON, cut
                down to the ``limit`` best connected nodes within a filter, plus the
                neighbours of the nodes named by ``expand`` (see ``bounded_network``)
    /           the HTML page (kg/static): query editor, result table, network view

What the endpoint refuses, and how it answers:

    malformed query                 400, text/plain, the parser's message
    update (update=, sparql-update
    body, or an update in query=)   403
    SERVICE (federated query)       403 unless ``allow_service=True``: it would make this
                                    server fetch from any host a client names. The refusal
                                    does not rest on spotting the word: queries run in
                                    worker processes cut off the network (see kg._workers)
    a Host header not in
    ``allowed_hosts``               400 (DNS rebinding: a web page's name bound to 127.0.0.1)
    a cross-site browser request    403 (``Origin`` of another site, ``Sec-Fetch-Site:
                                    cross-site``): a page the operator visits cannot query.
                                    ``cors=`` (``--cors ORIGIN``) opens the endpoint to the
                                    pages of the origins it names (a notebook, a web tool)
    running longer than ``timeout``  503; the worker process running it is killed, so the
    s                               CPU and memory it held come back at once
    waiting ``timeout`` s for a
    free worker                     503, with ``Retry-After``
    over ``max_memory`` bytes        503; the worker is killed the same way
    all ``workers`` busy and
    ``max_waiting`` requests queued 503 at once, with ``Retry-After``
    a body over 1 MiB               413 as soon as the Content-Length or the bytes read pass
                                    it; a body that stalls for ``BODY_TIMEOUT`` s: 408
    more than ``max_rows`` rows     the first ``max_rows`` rows (or triples) are sent with
                                    the header ``X-KG-Truncated: true``; the page says so

Freshness: the store is opened read-only, which takes no lock, so ``kg build`` can keep
writing. A read-only Oxigraph store is a snapshot of the moment it opened, so the app
looks at the store directory at most once every ``refresh`` seconds and, when a file in it
has changed, opens a new snapshot for the requests that follow; queries already running
finish on the old one. Oxigraph calls reading during a write "undefined behaviour": a
snapshot that fails to open is skipped and the previous one kept.
"""

from __future__ import annotations

import asyncio
import codecs
import collections
import contextlib
import gc
import ipaddress
import itertools
import json
import logging
import os
import re
import threading
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import networkx as nx
import pyoxigraph as ox
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import QueryParams
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # httptools is not installed: uvicorn's h11 protocol serves instead
    HttpToolsProtocol = None

from kg import rdf
from kg._workers import WorkerError, WorkerPool
from kg.errors import ConfigError, KgError, QueryError, StoreError
from kg.export import VIEWS, network
from kg.query import list_queries, load_query, refuse_updates
from kg.store import Store, open_store

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "STATIC_DIR", "NetworkFilter", "bounded_network",
           "create_app", "network_json", "serve", "service_description", "uvicorn_config"]

logger = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
STATIC_DIR = Path(__file__).parent / "static"
MAX_QUERY_BYTES = 1 << 20
HEADER_TIMEOUT = 10.0  # seconds a client has to send a request's headers (slowloris)
KEEP_ALIVE_TIMEOUT = 5.0  # seconds an idle keep-alive connection is kept open
BODY_TIMEOUT = 10.0  # seconds a request body may stall between two chunks
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")

# format name -> (media types it answers to, first one is sent), in order of preference
RESULT_FORMATS: dict[str, tuple[ox.QueryResultsFormat, tuple[str, ...]]] = {
    "json": (ox.QueryResultsFormat.JSON, ("application/sparql-results+json", "application/json")),
    "xml": (ox.QueryResultsFormat.XML,
            ("application/sparql-results+xml", "application/xml", "text/xml")),
    "csv": (ox.QueryResultsFormat.CSV, ("text/csv",)),
    "tsv": (ox.QueryResultsFormat.TSV, ("text/tab-separated-values",)),
}
GRAPH_FORMATS: dict[str, tuple[ox.RdfFormat, tuple[str, ...]]] = {
    "turtle": (ox.RdfFormat.TURTLE, ("text/turtle", "application/x-turtle")),
    "ntriples": (ox.RdfFormat.N_TRIPLES, ("application/n-triples", "text/plain")),
    "jsonld": (ox.RdfFormat.JSON_LD, ("application/ld+json", "application/json")),
    "rdfxml": (ox.RdfFormat.RDF_XML, ("application/rdf+xml", "application/xml", "text/xml")),
}
# other names clients give ``format=``: SPARQLWrapper sends its return format for every query
# type (xml, json, json-ld, n3, turtle …), so a CONSTRUCT asked "xml" means RDF/XML. Turtle is
# N3 without N3's extensions, so it answers n3
FORMAT_ALIASES: dict[str, str] = {
    "rdf": "rdfxml", "rdf+xml": "rdfxml", "xml": "rdfxml", "json-ld": "jsonld",
    "json": "jsonld", "n3": "turtle", "ttl": "turtle", "nt": "ntriples",
    "n-triples": "ntriples", "srj": "json", "srx": "xml",
}

# IRIs, strings and comments, which may contain the word SERVICE without calling one. A
# comment ends at a line feed or a carriage return (SPARQL's EOL): Oxigraph reads
# "#\rSERVICE <…>" as a SERVICE call. This only gives the common spellings a clear 403; what
# stops every spelling is the worker's lack of a network (kg._workers)
_NOT_CODE = re.compile(r"""<[^<>"{}|^`\\\s]*>|'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n\r]|\\.)*'"""
                       r"""|"(?:[^"\\\n\r]|\\.)*"|#[^\n\r]*""", re.DOTALL)
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
# where workers cannot be cut off the network, the word anywhere is refused
_ANY_SERVICE = re.compile(r"SERVICE", re.IGNORECASE)
# what Oxigraph's HTTP client says when a worker without a network tries a SERVICE call
_NO_NETWORK = ("os error 101", "failed to lookup address", "Network is unreachable")
_UPDATE_TYPES = ("application/sparql-update",)


class _Refusal(Exception):
    """A request the endpoint answers with an error status and a one-line message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# -- the store ------------------------------------------------------------------------------

class _Snapshots:
    """The read-only store, reopened when its directory changes (see the module docstring)."""

    def __init__(self, source: str | Path | Store, refresh: float) -> None:
        self._lock = threading.Lock()
        self._refresh = refresh
        if isinstance(source, Store):
            self.path: Path | None = None
            self._store = source
        else:
            self.path = Path(source)
            self._store = open_store(self.path, read_only=True)
        self._stamp = self._read_stamp()
        self._checked = time.monotonic()

    @property
    def stamp(self) -> tuple[int, int] | None:
        """What the directory looked like when the current snapshot opened (None in memory):
        equal stamps, in this process or a worker, mean the same store."""
        return self._stamp

    def _read_stamp(self) -> tuple[int, int] | None:
        if self.path is None:
            return None
        try:
            entries = list(os.scandir(self.path))
            return (len(entries), max((entry.stat().st_mtime_ns for entry in entries), default=0))
        except OSError:
            return None

    def current(self) -> Store:
        """Return the newest snapshot, opening a new one when the store has changed."""
        with self._lock:
            if self.path is None or time.monotonic() - self._checked < self._refresh:
                return self._store
            self._checked = time.monotonic()
            stamp = self._read_stamp()
            if stamp == self._stamp:
                return self._store
            try:
                # the old snapshot is not closed: queries running on it finish, then it is
                # released with its last reference
                self._store = open_store(self.path, read_only=True)
                self._stamp = stamp
                logger.debug("%s: changed on disk, opened a new snapshot", self.path)
            except StoreError as error:
                logger.warning("%s; still answering from the previous snapshot", error)
            return self._store


# -- content negotiation --------------------------------------------------------------------

def _accepted(accept: str) -> list[str]:
    """The media ranges of an Accept header, best first (ties keep the header's order)."""
    ranges = []
    for position, part in enumerate(accept.split(",")):
        media, *parameters = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media and quality > 0:
            ranges.append((-quality, position, media.lower()))
    return [media for _, _, media in sorted(ranges)]


def _negotiate(formats: dict[str, tuple[Any, tuple[str, ...]]], accept: str,
               requested: str | None) -> str | None:
    """Pick a format name from ``format=`` or the Accept header; ``None`` if none fits.

    A ``format=`` this query type has no name for gives way to an Accept header that names
    a media type it has: clients such as SPARQLWrapper send both, and the header is the
    precise one. With nothing to fall back on, an unknown ``format=`` is refused (a typo).
    """
    if requested:
        requested = requested.strip().lower()
        name = _format_named(formats, requested)
        if name is not None:
            return name
        specific = [media for media in _accepted(accept) if media != "*/*"]
        name = _from_accept(formats, specific)
        if name is not None:
            return name
        known = ", ".join(formats)
        raise _Refusal(400, f"unknown format {requested!r} for this query (use one of {known})")
    if not accept.strip():
        return next(iter(formats))
    return _from_accept(formats, _accepted(accept))


def _format_named(formats: dict[str, tuple[Any, tuple[str, ...]]], requested: str) -> str | None:
    """The format a ``format=`` value names: a name, an alias or one of its media types."""
    for name in (requested, FORMAT_ALIASES.get(requested)):
        if name in formats:
            return name
    for name, (_, media_types) in formats.items():
        if requested in media_types:
            return name
    return None


def _from_accept(formats: dict[str, tuple[Any, tuple[str, ...]]],
                 ranges: list[str]) -> str | None:
    for media in ranges:
        if media == "*/*":
            return next(iter(formats))
        for name, (_, media_types) in formats.items():
            if media in media_types or (media.endswith("/*") and any(
                    m.startswith(media[:-1]) for m in media_types)):
                return name
    return None


# -- answering a query ----------------------------------------------------------------------

@dataclass(frozen=True, slots=True, kw_only=True)
class _Answer:
    body: bytes
    media_type: str
    is_truncated: bool


def _query_text(request: Request, params: QueryParams, body: bytes) -> str:
    """The SPARQL text of a protocol request, or a refusal."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if "update" in params or content_type in _UPDATE_TYPES:
        raise _Refusal(403, "this endpoint is read-only: SPARQL updates are refused")
    if "default-graph-uri" in params or "named-graph-uri" in params:
        raise _Refusal(400, "default-graph-uri and named-graph-uri are not supported: queries "
                            "run on the union of all graphs; use GRAPH to pick one")
    if request.method == "POST" and content_type == "application/sparql-query":
        if len(body) > MAX_QUERY_BYTES:
            raise _Refusal(413, f"query is longer than {MAX_QUERY_BYTES} bytes")
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            raise _Refusal(400, "query is not UTF-8") from None
    queries = params.getlist("query")
    if len(queries) != 1:
        raise _Refusal(400, "give exactly one query: ?query=, a form field query= or a "
                            "POST body of type application/sparql-query")
    return queries[0]


_SERVICE_REFUSED = ("SERVICE (federated query) is refused: this server does not fetch from "
                    "other hosts unless started with allow_service")


def _check_service(sparql: str, allow_service: bool, is_isolated: bool = True) -> None:
    if allow_service:
        return
    found = (_SERVICE.search(_NOT_CODE.sub(" ", sparql)) if is_isolated
             else _ANY_SERVICE.search(sparql))
    if found:
        raise _Refusal(403, _SERVICE_REFUSED)


def _execute(store: Store, sparql: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Start a query on the store: Oxigraph's lazy answer, or a refusal."""
    try:
        # the text as sent, never through load_query: that would take it for a shipped
        # query's name or the path of a .rq file on this server's disk; and parse errors
        # point into the user's own lines
        refuse_updates(sparql)
        return store.query(sparql)
    except QueryError as error:
        message = str(error)
        # kg.store and kg.query say which failure it was in the message's first words
        if message.startswith("malformed SPARQL"):
            raise _Refusal(400, message) from None
        if message.startswith("updates are not allowed"):
            raise _Refusal(403, "this endpoint is read-only: SPARQL updates are refused") \
                from None
        raise _Refusal(500, message) from None


def _first(answer: ox.QuerySolutions | ox.QueryTriples, count: int) -> list[Any]:
    """The first ``count`` solutions or triples: the rest are never computed."""
    try:
        return list(itertools.islice(answer, count))
    except (OSError, RuntimeError, ValueError) as error:  # raised while evaluating
        raise _Refusal(500, f"query failed: {error}") from None


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_quote = json.encoder.encode_basestring  # type: ignore[attr-defined]  # C, as json.dumps uses


def _json_term(term: Any) -> str:
    """One RDF term in SPARQL 1.1 (1.2 for triple terms) JSON results."""
    kind = type(term)
    if kind is ox.NamedNode:
        return '{"type":"uri","value":' + _quote(term.value) + "}"
    if kind is ox.Literal:
        head = '{"type":"literal","value":' + _quote(term.value)
        if term.language:
            return head + ',"xml:lang":' + _quote(term.language) + "}"
        datatype = term.datatype.value
        return head + ("}" if datatype == _XSD_STRING else ',"datatype":' + _quote(datatype) + "}")
    if kind is ox.BlankNode:
        return '{"type":"bnode","value":' + _quote(term.value) + "}"
    return ('{"type":"triple","value":{"subject":' + _json_term(term.subject) + ',"predicate":'
            + _json_term(term.predicate) + ',"object":' + _json_term(term.object) + "}}")


def _solutions_json(variables: list[str], solutions: list[ox.QuerySolution]) -> bytes:
    """SPARQL JSON results written in Python: for the answers whose first ``max_rows``
    solutions ``_bounded_json`` could not cut out of what Oxigraph wrote."""
    keys = [_quote(name) + ":" for name in variables]
    bindings = []
    for solution in solutions:
        cells = []
        for position, key in enumerate(keys):
            term = solution[position]
            if term is not None:
                cells.append(key + _json_term(term))
        bindings.append("{" + ",".join(cells) + "}")
    head = ",".join(_quote(name) for name in variables)
    return ('{"head":{"vars":[' + head + ']},"results":{"bindings":[' + ",\n".join(bindings)
            + "]}}\n").encode("utf-8")


class _TooMany(Exception):
    """Raised into Oxigraph's writer to stop it: the answer may pass ``max_rows``."""


class _BoundedWriter:
    """Keeps what Oxigraph's SPARQL JSON writer writes, and stops it once the answer may
    hold more than ``max_rows`` solutions.

    Every solution after the first follows a ``,{``; a string value may hold one too, so
    ``1 + marks`` bounds the solutions from above, and an answer that stays under it is
    whole.
    """

    def __init__(self, max_rows: int) -> None:
        self.chunks: list[bytes] = []
        self.marks = 0
        self.is_full = False
        self._max_rows = max_rows
        self._last = b""

    def write(self, chunk: bytes) -> int:
        if self.is_full:
            raise _TooMany
        self.chunks.append(chunk)
        self.marks += chunk.count(b",{") + (self._last == b"," and chunk[:1] == b"{")
        self._last = chunk[-1:]
        if 1 + self.marks > self._max_rows:
            self.is_full = True
            raise _TooMany
        return len(chunk)

    def flush(self) -> None:
        pass


_BINDINGS = ',"results":{"bindings":['
_DECODER = json.JSONDecoder()


def _bounded_json(answer: ox.QuerySolutions, max_rows: int) -> tuple[bytes, bool] | None:
    """SPARQL JSON of the answer's first ``max_rows`` solutions, and whether it has more,
    written by Oxigraph's own writer (the bytes ``oxigraph serve`` sends, without a
    Python object per row and term); None when the answer has to be run again to be cut.

    Oxigraph's writer cannot stop at a row count, so it writes into ``_BoundedWriter``. If
    that stops it, the solutions written are read back one by one, in C (``json``),
    up to ``max_rows`` + 1.
    """
    writer = _BoundedWriter(max_rows)
    try:
        answer.serialize(writer, format=ox.QueryResultsFormat.JSON)
    except (OSError, RuntimeError, ValueError) as error:  # raised while evaluating
        if not writer.is_full:
            raise _Refusal(500, f"query failed: {error}") from None
    except _TooMany:
        pass
    body = b"".join(writer.chunks)
    if not writer.is_full:
        return body, False
    # the text up to the last whole character: the writer stopped at a chunk's end
    text = body.decode("utf-8", errors="ignore")
    start = text.find(_BINDINGS)  # its first occurrence: in the head, names have no quotes
    if start < 0:
        return None
    position = cut = start + len(_BINDINGS)
    for count in range(max_rows + 1):
        try:
            _, end = _DECODER.raw_decode(text, position)
        except json.JSONDecodeError:  # the writer stopped before this solution's end
            return None
        if count == max_rows:  # one solution more than max_rows
            return (text[:cut] + "]}}").encode("utf-8"), True
        cut = end
        if text[end:end + 1] != ",":  # the last solution: the answer was whole after all
            return (text[:end] + "]}}").encode("utf-8"), False
        position = end + 1
    return None  # not reached: the loop returns


def _serialize(answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, accept: str,
               requested: str | None, max_rows: int,
               again: Callable[[], Any] | None = None) -> _Answer:
    """Read at most ``max_rows`` rows (or triples) of the answer and write them with the
    format negotiated, by pyoxigraph's serialisers.

    ``again`` runs the query anew: SPARQL JSON is written by Oxigraph (``_bounded_json``),
    and when that cannot cut the answer at ``max_rows``, by Python from the first rows of
    a new run. Without it, Python writes the JSON.
    """
    if isinstance(answer, ox.QueryTriples):
        name = _negotiate(GRAPH_FORMATS, accept, requested)
        if name is None:
            raise _Refusal(406, _unacceptable(GRAPH_FORMATS))
        rdf_format, media_types = GRAPH_FORMATS[name]
        triples = _first(answer, max_rows + 1)
        body = ox.serialize(triples[:max_rows], format=rdf_format, prefixes=rdf.PREFIXES)
        return _Answer(body=body or b"", media_type=media_types[0],
                       is_truncated=len(triples) > max_rows)
    name = _negotiate(RESULT_FORMATS, accept, requested)
    if name is None:
        raise _Refusal(406, _unacceptable(RESULT_FORMATS))
    results_format, media_types = RESULT_FORMATS[name]
    is_truncated = False
    if isinstance(answer, ox.QueryBoolean):
        body = b'{"head":{},"boolean":' + (b"true" if answer else b"false") + b"}\n"
    else:
        bounded = _bounded_json(answer, max_rows) if again is not None else None
        if bounded is not None:
            body, is_truncated = bounded
        else:
            if again is not None:
                answer = again()
            variables = [variable.value for variable in answer.variables]
            solutions = _first(answer, max_rows + 1)
            is_truncated = len(solutions) > max_rows
            body = _solutions_json(variables, solutions[:max_rows])
    if name != "json":
        # QuerySolutions cannot be built from rows, so the rows go through SPARQL JSON and
        # pyoxigraph's parser to reach its XML, CSV and TSV writers
        body = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON).serialize(
            format=results_format) or b""
    return _Answer(body=body, media_type=media_types[0], is_truncated=is_truncated)


def _answer_in_worker(store: Store, job: tuple[str, str, str | None, int, bool]
                      ) -> tuple[Any, ...]:
    """Run and serialise one query in a worker process (kg._workers), which pickles its
    outcome, ``("answer", body, media type, is truncated)`` or ``("refusal", status,
    message)``, and the stamp of the snapshot it ran on after it."""
    sparql, accept, requested, max_rows, allow_service = job
    try:
        answer = _serialize(_execute(store, sparql), accept, requested, max_rows,
                            again=lambda: _execute(store, sparql))
    except _Refusal as refusal:
        if not allow_service and any(sign in refusal.message for sign in _NO_NETWORK):
            # only a SERVICE call reaches for the network, and this worker has none
            return ("refusal", 403, _SERVICE_REFUSED)
        return ("refusal", refusal.status, refusal.message)
    return ("answer", answer.body, answer.media_type, answer.is_truncated)


_SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMATS = "http://www.w3.org/ns/formats/"
# the W3C format IRIs (www.w3.org/ns/formats/) of what the endpoint writes
_FORMAT_IRIS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML")


def service_description(endpoint: str, *, allow_service: bool = False) -> list[ox.Triple]:
    """Describe the endpoint in the SPARQL 1.1 Service Description vocabulary.

    Args:
        endpoint: the endpoint's URL, as the client reached it.
        allow_service: the endpoint answers federated queries (``SERVICE``).

    Example:
        >>> ox.serialize(service_description("http://127.0.0.1:7878/sparql"),
        ...              format=ox.RdfFormat.TURTLE)
    """
    service, dataset, graph = ox.BlankNode(), ox.BlankNode(), ox.BlankNode()

    def sd(name: str) -> ox.NamedNode:
        return ox.NamedNode(_SD + name)

    kind = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    features = ["UnionDefaultGraph", *(["BasicFederatedQuery"] if allow_service else [])]
    return [
        ox.Triple(service, kind, sd("Service")),
        ox.Triple(service, sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        *(ox.Triple(service, sd("feature"), sd(name)) for name in features),
        *(ox.Triple(service, sd("resultFormat"), ox.NamedNode(_FORMATS + name))
          for name in _FORMAT_IRIS),
        # queries see the union of all graphs as their default graph
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, kind, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), graph),
        ox.Triple(graph, kind, sd("Graph")),
    ]


def _describe_service(request: Request, allow_service: bool) -> Response:
    name = _negotiate(GRAPH_FORMATS, request.headers.get("accept", ""),
                      request.query_params.get("format"))
    if name is None:
        raise _Refusal(406, _unacceptable(GRAPH_FORMATS))
    rdf_format, media_types = GRAPH_FORMATS[name]
    endpoint = str(request.url.replace(query="", fragment=""))
    body = ox.serialize(service_description(endpoint, allow_service=allow_service),
                        format=rdf_format, prefixes={"sd": _SD})
    return Response(body or b"", media_type=media_types[0], headers={"Vary": "Accept"})


def _unacceptable(formats: dict[str, tuple[Any, tuple[str, ...]]]) -> str:
    offered = ", ".join(media_types[0] for _, media_types in formats.values())
    return f"no acceptable format: this query can answer as {offered}"


# -- networks -------------------------------------------------------------------------------

def _json_value(value: Any) -> Any:
    if isinstance(value, (tuple, list, set, frozenset)):
        return [_json_value(item) for item in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def network_json(graph: nx.Graph) -> dict[str, Any]:
    """Turn a ``kg.export.network`` graph into ``{"nodes": [...], "edges": [...]}``.

    Nodes carry ``id`` (the IRI) and their attributes; edges carry ``id`` (unique in the
    answer), ``source``, ``target``, ``key`` (the IRI of the record, for multigraphs) and
    their attributes: the shape graph libraries such as cytoscape read.

    Example:
        >>> network_json(network(store, "positions"))["edges"][0]["polarity"]
        'support'
    """
    nodes = [{**{key: _json_value(value) for key, value in data.items()}, "id": node}
             for node, data in sorted(graph.nodes(data=True))]
    if graph.is_multigraph():
        rows = [(u, v, str(key), data) for u, v, key, data in graph.edges(keys=True, data=True)]
    else:
        rows = [(u, v, None, data) for u, v, data in graph.edges(data=True)]
    edges = []
    rows.sort(key=lambda row: (row[0], row[1], row[2] or ""))
    for number, (u, v, key, data) in enumerate(rows):
        edge = {key_: _json_value(value) for key_, value in data.items()}
        edge.update(id=f"edge-{number}", source=u, target=v)
        if key is not None:
            edge["key"] = key
        edges.append(edge)
    return {"view": graph.graph.get("view"), "directed": graph.is_directed(),
            "nodes": nodes, "edges": edges}


# -- bounded network views ------------------------------------------------------------------

NETWORK_LIMIT = 100  # nodes a view shows at first: the best connected within the filter
NETWORK_NEIGHBOURS = 30  # nodes an expanded node brings in: its best connected neighbours
MAX_PARALLEL = 3  # edges drawn between one pair of nodes; the rest are counted on them
MAX_EDGES = 2000  # edges sent at most; past it, one edge per pair of nodes
NETWORK_ANSWERS = 64  # cut-down answers kept, the most recently asked


@dataclass(frozen=True, slots=True, kw_only=True)
class NetworkFilter:
    """What the page's network panel asks for: a filter, how many nodes, which expanded.

    ``limit`` 0 means every node in the filter. Dates compare as far as the edge's date
    goes ("2007" is within from=2007-06-01); an edge without a date or a confidence is not
    dropped by that filter.
    """

    limit: int = NETWORK_LIMIT
    hidden_types: frozenset[str] = frozenset()
    date_from: str = ""
    date_to: str = ""
    confidence: float = 0.0
    has_isolated: bool = False
    expand: tuple[str, ...] = ()
    neighbours: int = NETWORK_NEIGHBOURS

    def keeps(self, edge: dict[str, Any]) -> bool:
        date = edge.get("date") or edge.get("start") or ""
        if date and self.date_from and date < self.date_from[:len(date)]:
            return False
        if date and self.date_to and date > self.date_to[:len(date)]:
            return False
        confidence = edge.get("confidence")
        return not (isinstance(confidence, (int, float)) and confidence < self.confidence)


def bounded_network(answer: dict[str, Any], wanted: NetworkFilter) -> dict[str, Any]:
    """Cut a ``network_json`` answer down to what a page can draw.

    Keeps the nodes and edges that pass the filter, then the ``limit`` nodes with the most
    edges among them (ties: more mentions, then label), plus, for each node in ``expand``,
    its ``neighbours`` best connected neighbours; and the edges between the nodes kept, at
    most ``MAX_PARALLEL`` per pair (each kept edge says in ``parallel`` how many the pair
    has). ``total`` counts the nodes and edges in the filter, ``types`` every node type of
    the view, so the page can say what it leaves out.

    Example:
        >>> bounded_network(network_json(network(store)), NetworkFilter(limit=20))["total"]
        {'nodes': 21314, 'edges': 96422}
    """
    nodes = {node["id"]: node for node in answer["nodes"]
             if (node.get("type") or "Thing") not in wanted.hidden_types}
    edges = [edge for edge in answer["edges"]
             if edge["source"] in nodes and edge["target"] in nodes and wanted.keeps(edge)]
    degree: collections.Counter[str] = collections.Counter()
    neighbours: dict[str, set[str]] = collections.defaultdict(set)
    for edge in edges:
        source, target = edge["source"], edge["target"]
        degree[source] += 1
        degree[target] += 1
        neighbours[source].add(target)
        neighbours[target].add(source)

    def rank(node_id: str) -> tuple[int, int, str, str]:
        node = nodes[node_id]
        mentions = node.get("mentions")
        return (-degree[node_id], -(mentions if isinstance(mentions, int) else 0),
                str(node.get("label") or ""), node_id)

    candidates = list(nodes) if wanted.has_isolated else list(degree)
    shown = set(sorted(candidates, key=rank)[:wanted.limit] if wanted.limit else candidates)
    expanded = [node_id for node_id in wanted.expand if node_id in nodes]
    for node_id in expanded:
        shown.add(node_id)
        shown.update(sorted(neighbours[node_id], key=rank)[:wanted.neighbours])
    pairs: dict[tuple[str, str], list[dict[str, Any]]] = collections.defaultdict(list)
    for edge in edges:
        if edge["source"] in shown and edge["target"] in shown:
            pairs[edge["source"], edge["target"]].append(edge)
    per_pair = MAX_PARALLEL if sum(min(len(group), MAX_PARALLEL)
                                   for group in pairs.values()) <= MAX_EDGES else 1
    # the busiest pairs first, so the edges cut past MAX_EDGES are the loneliest
    kept = []
    for group in sorted(pairs.values(), key=len, reverse=True):
        # the latest first: a pair's recent relations say most about it now
        latest = sorted(group, key=lambda edge: edge.get("date") or edge.get("start") or "",
                        reverse=True)
        kept.extend({**edge, "parallel": len(group)} for edge in latest[:per_pair])
    kept = kept[:MAX_EDGES]
    kept.sort(key=lambda edge: edge["id"])
    return {
        "view": answer["view"], "directed": answer["directed"],
        "nodes": [{**nodes[node_id], "degree": degree[node_id]} for node_id in sorted(shown)],
        "edges": kept,
        "total": {"nodes": len(candidates), "edges": len(edges)},
        "types": sorted({node.get("type") or "Thing" for node in answer["nodes"]}),
        "limit": wanted.limit, "expanded": expanded,
    }


def _network_filter(params: QueryParams) -> NetworkFilter:
    """The ``/network`` parameters as a filter, or a 400 refusal."""
    try:
        limit = int(params.get("limit", NETWORK_LIMIT))
        neighbours = int(params.get("neighbours", NETWORK_NEIGHBOURS))
        confidence = float(params.get("confidence") or 0)
    except ValueError:
        raise _Refusal(400, "limit and neighbours take whole numbers, confidence a number")
    if limit < 0 or neighbours < 0:
        raise _Refusal(400, "limit and neighbours cannot be negative")
    return NetworkFilter(
        limit=limit, neighbours=neighbours, confidence=confidence,
        hidden_types=frozenset(params.getlist("hide")),
        date_from=params.get("from", ""), date_to=params.get("to", ""),
        has_isolated=params.get("isolated", "").lower() in ("1", "true", "yes", "on"),
        expand=tuple(params.getlist("expand")))


class _NetworkViews:
    """Each network view of the current snapshot, built once (the whole store is read for
    it: 80-120 s for the actors view of 10,000 articles on a busy 2-core machine), and
    its cut-down answers, kept for the filters asked most recently (cutting 200,000 edges
    down takes a second in Python)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._building = {view: threading.Lock() for view in VIEWS}
        self._snapshot: Store | None = None
        self._views: dict[str, dict[str, Any]] = {}
        self._answers: collections.OrderedDict[tuple[str, NetworkFilter], bytes] = \
            collections.OrderedDict()

    def _fresh(self, store: Store) -> None:
        """Forget what was built from an older snapshot (call with the lock held)."""
        if store is not self._snapshot:
            self._snapshot, self._views = store, {}
            self._answers.clear()

    def get(self, store: Store, view: str) -> dict[str, Any]:
        """The whole view as ``network_json`` gives it, built on first use per snapshot."""
        with self._building[view]:  # one build per view at a time; the others wait for it
            with self._lock:
                self._fresh(store)
                built = self._views.get(view)
            if built is not None:
                return built
            built = network_json(network(store, view))
            with self._lock:
                if store is self._snapshot:
                    self._views[view] = built
            # the views stay until the store changes: out of the cyclic garbage collector's
            # way, which walked the actors view of 10,000 articles (214,000 edges) on every
            # full collection, pausing the server 0.24 s each time
            gc.freeze()
            return built

    def answer(self, store: Store, view: str, wanted: NetworkFilter) -> bytes:
        """The JSON answer to ``/network`` for this view and filter."""
        key = (view, wanted)
        with self._lock:
            self._fresh(store)
            if key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]
        body = json.dumps(bounded_network(self.get(store, view), wanted),
                          ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        with self._lock:
            if store is self._snapshot:
                self._answers[key] = body
                while len(self._answers) > NETWORK_ANSWERS:
                    self._answers.popitem(last=False)
        return body


# -- who may ask, and how much they may send -------------------------------------------------

def _host_name(host_header: str) -> str:
    """The name in a Host header, without the port, lower-case (``[::1]:80`` -> ``::1``)."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    if host.count(":") == 1:
        return host.partition(":")[0]
    return host


def _check_origin(request: Request, allowed_hosts: frozenset[str] | None,
                  cors_origins: frozenset[str] = frozenset()) -> None:
    """Refuse a Host this server does not answer to and browser requests from other sites,
    except from the origins the operator opened to (``--cors``)."""
    host = request.headers.get("host", "")
    if allowed_hosts is not None and "*" not in allowed_hosts \
            and _host_name(host) not in allowed_hosts:
        raise _Refusal(400, f"host {host!r} is not served here (allowed: "
                            f"{', '.join(sorted(allowed_hosts))}; see --allow-host)")
    if request.headers.get("origin", "").rstrip("/").lower() in cors_origins:
        return
    # browsers say where a request comes from; other clients send neither header
    if request.headers.get("sec-fetch-site", "").lower() == "cross-site":
        raise _Refusal(403, "cross-site requests are refused")
    origin = request.headers.get("origin")
    if origin is not None and urlsplit(origin).netloc.lower() != host.strip().lower():
        raise _Refusal(403, f"requests from another origin ({origin}) are refused")


async def _read_body(request: Request) -> bytes:
    """Read a request body, giving up at ``MAX_QUERY_BYTES`` before reading the rest."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_QUERY_BYTES:
        raise _Refusal(413, f"request body is longer than {MAX_QUERY_BYTES} bytes")
    chunks, size = [], 0
    stream = request.stream().__aiter__()
    while True:
        try:
            chunk = await asyncio.wait_for(stream.__anext__(), BODY_TIMEOUT)
        except StopAsyncIteration:
            break
        except TimeoutError:
            raise _Refusal(408, f"request body stalled for {BODY_TIMEOUT:g} s") from None
        size += len(chunk)
        if size > MAX_QUERY_BYTES:
            raise _Refusal(413, f"request body is longer than {MAX_QUERY_BYTES} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _form_params(request: Request, body: bytes) -> QueryParams:
    return QueryParams([*request.query_params.multi_items(), *_form_fields(body)])


def _form_fields(body: bytes) -> list[tuple[str, str]]:
    """The fields of an ``application/x-www-form-urlencoded`` body, as
    ``parse_qsl(body, keep_blank_values=True)`` reads them, or a 400 refusal."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        raise _Refusal(400, "form body is not UTF-8") from None
    fields = []
    for field in body.split(b"&"):
        if field:
            name, _, value = field.partition(b"=")
            fields.append((_unquote_plus(name), _unquote_plus(value)))
    return fields


def _unquote_plus(data: bytes) -> str:
    """A form field's name or value, decoded as ``parse_qsl`` does, in a tenth of its time:
    a query of 2 kB has some 700 percent escapes, which urllib decodes one by one in Python
    (0.1 ms a request); ``codecs.escape_decode`` reads them as ``\\x`` escapes in C."""
    data = data.replace(b"+", b" ")
    if b"%" not in data:
        return data.decode("utf-8")
    try:
        decoded = codecs.escape_decode(data.replace(b"\\", b"\\\\").replace(b"%", b"\\x"))[0]
    except ValueError:  # a % without two hex digits after it, which urllib leaves as it is
        return unquote(data.decode("utf-8"))
    return decoded.decode("utf-8", errors="replace")


# functions whose value differs from one evaluation to the next: answers using them are
# never cached
_VOLATILE = re.compile(r"\b(?:NOW|RAND|UUID|STRUUID|BNODE)\s*\(", re.IGNORECASE)


def _is_cacheable(sparql: str, allow_service: bool) -> bool:
    """Whether the same text always answers the same on one snapshot: not when it calls a
    volatile function, nor SERVICE (another endpoint's data changes under it)."""
    code = _NOT_CODE.sub(" ", sparql)
    return not _VOLATILE.search(code) and not (allow_service and _SERVICE.search(code))


class _AnswerCache:
    """Answers already computed, by query text, negotiated format and snapshot stamp, most
    recently used kept within ``max_bytes`` of bodies.

    The store an endpoint serves is a read-only snapshot, so the same query on the same
    snapshot has the same answer; analysts and the page ask the same few queries again and
    again. An answer is filed under the stamp of the snapshot the worker ran it on, and
    looked up under the stamp this process sees now, so a store that changes on disk is never
    answered from the cache of its previous state (both stamps are what ``_Snapshots`` read
    of the directory). Answers over an eighth of the budget are not kept.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: collections.OrderedDict[tuple[Any, ...], tuple[Any, ...]] = (
            collections.OrderedDict())
        self._bytes = 0
        self.hits = 0

    def get(self, key: tuple[Any, ...]) -> tuple[Any, ...] | None:
        outcome = self._entries.get(key)
        if outcome is not None:
            self._entries.move_to_end(key)
            self.hits += 1
        return outcome

    def put(self, key: tuple[Any, ...], outcome: tuple[Any, ...]) -> None:
        size = _entry_size(key, outcome)
        if size > self.max_bytes // 8 or key in self._entries:
            return
        self._entries[key] = outcome
        self._bytes += size
        while self._bytes > self.max_bytes:
            self._bytes -= _entry_size(*self._entries.popitem(last=False))


def _entry_size(key: tuple[Any, ...], outcome: tuple[Any, ...]) -> int:
    """What an answer cache entry counts against its budget: the body and the query text."""
    return len(outcome[1]) + sum(len(part) for part in key if isinstance(part, str))


class _Queries:
    """The worker pool and the queue in front of it (see kg._workers)."""

    def __init__(self, source: str | bytes, *, workers: int, max_waiting: int, timeout: float,
                 max_memory: int | None, refresh: float, allow_service: bool) -> None:
        self.pool = WorkerPool(source, size=workers, refresh=refresh,
                               isolate=not allow_service)
        self.slots = asyncio.Semaphore(workers)
        self.waiting = 0
        self.max_waiting = max_waiting
        self.timeout = timeout
        self.max_memory = max_memory
        self._restarts: set[asyncio.Task[None]] = set()

    async def answer(self, job: tuple[Any, ...]) -> tuple[Any, ...]:
        if not self.slots.locked():
            await self.slots.acquire()  # a worker is free: no wait, and no timer to set
        elif self.waiting >= self.max_waiting:
            raise _Refusal(503, "too many queries at once; try again shortly")
        else:
            self.waiting += 1
            try:
                await asyncio.wait_for(self.slots.acquire(), self.timeout)
            except TimeoutError:
                raise _Refusal(503, f"query waited {self.timeout:g} s for a free worker; "
                                    "try again shortly") from None
            finally:
                self.waiting -= 1
        worker = self.pool.acquire()
        assert worker is not None  # the semaphore counts the idle workers
        try:
            # the time waited is not the query's: under load a fast query may queue for
            # seconds behind others, and running it then costs what it costs alone
            return await worker.ask(job, self.timeout, self.max_memory)
        except WorkerError as error:
            status = 503 if error.is_limit else 500
            hint = "; simplify the query or add a LIMIT" if error.is_limit else ""
            raise _Refusal(status, f"{error}{hint}") from None
        finally:
            if worker.is_alive:
                self._release(worker)
            else:  # killed: answer now, replace it meanwhile
                task = asyncio.get_running_loop().create_task(self._replace(worker))
                self._restarts.add(task)
                task.add_done_callback(self._restarts.discard)

    def _release(self, worker: Any) -> None:
        self.pool.release(worker)
        self.slots.release()

    async def _replace(self, worker: Any) -> None:
        try:
            await run_in_threadpool(worker.start)
        except WorkerError as error:  # the next query on it tries again
            logger.warning("%s", error)
        finally:
            self._release(worker)


# -- the app --------------------------------------------------------------------------------

def create_app(store_path: str | Path | Store, *, timeout: float = 10.0, max_rows: int = 10000,
               allow_service: bool = False, refresh: float = 1.0,
               allowed_hosts: Sequence[str] | None = LOOPBACK_NAMES,
               workers: int | None = None, max_waiting: int = 64,
               max_memory: int | None = 2 << 30, cors: Sequence[str] = (),
               cache_bytes: int = 64 << 20) -> Starlette:
    """Build the read-only SPARQL endpoint and query page over a store.

    Queries run in ``workers`` processes (started with the app, or at its first query),
    each killed and replaced when its query overruns ``timeout`` or ``max_memory``.

    Args:
        store_path: a store directory, opened read-only; or an open ``Store``: one on disk
            is opened again read-only by path, an in-memory one is copied to the workers
            when they start (tests).
        timeout: seconds a query may run before the endpoint answers 503 and kills it;
            a request also waits at most this long for a free worker (then 503).
        max_rows: most rows (SELECT) or triples (CONSTRUCT) sent; more are cut off and the
            answer carries ``X-KG-Truncated: true``.
        allow_service: let queries call other SPARQL endpoints with SERVICE (the workers
            then keep the network).
        refresh: seconds between checks whether the store changed on disk.
        allowed_hosts: the host names the Host header may carry (``"*"`` for any; None
            checks nothing); the default, the loopback names, stops DNS rebinding.
        workers: queries run at once (default: one per core). Each worker process keeps
            its own copy of the store's caches, so more workers than cores cost CPU on
            every query: at 10,000 articles, four workers on two cores spent 18 ms of CPU
            a request and answered 0.77 as many as Oxigraph, two 16 ms and 0.84.
        max_waiting: requests queued for a worker beyond those; more get 503 at once.
        max_memory: bytes of resident memory a worker may reach while it runs a query.
        cors: web origins (``http://localhost:8888``) whose pages may query the endpoint;
            their requests, preflight included, are answered with CORS headers. Other
            sites' pages are refused, so that one the operator visits cannot read the store.
        cache_bytes: bytes of answers kept for a query asked again of the same snapshot
            (``_AnswerCache``; 0 keeps none). A cached answer carries ``X-KG-Cache: hit``.

    Raises:
        StoreError: the store does not exist or cannot be opened.

    Example:
        >>> from starlette.testclient import TestClient
        >>> TestClient(create_app("kg-store")).get("/sparql", params={"query": "ASK {}"})
    """
    if max_rows < 1:
        raise ConfigError(f"max_rows must be at least 1, not {max_rows}")
    workers = workers or os.cpu_count() or 1
    if workers < 1 or max_waiting < 0:
        raise ConfigError(f"workers must be at least 1 ({workers}) and max_waiting at least "
                          f"0 ({max_waiting})")
    snapshots = _Snapshots(store_path, refresh)  # /network reads here; it fails early too
    networks = _NetworkViews()
    source: str | bytes
    if isinstance(store_path, Store):
        source = (str(store_path.path) if store_path.path is not None
                  else store_path.oxigraph.dump(format=ox.RdfFormat.N_QUADS) or b"")
    else:
        source = str(store_path)
    queries = _Queries(source, workers=workers, max_waiting=max_waiting, timeout=timeout,
                       max_memory=max_memory, refresh=refresh, allow_service=allow_service)
    cache = _AnswerCache(cache_bytes) if cache_bytes > 0 else None
    hosts = None if allowed_hosts is None else frozenset(h.lower() for h in allowed_hosts)
    cors_origins = frozenset(origin.rstrip("/").lower() for origin in cors)

    async def start_workers() -> None:
        if queries.pool.is_started:
            return
        try:
            await run_in_threadpool(queries.pool.start)
        except WorkerError as error:
            raise StoreError(str(error)) from None
        if not allow_service and not queries.pool.is_isolated:
            logger.warning("query workers cannot be cut off the network here (Linux network "
                           "namespaces are unavailable): every query naming SERVICE is refused")

    async def sparql(request: Request) -> Response:
        try:
            _check_origin(request, hosts, cors_origins)
            params = request.query_params
            if request.method == "GET" and "query" not in params and "update" not in params:
                # SPARQL 1.1 Service Description: the endpoint dereferenced describes itself
                return _describe_service(request, allow_service)
            body = b""
            if request.method == "POST":
                body = await _read_body(request)
                content_type = request.headers.get("content-type", "")
                if content_type.startswith("application/x-www-form-urlencoded"):
                    params = _form_params(request, body)
            text = _query_text(request, params, body)
            await start_workers()
            _check_service(text, allow_service, queries.pool.is_isolated)
            job = (text, request.headers.get("accept", ""), params.get("format"), max_rows,
                   allow_service)
            key: tuple[Any, ...] | None = None
            outcome = None
            if cache is not None and _is_cacheable(text, allow_service):
                snapshots.current()  # looks at the directory at most every ``refresh`` s
                if snapshots.path is None or snapshots.stamp is not None:
                    key = (snapshots.stamp, *job[:3])
                    outcome = cache.get(key)
            is_hit = outcome is not None
            if outcome is None:
                outcome = await queries.answer(job)
                if outcome[0] == "refusal":
                    raise _Refusal(outcome[1], outcome[2])
                if key is not None:
                    cache.put((outcome[-1], *key[1:]), outcome)
            answer = _Answer(body=outcome[1], media_type=outcome[2], is_truncated=outcome[3])
        except _Refusal as refusal:
            headers = {"Retry-After": "1"} if refusal.status == 503 else None
            return PlainTextResponse(refusal.message + "\n", status_code=refusal.status,
                                     headers=headers)
        headers = {"Vary": "Accept", "X-KG-Max-Rows": str(max_rows)}
        if is_hit:
            headers["X-KG-Cache"] = "hit"
        if answer.is_truncated:
            headers["X-KG-Truncated"] = "true"
        return Response(answer.body, media_type=answer.media_type, headers=headers)

    async def queries_list(request: Request) -> Response:
        shipped = [{"name": name, "description": description, "query": load_query(name)}
                   for name, description in list_queries().items()]
        return JSONResponse(shipped)

    async def network_view(request: Request) -> Response:
        try:
            _check_origin(request, hosts, cors_origins)
        except _Refusal as refusal:
            return PlainTextResponse(refusal.message + "\n", status_code=refusal.status)
        view = request.query_params.get("view", "actors")
        if view not in VIEWS:
            return PlainTextResponse(
                f"unknown network view {view!r} (use one of {', '.join(VIEWS)})\n", 400)
        try:
            wanted = _network_filter(request.query_params)
        except _Refusal as refusal:
            return PlainTextResponse(refusal.message + "\n", status_code=refusal.status)
        try:
            body = await run_in_threadpool(networks.answer, snapshots.current(), view, wanted)
        except KgError as error:
            return PlainTextResponse(f"{error}\n", status_code=500)
        return Response(body, media_type="application/json")

    async def index(request: Request) -> Response:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    def build_first_view() -> None:
        try:
            networks.answer(snapshots.current(), "actors", NetworkFilter())
        except KgError as error:  # the page's request for it will say so
            logger.warning("%s", error)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await start_workers()  # the snapshot workers answer from is the store at start-up
        # the view the page opens with, built now rather than for the first visitor to wait
        # on (a daemon thread: it cannot be stopped, and must not hold up shutting down)
        threading.Thread(target=build_first_view, name="kg-network", daemon=True).start()
        try:
            yield
        finally:
            queries.pool.close()

    routes = [
        Route("/", index),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/queries", queries_list),
        Route("/network", network_view),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
    ]
    middleware = []
    if cors_origins:
        # answers preflight requests and adds the CORS headers to answers for these origins;
        # _check_origin lets the same origins through
        middleware.append(Middleware(
            CORSMiddleware, allow_origins=sorted(cors_origins), allow_methods=["GET", "POST"],
            allow_headers=["Accept", "Content-Type"],
            expose_headers=["X-KG-Truncated", "X-KG-Max-Rows"], max_age=600))
    app = Starlette(routes=routes, lifespan=lifespan, middleware=middleware)
    app.state.store = snapshots
    app.state.queries = queries
    app.state.cache = cache
    return app


class _HeaderDeadline:
    """Close connections that send no request headers within ``HEADER_TIMEOUT`` s, whether
    new, idle between requests, or dripping them (slowloris): mixed into uvicorn's HTTP/1.1
    protocols, which give ``loop`` and ``transport``."""

    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport
    _header_timer: asyncio.TimerHandle | None = None

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(HEADER_TIMEOUT, self._too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:
        super().connection_made(transport)  # type: ignore[misc]
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)  # type: ignore[misc]


class _GuardedH11(_HeaderDeadline, H11Protocol):
    """uvicorn's pure-Python HTTP/1.1 protocol (h11) with the header deadline."""

    def handle_events(self) -> None:
        cycle = self.cycle
        super().handle_events()
        if self.cycle is not cycle:  # a request's headers arrived whole
            self._disarm()

    def on_response_complete(self) -> None:
        self._arm()  # h11 reads a pipelined request's headers after this, and disarms
        super().on_response_complete()


if HttpToolsProtocol is not None:
    class _GuardedHttpTools(_HeaderDeadline, HttpToolsProtocol):
        """uvicorn's HTTP/1.1 protocol on httptools (llhttp, in C) with the header deadline:
        it parses a request in a fraction of h11's time."""

        def on_headers_complete(self) -> None:
            self._disarm()  # a request's headers arrived whole
            super().on_headers_complete()

        def on_response_complete(self) -> None:
            # a pipelined request whose headers arrived whole starts now: nothing to wait for
            is_waiting = not self.pipeline
            super().on_response_complete()
            if is_waiting and not self.transport.is_closing():
                self._arm()


def uvicorn_config(app: Starlette, host: str, port: int, *,
                   log_level: str = "info") -> uvicorn.Config:
    """The uvicorn settings ``serve`` runs the app with: header, idle and body timeouts;
    HTTP parsed by httptools and the event loop of uvloop (both in C; uvicorn's h11 and
    asyncio where they are not installed), which halve the server process's own time per
    request."""
    http = _GuardedH11 if HttpToolsProtocol is None else _GuardedHttpTools
    return uvicorn.Config(app, host=host, port=port, log_level=log_level, http=http,
                          loop="auto", server_header=False,
                          timeout_keep_alive=int(KEEP_ALIVE_TIMEOUT))


def serve(store_path: str | Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *,
          timeout: float = 10.0, max_rows: int = 10000, allow_service: bool = False,
          refresh: float = 1.0, allowed_hosts: Sequence[str] = (), workers: int | None = None,
          max_waiting: int = 64, max_memory: int | None = 2 << 30, cors: Sequence[str] = (),
          cache_bytes: int = 64 << 20, log_level: str = "info") -> None:
    """Serve the store over HTTP until interrupted.

    The default host is 127.0.0.1: the endpoint has no authentication, and with
    ``allow_service`` it fetches from any host a query names, so bind other addresses
    only on a trusted network.

    Args:
        store_path: the store directory (opened read-only; ``kg build`` may keep writing).
        host: the address to bind; it and, on loopback, the loopback names are the Host
            headers answered.
        port: the TCP port.
        allowed_hosts: more host names the Host header may carry (``"*"`` for any).
        timeout, max_rows, allow_service, refresh, workers, max_waiting, max_memory, cors,
            cache_bytes: as for ``create_app``.
        log_level: uvicorn's log level (``critical``, ``error``, ``warning``, ``info``,
            ``debug``).

    Raises:
        StoreError: the store does not exist or cannot be opened.

    Example:
        >>> serve("kg-store", port=7878)  # then open http://127.0.0.1:7878/
    """
    hosts = {_host_name(host), *(name.lower() for name in allowed_hosts)}
    if _is_loopback(host):
        hosts.update(LOOPBACK_NAMES)
    app = create_app(store_path, timeout=timeout, max_rows=max_rows,
                     allow_service=allow_service, refresh=refresh, allowed_hosts=sorted(hosts),
                     workers=workers, max_waiting=max_waiting, max_memory=max_memory,
                     cors=cors, cache_bytes=cache_bytes)
    if not _is_loopback(host):
        logger.warning("serving on %s: anyone who can reach it can query the store", host)
    queries: _Queries = app.state.queries
    try:
        queries.pool.start()  # before serving: a store that cannot be opened fails here
    except WorkerError as error:
        raise StoreError(str(error)) from None
    try:
        uvicorn.Server(uvicorn_config(app, host, port, log_level=log_level)).run()
    finally:
        queries.pool.close()


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"

