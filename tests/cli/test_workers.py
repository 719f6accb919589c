"""workers: forked processes over pipes — answers in order, a death seen as such, no stray pipe ends."""

from __future__ import annotations

import os
import signal

import pytest

from kyoyaku_pdf.cli.workers import Worker, WorkerGone, ready
from kyoyaku_pdf.errors import ExitStatus


def _square(n: int) -> int:
    return n * n


def _pipes_held(_: object = None) -> set[str]:
    """The pipes this process holds an end of ("pipe:[inode]": the pipe, not the end)."""
    held = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            held.add(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:  # the listing's own descriptor, closed since
            pass
    return {link for link in held if link.startswith("pipe:")}


def _pipe(fd: int) -> str:
    return os.readlink(f"/proc/self/fd/{fd}")


def _dies(how: str) -> None:
    if how == "exit":
        os._exit(3)
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_worker_answers_each_request_and_leaves_when_told() -> None:
    worker = Worker(_square)
    for n in (2, 3, 10**30):  # an answer larger than one pipe write is fine too
        worker.send(n)
        assert ready([worker]) == [worker]
        assert worker.receive() == n * n
    worker.leave()
    assert worker.stop(grace=5.0) == ExitStatus.OK


def test_an_exception_in_a_worker_ends_it_as_a_bug_never_running_the_parents_code() -> None:
    worker = Worker(_square)
    worker.send(list(range(200_000)))  # a request larger than the pipe's buffer, and no number
    with pytest.raises(WorkerGone):
        worker.receive()
    assert worker.stop(grace=5.0) == ExitStatus.INTERNAL_ERROR


@pytest.mark.parametrize(("how", "exitcode"), [("exit", 3), ("kill", -signal.SIGKILL)])
def test_a_worker_that_dies_reads_as_gone_with_how_it_ended(how: str, exitcode: int) -> None:
    worker = Worker(_dies)
    worker.send(how)
    with pytest.raises(WorkerGone):
        worker.receive()
    assert worker.stop(grace=5.0) == exitcode
    with pytest.raises(WorkerGone):
        worker.send(how)


def test_a_large_answer_crosses_whole() -> None:
    worker = Worker(lambda n: bytes(range(256)) * n)
    worker.send(5000)  # 1.28 MB: many pipe buffers
    assert worker.receive() == bytes(range(256)) * 5000
    worker.leave()
    assert worker.stop(grace=5.0) == ExitStatus.OK


def test_a_worker_holds_no_pipe_end_of_the_workers_before_it() -> None:
    """Otherwise a dead first worker's result pipe would still have a writer (the second), and the
    parent would wait for its answer for ever."""
    first, second = Worker(_pipes_held), Worker(_pipes_held)
    second.send(0)
    assert not {_pipe(first.answers), _pipe(first._requests)} & second.receive(), "closed in the second worker"
    first.send(0)
    held = first.receive()
    assert not {_pipe(second.answers), _pipe(second._requests)} & held, "forked later: never held"
    assert {_pipe(first.answers), _pipe(first._requests)} <= held, "(its own two pipes it holds)"
    for worker in (first, second):
        worker.leave()
        assert worker.stop(grace=5.0) == ExitStatus.OK


def test_a_worker_whose_parent_closes_its_pipe_leaves() -> None:
    worker = Worker(_square)
    os.dup2(os.open(os.devnull, os.O_WRONLY), worker._requests)  # the pipe's only writer is gone
    with pytest.raises(WorkerGone):
        worker.receive()
    assert worker.stop(grace=5.0) == ExitStatus.INTERRUPTED


def test_ready_names_only_the_workers_with_an_answer() -> None:
    slow, quick = Worker(_square), Worker(_square)
    quick.send(4)
    assert ready([slow, quick]) == [quick]
    assert quick.receive() == 16
    for worker in (slow, quick):
        worker.leave()
        worker.stop()


def test_a_worker_told_to_leave_is_not_waited_for_and_reaped_later() -> None:
    worker = Worker(_square)
    worker.leave()
    worker.stop()  # returns at once, whether or not it has ended yet
    os.waitid(os.P_PID, worker.pid, os.WEXITED | os.WNOWAIT)  # it ends (a zombie until reaped)
    Worker(_square).stop(grace=0.0)  # the next worker started reaps it
    assert worker.exitcode == ExitStatus.OK
    with pytest.raises(ChildProcessError):
        os.waitpid(worker.pid, os.WNOHANG)
