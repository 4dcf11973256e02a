"""Fast span helpers over a parsed Doc.

``Token.sent`` walks the document each time it is asked; extraction asks thousands of
times per article. ``sentence_of`` answers from an index built once per Doc (kept in
``doc.user_data`` as plain tuples, so the Doc still serialises); ``doc_text`` does the same
for ``Doc.text``, which joins every token each time.
"""

from __future__ import annotations

import weakref

from spacy.tokens import Doc, Span, Token

_INDEX = "kg_sentence_bounds"
_TEXT = "kg_text"
_NUMBERS = "kg_sentence_numbers"
_ENTS = "kg_entity_bounds"


_last: tuple[weakref.ref, list[Token]] | None = None


def tokens(doc: Doc) -> list[Token]:
    """The Doc's tokens as a list, made once for the Doc extraction is working on:
    iterating a Doc makes a new Token object per token each time, and extraction walks
    every article a dozen times. One Doc is kept (outside ``user_data``, which stays
    serialisable)."""
    global _last
    last = _last  # read once: another thread may replace it
    if last is not None and last[0]() is doc and len(last[1]) == len(doc):
        return last[1]
    found = list(doc)
    _last = (weakref.ref(doc), found)
    return found


def _bounds(doc: Doc) -> list[tuple[int, int]]:
    bounds = doc.user_data.get(_INDEX)
    if bounds is None or len(bounds) != len(doc):
        bounds = []
        for sentence in doc.sents:
            bounds.extend([(sentence.start, sentence.end)] * (sentence.end - sentence.start))
        doc.user_data[_INDEX] = bounds
    return bounds


def sentence_number(token: Token) -> int:
    """The index of a token's sentence in its Doc (0 for the first)."""
    numbers = token.doc.user_data.get(_NUMBERS)
    if numbers is None or len(numbers) != len(token.doc):
        numbers, n, previous = [], -1, None
        for bounds in _bounds(token.doc):
            if bounds != previous:
                n, previous = n + 1, bounds
            numbers.append(n)
        token.doc.user_data[_NUMBERS] = numbers
    return numbers[token.i]


def sentence_of(token: Token) -> Span:
    """The sentence a token stands in."""
    start, end = _bounds(token.doc)[token.i]
    return token.doc[start:end]


def prime_text(doc: Doc, text: str) -> None:
    """Give ``doc_text`` the text the Doc was parsed from, when the caller has it."""
    doc.user_data[_TEXT] = text


def doc_text(doc: Doc) -> str:
    """The Doc's text, joined once (``Doc.text`` joins every token on each call)."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def entity_of(token: Token) -> Span | None:
    """The named entity a token is part of, if any (``Doc.ents`` rebuilds every span)."""
    if not token.ent_type_:
        return None
    starts = token.doc.user_data.get(_ENTS)
    if starts is None or len(starts) != len(token.doc):
        starts = [(-1, -1)] * len(token.doc)
        for ent in token.doc.ents:
            for i in range(ent.start, ent.end):
                starts[i] = (ent.start, ent.end)
        token.doc.user_data[_ENTS] = starts
    start, end = starts[token.i]
    return token.doc[start:end] if start >= 0 else None


def inside_quotes(token: Token) -> bool:
    """Whether a token stands inside a quotation in its sentence (quoted speech is the
    speaker's own words, found by kg.extract.quotes, not a report of them)."""
    before = doc_text(token.doc)[sentence_of(token).start_char:token.idx]
    straight = before.count('"')
    return straight % 2 == 1 or before.count("“") > before.count("”")
