"""When and how an event holds: its date, its modality and whether it is negated.

These hang on the trigger or on the clauses above it: "On Friday, Putin offered to join"
dates the joining; "If Iran refuses, the US will impose sanctions" makes the sanctions
conditional; "will not follow through on threats to retarget" negates the retargeting.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

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


# what an act in the clause a verb of these classes takes is: "called on Iran to release
# the journalist" (no release yet), "threatened to strike" (no strike)
GOVERNED_MODES = {"request": "proposed", "offer": "proposed", "propose": "proposed",
                  "threaten": "hypothetical"}


def modality_of(token: Token, class_of: Callable[[Token], str | None] | None = None) -> str:
    """asserted, planned, proposed, conditional, hypothetical or reported.

    Args:
        class_of: the event class of a verb (from the lexicon), for the verbs whose class
            decides what the act in their complement is (``GOVERNED_MODES``).
    """
    found = set()
    previous = token
    for i, node in enumerate(_clause_chain(token)):
        complement = previous.dep_ in ("xcomp", "ccomp") or previous.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ == "for" for c in previous.children)
        klass = class_of(node) if i and complement and class_of is not None and \
            node.pos_ == "VERB" else None
        if klass == "request" and not _names_another_doer(node, previous):
            klass = None  # "seeking to topple", "asked to join": one's own aim
        if klass in GOVERNED_MODES:
            found.add(GOVERNED_MODES[klass])
        previous = node
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


def _names_another_doer(verb: Token, complement: Token) -> bool:
    """"urged Iran to stop", "called on Iran to stop", "wants NATO to halt", "Iran was urged
    to stop": someone other than the verb's subject is to act."""
    return any(c.dep_ in ("dobj", "dative", "nsubjpass")
               or (c.dep_ == "prep" and c.lower_ in ("on", "upon"))
               for c in verb.children) or \
        any(c.dep_ in ("nsubj", "nsubjpass") for c in complement.children)


def is_asked(token: Token, class_of: Callable[[Token], str | None]) -> bool:
    """Whether the act a verb names is one asked of its doer by another ("urged Iran to
    release the journalist", "was being urged to push for action", "called on the
    government to practise what it preaches and free or charge the men", "hope that he
    will act swiftly to rebuild"): no act yet, and not the doer's own aim; the request is
    the event."""
    node = token
    for _ in range(8):
        if node.dep_ == "conj" and node.head is not node:
            node = node.head  # "urged Iran to stop and withdraw"
            continue
        if node.dep_ not in ("xcomp", "ccomp"):
            return False
        head = node.head
        if any(c.dep_ == "mark" and c.lower_ in ("if", "whether") for c in node.children):
            return False  # "asked if he would sell arms": a question, not a request
        if node.i > head.i and head.pos_ == "VERB" and class_of(head) == "request" and \
                _names_another_doer(head, node):
            return True
        if node.dep_ == "ccomp":
            return False
        node = head  # "urged Iran to try to stop", "act swiftly to rebuild"
    return False


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
