"""The header and dateline of an article: headline, byline, date line, publisher line, and
the dateline prefix of the first paragraph ("ROSTOCK, Germany, June 7 -- ").

What is read from them goes into a `Found`; the lines themselves are *blanked*, replaced
by as many spaces with line breaks kept, so that every offset into the text stays put.
Dates are read with python-dateutil; names in capitals ("JANE DOE") are title-cased.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from datetime import datetime

from dateutil import parser as date_parser

_LINE_BREAKS = "\r\n"
# a header block (headline, byline, date, publisher) is never longer than this
_MAX_HEADER_LINES = 8
_MAX_TITLE_CHARS = 200
_MAX_TITLE_WORDS = 20
_MAX_DATE_LINE_CHARS = 60

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


@dataclass(frozen=True, slots=True)
class Line:
    start: int
    end: int  # end of the content, before "\r\n" or "\n"


@dataclass
class Found:
    """Metadata found in the text while blanking it."""

    title: str | None = None
    title_start: int | None = None  # where the headline stands in the text
    author: str | None = None
    publisher: str | None = None
    published: str | None = None
    place: str | None = None
    dateline_date: str | None = None
    author_role: str | None = None
    byline_lines: list[tuple[int, int]] = field(default_factory=list)
    front_matter: dict[str, str] = field(default_factory=dict)


# ---- dates and names


def parse_date(text: str, *, words: frozenset[str] | None = None) -> str | None:
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


def split_lines(text: str) -> list[Line]:
    """The lines of a text, each its start and the end of its content (before the break)."""
    lines = []
    start = 0
    for match in re.finditer(r"\r?\n|\r(?!\n)", text):
        lines.append(Line(start, match.start()))
        start = match.end()
    lines.append(Line(start, len(text)))
    return lines


def blank(chars: list[str], start: int, end: int) -> None:
    """Replace characters by spaces, keeping line breaks, so offsets stay put."""
    for i in range(start, end):
        if chars[i] not in _LINE_BREAKS:
            chars[i] = " "


def _content(chars: list[str], line: Line) -> str:
    return "".join(chars[line.start:line.end]).strip()


def read_header(chars: list[str], lines: list[Line], headings: set[int],
                 found: Found) -> Line | None:
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
        elif credit := _credit_line(content):  # "BBC News, 3 November 2004"
            found.publisher = found.publisher or credit[0]
            found.published = found.published or credit[1]
        elif (publisher := _read_publisher(content, has_byline and found.publisher is None)
              ) is not None:
            found.publisher = found.publisher or publisher or None
            found.author_role = found.author_role or _staff_title(content)
            if has_byline:
                found.byline_lines.append((lines[i].start, lines[i].end))
        elif is_first and (i in headings or _is_title(content, i, contents)):
            found.title = content
            line = "".join(chars[lines[i].start:lines[i].end])
            if content == line.strip():  # the headline as written, so it can be parsed
                found.title_start = lines[i].start + len(line) - len(line.lstrip())
        else:
            return lines[i]
        blank(chars, lines[i].start, lines[i].end)
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


def _read_byline(content: str, found: Found) -> bool:
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
    """A line that is a date: "June 8, 2007", "Updated: June 8, 2007 at 5:32 p.m.", or
    the first of "Dec. 6, 2024, 10:00 PM UTC / Updated Dec. 7, 2024, 12:43 PM UTC"."""
    first = re.split(r"\s[/|]\s", content, maxsplit=1)[0]
    if len(first) > _MAX_DATE_LINE_CHARS or not re.search(r"\d", first):
        return None
    published = parse_date(first, words=_DATE_LINE_WORDS)
    if published is None or first == content:
        return published
    # what follows the bar must be a date line too, or the line is text
    return published if _parse_date_line(content[len(first):].strip(" /|")) else None


def _credit_line(content: str) -> tuple[str, str] | None:
    """A publisher and a date on one line: "BBC News, 3 November 2004"."""
    name, comma, rest = content.partition(",")
    if not comma or not _is_name_like(name.strip(), max_words=5):
        return None
    iso = _parse_date_line(rest.strip())
    return (_strip_the(name.strip()), iso) if iso else None


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


def read_dateline(chars: list[str], body: Line, found: Found) -> None:
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
        found.dateline_date = parse_date(match.group("date"))
    agency = match.group("agency")
    if agency and found.publisher is None and _is_name_like(agency, max_words=5):
        found.publisher = _strip_the(agency.strip())
    blank(chars, body.start + indent, body.start + match.end())
