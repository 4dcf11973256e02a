"""Every module imports on its own, in a fresh interpreter: no import cycles.

An import cycle only shows when the modules are imported in the unlucky order (issue #10:
``import kg.resolve`` failed while ``import kg.extract`` worked), so each module gets its own
interpreter.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted(
    ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    for path in (ROOT / "kg").rglob("*.py"))


@pytest.mark.parametrize("module", [m for m in MODULES if m not in ("kg.__main__",)])
def test_imports_module_alone(module):
    result = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr.strip().splitlines()[-1:]


@pytest.mark.parametrize("module,never", [
    # kg.pipeline orchestrates the strategies kg.scale provides, never the other way round
    ("kg.scale", ("kg.pipeline",)),
    # `import kg` stays cheap: the heavy stages load on first use
    ("kg", ("kg.pipeline", "kg.scale", "spacy", "rdflib")),
])
def test_imports_issue_13_layers(module, never):
    code = f"import sys, {module}; print(*sorted(m for m in sys.modules if m in {never!r}))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    assert result.stdout.split() == []
