"""The warm worker (`workers.Worker`): set up once, then every task in order in the same process, each
starting the moment the one before ends; a failure only ever costs time (the caller gets None and does
the task itself). How `PdfJobs` uses it: every PDF of a build goes to the one warm process. And `Shared`:
a list made by this process from the front and by the worker from the back, each item once."""

from __future__ import annotations

import os
import time

import pytest

from emra_site.workers import Worker

BIG = 200_000  # bytes: more than a pipe holds (`workers._PIPE_HOLDS`): it goes through a file
prepared: list[int] = []  # in the child: the pids `prepare` ran in


def prepare() -> None:
    prepared.append(os.getpid())


def slow_prepare() -> None:
    time.sleep(0.5)
    prepared.append(os.getpid())


def describe(tag: str, payload: bytes = b"") -> tuple:
    """What the child was when it ran this task: its pid, how many times it was prepared, when it started."""
    return tag, os.getpid(), list(prepared), time.monotonic(), len(payload)


def sleep_then_big(seconds: float) -> tuple:
    started = time.monotonic()
    time.sleep(seconds)
    return started, b"x" * BIG


def started_at() -> float:
    return time.monotonic()


def fail(kind: str):
    if kind == "raise":
        raise ValueError("a task that fails")
    if kind == "exit":
        os._exit(3)  # the child dies
    time.sleep(30)  # hangs


@pytest.fixture
def worker():
    made: list[Worker] = []

    def make(prepare_with=prepare, timeout: float = 600) -> Worker:
        made.append(Worker(prepare_with, timeout=timeout))
        return made[-1]

    yield make
    for w in made:
        w.cancel()


def test_every_task_runs_in_one_process_prepared_once_in_the_order_sent(worker):
    w = worker()
    jobs = [w.send(describe, tag) for tag in ("a", "b", "c")]
    results = [job.result() for job in jobs]
    assert [r[0] for r in results] == ["a", "b", "c"]
    pids = {r[1] for r in results}
    assert len(pids) == 1 and pids != {os.getpid()}  # one child, not this process
    assert results[-1][2] == [w.pid]  # prepared once, in that child, before the first task
    assert [r[3] for r in results] == sorted(r[3] for r in results)


def test_a_task_queued_behind_another_starts_when_it_ends_not_when_its_result_is_read(worker):
    """The first result is larger than a pipe holds: the child must not wait for this process to read it."""
    w = worker()
    first, second = w.send(sleep_then_big, 0.3), w.send(started_at)
    time.sleep(1.5)  # this process is busy elsewhere and reads nothing meanwhile
    read_at = time.monotonic()
    started, payload = first.result()
    assert payload == b"x" * BIG
    assert started + 0.25 < second.result() < read_at - 0.9  # began when the first ended, long before read_at


def test_sending_a_large_task_never_waits_for_the_child_to_get_ready(worker, tmp_path):
    w = worker(slow_prepare)
    start = time.monotonic()
    job = w.send(describe, "grande", b"y" * BIG)
    assert time.monotonic() - start < 0.3  # the child reads only after its 0.5 s set-up
    assert len(os.listdir(w.folder)) == 1  # meanwhile the task waits in a file of the worker's own folder
    assert job.result()[4] == BIG
    folder = w.folder
    w.cancel()
    assert folder is not None and not os.path.exists(folder)  # no message file left behind


def test_a_task_that_raises_gives_none_and_the_next_task_runs_in_the_same_process(worker):
    w = worker()
    before, failed, after = w.send(describe, "antes"), w.send(fail, "raise"), w.send(describe, "después")
    assert failed.result() is None
    assert before.result()[1] == after.result()[1]
    assert w.alive


def test_a_child_that_dies_gives_none_for_its_task_and_every_later_one(worker):
    w = worker()
    dead, later = w.send(fail, "exit"), w.send(describe, "después")
    deadline = time.monotonic() + 10
    while not dead.ready() and time.monotonic() < deadline:  # a death is news: `PdfJobs` collects it
        time.sleep(0.05)
    assert dead.ready() and dead.result() is None
    assert later.result() is None
    assert not w.alive
    assert w.send(describe, "otra").result() is None  # nothing is sent to a dead child


def test_a_task_longer_than_the_timeout_gives_none_and_stops_the_child(worker):
    w = worker(timeout=0.5)
    job = w.send(fail, "hang")
    start = time.monotonic()
    assert job.result() is None
    assert time.monotonic() - start < 5
    assert not w.alive


def test_results_can_be_read_in_any_order(worker):
    w = worker()
    jobs = [w.send(describe, tag) for tag in ("a", "b", "c")]
    assert jobs[2].result()[0] == "c"
    assert jobs[0].ready() and jobs[0].result()[0] == "a"  # read and kept while waiting for "c"
    assert jobs[1].result()[0] == "b"


def test_when_the_system_refuses_a_process_every_result_is_none_and_nothing_is_left(monkeypatch):
    from emra_site.workers import Forked

    def refuse():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refuse)
    open_before = len(os.listdir("/proc/self/fd"))
    w = Worker(prepare)
    assert not w.alive and w.folder is None and w.send(describe, "a").result() is None
    assert Forked(lambda: 1).result() is None
    assert len(os.listdir("/proc/self/fd")) == open_before  # the pipes were closed


def test_without_processes_every_result_is_none(monkeypatch):
    monkeypatch.setenv("EMRA_SIN_PROCESOS", "1")
    w = Worker(prepare)
    job = w.send(describe, "a")
    assert not w.alive and job.ready() and job.result() is None


# --- PdfJobs: which process lays out each PDF -----------------------------------------------------


class RecordingWorker:
    """A stand-in for the warm worker: records what it is sent."""

    alive = True

    def __init__(self):
        self.sent: list[tuple] = []

    def send(self, *task) -> None:  # no job: `PdfJobs` would lay it out itself when collected
        self.sent.append(task)

    def cancel(self):
        pass


def _jobs(tmp_path, worker):
    from emra_site.cache import Cache
    from emra_site.paths import Paths
    from emra_site.pdf_jobs import PdfJobs

    return PdfJobs(Paths.of(tmp_path), Cache(None), worker=worker)


def test_every_pdf_goes_to_the_warm_worker_in_order_whatever_the_limit(tmp_path, monkeypatch):
    forked: list = []
    monkeypatch.setattr("emra_site.pdf_jobs.Forked", lambda render: forked.append(render))
    recording = RecordingWorker()
    with _jobs(tmp_path, recording) as jobs:
        jobs.pending = [(where, lang, None, {}, tmp_path / where) for where, lang in
                        (("2025", "es"), ("en/2025", "en"), ("2024", "es"))]
        jobs.poll()
        assert {task[0].__name__ for task in recording.sent} == {"render_edition"}
        assert [task[5:] for task in recording.sent] == [
            (None, {}, tmp_path / "2025", True, "es"), (None, {}, tmp_path / "en/2025", True, "en"),
            (None, {}, tmp_path / "2024", True, "es")]
        assert forked == [] and jobs.pending == []
        jobs.running.clear()


def test_without_a_warm_worker_each_pdf_gets_a_child_up_to_the_limit(tmp_path, monkeypatch):
    forked: list = []
    monkeypatch.setattr("emra_site.pdf_jobs.Forked", lambda render: forked.append(render))
    with _jobs(tmp_path, None) as jobs:
        jobs.limit = 1
        jobs.pending = [(where, "es", None, {}, tmp_path / where) for where in ("2024", "2025")]
        jobs.poll()
        assert len(forked) == 1 and len(jobs.pending) == 1
        jobs.running.clear()
        jobs.pending.clear()



# --- Shared: a list of items made by this process from the front and the worker from the back ---------------

PARENT = os.getpid()


def make_item(item: tuple) -> tuple:
    """A test item: (name, seconds, die_in_worker); returns (name, pid of the process that made it)."""
    name, seconds, die_in_worker = item
    if die_in_worker and os.getpid() != PARENT:
        os._exit(5)
    time.sleep(seconds)
    return name, os.getpid()


def _share(worker, items) -> dict[int, tuple]:
    from emra_site.workers import Shared

    shared = Shared(worker, items, make_item)
    made = dict(shared.take())
    made.update(shared.rest())
    return made


def test_an_idle_worker_makes_the_last_items_while_this_process_makes_the_first(worker):
    w = worker()
    items = [(f"pieza-{i}", 0.2, False) for i in range(6)]
    made = _share(w, items)
    assert [made[i][0] for i in range(6)] == [name for name, _, _ in items]  # each once, in its place
    makers = [made[i][1] for i in range(6)]
    here, there = makers.index(w.pid), len(makers) - makers[::-1].index(PARENT) - 1
    assert makers[0] == PARENT and makers[-1] == w.pid
    assert makers == [PARENT] * (there + 1) + [w.pid] * (6 - there - 1) and here == there + 1  # met once


def test_a_busy_worker_leaves_every_item_to_this_process(worker):
    w = worker()
    busy = w.send(sleep_then_big, 1.5)  # the PDFs: the shared list waits behind them
    made = _share(w, [(f"pieza-{i}", 0.0, False) for i in range(4)])
    assert {pid for _, pid in made.values()} == {PARENT}
    assert busy.result()[1] == b"x" * BIG


def test_what_a_dying_worker_took_is_made_here(worker):
    w = worker()
    made = _share(w, [("primera", 0.3, False), ("segunda", 0.3, False), ("última", 0.0, True)])
    assert [made[i][0] for i in range(3)] == ["primera", "segunda", "última"]
    assert made[2][1] == PARENT and not w.alive


def test_without_a_worker_this_process_makes_every_item():
    made = _share(None, [(f"pieza-{i}", 0.0, False) for i in range(3)])
    assert [made[i] for i in range(3)] == [(f"pieza-{i}", PARENT) for i in range(3)]
