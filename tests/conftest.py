"""Shared fixtures: the spaCy pipeline, the lexicon, and a one-call extractor."""

from __future__ import annotations

import pytest

from kg.lexicon import load_lexicon
from kg.records import Actor, Document, Position, Quote, Relation, Role


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the golden files in tests/golden from the current output")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def nlp():
    from kg.nlp import load_pipeline
    return load_pipeline()


@pytest.fixture(scope="session")
def lexicon():
    return load_lexicon()


class Extracted:
    """Records of one text, sorted by kind, with small finders for assertions."""

    def __init__(self, records: list) -> None:
        self.records = records
        self.actors = [r for r in records if isinstance(r, Actor)]
        self.roles = [r for r in records if isinstance(r, Role)]
        self.relations = [r for r in records if isinstance(r, Relation)]
        self.quotes = [r for r in records if isinstance(r, Quote)]
        self.positions = [r for r in records if isinstance(r, Position)]

    def actor(self, label: str) -> Actor | None:
        return next((a for a in self.actors if a.label == label), None)

    def triples(self) -> set[tuple[str, str, str | None]]:
        return {(r.subject.label, r.predicate, r.object.label if r.object else None)
                for r in self.relations}


@pytest.fixture(scope="session")
def extract(nlp, lexicon):
    """extract(text, published=None) -> Extracted, through the real pipeline."""
    from kg.extract import extract_records

    def run(text: str, published: str | None = None) -> Extracted:
        document = Document(id="t", text=text, published=published)
        return Extracted(extract_records(nlp(text), document, lexicon))

    return run


@pytest.fixture(scope="session")
def parsed():
    """parsed(rows) -> Doc built by hand, so a frame rule is tested apart from the parser.

    Each row is "word lemma POS TAG dep head", head the index of the head token (itself for
    the root), as spaCy's "Constructing a Doc object manually" shows.
    """
    import spacy
    from spacy.tokens import Doc

    vocab = spacy.blank("en").vocab  # English lexical attributes: lower-case forms

    def build(*rows: str) -> Doc:
        cells = [row.split() for row in rows]
        return Doc(vocab, words=[c[0] for c in cells], lemmas=[c[1] for c in cells],
                   pos=[c[2] for c in cells], tags=[c[3] for c in cells],
                   deps=[c[4] for c in cells], heads=[int(c[5]) for c in cells],
                   sent_starts=[True] + [False] * (len(cells) - 1))

    return build
