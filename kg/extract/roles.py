"""Find roles: who holds which title, of which country or organisation.

Three shapes carry a role in news English:
- a title before a name: "Polish President Lech Kaczynski", "White House national security
  adviser Stephen Hadley" (what stands before the title says whose title it is);
- an appositive: "Sergei Lavrov, the Russian foreign minister," or "Bush's national security
  adviser, Condoleezza Rice,";
- an office with no name: "the President of Azerbaijan" (made in ``kg.resolve``).
"""

from __future__ import annotations

import dataclasses

from spacy.tokens import Doc, Token

from kg.mentions import Mention, TitleMatch
from kg.lexicon import Lexicon
from kg.resolve import Cast, RoleFact

SKIPPED_KINDS = frozenset({"honorific"})
# between a title and a name ("Shadow Europe minister Mr Brady"), as US and UK papers write them
HONORIFICS = frozenset({"mr.", "mrs.", "ms.", "dr.", "mr", "mrs", "ms", "dr"})


def find_roles(doc: Doc, mentions: list[Mention], titles: list[TitleMatch], cast: Cast,
               lexicon: Lexicon) -> list[RoleFact]:
    """Role facts for the people in ``cast``; also sets each person's nationality."""
    by_end = {m.end: m for m in titles if m.title.kind not in SKIPPED_KINDS}
    by_head = {m.end - 1: m for m in titles if m.title.kind not in SKIPPED_KINDS}
    by_start = {m.start: m for m in titles if m.title.kind not in SKIPPED_KINDS}
    facts = []
    plural: dict[int, RoleFact] = {}  # head of a name after a plural title -> its fact
    for mention in mentions:
        if mention.kind != "person":
            continue
        person = cast.token_actor.get(mention.start)
        if person is None:
            continue
        start = mention.start
        # skip honorifics between a title and the name: "President Mr. Putin" is rare, but
        # "Mr." alone must not hide a title before it
        while start > 0 and doc[start - 1].lower_ in HONORIFICS:
            start -= 1
        match = by_end.get(start)
        if match is not None:
            of = _owner(doc, match.start, cast, lexicon) or _of_phrase(doc[mention.head], cast)
            facts.append(RoleFact(subject=person, title=match.title.canonical, of=of,
                                  is_leader=match.title.is_leader, start=match.start,
                                  end=mention.end))
            if doc[match.end - 1].tag_ in ("NNS", "NNPS"):
                plural[mention.head] = facts[-1]
            continue
        head = doc[mention.head]
        if head.dep_ == "conj" and head.head.i in plural:
            # "cabinet ministers Jonathan Moyo and Saviour Kasukuwere": a plural title
            # before conjoined names is each one's title
            first = plural[head.head.i]
            facts.append(dataclasses.replace(first, subject=person, end=mention.end))
            plural[mention.head] = first
            continue
        # appositives, in either direction
        head = doc[mention.head]
        for other in [c for c in head.children if c.dep_ == "appos"] + (
                [head.head] if head.dep_ == "appos" else []):
            title = by_head.get(other.i)
            if title is not None:
                of = _owner_in_phrase(doc, other, title, cast, lexicon)
                lo = min(other.left_edge.i, mention.start)
                hi = max(other.right_edge.i, mention.end - 1) + 1
                facts.append(RoleFact(subject=person, title=title.title.canonical, of=of,
                                      is_leader=title.title.is_leader, start=lo, end=hi))
                if doc[title.end - 1].tag_ in ("NNS", "NNPS"):
                    plural[mention.head] = facts[-1]
                break
        else:
            title = _surface_appositive(doc, mention, by_start)
            if title is not None:
                facts.append(RoleFact(subject=person, title=title.title.canonical,
                                      of=_owner(doc, title.start, cast, lexicon),
                                      is_leader=title.title.is_leader, start=mention.start,
                                      end=title.end))
    cast.roles.extend(facts)
    _set_nationality(cast)
    return facts


def _surface_appositive(doc: Doc, mention: Mention,
                        by_start: dict[int, TitleMatch]) -> TitleMatch | None:
    """"Federica Mogherini, the European Union's foreign policy chief, and ...": the
    parser joined the title to something else, but a title set off by commas right after
    a name, behind only its article and owner, is the name's appositive."""
    comma = mention.end
    if comma >= len(doc) or doc[comma].text != "," or \
            doc[comma].sent.start != doc[mention.start].sent.start:
        return None
    for start in range(comma + 1, min(comma + 7, len(doc))):
        title = by_start.get(start)
        if title is not None:
            after = doc[title.end] if title.end < len(doc) else None
            if after is not None and after.text not in (",", ".", ";") and after.lower_ != "and":
                return None  # "Rice, the adviser's deputy": the title goes on
            return title
        token = doc[start]
        if token.ent_type_ == "PERSON" or token.text in (",", ";", ":") or token.pos_ in (
                "VERB", "AUX", "ADP") or (start == comma + 1 and token.pos_ != "DET"):
            return None
    return None


def _owner(doc: Doc, title_start: int, cast: Cast, lexicon: Lexicon) -> str | None:
    """Whose title: the demonym, country, capital or organisation right before it."""
    i = title_start - 1
    # "Sudanese paramilitary leader": skip the title's own modifiers to reach its owner
    while i > 0 and doc[i].dep_ in ("amod", "compound") and doc[i].head.i >= title_start and \
            not (doc[i].ent_id_ or doc[i].lower_ in lexicon.demonyms) and doc[i].pos_ in (
                "ADJ", "NOUN"):
        i -= 1
    if i < 0:
        return None
    token = doc[i]
    if token.lower_ in ("'s", "’s") and i > 0 and token.head.head.i >= title_start:
        # "the European Union's foreign policy chief": the possessor's (its "'s" hangs on
        # the possessor, which hangs on the title)
        return _country_of(cast, cast.token_actor.get(i - 1))
    if token.dep_ not in ("compound", "amod", "nmod", "poss", "case", "npadvmod") or \
            token.head.i < title_start:
        return None  # "in Poland President Bush": the country ends a phrase of its own
    if token.lower_ in ("'s", "’s") and i > 0:
        owner = cast.token_actor.get(i - 1)
        return _country_of(cast, owner)
    key = (lexicon.demonyms.get(token.lower_) or lexicon.names.get(token.lower_)
           or lexicon.capitals.get(token.lower_))
    if token.ent_id_ in lexicon.places:
        key = token.ent_id_
    if key:
        member = cast.member_for_place(key)
        if i not in cast.token_actor:
            # "German Chancellor Gerhard Schroeder": the country whose title it is takes
            # part in the text through its office holder, so it is an actor of the text
            cast.attach(Mention(start=i, end=i + 1, kind="place", text=token.text, key=key),
                        member)
        return member.key
    return cast.token_actor.get(i) if cast.token_actor.get(i, "").startswith("org:") else None


def _of_phrase(head: Token, cast: Cast) -> str | None:
    """"President Ilham Aliyev of Azerbaijan": the country after the name."""
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for obj in child.children:
                key = cast.token_actor.get(obj.i)
                if key and not key.startswith("person:"):
                    return key
    return None


def _owner_in_phrase(doc: Doc, head: Token, title: TitleMatch, cast: Cast,
                     lexicon: Lexicon) -> str | None:
    # "the Russian foreign minister", "the foreign minister of Russia"
    return _owner(doc, title.start, cast, lexicon) or _of_phrase(head, cast)


def _country_of(cast: Cast, key: str | None) -> str | None:
    """A person's title held through another person ("Bush's adviser"): their country."""
    if key is None:
        return None
    member = cast.members.get(key)
    if member is None:
        return None
    if not key.startswith("person:"):
        return key
    for fact in cast.roles:
        if fact.subject == key and fact.of:
            return fact.of
    return None


def _set_nationality(cast: Cast) -> None:
    for fact in cast.roles:
        member = cast.members.get(fact.subject)
        owner = cast.members.get(fact.of) if fact.of else None
        if member and owner and owner.type == "Country" and member.country is None:
            member.country = owner.country
