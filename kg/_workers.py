"""Query worker processes for ``kg serve``: limits that hold because a process can be killed.

Oxigraph cannot interrupt a running query, and a Python thread cannot be stopped, so a
query that overruns its time in a thread keeps a core busy and its memory growing after
the client got its 503 (issue #12). Here each query runs in a worker process that the
server kills at the deadline, or as soon as its resident memory passes the limit, and
then replaces; the operating system takes the CPU and memory back at once.

Unless federation is allowed, each worker also cuts itself off the network before it
opens the store (a new, empty Linux network namespace), so no query, however its
``SERVICE`` is spelt, can make the server fetch from another host. Where that cannot be
done the server says so at start-up and refuses every query in which ``SERVICE`` occurs
at all.

    start_workers ──▶ _Worker × N  ──spawn──▶ _work(): isolate, open the store, then
                      answer(job)                 loop: receive a job, answer it, send back
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import multiprocessing
import os
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_START_TIMEOUT = 60.0  # seconds a new worker may take to import kg and open the store
_WATCH_INTERVAL = 0.05  # seconds between looks at a running query's memory


class WorkerError(Exception):
    """A query worker could not start, or died, or was killed for overrunning a limit."""

    def __init__(self, message: str, *, is_limit: bool = False) -> None:
        super().__init__(message)
        self.is_limit = is_limit


def isolate_network() -> bool:
    """Move this process into a new network namespace with no interfaces up.

    Must run before the process starts a thread (the kernel refuses ``unshare`` with a
    new user namespace in a multi-threaded process). Returns whether it worked.
    """
    if not hasattr(os, "sched_getaffinity"):  # not Linux
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    # privileged (root with CAP_SYS_ADMIN) a network namespace alone will do; otherwise
    # an unprivileged user namespace brings the right to make one
    for flags in (_CLONE_NEWNET, _CLONE_NEWUSER | _CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return True
    return False


def _work(connection: Connection, source: str | bytes, refresh: float,
          is_isolated_wanted: bool) -> None:
    """A worker process's body: isolate, open the store, answer jobs until told to stop."""
    is_isolated = isolate_network() if is_isolated_wanted else False
    from kg.serve import _answer_in_worker, _Snapshots  # after isolation: imports start threads
    from kg.store import open_store

    try:
        if isinstance(source, bytes):  # an in-memory store, handed over as N-Quads
            import pyoxigraph as ox

            store = open_store(None)
            store.oxigraph.load(source, format=ox.RdfFormat.N_QUADS)
            snapshots = _Snapshots(store, refresh)
        else:
            snapshots = _Snapshots(Path(source), refresh)
    except Exception as error:  # noqa: BLE001 - reported to the parent, which raises it
        connection.send(("failed", f"{type(error).__name__}: {error}"))
        return
    try:
        connection.send(("ready", is_isolated))
    except OSError:  # the server gave up waiting, or is gone
        return
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        connection.send(_answer_in_worker(snapshots.current(), job))


def _resident_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0


class _Worker:
    """One worker process and the pipe to it; used by one request at a time."""

    def __init__(self, source: str | bytes, refresh: float, isolate: bool) -> None:
        self._arguments = (source, refresh, isolate)
        self.process: Any = None
        self.connection: Connection | None = None
        self.is_isolated = False

    def start(self) -> None:
        context = multiprocessing.get_context("spawn")  # fork would copy the server's threads
        parent, child = context.Pipe()
        process = context.Process(target=_work, args=(child, *self._arguments),
                                  name="kg-query-worker", daemon=True)
        process.start()
        child.close()
        if not parent.poll(_START_TIMEOUT):
            process.kill()
            raise WorkerError("a query worker did not start in time")
        try:
            status, detail = parent.recv()
        except EOFError:
            raise WorkerError("a query worker died while starting") from None
        if status != "ready":
            process.kill()
            raise WorkerError(f"a query worker could not open the store: {detail}")
        self.process, self.connection, self.is_isolated = process, parent, bool(detail)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.join(5)
            self.process = None
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    @property
    def is_alive(self) -> bool:
        return self.process is not None and self.process.is_alive()

    async def ask(self, job: tuple[Any, ...], timeout: float, max_memory: int | None) -> Any:
        """Send a job and wait for its answer; kill the worker at the deadline or when its
        memory passes ``max_memory`` bytes (``WorkerError`` with ``is_limit``).

        Runs on the server's event loop and waits on the pipe and the process's sentinel
        there: a hop to a thread pool and back costs more than a small query.
        """
        if not self.is_alive:
            await asyncio.to_thread(self._restart)
        assert self.connection is not None and self.process is not None
        loop = asyncio.get_running_loop()
        ready = loop.create_future()

        def wake() -> None:
            if not ready.done():
                ready.set_result(None)

        watched = (self.connection.fileno(), self.process.sentinel)
        for descriptor in watched:
            loop.add_reader(descriptor, wake)
        overrun = None
        try:
            self.connection.send(job)
            deadline = loop.time() + timeout
            while not ready.done() and overrun is None:
                left = deadline - loop.time()
                if left <= 0:
                    overrun = f"query timed out after {timeout:g} s"
                    break
                await asyncio.wait([ready], timeout=min(left, _WATCH_INTERVAL))
                if not ready.done() and max_memory and \
                        _resident_bytes(self.process.pid) > max_memory:
                    overrun = f"query used more than {max_memory >> 20} MiB of memory"
        finally:
            for descriptor in watched:
                loop.remove_reader(descriptor)
            if not ready.done():  # cancelled, or over a limit: its answer will never be read
                self.stop()
        if overrun is not None:
            raise WorkerError(overrun, is_limit=True)
        if self.connection.poll():
            try:
                return self.connection.recv()
            except (EOFError, OSError):
                pass  # it died while answering: reported below
        self.process.join(1)
        code = self.process.exitcode
        self.stop()
        raise WorkerError(f"the query worker died (exit status {code})")

    def _restart(self) -> None:
        self.stop()
        self.start()


class WorkerPool:
    """``size`` query workers; ``acquire``/``release`` hand them to one request at a time."""

    def __init__(self, source: str | bytes, *, size: int, refresh: float, isolate: bool) -> None:
        if size < 1:
            raise ValueError(f"the pool needs at least one worker, not {size}")
        self._workers = [_Worker(source, refresh, isolate) for _ in range(size)]
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._started = False
        self.is_isolated = False

    def start(self) -> None:
        """Start every worker (at most once); raise ``WorkerError`` if one cannot."""
        with self._lock:
            if self._started:
                return
            starters = [threading.Thread(target=_capture(worker.start), daemon=True)
                        for worker in self._workers]
            for thread in starters:
                thread.start()
            for thread in starters:
                thread.join()
            errors = [worker for worker in self._workers if worker.process is None]
            if errors:
                for worker in self._workers:
                    worker.stop()
                errors[0].start()  # raises the reason again, in this thread
            self.is_isolated = all(worker.is_isolated for worker in self._workers)
            self._idle = list(self._workers)
            self._started = True

    @property
    def is_started(self) -> bool:
        return self._started

    def acquire(self) -> _Worker | None:
        """An idle worker, or None when all are busy."""
        with self._lock:
            return self._idle.pop() if self._idle else None

    def release(self, worker: _Worker) -> None:
        with self._lock:
            self._idle.append(worker)

    def close(self) -> None:
        with self._lock:
            for worker in self._workers:
                if worker.connection is not None:
                    try:
                        worker.connection.send(None)
                    except OSError:
                        pass
                worker.stop()
            self._idle = []
            self._started = False


def _capture(start: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        try:
            start()
        except WorkerError as error:
            logger.debug("%s", error)
    return run
