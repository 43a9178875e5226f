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
