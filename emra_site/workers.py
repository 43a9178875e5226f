"""The one owner of processes: work in a forked copy of this process, collected later, with a safe way back.

A fork shares everything already in memory (a laid-out document, the parsed report) for free.
The rule every use follows: a failure (no fork on this system, EMRA_SIN_PROCESOS set, a crash,
a hang) makes `result()` return None, and the caller does the work itself, so a failed child only
costs time: never slower than sequential, never wrong.

Where the build uses a second process, all through `Forked` and `Worker`:
- `pdf_jobs.PdfJobs`: each edition's PDF in a child (the first one in a `Worker` forked before
  reading the report, that imports WeasyPrint meanwhile, `pdf_jobs.start_worker`);
- `render_pdf`: the parts of the print document (`pdf_parts`), laid out half here, half in a child;
- `charts.drawing`: half of the first charts of a cold build, in a child forked before
  vl-convert has drawn in this process (a child would hang in vl-convert after that).
The live preview runs in threads and never forks (`app.Plan(preview=True)`).
"""

from __future__ import annotations

import os
import pickle
import select
import signal
from pathlib import Path


class Forked:
    """`work()` running in a child process; `result()` waits for it, `cancel()` stops it."""

    def __init__(self, work, timeout: float = 600):
        self.pid = None
        self.timeout = timeout
        if not hasattr(os, "fork") or os.environ.get("EMRA_SIN_PROCESOS"):
            return
        read_end, write_end = os.pipe()
        pid = os.fork()
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
    """A task written to a temporary file, for the child to read and remove."""

    def __init__(self, path: str):
        self.path = path

    @classmethod
    def of(cls, payload: bytes) -> _Spilled:
        import tempfile

        fd, path = tempfile.mkstemp(prefix="emra-tarea-")
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
        return cls(path)

    def take(self) -> tuple:
        with open(self.path, "rb") as f:
            task = pickle.loads(f.read())
        os.unlink(self.path)
        return task


class Worker(Forked):
    """A child forked now: it gets ready (`prepare`) at once, then waits for one task, `run(*task)`.

    For work whose set-up is slow (importing WeasyPrint takes a second) and whose input is not
    ready yet: the set-up overlaps with whatever this process does until `send`. `idle`, when
    given, runs after `prepare` only if no task has come yet (work that pays only while waiting).
    """

    def __init__(self, prepare, run, idle=None, timeout: float = 600):
        task_read, task_write = os.pipe()

        def work():
            os.close(task_write)
            prepare()
            if idle is not None and not select.select([task_read], [], [], 0)[0]:
                idle()
            with os.fdopen(task_read, "rb") as pipe:
                data = pipe.read()
            task = pickle.loads(data)
            if isinstance(task, _Spilled):
                task = task.take()
            return run(*task)

        self.spilled: _Spilled | None = None
        super().__init__(work, timeout)
        os.close(task_read)
        self.task_write: int | None = task_write
        if self.pid is None:
            self._close_task()

    def _close_task(self) -> None:
        if self.task_write is not None:
            os.close(self.task_write)
            self.task_write = None

    def send(self, *task) -> None:
        """Give the child its task (its result comes through `result()`) without waiting for it:
        a task larger than a pipe holds goes through a file, since the child reads only once it is
        ready (an edition with its charts is about a megabyte: writing it waited for the child to
        import WeasyPrint, a second)."""
        if self.task_write is None:
            return
        payload = pickle.dumps(task)
        if len(payload) > _PIPE_HOLDS:
            self.spilled = _Spilled.of(payload)
            payload = pickle.dumps(self.spilled)
        try:
            with os.fdopen(self.task_write, "wb") as pipe:
                self.task_write = None
                pipe.write(payload)
        except OSError:  # the child is gone: result() returns None and the caller does the work
            pass

    def result(self):
        try:
            return super().result()
        finally:
            self._drop_spilled()

    def cancel(self) -> None:
        self._close_task()
        super().cancel()
        self._drop_spilled()

    def _drop_spilled(self) -> None:
        """A task file the child never took (it failed first) is removed here."""
        if self.spilled is not None:
            Path(self.spilled.path).unlink(missing_ok=True)
            self.spilled = None
