"""Find actor mentions in a parsed Doc: named people, countries, organisations, groups,
offices ("the President of Azerbaijan"), leader descriptions ("the Russian leader") and
personal pronouns, plus the titles that stand before or beside names.

Mentions are token spans with a kind and, where the gazetteer knows the thing, its key.
``kg.resolve`` turns them into one canonical actor per real actor.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

from kg.lexicon import Lexicon
from kg.mentions import NAME_AFFIXES, Mention, TitleMatch
from kg.spans import entity_of, tokens

# Nouns that make a following name a place, not a person ("the Polish city Gdansk").
PLACE_NOUNS = frozenset({
    "city", "town", "village", "port", "resort", "capital", "province", "region", "state",
    "island", "district", "county", "republic", "palace", "hotel", "square", "street",
})
# Nouns that make a following name a vessel, not a person or a party ("the aircraft carrier
# Kitty Hawk"), and the prefixes navies give their ships' names ("USS Vincennes").
VESSEL_NOUNS = frozenset({"carrier", "ship", "warship", "vessel", "frigate", "destroyer",
                          "cruiser", "submarine", "tanker", "freighter", "ferry", "yacht",
                          "battleship", "boat", "gunboat", "minesweeper", "corvette", "liner"})
SHIP_PREFIXES = frozenset({"uss", "hms", "ins", "hmcs", "hmas", "mv", "ss", "rfs"})
# Nouns that make a name beside them a news outlet ("the British newspaper the Independent").
MEDIA_NOUNS = frozenset({"newspaper", "paper", "daily", "weekly", "tabloid", "broadsheet",
                         "magazine", "broadcaster", "channel", "website", "television", "radio",
                         "network", "station"})
# Nouns for the meetings of a body ("a session of the assembly").
MEETING_NOUNS = frozenset({"meeting", "session", "summit", "conference", "sitting", "gathering",
                           "round", "convention"})
# the CAMEO role code organisations.tsv gives news outlets and wire agencies
MEDIA_CODE = "MED"
# Verbs of reporting: an outlet that reports, quotes or learns something does not act in
# the news it reports.
REPORTING_VERBS = frozenset({"report", "quote", "learn", "broadcast", "publish", "cite", "see",
                             "obtain", "reveal", "understand", "interview", "monitor"})
PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers", "himself", "herself",
                      "they", "them", "their", "it", "its"})
# Bare group nouns that are actors without a modifier ("rebels attacked", "police said").
# Prepositions after which an unknown organisation name is a place or medium, not an actor.
LOCATIVE_PREPS = frozenset({"on", "at", "in", "inside", "near", "into", "via", "through",
                            "outside", "across"})
# Nouns that make an organisation a body of its state ("Russian Foreign Ministry").
STATE_BODIES = frozenset({"ministry", "government", "embassy", "army", "navy", "military",
                          "cabinet", "parliament", "office", "council", "foreign", "defense",
                          "defence", "forces", "administration"})
# Regional adjectives name no party: "European leaders" are leaders of many states.
REGIONAL = frozenset({"european", "western", "eastern", "arab", "african", "asian", "latin",
                      "nordic", "baltic", "gulf", "balkan", "caucasian", "pacific", "atlantic",
                      "international", "foreign", "allied", "regional", "global"})
# Group nouns that are singular and still a group ("the government", "the police").
COLLECTIVE_GROUPS = frozenset({"government", "administration", "leadership", "military",
                               "police", "regime", "cabinet", "opposition", "army", "navy",
                               "ministry", "authority", "force"})
BARE_GROUPS = frozenset({"rebel", "insurgent", "militant", "separatist", "protester",
                         "demonstrator", "police", "troop", "soldier", "fighter", "activist",
                         "critic", "opponent"})
# Singular group nouns that are a group when a name qualifies them ("the Islamic State
# group", "her G40 political faction"); alone ("the group") they only point back.
NAMED_COLLECTIVES = frozenset({"group", "faction", "movement", "wing"})
# Group nouns for the members of a body, who act for it ("PPP lawmakers", "NATO officials").
MEMBER_GROUPS = frozenset({"lawmaker", "legislator", "senator", "official", "member", "mp",
                           "representative", "delegate"})
# Members of a side named by another group noun act for that side: "opposition lawmakers"
# and "opposition parties" are the opposition.
SIDE_MEMBERS = MEMBER_GROUPS | {"party", "leader", "figure", "politician"}
# Armed forces named without a qualifier are one actor: "troops", "soldiers", "the army".
ARMED_FORCES = frozenset({"military", "army", "troop", "soldier"})
# Adjectives that count or pick out members, not name the group: "other opposition
# lawmakers" are the same opposition lawmakers.
QUANTIFIERS = frozenset({"other", "some", "many", "several", "few", "more", "most", "all",
                         "both", "various", "numerous", "certain", "multiple"})
# Institutions a leader heads: "the Reagan administration" is the government he led.
LEADERS_GOVERNMENTS = frozenset({"administration", "government", "cabinet", "regime"})
# Possessive determiners and articles before a leader description ("his Russian counterpart").
DESCRIPTION_DETS = frozenset({"the", "his", "her", "its", "their"})


def find_titles(doc: Doc, lexicon: Lexicon) -> list[TitleMatch]:
    """Titles in the text, longest match first ("national security adviser", "President")."""
    longest, firsts = _title_starts(lexicon)
    words = tokens(doc)
    lowers = [t.lower_ for t in words]
    lemmas = [t.lemma_.lower() for t in words]
    singulars = [_singular(w) for w in lowers]
    spaced = [bool(t.whitespace_) for t in words]

    def joined(words: list[str], i: int, n: int) -> str:
        # words joined as the text joins them: "vice-premier", "prime minister"
        return "".join(words[k] + (" " if spaced[k] else "")
                       for k in range(i, i + n - 1)) + words[i + n - 1]

    matches = []
    i = 0
    while i < len(doc):
        if not ({lowers[i], lemmas[i], singulars[i]} & firsts) or \
                words[i].pos_ not in ("NOUN", "PROPN", "ADJ") or words[i].ent_id_:
            # a gazetteer name is not a title: "House of Lords", "UK Independence Party"
            i += 1
            continue
        for n in range(min(longest, len(doc) - i), 0, -1):
            title = (lexicon.titles.get(joined(lowers, i, n))
                     or lexicon.titles.get(joined(lemmas, i, n))
                     or lexicon.titles.get(joined(singulars, i, n)))
            if title:
                matches.append(TitleMatch(start=i, end=i + n, title=title))
                i += n
                break
        else:
            i += 1
    return matches



_TITLE_STARTS: dict[int, tuple[Lexicon, int, frozenset[str]]] = {}


def _title_starts(lexicon: Lexicon) -> tuple[int, frozenset[str]]:
    """(words in the longest title, words a title can start with), once per lexicon."""
    found = _TITLE_STARTS.get(id(lexicon))
    if found is None or found[0] is not lexicon:
        # a hyphen is a token of its own ("vice", "-", "premier"), so count it as a word
        longest = max((t.count(" ") + 2 * t.count("-") + 1 for t in lexicon.titles), default=1)
        # and an abbreviation's period may be split off too ("Atty", ".", "Gen.")
        firsts = frozenset(lexicon.title_first_words | {
            t.split()[0].split("-")[0] for t in lexicon.titles} | {
            t.split()[0].rstrip(".") for t in lexicon.titles})
        found = _TITLE_STARTS[id(lexicon)] = (lexicon, longest, firsts)
    return found[1], found[2]


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def strip_name(span: Span, lexicon: Lexicon) -> Span | None:
    """The name inside a PERSON entity, without titles, honorifics and possessive 's."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in NAME_AFFIXES or doc[start].lower_ in lexicon.titles
                           or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].lower_ in NAME_AFFIXES or doc[end - 1].is_punct):
        end -= 1
    return doc[start:end] if end > start else None


def _is_label_modifier(span: Span) -> bool:
    """True when the name only modifies a noun ("G8 summit", "Bush administration")."""
    root = span.root
    return root.dep_ in ("compound", "nmod", "amod") and root.head.i >= span.end


def _looks_like_place(span: Span) -> bool:
    before = span.doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.pos_ == "NOUN" and before.lemma_.lower() in PLACE_NOUNS:
        return True  # a common noun: "the city Gdansk", not "Secretary of State John Kerry"
    if _names_vessel(span):
        return True
    return span.root.dep_ in ("appos", "compound") and span.root.head.lemma_.lower() in PLACE_NOUNS


def _names_vessel(span: Span) -> bool:
    """A ship's name: after a vessel noun ("the aircraft carrier Kitty Hawk", tagged or not
    as a proper noun) or with a navy's prefix ("USS Stark"). Ships carry people and weapons;
    they are not parties."""
    before = span.doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.lemma_.lower() in VESSEL_NOUNS:
        return True
    first = span[1] if span[0].lower_ == "the" and len(span) > 1 else span[0]
    return first.lower_.rstrip(".") in SHIP_PREFIXES or (
        before is not None and before.lower_.rstrip(".") in SHIP_PREFIXES)


def _owns_title(span: Span, title_tokens: set[int]) -> bool:
    """A name before a title or a person's name says whose they are: "UK Independence Party
    leader Roger Knapman", "State Department deputy spokesperson", "Conservative Graham
    Brady" (a party before a name is its member's affiliation). The owner is a party."""
    head = span.root.head
    for _ in range(3):
        if head.i in title_tokens or head.ent_type_ == "PERSON":
            return True
        if head.dep_ not in ("compound", "amod", "nmod") or head.head.i == head.i:
            return False
        head = head.head
    return False


def _before_meeting(span: Span) -> bool:
    """"on his way to the Group of Eight summit": the parser hangs "summit" inside the
    name ("of Eight summit"), so the name does not look like a modifier; the meeting noun
    right after it says it is one."""
    return span.end < len(span.doc) and span.doc[span.end].lemma_.lower() in MEETING_NOUNS \
        and span.doc[span.end].pos_ == "NOUN"


def _names_meeting(span: Span) -> bool:
    """A body named only as whose meeting it is ("meetings of the Nuclear Consultative
    Group were postponed"): the meeting is the thing, the body does not act."""
    root = span.root
    return root.dep_ == "pobj" and root.head.lower_ == "of" and \
        root.head.head.lemma_.lower() in MEETING_NOUNS


def _names_medium(span: Span) -> bool:
    """An outlet the tagger calls an organisation: in apposition to, or naming, a media noun
    ("the British newspaper the Independent", "the Independent newspaper")."""
    root = span.root
    if root.dep_ in ("appos", "compound", "nmod") and root.head.lemma_.lower() in MEDIA_NOUNS:
        return True
    i = span.start - 1
    while i >= 0 and span.doc[i].lower_ in ("the", "a", ","):
        i -= 1
    return i >= 0 and i < span.start - 1 and span.doc[i].lemma_.lower() in MEDIA_NOUNS


def _medium_acts(span: Span, lexicon: Lexicon) -> bool:
    """An outlet acts only as the subject of a verb that is not one of reporting: "the
    BBC apologised", not "told Reuters", "the BBC's editor" or "Reuters reported"."""
    root = span.root
    if root.dep_ not in ("nsubj", "nsubjpass"):
        return False
    lemma = root.head.lemma_.lower()
    return lemma not in lexicon.speech_verbs and lemma not in REPORTING_VERBS


def _complete_name(ent: Span) -> Span:
    """Extend a name the tagger cut short ("[Romano] Prodi"): a capitalised proper noun
    right after it, which the name's last word modifies, belongs to the name."""
    doc = ent.doc
    end = ent.end
    while end < len(doc):
        nxt = doc[end]
        last = doc[end - 1]
        if not (nxt.pos_ == "PROPN" and _capitalised(nxt) and not nxt.ent_type_
                and last.dep_ in ("compound", "flat") and last.head.i == nxt.i):
            break
        end += 1
    return doc[ent.start:end] if end != ent.end else ent


# events whose object is a place, not a party: one travels to or bombs a capital
_PLACE_EVENTS = frozenset({"travel", "deploy", "host", "assault", "retreat", "aid"})


def _addressed(ent: Span, lexicon: Lexicon) -> bool:
    """A capital as the direct object of an event between parties ("urged Moscow")."""
    if ent.root.dep_ != "dobj":
        return False
    entry = lexicon.verbs.get(ent.root.head.lemma_.lower())
    return entry is not None and entry.predicate not in _PLACE_EVENTS


def _after_article(span: Span) -> bool:
    """People are not named with an article; places and buildings are ("the Kremlin")."""
    for i in range(span.start - 1, max(-1, span.start - 4), -1):
        token = span.doc[i]
        if token.lower_ in ("the", "a", "an"):
            return True
        if token.pos_ not in ("ADJ", "NUM", "NOUN") and token.ent_type_ not in ("DATE", "ORDINAL"):
            return False
    return False


def _capitalised(token: Token) -> bool:
    """Capitalised as a name is: "Putin", "McCain", "DeGaulle" (str.istitle refuses the
    last two)."""
    return token.text[:1].isupper() and not token.is_upper or (token.is_upper and len(token) <= 3)


def _person_like(span: Span) -> bool:
    return all(t.text.replace("-", "").replace("'", "").isalpha() or t.text in (".", "-", "'")
               or t.text.endswith(".") for t in span) and \
        any(_capitalised(t) for t in span)


def find_mentions(doc: Doc, lexicon: Lexicon, titles: list[TitleMatch]) -> list[Mention]:
    """Every actor mention in the document, in text order, without overlaps."""
    title_tokens = {i for m in titles for i in range(m.start, m.end)}
    mentions: list[Mention] = []
    taken: set[int] = _credit_lines(doc)

    def add(mention: Mention) -> None:
        if any(i in taken for i in range(mention.start, mention.end)):
            return
        taken.update(range(mention.start, mention.end))
        mentions.append(mention)

    for mention in _titled_names(doc, lexicon, titles):
        add(mention)
    for ent in doc.ents:
        for mention in _entity_mentions(ent, lexicon, title_tokens):
            add(mention)
    for mention in _office_mentions(doc, lexicon, titles):
        add(mention)
    for mention in _group_mentions(doc, lexicon, taken):
        add(mention)
    for token in tokens(doc):
        if token.lower_ in PRONOUNS and token.pos_ == "PRON" and token.i not in taken:
            add(Mention(start=token.i, end=token.i + 1, kind="pronoun", text=token.text))
    mentions.sort(key=lambda m: m.start)
    return mentions


def _titled_names(doc: Doc, lexicon: Lexicon, titles: list[TitleMatch]) -> Iterator[Mention]:
    """A capitalised name right after a title or honorific is a person, whatever the
    tagger thought ("President Mikheil Saakashvili" tagged as a place, or not at all)."""
    for match in titles:
        if match.title.kind == "journalist":
            continue
        end = match.end
        if end + 1 < len(doc) and doc[end].is_title and doc[end].is_alpha and \
                not doc[end].is_sent_start and doc[end].pos_ != "PROPN" and \
                doc[end + 1].pos_ == "PROPN" and _capitalised(doc[end + 1]):
            end += 1  # a given name the tagger took for a word ("spokesman Per Paust")
        while end < len(doc) and doc[end].pos_ == "PROPN" and _capitalised(doc[end]) and \
                not (doc[end].ent_id_ or lexicon.names.get(doc[end].lower_)
                     or lexicon.demonyms.get(doc[end].lower_)):
            end += 1
        if end == match.end:
            continue
        name = doc[match.end:end]
        if doc[match.end - 1].tag_ in ("NNS", "NNPS"):
            yield from _conjoined_names(name[-1], lexicon)
        if name[-1].tag_ == "NNPS":
            continue  # "fellow Democrats", "Secretaries": a plural is no one person's name
        if any(t.ent_type_ == "PERSON" for t in name):
            continue  # the tagger found it: _entity_mentions keeps its span
        if name.text.lower() in lexicon.titles or name[-1].dep_ == "compound" and \
                name[-1].head.i >= end and name[-1].head.pos_ == "NOUN":
            continue  # "President Bush administration" style modifiers
        yield Mention(start=name.start, end=name.end, kind="person", text=name.text)


def _conjoined_names(head: Token, lexicon: Lexicon) -> Iterator[Mention]:
    """Names conjoined to the first after a plural title are people too ("cabinet
    ministers Jonas Vik and Petter Moe"), whether or not the tagger saw them."""
    doc = head.doc
    for conj in head.conjuncts:
        if conj.i < head.i or conj.pos_ != "PROPN" or not _capitalised(conj) or conj.ent_type_:
            continue
        start = conj.i
        while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].pos_ == "PROPN" \
                and _capitalised(doc[start - 1]) and not doc[start - 1].ent_type_:
            start -= 1
        name = doc[start:conj.i + 1]
        if not lexicon.names.get(name.text.lower()):
            yield Mention(start=name.start, end=name.end, kind="person", text=name.text)


def _entity_mentions(ent: Span, lexicon: Lexicon, title_tokens: set[int]) -> Iterator[Mention]:
    key = ent.ent_id_ or lexicon.names.get(ent.text.lower())
    if key and key in lexicon.places:
        place = lexicon.places[key]
        if place.cameo == MEDIA_CODE and not _medium_acts(ent, lexicon):
            return
        if ent.label_ == "NORP":
            return  # demonyms act only through the nouns they modify (see _group_mentions)
        if ent.text.lower() in lexicon.capitals and ent.text.lower() not in lexicon.names:
            # a capital stands for its government when it acts ("Moscow fears") or is
            # addressed ("pressed Washington to keep talking"), not as a destination
            is_agent = ent.root.dep_ == "pobj" and ent.root.head.dep_ == "agent" or (
                ent.root.dep_ == "conj" and ent.root.head.dep_ in ("nsubj", "nsubjpass")) or (
                ent.root.dep_ == "pobj" and ent.root.head.lower_ == "by"
                and ent.root.head.head.pos_ == "NOUN")
            # ("by Beijing"; "Washington and Seoul signed": a capital joined to a subject;
            # "the decision by Washington to supply jets": whose act a noun names)
            if ent.root.dep_ not in ("nsubj", "nsubjpass", "poss") and not is_agent and \
                    not _addressed(ent, lexicon):
                return
        if place.type != "Country" and (_is_label_modifier(ent) or _before_meeting(ent)) and \
                ent.root.head.lemma_.lower() not in lexicon.groups and \
                not _owns_title(ent, title_tokens) and not _owns_act(ent, lexicon):
            return  # "the G8 summit": the organisation names a meeting, it does not act
        yield Mention(start=ent.start, end=ent.end, kind="place", text=ent.text, key=key)
        return
    if ent.label_ == "PERSON":
        ent = _complete_name(ent)
        name = strip_name(ent, lexicon)
        if name is None or not _person_like(name) or _looks_like_place(ent):
            return
        if name.text.lower() in lexicon.titles or all(t.i in title_tokens for t in name):
            return
        if _after_article(ent) or _is_label_modifier(ent):
            return  # "the Palazzo Doria Spinola", "the Genoa summit": names of things
        if len(name) == 1 and name[0].tag_ == "NNPS":
            # "seen by many Africans", "the Democrats said": a plural is a people or a
            # party's members, never one person; a group when it acts
            if _acts(name.root):
                yield Mention(start=name.start, end=name.end, kind="group", text=name.text,
                              key=f"group:{name.text.lower()}")
            return
        yield Mention(start=name.start, end=name.end, kind="person", text=name.text)
    elif ent.label_ == "ORG":
        owner = next((t.i for t in reversed(ent) if t.tag_ == "POS"), None)
        if owner is not None and owner + 1 < ent.end:
            ent = ent.doc[owner + 1:ent.end]  # "Netanyahu's Likud party": the party's name
        elif owner is not None and owner > ent.start:
            ent = ent.doc[ent.start:owner]  # "Netanyahu's" (before a party the gazetteer
            # named): the owner's name, without the possessive
        if any(t.i in title_tokens for t in ent) or (
                _is_label_modifier(ent) and not _owns_title(ent, title_tokens)):
            return
        if ent.root.dep_ == "pobj" and ent.root.head.lower_ in LOCATIVE_PREPS:
            return  # "mocked him on Twitter", "a reactor at Arak": a medium or a site
        if _names_vessel(ent) or _names_medium(ent) or _names_meeting(ent):
            return
        if "," in ent.text or (ent.root.dep_ == "conj" and ent.root.head.i in title_tokens):
            return  # a parser run-on ("Heiligendamm, Putin") or "Secretaries of State and Defense"
        if not any(t.is_title or t.is_upper for t in ent) or any(t.like_num for t in ent):
            return
        if any(t.tag_ in ("VBD", "VBZ", "VBP") for t in ent):
            return  # "the ministry of defence announced new rules": the tagger ran on
        text = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
        country = _government_body(ent, lexicon)
        if country is not None:
            # "the Russian Foreign Ministry said": a state body speaks for its state
            yield Mention(start=ent.start, end=ent.end, kind="place", text=text, key=country)
            return
        yield Mention(start=ent.start, end=ent.end, kind="org", text=text,
                      key=f"org:{text.lower()}")
    elif ent.label_ in ("GPE", "NORP") and ent.root.dep_ in ("nsubj", "nsubjpass"):
        # an unknown place or people that acts ("Crimea voted", "the Kurds said")
        yield Mention(start=ent.start, end=ent.end, kind="org", text=ent.text,
                      key=f"place:{ent.text.lower()}")


def _acts(token: Token) -> bool:
    """Whether a noun is the subject of its clause or the "by" agent of a passive."""
    return token.dep_ in ("nsubj", "nsubjpass") or (
        token.dep_ == "pobj" and token.head.dep_ == "agent")


def _government_body(ent: Span, lexicon: Lexicon) -> str | None:
    """The country of an organisation named "<demonym or country> <state body>"."""
    first = ent[1] if ent[0].lower_ == "the" and len(ent) > 1 else ent[0]
    key = _modifier_place([first], lexicon)
    if key is None or not key.startswith("country:"):
        return None
    if any(t.lemma_.lower() in STATE_BODIES for t in ent[1:]):
        return key
    return None


def _modifier_place(tokens: list[Token], lexicon: Lexicon) -> str | None:
    """The gazetteer key of a demonym, country or capital among modifier tokens."""
    for token in tokens:
        text = token.text.lower()
        key = lexicon.demonyms.get(text) or lexicon.names.get(text) or lexicon.capitals.get(text)
        if key:
            return key
        if token.ent_id_ and token.ent_id_ in lexicon.places:
            return token.ent_id_
    return None


def _office_mentions(doc: Doc, lexicon: Lexicon, titles: list[TitleMatch]) -> Iterator[Mention]:
    """Offices and leader descriptions that stand for a person not named there."""
    for match in titles:
        if match.title.kind in ("honorific", "journalist"):
            continue
        after = doc[match.end] if match.end < len(doc) else None
        if after is not None and after.ent_type_ == "PERSON":
            continue  # "President Bush": a title before a name, handled as a role
        head = doc[match.end - 1]
        if any(c.dep_ == "appos" and c.ent_type_ == "PERSON" for c in head.children):
            continue
        if head.dep_ == "appos" and head.head.ent_type_ == "PERSON":
            continue
        before = [doc[i] for i in range(max(0, match.start - 3), match.start)]
        det = next((t for t in reversed(before) if t.lower_ in DESCRIPTION_DETS), None)
        # "the President of Azerbaijan": an office of a country
        if after is not None and after.lower_ == "of" and match.end + 1 < len(doc):
            target = doc[match.end + 1]
            ent = entity_of(target)
            key = _modifier_place([target], lexicon) or (ent.ent_id_ if ent is not None else None)
            if key and key in lexicon.places and ent is not None:
                # the span stays on the title so the country keeps its own mention
                yield Mention(start=match.start, end=match.end, kind="office",
                              text=doc[match.start:ent.end].text, key=key, title=match.title)
                continue
        # "the Russian leader", "his Russian counterpart", "the Polish leader's support"
        if det is not None and (match.title.is_leader or head.lemma_ == "counterpart"):
            modifiers = [t for t in doc[det.i + 1:match.start]]
            key = _modifier_place(modifiers, lexicon)
            if key or (det.lower_ == "the" and det.i == match.start - 1
                       and head.tag_ in ("NN", "NNP")):
                # "the Russian leader"; or plain "the president": the last one named
                yield Mention(start=det.i + 1 if det.lower_ == "the" else det.i,
                              end=match.end, kind="description",
                              text=doc[det.i:match.end].text, key=key, title=match.title)


# adjectives that place a group in politics ("provincial leaders", "ruling party lawmakers")
POLITICAL_SCOPES = frozenset({"provincial", "federal", "regional", "municipal", "tribal",
                              "ruling", "conservative", "liberal", "communist", "socialist",
                              "nationalist", "separatist", "islamist", "western", "arab",
                              "kurdish", "shia", "sunni", "state"})


def _group_mentions(doc: Doc, lexicon: Lexicon, taken: set[int]) -> Iterator[Mention]:
    """Groups ("Russian officials", "rebels") and demonyms acting through a noun."""
    for token in tokens(doc):
        if token.i in taken or token.pos_ not in ("NOUN", "PROPN"):
            continue
        lemma = token.lemma_.lower()
        modifiers = [c for c in token.lefts if c.dep_ in ("amod", "compound", "nmod", "npadvmod")
                     and c.lower_ not in QUANTIFIERS]
        modifiers += [m for c in modifiers for m in c.conjuncts]
        places = _modifier_places(modifiers, lexicon)
        start = min([m.left_edge.i for m in modifiers] + [token.i])
        if lemma in lexicon.groups:
            name = doc[start + 1 if doc[start].lower_ == "the" else start:token.i + 1]
            key = lexicon.names.get(name.text.lower())
            if key is not None:
                # a gazetteer name is a name, not a group ("Palestinian Authority President
                # Mahmoud Abbas": the tagger left the owner of the title untagged)
                yield Mention(start=name.start, end=name.end, kind="place", text=name.text,
                              key=key)
                continue
            if token.pos_ == "PROPN" and token.ent_type_ == "ORG":
                continue  # part of a name the entity rules judged ("Consultative Group")
            if lemma in MEMBER_GROUPS and (body := _body_of_members(token, modifiers, lexicon)):
                # "PPP lawmakers", "lawmakers from the People Power Party" act for the party
                text, key = body
                kind = "place" if key in lexicon.places else "org"
                yield Mention(start=start, end=token.i + 1, kind=kind, text=text, key=key)
                continue
            if token.tag_ not in ("NNS", "NNPS") and lemma not in COLLECTIVE_GROUPS and not (
                    lemma in NAMED_COLLECTIVES and any(m.pos_ == "PROPN" for m in modifiers)):
                continue  # "the leader of North Korea" is one person, not a group
            if len(places) > 1:
                # "Russian and Ukrainian officials": each country speaks through its own
                for modifier, key in places:
                    if modifier.i not in taken:
                        yield Mention(start=modifier.i, end=modifier.i + 1, kind="place",
                                      text=modifier.text, key=key)
                continue
            place_key = places[0][1] if places else None
            if place_key and lexicon.groups[lemma]:
                # "Russian officials" speak for Russia's government
                yield Mention(start=start, end=token.i + 1, kind="place",
                              text=doc[start:token.i + 1].text, key=place_key)
                continue
            leader = next((m for m in modifiers if m.ent_type_ == "PERSON"), None)
            if leader is not None and lemma in LEADERS_GOVERNMENTS:
                # "the Reagan administration", "the Obama government": the government its
                # leader heads (kg.resolve finds whose, once roles give the leader a country)
                name = doc[entity_of(leader).start if entity_of(leader) else leader.i:token.i + 1]
                yield Mention(start=name.start, end=name.end, kind="government", text=name.text)
                continue
            owner = next((c for c in token.lefts if c.dep_ == "poss"), None)
            owner_key = _modifier_place([owner], lexicon) if owner is not None else None
            if owner_key and lexicon.groups[lemma] and owner_key.startswith("country:"):
                # "Norway's minority Labour government" speaks for Norway
                yield Mention(start=start, end=token.i + 1, kind="place",
                              text=doc[start:token.i + 1].text, key=owner_key)
                continue
            place = lexicon.places.get(owner_key) if owner_key else None
            if place is not None and place.demonyms and not modifiers and \
                    owner_key.startswith("country:") and token.tag_ in ("NN", "NNS"):
                # "Venezuela's opposition" is the Venezuelan opposition, not Venezuela: one
                # group whichever way the text names it (the span stays on the noun, the
                # country keeps its own mention)
                text = f"{place.demonyms[0].capitalize()} {token.text}"
                yield Mention(start=token.i, end=token.i + 1, kind="group", text=text,
                              key=f"group:{text.lower()}")
                continue
            # "workers from eastern countries", not "accused both parties of betraying"
            has_scope = any(_is_scope(c) for c in token.rights)
            # "the army", "the government": the institution the article is about
            is_institution = lemma in COLLECTIVE_GROUPS and any(
                c.dep_ == "det" and c.lower_ == "the" for c in token.children) and not any(
                m.ent_type_ == "PERSON" for m in modifiers)  # "the Bush administration"
            # "Republican leaders", "Hamas fighters": a named party or people qualifies
            # them; so does another group noun ("opposition lawmakers", "rebel commanders")
            is_named = any(m.ent_type_ in ("NORP", "ORG") and m.lower_ not in REGIONAL
                           or m.lemma_.lower() in lexicon.groups
                           or m.lower_ in POLITICAL_SCOPES for m in modifiers)
            if not (place_key or has_scope or lemma in BARE_GROUPS or is_institution or is_named):
                continue
            label_end = token.i + 1
            # a label never runs into a conjunct: "Gulf allies and members of Congress" are
            # two groups, and "of Congress" belongs to the second
            conjunction = min((c.i for c in token.rights if c.dep_ in ("cc", "conj")),
                              default=len(doc))
            for child in token.rights:
                if _is_scope(child) and child.i < conjunction:
                    label_end = max(label_end, min(_phrase_end(child), conjunction))
            # the span stays on the noun so that names inside "from X and Y" keep their own
            # mentions; the label keeps the scope
            text = doc[start:label_end].text
            key = f"group:{text.lower()}"
            named_by = [m for m in modifiers if m.lemma_.lower() in lexicon.groups
                        and not lexicon.groups[m.lemma_.lower()]]
            if lemma in SIDE_MEMBERS and len(modifiers) == 1 and named_by and \
                    label_end == token.i + 1:
                # "opposition lawmakers", "opposition parties", "the opposition": one side
                key = f"group:{named_by[0].lower_}"
            elif lemma in ARMED_FORCES and start == token.i and label_end == token.i + 1:
                # "troops", "the military", "soldiers" with nothing to qualify them: the one
                # armed force the article is about
                key = "group:armed forces"
            yield Mention(start=start, end=token.i + 1, kind="group", text=text, key=key)
        elif places and lemma in lexicon.nouns:
            # "Polish support", "American plans", "Russian concerns": the country holds them;
            # a capital before an event noun names its venue ("the Madrid peace talks")
            for demonym, key in places:
                if demonym.ent_type_ in ("NORP", "GPE") and demonym.i not in taken and \
                        not _is_capital(demonym, lexicon):
                    yield Mention(start=demonym.i, end=demonym.i + 1, kind="place",
                                  text=demonym.text, key=key)


def _owns_act(ent: Span, lexicon: Lexicon) -> bool:
    """"the EU embargo", "UN sanctions", "NATO air strikes": an organisation before an act
    of its own does it (a meeting it names, "the G8 summit", is no act of its own)."""
    entry = lexicon.event_nouns.get(ent.root.head.lemma_.lower())
    if entry is None:
        return False
    klass = lexicon.predicates[entry.predicate]
    return not klass.is_symmetric and entry.predicate not in ("say", "travel", "host")


def _is_capital(token: Token, lexicon: Lexicon) -> bool:
    text = token.lower_
    return text in lexicon.capitals and text not in lexicon.names and text not in lexicon.demonyms


def _credit_lines(doc: Doc) -> set[int]:
    """Tokens of paragraphs without a verb: datelines ("OTTAWA, March 12 -"), credit and
    date lines ("BBC News, 12 January 2005", "Analysis: ..., BBC News, Washington"). Names
    there label the report; they do not act in it."""
    found: set[int] = set()
    start = 0
    for token in tokens(doc):
        is_break = token.is_space and token.text.count("\n") >= 2
        if is_break or token.i == len(doc) - 1:
            end = token.i if is_break else token.i + 1
            words = [t for t in doc[start:end] if not t.is_space]
            if words and not any(t.pos_ in ("VERB", "AUX") for t in words):
                found.update(t.i for t in words)
            start = token.i + 1
    return found


def _is_scope(child: Token) -> bool:
    """A "from" or "of" phrase naming a group's scope: it has a noun, not a clause."""
    return child.dep_ == "prep" and child.lower_ in ("from", "of") and any(
        o.dep_ == "pobj" for o in child.children)


def _phrase_end(prep: Token) -> int:
    """Where a "from"/"of" phrase's noun phrase ends, without a clause on its noun: the
    label of "workers from eastern countries who will head west" stops at "countries"."""
    end = prep.i + 1
    for obj in prep.children:
        if obj.dep_ != "pobj":
            continue
        end = obj.i + 1
        for child in obj.rights:
            if child.dep_ in ("relcl", "acl", "punct", "cc", "conj", "appos", "advcl"):
                break
            end = child.right_edge.i + 1
    return end


def _body_of_members(token: Token, modifiers: list[Token],
                     lexicon: Lexicon) -> tuple[str, str] | None:
    """The organisation whose members a group noun names: a named modifier ("PPP
    lawmakers") or a "from"/"of" phrase ("lawmakers from the People Power Party")."""
    candidates = [m for m in modifiers if m.ent_type_ == "ORG"]
    for child in token.rights:
        if child.dep_ == "prep" and child.lower_ in ("from", "of"):
            candidates += [o for o in child.children if o.dep_ == "pobj" and o.ent_type_ == "ORG"]
    for candidate in candidates:
        ent = entity_of(candidate)
        if ent is None or ent.text.lower() in REGIONAL:
            continue
        text = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
        key = ent.ent_id_ if ent.ent_id_ in lexicon.places else lexicon.names.get(
            text.lower(), f"org:{text.lower()}")
        return text, key
    return None


def _modifier_places(modifiers: list[Token], lexicon: Lexicon) -> list[tuple[Token, str]]:
    """Each modifier that names a country (demonym, name, capital), with its key, once."""
    found: dict[str, Token] = {}
    for modifier in sorted(modifiers, key=lambda t: t.i):
        key = _modifier_place([modifier], lexicon)
        if key is None and modifier.dep_ == "compound":
            key = _modifier_place(list(modifier.lefts), lexicon)  # "White House officials"
        if key and key not in found:
            found[key] = modifier
    return [(token, key) for key, token in found.items()]
