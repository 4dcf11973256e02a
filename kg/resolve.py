"""Resolve mentions to canonical actors, within a document and across a corpus.

Within a document: "U.S. President George Bush", "President Bush" and "Bush" are one
person, named by the longest form; "Moscow fears" and "Russian officials" speak for Russia;
"the Russian leader" is the person the text made Russia's leader; "he" is the last person
named before it, preferring the subject of the sentence. Across documents,
``resolve_corpus`` gives a person named only by surname the full name the corpus knows;
``canonical_names`` decides from the corpus's set of names alone, so a store can re-resolve
what it holds when a new article arrives (``kg.pipeline.build``).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from kg.mentions import NAME_AFFIXES, Mention
from kg.spans import inside_quotes, sentence_number, sentence_of, tokens
from kg.lexicon import Lexicon
from kg.rdf import actor_iri, slug
from kg.records import Actor, EntityRef, Extraction, Role

logger = logging.getLogger(__name__)

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})


@dataclass(slots=True)
class Member:
    """A canonical actor of one document while it is being resolved."""

    key: str
    label: str
    type: str
    aliases: dict[str, None] = field(default_factory=dict)
    mentions: int = 0
    country: str | None = None
    same_as: tuple[str, ...] = ()
    code: str | None = None
    first: int = 0  # token index of the first mention
    scope: str | None = None  # the document an unnamed actor ("an official") belongs to

    @property
    def id(self) -> str:
        # "an official" in one article is not "an official" in the next: an actor the
        # text does not name is one per article
        if self.scope is not None:
            return f"{actor_iri(self.label)}--{slug(self.scope)}"
        return actor_iri(self.label)


@dataclass(slots=True)
class RoleFact:
    """A person (or office) holds a title, of a country or organisation."""

    subject: str  # member key
    title: str
    of: str | None  # member key
    is_leader: bool
    start: int  # token span of the evidence
    end: int


class Cast:
    """The actors of one document and which tokens refer to them."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.members: dict[str, Member] = {}
        self.token_actor: dict[int, str] = {}
        self.mention_spans: dict[int, tuple[int, int]] = {}  # head token -> span
        self.roles: list[RoleFact] = []
        self.doc_id: str | None = None  # the document being resolved, for unnamed actors

    def member_for_place(self, key: str) -> Member:
        if key not in self.members:
            place = self.lexicon.places[key]
            code = place.cameo
            self.members[key] = Member(key=key, label=place.name, type=place.type,
                                       country=place.iso2, same_as=place.same_as, code=code)
        return self.members[key]

    def member(self, key: str, label: str, type_: str, **extra: object) -> Member:
        if key not in self.members:
            self.members[key] = Member(key=key, label=label, type=type_, **extra)  # type: ignore[arg-type]
        return self.members[key]

    def attach(self, mention: Mention, member: Member, *, alias: bool = True) -> None:
        if member.mentions == 0:
            member.first = mention.start
        member.mentions += 1
        if alias:
            member.aliases.setdefault(mention.text.strip(), None)
        for i in range(mention.start, mention.end):
            self.token_actor[i] = member.key
        self.mention_spans[mention.head] = (mention.start, mention.end)

    def actor_of(self, token: Token) -> str | None:
        """The actor a token refers to: its own mention, or an appositive name beside it."""
        key = self.token_actor.get(token.i)
        if key is not None:
            return key
        for child in token.children:
            if child.dep_ == "appos" and child.i in self.token_actor:
                return self.token_actor[child.i]
        return None

    def ref(self, key: str) -> EntityRef:
        member = self.members[key]
        return EntityRef(id=member.id, label=member.label, type=member.type)

    def actors(self, doc_id: str) -> list[Actor]:
        return [Actor(doc=doc_id, id=m.id, label=m.label, type=m.type,
                      aliases=tuple(a for a in m.aliases if a), mentions=m.mentions,
                      country=m.country, same_as=m.same_as, code=m.code)
                for m in sorted(self.members.values(), key=lambda m: m.first) if m.mentions]


def _surname(text: str) -> str:
    return text.split()[-1].lower().strip(".,")


def resolve_names(doc: Doc, mentions: list[Mention], lexicon: Lexicon) -> Cast:
    """Give every named mention (people, places, organisations, groups) its actor."""
    cast = Cast(lexicon)
    people = [m for m in mentions if m.kind == "person"]
    full: list[Member] = []
    # full names first, so "Putin" in a headline joins "Vladimir Putin" further down
    for mention in sorted(people, key=lambda m: -(m.end - m.start)):
        tokens = mention.text.split()
        if len(tokens) >= 2:
            same = next((f for f in full if _surname(f.label) == _surname(mention.text)
                         and (f.label.split()[0] == tokens[0] or len(f.label.split()) == 1)), None)
            if same is None:
                same = cast.member(f"person:{mention.text.lower()}", mention.text, "Person")
                full.append(same)
            elif len(mention.text) > len(same.label):
                same.label = mention.text
            cast.attach(mention, same)
        else:
            surname = tokens[0].lower()
            candidates = [f for f in full if _surname(f.label) == surname] or [
                # family name first ("Kim Jong-un" ... "Mr. Kim")
                f for f in full if f.label.split()[0].lower() == surname and " " in f.label]
            before = [f for f in candidates if f.first <= mention.start]
            member = (before or candidates or [None])[-1]
            if member is None:
                member = cast.member(f"person:{surname}", mention.text, "Person")
                full.append(member)
            cast.attach(mention, member)
    for mention in people:  # "Joseph R. Biden Jr. is expected": "Jr." heads the phrase
        key = cast.token_actor.get(mention.start)
        for i in (mention.start - 1, mention.end):
            if key and 0 <= i < len(doc) and doc[i].lower_ in NAME_AFFIXES and \
                    i not in cast.token_actor:
                cast.token_actor[i] = key
    _drop_places_named_as_people(doc, cast)
    places: dict[str, list[Mention]] = {}
    governments: list[Mention] = []
    for mention in mentions:
        if mention.kind == "place" and mention.key:
            places.setdefault(mention.key, []).append(mention)
            member = cast.member_for_place(mention.key)
            # "Russian officials" speak for Russia: a government code, CAMEO style
            if member.type == "Country" and mention.text.split()[-1].lower() in (
                    "officials", "government", "authorities", "administration"):
                _as_government(member)
            cast.attach(mention, member)
        elif mention.kind == "org" and mention.key:
            person = _person_named(cast, mention)
            if person is not None:
                cast.attach(mention, person)
                continue
            cast.attach(mention, cast.member(_acronym_key(cast, mention), mention.text,
                                             "Organization"))
        elif mention.kind == "group" and mention.key in BARE_GOVERNMENTS:
            governments.append(mention)
        elif mention.kind == "group" and mention.key:
            country = _group_country(doc, mention, lexicon)
            cast.attach(mention, cast.member(mention.key, mention.text, "Group", country=country))
        elif mention.kind == "office" and mention.key:
            # an office whose holder the text does not name speaks for its state, as a
            # capital does ("the President of Azerbaijan stressed" -> Azerbaijan); a named
            # holder takes it over in resolve_references
            cast.attach(mention, cast.member_for_place(mention.key))
    _drop_places_only_located(doc, cast, places)
    _attach_bare_governments(cast, governments)
    _merge_party_groups(cast)
    _party_short_names(cast)
    _parenthesised_acronyms(doc, cast)
    _untagged_surnames(doc, cast)
    return cast


def _untagged_surnames(doc: Doc, cast: Cast) -> None:
    """"Blair congratulates Bush on win ... Tony Blair said": a surname the tagger missed
    (in a headline, at the start of a sentence) is the one person of the text it names."""
    surnames: dict[str, list[str]] = {}
    for member in cast.members.values():
        if member.type == "Person" and " " in member.label:
            surnames.setdefault(member.label.split()[-1], []).append(member.key)
    for token in tokens(doc):
        keys = surnames.get(token.text)
        if keys is None or len(keys) > 1 or token.i in cast.token_actor or \
                token.pos_ != "PROPN" or token.ent_type_ or \
                (token.i + 1 < len(doc) and doc[token.i + 1].pos_ == "PROPN"):
            continue
        cast.attach(Mention(start=token.i, end=token.i + 1, kind="person", text=token.text,
                            key=keys[0]), cast.members[keys[0]])


def _parenthesised_acronyms(doc: Doc, cast: Cast) -> None:
    """"The Palestinian Authority (PA) ... shared information with the PA": an acronym the
    text gives in brackets after an organisation's name is that organisation wherever it
    stands, whether or not the tagger knew it."""
    acronyms: dict[str, str] = {}
    every = tokens(doc)
    for token in every[2:-1]:
        letters = token.text.replace(".", "")
        if not (letters.isupper() and letters.isalpha() and 2 <= len(letters) <= 8) or \
                every[token.i - 1].text != "(" or every[token.i + 1].text != ")":
            continue
        key = cast.token_actor.get(token.i - 2)
        member = cast.members.get(key) if key else None
        if member is None or member.type not in ("Organization", "Group"):
            continue
        words = [w for w in member.label.replace("-", " ").split()
                 if w.lower() not in ACRONYM_SKIPS]
        if "".join(w[0] for w in words).upper() == letters:
            acronyms[token.text] = key
    for token in tokens(doc):
        key = acronyms.get(token.text)
        if key is not None and token.i not in cast.token_actor:
            cast.attach(Mention(start=token.i, end=token.i + 1, kind="org", text=token.text,
                                key=key), cast.members[key])


def _merge_party_groups(cast: Cast) -> None:
    """"Republican congressional leaders" act for the party the text also names as
    "Republicans": a group led by a party's adjective joins the party's actor."""
    parties = {m.label.lower(): m for m in cast.members.values()
               if m.type == "Organization" and m.label.endswith("s") and " " not in m.label}
    for member in list(cast.members.values()):
        if member.type != "Group" or " " not in member.label:
            continue
        party = parties.get(member.label.split()[0].lower() + "s")
        if party is None:
            continue
        # the group's label describes some of the party's people; it is not a party name
        _merge_into(cast, member, party, aliases=False)


def _party_short_names(cast: Cast) -> None:
    """"the Labour Party won ... to challenge Labour": a one-word name of a party the text
    names in full is that party, whether the tagger called it a person (as often as not)
    or an organisation of its own."""
    parties = {m.label.lower().removesuffix(" party"): m for m in cast.members.values()
               if m.type == "Organization" and m.label.lower().endswith(" party")}
    for member in list(cast.members.values()):
        party = parties.get(member.label.lower())
        if member.type not in ("Person", "Organization") or " " in member.label or \
                party is None:
            continue
        _merge_into(cast, member, party, aliases=True)


def _merge_into(cast: Cast, member: Member, into: Member, *, aliases: bool) -> None:
    """One actor found to be another: its tokens, mentions (and names) go to ``into``."""
    for i, k in cast.token_actor.items():
        if k == member.key:
            cast.token_actor[i] = into.key
    if aliases:
        into.aliases.update(member.aliases)
    into.mentions += member.mentions
    into.first = min(into.first, member.first)
    del cast.members[member.key]


# "the government" with nothing to say whose: the government of the country the article
# is about (a state's own "government" mentions already carry their country)
BARE_GOVERNMENTS = frozenset({"group:government", "group:governments"})


def _attach_bare_governments(cast: Cast, mentions: list[Mention]) -> None:
    """Give an unqualified "the government" to the country the text names most, when one
    clearly leads; else keep it a group of its own."""
    if not mentions:
        return
    countries = sorted((m for m in cast.members.values() if m.type == "Country" and m.mentions),
                       key=lambda m: -m.mentions)
    leads = countries and (len(countries) == 1 or countries[0].mentions > countries[1].mentions)
    for mention in mentions:
        member = countries[0] if leads else cast.member(mention.key, mention.text, "Group")
        cast.attach(mention, member)


# Prepositions that make their object where something happens, not who takes part.
LOCATION_PREPS = frozenset({"in", "at", "inside", "near", "outside", "across", "throughout",
                            "within", "into", "around"})
# Verbs of motion: "to" and "from" after them give a destination or an origin.
MOTION_VERBS = frozenset({"travel", "go", "fly", "come", "return", "move", "head", "arrive",
                          "leave", "flee", "send", "bring", "take", "sail", "drive", "continue"})


# Events whose place takes part in them: a country where troops or missiles are deployed
# hosts them (DESIGN: "deploying something in a country means that country hosts it").
HOSTED_EVENTS = frozenset({"deploy", "host", "assault", "coerce"})  # and one fires at a country


def _is_located(doc: Doc, mention: Mention, cast: Cast) -> bool:
    """True when a country mention only says where: "treatment in Britain", "travels on to
    Ethiopia", "in Britain and South Africa" (a conjunct stands where its first one does)."""
    token = doc[mention.head]
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    if token.dep_ != "pobj":
        return False
    prep = token.head
    verb = next((t for t in prep.ancestors if t.pos_ in ("VERB", "AUX")), None)
    entry = cast.lexicon.verbs.get(verb.lemma_.lower()) if verb is not None else None
    if entry is None and verb is not None:  # "place missiles", "base troops": by the noun
        objects = [c.lemma_.lower() for c in verb.children if c.dep_ == "dobj"]
        entry = next((cast.lexicon.phrases[(verb.lemma_.lower(), noun)] for noun in objects
                      if (verb.lemma_.lower(), noun) in cast.lexicon.phrases), None)
    if entry is not None and entry.predicate in HOSTED_EVENTS:
        return False  # "place missiles in Poland": the country hosts them
    if prep.lower_ in LOCATION_PREPS:
        return True
    if prep.lower_ in ("to", "from"):
        return verb is not None and verb.lemma_.lower() in MOTION_VERBS
    return False


def _drop_places_only_located(doc: Doc, cast: Cast, places: dict[str, list[Mention]]) -> None:
    """A country the text only ever names as a location is a place, not an actor (the
    dateline's city aside, "he travels on to Ethiopia" is all a text may say of it); it
    stays a place for the events that happen there."""
    for key, found in places.items():
        member = cast.members.get(key)
        if member is None or member.type != "Country" or member.mentions != len(found):
            continue  # also named as an office, a group's country or a titled owner
        if not all(_is_located(doc, m, cast) for m in found):
            continue
        del cast.members[key]
        for mention in found:
            for i in range(mention.start, mention.end):
                cast.token_actor.pop(i, None)
            cast.mention_spans.pop(mention.head, None)


def _person_named(cast: Cast, mention: Mention) -> Member | None:
    """The person an "organisation" names: the tagger often calls a surname alone an
    organisation ("Mnangagwa", "Yoon"); when the text already names a person so, it is
    that person."""
    text = mention.text.removesuffix("'s").removesuffix("’s").strip()
    if mention.key and mention.key in cast.lexicon.places:
        return None
    # a surname alone may be the family name written first ("Yoon" of "Yoon Suk Yeol")
    people = [m for m in cast.members.values() if m.type == "Person"
              and (m.label == text or (" " not in text and text.lower() in (
                  _surname(m.label), m.label.split()[0].lower())))]
    return people[0] if len(people) == 1 else None


ACRONYM_SKIPS = frozenset({"of", "and", "for", "the", "on", "in", "to", "&"})


def _acronym_key(cast: Cast, mention: Mention) -> str:
    """An acronym and its expansion are one organisation ("People Power Party (PPP)",
    "MITI" = "Ministry of International Trade and Industry"): an all-capitals name takes
    the key of the organisation whose initials it spells."""
    letters = mention.text.replace(".", "")
    if not (letters.isalpha() and letters.isupper() and 2 <= len(letters) <= 8):
        return mention.key  # type: ignore[return-value]
    for member in cast.members.values():
        if member.type != "Organization" or member.key == mention.key:
            continue
        words = [w for w in member.label.replace("-", " ").split()
                 if w.lower() not in ACRONYM_SKIPS]
        if "".join(w[0] for w in words).upper() == letters and all(w[:1].isupper() for w in words):
            return member.key
    return mention.key  # type: ignore[return-value]


LOCATIVE_PREPS = frozenset({"on", "at", "in", "inside", "near", "outside"})


def _drop_places_named_as_people(doc: Doc, cast: Cast) -> None:
    """A one-word "person" only ever seen after "on", "at" or "in" is a place or a medium
    the tagger took for a name ("mocked him on Twitter", "a reactor at Arak")."""
    for key, member in list(cast.members.items()):
        if member.type != "Person" or " " in member.label:
            continue
        tokens = [doc[i] for i, k in cast.token_actor.items() if k == key]
        if tokens and all(t.dep_ == "pobj" and t.head.lower_ in LOCATIVE_PREPS for t in tokens):
            del cast.members[key]
            for token in tokens:
                del cast.token_actor[token.i]
                cast.mention_spans.pop(token.i, None)


def _group_country(doc: Doc, mention: Mention, lexicon: Lexicon) -> str | None:
    for token in doc[mention.start:mention.end]:
        key = lexicon.demonyms.get(token.lower_) or lexicon.names.get(token.lower_)
        if key and lexicon.places[key].iso2:
            return lexicon.places[key].iso2
    return None


def resolve_references(doc: Doc, mentions: list[Mention], cast: Cast) -> None:
    """Resolve leader descriptions and pronouns, once names and roles are known."""
    subjects = _subject_people(doc, cast)
    for mention in mentions:
        if mention.kind in ("description", "office"):
            key = _describe(cast, mention)
            if key is None and mention.key is None:
                key = _variation(doc, cast, mention, subjects)
                if key is not None and mention.title is not None:
                    # "Mr Blair warned. The prime minister also urged": the text gives him
                    # the title there
                    cast.roles.append(RoleFact(subject=key, title=mention.title.canonical,
                                               of=None, is_leader=mention.title.is_leader,
                                               start=mention.start, end=mention.end))
            if key is not None:
                if mention.kind == "office":  # undo the provisional link to the state
                    cast.members[mention.key].mentions -= 1
                    cast.members[mention.key].aliases.pop(mention.text.strip(), None)
                cast.attach(mention, cast.members[key], alias=mention.kind == "office")
    for mention in mentions:
        if mention.kind == "government":
            _attach_leaders_government(cast, mention)
    _attach_bare_administrations(cast, mentions)
    _body_anaphors(doc, mentions, cast)
    _collective_anaphors(doc, cast)
    subjects = _subject_people(doc, cast)  # again: descriptions are resolved now
    for mention in mentions:
        if mention.kind != "pronoun":
            continue
        if doc[mention.start].lower_ in ("it", "its"):
            key = _reporting_state(doc[mention.start], cast) or \
                _continued_subject(doc[mention.start], cast)
        elif doc[mention.start].lower_ in PLURAL_PRONOUNS:
            key = _plural_antecedent(doc, mention.start, cast)
        elif (forward := cataphor(doc[mention.start])) is not doc[mention.start] and \
                cast.actor_of(forward):
            key = cast.actor_of(forward)
        else:
            key = _antecedent(doc, mention.start, cast, subjects)
        if key is not None:
            cast.token_actor[mention.start] = key
            cast.mention_spans[mention.start] = (mention.start, mention.end)


# nouns that, definite and unnamed, refer back to an organisation or group ("the group
# said", "the militant movement")
COLLECTIVE_ANAPHORS = frozenset({"group", "movement", "organisation", "organization",
                                 "faction"})
COLLECTIVE_WINDOW = 3  # sentences back
# verbs whose "of" phrase is the act charged, wherever the parser hangs it ("accused the
# group of hiding weapons")
CHARGING = frozenset({"accuse", "suspect", "convict", "charge", "acquit"})


def _collective_anaphors(doc: Doc, cast: Cast) -> None:
    """"Israel accused the group of using civilians as shields": "the group" is the
    organisation or group the text named last, within a few sentences."""
    kinds = ("Organization", "Group")
    for token in tokens(doc):
        if token.lemma_.lower() not in COLLECTIVE_ANAPHORS or token.tag_ != "NN" or \
                token.i in cast.token_actor:
            continue
        children = list(token.children)
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in children) or any(
                c.dep_ in ("compound", "poss", "nmod") or c.pos_ == "PROPN" or
                c.dep_ == "prep" and any(o.dep_ == "pobj" for o in c.children)
                and not (c.lower_ == "of" and token.head.lemma_.lower() in CHARGING)
                for c in children):
            continue  # "the Wagner group", "a group of", "the group of experts"
        here = sentence_number(token)
        earlier = [(i, k) for i, k in cast.token_actor.items()
                   if i < token.i and k in cast.members and cast.members[k].type in kinds
                   and here - sentence_number(doc[i]) < COLLECTIVE_WINDOW]
        if not earlier:
            continue
        start = min(c.left_edge.i for c in [token, *children] if c.dep_ in ("det", "amod")
                    or c is token)
        cast.attach(Mention(start=start, end=token.i + 1, kind="group",
                            text=doc[start:token.i + 1].text), cast.members[max(earlier)[1]],
                    alias=False)


def _attach_leaders_government(cast: Cast, mention: Mention) -> None:
    """"The Reagan administration" is the government of the state its leader led: the
    leader's country (from a role such as "U.S. President Ronald Reagan"), as a government.
    Like "the Russian leader", a description: it adds no alias to the state."""
    leader = mention.text.split()[-2].lower()
    people = [m for m in cast.members.values() if m.type == "Person" and m.country
              and _surname(m.label) == leader]
    key = f"country:{people[0].country}" if len(people) == 1 else None
    if key is None or key not in cast.lexicon.places:
        return
    member = cast.member_for_place(key)
    _as_government(member)
    cast.attach(mention, member, alias=False)


# an unqualified "the administration" and its officials: in news English, the executive of
# the state whose leader's administration the text names, or else of the United States
BARE_ADMINISTRATIONS = frozenset({"group:administration", "group:administration officials"})


def _attach_bare_administrations(cast: Cast, mentions: list[Mention]) -> None:
    """"Boehner accused the administration of abandoning its goals": the administration is
    the government of the state "the Obama administration" names, when the text names
    one, else of the United States when the text names it; else it stays a group."""
    bare = [m for m in mentions if m.kind == "group" and m.key in BARE_ADMINISTRATIONS
            and cast.token_actor.get(m.head) == m.key]
    if not bare:
        return
    led = {cast.token_actor.get(m.start) for m in mentions if m.kind == "government"
           and m.text.lower().endswith("administration")} - {None}
    key = next(iter(led)) if len(led) == 1 else "country:US"
    if key not in cast.members or key.startswith("group:"):
        return
    state = cast.members[key]
    for mention in bare:
        _move_mention(cast, mention, state, alias=True)  # as a bare "the government" is
    _as_government(state)


# a state body named bare after its state's was named in full: "Russia's foreign ministry
# summoned the ambassador ... The ministry said"
BODY_ANAPHORS = frozenset({"ministry", "embassy", "department"})


def _body_anaphors(doc: Doc, mentions: list[Mention], cast: Cast) -> None:
    """"The ministry said": the actor whose ministry the text named last, within a few
    sentences, rather than a group called "ministry"."""
    for mention in mentions:
        noun = (mention.key or "").removeprefix("group:")
        if mention.kind != "group" or noun not in BODY_ANAPHORS or \
                cast.token_actor.get(mention.head) != mention.key:
            continue
        here = sentence_number(doc[mention.head])
        earlier = [(i, k) for i, k in cast.token_actor.items()
                   if i < mention.start and k != mention.key and k in cast.members
                   and doc[i].lemma_.lower() == noun
                   and here - sentence_number(doc[i]) < COLLECTIVE_WINDOW]
        if earlier:
            _move_mention(cast, mention, cast.members[max(earlier)[1]], alias=False)


def _move_mention(cast: Cast, mention: Mention, member: Member, *, alias: bool) -> None:
    """A mention first given an actor of its own goes to ``member``; the first actor goes
    when it has no mention left."""
    first = cast.members.get(mention.key or "")
    if first is not None:
        first.mentions -= 1
        if first.mentions <= 0:
            del cast.members[first.key]
    cast.attach(mention, member, alias=alias)


def _as_government(member: Member) -> None:
    """A state that acts through its government: its CAMEO code with the GOV role."""
    if member.code and not member.code.endswith("GOV"):
        member.code = f"{member.code}GOV"


PLURAL_PRONOUNS = frozenset({"they", "them", "their"})


def _reporting_state(token: Token, cast: Cast) -> str | None:
    """"Russia said it would ...": "it" in what a state or organisation says is that
    state. Elsewhere "it" is left alone: it is far more often a thing."""
    clause = token.head
    if token.dep_ not in SUBJECT_DEPS or clause.dep_ != "ccomp":
        return None
    verb = clause.head
    if verb.lemma_.lower() not in cast.lexicon.speech_verbs:
        return None
    return _body_subject(verb, cast)


def _body_subject(verb: Token, cast: Cast) -> str | None:
    """The state or organisation that is a verb's subject, if one is."""
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS:
            key = cast.actor_of(child)
            if key and not key.startswith("person:"):
                return key
    return None


def _continued_subject(token: Token, cast: Cast) -> str | None:
    """"The United States would be caught in the middle. It has been trying to persuade
    both sides": "it" doing something, first in its sentence, goes on from a state or
    organisation that was the subject of the sentence before ("it is hard to see" is no one)."""
    verb = token.head
    if token.dep_ != "nsubj" or token.lower_ != "it" or verb.pos_ != "VERB" or \
            verb.lemma_.lower() in ("be", "seem", "appear", "remain", "become", "take",
                                    "make", "mean", "matter", "happen") or \
            any(t.dep_ == "nsubj" for t in token.doc[sentence_of(token).start:token.i]):
        return None
    sentence = sentence_of(token)
    if sentence.start == 0:
        return None
    return _body_subject(sentence_of(token.doc[sentence.start - 1]).root, cast)


def _plural_antecedent(doc: Doc, position: int, cast: Cast) -> str | None:
    """"White House officials said that they welcomed": the last subject that is a
    government, organisation or group, in this sentence or the one before."""
    sentence = sentence_of(doc[position])
    start = sentence_of(doc[sentence.start - 1]).start if sentence.start > 0 else sentence.start
    for i in range(position - 1, start - 1, -1):
        token = doc[i]
        key = cast.token_actor.get(i)
        if key and token.dep_ in SUBJECT_DEPS and not key.startswith("person:"):
            return key
    return None


def _describe(cast: Cast, mention: Mention) -> str | None:
    """"the Russian leader": the person the text made a leader of Russia, nearest first."""
    same_title = mention.title is not None and mention.kind == "office"
    if mention.key is None:
        # "the president": of the people the text gave that very title, the one it named
        # last ("Yatsenyuk met Mr. Obama, where the president offered"), not the one it
        # titled last
        title = mention.title.canonical if mention.title is not None else None
        # (titled anywhere in the text: the article knows who holds the office, even when
        # it gives the title only later)
        holders = {r.subject for r in cast.roles if r.subject.startswith("person:")
                   and r.title == title}
        if not holders:
            return None
        named = [(i, k) for i, k in cast.token_actor.items()
                 if k in holders and i < mention.start]
        return max(named)[1] if named else None
    holders = [r for r in cast.roles
               if r.of == mention.key and r.subject.startswith("person:")
               and ((mention.title is not None and r.title == mention.title.canonical)
                    or (r.is_leader and not same_title))]
    if not holders and mention.title is not None and mention.kind == "description":
        # "President Dmitri A. Medvedev ... the Russian president": a leader the text titled
        # without naming the country; the nearest one before the description
        holders = [r for r in cast.roles
                   if r.of is None and r.subject.startswith("person:") and r.start < mention.start
                   and cast.members[r.subject].country is None
                   and (r.title == mention.title.canonical or (r.is_leader and not same_title
                                                                and mention.title.is_leader))]
        if holders:
            member = cast.members[holders[-1].subject]
            if member.country is None and mention.key:
                member.country = cast.lexicon.places[mention.key].iso2
    if not holders:
        return None
    before = [r for r in holders if r.start < mention.start]
    return (before or holders)[-1].subject


def _variation(doc: Doc, cast: Cast, mention: Mention, subjects: dict[int, str]) -> str | None:
    """"Mr Blair warned. The prime minister also urged": a title no one in the text holds
    names the person the sentence before (or this one) was about, when the text gave that
    person no title of their own (then it would have said which)."""
    if mention.title is None:
        return None
    titled = {r.subject for r in cast.roles}
    sentence = sentence_of(doc[mention.start])
    start = sentence_of(doc[sentence.start - 1]).start if sentence.start > 0 else sentence.start
    near = [(i, k) for i, k in subjects.items() if start <= i < mention.start]
    if not near:
        return None
    key = max(near)[1]
    return None if key in titled else key


def _subject_people(doc: Doc, cast: Cast) -> dict[int, str]:
    """Token index -> person key, for people who are the subject of their clause."""
    subjects = {}
    for token in tokens(doc):
        if token.dep_ in SUBJECT_DEPS:
            key = cast.actor_of(token)
            if key and key.startswith("person:"):
                subjects[token.i] = key
    return subjects


def _clause_subjects(token: Token) -> set[int]:
    """The subjects of the clause ``token`` sits in, through prepositions and the clauses
    that take theirs from above ("looks forward to working with him": the one looking)."""
    head = token.head
    while True:
        found = {c.i for c in head.children if c.dep_ in SUBJECT_DEPS}
        if found or head.dep_ not in ("prep", "pobj", "pcomp", "xcomp", "dobj", "conj") or \
                head.head is head:
            return found
        head = head.head


def cataphor(token: Token) -> Token:
    """"In his address to the UN, Obama hailed ...": a possessive in a phrase fronted before
    the subject refers forward to that subject."""
    if token.dep_ != "poss" or token.pos_ != "PRON" or token.lower_ not in ("his", "her",
                                                                           "their", "its"):
        return token
    node = token.head
    while node.dep_ in ("pobj", "prep") and node.head is not node:
        node = node.head
    if node.pos_ not in ("VERB", "AUX") or token.i > node.i:
        return token
    subject = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.i < token.i or subject.pos_ == "PRON":
        return token
    return subject


def _antecedent(doc: Doc, position: int, cast: Cast, subjects: dict[int, str]) -> str | None:
    """The person a pronoun at ``position`` refers to.

    Prefer the subject of the same or the previous sentence; else the last person named.
    """
    sentence = sentence_of(doc[position])
    window_start = sentence.start
    previous = sentence_of(doc[sentence.start - 1]) if sentence.start > 0 else None
    if previous is not None:
        window_start = previous.start
    pronoun = doc[position]
    # "Meese told him": an object pronoun is never its own clause's subject (binding)
    own = _clause_subjects(pronoun) if pronoun.dep_ in ("dobj", "dative", "iobj", "pobj") \
        and pronoun.lower_ in ("him", "her") else set()
    barred = {cast.token_actor.get(i) for i in own} - {None}
    if inside_quotes(pronoun):
        # 'Campbell said: "... and that he will act swiftly"': in their own words a speaker
        # is "I", so "he" is someone else
        barred |= _speakers_near(doc, window_start, position, cast)
    if own:
        # "Mr Mugabe's critics have blamed on him": an object pronoun is first the nearest
        # other person named before it in its sentence
        near = [(i, k) for i, k in cast.token_actor.items()
                if sentence.start <= i < position and k.startswith("person:")
                and k not in barred and doc[i].pos_ != "PRON"]
        if near:
            return max(near)[1]
    in_window = [(i, k) for i, k in subjects.items()
                 if window_start <= i < position and k not in barred]
    if in_window:
        return max(in_window)[1]
    people = [(i, k) for i, k in cast.token_actor.items()
              if i < position and k.startswith("person:") and k not in barred
              and doc[i].lower_ not in ("he", "she", "him", "her", "his")]
    return max(people)[1] if people else None


def _speakers_near(doc: Doc, start: int, end: int, cast: Cast) -> set[str]:
    """People who are the subject of a verb of speech between two token positions."""
    verbs = cast.lexicon.verbs
    return {key for token in doc[start:end] if token.dep_ in SUBJECT_DEPS
            and (key := cast.token_actor.get(token.i)) is not None and key.startswith("person:")
            and (entry := verbs.get(token.head.lemma_.lower())) is not None and entry.is_speech}


def resolve_corpus(extractions: Iterable[Extraction],
                   known: set[str] | NameIndex | None = None) -> list[Extraction]:
    """Give each person one name across the corpus.

    The names come from ``canonical_names`` over every person name of the corpus: the
    extractions' and ``known``, so the result depends on which names the corpus holds, not
    on the order or the batches in which its articles arrive.

    Args:
        extractions: per-document results, each with its own actors.
        known: names of people the corpus already holds (earlier batches, the store);
            updated in place with the names of ``extractions``. A ``NameIndex`` answers
            from the surnames the batch names alone, so a batch costs the same however
            many names the corpus holds; a set is read whole each time.

    Returns:
        The extractions, with actor ids and labels unified across documents.

    Example:
        >>> [e.records for e in resolve_corpus(extractions)]
    """
    extractions = list(extractions)
    known = set() if known is None else known
    found = person_names(r for e in extractions for r in e.records if isinstance(r, Actor))
    names: Mapping[str, str]
    if isinstance(known, NameIndex):
        known.update(found)
        names = known
    else:
        known |= found
        names = canonical_names(known)
    return [rename_actors(extraction, names) for extraction in extractions]


class NameIndex(Mapping[str, str]):
    """A growing set of person names and the canonical name of each, kept by surname.

    What ``canonical_names`` gives a name depends only on the full names that share its
    surname, so the index keeps full names by surname and works out a surname's part of
    the answer again only when one of its names came or went. Looking a name up costs what
    its surname holds, not what the corpus holds. As a mapping it is exactly
    ``canonical_names`` of the names it holds.

    Example:
        >>> index = NameIndex({"Putin"})
        >>> index.update({"Vladimir V. Putin"})
        >>> index["putin"]
        'Vladimir V. Putin'
    """

    def __init__(self, names: Iterable[str] = ()) -> None:
        self.names: set[str] = set()
        self._full: dict[str, set[str]] = {}  # surname -> full names
        self._canonical: dict[str, dict[str, str]] = {}  # surname -> its canonical names
        self.changed: set[str] = set()  # surnames whose names changed; the caller clears it
        self.update(names)

    def update(self, names: Iterable[str]) -> None:
        """Add names."""
        for name in names:
            if name not in self.names:
                self.names.add(name)
                if " " in name:
                    surname = _surname(name)
                    self._full.setdefault(surname, set()).add(name)
                    self._touch(surname)

    def discard(self, names: Iterable[str]) -> None:
        """Remove names (those it does not hold are ignored)."""
        for name in names:
            if name in self.names:
                self.names.discard(name)
                if " " in name:
                    surname = _surname(name)
                    group = self._full[surname]
                    group.discard(name)
                    if not group:
                        del self._full[surname]
                    self._touch(surname)

    def _touch(self, surname: str) -> None:
        self._canonical.pop(surname, None)
        self.changed.add(surname)

    def group(self, surname: str) -> dict[str, str]:
        """The part of ``canonical_names`` that names of this surname make."""
        canonical = self._canonical.get(surname)
        if canonical is None:
            canonical = _canonical_group(surname, self._full.get(surname, set()))
            self._canonical[surname] = canonical
        return canonical

    def __getitem__(self, key: str) -> str:
        words = key.split()
        if not words:
            raise KeyError(key)
        # every key of canonical_names lies in the group of its own surname
        return self.group(_surname(key))[key]

    def __iter__(self) -> Iterator[str]:
        for surname in list(self._full):
            yield from self.group(surname)

    def __len__(self) -> int:
        return sum(len(self.group(surname)) for surname in list(self._full))


def resolve_stored(people: Iterable[tuple[str, str, str, str]], batch: Iterable[Extraction]
                   ) -> tuple[list[Extraction], dict[str, tuple[str, str]]]:
    """Resolve new articles against the people a store holds, and the store against them.

    Identity is a function of the stored corpus: the batch takes the names the store's
    articles and its own make canonical, and stored people whose canonical name the batch
    changes ("Putin" alone, until an article names "Vladimir Putin") are renamed, so
    building articles one at a time or together gives the same IRIs. ``PeopleIndex`` does
    the same batch after batch without reading all the people again each time.

    Args:
        people: (document id, actor IRI, label, name) rows, as ``Store.people`` gives them.
        batch: the new extractions; documents among them that the store holds are left out
            of ``people`` (they are being replaced).

    Returns:
        The batch, renamed, and the renames for the store: old IRI -> (new IRI, label).
    """
    return PeopleIndex(people).resolve(batch)


class PeopleIndex:
    """The people of a store as ``resolve_stored`` reads them, kept up to date as batches
    are stored, so that each batch costs what its own surnames hold.

    It counts the rows holding each name (``NameIndex`` holds those counted), keeps the
    distinct (actor IRI, label) pairs by the surname of the label, and keeps the rows of
    the documents stored before it was made, the only ones a later batch can replace; the
    rows a build adds are counted, not kept, so memory grows with the names, not the rows.

    Example:
        >>> index = PeopleIndex(store.people())
        >>> for batch in batches:
        ...     batch, renames = index.resolve(batch)   # then store them, rename_actors
    """

    def __init__(self, rows: Iterable[tuple[str, str, str, str]] = ()) -> None:
        self._names = NameIndex()
        self._holders: dict[str, int] = {}  # name -> row fields (name, label) holding it
        self._pairs: dict[str, dict[tuple[str, str], int]] = {}  # surname -> pair -> rows
        self._labels: dict[str, dict[str, None]] = {}  # actor IRI -> its labels
        self._stored: dict[str, list[tuple[str, str, str, str]]] = {}  # document -> rows
        self._stored_by_iri: dict[str, set[str]] = {}  # actor IRI -> stored documents
        self._is_checked = False  # every pair checked once
        self._unchecked: set[str] = set()  # surnames whose pairs or names changed since
        for row in rows:
            self._stored.setdefault(row[0], []).append(row)
            self._stored_by_iri.setdefault(row[1], set()).add(row[0])
            self._count(row[1], row[2], (row[3],), 1)

    def resolve(self, batch: Iterable[Extraction]
                ) -> tuple[list[Extraction], dict[str, tuple[str, str]]]:
        """Resolve a batch as ``resolve_stored`` would against every row, and take its
        people in: the rows of the documents it replaces go, its own come, the renames
        apply. Returns the renamed batch and the renames (old IRI -> (new IRI, label))."""
        batch = list(batch)
        for extraction in batch:
            for _, iri, label, name in self._stored.pop(extraction.document.id, []):
                self._count(iri, label, (name,), -1)
        # the batch's own names count while it is resolved (resolve_corpus) ...
        found = person_names(r for e in batch for r in e.records if isinstance(r, Actor))
        added = [name for name in found if name not in self._names.names]
        self._names.update(added)
        resolved = [rename_actors(extraction, self._names) for extraction in batch]
        renames = self._renames()
        # ... and then as the rows of its stored people, named as resolved
        self._names.discard(added)
        self._rename(renames)
        for _, iri, label, name in people_rows(resolved):
            self._count(iri, label, (name,), 1)
        return resolved, renames

    def _renames(self) -> dict[str, tuple[str, str]]:
        """Old IRI -> (new IRI, label) for the pairs whose canonical name changed."""
        self._unchecked |= self._names.changed
        self._names.changed.clear()
        surnames = list(self._pairs) if not self._is_checked else \
            [s for s in self._unchecked if s in self._pairs]
        self._is_checked = True
        self._unchecked.clear()
        renames = {}
        for surname in surnames:
            for iri, label in self._pairs[surname]:
                canonical = self._names.get(label.lower(), label)
                if actor_iri(canonical) != iri:
                    renames[iri] = (actor_iri(canonical), canonical)
        return renames

    def _rename(self, renames: dict[str, tuple[str, str]]) -> None:
        """Apply renames as ``rename_rows`` applies them to every row: each row whose IRI
        is renamed takes the new IRI and label, and keeps its name."""
        moves = [(old, label, self._pairs[_label_surname(label)][(old, label)])
                 for old in renames for label in self._labels.get(old, {})]
        for old, label, rows in moves:  # all taken before any is applied: no chains
            self._count(old, label, (), -rows)
        for old, _, rows in moves:
            self._count(*renames[old], (), rows)
        documents = {d for old in renames for d in self._stored_by_iri.pop(old, ())
                     if d in self._stored}  # not those replaced since
        for document in documents:
            self._stored[document] = rename_rows(self._stored[document], renames)
            for row in self._stored[document]:
                self._stored_by_iri.setdefault(row[1], set()).add(document)

    def _count(self, iri: str, label: str, names: tuple[str, ...], step: int) -> None:
        """Add ``step`` rows with this IRI and label (and, for each of ``names``, a name
        column holding it); a negative step removes them."""
        for name in (label, *names):
            count = self._holders.get(name, 0) + step
            if count:
                if count == step:
                    self._names.update((name,))
                self._holders[name] = count
            else:
                del self._holders[name]
                self._names.discard((name,))
        surname = _label_surname(label)
        pairs = self._pairs.setdefault(surname, {})
        rows = pairs.get((iri, label), 0) + step
        if rows:
            pairs[(iri, label)] = rows
            self._labels.setdefault(iri, {})[label] = None
        else:
            del pairs[(iri, label)]
            if not pairs:
                del self._pairs[surname]
            del self._labels[iri][label]
            if not self._labels[iri]:
                del self._labels[iri]
        self._unchecked.add(surname)


def _label_surname(label: str) -> str:
    return _surname(label) if label.split() else ""


def people_rows(extractions: Iterable[Extraction]) -> list[tuple[str, str, str, str]]:
    """(document id, actor IRI, label, name) rows for the people of extractions, as
    ``Store.people`` gives them once the extractions are stored."""
    return [(extraction.document.id, record.id, record.label, name)
            for extraction in extractions for record in extraction.records
            if isinstance(record, Actor) and record.type == "Person"
            for name in dict.fromkeys((record.label, *record.aliases))]


def rename_rows(rows: Iterable[tuple[str, str, str, str]],
                renames: dict[str, tuple[str, str]]) -> list[tuple[str, str, str, str]]:
    """Apply a store's renames to ``Store.people`` rows held in memory."""
    return [(doc_id, *renames.get(iri, (iri, label)), name) for doc_id, iri, label, name in rows]


# words a person's name may hold in lower case ("Osama bin Laden", "Charles de Gaulle")
NAME_PARTICLES = frozenset({"bin", "ibn", "al", "el", "de", "del", "della", "di", "da", "dos",
                            "du", "van", "von", "der", "den", "le", "la", "ter", "y"})


def person_names(actors: Iterable[Actor]) -> set[str]:
    """The names people go by in these actor records: labels and name-like aliases (not
    "the President of Azerbaijan", which an office gives its holder)."""
    names = set()
    for actor in actors:
        if actor.type != "Person":
            continue
        for name in (actor.label, *actor.aliases):
            words = name.split()
            if words and all(w[:1].isupper() or w.lower() in NAME_PARTICLES
                             or w.split("-")[0].lower() in NAME_PARTICLES for w in words):
                names.add(name)
    return names


def canonical_names(names: Iterable[str]) -> dict[str, str]:
    """Map each name (lower-cased) to the one name the corpus gives its person.

    A surname alone ("Putin") takes the one full name the corpus knows with that surname;
    full names that differ only by middle initials ("Vladimir Putin", "Vladimir V. Putin")
    take the longest, unless two different initials make them different people ("George
    H. W. Bush", "George W. Bush"). A pure function of the set of names: whichever articles
    brought them, in whatever order, the answer is the same.

    Example:
        >>> canonical_names({"Putin", "Vladimir V. Putin"})["putin"]
        'Vladimir V. Putin'
    """
    full_names: dict[str, set[str]] = {}
    for name in names:
        if " " in name:
            full_names.setdefault(_surname(name), set()).add(name)
    canonical: dict[str, str] = {}
    for surname, group in full_names.items():
        canonical.update(_canonical_group(surname, group))
    return canonical


def _canonical_group(surname: str, group: set[str]) -> dict[str, str]:
    """``canonical_names`` of the full names sharing one surname: its keys are theirs
    (lower-cased) and the surname, so no other surname's names can change them."""
    canonical: dict[str, str] = {}
    for variants in _by_first_and_last(group).values():
        initials = {_initials(v) for v in variants} - {""}
        if len(initials) <= 1 and len(variants) > 1:
            longest = max(variants, key=lambda v: (len(v), v))
            for variant in variants:
                canonical[variant.lower()] = longest
    people = {canonical.get(n.lower(), n) for n in group}
    if len(people) == 1 and surname not in canonical:
        canonical[surname] = people.pop()
    return canonical


def _by_first_and_last(names: set[str]) -> dict[str, set[str]]:
    groups: dict[str, set[str]] = {}
    for name in names:
        words = name.split()
        groups.setdefault(f"{words[0]} {words[-1]}".lower(), set()).add(name)
    return groups


def _initials(name: str) -> str:
    """The middle part of a name ("W.", "H. W.", "A."), normalised."""
    return " ".join(name.split()[1:-1]).replace(".", "").lower()


def rename_actors(extraction: Extraction, known: Mapping[str, str]) -> Extraction:
    """Rename the people of one extraction as ``known`` says, in every record."""
    renames: dict[str, EntityRef] = {}
    records = []
    for record in extraction.records:
        if isinstance(record, Actor) and record.type == "Person":
            full = known.get(record.label.lower())
            if full and full != record.label:
                new = dataclasses.replace(record, id=actor_iri(full), label=full,
                                          aliases=tuple(dict.fromkeys((*record.aliases,
                                                                       record.label))))
                renames[record.id] = new.ref
                record = new
        records.append(record)
    if not renames:
        return extraction
    return dataclasses.replace(extraction, records=tuple(_swap_refs(r, renames) for r in records))


def _swap_refs(record: object, renames: dict[str, EntityRef]) -> object:
    if isinstance(record, Actor):
        return record
    changes = {}
    for name in ("subject", "object", "recipient", "speaker", "holder", "of"):
        value = getattr(record, name, None)
        if isinstance(value, EntityRef) and value.id in renames:
            changes[name] = renames[value.id]
    return dataclasses.replace(record, **changes) if changes else record  # type: ignore[type-var]


def role_records(doc_id: str, cast: Cast, evidence_of) -> list[Role]:  # noqa: ANN001
    """Role records for every role fact, each with the sentence it comes from."""
    seen = set()
    roles = []
    for fact in cast.roles:
        of = cast.ref(fact.of) if fact.of and fact.of in cast.members else None
        marker = (fact.subject, fact.title.lower(), of.id if of else None)
        if marker in seen or fact.subject not in cast.members:
            continue
        seen.add(marker)
        roles.append(Role(doc=doc_id, subject=cast.ref(fact.subject), role=fact.title, of=of,
                          evidence=evidence_of(fact.start, fact.end)))
    return roles
