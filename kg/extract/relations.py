"""Find events between actors: who did what (predicate) to whom or what.

A trigger is a verb from kg/data/verbs.tsv ("offered", "met", "re-aim") or an event noun
from kg/data/event_nouns.tsv that an actor owns ("Putin's offer", "made a proposal").
Its subject comes from the dependency parse:
- active: the nominal subject; passive: the "by" agent;
- control and coordination: "sought to allay" and "met and agreed" share their subject,
  "urged Iran to stop" hands the object down as the subject;
- participles and prepositional clauses take the subject of the clause they hang from
  ("offering the use of ..." in "made a move ... by offering");
- an infinitive on an owned noun takes the owner ("American plans to base missiles").
The object is the direct object, else the preposition the verb governs ("met with",
"travel to"), else the clause it takes ("offered to join the system"). Place, time,
modality and negation come from the verb's dependents and the clauses above it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from kg.extract.issues import IssueMention, issue_in
from kg.extract.modality import (CONDITION_MARKS, MODAL_PLANNED, PLAN_VERBS, is_negated,
                                  modality_of, time_of)
from kg.lexicon import Lexicon
from kg.resolve import Cast
from kg.extract.spans import doc_text, entity_of, sentence_number, sentence_of

WH_WORDS = frozenset({"which", "that", "who", "whom"})
PLACE_PREPS = frozenset({"in", "at", "inside", "near"})
# predicates where the party you act with matters more than the topic
INTERACTIVE = frozenset({"consult", "agree", "cooperate"})
RECIPIENT_PREPS = frozenset({"to", "for"})
# prepositions that set an event noun inside the subject's own action ("in talks with")
SETTING_PREPS = frozenset({"in", "at", "during", "after", "following"})
# event types whose target is the party acted against: an actor after "on"/"against" is the
# object, not the measure ("imposed sanctions on Russian officials")
TARGETED = frozenset({"sanction", "accuse", "protest", "threaten", "attack"})
# event types whose object can be an action ("offered to join", "agreed to tie")
CLAUSE_OBJECT_PREDICATES = frozenset({"offer", "propose", "agree", "request", "threaten",
                                      "reject", "oppose", "support", "accuse"})
# prepositions that bring the object of an event noun, by event type
NOUN_OBJECT_PREPS = {"consult": ("with", "between"), "travel": ("to",),
                     "agree": ("with", "on", "to", "between")}
DEFAULT_NOUN_PREPS = ("to", "for", "on", "of", "against", "with")
# event nouns that name a thing one can hand over, so that "presented the plan" offers it
PROPOSAL_THINGS = frozenset({"plan", "proposal", "initiative", "deal", "agreement", "accord",
                             "resolution", "roadmap", "draft", "package"})
PARTICLES = frozenset({"out", "down", "up", "off", "back", "away", "forward"})
DEPARTURE_VERBS = frozenset({"leave", "depart", "head", "fly"})
LABEL_STOPS = frozenset({"--", "—", "–", "(", ";", ":"})
EXCLUDED_IN_LABEL = frozenset({"relcl", "acl", "appos", "punct", "cc", "conj", "advcl",
                               "parataxis", "mark", "advmod", "nsubj", "aux", "neg"})
MAX_LABEL_TOKENS = 12


@dataclass(slots=True)
class Target:
    """What an event points at: an actor (key) or a thing (label), and where it is."""

    start: int
    end: int
    label: str
    actor: str | None = None
    place: "Target | None" = None  # where the thing is ("a radar station in Azerbaijan")


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
    scope: tuple[int, int] = (0, 0)  # token span of the whole event phrase
    extra: dict[str, str] = field(default_factory=dict)


def phrase_label(token: Token) -> tuple[str, int, int]:
    """A readable label for the noun phrase headed by ``token``, and its token span.

    Keeps modifiers and "of"/"for" complements ("the use of a Soviet-built radar
    station"), drops determiners, relative clauses, appositions and other prepositions.
    """
    keep: list[Token] = []

    def excluded(child: Token) -> bool:
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
            if child.dep_ == "prep" and not (top and child.lower_ in ("of", "for", "on")):
                continue
            walk(child, False)

    walk(token, True)
    keep.sort(key=lambda t: t.i)
    keep = keep[:MAX_LABEL_TOKENS]
    while keep and (keep[-1].is_punct or keep[-1].dep_ in ("case", "det")):
        keep.pop()
    text = "".join(t.text_with_ws for t in keep).strip().strip(",;:")
    if not keep:
        return token.text, token.i, token.i + 1
    return text or token.text, keep[0].i, keep[-1].i + 1


def extract_events(doc: Doc, cast: Cast, lexicon: Lexicon, issues: list[IssueMention],
                   published: str | None) -> list[Event]:
    """Every event with at least one actor as its subject."""
    events = []
    for token in doc:
        event = None
        if token.pos_ in ("VERB", "AUX") or (token.pos_ == "NOUN" and token.dep_ == "ROOT"):
            event = _verb_event(token, cast, lexicon, issues, published)
        elif token.pos_ == "NOUN":
            event = _noun_event(token, cast, lexicon, issues, published)
        if event is not None and event.subjects:
            events.append(event)
    _resolve_it(events)
    return events


def _resolve_it(events: list[Event]) -> None:
    """"presented the plan to Saakashvili ... accepted it": a pronoun object is the thing
    the previous event acted on, if that was in this sentence or the one before."""
    last: Target | None = None
    for event in events:
        for n, target in enumerate(event.objects):
            if target.actor is None and target.label.lower() in ("it", "this", "that"):
                doc = event.sentence.doc
                if last is not None and _sentence_distance(doc, last.start, target.start) <= 1:
                    event.objects[n] = last
            elif target.actor is None and target.end - target.start <= 8:
                last = target


def _sentence_distance(doc: Doc, earlier: int, later: int) -> int:
    return sentence_number(doc[later]) - sentence_number(doc[earlier])


def _verb_entry(token: Token, lexicon: Lexicon):  # noqa: ANN202
    lemma = token.lemma_.lower()
    if lemma not in lexicon.verb_first_words and "-" not in token.text:
        return None, token.text
    # "pull out of": the parser may call the particle a preposition
    particles = [c.lower_ for c in token.children if c.dep_ == "prt" or (
        c.dep_ == "prep" and c.lower_ in PARTICLES)]
    for particle in particles:
        entry = lexicon.verbs.get(f"{lemma} {particle}")
        if entry is not None:
            return entry, f"{token.text} {particle}"
    for child in token.children:  # "called on the army to ...": a verb with its preposition
        if child.dep_ == "prep":
            entry = lexicon.verbs.get(f"{lemma} {child.lower_}")
            if entry is not None:
                return entry, f"{token.text} {child.text}"
    # "work together", "team up" written with an adverb the parser calls advmod
    for child in token.children:
        entry = lexicon.verbs.get(f"{lemma} {child.lower_}")
        if entry is not None and child.dep_ in ("advmod", "prt"):
            return entry, f"{token.text} {child.text}"
    doc = token.doc
    if token.i >= 2 and doc[token.i - 1].text == "-" and not doc[token.i - 1].whitespace_:
        # "re-aim" is split by the tokenizer into "re", "-", "aim"
        joined = f"{doc[token.i - 2].lower_}-{lemma}"
        if joined in lexicon.verbs:
            return lexicon.verbs[joined], f"{doc[token.i - 2].text}-{token.text}"
    entry = lexicon.verbs.get(lemma) or lexicon.verbs.get(token.lower_)
    if entry is None and "-" in token.lower_:
        # the lemmatizer does not know "re-targeting": strip the inflection ourselves
        for candidate in _uninflected(token.lower_):
            if candidate in lexicon.verbs:
                return lexicon.verbs[candidate], token.text
    return entry, token.text


def _uninflected(word: str) -> list[str]:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            stem = word[:-len(suffix)]
            return [stem, stem + "e", stem[:-1] if stem[-1:] == stem[-2:-1] else stem]
    return [word]


def _verb_event(token: Token, cast: Cast, lexicon: Lexicon, issues: list[IssueMention],
                published: str | None) -> Event | None:
    entry, verb = _verb_entry(token, lexicon)
    if entry is None:
        return None
    if entry.predicate == "say":
        return _speech_event(token, verb, cast, lexicon, issues, published)
    if token.lemma_.lower() in lexicon.light_verbs and _light_object(token, lexicon):
        return None  # "made an offer": the noun carries the event
    subjects = subjects_of(token, cast, lexicon)
    if not subjects:
        return None
    is_passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children)
    objects: list[Target] = []
    if is_passive:
        objects = [_target(c, cast, issues) for c in _with_conjuncts(
            [c for c in token.children if c.dep_ == "nsubjpass"])]
    partner = _prep_objects(token, ("with",), cast, issues)
    direct = [c for c in token.children if c.dep_ in ("dobj", "attr", "oprd")]
    if not objects and entry.predicate in INTERACTIVE and partner:
        objects = partner
    if not objects and entry.predicate in TARGETED:
        # on the verb or on its object: "imposed sanctions on Russian officials"
        holders = [token] + [c for c in direct if c.pos_ == "NOUN"]
        objects = _actor_targets(
            [t for holder in holders
             for t in _prep_objects(holder, ("on", "against", "at", "of"), cast, issues)],
            token.doc, cast)
    if not objects and direct:
        objects = [_target(c, cast, issues) for c in _with_conjuncts(direct)]
        if entry.predicate in INTERACTIVE:
            # "met inside the Palazzo Ducale": a named place met in, not someone met
            objects = [t for t in objects if t.actor or not _is_named_place(token.doc, t)]
    if not objects and " " in entry.lemma:
        # "called on the armed forces to respect": the one called on
        objects = _prep_objects(token, (entry.lemma.split()[-1],), cast, issues)
    if not objects and entry.preps:
        objects = _prep_objects(token, entry.preps, cast, issues)
    if not objects:
        objects = _clause_objects(token, entry.predicate, cast, issues, lexicon)
    if entry.predicate == "consult":
        # one meets, calls or consults someone; "discussing the idea" names a topic, and
        # "called the move a step" is no call at all
        objects = [t for t in objects if t.actor]
        if any(c.dep_ in ("oprd", "ccomp") for c in token.children):
            return None
    if token.lemma_.lower() in DEPARTURE_VERBS:
        destinations = _prep_objects(token, ("for",), cast, issues)
        if destinations:  # "left Washington for Poland": a journey, not a withdrawal
            entry = lexicon.verbs.get("travel") or entry
            objects = destinations
    recipient = None
    for child in token.children:
        if child.dep_ in ("dative", "iobj"):
            recipient = cast.actor_of(child) or recipient
        elif child.dep_ == "prep" and child.lower_ in RECIPIENT_PREPS and entry.predicate in (
                "offer", "propose", "aid", "request", "concede"):
            for obj in child.children:
                if obj.dep_ == "pobj" and cast.actor_of(obj):
                    recipient = cast.actor_of(obj)
    if recipient is None and entry.predicate in ("request",):
        for child in token.children:  # "urged Iran to stop": Iran is asked
            if child.dep_ == "dobj" and cast.actor_of(child):
                recipient = cast.actor_of(child)
    return _finish(Event(trigger=token.i, verb=verb, predicate=entry.predicate,
                         subjects=subjects, objects=objects,
                         sentence=sentence_of(token),
                         recipient=recipient), token, cast, published)


def _speech_event(token: Token, verb: str, cast: Cast, lexicon: Lexicon,
                  issues: list[IssueMention], published: str | None) -> Event | None:
    """What a speaker proposes or threatens in reported speech.

    "X said the system could be placed in Turkey": a modal in the reported clause makes it
    a suggestion by X. "X said that if Y does this, Russia will do that": a conditional
    promise of a counter-move is a threat by X.
    """
    for clause in token.children:
        if clause.dep_ != "ccomp" or clause.pos_ not in ("VERB", "AUX") or inside_quotes(clause):
            continue
        auxes = {c.lower_ for c in clause.children if c.dep_ in ("aux", "auxpass")}
        is_conditional = any(c.dep_ == "advcl" and any(m.lower_ in CONDITION_MARKS
                                                       for m in c.children)
                             for c in clause.children)
        if is_conditional and auxes & MODAL_PLANNED:
            predicate, modality = "threaten", "conditional"
        elif auxes & {"could", "should", "might", "may", "can"}:
            predicate, modality = "propose", "proposed"
        else:
            continue
        speakers = subjects_of(token, cast, lexicon)
        if not speakers:
            return None
        passive = [c for c in clause.children if c.dep_ == "nsubjpass"]
        direct = [c for c in clause.children if c.dep_ == "dobj"]
        objects = [_target(c, cast, issues) for c in _with_conjuncts(passive or direct)] or \
            [_clause_target(clause, cast, issues)]
        event = Event(trigger=clause.i, verb=f"{token.text} ... {clause.text}",
                      predicate=predicate, subjects=speakers, objects=objects,
                      sentence=sentence_of(token))
        event = _finish(event, clause, cast, published)
        event.modality = modality
        return event
    return None


def inside_quotes(token: Token) -> bool:
    """Whether a token stands inside a quotation in its sentence (quoted speech is the
    speaker's own words, found by kg.extract.quotes, not a report of them)."""
    before = doc_text(token.doc)[sentence_of(token).start_char:token.idx]
    straight = before.count('"')
    return straight % 2 == 1 or before.count("“") > before.count("”")


def _light_object(token: Token, lexicon: Lexicon) -> Token | None:
    for child in token.children:
        if child.dep_ == "dobj" and child.lemma_.lower() in lexicon.nouns:
            return child
    return None


def _noun_event(token: Token, cast: Cast, lexicon: Lexicon, issues: list[IssueMention],
                published: str | None) -> Event | None:
    """"Putin's offer on missile defense", "made a proposal to X", "Polish support for ..."."""
    entry = lexicon.nouns.get(token.lemma_.lower())
    if entry is None:
        return None
    subjects = noun_owner(token, cast, lexicon)
    if not subjects:
        return None
    objects: list[Target] = []
    recipient = None
    preps = NOUN_OBJECT_PREPS.get(entry.predicate, DEFAULT_NOUN_PREPS)
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in preps + ("to",):
            for obj in child.children:
                if obj.dep_ in ("pobj", "pcomp"):
                    target = _target(obj, cast, issues)
                    if target.actor and child.lower_ == "to" and entry.predicate in (
                            "offer", "propose", "request"):
                        recipient = target.actor
                    else:
                        objects.append(target)
        elif child.dep_ in ("acl", "relcl") and child.pos_ == "VERB" and not any(
                c.dep_ in ("nsubj", "nsubjpass") for c in child.children):
            objects.append(_clause_target(child, cast, issues))
    is_light = token.dep_ == "dobj" and token.head.lemma_.lower() in lexicon.light_verbs
    light = token.head if is_light else None
    if light is not None:
        for child in light.children:
            if child.dep_ == "prep" and child.lower_ == "to":
                for obj in child.children:
                    if obj.dep_ == "pobj" and cast.actor_of(obj):
                        recipient = cast.actor_of(obj)
        if not objects and token.lemma_.lower() in PROPOSAL_THINGS:
            # "presented the peace plan to Saakashvili": the plan itself is what is offered
            objects = [_target(token, cast, issues)]
    if not objects:
        return None
    event = Event(trigger=token.i, verb=token.text, predicate=entry.predicate,
                  subjects=subjects, objects=objects, sentence=sentence_of(token),
                  recipient=recipient, nominal=True)
    return _finish(event, light if light is not None else token, cast, published)


def noun_owner(token: Token, cast: Cast, lexicon: Lexicon) -> list[tuple[str, bool]]:
    """Who owns an event noun: a possessor, an actor modifier, or the light verb's subject."""
    for child in token.children:
        if child.dep_ in ("poss", "compound", "amod", "nmod"):
            key = cast.actor_of(child)
            if key:
                return [(key, True)] + [(k, True) for k in
                                        (cast.actor_of(c) for c in child.conjuncts) if k]
    if token.dep_ == "dobj" and token.head.lemma_.lower() in lexicon.light_verbs:
        return subjects_of(token.head, cast, lexicon)
    if token.dep_ == "pobj" and token.head.lower_ in SETTING_PREPS and \
            token.head.head.pos_ in ("VERB", "AUX"):
        # "spent hours in talks with Medvedev": the talks are the subject's
        return _indirect(subjects_of(token.head.head, cast, lexicon))
    return []


def subjects_of(token: Token, cast: Cast, lexicon: Lexicon,
                depth: int = 0) -> list[tuple[str, bool]]:
    """The actors doing what a verb says, each flagged True when named as its subject."""
    if depth > 6:
        return []
    children = list(token.children)
    agents = [o for c in children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj"]
    subjects = [c for c in children if c.dep_ in ("nsubj", "csubj")] or agents
    if any(c.dep_ == "nsubjpass" for c in children) and not agents:
        subjects = []
        if not any(c.dep_ == "nsubjpass" for c in children):
            return []
    found = []
    for subject in _with_conjuncts(subjects):
        if subject.lower_ in WH_WORDS and token.dep_ == "relcl":
            subject = token.head
        key = cast.actor_of(subject)
        if key:
            found.append((key, True))
        elif subject.lemma_.lower() in lexicon.instrument_nouns:
            # "the U.S. plan would place missiles": the plan's owner acts
            found.extend(noun_owner(subject, cast, lexicon))
    if found or subjects or agents:
        return found
    if any(c.dep_ == "nsubjpass" for c in children):
        return []
    head = token.head
    if token.dep_ == "xcomp":
        # object control: "urged Iran to stop" -> Iran
        if head.lemma_.lower() in ("urge", "ask", "press", "call", "persuade", "force"):
            for child in head.children:
                if child.dep_ == "dobj" and cast.actor_of(child):
                    return [(cast.actor_of(child), False)]  # type: ignore[list-item]
        passive = [c for c in head.children if c.dep_ == "nsubjpass"]
        if passive and not any(c.dep_ == "agent" for c in head.children):
            # "Biden is expected to travel": the passive's subject does the travelling
            return _indirect([(k, True) for k in (cast.actor_of(t) for t in
                                                  _with_conjuncts(passive)) if k])
        return _indirect(subjects_of(head, cast, lexicon, depth + 1))
    if token.dep_ == "advcl" and token.tag_ == "VBN":
        return []  # "Asked about the threat, Putin said": the participle's subject is unknown
    if token.dep_ in ("conj", "advcl"):
        return _indirect(subjects_of(head, cast, lexicon, depth + 1))
    if token.dep_ in ("pcomp",) and head.dep_ == "prep":
        owner = head.head
        if head.lower_ in ("of", "for") and owner.pos_ in ("VERB", "AUX"):
            # "accused the army of bombing civilians": the accused did the bombing
            accused = [c for c in owner.children if c.dep_ == "dobj"]
            if accused:
                key = cast.actor_of(accused[0])
                return [(key, False)] if key else []
        if owner.pos_ in ("VERB", "AUX"):
            return _indirect(subjects_of(owner, cast, lexicon, depth + 1))
        if owner.pos_ == "NOUN":
            return _indirect(_noun_or_clause_owner(owner, cast, lexicon, depth))
    if token.dep_ in ("acl", "relcl") and head.pos_ in ("NOUN", "PROPN"):
        if token.dep_ == "relcl" and cast.actor_of(head):
            return [(cast.actor_of(head), False)]  # type: ignore[list-item]
        return _indirect(_noun_or_clause_owner(head, cast, lexicon, depth))
    return []


def _noun_or_clause_owner(noun: Token, cast: Cast, lexicon: Lexicon,
                          depth: int) -> list[tuple[str, bool]]:
    owners = noun_owner(noun, cast, lexicon)
    if owners:
        return owners
    if noun.dep_ in ("dobj", "pobj") and noun.head.pos_ in ("VERB", "AUX"):
        return subjects_of(noun.head, cast, lexicon, depth + 1)
    if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ in ("VERB", "AUX"):
        # "follow through on threats to retarget": the threats are the subject's
        return subjects_of(noun.head.head, cast, lexicon, depth + 1)
    return []


def _indirect(subjects: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    return [(key, False) for key, _ in subjects]


def _with_conjuncts(tokens: list[Token]) -> list[Token]:
    out = []
    for token in tokens:
        out.append(token)
        out.extend(t for t in token.conjuncts if t.i > token.i)
    return out


def _target(token: Token, cast: Cast, issues: list[IssueMention]) -> Target:
    """An object: an actor when the token refers to one, else the phrase as a thing."""
    if token.lower_ in WH_WORDS and token.head.dep_ == "relcl":
        token = token.head.head  # "the pact, which Bush opposes": the pact
    key = cast.actor_of(token)
    if key and token.lower_ not in ("it", "this", "that"):
        start, end = cast.mention_spans.get(token.i, (token.i, token.i + 1))
        return Target(start=start, end=end, label=token.text, actor=key,
                      place=_place_of(token, cast))
    if token.lower_ in ("it", "this", "that") and token.pos_ == "PRON":
        mention = issue_in(token.doc[token.i:token.i + 1], issues)
        if mention is not None:
            return Target(start=token.i, end=token.i + 1, label=mention.issue.label)
    label, start, end = phrase_label(token)
    return Target(start=start, end=end, label=label, place=_place_of(token, cast))


def _is_named_place(doc: Doc, target: Target) -> bool:
    return doc[target.end - 1].ent_type_ in ("FAC", "GPE", "LOC", "ORG", "PERSON")


def _prep_objects(token: Token, preps: tuple[str, ...], cast: Cast,
                  issues: list[IssueMention]) -> list[Target]:
    targets = []
    children = list(token.children)
    # "pull out of the treaty": the preposition hangs on the particle
    children += [g for c in children if c.dep_ == "prep" and c.lower_ in PARTICLES
                 for g in c.children if g.dep_ == "prep"]
    for child in children:
        if child.dep_ == "prep" and child.lower_ in preps:
            objs = [o for o in child.children if o.dep_ == "pobj"]
            targets.extend(_target(o, cast, issues) for o in _with_conjuncts(objs))
    return targets


def _actor_targets(targets: list[Target], doc: Doc, cast: Cast) -> list[Target]:
    """Actors among targets, or named in their modifiers: "against Russian and Ukrainian
    officials" is against Russia and Ukraine."""
    found = []
    for target in targets:
        if target.actor:
            found.append(target)
            continue
        head = doc[target.end - 1]
        for child in head.children:
            if child.dep_ in ("amod", "compound", "nmod"):
                for modifier in [child, *child.conjuncts]:
                    key = cast.token_actor.get(modifier.i)
                    if key:
                        found.append(Target(start=modifier.i, end=modifier.i + 1,
                                            label=modifier.text, actor=key))
    return found


def _clause_objects(token: Token, predicate: str, cast: Cast, issues: list[IssueMention],
                    lexicon: Lexicon) -> list[Target]:
    """"offered to join the system", "proposing that Russia join": the clause as object.

    Only for events whose object can be an action, and not when the clause is an event of
    its own ("warned that he might re-aim missiles" is the re-aiming threat, found there).
    """
    if predicate not in CLAUSE_OBJECT_PREDICATES or token.lemma_.lower() in PLAN_VERBS:
        return []  # "sought to allay concerns" is an attempt, not a request
    for child in token.children:
        if child.dep_ in ("xcomp", "ccomp") and child.pos_ in ("VERB", "AUX"):
            entry = _verb_entry(child, lexicon)[0]
            if entry is not None and entry.predicate == predicate:
                return []
            if child.dep_ == "ccomp" and entry is not None and entry.predicate != "say":
                return []  # "warned that he might re-aim missiles": found on "re-aim"
            return [_clause_target(child, cast, issues)]
    return []


def _clause_target(verb: Token, cast: Cast, issues: list[IssueMention]) -> Target:
    """A clause as a thing: its words from the verb (or its subject) on, kept short."""
    doc = verb.doc
    start = verb.left_edge.i
    while start < verb.i and (doc[start].dep_ in ("mark", "aux", "advmod", "punct")
                              or doc[start].lower_ in ("that", "to")):
        start += 1
    end = min(verb.right_edge.i + 1, start + MAX_LABEL_TOKENS)
    for child in verb.rights:  # a clause of its own ("after denouncing it") is not the object
        if child.dep_ in ("advcl", "relcl", "conj", "cc", "punct", "parataxis") or (
                child.dep_ == "prep" and child.lower_ in ("after", "before", "despite")):
            end = min(end, child.left_edge.i)
    stop = next((t.i for t in doc[start:end] if t.text in LABEL_STOPS), end)
    end = max(start + 1, stop)
    while end > start + 1 and (doc[end - 1].is_punct or doc[end - 1].dep_ in ("cc", "det")):
        end -= 1
    label = doc[start:end].text
    return Target(start=start, end=end, label=label, place=_place_of(verb, cast))


def _finish(event: Event, anchor: Token, cast: Cast, published: str | None) -> Event:
    """Add place, time, modality and negation, which hang on the trigger or above it."""
    event.place = _place(anchor, event, cast)
    event.time = time_of(anchor, published)
    event.modality = modality_of(anchor)
    event.negated = is_negated(anchor)
    lo = min([anchor.i, event.trigger] + [t.start for t in event.objects])
    hi = max([anchor.i + 1, event.trigger + 1] + [t.end for t in event.objects])
    event.scope = (lo, hi)
    return event


def _place(token: Token, event: Event, cast: Cast) -> Target | None:
    return _place_of(token, cast) or next((t.place for t in event.objects if t.place), None)


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


