"""The live preview: serve, change a file, receive the reload event, see the new content."""

from __future__ import annotations

import http.client
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO
from helpers import MINIMO, copy_project


class EventStream:
    """A minimal Server-Sent Events reader over http.client."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.conn.request("GET", "/__emra/eventos")
        self.response = self.conn.getresponse()
        assert self.response.status == 200

    def next_event(self) -> tuple[str, str]:
        event, data = None, ""
        while True:
            line = self.response.fp.readline().decode("utf-8").rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                data = line[6:]
            elif line == "" and event:
                return event, data


@pytest.fixture()
def preview(tmp_path):
    project = copy_project(MINIMO, tmp_path / "p")
    proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "-C", str(project), "serve", "--puerto", "0"],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    port = None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if m:
            port = int(m.group(1))
            break
    assert port, "the preview never announced its address"
    yield project, port, proc
    proc.terminate()
    proc.wait(timeout=20)


def pdf_text_soon(pdf: Path, text: str, timeout: float = 120) -> bool:
    """Whether `pdf` comes to contain `text` within `timeout` seconds."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if any(text in (page.extract_text() or "") for page in PdfReader(pdf).pages):
                return True
        except (OSError, PdfReadError):
            pass
        time.sleep(0.5)
    return False


def get(port: int, path: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    return conn.getresponse().read().decode("utf-8")


def test_edit_reloads_page_and_bad_edit_shows_errors_without_stopping(preview):
    project, port, proc = preview
    page = get(port, "/2025/acuerdos.html")
    assert "/__emra/eventos" in page, "the reload script is injected into served pages"
    assert "/__emra/eventos" not in (project / "output" / "vista-previa" / "2025" / "acuerdos.html").read_text(encoding="utf-8")
    assert not (project / "output" / "site").exists(), "the preview never writes into the published site"
    events = EventStream(port)
    doc = project / "content" / "2025" / "acuerdos.md"
    original = doc.read_text(encoding="utf-8")
    started = time.monotonic()
    doc.write_text(original + "\nTexto nuevo de la vista previa.\n", encoding="utf-8")
    assert events.next_event()[0] == "recarga"
    reload_seconds = time.monotonic() - started
    assert "Texto nuevo de la vista previa." in get(port, "/2025/acuerdos.html")
    # The PDF follows in the background, after the reload.
    assert pdf_text_soon(project / "output" / "vista-previa" / "2025" / "emra-informe-avance-2025.pdf",
                         "Texto nuevo de la vista previa."), "the PDF was not refreshed after the pages"
    doc.write_text(original.replace("titulo:", "titulo: [roto", 1), encoding="utf-8")
    event, data = events.next_event()
    assert event == "errores" and "content/2025/acuerdos.md" in data
    assert proc.poll() is None, "the preview must keep running after a bad edit"
    assert "Texto nuevo de la vista previa." in get(port, "/2025/acuerdos.html"), "last good build still served"
    doc.write_text(original, encoding="utf-8")
    assert events.next_event()[0] == "recarga"
    print(f"edit → reload event: {reload_seconds:.2f} s")


def test_a_save_rewrites_its_edition_and_the_later_ones_a_template_every_page(tmp_path):
    from types import SimpleNamespace

    from emra_site.paths import Paths
    from emra_site.serve import affected_years

    paths = Paths.of(tmp_path)
    report = SimpleNamespace(editions=[SimpleNamespace(anio=y) for y in (2024, 2025, 2026)])
    saved = [(None, str(paths.data / "2025" / "acuerdos.csv")), (None, str(paths.content / "2025" / "a.md"))]
    assert affected_years(paths, saved, report) == {2025, 2026}
    assert affected_years(paths, [(None, str(paths.content / "2024" / "edition.yml"))], report) == {2024, 2025, 2026}
    assert affected_years(paths, [(None, str(paths.templates / "section.html"))], report) is None
    assert affected_years(paths, [(None, str(paths.content / "notas.txt"))], report) is None


@pytest.fixture()
def preview_server(tmp_path):
    """The preview's own HTTP server over a one-page site, without building anything: (hub, base URL)."""
    import functools
    import threading

    from emra_site.serve import Hub, PreviewHandler, PreviewServer

    site = tmp_path / "vista-previa"
    (site / "2025").mkdir(parents=True)
    (site / "index.html").write_text('<!doctype html><html lang="es"><head><meta charset="utf-8"><title>P</title>'
                                     "</head><body><main><h1>Portada</h1></main></body></html>", encoding="utf-8")
    hub = Hub()
    handler = type("Handler", (PreviewHandler,), {"hub": hub})
    server = PreviewServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield hub, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_every_script_the_preview_serves_is_valid_javascript(preview_server, tmp_path):
    """`node --check` on each inline script of every kind of page the preview answers, and on the site's scripts.

    A Python escape in the injected script («\\n» in a non-raw string) once broke it: no reload, no panel.
    """
    from conftest import need_tool

    node = need_tool("node")
    hub, base = preview_server
    hub.show(['content/2025/a.md:3: «**» se publicaría tal cual; "comillas" </script> y \\ barra'],
             ["content/2025/b.md:1: aviso"], reload=False)
    port = int(base.rsplit(":", 1)[1])
    pages = {path: get(port, path) for path in ("/", "/index.html", "/2025/", "/no-existe.html")}
    scripts = [(path, body) for path, page in pages.items()
               for body in re.findall(r"<script>(.*?)</script>", page, re.S)]
    assert {path for path, _ in scripts} == set(pages), "every page the preview answers carries its script"
    files = [(f"script {n} of {path}", tmp_path / f"inline{n}.js", body) for n, (path, body) in enumerate(scripts)]
    files += [(str(js), tmp_path / f"{js.stem}.mjs", js.read_text(encoding="utf-8"))  # buscar.js is a module
              for js in sorted((REPO / "templates" / "static" / "js").glob("*.js"))]
    for name, target, text in files:
        target.write_text(text, encoding="utf-8")
        done = subprocess.run([node, "--check", str(target)], capture_output=True, text=True)
        assert done.returncode == 0, f"{name} is not valid JavaScript:\n{done.stderr}"
