"""Read a saved web page: the article text and its metadata, through trafilatura and htmldate.

A saved news page is mostly not the article: navigation, teasers, comments, footers.
trafilatura finds the main text and the page's metadata (title, author, site name,
canonical URL from ``<link rel="canonical">`` or ``og:url``); htmldate finds the original
publication date (markup first: ``article:published_time``, JSON-LD ``datePublished``,
``<time>``; then the URL and the text), not the date the page was last modified.

Offsets in HTML articles: kg does not extract from the HTML source but from the article
text read out of it, the text ``kg.ingest`` then treats like a ``.txt`` file. That text is
trafilatura's plain-text output with every paragraph (heading, paragraph, list item, quote)
on its own line and a blank line between paragraphs. ``start``/``end`` of every record are
character offsets into that text (``Document.text``), never byte offsets into the page;
the same page always gives the same text, so the offsets are stable.

Example:
    >>> text, metadata = read_html(Path("page.html").read_bytes(), where="page.html")
    >>> metadata["url"]
    'https://news.example.org/2008/08/truce.html'
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.ingest.article import parse_article
from kg.ingest.decode import check_text
from kg.ingest.files import read_bytes
from kg.ingest.metadata import check_metadata, read_sidecar
from kg.records import Document

logger = logging.getLogger(__name__)

HTML_SUFFIXES = (".html", ".htm", ".xhtml")

# trafilatura logs every page it finds too short or without a main text at WARNING
for _noisy in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_noisy).setLevel(logging.ERROR)


def read_html(data: bytes | str, *, where: str) -> tuple[str, dict[str, str]]:
    """Read the article text and the metadata of a web page.

    Args:
        data: The page, as bytes (the encoding is read from the page) or text.
        where: The file (or ``FILE:LINE``) the page comes from, for error messages.

    Returns:
        The article text, one paragraph per line with blank lines between them, and the
        metadata found: any of ``title``, ``author``, ``publisher`` (the site name),
        ``published`` (ISO date) and ``url`` (canonical).

    Raises:
        InputError: The page holds no article text.

    Example:
        >>> read_html(b"<html><body><article><p>Talks began.</p></article></body></html>",
        ...           where="a.html")[0]
        'Talks began.'
    """
    import htmldate  # imported here: reading text files should not pay for lxml's start-up
    import trafilatura

    try:
        page = trafilatura.bare_extraction(
            data, with_metadata=True, include_comments=False, include_tables=False,
            include_images=False, include_links=False, favor_precision=True)
    except (ValueError, TypeError) as err:  # lxml refuses some malformed documents
        raise InputError(f"{where}: cannot read the HTML ({err})") from None
    text = getattr(page, "text", None) if page is not None else None
    if not text or not text.strip():
        raise InputError(f"{where}: no article text found in the page")
    paragraphs = [" ".join(line.split()) for line in text.splitlines()]
    body = "\n\n".join(p for p in paragraphs if p)
    metadata: dict[str, str] = {}
    for key, attribute in (("title", "title"), ("author", "author"), ("publisher", "sitename"),
                           ("url", "url")):
        value = getattr(page, attribute, None)
        if isinstance(value, str) and value.strip():
            metadata[key] = " ".join(value.split())
    if "author" in metadata:
        # trafilatura joins several authors with "; "
        metadata["author"] = re.sub(r"\s*;\s*", " and ", metadata["author"])
    published = _publication_date(htmldate, data) or getattr(page, "date", None)
    if isinstance(published, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", published):
        metadata["published"] = published
    return body, metadata


def _publication_date(htmldate: Any, data: bytes | str) -> str | None:
    """The original publication date (not the last modification), as YYYY-MM-DD."""
    try:
        # extensive_search reads dates out of the free text too; a news page's own text
        # names other dates ("the 1972 treaty"), so markup and URL only
        return htmldate.find_date(data, original_date=True, extensive_search=False,
                                  outputformat="%Y-%m-%d")
    except (ValueError, TypeError):
        return None


def read_html_file(path: Path, max_bytes: int) -> Document:
    """Read a saved web page and its sidecar metadata into a Document.

    Args:
        path: The page.
        max_bytes: The largest file read, in bytes.

    Raises:
        InputError: The file is unreadable, too large, or holds no article text.

    Example:
        >>> read_html_file(Path("truce.html"), MAX_BYTES).url
        'https://news.example.org/2008/08/truce.html'
    """
    data = read_bytes(path, max_bytes)
    text, found = read_html(data, where=str(path))
    text = check_text(text, path)
    # the sidecar wins over what the page says
    metadata: dict[str, str] = {**check_metadata(found, str(path)), **read_sidecar(path)}
    return parse_article(text, doc_id=path.stem or path.name, source=str(path),
                         metadata=metadata)
