"""Tests for kg.scale: worker processes, a Dask cluster and pushing shards to a SPARQL store.

These start processes, a Dask cluster and an Oxigraph server, so they are marked slow.
Timings live in bench/, never here.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import dask
import httpx
import pyoxigraph as ox
import pytest

from kg import rdf, scale
from kg.ingest import read_documents
from kg.pipeline import build, extract_documents
from kg.scale import Dask, ProcessPool, ShardWriter, load_shards, push_shards
from kg.store import Store, open_store

pytestmark = pytest.mark.slow

# written for these tests; the second and third name people by surname only, so
# cross-document resolution has work to do
ARTICLES = {
    "harbour_talks.txt": """Harbour Talks Open in Oslo

OSLO — Foreign Minister Ingrid Halvorsen of Norway met her Finnish counterpart, Mikko
Rautio, on Monday to discuss fishing rights in the Barents Sea. Ms. Halvorsen offered to
host a second round of talks in Tromso next month.

"We want an agreement before the winter," Halvorsen said.
""",
    "fishing_dispute.txt": """Finland Rejects Quota Plan

HELSINKI — Finland rejected on Wednesday a Norwegian proposal to cut fishing quotas. Rautio
told reporters that the plan would hurt coastal towns, and he accused Norway of ignoring
scientific advice.

Halvorsen said Norway would not withdraw the proposal.
""",
    "summit_called.txt": """Nordic Leaders to Meet

STOCKHOLM — Prime Minister Lars Ekdahl of Sweden invited the leaders of Norway and Finland
to a summit in Stockholm. Ekdahl said Sweden supports a compromise on the quotas.
""",
}


def write_corpus(directory: Path) -> Path:
    directory.mkdir()
    for name, text in ARTICLES.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def quads(store: Store) -> set[str]:
    return {str(quad) for quad in store.oxigraph}


def local_build(corpus: Path) -> set[str]:
    with open_store(None) as store:
        build([corpus], store)
        return quads(store)


def test_scale_process_pool_matches_one_process(tmp_path: Path) -> None:
    documents = list(read_documents([write_corpus(tmp_path / "corpus")]))
    one = list(extract_documents(documents))
    two = list(extract_documents(documents, batch_size=1, strategy=ProcessPool(2)))
    assert [e.document.id for e in two] == [e.document.id for e in one]
    assert two == one
    assert any(e.records for e in one)


def test_scale_process_pool_refuses_zero_jobs() -> None:
    with pytest.raises(ValueError, match="jobs"):
        ProcessPool(0)


def test_scale_process_pool_reports_a_missing_model() -> None:
    from kg.errors import ConfigError
    from kg.records import Document

    documents = [Document(id=name, text="Talks began.") for name in "ab"]
    with pytest.raises(ConfigError, match="no_such_model"):
        list(extract_documents(documents, batch_size=1, model="no_such_model",
                               strategy=ProcessPool(2)))


def store_quads(paths: list[Path], store_path: Path | None, **options) -> set[str]:
    with open_store(store_path) as store:
        build(paths, store, **options)
        return quads(store)


def test_scale_issue_13_every_strategy_builds_the_same_store(tmp_path: Path) -> None:
    # the example corpus, in chunks of two so that each worker gets several
    examples = Path(__file__).resolve().parents[1] / "examples"
    in_process = store_quads([examples], None, batch_size=2)
    assert store_quads([examples], None, batch_size=2, strategy=ProcessPool(2)) == in_process
    assert store_quads([examples], None, batch_size=2, strategy=Dask(jobs=2)) == in_process
    assert len(in_process) > 1000


def test_scale_dask_rebuilds_changed_documents_only(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    with open_store(tmp_path / "store") as store:
        build([corpus], store, strategy=Dask(jobs=1))
        changed = corpus / "summit_called.txt"
        changed.write_text(changed.read_text().replace("Stockholm.", "Uppsala."))
        summary = build([corpus], store, strategy=Dask(jobs=1))
        rebuilt = quads(store)
    assert (summary.stored, summary.unchanged) == (1, 2)
    assert rebuilt == local_build(corpus)


def test_scale_local_cluster_workers_keep_glibc_trimming_and_no_profiler(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from dask.distributed import Client

    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    cluster = scale._local_cluster(1)
    try:
        with Client(cluster) as client:
            trim = client.submit(os.environ.get, "MALLOC_TRIM_THRESHOLD_", "unset",
                                 pure=False).result()
            profiling = client.run(lambda: dask.config.get("distributed.worker.profile.enabled"))
    finally:
        cluster.close()
    assert trim == "unset"
    assert list(profiling.values()) == [False]


def test_scale_shard_writer_shards_load_into_the_same_store(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    writer = ShardWriter(tmp_path / "shards")
    build([corpus], writer, write_batch=2)
    assert len(writer.shards) == 2 and all(shard.is_file() for shard in writer.shards)
    with open_store(None) as store:
        load_shards(writer.shards, store)
        assert quads(store) == local_build(corpus)


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("mode", ["dataset", "graph"])
def test_scale_push_shards_to_oxigraph_server(tmp_path: Path, mode: str) -> None:
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("no oxigraph server binary (pip install oxigraph)")
    corpus = write_corpus(tmp_path / "corpus")
    writer = ShardWriter(tmp_path / "shards")
    build([corpus], writer, write_batch=2)
    shards = writer.shards
    port = free_port()
    server = subprocess.Popen([binary, "serve", "--location", str(tmp_path / "remote"),
                               "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(base + "/", timeout=1.0)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("oxigraph server did not start")
        push_shards(shards, base + "/store", mode=mode)
        push_shards(shards, base + "/store", mode=mode)  # a second push changes nothing
        dump = httpx.get(base + "/store", headers={"Accept": "application/n-quads"})
        dump.raise_for_status()
    finally:
        server.terminate()
        server.wait(timeout=10)
    remote = {str(quad) for quad in ox.parse(dump.content, format=ox.RdfFormat.N_QUADS)}
    # the per-actor summaries are the local store's own (kg.store); a remote store gets
    # the documents and the entity descriptions
    summaries = (str(rdf.KG.documentCount), str(rdf.KG.mentionCount))
    assert remote == {quad for quad in local_build(corpus)
                      if not any(f"<{term}>" in quad for term in summaries)}


def test_scale_worker_keeps_failed_documents_in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.scale
    from kg.errors import KgError
    from kg.records import Document, Extraction
    from kg.scale import extract_chunk

    real = kg.scale.extract_records

    def flaky(doc, document, lexicon):
        if document.id == "b":
            raise RuntimeError("boom")
        return real(doc, document, lexicon)

    monkeypatch.setattr(kg.scale, "extract_records", flaky)
    documents = [Document(id=name, text=f"President {name.upper()} Smith visited Paris.")
                 for name in "abc"]
    outcomes = extract_chunk(documents, None, 2)
    assert [type(outcome) for outcome in outcomes] == [Extraction, KgError, Extraction]
    assert [outcomes[0].document.id, outcomes[2].document.id] == ["a", "c"]
    assert "boom" in str(outcomes[1])
