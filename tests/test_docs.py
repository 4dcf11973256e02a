"""README.md tells the truth about the command line."""

from pathlib import Path

from typer.main import get_command

from kg.cli import app
from kg.query import list_queries

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_docs_every_command_is_documented():
    for name in get_command(app).commands:
        assert f"`kg {name}" in README, f"kg {name} is missing from README.md"


def test_docs_every_competency_query_is_documented():
    for name in list_queries():
        assert f"`{name}`" in README, f"query {name} is missing from README.md"


def test_docs_two_commands():
    assert ".venv/bin/pip install -e . && .venv/bin/kg build examples --store kg-store" in README
    assert ".venv/bin/pip install -e '.[dev]' && .venv/bin/python -m pytest -q" in README
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert "-m pytest -q" in ci
