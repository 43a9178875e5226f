"""The one owner of processes: work in a forked copy of this process, collected later, with a safe way back.

A fork shares everything already in memory (a laid-out document, the parsed report) for free.
The rule every use follows: a failure (no fork on this system, EMRA_SIN_PROCESOS set, a crash,
a hang) makes `result()` return None, and the caller does the work itself, so a failed child only
costs time: never slower than sequential, never wrong.

Where the build uses a second process, all through `Forked` and `Worker`:
- `pdf_jobs.PdfJobs`: each edition's PDF in a child (the first one in a `Worker` forked before
  any drawing, that imports WeasyPrint while the charts are drawn);
- `render_pdf`: the chapter PDFs written in a child while the full report is written;
- `charts.drawing`: half of the first charts of a cold build, in a child forked before
  vl-convert has drawn in this process (a child would hang in vl-convert after that).
The live preview runs in threads and never forks (`app.Plan(preview=True)`).
"""

from __future__ import annotations

import os
import pickle
import select
import signal


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


class Worker(Forked):
    """A child forked now: it gets ready (`prepare`) at once, then waits for one task, `run(*task)`.

    For work whose set-up is slow (importing WeasyPrint takes a second) and whose input is not
    ready yet: the set-up overlaps with whatever this process does until `send`.
    """

    def __init__(self, prepare, run, timeout: float = 600):
        task_read, task_write = os.pipe()

        def work():
            os.close(task_write)
            prepare()
            with os.fdopen(task_read, "rb") as pipe:
                data = pipe.read()
            return run(*pickle.loads(data))

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
        """Give the child its task (its result comes through `result()`)."""
        if self.task_write is None:
            return
        try:
            with os.fdopen(self.task_write, "wb") as pipe:
                self.task_write = None
                pipe.write(pickle.dumps(task))
        except OSError:  # the child is gone: result() returns None and the caller does the work
            pass

    def cancel(self) -> None:
        self._close_task()
        super().cancel()
