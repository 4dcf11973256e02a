"""Time the shipped queries and `kg validate` on stores of 1,000 and 10,000 articles.

Builds (or reuses) the stores from a corpus generated from `examples/` (`bench/corpus.py`),
then, for each store and each shipped query, prints the time of `kg.query.run_query` beside
the time of the same SPARQL text (as `kg.query` renders it, default parameters) run directly
on `pyoxigraph.Store.query`, and the time of `kg.validate.validate_store`. The stores are
cached under `--stores` and reused by later runs: building the 10k store takes a quarter of
an hour of CPU.

Usage:
    python bench/scale.py --stores /work/bench-stores            # build once, then measure
    python bench/scale.py --stores DIR --sizes 1000 --build-only  # just the stores
"""

from __future__ import annotations

import argparse
import logging
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate

from kg import rdf
from kg.errors import KgError, QueryError
from kg.pipeline import build
from kg.query import list_queries, render_query, run_query
from kg.store import Store, open_store
from kg.validate import Violation, validate_store

SIZES = (1000, 10000)
REPEATS = 5
TIMEOUT = 120.0  # seconds: a slower query is reported as such and not repeated
TARGET = 1.0  # seconds per shipped query on the largest store
VALIDATE_BATCH = 64  # documents: one write batch of kg build

logger = logging.getLogger("bench.scale")


def size_name(count: int) -> str:
    return f"{count // 1000}k" if count % 1000 == 0 else str(count)


def corpus_dir(stores: Path, count: int) -> Path:
    """The generated corpus (seed 7), at least ``count`` articles, made once."""
    path = stores / "queries-corpus"
    have = len(list(path.glob("article-*.txt"))) if path.is_dir() else 0
    if have < count:
        generate(path, count)
    return path


def store_dir(stores: Path, count: int, all_sizes: tuple[int, ...], jobs: int = 1) -> Path:
    """The store of the first ``count`` articles, built unless a finished one is there.

    A larger store starts as a copy of the next smaller one and adds the rest, which is
    what an incremental ``kg build`` does and saves extracting the first articles twice.
    """
    path = stores / f"queries-{size_name(count)}"
    done = path / "BUILT"
    if done.is_file():
        return path
    corpus = corpus_dir(stores, max(all_sizes))
    files = sorted(corpus.glob("article-*.txt"))[:count]
    smaller = [size for size in all_sizes if size < count]
    if smaller and not path.exists():
        seed = store_dir(stores, max(smaller), all_sizes, jobs)
        shutil.copytree(seed, path, ignore=shutil.ignore_patterns("BUILT", "LOCK"))
    started = time.perf_counter()

    def skipped(error: KgError) -> None:
        logger.warning("skipped: %s", error)

    with open_store(path) as store:
        summary = build(files, store, on_error=skipped, jobs=jobs)
    logger.warning("%s: %s", path, summary)
    done.write_text(f"{count} articles, built in {time.perf_counter() - started:.0f} s\n")
    return path


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def median_time(work: Callable[[], object]) -> float:
    first = timed(work)  # also warms the block cache
    if first > TARGET * 5:
        return first
    return statistics.median(timed(work) for _ in range(REPEATS))


def ensure_summaries(path: Path) -> str | None:
    """Give a store built before kg kept summaries its summaries; say how long it took."""
    with open_store(path) as store:
        if store.select("SELECT ?n WHERE { GRAPH kgg:entities { ?a kg:documentCount ?n } } "
                        "LIMIT 1"):
            return None
        return f"{timed(store.refresh_summaries):.1f} s"


def top(store: Store, sparql: str) -> str:
    return store.select(sparql)[0]["x"]


def cases(store: Store) -> list[tuple[str, str, dict[str, str]]]:
    """(label, query, parameters): every shipped query as it ships, then with parameters
    that pick the most mentioned actor, the most frequent holder and issue pair and the
    most frequent role (about the largest answers the store has)."""
    actor = top(store, "SELECT ?x WHERE { GRAPH kgg:entities { ?x kg:mentionCount ?m } } "
                       "ORDER BY DESC(?m) LIMIT 1")
    [stance] = store.select("SELECT ?holder ?issue (COUNT(*) AS ?n) WHERE { GRAPH ?g { "
                            "?p kg:holder ?holder ; kg:issue ?issue } } GROUP BY ?holder ?issue "
                            "ORDER BY DESC(?n) LIMIT 1")
    holder, issue = stance["holder"], stance["issue"]
    role = top(store, "SELECT ?x (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?p kg:role ?x } } "
                      "GROUP BY ?x ORDER BY DESC(?n) LIMIT 1")
    rows = [(name, name, {}) for name in list_queries()]
    short = {value: value.rsplit("/", 1)[1] for value in (actor, holder, issue, role)}
    for name, parameters in (
            ("who-did-what", {"actor": actor, "event": "accuse"}),
            ("who-did-what", {"start": "2008-08-01", "end": "2008-08-31"}),
            ("offers", {"actor": actor}),
            ("quotes", {"actor": actor}),
            ("positions-over-time", {"actor": holder, "issue": issue}),
            ("roles", {"role": role}),
            ("actors", {"type": "Country"})):
        options = {"start": "from", "end": "to"}
        shown = " ".join(f"--{options.get(key, key)} {short.get(value, value)}"
                         for key, value in parameters.items())
        rows.append((f"{name} {shown}", name, parameters))
    return rows


def measure(path: Path, *, with_pyshacl: bool = True) -> list[tuple[str, str, str, str]]:
    """(measure, kg, pyoxigraph, rows) for the shipped queries and validate on one store."""
    rows = []
    refreshed = ensure_summaries(path)
    with open_store(path, read_only=True) as store:
        for label, name, parameters in cases(store):
            sparql = render_query(name, **parameters)

            def direct(sparql: str = sparql) -> None:
                list(store.oxigraph.query(sparql, use_default_graph_as_union=True,
                                          prefixes=rdf.PREFIXES))

            def through_kg(name: str = name, parameters: dict[str, str] = parameters) -> None:
                run_query(store, name, timeout=TIMEOUT, **parameters)

            try:
                kg_seconds = median_time(through_kg)
            except QueryError as error:
                rows.append((f"`kg query {label}`", str(error), "", ""))
                continue
            answer = run_query(store, name, timeout=TIMEOUT, **parameters)
            ox_seconds = median_time(direct)
            rows.append((f"`kg query {label}`", f"{kg_seconds * 1000:.0f} ms",
                         f"{ox_seconds * 1000:.0f} ms", str(len(answer.rows))))
        documents = store.documents()
        found: list[Violation] = []
        seconds = timed(lambda: found.extend(validate_store(store)))
        rows.append(("`kg validate` (SPARQL engine)", f"{seconds:.1f} s", "",
                     f"{len(found)} violations"))
        batch = documents[:VALIDATE_BATCH]
        native = timed(lambda: validate_store(store, documents=batch))
        reference = (f"{timed(lambda: validate_store(store, documents=batch, engine='pyshacl')):.1f}"
                     " s (pyshacl)" if with_pyshacl else "")
        rows.append((f"`kg validate --document` x {len(batch)} (+ entities graph)",
                     f"{native:.1f} s", reference, ""))
        if refreshed is not None:
            rows.append(("`Store.refresh_summaries()`, whole store", refreshed, "", ""))
        rows.append(("quads", f"{len(store.oxigraph):,}", "", ""))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stores", type=Path, required=True,
                        help="where the corpus and the stores are kept and reused")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--jobs", type=int, default=1, help="extraction processes (kg build)")
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s")
    sizes = tuple(sorted(arguments.sizes))
    arguments.stores.mkdir(parents=True, exist_ok=True)
    paths = {count: store_dir(arguments.stores, count, sizes, arguments.jobs) for count in sizes}
    if arguments.build_only:
        return
    # pyshacl, the reference, on the smallest store only: it takes minutes
    results = {count: measure(path, with_pyshacl=count == sizes[0])
               for count, path in paths.items()}
    header = ["measure"] + [f"{label}, {size_name(count)}" for count in sizes
                            for label in ("kg", "pyoxigraph", "rows")]
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    labels = dict.fromkeys(row[0] for count in sizes for row in results[count])
    for label in labels:
        cells = [label]
        for count in sizes:
            row = next((row for row in results[count] if row[0] == label), (label, "", "", ""))
            cells += list(row[1:])
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
