"""The headline as the first sentence parsed: restored where it stands, in the body's case."""

from __future__ import annotations

import pytest

from kg.extract.headline import parse_text, truecase
from kg.ingest import parse_article
from kg.records import Document


@pytest.mark.parametrize("line, body, cased", [
    ("REAGAN DEFENDS IRAN-DEAL, BUT WOULDN'T REPEAT IT",
     "President Reagan said the Iran deal was right. It was not a mistake, it was said.",
     "Reagan defends Iran-deal, but wouldn't repeat it"),
    ("NORWAY APPROVES TRADE BAN AGAINST SOUTH AFRICA",
     "Norway's parliament passed the ban on trade with South Africa.",
     "Norway approves trade ban against South Africa"),
    ("Bush Gives Notice of U.S. Exit From ABM Treaty",
     "President Bush told Russia the U.S. would leave the ABM treaty. He gave notice.",
     "Bush gives notice of U.S. exit from ABM treaty"),
])
def test_headline_truecase_takes_the_body_case(line, body, cased):
    assert truecase(line, body) == cased


def test_headline_restored_at_its_offset_with_the_same_length():
    text = "Blair congratulates Bush on win\n\nBBC News, 3 November 2004\n\nTony Blair spoke."
    document = parse_article(text, doc_id="d")
    assert document.text[:31].strip() == ""  # ingest blanks it
    parsed = parse_text(document)
    assert len(parsed) == len(text)
    assert parsed[:31] == "Blair congratulates Bush on win"
    assert parsed[31:] == document.text[31:]


def test_headline_not_restored_without_a_position():
    document = Document(id="d", text="   \n\nBody.", title="Given elsewhere")
    assert parse_text(document) == document.text


def test_headline_facts_come_with_the_headline_as_evidence(nlp, lexicon):
    from kg.extract import extract_records

    text = ("BLAIR CONGRATULATES BUSH ON WIN\n\nBBC News, 3 November 2004\n\n"
            "Prime Minister Tony Blair said he looked forward to working with President "
            "George Bush.")
    document = parse_article(text, doc_id="d")
    records = extract_records(nlp(parse_text(document)), document, lexicon)
    headline = [r for r in records if getattr(r, "predicate", None) == "support"]
    assert [(r.subject.label, r.object.label) for r in headline] == [("Tony Blair", "George Bush")]
    assert (headline[0].evidence.start, headline[0].evidence.end) == (0, 31)
    assert headline[0].evidence.sentence == "BLAIR CONGRATULATES BUSH ON WIN"


def test_headline_sentence_is_not_split_inside_a_name(nlp):
    # a sentence never starts after a word that ends none: the parser, left alone, splits
    # "President" from "Barack Obama" after a headline and a blanked dateline
    doc = nlp("Obama scraps missile shield plan for Poland\n\n" + " " * 20 +
              "President Barack Obama cancelled the plan on Thursday.")
    assert [s.text.strip() for s in doc.sents][-1].startswith("President Barack Obama")
