"""Resolution rules on hand-built Docs and records, so they test our rules and not the
parser of the day (names and sentences written for kg)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.lang.en import English
from spacy.tokens import Doc

from kg.extract.actors import _credit_lines
from kg.mentions import Mention
from kg.rdf import actor_iri
from kg.records import Actor, Document, Extraction
from kg.resolve import (
    NameIndex,
    PeopleIndex,
    canonical_names,
    people_rows,
    person_names,
    rename_actors,
    rename_rows,
    resolve_names,
    resolve_stored,
)


VOCAB = English().vocab  # lexical attributes (lower_, is_space) without a model
LEMMAS = {"travels": "travel", "treated": "treat", "was": "be", "agreed": "agree",
          "missiles": "missile", "said": "say", "spoke": "speak"}


def _doc(words, heads, deps, pos, lemmas=None):
    return Doc(VOCAB, words=words, heads=heads, deps=deps, pos=pos,
               lemmas=lemmas or [LEMMAS.get(w, w.lower()) for w in words])


# -- within a document --------------------------------------------------------------------

def test_resolve_credit_line_without_a_verb_is_not_text():
    # "OSLO, May 4 -" then a paragraph break, then a sentence
    doc = _doc(["OSLO", ",", "May", "4", "-", "\n\n", "Norway", "agreed", "."],
               heads=[0, 0, 0, 2, 0, 5, 7, 7, 7],
               deps=["ROOT", "punct", "npadvmod", "nummod", "punct", "dep", "nsubj", "ROOT",
                     "punct"],
               pos=["PROPN", "PUNCT", "PROPN", "NUM", "PUNCT", "SPACE", "PROPN", "VERB",
                    "PUNCT"])
    assert _credit_lines(doc) == {0, 1, 2, 3, 4}


@pytest.mark.parametrize("words,heads,deps,pos,is_actor", [
    # "treated in Portugal and Spain": a place, and its conjunct too
    (["He", "was", "treated", "in", "Portugal", "and", "Spain", "."],
     [2, 2, 2, 2, 3, 4, 4, 2],
     ["nsubjpass", "auxpass", "ROOT", "prep", "pobj", "cc", "conj", "punct"],
     ["PRON", "AUX", "VERB", "ADP", "PROPN", "CCONJ", "PROPN", "PUNCT"], False),
    # "travels on to Portugal": a destination
    (["He", "travels", "on", "to", "Portugal", "."],
     [1, 1, 1, 1, 3, 1],
     ["nsubj", "ROOT", "prt", "prep", "pobj", "punct"],
     ["PRON", "VERB", "ADP", "ADP", "PROPN", "PUNCT"], False),
    # "Portugal agreed": an actor
    (["Portugal", "agreed", "."], [1, 1, 1], ["nsubj", "ROOT", "punct"],
     ["PROPN", "VERB", "PUNCT"], True),
    # "place missiles in Portugal": the country hosts them
    (["They", "place", "missiles", "in", "Portugal", "."],
     [1, 1, 1, 1, 3, 1],
     ["nsubj", "ROOT", "dobj", "prep", "pobj", "punct"],
     ["PRON", "VERB", "NOUN", "ADP", "PROPN", "PUNCT"], True),
])
def test_resolve_country_only_located_is_not_an_actor(lexicon, words, heads, deps, pos,
                                                      is_actor):
    doc = _doc(words, heads, deps, pos)
    at = words.index("Portugal")
    mentions = [Mention(start=at, end=at + 1, kind="place", text="Portugal", key="country:PT")]
    cast = resolve_names(doc, mentions, lexicon)
    assert ("country:PT" in cast.members) is is_actor
    assert (at in cast.token_actor) is is_actor


def test_resolve_acronym_joins_its_expansion(lexicon):
    doc = _doc(["Civic", "Reform", "Alliance", "won", ".", "CRA", "said", "so", "."],
               heads=[2, 2, 3, 3, 3, 6, 6, 6, 6],
               deps=["compound", "compound", "nsubj", "ROOT", "punct", "nsubj", "ROOT",
                     "advmod", "punct"],
               pos=["PROPN", "PROPN", "PROPN", "VERB", "PUNCT", "PROPN", "VERB", "ADV",
                    "PUNCT"])
    mentions = [Mention(start=0, end=3, kind="org", text="Civic Reform Alliance",
                        key="org:civic reform alliance"),
                Mention(start=5, end=6, kind="org", text="CRA", key="org:cra")]
    cast = resolve_names(doc, mentions, lexicon)
    assert cast.token_actor[5] == cast.token_actor[0] == "org:civic reform alliance"
    assert "CRA" in cast.members["org:civic reform alliance"].aliases


def test_resolve_surname_tagged_as_organisation_is_the_person(lexicon):
    doc = _doc(["Anna", "Lind", "spoke", ".", "Lind", "left", "."],
               heads=[1, 2, 2, 2, 5, 5, 5],
               deps=["compound", "nsubj", "ROOT", "punct", "nsubj", "ROOT", "punct"],
               pos=["PROPN", "PROPN", "VERB", "PUNCT", "PROPN", "VERB", "PUNCT"])
    mentions = [Mention(start=0, end=2, kind="person", text="Anna Lind"),
                Mention(start=4, end=5, kind="org", text="Lind", key="org:lind")]
    cast = resolve_names(doc, mentions, lexicon)
    assert cast.token_actor[4] == cast.token_actor[1]
    assert "org:lind" not in cast.members


# -- across documents ---------------------------------------------------------------------

@pytest.mark.parametrize("names,name,canonical", [
    ({"Halvorsen", "Ingrid Halvorsen"}, "halvorsen", "Ingrid Halvorsen"),
    ({"Ingrid Halvorsen", "Ingrid K. Halvorsen"}, "ingrid halvorsen", "Ingrid K. Halvorsen"),
    ({"Halvorsen", "Ingrid Halvorsen", "Ingrid K. Halvorsen"}, "halvorsen",
     "Ingrid K. Halvorsen"),
    # two different middle initials: two people, and the surname is ambiguous
    ({"Halvorsen", "Ingrid K. Halvorsen", "Ingrid T. Halvorsen"}, "halvorsen", None),
    ({"Halvorsen", "Ingrid Halvorsen", "Per Halvorsen"}, "halvorsen", None),
])
def test_resolve_canonical_names(names, name, canonical):
    assert canonical_names(names).get(name) == canonical


def test_resolve_canonical_names_does_not_depend_on_order():
    names = ["Ingrid Halvorsen", "Halvorsen", "Ingrid K. Halvorsen", "Tomas Brenner"]
    assert canonical_names(names) == canonical_names(reversed(names))


def test_resolve_person_names_leave_out_office_aliases():
    actor = Actor(doc="a", id=actor_iri("Ilham Aliyev"), label="Ilham Aliyev", type="Person",
                  aliases=("Aliyev", "President of Azerbaijan", "Ilham bin Aliyev"))
    assert person_names([actor]) == {"Ilham Aliyev", "Aliyev", "Ilham bin Aliyev"}


def _extraction(doc_id, *labels):
    return Extraction(document=Document(id=doc_id, text="x"), records=tuple(
        Actor(doc=doc_id, id=actor_iri(label), label=label, type="Person", aliases=(label,))
        for label in labels))


def test_resolve_stored_renames_both_ways():
    # the store holds "Halvorsen" alone; a new article names her in full
    stored = [("a", actor_iri("Halvorsen"), "Halvorsen", "Halvorsen")]
    batch, renames = resolve_stored(stored, [_extraction("b", "Ingrid Halvorsen")])
    assert [r.label for r in batch[0].records] == ["Ingrid Halvorsen"]
    assert renames == {actor_iri("Halvorsen"): (actor_iri("Ingrid Halvorsen"),
                                                "Ingrid Halvorsen")}


def test_resolve_stored_leaves_out_documents_being_replaced():
    stored = [("a", actor_iri("Ingrid Halvorsen"), "Ingrid Halvorsen", "Ingrid Halvorsen")]
    batch, renames = resolve_stored(stored, [_extraction("a", "Halvorsen")])
    assert [r.label for r in batch[0].records] == ["Halvorsen"] and renames == {}


# -- the name index gives what a scan of every name gives (issue #13) ---------------------

NAME_POOL = ["Putin", "Vladimir Putin", "Vladimir V. Putin", "V. Putin", "Bush", "George Bush",
             "George W. Bush", "George H. W. Bush", "Halvorsen", "Ingrid Halvorsen",
             "Ingrid M. Halvorsen", "Kim", "Kim Jong-un", "Osama bin Laden", "bin Laden",
             "Mr. Putin", "the President of Norway", "Rautio", "Mikko Rautio", "Ekdahl"]


@given(st.sets(st.sampled_from(NAME_POOL)), st.sets(st.sampled_from(NAME_POOL)))
def test_resolve_name_index_is_canonical_names(first, second):
    index = NameIndex(first)
    index.update(second)
    assert dict(index) == canonical_names(first | second)
    index.discard(first - second)
    assert dict(index) == canonical_names(second)
    for name in NAME_POOL:
        assert index.get(name.lower()) == canonical_names(second).get(name.lower())


def _reference_batches(rows, batches):
    """What a build did before the index: resolve_stored over every row, each batch."""
    results = []
    for batch in batches:
        replaced = {e.document.id for e in batch}
        stored = [row for row in rows if row[0] not in replaced]
        known = {name for _, _, _, name in stored} | {label for _, _, label, _ in stored}
        known |= person_names(r for e in batch for r in e.records if isinstance(r, Actor))
        names = canonical_names(known)
        resolved = [rename_actors(e, names) for e in batch]
        renames = {}
        for _, iri, label, _ in stored:
            canonical = names.get(label.lower(), label)
            if actor_iri(canonical) != iri:
                renames[iri] = (actor_iri(canonical), canonical)
        rows = rename_rows(stored, renames) + people_rows(resolved)
        results.append((resolved, renames))
    return results


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(0, 6), st.lists(st.sampled_from(NAME_POOL),
                                                               min_size=1, max_size=3)),
                         min_size=1, max_size=4), min_size=1, max_size=5),
       st.lists(st.tuples(st.integers(0, 6), st.sampled_from(NAME_POOL)), max_size=6))
def test_resolve_people_index_gives_what_resolve_stored_gave(batches, stored):
    rows = list(dict.fromkeys((f"doc{d}", actor_iri(label), label, label)
                              for d, label in stored))
    seen: set[int] = set()  # a build reads each document once; some replace stored ones
    extractions = [[_extraction(f"doc{d}", *labels) for d, labels in batch
                    if d not in seen and not seen.add(d)] for batch in batches]
    index = PeopleIndex(rows)
    assert [index.resolve(batch) for batch in extractions] == \
        _reference_batches(rows, extractions)
