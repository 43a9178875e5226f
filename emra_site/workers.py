"""The one owner of processes: work in a forked copy of this process, collected later, with a safe way back.

A fork shares everything already in memory (a laid-out document, the parsed report) for free.
The rule every use follows: a failure (no fork on this system, EMRA_SIN_PROCESOS set, a crash,
a hang) makes `result()` return None, and the caller does the work itself, so a failed child only
costs time: never slower than sequential, never wrong.

Where the build uses a second process, all through `Forked`, `Worker` and `Shared`:
- `pdf_jobs.PdfJobs`: every edition's PDF, in each language, one after another in a `Worker` forked
  before reading the report, that imports WeasyPrint meanwhile and once (`pdf_jobs.start_worker`); in a
  child of its own each when there is no worker;
- `render_pdf`: the parts of the print document (`pdf_parts`), laid out half here, half in a child;
- `charts.drawing`: half of the first charts of a cold build, in a child forked before
  vl-convert has drawn in this process (a child would hang in vl-convert after that);
- `pipeline.write_extras`: the downloads and the kit, shared with the PDF worker once its PDFs are
  done (`Shared`: this process makes them from the first, the worker from the last).
The live preview runs in threads and never forks (`app.Plan(preview=True)`).
"""

from __future__ import annotations

import os
import pickle
import select
import signal
from typing import Any


class Forked:
    """`work()` running in a child process; `result()` waits for it, `cancel()` stops it."""

    def __init__(self, work, timeout: float = 600):
        self.pid = None
        self.timeout = timeout
        if not hasattr(os, "fork") or os.environ.get("EMRA_SIN_PROCESOS"):
            return
        read_end, write_end = os.pipe()
        pid = _fork((read_end, write_end))
        if pid is None:  # no process to be had (a limit of the machine): the caller does the work
            return
        if pid == 0:  # the child: compute, send, leave without running any parent cleanup
            os.close(read_end)
            code = 0
            try:
                payload = pickle.dumps(work())
                with os.fdopen(write_end, "wb") as pipe:
                    pipe.write(payload)
            except BaseException:  # noqa: BLE001 - the parent falls back; nothing may escape a fork
                code = 1
            os._exit(code)
        os.close(write_end)
        self.pid, self.pipe = pid, os.fdopen(read_end, "rb")

    def ready(self) -> bool:
        """Whether the child has finished its work (its result can be read without waiting)."""
        if self.pid is None:
            return True
        return bool(select.select([self.pipe], [], [], 0)[0])

    def result(self):
        """The child's return value, or None when it failed (or never ran)."""
        if self.pid is None:
            return None
        chunks = []
        try:
            with self.pipe:
                while select.select([self.pipe], [], [], self.timeout)[0]:
                    chunk = self.pipe.read1(1 << 20)
                    if not chunk:
                        break
                    chunks.append(chunk)
                else:
                    os.kill(self.pid, signal.SIGKILL)
            _, status = os.waitpid(self.pid, 0)
            return pickle.loads(b"".join(chunks)) if status == 0 and chunks else None
        except Exception:  # noqa: BLE001 - fall back to sequential work
            return None
        finally:
            self.pid = None

    def cancel(self) -> None:
        """Stop the child (the build failed or was interrupted elsewhere)."""
        if self.pid is None:
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        self.pipe.close()
        self.pid = None


_PIPE_HOLDS = 32 * 1024  # less than Linux's 64 KiB pipe buffer


class _Spilled:
    """A message written to a temporary file (in `folder`, else the system's), for the other process to
    read and remove."""

    def __init__(self, path: str):
        self.path = path

    @classmethod
    def of(cls, payload: bytes, folder: str | None = None) -> _Spilled:
        import tempfile

        fd, path = tempfile.mkstemp(prefix="emra-tarea-", dir=folder)
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
        return cls(path)

    def take(self):
        """The message's object; the file is removed."""
        with open(self.path, "rb") as f:
            message = pickle.loads(f.read())
        os.unlink(self.path)
        return message


class Worker:
    """A child forked now: it gets ready (`prepare`) at once, then runs the tasks it is sent, in the order
    sent (`send(function, *args)`: a module-level function and its arguments, pickled), until `cancel()`
    stops it.

    For work whose set-up is slow (importing WeasyPrint and loading its fonts take 1.5 s of CPU) and
    whose input is not ready yet: the set-up overlaps with whatever this process does until `send`,
    and is paid once for every task (each edition's PDF in each language), not once per child. A task
    sent while another runs waits in the pipe and starts the moment that one ends. `idle`, when given,
    runs after `prepare` only if no task has come yet (work that pays only while waiting).

    Each message (a task down, a result up) is its pickle after its length (8 bytes, big-endian); a
    result starts with one byte: returned, returned through a file (`_Spilled`, when larger than a pipe
    holds, so the child never waits for this process to read), or raised (the child goes on with the next
    task: the caller does the failed one itself, where its error surfaces).
    """

    def __init__(self, prepare, idle=None, timeout: float = 600):
        self.pid: int | None = None
        self.timeout = timeout  # seconds a result may take once it is waited for
        self.sent = 0  # tasks sent; the next result read is task number `len(self.answers)`
        self.answers: list = []  # each task's result once read (None when it failed)
        self.folder: str | None = None  # where messages too large for a pipe go, both ways
        if not hasattr(os, "fork") or os.environ.get("EMRA_SIN_PROCESOS"):
            return
        import tempfile

        self.folder = tempfile.mkdtemp(prefix="emra-trabajo-")
        task_read, task_write = os.pipe()
        result_read, result_write = os.pipe()
        pid = _fork((task_read, task_write, result_read, result_write))
        if pid is None:  # no process to be had: every result is None and the caller does the work
            self.cancel()
            return
        if pid == 0:  # the child: serve until the task pipe closes, leave without any parent cleanup
            os.close(task_write)
            os.close(result_read)
            code = 0
            try:
                _serve(prepare, idle, task_read, result_write, self.folder)
            except BaseException:  # noqa: BLE001 - the parent falls back; nothing may escape a fork
                code = 1
            os._exit(code)
        os.close(task_read)
        os.close(result_write)
        self.pid = pid
        # Unbuffered: `ready` asks the pipe itself whether a result has come (select), so no result may
        # wait in a reader's buffer where select cannot see it.
        self.tasks = os.fdopen(task_write, "wb", buffering=0)
        self.results = os.fdopen(result_read, "rb", buffering=0)

    @property
    def alive(self) -> bool:
        """Whether the child is there to take tasks (it is not after a failure to fork, a crash or `cancel`)."""
        return self.pid is not None

    def send(self, *task) -> WorkerJob:
        """Queue `function(*args)` (`task`) for the child without waiting for it; its result comes through the job's
        `result()`. A task larger than a pipe holds goes through a file, so that sending never waits for
        the child (an edition with its charts is about a megabyte: writing it waited for the child to
        import WeasyPrint, a second)."""
        job = WorkerJob(self, self.sent)
        self.sent += 1
        if self.pid is None:
            return job
        payload = pickle.dumps(task)
        if len(payload) > _PIPE_HOLDS:
            payload = pickle.dumps(_Spilled.of(payload, self.folder))
        try:
            _write_message(self.tasks, payload)
        except OSError:  # the child is gone: every result is None and the caller does the work
            self.cancel()
        return job

    def ready(self, index: int) -> bool:
        """Whether task `index` has its result (it can be read without waiting)."""
        if index < len(self.answers) or self.pid is None:
            return True
        return index == len(self.answers) and bool(select.select([self.results], [], [], 0)[0])

    def result(self, index: int):
        """Task `index`'s return value, or None when it failed, the child is gone, or a result took longer
        than `timeout` seconds (the child is stopped then). Earlier results are read first and kept."""
        while len(self.answers) <= index:
            self.answers.append(self._next_answer())
        return self.answers[index]

    def _next_answer(self):
        if self.pid is None:
            return None
        try:
            if not select.select([self.results], [], [], self.timeout)[0]:
                self.cancel()
                return None
            message = _read_message(self.results)
        except Exception:  # noqa: BLE001 - fall back to sequential work
            message = None
        if message is None:  # the child died
            self.cancel()
            return None
        try:
            if message[:1] == _RETURNED:
                return pickle.loads(message[1:])
            if message[:1] == _SPILLED:
                return pickle.loads(message[1:]).take()
            return None
        except Exception:  # noqa: BLE001 - fall back to sequential work
            return None

    def cancel(self) -> None:
        """Stop the child now (the build failed, was interrupted, or is over); results not read are None."""
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            for pipe in (self.tasks, self.results):
                try:
                    pipe.close()
                except OSError:
                    pass
            self.pid = None
        if self.folder is not None:  # the messages neither process took
            import shutil

            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


class WorkerJob:
    """One task sent to a `Worker`, with the interface of `Forked`: `ready()`, `result()`, `cancel()`
    (which stops the worker and so every task queued in it)."""

    def __init__(self, worker: Worker, index: int):
        self.worker, self.index = worker, index

    def ready(self) -> bool:
        return self.worker.ready(self.index)

    def result(self):
        return self.worker.result(self.index)

    def cancel(self) -> None:
        self.worker.cancel()


class Shared:
    """A list of items made once each, by this process front to back and by a `Worker` back to front.

    Made with a live worker, it hands the list over, queued behind whatever the worker has (the PDFs): once
    free, the worker takes the last item not yet taken, then the one before, and so on; this process takes
    them from the first on, and the two meet where their work balances, without knowing beforehand how long
    either side or any item takes. An item is taken by creating its claim file (O_EXCL: one process wins). `do(item)` is a
    module-level function (pickled by reference) whose return value this process collects.
    """

    def __init__(self, worker: Worker | None, items: list, do):
        import tempfile

        self.items, self.do = items, do
        self.mine: set[int] = set()  # the items this process made
        self.job: WorkerJob | None = None
        self.claims: str | None = None  # the claim files, in the worker's folder (removed with it)
        if worker is not None and worker.alive and worker.folder is not None:
            self.claims = tempfile.mkdtemp(prefix="emra-reparto-", dir=worker.folder)
            self.job = worker.send(take_from_back, self.claims, items, do)

    def take(self):
        """Each item this process makes, as (index, result), front to back until the worker's first item."""
        for i, item in enumerate(self.items):
            if self.claims is not None and not _claim(self.claims, i):
                return
            self.mine.add(i)
            yield i, self.do(item)

    def rest(self):
        """The worker's items, as (index, result): what it returned, and here whatever it took and did not
        return (it failed or died: the item is made here, where its error surfaces)."""
        theirs = (self.job.result() if self.job is not None else None) or {}
        for i, item in enumerate(self.items):
            if i in self.mine:
                continue
            yield i, theirs[i] if i in theirs else self.do(item)


def take_from_back(claims: str, items: list, do) -> dict[int, Any]:
    """The `Worker`'s side of `Shared`: the items it takes from the last one back, by index."""
    made: dict[int, Any] = {}
    for i in reversed(range(len(items))):
        if not _claim(claims, i):
            break
        made[i] = do(items[i])
    return made


def _claim(claims: str, index: int) -> bool:
    """Take item `index` of a `Shared` list: True for the one process that creates its claim file."""
    try:
        os.close(os.open(os.path.join(claims, str(index)), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


def _fork(pipes: tuple[int, ...]) -> int | None:
    """`os.fork()`, or None with `pipes` closed when the system refuses a new process."""
    try:
        return os.fork()
    except OSError:
        for fd in pipes:
            os.close(fd)
        return None


def _serve(prepare, idle, task_read: int, result_write: int, folder: str | None) -> None:
    """The `Worker` child's loop: get ready, then run each task as it comes, until the pipe closes."""
    prepare()
    if idle is not None and not select.select([task_read], [], [], 0)[0]:
        idle()
    with os.fdopen(task_read, "rb", buffering=0) as tasks, os.fdopen(result_write, "wb", buffering=0) as results:
        while (message := _read_message(tasks)) is not None:
            task = pickle.loads(message)
            if isinstance(task, _Spilled):
                task = task.take()
            try:
                answer = pickle.dumps(task[0](*task[1:]))
            except Exception:  # noqa: BLE001 - the parent does this task itself, where its error surfaces
                _write_message(results, _FAILED)
                continue
            # A result larger than the pipe holds goes through a file, so that the next task starts now,
            # not when the parent reads (a PDF is megabytes; the parent reads between its own steps).
            _write_message(results, _RETURNED + answer if len(answer) <= _PIPE_HOLDS
                           else _SPILLED + pickle.dumps(_Spilled.of(answer, folder)))


_LENGTH = 8  # bytes before each message: its length, big-endian
# The first byte of a result: what follows is the return value's pickle, a `_Spilled` holding it, or nothing.
_RETURNED, _SPILLED, _FAILED = b"\x00", b"\x02", b"\x01"


def _write_message(pipe, payload: bytes) -> None:
    """Write a message to an unbuffered pipe: its length, then the payload."""
    data = memoryview(len(payload).to_bytes(_LENGTH, "big") + payload)
    while data:
        data = data[pipe.write(data):]


def _read_message(pipe) -> bytes | None:
    """The next message from an unbuffered pipe, or None when the other end closed (before or in the
    middle of one)."""
    head = _read_exactly(pipe, _LENGTH)
    return None if head is None else _read_exactly(pipe, int.from_bytes(head, "big"))


def _read_exactly(pipe, size: int) -> bytes | None:
    chunks, missing = [], size
    while missing:
        chunk = pipe.read(min(missing, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)
