"""Extract on many cores (``extract_parallel``) or many machines (``build_dask``).

One machine: ``extract_parallel`` runs ``kg.pipeline.extract_documents`` in worker
processes, each loading the spaCy pipeline once, on chunks of documents, and merges their
results in input order. Names are resolved across documents (``resolve_corpus``) in the
parent, in the same batches of ``RESOLVE_BATCH`` documents as a one-process run, so
``jobs=N`` gives exactly the records of ``jobs=1``.

Many machines: ``build_dask`` extracts partitions of the corpus as Dask tasks and writes
one N-Quads shard per partition. The shards bulk-load into a local store (``load_shards``)
or go to any SPARQL 1.1 store through the Graph Store Protocol (``push_shards``).

Example:
    >>> shards = build_dask(["corpus"], out_dir="shards", scheduler="tcp://head:8786")
    >>> push_shards(shards, "http://head:7878/store")
"""

from __future__ import annotations

import logging
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Literal

import pyoxigraph as ox

from kg import rdf
from kg.errors import KgError, StoreError
from kg.pipeline import RESOLVE_BATCH, extract_documents
from kg.records import Actor, Document, Extraction
from kg.resolve import canonical_names, rename_actors, resolve_corpus
from kg.store import Store

__all__ = ["build_dask", "extract_parallel", "load_shards", "push_shards"]

logger = logging.getLogger(__name__)

Outcome = Extraction | KgError
OnError = Callable[[KgError], None] | None

_CHUNK_BATCHES = 1  # nlp.pipe batches per chunk sent to a worker
_IN_FLIGHT_PER_JOB = 2  # chunks queued per worker: enough to keep it busy, bounded memory


# -- one machine: a process pool ------------------------------------------------------------

def _extract_chunk(documents: list[Document], model: str | None,
                   batch_size: int) -> list[Outcome]:
    """Extract a chunk without cross-document resolution, one outcome per document in
    input order; a failed document's outcome is its error."""
    errors: list[KgError] = []
    extracted = {id(extraction.document): extraction for extraction in extract_documents(
        documents, model=model, batch_size=batch_size, on_error=errors.append, resolve=False)}
    # failures come in input order too, so the documents left without an extraction
    # take the errors one by one
    failures = iter(errors)
    return [extracted.get(id(document)) or next(failures) for document in documents]


def _chunks(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    """Cut the stream into chunks that never straddle a resolution batch."""
    iterator = iter(documents)
    position = 0
    while chunk := list(islice(iterator, min(size, RESOLVE_BATCH - position % RESOLVE_BATCH))):
        position += len(chunk)
        yield chunk


def _report_errors(outcomes: Iterable[Outcome], on_error: OnError) -> list[Extraction]:
    """The extractions among outcomes; each error goes to ``on_error`` (raised without)."""
    extractions = []
    for outcome in outcomes:
        if isinstance(outcome, KgError):
            if on_error is None:
                raise outcome
            on_error(outcome)
        else:
            extractions.append(outcome)
    return extractions


def _resolve_outcomes(chunks: Iterable[list[Outcome]], on_error: OnError) -> Iterator[Extraction]:
    """Resolve names batch by batch, counting failed documents as the pipeline does."""
    known: set[str] = set()
    batch: list[Extraction] = []
    seen = 0
    for outcomes in chunks:
        batch.extend(_report_errors(outcomes, on_error))
        seen += len(outcomes)
        if seen % RESOLVE_BATCH == 0:
            yield from resolve_corpus(batch, known)
            batch = []
    if batch:
        yield from resolve_corpus(batch, known)


def extract_parallel(documents: Iterable[Document], *, jobs: int, model: str | None = None,
                     batch_size: int = 16, on_error: OnError = None) -> Iterator[Extraction]:
    """Extract records from documents with ``jobs`` worker processes, in input order.

    Each worker loads the pipeline once. At most ``2 * jobs`` chunks are in flight, so
    memory stays flat however long the stream. ``jobs=1`` runs in this process.

    Args:
        documents: articles from ``kg.ingest.read_documents``.
        jobs: worker processes; use the number of cores.
        model: spaCy model name; the default model when None.
        batch_size: documents per ``nlp.pipe`` batch.
        on_error: called with a ``KgError`` for a document whose extraction failed; the
            document is skipped. Without it the error is raised.

    Raises:
        ValueError: ``jobs`` is less than 1.

    Example:
        >>> for extraction in extract_parallel(read_documents(["corpus"]), jobs=4): ...
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    if jobs == 1:
        yield from extract_documents(documents, model=model, batch_size=batch_size,
                                     on_error=on_error)
        return
    # spawn, not fork: a forked copy of a parent that already holds a model and threads
    # can deadlock; spawn behaves the same on Linux, macOS and Windows
    # no pool initializer: each worker loads the pipeline on its first chunk (it is cached),
    # so a missing model comes back as the ConfigError, not as a broken pool
    executor = ProcessPoolExecutor(max_workers=jobs,
                                   mp_context=multiprocessing.get_context("spawn"))
    try:
        yield from _resolve_outcomes(
            _in_order(executor, _chunks(documents, batch_size * _CHUNK_BATCHES),
                      jobs * _IN_FLIGHT_PER_JOB, model, batch_size), on_error)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _in_order(executor: ProcessPoolExecutor, chunks: Iterator[list[Document]], limit: int,
              model: str | None, batch_size: int) -> Iterator[list[Outcome]]:
    """Submit chunks with at most ``limit`` pending; yield their outcomes in input order."""
    pending: deque[Future[list[Outcome]]] = deque()
    for chunk in chunks:
        pending.append(executor.submit(_extract_chunk, chunk, model, batch_size))
        if len(pending) >= limit:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


# -- many machines: Dask --------------------------------------------------------------------

def _actors_only(outcomes: list[Outcome]) -> list[Outcome]:
    """The actors of each document, all the parent needs to resolve names corpus-wide."""
    return [outcome if isinstance(outcome, KgError) else Extraction(
        document=Document(id=outcome.document.id, text=""),
        records=tuple(r for r in outcome.records if isinstance(r, Actor)))
        for outcome in outcomes]


def _write_shard(outcomes: list[Outcome], start: int, path: str, *,
                 known: list[str], sizes: list[int]) -> str:
    """Rename actors as the resolution batch of each document did, and write N-Quads.

    ``known`` (person names) only grows, batch by batch; ``sizes[k]`` is how much of it
    batch ``k`` saw.
    """
    names: dict[int, dict[str, str]] = {}
    with open(path, "w", encoding="utf-8") as shard:
        for index, outcome in enumerate(outcomes, start):
            if isinstance(outcome, KgError):
                continue
            batch = index // RESOLVE_BATCH
            if batch not in names:
                names[batch] = canonical_names(known[:sizes[batch]])
            shard.write(rdf.to_nquads(rename_actors(outcome, names[batch])))
    return path


def _resolution(stubs: Iterable[Outcome], on_error: OnError) -> tuple[list[str], list[int]]:
    """Run the pipeline's batch-by-batch resolution over actor stubs; report errors.

    Returns the person names in the order the batches brought them, and how many of them
    each batch saw.
    """
    known: set[str] = set()
    names: dict[str, None] = {}  # insertion-ordered, so a batch's view is a prefix
    sizes = []
    iterator = iter(stubs)
    while batch := list(islice(iterator, RESOLVE_BATCH)):
        resolve_corpus(_report_errors(batch, on_error), known)
        names.update(dict.fromkeys(sorted(known - names.keys())))
        sizes.append(len(names))
    return list(names), sizes


def build_dask(paths: Iterable[str | Path], *, out_dir: str | Path, scheduler: str | None = None,
               model: str | None = None, partitions: int | None = None, batch_size: int = 16,
               stored_hashes: Mapping[str, str] | None = None,
               stored_origins: Mapping[str, str | None] | None = None,
               on_error: OnError = None) -> list[Path]:
    """Extract articles on a Dask cluster and write one N-Quads shard per partition.

    Documents are read here and sent to the workers, so the inputs need not be on the
    workers' disks; the workers write the shards to ``out_dir``, which must be a directory
    they and this process share (the same path on every machine). Names are resolved
    across documents exactly as ``kg.pipeline.build`` resolves them: only the actors of
    each document travel back here, and the records stay on the workers.

    Args:
        paths: files and directories to read.
        out_dir: where the shards go (created if missing).
        scheduler: a Dask scheduler address (``tcp://HOST:8786``); None starts a local
            cluster of two single-threaded worker processes.
        model: spaCy model name.
        partitions: number of shards; default twice the cluster's worker threads.
        batch_size: documents per ``nlp.pipe`` batch.
        stored_hashes: ``{doc id: content hash}`` of documents already stored
            (``Store.document_hashes()``); documents with the same hash are skipped, as an
            incremental ``kg.pipeline.build`` skips them.
        stored_origins: ``{doc id: origin}`` of documents already stored
            (``Store.document_origins()``), so that ids are kept and never collide, as in
            ``kg.pipeline.build``.
        on_error: called for each bad input or failed document (which is skipped);
            without it the first error is raised.

    Returns:
        The shard paths, in corpus order; none when nothing changed.

    Example:
        >>> with open_store("kg-store") as store:
        ...     load_shards(build_dask(["corpus"], out_dir="shards"), store)
    """
    from dask.distributed import Client, LocalCluster

    from kg.ingest import read_documents

    def failed(error: KgError) -> None:
        if on_error is None:
            raise error
        on_error(error)

    stored = stored_hashes or {}
    documents = [document for document in read_documents(paths, on_error=failed,
                                                          stored=stored_origins)
                 if stored.get(document.id) != document.content_hash]
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                               dashboard_address=None)
    client = Client(cluster if cluster is not None else scheduler)
    try:
        count = partitions or 2 * max(1, sum(client.nthreads().values()))
        size = max(1, -(-len(documents) // count))
        starts = list(range(0, len(documents), size))
        parts = client.scatter([documents[start:start + size] for start in starts])
        # Client.map has a batch_size of its own, so ours goes in through partial
        extracted = client.map(partial(_extract_chunk, model=model, batch_size=batch_size),
                               parts, pure=False)
        stubs = client.gather(client.map(_actors_only, extracted))
        known, sizes = _resolution((stub for part in stubs for stub in part), failed)
        shards = [str(out / f"shard-{n:05d}.nq") for n in range(len(starts))]
        written = client.gather(client.map(_write_shard, extracted, starts, shards,
                                           known=known, sizes=sizes, pure=False))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    logger.info("wrote %d shards of %d documents to %s", len(written), len(documents), out)
    return [Path(path) for path in written]


# -- loading shards -------------------------------------------------------------------------

def load_shards(shards: Iterable[str | Path], store: Store) -> None:
    """Bulk-load N-Quads shards into a local store (``Store.load``).

    The graphs of the documents in a shard replace the stored ones, as
    ``Store.replace_documents`` replaces them; entity descriptions are added. The bulk
    loader is not transactional (see ``Store.load``).

    Raises:
        StoreError: a shard cannot be read or parsed.
    """
    if store.is_read_only:
        raise StoreError(f"{store.name}: the store is open read-only")
    for shard in shards:
        graphs = {quad.graph_name for quad in _parse(shard)}
        graphs.discard(ox.NamedNode(rdf.ENTITIES_GRAPH))
        for graph in graphs:
            store.oxigraph.remove_graph(graph)
        store.load(shard, "nquads")
    store.refresh_summaries()  # the bulk loader writes none (kg query actors reads them)


def _parse(shard: str | Path) -> Iterator[ox.Quad]:
    try:
        yield from ox.parse(path=str(shard), format=ox.RdfFormat.N_QUADS)
    except (OSError, SyntaxError) as error:
        raise StoreError(f"{shard}: cannot read the shard: {error}") from None


def push_shards(shards: Sequence[str | Path], remote_url: str, *,
                mode: Literal["dataset", "graph"] = "dataset", timeout: float = 300.0) -> None:
    """Send N-Quads shards to a remote SPARQL 1.1 store (Graph Store Protocol).

    ``dataset`` POSTs each shard as N-Quads to the dataset endpoint, which adds it (Oxigraph
    ``/store``, Fuseki ``/DATASET``). ``graph`` is plain SPARQL 1.1 GSP for stores that take
    only triples: each document graph is replaced with ``PUT ?graph=IRI`` and the shared
    entities graph is added to with ``POST ?graph=IRI``, as N-Triples.

    Args:
        shards: N-Quads files from ``build_dask``.
        remote_url: the Graph Store endpoint, e.g. ``http://127.0.0.1:7878/store``.
        mode: ``dataset`` or ``graph``.
        timeout: seconds to wait for each request.

    Raises:
        StoreError: the store refused a request or cannot be reached.

    Example:
        >>> push_shards(build_dask(["corpus"], out_dir="shards"), "http://127.0.0.1:7878/store")
    """
    import httpx

    with httpx.Client(timeout=timeout) as http:
        for shard in shards:
            if mode == "dataset":
                _send(http, "POST", remote_url, None, Path(shard).read_bytes(),
                      "application/n-quads", shard)
            else:
                for graph, body in _graphs(shard):
                    method = "POST" if graph == rdf.ENTITIES_GRAPH else "PUT"
                    _send(http, method, remote_url, graph, body, "application/n-triples", shard)


def _graphs(shard: str | Path) -> Iterator[tuple[str, bytes]]:
    """Split an N-Quads shard into ``(graph IRI, N-Triples)`` pairs."""
    by_graph: dict[str, list[ox.Triple]] = {}
    for quad in _parse(shard):
        by_graph.setdefault(quad.graph_name.value, []).append(quad.triple)
    for graph, triples in by_graph.items():
        yield graph, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


def _send(http: object, method: str, url: str, graph: str | None, body: bytes,
          content_type: str, shard: str | Path) -> None:
    import httpx

    assert isinstance(http, httpx.Client)
    params = {"graph": graph} if graph is not None else None
    try:
        response = http.request(method, url, params=params, content=body,
                                headers={"Content-Type": content_type})
    except httpx.HTTPError as error:
        raise StoreError(f"{url}: cannot send {shard}: {error}") from None
    if response.is_error:
        raise StoreError(f"{url}: {method} of {shard} failed with HTTP "
                         f"{response.status_code}: {response.text[:200].strip()}")
