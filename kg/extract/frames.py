"""Frames: one per predicate in a sentence, with its roles, polarity, modality and attribution.

A frame is what every extractor reads instead of walking the parse on its own. It is made
for every verb, every event noun (kg/data/event_nouns.tsv), every predicative adjective
("Iran is ready to talk", kg/data/adjectives.tsv) and every judgement ("called the move
illegal", "said the plan was dangerous"). Its roles are token indices, so the same frame
serves relations, quotes, positions and roles, and a rule is written once:

- agent: the subject of an active verb, the "by" phrase of a passive, the possessor or
  actor modifier of an event noun ("Putin's offer", "EU sanctions"), the subject of the
  light verb that hands an event to its noun ("made an offer"), and, when a clause has no
  subject of its own, the controller: the subject of the verb above ("promised to leave"),
  its object under object control ("urged Iran to stop", from the lexicon's control
  column), the subject of a passive raising verb ("is expected to travel"), the noun a
  relative clause or participle hangs on ("the troops deployed", "countries backing it"),
  the shared subject of coordinated verbs ("met and agreed");
- patient: the direct object, or the subject of a passive; recipient: the dative or
  indirect object; obliques: every prepositional object, with its preposition ("supply
  arms to Israel", "imposed duties on"); clause: the complement clause ("offered to join");
  complement: a secondary predicate ("called the move illegal", "described it as a step");
- polarity and modality from the frame's own clause (negation does not leak across
  clauses; "stop supporting" and "refused to sign" negate the embedded act);
- attribution: the speech verb whose reported clause the frame stands in.

Coordination is kept on both sides: every conjunct of a subject or an object is a role
filler of its own, so symmetric events give every pair.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kg.extract.modality import is_asked, modality_of, time_of
from kg.extract.spans import sentence_of, tokens
from kg.lexicon import Lexicon

SUBJECT_DEPS = frozenset({"nsubj", "csubj", "expl"})
OBJECT_DEPS = frozenset({"dobj", "obj"})
# nouns of what one means to do, whose owner does it: "Russia's plan for building",
# "Israel's policy of building settlements"
PLAN_NOUNS = frozenset({"plan", "proposal", "initiative", "scheme", "policy", "programme",
                        "program", "strategy", "decision", "intention", "idea", "bid",
                        "effort", "attempt", "campaign", "project", "practice"})
# acts that only someone can do ("blamed Kyiv"), never a thing the parser made their subject
SPEAKING_ACTS = frozenset({"accuse", "request", "reject", "say", "propose", "offer"})
# entity types of a modifier that can own a plan or a policy ("Russian plans")
NAMED_OWNERS = frozenset({"GPE", "NORP", "ORG", "PERSON"})
RELATIVE_WORDS = frozenset({"which", "that", "who", "whom", "whose"})
# event nouns that name the one who acts ("acting as a mediator between", "is the go-between"):
# the subject they are said of owns them ("Iran is a threat" is a judgement, not an event)
AGENT_NOUNS = frozenset({"mediator", "middleman", "middle-man", "intermediary", "go-between"})
# verbs that stop or refuse what their complement says: "stop supporting", "refused to sign"
NEGATING_VERBS = frozenset({"stop", "cease", "refuse", "decline", "fail", "halt", "quit",
                            "abandon", "end", "reject", "avoid", "resist", "deny", "refrain",
                            "desist", "abstain"})
# prepositions that set an event noun inside its subject's own action ("in talks with")
SETTING_PREPS = frozenset({"in", "at", "during", "after", "following", "on", "upon", "through",
                           "for", "before"})
# setting prepositions that may hang on a noun and still set the clause's event
TIME_SETTINGS = frozenset({"during", "after", "before", "following", "in", "at"})
# nouns that measure how long something went on: "five hours of meetings"
DURATIONS = frozenset({"hour", "day", "week", "month", "year", "minute", "round", "series",
                       "session", "decade"})
# words that schedule what their infinitive says: "due to attend", "set to meet"
SCHEDULED = frozenset({"due", "set", "poised", "scheduled", "slated"})
# prepositions that set an objection against the clause they hang on ("despite US objections")
CONCESSIVE = frozenset({"despite", "notwithstanding"})
# words that open an indirect question
QUESTION_WORDS = frozenset({"how", "whether", "why"})
# nouns that name a time, which a relative clause sets rather than acts on: "the time Yoon
# declared martial law", "the day they met"
TIME_NOUNS = frozenset({"time", "day", "moment", "hour", "week", "month", "year", "night",
                        "morning", "evening", "afternoon", "period", "date", "point", "era"})
# nouns whose content is hoped, feared or believed, not done: "expressed hope that the two
# would reach agreement", "fears that Russia would invade"
ATTITUDE_NOUNS = frozenset({"hope", "wish", "expectation", "fear", "worry", "belief",
                            "concern", "assumption", "prospect", "possibility"})
# nouns whose content is a claim: "denied reports that it intended to": a denied claim
CLAIM_NOUNS = frozenset({"report", "claim", "allegation", "suggestion", "charge", "rumour",
                         "rumor", "accusation", "assertion", "speculation", "notion"})
# verbs that deny what their reported clause says
DENYING = frozenset({"deny", "dismiss", "refute", "rebut", "disown"})
# nouns that refuse what their clause says: "his refusal to sign", "the failure to agree"
NEGATING_NOUNS = frozenset({"refusal", "failure", "reluctance", "unwillingness", "rejection"})
# adverbs that negate their verb
NEGATING_ADVERBS = frozenset({"never", "not", "n't", "no"})
PARTICLES = frozenset({"out", "down", "up", "off", "back", "away", "forward", "over", "in"})
COPULAS = frozenset({"be", "become", "remain", "seem", "appear", "look", "sound", "prove"})
# classes whose object does the act of their "of/for/against/from" gerund ("accused the army
# of bombing", "thanked Oslo for hosting", "warned Washington against selling arms")
OBJECT_OF_ACT = frozenset({"accuse", "support", "reject", "request", "threaten", "coerce",
                           "sanction", "concede"})
# verbs of leaving: "left Washington for Poland" travels, "will leave the alliance" retreats
# nouns that only name the procedure of the event noun before them ("impeachment
# proceedings", "an aid package", "a peace process", "a sanctions bill")
PROCEDURE_NOUNS = frozenset({"proceeding", "process", "procedure", "motion", "package",
                             "campaign", "programme", "program", "operation", "effort"})
DEPARTURE_VERBS = frozenset({"leave", "quit", "exit", "depart"})
# "it is essential that ...": what must be done, a demand on whoever is to do it
NECESSITY = frozenset({"essential", "necessary", "vital", "imperative", "crucial", "important",
                       "critical", "time", "urgent"})
INTENSIFIERS = frozenset({"great", "greatest", "big", "biggest", "huge", "major", "real", "true",
                          "total", "complete", "utter", "absolute", "serious", "grave", "deep",
                          "single", "main", "key", "top", "large", "largest", "high", "highest"})
# verbs that judge their object by a second predicate: "called the decision a mistake"
JUDGING_VERBS = frozenset({"call", "describe", "consider", "deem", "label", "brand", "term",
                           "view", "see", "regard", "dismiss", "hail", "characterise",
                           "characterize", "portray", "denounce", "condemn", "praise", "find"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Frame:
    """One predicate and its roles, as token indices into the Doc.

    ``agents`` and ``patients`` list every candidate filler, conjuncts included, nearest
    first; an extractor keeps those that refer to actors.
    """

    trigger: int
    kind: str  # "verb", "noun", "adjective", "judgement", "attribute" (a judging adjective)
    lemma: str
    particle: str | None = None
    agents: tuple[int, ...] = ()
    is_agent_direct: bool = True  # named as the subject, not found by control or coordination
    patients: tuple[int, ...] = ()
    recipients: tuple[int, ...] = ()
    obliques: tuple[tuple[str, int], ...] = ()  # (preposition, its object)
    clause: int | None = None  # complement clause head
    complement: int | None = None  # secondary predicate of a judgement
    judged: int | None = None  # what a judgement is about
    light: int | None = None  # the light verb of a noun frame ("made an offer")
    is_passive: bool = False
    is_negated: bool = False
    modality: str = "asserted"
    is_asked: bool = False  # an act asked of its doer by another ("urged Iran to stop")
    # the content of a report, claim or question ("reports that Iran intends", "a test of
    # how firmly the government is prepared to act"): what the text asserts is around it
    is_hearsay: bool = False
    time: str | None = None
    attribution: int | None = None  # trigger of the speech frame reporting this one
    sentence: tuple[int, int] = (0, 0)

    def oblique(self, *preps: str) -> list[int]:
        """Objects of the given prepositions, in the order of ``preps``."""
        return [token for prep in preps for p, token in self.obliques if p == prep]


def build_frames(doc: Doc, lexicon: Lexicon, published: str | None = None) -> list[Frame]:
    """Every frame of the Doc, in text order.

    Args:
        doc: a parsed article.
        lexicon: ``kg.lexicon.load_lexicon()``: control verbs, event nouns, adjectives,
            light verbs and speech verbs come from it.
        published: the publication date that anchors relative times.
    """
    builder = _Builder(doc, lexicon, published)
    # a verb no table knows heads no frame any extractor could use: skip it early, since
    # extraction looks at every token of every article (its agents are still found when a
    # frame below it asks)
    known = _known_verbs(lexicon)
    frames = []
    for token in tokens(doc):
        pos = token.pos_
        if pos not in ("VERB", "AUX", "NOUN", "ADJ"):
            continue  # no other part of speech heads a frame
        if pos in ("VERB", "AUX") and token.lemma_.lower() not in known and \
                token.lower_ not in lexicon.evaluative and token.lower_ not in lexicon.adjectives \
                and "-" not in token.text and not (token.i and doc[token.i - 1].text == "-"):
            continue
        frame = builder.frame(token)
        if frame is not None:
            frames.append(frame)
    return frames


_KNOWN: dict[int, tuple[Lexicon, frozenset[str]]] = {}


def _known_verbs(lexicon: Lexicon) -> frozenset[str]:
    """The verbs some table or rule knows, made once per lexicon."""
    found = _KNOWN.get(id(lexicon))
    if found is None or found[0] is not lexicon:
        words = frozenset(lexicon.verb_first_words | lexicon.phrase_verbs |
                          lexicon.stance_verbs.keys() | JUDGING_VERBS | COPULAS |
                          lexicon.light_verbs | DEPARTURE_VERBS)
        found = _KNOWN[id(lexicon)] = (lexicon, words)
    return found[1]


class _Builder:
    def __init__(self, doc: Doc, lexicon: Lexicon, published: str | None) -> None:
        self.doc = doc
        self.lexicon = lexicon
        self.published = published
        self._agents: dict[int, tuple[tuple[int, ...], bool]] = {}
        # verbs the parser joined to a reported clause that are the reporter's -> its verb
        self._reporter_clause: dict[int, Token] = {}

    # ---- which tokens are predicates ------------------------------------------------

    def frame(self, token: Token) -> Frame | None:
        if token.dep_ in ("aux", "auxpass"):
            return None
        if token.pos_ in ("VERB", "AUX"):
            judgement = self._judgement(token)
            if judgement is not None:
                return judgement
            if token.lemma_.lower() in COPULAS and token.pos_ == "AUX" or (
                    token.lemma_.lower() == "be"):
                return None  # "be" heads no event; its complement may (an adjective frame)
            return self._verb_frame(token)
        if token.pos_ == "ADJ" and token.dep_ == "amod" and token.head.pos_ == "NOUN":
            return self._attributive_judgement(token)
        if token.pos_ == "NOUN" and token.lemma_.lower() in self.lexicon.event_nouns:
            return self._noun_frame(token)  # (a proper noun is a name: "March", "Rally")
        if token.pos_ in ("ADJ", "VERB") and token.lower_ in self.lexicon.adjectives and any(
                c.dep_ in ("auxpass", "aux", "cop") and c.lemma_.lower() in COPULAS
                for c in token.children):
            # "the UK was prepared to veto": the parser made the adjective the clause's head
            return self._adjective_frame(token, is_passive=True)
        if token.pos_ in ("ADJ", "VERB") and token.dep_ in ("acomp", "oprd", "xcomp") and \
                token.head.lemma_.lower() in COPULAS and (
                    token.lemma_.lower() in self.lexicon.adjectives
                    or token.lower_ in self.lexicon.adjectives):
            return self._adjective_frame(token)  # "remained opposed to", "is ready to"
        return None

    # ---- verbs ----------------------------------------------------------------------

    def _verb_frame(self, token: Token) -> Frame:
        children = list(token.children)
        is_passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in children)
        # one direct object: a second one after a comma is the parser's misreading of an
        # apposition further in ("accused his opponents of sympathizing with North Korea,
        # its reclusive neighbor")
        patients = [c for c in children if c.dep_ in OBJECT_DEPS][:1]
        if patients:
            # "place missiles in Poland and a radar in the Czech Republic": the parser joins
            # the second object to the verb; a noun coordinated with a verb after its object
            # is its object (after a passive it is the subject of a clause the parser cut:
            # "Putin was indicted by the court, and South Africa would be obliged to")
            patients += [c for c in children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN")
                         and c.i > patients[0].i]
        if is_passive:
            patients = [c for c in children if c.dep_ == "nsubjpass"] + patients
        if token.dep_ == "relcl" and not patients and not is_passive and \
                token.head.pos_ == "NOUN" and token.head.lemma_.lower() not in TIME_NOUNS and \
                not any(c.lower_ in RELATIVE_WORDS or c.lower_ in ("where", "when", "why")
                        for c in children) and \
                any(c.dep_ == "nsubj" for c in children) and not any(
                    c.dep_ in ("prep", "xcomp", "ccomp") and c.i < token.head.i for c in children):
            # "the policies critics have blamed on him": the noun is what the clause acts on
            patients = [token.head]
        participle = token.head if token.dep_ == "conj" and token.head.dep_ == "acl" else token
        if participle.dep_ == "acl" and token.tag_ == "VBN" and not patients:
            # "the boycott, proposed by Labour", "an appearance arranged by X and criticized
            # by Y": the noun is what is acted on
            patients = [participle.head]
        # "Tusk, who was telephoned by Obama": the relative pronoun stands for the noun
        patients = [token.head if p.lower_ in RELATIVE_WORDS and token.dep_ == "relcl"
                    and token.head.pos_ in ("NOUN", "PROPN") else p for p in patients]
        recipients = [c for c in children if c.dep_ in ("dative", "iobj")]
        # "paid tribute to X": a dative preposition brings its object
        recipients = [next((o for o in c.children if o.dep_ == "pobj"), c)
                      if c.pos_ == "ADP" else c for c in recipients]
        # "held back", "pulled out": a particle, or an adverb the parser took for one
        particle = next((c.lower_ for c in children if c.dep_ == "prt"), None) or next(
            (c.lower_ for c in children if c.dep_ == "advmod" and c.lower_ in PARTICLES
             and c.i == token.i + 1), None)
        clause = next((c.i for c in children if c.dep_ in ("xcomp", "ccomp")
                       and c.pos_ in ("VERB", "AUX")), None)
        agents, direct = self.agents_of(token)
        # a verb the parser joined to a reported clause but that is the reporter's own
        # ("said it would embolden Iran and accused the administration") is asserted, as
        # the report is, not planned as the reported clause
        facts = self._clause_facts(token)
        if token.i in self._reporter_clause:
            reporter = self._clause_facts(self._reporter_clause[token.i])
            facts.update(modality=reporter["modality"], attribution=reporter["attribution"],
                         is_hearsay=reporter["is_hearsay"])
        return Frame(
            trigger=token.i, kind="verb", lemma=token.lemma_.lower(), particle=particle,
            agents=agents, is_agent_direct=direct,
            patients=_with_conjuncts(patients), recipients=_with_conjuncts(recipients),
            obliques=_obliques(token), clause=clause, is_passive=is_passive, **facts)

    def _clause_facts(self, anchor: Token) -> dict:
        start, end = _sentence_bounds(anchor)
        return {"is_negated": is_negated(anchor),
                "modality": modality_of(anchor, self._verb_class),
                "time": time_of(anchor, self.published),
                "attribution": self.attribution_of(anchor), "sentence": (start, end),
                "is_asked": is_asked(anchor, self._verb_class) or self._demanded(anchor),
                "is_hearsay": _is_hearsay(anchor) or _is_question(anchor)}

    def _verb_class(self, verb: Token) -> str | None:
        """The event class of a verb, with its particle or preposition ("call on")."""
        lemma = verb.lemma_.lower()
        for child in verb.children:
            if child.dep_ in ("prt", "prep"):
                entry = self.lexicon.verbs.get(f"{lemma} {child.lower_}")
                if entry is not None:
                    return entry.predicate
        entry = self.lexicon.verbs.get(lemma)
        return entry.predicate if entry is not None else None

    def agents_of(self, token: Token, depth: int = 0) -> tuple[tuple[int, ...], bool]:
        """Who does what a verb says: its subject or, without one, its controller."""
        if token.i in self._agents:
            return self._agents[token.i]
        result = self._find_agents(token, depth)
        self._agents[token.i] = result
        return result

    def _find_agents(self, token: Token, depth: int) -> tuple[tuple[int, ...], bool]:
        if depth > 8:
            return (), False
        children = list(token.children)
        by = [o for c in children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj"]
        if by:
            return _with_conjuncts(by), True
        if token.pos_ != "ADJ" and token.lower_ not in self.lexicon.adjectives and any(
                c.dep_ in ("nsubjpass", "auxpass") for c in children):
            return (), False  # a passive without its "by" phrase names no agent
        subjects = [c for c in children if c.dep_ in ("nsubj", "csubj")]
        if not subjects:  # "the UK was prepared": the parser may hang the subject on "was"
            subjects = [g for c in children if c.dep_ in ("aux", "auxpass")
                        for g in c.children if g.dep_ in ("nsubj", "nsubjpass")]
        if not subjects and token.lemma_.lower() == "be" and any(
                c.dep_ in ("acomp", "prep") and c.lower_ in SCHEDULED for c in children):
            # "Also due to attend are Rice and Annan": the inverted subject follows
            subjects = [c for c in children if c.dep_ == "attr"]
        if subjects:
            subject = subjects[0]
            if subject.lower_ in RELATIVE_WORDS and token.dep_ == "relcl":
                return _with_conjuncts([token.head]), True  # "Bush, who met Putin"
            return _with_conjuncts(subjects), True
        head = token.head
        if head is token:
            return (), False
        dep = token.dep_
        if dep in ("prep", "advmod", "acomp") and token.lower_ in SCHEDULED and \
                head.pos_ in ("VERB", "AUX"):
            # "Also due to attend are Rice and Annan": the subject of the inverted copula
            agents, _ = self.agents_of(head, depth + 1)
            return agents, False
        if dep in ("acomp", "oprd") and head.pos_ in ("VERB", "AUX"):
            agents, _ = self.agents_of(head, depth + 1)  # "remained opposed": the subject's
            return agents, False
        if dep == "xcomp" or (dep == "ccomp" and token.tag_ == "VB" and any(
                c.lower_ == "to" for c in children)):
            return self._controller(token, head, depth)
        if dep == "conj":
            agents, _ = self.agents_of(head, depth + 1)
            if not agents and head.dep_ == "ccomp" and not any(
                    c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in head.children):
                # "said there would be no change and rejected the threat": a verb the parser
                # joined to a subjectless reported clause belongs to the reporter
                agents, _ = self.agents_of(head.head, depth + 1)
                self._reporter_clause[token.i] = head.head
            elif agents and head.dep_ == "ccomp" and \
                    head.head.lemma_.lower() in self.lexicon.speech_verbs and \
                    self._is_speaking_act(token) and all(
                        _is_thing(token.doc[i], self.lexicon)
                        or token.doc[i].lower_ in ("it", "this") and _tensed_apart(token, head)
                        for i in agents):
                # "said the offer remained on the table and blamed Kyiv", "said it would
                # embolden Iran and accused the administration": an offer blames no one;
                # the parser joined the reporter's second verb to the reported one (where
                # "it" is the reporter's own state, the reporter's side acts all the same)
                agents, _ = self.agents_of(head.head, depth + 1)
                self._reporter_clause[token.i] = head.head
            return agents, False
        if dep == "advcl":
            if token.tag_ == "VBN" and not any(c.dep_ == "mark" for c in children):
                return (), False  # "Asked about it, Putin said": the one asked is unknown
            agents, _ = self.agents_of(head, depth + 1)
            return agents, False
        if dep == "pcomp" and head.dep_ == "prep":
            owner = head.head
            named = _named_owners(_object_before(owner, head)) if owner.pos_ in (
                "VERB", "AUX") and head.lower_ in ("of", "for") else []
            if named:
                # "tie U.S. plans for building a shield", "condemned Israel's policy of
                # building settlements": the parser hangs the act on the verb, but it is
                # the plan's or the policy's owner who would build
                return _with_conjuncts(named), False
            entry = self.lexicon.verbs.get(owner.lemma_.lower())
            if head.lower_ in ("of", "for", "against", "from") and owner.pos_ in ("VERB", "AUX") \
                    and entry is not None and entry.predicate in OBJECT_OF_ACT:
                # "accused the army of bombing", "warned Washington against selling arms",
                # "barred them from entering": the one accused or warned does it
                accused = [c for c in owner.children if c.dep_ in OBJECT_DEPS]
                if accused:
                    return _with_conjuncts(accused), False
            if owner.pos_ in ("VERB", "AUX"):
                agents, _ = self.agents_of(owner, depth + 1)
                return agents, False
            if owner.pos_ in ("NOUN", "PROPN"):
                owners = self._noun_owners(owner, depth + 1)
                if owners:
                    return owners, False
                # "keep my eye open for an opportunity for improving relations": with no
                # owner, the act is the clause subject's
                verb = next((t for t in owner.ancestors if t.pos_ in ("VERB", "AUX")), None)
                if verb is not None:
                    return self.agents_of(verb, depth + 1)[0], False
        if dep in ("acl", "relcl") and head.pos_ in ("NOUN", "PROPN", "PRON"):
            if token.tag_ == "VBN":
                return (), False  # "troops deployed in Poland": the troops are the patient
            if dep == "acl" and token.tag_ == "VB":
                # "plans to base missiles": the plan's owner acts
                return self._noun_owners(head, depth + 1), False
            return _with_conjuncts([head]), False  # "countries backing the plan"
        return (), False

    def _is_speaking_act(self, token: Token) -> bool:
        """An act only someone can do: blaming, asking, refusing, saying, proposing."""
        entry = self.lexicon.verbs.get(token.lemma_.lower())
        return entry is not None and entry.predicate in SPEAKING_ACTS

    def _controller(self, token: Token, head: Token, depth: int) -> tuple[tuple[int, ...], bool]:
        """The subject of a subjectless complement: object or subject control, raising."""
        lemma = head.lemma_.lower()
        if head.pos_ == "ADJ" or head.dep_ in ("acomp", "oprd"):
            # "ready to talk": the subject of the copula the adjective completes
            copula = head.head if head.dep_ in ("acomp", "oprd") else head
            agents, _ = self.agents_of(copula, depth + 1)
            return agents, False
        objects = [c for c in head.children if c.dep_ in OBJECT_DEPS]
        if objects and self.lexicon.control_of(lemma, head) == "object":
            return _with_conjuncts(objects), False  # "urged Iran to stop": Iran stops
        if objects and lemma in ("help", "let", "make", "allow", "force", "enable"):
            return _with_conjuncts(objects), False
        passive = [c for c in head.children if c.dep_ == "nsubjpass"]
        if passive and not any(c.dep_ == "agent" for c in head.children):
            # "Biden is expected to travel": the passive's subject travels
            return _with_conjuncts(passive), False
        # "called on the army to respect": the one called on
        if self.lexicon.control_of(lemma, head) == "object" or any(
                self.lexicon.control_of(f"{lemma} {p.lower_}") == "object"
                for p in head.children if p.dep_ == "prep"):
            for prep in head.children:
                if prep.dep_ == "prep" and prep.lower_ in ("on", "upon"):
                    pobj = [o for o in prep.children if o.dep_ == "pobj"]
                    if pobj:
                        return _with_conjuncts(pobj), False
        agents, _ = self.agents_of(head, depth + 1)
        return agents, False

    # ---- event nouns ----------------------------------------------------------------

    def _noun_frame(self, token: Token) -> Frame | None:
        # "began impeachment proceedings against Yoon": the event noun modifies a noun that
        # only names its procedure, which holds the light verb, the owner and the target
        host = token.head if token.dep_ == "compound" and \
            token.head.lemma_.lower() in PROCEDURE_NOUNS else token
        owners = tuple(dict.fromkeys(self._noun_owners(token, 0) + (
            self._noun_owners(host, 0) if host is not token else ())))
        owners = tuple(i for i in owners if i != token.i)
        light = None
        if host.dep_ in OBJECT_DEPS and host.head.lemma_.lower() in self.lexicon.light_verbs:
            light = host.head
        anchor = light if light is not None else token
        obliques = list(_obliques(token)) + (list(_obliques(host)) if host is not token else [])
        recipients: list[int] = []
        # "plans to build", and "denials that it was implicated": the act or the claim
        clause = next((c.i for c in token.children if c.dep_ in ("acl", "relcl", "ccomp")
                       and c.pos_ in ("VERB", "AUX") and (c.tag_ == "VB" or any(
                           m.dep_ == "mark" and m.lower_ == "that" for m in c.children))),
                      None)
        if clause is None and token.dep_ == "pobj" and token.head.lower_ in CONCESSIVE and \
                token.head.head.pos_ in ("VERB", "AUX") and self._is_against(token):
            # "to be lifted despite US objections": the objection is to what the clause does
            clause = token.head.head.i
        if light is not None:
            obliques += _obliques(light)
            recipients = list(_with_conjuncts([c for c in light.children
                                               if c.dep_ in ("dative", "iobj")]))
        return Frame(trigger=token.i, kind="noun", lemma=token.lemma_.lower(),
                     agents=owners, is_agent_direct=light is None,
                     recipients=tuple(recipients), obliques=tuple(obliques), clause=clause,
                     light=light.i if light is not None else None,
                     **{**self._clause_facts(anchor),
                        "is_negated": is_negated(anchor) or _has_no(token)})

    def _noun_owners(self, token: Token, depth: int) -> tuple[int, ...]:
        """Who owns an event noun: a possessor, a modifier, a "by" phrase, the light verb's
        subject, or the subject of the clause it is set in ("in talks with")."""
        owners = [c for c in token.children if c.dep_ in ("poss", "compound", "amod", "nmod")
                  and c.i < token.i]
        # "the Bush-Putin meeting": both halves of a hyphenated modifier own the event
        owners += [g for c in owners for g in c.children if g.dep_ in ("compound", "amod")
                   and g.i + 2 == c.i and g.doc[g.i + 1].text in ("-", "–", "/")]
        by = [o for c in token.children if c.dep_ == "prep" and c.lower_ == "by"
              for o in c.children if o.dep_ == "pobj"]
        found = list(_with_conjuncts(owners + by))
        setting = token
        while setting.dep_ == "pobj" and setting.head.lower_ == "of" and \
                setting.head.head.lemma_.lower() in DURATIONS:
            setting = setting.head.head  # "after five hours of meetings with"
        if token.dep_ in OBJECT_DEPS and token.head.lemma_.lower() in self.lexicon.light_verbs:
            found += self.agents_of(token.head, depth + 1)[0]
        elif setting.dep_ == "pobj" and setting.head.lower_ in SETTING_PREPS and \
                self._is_shared(token) and (setting.head.lower_ in TIME_SETTINGS
                                            or setting.head.head.pos_ in ("VERB", "AUX")):
            # ("talks on trade": "on" after a noun names a topic, not a setting)
            # "spent hours in talks with Medvedev", "follow through on threats", "told them
            # of the decision during talks with": the talks and threats are the clause
            # subject's; "called for the release of" is no release by the caller, so only
            # events one takes part in are owned this way
            verb = next((t for t in setting.head.ancestors if t.pos_ in ("VERB", "AUX")), None)
            if verb is not None:
                found += self.agents_of(verb, depth + 1)[0]
        elif token.lemma_.lower() in AGENT_NOUNS and token.dep_ == "pobj" and \
                token.head.lower_ == "as" and \
                token.head.head.pos_ in ("VERB", "AUX") and not any(
                    c.dep_ in ("dobj", "nsubjpass") for c in token.head.head.children):
            # "is acting as a mediator between": the one acting (not "sees NATO as a
            # threat", nor "NATO is seen as a threat")
            found += self.agents_of(token.head.head, depth + 1)[0]
        elif token.lemma_.lower() in AGENT_NOUNS and token.dep_ == "attr" and \
                token.head.lemma_.lower() == "be":
            # "Mukonori is the go-between": the subject is what the noun names
            found += [c.i for c in token.head.children if c.dep_ == "nsubj"]
        if not found and self._is_shared(token):
            # "the talks between Russia and Ukraine": the parties of a shared event own it
            found = list(_with_conjuncts([o for c in token.children if c.dep_ == "prep"
                                          and c.lower_ == "between" for o in c.children
                                          if o.dep_ == "pobj"]))
        return tuple(sorted(dict.fromkeys(found), key=lambda i: (i > token.i, i)))

    def _is_against(self, noun: Token) -> bool:
        entry = self.lexicon.event_nouns.get(noun.lemma_.lower())
        return entry is not None and self.lexicon.predicates[entry.predicate].sign < 0

    def _is_shared(self, noun: Token) -> bool:
        entry = self.lexicon.event_nouns.get(noun.lemma_.lower())
        if entry is None:
            return False
        klass = self.lexicon.predicates[entry.predicate]
        return klass.is_symmetric or entry.predicate in ("travel", "threaten", "offer")

    # ---- adjectives and judgements ----------------------------------------------------

    def _adjective_frame(self, token: Token, is_passive: bool = False) -> Frame:
        copula = token if is_passive else token.head
        lemma = token.lemma_.lower() if token.lemma_.lower() in self.lexicon.adjectives \
            else token.lower_
        if is_passive:  # the parser read "was prepared" as a passive: its subject is ours
            subjects = [c for c in token.children if c.dep_ in ("nsubjpass", "nsubj")]
            subjects = subjects or [g for c in token.children if c.dep_ in ("aux", "auxpass")
                                    for g in c.children if g.dep_ in ("nsubj", "nsubjpass")]
            agents, direct = _with_conjuncts(subjects), True
        else:
            agents, direct = self.agents_of(copula)
        clause = next((c.i for c in token.children if c.dep_ in ("xcomp", "ccomp")), None)
        return Frame(trigger=token.i, kind="adjective", lemma=lemma,
                     agents=agents, is_agent_direct=direct, obliques=_obliques(token),
                     clause=clause, **{**self._clause_facts(copula),
                                       "is_negated": is_negated(copula) or is_negated(token)})

    def _judgement(self, token: Token) -> Frame | None:
        """"called the decision a mistake", "described it as a step", "the plan is
        dangerous": a frame whose complement judges what it is about."""
        lemma = token.lemma_.lower()
        children = list(token.children)
        judged = complement = None
        if lemma in JUDGING_VERBS and token.pos_ == "VERB":
            judged = next((c for c in children if c.dep_ in OBJECT_DEPS), None)
            complement = next((c for c in children if c.dep_ in ("oprd", "xcomp", "ccomp")
                               and c.pos_ in ("ADJ", "NOUN", "PROPN")), None)
            if complement is None:
                complement = next((o for c in children if c.dep_ == "prep" and c.lower_ == "as"
                                   for o in c.children if o.dep_ in ("pobj", "amod", "pcomp")),
                                  None)
            if complement is None and judged is not None:
                # "called the move illegal": the parser hangs the adjective on the object,
                # and "described the embargo as a product of" the "as"
                complement = next((c for c in judged.children if c.dep_ in ("amod", "oprd")
                                   and c.i > judged.i and c.pos_ == "ADJ"), None) or next(
                    (o for c in judged.children if c.dep_ == "prep" and c.lower_ == "as"
                     for o in c.children if o.dep_ in ("pobj", "amod")), None)
        elif lemma in COPULAS and (necessity := self._necessity(token)) is not None:
            # "it is essential that Britain keeps the rebate": a demand on Britain, by
            # whoever says so
            complement, judged = necessity
            return Frame(trigger=token.i, kind="judgement", lemma=lemma,
                         complement=complement.i, judged=judged.i, clause=judged.i,
                         **{**self._clause_facts(token), "is_negated": is_negated(token)})
        elif lemma in COPULAS and token.dep_ in ("ROOT", "ccomp", "conj") and not any(
                c.dep_ in ("csubj", "ccomp", "xcomp") or (c.dep_ == "advcl" and any(
                    m.lower_ in ("if", "unless", "whether", "when") for m in c.children))
                for c in children):
            # (a clause after "be" makes "it" a dummy: "it would be best if he left")
            judged = next((c for c in children if c.dep_ == "nsubj"), None)
            complement = next((c for c in children if c.dep_ in ("acomp", "attr")), None)
            if complement is not None and complement.pos_ in ("NOUN", "PROPN") and any(
                    c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those")
                    for c in complement.children) and not any(
                    c.dep_ == "amod" and (c.lemma_.lower() in self.lexicon.evaluative
                                          or c.lower_ in self.lexicon.evaluative)
                    for c in complement.children):
                # "our focus is the threat posed by Iran" identifies; "this is the good deal"
                # judges, by its adjective
                return None
            if complement is not None and complement.lemma_.lower() in self.lexicon.adjectives:
                return None  # "Iran is ready to talk": an adjective frame, not a judgement
        elif token.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in children) and \
                token.lower_ in self.lexicon.evaluative:
            judged = next((c for c in children if c.dep_ == "nsubjpass"), None)
            complement = token  # "the decision was misguided", parsed as a passive
        if judged is None or complement is None or not _evaluation(complement, self.lexicon):
            return None
        if judged.lower_ in RELATIVE_WORDS and judged.head.dep_ == "relcl":
            judged = judged.head.head  # "the drills that Pyongyang called provocative"
        agents, direct = (self.agents_of(token) if lemma in JUDGING_VERBS else ((), False))
        return Frame(trigger=token.i, kind="judgement", lemma=lemma, agents=agents,
                     is_agent_direct=direct, complement=complement.i, judged=judged.i,
                     patients=(judged.i,), **{**self._clause_facts(token),
                                              "is_negated": is_negated(token)})

    def _demanded(self, verb: Token) -> bool:
        """"it is vital that Iran complies": Iran's compliance is asked of it, not done."""
        if verb.dep_ != "ccomp":
            return False
        copula = verb.head if verb.head.lemma_.lower() in COPULAS else verb.head.head
        necessity = self._necessity(copula) if copula.lemma_.lower() in COPULAS else None
        return necessity is not None and necessity[1].i == verb.i

    @staticmethod
    def _necessity(copula: Token) -> tuple[Token, Token] | None:
        """(adjective, clause) of "it is essential/vital/time that X does Y", else None."""
        children = list(copula.children)
        if not any(c.dep_ in ("nsubj", "expl") and c.lower_ == "it" for c in children):
            return None
        adjective = next((c for c in children if c.dep_ in ("acomp", "attr")
                          and c.lemma_.lower() in NECESSITY), None)
        if adjective is None:
            return None
        clause = next((c for c in (*children, *adjective.children) if c.dep_ == "ccomp"
                       and c.pos_ in ("VERB", "AUX") and any(
                           s.dep_ in ("nsubj", "nsubjpass") for s in c.children)), None)
        return (adjective, clause) if clause is not None else None

    def _attributive_judgement(self, adjective: Token) -> Frame | None:
        """"Yoon's 'illegal declaration of martial law'," Lee said: a judging adjective on a
        noun judges it, when someone is quoted or reported saying so (the reporter's own
        adjectives judge nothing)."""
        lemma = adjective.lemma_.lower()
        if lemma in INTENSIFIERS or (lemma not in self.lexicon.evaluative
                                     and adjective.lower_ not in self.lexicon.evaluative):
            return None
        noun = adjective.head
        if noun.lemma_.lower() in self.lexicon.evaluative:
            return None  # "a big mistake": the noun judges, as a complement would
        attribution = self.attribution_of(noun)
        if attribution is None and not _is_quoted(adjective):
            return None
        return Frame(trigger=adjective.i, kind="attribute", lemma=lemma, complement=adjective.i,
                     judged=noun.i, patients=(noun.i,),
                     **{**self._clause_facts(noun), "attribution": attribution,
                        "is_negated": False})

    # ---- attribution ------------------------------------------------------------------

    def attribution_of(self, token: Token) -> int | None:
        """The speech verb whose reported clause a token stands in ("X said that Y met
        Z": the meeting is reported by X's saying)."""
        node = token
        for _ in range(10):
            head = node.head
            if head is node:
                return None
            if node.dep_ in ("ccomp", "parataxis") and \
                    head.lemma_.lower() in self.lexicon.speech_verbs:
                return head.i
            if node.dep_ == "pcomp" and head.lower_ in ("of", "for") and \
                    head.head.lemma_.lower() in self.lexicon.speech_verbs:
                return head.head.i  # "accused Israel of violating the ceasefire": alleged
            node = head
        return None


def _tensed_apart(verb: Token, reported: Token) -> bool:
    """"said it would embolden Iran and accused": a verb in the past or present tense, with
    no auxiliary of its own, joined to a reported verb under a modal is not part of what
    was reported ("said it will review the ban and may propose amendments" is)."""
    return verb.tag_ in ("VBD", "VBZ", "VBP") and not any(
        c.dep_ in ("aux", "auxpass") for c in verb.children) and reported.tag_ == "VB"


def _is_thing(token: Token, lexicon: Lexicon) -> bool:
    """A common noun that names no one: not a name, pronoun, group, title or people noun."""
    lemma = token.lemma_.lower()
    return token.pos_ == "NOUN" and not token.ent_type_ and lemma not in lexicon.groups and \
        lemma not in lexicon.titles and not any(c.dep_ in ("compound", "poss") and (
            c.ent_type_ or c.pos_ in ("PROPN", "PRON")) for c in token.children)


def _object_before(verb: Token, prep: Token) -> Token | None:
    """The verb's object when it is a plan or a policy ending right before ``prep``."""
    return next((c for c in verb.children if c.dep_ in OBJECT_DEPS and c.pos_ == "NOUN"
                 and c.lemma_.lower() in PLAN_NOUNS and c.right_edge.i + 1 == prep.i), None)


def _named_owners(noun: Token | None) -> list[Token]:
    """The names or possessive pronouns that own a noun: "U.S. plans", "Russia's
    proposal", "its policy", "Russian plans"."""
    if noun is None:
        return []
    return [c for c in noun.children if c.i < noun.i and (
        c.dep_ in ("poss", "compound") and (c.pos_ == "PROPN" or c.ent_type_ in NAMED_OWNERS)
        or c.dep_ == "poss" and c.pos_ == "PRON"
        or c.dep_ == "amod" and c.ent_type_ in NAMED_OWNERS)]


def evaluation_of(token: Token, lexicon: Lexicon) -> str | None:
    """The polarity a judging word gives what it is said of, negation included."""
    return _evaluation(token, lexicon)


def _evaluation(complement: Token, lexicon: Lexicon) -> str | None:
    # an intensifier judges nothing by itself: "the greatest frustration", "a big mistake"
    modifiers = [c for c in complement.children if c.dep_ == "amod"
                 and c.lemma_.lower() not in INTENSIFIERS and c.lower_ not in INTENSIFIERS]
    for word in [complement, *modifiers]:
        polarity = lexicon.evaluative.get(word.lemma_.lower()) or lexicon.evaluative.get(
            word.lower_)
        if polarity:
            if any(c.dep_ == "neg" or c.lower_ in ("not", "no", "hardly") for c in
                   word.children):
                return "oppose" if polarity == "support" else "support"
            return polarity
    # a name that judges what it is put to: "a product of the Cold War", "Cold War mentality"
    named = [c for c in complement.children if c.dep_ == "compound"] + [
        o for c in complement.children if c.dep_ == "prep" and c.lower_ == "of"
        for o in c.children if o.dep_ == "pobj"]
    for name in named:
        words = [t.lower_ for t in name.lefts if t.dep_ == "compound"] + [name.lower_]
        polarity = lexicon.evaluative.get(" ".join(words))
        if polarity:
            return polarity
    return None


def is_negated(token: Token) -> bool:
    """A negation in the frame's own clause: on the trigger, on the verbs whose subject
    it shares through control ("did not agree to talk" negates the talking too), or a
    governing verb that stops or refuses it ("stopped supporting", "refused to sign").
    A negation in a clause that only reports or embeds it does not count."""
    node = token
    for _ in range(6):
        for child in node.children:
            if child.dep_ == "neg":
                return True
            if child.dep_ == "advmod" and (child.lower_ in NEGATING_ADVERBS or any(
                    g.dep_ == "neg" for g in child.children)):
                return True  # "never", "no longer"
        if node.dep_ == "acl" and (node.head.lemma_.lower() in NEGATING_NOUNS
                                   or _has_no(node.head)):
            return True  # "his refusal to sign", "there is no need to deploy"
        if node.dep_ in ("acl", "relcl", "ccomp") and \
                node.head.lemma_.lower() in CLAIM_NOUNS and \
                node.head.head.lemma_.lower() in NEGATING_VERBS:
            return True  # "denied reports that Iran intends to": the intent is denied
        if node.dep_ == "ccomp" and node.head.lemma_.lower() in DENYING:
            return True  # "Iran denied that it had supplied weapons"
        if node.dep_ == "pcomp" and node.head.lower_ in ("against", "without"):
            return True  # "warned against making a bad deal", "without consulting"
        if node.dep_ == "pcomp" and node.head.dep_ == "prep":
            # "refrained from attacking": only a verb that stops it negates a gerund; a
            # negation above it ("had not appeared since lifting") belongs to that clause
            return node.head.head.lemma_.lower() in NEGATING_VERBS
        if node.dep_ != "xcomp":
            return False
        if node.head.lemma_.lower() in NEGATING_VERBS:
            return True
        node = node.head
    return False


def _is_hearsay(token: Token) -> bool:
    """Whether an act is only the content of a report, claim or rumour ("reports that Iran
    intends to threaten shipping", "allegations that he took bribes") or of a hope or fear
    ("expressed hope that they would reach agreement"): the claim or attitude is what the
    text asserts, and who holds it is the event, if anyone."""
    node = token
    for _ in range(6):
        if node.dep_ in ("acl", "ccomp", "relcl") and node.head.pos_ == "NOUN" and \
                node.head.lemma_.lower() in CLAIM_NOUNS | ATTITUDE_NOUNS and any(
                    c.dep_ == "mark" and c.lower_ == "that" for c in node.children):
            return True
        if node.dep_ not in ("xcomp", "conj", "ccomp") or node.head is node:
            return False
        node = node.head
    return False


def _is_question(token: Token) -> bool:
    """Whether an act sits in an indirect question ("asked how many minds he had changed",
    "a crucial test of how firmly ministers are prepared to stand up", "decide whether to
    sign"): asked about, not done."""
    node = token
    for _ in range(6):
        if any(c.lower_ in QUESTION_WORDS and c.i < node.i and c.dep_ in (
                "advmod", "mark", "dobj", "nsubj", "nsubjpass")
               or c.dep_ == "advmod" and any(g.lower_ in QUESTION_WORDS for g in c.children)
               for c in node.children):
            return True
        if node.dep_ not in ("xcomp", "conj") or node.head is node:
            return False
        node = node.head
    return False


def _is_quoted(token: Token) -> bool:
    """Whether a token stands inside quotation marks in its sentence."""
    sentence = sentence_of(token)
    before = token.doc[sentence.start:token.i].text
    return before.count('"') % 2 == 1 or before.count("“") > before.count("”")


def _has_no(noun: Token) -> bool:
    """"no agreement", "no talks": a determiner that negates the event noun."""
    return any(c.dep_ in ("det", "neg") and c.lower_ in ("no", "not") for c in noun.children)


def _obliques(token: Token) -> tuple[tuple[str, int], ...]:
    """Prepositional objects of a token, conjuncts included; a preposition hung on a
    particle counts for the verb ("pull out of the treaty")."""
    found = []
    preps = [c for c in token.children if c.dep_ in ("prep", "agent")
             or (c.dep_ == "dative" and c.pos_ == "ADP")]
    preps += [g for c in token.children if c.dep_ in ("prt", "prep", "advmod")
              and c.lower_ in PARTICLES for g in c.children if g.dep_ == "prep"]
    for clause in token.children:
        # "called for the embargo to be lifted": a "for" clause is the preposition's object
        if clause.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "for"
                                          for m in clause.children):
            found.append(("for", clause.i))
    for prep in preps:
        word = prep.lower_
        # "because of", "instead of", "out of": the last word names the relation
        objects = [o for o in prep.children if o.dep_ in ("pobj", "pcomp")]
        for inner in prep.children:
            if inner.dep_ == "prep" and not objects:  # "up to", "out of"
                word = f"{word} {inner.lower_}"
                objects = [o for o in inner.children if o.dep_ in ("pobj", "pcomp")]
        if not objects and prep.dep_ == "prep" and prep.i == token.i + 1:
            # "engage with and visit those governments": a preposition left stranded before
            # a coordinated verb takes that verb's object
            later = next((c for c in token.children if c.dep_ == "conj" and c.i > prep.i), None)
            objects = [o for o in later.children if o.dep_ == "dobj"] if later is not None \
                else []
        for obj in _with_conjuncts(objects):
            found.append((word, obj))
    return tuple(found)


def _with_conjuncts(tokens: list[Token]) -> tuple[int, ...]:
    out: list[int] = []
    for token in tokens:
        out.append(token.i)
        out.extend(t.i for t in token.conjuncts if t.i > token.i)
    return tuple(dict.fromkeys(out))


def _sentence_bounds(token: Token) -> tuple[int, int]:
    sentence = sentence_of(token)
    return sentence.start, sentence.end
