"""Load the SPARQL endpoint: many concurrent clients issuing the competency queries.

    python bench/load.py [--clients 50] [--seconds 30] [--store DIR] [--oxigraph]

Starts ``kg serve`` on 127.0.0.1 (a free port) over a store (built from examples/ when
none is given), runs the clients for the given time on loopback only, and prints requests,
errors, p50/p99 latency and the server's peak resident memory (its query workers
included). ``--oxigraph`` serves the same store with ``oxigraph serve-read-only`` (the
``oxigraph`` command of the dev extra) instead, for comparison. Every loop is bounded in
count and time and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from kg.query import list_queries, load_query  # noqa: E402

MAX_REQUESTS = 1_000_000  # a hard bound on the loop, whatever the time
OXIGRAPH = False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_kib(pid: int) -> int:
    """Resident memory of a process and its children (kg serve's query workers)."""
    total = 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += rss_kib(int(child))
    except (OSError, ValueError):
        pass
    return total


async def client(url: str, queries: list[str], stop: float, latencies: list[float],
                 errors: list[str], n: int) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        i = n
        while time.monotonic() < stop and len(latencies) < MAX_REQUESTS:
            query = queries[i % len(queries)]
            i += 1
            started = time.perf_counter()
            try:
                response = await http.post(url, data={"query": query},
                                           headers={"Accept": "application/sparql-results+json"})
                if response.status_code != 200:
                    errors.append(f"HTTP {response.status_code}")
            except httpx.HTTPError as error:
                errors.append(type(error).__name__)
            latencies.append(time.perf_counter() - started)


async def run_clients(url: str, clients: int, seconds: float, pid: int) -> dict:
    queries = [load_query(name) for name in list_queries()]
    if OXIGRAPH:  # kg adds its prefixes to every query; Oxigraph needs them written out
        from kg.rdf import PREFIXES

        prologue = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
        queries = [prologue + query for query in queries]
    latencies: list[float] = []
    errors: list[str] = []
    stop = time.monotonic() + seconds
    peak = rss_kib(pid)

    async def watch() -> None:
        nonlocal peak
        while time.monotonic() < stop:
            peak = max(peak, rss_kib(pid))
            await asyncio.sleep(0.5)

    await asyncio.gather(watch(), *(client(url, queries, stop, latencies, errors, n)
                                    for n in range(clients)))
    ordered = sorted(latencies)
    return {"requests": len(latencies), "errors": len(errors),
            "p50_ms": 1000 * statistics.median(ordered),
            "p99_ms": 1000 * ordered[int(0.99 * (len(ordered) - 1))],
            "rps": len(latencies) / seconds, "peak_rss_mib": peak / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--store", type=Path)
    parser.add_argument("--oxigraph", action="store_true",
                        help="serve with oxigraph serve-read-only instead of kg serve")
    args = parser.parse_args()
    global OXIGRAPH
    OXIGRAPH = args.oxigraph
    with tempfile.TemporaryDirectory() as scratch:
        store = args.store
        if store is None:
            store = Path(scratch) / "store"
            subprocess.run([sys.executable, "-m", "kg.cli", "-q", "build", str(ROOT / "examples"),
                            "--store", str(store)], check=True)
        port = free_port()
        if args.oxigraph:
            command = ["oxigraph", "serve-read-only", "--location", str(store),
                       "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
        else:
            command = [sys.executable, "-m", "kg.cli", "-q", "serve", "--store", str(store),
                       "--host", "127.0.0.1", "--port", str(port)]
        server = subprocess.Popen(command)
        try:
            url = f"http://127.0.0.1:{port}/sparql"
            for _ in range(100):
                try:
                    httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.2)
            result = asyncio.run(run_clients(url, args.clients, args.seconds, server.pid))
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"| clients | seconds | requests | errors | req/s | p50 ms | p99 ms | server peak RSS MiB |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(f"| {args.clients} | {args.seconds:.0f} | {result['requests']} | {result['errors']} | "
          f"{result['rps']:.0f} | {result['p50_ms']:.1f} | {result['p99_ms']:.1f} | "
          f"{result['peak_rss_mib']:.0f} |")


if __name__ == "__main__":
    main()
