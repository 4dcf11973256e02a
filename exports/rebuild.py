"""Rebuild the committed exports of the example corpus.

    python exports/rebuild.py [OUT_DIR]

Builds ``examples/`` into a temporary store and writes, into ``exports/`` (or OUT_DIR):
``examples.ttl`` (every graph merged, Turtle), ``examples.trig`` (one named graph per
article), ``examples-actors.graphml`` and ``examples-actors.gexf`` (who did what to whom),
``examples-positions.gexf`` (actor-issue stances over time) and
``examples-agreement.graphml`` (actors linked by shared stances). ``tests/test_exports.py``
fails when these files are stale.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from kg.export import export
from kg.pipeline import build
from kg.store import open_store

ROOT = Path(__file__).resolve().parents[1]
EXPORTS = (
    ("examples.ttl", "turtle", "actors"),
    ("examples.trig", "trig", "actors"),
    ("examples-actors.graphml", "graphml", "actors"),
    ("examples-actors.gexf", "gexf", "actors"),
    ("examples-positions.gexf", "gexf", "positions"),
    ("examples-agreement.graphml", "graphml", "agreement"),
)


def rebuild(out_dir: Path) -> list[Path]:
    """Build the example corpus and write every export into ``out_dir``."""
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    here = Path.cwd()
    # build from the repository root with a relative path, so that kg:source reads
    # "examples/..." wherever the repository is checked out
    os.chdir(ROOT)
    try:
        with tempfile.TemporaryDirectory() as scratch, \
                open_store(Path(scratch) / "store") as store:
            build([Path("examples")], store)
            for name, fmt, view in EXPORTS:
                path = out_dir / name
                with path.open("wb") as stream:
                    export(store, fmt, stream, view=view)
                written.append(path)
    finally:
        os.chdir(here)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "exports"
    for path in rebuild(target):
        print(path)
