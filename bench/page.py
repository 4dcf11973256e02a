"""Time the page's network view in headless Chromium against ``kg serve``.

    python bench/page.py [--store DIR] [--loads 3]

Starts ``kg serve`` on 127.0.0.1 over the store (built from examples/ when none is given),
times ``/network?view=actors`` as the page asks for it twice: cold, when the server reads
the whole store to build the view (once per store snapshot), and warm. Then loads the page
``--loads`` times in a fresh headless Chromium (bench/page.mjs): seconds from navigation
to the first network view drawn, and from a click on the best connected node to its
neighbours drawn.

Needs node, /usr/bin/chromium and ``npm ci`` in tests/browser.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.endpoint import example_store, free_port, start  # noqa: E402

NODE_TIMEOUT = 900  # seconds one page load may take before it counts as failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, help="store directory (default: examples/)")
    parser.add_argument("--loads", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        store = args.store or example_store(Path(scratch))
        port = free_port()
        server = start("kg", store, port, timeout=10.0)
        try:
            base = f"http://127.0.0.1:{port}"
            timings = []
            for label in ("cold", "warm"):
                started = time.perf_counter()
                response = httpx.get(f"{base}/network", params={"view": "actors"},
                                     timeout=NODE_TIMEOUT)
                seconds = time.perf_counter() - started
                response.raise_for_status()
                answer = response.json()
                print(f"/network?view=actors, {label}: {seconds:.2f} s, "
                      f"{len(response.content):,} bytes, "
                      f"{len(answer['nodes'])} of {answer['total']['nodes']:,} nodes, "
                      f"{len(answer['edges'])} of {answer['total']['edges']:,} edges")
            for _ in range(args.loads):
                completed = subprocess.run(
                    ["node", str(ROOT / "bench" / "page.mjs")], capture_output=True, text=True,
                    env={**os.environ, "KG_URL": f"{base}/"}, timeout=NODE_TIMEOUT, check=True)
                timings.append(json.loads(completed.stdout.strip().splitlines()[-1]))
                print(completed.stdout.strip().splitlines()[-1], file=sys.stderr)
        finally:
            server.terminate()  # it lets the page's last queries finish first
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    print("\n| load | first view s | nodes | edges | status | click to neighbours s "
          "| nodes after |")
    print("| ---: | ---: | ---: | ---: | --- | ---: | ---: |")
    for number, timing in enumerate(timings, 1):
        print(f"| {number} | {timing['first_view_s']:.2f} | {timing['nodes']} | "
              f"{timing['edges']} | {timing['status']} | {timing['expansion_s']:.2f} | "
              f"{timing['expanded_nodes']} |")


if __name__ == "__main__":
    main()
