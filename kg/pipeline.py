"""Run the stages in order: documents in, extractions (records per document) out.

``extract_documents`` parses with spaCy in batches and extracts per document; one bad
document is logged and skipped, never the batch (STYLE §3). ``resolve_corpus`` then gives
surname-only people the full name the rest of the corpus knows, batch by batch, so memory
stays flat however large the corpus. ``build`` also resolves each batch against the people
the store already holds (``resolve_stored``), renaming stored ones a new article tells more
about, so a person keeps one IRI whether articles are built together or one at a time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields
from itertools import islice
from pathlib import Path

from kg.errors import KgError
from kg.extract import extract_records
from kg.extract.headline import parse_text
from kg.ingest import MAX_BYTES, read_documents
from kg.lexicon import load_lexicon
from kg.nlp import load_pipeline
from kg.records import Document, Extraction
from kg.resolve import people_rows, rename_rows, resolve_corpus, resolve_stored
from kg.store import Store

logger = logging.getLogger(__name__)

RESOLVE_BATCH = 256  # documents resolved against each other at once


def extract_documents(documents: Iterable[Document], *, model: str | None = None,
                      batch_size: int = 16,
                      on_error: Callable[[KgError], None] | None = None,
                      resolve: bool = True) -> Iterator[Extraction]:
    """Extract records from documents, in input order.

    Args:
        documents: articles from ``kg.ingest.read_documents``.
        model: spaCy model name; the default model when None.
        batch_size: documents per ``nlp.pipe`` batch.
        on_error: called with a ``KgError`` for a document whose extraction failed; the
            document is skipped. Without it the error is raised.
        resolve: resolve names across documents (``resolve_corpus``); ``kg.scale`` turns
            it off in its workers and resolves the merged stream itself.

    Example:
        >>> from kg.ingest import read_documents
        >>> for extraction in extract_documents(read_documents(["examples"])): ...
    """
    nlp = load_pipeline(model)
    lexicon = load_lexicon()
    # a document the pipeline cannot take goes through as an empty text, so that its error
    # is reported in its place among the others (kg.scale matches errors to documents)
    pairs = ((("", (document, problem)) if (problem := _unfit(document, nlp.max_length))
              else (parse_text(document), (document, None))) for document in documents)
    parsed = nlp.pipe(pairs, as_tuples=True, batch_size=batch_size)
    known: set[str] = set()
    while True:
        batch = []
        for doc, (document, problem) in islice(parsed, RESOLVE_BATCH):
            if problem is not None:
                if on_error is None:
                    raise KgError(problem)
                on_error(KgError(problem))
                continue
            try:
                batch.append(Extraction(document=document,
                                        records=tuple(extract_records(doc, document, lexicon))))
            except Exception as err:  # noqa: BLE001 - the per-document boundary of STYLE §3
                logger.debug("%s: extraction failed", document.source or document.id,
                             exc_info=True)
                error = KgError(f"{document.source or document.id}: extraction failed: {err}")
                if on_error is None:
                    raise error from err
                on_error(error)
        if not batch:
            return
        yield from resolve_corpus(batch, known) if resolve else batch


def extract(paths: Iterable[str | Path] | str | Path, *, model: str | None = None,
            on_error: Callable[[KgError], None] | None = None) -> Iterator[Extraction]:
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


def _unfit(document: Document, max_length: int | None = None) -> str | None:
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


def build(paths: Iterable[str | Path], store: Store, *, model: str | None = None,
          batch_size: int = 16, write_batch: int = 64, force: bool = False, jobs: int = 1,
          max_bytes: int = MAX_BYTES,
          on_error: Callable[[KgError], None] | None = None,
          progress: Callable[[Document], None] | None = None) -> BuildSummary:
    """Read, extract and store articles; skip those whose content is already stored.

    Args:
        paths: files and directories to read.
        store: an open, writable store.
        model: spaCy model name.
        batch_size: documents per ``nlp.pipe`` batch.
        write_batch: documents written per store transaction.
        force: re-extract documents even when their content hash is stored.
        max_bytes: the largest article file read; larger ones are refused as bad input.
        jobs: extraction processes (``kg.scale.extract_parallel``); the store is written
            by this process alone.
        on_error: called for each bad input or failed document (which is skipped); without
            it the first error is raised.
        progress: called with each document as it is read.

    Example:
        >>> with open_store("kg-store") as store:
        ...     print(build(["examples"], store))
    """
    started = time.perf_counter()
    counts = {"read": 0, "unchanged": 0, "failed": 0, "stored": 0}

    def failed(error: KgError) -> None:
        counts["failed"] += 1
        if on_error is None:
            raise error
        on_error(error)

    stored_hashes = store.document_hashes()
    stored_origins = store.document_origins()

    def changed() -> Iterator[Document]:
        for document in read_documents(paths, on_error=failed, max_bytes=max_bytes,
                                       stored=stored_origins):
            counts["read"] += 1
            if progress is not None:
                progress(document)
            if problem := _unfit(document):  # its content hash cannot even be computed
                failed(KgError(problem))
                continue
            stored_hash = stored_hashes.get(document.id)
            if stored_hash == document.content_hash and not force:
                counts["unchanged"] += 1
                continue
            if stored_hash is not None and stored_hash != document.content_hash:
                # the same file (ingest keeps different files apart): text or metadata edited
                logger.info("%s: changed since it was stored as %r, replacing it",
                            document.source or document.id, document.id)
            yield document

    if jobs > 1:
        from kg.scale import extract_parallel  # kg.scale builds on this module

        extractions = extract_parallel(changed(), jobs=jobs, model=model, batch_size=batch_size,
                                       on_error=failed)
    else:
        extractions = extract_documents(changed(), model=model, batch_size=batch_size,
                                        on_error=failed)
    people = None  # the store's people, read once, then kept up to date here
    while batch := list(islice(extractions, write_batch)):
        # people are named as the whole stored corpus names them, and vice versa
        people = store.people() if people is None else people
        batch, renames = resolve_stored(people, batch)
        try:
            counts["stored"] += store.replace_documents(batch)
        except ValueError:
            # one document's records do not map to RDF: store the others one by one
            for extraction in batch:
                try:
                    counts["stored"] += store.replace_documents([extraction])
                except ValueError as err:
                    document = extraction.document
                    failed(KgError(f"{document.source or document.id}: cannot store: {err}"))
        store.rename_actors(renames)
        replaced = {extraction.document.id for extraction in batch}
        people = rename_rows([row for row in people if row[0] not in replaced], renames) + \
            people_rows(batch)
        store.flush()  # memory stays flat: RocksDB's write buffers go to disk per batch
    return BuildSummary(seconds=time.perf_counter() - started, **counts)
