"""Quotations and their speakers (kg/extract/quotes.py), issue #10.

Pairing marks is tested on plain text; one attribution rule on a Doc built by hand, so it
tests our rule and not the parser; the rest through the real pipeline (``model``), on
sentences written for kg.
"""

from __future__ import annotations

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.errors import LexiconError
from kg.extract.quotes import attribute_quotes, find_quote_spans, load_quote_cues
from kg.extract.spans import prime_text
from kg.resolve import Cast


# -- pairing marks -------------------------------------------------------------------------

def _quoted(text: str) -> list[tuple[str, bool]]:
    return [(text[s.start:s.end], s.continues) for s in find_quote_spans(text)]


def test_quotes_reopening_mark_starts_a_new_segment():
    text = 'The bishop said: "This is wrong. "The law must protect everyone."'
    assert _quoted(text) == [("This is wrong.", False), ("The law must protect everyone.", True)]


def test_quotes_paragraph_left_open_continues_in_the_next():
    text = 'She said: "We will stay.\n\n"We will not be moved," she added.'
    assert _quoted(text) == [("We will stay.", False), ("We will not be moved", True)]


def test_quotes_apostrophes_and_inch_marks_are_not_quotations():
    assert _quoted("The minister's 12\" report was Kerry's idea.") == []


def test_quotes_cues_load_and_reject_unknown_kinds(tmp_path):
    cues = load_quote_cues()
    assert "spokesman" in cues.speakers and "dubbed" in cues.naming
    bad = tmp_path / "quote_cues.tsv"
    bad.write_text("# test\nword\tkind\nspokesman\tperson\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="quote_cues.tsv:3"):
        load_quote_cues.__wrapped__(bad)


# -- a rule on a hand-built parse ----------------------------------------------------------

def test_quotes_told_reuters_is_said_by_the_subject_not_the_medium(lexicon):
    # '"Aid will flow," a spokesman told Reuters.' -- the object of "tell" is the one told
    words = ['"', "Aid", "will", "flow", ",", '"', "a", "spokesman", "told", "Reuters", "."]
    spaces = [False, True, True, False, False, True, True, True, True, False, False]
    heads = [3, 3, 3, 8, 8, 8, 7, 8, 8, 8, 8]
    deps = ["punct", "nsubj", "aux", "ccomp", "punct", "punct", "det", "nsubj", "ROOT",
            "dobj", "punct"]
    pos = ["PUNCT", "NOUN", "AUX", "VERB", "PUNCT", "PUNCT", "DET", "NOUN", "VERB", "PROPN",
           "PUNCT"]
    tags = ["``", "NN", "MD", "VB", ",", "''", "DT", "NN", "VBD", "NNP", "."]
    lemmas = ['"', "aid", "will", "flow", ",", '"', "a", "spokesman", "tell", "Reuters", "."]
    doc = Doc(Vocab(), words=words, spaces=spaces, heads=heads, deps=deps, pos=pos, tags=tags,
              lemmas=lemmas)
    prime_text(doc, doc.text)
    cast = Cast(lexicon)
    cast.member("org:reuters", "Reuters", "Organization")
    cast.token_actor[9] = "org:reuters"
    spans = find_quote_spans(doc.text)
    attribute_quotes(doc, spans, cast, lexicon)
    assert [cast.members[s.speaker].label for s in spans] == ["spokesman"]
    assert cast.members["unnamed:spokesman"].mentions == 1


# -- through the pipeline ------------------------------------------------------------------

CASES = [
    # unnamed officials, named by what the text calls them
    ('"We expect a reply soon," one of the officials told reporters.',
     "official", "We expect a reply soon"),
    ("The Interior Ministry defended the rules. A spokesman said: "
     '"Nobody is above the law."', "spokesman", "Nobody is above the law."),
    # a capital that speaks is its state, through a relative pronoun
    ('Beijing, which described the tariffs as "economic bullying", promised to respond.',
     "China", "economic bullying"),
    # "according to X"
    ('The deal is "dead in the water", according to Senator Maria Lund.',
     "Maria Lund", "dead in the water"),
    # inverted order
    ('"The vote was fair," said Senator Maria Lund.', "Maria Lund", "The vote was fair"),
    # a title with "the" is the person the text gave it
    ('Archbishop Paul Mensah visited the camp. The archbishop added: '
     '"These men must be tried or freed."', "Paul Mensah", "These men must be tried or freed."),
    # a term quoted in a relative clause is its antecedent's word, not the reporter's source's
    ('The army chief met the generals, who acted against "traitors" in the cabinet, a '
     "diplomat said.", "generals", "traitors"),
    # a statement speaks for whoever issued it
    ('A statement by the Red Cross said: "Civilians must be protected."',
     "Red Cross", "Civilians must be protected."),
]


@pytest.mark.model
@pytest.mark.parametrize("text,speaker,quote", CASES)
def test_quotes_speakers(extract, text, speaker, quote):
    found = {(q.speaker.label, q.text) for q in extract(text).quotes}
    assert any(speaker in label and text == quote for label, text in found), found


@pytest.mark.model
def test_quotes_paragraph_of_quotation_continues_the_previous_speaker(extract):
    text = ('Senator Maria Lund criticised the bill on Monday.\n\n'
            '"It punishes the poor," she said.\n\n'
            '"It rewards the rich, and nobody asked the voters."')
    found = extract(text).quotes
    assert [(q.speaker.label, q.text) for q in found] == [
        ("Maria Lund", "It punishes the poor"),
        ("Maria Lund", "It rewards the rich, and nobody asked the voters.")]


@pytest.mark.model
def test_quotes_he_is_the_spokesman_who_just_spoke_not_the_last_named_person(extract):
    text = ('President Anna Kovac opened the summit on Monday.\n\n'
            'A foreign ministry spokesman, quoted by state radio, said the talks had stalled.'
            '\n\n"We are not moving anywhere," he was quoted as saying.')
    speakers = [q.speaker.label for q in extract(text).quotes]
    assert len(speakers) == 1 and "Kovac" not in speakers[0]


@pytest.mark.model
def test_quotes_they_is_the_officials_not_a_person_named_in_their_report(extract):
    text = ("Administration officials said they were not told that Park would resign. "
            'But they praised the "unbreakable" alliance.')
    assert [q.speaker.label for q in extract(text).quotes] == ["Administration officials"]


@pytest.mark.model
def test_quotes_reopened_segments_are_each_a_quote(extract):
    text = 'Archbishop Paul Mensah said: "This is wrong. "The law must protect everyone."'
    found = [(q.speaker.label, q.text) for q in extract(text).quotes]
    assert found == [("Paul Mensah", "This is wrong."),
                     ("Paul Mensah", "The law must protect everyone.")]


@pytest.mark.model
def test_quotes_passive_say_is_not_speech_by_its_subject(extract):
    text = '"The plan is a good one," an aide said. Moscow is said to be watching closely.'
    assert [q.speaker.label for q in extract(text).quotes] == ["aide"]


@pytest.mark.model
@pytest.mark.parametrize("text", [
    'The minister spoke on the radio show "Morning Edition" on Sunday.',
    'Dubbed "the Iron Lady" by her critics, she won again.',
    'The warship "Sea Falcon" docked in the port, officials said.',
    'The soldiers joined the so-called "peace force" last year, the minister said.',
])
def test_quotes_names_and_titles_are_not_speech(extract, text):
    assert extract(text).quotes == []


@pytest.mark.model
def test_quotes_narrators_term_before_another_speaker_is_not_the_last_speakers(extract):
    text = ('Foreign Minister Lena Berg said the prisoners would be freed after "long talks". '
            'They were held as part of the "war on terror". Archbishop Paul Mensah added: '
            '"Free them all."')
    found = {(q.speaker.label, q.text) for q in extract(text).quotes}
    assert found == {("Lena Berg", "long talks"), ("Paul Mensah", "Free them all.")}


@pytest.mark.model
def test_quotes_phrase_after_the_speakers_words_goes_on_reporting_them(extract):
    text = ('Foreign Minister Lena Berg said the talks were hard. And "intense discussions" '
            "were still under way with the rebels.")
    assert [(q.speaker.label, q.text) for q in extract(text).quotes] == [
        ("Lena Berg", "intense discussions")]


@pytest.mark.model
def test_quotes_unnamed_speakers_are_one_per_article(nlp, lexicon):
    """'An official said' in two articles is two people, whose IRIs never merge."""
    from kg.extract import extract_records
    from kg.records import Actor, Document

    text = '"The talks will resume on Monday," an official said.'
    speakers = []
    for doc_id in ("first", "second"):
        records = extract_records(nlp(text), Document(id=doc_id, text=text), lexicon)
        speakers += [r.id for r in records if isinstance(r, Actor) and r.label == "official"]
    assert len(speakers) == 2 and speakers[0] != speakers[1]
