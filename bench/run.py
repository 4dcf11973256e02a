"""Benchmark kg against the tools it is built on, and print one table.

Each row compares kg with a baseline on the same input: extraction vs raw spaCy
``nlp.pipe`` with the same model, ``--jobs 2`` vs ``--jobs 1``, a build on a Dask
LocalCluster vs the same build on a process pool, cross-document resolution of one batch
with many names known vs none, an incremental rebuild of an unchanged corpus vs a full
build, ``Store.load`` vs pyoxigraph's ``bulk_load``, the shipped competency queries through
``kg.query.run_query`` vs pyoxigraph directly, and peak RSS of a build of a small vs a ten
times larger corpus (each in its own process).

Usage:
    python bench/run.py            # full sizes (1k/10k articles for RSS: about an hour)
    python bench/run.py --quick    # small sizes, a few minutes
    python bench/run.py --only dask,resolve     # some rows
    python bench/run.py --huge --corpora DIR --jobs 2   # opt-in, hours: RSS and time
                                                       # per article at 1k, 10k, 100k
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate

from kg import rdf
from kg.errors import QueryError
from kg.ingest import read_documents
from kg.nlp import load_pipeline
from kg.pipeline import RESOLVE_BATCH, build, extract_documents
from kg.query import list_queries, load_query, run_query
from kg.resolve import NameIndex, resolve_corpus
from kg.scale import Dask, ProcessPool
from kg.store import open_store

QUICK = {"extract": 60, "jobs": 120, "dask": 120, "build": 60, "query": 30, "rss": (50, 500),
         "names": 26550}
FULL = {"extract": 300, "jobs": 600, "dask": 600, "build": 300, "query": 30,
        "rss": (1000, 10000), "names": 26550}
HUGE = (1000, 10000, 100000)  # --huge: RSS and time, opt-in (hours)
# queries run on their own small store in both, so the row compares per-query overhead
# at the same size whatever the other sizes
QUERY_REPEATS = 5
QUERY_TIMEOUT = 60.0  # seconds; a slower query is reported and left out

# Peak RSS of a process from its own address space: VmHWM in /proc (Linux). Not ru_maxrss:
# Linux keeps that across execve, so a child forked from a parent holding a spaCy model
# reports the parent's size (a 1,000-article build "peaked" at the bench process's 608 MiB).
# Falls back to ru_maxrss where there is no /proc.
PEAK_RSS = """
import resource
from pathlib import Path

def status(pid='self', field='VmHWM'):
    try:
        lines = Path(f'/proc/{pid}/status').read_text().splitlines()
    except OSError:  # no /proc, or a worker that has just ended
        return None
    for line in lines:
        if line.startswith(field + ':'):
            return int(line.split()[1])  # KiB
    return None

def peak_kib():
    found = status()
    return found if found is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""

# a build in a fresh interpreter (argv: corpus, store, jobs); prints its seconds, peak RSS
# in KiB of itself and of its largest worker (VmHWM, read every WORKER_EVERY articles and at
# the end), documents stored and CPU seconds of itself and its workers (what other work on
# the machine changes least); on stderr, every SAMPLE_EVERY articles, how far it is, the
# time and the RSS now
RSS_CHILD = PEAK_RSS + """
import multiprocessing, sys, time
from kg.pipeline import build
from kg.store import open_store
SAMPLE_EVERY = 5000
WORKER_EVERY = 100
started = time.perf_counter()
worker_peak = 0

def workers_now():
    global worker_peak
    found = [p.pid for p in multiprocessing.active_children()]
    worker_peak = max([worker_peak] + [status(pid) or 0 for pid in found])
    return found

def sample(progress):
    if progress.done and progress.done % WORKER_EVERY == 0:
        found = workers_now()
    if progress.done and progress.done % SAMPLE_EVERY == 0:
        now = [(status(pid, 'VmRSS') or 0) // 1024 for pid in found]
        print(f'  {progress.done} articles, {time.perf_counter() - started:.0f} s, '
              f'RSS {(status(field="VmRSS") or 0) // 1024} MiB, workers {now} MiB',
              file=sys.stderr, flush=True)

with open_store(sys.argv[2]) as store:
    summary = build([sys.argv[1]], store, jobs=int(sys.argv[3]), progress=sample)
print(time.perf_counter() - started)
print(peak_kib())
print(worker_peak)
print(summary.stored)
print(sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
          for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))
"""

# pyoxigraph alone writing what a build wrote (argv: store); reads the store's N-Quads from
# stdin, in the order another process dumps them, graph by graph, 64 document graphs a
# transaction and a flush after each, as kg.pipeline.build writes; prints its peak RSS in
# KiB. What RocksDB itself holds for a store of that size (its block cache, the index
# blocks of its files, its write buffers), without kg
OXIGRAPH_RSS_CHILD = PEAK_RSS + """
import itertools, sys
import pyoxigraph as ox
store = ox.Store(sys.argv[1])
batch, graphs = [], 0
quads = ox.parse(input=sys.stdin.buffer, format=ox.RdfFormat.N_QUADS)
for graph, group in itertools.groupby(quads, key=lambda quad: quad.graph_name):
    batch.extend(group)
    graphs += 1
    if graphs % 64 == 0:
        store.extend(batch)
        store.flush()
        batch.clear()
store.extend(batch)
store.flush()
print(peak_kib())
"""
DUMP_CHILD = """
import sys
import pyoxigraph as ox
ox.Store.read_only(sys.argv[1]).dump(sys.stdout.buffer, format=ox.RdfFormat.N_QUADS)
"""


def oxigraph_rss(store: Path, scratch: Path) -> int:
    """Peak RSS (KiB) of pyoxigraph writing ``store``'s quads into ``scratch`` in fresh
    interpreters: one dumps, the other writes, so neither's memory is the other's."""
    dump = subprocess.Popen([sys.executable, "-c", DUMP_CHILD, str(store)],
                            stdout=subprocess.PIPE)
    try:
        result = subprocess.run([sys.executable, "-c", OXIGRAPH_RSS_CHILD, str(scratch)],
                                stdin=dump.stdout, check=True, stdout=subprocess.PIPE, text=True)
    finally:
        dump.stdout.close()
        dump.wait()
        shutil.rmtree(scratch, ignore_errors=True)
    return int(result.stdout.strip().splitlines()[-1])


@dataclass
class Row:
    measure: str
    kg: str
    baseline: str
    ratio: float
    target: str
    is_met: bool


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def best_of(repeats: int, work: Callable[[], object]) -> float:
    return min(timed(work) for _ in range(repeats))


def bench_extract(corpus: Path, count: int) -> Row:
    documents = list(read_documents([corpus]))[:count]
    nlp = load_pipeline()
    list(extract_documents(documents[:4]))  # warm both up: lexicon, vectors, caches
    # alternated, best of two: on a shared machine a burst of other work lands on one side
    spacy_times, kg_times = [], []
    for _ in range(2):
        spacy_times.append(timed(lambda: list(nlp.pipe((d.text for d in documents),
                                                       batch_size=16))))
        kg_times.append(timed(lambda: list(extract_documents(documents))))
    spacy_seconds, kg_seconds = min(spacy_times), min(kg_times)
    kg_rate, spacy_rate = count / kg_seconds, count / spacy_seconds
    ratio = kg_rate / spacy_rate
    return Row(f"extract throughput, {count} articles", f"{kg_rate:.1f} docs/s",
               f"{spacy_rate:.1f} docs/s (nlp.pipe)", ratio, ">= 0.80", ratio >= 0.80)


def bench_jobs(corpus: Path, count: int) -> Row:
    documents = list(read_documents([corpus]))[:count]
    one = timed(lambda: list(extract_documents(documents)))
    two = timed(lambda: list(extract_documents(documents, strategy=ProcessPool(2))))
    ratio = one / two
    return Row(f"--jobs 2 vs --jobs 1, {count} articles", f"{count / two:.1f} docs/s",
               f"{count / one:.1f} docs/s", ratio, ">= 1.6", ratio >= 1.6)


def bench_dask(corpus: Path, count: int, work: Path) -> Row:
    """A whole build on a two-worker LocalCluster (started and stopped inside the timing)
    against the same build on two worker processes, alternating, best of two each."""
    paths = sorted(corpus.iterdir())[:count]
    runs = iter(range(1000))

    def build_with(strategy: object) -> None:
        with open_store(work / f"store-dask-{next(runs)}") as store:
            build(paths, store, strategy=strategy)

    pool, dask = [], []
    for _ in range(2):
        pool.append(timed(lambda: build_with(ProcessPool(2))))
        dask.append(timed(lambda: build_with(Dask(jobs=2))))
    ratio = min(pool) / min(dask)
    return Row(f"--engine dask vs --jobs 2 (LocalCluster, 2 workers), build of {count} articles",
               f"{count / min(dask):.1f} docs/s", f"{count / min(pool):.1f} docs/s", ratio,
               ">= 0.9", ratio >= 0.9)


def resolution_batch(corpus: Path) -> list:
    """One resolution batch of extractions, names not yet resolved across documents."""
    documents = list(read_documents([corpus]))[:RESOLVE_BATCH]
    return list(extract_documents(documents, resolve=False, strategy=ProcessPool(2)))


def bench_resolve(batch: list, known: int) -> Row:
    """Resolving one batch against ``known`` person names (invented, ``Given{n} Name{n}``
    with their surnames alone too), through the index vs the full scan it replaced."""
    names = {f"Given{n} Name{n}" for n in range(known // 2)} | \
        {f"Name{n}" for n in range(known - known // 2)}

    def per_batch(make: Callable[[], object]) -> float:
        times = []
        for _ in range(5):
            index = make()
            times.append(timed(lambda: resolve_corpus(batch, index)))  # type: ignore[arg-type]
        return statistics.median(times)

    empty = per_batch(NameIndex)
    indexed = per_batch(lambda: NameIndex(names))
    scanned = per_batch(lambda: set(names))
    ratio = indexed / empty
    return Row(f"resolution of one {len(batch)}-article batch, {known} names known vs none",
               f"{indexed * 1000:.1f} ms (index; full scan {scanned * 1000:.1f} ms)",
               f"{empty * 1000:.1f} ms", ratio, "<= 1.5", ratio <= 1.5)


def bench_incremental(corpus: Path, work: Path) -> tuple[Row, Path]:
    path = work / "store-build"
    with open_store(path) as store:
        full = timed(lambda: build([corpus], store))
    with open_store(path) as store:
        again = timed(lambda: build([corpus], store))
    ratio = again / full
    return Row("incremental rebuild, unchanged corpus", f"{again:.2f} s", f"{full:.2f} s (full)",
               ratio, "<= 0.05", ratio <= 0.05), path


def bench_load(built: Path, work: Path) -> Row:
    dump = work / "dump.nq"
    with open_store(built, read_only=True) as store:
        store.serialize("nquads", dump)
        quads = len(store.oxigraph)
    runs = iter(range(1000))

    def kg_load() -> None:
        with open_store(work / f"load-kg-{next(runs)}") as store:
            store.load(dump, "nquads")

    def ox_load() -> None:
        store = ox.Store(str(work / f"load-ox-{next(runs)}"))
        store.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
        store.flush()

    ox_seconds = best_of(3, ox_load)
    kg_seconds = best_of(3, kg_load)
    ratio = ox_seconds / kg_seconds
    return Row(f"bulk load, {quads} quads", f"{quads / kg_seconds:,.0f} quads/s",
               f"{quads / ox_seconds:,.0f} quads/s (bulk_load)", ratio, ">= 0.8", ratio >= 0.8)


def bench_queries(corpus: Path, count: int, work: Path) -> Row:
    """Median times of the shipped queries on a store of ``count`` articles; a query
    slower than QUERY_TIMEOUT is left out."""
    kg_total = ox_total = 0.0
    slow = []
    with open_store(work / "store-query") as store:
        build(sorted(corpus.iterdir())[:count], store)
        names = list(list_queries())
        for name in names:
            sparql = load_query(name)

            def direct(sparql: str = sparql) -> None:
                result = store.oxigraph.query(sparql, use_default_graph_as_union=True,
                                              prefixes=rdf.PREFIXES)
                if isinstance(result, ox.QuerySolutions | ox.QueryTriples):
                    list(result)

            def through_kg(name: str = name) -> None:
                run_query(store, name, timeout=QUERY_TIMEOUT)

            try:
                first = timed(through_kg)  # also warms the block cache for both
            except QueryError:
                slow.append(name)
                continue
            repeats = QUERY_REPEATS if first < 1.0 else 1
            ox_total += statistics.median(timed(direct) for _ in range(repeats))
            kg_total += statistics.median(timed(through_kg) for _ in range(repeats))
    ratio = kg_total / ox_total
    left_out = f", left out (> {QUERY_TIMEOUT:g} s): {', '.join(slow)}" if slow else ""
    return Row(f"competency queries ({len(names) - len(slow)} of {len(names)}), {count} articles"
               f"{left_out}",
               f"{kg_total * 1000:.1f} ms", f"{ox_total * 1000:.1f} ms (pyoxigraph)", ratio,
               "<= 1.5", ratio <= 1.5)


@dataclass
class Build:
    """A build in a fresh interpreter: what ``RSS_CHILD`` reports."""

    seconds: float
    rss_kib: int  # the building process
    worker_kib: int  # its largest worker process (0 without workers)
    stored: int
    cpu_seconds: float  # the building process and its workers
    oxigraph_kib: int = 0  # pyoxigraph alone writing the same quads (``oxigraph_rss``)

    @property
    def per_article(self) -> float:
        return self.seconds / self.stored


def peak_rss(corpus: Path, store: Path, jobs: int = 1) -> Build:
    """A build of ``corpus`` into ``store`` in a fresh interpreter; its progress goes to
    stderr as it runs."""
    result = subprocess.run([sys.executable, "-c", RSS_CHILD, str(corpus), str(store),
                             str(jobs)], check=True, stdout=subprocess.PIPE, text=True)
    seconds, rss, workers, stored, cpu = result.stdout.strip().splitlines()[-5:]
    return Build(float(seconds), int(rss), int(workers), int(stored), float(cpu))


def rss_corpus(corpora: Path, count: int) -> Path:
    """The generated corpus of ``count`` distinct articles under ``corpora``, made unless
    it is there whole: a build stores every article, so time per article is per stored
    article at every size."""
    corpus = corpora / f"distinct-{count}"
    if len(list(corpus.glob("article-*.txt"))) != count:
        generate(corpus, count, distinct=True)
    return corpus


def bench_rss(corpora: Path, work: Path, sizes: tuple[int, ...], jobs: int = 1) -> list[Row]:
    """Peak RSS, and time per stored article, of a build at each size (corpora generated
    into ``corpora`` unless there, stores into ``work``, each deleted once measured); a
    pair of rows for each size against the one before it."""
    builds = {}
    for count in sizes:
        corpus = rss_corpus(corpora, count)
        store = work / f"store-rss-{count}"
        print(f"rss: building {count} articles, --jobs {jobs}", file=sys.stderr, flush=True)
        builds[count] = measured = peak_rss(corpus, store, jobs)
        size = sum(path.stat().st_size for path in store.rglob("*") if path.is_file())
        measured.oxigraph_kib = oxigraph_rss(store, work / f"store-oxigraph-{count}")
        shutil.rmtree(store)
        print(f"rss: {count} articles, {measured.stored} stored, {measured.seconds:.0f} s "
              f"({measured.per_article * 1000:.1f} ms per article; CPU "
              f"{measured.cpu_seconds / measured.stored * 1000:.1f} ms), RSS "
              f"{measured.rss_kib // 1024} MiB, largest worker {measured.worker_kib // 1024} "
              f"MiB, store {size / 2**30:.1f} GiB; pyoxigraph alone writing it: RSS "
              f"{measured.oxigraph_kib // 1024} MiB", file=sys.stderr, flush=True)
    rows = []
    for small, large in zip(sizes, sizes[1:]):
        one, ten = builds[small], builds[large]
        ratio = ten.rss_kib / one.rss_kib
        workers = (f"; largest worker {ten.worker_kib / 1024:.0f} vs "
                   f"{one.worker_kib / 1024:.0f} MiB" if jobs > 1 else "")
        slope = ten.per_article / one.per_article
        cpu = (ten.cpu_seconds / ten.stored) / (one.cpu_seconds / one.stored)
        rows += [Row(f"peak RSS of a build, {large} vs {small} articles (--jobs {jobs}"
                     f"{workers})", f"{ten.rss_kib / 1024:.0f} MiB",
                     f"{one.rss_kib / 1024:.0f} MiB", ratio, "<= 1.2", ratio <= 1.2),
                 Row(f"growth of peak RSS, {small} to {large} articles: the building "
                     f"process vs pyoxigraph alone writing the same quads in the same "
                     f"transactions ({one.oxigraph_kib / 1024:.0f} to "
                     f"{ten.oxigraph_kib / 1024:.0f} MiB)",
                     f"{(ten.rss_kib - one.rss_kib) / 1024:+.0f} MiB",
                     f"{(ten.oxigraph_kib - one.oxigraph_kib) / 1024:+.0f} MiB",
                     (ten.rss_kib - one.rss_kib) / max(ten.oxigraph_kib - one.oxigraph_kib, 1),
                     "(context)", True),
                 Row(f"build time per article, {large} vs {small} articles ({ten.stored} "
                     f"and {one.stored} stored, --jobs {jobs}; CPU time per article "
                     f"{ten.cpu_seconds / ten.stored * 1000:.1f} vs "
                     f"{one.cpu_seconds / one.stored * 1000:.1f} ms, {cpu:.2f})",
                     f"{ten.per_article * 1000:.1f} ms", f"{one.per_article * 1000:.1f} ms",
                     slope, "<= 1.2 (linear)", slope <= 1.2)]
    return rows


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        ram = f"{pages / 2**30:.0f} GiB RAM"
    except (OSError, ValueError):
        ram = "unknown RAM"
    return (f"{os.cpu_count()} CPUs ({len(os.sched_getaffinity(0))} usable), {cpu}, {ram}, "
            f"Python {platform.python_version()}")


def table(rows: list[Row]) -> str:
    header = ("measure", "kg", "baseline", "ratio", "target", "met")
    cells = [header, *[(r.measure, r.kg, r.baseline, f"{r.ratio:.2f}", r.target,
                        "yes" if r.is_met else "no") for r in rows]]
    lines = ["| " + " | ".join(row) + " |" for row in cells]
    lines.insert(1, "|" + "|".join("---" for _ in header) + "|")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a few minutes")
    parser.add_argument("--only", help="comma-separated rows: extract, jobs, dask, resolve, "
                                       "incremental, queries, rss")
    parser.add_argument("--huge", action="store_true",
                        help=f"only RSS and time per article at {', '.join(map(str, HUGE))} "
                             f"articles")
    parser.add_argument("--corpora", type=Path,
                        help="keep the RSS rows' generated corpora here, and reuse them")
    parser.add_argument("--jobs", type=int, default=1,
                        help="extraction processes of the RSS rows' builds")
    arguments = parser.parse_args()
    sizes = QUICK if arguments.quick else FULL
    wanted = set(arguments.only.split(",")) if arguments.only else {
        "extract", "jobs", "dask", "resolve", "incremental", "queries", "rss"}
    rows = []
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as temporary:
        work = Path(temporary)
        corpora = arguments.corpora or work
        corpora.mkdir(parents=True, exist_ok=True)

        def add(row: Row) -> None:
            rows.append(row)
            print(table([row]).splitlines()[-1], file=sys.stderr)  # progress

        if arguments.huge:
            for row in bench_rss(corpora, work, HUGE, arguments.jobs):
                add(row)
            wanted = set()
        if wanted & {"extract", "jobs", "dask", "resolve", "queries"}:
            corpus = generate(work / "corpus", max(sizes["extract"], sizes["jobs"],
                                                   sizes["dask"], sizes["build"], RESOLVE_BATCH))
        if "extract" in wanted:
            add(bench_extract(corpus, sizes["extract"]))
        if "jobs" in wanted:
            add(bench_jobs(corpus, sizes["jobs"]))
        if "dask" in wanted:
            add(bench_dask(corpus, sizes["dask"], work))
        if "resolve" in wanted:
            batch = resolution_batch(corpus)
            for known in (2655, sizes["names"]):
                add(bench_resolve(batch, known))
        if "incremental" in wanted:
            build_corpus = generate(work / "corpus-build", sizes["build"], seed=11)
            incremental, built = bench_incremental(build_corpus, work)
            add(incremental)
            add(bench_load(built, work))
        if "queries" in wanted:
            add(bench_queries(corpus, sizes["query"], work))
        if "rss" in wanted:
            for row in bench_rss(corpora, work, sizes["rss"], arguments.jobs):
                add(row)
    print(f"machine: {machine()}")
    print(f"sizes: {'huge' if arguments.huge else 'quick' if arguments.quick else 'full'} "
          f"{HUGE if arguments.huge else sizes}")
    print(table(rows))


if __name__ == "__main__":
    main()
