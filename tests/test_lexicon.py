"""Lexicons load, and a malformed line is reported with its file and line number."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.errors import LexiconError
from kg.lexicon import DATA_DIR, load_lexicon
from kg.records import PREDICATES


def test_lexicon_loads_with_every_predicate_signed_and_known():
    lexicon = load_lexicon()
    assert {v.predicate for v in lexicon.verbs.values()} <= set(PREDICATES)
    assert set(lexicon.signs) == set(PREDICATES)
    assert lexicon.verbs["offer"].predicate == "offer"
    assert "say" in lexicon.speech_verbs
    assert lexicon.places[lexicon.names["u.s."]].name == "United States"
    assert lexicon.places[lexicon.capitals["moscow"]].name == "Russia"


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.mark.parametrize("name,line,message", [
    ("verbs.tsv", "ofer\tofer\t030\t-\tno\t-", "unknown predicate 'ofer'"),
    ("verbs.tsv", "offer\toffer\t030\t-\tno\t-", "'offer' is listed twice"),
    ("verbs.tsv", "zzspeak\tsay\t010\t-\tperhaps\t-", "expected yes or no"),
    ("verbs.tsv", "zzspeak\tsay\t1x\t-\tno\t-", "bad CAMEO code '1x'"),
    ("verbs.tsv", "zzspeak\tsay\t010\t-\tno\tboth", "control is subject, object, other, actor or -"),
    ("phrases.tsv", "impose\tsanction\tsanction\t163\t-", "is listed twice"),
    ("adjectives.tsv", "zzkeen\toffer\t030\t-\tsubject\tpro", "unknown stance 'pro'"),
    ("predicates.tsv", "say\t-\t01\t0\t-\tto\tno\tx\ty", "'say' is listed twice"),
    ("countries.tsv", "QQ\tQland\t\t\t\t\t", "bad country code 'QQ'"),
    ("event_nouns.tsv", "zzpledge\toffer\t030\tmaybe\tto", "unknown stance 'maybe'"),
    ("organisations.tsv", "Foo\tOrganization\tX12\t\t", "bad Wikidata id 'X12'"),
])
def test_lexicon_bad_line_names_file_and_line(tmp_path, name, line, message):
    data = _copy(tmp_path)
    path = data / name
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines + [line]) + "\n", encoding="utf-8")
    with pytest.raises(LexiconError) as error:
        load_lexicon.__wrapped__(data)
    assert f"kg/data/{name}:{len(lines) + 1}: " in str(error.value)
    assert message in str(error.value)


def test_lexicon_missing_file(tmp_path):
    data = _copy(tmp_path)
    (data / "issues.tsv").unlink()
    with pytest.raises(LexiconError, match="kg/data/issues.tsv: missing"):
        load_lexicon.__wrapped__(data)


@pytest.mark.parametrize("form,lemma", [
    ("hopes", "hope"), ("hoped", "hope"), ("hoping", "hope"), ("vetoes", "veto"),
    ("banned", "ban"), ("denies", "deny"), ("stations", "station"), ("sea", None),
])
def test_nlp_inflected_form_finds_its_lexicon_verb(lexicon, form, lemma):
    from kg.nlp import lemma_from_form
    assert lemma_from_form(form, {key.split()[0] for key in lexicon.verbs}) == lemma
