"""Markdown: blank the markup (headings, emphasis, links, images, HTML tags, rules) and read
YAML front matter, keeping every offset into the text."""

from __future__ import annotations

import re

from kg.ingest.header import blank, Found, Line, parse_date

MARKDOWN_SUFFIXES = (".md", ".markdown")

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


def blank_markdown(text: str, chars: list[str], lines: list[Line], found: Found) -> set[int]:
    """Blank Markdown markup and front matter; return the indexes of heading lines."""
    front = _FRONT_MATTER.match(text)
    if front:
        for row in front.group("body").splitlines():
            key, _, value = row.partition(":")
            target = _FRONT_MATTER_KEYS.get(key.strip().lower())
            value = value.strip().strip("\"'")
            if target and value:
                found.front_matter[target] = parse_date(value) if target == "published" else value
        found.front_matter = {k: v for k, v in found.front_matter.items() if v}
        blank(chars, 0, front.end())
    headings = {i for i, line in enumerate(lines)
                if _MD_HEADING.match(text, line.start, line.end)}
    for pattern in (_MD_IMAGE, _MD_REFERENCE, _MD_RULE, _MD_HTML_TAG):
        for match in pattern.finditer(text):
            blank(chars, match.start(), match.end())
    start = text.find("<!--")
    while start >= 0 and (end := text.find("-->", start + 4)) >= 0:  # HTML comments
        blank(chars, start, end + 3)
        start = text.find("<!--", end + 3)
    for pattern in (_MD_LINE_MARKUP, _MD_LINK, _MD_EMPHASIS):
        for match in pattern.finditer(text):
            groups = [g for g in range(1, (pattern.groups or 0) + 1) if match.group(g)]
            for group in groups or [0]:
                blank(chars, match.start(group), match.end(group))
    return headings

