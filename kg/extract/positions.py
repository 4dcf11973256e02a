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
from typing import NamedTuple

from spacy.tokens import Doc, Span, Token

from kg.extract.frames import Frame
from kg.extract.issues import IssueMention, issue_in
from kg.extract.spans import sentence_number, tokens
from kg.extract.relations import GENERIC_NOUNS, Event, Target, _compose
from kg.lexicon import Issue, Lexicon
from kg.resolve import Cast

UNCOMMITTED = frozenset({"hypothetical", "conditional"})
# sentences back that "the move" may point to what was named
POINTER_WINDOW = 3
# generic nouns that point back to the act or thing just named ("welcomed the move")
POINTING_NOUNS = frozenset({"move", "decision", "step", "plan", "proposal", "idea",
                            "measure", "initiative", "deal", "agreement", "announcement"})

# acts that take away what they are of: being for them is no stance for it
REMOVING = frozenset({"retreat", "concede"})
# those that point to an act, whose stance carries over ("denounced the decision" to cancel
# the plan is for the plan); the others point to the thing itself ("criticised the measures")
ACT_POINTERS = frozenset({"move", "decision", "step", "announcement"})

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


def find_stances(doc: Doc, frames: list[Frame], events: list[Event],
                 issues: list[IssueMention], cast: Cast, lexicon: Lexicon) -> list[Stance]:
    """Every stance of an actor on an issue, in text order."""
    stances = []
    # issues named so far, with the stance the act that named them took, for "the move" to
    # point to
    recent: list[_Named] = []
    by_trigger = {f.trigger: f for f in frames}
    for event in events:
        if _is_alleged(event, by_trigger, lexicon):
            continue  # "accused Israel of violating the ceasefire": the accuser's word only
        for polarity, target in event.claims:
            issue, flip = _signed_issue(target, doc, issues, lexicon)
            if flip:
                polarity = _flip(polarity)
            pointable = issue is not None and _is_pointable(target, doc, issues, lexicon)
            if issue is None and (pointed := _pointed_issue(target, doc, recent)) is not None:
                # "Obama cancelled the plan ... Republicans denounced the decision": against
                # the cancelling, so for the plan
                issue = pointed[0]
                if doc[target.head].lemma_.lower() in ACT_POINTERS:
                    polarity = _compose(polarity, pointed[1])
            if issue is None:
                continue
            if event.negated and event.kind not in ("judgement", "attribute"):
                # (a judgement's sign has its "not" already)
                if polarity == "oppose":
                    continue  # "did not oppose" is not support
                polarity = "oppose"
            if pointable:
                head = doc[target.head] if target.head is not None else doc[target.end - 1]
                recent.append(_Named(target.start, issue, polarity, head.lemma_.lower(),
                                     event.predicate))
            if event.modality in UNCOMMITTED:
                continue
            for key, _ in event.subjects:
                stances.append(Stance(holder=key, issue=issue, polarity=polarity,
                                      time=event.time, token=event.trigger,
                                      basis=f"{event.predicate}: {event.verb}"))
    stances.extend(_intentions(doc, frames, issues, cast, lexicon))
    stances.extend(_for_or_against(doc, issues, cast, lexicon))
    stances.extend(_stance_agents(doc, issues, cast, lexicon))
    for frame in frames:
        if frame.kind == "adjective":
            stances.extend(_bare_attitude(doc, frame, issues, cast, lexicon))
        if frame.kind != "verb":
            continue
        if frame.lemma in lexicon.stance_verbs:
            stances.extend(_stance_verb(doc, frame, lexicon.stance_verbs[frame.lemma], issues,
                                        cast, lexicon))
        elif frame.lemma in lexicon.speech_verbs:
            stances.extend(_reported_denial(doc, frame, frames, issues, cast, lexicon))
            stances.extend(_no_need(doc, frame, issues, cast, lexicon))
    return sorted(stances, key=lambda s: s.token)


def _holders(doc: Doc, frame: Frame, cast: Cast) -> list[str]:
    return list(dict.fromkeys(k for i in frame.agents for k in [cast.actor_of(doc[i])] if k))


# judging adjectives are not part of an issue's name ("the good deal" is the deal)
_JUDGING_WORDS = frozenset({"good", "bad", "great", "true", "real", "fair", "big", "best",
                            "worst", "terrible", "positive", "negative"})


def _lemma(token: Token) -> str:
    """The lemma, unless the lemmatizer rewrote the word ("motives" -> "motif")."""
    lemma, word = token.lemma_.lower(), token.lower_
    if word.startswith(lemma) or lemma.endswith("y") and word.startswith(lemma[:-1]):
        return lemma
    return word


def _noun_issue(doc: Doc, start: int, end: int, head: Token,
                evaluative: dict[str, str] | None = None) -> Issue | None:
    evaluative = evaluative or {}
    if head.pos_ != "NOUN" or head.ent_type_:
        return None
    def names_issue(token: Token) -> bool:
        """Modifiers that say which issue it is ("nuclear deal"), not how good it is; never
        the end of a hyphenated word whose start modifies something else ("long-term")."""
        word = token.lemma_.lower()
        if token.i >= 2 and doc[token.i - 1].text == "-" and not doc[token.i - 2].whitespace_ \
                and not names_issue(doc[token.i - 2]) and not joined(token):
            return False
        return token.head.i == head.i and token.dep_ in ("compound", "amod") and \
            word not in _VAGUE and word not in _JUDGING_WORDS and word not in evaluative

    def joined(token: Token) -> bool:
        """"two-state", "opposition-controlled": a number or noun hyphened onto a modifier
        is part of its word ("long-term" says how long, and is left out)."""
        start = doc[token.i - 2]
        return start.head.i == token.i and start.pos_ in ("NUM", "NOUN", "PROPN")

    words = [t for t in doc[start:end] if t.i == head.i or names_issue(t)]
    words = sorted({w for t in words for w in (
        [doc[t.i - 2], doc[t.i - 1], t] if t.i != head.i and t.i >= 2 + start
        and doc[t.i - 1].text == "-" and joined(t) else [t])}, key=lambda t: t.i)
    label = ""
    for n, t in enumerate(words):
        if n and (t.i != words[n - 1].i + 1 or words[n - 1].whitespace_):
            label += " "  # "anti-terror measure" stays one word
        label += t.lower_ if t.i != head.i else _lemma(t)
    return Issue(label=label, patterns=(label,), anaphors=())


def _is_alleged(event: Event, by_trigger: dict[int, Frame], lexicon: Lexicon) -> bool:
    """An act someone is accused of is no stance its agent has taken."""
    accuser = by_trigger.get(event.attribution) if event.attribution is not None else None
    entry = lexicon.verbs.get(accuser.lemma) if accuser is not None else None
    return entry is not None and entry.predicate == "accuse"


def _issue_of(target: Target, doc: Doc, issues: list[IssueMention],
              lexicon: Lexicon) -> Issue | None:
    """The issue a stance is on: a lexicon issue named in the thing, else the thing itself
    as an issue of its own, never a generic noun ("the decision", "the move")."""
    return _signed_issue(target, doc, issues, lexicon)[0]


def _signed_issue(target: Target, doc: Doc, issues: list[IssueMention],
                  lexicon: Lexicon) -> tuple[Issue | None, bool]:
    """``_issue_of``, and whether the stance turns over on the way: "called for the lifting
    of the embargo" is a stance on the lifting, and so the opposite one on the embargo."""
    flip = False
    mention = issue_in(doc[target.start:target.end], issues)
    if mention is not None and not (target.is_clause and target.head is not None and
                                    _inside_another_act(doc[mention.start:mention.end],
                                                        doc[target.head], lexicon)):
        if target.head is not None and not target.is_clause and mention.start > target.head:
            # "the lifting of the arms embargo": against what is lifted
            entry = lexicon.event_nouns.get(doc[target.head].lemma_.lower())
            flip = entry is not None and entry.stance == "oppose"
        return mention.issue, flip
    if target.is_clause and target.head is not None:
        return _act_issue(doc[target.head], lexicon), flip
    if target.actor is not None or target.end - target.start > (
            10 if target.head is not None else 6):
        return None, flip
    head = doc[target.end - 1]
    if head.pos_ != "NOUN":  # "the embargo to be lifted": the noun inside the clause
        head = next((t for t in doc[target.start:target.end] if t.pos_ == "NOUN"), head)
    if head.i != target.start and target.head is not None and target.head < head.i:
        head = doc[target.head]  # "advocacy of gay rights": the phrase's own head
        entry = lexicon.event_nouns.get(head.lemma_.lower())
        if entry is not None and (entry.stance in ("support", "oppose") or (
                lexicon.predicates[entry.predicate].sign >= 0
                and entry.predicate not in REMOVING)):
            # an act's noun names no issue; what it is of or for does, with the stance
            # turned by the noun's own ("advocacy of gay rights": for them; "the lifting of
            # the embargo": against it; "the declaration of martial law": the law's). Not
            # through a hostile or removing act: "condemned the attack on peacekeepers" is
            # not against the peacekeepers, "backed the withdrawal of troops" not for them
            inner = next((o for c in head.children if c.dep_ == "prep" and c.lower_ in (
                "of", "for", "to", "on") for o in c.children if o.dep_ == "pobj"), None)
            if inner is not None and not inner.ent_type_:
                head, flip = inner, entry.stance == "oppose"
    if head.lemma_.lower() in GENERIC_NOUNS:
        # "the decision by India and Pakistan to open a bus link": the act decided on
        act = next((c for c in head.children if c.dep_ == "acl" and c.tag_ == "VB"), None)
        if act is not None:
            return _act_issue(act, lexicon), flip
    if head.lemma_.lower() in lexicon.evaluative and not any(
            c.dep_ in ("amod", "compound") for c in head.children):
        return None, flip  # "his failure", "the disgrace": a judgement, not what it judges
    if head.lemma_.lower() in GENERIC_NOUNS and all(
            c.ent_type_ in ("NORP", "GPE") for c in head.children
            if c.dep_ in ("amod", "compound")):
        return None, flip  # "the American decision": whose, not which; it points back
    issue = _noun_issue(doc, target.start, head.i + 1, head, lexicon.evaluative)
    if issue is not None and issue.label not in GENERIC_NOUNS:
        return issue, flip
    return None, flip


def _inside_another_act(mention: Span, head: Token, lexicon: Lexicon) -> bool:
    """Whether an issue named in a clause is named inside another act of it: "threatened
    to block Sweden's bid to join NATO" is no stance for NATO's enlargement, whose sign
    the acts between ("block", "bid") decide (see ``kg.extract.relations._claims``)."""
    for node in mention.root.ancestors:
        if node.i == head.i:
            return False
        if node.pos_ in ("VERB", "AUX") or node.lemma_.lower() in lexicon.event_nouns:
            return True
    return False


def _is_pointable(target: Target, doc: Doc, issues: list[IssueMention],
                  lexicon: Lexicon) -> bool:
    """Whether "the move" or "the plan" can point back to this target: an issue of the
    lexicon, an act, or a noun naming one ("the sanctions"), not a thing such as "eight
    drones" that was only acted on."""
    if target.is_clause or issue_in(doc[target.start:target.end], issues) is not None:
        return True
    head = doc[target.head] if target.head is not None else doc[target.end - 1]
    lemma = head.lemma_.lower()
    return lemma in lexicon.event_nouns or lemma in POINTING_NOUNS


class _Named(NamedTuple):
    """An issue a stance was taken on, for "the move" or "the plan" to point back to."""

    start: int
    issue: Issue
    polarity: str
    noun: str  # the head noun lemma of what named it
    predicate: str  # the class of the event that took the stance


# what a thing pointer may point back to: the nouns, or the classes of the acts, that name
# such a thing ("Iran rejected the proposal" points to a proposal, not to the sanctions
# named just before)
THING_POINTERS = {
    "plan": ({"plan", "proposal", "scheme", "initiative", "system", "shield"},
             {"propose", "offer", "deploy"}),
    "proposal": ({"plan", "proposal", "offer", "initiative", "idea"}, {"propose", "offer"}),
    "idea": ({"plan", "proposal", "offer", "initiative", "idea"}, {"propose", "offer"}),
    "initiative": ({"plan", "proposal", "initiative"}, {"propose", "offer"}),
    "deal": ({"deal", "agreement", "accord", "pact", "treaty"}, {"agree"}),
    "agreement": ({"deal", "agreement", "accord", "pact", "treaty"}, {"agree"}),
    "measure": ({"measure", "sanction", "law", "bill", "ban", "restriction", "embargo",
                 "legislation", "tariff", "detention", "policy", "rule", "regulation",
                 "power", "order", "decree", "curfew", "control"}, {"sanction", "coerce"}),
}


def _pointed_issue(target: Target, doc: Doc,
                   recent: list[_Named]) -> tuple[Issue, str] | None:
    """"Kashmiri politicians welcomed the move": a definite generic noun points back to the
    issue last named, within a few sentences; with the stance of the act that named it
    (welcoming a move against something is being against it too)."""
    if target.head is None or target.actor is not None:
        return None
    head = doc[target.head]
    if head.lemma_.lower() not in POINTING_NOUNS or not any(
            c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children):
        return None
    earlier = [entry for entry in recent if entry.start < head.i]
    kind = THING_POINTERS.get(head.lemma_.lower())
    if kind is not None:
        nouns, predicates = kind
        earlier = [e for e in earlier if e.noun in nouns or e.predicate in predicates]
    if not earlier:
        return None
    start, issue, polarity = earlier[-1][:3]
    if sentence_number(head) - sentence_number(doc[start]) > POINTER_WINDOW:
        return None
    return issue, polarity


def _act_issue(verb: Token, lexicon: Lexicon) -> Issue | None:
    """An act as an issue: its verb, particle and object noun ("step down", "lift
    embargo"), in lemmas, so the same act is one concept across articles."""
    if any(c.dep_ == "dobj" and c.pos_ in ("PROPN", "PRON") for c in verb.children):
        return None  # "his intention to resist Obama": an act on someone, not an issue
    entry = lexicon.verbs.get(verb.lemma_.lower())
    if entry is not None and entry.predicate in ("reject", "support") and any(
            c.dep_ == "dobj" for c in verb.children):
        # "threatened to block Sweden's bid", "refused to back the aid package": the stance
        # is on the bid or the package, said as such; "block bid" is no issue of its own
        return None
    words = [verb.lemma_.lower()]
    words += [c.lower_ for c in verb.children if c.dep_ == "prt"]
    for noun in [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")
                 and c.pos_ == "NOUN"][:1]:
        words += [m.lower_ for m in noun.lefts if m.dep_ == "compound" and m.pos_ == "NOUN"]
        words.append(_lemma(noun))
    if words[0] in ("be", "have", "do", "make", "get", "go", "take") or \
            words[0] in lexicon.stance_verbs or words[0] in lexicon.speech_verbs:
        return None  # "want ...", "say ...": an attitude or a report, not an act
    if len(words) == 1 and words[0] not in lexicon.verbs:
        return None  # "pledged to work towards", "wanting the ban lifted": no act named
    label = " ".join(words)
    return Issue(label=label, patterns=(label,), anaphors=())


# nouns whose owner is for the act their infinitive names ("the decision by India and
# Pakistan to open a bus link", "Seoul's determination to resume talks")
INTENT_NOUNS = frozenset({"decision", "intention", "determination", "readiness",
                          "willingness", "resolve", "desire", "wish", "aim", "goal",
                          "ambition", "eagerness"})


def _intentions(doc: Doc, frames: list[Frame], issues: list[IssueMention], cast: Cast,
                lexicon: Lexicon) -> list[Stance]:
    by_trigger = {f.trigger: f for f in frames}
    found = []
    for noun in tokens(doc):
        if noun.pos_ != "NOUN" or noun.lemma_.lower() not in INTENT_NOUNS:
            continue
        act = next((c for c in noun.children if c.dep_ == "acl" and c.tag_ == "VB"), None)
        if act is None:
            continue
        owners = [c for c in noun.children if c.dep_ in ("poss", "compound")]
        owners += [o for c in noun.children if c.dep_ == "prep" and c.lower_ == "by"
                   for o in c.children if o.dep_ == "pobj"]
        owners += [t for o in owners for t in o.conjuncts]
        holders = list(dict.fromkeys(k for o in owners for k in [cast.actor_of(o)] if k))
        issue = _act_issue(act, lexicon)
        if not holders or issue is None:
            continue
        polarity = "oppose" if act.i in by_trigger and by_trigger[act.i].is_negated or \
            any(c.dep_ == "neg" for c in act.children) else "support"
        found += [Stance(holder=key, issue=issue, polarity=polarity, time=None,
                         basis=f"intention: {noun.text} to {act.text}", token=noun.i)
                  for key in holders]
    return found


def _for_or_against(doc: Doc, issues: list[IssueMention], cast: Cast,
                    lexicon: Lexicon) -> list[Stance]:
    """"he was strongly against the tax increase", "Oslo is in favour of talks": being for
    or against something is a stance on it."""
    found = []
    for copula in tokens(doc):
        if copula.lemma_.lower() not in ("be", "remain", "stay") or copula.pos_ not in (
                "AUX", "VERB"):
            continue
        holders = [k for c in copula.children if c.dep_ in ("nsubj", "nsubjpass")
                   for k in [cast.actor_of(c)] if k]
        if not holders:
            continue
        for prep in copula.children:
            if prep.dep_ != "prep":
                continue
            word, objects = prep.lower_, [o for o in prep.children if o.dep_ == "pobj"]
            if word == "in" and objects and objects[0].lemma_.lower() in ("favour", "favor"):
                word = "for"  # "in favour of the plan"
                objects = [o for c in objects[0].children if c.dep_ == "prep"
                           and c.lower_ == "of" for o in c.children if o.dep_ == "pobj"]
            if word not in ("against", "for") or not objects:
                continue
            polarity = "oppose" if word == "against" else "support"
            if any(c.dep_ == "neg" for c in copula.children):
                polarity = _flip(polarity)
            found += _stances_on(objects[0], holders, polarity, copula,
                                 f"stance: {copula.text} {prep.text}", issues, lexicon)
    return found


def _stances_on(what: Token, holders: list[str], polarity: str, token: Token, basis: str,
                issues: list[IssueMention], lexicon: Lexicon) -> list[Stance]:
    """Each holder's stance on the noun phrase ``what`` heads, when it names an issue."""
    target = Target(start=what.left_edge.i, end=what.i + 1, label=what.text, head=what.i)
    issue = _issue_of(target, what.doc, issues, lexicon)
    if issue is None:
        return []
    return [Stance(holder=key, issue=issue, polarity=polarity, time=None, basis=basis,
                   token=token.i) for key in holders]


# nouns for one who takes a side: "a supporter of the plan", "a fierce critic of the deal"
STANCE_AGENTS = {"supporter": "support", "backer": "support", "advocate": "support",
                 "proponent": "support", "champion": "support", "defender": "support",
                 "opponent": "oppose", "critic": "oppose", "foe": "oppose",
                 "sceptic": "oppose", "skeptic": "oppose"}


def _stance_agents(doc: Doc, issues: list[IssueMention], cast: Cast,
                   lexicon: Lexicon) -> list[Stance]:
    """"Spain remains a firm supporter of the two-state solution", "Merkel, a staunch
    opponent of the pipeline,": the one the noun describes is for or against what it is
    "of"."""
    found = []
    for noun in tokens(doc):
        polarity = STANCE_AGENTS.get(noun.lemma_.lower())
        if polarity is None or noun.pos_ != "NOUN":
            continue
        copula = noun.head
        if noun.dep_ == "attr" and copula.lemma_.lower() in ("be", "remain", "become"):
            described = [c for c in copula.children if c.dep_ in ("nsubj", "nsubjpass")]
            if any(c.dep_ == "neg" for c in copula.children):
                polarity = _flip(polarity)
        elif noun.dep_ == "appos":
            described = [noun.head]
        else:
            continue
        holders = [k for c in described for k in [cast.actor_of(c)] if k]
        what = next((o for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"
                     for o in c.children if o.dep_ == "pobj"), None)
        if not holders or what is None or cast.actor_of(what):
            continue
        found += _stances_on(what, holders, polarity, noun, f"stance: {noun.text} of {what.text}",
                             issues, lexicon)
    return found


def _bare_attitude(doc: Doc, frame: Frame, issues: list[IssueMention], cast: Cast,
                   lexicon: Lexicon) -> list[Stance]:
    """"members of Congress, who remain implacably opposed": an attitude with nothing it is
    towards is towards the issue its sentence names."""
    entry = lexicon.adjectives.get(frame.lemma)
    if entry is None or entry.stance is None or frame.clause is not None or frame.obliques:
        return []
    holders = _holders(doc, frame, cast)
    start, end = frame.sentence
    named = [m for m in issues if start <= m.start < end and not m.is_anaphor]
    if not holders or not named:
        return []
    mention = min(named, key=lambda m: abs(m.start - frame.trigger))
    polarity = entry.stance if not frame.is_negated else _flip(entry.stance)
    return [Stance(holder=key, issue=mention.issue, polarity=polarity, time=frame.time,
                   basis=f"attitude: {doc[frame.trigger].text}", token=frame.trigger)
            for key in holders]


def _stance_verb(doc: Doc, frame: Frame, polarity: str, issues: list[IssueMention],
                 cast: Cast, lexicon: Lexicon) -> list[Stance]:
    """"Moscow fears a missile shield", "Bush wants a new accord to replace the treaty"."""
    holders = _holders(doc, frame, cast)
    if not holders:
        return []
    for i in [*frame.patients, *([frame.clause] if frame.clause is not None else [])]:
        child = doc[i]
        span = doc[child.left_edge.i:child.right_edge.i + 1]
        mention = issue_in(span, issues)
        if mention is None:
            continue
        # "wants a new accord to replace the treaty": the stance on the treaty is the
        # embedded verb's
        inner = _embedded_polarity(span, mention, lexicon)
        final = inner if inner is not None and polarity == "support" else polarity
        if frame.is_negated:
            final = _flip(final)
        return [Stance(holder=key, issue=mention.issue, polarity=final, time=frame.time,
                       basis=f"stance: {doc[frame.trigger].text}", token=frame.trigger)
                for key in holders]
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


# nouns that, denied, dismiss what they are for: "there is no need for a formula"
_NEED_NOUNS = frozenset({"need", "reason", "call", "case", "place", "room", "point", "demand"})


def _no_need(doc: Doc, frame: Frame, issues: list[IssueMention], cast: Cast,
             lexicon: Lexicon) -> list[Stance]:
    """"said there would be no need for a hard and fast formula": the speakers oppose it."""
    if frame.clause is None:
        return []
    speakers = _holders(doc, frame, cast)
    for token in doc[frame.clause].subtree:
        if token.lemma_.lower() not in _NEED_NOUNS or token.pos_ != "NOUN" or \
                not any(c.dep_ == "det" and c.lower_ == "no" for c in token.children):
            continue
        for prep in token.children:
            if prep.dep_ != "prep" or prep.lower_ != "for":
                continue
            for obj in prep.children:
                if obj.dep_ != "pobj" or cast.actor_of(obj):
                    continue
                target = Target(start=obj.left_edge.i, end=obj.i + 1, label=obj.text)
                issue = _issue_of(target, doc, issues, lexicon)
                if issue is not None:
                    return [Stance(holder=key, issue=issue, polarity="oppose", time=frame.time,
                                   basis=f"reported: no {token.text} for {obj.text}",
                                   token=frame.trigger) for key in speakers]
    return []


def _reported_denial(doc: Doc, frame: Frame, frames: list[Frame], issues: list[IssueMention],
                     cast: Cast, lexicon: Lexicon) -> list[Stance]:
    """"officials say there is no need to deploy interceptors": the speakers oppose the
    deployment a reported clause denies, when that act names no actor of its own."""
    speakers = _holders(doc, frame, cast)
    if not speakers:
        return []
    for inner in frames:
        if inner.attribution != frame.trigger or inner.kind != "verb" or not inner.is_negated:
            continue
        entry = lexicon.verbs.get(inner.lemma)
        if entry is None or lexicon.stance_of(entry.predicate) != "support":
            continue
        if _holders(doc, inner, cast):
            continue  # the act has its own actor: an event, not the speaker's stance
        token = doc[inner.trigger]
        mention = issue_in(doc[token.i:token.right_edge.i + 1], issues)
        if mention is not None:
            return [Stance(holder=key, issue=mention.issue, polarity="oppose", time=frame.time,
                           basis=f"reported: {doc[frame.trigger].text} ... {token.text}",
                           token=frame.trigger) for key in speakers]
    return []
