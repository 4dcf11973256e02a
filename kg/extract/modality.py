"""When and how an event holds: its date, its modality and whether it is negated.

These hang on the trigger or on the clauses above it: "On Friday, Putin offered to join"
dates the joining; "If Iran refuses, the US will impose sanctions" makes the sanctions
conditional; "will not follow through on threats to retarget" negates the retargeting.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.extract.spans import entity_of
from kg.extract.timex import normalise_date

MODAL_HYPOTHETICAL = frozenset({"would", "could", "might", "may", "should", "can"})
MODAL_PLANNED = frozenset({"will", "shall", "'ll"})
REPORTING_VERBS = frozenset({"say", "tell", "announce", "declare", "state", "add", "insist",
                             "confirm", "promise", "pledge", "vow", "warn"})
PLAN_VERBS = frozenset({"plan", "intend", "aim", "want", "seek", "hope", "expect", "prepare",
                        "decide", "vow", "try", "schedule", "set"})
PROPOSAL_WORDS = frozenset({"offer", "propose", "suggest", "proposal", "suggestion", "plan",
                            "recommend", "move", "bid"})
CONDITION_MARKS = frozenset({"if", "unless", "provided"})
TIME_PREPS = frozenset({"on", "in", "during", "by", "since", "until"})


def time_of(token: Token, published: str | None) -> str | None:
    """The date on the trigger, or on the clause it depends on ("On Friday, Putin offered
    to join")."""
    for node in _clause_chain(token):
        when = _own_time(node, published)
        if when:
            return when
        if node.dep_ in ("ccomp", "relcl"):
            break
    return None


def _own_time(token: Token, published: str | None) -> str | None:
    candidates = []
    for child in token.children:
        if child.ent_type_ == "DATE" and child.dep_ in ("npadvmod", "tmod", "obl", "nmod"):
            candidates.append(child)
        elif child.dep_ == "prep" and child.lower_ in TIME_PREPS:
            candidates.extend(o for o in child.children if o.ent_type_ == "DATE")
    for candidate in candidates:
        ent = entity_of(candidate)
        if ent is not None:
            when = normalise_date(ent.text, published)
            if when:
                return when
    return None


def _clause_chain(token: Token) -> Iterator[Token]:
    """The token and the verbs and nouns it hangs from, up to its clause root."""
    node = token
    for _ in range(8):
        yield node
        if node.dep_ in ("ROOT",) or node.head is node:
            return
        if node.dep_ not in ("xcomp", "conj", "acl", "pcomp", "prep", "dobj", "pobj", "advcl",
                             "ccomp", "relcl"):
            return
        node = node.head


def modality_of(token: Token) -> str:
    """asserted, planned, proposed, conditional, hypothetical or reported."""
    found = set()
    for i, node in enumerate(_clause_chain(token)):
        for child in node.children:
            word = child.lower_
            if child.dep_ == "mark" and word in CONDITION_MARKS:
                found.add("conditional")
            elif child.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITION_MARKS
                                               for m in child.children):
                found.add("conditional")  # "if Iran refuses, the US will impose sanctions"
            elif child.dep_ in ("aux", "auxpass") and word == "would":
                # "said the US would pull out", "he would defend his record": a future seen
                # from the past; with an "if" it is conditional, found above
                found.add("planned")
            elif child.dep_ in ("aux", "auxpass") and word in MODAL_HYPOTHETICAL:
                found.add("hypothetical")
            elif child.dep_ in ("aux", "auxpass") and word in MODAL_PLANNED:
                found.add("planned")
        if i == 0:
            if node.dep_ == "advcl" and any(c.lower_ in CONDITION_MARKS for c in node.children):
                found.add("conditional")
            continue
        lemma = node.lemma_.lower()
        if lemma in PROPOSAL_WORDS:
            found.add("proposed")
        elif lemma in PLAN_VERBS:
            found.add("planned")
        elif node.dep_ == "ROOT" and lemma in ("say", "tell", "add", "state", "claim"):
            found.add("reported")
        if node.dep_ == "ccomp" and node.head.lemma_.lower() in ("say", "tell", "add", "claim",
                                                                  "state", "warn", "insist"):
            found.add("reported")
    for mode in ("conditional", "hypothetical", "proposed", "planned", "reported"):
        if mode in found:
            return mode
    return "asserted"


def is_negated(token: Token) -> bool:
    """A negation on the verb or on a clause it depends on ("will not follow through on
    threats to retarget", "no need to deploy")."""
    for node in _clause_chain(token):
        for child in node.children:
            if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no"):
                return True
            if child.dep_ == "advmod" and (child.lower_ == "never" or any(
                    g.dep_ == "neg" for g in child.children)):
                return True  # "never", "no longer"
        if node.dep_ in ("ccomp",):
            break
    return False
