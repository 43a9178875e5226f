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
    """Static files from output/site, the reload script in HTML, and the event stream."""

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


def rebuild(paths, hub: Hub, say) -> bool:
    """Build the site (PDF left for later); tell the pages to reload or to show the problems."""
    from .pipeline import build

    try:
        diags = build(paths, with_pdf=False)
    except BuildError as exc:
        hub.last_errors = [str(d) for d in exc.diagnostics]
        for line in hub.last_errors:
            say(line)
        hub.publish("errores", json.dumps(hub.last_errors, ensure_ascii=False))
        return False
    hub.last_errors = []
    for d in diags:
        say(str(d))
    hub.publish("recarga")
    return True


def rebuild_pdfs(paths, say) -> None:
    """Refresh the PDFs in the live site after the pages (cached: fast when nothing they show changed)."""
    from .pipeline import open_cache, render_all_charts, require_report, write_pdfs

    try:
        report, _ = require_report(paths)
        cache = open_cache(paths, True)
        write_pdfs(paths, report, render_all_charts(paths, report, cache), paths.site, cache)
        say("PDF actualizado.")
    except BuildError as exc:
        for d in exc.diagnostics:
            say(str(d))


def serve(paths, port: int, say, stop: threading.Event | None = None) -> None:
    """Run the preview until interrupted (or until `stop` is set, for tests)."""
    import watchfiles

    from .stamp import forget

    forget(paths)  # the preview writes into the live site: the next `build` must not trust it
    hub = Hub()
    rebuild(paths, hub, say)
    pdf_worker = threading.Thread(target=rebuild_pdfs, args=(paths, say), daemon=True)
    pdf_worker.start()
    handler = type("Handler", (PreviewHandler,), {"hub": hub})
    paths.site.mkdir(parents=True, exist_ok=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(paths.site)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    say(f"Vista previa en http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C para terminar)")
    watched = [p for p in (paths.content, paths.data, paths.templates) if p.is_dir()]
    stop = stop or threading.Event()
    try:
        for _changes in watchfiles.watch(*watched, stop_event=stop, debounce=50, step=20):
            if rebuild(paths, hub, say):
                say("Página actualizada.")
                if not pdf_worker.is_alive():
                    pdf_worker = threading.Thread(target=rebuild_pdfs, args=(paths, say), daemon=True)
                    pdf_worker.start()
    finally:
        server.shutdown()
