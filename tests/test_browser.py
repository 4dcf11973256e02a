"""The query page in a real browser: tests/browser/page.test.mjs drives Debian's chromium
through playwright-core against a kg serve on 127.0.0.1.

Needs ``apt-get install chromium`` and ``npm ci`` in tests/browser; skips without them.
Set ``KG_SCREENSHOT`` to keep the screenshot (docs/screenshot.png is made this way).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from test_serve import build_store, running_server

BROWSER_DIR = Path(__file__).parent / "browser"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def _missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing: apt-get install chromium"
    if not (BROWSER_DIR / "node_modules" / "playwright-core").is_dir():
        return "tests/browser/node_modules is missing: run npm ci in tests/browser"
    return None


@pytest.mark.slow
@pytest.mark.skipif(_missing() is not None, reason=_missing() or "")
def test_browser_page_runs_a_query_and_draws_the_network(tmp_path: Path) -> None:
    screenshot = Path(os.environ.get("KG_SCREENSHOT") or tmp_path / "page.png")
    with running_server(build_store(tmp_path / "store")) as endpoint:
        completed = subprocess.run(
            ["node", str(BROWSER_DIR / "page.test.mjs")],
            env={**os.environ, "KG_URL": endpoint.removesuffix("sparql"),
                 "KG_SCREENSHOT": str(screenshot), "CHROMIUM": CHROMIUM},
            capture_output=True, text=True, timeout=120, check=False)
    print(completed.stdout)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "browser test passed" in completed.stdout
    assert screenshot.stat().st_size > 10_000
