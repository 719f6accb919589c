"""Forked worker processes, each serving one request after another over a pair of pipes.

Why not ``multiprocessing``: importing it costs a batch ~7 ms (socket, selectors, subprocess…),
starting its processes and joining them a few more, all of it on the one core the batch is waiting
on while the other is idle (~3 % of what a second worker saves on the 23-partner batch). What a
batch needs is small: ``os.fork``, two pipes a worker, messages with their length in front (requests
by ``marshal``, answers pickled), and ``select`` on the answer pipes. A worker's end of its answer
pipe closes when it dies, however it dies, which the parent reads as end of file: that request's
failure, never a hang.

Every pipe end the parent keeps for one worker is closed in every worker forked after it, so a
worker holds nothing but its own two ends: when the parent goes, each worker reads end of file and
leaves; when a worker goes, its result pipe has no other writer and the parent sees it at once.
"""

from __future__ import annotations

import gc
import marshal
import os
import select
import signal
import struct
import sys
import time
from typing import Any, Callable, NoReturn

from ..errors import ExitStatus

_LENGTH = struct.Struct("<Q")
#: the pipe ends the parent holds for its live workers: closed in every child it forks
_PARENT_ENDS: set[int] = set()
#: workers told to leave and not yet reaped
_ENDING: list[Worker] = []


class WorkerGone(Exception):
    """The worker ended (or its pipe broke) instead of answering."""


class Worker:
    """One forked process running ``serve(request) -> answer`` for each request it is sent."""

    def __init__(self, serve: Callable[[Any], Any]) -> None:
        _ENDING[:] = [worker for worker in _ENDING if not worker._reaped(os.WNOHANG)]
        requests_in, self._requests = os.pipe()
        self.answers, answers_out = os.pipe()
        _PARENT_ENDS.update((self._requests, self.answers))  # this child closes them too
        sys.stdout.flush(), sys.stderr.flush()  # nothing buffered may be written twice by a child
        gc.freeze()  # what the child inherits is never scanned by its collector (nor copied for it)
        try:
            pid = os.fork()
        except OSError:
            gc.unfreeze()
            _PARENT_ENDS.difference_update((self._requests, self.answers))
            for end in (requests_in, self._requests, self.answers, answers_out):
                os.close(end)
            raise
        if pid == 0:
            _child(serve, requests_in, answers_out)
        gc.unfreeze()  # the parent (a long --watch) goes on collecting as before
        os.close(requests_in), os.close(answers_out)
        self.pid = pid
        self.exitcode: int | None = None

    def send(self, request: Any) -> None:
        """Hand the worker a request — plain data (``marshal``: str, numbers, tuples…), the answer
        may be anything that pickles; WorkerGone if the worker is no longer there to read it."""
        try:
            _write(self._requests, request, plain=True)
        except OSError as exc:
            raise WorkerGone from exc

    def receive(self) -> Any:
        """The worker's answer (blocks until it comes); WorkerGone if the worker ended first."""
        try:
            return _read(self.answers)
        except (EOFError, OSError) as exc:
            raise WorkerGone from exc

    def leave(self) -> None:
        """Tell the worker there is nothing more: it leaves at once, and is reaped by ``stop``."""
        try:
            _write(self._requests, None, plain=True)
        except OSError:  # already gone
            pass

    def stop(self, grace: float | None = None) -> int | None:
        """Reap the worker and close its pipes. A busy one is given ``grace`` seconds (to clean up
        after Ctrl-C), then killed; its exit code is returned (negative: the signal that ended it),
        as ``multiprocessing`` reports one. One told to leave (no ``grace``) is not waited for: it is
        ending, and the ~3 ms the kernel takes to tear down its memory are spent while this process
        goes on; it is reaped when the next worker starts (a long ``--watch``) or by ``reap_ending``
        as this process exits (so its CPU time is this process's children's, as ``time`` says)."""
        if grace is None:
            if not self._reaped(os.WNOHANG):
                _ENDING.append(self)
        else:
            deadline = time.monotonic() + grace
            while not self._reaped(os.WNOHANG) and time.monotonic() < deadline:
                time.sleep(0.005)
            if self.exitcode is None:
                try:
                    os.kill(self.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self._reaped(0)
        for end in (self._requests, self.answers):
            if end in _PARENT_ENDS:
                _PARENT_ENDS.discard(end)
                os.close(end)
        return self.exitcode

    def _reaped(self, flags: int) -> bool:
        if self.exitcode is None:
            try:
                pid, status = os.waitpid(self.pid, flags)
            except ChildProcessError:  # reaped elsewhere: nothing more can be learnt
                pid, status = self.pid, 0
            if pid == self.pid:
                self.exitcode = os.waitstatus_to_exitcode(status)
        return self.exitcode is not None


def reap_ending() -> None:
    """Wait for the workers still ending (told to leave, they end at once): called as the process
    exits, after its output is written."""
    for worker in _ENDING:
        worker._reaped(0)
    _ENDING.clear()


def ready(workers: list[Worker]) -> list[Worker]:
    """The workers with an answer (or an end of file) waiting to be read; blocks until there is one."""
    by_end = {worker.answers: worker for worker in workers}
    readable, _, _ = select.select(list(by_end), [], [])
    return [by_end[end] for end in readable]


def _child(serve: Callable[[Any], Any], requests: int, answers: int) -> NoReturn:
    """In the worker: answer each request until told to stop or the parent goes; leave with
    os._exit whatever happens, never running the parent's code after the fork, its exit handlers
    or a flush of its buffers."""
    status = ExitStatus.INTERNAL_ERROR
    try:
        for end in _PARENT_ENDS:  # this worker's parent ends and those of the workers before it
            os.close(end)
        _PARENT_ENDS.clear()
        while (request := _read(requests, plain=True)) is not None:
            _write(answers, serve(request))
        status = ExitStatus.OK
        os.closerange(0, 3)  # whoever reads our output to its end need not wait for the teardown
    except (KeyboardInterrupt, EOFError, BrokenPipeError):  # Ctrl-C, or the parent went
        status = ExitStatus.INTERRUPTED
    finally:
        os._exit(status)


def _write(end: int, message: Any, plain: bool = False) -> None:
    """Send ``message``: pickled, or by ``marshal`` when it is ``plain`` data (a request: a path as
    a string). The parent so needs no pickle until the first answer comes — its import (~3 ms) is
    then made while the workers build, not before the first of them starts."""
    if plain:
        data = marshal.dumps(message)
    else:
        import pickle  # loaded on first use (runtime/lazy_modules.py): a batch is its first user

        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_LENGTH.pack(len(data)) + data)
    while view:
        view = view[os.write(end, view):]


def _read(end: int, plain: bool = False) -> Any:
    (length,) = _LENGTH.unpack(_read_exactly(end, _LENGTH.size))
    data = _read_exactly(end, length)
    if plain:
        return marshal.loads(data)
    import pickle

    return pickle.loads(data)


def _read_exactly(end: int, count: int) -> bytes:
    chunks, left = [], count
    while left:
        chunk = os.read(end, min(left, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
