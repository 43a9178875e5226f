"""The report draws only with its shipped fonts, on any machine, and says what the machine lacks (issue 11)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, need_tool
from helpers import MINIMO, copy_project, run_cli

from emra_site.errors import ERROR, NOTICE, WARNING, SourceLoc, doubtful, notice, summary, warning
from emra_site.fonts import check_text, covered, font_dir, has_harfbuzz_subset, uncovered_message
from emra_site.pdf_messages import HARFBUZZ_NOTICE, classify

FONTS = font_dir(REPO / "templates")
UNUSUAL = "CO₂ ≥ 50 % ≤ ± °"
HARFBUZZ_LINE = f"nota: {HARFBUZZ_NOTICE}"
SYSTEM_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".fonts"),
                    str(Path.home() / ".local/share/fonts"))


def _harfbuzz_subset_files() -> list[str]:
    return sorted({str(p) for pattern in ("/usr/lib/*/libharfbuzz-subset.so.0", "/usr/lib/libharfbuzz-subset.so.0")
                   for p in Path("/").glob(pattern.lstrip("/"))})


def _unshare_works() -> bool:
    try:
        return subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode == 0
    except OSError:
        return False


def run_hiding(args: list[str], *, libraries: list[str] = (), folders: list[str] = (),
               env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run `args` in a mount namespace where `libraries` are unreadable and `folders` are empty.

    This is how a machine without those packages looks to the build. Skips when the namespace
    cannot be made here, except in CI, which runs as root and must run the test.
    """
    mounts = [f"mount --bind /dev/null {lib}" for lib in libraries]
    mounts += [f"mount -t tmpfs none {folder}" for folder in folders if Path(folder).is_dir()]
    if not mounts:
        return subprocess.run(args, capture_output=True, text=True, env=env)
    if not _unshare_works():
        if os.environ.get("CI"):
            pytest.fail("CI must be able to run `unshare -m` (it runs as root)")
        pytest.skip("unshare -m is not permitted here")
    script = " && ".join(mounts) + ' && exec "$@"'
    return subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", *args], capture_output=True, text=True, env=env)


def build_command(project: Path, *options: str) -> list[str]:
    return [sys.executable, str(REPO / "build.py"), "-C", str(project), *options]


def tree_digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def project_with_unusual_characters(dst: Path) -> Path:
    """The minimal project with `UNUSUAL` in a paragraph, in a table cell and in a chart label."""
    copy_project(MINIMO, dst)
    page = dst / "content" / "2025" / "acuerdos.md"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "la social no tiene dato.", f"la social no tiene dato. Emisiones de {UNUSUAL}."), encoding="utf-8")
    table = dst / "data" / "2025" / "acuerdos.csv"
    table.write_text(table.read_text(encoding="utf-8").replace(
        "del uso de agua continental", f"del uso de agua continental y {UNUSUAL}"), encoding="utf-8")
    return dst


# --- what the shipped fonts cover ------------------------------------------------------------------


def test_shipped_fonts_cover_what_the_report_may_write():
    """Latin-1, Latin Extended-A, punctuation, sub/superscript digits, currency, arrows, math, °, ‰, №."""
    wanted = [chr(c) for c in (*range(0x20, 0x7F), *range(0xA0, 0x100), *range(0x100, 0x180))]
    wanted += list("–—‘’‚“”„†‡•…‰′″‹›⁄€₡£¥$¢←↑→↓↔⇒⇐")
    wanted += list("₀₁₂₃₄₅₆₇₈₉⁰¹²³⁴⁵⁶⁷⁸⁹≤≥±×÷≈≠−°№µΔαβ\u00a0\u202f\u2009")
    charset = covered(FONTS)
    assert [c for c in wanted if ord(c) not in charset] == []
    assert len(list(FONTS.glob("*.ttf"))) == 4 and (FONTS / "licencia-source-sans-3.md").is_file()


def test_a_character_outside_the_fonts_is_located_at_line_and_column():
    charset = covered(FONTS)
    text = "titulo: Resumen\n\nLas emisiones de CO₂ 🙂 bajan.\nSin\u200dunir\n"
    assert [str(d) for d in check_text(text, "content/2025/resumen.md", charset)] == [
        f"content/2025/resumen.md:3:22: {uncovered_message('🙂')}",
        f"content/2025/resumen.md:4:4: {uncovered_message(chr(0x200D))}",
    ]
    assert uncovered_message("🙂").startswith("el carácter «🙂» (U+1F642) no está en la tipografía del informe")
    assert uncovered_message("\u200d").startswith("un carácter invisible o de control (U+200D)")
    assert uncovered_message("\ue000").startswith("un carácter de uso privado (U+E000; por ejemplo una viñeta")


def test_a_character_written_as_an_entity_or_an_escape_is_located_too():
    """Markdown decodes `&#x1F642;` and `&zwj;`, YAML decodes `"\\U0001F642"`: the report would get the character."""
    charset = covered(FONTS)
    text = 'titulo: "Hola \\U0001F642"\nUn x&zwj;y y &#x1F642; pero &amp; y &nbsp; sí.\n'
    assert [str(d) for d in check_text(text, "content/2025/resumen.md", charset)] == [
        f"content/2025/resumen.md:1:15: {uncovered_message('🙂')}",
        f"content/2025/resumen.md:2:5: {uncovered_message(chr(0x200D))}",
        f"content/2025/resumen.md:2:14: {uncovered_message('🙂')}",
    ]


def test_a_workbook_cell_outside_the_fonts_is_named_sheet_and_cell(tmp_path):
    from openpyxl import Workbook

    project = copy_project(MINIMO, tmp_path / "p")
    csv_path = project / "data" / "2025" / "acuerdos.csv"
    rows = [line.split(";") for line in csv_path.read_text(encoding="utf-8").splitlines()]
    rows[2][2] += " ✅"
    book = Workbook()
    book.active.title = "acuerdos"
    for row in rows:
        book.active.append(row)
    book.save(project / "data" / "2025" / "acuerdos.xlsx")
    csv_path.unlink()
    code, out = run_cli(["-C", str(project), "check"])
    assert code == 1
    # A cell has no columns to point at: the message quotes the words before the character.
    assert (f"data/2025/acuerdos.xlsx:acuerdos!C3: {uncovered_message('✅', '…consumo de fuentes renovables')}"
            in out.splitlines())


# --- what WeasyPrint reports ----------------------------------------------------------------------

WHERE = SourceLoc("templates/print")


@pytest.mark.parametrize(("logged", "level", "shown"), [
    ('Using fontTools instead of HarfBuzz-Subset for font "Source Sans 3". This will be unsupported in '
     "future versions of WeasyPrint. Please install HarfBuzz-Subset >= 4.1.0 with your package manager.",
     NOTICE, HARFBUZZ_LINE),
    ('Unable to subset "Source Sans 3" with HarfBuzz', NOTICE,
     "nota: HarfBuzz-Subset no pudo reducir una tipografía; el PDF la lleva completa y pesa más. "
     "Actualice la biblioteca HarfBuzz del sistema"),
    ('.notdef glyph rendered for Unicode string unsupported by fonts: "🙂" (U+1F642)', ERROR,
     f"templates/print: {uncovered_message('🙂')}"),
    ("Failed to load image at 'file:///tmp/x/2025/imagenes/mapa.png': cannot identify image file", ERROR,
     "content/2025/img/mapa.png: no se pudo leer la imagen «mapa.png»; se esperaba un PNG, JPG, WEBP o GIF "
     "válido: ábrala y vuelva a guardarla en uno de esos formatos"),
    ("No anchor #fig-x for internal URI reference", ERROR,
     "templates/print: un enlace interno lleva a «#fig-x», que no existe en el informe; revise el enlace o el id"),
    ("Anchor defined twice: 'cap-resumen'", ERROR,
     "templates/print: el id «cap-resumen» está dos veces en el informe; cada figura, tabla y título necesita "
     "uno distinto"),
    ("Ignored `colour: red` at 3:1, unknown property.", WARNING,
     "templates/print: aviso: WeasyPrint avisó algo que el publicador no reconoce (texto original: «Ignored "
     "`colour: red` at 3:1, unknown property.»); revise el PDF y avise al equipo técnico"),
])
def test_each_kind_of_weasyprint_message_is_classified(logged, level, shown):
    sources = {"mapa.png": SourceLoc("content/2025/img/mapa.png")}
    (diagnostic,) = classify([logged, logged], WHERE, sources)  # reported once
    assert diagnostic.level == level
    assert str(diagnostic) == shown


def test_notices_never_stop_a_strict_build_and_are_counted_apart():
    found = [notice("falta algo en el equipo"), warning(SourceLoc("a.md", 1), "algo dudoso")]
    assert doubtful(found) == [found[1]]
    assert doubtful([found[0]]) == []
    assert summary([d.level for d in found]) == "0 error(es), 1 aviso(s), 1 nota(s)."
    assert summary([WARNING]) == "0 error(es), 1 aviso(s)."
    assert str(found[0]) == "nota: falta algo en el equipo"


def test_a_character_the_fonts_lack_in_a_template_fails_the_pdf(shipped_report, tmp_path):
    """The net over the laid-out PDF: text that did not come from the checked inputs still cannot fall back."""
    import dataclasses

    from emra_site.errors import BuildError
    from emra_site.render_pdf import render_pdf

    edition = dataclasses.replace(shipped_report.edition(2025), sections=())  # no charts needed here
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    report = templates / "print" / "report.html"
    report.write_text(report.read_text(encoding="utf-8").replace("<body>", "<body><p>Hecho 🙂</p>", 1),
                      encoding="utf-8")
    (tmp_path / "ed").mkdir()
    with pytest.raises(BuildError) as exc:
        render_pdf(edition, {}, templates, tmp_path / "ed", [tmp_path / "ed"], tmp_path, tmp_path)
    assert [str(d) for d in exc.value.diagnostics] == [f"templates/print: {uncovered_message('🙂')}"]


# --- whole builds on machines that lack things ----------------------------------------------------


@pytest.mark.slow
def test_build_without_harfbuzz_subset_publishes_with_one_notice(tmp_path):
    """The README's build on a machine without libharfbuzz-subset0: exit 0, a PDF, a notice; --strict too."""
    project = copy_project(MINIMO, tmp_path / "p")
    libraries = _harfbuzz_subset_files()
    done = run_hiding(build_command(project), libraries=libraries)
    assert done.returncode == 0, done.stderr
    assert (project / "output" / "site" / "2025" / "emra-informe-avance-2025.pdf").stat().st_size > 10_000
    lines = done.stderr.splitlines()
    assert lines.count(HARFBUZZ_LINE) == 1, done.stderr
    assert "0 error(es), 0 aviso(s), 1 nota(s)." in lines
    assert "Traceback" not in done.stderr and "fontTools" not in done.stderr.replace(HARFBUZZ_NOTICE, "")

    strict = run_hiding(build_command(project, "--strict"), libraries=libraries)
    assert strict.returncode == 0, strict.stderr
    assert strict.stderr.splitlines().count(HARFBUZZ_LINE) == 1
    again = run_hiding(build_command(project, "--strict"), libraries=libraries)  # nothing changed: replayed
    assert again.returncode == 0 and HARFBUZZ_LINE in again.stderr.splitlines()
    assert "0 error(es), 0 aviso(s), 1 nota(s)." in again.stderr.splitlines()
    assert "Sin cambios desde la última compilación" in again.stderr


def test_with_harfbuzz_subset_there_is_no_notice(shipped_build):
    """The session's build of the shipped edition recorded what its PDF reported: nothing."""
    import json

    from emra_site.stamp import FOLDERS_NAME

    if not has_harfbuzz_subset():
        if os.environ.get("CI"):
            pytest.fail("CI installs libharfbuzz-subset0")
        pytest.skip("libharfbuzz-subset0 is not installed")
    recorded = json.loads((shipped_build.output / FOLDERS_NAME).read_text(encoding="utf-8"))
    assert recorded["2025"]["diagnosticos"] == []


@pytest.mark.slow
def test_unusual_characters_use_only_shipped_fonts_and_same_bytes_on_another_machine(tmp_path):
    """`CO₂ ≥ 50 % ≤ ± °` in a page, a table and a chart label: only Source Sans 3 in the PDF, and the
    whole site (PDF, chart SVGs and PNGs) byte for byte the same when built as on another machine:
    the system fonts hidden, another hash seed, time zone and locale, no SOURCE_DATE_EPOCH, and the
    chapter PDFs written without the forked helper."""
    pdffonts = need_tool("pdffonts")
    pdftotext = need_tool("pdftotext")
    shown = project_with_unusual_characters(tmp_path / "con-fuentes")
    done = subprocess.run(build_command(shown, "--sin-cache"), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    site = shown / "output" / "site"
    pdf = site / "2025" / "emra-informe-avance-2025.pdf"
    listing = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True, check=True).stdout
    names = [line.split()[0] for line in listing.splitlines()[2:]]
    assert len(names) == 4 and all(n.split("+", 1)[1].startswith("Source-Sans-3") for n in names), listing
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert text.count(UNUSUAL) >= 2, "the paragraph and the table cell"  # the chart's text is in its figure
    labelled = [p for p in (site / "2025" / "graficos").glob("*.svg") if "CO₂" in p.read_text(encoding="utf-8")]
    assert labelled and all(p.with_suffix(".png").is_file() for p in labelled)

    hidden = project_with_unusual_characters(tmp_path / "sin-fuentes")
    elsewhere = {**os.environ, "PYTHONHASHSEED": "4242", "TZ": "Asia/Tokyo", "LANG": "C", "LC_ALL": "C",
                 "EMRA_SIN_PROCESOS": "1"}
    elsewhere.pop("SOURCE_DATE_EPOCH", None)
    done = run_hiding(build_command(hidden, "--sin-cache"), folders=list(SYSTEM_FONT_DIRS), env=elsewhere)
    assert done.returncode == 0, done.stderr
    # PDF, chart SVGs and PNGs: had any glyph come from a system font, hiding them would change its bytes;
    # had anything depended on the process, the hash seed, the clock's zone or the locale, the same.
    assert tree_digests(hidden / "output" / "site") == tree_digests(site)
