"""README.md tells the truth about the command line."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from kg.cli import app
from kg.export import EXPORTERS
from kg.query import list_queries

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_docs_every_command_is_documented():
    for name in get_command(app).commands:
        assert f"`kg {name}" in README, f"kg {name} is missing from README.md"


def test_docs_every_competency_query_is_documented():
    for name in list_queries():
        assert f"`{name}`" in README, f"query {name} is missing from README.md"


def test_docs_export_formats_table_is_the_registry():
    rows = [f"| `{f.name}` | `{f.media_type}` | {'yes' if f.takes_view else ''} | "
            f"{'yes' if f.takes_period else ''} | {f.summary} |" for f in EXPORTERS.values()]
    table = "\n".join(["| format | media type | `--view` | `--from`/`--to`/`--window` | writes |",
                       "| --- | --- | --- | --- | --- |", *rows])
    assert table in README, f"README.md's table of export formats should read:\n{table}"


def test_docs_export_help_lists_every_format():
    result = CliRunner().invoke(app, ["export", "--help"], terminal_width=400)
    assert result.exit_code == 0
    help_text = " ".join(result.stdout.split())
    for name in EXPORTERS:
        assert name in help_text, name


def test_docs_two_commands():
    assert ".venv/bin/pip install -e . && .venv/bin/kg build examples --store kg-store" in README
    assert ".venv/bin/pip install -e '.[dev]' && .venv/bin/python -m pytest -q" in README
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert "-m pytest -q" in ci


@pytest.mark.model
@pytest.mark.slow
def test_docs_issue_11_python_example_runs(tmp_path: Path) -> None:
    section = README.split("\n## Python\n", 1)[1].split("\n## ", 1)[0]
    example = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)
    # run where it says, the repository root, but with a copy so that nothing is written there
    for path in re.findall(r'"(examples/[^"]+)"', example):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / path, tmp_path / path)
    result = subprocess.run([sys.executable, "-c", example], cwd=tmp_path, capture_output=True,
                            text=True, check=False, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "records" in result.stdout
    assert (tmp_path / "positions.graphml").read_text(encoding="utf-8").startswith("<?xml")


# the README's headline facts, each with the article and a phrase of the sentence it rests on
HEADLINE_ARTICLES = ("missile_shield_prague_2007", "g8_heiligendamm_2007")
# the quotes query names no sentence; this asks for the one each quotation is read from
QUOTE_SENTENCES = """
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?speaker ?text ?document ?sentence WHERE {
  ?quote a schema:Quotation ; schema:creator/rdfs:label ?speaker ; schema:text ?text ;
         prov:wasDerivedFrom ?evidence .
  ?evidence schema:text ?sentence ; dcterms:isPartOf/dcterms:identifier ?document .
}"""


@pytest.fixture(scope="module")
def headline_answers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    from kg.pipeline import build
    from kg.query import run_query
    from kg.store import open_store

    answers = {}
    with open_store(tmp_path_factory.mktemp("headline") / "store") as store:
        build([ROOT / "examples" / f"{name}.txt" for name in HEADLINE_ARTICLES], store)
        for query in ("offers", "quotes", "positions-over-time", "who-did-what",
                      QUOTE_SENTENCES):
            result = run_query(store, query)
            answers[query] = [{name: None if term is None else term.value
                               for name, term in zip(result.variables, row, strict=True)}
                              for row in result.rows]
    return answers


def _from_the_article(row: dict, document: str, phrase: str) -> bool:
    """The row cites ``document``, and its sentence is that article's text holding ``phrase``."""
    text = " ".join((ROOT / "examples" / f"{document}.txt").read_text(encoding="utf-8").split())
    sentence = row.get("sentence") or ""
    return row["document"] == document and phrase in sentence and sentence in text


def test_docs_headline_facts_are_the_readmes():
    headline = " ".join(README.split("\n## Two commands", 1)[0].split())
    for fact in ("*Putin — offer — use of a Soviet-built radar station (in Azerbaijan)*",
                 "*Poland — host — interceptor missiles*",
                 '*Kaczynski says "The system has no aggressive intentions"*',
                 "*Putin opposes → later supports the US missile defense plan*"):
        assert fact in headline, fact


@pytest.mark.model
@pytest.mark.slow
def test_docs_headline_putin_offers_the_azerbaijan_radar(headline_answers):
    assert any(row["who"] == "Vladimir V. Putin" and row["what"].startswith(
                   "use of a Soviet-built radar station") and row["where"] == "Azerbaijan"
               and row["to_whom"] == "United States"
               and _from_the_article(row, "g8_heiligendamm_2007", "radar station in Azerbaijan")
               for row in headline_answers["offers"]), headline_answers["offers"]


@pytest.mark.model
@pytest.mark.slow
def test_docs_headline_poland_hosts_interceptor_missiles(headline_answers):
    assert any(row["subject"] == "Poland" and row["predicate"] == "host"
               and row["object"] == "ten interceptor missiles"
               and _from_the_article(row, "missile_shield_prague_2007",
                                     "Poland would host ten interceptor missiles")
               for row in headline_answers["who-did-what"]), headline_answers["who-did-what"]


@pytest.mark.model
@pytest.mark.slow
def test_docs_headline_kaczynski_says_the_system_is_not_aggressive(headline_answers):
    assert any(row["speaker"] == "Lech Kaczynski"
               and row["text"] == "The system has no aggressive intentions"
               and row["document"] == "g8_heiligendamm_2007"
               for row in headline_answers["quotes"]), headline_answers["quotes"]
    assert any(row["speaker"] == "Lech Kaczynski"
               and row["text"] == "The system has no aggressive intentions"
               and _from_the_article(row, "g8_heiligendamm_2007", "aggressive intentions")
               for row in headline_answers[QUOTE_SENTENCES]), headline_answers[QUOTE_SENTENCES]


@pytest.mark.model
@pytest.mark.slow
def test_docs_headline_putin_opposes_then_supports_missile_defense(headline_answers):
    rows = [row for row in headline_answers["positions-over-time"]
            if row["holder"] == "Vladimir V. Putin"
            and row["issue"] == "US missile defense in Europe"]
    # the query orders by date: the change of side reads top to bottom
    assert [(row["polarity"], row["date"]) for row in rows] == [
        ("oppose", "2007-06-05"), ("support", "2007-06-07")], rows
    assert _from_the_article(rows[0], "missile_shield_prague_2007",
                             "repeated his opposition to the missile shield")
    assert _from_the_article(rows[1], "g8_heiligendamm_2007", "offering the United States")
