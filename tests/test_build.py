"""Whole builds: atomic (a failure never touches output/site), deterministic, offline, confined."""

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, copy_inputs

from emra_site.app import build
from emra_site.cli import main
from emra_site.errors import BuildError
from emra_site.pipeline import Paths


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_content_error_leaves_previous_site_untouched(last_good, capsys):
    before = tree_digest(last_good.site)
    csv = last_good.data / "2025" / "acuerdos.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("AMB-01;ambiental;", "AMB-01;ambientales;"), encoding="utf-8")
    code = main(["-C", str(last_good.root)])
    err = capsys.readouterr().err
    assert code == 1
    assert "data/2025/acuerdos.csv:2:2: «ambientales» no existe en dimensiones.csv" in err
    assert "Traceback" not in err
    assert tree_digest(last_good.site) == before
    assert [p.name for p in last_good.output.iterdir()] == ["site"], "staging folders left behind"


@pytest.mark.parametrize("stage", ["emra_site.render_pdf.print_document", "emra_site.render_html.render_site"])
def test_failure_in_a_late_stage_leaves_previous_site_untouched(last_good, monkeypatch, stage):
    before = tree_digest(last_good.site)
    module, name = stage.rsplit(".", 1)

    def boom(*args, **kwargs):
        raise OSError("disco lleno (simulado)")

    monkeypatch.setattr(f"{module}.{name}", boom)
    with pytest.raises(OSError):
        build(last_good)
    assert tree_digest(last_good.site) == before
    assert [p.name for p in last_good.output.iterdir()] == ["site"]


def test_pdf_fetcher_refuses_files_outside_the_build_and_remote_urls(tmp_path):
    from weasyprint.urls import FatalURLFetchingError

    from emra_site.render_pdf import confined_fetcher_class

    inside = tmp_path / "site"
    inside.mkdir()
    (inside / "ok.css").write_text("p{}", encoding="utf-8")
    fetcher = confined_fetcher_class()([inside])
    assert fetcher.fetch((inside / "ok.css").as_uri()).read() == b"p{}"
    for url in ("file:///etc/passwd", (inside / ".." / "x").as_uri(), "http://127.0.0.1:9/x.css",
                "https://example.org/font.woff2"):
        with pytest.raises(FatalURLFetchingError):
            fetcher.fetch(url)


def test_pdf_with_a_link_to_a_local_file_fails_instead_of_embedding_it(shipped_report, tmp_path):
    import dataclasses

    from emra_site.errors import BuildError
    from emra_site.render_pdf import render_pdf

    edition = dataclasses.replace(shipped_report.edition(2025), sections=())  # no charts needed here
    templates = tmp_path / "templates"
    shutil.copytree(Path(__file__).resolve().parent.parent / "templates", templates)
    report_html = templates / "print" / "report.html"
    report_html.write_text(report_html.read_text(encoding="utf-8").replace(
        "<body>", '<body><link rel="attachment" href="file:///etc/passwd"><img src="file:///etc/hostname" alt="x">'),
        encoding="utf-8")
    (tmp_path / "ed").mkdir()
    with pytest.raises(BuildError) as exc:
        render_pdf(edition, {}, templates, tmp_path / "ed", [tmp_path / "ed"], tmp_path, tmp_path)
    (problem,) = [str(d) for d in exc.value.diagnostics]
    assert problem.startswith("templates/print: el PDF no se pudo generar: archivo fuera de la carpeta de compilación: /etc/")


def test_cli_exit_codes(tmp_path, capsys):
    root = copy_inputs(tmp_path / "p")
    assert main(["-C", str(root), "check"]) == 0
    assert main(["--no-existe"]) == 2
    assert "Uso incorrecto" in capsys.readouterr().err
    (root / "content" / "2025" / "varios.md").unlink()
    assert main(["-C", str(root), "check"]) == 1
    assert not (root / "output").exists(), "check must not write anything"


def test_build_error_lists_every_problem_at_once(tmp_path):
    root = copy_inputs(tmp_path / "p")
    (root / "data" / "2025" / "montos.csv").write_text(
        "id;proyecto;concepto;monto;unidad;nota\nx;9.9;Algo;-5;pesos;\n", encoding="utf-8")
    (root / "content" / "2025" / "varios.md").write_text("---\ntitulo: [roto\n---\n", encoding="utf-8")
    with pytest.raises(BuildError) as exc:
        build(Paths.of(root))
    text = "\n".join(map(str, exc.value.diagnostics))
    assert "data/2025/montos.csv:2:4: la columna «monto» tiene «-5»: se esperaba un monto positivo" in text
    assert "data/2025/montos.csv:2:2: «9.9» no existe en proyectos.csv" in text
    assert "content/2025/varios.md:3" in text


def test_the_writer_refuses_to_write_a_file_twice_in_one_build(tmp_path):
    from emra_site.output import DuplicateOutput, copy_file, write_text, writing

    with writing(tmp_path):
        write_text(tmp_path / "2025" / "a.html", "primera")
        with pytest.raises(DuplicateOutput):
            write_text(tmp_path / "2025" / "a.html", "segunda")
        with pytest.raises(DuplicateOutput):
            copy_file(tmp_path / "2025" / "a.html", tmp_path / "2025" / "a.html")
    assert (tmp_path / "2025" / "a.html").read_text(encoding="utf-8") == "primera"
    with writing(tmp_path):  # the next build (or preview pass) starts a new record
        write_text(tmp_path / "2025" / "a.html", "otra compilación")


@pytest.mark.slow
def test_mypy_finds_no_type_errors_in_the_package_and_the_benchmarks():
    """`mypy emra_site benchmarks` at the settings in pyproject.toml (the project's own standard). The benchmarks
    run outside the test suite, so a changed signature broke `solo_pdf.py` unseen: mypy sees it."""
    done = subprocess.run([sys.executable, "-m", "mypy", "emra_site", "benchmarks"], cwd=REPO, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_published_name_comes_from_the_site_layout(shipped_build, shipped_report):
    """The one owner of names: the built site holds exactly what SiteLayout and the model name."""
    from emra_site.i18n import ENGLISH
    from emra_site.layout import LAYOUT as L
    from emra_site.layout import RESERVED_SLUGS
    from emra_site.validate import RESERVED_SLUGS as CHECKED

    site = shipped_build.site
    assert {p.name for p in site.iterdir()} == {
        L.HOME, L.SEARCH_PAGE, L.NOT_FOUND, L.NO_JEKYLL, L.ASSETS, L.SEARCH_INDEX, L.edition_dir(2025),
        ENGLISH.prefix.rstrip("/")}
    # The English version: the same names under its folder (its sections by their English slugs), no 404 page.
    assert {p.name for p in (site / ENGLISH.prefix).iterdir()} == {L.HOME, L.SEARCH_PAGE, L.edition_dir(2025)}
    [english] = [t.edition for t in shipped_report.translations if t.edition.anio == 2025]
    for edition, folder in ((shipped_report.edition(2025), site / L.edition_dir(2025)),
                            (english, site / ENGLISH.prefix / L.edition_dir(2025))):
        assert {p.name for p in folder.iterdir()} == {
            *(L.section_file(s.slug) for s in edition.sections), L.DATA_DIR, L.CHARTS_DIR, L.pdf_name(2025),
            L.KIT_DIR, *(L.chapter_pdf_name(2025, s.numero) for s in edition.sections)}
    edition = shipped_report.edition(2025)
    folder = site / L.edition_dir(2025)
    assert (site / L.data_page(2025)).is_file() and (folder / L.data_file(L.data_zip_name(2025))).is_file()
    charts = {p.name for p in (folder / L.CHARTS_DIR).iterdir()}
    keys = {name.removesuffix(".svg") for name in charts if name.endswith(".svg")}
    tables = {f"{L.table_embed_key(n)}.html" for n in range(1, 1 + sum(
        1 for _, block in edition.directives() if block.kind == "tabla"))}
    assert charts == {n.split("/")[-1] for k in keys for n in (L.chart_svg(k), L.chart_png(k), L.embed_page(k))} | tables
    assert {(folder / L.chart_csv(k)).is_file() for k in keys} == {True}
    assert CHECKED is RESERVED_SLUGS and {L.DATA_DIR, L.CHARTS_DIR, L.IMAGES_DIR, L.CHANGES_SLUG, L.KIT_DIR} == RESERVED_SLUGS
