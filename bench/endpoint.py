"""Load ``kg serve`` and ``oxigraph serve-read-only`` with the same queries on the same store.

    python bench/endpoint.py [--store DIR] [--clients 20] [--seconds 30]
                             [--queries FILE_OR_DIR ...]
                             [--servers kg kg-uncached oxigraph]
                             [--rounds N]

Starts each server in turn on 127.0.0.1 (a free port) over the same store (built from
examples/ when none is given), sends every query once to check that both answer it and
with how many rows, then runs ``--clients`` concurrent clients for ``--seconds`` seconds,
each POSTing the queries round-robin (SPARQL JSON wanted), and prints per server: requests,
req/s, p50 and p99 latency, the answers that were not 200 by status (and the 200 answers
whose JSON stops short: Oxigraph streams, and cuts an answer off at its timeout after the
status was sent), the server's CPU time per request (its processes and query workers
together) and its peak resident memory; then each query's rows and latency alone and its
p50 under load, on each server.

The queries are ``.rq`` files: by default the shipped competency queries (kg/queries/, as
they are in this checkout) and the selective queries of bench/queries/. Every query gets
the kg prefixes written out in front, since Oxigraph does not predeclare them; both
servers see the same text. Oxigraph gets the same per-query timeout as kg
(``--timeout-s``) and ``--union-default-graph``, so both see the union of the graphs.

``kg`` is ``kg serve`` as shipped: it keeps the answers to queries asked again of the same
store snapshot (``--cache``), so after the first pass its load is answered from that cache.
``kg-uncached`` is ``kg serve --cache 0``: every request runs its query in a worker, as
every request does in Oxigraph, which has no answer cache. Both rows are printed, each
with its ratio to Oxigraph.

kg serve builds the page's first network view when it starts (reading the whole store:
minutes at 10,000 articles); the load begins once that is done, as on a server that has
been up a while. The clients run in this process, on the same cores as the servers; both
servers pay for them alike. Every loop is bounded in count and time and stops by itself.

On a machine shared with other work one run of each server says little: whichever runs
while the other work is busier loses, by up to half. ``--rounds N`` starts every server
at once and loads them in turn N times, each round in the other order (a waiting server
costs nothing), and sums the rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from kg.rdf import PREFIXES  # noqa: E402

DEFAULT_QUERIES = (ROOT / "kg" / "queries", ROOT / "bench" / "queries")
MAX_REQUESTS = 1_000_000  # a hard bound on the loop, whatever the time
CLIENT_TIMEOUT = 120.0  # seconds a client waits for one answer before counting it failed
START_TIMEOUT = 60.0  # seconds a server may take to answer its first request
WARM_TIMEOUT = 900.0  # seconds kg serve may take to build the page's first network view
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Load:
    """What the clients saw of one server."""

    seconds: float
    latencies: dict[str, list[float]] = field(default_factory=lambda: collections.defaultdict(list))
    failures: collections.Counter = field(default_factory=collections.Counter)
    cpu_seconds: float = 0.0
    peak_rss_mib: float = 0.0

    @property
    def requests(self) -> int:
        return sum(len(times) for times in self.latencies.values())

    def percentile(self, fraction: float, name: str | None = None) -> float:
        times = sorted(self.latencies[name] if name else
                       [t for ts in self.latencies.values() for t in ts])
        return 1000 * times[int(fraction * (len(times) - 1))] if times else float("nan")


def read_queries(paths: list[Path]) -> dict[str, str]:
    """Query name (file stem) -> SPARQL text with the kg prefixes in front, from ``.rq`` files
    and directories of them."""
    prologue = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
    queries = {}
    for path in paths:
        for file in sorted(path.glob("*.rq")) if path.is_dir() else [path]:
            queries[file.stem] = prologue + file.read_text(encoding="utf-8")
    if not queries:
        raise SystemExit(f"no .rq files in {', '.join(map(str, paths))}")
    return queries


def example_store(scratch: Path) -> Path:
    """Build a store from examples/ in ``scratch``; return its path."""
    store = scratch / "store"
    subprocess.run([sys.executable, "-m", "kg.cli", "-q", "build", str(ROOT / "examples"),
                    "--store", str(store)], check=True, cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    return store


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tree(pid: int) -> list[int]:
    """A process and its descendants (kg serve's query workers)."""
    pids = [pid]
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                pids.extend(_tree(int(child)))
    except OSError:
        pass
    return pids


def usage(pid: int) -> tuple[float, float]:
    """CPU seconds (children that ended included) and resident MiB of a process tree."""
    cpu = rss = 0.0
    for member in _tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rpartition(")")[2].split()
            # utime, stime, cutime, cstime: fields 14-17 of proc(5), counted after the name
            cpu += sum(int(value) for value in fields[11:15]) / CLOCK_TICKS
            rss += int(fields[21]) * os.sysconf("SC_PAGE_SIZE") / (1 << 20)
        except (OSError, ValueError, IndexError):
            pass
    return cpu, rss


def start(server: str, store: Path, port: int, timeout: float) -> subprocess.Popen:
    if server == "oxigraph":
        executable = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
        command = [executable, "serve-read-only", "--location", str(store),
                   "--bind", f"127.0.0.1:{port}", "--union-default-graph",
                   "--timeout-s", str(int(timeout))]
    else:
        command = [sys.executable, "-m", "kg.cli", "-q", "serve", "--store", str(store),
                   "--host", "127.0.0.1", "--port", str(port), "--timeout", str(timeout)]
        if server == "kg-uncached":
            command += ["--cache", "0"]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        try:
            httpx.post(f"http://127.0.0.1:{port}/sparql", data={"query": "ASK {}"}, timeout=5)
            break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        process.kill()
        raise SystemExit(f"{server} did not start on port {port}")
    if server != "oxigraph":
        # kg serve builds the page's first network view at start-up, reading the whole store
        # (minutes at 10,000 articles); the load begins once it is done, as in a server that
        # has been up a while
        started = time.monotonic()
        httpx.get(f"http://127.0.0.1:{port}/network", timeout=WARM_TIMEOUT).raise_for_status()
        print(f"kg serve: first network view ready {time.monotonic() - started:.1f} s after "
              "the endpoint", file=sys.stderr)
    return process


def count_rows(response: httpx.Response) -> str:
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    try:
        answer = json.loads(response.content)
    except ValueError:  # Oxigraph streams: past its timeout, a 200 answer stops short
        return "broken 200"
    rows = len(answer["results"]["bindings"]) if "results" in answer else 1
    return f"{rows}{' (cut)' if response.headers.get('x-kg-truncated') else ''}"


def probe(url: str, queries: dict[str, str]) -> dict[str, tuple[str, float]]:
    """Each query once, alone: its rows (or status) and seconds."""
    seen = {}
    with httpx.Client(timeout=CLIENT_TIMEOUT) as http:
        for name, query in queries.items():
            started = time.perf_counter()
            response = http.post(url, data={"query": query},
                                 headers={"Accept": "application/sparql-results+json"})
            seen[name] = (count_rows(response), time.perf_counter() - started)
    return seen


async def client(url: str, queries: list[tuple[str, str]], stop: float, load: Load,
                 offset: int) -> None:
    async with httpx.AsyncClient(timeout=CLIENT_TIMEOUT) as http:
        turn = offset
        while time.monotonic() < stop and load.requests < MAX_REQUESTS:
            name, query = queries[turn % len(queries)]
            turn += 1
            started = time.perf_counter()
            try:
                response = await http.post(url, data={"query": query}, headers={
                    "Accept": "application/sparql-results+json"})
                body = await response.aread()
                if response.status_code != 200:
                    load.failures[f"HTTP {response.status_code}"] += 1
                elif not body.rstrip().endswith(b"}"):  # a streamed answer that stopped short
                    load.failures["broken 200"] += 1
            except httpx.HTTPError as error:
                load.failures[type(error).__name__] += 1
            load.latencies[name].append(time.perf_counter() - started)


async def drive(url: str, queries: dict[str, str], clients: int, seconds: float,
                pid: int) -> Load:
    load = Load(seconds=seconds)
    order = list(queries.items())
    cpu_before, load.peak_rss_mib = usage(pid)
    stop = time.monotonic() + seconds

    async def watch() -> None:
        while time.monotonic() < stop:
            load.peak_rss_mib = max(load.peak_rss_mib, usage(pid)[1])
            await asyncio.sleep(0.5)

    started = time.monotonic()
    await asyncio.gather(watch(), *(client(url, order, stop, load, n) for n in range(clients)))
    load.seconds = time.monotonic() - started  # the last answers may come after the stop
    load.cpu_seconds = usage(pid)[0] - cpu_before
    return load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, help="store directory (default: examples/)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--queries", type=Path, nargs="+", default=list(DEFAULT_QUERIES),
                        help=".rq files or directories of them")
    parser.add_argument("--servers", nargs="+", default=["kg", "kg-uncached", "oxigraph"],
                        choices=["kg", "kg-uncached", "oxigraph"])
    parser.add_argument("--timeout", type=float, default=10.0,
                        help="per-query timeout given to both servers (s)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="start every server at once and load them in turn this many "
                             "times, each round in the other order; the table sums the rounds")
    args = parser.parse_args()
    queries = read_queries(args.queries)
    loads: dict[str, Load] = {}
    probes: dict[str, dict[str, tuple[str, float]]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        store = args.store or example_store(Path(scratch))
        if args.rounds > 1:
            loads = alternate(args, store, queries, probes)
        for server in args.servers if args.rounds <= 1 else ():
            port = free_port()
            process = start(server, store, port, args.timeout)
            try:
                url = f"http://127.0.0.1:{port}/sparql"
                probes[server] = probe(url, queries)
                loads[server] = asyncio.run(drive(url, queries, args.clients, args.seconds,
                                                  process.pid))
            finally:
                stop(process)
    report(args, store, queries, probes, loads)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def alternate(args: argparse.Namespace, store: Path, queries: dict[str, str],
              probes: dict[str, dict[str, tuple[str, float]]]) -> dict[str, Load]:
    """Load every server ``args.rounds`` times in turn, all of them started once, so that
    what else the machine runs meanwhile weighs on each alike; print each round's rates."""
    processes: dict[str, tuple[subprocess.Popen, str]] = {}
    totals: dict[str, Load] = {}
    try:
        for server in args.servers:
            port = free_port()
            processes[server] = (start(server, store, port, args.timeout),
                                 f"http://127.0.0.1:{port}/sparql")
        for server, (process, url) in processes.items():
            probes[server] = probe(url, queries)
            totals[server] = Load(seconds=0.0)
        for number in range(args.rounds):
            order = args.servers if number % 2 == 0 else args.servers[::-1]
            rates = {}
            for server in order:
                process, url = processes[server]
                load = asyncio.run(drive(url, queries, args.clients, args.seconds, process.pid))
                rates[server] = load.requests / load.seconds
                total = totals[server]
                total.seconds += load.seconds
                total.cpu_seconds += load.cpu_seconds
                total.peak_rss_mib = max(total.peak_rss_mib, load.peak_rss_mib)
                total.failures.update(load.failures)
                for name, times in load.latencies.items():
                    total.latencies[name].extend(times)
            print(f"round {number + 1}: " + ", ".join(f"{server} {rate:.2f} req/s"
                                                     for server, rate in rates.items())
                  + f"; load average {os.getloadavg()[0]:.1f}", file=sys.stderr)
    finally:
        for process, _ in processes.values():
            stop(process)
    return totals


def report(args: argparse.Namespace, store: Path, queries: dict[str, str],
           probes: dict[str, dict[str, tuple[str, float]]], loads: dict[str, Load]) -> None:
    rounds = f" x {args.rounds} rounds, servers in turn" if args.rounds > 1 else ""
    print(f"store {store}; {args.clients} clients for {args.seconds:g} s{rounds}; "
          f"{len(queries)} queries, round-robin\n")
    print("| server | requests | req/s | p50 ms | p99 ms | not 200 | CPU ms/request "
          "| peak RSS MiB |")
    print("| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |")
    for server, load in loads.items():
        failures = ", ".join(f"{count} {kind}" for kind, count in load.failures.most_common())
        print(f"| {server} | {load.requests} | {load.requests / load.seconds:.2f} | "
              f"{load.percentile(0.5):.0f} | {load.percentile(0.99):.0f} | {failures or '0'} | "
              f"{1000 * load.cpu_seconds / max(load.requests, 1):.1f} | "
              f"{load.peak_rss_mib:.0f} |")
    if "oxigraph" in loads:
        baseline = loads["oxigraph"].requests / max(loads["oxigraph"].seconds, 1e-9)
        for server in (name for name in loads if name != "oxigraph"):
            ratio = loads[server].requests / max(loads[server].seconds, 1e-9) / max(
                baseline, 1e-9)
            print(f"\n{server} / oxigraph throughput: {ratio:.2f}")
    servers = list(loads)
    print("\n| query | " + " | ".join(f"{s} rows | {s} alone ms | {s} p50 ms under load"
                                       for s in servers) + " |")
    print("| --- |" + " ---: | ---: | ---: |" * len(servers))
    for name in queries:
        cells = []
        for server in servers:
            rows, alone = probes[server][name]
            cells += [rows, f"{1000 * alone:.0f}", f"{loads[server].percentile(0.5, name):.0f}"]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
