"""A read-only SPARQL 1.1 Protocol endpoint and a small page to query and look at the graph.

``create_app(store_path)`` returns a Starlette app; ``serve(store_path)`` runs it with
uvicorn on 127.0.0.1:7878. Routes:

    /sparql     SPARQL 1.1 Protocol query operation: GET ?query=, POST form query=,
                POST application/sparql-query. SELECT/ASK answer as SPARQL JSON, XML, CSV
                or TSV; CONSTRUCT/DESCRIBE as Turtle, N-Triples, JSON-LD or RDF/XML, chosen
                by the Accept header or, overriding it, ``format=``
    /queries    the shipped competency queries as JSON: name, description, SPARQL text
    /network    ``?view=actors|positions|agreement|conflict``: nodes and edges as JSON
    /           the HTML page (kg/static): query editor, result table, network view

What the endpoint refuses, and how it answers:

    malformed query                 400, text/plain, the parser's message
    update (update=, sparql-update
    body, or an update in query=)   403
    SERVICE (federated query)       403 unless ``allow_service=True``: it would make this
                                    server fetch from any host a client names
    longer than ``timeout`` s        503; Oxigraph cannot interrupt a query, so it stops
                                    at its next solution (an aggregate runs to its end)
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

import ipaddress
import logging
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from kg import rdf
from kg.errors import ConfigError, KgError, QueryError, StoreError
from kg.export import VIEWS, network
from kg.query import format_result, list_queries, load_query, run_query
from kg.store import QueryResult, Store, open_store

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "STATIC_DIR", "create_app", "network_json", "serve"]

logger = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
STATIC_DIR = Path(__file__).parent / "static"
MAX_QUERY_BYTES = 1 << 20

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

# IRIs, strings and comments, which may contain the word SERVICE without calling one
_NOT_CODE = re.compile(r"""<[^<>"{}|^`\\\s]*>|'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'"""
                       r"""|"(?:[^"\\\n]|\\.)*"|#[^\n]*""", re.DOTALL)
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
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
    """Pick a format name from ``format=`` or the Accept header; ``None`` if none fits."""
    if requested:
        requested = requested.strip().lower()
        if requested in formats:
            return requested
        for name, (_, media_types) in formats.items():
            if requested in media_types:
                return name
        known = ", ".join(formats)
        raise _Refusal(400, f"unknown format {requested!r} for this query (use one of {known})")
    if not accept.strip():
        return next(iter(formats))
    for media in _accepted(accept):
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


def _check_service(sparql: str, allow_service: bool) -> None:
    if not allow_service and _SERVICE.search(_NOT_CODE.sub(" ", sparql)):
        raise _Refusal(403, "SERVICE (federated query) is refused: this server does not fetch "
                            "from other hosts unless started with allow_service")


def _run(store: Store, sparql: str, timeout: float) -> QueryResult:
    try:
        # a trailing comment keeps load_query from taking the text for a shipped query's
        # name or for the path of a .rq file on this server's disk
        return run_query(store, f"{sparql}\n#", timeout=timeout)
    except QueryError as error:
        message = str(error)
        # kg.store and kg.query say which failure it was in the message's first words
        if message.startswith("malformed SPARQL"):
            raise _Refusal(400, message) from None
        if message.startswith("updates are not allowed"):
            raise _Refusal(403, "this endpoint is read-only: SPARQL updates are refused") \
                from None
        if message.startswith("query timed out"):
            raise _Refusal(503, f"{message}; simplify the query or add a LIMIT") from None
        raise _Refusal(500, message) from None


def _serialize(result: QueryResult, accept: str, requested: str | None,
               max_rows: int) -> _Answer:
    """Cut the answer at ``max_rows`` and write it with pyoxigraph's own serialisers."""
    if result.kind == "construct":
        name = _negotiate(GRAPH_FORMATS, accept, requested)
        if name is None:
            raise _Refusal(406, _unacceptable(GRAPH_FORMATS))
        rdf_format, media_types = GRAPH_FORMATS[name]
        triples = result.triples[:max_rows]
        body = ox.serialize(triples, format=rdf_format, prefixes=rdf.PREFIXES)
        return _Answer(body=body or b"", media_type=media_types[0],
                       is_truncated=len(result.triples) > max_rows)
    name = _negotiate(RESULT_FORMATS, accept, requested)
    if name is None:
        raise _Refusal(406, _unacceptable(RESULT_FORMATS))
    results_format, media_types = RESULT_FORMATS[name]
    is_truncated = len(result.rows) > max_rows
    if is_truncated:
        result = QueryResult(kind="select", variables=result.variables,
                             rows=result.rows[:max_rows])
    # QuerySolutions cannot be built from rows, so the rows go through kg.query's SPARQL
    # JSON (lossless) and pyoxigraph's parser to reach its XML, CSV and TSV writers
    parsed = ox.parse_query_results(format_result(result, "json"),
                                    format=ox.QueryResultsFormat.JSON)
    body = parsed.serialize(format=results_format)
    return _Answer(body=body or b"", media_type=media_types[0], is_truncated=is_truncated)


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


# -- the app --------------------------------------------------------------------------------

def create_app(store_path: str | Path | Store, *, timeout: float = 10.0, max_rows: int = 10000,
               allow_service: bool = False, refresh: float = 1.0) -> Starlette:
    """Build the read-only SPARQL endpoint and query page over a store.

    Args:
        store_path: a store directory, opened read-only; or an open ``Store`` (tests,
            in-memory stores), used as it is.
        timeout: seconds a query may run before the endpoint answers 503.
        max_rows: most rows (SELECT) or triples (CONSTRUCT) sent; more are cut off and the
            answer carries ``X-KG-Truncated: true``.
        allow_service: let queries call other SPARQL endpoints with SERVICE.
        refresh: seconds between checks whether the store changed on disk.

    Raises:
        StoreError: the store does not exist or cannot be opened.

    Example:
        >>> from starlette.testclient import TestClient
        >>> TestClient(create_app("kg-store")).get("/sparql", params={"query": "ASK {}"})
    """
    if max_rows < 1:
        raise ConfigError(f"max_rows must be at least 1, not {max_rows}")
    snapshots = _Snapshots(store_path, refresh)

    async def sparql(request: Request) -> Response:
        try:
            if request.method == "POST":
                body = await request.body()
                content_type = request.headers.get("content-type", "")
                if content_type.startswith("application/x-www-form-urlencoded"):
                    form = await request.form()
                    params = QueryParams([*request.query_params.multi_items(),
                                          *((k, str(v)) for k, v in form.multi_items())])
                else:
                    params = request.query_params
            else:
                body, params = b"", request.query_params
            text = _query_text(request, params, body)
            _check_service(text, allow_service)
            result = await run_in_threadpool(_run, snapshots.current(), text, timeout)
            answer = _serialize(result, request.headers.get("accept", ""),
                                params.get("format"), max_rows)
        except _Refusal as refusal:
            return PlainTextResponse(refusal.message + "\n", status_code=refusal.status)
        headers = {"Vary": "Accept", "X-KG-Max-Rows": str(max_rows)}
        if answer.is_truncated:
            headers["X-KG-Truncated"] = "true"
        return Response(answer.body, media_type=answer.media_type, headers=headers)

    async def queries(request: Request) -> Response:
        shipped = [{"name": name, "description": description, "query": load_query(name)}
                   for name, description in list_queries().items()]
        return JSONResponse(shipped)

    async def network_view(request: Request) -> Response:
        view = request.query_params.get("view", "actors")
        if view not in VIEWS:
            return PlainTextResponse(
                f"unknown network view {view!r} (use one of {', '.join(VIEWS)})\n", 400)
        try:
            graph = await run_in_threadpool(network, snapshots.current(), view)
        except KgError as error:
            return PlainTextResponse(f"{error}\n", status_code=500)
        return JSONResponse(network_json(graph))

    async def index(request: Request) -> Response:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    routes = [
        Route("/", index),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/queries", queries),
        Route("/network", network_view),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
    ]
    app = Starlette(routes=routes)
    app.state.store = snapshots
    return app


def serve(store_path: str | Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *,
          timeout: float = 10.0, max_rows: int = 10000, allow_service: bool = False,
          refresh: float = 1.0, log_level: str = "info") -> None:
    """Serve the store over HTTP until interrupted.

    The default host is 127.0.0.1: the endpoint has no authentication, and with
    ``allow_service`` it fetches from any host a query names, so bind other addresses
    only on a trusted network.

    Args:
        store_path: the store directory (opened read-only; ``kg build`` may keep writing).
        host: the address to bind.
        port: the TCP port.
        timeout, max_rows, allow_service, refresh: as for ``create_app``.
        log_level: uvicorn's log level (``critical``, ``error``, ``warning``, ``info``,
            ``debug``).

    Raises:
        StoreError: the store does not exist or cannot be opened.

    Example:
        >>> serve("kg-store", port=7878)  # then open http://127.0.0.1:7878/
    """
    app = create_app(store_path, timeout=timeout, max_rows=max_rows,
                     allow_service=allow_service, refresh=refresh)
    if not _is_loopback(host):
        logger.warning("serving on %s: anyone who can reach it can query the store", host)
    uvicorn.run(app, host=host, port=port, log_level=log_level)


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"

