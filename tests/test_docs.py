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
