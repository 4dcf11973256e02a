"""JSON Lines: one article per line, an object with ``id`` and ``text`` and optionally the
metadata keys (``title``, ``author``, ``publisher``, ``published``, ``place``, ``url``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.ingest.article import parse_article
from kg.ingest.files import link_problem, format_size
from kg.records import Document

JSONL_SUFFIXES = (".jsonl",)


def read_jsonl(path: Path, max_bytes: int) -> Iterator[Document | InputError]:
    """Yield a Document for each good line of a JSONL file and an error for each bad one."""
    try:
        stream = path.open("rb")
    except OSError as err:
        yield InputError(f"{path}: {link_problem(path, err)}")
        return
    with stream:
        has_article = False
        number = 0
        while raw := stream.readline(max_bytes + 1):
            number += 1
            where = f"{path}:{number}"
            if len(raw) > max_bytes and not raw.endswith(b"\n"):
                size = len(raw) + _skip_line(stream)
                yield InputError(f"{where}: line is {format_size(size)}, over the "
                                 f"{format_size(max_bytes)} limit for one article (--max-bytes)")
                continue
            if number == 1 and b"\x00" in raw:
                yield InputError(f"{path}: binary file, not text (NUL bytes)")
                return
            if not raw.strip():
                continue
            has_article = True
            try:
                yield _parse_jsonl_line(raw, where)
            except InputError as err:
                yield err
        if not has_article:
            yield InputError(f"{path}: empty file")


def _skip_line(stream: Any) -> int:
    """Read past the rest of an over-long line; return how many bytes it had."""
    skipped = 0
    while chunk := stream.readline(1 << 20):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped


def _parse_jsonl_line(raw: bytes, where: str) -> Document:
    try:
        line = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(f"{where}: not UTF-8 ({err.reason} at byte {err.start})") from None
    try:
        value = json.loads(line)
    except json.JSONDecodeError as err:
        raise InputError(f"{where}: not JSON: {err.msg} (column {err.colno})") from None
    except RecursionError:  # issue #12: json recurses once per level of nesting
        raise InputError(f"{where}: not JSON kg can read: nested too deeply") from None
    if not isinstance(value, dict):
        raise InputError(f"{where}: not a JSON object")
    doc_id = value.get("id")
    if isinstance(doc_id, int) and not isinstance(doc_id, bool):
        doc_id = str(doc_id)
    if not isinstance(doc_id, str) or not doc_id.strip():
        raise InputError(f"{where}: no id (a non-empty string)")
    text = value.get("text")
    if not isinstance(text, str):
        raise InputError(f"{where}: no text (a string)")
    return parse_article(text, doc_id=doc_id.strip(), source=where, metadata=value)

