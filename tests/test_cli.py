"""The command line as a user runs it: exit codes, stdout data, one-line stderr messages."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import networkx as nx
import pyoxigraph
import pytest
from typer.testing import CliRunner

from kg.cli import app

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ("Poland Welcomes Shield\n\nWARSAW, May 4 -- Polish Prime Minister Donald Tusk "
           "welcomed the missile shield on Monday. \"This makes us safer,\" Mr. Tusk said.\n\n"
           "Moscow denounced the missile shield as a provocation.\n")

pytestmark = pytest.mark.model


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "tusk.txt").write_text(ARTICLE, encoding="utf-8")
    return folder


@pytest.fixture()
def store(runner: CliRunner, corpus: Path, tmp_path: Path) -> Path:
    path = tmp_path / "store"
    result = runner.invoke(app, ["build", str(corpus), "--store", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_cli_extract_writes_jsonl_records(runner, corpus):
    result = runner.invoke(app, ["extract", str(corpus / "tusk.txt"), "--format", "jsonl"])
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    kinds = {r["kind"] for r in records}
    assert {"actor", "role", "relation", "quote", "position"} <= kinds
    assert all(r["doc"] == "tusk" for r in records)
    quote = next(r for r in records if r["kind"] == "quote")
    assert quote["speaker"]["label"] == "Donald Tusk"


def test_cli_build_summarises_and_skips_unchanged(runner, corpus, store):
    result = runner.invoke(app, ["build", str(corpus), "--store", str(store)])
    assert result.exit_code == 0
    assert "0 stored, 1 unchanged" in result.stderr


def test_cli_stats_json(runner, store):
    result = runner.invoke(app, ["stats", "--store", str(store), "--format", "json"])
    stats = json.loads(result.stdout)
    assert stats["documents"] == 1 and stats["quads"] > 50
    assert stats["positions"] >= 2


@pytest.mark.parametrize("name", ["who-did-what", "quotes", "positions-over-time", "offers",
                                  "actors", "roles"])
def test_cli_query_named(runner, store, name):
    result = runner.invoke(app, ["query", name, "--store", str(store), "--format", "csv"])
    assert result.exit_code == 0, result.stderr


def test_cli_query_positions_shows_both_sides(runner, store):
    result = runner.invoke(app, ["query", "positions-over-time", "--store", str(store),
                                 "--format", "json"])
    bindings = json.loads(result.stdout)["results"]["bindings"]
    stances = {(b["holder"]["value"], b["polarity"]["value"]) for b in bindings}
    assert ("Donald Tusk", "support") in stances
    assert ("Russia", "oppose") in stances


def test_cli_issue_13_query_parameters_and_page(runner, store):
    def bindings(*options):
        result = runner.invoke(app, ["query", *options, "--store", str(store), "-f", "json"])
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)["results"]["bindings"]

    tusk = bindings("positions-over-time", "--actor", "Donald Tusk")
    assert tusk and {b["holder"]["value"] for b in tusk} == {"Donald Tusk"}
    everything = bindings("who-did-what")
    first, second = (bindings("who-did-what", "--limit", "1", "--offset", str(n)) for n in (0, 1))
    assert len(everything) >= 2 and len(first) == len(second) == 1 and first != second
    # undated relations are left out of a date range
    dated = bindings("who-did-what", "--from", "1900-01-01", "--to", "2100-12-31")
    assert dated == [b for b in everything if "date" in b]
    bad = runner.invoke(app, ["query", "who-did-what", "--event", "ofer", "--store", str(store)])
    assert bad.exit_code == 1
    assert bad.stderr.startswith("kg: error: unknown event class 'ofer'")
    listed = runner.invoke(app, ["queries"])
    assert "who-did-what\t" in listed.stdout and "--actor --event --from --to" in listed.stdout


def test_cli_query_malformed_is_one_line(runner, store):
    result = runner.invoke(app, ["query", "SELECT ?x WHERE {", "--store", str(store)])
    assert result.exit_code == 1
    assert result.stderr.startswith("kg: error: ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_cli_query_refuses_updates(runner, store):
    result = runner.invoke(app, ["query", "DELETE WHERE { ?s ?p ?o }", "--store", str(store)])
    assert result.exit_code == 1 and "not allowed" in result.stderr


def test_cli_query_missing_store(runner, tmp_path):
    result = runner.invoke(app, ["query", "actors", "--store", str(tmp_path / "nope")])
    assert result.exit_code != 0
    assert "no store here" in result.output + result.stderr


@pytest.mark.parametrize("fmt,check", [
    ("turtle", lambda p: pyoxigraph.Store().load(path=str(p), format=pyoxigraph.RdfFormat.TURTLE)),
    ("graphml", lambda p: nx.read_graphml(p)),
    ("gexf", lambda p: nx.read_gexf(p)),
])
def test_cli_export_opens_in_real_readers(runner, store, tmp_path, fmt, check):
    out = tmp_path / f"out.{fmt}"
    result = runner.invoke(app, ["export", "--store", str(store), "--format", fmt,
                                 "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    check(out)


def test_cli_issue_13_validate_one_document(runner, store):
    result = runner.invoke(app, ["validate", "--store", str(store), "--document", "tusk"])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "conforms" in result.stderr


def test_cli_validate_clean_store(runner, store):
    result = runner.invoke(app, ["validate", "--store", str(store)])
    assert result.exit_code == 0, result.stdout


def test_cli_bad_inputs_are_skipped_and_reported(runner, corpus, tmp_path):
    (corpus / "empty.txt").write_text("")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02garbage")
    store = tmp_path / "store2"
    result = runner.invoke(app, ["build", str(corpus), "--store", str(store)])
    assert result.exit_code == 2
    skipped = [line for line in result.stderr.splitlines() if line.startswith("kg: skipped:")]
    assert len(skipped) == 2
    assert any("empty.txt" in line for line in skipped)
    assert any("binary.txt" in line for line in skipped)
    stats = json.loads(runner.invoke(app, ["stats", "--store", str(store), "-f", "json"]).stdout)
    assert stats["documents"] == 1


def test_cli_strict_stops_at_first_bad_input(runner, corpus, tmp_path):
    (corpus / "empty.txt").write_text("")
    result = runner.invoke(app, ["extract", str(corpus), "--strict"])
    assert result.exit_code == 1
    assert result.stderr.startswith("kg: error: ")


def test_cli_missing_file(runner, tmp_path):
    result = runner.invoke(app, ["extract", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2
    assert "missing.txt" in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("options", [["--jobs", "2"], ["--engine", "dask"]])
def test_cli_build_scale_out_gives_the_same_store(runner, corpus, store, tmp_path, options):
    (corpus / "second.txt").write_text("Russia rejected the missile shield on Friday.\n")
    reference = tmp_path / "reference"
    assert runner.invoke(app, ["build", str(corpus), "--store", str(reference)]).exit_code == 0
    other = tmp_path / "other"
    result = runner.invoke(app, ["build", str(corpus), "--store", str(other), *options])
    assert result.exit_code == 0, result.stderr
    stats = [json.loads(runner.invoke(app, ["stats", "--store", str(s), "-f", "json"]).stdout)
             for s in (reference, other)]
    assert stats[0] == stats[1]


def test_cli_oversized_article_is_refused_and_others_stored(runner, corpus, tmp_path):
    (corpus / "huge.txt").write_text("The talks went on. " * 6000)  # about 114 kB
    store = tmp_path / "store3"
    result = runner.invoke(app, ["build", str(corpus), "--store", str(store),
                                 "--max-bytes", "100000"])
    assert result.exit_code == 2
    assert "huge.txt" in result.stderr and "limit" in result.stderr
    stats = json.loads(runner.invoke(app, ["stats", "--store", str(store), "-f", "json"]).stdout)
    assert stats["documents"] == 1


def test_cli_issue_12_a_file_name_with_a_newline_is_one_skip_line(runner, corpus):
    result = runner.invoke(app, ["extract", "gone\nmissing.txt", str(corpus)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines == ["kg: skipped: gone\\nmissing.txt: no such file or directory"]


@pytest.mark.slow
def test_cli_issue_12_an_unreadable_file_is_skipped_not_a_usage_error(corpus, tmp_path):
    import os
    import shutil
    import subprocess
    import sys

    secret = tmp_path / "secret.txt"
    secret.write_text(ARTICLE, encoding="utf-8")
    secret.chmod(0)
    command = [sys.executable, "-m", "kg.cli", "extract", str(secret), str(corpus)]
    if os.geteuid() == 0:  # root reads anything: drop the capabilities that allow it
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv")
        drop = "-dac_override,-dac_read_search"
        command = ["setpriv", f"--inh-caps={drop}", f"--bounding-set={drop}", *command]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert "Usage" not in result.stderr
    assert result.stderr.splitlines()[-1] == f"kg: skipped: {secret}: permission denied"
    assert '"Donald Tusk"' in result.stdout  # the readable article is still extracted


# ---- issue #11: saved web pages in, their URLs and dates out, tables for pandas

HTML_DIR = ROOT / "tests" / "data" / "html"


@pytest.fixture()
def html_store(runner: CliRunner, tmp_path: Path) -> Path:
    path = tmp_path / "html-store"
    result = runner.invoke(app, ["build", str(HTML_DIR), "--store", str(path)])
    assert result.exit_code == 0, result.output
    # the reprint is the same article: stored once, saying which was kept (rich wraps the
    # line on a narrow terminal, so compare without white space)
    said = "".join(result.stderr.split())
    assert "zz-summit-talks-reprint.html:duplicateofsummit-talks" in said
    assert "keptsummit-talks" in said
    return path


def test_cli_build_html_stores_urls_and_dates(runner, html_store):
    result = runner.invoke(app, ["query", "--store", str(html_store), "--format", "json",
                                 "SELECT ?id ?url ?date WHERE { GRAPH ?g { ?d dcterms:identifier "
                                 "?id ; dcterms:date ?date OPTIONAL { ?d schema:url ?url } } }"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "https://ledger.example.org/world/2019/03/14/baltic-grid-link" in text
    assert "2019-03-14" in text and "2019-11-02" in text
    assert "summit-talks" in text and "fisheries" in text and "reprint" not in text


def test_cli_extract_html_writes_a_document_record_and_dates(runner):
    result = runner.invoke(app, ["extract", str(HTML_DIR / "summit-talks.html")])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    document = records[0]
    assert document == {
        "kind": "document", "doc": "summit-talks", "id": "summit-talks",
        "title": "Baltic Ministers Agree on Grid Link", "published": "2019-03-14",
        "url": "https://ledger.example.org/world/2019/03/14/baltic-grid-link",
        "publisher": "The Northern Ledger", "author": "Marta Ilves", "place": "Tallinn",
        "source": str(HTML_DIR / "summit-talks.html")}
    others = records[1:]
    assert others and all(r["date"] for r in others)
    assert {r["date_source"] for r in others} <= {"text", "published"}
    for record in others:
        if record.get("time"):
            assert (record["date"], record["date_source"]) == (record["time"], "text")
        else:
            assert (record["date"], record["date_source"]) == ("2019-03-14", "published")


def test_cli_export_events_and_statements_load_with_pandas(runner, html_store, tmp_path):
    pd = pytest.importorskip("pandas")
    events_path, statements_path = tmp_path / "events.csv", tmp_path / "statements.jsonl"
    for fmt, path in (("events", events_path), ("statements-jsonl", statements_path)):
        result = runner.invoke(app, ["export", "--store", str(html_store), "--format", fmt,
                                     "--out", str(path)])
        assert result.exit_code == 0, result.output
    events = pd.read_csv(events_path, dtype=str)
    assert len(events) and events["date"].notna().all()
    ledger = events[events["document"] == "summit-talks"]
    assert (ledger["url"] == "https://ledger.example.org/world/2019/03/14/baltic-grid-link").all()
    assert len(ledger) and ledger["cameo_root"].str.fullmatch(r"[0-9]{2}").all()
    assert (ledger["date"] == "2019-03-14").all()
    statements = pd.read_json(statements_path, lines=True)
    assert set(statements.columns) >= {"person", "organization", "concept", "agreement", "date",
                                       "text"}


def test_cli_export_window_options(runner, html_store):
    result = runner.invoke(app, ["export", "--store", str(html_store), "--format", "events",
                                 "--from", "2019-06-01"])
    assert result.exit_code == 0, result.output
    assert "summit-talks" not in result.stdout and "fisheries" in result.stdout
    result = runner.invoke(app, ["export", "--store", str(html_store), "--format", "gexf",
                                 "--to", "yesterday"])
    assert result.exit_code == 1
    assert result.stderr == "kg: error: --to: 'yesterday' is not an ISO date (YYYY-MM-DD)\n"


def test_cli_issue_11_serve_cors_is_opt_in(runner: CliRunner, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # kg.serve is the function (kg/__init__.py); the module is in sys.modules
    serve_module = importlib.import_module("kg.serve")

    calls: list[dict] = []
    monkeypatch.setattr(serve_module, "serve", lambda *args, **options: calls.append(options))
    path = tmp_path / "store"
    path.mkdir()
    assert runner.invoke(app, ["serve", "--store", str(path)]).exit_code == 0
    result = runner.invoke(app, ["serve", "--store", str(path),
                                 "--cors", "http://localhost:8888"])
    assert result.exit_code == 0, result.output
    assert [call["cors"] for call in calls] == [(), ["http://localhost:8888"]]
