"""Find issue mentions: the things positions are taken on (kg/data/issues.tsv).

An issue is named by a pattern ("missile defense", "ABM treaty") and, once it is in play,
referred back to by an anaphor ("the system", "the plan", "it").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from kg.lexicon import Issue, Lexicon
from kg.extract.spans import sentence_number, sentence_of, tokens

PRONOUN_ANAPHORS = frozenset({"it", "this", "that"})
_PATTERN_TOKENS = re.compile(r"\w+|[^\w\s]")
DEFINITE = frozenset({"the", "this", "that", "these", "those"})
ANAPHOR_WINDOW = 3  # sentences an issue stays in play for a bare anaphor


@dataclass(slots=True)
class IssueMention:
    start: int  # token span
    end: int
    issue: Issue
    is_anaphor: bool = False


def find_issue_mentions(doc: Doc, lexicon: Lexicon) -> list[IssueMention]:
    """Issue mentions in text order, explicit ones and the anaphors that follow them."""
    found: list[IssueMention] = []
    lowered = [t.lower_ for t in tokens(doc)]
    lemmas = [t.lemma_.lower() for t in tokens(doc)]
    positions: dict[str, list[int]] = {}
    for i, (lower, lemma) in enumerate(zip(lowered, lemmas, strict=True)):
        positions.setdefault(lower, []).append(i)
        if lemma != lower:
            positions.setdefault(lemma, []).append(i)
    taken: set[int] = set()
    for issue in lexicon.issues:
        for pattern in issue.patterns:
            # tokenised as spaCy does: "anti-missile" is "anti", "-", "missile"
            words = _PATTERN_TOKENS.findall(pattern)
            n = len(words)
            starts = positions.get(words[0], [])
            if n == 1:  # "interceptor" also finds "interceptors"
                starts = [i for i, lower in enumerate(lowered) if lower.startswith(words[0])]
            for i in sorted(set(starts)):
                if i + n > len(doc) or any(j in taken for j in range(i, i + n)):
                    continue
                if n == 1 or lowered[i:i + n] == words or lemmas[i:i + n] == words:
                    found.append(IssueMention(start=i, end=i + n, issue=issue))
                    taken.update(range(i, i + n))
    found.sort(key=lambda m: m.start)
    anaphors = []
    words = frozenset(a for issue in lexicon.issues for a in issue.anaphors)
    for token in tokens(doc):
        if token.i in taken:
            continue
        issue = _anaphor_issue(token, found, words)
        if issue is not None:
            anaphors.append(IssueMention(start=token.i, end=token.i + 1, issue=issue,
                                         is_anaphor=True))
    return sorted(found + anaphors, key=lambda m: m.start)


def _anaphor_issue(token: Token, explicit: list[IssueMention],
                   anaphors: frozenset[str]) -> Issue | None:
    lemma = token.lemma_.lower()
    is_pronoun = token.lower_ in PRONOUN_ANAPHORS and token.pos_ == "PRON"
    if not is_pronoun and lemma not in anaphors:
        return None
    definite = any((c.dep_ == "det" and c.lower_ in DEFINITE) or c.dep_ == "poss"
                   for c in token.children)
    if not is_pronoun and not (token.pos_ == "NOUN" and definite):
        return None  # "a follow-on treaty" is a new thing, "the treaty" an old one
    sentence = sentence_of(token)
    earlier = [m for m in explicit if m.start < token.i]
    if not earlier:
        return None
    last = earlier[-1]
    distance = sentence_number(token) - sentence_number(token.doc[last.start]) + 1
    if distance > ANAPHOR_WINDOW:
        return None
    if is_pronoun:
        return last.issue if last.start >= sentence.start - 60 else None
    for mention in reversed(earlier):
        if lemma in mention.issue.anaphors:
            return mention.issue
    return None


def issue_in(span: Span | None, mentions: list[IssueMention]) -> IssueMention | None:
    """The first issue mention inside a token span."""
    if span is None:
        return None
    for mention in mentions:
        if span.start <= mention.start and mention.end <= span.end:
            return mention
    return None
