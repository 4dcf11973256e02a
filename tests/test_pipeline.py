"""The record stream of the example corpus against its golden file, and incremental builds.

Regenerate the golden file with ``pytest tests/test_pipeline.py --update-golden`` and
review the diff: it shows exactly what a change did to extraction.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.extract.headline import shown_text
from kg.ingest import read_documents
from kg.pipeline import build, extract_documents
from kg.store import open_store

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "examples.jsonl"

pytestmark = pytest.mark.model


def _lines() -> list[str]:
    records = [r.to_json() for e in extract_documents(read_documents([ROOT / "examples"]))
               for r in e.records]
    return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in records)


def test_pipeline_examples_match_golden(update_golden):
    lines = _lines()
    if update_golden:
        GOLDEN.write_text("\n".join(lines) + "\n", encoding="utf-8")
    golden = GOLDEN.read_text(encoding="utf-8").splitlines()
    missing = sorted(set(golden) - set(lines))[:5]
    extra = sorted(set(lines) - set(golden))[:5]
    assert lines == golden, f"missing: {missing}\nextra: {extra}\n(review, then --update-golden)"


def test_pipeline_every_kind_is_extracted():
    kinds = {json.loads(line)["kind"] for line in GOLDEN.read_text(encoding="utf-8").splitlines()}
    assert kinds == {"actor", "role", "relation", "quote", "position"}


def test_pipeline_evidence_offsets_point_into_the_files():
    documents = {d.id: d for d in read_documents([ROOT / "examples"])}
    for line in GOLDEN.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if "start" not in record:
            continue
        text = shown_text(documents[record["doc"]])  # .text with the headline as written
        evidence = text[record["start"]:record["end"]]
        if record["kind"] == "quote":
            assert evidence.strip() == record["text"]
        elif record["kind"] != "role" or evidence.strip():  # bylines are blanked in .text
            assert evidence == record["sentence"]


def test_pipeline_incremental_build_skips_unchanged(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Poland welcomed the missile shield on Monday.\n")
    (corpus / "b.txt").write_text("Russia rejected the missile shield.\n")
    with open_store(tmp_path / "store") as store:
        first = build([corpus], store)
        assert (first.stored, first.unchanged) == (2, 0)
        again = build([corpus], store)
        assert (again.stored, again.unchanged) == (0, 2)
        (corpus / "b.txt").write_text("Russia denounced the missile shield.\n")
        changed = build([corpus], store)
        assert (changed.stored, changed.unchanged) == (1, 1)
        verbs = {row["verb"] for row in store.select(
            "SELECT ?verb WHERE { GRAPH ?g { ?r kg:verb ?verb } }")}
        assert "denounced" in verbs and "rejected" not in verbs


@pytest.mark.parametrize("jobs", [1, 2])
def test_pipeline_issue_13_a_no_op_rebuild_never_loads_the_model(tmp_path, monkeypatch, jobs):
    import kg.nlp
    import kg.scale
    from kg.errors import ConfigError

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in "abc":
        (corpus / f"{name}.txt").write_text(f"Poland welcomed the {name} plan on Monday.\n")
    with open_store(tmp_path / "store") as store:
        build([corpus], store)

        def refuse(model=None):
            raise ConfigError("the model was loaded")

        monkeypatch.setattr(kg.nlp, "load_pipeline", refuse)
        monkeypatch.setattr(kg.scale, "load_pipeline", refuse)
        again = build([corpus], store, jobs=jobs, batch_size=1)
        assert (again.stored, again.unchanged) == (0, 3)
        (corpus / "d.txt").write_text("Russia rejected the plan.\n")
        with pytest.raises(ConfigError, match="the model was loaded"):  # the patch does bite
            build([corpus], store)


def test_pipeline_issue_13_progress_knows_the_total_from_the_start(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in "abc":
        (corpus / f"{name}.txt").write_text(f"Poland welcomed the {name} plan on Monday.\n")
    (corpus / "more.jsonl").write_text('{"id": "d", "text": "Russia rejected it."}\n\n'
                                       '{"id": "e", "text": "Spain agreed."}\n')
    (corpus / "empty.txt").write_text("")
    steps = []
    with open_store(None) as store:
        build([corpus], store, write_batch=2, on_error=lambda error: None,
              progress=steps.append)
        build([corpus], store, progress=steps.append, on_error=lambda error: None)
    first, second = steps[:7], steps[7:]
    assert [step.total for step in steps] == [6] * len(steps)
    assert [step.done for step in first] == list(range(7))
    assert {step.document for step in first[1:]} == {"a", "b", "c", "d", "e", ""}
    assert [step.done for step in second] == list(range(7))


# Articles written for this test: a surname alone, a full name, and a fuller one with a
# middle initial, so that each later article tells the corpus more about the same person.
IDENTITY_ARTICLES = {
    "a-surname.txt": "Halvorsen criticised the fishing quota on Monday.\n",
    "b-full.txt": "Finance Minister Ingrid Halvorsen met Dutch officials in Oslo. "
                  "Halvorsen said the talks were useful.\n",
    "c-initial.txt": "Ingrid K. Halvorsen rejected the proposal on Tuesday.\n",
    "d-other.txt": "Prime Minister Tomas Brenner welcomed the agreement. Brenner spoke "
                   "to reporters.\n",
}


def _people_by_document(store) -> dict[str, set[str]]:
    rows = store.select("""
        SELECT ?id ?actor WHERE {
            GRAPH ?g { ?doc dcterms:identifier ?id ; kg:mentions ?actor }
            GRAPH kgg:entities { ?actor kg:actorType ?type } FILTER(str(?type) = "Person") }""")
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(row["id"], set()).add(row["actor"])
    return found


@pytest.mark.parametrize("order", [sorted(IDENTITY_ARTICLES),
                                   sorted(IDENTITY_ARTICLES, reverse=True)])
def test_pipeline_actor_iris_same_built_together_or_one_at_a_time(tmp_path, order):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in IDENTITY_ARTICLES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    with open_store(tmp_path / "together") as store:
        build([corpus], store)
        together = _people_by_document(store)
    with open_store(tmp_path / "one-by-one") as store:
        for name in order:
            build([corpus / name], store)
        one_by_one = _people_by_document(store)
        labels = {row["label"] for row in store.select("""
            SELECT ?label WHERE { GRAPH ?g { ?doc kg:mentions ?actor }
                                  GRAPH kgg:entities { ?actor rdfs:label ?label } }""")}
    assert one_by_one == together
    halvorsen = {iri for iris in together.values() for iri in iris if "halvorsen" in iri}
    assert halvorsen == {"https://w3id.org/kg/id/actor/ingrid-k-halvorsen"}
    assert "Ingrid K. Halvorsen" in labels and "Halvorsen" not in labels


def _bad_corpus(directory: Path) -> list[Path]:
    """Two good articles around three that used to abort a build (issue #12)."""
    good = directory / "good.txt"
    good.write_text("Finland offered Estonia a ferry link on Monday.\n", encoding="utf-8")
    long = directory / "long.txt"  # over spaCy's max_length, under --max-bytes
    long.write_text("Finland offered Estonia a ferry link. " * 27000, encoding="utf-8")
    lines = directory / "lines.jsonl"
    nested = "[" * 1500 + "]" * 1500
    lines.write_text(
        '{"id": "deep", "text": "Latvia accused Finland.", "tags": ' + nested + '}\n'
        '{"id": "surrogate", "text": "Latvia \\ud800 accused Finland."}\n'
        '{"id": "fine", "text": "Estonia backs the ferry link."}\n', encoding="utf-8")
    return [good, long, lines]


@pytest.mark.parametrize("jobs", [1, pytest.param(2, marks=pytest.mark.slow)])
def test_pipeline_issue_12_one_bad_document_never_aborts_a_build(tmp_path, jobs):
    paths = _bad_corpus(tmp_path)
    errors = []
    with open_store(None) as store:
        # chunks of one document, so that with two jobs the workers extract them
        summary = build(paths, store, jobs=jobs, batch_size=1, on_error=errors.append)
        documents = store.documents()
    assert documents == ["fine", "good"]
    assert summary.stored == 2
    messages = sorted(str(error) for error in errors)
    assert len(messages) == 3
    assert all("\n" not in message for message in messages)
    assert "lines.jsonl:1: not JSON kg can read: nested too deeply" in messages[0]
    assert "lines.jsonl:2: text is not valid Unicode" in messages[1]
    assert "long.txt: 1,026,000 characters, more than the 1,000,000" in messages[2]


def test_pipeline_issue_12_extract_skips_what_the_pipeline_cannot_take(tmp_path):
    errors = []
    extracted = [e.document.id for e in extract_documents(
        read_documents(_bad_corpus(tmp_path), on_error=errors.append), on_error=errors.append)]
    assert extracted == ["good", "fine"]
    assert len(errors) == 3


def test_pipeline_same_file_name_in_two_roots_never_replaced_issue_12(tmp_path, caplog):
    """Issue #12 item 5: `kg build A B`, then `kg build B`, keeps both x.txt articles."""
    for root, text in (("A", "Poland welcomed the missile shield.\n"),
                       ("B", "Russia rejected the missile shield.\n")):
        (tmp_path / root).mkdir()
        (tmp_path / root / "x.txt").write_text(text)
    with open_store(tmp_path / "store") as store:
        first = build([tmp_path / "A", tmp_path / "B"], store)
        assert first.stored == 2
        ids = sorted(store.documents())
        again = build([tmp_path / "B"], store)
        assert (again.stored, again.unchanged) == (0, 1)
        assert sorted(store.documents()) == ids
        (tmp_path / "B" / "x.txt").write_text("Russia denounced the missile shield.\n")
        changed = build([tmp_path / "B"], store)
        assert (changed.stored, changed.unchanged) == (1, 0)
        assert sorted(store.documents()) == ids


def test_pipeline_sidecar_edit_rebuilds_the_article_issue_12(tmp_path):
    """Issue #12 item 6: a sidecar edit is not "unchanged"; the new date is stored."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Poland welcomed the missile shield.\n")
    (corpus / "a.meta.json").write_text('{"published": "2019-05-02"}')
    with open_store(tmp_path / "store") as store:
        build([corpus], store)
        (corpus / "a.meta.json").write_text('{"published": "2019-05-03"}')
        assert build([corpus], store).stored == 1
        dates = {str(row["date"]) for row in store.select(
            "SELECT ?date WHERE { GRAPH ?g { ?d dcterms:date ?date } }")}
        assert dates == {"2019-05-03"}


def test_pipeline_sentence_nodes_have_their_own_offsets(tmp_path):
    """A quotation cites the sentence it stands in: the sentence node's offsets are the
    sentence's, so its text is exactly the file's characters between them."""
    article = tmp_path / "a.txt"
    text = ('Oslo spoke first. "We will not lift the ban," Foreign Minister Anne Berg said on '
            "Monday. Stockholm agreed.\n")
    article.write_text(text, encoding="utf-8")
    with open_store(None) as store:
        build([article], store)
        rows = store.select("SELECT ?a ?b ?t WHERE { GRAPH ?g { ?s a kg:Sentence ; "
                            "kg:start ?a ; kg:end ?b ; schema:text ?t } }")
        quotes = store.select("SELECT ?q WHERE { GRAPH ?g { ?q a schema:Quotation } }")
    assert rows and quotes
    for row in rows:
        assert text[int(row["a"]):int(row["b"])] == str(row["t"])
