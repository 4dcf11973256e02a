"""Read articles from files, directories and JSONL into `Document` records.

Offsets are sacred: extractors report character offsets into ``Document.text`` and those
must be offsets into the text as decoded from disk. So nothing is ever deleted or
inserted: boilerplate lines (``kg/data/boilerplate.tsv``), header lines (headline, byline,
date line, publisher line), the dateline prefix of the first paragraph ("ROSTOCK,
Germany, June 7 -- ") and Markdown markup are *blanked*, replaced by as many spaces, with
``\\r`` and ``\\n`` kept. ``Document.text`` has exactly the length of the decoded file.

Inputs:
    - ``.txt``, ``.text``, ``.md``, ``.markdown`` files: one article each; Markdown markup
      is blanked in the last two. A file named explicitly with another extension is read
      as plain text; in a directory such files, hidden ones and README/LICENSE files are
      skipped.
    - ``.html``, ``.htm``, ``.xhtml`` files: a saved web page; ``kg.ingest.html`` reads
      the article text and the title, author, publisher (site name), publication date and
      canonical URL out of it (trafilatura, htmldate). Offsets count characters of that
      article text, not of the HTML source (see ``kg.ingest.html``).
    - ``.jsonl`` files: one article per line, an object with ``id`` and ``text`` and
      optionally ``title``, ``author``, ``publisher``, ``published`` (any date string),
      ``place`` and ``url``. Blank lines are skipped.
    - directories: searched recursively in sorted order; symlinked directories are
      followed, and a symlink loop is reported and skipped.

Metadata found in the text is overridden by metadata given from outside: the JSONL keys
above, or for a text file ``NAME.txt`` a sidecar ``NAME.meta.json`` next to it, a JSON
object with the same optional keys, e.g.
``{"title": "...", "published": "8 June 2007", "url": "https://..."}``. Sidecars are
never read as articles; for a web page the sidecar wins over the page's markup.
``Document.source`` is the path (``FILE.jsonl:LINE`` for JSONL), ``Document.url`` the URL.
The content hash covers the metadata, so editing a sidecar rebuilds the article.

Text is decoded as UTF-8 (with or without BOM) or UTF-16 with a BOM. Bytes that are not
UTF-8 are read as cp1252 (latin-1 for the five bytes cp1252 leaves undefined), byte by
byte, so a file pasted together from UTF-8 and cp1252 reads right; mixing is warned about
with the first line it happens on. A few stray control characters (a NUL, an escape) are
replaced by spaces, keeping offsets, with a warning; more than a tenth makes the file
binary.

Document ids are the file name without extension, or the JSONL ``id``, and never collide:
an article keeps the id it is stored under (``stored``, found by ``Document.origin``, the
build root's folder name and the path under it); an id that another file took in this
run or in the store becomes ``ID-XXXXXXXX`` (eight hex digits of the SHA-1 of the
origin, so the same in every run), with a warning.

Duplicates: an article whose words are the same as, or nearly the same as (estimated
Jaccard similarity of word 5-grams at least 0.9), one read before in the run is skipped
with one warning line that names the article kept (of several, the most alike, then the
first read). What is kept per article to find them is small and fixed, and finding them
does not read every article before, so reading stays linear in time and nearly flat in
memory over 100,000 articles (``identity.Duplicates``).

One module per reader, and this one dispatches by suffix (``ARTICLE_READERS``,
``COLLECTION_READERS``):

    text      ``.txt``/``.text``, and ``.md``/``.markdown`` with ``markdown`` blanking markup
    html      a saved web page, through trafilatura and htmldate
    jsonl     many articles in one file
    article   one article's text: boilerplate, then ``header`` (headline, byline, date line,
              publisher line, dateline) read and blanked
    metadata  sidecars and the JSONL keys; ``decode`` bytes to text; ``files`` walks
              directories; ``identity`` gives ids that never collide and finds duplicates

Example:
    >>> doc = parse_article("Leaders Meet\\n\\nBy Jane Doe\\n\\nThey met.", doc_id="a")
    >>> doc.title, doc.author, doc.text[doc.body_start:]
    ('Leaders Meet', 'Jane Doe', 'They met.')
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path

from kg.errors import InputError
from kg.ingest.article import load_boilerplate, parse_article
from kg.ingest.files import SIDECAR_SUFFIX, expand, first_reading
from kg.ingest.html import HTML_SUFFIXES, read_html_file
from kg.ingest.identity import Duplicates, Ids, origin_of
from kg.ingest.jsonl import JSONL_SUFFIXES, read_jsonl
from kg.ingest.markdown import MARKDOWN_SUFFIXES
from kg.ingest.metadata import METADATA_KEYS
from kg.ingest.text import TEXT_SUFFIXES, read_markdown_file, read_text_file
from kg.records import Document

logger = logging.getLogger(__name__)

__all__ = [
    "ARTICLE_READERS",
    "ARTICLE_SUFFIXES",
    "COLLECTION_READERS",
    "MAX_BYTES",
    "METADATA_KEYS",
    "SIDECAR_SUFFIX",
    "count_articles",
    "load_boilerplate",
    "parse_article",
    "read_document",
    "read_documents",
]

MAX_BYTES = 20_000_000

# suffix -> the reader of a file holding one article; a file named explicitly with another
# suffix is read as plain text
ARTICLE_READERS: dict[str, Callable[[Path, int], Document]] = {
    **dict.fromkeys(TEXT_SUFFIXES, read_text_file),
    **dict.fromkeys(MARKDOWN_SUFFIXES, read_markdown_file),
    **dict.fromkeys(HTML_SUFFIXES, read_html_file),
}
# suffix -> the reader of a file holding many articles, one per line, each a Document or
# the error of its line
COLLECTION_READERS: dict[str, Callable[[Path, int], Iterator[Document | InputError]]] = {
    **dict.fromkeys(JSONL_SUFFIXES, read_jsonl),
}
ARTICLE_SUFFIXES = (*ARTICLE_READERS, *COLLECTION_READERS)


def read_documents(paths: Iterable[str | Path] | str | Path, *,
                   on_error: Callable[[InputError], None] | None = None,
                   max_bytes: int = MAX_BYTES,
                   stored: Mapping[str, str | None] | None = None,
                   deduplicate: bool = True) -> Iterator[Document]:
    """Read every article under the given files and directories.

    Args:
        paths: Files (text, Markdown, HTML or JSONL) and directories, read in the order
            given; directories recursively in sorted order.
        on_error: Called with each bad input, after which reading goes on with the next
            one. Without it the first bad input raises.
        max_bytes: The largest article (a file, or one JSONL line) read, in bytes.
        stored: The ids already in the store, each with its ``origin`` (None when
            unknown): an article keeps the id it was stored under, and never takes the id
            of a different stored article.
        deduplicate: Skip an article whose text is the same as, or nearly the same as, one
            read before in this run (logged as a warning naming the one kept).

    Yields:
        One `Document` per article, with an id unique within this run and the store.

    Raises:
        InputError: A bad input, when no ``on_error`` is given.

    Example:
        >>> for doc in read_documents(["corpus/"], on_error=print):
        ...     print(doc.id, doc.published)
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    ids = Ids(stored or {})
    duplicates = Duplicates()
    read_files: set[int] = set()
    seen_dirs: set[tuple[int, int]] = set()
    for given in paths:
        root = Path(given)
        for item in expand(root, seen_dirs, ARTICLE_SUFFIXES):
            if isinstance(item, InputError):
                _report(item, on_error)
                continue
            if not first_reading(item, read_files):
                continue
            origin = origin_of(root, item)
            is_collection = item.suffix.lower() in COLLECTION_READERS
            for result in _read_file(item, max_bytes):
                if isinstance(result, InputError):
                    _report(result, on_error)
                    continue
                document = replace(result, origin=f"{origin}#{result.id}" if is_collection
                                   else origin)
                kept = duplicates.kept(document) if deduplicate else None
                if kept is not None:
                    logger.warning("%s: duplicate of %s (%s), kept %s",
                                   document.source or document.id, kept.id,
                                   kept.source or kept.id, kept.id)
                    continue
                yield ids.assign(document)


def count_articles(paths: Iterable[str | Path] | str | Path) -> int:
    """Count the articles the inputs hold without reading them: one per article file, one
    per non-blank line of a JSONL file, one per bad input. A progress bar's total:
    ``read_documents`` yields fewer when it skips duplicates or bad inputs.

    Example:
        >>> count_articles(["examples"])
        12
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    count = 0
    seen_dirs: set[tuple[int, int]] = set()
    for given in paths:
        for item in expand(Path(given), seen_dirs, ARTICLE_SUFFIXES):
            if isinstance(item, Path) and item.suffix.lower() in JSONL_SUFFIXES:
                try:
                    with item.open("rb") as stream:
                        count += max(1, sum(1 for line in stream if line.strip()))
                except OSError:
                    count += 1
            else:
                count += 1
    return count


def read_document(path: str | Path, *, max_bytes: int = MAX_BYTES) -> Document:
    """Read one article from a text, Markdown or HTML file, with its sidecar metadata if any.

    Args:
        path: The file; any extension but ``.jsonl`` is read as text.
        max_bytes: The largest file read, in bytes.

    Returns:
        The article, its id the file name without extension.

    Raises:
        InputError: The file is missing, unreadable, empty, binary, too large or JSONL.

    Example:
        >>> read_document("corpus/heiligendamm.txt").title
        'Putin Offers to Join Missile Shield Effort'
    """
    path = Path(path)
    if path.suffix.lower() in COLLECTION_READERS:
        raise InputError(f"{path}: a JSONL file holds many articles; use read_documents")
    return _read_article(path, max_bytes)


def _read_file(path: Path, max_bytes: int) -> Iterable[Document | InputError]:
    """The articles of a file, each a Document or the error that kept it from being read."""
    collection = COLLECTION_READERS.get(path.suffix.lower())
    if collection is not None:
        return collection(path, max_bytes)
    try:
        return [_read_article(path, max_bytes)]
    except InputError as err:
        return [err]


def _read_article(path: Path, max_bytes: int) -> Document:
    """Read a file holding one article with the reader its suffix names (text by default)."""
    if not path.is_file() and path.exists():
        raise InputError(f"{path}: not a regular file")
    return ARTICLE_READERS.get(path.suffix.lower(), read_text_file)(path, max_bytes)


def _report(error: InputError, on_error: Callable[[InputError], None] | None) -> None:
    if on_error is None:
        raise error
    on_error(error)

