"""Live preview: build, serve on 127.0.0.1, rebuild on save and reload the browser (Server-Sent Events)."""

from __future__ import annotations

import functools
import http.server
import json
import queue
import threading
from pathlib import Path

from .errors import BuildError

EVENTS = "/__emra/eventos"
# Injected into HTML responses only by this server; the files on disk never contain it.
RELOAD_SCRIPT = b"""<script>
(() => {
  const box = document.createElement("div");
  box.setAttribute("role", "alert");
  box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;z-index:99;" +
    "background:#7a1d1d;color:#fff;font:14px/1.4 monospace;padding:12px 16px;white-space:pre-wrap;display:none";
  document.addEventListener("DOMContentLoaded", () => document.body.append(box));
  const events = new EventSource("/__emra/eventos");
  events.addEventListener("recarga", () => location.reload());
  events.addEventListener("errores", (e) => {
    box.textContent = "No se pudo publicar esta versi\\u00f3n; corrija:\\n\\n" + JSON.parse(e.data).join("\\n");
    box.style.display = "block";
  });
})();
</script>"""


class Hub:
    """Fan-out of build events to every open page."""

    def __init__(self):
        self.clients: list[queue.Queue] = []
        self.lock = threading.Lock()
        self.last_errors: list[str] = []

    def subscribe(self) -> queue.Queue:
        q: queue.Queue = queue.Queue()
        with self.lock:
            self.clients.append(q)
        if self.last_errors:
            q.put(("errores", json.dumps(self.last_errors, ensure_ascii=False)))
        return q

    def unsubscribe(self, q: queue.Queue) -> None:
        with self.lock:
            if q in self.clients:
                self.clients.remove(q)

    def publish(self, event: str, data: str = "{}") -> None:
        with self.lock:
            for q in self.clients:
                q.put((event, data))


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Static files from output/vista-previa, the reload script in HTML, and the event stream."""

    hub: Hub

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == EVENTS:
            return self._events()
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            body = path.read_bytes().replace(b"</body>", RELOAD_SCRIPT + b"</body>", 1)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)
            return None
        return super().do_GET()

    def _events(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        q = self.hub.subscribe()
        try:
            self.wfile.write(b": conectado\n\n")
            self.wfile.flush()
            while True:
                try:
                    event, data = q.get(timeout=15)
                    self.wfile.write(f"event: {event}\ndata: {data}\n\n".encode())
                except queue.Empty:
                    self.wfile.write(b": latido\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            self.hub.unsubscribe(q)


def affected_years(paths, changes, report) -> set[int] | None:
    """Editions whose pages a save can change: its own and the later ones (they compare with it); None = all."""
    years: set[int] = set()
    for _change, changed in changes:
        rel = Path(changed).resolve()
        for folder in (paths.content, paths.data):
            if rel.is_relative_to(folder) and rel != folder and rel.relative_to(folder).parts[0].isdigit():
                years.add(int(rel.relative_to(folder).parts[0]))
                break
        else:
            return None  # a template, a stylesheet, a font: every page
    if not years:
        return None
    first = min(years)
    return {e.anio for e in report.editions if e.anio >= first}


class Preview:
    """The live site: pages first (then the reload), downloads, search and PDFs after, in the background."""

    def __init__(self, paths, hub: Hub, say):
        from .pipeline import open_cache

        self.paths, self.hub, self.say = paths, hub, say
        self.cache = open_cache(paths, True)
        self.shape: str | None = None  # the site shell's key of the last good report; None until a complete build
        self.unrendered: list = []  # saves whose pages a failed update did not write yet
        self.pending = threading.Event()
        self.lock = threading.Lock()
        self.queued: tuple[set[int] | None] | None = None  # (years,) whose downloads the background has not made yet (None: all); PDFs: all
        threading.Thread(target=self._finish_forever, daemon=True).start()

    def update(self, changes=None) -> bool:
        """Rebuild the pages after a save; tell the browser to reload or to show the problems.

        The pages are written first, into the preview's own folder (`app.Plan(preview=True)`);
        downloads, search and PDFs follow in the background with the same orchestrator.
        """
        from .app import Plan, run
        from .pipeline import require_report
        from .shell import site_shell

        self.unrendered += list(changes or ())
        try:
            report, _ = require_report(self.paths, self.cache)
            years = None if self.shape is None else affected_years(self.paths, self.unrendered, report)
            if site_shell(report).key() != self.shape:
                years = None  # what every page shows of other editions changed: all pages
            diags = run(self.paths, Plan(extras=self.shape is None, pdfs=False, preview=True,
                                         years=None if years is None else frozenset(years)))
        except BuildError as exc:
            self._show_errors([str(d) for d in exc.diagnostics])
            return False
        except Exception as exc:  # noqa: BLE001 - the preview must survive anything an edit can cause
            self._show_errors([f"Error interno del publicador ({type(exc).__name__}: {exc})."])
            return False
        first = self.shape is None
        self.shape, self.unrendered = site_shell(report).key(), []
        self.hub.last_errors = []
        for d in diags:
            self.say(str(d))
        self.hub.publish("recarga")
        with self.lock:  # saves the background has not caught up with add up
            if first:
                years = set[int]()  # downloads and search are complete already: PDFs only
            if self.queued is not None:
                (before,) = self.queued
                years = None if years is None or before is None else years | before
            self.queued = (years,)
        self.pending.set()
        return True

    def _show_errors(self, lines: list[str]) -> None:
        self.hub.last_errors = lines
        for line in lines:
            self.say(line)
        self.hub.publish("errores", json.dumps(lines, ensure_ascii=False))

    def _finish_forever(self) -> None:
        """Bring downloads, the search index and the PDFs up to date with the last good pages."""
        from .app import Plan, run

        while True:
            self.pending.wait()
            self.pending.clear()
            with self.lock:
                if self.queued is None:  # already taken with an earlier wake-up
                    continue
                (years,), self.queued = self.queued, None
            try:
                extras = years is None or bool(years)
                for d in run(self.paths, Plan(pages=False, extras=extras, preview=True,
                                              years=None if years is None else frozenset(years))):
                    self.say(str(d))
                self.say("PDF, descargas y búsqueda actualizados.")
            except BuildError as exc:
                for d in exc.diagnostics:
                    self.say(str(d))
            except Exception as exc:  # noqa: BLE001 - reported, and the next save tries again
                self.say(f"Error interno al actualizar el PDF ({type(exc).__name__}: {exc}).")


def serve(paths, port: int, say, stop: threading.Event | None = None) -> None:
    """Run the preview until interrupted (or until `stop` is set, for tests)."""
    import watchfiles

    hub = Hub()
    preview = Preview(paths, hub, say)
    preview.update()
    handler = type("Handler", (PreviewHandler,), {"hub": hub})
    paths.preview.mkdir(parents=True, exist_ok=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(paths.preview)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    say(f"Vista previa en http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C para terminar)")
    watched = [p for p in (paths.content, paths.data, paths.templates) if p.is_dir()]
    stop = stop or threading.Event()
    try:
        for changes in watchfiles.watch(*watched, stop_event=stop, debounce=50, step=20):
            if preview.update(changes):
                say("Página actualizada.")
    finally:
        server.shutdown()
