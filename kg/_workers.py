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
import pickle
import struct
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
        store = snapshots.current()
        # the snapshot's stamp goes with the answer: the server caches it for that snapshot
        outcome = _frame(pickle.dumps((*_answer_in_worker(store, job), snapshots.stamp),
                                      _PROTOCOL))
        # in one write, header and all: Connection.send writes a long answer's header
        # first, which wakes the server for four bytes
        view = memoryview(outcome)
        while view:
            view = view[os.write(connection.fileno(), view):]


_PROTOCOL = pickle.HIGHEST_PROTOCOL
# multiprocessing.Connection's frame: a signed 4-byte length; -1 then 8 bytes when larger
_LENGTH = struct.Struct("!i")
_LONG_LENGTH = struct.Struct("!Q")


def _frame(payload: bytes) -> bytes:
    """A message as ``Connection.recv_bytes`` in the worker reads it."""
    if len(payload) > 0x7FFFFFFF:
        return _LENGTH.pack(-1) + _LONG_LENGTH.pack(len(payload)) + payload
    return _LENGTH.pack(len(payload)) + payload


async def _send(loop: asyncio.AbstractEventLoop, descriptor: int, data: bytes) -> None:
    """Write all of ``data`` to a non-blocking pipe, waiting on the loop when it is full."""
    view = memoryview(data)
    while view:
        try:
            view = view[os.write(descriptor, view):]
        except BlockingIOError:
            writable = loop.create_future()
            loop.add_writer(descriptor, lambda: writable.done() or writable.set_result(None))
            try:
                await writable
            finally:
                loop.remove_writer(descriptor)


class _Reply:
    """One answer read from a worker's non-blocking pipe as its bytes arrive: ``future``
    gets the payload of the frame (``_frame``), or None if the worker died first."""

    def __init__(self, loop: asyncio.AbstractEventLoop, descriptor: int) -> None:
        self.future: asyncio.Future[bytes | None] = loop.create_future()
        self.descriptor = descriptor
        self.is_answered = False
        self._buffer = bytearray()

    def done(self) -> bool:
        return self.future.done()

    def fail(self, error: Exception) -> None:
        if not self.future.done():
            self.future.set_exception(error)

    def read(self) -> None:
        if self.future.done():
            return
        while True:
            try:
                chunk = os.read(self.descriptor, 1 << 18)
            except BlockingIOError:
                break
            except OSError:
                chunk = b""
            if not chunk:  # the worker closed its end: it is gone
                self.future.set_result(None)
                return
            self._buffer += chunk
            if len(chunk) < 1 << 18:
                break
        buffer = self._buffer
        if len(buffer) < _LENGTH.size:
            return
        size, = _LENGTH.unpack_from(buffer)
        start = _LENGTH.size
        if size == -1:
            if len(buffer) < start + _LONG_LENGTH.size:
                return
            size, = _LONG_LENGTH.unpack_from(buffer, start)
            start += _LONG_LENGTH.size
        if len(buffer) >= start + size:
            self.is_answered = True
            self.future.set_result(bytes(buffer[start:start + size]))

    def died(self) -> None:
        """The worker's process ended; an answer it wrote whole before is still taken."""
        self.read()
        if not self.future.done():
            self.future.set_result(None)


class _MemoryWatch:
    """Every ``_WATCH_INTERVAL`` s while queries run, one look at the memory of each worker
    running one, failing its reply when it is over its limit."""

    def __init__(self) -> None:
        self._running: dict[_Reply, tuple[int, int]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._timer: asyncio.TimerHandle | None = None

    def add(self, loop: asyncio.AbstractEventLoop, reply: _Reply, pid: int,
            max_memory: int) -> None:
        self._running[reply] = (pid, max_memory)
        if self._timer is None or self._loop is not loop:
            self._loop = loop
            self._timer = loop.call_later(_WATCH_INTERVAL, self._look)

    def discard(self, reply: _Reply) -> None:
        self._running.pop(reply, None)

    def _look(self) -> None:
        self._timer = None
        for reply, (pid, max_memory) in list(self._running.items()):
            if _resident_bytes(pid) > max_memory:
                del self._running[reply]
                reply.fail(WorkerError(f"query used more than {max_memory >> 20} MiB of memory",
                                       is_limit=True))
        if self._running and self._loop is not None and not self._loop.is_closed():
            self._timer = self._loop.call_later(_WATCH_INTERVAL, self._look)


def _resident_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0


class _Worker:
    """One worker process and the pipe to it; used by one request at a time."""

    def __init__(self, source: str | bytes, refresh: float, isolate: bool,
                 watch: _MemoryWatch | None = None) -> None:
        self._arguments = (source, refresh, isolate)
        self._watch = watch or _MemoryWatch()
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
        # answers are read on the server's event loop as they arrive (see ask)
        os.set_blocking(parent.fileno(), False)
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

        Runs on the server's event loop: the answer is read from the pipe, which is
        non-blocking, as its bytes arrive. A timer at the deadline fires only if the query
        overruns it; the memory is looked at by one ``_MemoryWatch`` for every running
        query. A hop to a thread pool and back, or a timer per query and tick, costs more
        than a small query: each wakes the server, whose caches are cold by then.
        """
        if not self.is_alive:
            await asyncio.to_thread(self._restart)
        assert self.connection is not None and self.process is not None
        loop = asyncio.get_running_loop()
        reply = _Reply(loop, self.connection.fileno())
        process = self.process
        loop.add_reader(reply.descriptor, reply.read)
        loop.add_reader(process.sentinel, reply.died)
        overrun = loop.call_later(timeout, reply.fail,
                                  WorkerError(f"query timed out after {timeout:g} s",
                                              is_limit=True))
        if max_memory:
            self._watch.add(loop, reply, process.pid, max_memory)
        try:
            try:
                await _send(loop, reply.descriptor, _frame(pickle.dumps(job, _PROTOCOL)))
            except OSError:  # the worker is gone: reported below
                reply.died()
            payload = await reply.future
        finally:
            overrun.cancel()
            self._watch.discard(reply)
            loop.remove_reader(reply.descriptor)
            loop.remove_reader(process.sentinel)
            if not reply.is_answered:
                # cancelled, over a limit or dead: its answer, if any, will never be read
                self.stop()
        if payload is None:
            process.join(1)
            raise WorkerError(f"the query worker died (exit status {process.exitcode})")
        return pickle.loads(payload)

    def _restart(self) -> None:
        self.stop()
        self.start()


class WorkerPool:
    """``size`` query workers; ``acquire``/``release`` hand them to one request at a time."""

    def __init__(self, source: str | bytes, *, size: int, refresh: float, isolate: bool) -> None:
        if size < 1:
            raise ValueError(f"the pool needs at least one worker, not {size}")
        watch = _MemoryWatch()
        self._workers = [_Worker(source, refresh, isolate, watch) for _ in range(size)]
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
