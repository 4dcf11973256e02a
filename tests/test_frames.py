"""Frame rules on hand-built parses: roles, control, polarity and attribution."""

from __future__ import annotations

import pytest

from kg.extract.frames import build_frames, evaluation_of


def _frame(doc, lexicon, word):
    frames = build_frames(doc, lexicon)
    return next(f for f in frames if doc[f.trigger].text == word)


def _words(doc, indices):
    return [doc[i].text for i in indices]


def test_frames_active_verb_roles(parsed, lexicon):
    doc = parsed("Russia Russia PROPN NNP nsubj 1", "offered offer VERB VBD ROOT 1",
                 "aid aid NOUN NN dobj 1", "to to ADP IN dative 1",
                 "Serbia Serbia PROPN NNP pobj 3")
    frame = _frame(doc, lexicon, "offered")
    assert _words(doc, frame.agents) == ["Russia"]
    assert _words(doc, frame.patients) == ["aid"]
    assert frame.is_agent_direct and not frame.is_negated


def test_frames_passive_agent_and_patient(parsed, lexicon):
    doc = parsed("Iraq Iraq PROPN NNP nsubjpass 2", "was be AUX VBD auxpass 2",
                 "condemned condemn VERB VBN ROOT 2", "by by ADP IN agent 2",
                 "Britain Britain PROPN NNP pobj 3")
    frame = _frame(doc, lexicon, "condemned")
    assert frame.is_passive
    assert _words(doc, frame.agents) == ["Britain"]
    assert _words(doc, frame.patients) == ["Iraq"]


def test_frames_object_control_from_the_lexicon(parsed, lexicon):
    # "Bush urged Iran to stop": Iran stops
    doc = parsed("Bush Bush PROPN NNP nsubj 1", "urged urge VERB VBD ROOT 1",
                 "Iran Iran PROPN NNP dobj 1", "to to PART TO aux 4",
                 "stop stop VERB VB xcomp 1", "enrichment enrichment NOUN NN dobj 4")
    frame = _frame(doc, lexicon, "stop")
    assert _words(doc, frame.agents) == ["Iran"]
    assert not frame.is_agent_direct


def test_frames_subject_control(parsed, lexicon):
    # "Iran promised to stop enrichment": Iran stops
    doc = parsed("Iran Iran PROPN NNP nsubj 1", "promised promise VERB VBD ROOT 1",
                 "to to PART TO aux 3", "stop stop VERB VB xcomp 1",
                 "enrichment enrichment NOUN NN dobj 3")
    assert _words(doc, _frame(doc, lexicon, "stop").agents) == ["Iran"]


def test_frames_passive_raising_gives_the_passive_subject(parsed, lexicon):
    # "Biden is expected to travel to Kyiv"
    doc = parsed("Biden Biden PROPN NNP nsubjpass 2", "is be AUX VBZ auxpass 2",
                 "expected expect VERB VBN ROOT 2", "to to PART TO aux 4",
                 "travel travel VERB VB xcomp 2", "to to ADP IN prep 4",
                 "Kyiv Kyiv PROPN NNP pobj 5")
    frame = _frame(doc, lexicon, "travel")
    assert _words(doc, frame.agents) == ["Biden"]
    assert frame.oblique("to") == [6]


def test_frames_relative_clause_subject_is_the_noun(parsed, lexicon):
    # "Putin, who met Bush, ..."
    doc = parsed("Putin Putin PROPN NNP ROOT 0", ", , PUNCT , punct 0",
                 "who who PRON WP nsubj 3", "met meet VERB VBD relcl 0",
                 "Bush Bush PROPN NNP dobj 3")
    assert _words(doc, _frame(doc, lexicon, "met").agents) == ["Putin"]


def test_frames_coordination_on_both_sides(parsed, lexicon):
    # "Bush and Putin met and signed the accord"
    doc = parsed("Bush Bush PROPN NNP nsubj 3", "and and CCONJ CC cc 0",
                 "Putin Putin PROPN NNP conj 0", "met meet VERB VBD ROOT 3",
                 "and and CCONJ CC cc 3", "signed sign VERB VBD conj 3",
                 "the the DET DT det 7", "accord accord NOUN NN dobj 5")
    assert _words(doc, _frame(doc, lexicon, "met").agents) == ["Bush", "Putin"]
    signed = _frame(doc, lexicon, "signed")
    assert _words(doc, signed.agents) == ["Bush", "Putin"]
    assert not signed.is_agent_direct


def test_frames_negation_stays_in_its_clause(parsed, lexicon):
    # "Russia did not say that Iran stopped": the stopping is not negated
    doc = parsed("Russia Russia PROPN NNP nsubj 3", "did do AUX VBD aux 3",
                 "not not PART RB neg 3", "say say VERB VB ROOT 3",
                 "that that SCONJ IN mark 6", "Iran Iran PROPN NNP nsubj 6",
                 "stopped stop VERB VBD ccomp 3")
    assert _frame(doc, lexicon, "say").is_negated
    stopped = _frame(doc, lexicon, "stopped")
    assert not stopped.is_negated
    assert stopped.attribution == 3


def test_frames_stopping_negates_the_act_stopped(parsed, lexicon):
    # "Russia stopped supporting the rebels"
    doc = parsed("Russia Russia PROPN NNP nsubj 1", "stopped stop VERB VBD ROOT 1",
                 "supporting support VERB VBG xcomp 1", "the the DET DT det 4",
                 "rebels rebel NOUN NNS dobj 2")
    supporting = _frame(doc, lexicon, "supporting")
    assert supporting.is_negated
    assert _words(doc, supporting.agents) == ["Russia"]


def test_frames_negated_control_verb_negates_its_complement(parsed, lexicon):
    # "Iran did not agree to talk"
    doc = parsed("Iran Iran PROPN NNP nsubj 3", "did do AUX VBD aux 3",
                 "not not PART RB neg 3", "agree agree VERB VB ROOT 3",
                 "to to PART TO aux 5", "talk talk VERB VB xcomp 3")
    assert _frame(doc, lexicon, "talk").is_negated


def test_frames_light_verb_hands_the_event_to_its_noun(parsed, lexicon):
    # "Russia made an offer to Serbia"
    doc = parsed("Russia Russia PROPN NNP nsubj 1", "made make VERB VBD ROOT 1",
                 "an an DET DT det 3", "offer offer NOUN NN dobj 1",
                 "to to ADP IN prep 3", "Serbia Serbia PROPN NNP pobj 4")
    frame = _frame(doc, lexicon, "offer")
    assert frame.kind == "noun" and frame.light == 1
    assert _words(doc, frame.agents) == ["Russia"]
    assert frame.oblique("to") == [5]


def test_frames_possessor_owns_an_event_noun(parsed, lexicon):
    # "Putin's offer"
    doc = parsed("Putin Putin PROPN NNP poss 2", "'s 's PART POS case 0",
                 "offer offer NOUN NN ROOT 2")
    assert _words(doc, _frame(doc, lexicon, "offer").agents) == ["Putin"]


@pytest.mark.parametrize("verb, owner_rows, owner", [
    pytest.param("rejected reject", ("Russia Russia PROPN NNP poss 4", "'s 's PART POS case 2"),
                 ["Russia"], id="possessor"),  # "Poland rejected Russia's plan for building"
    pytest.param("tied tie", ("U.S. U.S. PROPN NNP compound 4", "new new ADJ JJ amod 4"),
                 ["U.S."], id="name"),  # "Poland tied U.S. new plans for building"
    pytest.param("tied tie", ("the the DET DT det 4", "new new ADJ JJ amod 4"), ["Poland"],
                 id="no-owner"),  # "Poland tied the new plan for building": its own act
])
def test_frames_act_hung_on_the_verb_belongs_to_its_objects_owner(parsed, lexicon, verb,
                                                                   owner_rows, owner):
    # the parser attaches "for building" to the verb, as in "tie U.S. plans for building a
    # shield"; the one who would build is the plan's owner when it has one
    doc = parsed("Poland Poland PROPN NNP nsubj 1", f"{verb} VERB VBD ROOT 1",
                 *owner_rows, "plan plan NOUN NN dobj 1", "for for ADP IN prep 1",
                 "building build VERB VBG pcomp 5", "a a DET DT det 8",
                 "shield shield NOUN NN dobj 6")
    assert _words(doc, _frame(doc, lexicon, "building").agents) == owner


def test_frames_adjective_controls_its_infinitive(parsed, lexicon):
    # "Iran is ready to talk"
    doc = parsed("Iran Iran PROPN NNP nsubj 1", "is be AUX VBZ ROOT 1",
                 "ready ready ADJ JJ acomp 1", "to to PART TO aux 4",
                 "talk talk VERB VB xcomp 2")
    ready = _frame(doc, lexicon, "ready")
    assert ready.kind == "adjective" and _words(doc, ready.agents) == ["Iran"]
    assert ready.clause == 4
    assert _words(doc, _frame(doc, lexicon, "talk").agents) == ["Iran"]


def test_frames_judgement_by_a_second_predicate(parsed, lexicon):
    # "Beijing called the embargo unacceptable"
    assert lexicon.evaluative.get("unacceptable") == "oppose"
    doc = parsed("Beijing Beijing PROPN NNP nsubj 1", "called call VERB VBD ROOT 1",
                 "the the DET DT det 3", "embargo embargo NOUN NN dobj 1",
                 "unacceptable unacceptable ADJ JJ oprd 1")
    frame = _frame(doc, lexicon, "called")
    assert frame.kind == "judgement"
    assert doc[frame.judged].text == "embargo" and doc[frame.complement].text == "unacceptable"
    assert _words(doc, frame.agents) == ["Beijing"]


def test_frames_refusal_negates_its_clause(parsed, lexicon):
    # "his refusal to sign the accord"
    doc = parsed("his his PRON PRP$ poss 1", "refusal refusal NOUN NN ROOT 1",
                 "to to PART TO aux 3", "sign sign VERB VB acl 1",
                 "the the DET DT det 5", "accord accord NOUN NN dobj 3")
    sign = _frame(doc, lexicon, "sign")
    assert sign.is_negated
    assert _words(doc, sign.agents) == ["his"]


def test_frames_procedure_noun_lends_the_event_noun_its_roles(parsed, lexicon):
    # "The parties began impeachment proceedings against Yoon"
    doc = parsed("The the DET DT det 1", "parties party NOUN NNS nsubj 2",
                 "began begin VERB VBD ROOT 2", "impeachment impeachment NOUN NN compound 4",
                 "proceedings proceeding NOUN NNS dobj 2", "against against ADP IN prep 4",
                 "Yoon Yoon PROPN NNP pobj 5")
    frame = _frame(doc, lexicon, "impeachment")
    assert _words(doc, frame.agents) == ["parties"]
    assert frame.oblique("against") == [6]
    assert frame.light == 2


def test_frames_stranded_preposition_takes_the_coordinated_object(parsed, lexicon):
    # "Rome will engage with and visit the rebels"
    doc = parsed("Rome Rome PROPN NNP nsubj 2", "will will AUX MD aux 2",
                 "engage engage VERB VB ROOT 2", "with with ADP IN prep 2",
                 "and and CCONJ CC cc 2", "visit visit VERB VB conj 2",
                 "the the DET DT det 7", "rebels rebel NOUN NNS dobj 5")
    frame = _frame(doc, lexicon, "engage")
    assert frame.oblique("with") == [7]
    assert _words(doc, _frame(doc, lexicon, "visit").patients) == ["rebels"]


def test_frames_act_asked_of_another_is_marked(parsed, lexicon):
    # "Blair was urged to push for talks": asked of Blair, not yet his act
    doc = parsed("Blair Blair PROPN NNP nsubjpass 2", "was be AUX VBD auxpass 2",
                 "urged urge VERB VBN ROOT 2", "to to PART TO aux 4",
                 "push push VERB VB xcomp 2", "for for ADP IN prep 4",
                 "talks talk NOUN NNS pobj 5")
    assert _frame(doc, lexicon, "push").is_asked
    # "Tokyo sought to join the talks": its own aim
    doc = parsed("Tokyo Tokyo PROPN NNP nsubj 1", "sought seek VERB VBD ROOT 1",
                 "to to PART TO aux 3", "join join VERB VB xcomp 1", "the the DET DT det 5",
                 "talks talk NOUN NNS dobj 3")
    assert not _frame(doc, lexicon, "join").is_asked
    # "Reagan was asked if he would sell arms": a question
    doc = parsed("Reagan Reagan PROPN NNP nsubjpass 2", "was be AUX VBD auxpass 2",
                 "asked ask VERB VBN ROOT 2", "if if SCONJ IN mark 6", "he he PRON PRP nsubj 6",
                 "would would AUX MD aux 6", "sell sell VERB VB ccomp 2",
                 "arms arm NOUN NNS dobj 6")
    assert not _frame(doc, lexicon, "sell").is_asked


def test_frames_agent_noun_is_owned_by_whoever_acts_as_it(parsed, lexicon):
    # "Oslo is acting as a mediator between Bogota and the rebels"
    doc = parsed("Oslo Oslo PROPN NNP nsubj 2", "is be AUX VBZ aux 2",
                 "acting act VERB VBG ROOT 2", "as as ADP IN prep 2", "a a DET DT det 5",
                 "mediator mediator NOUN NN pobj 3", "between between ADP IN prep 5",
                 "Bogota Bogota PROPN NNP pobj 6", "and and CCONJ CC cc 7",
                 "rebels rebel NOUN NNS conj 7")
    frame = _frame(doc, lexicon, "mediator")
    assert _words(doc, frame.agents) == ["Oslo"]
    assert [(p, doc[i].text) for p, i in frame.obliques] == [("between", "Bogota"),
                                                             ("between", "rebels")]


def test_frames_one_direct_object(parsed, lexicon):
    # "Seoul accused its rivals of siding with Pyongyang, its neighbor": the parser's second
    # object is an apposition further in
    doc = parsed("Seoul Seoul PROPN NNP nsubj 1", "accused accuse VERB VBD ROOT 1",
                 "its its PRON PRP$ poss 3", "rivals rival NOUN NNS dobj 1",
                 "of of ADP IN prep 1", "siding side VERB VBG pcomp 4", "with with ADP IN prep 5",
                 "Pyongyang Pyongyang PROPN NNP pobj 6", ", , PUNCT , punct 1",
                 "its its PRON PRP$ poss 10", "neighbor neighbor NOUN NN dobj 1")
    assert _words(doc, _frame(doc, lexicon, "accused").patients) == ["rivals"]


@pytest.mark.parametrize("rows, patients", [
    pytest.param(  # "Kyiv sent tanks and Poland": the parser joins the second object to the verb
        ("Kyiv Kyiv PROPN NNP nsubj 1", "sent send VERB VBD ROOT 1",
         "tanks tank NOUN NNS dobj 1", "and and CCONJ CC cc 1", "Poland Poland PROPN NNP conj 1"),
        ["tanks", "Poland"], id="second-object"),
    pytest.param(  # "Putin was indicted by the court, and Africa ...": a clause's subject
        ("Putin Putin PROPN NNP nsubjpass 2", "was be AUX VBD auxpass 2",
         "indicted indict VERB VBN ROOT 2", "by by ADP IN agent 2", "the the DET DT det 5",
         "court court NOUN NN pobj 3", ", , PUNCT , punct 2", "and and CCONJ CC cc 2",
         "Africa Africa PROPN NNP conj 2"), ["Putin"], id="after-a-passive"),
])
def test_frames_noun_coordinated_with_the_verb(parsed, lexicon, rows, patients):
    doc = parsed(*rows)
    assert _words(doc, _frame(doc, lexicon, doc[1].text if doc[1].pos_ == "VERB"
                              else doc[2].text).patients) == patients


@pytest.mark.parametrize("subject, agent", [
    pytest.param("offer offer NOUN NN", "Peskov", id="thing"),  # an offer blames no one
    pytest.param("Moscow Moscow PROPN NNP", "Moscow", id="name"),
])
def test_frames_speaking_act_joined_to_a_reported_clause(parsed, lexicon, subject, agent):
    # "Peskov said the offer remained and blamed Kyiv": the parser joins "blamed" to
    # "remained"; only someone blames, so it is the reporter's
    doc = parsed("Peskov Peskov PROPN NNP nsubj 1", "said say VERB VBD ROOT 1",
                 "the the DET DT det 3", f"{subject} nsubj 4",
                 "remained remain VERB VBD ccomp 1", "and and CCONJ CC cc 4",
                 "blamed blame VERB VBD conj 4", "Kyiv Kyiv PROPN NNP dobj 6")
    assert _words(doc, _frame(doc, lexicon, "blamed").agents) == [agent]


def test_frames_a_time_is_no_object_gap(parsed, lexicon):
    # "the time Seoul declared martial law": the clause is set at the time, it does not act on it
    doc = parsed("the the DET DT det 1", "time time NOUN NN ROOT 1",
                 "Seoul Seoul PROPN NNP nsubj 3", "invaded invade VERB VBD relcl 1")
    assert _frame(doc, lexicon, "invaded").patients == ()


def test_frames_objection_despite_which_is_to_the_clause(parsed, lexicon):
    # "Brussels lifted the ban despite US objections": the objection is to the lifting
    doc = parsed("Brussels Brussels PROPN NNP nsubj 1", "lifted lift VERB VBD ROOT 1",
                 "the the DET DT det 3", "ban ban NOUN NN dobj 1",
                 "despite despite ADP IN prep 1", "US US PROPN NNP compound 6",
                 "objections objection NOUN NNS pobj 4")
    frame = _frame(doc, lexicon, "objections")
    assert _words(doc, frame.agents) == ["US"]
    assert frame.clause == 1


def test_frames_content_of_a_report_is_hearsay(parsed, lexicon):
    # "Tehran denied reports that Iran threatened shipping": the reports are the event
    doc = parsed("Tehran Tehran PROPN NNP nsubj 1", "denied deny VERB VBD ROOT 1",
                 "reports report NOUN NNS dobj 1", "that that SCONJ IN mark 5",
                 "Iran Iran PROPN NNP nsubj 5", "threatened threaten VERB VBD acl 2",
                 "shipping shipping NOUN NN dobj 5")
    assert _frame(doc, lexicon, "threatened").is_hearsay
    assert not _frame(doc, lexicon, "denied").is_hearsay


def test_frames_description_as_a_name_that_judges(parsed, lexicon):
    # "Beijing described the embargo as a product of the Cold War": the parser hangs "as"
    # on the object, and the Cold War judges what it is said of
    doc = parsed("Beijing Beijing PROPN NNP nsubj 1", "described describe VERB VBD ROOT 1",
                 "the the DET DT det 3", "embargo embargo NOUN NN dobj 1",
                 "as as ADP IN prep 3", "a a DET DT det 6", "product product NOUN NN pobj 4",
                 "of of ADP IN prep 6", "the the DET DT det 10", "Cold Cold PROPN NNP compound 10",
                 "War War PROPN NNP pobj 7")
    frame = _frame(doc, lexicon, "described")
    assert frame.kind == "judgement" and doc[frame.judged].text == "embargo"
    assert evaluation_of(doc[frame.complement], lexicon) == "oppose"


def test_frames_act_asked_through_coordination(parsed, lexicon):
    # "Paris called on Rome to stop and free or charge the men": the tagger may make "free"
    # an adjective; charging is still asked of Rome
    doc = parsed("Paris Paris PROPN NNP nsubj 1", "called call VERB VBD ROOT 1",
                 "on on ADP IN prep 1", "Rome Rome PROPN NNP pobj 2", "to to PART TO aux 5",
                 "stop stop VERB VB xcomp 1", "and and CCONJ CC cc 5", "free free ADJ JJ conj 5",
                 "or or CCONJ CC cc 7", "charge charge VERB VB conj 7", "the the DET DT det 11",
                 "men man NOUN NNS dobj 9")
    assert _frame(doc, lexicon, "charge").is_asked


def test_frames_act_in_an_indirect_question_is_not_done(parsed, lexicon):
    # "Paris did not say whether Rome would sanction Bern": asked about, not done
    doc = parsed("Paris Paris PROPN NNP nsubj 3", "did do AUX VBD aux 3", "not not PART RB neg 3",
                 "say say VERB VB ROOT 3", "whether whether SCONJ IN mark 7",
                 "Rome Rome PROPN NNP nsubj 7", "would would AUX MD aux 7",
                 "sanction sanction VERB VB ccomp 3", "Bern Bern PROPN NNP dobj 7")
    assert _frame(doc, lexicon, "sanction").is_hearsay


def test_frames_content_of_a_hope_is_not_done(parsed, lexicon):
    # "Bush expressed hope that Moscow would sign the treaty": hoped for, not signed
    doc = parsed("Bush Bush PROPN NNP nsubj 1", "expressed express VERB VBD ROOT 1",
                 "hope hope NOUN NN dobj 1", "that that SCONJ IN mark 6",
                 "Moscow Moscow PROPN NNP nsubj 6", "would would AUX MD aux 6",
                 "sign sign VERB VB acl 2", "the the DET DT det 8", "treaty treaty NOUN NN dobj 6")
    assert _frame(doc, lexicon, "sign").is_hearsay
