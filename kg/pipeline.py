"""Run the stages in order: documents in, extractions (records per document) out.

``extract_documents`` parses with spaCy in batches and extracts per document; one bad
document is logged and skipped, never the batch (STYLE §3). ``resolve_corpus`` then gives
surname-only people the full name the rest of the corpus knows, batch by batch, so memory
stays flat however large the corpus.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from kg.errors import KgError
from kg.extract import extract_records
from kg.lexicon import load_lexicon
from kg.nlp import load_pipeline
from kg.records import Document, Extraction
from kg.resolve import resolve_corpus

logger = logging.getLogger(__name__)

RESOLVE_BATCH = 256  # documents resolved against each other at once


def extract_documents(documents: Iterable[Document], *, model: str | None = None,
                      batch_size: int = 16,
                      on_error: Callable[[KgError], None] | None = None) -> Iterator[Extraction]:
    """Extract records from documents, in input order.

    Args:
        documents: articles from ``kg.ingest.read_documents``.
        model: spaCy model name; the default model when None.
        batch_size: documents per ``nlp.pipe`` batch.
        on_error: called with a ``KgError`` for a document whose extraction failed; the
            document is skipped. Without it the error is raised.

    Example:
        >>> from kg.ingest import read_documents
        >>> for extraction in extract_documents(read_documents(["examples"])): ...
    """
    nlp = load_pipeline(model)
    lexicon = load_lexicon()
    pairs = ((document.text, document) for document in documents)
    parsed = nlp.pipe(pairs, as_tuples=True, batch_size=batch_size)
    known: dict[str, str] = {}
    while True:
        batch = []
        for doc, document in islice(parsed, RESOLVE_BATCH):
            try:
                batch.append(Extraction(document=document,
                                        records=tuple(extract_records(doc, document, lexicon))))
            except Exception as err:  # noqa: BLE001 - the per-document boundary of STYLE §3
                logger.exception("%s: extraction failed", document.source or document.id)
                error = KgError(f"{document.source or document.id}: extraction failed: {err}")
                if on_error is None:
                    raise error from err
                on_error(error)
        if not batch:
            return
        yield from resolve_corpus(batch, known)
