"""Extract records from a parsed article: actors, roles, relations, quotes, positions.

``extract_records`` runs the extractors in the order they depend on each other: mentions
and titles, then names resolved to actors, roles (which make "the Russian leader" and
pronouns resolvable), issues, quotations (whose speakers judgements inside them need),
frames (kg/extract/frames.py: one per predicate, with its roles, polarity, modality and
attribution), events read off the frames, and positions read off the events' claims and
the frames. Only this module turns their findings into records.
"""

from __future__ import annotations

import logging

from spacy.tokens import Doc

from kg.extract.actors import find_mentions, find_titles
from kg.extract.headline import parse_text, shown_text
from kg.extract.issues import find_issue_mentions
from kg.extract.positions import find_stances
from kg.extract.quotes import attribute_quotes, find_quote_spans
from kg.extract.frames import build_frames
from kg.extract.relations import Event, Target, extract_events
from kg.extract.roles import find_roles
from kg.lexicon import Lexicon
from kg.rdf import issue_iri, thing_iri
from kg.records import (Document, EntityRef, Evidence, Position, Quote, Record, Relation, Role)
from kg.resolve import Cast, resolve_names, resolve_references, role_records
from kg.extract.spans import doc_text, prime_text, sentence_number, sentence_of

__all__ = ["extract_records"]

logger = logging.getLogger(__name__)


def extract_records(doc: Doc, document: Document, lexicon: Lexicon) -> list[Record]:
    """All records of one article, actors first.

    Args:
        doc: the article parsed by ``kg.nlp.load_pipeline()``; its text is ``document.text``.
        document: the article and its metadata (the publication date anchors times).
        lexicon: ``kg.lexicon.load_lexicon()``.
    """
    prime_text(doc, parse_text(document))  # the same string: spare Doc.text its join
    titles = find_titles(doc, lexicon)
    mentions = find_mentions(doc, lexicon, titles)
    cast = resolve_names(doc, mentions, lexicon)
    cast.doc_id = document.id
    find_roles(doc, mentions, titles, cast, lexicon)
    resolve_references(doc, mentions, cast)
    issues = find_issue_mentions(doc, lexicon)
    frames = build_frames(doc, lexicon, document.published)
    spans = find_quote_spans(doc_text(doc))
    attribute_quotes(doc, spans, cast, lexicon, frames)
    spoken = [(span.start, span.end, span.speaker) for span in spans if span.speaker]
    events = extract_events(doc, frames, cast, lexicon, issues, spoken)
    evidence = _EvidenceMaker(doc, shown_text(document))
    relations = _relations(document, events, cast, evidence, lexicon)
    quotes = [Quote(doc=document.id, speaker=cast.ref(span.speaker),
                    text=evidence.shown[span.start:span.end].strip(),
                    evidence=evidence.of_chars(span.start, span.end),
                    time=document.published)
              for span in spans if span.speaker and evidence.shown[span.start:span.end].strip()]
    positions = []
    seen = set()
    stances = find_stances(doc, frames, events, issues, cast, lexicon)
    # a position never contradicts itself within one sentence: when a sentence gives one
    # holder both sides of one issue, it has been misread, and neither side is kept
    sides: dict[tuple[str, str, int], set[str]] = {}
    for stance in stances:
        sides.setdefault((stance.holder, stance.issue.label, sentence_number(doc[stance.token])),
                         set()).add(stance.polarity)
    for stance in stances:
        if len(sides[(stance.holder, stance.issue.label,
                      sentence_number(doc[stance.token]))]) > 1:
            continue
        marker = (stance.holder, stance.issue.label, stance.polarity,
                  stance.time or document.published)
        if marker in seen:
            continue
        seen.add(marker)
        token = doc[stance.token]
        positions.append(Position(
            doc=document.id, holder=cast.ref(stance.holder),
            issue=EntityRef(id=issue_iri(stance.issue.label), label=stance.issue.label,
                            type="Issue"),
            polarity=stance.polarity, basis=stance.basis,
            time=stance.time or document.published,
            evidence=evidence.of_tokens(token.i, token.i + 1)))
    roles = role_records(document.id, cast, evidence.of_tokens) + _byline_roles(document, cast)
    return [*cast.actors(document.id), *roles, *relations, *quotes, *positions]


def _byline_roles(document: Document, cast: Cast) -> list[Role]:
    """"By Michael A. Fletcher / Washington Post Staff Writer": the author's role, of the
    publisher. The byline is blanked in the text the parser saw; its offsets still point at
    it in the file."""
    if not (document.author and document.author_role and document.byline):
        return []
    author = cast.member(f"person:{document.author.lower()}", document.author, "Person")
    author.mentions += 1
    author.aliases.setdefault(document.author, None)
    publisher = None
    if document.publisher:
        key = cast.lexicon.names.get(document.publisher.lower())
        member = (cast.member_for_place(key) if key else
                  cast.member(f"org:{document.publisher.lower()}", document.publisher,
                              "Organization"))
        member.mentions += 1
        member.aliases.setdefault(document.publisher, None)
        publisher = cast.ref(member.key)
    end = document.byline_start + len(document.byline)
    return [Role(doc=document.id, subject=cast.ref(author.key), role=document.author_role,
                 of=publisher, evidence=Evidence(sentence=document.byline,
                                                 start=document.byline_start, end=end))]


class _EvidenceMaker:
    """Evidence records (sentence text and offsets) for token or character spans."""

    def __init__(self, doc: Doc, shown: str) -> None:
        self.doc = doc
        self.shown = shown  # the text as in the file (a headline's capitals kept)

    def of_tokens(self, start: int, end: int) -> Evidence:
        """Evidence for a token span: the sentence it starts in."""
        sentence = sentence_of(self.doc[start])
        return self._make(sentence.start_char, sentence.end_char)

    def of_chars(self, start: int, end: int) -> Evidence:
        """Evidence for a quotation: its own offsets, with the sentences around it."""
        first = self.doc.char_span(start, end, alignment_mode="expand")
        if first is None:
            return Evidence(sentence=self.shown[start:end], start=start, end=end)
        sentence = sentence_of(self.doc[first.start])
        last = sentence_of(self.doc[first.end - 1])
        raw = self.shown[sentence.start_char:last.end_char]
        text = raw.strip()
        return Evidence(sentence=text, start=start, end=end,
                        sentence_start=sentence.start_char + len(raw) - len(raw.lstrip()))

    def _make(self, start: int, end: int) -> Evidence:
        text = self.shown
        while start < end and (text[start].isspace() or (
                text[start] in "\"”’" and start + 1 < end and text[start + 1].isspace())):
            start += 1  # a closing quotation mark the parser hung on the next sentence
        while end > start and text[end - 1].isspace():
            end -= 1
        return Evidence(sentence=text[start:end], start=start, end=end)


def _ref(target: Target | None, cast: Cast, doc: Doc, kind: str = "Thing") -> EntityRef | None:
    if target is None:
        return None
    if target.actor and target.actor in cast.members:
        return cast.ref(target.actor)
    head = doc[target.end - 1] if target.end > target.start else doc[target.start]
    if head.ent_type_ in ("GPE", "LOC", "FAC"):
        kind = "Place"
    return EntityRef(id=thing_iri(target.label), label=target.label, type=kind)


def _relations(document: Document, events: list[Event], cast: Cast,
               evidence: _EvidenceMaker, lexicon: Lexicon) -> list[Relation]:
    """Relation records: one per subject and object of each event.

    Interactive events (meet, agree, cooperate) are stated once, in the text's order: "Bush
    and Putin met" gives Bush consult Putin (kgr:consult is symmetric in the ontology).
    Deploying something in a country means that country hosts it.
    """
    relations = []
    seen = set()

    def add(subject: EntityRef, predicate: str, obj: EntityRef | None, event: Event,
            place: EntityRef | None, confidence: float) -> None:
        if obj is not None and obj.id == subject.id:
            return  # an actor acting on itself is a parse error, not an event
        # one record per sentence for the same act between the same two ("continuing his
        # relationship with Bush and working with him")
        marker = (subject.id, predicate, obj.id if obj else None, event.sentence.start,
                  event.negated)
        if marker in seen:
            return
        seen.add(marker)
        relations.append(Relation(
            doc=document.id, subject=subject, predicate=predicate, object=obj,
            recipient=cast.ref(event.recipient) if event.recipient in cast.members else None,
            place=place, time=event.time, modality=event.modality, negated=event.negated,
            confidence=confidence, verb=event.verb,
            cameo=event.cameo if predicate == event.predicate else None,
            evidence=evidence.of_tokens(event.sentence.start, event.sentence.end)))

    doc = events[0].sentence.doc if events else None
    for event in events:
        if event.kind == "attribute" or event.stance_only:
            continue  # "their illegal declaration": a stance in passing, no event between actors
        for key, is_direct in event.subjects:
            subject = cast.ref(key)
            for target in event.objects:
                obj = _ref(target, cast, doc)
                place_target = (target.place if target is not None else None) or event.place
                place = _ref(place_target, cast, doc, "Place")
                confidence = (0.8 if is_direct else 0.6) - (0.1 if event.nominal else 0.0)
                add(subject, event.predicate, obj, event, place, confidence)
                if event.predicate == "deploy" and place is not None and place.type == "Country" \
                        and place.id != subject.id and obj is not None:
                    add(place, "host", obj, event, place, confidence - 0.2)
    return relations
