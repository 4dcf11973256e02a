"""Run the stages in order: documents in, extractions (records per document) out.

One loop, whatever runs the extraction (``kg.scale``: in this process, a process pool, a
Dask cluster): documents go out in chunks and come back as outcomes in input order;
``resolve_corpus`` then gives surname-only people the full name the rest of the corpus
knows, ``RESOLVE_BATCH`` documents at a time against a ``NameIndex`` of every name seen,
so memory stays flat and a batch costs the same however large the corpus. ``build`` also
resolves each batch against the people the store already holds (``PeopleIndex``),
renaming stored ones a new article tells more about, so a person keeps one IRI whether
articles are built together or one at a time, and then writes it in one transaction.

    read_documents ─▶ unchanged? ─▶ strategy.extract ─▶ resolve_corpus ─▶ PeopleIndex ─▶ store
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from kg.errors import KgError
from kg.ingest import MAX_BYTES, count_articles, read_documents
from kg.records import Document, Extraction
from kg.resolve import NameIndex, PeopleIndex, resolve_corpus
from kg.scale import InProcess, Outcome, ProcessPool, ShardWriter, Strategy, unfit
from kg.store import Store

logger = logging.getLogger(__name__)

RESOLVE_BATCH = 256  # documents resolved against each other at once

OnError = Callable[[KgError], None] | None


def extract_documents(documents: Iterable[Document], *, model: str | None = None,
                      batch_size: int = 16, on_error: OnError = None, resolve: bool = True,
                      strategy: Strategy | None = None) -> Iterator[Extraction]:
    """Extract records from documents, in input order.

    Args:
        documents: articles from ``kg.ingest.read_documents``.
        model: spaCy model name; the default model when None.
        batch_size: documents per ``nlp.pipe`` batch, and per chunk sent to a worker.
        on_error: called with a ``KgError`` for a document whose extraction failed; the
            document is skipped. Without it the error is raised.
        resolve: resolve names across documents (``resolve_corpus``).
        strategy: where extraction runs (``kg.scale``); this process when None.

    Example:
        >>> from kg.ingest import read_documents
        >>> for extraction in extract_documents(read_documents(["examples"])): ...
    """
    strategy = InProcess() if strategy is None else strategy
    outcomes = strategy.extract(_chunks(documents, batch_size), model=model,
                                batch_size=batch_size)
    if not resolve:
        for chunk in outcomes:
            yield from _report(chunk, on_error)
        return
    index = NameIndex()  # every person name seen so far
    batch: list[Extraction] = []
    seen = 0
    for chunk in outcomes:
        batch.extend(_report(chunk, on_error))
        seen += len(chunk)
        if seen % RESOLVE_BATCH == 0:  # chunks never straddle a resolution batch
            yield from resolve_corpus(batch, index)
            batch = []
    if batch:
        yield from resolve_corpus(batch, index)


def _chunks(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    """Cut the stream into chunks of ``size`` that never straddle a resolution batch."""
    iterator = iter(documents)
    position = 0
    while chunk := list(islice(iterator, min(size, RESOLVE_BATCH - position % RESOLVE_BATCH))):
        position += len(chunk)
        yield chunk


def _report(outcomes: Iterable[Outcome], on_error: OnError) -> list[Extraction]:
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


def extract(paths: Iterable[str | Path] | str | Path, *, model: str | None = None,
            on_error: OnError = None) -> Iterator[Extraction]:
    """Read articles from files and directories and extract their records (``kg extract``).

    Args:
        paths: files (text, Markdown, HTML, JSONL) and directories of them.
        model: spaCy model name; the default model when None.
        on_error: called for each bad input or failed document (which is skipped); without
            it the first error is raised.

    Yields:
        One ``Extraction`` per article: its ``document`` and its ``records``.

    Example:
        >>> for extraction in extract(["examples/iran_deal_2015.txt"]):
        ...     print(extraction.document.title, len(extraction.records))
    """
    documents = read_documents(paths, on_error=on_error)
    return extract_documents(documents, model=model, on_error=on_error)


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildSummary:
    """What a build did."""

    read: int  # documents read
    stored: int  # documents extracted and stored
    unchanged: int  # documents skipped because their content hash is already stored
    failed: int  # inputs or documents skipped because of an error
    seconds: float

    def __str__(self) -> str:
        return (f"{self.read} documents read: {self.stored} stored, {self.unchanged} unchanged; "
                f"{self.failed} inputs skipped; {self.seconds:.1f}s")


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildProgress:
    """How far a build is: ``done`` of ``total`` articles stored, unchanged or skipped.

    ``total`` is counted from the inputs before the first article is read
    (``kg.ingest.count_articles``); duplicates are never done, so a build may end short.
    """

    done: int
    total: int
    document: str  # the id of the document just done; "" for a bad input


def build(paths: Iterable[str | Path], store: Store | ShardWriter, *, model: str | None = None,
          batch_size: int = 16, write_batch: int = 64, force: bool = False, jobs: int = 1,
          strategy: Strategy | None = None, max_bytes: int = MAX_BYTES,
          on_error: OnError = None,
          progress: Callable[[BuildProgress], None] | None = None) -> BuildSummary:
    """Read, extract and store articles; skip those whose content is already stored.

    Args:
        paths: files and directories to read.
        store: an open, writable store, or a ``kg.scale.ShardWriter`` writing N-Quads
            shards for a remote store.
        model: spaCy model name.
        batch_size: documents per ``nlp.pipe`` batch, and per chunk sent to a worker.
        write_batch: documents written per store transaction.
        force: re-extract documents even when their content hash is stored.
        jobs: extraction processes (``kg.scale.ProcessPool``) when no ``strategy`` is given;
            the store is written by this process alone.
        strategy: where extraction runs: ``kg.scale.InProcess()``, ``ProcessPool(jobs)``
            or ``Dask(scheduler, jobs)``. Every strategy gives the same store.
        max_bytes: the largest article file read; larger ones are refused as bad input.
        on_error: called for each bad input or failed document (which is skipped); without
            it the first error is raised.
        progress: called with a ``BuildProgress`` as each article is done.

    Example:
        >>> with open_store("kg-store") as store:
        ...     print(build(["examples"], store, strategy=ProcessPool(2)))
    """
    started = time.perf_counter()
    paths = list(paths)
    strategy = strategy or (ProcessPool(jobs) if jobs > 1 else InProcess())
    counts = {"read": 0, "unchanged": 0, "failed": 0, "stored": 0}
    total = count_articles(paths) if progress is not None else 0
    done = 0
    if progress is not None:
        progress(BuildProgress(done=0, total=total, document=""))

    def advance(document: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(BuildProgress(done=done, total=max(total, done), document=document))

    def failed(error: KgError) -> None:
        counts["failed"] += 1
        advance("")
        if on_error is None:
            raise error
        on_error(error)

    stored_hashes = store.document_hashes()
    stored_origins = store.document_origins()

    def changed() -> Iterator[Document]:
        for document in read_documents(paths, on_error=failed, max_bytes=max_bytes,
                                       stored=stored_origins):
            counts["read"] += 1
            if problem := unfit(document):  # its content hash cannot even be computed
                failed(KgError(problem))
                continue
            stored_hash = stored_hashes.get(document.id)
            if stored_hash == document.content_hash and not force:
                counts["unchanged"] += 1
                advance(document.id)
                continue
            if stored_hash is not None and stored_hash != document.content_hash:
                # the same file (ingest keeps different files apart): text or metadata edited
                logger.info("%s: changed since it was stored as %r, replacing it",
                            document.source or document.id, document.id)
            yield document

    # nothing loads a model or starts a worker before the first changed document
    extractions = extract_documents(changed(), model=model, batch_size=batch_size,
                                    on_error=failed, strategy=strategy)
    people: PeopleIndex | None = None  # the store's people, read once, then kept up to date
    is_resolved_against_store = True
    while batch := list(islice(extractions, write_batch)):
        if people is None and is_resolved_against_store:
            rows = store.people()
            is_resolved_against_store = rows is not None
            people = PeopleIndex(rows or ())
        renames: dict[str, tuple[str, str]] = {}
        if people is not None:
            # people are named as the whole stored corpus names them, and vice versa
            batch, renames = people.resolve(batch)
        for document in _store(store, batch, failed):
            counts["stored"] += 1
            advance(document)
        store.rename_actors(renames)
        store.flush()  # memory stays flat: RocksDB's write buffers go to disk per batch
    return BuildSummary(seconds=time.perf_counter() - started, **counts)


def _store(store: Store | ShardWriter, batch: list[Extraction],
           failed: Callable[[KgError], None]) -> list[str]:
    """Write a batch in one transaction; the ids of the documents stored."""
    try:
        store.replace_documents(batch)
        return [extraction.document.id for extraction in batch]
    except ValueError:
        pass
    # one document's records do not map to RDF: store the others one by one
    stored = []
    for extraction in batch:
        document = extraction.document
        try:
            store.replace_documents([extraction])
            stored.append(document.id)
        except ValueError as err:
            failed(KgError(f"{document.source or document.id}: cannot store: {err}"))
    return stored
