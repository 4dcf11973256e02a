"""Find events between actors: who did what (predicate) to whom or what.

Events are read off frames (kg/extract/frames.py), never off the parse directly. A frame
becomes an event when the lexicon types it:
- a verb with its object noun ("imposed sanctions", "restored ties": kg/data/phrases.tsv),
- a verb with its particle or preposition ("pull out", "call for") or alone
  (kg/data/verbs.tsv),
- an event noun an actor owns ("Putin's offer", "EU sanctions on", "held talks with":
  kg/data/event_nouns.tsv),
- a predicative adjective ("ready to talk", "critical of": kg/data/adjectives.tsv),
- a judgement ("called the move illegal", "said the plan was dangerous": kg/data/
  evaluative.tsv), which accuses or supports what it judges;
and at least one agent refers to an actor. The class's properties (kg/data/predicates.tsv)
say which prepositions bring its target and whether it is symmetric; what the event acts on
is then the actor it targets ("sanctions on Russia"), its object ("supply arms"), the
preposition's object ("travel to"), or the clause it takes ("offered to join the system").
Speech is an event too: telling someone something is a "say" event addressed to them, and
what a speaker reports is an event of whoever the reported clause names.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Container
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from kg.extract.frames import DEPARTURE_VERBS, NECESSITY, TIME_NOUNS, Frame, evaluation_of
from kg.extract.modality import CONDITION_MARKS, MODAL_HYPOTHETICAL, MODAL_PLANNED
from kg.extract.issues import IssueMention, issue_in
from kg.extract.spans import doc_text, entity_of, inside_quotes, sentence_number, sentence_of
from kg.lexicon import Lexicon
from kg.mentions import Mention
from kg.resolve import Cast, cataphor

WH_WORDS = frozenset({"which", "that", "who", "whom"})
PLACE_PREPS = frozenset({"in", "at", "inside", "near"})
RECIPIENT_PREPS = frozenset({"to", "for"})
# prepositions that may bring what a stance-taking verb is about when its class lists none
FALLBACK_PREPS = frozenset({"as", "of", "about", "over", "against", "to", "for", "on", "with",
                            "into", "at"})
# prepositions that name what an attitude is about ("concern over", "regret at")
TOPIC_PREPS = ("about", "over", "at", "regarding", "into", "with", "on")
# classes whose "to" phrase names who receives, not what is acted on ("offered aid to")
RECEIVING = frozenset({"offer", "propose", "aid", "request", "concede", "say", "support",
                       "deploy", "threaten"})
# speech verbs whose object is the one addressed ("told parliament", "briefed allies")
ADDRESSING = frozenset({"tell", "inform", "brief", "assure", "notify", "remind", "warn",
                        "reassure", "advise", "address"})
PRONOUN_THINGS = frozenset({"it", "this", "that", "what", "which", "something", "anything",
                            "nothing", "everything", "one", "those", "these", "them", "they",
                            "he", "she", "him", "her", "us", "we", "i", "you", "me", "itself",
                            "themselves", "himself", "herself", "who", "whom", "all", "some",
                            "whatever", "whoever", "there"})
LABEL_STOPS = frozenset({"--", "—", "–", "(", ";", ":"})
EXCLUDED_IN_LABEL = frozenset({"relcl", "acl", "appos", "punct", "cc", "conj", "advcl",
                               "parataxis", "mark", "advmod", "nsubj", "aux", "neg"})
MAX_LABEL_TOKENS = 12
# nouns that say nothing about which thing they are: never an issue of their own, and not
# what a judgement is about ("it is an important statement")
GENERIC_NOUNS = frozenset({"decision", "move", "step", "idea", "issue", "matter", "question",
                           "situation", "thing", "way", "statement", "report", "comment",
                           "remark", "press", "news", "case", "point", "fact", "problem",
                           "action", "measure", "effort", "attempt", "position", "view",
                           "stance", "policy", "plan", "proposal", "one", "part", "time",
                           "year", "day", "week", "people", "country", "government",
                           "official", "leader", "side", "party", "group", "world", "lot",
                           "test", "sign", "signal", "development", "result", "outcome"})
PARTITIVES = frozenset({"some", "many", "most", "all", "one", "two", "several", "none", "both",
                        "each", "few", "hundred", "thousand", "dozen", "million", "majority",
                        "number", "group", "member", "part", "half", "rest", "any", "crowd",
                        "score", "ten", "minority", "handful", "bunch"})
# nouns that measure what they are "of": "millions of dollars of aid" is aid
# nouns that name an aspect of the thing they are of: "reaffirmed the ironclad nature of
# the alliance" reaffirms the alliance
ASPECT_NOUNS = frozenset({"nature", "importance", "strength", "value", "spirit", "depth",
                          "significance", "principle"})
MEASURE_NOUNS = frozenset({"dollar", "euro", "pound", "million", "billion", "thousand",
                           "hundred", "ton", "tonne", "barrel", "amount", "package", "batch",
                           "shipment", "consignment", "sum", "kind", "type", "form", "round",
                           "wave", "series", "lot", "dozen", "pair", "set"})
# amounts of money, and the nouns that count them, that news gives "in" what they are
MONEY = frozenset({"dollar", "euro", "pound", "yen", "yuan", "ruble", "rouble", "rupee",
                   "franc", "shekel", "million", "billion", "trillion"})
# nouns whose content is the clause they take: "welcomed the fact that", "denied reports
# that": the clause is what is acted on
CONTENT_NOUNS = frozenset({"fact", "news", "idea", "possibility", "prospect", "suggestion",
                           "claim", "report", "allegation", "notion", "view", "assertion",
                           "charge", "announcement", "statement", "belief", "hope"})
# classes whose object must be an actor: one meets, consults or hosts someone; a topic
# discussed is not a party
ACTOR_OBJECTS = frozenset({"consult"})
# verbs whose coordinated agents act on each other ("exchanged fire", "traded accusations")
RECIPROCAL = frozenset({"exchange", "trade", "swap"})
# CAMEO's "mediate": one mediates a ceasefire as well as between parties
MEDIATE = "045"
# classes whose verb + noun phrase expresses something at someone, rather than hands a
# thing over ("presented the plan to X" offers the plan; "sent X congratulations" praises X)
EXPRESSED = frozenset({"support", "accuse", "threaten", "request", "concede", "say", "reject"})
AMOUNTS = frozenset({"MONEY", "QUANTITY", "CARDINAL"})
# institutions act for the state or body that owns them ("Norway's parliament")
INSTITUTIONS = frozenset({"parliament", "government", "ministry", "cabinet", "army",
                          "military", "police", "court", "congress", "senate", "assembly",
                          "legislature", "administration", "regime", "navy", "embassy",
                          "delegation", "leadership", "authorities", "authority"})
# the press is told things, it is not a party ("told reporters")
PRESS = frozenset({"reporter", "journalist", "correspondent", "editor", "columnist",
                   "interviewer", "press", "medium", "broadcaster"})
# gatherings one addresses as the body they are of ("a joint meeting of Congress")
GATHERINGS = frozenset({"meeting", "session", "sitting", "gathering", "assembly"})
# bodies one addresses: "told the Commons", "told a select committee", "told parliament"
BODIES = frozenset({"parliament", "commons", "committee", "congress", "senate", "assembly",
                    "council", "conference", "chamber", "legislature", "court", "lords",
                    "summit", "convention", "nation"})
# plural nouns for people one can meet as a party ("talks with his counterparts")
# bodies and meetings one leaves in protest or defection ("walked out of the talks", "left
# the chamber", "quit the coalition"): leaving them is a retreat, leaving a room is not
FORUMS = frozenset({"chamber", "parliament", "assembly", "session", "talks", "negotiation",
                    "meeting", "summit", "conference", "coalition", "government", "alliance",
                    "bloc", "union", "council", "cabinet", "vote", "hall", "floor"})
# rooms and sittings: one leaves or enters them, one takes no stance on them ("left the
# chamber" is a walkout, not opposition to the chamber)
VENUES = frozenset({"chamber", "hall", "floor", "room", "building", "session", "sitting"})
PEOPLE_NOUNS = frozenset({"counterpart", "leader", "official", "lawmaker", "diplomat", "envoy",
                          "ambassador",
                          "representative", "delegate", "negotiator", "minister", "premier",
                          "legislator", "mediator", "rebel", "protester", "general",
                          # "engage with those governments", "talks with its allies"
                          "government", "authority", "ally", "nation", "country"})
# weapons act for the state that fields them, when they are the subject
WEAPONS = frozenset({"warplane", "jet", "aircraft", "plane", "helicopter", "drone", "tank",
                     "warship", "gunboat", "artillery", "missile", "rocket", "bomber",
                     "fighter", "submarine", "battleship", "destroyer", "frigate"})
# plural nouns that point back to two actors of a kind ("the two leaders", "both sides")
PAIR_NOUNS = {"leader": ("Person",), "president": ("Person",), "man": ("Person",),
              "minister": ("Person",), "country": ("Country",), "nation": ("Country",),
              "government": ("Country", "Organization"), "side": ("Country", "Organization",
                                                                  "Group", "Person"),
              "neighbour": ("Country",), "neighbor": ("Country",), "state": ("Country",),
              "capital": ("Country",), "party": ("Organization", "Group")}
# words that open an indirect question
WH_CLAUSE = frozenset({"what", "whether", "why", "how", "who", "whom", "which", "where", "if"})
FIRST_PERSON = frozenset({"i", "we", "me", "us", "my", "our"})
# a place is where something happens, never the "it" that is accepted or rejected
PLACE_ENTITIES = frozenset({"GPE", "LOC", "FAC"})
NOT_THINGS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "QUANTITY"})
# light verbs that set an act going: its doer is for it
PURSUING_VERBS = frozenset({"begin", "start", "launch", "file", "open", "resume", "mount",
                            "lodge"})
# nouns that argue for or against what their "for"/"against" phrase names
ARGUMENT_NOUNS = frozenset({"case", "argument", "rationale", "justification"})
# a thing that ends, expires or comes to an end: wanting, urging or promising that is
# against it ("wants the rebate to come to an end", "called for the occupation to end")
ENDING_VERBS = frozenset({"end", "expire", "cease", "lapse", "stop", "finish"})
PLACING = frozenset({"host", "deploy"})  # classes that put forces or weapons somewhere
# verbs of commenting: declining to do so is no comment, not a rejection
COMMENT_VERBS = frozenset({"comment", "elaborate", "discuss", "specify", "disclose", "detail",
                           "speculate", "confirm", "identify", "name", "answer", "respond"})
# verbs of taking part in a gathering, and the gatherings they take part in
ATTENDING = frozenset({"attend"})
GATHERINGS = frozenset({"meeting", "summit", "conference", "talk", "negotiation", "session",
                        "ceremony", "forum", "rally", "inauguration", "funeral", "gathering"})
# verbs of assent: not doing so is refusing
ACCEPTING = frozenset({"accept", "agree", "approve", "endorse", "sign", "ratify", "back",
                       "support", "embrace", "adopt", "tolerate", "allow", "permit"})
NON_AGENTS = frozenset({"Treaty", "Place", "Thing"})
# event nouns that name a thing one can hand over: "presented the plan to X" offers the plan
PROPOSAL_THINGS = frozenset({"plan", "proposal", "initiative", "deal", "agreement", "accord",
                             "resolution", "roadmap", "draft", "package", "offer", "bill"})


@dataclass(slots=True)
class Target:
    """What an event points at: an actor (key) or a thing (label), and where it is."""

    start: int
    end: int
    label: str
    actor: str | None = None
    place: "Target | None" = None  # where the thing is ("a radar station in Azerbaijan")
    is_clause: bool = False  # an act ("to join the system"), not a thing
    head: int | None = None  # the token that heads it


@dataclass(slots=True)
class Event:
    """An event found in a sentence, before it becomes Relation records."""

    trigger: int
    verb: str
    predicate: str
    subjects: list[tuple[str, bool]]  # (actor key, found directly)
    objects: list[Target]
    sentence: Span
    recipient: str | None = None
    place: Target | None = None
    time: str | None = None
    modality: str = "asserted"
    negated: bool = False
    nominal: bool = False
    cameo: str | None = None
    # what the event says its agents stand for or against: (polarity, what), composed
    # through the clauses it embeds ("called for the embargo to be lifted" opposes it)
    claims: list[tuple[str, Target]] = field(default_factory=list)
    kind: str = "verb"
    attribution: int | None = None
    clause: int | None = None  # the trigger of the clause it takes as its object
    # a stance without an act of its own: pledging a hostile act is that act, proposed
    stance_only: bool = False


@dataclass(frozen=True, slots=True)
class _Typing:
    """What the lexicon says a frame is."""

    predicate: str
    cameo: str | None
    verb: str
    preps: tuple[str, ...] = ()
    stance: str | None = None
    patient: int | None = None  # the object noun of a verb + noun phrase


def phrase_label(token: Token) -> tuple[str, int, int]:
    """A readable label for the noun phrase headed by ``token``, and its token span.

    Keeps modifiers and "of"/"for" complements ("the use of a Soviet-built radar
    station"), drops determiners, relative clauses, appositions and other prepositions.
    """
    keep: list[Token] = []

    def excluded(child: Token) -> bool:
        if child.is_space:
            return True  # the blank lines after a headline
        if child.dep_ == "punct":
            return child.text not in ("-", "–")  # keep "Soviet-built"
        return child.dep_ in EXCLUDED_IN_LABEL

    def walk(node: Token, top: bool) -> None:
        for child in node.lefts:
            if excluded(child) or (top and child.dep_ in ("det", "predet")):
                continue
            if child.dep_ == "poss" and child.pos_ == "PRON":
                continue
            walk(child, False)
        keep.append(node)
        for child in node.rights:
            if excluded(child):
                continue
            if child.dep_ == "prep" and not (top and child.lower_ in ("of", "for", "on")) and \
                    not (top and child.lower_ == "in" and token.ent_type_ in AMOUNTS):
                # ("$1 billion in loan guarantees": an amount is named by what it is in)
                continue
            walk(child, False)

    walk(token, True)
    keep.sort(key=lambda t: t.i)
    keep = keep[:MAX_LABEL_TOKENS]
    while keep and (keep[-1].is_punct or keep[-1].dep_ in ("case", "det")):
        keep.pop()
    parts: list[str] = []
    for n, t in enumerate(keep):
        if n and t.i != keep[n - 1].i + 1 and not parts[-1][-1:].isspace() and any(
                doc_token.whitespace_ for doc_token in t.doc[keep[n - 1].i:t.i]):
            parts.append(" ")  # 'the "ironclad" nature': the quotes dropped, not the space
        parts.append(t.text_with_ws)
    text = "".join(parts).strip().strip(",;:")
    if not keep:
        return token.text, token.i, token.i + 1
    return text or token.text, keep[0].i, keep[-1].i + 1


def extract_events(doc: Doc, frames: list[Frame], cast: Cast, lexicon: Lexicon,
                   issues: list[IssueMention],
                   quotes: list[tuple[int, int, str]] = ()) -> list[Event]:
    """Every event with at least one actor as its agent, in text order.

    Args:
        quotes: quotations as (start char, end char, speaker key): a judgement inside one
            is its speaker's.
    """
    by_trigger = {frame.trigger: frame for frame in frames}
    events = []
    acts = set()  # triggers of what the lexicon types as events
    for frame in frames:
        if frame.is_asked or frame.is_hearsay:
            # "urged Congress to reject the accord": the request is the event; "reports that
            # Iran intends to threaten shipping": the reports are
            continue
        typing = classify(frame, doc, lexicon)
        if typing is None:
            continue
        acts.add(frame.trigger)
        if typing.predicate == "say":
            found = [_speech_event(frame, typing, doc, cast, lexicon, issues, by_trigger),
                     _reported_proposal(frame, doc, cast, issues, lexicon, by_trigger),
                     _reported_violation(frame, doc, cast, lexicon, issues, by_trigger)]
        else:
            found = _event(frame, typing, doc, cast, lexicon, issues, by_trigger, quotes)
        events.extend(e for e in found if e is not None and e.subjects)
    events += _bulleted_demands(doc, cast, lexicon, issues, by_trigger)
    _resolve_it(events, _things(doc, frames, cast, issues))
    for event in events:
        _reciprocal_objects(event, doc, cast)
    for event in events:  # a pronoun nothing resolved names nothing an analyst can use,
        # nor does a date or a number ("his vow on Monday", "persuaded precisely zero")
        if event.objects and all(t.is_clause and not _says_what(t, doc, acts)
                                 for t in event.objects):
            # "wanted it to end": no object to show, but the stance stands
            event.stance_only = True
            continue
        event.objects = [t for t in event.objects
                         if t.actor or (t.is_clause and _says_what(t, doc, acts)) or (
                             not t.is_clause and t.label.lower() not in PRONOUN_THINGS
                             and doc[t.head if t.head is not None else t.end - 1].ent_type_
                             not in NOT_THINGS)]
    return _drop_echoes([e for e in events if e.objects], lexicon.signs)


def _reciprocal_objects(event: Event, doc: Doc, cast: Cast) -> None:
    """"Both sides accused each other": each subject acts on the others (an actor acting
    on itself is dropped when records are made); with one subject, "each other" names no
    one."""
    mutual = [t for t in event.objects if t.actor is None and t.end - t.start <= 2
              and doc[t.end - 1].lower_ in ("other", "another")
              and (doc[t.start].lower_ in ("each", "one")
                   or t.start > 0 and doc[t.start - 1].lower_ in ("each", "one"))]
    if not mutual:
        return
    event.objects = [t for t in event.objects if t not in mutual]
    if len(event.subjects) > 1:
        span = mutual[0]
        event.objects += [Target(start=span.start, end=span.end,
                                 label=cast.members[key].label, actor=key)
                          for key, _ in event.subjects]


def _says_what(clause: Target, doc: Doc, triggers: Container[int]) -> bool:
    """Whether a clause as an object names anything: "do so", "do what's necessary", "keep
    trying", "allow it to slip away" stand in for an act the text names elsewhere, if at all;
    "that it would retaliate" names an act (a frame's trigger)."""
    words = doc[clause.start:clause.end]
    head = doc[clause.head] if clause.head is not None else words.root
    return head.lemma_.lower() != "do" and any(
        t.pos_ in ("NOUN", "PROPN", "NUM") and t.lower_ not in PRONOUN_THINGS
        or t.i in triggers for t in words)


def classify(frame: Frame, doc: Doc, lexicon: Lexicon) -> _Typing | None:
    """The event class of a frame, from the lexicon, or None when it is not an event."""
    typing = _classify(frame, doc, lexicon)
    if typing is not None and typing.predicate == "reject" and frame.clause is not None and \
            _is_comment(doc[frame.clause], lexicon):
        return None  # "declined to discuss specifics": no comment (CAMEO 011), no rejection
    return typing


def _is_comment(verb: Token, lexicon: Lexicon) -> bool:
    """"comment", "elaborate", "say", "discuss specifics": speaking about, with no party."""
    lemma = verb.lemma_.lower()
    entry = lexicon.verbs.get(lemma)
    speaks = lemma in COMMENT_VERBS or entry is not None and (
        entry.is_speech or entry.predicate == "say")
    return speaks and not any(c.dep_ == "prep" and c.lower_ == "with" for c in verb.children)


def _classify(frame: Frame, doc: Doc, lexicon: Lexicon) -> _Typing | None:
    token = doc[frame.trigger]
    if frame.kind == "judgement" and frame.clause is not None and \
            doc[frame.complement].lemma_.lower() in NECESSITY:
        # "it is essential that Britain keeps the rebate": an appeal (CAMEO 020)
        return _Typing(predicate="request", cameo="020",
                       verb=f"{token.text} {doc[frame.complement].text}")
    if frame.kind in ("judgement", "attribute"):
        polarity = evaluation_of(doc[frame.complement], lexicon) if frame.complement is not \
            None else None
        if polarity is None:
            return None
        if token.dep_ == "ccomp" and token.head.pos_ == "ADJ" and any(
                c.dep_ == "neg" for c in token.head.children):
            return None  # "not satisfied the mechanisms are robust" judges them not robust
        if frame.is_negated:
            polarity = "oppose" if polarity == "support" else "support"
        predicate, cameo = ("support", "051") if polarity == "support" else ("accuse", "111")
        own = lexicon.verbs.get(frame.lemma)
        if own is not None and lexicon.predicates[own.predicate].stance == polarity:
            # "dismissed the allegations as baseless" rejects them; "hailed it as historic"
            predicate, cameo = own.predicate, own.cameo
        return _Typing(predicate=predicate, cameo=cameo,
                       verb=f"{token.text} ... {doc[frame.complement].text}", stance=polarity)
    if frame.kind == "adjective":
        entry = lexicon.adjectives.get(frame.lemma)
        if entry is None:
            return None
        return _Typing(predicate=entry.predicate, cameo=entry.cameo, verb=token.text,
                       preps=entry.preps, stance=entry.stance)
    if frame.kind == "noun":
        entry = lexicon.event_nouns.get(frame.lemma)
        if entry is None:
            return None
        if token.dep_ in ("dobj", "nsubjpass") and \
                (token.head.lemma_.lower(), frame.lemma) in lexicon.phrases:
            return None  # "lifted the sanctions": the verb + noun phrase says what happened
        verb = token.text if frame.light is None else f"{doc[frame.light].text} {token.text}"
        return _Typing(predicate=entry.predicate, cameo=entry.cameo, verb=verb,
                       preps=entry.preps, stance=entry.stance)
    return _verb_typing(frame, token, lexicon)


def _verb_typing(frame: Frame, token: Token, lexicon: Lexicon) -> _Typing | None:
    lemma = frame.lemma
    doc = token.doc
    if token.i >= 2 and doc[token.i - 1].text == "-" and not doc[token.i - 1].whitespace_:
        # "test-fired", "re-aim": the prefixed verb is its own word, before any phrase
        joined = f"{doc[token.i - 2].lower_}-{lemma}"
        entry = lexicon.verbs.get(joined)
        if entry is not None:
            return _Typing(predicate=entry.predicate, cameo=entry.cameo,
                           verb=f"{doc[token.i - 2].text}-{token.text}", preps=entry.preps)
    verbs = [lemma]
    if frame.particle:
        verbs.insert(0, f"{lemma} {frame.particle}")
    for first in frame.patients[:1]:
        # "gives hundreds of millions of dollars of aid": the partitive's whole decides
        nouns = [doc[first]]
        while (whole := _of_whole(nouns[-1])) is not None and len(nouns) < 5:
            nouns.append(whole)
        # "lifted the martial law order", "eased the sanctions regime": a noun compound's
        # modifier names the thing when its head names only the instrument
        nouns += [c for noun in nouns[:1] for c in reversed(list(noun.lefts))
                  if c.dep_ == "compound" and c.pos_ == "NOUN"]
        for patient in nouns:
            noun = patient.lemma_.lower()
            for verb in verbs:
                phrase = lexicon.phrases.get((verb, noun))
                if phrase is not None:
                    return _Typing(predicate=phrase.predicate, cameo=phrase.cameo,
                                   verb=f"{token.text} {patient.text}", stance=phrase.stance,
                                   patient=first)
        if lemma in lexicon.light_verbs and doc[first].lemma_.lower() in lexicon.event_nouns \
                and not (frame.particle and f"{lemma} {frame.particle}" in lexicon.verbs):
            return None  # "made an offer": the noun carries the event ("held back" does not)
    candidates = []
    if frame.particle:
        candidates.append((f"{lemma} {frame.particle}", f"{token.text} {frame.particle}"))
    for prep, _ in frame.obliques:  # "called for", "pulled out of", "met with"
        candidates.append((f"{lemma} {prep.split()[0]}", f"{token.text} {prep.split()[0]}"))
    if token.i >= 2 and doc[token.i - 1].text == "-" and not doc[token.i - 1].whitespace_:
        # "re-aim" is split by the tokenizer into "re", "-", "aim"
        candidates.append((f"{doc[token.i - 2].lower_}-{lemma}",
                           f"{doc[token.i - 2].text}-{token.text}"))
    if lemma in DEPARTURE_VERBS and frame.oblique("for"):
        entry = lexicon.verbs.get("travel")  # "left Washington for Poland": a journey
        if entry is not None:
            return _Typing(predicate="travel", cameo=entry.cameo, verb=f"{token.text} for",
                           preps=("for",))
    candidates += [(lemma, token.text), (token.lower_, token.text)]
    candidates += [(c, token.text) for c in _uninflected(token.lower_)] if "-" in \
        token.lower_ else []
    for key, verb in candidates:
        entry = lexicon.verbs.get(key)
        if entry is not None and entry.control in ("other", "actor") and \
                not _names_other_doer(frame, doc):
            return None
        if entry is not None:
            return _Typing(predicate=entry.predicate, cameo=entry.cameo, verb=verb,
                           preps=entry.preps + tuple(p for p in key.split()[1:]
                                                     if p not in entry.preps))
    return None


def _names_other_doer(frame: Frame, doc: Doc) -> bool:
    """Whether the clause a verb takes has a doer of its own: an object ("wants NATO to
    halt") or a subject ("wants the rebate to come to an end")."""
    if frame.clause is None:
        return False
    return bool(frame.patients) or any(c.dep_ in ("nsubj", "nsubjpass") and not (
        frame.agents and _same_referent(c, doc[frame.agents[0]]))
        for c in doc[frame.clause].children)


def _same_referent(pronoun: Token, agent: Token) -> bool:
    """"the United States hopes that it can finish", "Blair hopes he will win": a pronoun
    that fits the subject above is that subject (one's own aim, no demand)."""
    word = pronoun.lower_
    if pronoun.pos_ != "PRON" or _says_ending(pronoun.head):
        return False  # "wanted it to end" is against it
    if word in ("he", "she"):
        return agent.ent_type_ == "PERSON"
    if word == "it":
        return agent.ent_type_ in ("GPE", "ORG", "NORP") or agent.tag_ == "NN"
    return word in ("we", "they") and agent.ent_type_ in ("GPE", "ORG", "NORP")


def _uninflected(word: str) -> list[str]:
    """The lemmatizer does not know "re-targeting": strip the inflection ourselves."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            stem = word[:-len(suffix)]
            return [stem, stem + "e", stem[:-1] if stem[-1:] == stem[-2:-1] else stem]
    return [word]


def _event(frame: Frame, typing: _Typing, doc: Doc, cast: Cast, lexicon: Lexicon,
           issues: list[IssueMention], by_trigger: dict[int, Frame],
           quotes: list[tuple[int, int, str]]) -> list[Event]:
    subjects = _agents(frame, doc, cast, lexicon, by_trigger, quotes)
    if not subjects:
        return []
    klass = lexicon.predicates[typing.predicate]
    objects, recipient = _objects(frame, typing, klass.target_preps, klass.is_symmetric,
                                  doc, cast, lexicon, issues)
    objects = [o for t in objects for o in _coordinated_complements(t, doc, cast, lexicon,
                                                                      issues)]
    # "they would be willing to host them": an object pronoun is never its own clause's
    # subject, so it points to a thing ("them" are the interceptors), found later
    agents = {k for k, _ in subjects}
    objects = [Target(start=t.start, end=t.end, label=doc[t.start].text)
               if t.actor in agents and doc[t.start].pos_ == "PRON" else t for t in objects]
    if recipient in agents:  # "requested travel bans for them": not for the ministry itself
        recipient = None
    if klass.is_symmetric and len(agents) > 1:
        # "the talks between Russia and Ukraine": the parties are the agents, paired below
        objects = [t for t in objects if t.actor not in agents]
    pairs: list[tuple[list[tuple[str, bool]], list[Target]]] = [(subjects, objects)]
    if len(subjects) > 1 and frame.lemma in RECIPROCAL and typing.patient is not None:
        objects = []  # "Indian and Pakistani troops exchanged fire": at each other
    if not objects and (klass.is_symmetric or frame.lemma in RECIPROCAL) and len(subjects) > 1:
        # "Bush, Putin and Blair met": every pair once, in the order the text names them
        pairs = [([subject], [Target(start=0, end=1, label=cast.members[k].label, actor=k)
                              for k, _ in subjects[n + 1:]])
                 for n, subject in enumerate(subjects[:-1])]
    if not pairs[0][1]:
        return []  # an event with nothing acted on tells an analyst little
    return [_make_event(frame, typing, doc, cast, lexicon, issues, by_trigger, s, o,
                        recipient) for s, o in pairs]


def _make_event(frame: Frame, typing: _Typing, doc: Doc, cast: Cast, lexicon: Lexicon,
                issues: list[IssueMention], by_trigger: dict[int, Frame],
                subjects: list[tuple[str, bool]], objects: list[Target],
                recipient: str | None) -> Event:
    anchor = doc[frame.light] if frame.light is not None else doc[frame.trigger]
    predicate, negated, cameo = typing.predicate, frame.is_negated, typing.cameo
    trigger = doc[frame.trigger]
    if predicate == "travel" and negated and frame.lemma in ATTENDING:
        # "Israel will not attend": declining to meet (CAMEO 125)
        predicate, negated, cameo = "reject", False, "125"
    if predicate == "agree" and negated and frame.kind == "verb" and (
            frame.lemma in ACCEPTING or trigger.dep_ == "pcomp" and trigger.head.lower_ in (
                "against",)):  # "warned against making a bad deal"
        # "did not accept the denials": not accepting is rejecting (CAMEO 12); not reaching
        # a deal, or winning no concessions, is not
        predicate, negated, cameo = "reject", False, "120"
    # what someone is said or accused to have done is reported, not asserted by the text
    modality = "reported" if frame.attribution is not None and \
        frame.modality == "asserted" else frame.modality
    event = Event(trigger=frame.trigger, verb=typing.verb, predicate=predicate,
                  subjects=subjects, objects=objects, sentence=sentence_of(anchor),
                  recipient=recipient, time=frame.time, modality=modality,
                  negated=negated, nominal=frame.kind == "noun",
                  cameo=cameo, kind=frame.kind,
                  attribution=frame.attribution, clause=frame.clause)
    event.place = _place_of(anchor, cast) or next((t.place for t in objects if t.place), None)
    event.claims = _claims(frame, typing, predicate, objects, doc, cast, lexicon, issues,
                           by_trigger)
    return event


def _claims(frame: Frame, typing: _Typing, predicate: str, objects: list[Target], doc: Doc,
            cast: Cast, lexicon: Lexicon, issues: list[IssueMention],
            by_trigger: dict[int, Frame]) -> list[tuple[str, Target]]:
    """Where an event puts its agents: the stance of its class (or of its verb + noun
    phrase) on what it acts on, times the stance of the act it embeds."""
    claims: list[tuple[str, Target]] = []
    polarity = lexicon.predicates[predicate].stance
    if frame.kind == "noun" and frame.light is not None and \
            doc[frame.light].lemma_.lower() in PURSUING_VERBS and predicate == typing.predicate:
        # "began impeachment proceedings", "launched a campaign for": one is for what one
        # sets going
        claims.append(("support", _target(doc[frame.trigger], cast, issues)))
    if predicate != typing.predicate:
        # "did not accept the plan": the stance is rejection, of what the phrase names too
        typing = _Typing(predicate=predicate, cameo=typing.cameo, verb=typing.verb,
                         patient=typing.patient,
                         stance=_compose("oppose", typing.stance) if typing.stance else None)
    if typing.patient is not None and not typing.stance and polarity == "support":
        # "expressed support for the shield", "pledged backing for the plan": the phrase's
        # noun is the act, its class's stance goes to what it is for
        claims += [(polarity, t) for t in objects if t.actor is None and not t.is_clause
                   and t.head != typing.patient]
    elif typing.patient is not None:
        # "lifted the sanctions on Iran": against the sanctions, whatever it does to Iran
        if typing.stance:
            # "lifted some of the sanctions", "reaffirmed the nature of the alliance": the
            # stance is on the whole the phrase names
            noun = doc[typing.patient]
            while (whole := _of_whole(noun)) is not None:
                noun = whole
            claims.append((typing.stance, _target(noun, cast, issues)))
    else:
        polarity = typing.stance or polarity
        if polarity:
            # a stance on an act ("called for the embargo to be lifted") is composed with
            # the act's own below, never read as a stance on the act's first noun
            for target in objects:
                if target.actor is not None or target.is_clause or (
                        target.head is not None and doc[target.head].lemma_.lower() in VENUES):
                    continue
                if polarity == "oppose" and lexicon.predicates[predicate].sign < 0 and \
                        target.head is not None and _names_people(doc[target.head], lexicon):
                    continue  # "barred women from universities": the women are no issue
                argued = _argued(target, doc, cast, lexicon, issues, by_trigger)
                if argued is None:
                    claims.append((polarity, target))
                else:  # "pressed the case for keeping the embargo": for the embargo
                    claims += [(_compose(polarity, p), t) for p, t in argued]
            if polarity == "oppose" and objects and all(t.actor for t in objects):
                # "the policies critics blamed on him": against the policies, as well as
                # him
                claims += [(polarity, _target(doc[i], cast, issues)) for i in frame.patients
                           if doc[i].pos_ == "NOUN" and not cast.actor_of(doc[i])
                           and doc[i].lower_ not in PRONOUN_THINGS]
    acts = [frame.clause] if frame.clause is not None else []
    acts += [t.head for t in objects if t.is_clause and t.head not in acts]
    # "called on the government to practise what it preaches and free or charge the men":
    # every coordinated act
    acts += [c.i for a in list(acts) for c in doc[a].conjuncts if c.i not in acts]
    # one threatens what one would do: "threatened to impose sanctions" is for sanctions
    # (its opposition is to the one threatened)
    polarity = "support" if predicate == "threaten" else polarity
    for act in acts:
        inner = by_trigger.get(act)
        if inner is None:  # "that he will act swiftly to rebuild the partnership"
            inner = next((by_trigger[c.i] for c in doc[act].children
                          if c.dep_ == "xcomp" and c.i in by_trigger), None)
        ending = _ending_thing(doc[act], cast) if polarity else None
        if ending is not None:
            claims.append((_compose(polarity, "oppose"), _target(doc[ending], cast, issues)))
            continue
        if not polarity or inner is None:
            continue
        found = _inner_claims(inner, doc, cast, lexicon, issues, by_trigger)
        if typing.predicate in ("request", "offer", "propose", "agree", "reject", "threaten"):
            # "urged Yoon to step down", "promised to halt all trade": for or against the
            # act itself, besides what the act is for or against
            found.append(("support", _clause_target(doc[act], cast, issues)))
        claims += [(_compose(polarity, p), t) for p, t in found]
    return claims


def _argued(target: Target, doc: Doc, cast: Cast, lexicon: Lexicon, issues: list[IssueMention],
            by_trigger: dict[int, Frame]) -> list[tuple[str, Target]] | None:
    """What "the case for" or "the argument against" something argues, or None when the
    target is no such noun."""
    if target.head is None or doc[target.head].lemma_.lower() not in ARGUMENT_NOUNS:
        return None
    found: list[tuple[str, Target]] = []
    for prep in doc[target.head].children:
        if prep.dep_ != "prep" or prep.lower_ not in ("for", "against"):
            continue
        side = "support" if prep.lower_ == "for" else "oppose"
        for obj in prep.children:
            if obj.dep_ == "pcomp" and obj.i in by_trigger:
                found += [(_compose(side, p), t) for p, t in
                          _inner_claims(by_trigger[obj.i], doc, cast, lexicon, issues,
                                        by_trigger)]
            elif obj.dep_ == "pobj" and obj.pos_ == "NOUN" and not cast.actor_of(obj):
                found.append((side, _target(obj, cast, issues)))
    return found


def _inner_claims(frame: Frame, doc: Doc, cast: Cast, lexicon: Lexicon,
                  issues: list[IssueMention], by_trigger: dict[int, Frame],
                  depth: int = 0) -> list[tuple[str, Target]]:
    """The stance an embedded act takes on its own object, and on what that object
    embeds in turn ("to veto any bid to reduce the rebate": against the bid, and so for
    the rebate), negation included."""
    typing = classify(frame, doc, lexicon)
    if depth > 3:
        return []
    if typing is None and frame.kind == "verb" and frame.lemma in lexicon.stance_verbs:
        # "a bid to reduce the rebate": no event, but a stance on what it acts on
        typing = _Typing(predicate="say", cameo=None, verb=frame.lemma,
                         stance=lexicon.stance_verbs[frame.lemma])
    if typing is None:
        return []
    polarity = typing.stance if typing.stance else lexicon.predicates[typing.predicate].stance
    if polarity is None:
        return []
    if any(c.dep_ == "neg" for c in doc[frame.trigger].children):
        # only its own "not": a verb above that refuses it is the outer stance already
        polarity = _compose("oppose", polarity)
    patient = typing.patient if typing.patient is not None else next(
        (i for i in frame.patients if not cast.actor_of(doc[i])
         and doc[i].lower_ not in PRONOUN_THINGS), None)
    claims: list[tuple[str, Target]] = []
    if patient is not None:
        claims.append((polarity, _target(doc[patient], cast, issues)))
        # "any bid to reduce the rebate": the act the object names
        embedded = [by_trigger[c.i] for c in doc[patient].children
                    if c.dep_ in ("acl", "relcl") and c.i in by_trigger]
        embedded += [by_trigger[patient]] if patient in by_trigger else []
        for inner in embedded:
            if inner.trigger == frame.trigger:
                continue
            claims += [(_compose(polarity, p), t) for p, t in
                       _inner_claims(inner, doc, cast, lexicon, issues, by_trigger, depth + 1)]
    if frame.clause is not None and frame.clause in by_trigger:
        claims += [(_compose(polarity, p), t) for p, t in
                   _inner_claims(by_trigger[frame.clause], doc, cast, lexicon, issues,
                                 by_trigger, depth + 1)]
    return claims


def _says_ending(verb: Token) -> bool:
    """"to end", "to come to an end", "to stop" with nothing stopped: the subject ends."""
    lemma = verb.lemma_.lower()
    return lemma in ENDING_VERBS and not any(c.dep_ in ("dobj", "xcomp")
                                             for c in verb.children) or \
        lemma == "come" and any(p.dep_ == "prep" and p.lower_ == "to" and any(
            o.lemma_.lower() in ("end", "halt", "close") for o in p.children) for p in verb.children)


def _ending_thing(verb: Token, cast: Cast) -> int | None:
    """The thing a subordinate clause says ends ("the rebate to come to an end", "it to
    end", "the occupation to stop"), or None."""
    if not _says_ending(verb) or verb.dep_ not in ("ccomp", "xcomp") and not (
            verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "for"
                                         for c in verb.children)):
        return None
    things = [c.i for c in verb.children if c.dep_ == "nsubj" and not cast.actor_of(c)
              and c.pos_ in ("NOUN", "PROPN", "PRON")]
    return things[0] if things else None


def _compose(outer: str, inner: str) -> str:
    """Support for opposing something is opposition to it; opposing opposition, support."""
    return "support" if outer == inner else "oppose"


def _agents(frame: Frame, doc: Doc, cast: Cast, lexicon: Lexicon,
            by_trigger: dict[int, Frame],
            quotes: list[tuple[int, int, str]]) -> list[tuple[str, bool]]:
    """The actors among a frame's agents; a judgement without one is its reporter's."""
    found: list[tuple[str, bool]] = []
    for i in frame.agents:
        if doc[i].lower_ == "it" and not cast.actor_of(doc[i]) and \
                frame.attribution in by_trigger:
            # "the Palestinian Authority has said that after it joins the court": a state or
            # an organisation reporting on itself
            reporter = by_trigger[frame.attribution]
            found += [(k, False) for j in reporter.agents for k in _actors_of(doc[j], cast, lexicon)
                      if cast.members[k].type in ("Country", "Organization")]
            continue
        if doc[i].lower_ in FIRST_PERSON and doc[i].pos_ == "PRON":  # (not "the US")
            # "we are ready to negotiate," Abbas said: the speaker is who "we" and "I" are
            speaker = next((k for start, end, k in quotes if start <= doc[i].idx < end), None)
            if speaker is not None and speaker in cast.members:
                found.append((speaker, False))
            continue
        token = cataphor(doc[i]) if frame.kind == "noun" else doc[i]
        for key in _actors_of(token, cast, lexicon):
            if cast.members[key].type in NON_AGENTS:
                continue  # "the Iran deal": a treaty or a place names no one who acts
            if key not in [k for k, _ in found]:
                found.append((key, frame.is_agent_direct))
    if not found and frame.is_passive and frame.lemma in ADDRESSING and \
            frame.attribution in by_trigger:
        # "the State Department said Iran has been informed": the reporter informed it
        reporter = by_trigger[frame.attribution]
        return [(k, False) for i in reporter.agents for k in _actors_of(doc[i], cast, lexicon)]
    if found or frame.kind not in ("judgement", "attribute") or frame.agents:
        return found
    # "the deal is a disaster," he said / X said the plan was dangerous: the judge is the
    # speaker of the quotation or of the reporting verb
    idx = doc[frame.trigger].idx
    for start, end, speaker in quotes:
        if start <= idx < end:
            return [(speaker, False)]
    if frame.attribution is not None and frame.attribution in by_trigger:
        speech = by_trigger[frame.attribution]
        if speech.is_negated:
            return []  # "Italy did not say the deal was fair": no one judged it
        return [(k, False) for i in speech.agents for k in _actors_of(doc[i], cast, lexicon)]
    return []


def _actors_of(token: Token, cast: Cast, lexicon: Lexicon) -> list[str]:
    """The actor a role filler refers to; an instrument noun acts for its owner ("the U.S.
    plan would place missiles"); a partitive for its whole ("some of the premiers")."""
    if token.lower_ in ("they", "them", "their") and token.pos_ == "PRON":
        several = _plural_subject(token, cast)
        if several:
            return several
    key = cast.actor_of(token)
    if key:
        return [key]
    pair = _pair_of(token, cast)
    if pair:
        return pair
    members = [k for c in token.children if c.dep_ == "prep" and c.lower_ in ("including",
                                                                             "notably")
               for o in c.children if o.dep_ == "pobj"
               for t in (o, *o.conjuncts) for k in [cast.actor_of(t)] if k]
    if members:
        return members  # "several countries, including France and Germany, criticised"
    if token.lemma_.lower() in lexicon.groups and lexicon.groups[token.lemma_.lower()]:
        # "Indian and Pakistani troops": each state speaks through its own
        states = [k for c in token.children if c.dep_ in ("amod", "compound")
                  for m in (c, *c.conjuncts) for k in [cast.actor_of(m)]
                  if k and cast.members[k].type == "Country"]
        if states:
            return list(dict.fromkeys(states))
    if token.lemma_.lower() in lexicon.groups:
        # "PPP lawmakers left the chamber", "Hamas officials said": members act for their
        # organisation
        bodies = [k for c in token.children if c.dep_ in ("compound", "amod")
                  for k in [cast.actor_of(c)]
                  if k and cast.members[k].type == "Organization"]
        if bodies:
            return bodies[:1]
    if token.tag_ in ("NNPS", "NNS", "NNP") and token.lower_ in lexicon.demonyms and \
            token.lower_.endswith("s"):
        # "the Kuwaitis have approached Moscow": a people named as the actor is its state
        key = _country_of(token, cast)
        if key:
            return [key]
    office = _office_state(token, cast)
    if office:
        return [office]
    if token.lemma_.lower() in WEAPONS:
        # "Turkish warplanes bombed", "Russian missiles struck": the state whose arms they
        # are acts; the weapons themselves stay things (one offers or deploys them)
        for child in token.children:
            key = cast.actor_of(child) or _country_of(child, cast)
            if child.dep_ in ("amod", "compound", "poss") and key:
                return [key]
    whole = partitive_whole(token)
    if whole is not None:
        return _actors_of(whole, cast, lexicon)
    if token.lemma_.lower() in lexicon.instrument_nouns or \
            token.lemma_.lower() in INSTITUTIONS:
        # "the U.S. plan would place missiles", "Norway's parliament approved": a plan or
        # an institution acts for its owner
        for child in token.children:
            if child.dep_ in ("poss", "compound", "amod", "nmod"):
                key = cast.actor_of(child)
                if key:
                    return [key]
    return []


def _last_gathering(doc: Doc, before: int) -> Token | None:
    """The meeting, summit or talks named last before a token, in its sentence or the two
    before it."""
    sentence = sentence_of(doc[before])
    start = sentence.start
    for _ in range(2):
        start = sentence_of(doc[start - 1]).start if start > 0 else start
    return next((doc[i] for i in range(before - 1, start - 1, -1)
                 if doc[i].pos_ == "NOUN" and doc[i].lemma_.lower() in GATHERINGS), None)


def _plural_subject(pronoun: Token, cast: Cast) -> list[str]:
    """"Both sides agreed ... and said they planned", "India and Pakistan said they would":
    a plural pronoun after a subject that names two or more actors is all of them."""
    sentence = sentence_of(pronoun)
    for i in range(pronoun.i - 1, sentence.start - 1, -1):
        token = pronoun.doc[i]
        if token.dep_ not in ("nsubj", "nsubjpass"):
            continue
        keys = list(dict.fromkeys(k for t in (token, *token.conjuncts)
                                  for k in [cast.actor_of(t)] if k))
        found = keys if len(keys) > 1 else _pair_of(token, cast)
        return found if len(found) > 1 else []
    return []


def _is_people(token: Token, lexicon: Lexicon) -> bool:
    """"met the premiers", "talks with his counterparts": a plural of office-holders is a
    party one meets even when no actor is named."""
    lemma = token.lemma_.lower()
    return token.tag_ in ("NNS", "NNPS") and lemma not in PRESS and (
        lemma in lexicon.titles or lemma in PEOPLE_NOUNS)


# plurals for people that a hostile act falls on; no stance is taken on them
PEOPLE_PLURALS = frozenset({"woman", "man", "child", "civilian", "people", "journalist",
                            "student", "worker", "refugee", "migrant", "prisoner", "detainee",
                            "hostage", "citizen", "resident", "villager", "activist",
                            "dissident", "minority", "protester", "demonstrator", "voter",
                            "opponent", "critic", "member", "soldier", "troop", "settler"})


def _names_people(token: Token, lexicon: Lexicon) -> bool:
    """Whether a noun names people: a group noun, or a plural for people."""
    lemma = token.lemma_.lower()
    return lemma in lexicon.groups or lemma in PEOPLE_PLURALS or _is_people(token, lexicon)


def _office_state(token: Token, cast: Cast) -> str | None:
    """"the Iranian foreign minister", "his Chinese counterpart": an office no name fills
    stands for its state."""
    if not (_is_title(token, cast.lexicon) or token.lemma_.lower() == "counterpart"):
        return None
    for child in token.children:
        if child.dep_ in ("amod", "compound", "poss", "nmod"):
            key = cast.actor_of(child) or _country_of(child, cast)
            if key and cast.members[key].type == "Country":
                return key
    return None


def _is_title(token: Token, lexicon: Lexicon) -> bool:
    """"minister", "foreign minister", "defence secretary": an office's name."""
    words = [c.lower_ for c in token.lefts if c.dep_ == "compound"] + [token.lower_]
    return any(" ".join(words[n:]) in lexicon.titles for n in range(len(words)))


def _country_of(token: Token, cast: Cast) -> str | None:
    """The country a demonym or a country name modifier names, entered as its mention."""
    lexicon = cast.lexicon
    key = lexicon.demonyms.get(token.lower_) or lexicon.names.get(token.lower_)
    if key is None or key not in lexicon.places or lexicon.places[key].type != "Country":
        return None
    member = cast.member_for_place(key)
    cast.attach(Mention(start=token.i, end=token.i + 1, kind="place", text=token.text,
                        key=key), member, alias=False)
    return member.key


def _pair_of(token: Token, cast: Cast) -> list[str]:
    """"the two leaders", "both sides", "the two countries": the last two actors of that
    kind the text named before, within a few sentences."""
    kind = PAIR_NOUNS.get(token.lemma_.lower())
    if kind is None or token.tag_ not in ("NNS", "NNPS"):
        return []
    words = {c.lower_ for c in token.children if c.dep_ in ("det", "nummod", "predet")}
    if not ({"two", "both"} & words):
        return []
    doc = token.doc
    floor = max(0, sentence_of(token).start - 120)
    # "both presidents": the last two the text made presidents, else the last two people
    titled = {role.subject for role in cast.roles
              if role.title.lower().split()[-1] == token.lemma_.lower()}
    # "Merkel of Germany urged both sides": whoever speaks to both sides is neither
    verb = next((t for t in token.ancestors if t.pos_ in ("VERB", "AUX")), None)
    while verb is not None and verb.dep_ in ("conj", "xcomp") and not any(
            c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        # "welcomed the meeting and urged both sides", "has been trying to persuade both
        # sides": the welcomer's, the one trying
        verb = verb.head
    outside = {key for c in (verb.children if verb is not None else ())
               if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree
               if (key := cast.token_actor.get(t.i)) is not None}
    for wanted in (titled, None):
        found: list[str] = []
        for i in range(token.i - 1, floor - 1, -1):
            key = cast.token_actor.get(i)
            if key is None or key in found or key in outside or key not in cast.members:
                continue
            if cast.members[key].type in kind and doc[i].pos_ != "PRON" and (
                    wanted is None or key in wanted) and not any(
                    _same_side(cast, key, other) for other in found):
                found.append(key)
                if len(found) == 2:
                    return found[::-1]
    return []


def _same_side(cast: Cast, one: str, other: str) -> bool:
    """A leader and the country they lead are one side, not two."""
    a, b = cast.members[one], cast.members[other]
    return (a.type == "Country" and b.country is not None and one == f"country:{b.country}") \
        or (b.type == "Country" and a.country is not None and other == f"country:{a.country}")


def _of_whole(token: Token) -> Token | None:
    """"hundreds of millions", "millions of dollars", "dollars of aid": the noun an amount
    or a quantity is of."""
    if not (token.pos_ == "NUM" or token.lemma_.lower() in PARTITIVES
            or token.lemma_.lower() in MEASURE_NOUNS or token.lemma_.lower() in ASPECT_NOUNS):
        return None
    whole = next((o for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
                  for o in c.children if o.dep_ == "pobj"), None)
    if whole is None and token.lemma_.lower() in MONEY:
        # "500 million euros in aid", "$1 billion in loan guarantees": what the money is
        whole = next((o for c in token.children if c.dep_ == "prep" and c.lower_ == "in"
                      for o in c.children if o.dep_ == "pobj" and o.pos_ == "NOUN"), None)
    return whole


def partitive_whole(token: Token) -> Token | None:
    """"some of the premiers", "hundreds of troops", "one of his aides": the whole a
    quantity or part is taken of."""
    if token.lemma_.lower() not in PARTITIVES and token.pos_ != "NUM":
        return None
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    return obj
    return None


def _objects(frame: Frame, typing: _Typing, target_preps: tuple[str, ...], is_symmetric: bool,
             doc: Doc, cast: Cast, lexicon: Lexicon,
             issues: list[IssueMention]) -> tuple[list[Target], str | None]:
    """What an event acts on, and who receives it."""
    recipient = None
    for i in frame.recipients:
        recipient = recipient or cast.actor_of(doc[i])
    if typing.predicate in RECEIVING:
        for i in frame.oblique(*RECIPIENT_PREPS):
            recipient = recipient or cast.actor_of(doc[i])
    patients = [_free_relative(doc[i]) for i in frame.patients]
    patients = [i for i in patients if doc[i].lower_ not in PRONOUN_THINGS
                or doc[i].lower_ in ("it", "this", "that", "them") or cast.actor_of(doc[i])]
    if typing.patient is not None:
        # "imposed sanctions on Russia": the phrase's noun is the act, its target the object
        holders = [typing.patient]
        if recipient is None and typing.predicate in RECEIVING:
            # "made an offer to Serbia": the noun's own "to" names who receives it
            recipient = next((cast.actor_of(o) for c in doc[typing.patient].children
                              if c.dep_ == "prep" and c.lower_ in RECIPIENT_PREPS
                              for o in c.children if o.dep_ == "pobj" and cast.actor_of(o)),
                             None)
        if lexicon.predicates[typing.predicate].sign < 0:
            # "imposed sanctions on Russia", "halted trade with", "cut ties to": the one
            # acted against is the object
            targets = _actor_targets(frame, holders,
                                     target_preps + ("with", "to", "between", "at", "into", "of"),
                                     doc, cast, issues)
        else:  # "restored ties with Cuba"; "based missiles in Poland" is where, not whom
            targets = [_target(o, cast, issues) for c in doc[typing.patient].children
                       if c.dep_ == "prep" and c.lower_ in ("with", "between")
                       for o in c.children if o.dep_ == "pobj" and cast.actor_of(o)]
        if targets:
            return targets, recipient
        if typing.predicate in ACTOR_OBJECTS:
            if typing.cameo == MEDIATE or any(doc[i].tag_ in ("NNS", "NNPS")
                                              for i in frame.agents):
                # "EU leaders are holding talks": the parties are the agents themselves;
                # "brokered a ceasefire": what is mediated
                return [_target(doc[typing.patient], cast, issues)], recipient
            return [], recipient  # "launched talks": with whom, the text does not say here
        # "place missiles in Poland and a radar in the Czech Republic": every conjunct
        nouns = [typing.patient] + [i for i in frame.patients if i > typing.patient]
        if typing.predicate == "concede":
            # "lifted the embargo on Cuba" eases Cuba's lot; "lift the sanctions on its oil
            # exports" lifts the sanctions
            eased = _actor_targets(frame, holders, ("on", "against", "with"), doc, cast, issues)
            if eased:
                return eased, recipient
        if typing.predicate in ("deploy", "aid", "host", "concede"):
            # what is deployed, given or lifted
            return [_target(doc[i], cast, issues) for i in nouns], recipient
        if recipient is not None and typing.predicate in EXPRESSED:
            # "sent Bush his congratulations": what is expressed is aimed at the recipient
            return [Target(start=0, end=1, label=cast.members[recipient].label,
                           actor=recipient)], None
        if typing.predicate == "offer":
            # "reaffirmed his commitment to a Palestinian state", "renewed its offer of
            # talks": what is pledged or offered, not the pledge (who receives it is above)
            entry = lexicon.event_nouns.get(doc[typing.patient].lemma_.lower())
            pledged = [o for c in doc[typing.patient].children if c.dep_ == "prep"
                       and entry is not None and c.lower_ in entry.preps
                       for o in c.children if o.dep_ == "pobj" and not cast.actor_of(o)
                       and doc[o.i].lemma_.lower() not in TIME_NOUNS]
            if pledged:
                return [_target(pledged[0], cast, issues)], recipient
        if typing.predicate in ("request", "offer", "propose", "agree"):
            # "rally opposition to the plan", "reach a deal on trade": what is sought or
            # agreed is the noun's own phrase
            return [_target(doc[i], cast, issues) for i in nouns], recipient
        rest = [i for p, i in frame.obliques if (p in target_preps or p == "to") and not (
            p in RECIPIENT_PREPS and typing.predicate in RECEIVING and cast.actor_of(doc[i]))
            and doc[i].lemma_.lower() not in TIME_NOUNS and doc[i].ent_type_ not in NOT_THINGS]
        # "expressed concern about the plan", "voiced regret over", "paid tribute to"
        rest += [o.i for c in doc[typing.patient].children if c.dep_ == "prep"
                 and c.lower_ in (*target_preps, *TOPIC_PREPS, "to") for o in c.children
                 if o.dep_ in ("pobj", "pcomp")]
        if rest:
            return [_target(doc[rest[0]], cast, issues)], recipient
        if typing.predicate in EXPRESSED:
            return [], recipient  # "expressed concern", "paid tribute": at whom or what?
        return [_target(doc[i], cast, issues) for i in nouns], recipient
    if frame.kind == "judgement" and typing.predicate == "request":
        # "it is essential that Britain keeps the rebate": asked of Britain, or of no one
        clause = doc[frame.clause]
        asked = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")
                 and cast.actor_of(c)]
        return ([_target(c, cast, issues) for c in asked] or
                [_clause_target(clause, cast, issues)]), recipient
    if frame.kind in ("judgement", "attribute"):
        judged = doc[frame.judged] if frame.judged is not None else None
        complement = doc[frame.complement] if frame.complement is not None else None
        if judged is not None and judged.lower_ in ("this", "that", "it") and \
                complement is not None and complement.pos_ == "NOUN" and \
                complement.lemma_.lower() not in GENERIC_NOUNS and \
                complement.lemma_.lower() not in lexicon.evaluative:
            # "This is a good deal": what is judged is the deal
            label = " ".join(t.text for t in complement.subtree if t.i <= complement.i and
                             t.dep_ not in ("det", "amod", "advmod", "punct")
                             and t.lower_ not in lexicon.evaluative)
            return [Target(start=complement.i, end=complement.i + 1, label=label)], recipient
        if judged is None or (judged.lower_ in PRONOUN_THINGS and not cast.actor_of(judged)
                              and judged.lower_ not in ("it", "this", "that")):
            return [], recipient  # "whatever was necessary" judges nothing named
        return [_target(judged, cast, issues)], recipient
    if typing.predicate in ("request", "aid") and not frame.patients and \
            frame.clause is not None and doc[frame.clause].dep_ == "xcomp" and \
            (typing.predicate == "aid" or lexicon.control_of(frame.lemma) != "object") and \
            not frame.obliques:
        # "sought to play down", "helped make": the subject's own attempt, not a request
        # made of someone or aid given to someone
        return [], recipient
    if frame.lemma in DEPARTURE_VERBS and frame.kind == "verb" and typing.predicate == "retreat":
        # "will leave the Commonwealth": one leaves an organisation or a treaty, not a room
        return [_target(doc[i], cast, issues) for i in patients if cast.actor_of(doc[i])
                or doc[i].ent_type_ in ("ORG", "LAW", "NORP")
                or doc[i].lemma_.lower() in FORUMS], recipient
    if frame.lemma in DEPARTURE_VERBS and typing.predicate == "travel":
        # "left Washington for Poland": the journey's end, not its start
        return [_target(doc[i], cast, issues) for i in frame.oblique("for")], recipient
    if typing.predicate in ACTOR_OBJECTS and typing.cameo != MEDIATE:
        if any(c.dep_ in ("oprd", "ccomp") for c in doc[frame.trigger].children):
            return [], recipient  # "called the move a step" is no call at all
        parties = [i for i in [*frame.patients, *frame.oblique(*target_preps, *typing.preps)]
                   if cast.actor_of(doc[i]) or _is_people(doc[i], lexicon)
                   or _office_state(doc[i], cast) or _pair_of(doc[i], cast)]
        return [target for i in parties for target in _party_targets(doc[i], cast, issues)], \
            recipient
    if is_symmetric:
        partners = [i for p, i in frame.obliques if p in target_preps and cast.actor_of(doc[i])]
        if partners:
            return [_target(doc[i], cast, issues) for i in partners], recipient
    direct = [i for p, i in frame.obliques if p in typing.preps and cast.actor_of(doc[i])]
    if direct and lexicon.predicates[typing.predicate].sign < 0 and not any(
            cast.actor_of(doc[i]) for i in patients):
        # "the policies critics have blamed on him": the verb's own preposition names whom
        return [_target(doc[i], cast, issues) for i in direct], recipient
    targets = _actor_targets(frame, [i for i in patients if not cast.actor_of(doc[i])],
                             target_preps, doc, cast, issues)
    if targets and lexicon.predicates[typing.predicate].sign < 0 and not any(
            cast.actor_of(doc[i]) for i in patients):
        # ("accused Colombia of harboring rebels": the one accused is the object)
        return targets, recipient  # "imposed duties on Japan": Japan is what is acted on
    if patients:
        if typing.predicate == "protest" and frame.lemma not in ("protest", "boycott",
                                                                  "picket") and \
                not any(cast.actor_of(doc[i]) for i in patients):
            return [], recipient  # "demonstrating the strength of": showing, not protesting
        objects = [t for i in patients for t in _party_targets(doc[i], cast, issues)]
        if lexicon.predicates[typing.predicate].sign < 0 and \
                not any(cast.actor_of(doc[i]) for i in patients):
            # "banned arms sales to Turkey": against the state the trade goes to
            objects = _trade_partners(list(patients), doc, cast, issues) or [
                _target(doc[i], cast, issues) for p, i in frame.obliques
                if p in ("to", "from", "against") and cast.actor_of(doc[i])] or objects
        if recipient is None and typing.predicate == "request" and objects[0].actor and \
                frame.clause is not None:
            recipient = objects[0].actor
        return objects, recipient
    for preps in (typing.preps, target_preps):
        found = [i for p, i in frame.obliques if p in preps and not (
            p in RECIPIENT_PREPS and typing.predicate in RECEIVING and cast.actor_of(doc[i]))]
        if found and lexicon.predicates[typing.predicate].sign < 0 and \
                not any(cast.actor_of(doc[i]) for i in found):
            # "an embargo on arms exports to China": against the state the trade goes to
            deeper = _trade_partners(found, doc, cast, issues)
            if deeper:
                return deeper, recipient
        if found:
            return [_target(doc[i], cast, issues) for i in found], recipient
    clause = doc[frame.clause] if frame.clause is not None else None
    what = next((c for c in clause.children if c.lower_ == "what"), None) if clause is not None \
        else None
    if what is not None and _free_relative(what) != what.i:
        # "condemned what he called Russia's invasion": the invasion
        return [_target(doc[_free_relative(what)], cast, issues)], recipient
    if clause is not None and any(c.lower_ in WH_CLAUSE and c.i < clause.i
                                  for c in clause.subtree):
        clause = None  # "asking what officials were supposed to fear" is a question
    if frame.kind == "noun" and frame.light is not None and frame.lemma in PROPOSAL_THINGS:
        # "presented the peace plan to Saakashvili": the plan itself is what is offered
        return [_target(doc[frame.trigger], cast, issues)], recipient
    quoted = clause is not None and inside_quotes(clause) and \
        not inside_quotes(doc[frame.trigger])  # 'Getty agreed, "Things are running..."'
    if clause is not None and clause.pos_ in ("VERB", "AUX") and not quoted \
            and not (clause.dep_ == "ccomp" and typing.predicate == "threaten"
                     and not _threatens(frame, clause, cast)):
        # (a reported clause after "warned that" is a forecast, not a threat to someone,
        # unless it is one's own side that would act or a condition is set)
        asked = [c for c in clause.children if c.dep_ == "nsubj" and cast.actor_of(c)
                 and c.i not in frame.agents] if typing.predicate == "request" else []
        if asked:  # "hopes that Russia will withdraw": a demand made of Russia
            return [_target(c, cast, issues) for c in asked], recipient
        entry = lexicon.verbs.get(frame.lemma)
        if entry is not None and entry.control == "actor":
            return [], recipient  # "hoped the agreement would help": a wish, asked of no one
        return [_clause_target(clause, cast, issues)], recipient
    if lexicon.predicates[typing.predicate].stance or typing.predicate == "request":
        # "complained of a lack of progress", "denied as baseless reports": a verb that
        # takes a stance names what it is about in the phrase it governs
        found = [i for p, i in frame.obliques if p in FALLBACK_PREPS]
        if found:
            return [_target(doc[found[0]], cast, issues)], recipient
    if frame.lemma in ATTENDING and not frame.patients:
        # "Israel will not attend": the gathering the text has just named
        gathering = _last_gathering(doc, frame.trigger)
        if gathering is not None:
            return [_target(gathering, cast, issues)], recipient
    if frame.kind == "adjective" and typing.predicate in ("reject", "support") and \
            not frame.obliques and frame.clause is None:
        # "members of Congress who remain implacably opposed": to the deal or plan the
        # sentence is about
        sentence = sentence_of(doc[frame.trigger])
        proposal = next((doc[i] for i in range(frame.trigger - 1, sentence.start - 1, -1)
                         if doc[i].pos_ in ("NOUN", "PROPN")
                         and doc[i].lemma_.lower() in PROPOSAL_THINGS), None)
        if proposal is not None:
            return [_target(proposal, cast, issues)], recipient
    if recipient is not None and typing.predicate in ("request", "offer", "support",
                                                      "threaten", "concede"):
        return [Target(start=0, end=1, label=cast.members[recipient].label,
                       actor=recipient)], None
    return [], recipient


def _threatens(frame: Frame, clause: Token, cast: Cast, conditions: bool = True) -> bool:
    """Whether "warned that ..." is a threat: the warner's own side would act ("warned
    that Russian troops would respond to any new attack") or a condition is set ("that
    Russia risked massive damage if it annexed Crimea")."""
    if conditions and any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in
                                                    CONDITION_MARKS for m in c.children)
                          for c in [*clause.children, *clause.head.children]):
        return True
    doc = clause.doc
    sides = {side for i in frame.agents for side in _sides(doc[i], cast)}
    subjects = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
    return bool(sides) and any(
        c.lower_ in ("we", "i") or set(_sides(c, cast)) & sides for c in subjects)


def _sides(token: Token, cast: Cast) -> list[str]:
    """The actor a token names and the country it belongs to; for a noun, the country its
    demonym names ("Russian troops")."""
    found = []
    key = cast.actor_of(token)
    if key is not None:
        member = cast.members[key]
        found.append(key)
        if member.country:
            found.append(f"country:{member.country}")
    for modifier in token.children:
        if modifier.dep_ in ("amod", "compound", "poss"):
            place = cast.lexicon.demonyms.get(modifier.lower_) or cast.actor_of(modifier)
            if place:
                found.append(place)
    return found


def _coordinated_complements(target: Target, doc: Doc, cast: Cast, lexicon: Lexicon,
                              issues: list[IssueMention]) -> list[Target]:
    """"the release of the inmates at Guantanamo and of terror suspects in the UK": an act
    on coordinated things is an act on each."""
    if target.actor is not None or target.is_clause or target.head is None:
        return [target]
    head = doc[target.head]
    if head.lemma_.lower() not in lexicon.event_nouns:
        return [target]
    complements = [o for c in head.children if c.dep_ == "prep" and c.lower_ == "of"
                   for o in c.children if o.dep_ == "pobj"]
    found = [target]
    for conjunct in (c for o in complements for c in o.conjuncts):
        label, start, end = phrase_label(conjunct)
        found.append(Target(start=start, end=end, head=conjunct.i,
                            label=f"{head.text} of {label}" if not cast.actor_of(conjunct)
                            else label, actor=cast.actor_of(conjunct)))
    return found


def _free_relative(token: Token) -> int:
    """"condemned what he called Russia's invasion": the thing the free relative names."""
    if token.lower_ != "what":
        return token.i
    verb = token.head if token.head.pos_ in ("VERB", "AUX") else None
    if verb is None:
        return token.i
    named = next((c for c in verb.children if c.dep_ in ("oprd", "xcomp", "attr")
                  and c.pos_ in ("NOUN", "PROPN")), None)
    named = named or next((o for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"
                           for o in c.children if o.dep_ == "pobj"), None)
    return named.i if named is not None else token.i


def _trade_partners(things: list[int], doc: Doc, cast: Cast,
                    issues: list[IssueMention]) -> list[Target]:
    """The actors a traded thing goes to or comes from: "exports to China", "imports from
    Russia", "arms sales to Iran"."""
    return [_target(o, cast, issues) for i in things for c in doc[i].children
            if c.dep_ == "prep" and c.lower_ in ("to", "from")
            for o in c.children if o.dep_ == "pobj" and cast.actor_of(o)]


def _actor_targets(frame: Frame, holders: list[int], preps: tuple[str, ...], doc: Doc,
                   cast: Cast, issues: list[IssueMention]) -> list[Target]:
    """Actors in the target phrases of the trigger or of its object noun ("sanctions on
    Russian officials" is against Russia)."""
    found = [i for p, i in frame.obliques if p in preps]
    for holder in holders:
        found += [o.i for c in doc[holder].children if c.dep_ == "prep" and c.lower_ in preps
                  for o in c.children if o.dep_ == "pobj"]
    # "summoned the Japanese ambassador": an office the act falls on stands for its state
    targets = [_target(doc[h], cast, issues) for h in holders if _office_state(doc[h], cast)]
    for i in found:
        token = doc[i]
        if cast.actor_of(token):
            targets.append(_target(token, cast, issues))
            continue
        targets += _trade_partners([i], doc, cast, issues)
        for child in token.children:
            if child.dep_ in ("amod", "compound", "nmod", "poss"):
                for modifier in [child, *child.conjuncts]:
                    # "tariffs on Chinese steel", "sanctions on Russian banks": the state
                    key = cast.token_actor.get(modifier.i) or _country_of(modifier, cast)
                    if key:
                        targets.append(Target(start=modifier.i, end=modifier.i + 1,
                                              label=modifier.text, actor=key))
    return targets


def _speech_event(frame: Frame, typing: _Typing, doc: Doc, cast: Cast, lexicon: Lexicon,
                  issues: list[IssueMention], by_trigger: dict[int, Frame]) -> Event | None:
    """"told parliament", "said to reporters": a statement addressed to an actor."""
    addressees = [i for i in frame.recipients] + frame.oblique("to")
    if frame.lemma in ADDRESSING:
        addressees += list(frame.patients)
    # "an address to a joint meeting of Congress": the body the meeting is of
    addressees = [next((o.i for c in doc[i].children if c.dep_ == "prep" and c.lower_ == "of"
                        for o in c.children if o.dep_ == "pobj"), i)
                  if doc[i].lemma_.lower() in GATHERINGS else i for i in addressees]
    # one tells an actor, a body ("told the Commons", "a select committee") or office-holders
    objects = [_target(doc[i], cast, issues) for i in addressees if cast.actor_of(doc[i])
               or _is_people(doc[i], lexicon) or doc[i].lemma_.lower() in BODIES and not any(
                   c.dep_ == "compound" and c.lemma_.lower() in PRESS | {"news"}
                   for c in doc[i].children)]  # "told a news conference": the press
    if not objects:
        return None
    subjects = [(k, True) for i in frame.agents for k in _actors_of(doc[i], cast, lexicon)]
    if not subjects and frame.is_passive and frame.lemma in ADDRESSING and \
            frame.attribution is not None:
        # "the State Department said Iran has been informed": the reporter informed it
        reporter = next((f for f in by_trigger.values() if f.trigger == frame.attribution),
                        None)
        subjects = [(k, False) for i in (reporter.agents if reporter else ())
                    for k in _actors_of(doc[i], cast, lexicon)]
        if subjects:
            frame = dataclasses.replace(frame, is_agent_direct=True)
    if frame.kind == "noun" and not subjects:
        return None
    if not subjects or not (frame.is_agent_direct or frame.light is not None
                            or frame.kind == "noun"):
        return None  # who tells whom is stated, never inferred
    token = doc[frame.trigger]
    event = Event(trigger=frame.trigger, verb=typing.verb, predicate="say", subjects=subjects,
                  objects=objects, sentence=sentence_of(token), time=frame.time,
                  modality=frame.modality, negated=frame.is_negated, cameo=typing.cameo,
                  attribution=frame.attribution)
    return event


def _reported_proposal(frame: Frame, doc: Doc, cast: Cast, issues: list[IssueMention],
                       lexicon: Lexicon, by_trigger: dict[int, Frame]) -> Event | None:
    """What a speaker proposes or threatens in reported speech.

    "X said the system could be placed in Turkey": a modal in the reported clause makes it
    a suggestion by X. "X said that if Y does this, Russia will do that": a conditional
    promise of a counter-move is a threat by X.
    """
    if frame.clause is None or not frame.is_agent_direct:
        return None
    clause = doc[frame.clause]
    if clause.dep_ != "ccomp" or inside_quotes(clause):
        return None
    auxes = {c.lower_ for c in clause.children if c.dep_ in ("aux", "auxpass")}
    is_conditional = any(c.dep_ == "advcl" and any(m.lower_ in CONDITION_MARKS
                                                   for m in c.children)
                         for c in clause.children)
    if auxes & {"should", "ought", "could"} and "have" in auxes and clause.tag_ == "VBN":
        # "said the government should have acted sooner": blame for what was not done
        subjects = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
        speakers = [(k, True) for i in frame.agents for k in [cast.actor_of(doc[i])] if k]
        if not subjects or not speakers:
            return None
        token = doc[frame.trigger]
        event = Event(trigger=clause.i, verb=f"{token.text} ... {clause.text}",
                      predicate="accuse", subjects=speakers,
                      objects=[_target(subjects[0], cast, issues)], sentence=sentence_of(token),
                      modality="reported", time=frame.time, cameo="111")
        return event
    subjects = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
    if auxes & DEMANDING_MODALS and subjects and not is_conditional:
        demand = _reported_demand(frame, clause, subjects[0], auxes, doc, cast, issues, lexicon,
                                  by_trigger)
        if demand is not None:
            return demand
    own_side = _threatens(frame, clause, cast, conditions=False)
    if is_conditional and (auxes & MODAL_PLANNED or own_side and auxes & MODAL_HYPOTHETICAL):
        # "said Russia might aim its missiles at Europe if the plan went ahead" threatens;
        # "would support the system if it were built together with Moscow" offers
        inner = by_trigger.get(clause.i)
        typing = classify(inner, doc, lexicon) if inner is not None else None
        if own_side and typing is not None and lexicon.predicates[typing.predicate].sign > 0:
            predicate, modality, cameo = "offer", "conditional", "030"
        else:
            predicate, modality, cameo = "threaten", "conditional", "130"
    elif auxes & {"could", "should", "might", "may", "can"}:
        predicate, modality, cameo = "propose", "proposed", "030"
    else:
        return None
    speakers = [(k, True) for i in frame.agents for k in [cast.actor_of(doc[i])] if k]
    if not speakers:
        return None
    passive = [c for c in clause.children if c.dep_ == "nsubjpass"]
    direct = [c for c in clause.children if c.dep_ == "dobj"]
    heads = passive or direct
    objects = [_target(t, cast, issues) for h in heads for t in [h, *h.conjuncts]] or \
        [_clause_target(clause, cast, issues)]
    token = doc[frame.trigger]
    event = Event(trigger=clause.i, verb=f"{token.text} ... {clause.text}",
                  predicate=predicate, subjects=speakers, objects=objects,
                  sentence=sentence_of(token), modality=modality, time=frame.time,
                  cameo=cameo, negated=any(c.dep_ == "neg" for c in clause.children))
    event.place = _place_of(clause, cast) or next((t.place for t in objects if t.place), None)
    return event


# the most lines a list of points after "X said:" runs to
BULLETS = 12


def _bulleted_demands(doc: Doc, cast: Cast, lexicon: Lexicon, issues: list[IssueMention],
                      by_trigger: dict[int, Frame]) -> list[Event]:
    """"President Obama also said:" and then, one paragraph each and unpunctuated, the
    points he made ("The UK must stay in the EU to have influence"): each point is a
    clause of what was said, so a point laying a must on another actor is a demand of it,
    as in "Obama said the UK must stay in the EU"."""
    sentences = list(doc.sents)
    found = []
    for n, intro in enumerate(sentences):
        last = next((t for t in reversed(intro) if not t.is_space), None)
        if last is None or last.text != ":":
            continue
        frame = next((by_trigger[t.i] for t in reversed(intro[:-1]) if t.i in by_trigger
                      and by_trigger[t.i].lemma in lexicon.speech_verbs
                      and by_trigger[t.i].clause is None), None)
        if frame is None or not frame.agents:
            continue
        for point in sentences[n + 1:n + 1 + BULLETS]:
            end = next((t for t in reversed(point) if not t.is_space), None)
            if end is None or end.is_punct and end.text not in (")", "”", '"', "'"):
                break  # a sentence with its full stop: the list is over
            root = point.root
            auxes = {c.lower_ for c in root.children if c.dep_ in ("aux", "auxpass")}
            subjects = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")]
            if auxes & DEMANDING_MODALS and subjects:
                demand = _reported_demand(frame, root, subjects[0], auxes, doc, cast, issues,
                                          lexicon, by_trigger)
                if demand is not None:
                    found.append(demand)
    return found


# modals that, in reported speech about another actor, make the clause a demand of it
DEMANDING_MODALS = frozenset({"must", "should"})


def _reported_demand(frame: Frame, clause: Token, subject: Token, auxes: set[str], doc: Doc,
                     cast: Cast, issues: list[IssueMention], lexicon: Lexicon,
                     by_trigger: dict[int, Frame]) -> Event | None:
    """"Obama said Iran must halt enrichment", "Merkel said Russia should withdraw": what
    a speaker says another actor must or should do is a demand of that actor (CAMEO 10,
    an appeal with "should"); the act is what is demanded, as in "urged Iran to halt".
    Said of the speaker's own side ("Putin said Russia must respond") it is no demand."""
    speakers = list(dict.fromkeys(k for i in frame.agents for k in [cast.actor_of(doc[i])] if k))
    named = [t for t in (subject, *subject.conjuncts) if cast.actor_of(t)]
    targets = list(dict.fromkeys(cast.actor_of(t) for t in named))
    if not speakers or not targets or any(
            s == t or _same_side(cast, s, t) for s in speakers for t in targets):
        return None
    inner = by_trigger.get(clause.i)
    claims = [(_compose("support", p), t) for p, t in
              _inner_claims(inner, doc, cast, lexicon, issues, by_trigger)] if inner else []
    token = doc[frame.trigger]
    modal = "must" if "must" in auxes else "should"
    if any(c.dep_ == "neg" for c in clause.children):
        modal += " not"  # "must not annex Crimea": still a demand, of restraint
    return Event(trigger=frame.trigger, verb=f"{token.text} ... {modal} {clause.text}",
                 predicate="request", subjects=[(k, True) for k in speakers],
                 objects=[_target(t, cast, issues) for t in named],
                 sentence=sentence_of(token), time=frame.time,
                 cameo="100" if modal == "must" else "020", claims=claims, clause=clause.i)


VIOLATIONS = frozenset({"128", "196"})  # CAMEO: defy norms or law; violate a ceasefire


def _reported_violation(frame: Frame, doc: Doc, cast: Cast, lexicon: Lexicon,
                        issues: list[IssueMention], by_trigger: dict[int, Frame]) -> Event | None:
    """"The Lords ruled that the measures broke human rights law", "Kyiv said Moscow
    violated the truce": who finds a breach accuses whoever broke it, or rejects the thing
    that does (CAMEO 112 accuse of crime)."""
    inner = by_trigger.get(frame.clause) if frame.clause is not None else None
    if inner is None or doc[inner.trigger].dep_ != "ccomp" or inner.is_negated or \
            inside_quotes(doc[inner.trigger]):
        return None
    typing = classify(inner, doc, lexicon)
    if typing is None or typing.cameo not in VIOLATIONS:
        return None
    speakers = [(k, True) for i in frame.agents for k in _actors_of(doc[i], cast, lexicon)]
    keys = {k for k, _ in speakers}
    culprits = [i for i in inner.agents if cast.actor_of(doc[i]) not in keys]
    if not speakers or not culprits:
        return None
    objects = [_target(doc[i], cast, issues) for i in culprits]
    accused = any(t.actor for t in objects)
    token = doc[frame.trigger]
    event = Event(trigger=inner.trigger, verb=f"{token.text} ... {doc[inner.trigger].text}",
                  predicate="accuse" if accused else "reject", subjects=speakers,
                  objects=objects, sentence=sentence_of(token), modality=frame.modality,
                  time=frame.time, cameo="112" if accused else "120",
                  negated=frame.is_negated, attribution=frame.attribution)
    event.claims = [("oppose", t) for t in objects if t.actor is None]
    return event


def _drop_echoes(events: list[Event], signs: dict[str, int]) -> list[Event]:
    """One event for an act and the clause that frames it.

    "warned that he might re-aim missiles", "refused to accept the denials": when the clause
    a report or an act takes is an event of the same class by the same actor, the outer one
    adds nothing; keep the inner event. An offer of one's own act is one event: a hostile
    act ("promised to halt all trade with X", "prepared to veto any bid") is that act, as
    CAMEO codes it, and the pledge keeps only the stance it states; a cooperative act
    ("offered to send police to Haiti", "ready to join the plan") is the offer, of what the
    act is about. Placing forces or weapons stays its own event ("willing to host them").
    """
    reported = {(e.attribution, e.predicate, k) for e in events for k, _ in e.subjects}
    triggered = {(e.trigger, e.predicate, k) for e in events for k, _ in e.subjects}
    # "said Iran must halt enrichment": the halt is asked of Iran, not done; the demand is
    # the event, as with "urged Iran to halt"
    asked = {(e.clause, t.actor) for e in events if e.predicate == "request"
             and e.clause is not None for t in e.objects if t.actor}
    by_trigger = {}
    for e in events:
        by_trigger.setdefault(e.trigger, []).append(e)
    kept = []
    for e in events:
        if any((e.trigger, e.predicate, k) in reported
               or (e.clause is not None and (e.clause, e.predicate, k) in triggered)
               or (e.trigger, k) in asked for k, _ in e.subjects):
            continue
        kept.append(e)
        if e.predicate != "offer" or e.clause is None:
            continue
        doers = {k for k, _ in e.subjects}
        inner = [i for i in by_trigger.get(e.clause, ()) if {k for k, _ in i.subjects} == doers]
        if any(signs.get(i.predicate) == -1 for i in inner):
            e.stance_only = True  # its stance stands ("promised to halt trade": for the halt)
            continue
        for act in inner:
            if act.predicate in PLACING or act.predicate == "offer":
                continue
            act.stance_only = True
            things = [t for t in act.objects if not t.is_clause]
            if act.predicate == "consult" and not any(t.actor for t in things):
                things = []  # "offered to mediate between the two sides": keep the clause
            if things:  # "offered ... join" the plan
                e.objects, e.verb = things, f"{e.verb} ... {act.verb}"
                e.recipient = e.recipient or act.recipient
                e.place = e.place or act.place
    return kept


def _things(doc: Doc, frames: list[Frame], cast: Cast,
            issues: list[IssueMention]) -> list[Target]:
    """Things acted on in the text, whether or not an actor acts on them: what "it" may
    point back to ("any bid to reduce the rebate ... it remained justified")."""
    found = []
    for frame in frames:
        for i in [*frame.patients, *(i for _, i in frame.obliques)]:
            token = doc[i]
            if token.pos_ == "NOUN" and not cast.actor_of(token) and not token.ent_type_ and (
                    token.lemma_.lower() not in GENERIC_NOUNS
                    or token.lemma_.lower() in PROPOSAL_THINGS):  # "presented the plan"
                found.append(_target(token, cast, issues))
    return found


def _resolve_it(events: list[Event], things: list[Target]) -> None:
    """"presented the plan to Saakashvili ... accepted it": a pronoun object is the thing
    last acted on before it, in this sentence or the one before; so is a pronoun an event
    takes a stance on ("wanted it to end")."""
    pool = things + [o for e in events for o in e.objects]
    for event in events:
        doc = event.sentence.doc
        for n, target in enumerate(event.objects):
            found = _antecedent_thing(target, pool, doc)
            if found is not None:
                event.objects[n] = found
        for n, (polarity, target) in enumerate(event.claims):
            found = _antecedent_thing(target, pool, doc)
            if found is not None:
                event.claims[n] = (polarity, found)


def _antecedent_thing(target: Target, pool: list[Target], doc: Doc) -> Target | None:
    if target.actor is not None or target.label.lower() not in ("it", "this", "that", "them"):
        return None
    if doc[target.start].tag_ in ("IN", "WDT"):
        return None  # "told the Commons that the US had agreed": a conjunction, no thing
    plural = target.label.lower() == "them"  # "willing to host them": interceptors
    earlier = [t for t in pool
               if t.actor is None and t.end <= target.start and not t.is_clause
               and not (t.head is not None and doc[t.head].ent_type_ in PLACE_ENTITIES)
               and t.end - t.start <= 8 and t.label.lower() not in PRONOUN_THINGS
               and (not plural or (t.head is not None and doc[t.head].tag_ in ("NNS", "NNPS")))]
    if not earlier:
        return None
    last = max(earlier, key=lambda t: t.end)
    return last if _sentence_distance(doc, last.start, target.start) <= 1 else None


def _sentence_distance(doc: Doc, earlier: int, later: int) -> int:
    return sentence_number(doc[later]) - sentence_number(doc[earlier])


def _target(token: Token, cast: Cast, issues: list[IssueMention]) -> Target:
    """An object: an actor when the token refers to one, else the phrase as a thing."""
    if token.lower_ in WH_WORDS and token.head.dep_ == "relcl":
        token = token.head.head  # "the pact, which Bush opposes": the pact
    key = cast.actor_of(token) or _office_state(token, cast)
    if key and token.lower_ not in ("it", "this", "that"):
        start, end = cast.mention_spans.get(token.i, (token.i, token.i + 1))
        return Target(start=start, end=end, label=token.text, actor=key,
                      place=_place_of(token, cast))
    if token.lower_ in ("it", "this", "that") and token.pos_ == "PRON":
        mention = issue_in(token.doc[token.i:token.i + 1], issues)
        if mention is not None:
            return Target(start=token.i, end=token.i + 1, label=mention.issue.label)
    if token.pos_ in ("VERB", "AUX"):
        return _clause_target(token, cast, issues)
    if token.lemma_.lower() in CONTENT_NOUNS:
        clause = next((c for c in token.children if c.dep_ in ("acl", "ccomp", "relcl")
                       and c.pos_ in ("VERB", "AUX") and not any(
                           w.dep_ in ("nsubj", "dobj") and w.lower_ in WH_WORDS
                           for w in c.children)), None)
        if clause is not None:  # "welcomed the fact that the talks resumed"
            target = _clause_target(clause, cast, issues)
            return Target(start=token.i, end=target.end,
                          label=f"{token.text} that {target.label}", place=target.place)
    label, start, end = phrase_label(token)
    return Target(start=start, end=end, label=label, place=_place_of(token, cast),
                  head=token.i)


def _party_targets(token: Token, cast: Cast, issues: list[IssueMention]) -> list[Target]:
    """The actors a party names: "urged both sides" is a request of each."""
    pair = [] if cast.actor_of(token) else _pair_of(token, cast)
    if pair:
        return [Target(start=token.i, end=token.i + 1, label=cast.members[k].label, actor=k)
                for k in pair]
    return [_target(token, cast, issues)]


def _clause_target(verb: Token, cast: Cast, issues: list[IssueMention]) -> Target:
    """A clause as a thing: its words from the verb (or its subject) on, kept short."""
    doc = verb.doc
    start = verb.left_edge.i
    while start < verb.i and (doc[start].dep_ in ("mark", "aux", "auxpass", "advmod", "punct")
                              or doc[start].lower_ in ("that", "to")):
        start += 1
    end = min(verb.right_edge.i + 1, start + MAX_LABEL_TOKENS)
    for child in verb.rights:  # a clause of its own ("after denouncing it") is not the object
        if child.dep_ in ("advcl", "relcl", "conj", "cc", "punct", "parataxis") or (
                child.dep_ == "prep" and child.lower_ in ("after", "before", "despite")):
            end = min(end, child.left_edge.i)
    stop = next((t.i for t in doc[start:end] if t.text in LABEL_STOPS), end)
    end = max(start + 1, stop)
    while end > start + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space
                               or doc[end - 1].dep_ in ("cc", "det")):
        end -= 1
    label = " ".join(doc[start:end].text.split())
    return Target(start=start, end=end, label=label, place=_place_of(verb, cast),
                  is_clause=True, head=verb.i)


def _place_of(holder: Token, cast: Cast) -> Target | None:
    """A named place in an "in"/"at" phrase on a token ("base missiles in Poland")."""
    for child in holder.children:
        if child.dep_ == "prep" and child.lower_ in PLACE_PREPS:
            for obj in child.children:
                if obj.dep_ == "pobj" and obj.ent_type_ in ("GPE", "LOC", "FAC"):
                    ent = entity_of(obj)
                    key = cast.token_actor.get(obj.i)
                    if key is None:
                        key = _country_key(ent, cast)
                    return Target(start=ent.start, end=ent.end, label=ent.text, actor=key)
    return None


def _country_key(ent: Span, cast: Cast) -> str | None:
    key = ent.ent_id_ or cast.lexicon.names.get(ent.text.lower())
    if key and key.startswith("country:") and ent.text.lower() not in cast.lexicon.capitals:
        return cast.member_for_place(key).key
    return None


