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
    - ``.html``, ``.htm``, ``.xhtml`` files: a saved web page; ``kg.html`` reads the article
      text and the title, author, publisher (site name), publication date and canonical
      URL out of it (trafilatura, htmldate). Offsets count characters of that article text,
      not of the HTML source (see ``kg.html``).
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
with one warning line that names the article kept (the first read).

Example:
    >>> doc = parse_article("Leaders Meet\\n\\nBy Jane Doe\\n\\nThey met.", doc_id="a")
    >>> doc.title, doc.author, doc.text[doc.body_start:]
    ('Leaders Meet', 'Jane Doe', 'They met.')
"""

from __future__ import annotations

import codecs
import errno
import functools
import hashlib
import json
import logging
import os
import re
import warnings
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from dateutil import parser as date_parser

from kg.errors import InputError, LexiconError
from kg.html import HTML_SUFFIXES, read_html
from kg.records import Document

logger = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt", ".text")
MARKDOWN_SUFFIXES = (".md", ".markdown")
JSONL_SUFFIXES = (".jsonl",)
ARTICLE_SUFFIXES = (*TEXT_SUFFIXES, *MARKDOWN_SUFFIXES, *JSONL_SUFFIXES, *HTML_SUFFIXES)
SIDECAR_SUFFIX = ".meta.json"
METADATA_KEYS = ("title", "author", "publisher", "published", "place", "url")
MAX_BYTES = 20_000_000

_LINE_BREAKS = "\r\n"
# a header block (headline, byline, date, publisher) is never longer than this
_MAX_HEADER_LINES = 8
_MAX_TITLE_CHARS = 200
_MAX_TITLE_WORDS = 20
_MAX_DATE_LINE_CHARS = 60
# share of control characters above which decoded bytes are not text
_MAX_CONTROL_SHARE = 0.1
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# near-duplicates: articles whose word 5-grams overlap this much (Jaccard, estimated from
# bottom-k sketches) are one article saved twice, or a wire story run again
_SHINGLE_WORDS = 5
_SKETCH_SIZE = 128
_NEAR_DUPLICATE = 0.9
_MIN_NEAR_WORDS = 40  # shorter texts are compared exactly only

# words a date line may carry besides the date: "Updated: June 8, 2007 at 5:32 p.m."
_DATE_LINE_WORDS = frozenset({"updated", "published", "posted", "last", "modified", "on", "at",
                              "m", "t"})
# lower-case particles inside names and place names ("Rio de Janeiro", "Jane van Doe")
_NAME_PARTICLES = frozenset({"and", "&", "de", "da", "das", "do", "dos", "del", "della", "der",
                             "den", "van", "von", "la", "le", "al", "el", "bin", "ibn", "of",
                             "y", "e", "du", "di", "zu", "am", "im", "sur", "upon"})
# a staff line names the publisher before the reporter's job: "Washington Post Staff Writer"
_STAFF_WORDS = frozenset({"staff", "writer", "writers", "reporter", "reporters", "correspondent",
                          "correspondents", "columnist", "contributor", "editor", "special"})

_SENTENCE_END = re.compile(r"[.!?:;,…]['\"’”)\]]*$")
_BYLINE = re.compile(r"by\s+(?P<names>.+)", re.IGNORECASE)
_SPECIAL_TO = re.compile(r"special to (?:the )?(?P<publisher>.+)", re.IGNORECASE)
# dateline: "ROSTOCK, Germany, June 7 -- ", "MOSCOW (Reuters) - ", "WASHINGTON — "
_DATELINE = re.compile(r"""
    (?P<city>[^\W\d_](?:[^\W\d_]|['’.\-])*(?:[ ][^\W\d_](?:[^\W\d_]|['’.\-])*){0,3})
    (?P<region>(?:,[ ]*[^\W\d_][\w'’.\-]*(?:[ ][^\W\d_][\w'’.\-]*){0,3}
                  (?=[ ]*(?:,|\(|--|[—–]|-[ ])))*)
    (?:,[ ]*(?P<date>[^\W\d_]{3,}\.?[ ]+\d{1,2}(?:,?[ ]+\d{4})?))?
    [ ]*(?:\((?P<agency>[^()\n]{1,40})\))?
    [ ]*(?:--|[—–]|-(?=[ ]))[ ]*
""", re.VERBOSE)
_MD_HEADING = re.compile(r"[ ]{0,3}#{1,6}(?:[ \t]+|$)")
_MD_LINE_MARKUP = re.compile(
    r"^[ ]{0,3}(?:#{1,6}[ \t]+|(?:>[ ]?)+|[-*+][ \t]+|\d{1,3}[.)][ \t]+)"  # heading, quote, list
    r"|[ \t]+#+[ \t]*$",  # closing hashes of a heading
    re.MULTILINE)
_MD_RULE = re.compile(r"^[ ]{0,3}(?:(?:[-*_][ \t]*){3,}|=+[ \t]*)$", re.MULTILINE)
# spans are bounded so that a line full of unmatched "*" or "[" stays linear
_MD_IMAGE = re.compile(r"!\[[^\]\n]{0,300}\]\([^)\n]{0,500}\)")
_MD_LINK = re.compile(r"(\[)[^\]\n]{1,300}(\]\([^)\n]{0,500}\))")
_MD_REFERENCE = re.compile(r"^[ ]{0,3}\[[^\]\n]{1,300}\]:[ \t]+\S.*$", re.MULTILINE)
_MD_EMPHASIS = re.compile(
    r"(\*\*|__|~~)(?=\S)[^\n]{1,300}?(?<=\S)(\1)"
    r"|(?<![\w*])(\*|_)(?=[^\s*_])[^\n]{0,300}?(?<=[^\s*_])(\3)(?![\w*])"
    r"|(`+)[^\n]{1,300}?(\5)")
_MD_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]{0,500})?/?>")
_FRONT_MATTER = re.compile(r"---[ \t]*\r?\n(?P<body>(?:.*\r?\n)*?)(?:---|\.\.\.)[ \t]*(?:\r?\n|$)")
_FRONT_MATTER_KEYS = {"title": "title", "author": "author", "publisher": "publisher",
                      "date": "published", "published": "published", "place": "place",
                      "url": "url"}


@dataclass(frozen=True, slots=True)
class _Line:
    start: int
    end: int  # end of the content, before "\r\n" or "\n"


@dataclass
class _Found:
    """Metadata found in the text while blanking it."""

    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    published: str | None = None
    place: str | None = None
    dateline_date: str | None = None
    author_role: str | None = None
    byline_lines: list[tuple[int, int]] = field(default_factory=list)
    front_matter: dict[str, str] = field(default_factory=dict)


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
    ids = _Ids(stored or {})
    duplicates = _Duplicates()
    read_files: set[tuple[int, int]] = set()
    seen_dirs: set[tuple[int, int]] = set()
    for given in paths:
        root = Path(given)
        for item in _expand(root, seen_dirs):
            if isinstance(item, InputError):
                _report(item, on_error)
                continue
            if not _first_reading(item, read_files):
                continue
            origin = _origin(root, item)
            if item.suffix.lower() in JSONL_SUFFIXES:
                results: Iterable[Document | InputError] = _read_jsonl(item, max_bytes)
            else:
                results = [_read_text_file(item, max_bytes)]
            for result in results:
                if isinstance(result, InputError):
                    _report(result, on_error)
                    continue
                is_jsonl = item.suffix.lower() in JSONL_SUFFIXES
                document = replace(result, origin=f"{origin}#{result.id}" if is_jsonl
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
        >>> count_articles(["examples"])  # one of them a duplicate
        10
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    count = 0
    seen_dirs: set[tuple[int, int]] = set()
    for given in paths:
        for item in _expand(Path(given), seen_dirs):
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
    """Read one article from a text or Markdown file, with its sidecar metadata if any.

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
    if path.suffix.lower() in JSONL_SUFFIXES:
        raise InputError(f"{path}: a JSONL file holds many articles; use read_documents")
    result = _read_text_file(path, max_bytes)
    if isinstance(result, InputError):
        raise result
    return result


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
    given = _check_metadata(metadata or {}, where)
    if not text.strip():
        raise InputError(f"{where}: empty text")
    chars = list(text)
    found = _Found()
    lines = _split_lines(text)
    patterns = load_boilerplate()
    for line in lines:
        if any(p.fullmatch(text[line.start:line.end].strip()) for p in patterns):
            _blank(chars, line.start, line.end)
    headings: set[int] = set()
    if is_markdown:
        headings = _blank_markdown(text, chars, lines, found)
    body = _read_header(chars, lines, headings, found)
    if body is None:
        raise InputError(f"{where}: no article text, only header and boilerplate lines")
    _read_dateline(chars, body, found)
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
        raise LexiconError(f"{name}: cannot read ({_reason(err)})") from None
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


# ---- reading files


def _report(error: InputError, on_error: Callable[[InputError], None] | None) -> None:
    if on_error is None:
        raise error
    on_error(error)


def _reason(err: OSError) -> str:
    if isinstance(err, PermissionError):
        return "permission denied"
    if isinstance(err, FileNotFoundError):
        return "no such file or directory"
    return (err.strerror or type(err).__name__).lower()


def _is_sidecar(path: Path) -> bool:
    return path.name.lower().endswith(SIDECAR_SUFFIX)


def _expand(path: Path, seen_dirs: set[tuple[int, int]]) -> Iterator[Path | InputError]:
    """Yield the article files a path names, and an error for each bad one."""
    try:
        status = path.stat()
    except OSError as err:
        yield InputError(f"{path}: {_link_problem(path, err)}")
        return
    if path.is_dir():
        key = (status.st_dev, status.st_ino)
        if key not in seen_dirs:
            seen_dirs.add(key)
            yield from _walk(path, (key,), seen_dirs)
    elif _is_sidecar(path):
        logger.debug("%s: a metadata sidecar, not an article", path)
    elif not path.is_file():
        yield InputError(f"{path}: not a regular file")
    else:
        yield path


def _link_problem(path: Path, err: OSError) -> str:
    if err.errno == errno.ELOOP:
        return "symlink loop"
    if path.is_symlink():
        return f"broken symlink (to {os.readlink(path)})"
    return _reason(err)


def _is_project_file(name: str) -> bool:
    """README, LICENSE and the like describe a corpus folder; they are not articles."""
    stem = name.rsplit(".", 1)[0].upper()
    return stem in ("README", "LICENSE", "LICENCE", "CHANGELOG", "NOTICE", "CONTRIBUTING")


def _walk(directory: Path, ancestors: tuple[tuple[int, int], ...],
          seen_dirs: set[tuple[int, int]]) -> Iterator[Path | InputError]:
    """Yield the article files under a directory in sorted order, never looping."""
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as err:
        yield InputError(f"{directory}: cannot list directory ({_reason(err)})")
        return
    for entry in entries:
        if entry.name.startswith(".") or _is_project_file(entry.name):
            continue
        path = Path(entry.path)
        try:
            if entry.is_dir():
                status = entry.stat()
                key = (status.st_dev, status.st_ino)
                if key in ancestors:
                    yield InputError(f"{path}: directory symlink loop, skipped")
                elif key in seen_dirs:
                    logger.info("%s: directory already read, skipped", path)
                else:
                    seen_dirs.add(key)
                    yield from _walk(path, (*ancestors, key), seen_dirs)
            elif entry.is_file():
                if path.suffix.lower() in ARTICLE_SUFFIXES:
                    yield path
            elif entry.is_symlink() and path.suffix.lower() in ("", *ARTICLE_SUFFIXES):
                os.stat(path)  # raises for the broken link or loop it is
        except OSError as err:
            yield InputError(f"{path}: {_link_problem(path, err)}")


def _first_reading(path: Path, read_files: set[tuple[int, int]]) -> bool:
    """Tell whether a file is read for the first time in this run."""
    try:
        status = path.stat()
    except OSError:
        return True  # reading it reports the problem
    key = (status.st_dev, status.st_ino)
    if key in read_files:
        logger.info("%s: already read in this run, skipped", path)
        return False
    read_files.add(key)
    return True


def _origin(root: Path, path: Path) -> str:
    """Where a file was read, the same on every machine: the build root's name and the
    path under it ("corpus/2007/a.txt"); for a file named itself, its folder's name and
    its own ("2007/a.txt")."""
    if path == root:
        parent = root.absolute().parent
        return f"{parent.resolve().name or parent.anchor}/{root.name}"
    base = root.absolute().resolve().name or root.anchor
    try:
        under = path.relative_to(root).as_posix()
    except ValueError:
        under = path.name
    return f"{base}/{under}"


def _same_origin(one: str, other: str) -> bool:
    """Tell whether two origins name the same file: equal, or one a path suffix of the other
    ("corpus/2007/a.txt" is "2007/a.txt" built from inside the corpus)."""
    one_path, _, one_id = one.partition("#")
    other_path, _, other_id = other.partition("#")
    if one_id != other_id:
        return False
    return (one_path == other_path or one_path.endswith("/" + other_path)
            or other_path.endswith("/" + one_path))


def _origin_key(origin: str) -> str:
    return origin.rsplit("/", 1)[-1]


class _Ids:
    """Document ids that never collide within a run or with a different stored article,
    and stay the same when an article is read again.

    An article keeps the id it is stored under (found by its origin); else it takes its
    own id (file name without extension, or the JSONL ``id``) when that is free; else
    ``ID-XXXXXXXX``, the first eight hex digits of the SHA-1 of its origin, so that the
    same file gets the same id in every run.
    """

    def __init__(self, stored: Mapping[str, str | None]) -> None:
        self.stored = dict(stored)
        self.taken: set[str] = set()
        self.by_origin: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for doc_id, origin in self.stored.items():
            if origin:
                self.by_origin[_origin_key(origin)].append((origin, doc_id))

    def assign(self, doc: Document) -> Document:
        origin = doc.origin or doc.source or doc.id
        for stored_origin, stored_id in self.by_origin.get(_origin_key(origin), ()):
            if _same_origin(origin, stored_origin) and stored_id not in self.taken:
                return self._take(doc, stored_id)
        other = self.stored.get(doc.id, "")
        if doc.id not in self.taken and (other == "" or other is None
                                         or _same_origin(origin, other)):
            return self._take(doc, doc.id)
        digest = hashlib.sha1(origin.encode("utf-8", "surrogatepass")).hexdigest()
        candidate = base = f"{doc.id}-{digest[:8]}"
        number = 1
        while candidate in self.taken or candidate in self.stored:
            number += 1
            candidate = f"{base}-{number}"
        where = (f"the stored article from {other}" if doc.id not in self.taken and other
                 else "an article read before")
        logger.warning("%s: id %r is taken by %s, using %r", doc.source or origin, doc.id,
                       where, candidate)
        return self._take(doc, candidate)

    def _take(self, doc: Document, doc_id: str) -> Document:
        self.taken.add(doc_id)
        return doc if doc_id == doc.id else replace(doc, id=doc_id)


class _Duplicates:
    """Find articles read before with the same text (exactly, or nearly: word 5-gram
    overlap estimated from bottom-k sketches, as in Broder's resemblance)."""

    def __init__(self) -> None:
        self.exact: dict[str, Document] = {}
        self.sketches: list[tuple[frozenset[int], Document]] = []
        self.index: dict[int, list[int]] = defaultdict(list)

    def kept(self, doc: Document) -> Document | None:
        """The article read before that this one duplicates, else None (and remember it)."""
        words = re.findall(r"\w+", doc.text[doc.body_start:].lower())
        exact = hashlib.sha1(" ".join(words).encode("utf-8", "surrogatepass")).hexdigest()
        if exact in self.exact:
            return self.exact[exact]
        self.exact[exact] = doc
        if len(words) < _MIN_NEAR_WORDS:
            return None
        shingles = {zlib.crc32(" ".join(words[i:i + _SHINGLE_WORDS]).encode(
            "utf-8", "surrogatepass")) for i in range(len(words) - _SHINGLE_WORDS + 1)}
        sketch = frozenset(sorted(shingles)[:_SKETCH_SIZE])
        counts: dict[int, int] = defaultdict(int)
        for value in sketch:
            for number in self.index.get(value, ()):
                counts[number] += 1
        for number, shared in sorted(counts.items()):
            if shared < _NEAR_DUPLICATE * len(sketch) / 2:
                continue  # cannot reach the threshold
            other, kept = self.sketches[number]
            union = sorted(other | sketch)[:_SKETCH_SIZE]
            if sum(1 for v in union if v in other and v in sketch) >= _NEAR_DUPLICATE * len(union):
                return kept
        for value in sketch:
            self.index[value].append(len(self.sketches))
        self.sketches.append((sketch, doc))
        return None


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """Read a whole file no larger than max_bytes, or raise InputError."""
    try:
        with path.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            data = stream.read(max_bytes + 1) if size <= max_bytes else b""
            size = max(size, len(data))  # the file may have grown since fstat
    except OSError as err:
        raise InputError(f"{path}: {_link_problem(path, err)}") from None
    if size > max_bytes:
        raise InputError(f"{path}: file is {_size(size)}, over the {_size(max_bytes)} limit "
                         f"for one article (--max-bytes)")
    return data


def _size(count: int) -> str:
    for unit, scale in (("MB", 1_000_000), ("kB", 1_000)):
        if count >= scale:
            return f"{round(count / scale, 1):g} {unit}"
    return f"{count} bytes"


def _decode(data: bytes, path: Path) -> str:
    """Decode file bytes as UTF-8, UTF-16 with a BOM, cp1252 or latin-1, or raise."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{path}: binary file, not text (bad UTF-16)") from None
        return _check_text(text, path)
    if data.count(b"\x00") > _MAX_CONTROL_SHARE * len(data):
        raise InputError(f"{path}: binary file, not text (NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _decode_mixed(data, path)
    return _check_text(text, path)


def _decode_mixed(data: bytes, path: Path) -> str:
    """Decode bytes that are not all UTF-8: every valid UTF-8 sequence as UTF-8, every
    other byte as cp1252 (latin-1 for the five bytes cp1252 leaves undefined).

    A file pasted together from UTF-8 and cp1252 sources ("München" in one, "Zürich" in
    the other) would otherwise read as mojibake ("MÃ¼nchen") and make a second actor.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    parts: list[str] = []
    lines: list[int] = []  # lines holding bytes read as cp1252
    has_utf8 = False
    position = 0
    while position < len(data):
        try:
            parts.append(data[position:].decode("utf-8"))
            has_utf8 = has_utf8 or any(b >= 0x80 for b in data[position:])
            break
        except UnicodeDecodeError as err:
            good = data[position:position + err.start]
            parts.append(good.decode("utf-8"))
            has_utf8 = has_utf8 or any(b >= 0x80 for b in good)
            bad = position + err.start
            end = position + err.end
            for offset in range(bad, end):
                byte = data[offset:offset + 1]
                try:
                    parts.append(byte.decode("cp1252"))
                except UnicodeDecodeError:
                    parts.append(byte.decode("latin-1"))
            line = data.count(b"\n", 0, bad) + 1
            if not lines or lines[-1] != line:
                lines.append(line)
            position = end
    if has_utf8:
        more = f" (and on {len(lines) - 1} more lines)" if len(lines) > 1 else ""
        logger.warning("%s:%d: mixed UTF-8 and cp1252: bytes that are not UTF-8 read as "
                       "cp1252%s", path, lines[0], more)
    else:
        logger.info("%s: not UTF-8, read as cp1252", path)
    return "".join(parts)


def _check_text(text: str, path: Path | str) -> str:
    """Refuse binary data and empty text; blank a few stray control characters."""
    controls = [m.start() for m in _CONTROL.finditer(text)]
    if len(controls) > _MAX_CONTROL_SHARE * len(text):
        raise InputError(f"{path}: binary file, not text (control characters)")
    if controls:
        # a stray NUL or escape byte must not lose the article: blank it (a space keeps
        # every offset where it was) and say where
        line = text.count("\n", 0, controls[0]) + 1
        logger.warning("%s:%d: %d control characters (such as 0x%02x) replaced by spaces", path,
                       line, len(controls), ord(text[controls[0]]))
        text = _CONTROL.sub(" ", text)
    if not text.strip():
        raise InputError(f"{path}: only whitespace, no text" if text else f"{path}: empty file")
    return text


def _read_text_file(path: Path, max_bytes: int) -> Document | InputError:
    """Read one text or Markdown file and its sidecar into a Document, or an error."""
    try:
        if not path.is_file() and path.exists():
            raise InputError(f"{path}: not a regular file")
        data = _read_bytes(path, max_bytes)
        if path.suffix.lower() in HTML_SUFFIXES:
            text, found = read_html(data, where=str(path))
            text = _check_text(text, path)
            # the sidecar wins over what the page says
            metadata: dict[str, str] = {**_check_metadata(found, str(path)),
                                        **_read_sidecar(path)}
        else:
            text = _decode(data, path)
            metadata = _read_sidecar(path)
        return parse_article(text, doc_id=path.stem or path.name, source=str(path),
                             metadata=metadata,
                             is_markdown=path.suffix.lower() in MARKDOWN_SUFFIXES)
    except InputError as err:
        return err


def _read_sidecar(path: Path) -> dict[str, str]:
    sidecar = path.with_name(path.stem + SIDECAR_SUFFIX)
    if not sidecar.is_file():
        return {}
    try:
        value = json.loads(sidecar.read_text(encoding="utf-8-sig"))
    except OSError as err:
        raise InputError(f"{sidecar}: {_reason(err)}") from None
    except UnicodeDecodeError as err:
        raise InputError(f"{sidecar}: not UTF-8 ({err.reason})") from None
    except json.JSONDecodeError as err:
        raise InputError(f"{sidecar}: not JSON: {err.msg} (line {err.lineno})") from None
    if not isinstance(value, dict):
        raise InputError(f"{sidecar}: not a JSON object")
    return _check_metadata(value, str(sidecar))


def _read_jsonl(path: Path, max_bytes: int) -> Iterator[Document | InputError]:
    """Yield a Document for each good line of a JSONL file and an error for each bad one."""
    try:
        stream = path.open("rb")
    except OSError as err:
        yield InputError(f"{path}: {_link_problem(path, err)}")
        return
    with stream:
        has_article = False
        number = 0
        while raw := stream.readline(max_bytes + 1):
            number += 1
            where = f"{path}:{number}"
            if len(raw) > max_bytes and not raw.endswith(b"\n"):
                size = len(raw) + _skip_line(stream)
                yield InputError(f"{where}: line is {_size(size)}, over the {_size(max_bytes)} "
                                 f"limit for one article (--max-bytes)")
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


def _check_metadata(metadata: Mapping[str, Any], where: str) -> dict[str, str]:
    """Keep the known metadata keys with a value; make ``published`` an ISO date."""
    checked = {}
    for key in METADATA_KEYS:
        value = metadata.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise InputError(f"{where}: {key} is not a string")
        value = " ".join(value.split())
        if not value:
            continue
        if key == "published":
            iso = _parse_date(value)
            if iso is None:
                raise InputError(f"{where}: published: cannot read {value!r} as a full date")
            value = iso
        checked[key] = value
    return checked


# ---- dates and names


def _parse_date(text: str, *, words: frozenset[str] | None = None) -> str | None:
    """Read a full date (year, month and day) as ISO ``YYYY-MM-DD``, or None.

    Args:
        text: The date, in any form python-dateutil reads.
        words: When given, the only words (lower-case) allowed besides the date.
    """
    dates = []
    # two different defaults tell which of year, month and day the text really gives
    for default in (datetime(2000, 1, 1), datetime(2004, 2, 2)):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # dateutil warns on unknown time zones
                parsed, skipped = date_parser.parse(text, default=default, ignoretz=True,
                                                    fuzzy_with_tokens=True)
        except (ValueError, OverflowError):
            return None
        if words is not None and not {w.lower() for w in re.findall(
                r"[^\W\d_]+", " ".join(skipped))} <= words:
            return None
        dates.append(parsed.date())
    if dates[0] != dates[1]:
        return None
    return dates[0].isoformat()


def _name_case(text: str) -> str:
    """Turn an all-capitals name into title case, keeping particles lower-case."""
    if not text.isupper():
        return text
    words = [w.lower() if w.lower() in _NAME_PARTICLES and i else w.title()
             for i, w in enumerate(text.split())]
    return " ".join(words)


def _is_name_like(text: str, *, max_words: int = 12) -> bool:
    """Tell whether every word is capitalised, an initial or a name particle."""
    words = text.split()
    if not 0 < len(words) <= max_words:
        return False
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in _NAME_PARTICLES for w in words)


def _strip_the(text: str) -> str:
    return text[4:] if text.lower().startswith("the ") else text


def _staff_title(text: str) -> str | None:
    """The staff title at the end of a publisher line: "Staff Writer", "Correspondent"."""
    words = text.split()
    count = len(words)
    while count and words[count - 1].lower().strip(",") in _STAFF_WORDS:
        count -= 1
    title = " ".join(words[count:]).strip(",")
    return title.title() if title else None


def _publisher_of_staff_line(text: str) -> str | None:
    """Read "Washington Post Staff Writer" as "Washington Post", "Staff Writer" as "", else
    None."""
    words = text.split()
    count = len(words)
    while count and words[count - 1].lower().strip(",") in _STAFF_WORDS:
        count -= 1
    if count == len(words):
        return None
    if count == 0:
        return ""
    publisher = " ".join(words[:count]).rstrip(",")
    return _strip_the(publisher) if _is_name_like(publisher, max_words=6) else None


# ---- blanking


def _split_lines(text: str) -> list[_Line]:
    lines = []
    start = 0
    for match in re.finditer(r"\r?\n|\r(?!\n)", text):
        lines.append(_Line(start, match.start()))
        start = match.end()
    lines.append(_Line(start, len(text)))
    return lines


def _blank(chars: list[str], start: int, end: int) -> None:
    """Replace characters by spaces, keeping line breaks, so offsets stay put."""
    for i in range(start, end):
        if chars[i] not in _LINE_BREAKS:
            chars[i] = " "


def _content(chars: list[str], line: _Line) -> str:
    return "".join(chars[line.start:line.end]).strip()


def _blank_markdown(text: str, chars: list[str], lines: list[_Line], found: _Found) -> set[int]:
    """Blank Markdown markup and front matter; return the indexes of heading lines."""
    front = _FRONT_MATTER.match(text)
    if front:
        for row in front.group("body").splitlines():
            key, _, value = row.partition(":")
            target = _FRONT_MATTER_KEYS.get(key.strip().lower())
            value = value.strip().strip("\"'")
            if target and value:
                found.front_matter[target] = _parse_date(value) if target == "published" else value
        found.front_matter = {k: v for k, v in found.front_matter.items() if v}
        _blank(chars, 0, front.end())
    headings = {i for i, line in enumerate(lines)
                if _MD_HEADING.match(text, line.start, line.end)}
    for pattern in (_MD_IMAGE, _MD_REFERENCE, _MD_RULE, _MD_HTML_TAG):
        for match in pattern.finditer(text):
            _blank(chars, match.start(), match.end())
    start = text.find("<!--")
    while start >= 0 and (end := text.find("-->", start + 4)) >= 0:  # HTML comments
        _blank(chars, start, end + 3)
        start = text.find("<!--", end + 3)
    for pattern in (_MD_LINE_MARKUP, _MD_LINK, _MD_EMPHASIS):
        for match in pattern.finditer(text):
            groups = [g for g in range(1, (pattern.groups or 0) + 1) if match.group(g)]
            for group in groups or [0]:
                _blank(chars, match.start(group), match.end(group))
    return headings


def _read_header(chars: list[str], lines: list[_Line], headings: set[int],
                 found: _Found) -> _Line | None:
    """Read and blank the header lines at the top; return the first body line."""
    contents = [_content(chars, line) for line in lines]
    filled = [i for i, content in enumerate(contents) if content]
    has_byline = False
    for rank, i in enumerate(filled):
        if rank >= _MAX_HEADER_LINES:
            return lines[i]
        content = " ".join(contents[i].split())
        is_first = rank == 0
        if _read_byline(content, found):
            has_byline = True
            found.byline_lines.append((lines[i].start, lines[i].end))
        elif iso := _parse_date_line(content):
            found.published = found.published or iso
        elif (publisher := _read_publisher(content, has_byline and found.publisher is None)
              ) is not None:
            found.publisher = found.publisher or publisher or None
            found.author_role = found.author_role or _staff_title(content)
            if has_byline:
                found.byline_lines.append((lines[i].start, lines[i].end))
        elif is_first and (i in headings or _is_title(content, i, contents)):
            found.title = content
        else:
            return lines[i]
        _blank(chars, lines[i].start, lines[i].end)
    return None


def _is_title(content: str, i: int, contents: list[str]) -> bool:
    """Tell whether a line is a headline: short, no sentence-final punctuation, then a blank
    line (or a byline) and more text."""
    if len(content) > _MAX_TITLE_CHARS or len(content.split()) > _MAX_TITLE_WORDS:
        return False
    if _SENTENCE_END.search(content):
        return False
    if not any(contents[i + 1:]):
        return False  # a lone short line is the article, not its headline
    return not contents[i + 1] or bool(_BYLINE.fullmatch(contents[i + 1]))


def _read_byline(content: str, found: _Found) -> bool:
    """Read "By Jane Doe and John Roe[, Publisher]" into author (and publisher)."""
    match = _BYLINE.fullmatch(content)
    if not match or found.author is not None:
        return False
    parts = re.split(r"[,;|]", match.group("names"), maxsplit=1)
    names = parts[0]
    rest = parts[1] if len(parts) > 1 else ""
    names = names.strip()
    if not _is_name_like(names):
        return False
    found.author = _name_case(names)
    rest = rest.strip()
    if rest:
        found.author_role = _staff_title(rest)
    if rest and found.publisher is None:
        publisher = _publisher_of_staff_line(rest)
        if publisher is None and _is_name_like(rest, max_words=6):
            publisher = _strip_the(rest)
        found.publisher = publisher or None
    return True


def _parse_date_line(content: str) -> str | None:
    if len(content) > _MAX_DATE_LINE_CHARS or not re.search(r"\d", content):
        return None
    return _parse_date(content, words=_DATE_LINE_WORDS)


def _read_publisher(content: str, has_byline: bool) -> str | None:
    """Read a publisher line: "Washington Post Staff Writer", "Special to The Times", or
    after a byline a short name alone ("Associated Press"); "" for a bare "Staff Writer"."""
    if special := _SPECIAL_TO.fullmatch(content):
        name = special.group("publisher")
        return _strip_the(name) if _is_name_like(name, max_words=6) else None
    if (publisher := _publisher_of_staff_line(content)) is not None:
        return publisher
    # a short name alone after a byline is the agency: "Associated Press", "kg wire", not
    # "June 2007"
    if (has_byline and not _SENTENCE_END.search(content) and not re.search(r"\d", content)
            and (_is_name_like(content, max_words=5)
                 or re.fullmatch(r"[A-Za-z&.' -]{2,40}", content) and len(content.split()) <= 4)):
        return _strip_the(content)
    return None


def _read_dateline(chars: list[str], body: _Line, found: _Found) -> None:
    """Read and blank a dateline prefix ("ROSTOCK, Germany, June 7 -- ") of the body."""
    line = "".join(chars[body.start:body.end])
    indent = len(line) - len(line.lstrip())
    match = _DATELINE.match(line, indent)
    if not match or match.end() == len(line) or match.end() - indent > 80:
        return
    city = match.group("city")
    if not city.isupper() or len(city.replace(".", "")) < 2:
        return
    place = _name_case(city) + match.group("region")
    found.place = " ".join(place.split())
    if match.group("date"):
        found.dateline_date = _parse_date(match.group("date"))
    agency = match.group("agency")
    if agency and found.publisher is None and _is_name_like(agency, max_words=5):
        found.publisher = _strip_the(agency.strip())
    _blank(chars, body.start + indent, body.start + match.end())
