"""Editors' safety net: Excel workbooks, images, the completeness report, faults that lose nothing."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO
from helpers import MINIMO, copy_project, diagnostic_lines, run_cli

from emra_site.app import build
from emra_site.errors import BuildError
from emra_site.pipeline import Paths


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --- Excel workbooks --------------------------------------------------------------------------


def _csv_to_xlsx(csv_path: Path, overrides: dict[str, object]) -> Path:
    import csv

    from openpyxl import Workbook

    rows = list(csv.reader(csv_path.open(encoding="utf-8-sig"), delimiter=";"))
    book = Workbook()
    sheet = book.active
    sheet.title = "Datos"
    for row in rows:
        sheet.append(row)
    for cell, value in overrides.items():
        sheet[cell] = value
    target = csv_path.with_suffix(".xlsx")
    book.save(target)
    csv_path.unlink()
    return target


def test_xlsx_is_read_like_its_csv_with_sheet_cell_locations(tmp_path):
    project = copy_project(MINIMO, tmp_path / "p")
    _csv_to_xlsx(project / "data" / "2025" / "acuerdos.csv", {"D2": 0.6, "D3": 150, "E4": "=SUM(A1:A2)"})
    from openpyxl import load_workbook

    book = load_workbook(project / "data" / "2025" / "acuerdos.xlsx")
    book["Datos"]["D2"].number_format = "0%"  # 0.6 shown as 60% in Excel
    book.save(project / "data" / "2025" / "acuerdos.xlsx")
    code, out = run_cli(["-C", str(project), "check"])
    assert code == 1
    assert diagnostic_lines(out) == [
        "data/2025/acuerdos.xlsx:Datos!D3: la columna «avance» tiene «150»: se esperaba un porcentaje entre 0 y 100",
        "data/2025/acuerdos.xlsx:Datos!E4: la columna «origen_avance» contiene una fórmula («=SUM(A1:A2)»); "
        "escriba el valor, no la fórmula",
    ]


def test_csv_and_xlsx_of_the_same_table_is_an_error(tmp_path):
    project = copy_project(MINIMO, tmp_path / "p")
    csv_path = project / "data" / "2025" / "hitos.csv"
    kept = csv_path.read_bytes()
    _csv_to_xlsx(csv_path, {})
    csv_path.write_bytes(kept)
    code, out = run_cli(["-C", str(project), "check"])
    assert code == 1
    assert "data/2025/hitos.xlsx: hay dos versiones de la tabla: hitos.csv y hitos.xlsx; deje solo una" in out


# --- Images in Markdown -----------------------------------------------------------------------

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d49444154789c6360000002000100e221bc330000000049454e44ae426082")


def _with_image_markdown(project: Path, markdown: str) -> Path:
    doc = project / "content" / "2025" / "acuerdos.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n" + markdown + "\n", encoding="utf-8")
    return doc


def test_images_inside_content_are_published_and_anything_else_is_refused(tmp_path):
    project = copy_project(MINIMO, tmp_path / "p")
    (project / "content" / "2025" / "img").mkdir()
    (project / "content" / "2025" / "img" / "Mapa Región.png").write_bytes(PNG)
    (tmp_path / "fuera.png").write_bytes(PNG)
    (project / "content" / "2025" / "enlace.png").symlink_to(tmp_path / "fuera.png")
    doc = project / "content" / "2025" / "acuerdos.md"
    first = len(doc.read_text(encoding="utf-8").splitlines()) + 2
    _with_image_markdown(project, "\n\n".join([
        "![Mapa de la región](<img/Mapa Región.png>)",
        "![](img/Mapa%20Regi%C3%B3n.png)",
        "![x](../../fuera.png)",
        "![x](/etc/passwd.png)",
        "![x](http://127.0.0.1:9/x.png)",
        "![x](no-existe.png)",
        "![x](enlace.png)",
    ]))
    code, out = run_cli(["-C", str(project), "check"])
    where = "content/2025/acuerdos.md"
    assert code == 1
    assert diagnostic_lines(out) == [
        f"{where}:{first + 2}: imagen «img/Mapa Región.png» sin texto alternativo; escriba entre corchetes qué muestra, "
        "por ejemplo ![Mapa de la región](mapa.png)",
        f"{where}:{first + 4}: imagen «../../fuera.png»: la ruta no puede salir de la carpeta de la edición («..»)",
        f"{where}:{first + 6}: imagen «/etc/passwd.png»: solo se admiten imágenes guardadas en la carpeta content/, "
        "con una ruta relativa",
        f"{where}:{first + 8}: imagen «http://127.0.0.1:9/x.png»: solo se admiten imágenes guardadas en la carpeta "
        "content/, con una ruta relativa",
        f"{where}:{first + 10}: imagen «no-existe.png»: el archivo no existe; revise el nombre y la carpeta "
        "(se busca junto al archivo .md)",
        f"{where}:{first + 12}: imagen «enlace.png»: el archivo es un enlace a un lugar fuera de content/; "
        "copie la imagen dentro de content/",
    ]


def test_valid_image_is_copied_into_the_site(tmp_path):
    project = copy_project(MINIMO, tmp_path / "p")
    (project / "content" / "2025" / "mapa.png").write_bytes(PNG)
    # Shown twice on the page: copied once (a second write of one file is refused as a bug).
    _with_image_markdown(project, "![Mapa de la región](mapa.png)\n\n![Mapa de la región](mapa.png)")
    paths = Paths.of(project)
    build(paths)
    html = (paths.site / "2025" / "acuerdos.html").read_text(encoding="utf-8")
    assert '<img src="imagenes/mapa.png" alt="Mapa de la región"' in html
    assert (paths.site / "2025" / "imagenes" / "mapa.png").read_bytes() == PNG


# --- check: completeness report, empty selections, deep nesting --------------------------------


def test_check_prints_the_completeness_report(shipped_report, capsys):
    from emra_site.cli import main

    assert main(["-C", str(REPO), "check"]) == 0
    out = capsys.readouterr().out
    assert "Ambiental: 7 declarados, 6 nombrados (faltan 1)" in out
    assert "Social: reportado 17%; promedio de 4 acuerdos con dato 21,3%" in out
    assert "Valores por confirmar («asignado por orden en la fuente»): 14" in out
    assert "acuerdos.csv «avance»: 4 (SOC-05, ECO-04, INS-02, INS-03)" in out


def test_a_selection_with_no_rows_is_an_error(tmp_path):
    project = copy_project(MINIMO, tmp_path / "p")
    doc = project / "content" / "2025" / "acuerdos.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n```tabla\ndatos: iniciativas\nplazo: mediano\nobjetivo: OE2\n```\n",
                   encoding="utf-8")
    code, out = run_cli(["-C", str(project), "check"])
    rows = list((project / "data" / "2025" / "iniciativas.csv").read_text(encoding="utf-8-sig").splitlines())
    assert not any(",OE2,mediano," in r or ";OE2;mediano;" in r for r in rows)  # the fixture has none
    assert code == 1
    assert any("no encuentra ninguna fila en iniciativas.csv" in line for line in diagnostic_lines(out))


def test_nesting_deeper_than_the_parser_keeps_is_an_error(tmp_path):
    project = copy_project(MINIMO, tmp_path / "p")
    _with_image_markdown(project, "> " * 120 + "texto profundo")
    code, out = run_cli(["-C", str(project), "check"])
    assert code == 1 and "anidadas en más de 99 niveles" in out


# --- Faults in any stage leave output/site as it was -------------------------------------------


def _unchanged(paths: Paths, before: dict) -> None:
    assert digest(paths.site) == before
    assert [p.name for p in paths.output.iterdir()] == ["site"], "a staging folder was left behind"


def test_chart_failure_is_reported_at_its_block(last_good, monkeypatch):
    before = digest(last_good.site)
    from emra_site import charts

    def broken(spec, font_dir):
        raise ValueError("Vega-Lite to SVG conversion failed: prueba")

    monkeypatch.setattr(charts, "render_svg", broken)
    shutil.rmtree(last_good.root / ".cache")  # the charts must really be drawn
    with pytest.raises(BuildError) as exc:
        build(last_good)
    lines = [str(d) for d in exc.value.diagnostics]
    assert len(lines) == 11  # one per chart block, each at its own line
    # The block's YAML starts on the line after its opening fence.
    source = (last_good.content / "2025" / "resumen.md").read_text(encoding="utf-8").splitlines()
    line = source.index("tipo: acuerdos-por-dimension") + 1
    assert (f"content/2025/resumen.md:{line}: el gráfico «acuerdos-por-dimension» no se pudo dibujar con estos datos y "
            "parámetros; revise el bloque y las tablas que usa, y si todo está bien avise al equipo técnico") in lines
    assert not any("Vega-Lite" in line or "failed" in line for line in lines), "no English library text"
    _unchanged(last_good, before)


def test_template_error_is_reported_with_its_line(last_good, tmp_path):
    before = digest(last_good.site)
    templates = last_good.root / "templates"
    shutil.copytree(REPO / "templates", templates)
    (templates / "section.html").write_text("{% extends 'base.html' %}\n{% block main %}{{ roto( }}{% endblock %}\n",
                                            encoding="utf-8")
    code, out = run_cli(["-C", str(last_good.root)])
    assert code == 1 and "Traceback" not in out
    assert "templates/section.html:2: error de sintaxis en la plantilla" in out
    _unchanged(Paths.of(last_good.root), before)


def test_search_index_failure_leaves_site(last_good, monkeypatch):
    before = digest(last_good.site)
    from emra_site import search

    monkeypatch.setattr(search.subprocess, "run",
                        lambda *a, **k: subprocess.CompletedProcess(a, 1, "", "error: sin memoria"))
    with pytest.raises(BuildError) as exc:
        build(last_good)
    assert "Pagefind falló: error: sin memoria" in str(exc.value.diagnostics[0])
    _unchanged(last_good, before)


@pytest.mark.parametrize("fault", [KeyboardInterrupt(), OSError(28, "No queda espacio en el dispositivo")])
def test_interrupt_or_full_disk_while_writing_leaves_site(last_good, monkeypatch, fault):
    before = digest(last_good.site)
    from emra_site import output

    calls = {"n": 0}
    real = output.write_bytes

    def failing(path, data):
        calls["n"] += 1
        if calls["n"] == 3:
            raise fault
        return real(path, data)

    monkeypatch.setattr(output, "write_bytes", failing)
    with pytest.raises(type(fault)):
        build(last_good)
    _unchanged(last_good, before)


def test_cli_reports_interrupt_without_traceback(last_good, monkeypatch, capsys):
    from emra_site import cli

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr("emra_site.app.build", interrupted)
    assert cli.main(["-C", str(last_good.root)]) == 1
    err = capsys.readouterr().err
    assert "Interrumpido; output/site/ no cambió." in err and "Traceback" not in err


# --- Reproducible across processes and environments ---------------------------------------


# A build in another process and environment (hash seed, time zone, locale, no forked helper, no
# system fonts) gives the same bytes: tests/test_fonts.py::test_unusual_characters_use_only_shipped_fonts_and_same_bytes_on_another_machine


def test_source_date_epoch_sets_modification_dates_only(tmp_path, monkeypatch):
    import zipfile

    from pypdf import PdfReader

    paths = Paths.of(copy_project(MINIMO, tmp_path / "p"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1760000000")  # 2025-10-09 08:53:20 UTC
    build(paths)
    meta = PdfReader(paths.site / "2025" / "emra-informe-avance-2025.pdf").metadata
    assert meta["/CreationDate"].startswith("D:20250630")  # the edition's date
    assert meta["/ModDate"].startswith("D:20251009085320")
    with zipfile.ZipFile(paths.site / "2025" / "datos" / "emra-datos-2025.zip") as archive:
        assert {i.date_time[:3] for i in archive.infolist()} == {(2025, 10, 9)}
