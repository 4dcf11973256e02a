"""The seed articles in ../shared, scored by the project's own scorer.

These articles are evaluation input, not project content: the test reads them from
../shared and skips when it is absent.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "eval" / "seeds_gold.json"
SCORER = SHARED / "eval" / "score.py"

pytestmark = [
    pytest.mark.model,
    pytest.mark.skipif(not (SEEDS.is_dir() and GOLD.is_file() and SCORER.is_file()),
                       reason="../shared (seed articles, gold, score.py) is not beside the repo"),
]

FACT_RECALL_FLOOR = 0.85
SUPPORTED_FLOOR = 0.50


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("seeds") / "seeds.jsonl"
    with out.open("w", encoding="utf-8") as stream:
        subprocess.run([sys.executable, "-m", "kg.cli", "extract", str(SEEDS), "--format", "jsonl"],
                       stdout=stream, check=True)
    result = subprocess.run([sys.executable, str(SCORER), "--gold", str(GOLD), "--pred", str(out),
                             "--json"], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def test_seeds_fact_recall_floor(report):
    assert report["fact_recall"] >= FACT_RECALL_FLOOR


def test_seeds_no_fragments_no_false_actors(report):
    totals = report["totals"]
    assert totals["actor_fragments"][0] == 0
    assert totals["false_actors"][0] == 0


def test_seeds_supported_relations(report):
    supported, total = report["totals"]["relation_records"]
    assert total and supported / total >= SUPPORTED_FLOOR
