"""One article's text: find its metadata and blank everything that is not its body.

Boilerplate lines (``kg/data/boilerplate.tsv``), header lines, the dateline prefix and,
in Markdown, the markup are blanked, never removed, so ``Document.text`` has exactly the
length of the decoded text and every offset into it is an offset into the file.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from kg.errors import InputError, LexiconError
from kg.ingest.files import reason
from kg.ingest.header import blank, Found, read_dateline, read_header, split_lines
from kg.ingest.markdown import blank_markdown
from kg.ingest.metadata import check_metadata
from kg.records import Document


def parse_article(text: str, *, doc_id: str, source: str = "",
                  metadata: Mapping[str, Any] | None = None,
                  is_markdown: bool = False) -> Document:
    """Find the metadata of an article and blank everything that is not its body.

    Args:
        text: The article as decoded; ``Document.text`` keeps its length and offsets.
        doc_id: The document id.
        source: Where the text comes from (a path), used in error messages.
        metadata: Values given from outside (keys `METADATA_KEYS`); they win over what is
            found in the text. ``url`` becomes ``Document.source``.
        is_markdown: Blank Markdown markup too.

    Returns:
        The document, its header, dateline and boilerplate blanked.

    Raises:
        InputError: The text is empty or holds nothing but header and boilerplate lines,
            or a metadata value is not a string or not a date.

    Example:
        >>> parse_article("MOSCOW (Reuters) - Talks began.", doc_id="a").place
        'Moscow'
    """
    where = source or doc_id
    given = check_metadata(metadata or {}, where)
    if not text.strip():
        raise InputError(f"{where}: empty text")
    chars = list(text)
    found = Found()
    lines = split_lines(text)
    patterns = load_boilerplate()
    for line in lines:
        if any(p.fullmatch(text[line.start:line.end].strip()) for p in patterns):
            blank(chars, line.start, line.end)
    headings: set[int] = set()
    if is_markdown:
        headings = blank_markdown(text, chars, lines, found)
    body = read_header(chars, lines, headings, found)
    if body is None:
        raise InputError(f"{where}: no article text, only header and boilerplate lines")
    read_dateline(chars, body, found)
    blanked = "".join(chars)
    front = found.front_matter
    byline_start = found.byline_lines[0][0] if found.byline_lines else 0
    byline = text[byline_start:found.byline_lines[-1][1]] if found.byline_lines else None
    return Document(
        id=doc_id, text=blanked, source=source or given.get("url") or "",
        url=given.get("url") or front.get("url"), author_role=found.author_role,
        byline=byline.strip() if byline else None,
        byline_start=byline_start + (len(byline) - len(byline.lstrip()) if byline else 0),
        title=given.get("title") or front.get("title") or found.title,
        title_start=found.title_start if not (given.get("title") or front.get("title"))
        else None,
        author=given.get("author") or front.get("author") or found.author,
        publisher=given.get("publisher") or front.get("publisher") or found.publisher,
        published=(given.get("published") or front.get("published") or found.published
                   or found.dateline_date),
        place=given.get("place") or front.get("place") or found.place,
        body_start=len(blanked) - len(blanked.lstrip()))


@functools.cache
def load_boilerplate(path: Path | None = None) -> tuple[re.Pattern[str], ...]:
    """Load the boilerplate line patterns, once.

    Args:
        path: A TSV file of patterns; by default ``boilerplate.tsv`` in ``$KG_DATA_DIR``
            when that holds one, else ``kg/data/boilerplate.tsv``.

    Returns:
        The compiled patterns, case-insensitive, each to match a whole line.

    Raises:
        LexiconError: The file is missing, or a line has no pattern or a bad one.

    Example:
        >>> any(p.fullmatch("Advertisement") for p in load_boilerplate())
        True
    """
    name = str(path)
    if path is None:
        name = "kg/data/boilerplate.tsv"
        custom = Path(os.environ.get("KG_DATA_DIR") or ".") / "boilerplate.tsv"
        path = custom if os.environ.get("KG_DATA_DIR") and custom.is_file() else Path(
            str(resources.files("kg") / "data" / "boilerplate.tsv"))
    try:
        rows = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise LexiconError(f"{name}: cannot read ({reason(err)})") from None
    except UnicodeDecodeError as err:
        raise LexiconError(f"{name}: not UTF-8 ({err.reason})") from None
    patterns = []
    rows_seen = 0
    for number, row in enumerate(rows, 1):
        if not row.strip() or row.startswith("#"):
            continue
        rows_seen += 1
        if rows_seen == 1:  # the header row
            continue
        pattern = row.split("\t", 1)[0].strip()
        if not pattern:
            raise LexiconError(f"{name}:{number}: empty pattern")
        try:
            patterns.append(re.compile(pattern, re.IGNORECASE))
        except re.error as err:
            raise LexiconError(f"{name}:{number}: bad pattern: {err}") from None
    return tuple(patterns)

