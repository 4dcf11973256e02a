"""The record stream of the example corpus against its golden file, and incremental builds.

Regenerate the golden file with ``pytest tests/test_pipeline.py --update-golden`` and
review the diff: it shows exactly what a change did to extraction.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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
        text = documents[record["doc"]].text
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
