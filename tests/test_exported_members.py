"""The public API is what kg/__init__.py lists in __all__, and all of it resolves."""

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import kg

ROOT = Path(__file__).resolve().parents[1]
# the functions named like a module of the package (kg/export.py, kg/extract/ ...)
SHADOWED = ("build", "export", "extract", "query", "serve")


def test_exported_members_resolve():
    for name in kg.__all__:
        assert getattr(kg, name) is not None, name


def test_exported_members_are_sorted_and_public():
    assert kg.__all__ == sorted(kg.__all__)
    assert not [name for name in kg.__all__ if name.startswith("_")]


def test_exported_members_cover_every_stage():
    stages = {"read_documents", "extract", "extract_documents", "build", "open_store", "query",
              "run_query", "export", "validate_store", "serve"}
    assert stages <= set(kg.__all__)


def test_exported_members_are_ours_and_documented():
    for name in kg.__all__:
        member = getattr(kg, name)
        assert not inspect.ismodule(member), name
        assert member.__module__.startswith("kg"), name
        assert inspect.getdoc(member), f"kg.{name} has no docstring"


@pytest.mark.parametrize("name", SHADOWED)
def test_exported_members_issue_11_functions_are_not_shadowed_by_modules(name):
    # in a fresh interpreter, every module imported first, as a user's script might
    modules = "import kg.export, kg.serve, kg.query, kg.extract, kg.pipeline, kg.export.tabular"
    check = (f"{modules}\nimport inspect, sys, kg\n"
             f"assert inspect.isfunction(kg.{name}), kg.{name}\n"
             "assert inspect.ismodule(sys.modules['kg.export'])\n"
             "from kg.export import network\n")
    result = subprocess.run([sys.executable, "-c", check], cwd=ROOT, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr.strip().splitlines()[-1:]
    assert inspect.isfunction(getattr(kg, name))


def test_exported_members_issue_11_help_shows_a_function():
    result = subprocess.run([sys.executable, "-c", "import kg; help(kg.export)"], cwd=ROOT,
                            capture_output=True, text=True, check=True,
                            env={"PAGER": "cat", "PATH": ""})
    assert result.stdout.lstrip().startswith("Help on function export in module kg.export")
