"""Relation and position rules on hand-built parses, with the actors cast by hand.

Each case is an invented sentence, the parse spaCy's English model gives it (or would
plausibly give), and which tokens name which actors, so a rule in kg/extract/relations.py
or kg/extract/positions.py is tested apart from the parser and the NER.
"""

from __future__ import annotations

import pytest
from spacy.tokens import Span

from kg.extract.frames import build_frames
from kg.extract.positions import find_stances
from kg.extract.relations import extract_events
from kg.mentions import Mention
from kg.resolve import Cast

TYPES = {"country": "Country", "person": "Person", "group": "Group"}


def _cast(doc, lexicon, actors: dict[int, str]) -> Cast:
    """A cast in which token i names the actor actors[i] ("country:RU", "person:putin")."""
    cast = Cast(lexicon)
    for i, key in actors.items():
        kind = key.split(":")[0]
        member = cast.member(key, doc[i].text, TYPES[kind])
        cast.attach(Mention(start=i, end=i + 1, kind="place" if kind == "country" else kind,
                            text=doc[i].text, key=key), member)
    return cast


def _run(doc, lexicon, actors: dict[int, str], quotes=(), places=()):
    """(events, stances) of a Doc; ``places`` are token indices the NER calls GPE."""
    if places:
        doc.ents = [Span(doc, i, i + 1, label="GPE") for i in places]
    cast = _cast(doc, lexicon, actors)
    frames = build_frames(doc, lexicon)
    events = extract_events(doc, frames, cast, lexicon, issues=[], quotes=list(quotes))
    return events, find_stances(doc, frames, events, [], cast, lexicon)


def _triples(events) -> set[tuple[str, str, str]]:
    """(subject key, predicate, object key or label) of every event."""
    return {(key, e.predicate, t.actor or t.label)
            for e in events for key, _ in e.subjects for t in e.objects}


def _positions(stances) -> set[tuple[str, str, str]]:
    return {(s.holder, s.issue.label, s.polarity) for s in stances}


# ---- verb + object noun ----------------------------------------------------------------

@pytest.mark.parametrize("rows, actors, triple, verb, position", [
    pytest.param(  # "Washington imposed sanctions on Russia"
        ("Washington Washington PROPN NNP nsubj 1", "imposed impose VERB VBD ROOT 1",
         "sanctions sanction NOUN NNS dobj 1", "on on ADP IN prep 2",
         "Russia Russia PROPN NNP pobj 3"),
        {0: "country:US", 4: "country:RU"}, ("country:US", "sanction", "country:RU"),
        "imposed sanctions", ("country:US", "sanction", "support"), id="impose-sanctions"),
    pytest.param(  # "Washington lifted the embargo on Cuba"
        ("Washington Washington PROPN NNP nsubj 1", "lifted lift VERB VBD ROOT 1",
         "the the DET DT det 3", "embargo embargo NOUN NN dobj 1", "on on ADP IN prep 3",
         "Cuba Cuba PROPN NNP pobj 4"),
        {0: "country:US", 5: "country:CU"}, ("country:US", "concede", "country:CU"),
        "lifted embargo", ("country:US", "embargo", "oppose"), id="lift-embargo"),
    pytest.param(  # "Seoul lifted the martial law order": the compound names what is lifted
        ("Seoul Seoul PROPN NNP nsubj 1", "lifted lift VERB VBD ROOT 1",
         "the the DET DT det 5", "martial martial ADJ JJ amod 5",
         "law law NOUN NN compound 5", "order order NOUN NN dobj 1"),
        {0: "country:KR"}, ("country:KR", "concede", "martial law order"),
        "lifted law", ("country:KR", "martial law order", "oppose"), id="lift-compound"),
])
def test_relations_object_noun_types_the_event(parsed, lexicon, rows, actors, triple, verb,
                                               position):
    events, stances = _run(parsed(*rows), lexicon, actors)
    assert _triples(events) == {triple}
    assert events[0].verb == verb
    assert _positions(stances) == {position}


@pytest.mark.parametrize("rows, predicate, verb, thing", [
    pytest.param(  # "Russia presented a peace plan to Serbia": the plan is what is proposed
        ("Russia Russia PROPN NNP nsubj 1", "presented present VERB VBD ROOT 1",
         "a a DET DT det 4", "peace peace NOUN NN compound 4", "plan plan NOUN NN dobj 1",
         "to to ADP IN dative 1", "Serbia Serbia PROPN NNP pobj 5"),
        "propose", "presented plan", "peace plan", id="presented-plan"),
    pytest.param(  # "Russia made an offer to Serbia", "to" on the verb
        ("Russia Russia PROPN NNP nsubj 1", "made make VERB VBD ROOT 1", "an an DET DT det 3",
         "offer offer NOUN NN dobj 1", "to to ADP IN dative 1",
         "Serbia Serbia PROPN NNP pobj 4"),
        "offer", "made offer", "offer", id="made-offer-dative"),
    pytest.param(  # the same, "to" on the noun (the parse tests/test_frames.py uses)
        ("Russia Russia PROPN NNP nsubj 1", "made make VERB VBD ROOT 1", "an an DET DT det 3",
         "offer offer NOUN NN dobj 1", "to to ADP IN prep 3",
         "Serbia Serbia PROPN NNP pobj 4"),
        "offer", "made offer", "offer", id="made-offer-prep-on-noun"),
])
def test_relations_light_verb_and_event_noun(parsed, lexicon, rows, predicate, verb, thing):
    doc = parsed(*rows)
    serbia = len(doc) - 1
    events, _ = _run(doc, lexicon, {0: "country:RU", serbia: "country:RS"})
    assert _triples(events) == {("country:RU", predicate, thing)}
    assert events[0].verb == verb
    assert events[0].recipient == "country:RS"


@pytest.mark.parametrize("rows, thing", [
    pytest.param(  # "Israel reaffirmed its commitment to peace"
        ("Israel Israel PROPN NNP nsubj 1", "reaffirmed reaffirm VERB VBD ROOT 1",
         "its its PRON PRP$ poss 3", "commitment commitment NOUN NN dobj 1",
         "to to ADP IN prep 3", "peace peace NOUN NN pobj 4"), "peace", id="pledged-thing"),
    pytest.param(  # "Israel reaffirmed its commitment": nothing said of what, the pledge
        ("Israel Israel PROPN NNP nsubj 1", "reaffirmed reaffirm VERB VBD ROOT 1",
         "its its PRON PRP$ poss 3", "commitment commitment NOUN NN dobj 1"),
        "commitment", id="pledge-alone"),
])
def test_relations_what_is_pledged_is_the_object(parsed, lexicon, rows, thing):
    events, _ = _run(parsed(*rows), lexicon, {0: "country:IL"})
    assert _triples(events) == {("country:IL", "offer", thing)}


def test_relations_recipient_is_never_the_agent_itself(parsed, lexicon):
    # "Russia made an offer to them", the pronoun resolved to Russia: a recipient is
    # someone else (the ministry "requested travel bans for them": for the commanders)
    doc = parsed("Russia Russia PROPN NNP nsubj 1", "made make VERB VBD ROOT 1",
                 "an an DET DT det 3", "offer offer NOUN NN dobj 1", "to to ADP IN dative 1",
                 "them they PRON PRP pobj 4")
    events, _ = _run(doc, lexicon, {0: "country:RU", 5: "country:RU"})
    assert _triples(events) == {("country:RU", "offer", "offer")}
    assert events[0].recipient is None


@pytest.mark.parametrize("rows, triple", [
    pytest.param(  # "Washington imposed duties on Japan", "on" on the verb
        ("Washington Washington PROPN NNP nsubj 1", "imposed impose VERB VBD ROOT 1",
         "duties duty NOUN NNS dobj 1", "on on ADP IN prep 1", "Japan Japan PROPN NNP pobj 3"),
        ("country:US", "sanction", "country:JP"), id="duties-on-verb"),
    pytest.param(  # the same, "on" on the noun (the model's parse)
        ("Washington Washington PROPN NNP nsubj 1", "imposed impose VERB VBD ROOT 1",
         "duties duty NOUN NNS dobj 1", "on on ADP IN prep 2", "Japan Japan PROPN NNP pobj 3"),
        ("country:US", "sanction", "country:JP"), id="duties-on-noun"),
    pytest.param(  # "Israel threatened reprisals against Iran": a verb class, no phrase
        ("Israel Israel PROPN NNP nsubj 1", "threatened threaten VERB VBD ROOT 1",
         "reprisals reprisal NOUN NNS dobj 1", "against against ADP IN prep 1",
         "Iran Iran PROPN NNP pobj 3"),
        ("country:IL", "threaten", "country:IR"), id="threaten-against"),
])
def test_relations_conflictual_class_targets_the_actor(parsed, lexicon, rows, triple):
    events, _ = _run(parsed(*rows), lexicon, {0: triple[0], 4: triple[2]})
    assert _triples(events) == {triple}


def test_relations_deploy_has_a_place(parsed, lexicon):
    # "Washington will place missiles in Poland"
    doc = parsed("Washington Washington PROPN NNP nsubj 2", "will will AUX MD aux 2",
                 "place place VERB VB ROOT 2", "missiles missile NOUN NNS dobj 2",
                 "in in ADP IN prep 2", "Poland Poland PROPN NNP pobj 4")
    events, _ = _run(doc, lexicon, {0: "country:US", 5: "country:PL"}, places=[0, 5])
    assert _triples(events) == {("country:US", "deploy", "missiles")}
    (event,) = events
    assert (event.place.label, event.place.actor) == ("Poland", "country:PL")
    assert event.modality == "planned"


# ---- agents: parts, amounts, pairs, pronouns in quotations ---------------------------------

def test_relations_partitive_agent_acts_for_its_whole(parsed, lexicon):
    # "Some of the premiers complained about the tariffs"
    doc = parsed("Some some PRON DT nsubj 4", "of of ADP IN prep 0", "the the DET DT det 3",
                 "premiers premier NOUN NNS pobj 1", "complained complain VERB VBD ROOT 4",
                 "about about ADP IN prep 4", "the the DET DT det 7",
                 "tariffs tariff NOUN NNS pobj 5")
    events, stances = _run(doc, lexicon, {3: "group:premiers"})
    assert _triples(events) == {("group:premiers", "accuse", "tariffs")}
    assert _positions(stances) == {("group:premiers", "tariff", "oppose")}


def test_relations_amount_is_typed_by_what_it_measures(parsed, lexicon):
    # "Norway gives millions of dollars of aid to Ukraine"
    doc = parsed("Norway Norway PROPN NNP nsubj 1", "gives give VERB VBZ ROOT 1",
                 "millions million NOUN NNS dobj 1", "of of ADP IN prep 2",
                 "dollars dollar NOUN NNS pobj 3", "of of ADP IN prep 4",
                 "aid aid NOUN NN pobj 5", "to to ADP IN dative 1",
                 "Ukraine Ukraine PROPN NNP pobj 7")
    events, _ = _run(doc, lexicon, {0: "country:NO", 8: "country:UA"})
    (event,) = events
    assert (event.predicate, event.verb) == ("aid", "gives aid")
    assert event.recipient == "country:UA"


@pytest.mark.parametrize("rows, actors, signers", [
    pytest.param(  # "Merkel hosted Obama in Berlin and the two leaders signed an accord"
        ("Merkel Merkel PROPN NNP nsubj 1", "hosted host VERB VBD ROOT 1",
         "Obama Obama PROPN NNP dobj 1", "in in ADP IN prep 1", "Berlin Berlin PROPN NNP pobj 3",
         "and and CCONJ CC cc 1", "the the DET DT det 8", "two two NUM CD nummod 8",
         "leaders leader NOUN NNS nsubj 9", "signed sign VERB VBD conj 1",
         "an an DET DT det 11", "accord accord NOUN NN dobj 9"),
        {0: "person:merkel", 2: "person:obama", 4: "country:DE"},
        ["person:merkel", "person:obama"], id="two-leaders"),
    pytest.param(  # "Armenia accused Azerbaijan but both sides later signed a truce"
        ("Armenia Armenia PROPN NNP nsubj 1", "accused accuse VERB VBD ROOT 1",
         "Azerbaijan Azerbaijan PROPN NNP dobj 1", "but but CCONJ CC cc 1",
         "both both DET DT det 5", "sides side NOUN NNS nsubj 7", "later later ADV RB advmod 7",
         "signed sign VERB VBD conj 1", "a a DET DT det 9", "truce truce NOUN NN dobj 7"),
        {0: "country:AM", 2: "country:AZ"}, ["country:AM", "country:AZ"], id="both-sides"),
])
def test_relations_pair_noun_is_the_last_two_actors_of_its_kind(parsed, lexicon, rows, actors,
                                                                signers):
    events, _ = _run(parsed(*rows), lexicon, actors)
    (signed,) = [e for e in events if e.predicate == "agree"]
    assert [key for key, _ in signed.subjects] == signers


def test_relations_first_person_in_a_quotation_is_its_speaker(parsed, lexicon):
    # "We will reject the tariffs," Lula said
    doc = parsed('" " PUNCT `` punct 9', "We we PRON PRP nsubj 3", "will will AUX MD aux 3",
                 "reject reject VERB VB ccomp 9", "the the DET DT det 5",
                 "tariffs tariff NOUN NNS dobj 3", ", , PUNCT , punct 3",
                 "\" \" PUNCT '' punct 9", "Lula Lula PROPN NNP nsubj 9",
                 "said say VERB VBD ROOT 9")
    quote = (0, doc[7].idx + 1, "person:lula")
    events, _ = _run(doc, lexicon, {8: "person:lula"}, quotes=[quote])
    assert _triples(events) == {("person:lula", "reject", "tariffs")}
    assert events[0].subjects == [("person:lula", False)]  # inferred, not named
    events, _ = _run(doc, lexicon, {8: "person:lula"})
    assert events == []  # outside a known quotation "we" is no one


# ---- requests, symmetric events, reported speech ----------------------------------------

@pytest.mark.parametrize("rows, actors, triples", [
    pytest.param(  # "Tokyo sought to play down the dispute": no one is asked
        ("Tokyo Tokyo PROPN NNP nsubj 1", "sought seek VERB VBD ROOT 1", "to to PART TO aux 3",
         "play play VERB VB xcomp 1", "down down ADP RP prt 3", "the the DET DT det 6",
         "dispute dispute NOUN NN dobj 3"),
        {0: "country:JP"}, set(), id="own-infinitive"),
    pytest.param(  # "Tokyo sought talks"
        ("Tokyo Tokyo PROPN NNP nsubj 1", "sought seek VERB VBD ROOT 1",
         "talks talk NOUN NNS dobj 1"),
        {0: "country:JP"}, {("country:JP", "request", "talks")}, id="sought-a-thing"),
    pytest.param(  # "Tokyo urged Seoul to resume talks": a request made of Seoul
        ("Tokyo Tokyo PROPN NNP nsubj 1", "urged urge VERB VBD ROOT 1",
         "Seoul Seoul PROPN NNP dobj 1", "to to PART TO aux 4", "resume resume VERB VB xcomp 1",
         "talks talk NOUN NNS dobj 4"),
        {0: "country:JP", 2: "country:KR"}, {("country:JP", "request", "country:KR")},
        id="object-control"),
])
def test_relations_own_infinitive_is_no_request(parsed, lexicon, rows, actors, triples):
    events, _ = _run(parsed(*rows), lexicon, actors)
    assert _triples(events) == triples


@pytest.mark.parametrize("rows, actors, pairs", [
    pytest.param(  # "Bush and Putin met in Sochi"
        ("Bush Bush PROPN NNP nsubj 3", "and and CCONJ CC cc 0", "Putin Putin PROPN NNP conj 0",
         "met meet VERB VBD ROOT 3", "in in ADP IN prep 3", "Sochi Sochi PROPN NNP pobj 4"),
        {0: "person:bush", 2: "person:putin"}, [("person:bush", "person:putin")],
        id="two-agents"),
    pytest.param(  # "Bush, Putin and Blair met": frames.py says every pair
        ("Bush Bush PROPN NNP nsubj 5", ", , PUNCT , punct 0", "Putin Putin PROPN NNP conj 0",
         "and and CCONJ CC cc 2", "Blair Blair PROPN NNP conj 2", "met meet VERB VBD ROOT 5"),
        {0: "person:bush", 2: "person:putin", 4: "person:blair"},
        [("person:bush", "person:putin"), ("person:bush", "person:blair"),
         ("person:putin", "person:blair")], id="three-agents"),
])
def test_relations_symmetric_class_pairs_coordinated_agents(parsed, lexicon, rows, actors,
                                                            pairs):
    events, _ = _run(parsed(*rows), lexicon, actors)
    assert all(e.predicate == "consult" for e in events)
    found = [(key, t.actor) for e in events for key, _ in e.subjects for t in e.objects]
    assert sorted(found) == sorted(pairs)  # each pair once, first named first


@pytest.mark.parametrize("rows, actors, triple, modality", [
    pytest.param(  # "Rasmussen said the radars could be placed in Turkey"
        ("Rasmussen Rasmussen PROPN NNP nsubj 1", "said say VERB VBD ROOT 1",
         "the the DET DT det 3", "radars radar NOUN NNS nsubjpass 6",
         "could could AUX MD aux 6", "be be AUX VB auxpass 6", "placed place VERB VBN ccomp 1",
         "in in ADP IN prep 6", "Turkey Turkey PROPN NNP pobj 7"),
        {0: "person:rasmussen", 8: "country:TR"},
        ("person:rasmussen", "propose", "radars"), "proposed", id="could-be-placed"),
    pytest.param(  # "Corbyn said the government should have acted sooner"
        ("Corbyn Corbyn PROPN NNP nsubj 1", "said say VERB VBD ROOT 1", "the the DET DT det 3",
         "government government NOUN NN nsubj 6", "should should AUX MD aux 6",
         "have have AUX VB aux 6", "acted act VERB VBN ccomp 1", "sooner soon ADV RB advmod 6"),
        {0: "person:corbyn", 3: "group:government"},
        ("person:corbyn", "accuse", "group:government"), "reported", id="should-have-acted"),
])
def test_relations_reported_speech_is_the_speakers_act(parsed, lexicon, rows, actors, triple,
                                                       modality):
    events, _ = _run(parsed(*rows), lexicon, actors, places=[i for i, k in actors.items()
                                                             if k.startswith("country:")])
    (event,) = [e for e in events if e.predicate == triple[1]]
    assert _triples([event]) == {triple}
    assert event.modality == modality
    if triple[1] == "propose":
        assert (event.place.label, event.place.actor) == ("Turkey", "country:TR")


# ---- negation and stances -----------------------------------------------------------------

@pytest.mark.parametrize("rows, thing, issue", [
    pytest.param(  # "Kyiv did not accept the ultimatum"
        ("the the DET DT det 5", "ultimatum ultimatum NOUN NN dobj 3"),
        "ultimatum", "ultimatum", id="verb-alone"),
    pytest.param(  # "Kyiv did not accept the peace plan": a verb + object-noun phrase
        ("the the DET DT det 6", "peace peace NOUN NN compound 6", "plan plan NOUN NN dobj 3"),
        "peace plan", "peace plan", id="object-noun-phrase"),
])
def test_relations_not_accepting_is_rejecting(parsed, lexicon, rows, thing, issue):
    doc = parsed("Kyiv Kyiv PROPN NNP nsubj 3", "did do AUX VBD aux 3", "not not PART RB neg 3",
                 "accept accept VERB VB ROOT 3", *rows)
    events, stances = _run(doc, lexicon, {0: "country:UA"})
    assert _triples(events) == {("country:UA", "reject", thing)}
    assert not events[0].negated
    assert _positions(stances) == {("country:UA", issue, "oppose")}


def test_relations_warning_against_negates_the_act(parsed, lexicon):
    # "Pompeo warned against making a deal with Tehran"
    doc = parsed("Pompeo Pompeo PROPN NNP nsubj 1", "warned warn VERB VBD ROOT 1",
                 "against against ADP IN prep 1", "making make VERB VBG pcomp 2",
                 "a a DET DT det 5", "deal deal NOUN NN dobj 3", "with with ADP IN prep 3",
                 "Tehran Tehran PROPN NNP pobj 6")
    making = next(f for f in build_frames(doc, lexicon) if f.trigger == 3)
    assert making.is_negated
    events, stances = _run(doc, lexicon, {0: "person:pompeo", 7: "country:IR"})
    assert ("person:pompeo", "accuse", "making a deal with Tehran") in _triples(events)
    assert not any(e.predicate == "agree" and not e.negated for e in events)
    assert _positions(stances) == {("person:pompeo", "deal", "oppose")}


@pytest.mark.parametrize("rows, actors, positions", [
    pytest.param(  # "Havana called for the embargo to be lifted"
        ("Havana Havana PROPN NNP nsubj 1", "called call VERB VBD ROOT 1",
         "for for SCONJ IN mark 7", "the the DET DT det 4",
         "embargo embargo NOUN NN nsubjpass 7", "to to PART TO aux 7", "be be AUX VB auxpass 7",
         "lifted lift VERB VBN advcl 1"),
        {0: "country:CU"}, {("country:CU", "embargo", "oppose")}, id="call-for-lifting"),
    pytest.param(  # "Protesters urged Maduro to step down"
        ("Protesters protester NOUN NNS nsubj 1", "urged urge VERB VBD ROOT 1",
         "Maduro Maduro PROPN NNP dobj 1", "to to PART TO aux 4", "step step VERB VB xcomp 1",
         "down down ADV RB prt 4"),
        {0: "group:protesters", 2: "person:maduro"},
        {("group:protesters", "step down", "support")}, id="urge-step-down"),
    pytest.param(  # "Britain was prepared to veto any bid to reduce the rebate"
        ("Britain Britain PROPN NNP nsubj 1", "was be AUX VBD ROOT 1",
         "prepared prepared ADJ JJ acomp 1", "to to PART TO aux 4", "veto veto VERB VB xcomp 2",
         "any any DET DT det 6", "bid bid NOUN NN dobj 4", "to to PART TO aux 8",
         "reduce reduce VERB VB acl 6", "the the DET DT det 10", "rebate rebate NOUN NN dobj 8"),
        {0: "country:GB"}, {("country:GB", "bid", "oppose"), ("country:GB", "rebate", "support")},
        id="veto-bid-to-reduce"),
    pytest.param(  # "Bolton pressed the case for keeping the embargo"
        ("Bolton Bolton PROPN NNP nsubj 1", "pressed press VERB VBD ROOT 1",
         "the the DET DT det 3", "case case NOUN NN dobj 1", "for for ADP IN prep 3",
         "keeping keep VERB VBG pcomp 4", "the the DET DT det 7",
         "embargo embargo NOUN NN dobj 5"),
        {0: "person:bolton"}, {("person:bolton", "embargo", "support")}, id="case-for"),
    pytest.param(  # "Paris criticized the motives": the word, not the lemmatizer's "motif"
        ("Paris Paris PROPN NNP nsubj 1", "criticized criticize VERB VBD ROOT 1",
         "the the DET DT det 3", "motives motif NOUN NNS dobj 1"),
        {0: "country:FR"}, {("country:FR", "motives", "oppose")}, id="unlemmatised"),
])
def test_relations_stance_composes_through_embedded_acts(parsed, lexicon, rows, actors,
                                                         positions):
    _, stances = _run(parsed(*rows), lexicon, actors)
    # the composed stances, besides the requested or offered act itself as an issue
    assert positions <= _positions(stances)
    assert not {(h, i) for h, i, p in _positions(stances) if p == "support"} & \
        {(h, i) for h, i, p in _positions(stances) if p == "oppose"}


@pytest.mark.parametrize("noun, positions", [
    ("decision", set()),
    ("move", set()),
    ("statement", set()),
    ("ceasefire", {("country:FR", "ceasefire", "support")}),
])
def test_relations_generic_noun_is_no_issue(parsed, lexicon, noun, positions):
    # "Paris welcomed the decision"
    doc = parsed("Paris Paris PROPN NNP nsubj 1", "welcomed welcome VERB VBD ROOT 1",
                 "the the DET DT det 3", f"{noun} {noun} NOUN NN dobj 1")
    events, stances = _run(doc, lexicon, {0: "country:FR"})
    assert _triples(events) == {("country:FR", "support", noun)}
    assert _positions(stances) == positions


# ---- wanting: a demand when someone else is to act, and what "to end" is against ------

@pytest.mark.parametrize("rows, actors, triples, positions", [
    pytest.param(  # "Russia wants NATO to halt its expansion": a demand on NATO
        ("Russia Russia PROPN NNP nsubj 1", "wants want VERB VBZ ROOT 1",
         "NATO NATO PROPN NNP nsubj 4", "to to PART TO aux 4", "halt halt VERB VB ccomp 1",
         "its its PRON PRP$ poss 6", "expansion expansion NOUN NN dobj 4"),
        {0: "country:RU", 2: "group:NATO"}, {("country:RU", "request")}, set(),
        id="wants-other-to-act"),
    pytest.param(  # "Paris wants the rebate to come to an end": against the rebate
        ("Paris Paris PROPN NNP nsubj 1", "wants want VERB VBZ ROOT 1",
         "the the DET DT det 3", "rebate rebate NOUN NN nsubj 5", "to to PART TO aux 5",
         "come come VERB VB ccomp 1", "to to ADP IN prep 5", "an an DET DT det 8",
         "end end NOUN NN pobj 6"),
        {0: "country:FR"}, {("country:FR", "request")}, {("country:FR", "rebate", "oppose")},
        id="wants-thing-to-end"),
    pytest.param(  # "Paris wants to join the talks": an intention, no demand
        ("Paris Paris PROPN NNP nsubj 1", "wants want VERB VBZ ROOT 1",
         "to to PART TO aux 3", "join join VERB VB xcomp 1", "the the DET DT det 5",
         "talks talk NOUN NNS dobj 3"),
        {0: "country:FR"}, set(), None, id="wants-to-act-itself"),
    pytest.param(  # "The rebels called for the occupation to end"
        ("The the DET DT det 1", "rebels rebel NOUN NNS nsubj 2", "called call VERB VBD ROOT 2",
         "for for SCONJ IN mark 7", "the the DET DT det 5",
         "occupation occupation NOUN NN nsubj 7", "to to PART TO aux 7",
         "end end VERB VB advcl 2"),
        {1: "group:rebels"}, {("group:rebels", "request")},
        {("group:rebels", "occupation", "oppose")}, id="call-for-thing-to-end"),
])
def test_relations_wanting(parsed, lexicon, rows, actors, triples, positions):
    events, stances = _run(parsed(*rows), lexicon, actors)
    assert {(k, e.predicate) for e in events for k, _ in e.subjects if e.predicate == "request"} \
        == triples
    if positions is not None:
        assert positions <= _positions(stances)
        assert not {(h, i) for h, i, p in _positions(stances) if p == "support"} & \
            {(h, i) for h, i, p in _positions(stances) if p == "oppose"}


def test_relations_judgement_under_a_negated_attitude_is_no_judgement(parsed, lexicon):
    # "Paris is not satisfied the deal is good": no praise of the deal
    doc = parsed("Paris Paris PROPN NNP nsubj 1", "is be AUX VBZ ROOT 1", "not not PART RB neg 3",
                 "satisfied satisfied ADJ JJ acomp 1", "the the DET DT det 5",
                 "deal deal NOUN NN nsubj 6", "is be AUX VBZ ccomp 3", "good good ADJ JJ acomp 6")
    events, _ = _run(doc, lexicon, {0: "country:FR"})
    assert not [e for e in events if e.predicate == "support" and not e.negated], \
        _triples(events)


@pytest.mark.parametrize("rows, judged", [
    pytest.param(  # "Paris said the deal is good"
        ("Paris Paris PROPN NNP nsubj 1", "said say VERB VBD ROOT 1", "the the DET DT det 3",
         "deal deal NOUN NN nsubj 4", "is be AUX VBZ ccomp 1", "good good ADJ JJ acomp 4"),
        True, id="said"),
    pytest.param(  # "Paris did not say the deal is good": no one judged it
        ("Paris Paris PROPN NNP nsubj 3", "did do AUX VBD aux 3", "not not PART RB neg 3",
         "say say VERB VB ROOT 3", "the the DET DT det 5", "deal deal NOUN NN nsubj 6",
         "is be AUX VBZ ccomp 3", "good good ADJ JJ acomp 6"), False, id="did-not-say"),
])
def test_relations_judgement_reported_by_a_negated_speech_verb_has_no_holder(
        parsed, lexicon, rows, judged):
    events, stances = _run(parsed(*rows), lexicon, {0: "country:FR"})
    assert (("country:FR", "support", "deal") in _triples(events)) is judged
    assert bool(_positions(stances)) is judged


@pytest.mark.parametrize("rows, found", [
    pytest.param(  # "Kyiv said Moscow violated the truce"
        ("Kyiv Kyiv PROPN NNP nsubj 1", "said say VERB VBD ROOT 1",
         "Moscow Moscow PROPN NNP nsubj 3", "violated violate VERB VBD ccomp 1",
         "the the DET DT det 5", "truce truce NOUN NN dobj 3"), True, id="breach"),
    pytest.param(  # "Kyiv said Moscow did not violate the truce"
        ("Kyiv Kyiv PROPN NNP nsubj 1", "said say VERB VBD ROOT 1",
         "Moscow Moscow PROPN NNP nsubj 5", "did do AUX VBD aux 5", "not not PART RB neg 5",
         "violate violate VERB VB ccomp 1", "the the DET DT det 7",
         "truce truce NOUN NN dobj 5"), False, id="no-breach"),
])
def test_relations_reported_breach_accuses_the_one_who_broke_it(parsed, lexicon, rows, found):
    events, _ = _run(parsed(*rows), lexicon, {0: "country:UA", 2: "country:RU"})
    assert (("country:UA", "accuse", "country:RU") in _triples(events)) is found


@pytest.mark.parametrize("rows, actors, triples", [
    pytest.param(  # "Oslo promised to halt trade with Pretoria": a hostile pledge is the act
        ("Oslo Oslo PROPN NNP nsubj 1", "promised promise VERB VBD ROOT 1",
         "to to PART TO aux 3", "halt halt VERB VB xcomp 1", "trade trade NOUN NN dobj 3",
         "with with ADP IN prep 4", "Pretoria Pretoria PROPN NNP pobj 5"),
        {0: "country:NO", 6: "country:ZA"}, {("country:NO", "sanction", "country:ZA")},
        id="hostile-pledge"),
    pytest.param(  # "Moscow offered to join the plan": the offer is the act
        ("Moscow Moscow PROPN NNP nsubj 1", "offered offer VERB VBD ROOT 1",
         "to to PART TO aux 3", "join join VERB VB xcomp 1", "the the DET DT det 5",
         "plan plan NOUN NN dobj 3"),
        {0: "country:RU"}, {("country:RU", "offer", "plan")}, id="cooperative-pledge"),
    pytest.param(  # "Tokyo urged Seoul to reject the plan": Seoul has done nothing yet
        ("Tokyo Tokyo PROPN NNP nsubj 1", "urged urge VERB VBD ROOT 1",
         "Seoul Seoul PROPN NNP dobj 1", "to to PART TO aux 4", "reject reject VERB VB xcomp 1",
         "the the DET DT det 6", "plan plan NOUN NN dobj 4"),
        {0: "country:JP", 2: "country:KR"}, {("country:JP", "request", "country:KR")},
        id="asked-act"),
])
def test_relations_pledged_or_asked_act_is_one_event(parsed, lexicon, rows, actors, triples):
    events, _ = _run(parsed(*rows), lexicon, actors)
    assert _triples([e for e in events if not e.stance_only]) == triples


@pytest.mark.parametrize("rows", [
    pytest.param(  # "Oslo promised to do so": a stand-in for an act named elsewhere
        ("Oslo Oslo PROPN NNP nsubj 1", "promised promise VERB VBD ROOT 1",
         "to to PART TO aux 3", "do do VERB VB xcomp 1", "so so ADV RB advmod 3"), id="do-so"),
    pytest.param(  # "Oslo vowed to keep trying": no act named at all
        ("Oslo Oslo PROPN NNP nsubj 1", "vowed vow VERB VBD ROOT 1",
         "to to PART TO aux 3", "keep keep VERB VB xcomp 1", "trying try VERB VBG xcomp 3"),
        id="keep-trying"),
])
def test_relations_clause_naming_nothing_is_no_object(parsed, lexicon, rows):
    events, _ = _run(parsed(*rows), lexicon, {0: "country:NO"})
    assert _triples([e for e in events if not e.stance_only]) == set()


def test_relations_blaming_a_thing_on_someone_opposes_the_thing(parsed, lexicon):
    # "Critics blamed the blockade on Moscow": against Moscow, and against the blockade
    doc = parsed("Critics critic NOUN NNS nsubj 1", "blamed blame VERB VBD ROOT 1",
                 "the the DET DT det 3", "blockade blockade NOUN NN dobj 1",
                 "on on ADP IN prep 1", "Moscow Moscow PROPN NNP pobj 4")
    events, stances = _run(doc, lexicon, {0: "group:critics", 5: "country:RU"})
    assert ("group:critics", "accuse", "country:RU") in _triples(events)
    assert ("group:critics", "blockade", "oppose") in _positions(stances)


def test_relations_no_stance_on_the_room_one_leaves(parsed, lexicon):
    # "The lawmakers left the chamber": a walkout, and nothing said against the chamber
    doc = parsed("The the DET DT det 1", "lawmakers lawmaker NOUN NNS nsubj 2",
                 "left leave VERB VBD ROOT 2", "the the DET DT det 4",
                 "chamber chamber NOUN NN dobj 2")
    events, stances = _run(doc, lexicon, {1: "group:lawmakers"})
    assert _triples(events) == {("group:lawmakers", "retreat", "chamber")}
    assert _positions(stances) == set()
