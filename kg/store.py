"""The graph store: an Oxigraph dataset on disk (or in memory), one named graph per document.

``open_store(path)`` opens (and creates) an Oxigraph store through rdflib's ``Oxigraph``
store plugin (oxrdflib): ``Store.dataset`` is the rdflib ``Dataset`` for code that wants
rdflib, ``Store.oxigraph`` the ``pyoxigraph.Store`` underneath. Every query, update, load
and dump runs on Oxigraph's native engine; nothing goes through rdflib's SPARQL engine.

Queries see the union of all graphs as their default graph, so ``?s ?p ?o`` matches every
document graph and the entities graph; ``GRAPH ?g { ... }`` still selects one graph.

Concurrency: one process may open a store for writing (RocksDB locks it). A second process
can open it with ``read_only=True``: it sees the store as it was when it opened it and
never sees later writes (reopen to refresh). Oxigraph calls reading while another process
writes "undefined behaviour" (an open can race with the writer's flushes; it is retried),
so use it for queries during a long build, not for anything that must be exact; Oxigraph
0.5 has no secondary (catch-up) mode.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal, TypeVar

import pyoxigraph as ox
import rdflib
from rdflib import plugin
from rdflib.store import Store as RdflibStore

from kg import rdf
from kg.errors import QueryError, StoreError
from kg.records import Extraction

__all__ = ["DEFAULT_STORE", "SERIALIZE_FORMATS", "QueryResult", "Store", "Term", "open_store",
           "syntax_message", "to_python"]

logger = logging.getLogger(__name__)

DEFAULT_STORE = "kg-store"

SERIALIZE_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
RawResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
T = TypeVar("T")


@dataclass(frozen=True, slots=True, kw_only=True)
class QueryResult:
    """The complete answer to one SPARQL query, read out of the store.

    ``kind`` is ``select``, ``ask`` or ``construct`` (``DESCRIBE`` answers as ``construct``).
    SELECT answers fill ``variables`` and ``rows`` (pyoxigraph terms, ``None`` when unbound),
    ASK answers ``boolean`` and CONSTRUCT answers ``triples``.
    """

    kind: Literal["select", "ask", "construct"]
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Term | None, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[ox.Triple, ...] = ()


class _Cancelled(Exception):
    """Raised inside a query thread whose caller has given up waiting."""


_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                  "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedLong",
                  "unsignedInt", "unsignedShort", "unsignedByte")
_CONVERTERS: dict[str, Callable[[str], Any]] = {
    **{_XSD + name: int for name in _INTEGER_TYPES},
    _XSD + "decimal": float,
    _XSD + "double": float,
    _XSD + "float": float,
    _XSD + "boolean": lambda value: value in ("true", "1"),
    _XSD + "date": dt.date.fromisoformat,
    _XSD + "dateTime": dt.datetime.fromisoformat,
}


def to_python(term: Term | None) -> Any:
    """Return a query value as Python: ``str`` for IRIs and plain literals, ``int``, ``float``,
    ``bool``, ``date`` or ``datetime`` for typed literals, ``None`` for unbound.

    An ill-typed literal ("abc"^^xsd:integer) comes back as its lexical form.
    """
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        convert = _CONVERTERS.get(term.datatype.value)
        if convert is None:
            return term.value
        try:
            return convert(term.value)
        except ValueError:
            return term.value
    if isinstance(term, ox.NamedNode | ox.BlankNode):
        return term.value
    return str(term)


_OXIGRAPH_POSITION = re.compile(r"^error at (\d+):(\d+): ")


def syntax_message(sparql: str, error: SyntaxError) -> str:
    """Say where in ``sparql`` it stops being SPARQL: ``error at LINE:COLUMN: ...``.

    Oxigraph's parser reports the furthest place any of its rules looked, which is often
    the end of the query ("error at 4:2" for a bad FILTER on line 3), so the place is
    taken from rdflib's SPARQL 1.1 grammar, which stops at the first token it cannot
    read. When rdflib reads the query (a SPARQL 1.2 form, an undeclared prefix), Oxigraph's
    own message is kept, its position held inside the query. Lines and columns count
    characters from 1.
    """
    message = " ".join(str(error).split())
    located = _first_unreadable(sparql)
    if located is not None:
        if located >= len(sparql.rstrip()):
            return f"error at {_line_column(sparql, len(sparql.rstrip()))}: the query ends early"
        near = sparql[located:].splitlines()[0][:30]
        return f"error at {_line_column(sparql, located)}: cannot read on from {near!r}"
    match = _OXIGRAPH_POSITION.match(message)
    if match is None:
        return message
    lines = sparql.split("\n") or [""]
    line = min(int(match.group(1)), len(lines))
    column = min(int(match.group(2)), len(lines[line - 1]) + 1)
    return f"error at {line}:{column}: {message[match.end():]}"


def _first_unreadable(sparql: str) -> int | None:
    """The offset where rdflib's SPARQL grammar fails on ``sparql``; None if it reads it."""
    import pyparsing
    from rdflib.plugins.sparql.parser import Query

    try:
        # pyparsing expands tabs before parsing; a space for each tab keeps the user's offsets
        Query.parse_string(sparql.replace("\t", " "), parse_all=True)
    except pyparsing.ParseBaseException as failure:
        return failure.loc
    return None


def _line_column(text: str, offset: int) -> str:
    line_start = text.rfind("\n", 0, offset) + 1
    return f"{text.count(chr(10), 0, offset) + 1}:{offset - line_start + 1}"


def _bindings(bindings: Mapping[str, Any] | None) -> dict[ox.Variable, Term]:
    """Turn ``{"speaker": "Vladimir Putin"}`` into SPARQL substitutions.

    Oxigraph substitutes variables of the SELECT clause only (SEP-0007). Strings that
    start with ``http://``, ``https://`` or ``urn:`` become IRIs; other values become
    literals of their Python type.
    """
    substitutions: dict[ox.Variable, Term] = {}
    for name, value in (bindings or {}).items():
        if isinstance(value, ox.NamedNode | ox.BlankNode | ox.Literal):
            term = value
        elif isinstance(value, str) and value.startswith(("http://", "https://", "urn:")):
            term = ox.NamedNode(value)
        elif isinstance(value, dt.date):
            datatype = "dateTime" if isinstance(value, dt.datetime) else "date"
            term = ox.Literal(value.isoformat(), datatype=ox.NamedNode(_XSD + datatype))
        else:
            term = ox.Literal(value)
        substitutions[ox.Variable(name.lstrip("?$"))] = term
    return substitutions


def _within(timeout: float | None, work: Callable[[threading.Event], T]) -> T:
    """Run ``work`` and give up after ``timeout`` seconds.

    Oxigraph cannot interrupt a running query; the query runs in a thread (pyoxigraph
    releases the GIL) and, when the caller gives up, stops at its next solution.
    """
    cancelled = threading.Event()
    if timeout is None:
        return work(cancelled)
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = work(cancelled)
        except _Cancelled:
            pass
        except BaseException as error:  # noqa: BLE001 - handed back to the caller's thread
            outcome["error"] = error

    thread = threading.Thread(target=target, name="kg-query", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        cancelled.set()
        raise QueryError(f"query timed out after {timeout:g} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _check(cancelled: threading.Event) -> None:
    if cancelled.is_set():
        raise _Cancelled


class Store:
    """A kg graph store. Open it with ``open_store``; use it as a context manager."""

    def __init__(self, inner: ox.Store, path: Path | None, *, read_only: bool = False) -> None:
        self._inner: ox.Store | None = inner
        self._dataset: rdflib.Dataset | None = None
        self.path = path
        self.is_read_only = read_only
        # the actor summaries as stored (``_summary_table``), read once per open store
        self._summaries: dict[str, tuple[int, int]] | None = None
        self._is_summarised = False  # every actor a document mentions has its summary
        self._unsure: set[str] = set()  # actors with a summary not of one integer each

    # -- plumbing -------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """The path of the store, or ``in-memory store``: what error messages start with."""
        return str(self.path) if self.path is not None else "in-memory store"

    @property
    def oxigraph(self) -> ox.Store:
        """The ``pyoxigraph.Store`` underneath, for bulk work and native serialisation."""
        if self._inner is None:
            raise StoreError(f"{self.name}: the store is closed")
        return self._inner

    @property
    def dataset(self) -> rdflib.Dataset:
        """The same data as an rdflib ``Dataset`` (oxrdflib's Oxigraph store plugin).

        Its ``query`` runs on Oxigraph too and sees the union of all graphs.
        """
        if self._dataset is None:
            backend = plugin.get("Oxigraph", RdflibStore)(store=self.oxigraph)
            self._dataset = rdflib.Dataset(store=backend, default_union=True)
            for prefix, namespace in rdf.PREFIXES.items():
                self._dataset.bind(prefix, namespace)
        return self._dataset

    def flush(self) -> None:
        """Write the store's in-memory buffers to disk.

        Oxigraph (RocksDB) keeps recent writes in memory until it decides to flush; a long
        build that flushes after each batch keeps its memory flat however many documents
        it stores.
        """
        if self.path is not None and not self.is_read_only:
            try:
                self.oxigraph.flush()
            except OSError as error:
                raise StoreError(f"{self.name}: cannot flush the store: {error}") from None

    def close(self) -> None:
        """Flush and release the store; it cannot be used afterwards."""
        if self._inner is None:
            return
        if self.path is not None and not self.is_read_only:
            try:
                self._inner.flush()
            except OSError as error:
                raise StoreError(f"{self.name}: cannot flush the store: {error}") from None
        # RocksDB releases its lock when the last reference to the store goes away
        self._dataset = None
        self._inner = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "read-only" if self.is_read_only else "read-write"
        return f"<kg Store {self.name} {mode}>"

    def _writable(self) -> ox.Store:
        if self.is_read_only:
            raise StoreError(f"{self.name}: the store is open read-only")
        return self.oxigraph

    # -- writing --------------------------------------------------------------------------

    def replace_document(self, extraction: Extraction) -> None:
        """Replace the graph of one document, and add its actors and issues, atomically.

        The old graph is dropped and the new quads inserted by one SPARQL update, which
        Oxigraph runs as one transaction: a crash leaves the old version or the new one.

        Args:
            extraction: the document and its records.

        Raises:
            StoreError: the store is read-only or the update failed.
            ValueError: a record cannot be mapped (see ``kg.rdf.extraction_quads``).

        Example:
            >>> with open_store("kg-store") as store:
            ...     store.replace_document(extraction)
        """
        self.replace_documents([extraction])

    def replace_documents(self, extractions: Iterable[Extraction]) -> int:
        """Replace the graphs of several documents in one transaction; return how many.

        One transaction per batch is much faster than one per document on large builds. When
        a document id occurs twice, the last extraction wins.
        """
        store = self._writable()
        latest = {extraction.document.id: extraction for extraction in extractions}
        if not latest:
            return 0
        quads: dict[rdf.PlainQuad, None] = {}
        for extraction in latest.values():
            quads.update(dict.fromkeys(rdf.plain_quads(extraction)))
        # only the graphs already stored are dropped and read: reading a graph that is not
        # there still reads the index blocks of every file RocksDB has, which it then keeps,
        # so a build that looked for each new document grew with the store (issue #13)
        graphs = [graph for graph in map(rdf.graph_iri, latest)
                  if store.contains_named_graph(ox.NamedNode(graph))]
        # the actors whose summaries change: those the old versions mention and the new ones
        old = self._mention_totals(graphs)
        new = _mention_totals((g, s, p, o.lexical if isinstance(o, rdf.Lit) else o)
                              for s, p, o, g in quads)
        summaries, recount, after = self._summaries_after(old, new)
        drops = "".join(f"DROP SILENT GRAPH <{graph}> ;\n" for graph in graphs)
        update = (f"{drops}INSERT DATA {{\n{rdf.insert_data(quads)}}} ;\n"
                  f"{summaries}{_summary_update(recount)}")
        try:
            store.update(update)
        except (SyntaxError, OSError, RuntimeError) as error:
            names = ", ".join(sorted(latest)[:3]) + (" …" if len(latest) > 3 else "")
            raise StoreError(f"{self.name}: cannot store {names}: {error}") from None
        self._summarised(after, recount)
        logger.debug("stored %d documents, %d quads", len(latest), len(quads))
        return len(latest)

    def remove_document(self, doc_id: str) -> bool:
        """Drop the graph of a document; return whether it was there.

        Actors and issues stay in the entities graph: other documents may describe them too.
        """
        store = self._writable()
        graph = rdf.graph_iri(doc_id)
        try:
            if not store.contains_named_graph(ox.NamedNode(graph)):
                return False
            summaries, recount, after = self._summaries_after(
                self._mention_totals([graph]), {})
            store.update(f"DROP GRAPH <{graph}> ;\n{summaries}{_summary_update(recount)}")
        except (SyntaxError, OSError, RuntimeError) as error:
            raise StoreError(f"{self.name}: cannot remove {doc_id}: {error}") from None
        self._summarised(after, recount)
        return True

    def refresh_summaries(self) -> None:
        """Recompute every actor's summary in the entities graph from the document graphs.

        ``replace_documents``, ``remove_document`` and ``rename_actors`` keep the summaries
        (``kg:documentCount``, ``kg:mentionCount``) up to date for the actors they touch;
        this recomputes all of them, for a store filled by a bulk load (``kg.scale``) or
        built before kg kept summaries.

        Raises:
            StoreError: the store is read-only or the update failed.
        """
        self._summaries = None  # read again when next needed
        try:
            self._writable().update(_summary_update(None))
        except (SyntaxError, OSError, RuntimeError) as error:
            raise StoreError(f"{self.name}: cannot refresh the summaries: {error}") from None

    def _mention_totals(self, graphs: Iterable[str]) -> dict[str, tuple[int, int | None]]:
        """What the mention counts of these stored document graphs add to each actor's
        summary, as ``_mention_totals`` works it out."""
        patterns = (ox.NamedNode(str(rdf.KG.actor)), ox.NamedNode(str(rdf.KG.count)))
        return _mention_totals(
            (graph, quad.subject.value, quad.predicate.value, quad.object.value)
            for graph in graphs for predicate in patterns
            for quad in self.oxigraph.quads_for_pattern(None, predicate, None,
                                                        ox.NamedNode(graph)))

    def _summary_table(self) -> dict[str, tuple[int, int]]:
        """Actor IRI -> (documentCount, mentionCount) as the entities graph holds them, for
        the actors with exactly one integer summary of each kind; read from the store once,
        then kept as writes change it.

        Looking each actor up in the store instead reads, batch after batch, keys that
        every batch rewrote: RocksDB keeps what it reads of each of its files, so a build
        grew by 17 MiB a thousand articles, where pyoxigraph alone writing the same quads
        stays flat (issue #13). The table grows with the actors, not the articles. Writes
        made through ``oxigraph`` or ``dataset`` directly are not seen; ``refresh_summaries``
        recounts and reads it again.
        """
        if self._summaries is None:
            kinds = {str(rdf.KG.documentCount): 0, str(rdf.KG.mentionCount): 1}
            found: dict[str, list[list[int]]] = {}
            entities = ox.NamedNode(rdf.ENTITIES_GRAPH)
            for kind, position in kinds.items():
                for quad in self.oxigraph.quads_for_pattern(None, ox.NamedNode(kind), None,
                                                            entities):
                    value = to_python(quad.object)
                    slots = found.setdefault(quad.subject.value, [[], []])
                    slots[position].append(value if isinstance(value, int) else -1)
            self._summaries = {actor: (documents[0], mentions[0])
                               for actor, (documents, mentions) in found.items()
                               if len(documents) == len(mentions) == 1
                               and min(documents[0], mentions[0]) >= 0}
            self._unsure = found.keys() - self._summaries.keys()
            # an actor with no summary is new to the store only when every actor mentioned
            # has one (not so in a store filled by a bulk load, or built before summaries)
            self._is_summarised = not bool(self.oxigraph.query(_UNSUMMARISED))
        return self._summaries

    def _summaries_after(self, old: Mapping[str, tuple[int, int | None]],
                         new: Mapping[str, tuple[int, int | None]]
                         ) -> tuple[str, set[str], dict[str, tuple[int, int]]]:
        """The update that takes the summaries of the actors in ``old`` or ``new`` from
        what the dropped graphs gave them to what the new graphs give, the actors to
        count again from every graph instead (``_summary_update``), and the summaries
        after the update of the others (documents 0: none).

        Adding the difference costs what the batch mentions; counting again costs what
        the whole store mentions of each actor, and the most mentioned (a Russia, a Putin)
        are mentioned by a fixed share of all articles, so a build that counted again
        after every batch took time growing with the square of its articles (issue #13).
        An actor without exactly one summary of each kind (a store filled by a bulk load),
        or whose summary does not add up, is counted again, which also repairs it.
        """
        table = self._summary_table()
        names = ("documentCount", "mentionCount")
        predicates = [f"<{rdf.KG[name]}>" for name in names]
        deletes, inserts, recount, after = [], [], set(), {}
        for actor in sorted(old.keys() | new.keys()):
            before = table.get(actor)
            if before is None and self._is_summarised and actor not in self._unsure:
                before = (0, 0)  # new to the store: nothing stored, nothing to take away
            minus, plus = old.get(actor, (0, 0)), new.get(actor, (0, 0))
            if before is None or not all(isinstance(value, int) for value in (*minus, *plus)):
                recount.add(actor)
                continue
            then = tuple(before[n] - minus[n] + plus[n] for n in range(2))
            if min(then) < 0:
                recount.add(actor)  # the summary was wrong: count it again
                continue
            if actor in table:
                deletes += [f"<{actor}> {predicate} \"{value}\"^^<{_XSD}integer> .\n"
                            for predicate, value in zip(predicates, before)]
            if then[0]:  # no document mentions it any more: no summary, as _SUMMARY does
                inserts += [f"<{actor}> {predicate} \"{value}\"^^<{_XSD}integer> .\n"
                            for predicate, value in zip(predicates, then)]
            after[actor] = then
        update = "".join(f"{operation} DATA {{ GRAPH <{rdf.ENTITIES_GRAPH}> {{\n"
                         f"{''.join(lines)}}} }} ;\n"
                         for operation, lines in (("DELETE", deletes), ("INSERT", inserts))
                         if lines)
        return update, recount, after

    def _summarised(self, after: Mapping[str, tuple[int, int]], recount: Iterable[str]) -> None:
        """Take the summaries a write left into the table: those it worked out, and those
        it counted again, read back."""
        if self._summaries is None:
            return
        for actor, summary in after.items():
            if summary[0]:
                self._summaries[actor] = summary
            else:
                self._summaries.pop(actor, None)
        for actor in recount:
            self._summaries.pop(actor, None)
            self._unsure.discard(actor)
            self._summaries.update(self._stored_summaries(actor))

    def _stored_summaries(self, actor: str) -> dict[str, tuple[int, int]]:
        """The summary of one actor as stored, if it has exactly one integer of each kind."""
        entities = ox.NamedNode(rdf.ENTITIES_GRAPH)
        values = [[to_python(quad.object) for quad in self.oxigraph.quads_for_pattern(
                      ox.NamedNode(actor), ox.NamedNode(str(rdf.KG[name])), None, entities)]
                  for name in ("documentCount", "mentionCount")]
        if all(len(found) == 1 and isinstance(found[0], int) for found in values):
            return {actor: (values[0][0], values[1][0])}
        return {}

    def rename_actors(self, renames: Mapping[str, tuple[str, str]]) -> None:
        """Give stored actors a new IRI and label, in every graph, in one transaction.

        Used when a new article tells the corpus more about a person ("Putin", stored alone,
        is "Vladimir V. Putin"): what the store holds then names them as a build of the
        whole corpus at once would.

        Args:
            renames: old actor IRI -> (new IRI, new label).

        Raises:
            StoreError: the store is read-only or the update failed.
        """
        store = self._writable()
        if not renames:
            return
        entities = f"<{rdf.ENTITIES_GRAPH}>"
        label = f"<{rdf.RDFS.label}>"
        steps = []
        for old, (new, name) in renames.items():
            old, new = f"<{old}>", f"<{new}>"
            steps += [
                f"DELETE {{ GRAPH ?g {{ {old} ?p ?o }} }} INSERT {{ GRAPH ?g {{ {new} ?p ?o }} }}"
                f" WHERE {{ GRAPH ?g {{ {old} ?p ?o }} }}",
                f"DELETE {{ GRAPH ?g {{ ?s ?p {old} }} }} INSERT {{ GRAPH ?g {{ ?s ?p {new} }} }}"
                f" WHERE {{ GRAPH ?g {{ ?s ?p {old} }} }}",
                f"DELETE WHERE {{ GRAPH {entities} {{ {new} {label} ?label }} }}",
                f"INSERT DATA {{ GRAPH {entities} {{ {new} {label} {rdf.Literal(name).n3()} }} }}",
            ]
        # a renamed actor's summary moved with it; the new IRI may have had one already
        recount = {new for new, _name in renames.values()}
        steps.append(_summary_update(recount).rstrip(" ;\n"))
        try:
            store.update(" ;\n".join(steps))
        except (SyntaxError, OSError, RuntimeError) as error:
            raise StoreError(f"{self.name}: cannot rename actors: {error}") from None
        self._summarised({old: (0, 0) for old in renames if old not in recount}, recount)

    def load(self, source: str | Path | bytes, fmt: str = "nquads", *,
             graph: str | None = None) -> None:
        """Bulk-load RDF: N-Quads shards from a scale-out build, or any other format.

        The bulk loader is fast and not transactional: load into a store nobody reads yet,
        or accept that a failed load leaves part of the file in.

        Args:
            source: a file path, or the data as bytes.
            fmt: one of ``SERIALIZE_FORMATS`` (``nquads``, ``trig``, ``turtle``, ...).
            graph: for triple formats, the graph to load into (default: the default graph).

        Raises:
            StoreError: the file cannot be read or parsed, or the format is unknown.

        Example:
            >>> for shard in sorted(Path("shards").glob("*.nq")):
            ...     store.load(shard)
        """
        store = self._writable()
        rdf_format = _format(fmt)
        where = f"{source}" if isinstance(source, str | Path) else "data"
        arguments: dict[str, Any] = {"format": rdf_format}
        if isinstance(source, bytes):
            arguments["input"] = source
        else:
            arguments["path"] = str(source)
        if graph is not None:
            arguments["to_graph"] = ox.NamedNode(graph)
        self._summaries = None  # what it loads may hold summaries, or mentions without
        try:
            store.bulk_load(**arguments)
        except SyntaxError as error:
            raise StoreError(f"{where}: not valid {fmt}: {error}") from None
        except OSError as error:
            raise StoreError(f"{where}: cannot load into {self.name}: {error}") from None

    # -- reading --------------------------------------------------------------------------

    def query(self, sparql: str, *, bindings: Mapping[str, Any] | None = None) -> RawResult:
        """Run a SPARQL query and return Oxigraph's own, lazy, answer.

        ``QuerySolutions`` has ``variables`` and serialises itself (JSON, XML, CSV, TSV);
        ``kg.query`` and ``select`` read it out for you.

        Raises:
            QueryError: the query is malformed or fails.
        """
        try:
            return self.oxigraph.query(sparql, use_default_graph_as_union=True,
                                       prefixes=rdf.PREFIXES, substitutions=_bindings(bindings))
        except SyntaxError as error:
            raise QueryError(f"malformed SPARQL: {syntax_message(sparql, error)}") from None
        except (OSError, RuntimeError, ValueError) as error:
            raise QueryError(f"{self.name}: query failed: {error}") from None

    def run(self, sparql: str, *, timeout: float | None = None,
            bindings: Mapping[str, Any] | None = None) -> QueryResult:
        """Run a SPARQL query and read its whole answer into a ``QueryResult``.

        Raises:
            QueryError: the query is malformed, fails or takes longer than ``timeout`` s.
        """

        def work(cancelled: threading.Event) -> QueryResult:
            result = self.query(sparql, bindings=bindings)
            try:
                if isinstance(result, ox.QueryBoolean):
                    return QueryResult(kind="ask", boolean=bool(result))
                if isinstance(result, ox.QueryTriples):
                    triples = []
                    for triple in result:
                        _check(cancelled)
                        triples.append(triple)
                    return QueryResult(kind="construct", triples=tuple(triples))
                variables = tuple(variable.value for variable in result.variables)
                rows = []
                for solution in result:
                    _check(cancelled)
                    rows.append(tuple(solution[name] for name in variables))
                return QueryResult(kind="select", variables=variables, rows=tuple(rows))
            except (OSError, RuntimeError, ValueError) as error:
                raise QueryError(f"{self.name}: query failed: {error}") from None

        return _within(timeout, work)

    def select(self, sparql: str, *, timeout: float | None = None,
               bindings: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a SELECT query; return one dict per solution with Python values.

        Values are ``str`` for IRIs and plain literals, ``int``/``float``/``bool``/``date``
        for typed literals and ``None`` for unbound variables.

        Raises:
            QueryError: not a SELECT query, malformed, failed or timed out.

        Example:
            >>> store.select("SELECT ?id WHERE { ?d dcterms:identifier ?id }")
            [{'id': 'putin-warns'}]
        """
        result = self.run(sparql, timeout=timeout, bindings=bindings)
        if result.kind != "select":
            raise QueryError(f"select needs a SELECT query, not {result.kind.upper()}")
        return [{name: to_python(value) for name, value in zip(result.variables, row)}
                for row in result.rows]

    def document_hash(self, doc_id: str) -> str | None:
        """Return the stored content hash of a document, or ``None`` if it is not stored.

        Example:
            >>> if store.document_hash(document.id) != document.content_hash:
            ...     store.replace_document(extract(document))
        """
        quads = self.oxigraph.quads_for_pattern(
            ox.NamedNode(rdf.doc_iri(doc_id)), ox.NamedNode(rdf.KG.contentHash), None,
            ox.NamedNode(rdf.graph_iri(doc_id)))
        for quad in quads:
            return quad.object.value
        return None

    def document_hashes(self) -> dict[str, str]:
        """Return ``{doc_id: content hash}`` for every stored document, in one query."""
        rows = self.select("""
            SELECT ?id ?hash WHERE { GRAPH ?g {
                ?doc a schema:NewsArticle ; dcterms:identifier ?id ; kg:contentHash ?hash } }""")
        return {row["id"]: row["hash"] for row in rows}

    def document_origins(self) -> dict[str, str | None]:
        """Return ``{doc_id: origin}`` for every stored document (None when not recorded).

        ``kg.ingest.read_documents`` takes this so that an article keeps its stored id and a
        different file never takes it.
        """
        rows = self.select("""
            SELECT ?id ?origin WHERE { GRAPH ?g {
                ?doc a schema:NewsArticle ; dcterms:identifier ?id
                OPTIONAL { ?doc kg:origin ?origin } } }""")
        return {row["id"]: row.get("origin") for row in rows}

    def documents(self) -> list[str]:
        """Return the ids of the stored documents, sorted."""
        rows = self.select("""
            SELECT DISTINCT ?id WHERE {
                GRAPH ?g { ?doc a schema:NewsArticle ; dcterms:identifier ?id } }
            ORDER BY ?id""")
        return [row["id"] for row in rows]

    def people(self) -> list[tuple[str, str, str, str]]:
        """Return (document id, actor IRI, label, name) for every name of every person a
        stored document mentions: the label and each alias the document gives them."""
        rows = self.select("""
            SELECT DISTINCT ?id ?actor ?label ?alias WHERE {
                GRAPH ?g { ?doc a schema:NewsArticle ; dcterms:identifier ?id ;
                                kg:mentions ?actor }
                GRAPH kgg:entities { ?actor kg:actorType ?type ; rdfs:label ?label }
                FILTER(str(?type) = "Person")
                OPTIONAL { GRAPH ?g { ?actor skos:altLabel ?alias } }
            }""")
        found = {(row["id"], row["actor"], row["label"], row["label"]): None for row in rows}
        found.update({(row["id"], row["actor"], row["label"], row["alias"]): None
                      for row in rows if row["alias"] is not None})
        return list(found)

    def stats(self) -> dict[str, int]:
        """Count documents, actors, issues, relations, quotes, positions, roles, triples, quads.

        ``triples`` counts distinct triples over all graphs, ``quads`` what is stored.

        Example:
            >>> store.stats()["documents"]
            2
        """
        row = self.select("""
            SELECT
              (COUNT(DISTINCT ?doc) AS ?documents)
              (COUNT(DISTINCT ?actor) AS ?actors)
              (COUNT(DISTINCT ?issue) AS ?issues)
              (COUNT(DISTINCT ?relation) AS ?relations)
              (COUNT(DISTINCT ?quote) AS ?quotes)
              (COUNT(DISTINCT ?position) AS ?positions)
              (COUNT(DISTINCT ?role) AS ?roles)
            WHERE {
              { ?doc a schema:NewsArticle } UNION { ?actor a kg:Actor } UNION { ?issue a kg:Issue }
              UNION { ?relation a kg:Relation } UNION { ?quote a schema:Quotation }
              UNION { ?position a kg:Position } UNION { ?role a kg:RoleAssignment }
            }""")[0]
        triples = self.select(
            "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
        try:
            quads = len(self.oxigraph)
        except OSError as error:
            raise StoreError(f"{self.name}: cannot count quads: {error}") from None
        return {**{name: int(value) for name, value in row.items()},
                "triples": int(triples[0]["n"]), "quads": quads}

    def serialize(self, fmt: str,
                  out: IO[bytes] | IO[str] | str | Path | None = None) -> bytes | None:
        """Write the store as ``turtle``, ``trig``, ``nquads``, ``ntriples`` or ``jsonld``.

        TriG, N-Quads and JSON-LD keep the named graphs; Turtle and N-Triples hold the union
        of all graphs, each triple once.

        Args:
            fmt: the format name.
            out: a binary or text file, a path, or ``None`` to get the bytes back.

        Raises:
            StoreError: unknown format or the output cannot be written.

        Example:
            >>> store.serialize("trig", Path("exports/graph.trig"))
        """
        rdf_format = _format(fmt)
        if isinstance(out, io.TextIOBase):
            data = self.serialize(fmt)
            assert data is not None
            out.write(data.decode("utf-8"))
            return None
        if isinstance(out, Path):
            out = str(out)
        try:
            if rdf_format.supports_datasets:
                return self.oxigraph.dump(out, format=rdf_format, prefixes=rdf.PREFIXES)
            union = self.oxigraph.query(
                "CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
                use_default_graph_as_union=True)
            return ox.serialize(union, out, format=rdf_format, prefixes=rdf.PREFIXES)
        except OSError as error:
            raise StoreError(f"{self.name}: cannot write {fmt}: {error}") from None


# per-actor summaries in the entities graph, recomputed from the mention counts of the
# document graphs for the actors a write touches: what `kg query actors` reads instead of
# aggregating every mention count of the store (issue #13)
_SUMMARY = """
DELETE {{ GRAPH <{entities}> {{ ?actor ?summary ?value }} }}
WHERE {{ {values}VALUES ?summary {{ kg:documentCount kg:mentionCount }}
        GRAPH <{entities}> {{ ?actor ?summary ?value }} }} ;
INSERT {{ GRAPH <{entities}> {{ ?actor kg:documentCount ?documents ; kg:mentionCount ?mentions }} }}
WHERE {{ {{ SELECT ?actor (COUNT(DISTINCT ?graph) AS ?documents) (SUM(?count) AS ?mentions)
           WHERE {{ {values}GRAPH ?graph {{ ?mention kg:actor ?actor ; kg:count ?count }} }}
           GROUP BY ?actor }} }} ;
"""


# is an actor mentioned in a document graph without a summary in the entities graph?
_UNSUMMARISED = (f"ASK {{ GRAPH ?graph {{ ?mention <{rdf.KG.actor}> ?actor }} "
                 f"FILTER NOT EXISTS {{ GRAPH <{rdf.ENTITIES_GRAPH}> "
                 f"{{ ?actor <{rdf.KG.documentCount}> ?documents }} }} }}")

_ACTOR, _COUNT = str(rdf.KG.actor), str(rdf.KG.count)  # plain strings: a URIRef equals no str


def _mention_totals(quads: Iterable[tuple[str, str, str, str]]
                    ) -> dict[str, tuple[int, int | None]]:
    """Actor IRI -> (documents, mentions) that these (graph, subject, predicate, object)
    quads give the summaries: the documents whose graph has a mention count of the actor,
    and the sum of those counts, as ``_SUMMARY`` computes them. Mentions are None when a
    count is not an integer (the actor is then counted by ``_SUMMARY`` itself)."""
    actors: dict[tuple[str, str], list[str]] = {}
    counts: dict[tuple[str, str], list[str]] = {}
    for graph, subject, predicate, value in quads:
        if predicate == _ACTOR:
            actors.setdefault((graph, subject), []).append(value)
        elif predicate == _COUNT:
            counts.setdefault((graph, subject), []).append(value)
    graphs: dict[str, set[str]] = {}
    mentions: dict[str, int | None] = {}
    for mention, named in actors.items():
        for actor in named:
            for count in counts.get(mention, ()):
                graphs.setdefault(actor, set()).add(mention[0])
                total = mentions.get(actor, 0)
                mentions[actor] = None if total is None or not _is_integer(count) \
                    else total + int(count)
    return {actor: (len(graphs[actor]), mentions[actor]) for actor in graphs}


def _is_integer(lexical: str) -> bool:
    return lexical.strip().lstrip("+-").isdigit()


def _summary_update(actors: Iterable[str] | None) -> str:
    """The SPARQL update that recomputes the summaries of these actors (of all when None)."""
    if actors is None:
        values = ""
    else:
        actors = sorted(actors)
        if not actors:
            return ""
        values = "VALUES ?actor { " + " ".join(f"<{actor}>" for actor in actors) + " }\n        "
    # full IRIs: Oxigraph reads no PREFIX after the first operation of an update
    return re.sub(r"\bkg:(\w+)", lambda term: f"<{rdf.KG[term.group(1)]}>",
                  _SUMMARY.format(entities=rdf.ENTITIES_GRAPH, values=values).lstrip())


def _format(fmt: str) -> ox.RdfFormat:
    try:
        return SERIALIZE_FORMATS[fmt]
    except KeyError:
        known = ", ".join(SERIALIZE_FORMATS)
        raise StoreError(f"unknown RDF format {fmt!r} (use one of {known})") from None


def open_store(path: str | Path | None, *, read_only: bool = False) -> Store:
    """Open the store at ``path``, creating it if needed; ``None`` opens an in-memory store.

    Args:
        path: a store directory; ``None`` for a throwaway in-memory store (tests).
        read_only: open without taking the write lock, so queries can run while another
            process builds; the reader sees the store as it was when it opened.

    Raises:
        StoreError: the path is a file or a directory that is not a store, the store is
            locked by another writer, or a read-only store does not exist.

    Example:
        >>> with open_store("kg-store", read_only=True) as store:
        ...     store.documents()
    """
    if path is None:
        if read_only:
            raise StoreError("an in-memory store cannot be opened read-only")
        return Store(ox.Store(), None)
    path = Path(path)
    is_store = (path / "CURRENT").is_file()
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path}: is a file, not a store directory")
    if path.is_dir() and not is_store and any(path.iterdir()):
        raise StoreError(f"{path}: directory is not empty and holds no kg store")
    if read_only and not is_store:
        raise StoreError(f"{path}: no store here to open read-only")
    try:
        inner = _open_read_only(path) if read_only else ox.Store(str(path))
    except (OSError, RuntimeError) as error:
        if "lock" in str(error).lower():
            raise StoreError(f"{path}: the store is locked by another writer; "
                             "open it read-only to query it meanwhile") from None
        raise StoreError(f"{path}: cannot open the store: {error}") from None
    return Store(inner, path, read_only=read_only)


def _open_read_only(path: Path, attempts: int = 5) -> ox.Store:
    # a writer that flushes or compacts while we read its file list can remove a file we
    # are about to open; the next attempt reads the new list
    for attempt in range(1, attempts + 1):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as error:
            if attempt == attempts or "No such file" not in str(error):
                raise
            time.sleep(0.02 * attempt)
    raise AssertionError("unreachable")
