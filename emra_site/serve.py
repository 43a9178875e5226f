"""Live preview: build, serve on 127.0.0.1, rebuild on save and reload the browser (Server-Sent Events)."""

from __future__ import annotations

import errno
import functools
import html
import http.server
import json
import os
import queue
import threading
from pathlib import Path

from .errors import ERROR, NOTICE, BuildError

EVENTS = "/__emra/eventos"
PORT_TRIES = 20  # ports tried after a busy one before the system is asked for any free port
ERRORS, WARNINGS = "errores", "avisos"  # the event names, and the two lists the page shows
TITLES = {
    ERRORS: "No se pudo publicar esta versión; corrija:",
    WARNINGS: "Avisos: la vista previa se actualiza, pero GitHub Pages (--strict) no publica mientras haya avisos:",
}
STYLES = {  # errors in red; warnings in a softer amber, as they stop only the Pages build
    ERRORS: "background:#7a1d1d;color:#fff",
    WARNINGS: "background:#fff4d6;color:#3d2e00;border-top:3px solid #b58100",
}
# Injected into HTML responses only by this server; the files on disk never contain it. It shows the
# problems of the last save (errors and warnings) over the page, and reloads it after a good save.
# A raw string: the JavaScript's own escapes («\n» in a string) must reach the browser as written.
RELOAD_SCRIPT = (r"""<script>
(() => {
  const titles = TITLES, styles = STYLES, state = {errores: [], avisos: []};
  let box = document.getElementById("emra-estado");
  if (!box) {
    box = document.createElement("div");
    box.id = "emra-estado";
    box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;z-index:99;" +
      "font:14px/1.4 monospace;white-space:pre-wrap";
    document.body.append(box);
  }
  const draw = () => {
    box.replaceChildren();
    for (const kind of ["errores", "avisos"]) {
      if (!state[kind].length) continue;
      const part = document.createElement("section");
      part.setAttribute("role", kind === "errores" ? "alert" : "status");
      part.style.cssText = styles[kind] + ";padding:12px 16px;margin:0";
      const hide = document.createElement("button");
      hide.type = "button";
      hide.textContent = "Ocultar";
      hide.style.cssText = "float:right;font:inherit";
      hide.addEventListener("click", () => part.remove());
      part.append(hide, titles[kind] + "\n\n" + state[kind].join("\n"));
      box.append(part);
    }
  };
  const events = new EventSource("EVENTS");
  events.addEventListener("recarga", () => location.reload());
  for (const kind of ["errores", "avisos"]) {
    events.addEventListener(kind, (e) => { state[kind] = JSON.parse(e.data); draw(); });
  }
})();
</script>""".replace("TITLES", json.dumps(TITLES, ensure_ascii=False).replace("<", "\\u003c"))
                 .replace("STYLES", json.dumps(STYLES))
                 .replace("EVENTS", EVENTS)).encode("utf-8")

PAGE = """<!doctype html>
<html lang="es">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · EMRA</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}}
#emra-estado section{{font:14px/1.4 monospace;white-space:pre-wrap;padding:12px 16px;margin:1rem 0}}</style></head>
<body>
<h1>{title}</h1>
<p>{lead}</p>
<div id="emra-estado">{problems}</div>
</body>
</html>
"""


class Hub:
    """Fan-out of build events to every open page, and the problems of the last save for pages opened later."""

    def __init__(self) -> None:
        self.clients: list[queue.Queue] = []
        self.lock = threading.Lock()
        self.last_errors: list[str] = []
        self.last_warnings: list[str] = []
        self.ready = False  # the first build has finished (well or not)

    def subscribe(self) -> queue.Queue:
        q: queue.Queue = queue.Queue()
        with self.lock:
            self.clients.append(q)
            for event, lines in ((ERRORS, self.last_errors), (WARNINGS, self.last_warnings)):
                if lines:
                    q.put((event, json.dumps(lines, ensure_ascii=False)))
        return q

    def unsubscribe(self, q: queue.Queue) -> None:
        with self.lock:
            if q in self.clients:
                self.clients.remove(q)

    def publish(self, event: str, data: str = "{}") -> None:
        with self.lock:
            for q in self.clients:
                q.put((event, data))

    def show(self, errors: list[str], warnings: list[str], reload: bool) -> None:
        """Keep the problems of the last save and send them: a reload first after a good save, then the lists."""
        with self.lock:
            self.last_errors, self.last_warnings, self.ready = errors, warnings, True
        if reload:
            self.publish("recarga")
        for event, lines in ((ERRORS, errors), (WARNINGS, warnings)):
            if lines:
                self.publish(event, json.dumps(lines, ensure_ascii=False))

    def page(self, title: str, lead: str) -> bytes:
        """A Spanish page of the preview itself (no site yet, a missing page) with the current problems."""
        with self.lock:
            lists = ((ERRORS, self.last_errors), (WARNINGS, self.last_warnings))
        problems = "".join(
            f'<section role="{"alert" if kind == ERRORS else "status"}" style="{STYLES[kind]}">'
            f"{html.escape(TITLES[kind])}\n\n{html.escape(chr(10).join(lines))}</section>"
            for kind, lines in lists if lines)
        body = PAGE.format(title=html.escape(title), lead=html.escape(lead), problems=problems)
        return body.encode("utf-8").replace(b"</body>", RELOAD_SCRIPT + b"</body>", 1)


# http.server answers errors with English pages; the preview names each in Spanish.
ERROR_TITLES = {400: "Petición no válida", 404: "Esta página no existe en la vista previa",
                405: "Operación no admitida", 501: "Operación no admitida"}


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Static files from output/vista-previa, the reload script in HTML, the event stream, Spanish pages."""

    hub: Hub

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == EVENTS:
            return self._events()
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().do_GET()  # redirected to the folder with «/», so relative links work
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            body = path.read_bytes().replace(b"</body>", RELOAD_SCRIPT + b"</body>", 1)
            return self._send(200, body)
        if path.name == "index.html":
            return self._send(200, self._waiting())  # no site yet: never a directory listing
        return super().do_GET()

    def list_directory(self, path):
        self._send(200, self._waiting())  # answered here; http.server then has nothing left to copy

    def send_error(self, code, message=None, explain=None):
        title = ERROR_TITLES.get(code, f"No se pudo responder (código {code})")
        self._send(code, self.hub.page(title, f"«{self.path}» no está en la vista previa. Vuelva a la portada: /"))

    def _waiting(self) -> bytes:
        """The page shown while there is no site to show: the first build runs, or the input has errors."""
        if self.hub.last_errors:
            lead = ("Todavía no hay una versión correcta que mostrar. Corrija los problemas de abajo y guarde: "
                    "esta página se recarga sola.")
        elif not self.hub.ready:
            lead = "Preparando la vista previa; esta página se recarga sola cuando esté lista."
        else:
            lead = "Esta carpeta no tiene una portada. Vuelva a la portada del informe: /"
        return self.hub.page("Vista previa del informe", lead)

    def _send(self, code: int, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

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


class PreviewServer(http.server.ThreadingHTTPServer):
    """The preview's HTTP server on 127.0.0.1."""

    daemon_threads = True
    # On Windows SO_REUSEADDR lets a second server share a port already in use: there a busy port must fail.
    allow_reuse_address = os.name != "nt"


class NoPort(Exception):
    """No local port could be opened at all; the message is Spanish."""


BUSY = {errno.EADDRINUSE, 10048}  # 10048: WSAEADDRINUSE, Windows' «address in use»


def open_server(port: int, handler, say) -> PreviewServer:
    """Listen on 127.0.0.1:`port`, or on the next free one after it (saying which); 0: any free port.

    A second preview, or any program on the port, is an everyday situation, not an error.
    Raises NoPort when no port at all can be opened.
    """
    candidates = [port] if port == 0 else [*range(port, min(port + PORT_TRIES, 65536)), 0]
    problem: OSError | None = None
    for candidate in candidates:
        try:
            server = PreviewServer(("127.0.0.1", candidate), handler)
        except OSError as exc:
            problem = problem or exc
            continue
        if problem is not None:
            why = ("está ocupado (¿hay otra vista previa abierta?)" if problem.errno in BUSY
                   else "no se puede usar en este equipo")
            say(f"El puerto {port} {why}; se usa el {server.server_address[1]}.")
        return server
    raise NoPort(f"no se pudo abrir ningún puerto local para la vista previa (se probó desde el {port}); "
                 "cierre otras vistas previas o reinicie el equipo")


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
        self.warnings: list = []  # what the last good pages reported; the PDFs' warnings join them
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
            self._show(exc.diagnostics, reload=False)
            return False
        except Exception as exc:  # noqa: BLE001 - the preview must survive anything an edit can cause
            line = f"Error interno del publicador ({type(exc).__name__}: {exc})."
            self.say(line)
            self.hub.show([line], [], reload=False)
            return False
        first = self.shape is None
        self.shape, self.unrendered = site_shell(report).key(), []
        self.warnings = diags
        self._show(diags, reload=True)
        with self.lock:  # saves the background has not caught up with add up
            if first:
                years = set[int]()  # downloads and search are complete already: PDFs only
            if self.queued is not None:
                (before,) = self.queued
                years = None if years is None or before is None else years | before
            self.queued = (years,)
        self.pending.set()
        return True

    def _show(self, diags, reload: bool) -> None:
        """Say every diagnostic in the terminal; send errors and warnings to the page (notices are about the machine)."""
        for d in diags:
            self.say(str(d))
        self.hub.show([str(d) for d in diags if d.level == ERROR],
                      [str(d) for d in diags if d.level not in (ERROR, NOTICE)], reload)

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
                found = run(self.paths, Plan(pages=False, extras=extras, preview=True,
                                             years=None if years is None else frozenset(years)))
                new = [d for d in found if d not in self.warnings]
                for d in new:
                    self.say(str(d))
                if new and not self.hub.last_errors:  # the PDFs' own warnings reach the page too
                    self.warnings = sorted({*self.warnings, *new})
                    self.hub.show([], [str(d) for d in self.warnings if d.level not in (ERROR, NOTICE)], reload=False)
                self.say("PDF, descargas y búsqueda actualizados.")
            except BuildError as exc:
                self._show(exc.diagnostics, reload=False)
            except Exception as exc:  # noqa: BLE001 - reported, and the next save tries again
                self.say(f"Error interno al actualizar el PDF ({type(exc).__name__}: {exc}).")


def serve(paths, port: int, say, stop: threading.Event | None = None) -> None:
    """Run the preview until interrupted (or until `stop` is set, for tests).

    The port is taken first (the next free one when `port` is busy), so a page opened during the
    first build waits on a Spanish page that reloads itself; the address is announced once the
    first build is done. Raises NoPort when no local port can be opened.
    """
    import watchfiles

    hub = Hub()
    handler = type("Handler", (PreviewHandler,), {"hub": hub})
    paths.preview.mkdir(parents=True, exist_ok=True)
    server = open_server(port, functools.partial(handler, directory=str(paths.preview)), say)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        preview = Preview(paths, hub, say)
        preview.update()
        say(f"Vista previa en http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C para terminar)")
        watched = [p for p in (paths.content, paths.data, paths.templates) if p.is_dir()]
        stop = stop or threading.Event()
        for changes in watchfiles.watch(*watched, stop_event=stop, debounce=50, step=20):
            if preview.update(changes):
                say("Página actualizada.")
    finally:
        server.shutdown()
        server.server_close()
