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
from kg.extract.modality import is_negated
from kg.extract.relations import Event, subjects_of
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
                 lexicon: Lexicon, quotes: list[tuple[int, int, str]] = ()) -> list[Stance]:
    """Every stance of an actor on an issue, in text order.

    Args:
        quotes: quotations as (start char, end char, speaker key): a judgement inside one
            is its speaker's.
    """
    stances = _evaluations(doc, events, issues, cast, lexicon, quotes)
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


# Verbs that judge their object by a complement: "called the decision a mistake".
JUDGING_VERBS = frozenset({"call", "describe", "consider", "deem", "label", "brand", "term",
                           "view", "see", "regard", "dismiss", "hail", "condemn"})


def _evaluations(doc: Doc, events: list[Event], issues: list[IssueMention], cast: Cast,
                 lexicon: Lexicon, quotes: list[tuple[int, int, str]]) -> list[Stance]:
    """Stances taken by judging something: "Putin called the decision a mistake", "McCain
    said it was seriously misguided", "This is the good deal we were looking for," he said."""
    stances = []
    for token in doc:
        lemma = token.lemma_.lower()
        judged = complement = None
        holders: list[str] = []
        if lemma in JUDGING_VERBS and token.pos_ == "VERB":
            judged = next((c for c in token.children if c.dep_ == "dobj"), None)
            complement = next((c for c in token.children if c.dep_ in ("oprd", "xcomp")), None)
            if complement is None:  # "described the move as a step"
                complement = next((o for c in token.children if c.dep_ == "prep" and
                                   c.lower_ == "as" for o in c.children if o.dep_ == "pobj"),
                                  None)
            holders = [k for k, _ in subjects_of(token, cast, lexicon)]
        elif lemma == "be" and token.dep_ in ("ccomp", "ROOT") and not any(
                c.dep_ in ("advcl", "ccomp", "xcomp", "csubj") for c in token.children):
            # (a clause after "be" makes "it" a dummy: "it would be best if he left")
            judged = next((c for c in token.children if c.dep_ == "nsubj"), None)
            complement = next((c for c in token.children if c.dep_ in ("acomp", "attr")), None)
            holders = _judge_of(token, cast, lexicon, quotes)
        elif token.tag_ == "VBN" and token.lower_ in lexicon.evaluative and any(
                c.dep_ == "auxpass" for c in token.children):
            # "the decision was misguided", parsed as a passive
            judged = next((c for c in token.children if c.dep_ == "nsubjpass"), None)
            complement = token
            holders = _judge_of(token, cast, lexicon, quotes)
        if judged is None or complement is None or not holders:
            continue
        polarity = _judgement(complement, lexicon)
        if polarity is None:
            continue
        if any(c.dep_ == "neg" for c in token.children):
            polarity = _flip(polarity)
        issue = _judged_issue(doc, judged, complement, events, issues, lexicon)
        if issue is None:
            continue
        stances.extend(Stance(holder=key, issue=issue, polarity=polarity, time=None,
                              basis=f"judgement: {complement.text}", token=token.i)
                       for key in holders)
    return stances


def _judge_of(copula: Token, cast: Cast, lexicon: Lexicon,
              quotes: list[tuple[int, int, str]]) -> list[str]:
    """Who judges in "X is Y": the speaker of the quotation it stands in, or the subject
    of the speech verb it is reported by."""
    for start, end, speaker in quotes:
        if start <= copula.idx < end:
            return [speaker]
    if copula.dep_ == "ccomp" and copula.head.lemma_.lower() in lexicon.speech_verbs:
        return [k for k, _ in subjects_of(copula.head, cast, lexicon)]
    return []


def _judgement(complement: Token, lexicon: Lexicon) -> str | None:
    """The polarity of a judging complement: its head word, or an adjective on it."""
    for word in [complement, *[c for c in complement.children if c.dep_ == "amod"]]:
        polarity = lexicon.evaluative.get(word.lemma_.lower()) or lexicon.evaluative.get(
            word.lower_)
        if polarity:
            if any(c.dep_ == "neg" or c.lower_ in ("not", "no") for c in word.children):
                return _flip(polarity)
            return polarity
    return None


def _judged_issue(doc: Doc, judged: Token, complement: Token, events: list[Event],
                  issues: list[IssueMention], lexicon: Lexicon) -> Issue | None:
    """What is judged, as an issue: a lexicon issue in the phrase, the thing a relative
    pronoun stands for, the complement's own noun ("This is a good deal": the deal), what
    "it" or "this" refers back to, or the noun phrase itself."""
    if judged.lower_ in ("that", "which") and judged.head.dep_ == "relcl":
        judged = judged.head.head  # "the exercises that North Korea called provocative"
    span = doc[judged.left_edge.i:judged.right_edge.i + 1]
    mention = issue_in(span, issues)
    if mention is not None:
        return mention.issue
    is_pointer = judged.pos_ == "PRON" or (judged.pos_ == "DET" and judged.lower_ in (
        "this", "that"))
    if is_pointer and complement.pos_ == "NOUN" and \
            complement.lemma_.lower() not in lexicon.evaluative:
        return _noun_issue(doc, complement.left_edge.i, complement.i + 1, complement,
                           lexicon.evaluative)
    if is_pointer:
        earlier = [t for e in events if e.trigger < judged.i for t in e.objects
                   if t.actor is None and t.end <= judged.i]
        if not earlier:
            return None
        last = max(earlier, key=lambda t: t.end)
        head = doc[last.end - 1]
        return _noun_issue(doc, last.start, last.end, head, lexicon.evaluative)
    if judged.pos_ == "NOUN":
        return _noun_issue(doc, span.start, span.end, judged, lexicon.evaluative)
    return None


# judging adjectives are not part of an issue's name ("the good deal" is the deal)
_JUDGING_WORDS = frozenset({"good", "bad", "great", "true", "real", "fair", "big", "best",
                            "worst", "terrible", "positive", "negative"})


def _noun_issue(doc: Doc, start: int, end: int, head: Token,
                evaluative: dict[str, str] | None = None) -> Issue | None:
    evaluative = evaluative or {}
    if head.pos_ != "NOUN" or head.ent_type_:
        return None
    def names_issue(token: Token) -> bool:
        """Modifiers that say which issue it is ("nuclear deal"), not how good it is."""
        word = token.lemma_.lower()
        return token.head.i == head.i and token.dep_ in ("compound", "amod") and \
            word not in _VAGUE and word not in _JUDGING_WORDS and word not in evaluative

    words = [t for t in doc[start:end] if t.i == head.i or names_issue(t)]
    label = " ".join(t.lower_ if t.i != head.i else t.lemma_.lower() for t in words)
    return Issue(label=label, patterns=(label,), anaphors=())


def _open_issue(event: Event, doc: Doc) -> Issue | None:
    """The thing a stance-taking event acts on, as an issue the lexicon does not list."""
    if event.predicate not in STANCE_PREDICATES:
        return None
    for target in event.objects:
        if target.actor is not None or target.end - target.start > 6:
            continue
        issue = _noun_issue(doc, target.start, target.end, doc[target.end - 1])
        if issue is not None:
            return issue
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
