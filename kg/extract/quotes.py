"""Find direct quotations and who said them.

Quotation marks are paired in the text itself, not in the parse: a paragraph that ends
inside a quotation continues it when the next paragraph opens with a quotation mark (the
newspaper convention). The speaker is, in order of preference:
- the subject of a speech verb outside the quotation in the same sentence
  ('"...," he said', '"...," said Mr. Putin', 'Bush said that "..."');
- the subject of the clause a partial quotation sits in ('Bush described himself as "..."');
- the speaker of the previous quotation in the same paragraph, or of the quotation a
  paragraph continues; or the subject of a sentence ending in a colon just before it.
Pronouns resolve through ``kg.resolve``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from kg.lexicon import Lexicon
from kg.resolve import Cast
from kg.extract.spans import doc_text, sentence_of

OPENERS = "\"“«„"
CLOSERS = "\"”»“"
_PARAGRAPH = re.compile(r"\n\s*\n")


@dataclass(slots=True)
class QuoteSpan:
    start: int  # character offsets of the quoted text, without the marks
    end: int
    continues: bool = False  # continues the previous paragraph's quotation
    speaker: str | None = None


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Quoted passages, paired per paragraph, with multi-paragraph continuation."""
    spans: list[QuoteSpan] = []
    breaks = [m.start() for m in _PARAGRAPH.finditer(text)] + [len(text)]
    para_start = 0
    carried = False
    for para_end in breaks:
        open_at: int | None = None
        continues = False
        for i in range(para_start, para_end):
            ch = text[i]
            if open_at is None and ch in OPENERS and _can_open(text, i):
                open_at = i + 1
                continues = carried and not spans_in(spans, para_start, i)
            elif open_at is not None and ch in CLOSERS and _can_close(text, i):
                end = i
                while end > open_at and (text[end - 1].isspace() or text[end - 1] == ","):
                    end -= 1  # '"We are ready," he said': the comma is the sentence's
                if text[open_at:end].strip():
                    spans.append(QuoteSpan(start=open_at, end=end, continues=continues))
                open_at = None
                continues = False
        carried = False
        if open_at is not None:
            end = para_end
            while end > open_at and text[end - 1].isspace():
                end -= 1
            if text[open_at:end].strip():
                spans.append(QuoteSpan(start=open_at, end=end, continues=continues))
            carried = True
        para_start = para_end
    return spans


def spans_in(spans: list[QuoteSpan], start: int, end: int) -> bool:
    return any(start <= s.start < end for s in spans)


def _can_open(text: str, i: int) -> bool:
    if text[i] in "“«„":
        return True
    before = text[i - 1] if i > 0 else " "
    return before.isspace() or before in "([—-:,;"


def _can_close(text: str, i: int) -> bool:
    if text[i] in "”»":
        return True
    after = text[i + 1] if i + 1 < len(text) else " "
    return not after.isalnum()


def attribute_quotes(doc: Doc, spans: list[QuoteSpan], cast: Cast, lexicon: Lexicon) -> None:
    """Set each span's speaker (a cast key) where one can be found."""
    speech = lexicon.speech_verbs
    previous: QuoteSpan | None = None
    for span in spans:
        quoted = doc.char_span(span.start, span.end, alignment_mode="expand")
        if quoted is None:
            previous = span
            continue
        inside = range(quoted.start, quoted.end)
        sentences = _sentences_around(doc, quoted)
        span.speaker = _speech_subject(sentences, inside, cast, speech)
        if span.speaker is None and not _fills_sentences(quoted, sentences):
            span.speaker = _clause_subject(quoted, inside, cast)
        if span.speaker is None and previous is not None and previous.speaker and (
                span.continues or _same_paragraph(doc_text(doc), previous.end, span.start)):
            span.speaker = previous.speaker
        if span.speaker is None:
            span.speaker = _colon_lead(doc, quoted, cast, speech)
        previous = span
    # a quotation running over paragraphs is often attributed only in its last paragraph
    for earlier, later in zip(reversed(spans[:-1]), reversed(spans[1:])):
        if later.continues and later.speaker and earlier.speaker is None:
            earlier.speaker = later.speaker


def _sentences_around(doc: Doc, quoted: Span) -> list[Span]:
    """The sentences a quotation touches, plus a short attribution sentence right after it
    (the parser often splits '"...," he said.' after the closing mark)."""
    ends = (sentence_of(doc[quoted.start]), sentence_of(doc[quoted.end - 1]))
    sents = list({sentence.start: sentence for sentence in ends}.values())
    last = sents[-1]
    if last.end < len(doc):
        after = sentence_of(doc[last.end])
        # '"...," he said.' split after the closing mark: the attribution follows at once,
        # in the same paragraph
        gap = doc_text(doc)[quoted.end_char:after.start_char]
        is_short = len(after) <= 8 or _starts_with_attribution(after)
        if len(gap) <= 3 and "\n" not in gap and is_short:
            sents.append(after)
    first = sents[0]
    if first.start > 0 and quoted.start - first.start <= 1:
        before = sentence_of(doc[first.start - 1])
        if len(before) <= 8 and before.text.rstrip().endswith(","):
            sents.insert(0, before)
    return sents


def _starts_with_attribution(sentence: Span) -> bool:
    words = [t for t in sentence if not t.is_punct][:4]
    return any(t.pos_ in ("VERB",) for t in words) and any(
        t.pos_ in ("PRON", "PROPN") for t in words)


def _speech_subject(sentences: list[Span], inside: range, cast: Cast,
                    speech: frozenset[str]) -> str | None:
    best: tuple[int, str] | None = None
    centre = (inside.start + inside.stop) // 2
    for sentence in sentences:
        for token in sentence:
            if token.i in inside or token.lemma_.lower() not in speech or token.pos_ not in (
                    "VERB", "AUX"):
                continue
            key = _subject_key(token, cast)
            if key is None:
                continue
            distance = abs(token.i - centre)
            if best is None or distance < best[0]:
                best = (distance, key)
    return best[1] if best else None


def _subject_key(verb: Token, cast: Cast) -> str | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            key = cast.actor_of(child)
            if key:
                return key
    # '"...," said Mr. Putin': the subject may be parsed as the object after the verb
    for child in verb.rights:
        if child.dep_ in ("dobj", "attr", "npadvmod", "dep") and cast.actor_of(child):
            return cast.actor_of(child)
    if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.i != verb.i:
        return _subject_key(verb.head, cast) if verb.head.pos_ in ("VERB", "AUX") else None
    return None


def _fills_sentences(quoted: Span, sentences: list[Span]) -> bool:
    words = [t for s in sentences for t in s if not t.is_punct and not t.is_space]
    outside = [t for t in words if not (quoted.start <= t.i < quoted.end)]
    return len(outside) == 0


def _clause_subject(quoted: Span, inside: range, cast: Cast) -> str | None:
    """A partial quotation: the subject of the verb the quoted words depend on."""
    node = quoted.root
    for _ in range(6):
        if node.i not in inside and node.pos_ in ("VERB", "AUX"):
            key = _subject_key(node, cast)
            if key:
                return key
        if node.head is node:
            break
        node = node.head
    return None


def _same_paragraph(text: str, end: int, start: int) -> bool:
    return not _PARAGRAPH.search(text, end, start)


def _colon_lead(doc: Doc, quoted: Span, cast: Cast, speech: frozenset[str]) -> str | None:
    """'Bush said:' or 'Bush put it this way:' just before the quotation."""
    i = quoted.start - 1
    while i >= 0 and (doc[i].is_space or doc[i].text in OPENERS):
        i -= 1
    if i < 0 or doc[i].text != ":":
        return None
    sentence = sentence_of(doc[i])
    for token in sentence:
        if token.pos_ in ("VERB", "AUX"):
            key = _subject_key(token, cast)
            if key:
                return key
    return None
