"""Find positions: where an actor stands on an issue, when, and on what evidence.

A position rests on:
- an event whose object is an issue, signed by its predicate (kg/data/predicate_signs.tsv:
  "offered to join the system" supports it, "denouncing it" opposes it) or by the event
  noun's own stance ("opposition to", "support for", "plans to build");
- a stance verb ("Moscow fears a missile defense system", "Bush wants a new accord to
  replace the treaty", kg/data/stance_verbs.tsv);
- reported speech whose content denies a supporting act ("officials say there is no need
  to deploy interceptors": the speakers oppose the deployment).
A negated supporting act is opposition; hypothetical and conditional acts are no position.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kg.extract.issues import IssueMention, issue_in
from kg.extract.relations import Event, is_negated, subjects_of
from kg.lexicon import Issue, Lexicon
from kg.resolve import Cast

UNCOMMITTED = frozenset({"hypothetical", "conditional"})
# Predicates that take a stance on whatever they act on, so that their object can stand as an
# issue of its own when the issue lexicon does not know it ("Netanyahu denounced the deal").
STANCE_PREDICATES = frozenset({"support", "oppose", "accuse", "reject", "protest", "agree",
                               "propose", "offer"})
# Modifiers that say nothing about which issue it is ("the new deal", "this week's plan").
_VAGUE = frozenset({"new", "other", "such", "same", "latest", "last", "first", "current",
                    "whole", "entire", "own", "recent"})


@dataclass(slots=True)
class Stance:
    holder: str  # cast key
    issue: Issue
    polarity: str
    time: str | None
    basis: str
    token: int  # the token the stance rests on


def _flip(polarity: str) -> str:
    return "oppose" if polarity == "support" else "support"


def find_stances(doc: Doc, events: list[Event], issues: list[IssueMention], cast: Cast,
                 lexicon: Lexicon) -> list[Stance]:
    """Every stance of an actor on an issue, in text order."""
    stances = []
    for event in events:
        polarity = _event_polarity(event, doc, lexicon)
        if polarity is None or event.modality in UNCOMMITTED:
            continue
        mention = next((m for t in event.objects
                        if (m := issue_in(doc[t.start:t.end], issues)) is not None), None)
        issue = mention.issue if mention is not None else _open_issue(event, doc)
        if issue is None:
            continue
        if event.negated:
            if polarity == "oppose":
                continue  # "did not oppose" is not support
            polarity = "oppose"
        for key, _ in event.subjects:
            stances.append(Stance(holder=key, issue=issue, polarity=polarity,
                                  time=event.time, basis=f"{event.predicate}: {event.verb}",
                                  token=event.trigger))
    for token in doc:
        lemma = token.lemma_.lower()
        if lemma in lexicon.stance_verbs and token.pos_ == "VERB":
            stances.extend(_stance_verb(token, lexicon.stance_verbs[lemma], issues, cast,
                                        lexicon))
        elif lemma in lexicon.speech_verbs and token.pos_ == "VERB":
            stances.extend(_reported_denial(token, issues, cast, lexicon))
    return sorted(stances, key=lambda s: s.token)


def _open_issue(event: Event, doc: Doc) -> Issue | None:
    """The thing a stance-taking event acts on, as an issue the lexicon does not list."""
    if event.predicate not in STANCE_PREDICATES:
        return None
    for target in event.objects:
        if target.actor is not None or target.end - target.start > 6:
            continue
        head = doc[target.end - 1]
        if head.pos_ != "NOUN" or head.ent_type_:
            continue
        words = [t for t in doc[target.start:target.end]
                 if t.i == head.i or (t.head.i == head.i and t.dep_ in ("compound", "amod")
                                      and t.lower_ not in _VAGUE)]
        label = " ".join(t.lower_ if t.i != head.i else t.lemma_.lower() for t in words)
        return Issue(label=label, patterns=(label,), anaphors=())
    return None


def _event_polarity(event: Event, doc: Doc, lexicon: Lexicon) -> str | None:
    if event.nominal:
        entry = lexicon.nouns.get(doc[event.trigger].lemma_.lower())
        if entry is not None and entry.stance:
            return entry.stance
    return lexicon.stance_of(event.predicate)


def _stance_verb(token: Token, polarity: str, issues: list[IssueMention], cast: Cast,
                 lexicon: Lexicon) -> list[Stance]:
    holders = subjects_of(token, cast, lexicon)
    if not holders:
        return []
    for child in token.children:
        if child.dep_ in ("dobj", "ccomp", "xcomp"):
            span = token.doc[child.left_edge.i:child.right_edge.i + 1]
            mention = issue_in(span, issues)
            if mention is None:
                continue
            # "wants a new accord to replace the treaty": the stance on the treaty is the
            # embedded verb's
            inner = _embedded_polarity(span, mention, lexicon)
            final = inner if inner is not None and polarity == "support" else polarity
            if is_negated(token):
                final = _flip(final)
            return [Stance(holder=key, issue=mention.issue, polarity=final, time=None,
                           basis=f"stance: {token.text}", token=token.i) for key, _ in holders]
    return []


def _embedded_polarity(span, mention: IssueMention, lexicon: Lexicon) -> str | None:  # noqa: ANN001
    target = span.doc[mention.start]
    node = target
    for _ in range(4):
        node = node.head
        if node.pos_ == "VERB":
            entry = lexicon.verbs.get(node.lemma_.lower())
            if entry is not None:
                return lexicon.stance_of(entry.predicate)
            return None
    return None


def _reported_denial(token: Token, issues: list[IssueMention], cast: Cast,
                     lexicon: Lexicon) -> list[Stance]:
    speakers = [(k, d) for k, d in subjects_of(token, cast, lexicon)]
    if not speakers:
        return []
    for child in token.children:
        if child.dep_ != "ccomp":
            continue
        for inner in child.subtree:
            entry = lexicon.verbs.get(inner.lemma_.lower())
            if entry is None or inner.pos_ != "VERB" or lexicon.stance_of(entry.predicate) != \
                    "support" or not is_negated(inner):
                continue
            if subjects_of(inner, cast, lexicon):
                continue  # the act has its own actor: an event, not the speaker's stance
            span = token.doc[inner.i:inner.right_edge.i + 1]
            mention = issue_in(span, issues)
            if mention is not None:
                return [Stance(holder=key, issue=mention.issue, polarity="oppose", time=None,
                               basis=f"reported: {token.text} ... {inner.text}", token=token.i)
                        for key, _ in speakers]
    return []
