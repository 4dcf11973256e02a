"""Where extraction runs: in this process, in a pool of processes, or on a Dask cluster.

A strategy turns chunks of documents into their outcomes (an ``Extraction``, or the
``KgError`` of a document that failed), chunk by chunk, in input order, with a bounded
number of chunks in flight so memory stays flat however long the stream:

    InProcess()                   this process
    ProcessPool(jobs=N)           N worker processes on this machine
    Dask(scheduler=None, jobs=N)  a Dask cluster: a LocalCluster of N processes, or the
                                  cluster of a scheduler address (tcp://HOST:8786)

Each worker loads the spaCy pipeline once and runs ``extract_chunk``; names are resolved
across documents and the store is written in one place, ``kg.pipeline.build``, whatever
the strategy, so every strategy gives the same store. ``ShardWriter`` takes the place of a
store when the graph goes to a remote SPARQL store instead (``push_shards``).

Example:
    >>> with open_store("kg-store") as store:
    ...     build(["corpus"], store, strategy=Dask(scheduler="tcp://head:8786"))
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, fields
from itertools import chain
from pathlib import Path
from typing import Any, Literal, Protocol

import pyoxigraph as ox

from kg import rdf
from kg.errors import KgError, StoreError
from kg.extract import extract_records
from kg.extract.headline import parse_text
from kg.lexicon import load_lexicon
from kg.nlp import load_pipeline
from kg.records import Document, Extraction
from kg.store import Store

__all__ = ["Dask", "InProcess", "ProcessPool", "ShardWriter", "Strategy", "extract_chunk",
           "load_shards", "push_shards", "usable_cores"]

logger = logging.getLogger(__name__)

Outcome = Extraction | KgError

_IN_FLIGHT_PER_JOB = 2  # chunks queued per worker: enough to keep it busy, bounded memory


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


def extract_chunk(documents: Sequence[Document], model: str | None,
                  batch_size: int) -> list[Outcome]:
    """Parse and extract a chunk of documents: one outcome per document, in input order,
    a failed document's outcome its error (STYLE §3: one bad document never costs the
    others). Names are not resolved across documents here.

    Example:
        >>> [type(o).__name__ for o in extract_chunk(documents, None, 16)]
        ['Extraction', 'KgError', 'Extraction']
    """
    nlp = load_pipeline(model)  # cached: once per process
    lexicon = load_lexicon()
    # a document the pipeline cannot take goes through as an empty text, so that its error
    # comes back in its place among the others
    problems = [unfit(document, nlp.max_length) for document in documents]
    texts = ("" if problem else parse_text(document)
             for document, problem in zip(documents, problems))
    outcomes: list[Outcome] = []
    for doc, document, problem in zip(nlp.pipe(texts, batch_size=batch_size), documents,
                                      problems):
        if problem is not None:
            outcomes.append(KgError(problem))
            continue
        try:
            outcomes.append(Extraction(document=document,
                                       records=tuple(extract_records(doc, document, lexicon))))
        except Exception as err:  # noqa: BLE001 - the per-document boundary of STYLE §3
            logger.debug("%s: extraction failed", document.source or document.id, exc_info=True)
            outcomes.append(KgError(f"{document.source or document.id}: extraction failed: "
                                    f"{err}"))
    return outcomes


def unfit(document: Document, max_length: int | None = None) -> str | None:
    """Why a document cannot go through the pipeline and the store, or None if it can."""
    where = document.source or document.id
    for field in fields(document):
        value = getattr(document, field.name)
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as err:
                # JSON's "\ud800" escape decodes to a lone surrogate, which no UTF-8
                # writer (the store, stdout) accepts
                return (f"{where}: {field.name} is not valid Unicode (a lone surrogate at "
                        f"character {err.start})")
    if max_length is not None and len(document.text) > max_length:
        # spaCy's parser needs ~1 GB of memory per 100,000 characters of one text
        return (f"{where}: {len(document.text):,} characters, more than the {max_length:,} "
                f"the spaCy pipeline takes (nlp.max_length); split the article")
    return None


class Strategy(Protocol):
    """Runs ``extract_chunk`` over chunks of documents; yields outcomes chunk by chunk, in
    input order. Nothing starts (no model, no worker) before the first chunk arrives."""

    def extract(self, chunks: Iterable[list[Document]], *, model: str | None,
                batch_size: int) -> Iterator[list[Outcome]]: ...


@dataclass(frozen=True, slots=True)
class InProcess:
    """Extract in this process."""

    def extract(self, chunks: Iterable[list[Document]], *, model: str | None,
                batch_size: int) -> Iterator[list[Outcome]]:
        for chunk in chunks:
            yield extract_chunk(chunk, model, batch_size)


@dataclass(frozen=True, slots=True)
class ProcessPool:
    """Extract in ``jobs`` worker processes on this machine.

    Workers are spawned, not forked (a forked copy of a parent holding a model and threads
    can deadlock; spawn behaves the same on Linux, macOS and Windows), and each loads the
    pipeline on its first chunk, so a missing model comes back as the ``ConfigError``. A
    stream of one chunk is extracted here: no worker could finish it sooner than their
    start-up takes.
    """

    jobs: int

    def __post_init__(self) -> None:
        _require_jobs(self.jobs)

    def extract(self, chunks: Iterable[list[Document]], *, model: str | None,
                batch_size: int) -> Iterator[list[Outcome]]:
        chunks = iter(chunks)
        first = [chunk for chunk in (next(chunks, None), next(chunks, None)) if chunk]
        if self.jobs == 1 or len(first) < 2:
            yield from InProcess().extract(chain(first, chunks), model=model,
                                           batch_size=batch_size)
            return
        executor = ProcessPoolExecutor(max_workers=self.jobs,
                                       mp_context=multiprocessing.get_context("spawn"))
        try:
            yield from _in_order(
                lambda chunk: executor.submit(extract_chunk, chunk, model, batch_size),
                chain(first, chunks), self.jobs * _IN_FLIGHT_PER_JOB)
        except KeyboardInterrupt:
            # Ctrl-C: the chunks under way are lost anyway, so stop their workers now
            # rather than wait for them (the interrupt reaches only this process when it
            # is not sent from a terminal)
            for process in list(getattr(executor, "_processes", {}).values()):
                process.terminate()
            raise
        finally:
            executor.shutdown(wait=True, cancel_futures=True)


@dataclass(frozen=True, slots=True)
class Dask:
    """Extract on a Dask cluster: the one at ``scheduler`` (``tcp://HOST:8786``), else a
    ``LocalCluster`` of ``jobs`` single-threaded worker processes (spaCy holds the GIL).

    The documents are read here and travel to the workers with their tasks, so the inputs
    need not be on the workers' disks; their records travel back to be resolved and stored
    here. Every worker needs the same Python environment with kg and its model.
    """

    scheduler: str | None = None
    jobs: int = 2

    def __post_init__(self) -> None:
        _require_jobs(self.jobs)

    def extract(self, chunks: Iterable[list[Document]], *, model: str | None,
                batch_size: int) -> Iterator[list[Outcome]]:
        from dask.distributed import Client

        chunks = iter(chunks)
        first = next(chunks, None)
        if first is None:
            return
        cluster = _local_cluster(self.jobs) if self.scheduler is None else None
        client = Client(cluster if cluster is not None else self.scheduler)
        try:
            threads = max(1, sum(client.nthreads().values()))
            # Client.submit has keywords of its own, so the task's arguments go by position
            yield from _in_order(
                lambda chunk: client.submit(extract_chunk, chunk, model, batch_size, pure=False),
                chain([first], chunks), threads * _IN_FLIGHT_PER_JOB)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def _local_cluster(jobs: int) -> Any:
    """A ``LocalCluster`` of ``jobs`` single-threaded worker processes, set up for spaCy.

    Dask's nanny starts workers with ``MALLOC_TRIM_THRESHOLD_=65536``, which suits
    long-lived workers holding arrays; spaCy allocates and frees many small blocks a
    document, and with glibc handing them back to the system at once the workers spent 4x
    the system time for 0.7x the throughput of the process pool (issue #13). The
    statistical profiler only feeds a dashboard, which this cluster does not start.
    """
    import dask
    from dask.distributed import LocalCluster

    with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
                          "distributed.worker.profile.enabled": False}):
        return LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                            dashboard_address=None)


def _require_jobs(jobs: int) -> None:
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")


def _in_order(submit: Callable[[list[Document]], Any], chunks: Iterable[list[Document]],
              limit: int) -> Iterator[list[Outcome]]:
    """Submit chunks with at most ``limit`` pending; yield their outcomes in input order.
    ``submit`` returns a future (concurrent.futures or Dask): ``result()`` waits for it
    and raises what the task raised."""
    pending: deque[Any] = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= limit:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


class ShardWriter:
    """Stands in for a store: each batch of documents ``kg.pipeline.build`` stores becomes
    one N-Quads shard in ``out_dir``, for ``push_shards`` (or ``load_shards``).

    It holds no documents, so nothing is skipped as unchanged and names are resolved within
    the build only, not against what the receiving store holds.
    """

    def __init__(self, out_dir: str | Path) -> None:
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.shards: list[Path] = []

    def document_hashes(self) -> dict[str, str]:
        return {}

    def document_origins(self) -> dict[str, str | None]:
        return {}

    def people(self) -> None:
        """None: there are no stored people to resolve against."""
        return None

    def replace_documents(self, extractions: Iterable[Extraction]) -> int:
        """Write the extractions as the next shard; raise ``ValueError`` (writing nothing)
        when one of them does not map to RDF."""
        extractions = list(extractions)
        text = "".join(rdf.to_nquads(extraction) for extraction in extractions)
        shard = self.out_dir / f"shard-{len(self.shards):05d}.nq"
        shard.write_text(text, encoding="utf-8")
        self.shards.append(shard)
        return len(extractions)

    def rename_actors(self, renames: dict[str, tuple[str, str]]) -> None:
        if renames:  # people() is None, so kg.pipeline.build never asks
            raise StoreError(f"{self.out_dir}: written shards cannot be renamed")

    def flush(self) -> None:
        """Nothing to flush: each shard is written whole."""


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
