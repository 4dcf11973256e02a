"""Plain text and Markdown files: one article each, decoded from disk, with the sidecar's
metadata if there is one. Markdown markup is blanked like a header (``kg.ingest.markdown``)."""

from __future__ import annotations

from pathlib import Path

from kg.ingest.article import parse_article
from kg.ingest.decode import decode
from kg.ingest.files import read_bytes
from kg.ingest.metadata import read_sidecar
from kg.records import Document

TEXT_SUFFIXES = (".txt", ".text")


def read_text_file(path: Path, max_bytes: int, *, is_markdown: bool = False) -> Document:
    """Read one text file and its sidecar metadata into a Document.

    Args:
        path: The file.
        max_bytes: The largest file read, in bytes.
        is_markdown: Blank Markdown markup too.

    Raises:
        InputError: The file is unreadable, too large, binary, empty or all header.

    Example:
        >>> read_text_file(Path("examples/iran_deal_2015.txt"), MAX_BYTES).place
        'Vienna'
    """
    text = decode(read_bytes(path, max_bytes), path)
    return parse_article(text, doc_id=path.stem or path.name, source=str(path),
                         metadata=read_sidecar(path), is_markdown=is_markdown)


def read_markdown_file(path: Path, max_bytes: int) -> Document:
    """Read one Markdown file (`read_text_file` with its markup blanked)."""
    return read_text_file(path, max_bytes, is_markdown=True)
