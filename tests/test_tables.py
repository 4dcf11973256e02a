"""kg.export: the event and statement tables and time windows, over tests/golden/network.trig
(three made-up articles dated 2024-03-04, 2024-03-11 and 2024-04-02), loaded with pandas as
an analyst would."""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from kg.errors import ConfigError
from kg.export import export, network
from kg.store import open_store
from kg.export import EVENT_COLUMNS, STATEMENT_COLUMNS, Period, windowed

FIXTURE = Path(__file__).parent / "golden" / "network.trig"
ACTOR = "https://w3id.org/kg/id/actor/"


@pytest.fixture(scope="module")
def source():
    store = open_store(None)  # in memory
    store.load(FIXTURE, "trig")
    return store


def _frame(source, fmt: str, **period) -> pd.DataFrame:
    out = io.BytesIO()
    export(source, fmt, out, period=Period(**period) if period else None)
    out.seek(0)
    if fmt.endswith("-jsonl"):
        return pd.read_json(out, lines=True, dtype=False)
    return pd.read_csv(out, keep_default_na=False, na_values=[""], dtype={"cameo": str,
                                                                        "cameo_root": str})


def test_tables_events_load_with_pandas_one_row_per_relation(source):
    events = _frame(source, "events")
    assert tuple(events.columns) == EVENT_COLUMNS
    assert len(events) == 9 and events["id"].is_unique
    accusations = events[(events["source"] == "Russia") & (events["event_class"] == "accuse")]
    assert len(accusations) == 2
    row = accusations.iloc[0]
    assert (row["target"], row["source_code"], row["source_wikidata"]) == (
        "United States", "RUS", "http://www.wikidata.org/entity/Q159")
    # the class's PLOVER type and CAMEO root come from kg/data/predicates.tsv
    assert (row["event_type"], row["cameo_root"], row["sign"]) == ("ACCUSE", "11", -1)
    assert row["cameo"].startswith("11")
    # every event is dated: its own time, else its article's date, and says which
    assert events["date"].notna().all()
    assert set(events["date_source"]) <= {"text", "published"}
    assert events["sentence"].notna().all() and (events["end"] > events["start"]).all()


def test_tables_events_target_is_the_recipient_and_object_named(source):
    events = _frame(source, "events")
    offer = events[events["event_class"] == "offer"].iloc[0]
    assert offer["target"] == "Poland" and isinstance(offer["object"], str)


def test_tables_events_jsonl_keeps_types(source):
    events = _frame(source, "events-jsonl")
    assert tuple(events.columns) == EVENT_COLUMNS
    assert events["negated"].dtype == bool and events["negated"].sum() == 1
    assert events["confidence"].between(0, 1).all()


def test_tables_statements_are_dna_style(source):
    statements = _frame(source, "statements")
    assert tuple(statements.columns) == STATEMENT_COLUMNS
    assert len(statements) == 9
    assert set(statements["agreement"]) == {0, 1}
    kowal = statements[(statements["person"] == "Anna Kowal")
                       & (statements["concept_id"].str.endswith("/missile-shield"))]
    # supports the shield, then opposes it
    assert list(kowal.sort_values("date")["agreement"])[::len(kowal) - 1] == [1, 0]
    countries = statements[statements["holder_type"] == "Country"]
    assert countries["person"].isna().all() and countries["organization"].notna().all()
    assert statements["concept"].notna().all() and statements["text"].notna().all()


def test_tables_from_to_keep_the_period_only(source):
    march = _frame(source, "events", start="2024-03-01", end="2024-03-31")
    assert len(march) and march["date"].between("2024-03-01", "2024-03-31").all()
    april = _frame(source, "statements", start="2024-04-01")
    assert len(april) and (april["date"] >= "2024-04-01").all()
    assert len(march) + len(_frame(source, "events", start="2024-04-01")) == 9


def test_tables_window_ends_at_the_latest_date(source):
    last_week = _frame(source, "events", window=7)
    assert len(last_week) and (last_week["date"] >= "2024-03-27").all()
    assert set(_frame(source, "events", window=3, start="2024-03-03")["date"]) <= {
        "2024-03-03", "2024-03-04", "2024-03-05"}


@pytest.mark.parametrize("view", ["actors", "positions", "agreement", "conflict"])
def test_tables_networks_honour_the_period(source, view):
    whole = network(source, view)
    april = network(windowed(source, Period(start="2024-04-01")), view)
    assert april.number_of_edges() <= whole.number_of_edges()
    for *_, data in april.edges(data=True):
        assert data.get("start", "2024-04-01") >= "2024-04-01"
    assert all(degree for _, degree in april.degree())


def test_tables_agreement_in_march_ignores_april_stances(source):
    """Anna Kowal turns against the shield in April: a March window must not show it."""
    march = network(windowed(source, Period(end="2024-03-31")), "conflict")
    april = network(windowed(source, Period(start="2024-04-01")), "conflict")
    assert not nx.utils.graphs_equal(march, april)


def test_tables_window_lets_gexf_edges_last_the_window(source):
    graph = network(windowed(source, Period(window=30)), "actors")
    assert graph.graph["window"] == 30
    for *_, data in graph.edges(data=True):
        assert data["end"] > data["start"]


@pytest.mark.parametrize(("period", "message"), [
    ({"start": "March 2024"}, "--from: 'March 2024' is not an ISO date"),
    ({"window": 0}, "--window: 0 is not a number of days"),
    ({"start": "2024-01-01", "end": "2024-02-01", "window": 3}, "not both"),
    ({"start": "2024-02-01", "end": "2024-01-01"}, "is after --to"),
])
def test_tables_bad_period_is_a_config_error(period, message):
    with pytest.raises(ConfigError, match=message):
        Period(**period)


def test_tables_period_refused_for_rdf(source):
    with pytest.raises(ConfigError, match="not turtle"):
        export(source, "turtle", io.BytesIO(), period=Period(start="2024-01-01"))
