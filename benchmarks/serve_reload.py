"""Time the live preview: from saving a Markdown file to the page's reload event, and to the refreshed PDF.

    python benchmarks/serve_reload.py [--repeticiones 5] [--sin-esperar]

Runs `build.py serve` on a copy of the shipped edition. By default each save waits until the
background work (downloads, search, PDF) of the previous one has finished, as when an editor looks
at the page between saves, and the time to «PDF, descargas y búsqueda actualizados» is measured
too (the refreshed PDF; the downloads and the search index are refreshed alongside); with
--sin-esperar the saves come every 1.5 s regardless.
"""

from __future__ import annotations

import argparse
import http.client
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def lines_of(stream, sink: queue.Queue) -> None:
    for line in stream:
        sink.put(line)


def wait_for(sink: queue.Queue, pattern: str, timeout: float = 300) -> str:
    deadline = time.monotonic() + timeout
    while True:
        line = sink.get(timeout=max(0.1, deadline - time.monotonic()))
        if re.search(pattern, line):
            return line


def next_event(response) -> str:
    while True:
        line = response.fp.readline().decode("utf-8").rstrip("\n")
        if line.startswith("event: "):
            return line[7:]


def measure(repetitions: int, wait: bool) -> tuple[list[float], list[float]]:
    """Seconds from each save to the reload event, and (when waiting) to the refreshed PDF."""
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "p"
        for name in ("content", "data"):
            shutil.copytree(REPO / name, project / name)
        proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "-C", str(project), "serve", "--puerto", "0"],
                                stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        sink: queue.Queue = queue.Queue()
        threading.Thread(target=lines_of, args=(proc.stderr, sink), daemon=True).start()
        try:
            address = re.search(r":(\d+)/", wait_for(sink, r"http://127\.0\.0\.1:\d+/"))
            assert address is not None  # wait_for returned the line that matched this very pattern
            port = int(address.group(1))
            wait_for(sink, "PDF, descargas y búsqueda actualizados")
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            conn.request("GET", "/__emra/eventos")
            events = conn.getresponse()
            doc = project / "content" / "2025" / "varios.md"
            times, refreshed = [], []
            for k in range(repetitions):
                text = doc.read_text(encoding="utf-8")
                started = time.perf_counter()
                doc.write_text(text + f"\nLínea agregada {k}.\n", encoding="utf-8")
                while next_event(events) != "recarga":
                    pass
                times.append(time.perf_counter() - started)
                if wait:
                    wait_for(sink, "PDF, descargas y búsqueda actualizados")
                    refreshed.append(time.perf_counter() - started)
                else:
                    time.sleep(1.5)
            return times, refreshed
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeticiones", type=int, default=5)
    parser.add_argument("--sin-esperar", action="store_true")
    args = parser.parse_args()
    times, refreshed = measure(args.repeticiones, not args.sin_esperar)
    print(f"guardar → recarga: mediana {statistics.median(times):.3f} s; "
          f"mediciones {', '.join(f'{t:.3f}' for t in times)}")
    if refreshed:
        print(f"guardar → PDF actualizado: mediana {statistics.median(refreshed):.3f} s; "
              f"mediciones {', '.join(f'{t:.3f}' for t in refreshed)}")


if __name__ == "__main__":
    main()
