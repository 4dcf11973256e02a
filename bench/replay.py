"""The building process of a 100,000-article build, with extraction replayed.

A real 100,000-article build is about three hours of spaCy parsing on a two-core machine
(``bench/run.py --huge``). Parsing is per article and keeps no state, so what can grow with
the corpus is the building process: reading and the near-duplicate check, cross-document
resolution, mapping to RDF, the store and its actor summaries. This runs exactly that,
``kg.pipeline.build`` over a generated corpus of ``--count`` distinct articles, with a
strategy that, instead of parsing article n, hands back the real extraction of article
n mod ``--pool`` (extracted once by the process pool before the clock starts, and kept in
``--corpora``), filed under article n's own document. The first ``--pool`` articles get
their own extractions; every later one gets the records kg extracted from an article of the
same corpus, so every document graph is as large as a real one and the actor names repeat
as they do across that corpus.

The build runs in a fresh interpreter, which loads no model; every ``--every`` articles
(5,000) it prints the time, the rate of the last 5,000, the CPU time of all its threads and
the bytes it had written to disk per article over them (RocksDB's compactions are most of
both), its RSS now and its peak (VmHWM), and the store's size on disk.

Usage:
    python bench/replay.py --corpora DIR                      # 100,000 articles, pool 2,000
    python bench/replay.py --corpora DIR --count 20000 --pool 500
"""

from __future__ import annotations

import argparse
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import PEAK_RSS, rss_corpus

from kg.ingest import read_documents
from kg.pipeline import extract_documents
from kg.scale import ProcessPool


# argv: corpus, store, pool pickle; prints its seconds, peak RSS (KiB) and articles stored
REPLAY_CHILD = PEAK_RSS + """
import pickle, sys, time
from dataclasses import replace
from pathlib import Path
from kg.pipeline import build
from kg.records import Extraction
from kg.store import open_store

SAMPLE_EVERY = int(sys.argv[4])
pool = pickle.loads(Path(sys.argv[3]).read_bytes())


class Replay:
    # extraction n is pool[n % len(pool)], filed under document n
    def extract(self, chunks, *, model, batch_size):
        n = 0
        for chunk in chunks:
            outcomes = []
            for document in chunk:
                source = pool[n % len(pool)]
                assert n >= len(pool) or source.document.id == document.id, (n, document.id)
                records = tuple(replace(record, doc=document.id) if hasattr(record, 'doc')
                                else record for record in source.records)
                outcomes.append(Extraction(document=document, records=records))
                n += 1
            yield outcomes


def size(path):
    return sum(p.stat().st_size for p in Path(path).rglob('*') if p.is_file())


def written():
    # bytes this process has had written to disk, RocksDB's compactions included; None
    # where the system does not say (no /proc/self/io)
    try:
        for line in Path('/proc/self/io').read_text().splitlines():
            if line.startswith('write_bytes:'):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)  # every thread: RocksDB's too
    return usage.ru_utime + usage.ru_stime


started = last = time.perf_counter()
last_cpu, last_written = cpu(), written()

def sample(progress):
    global last, last_cpu, last_written
    if progress.done and progress.done % SAMPLE_EVERY == 0:
        now, cpu_now, written_now = time.perf_counter(), cpu(), written()
        disk = ('' if written_now is None or last_written is None else
                f' and {(written_now - last_written) / SAMPLE_EVERY / 2**20:.2f} MiB written')
        print(f'  {progress.done} articles, {now - started:.0f} s, '
              f'{SAMPLE_EVERY / (now - last):.1f} articles/s since the last, '
              f'CPU {(cpu_now - last_cpu) / SAMPLE_EVERY * 1000:.1f} ms{disk} an article, '
              f'RSS {(status(field="VmRSS") or 0) // 1024} MiB, peak {peak_kib() // 1024} MiB, '
              f'store {size(sys.argv[2]) / 2**30:.2f} GiB', file=sys.stderr, flush=True)
        last, last_cpu, last_written = now, cpu_now, written_now

with open_store(sys.argv[2]) as store:
    summary = build([sys.argv[1]], store, strategy=Replay(), progress=sample)
print(time.perf_counter() - started)
print(peak_kib())
print(summary.stored)
"""


def extract_pool(corpus: Path, count: int, jobs: int, out: Path) -> Path:
    """The extractions of the corpus's first ``count`` articles, pickled to ``out``
    (reused when there)."""
    if out.is_file():
        return out
    documents = iter(read_documents([corpus]))
    first = [document for _, document in zip(range(count), documents)]
    extractions = list(extract_documents(first, strategy=ProcessPool(jobs)))
    out.write_bytes(pickle.dumps(extractions, protocol=pickle.HIGHEST_PROTOCOL))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, required=True,
                        help="where the generated corpus and the pool are kept, and reused")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--pool", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=2, help="processes extracting the pool")
    parser.add_argument("--every", type=int, default=5000, help="articles between reports")
    parser.add_argument("--store", type=Path, help="the store built (default: in --corpora, "
                        "deleted at the end)")
    args = parser.parse_args()
    corpus = rss_corpus(args.corpora, args.count)
    started = time.perf_counter()
    pool = extract_pool(corpus, args.pool, args.jobs,
                        args.corpora / f"pool-{args.count}-{args.pool}.pickle")
    print(f"pool of {args.pool} extractions ready ({time.perf_counter() - started:.0f} s)",
          file=sys.stderr, flush=True)
    store = args.store or args.corpora / f"store-replay-{args.count}"
    shutil.rmtree(store, ignore_errors=True)
    result = subprocess.run([sys.executable, "-c", REPLAY_CHILD, str(corpus), str(store),
                             str(pool), str(args.every)],
                            check=True, stdout=subprocess.PIPE, text=True)
    seconds, peak, stored = result.stdout.split()[-3:]
    print(f"| replayed build of {int(stored):,} articles | {float(seconds):,.0f} s | "
          f"{float(seconds) / int(stored) * 1000:.1f} ms an article | peak RSS "
          f"{int(peak) // 1024} MiB |")
    if args.store is None:
        shutil.rmtree(store)


if __name__ == "__main__":
    main()
