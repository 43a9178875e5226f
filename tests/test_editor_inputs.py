"""Issue 13, kinds 4 and 5: front matter, directives and numbering; the preview and the command line.

Each editor case (`editor-03` … `editor-19`) has a test that asserts the behaviour its README
expects, on the minimal 2025 project (`tests/fixtures/minimo`). Two nets run over everything a
user reads: `english` finds library English in YAML diagnostics, command-line output and the
preview's own pages. One slow test starts the real preview (ports, placeholder, warnings).
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import REPO
from helpers import MINIMO, copy_project, diagnostic_lines, run_cli

from emra_site.cli import locate_project, main, verdict
from emra_site.directives import parse_directive
from emra_site.errors import ERROR, WARNING, SourceLoc
from emra_site.load import parse_yaml, read_yaml
from emra_site.paths import Paths
from emra_site.pipeline import read_report
from emra_site.yamltext import canonical_key

EDITION = "2025"  # the minimal project's only edition

# Words that only English library text brings (PyYAML, click, http.server); quoted input («…») is left out.
ENGLISH_WORDS = {
    "the", "and", "but", "not", "is", "are", "this", "that", "for", "with", "such", "did", "you", "mean", "usage",
    "options", "option", "commands", "command", "show", "message", "exit", "missing", "argument", "invalid",
    "value", "got", "unexpected", "extra", "requires", "does", "take", "expected", "found", "while", "scanning",
    "parsing", "mapping", "sequence", "block", "scalar", "token", "stream", "allowed", "could", "cannot",
    "character", "indentation", "escape", "unknown", "duplicate", "directory", "listing", "file",
    "error response", "explanation", "nothing", "matches", "given", "request", "here",
}


def english(text: str) -> set[str]:
    """The English library words in `text`, leaving out what an editor typed (between « and »)."""
    bare = re.sub(r"«[^»]*»", " ", text)
    bare = re.sub(r"\S*[/\\]\S*", " ", bare)  # paths and URLs
    words = set(re.findall(r"[a-záéíóúñ]+", bare.lower()))
    return {w for w in ENGLISH_WORDS if " " not in w and w in words}


def project(tmp_path: Path) -> Path:
    """A copy of the minimal project (2025)."""
    return copy_project(MINIMO, tmp_path / "p")


def edit(path: Path, old: str, new: str) -> None:
    """Replace `old` (present once) with `new` in a text file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def section(root: Path, slug: str, titulo: str, numero: str | None = None) -> Path:
    """Write a new section file with a valid front matter (and `numero` when given)."""
    path = root / "content" / EDITION / f"{slug}.md"
    numbered = f'numero: "{numero}"\n' if numero else ""
    path.write_text(f"---\ntitulo: {titulo}\n{numbered}descripcion: Sección nueva.\n---\n\n## Contexto\n\nTexto.\n",
                    encoding="utf-8")
    return path


def list_sections(root: Path, *slugs: str) -> None:
    """Make `secciones` of edition.yml exactly `slugs`, in that order."""
    meta = root / "content" / EDITION / "edition.yml"
    text = meta.read_text(encoding="utf-8")
    listed = "secciones:\n" + "".join(f"  - {s}\n" for s in slugs)
    meta.write_text(re.sub(r"secciones:\n(?:  - .*\n)+", listed, text), encoding="utf-8")


# --- editor-03: YAML errors on the right line, in Spanish -------------------------------------------


def test_unclosed_quote_in_titulo_is_reported_on_its_own_line_in_spanish(tmp_path):
    root = project(tmp_path)
    edit(root / "content" / EDITION / "acuerdos.md", "titulo: Avances", 'titulo: "Avances')
    code, out = run_cli(["-C", str(root), "check"])
    assert code == 1
    assert diagnostic_lines(out) == [
        ("content/2025/acuerdos.md:2:9: YAML no válido: unas comillas se abren aquí y no se cierran en la misma "
        "línea; ciérrelas al final del valor; se esperaba «clave: valor», una por línea")]


@pytest.mark.parametrize(("text", "where", "words"), [
    ('titulo: "Resumen\nnumero: "1"\ndescripcion: x\n', (2, 9), "unas comillas se abren aquí"),
    ("titulo: 'Resumen\nnumero: '1'\n", (2, 9), "unas comillas se abren aquí"),
    ('titulo: "Plan" comunicacional\n', (2, 16), "hay texto después de las comillas"),
    ("titulo Plan\nnumero: 1\n", (2, 1), "falta «:» entre la clave y su valor"),
    ("titulo: Plan\n  numero: 1\n", (3, 1), "esta línea empieza con espacios"),
    ("titulo: @Plan\n", (2, 9), "un valor empieza con «@»"),
    ("titulo: [Plan\nnumero: 1\n", (3, 7), "se abre «[» y no se cierra"),
    ('titulo: "a\\q"\n', (2, 12), "una barra invertida"),
    ("titulo: a\n---\nnumero: 1\n", (3, 1), "hay una línea «---» o «...» de más"),
    ("titulo: x\x00\n", (2, None), "un carácter de control (U+0000)"),
])
def test_yaml_errors_say_what_to_fix_where_in_spanish(text, where, words):
    data, _, diags = parse_yaml(text, "content/2025/s.md", 2)
    assert data is None
    (d,) = diags
    assert d.level == ERROR and (d.loc.line, d.loc.col) == where and words in d.message, d
    assert not english(d.message), d.message


YAML_BREAKERS = ['"', "'", ":", ": :", "[", "]", "{", "}", "- ", "? ", "&", "*", "!", "|x", ">x", "%", "@", "`",
                 "\t", "\\", "---", "...", "#", ",", "\x01"]


def test_net_no_yaml_diagnostic_carries_parser_english():
    """The net: every breaking character in every position of a front matter gives Spanish words only."""
    base = ["titulo: Plan comunicacional", 'numero: "3"', "descripcion: Texto de la sección."]
    seen = 0
    for i in range(len(base)):
        for piece in YAML_BREAKERS:
            for variant in (base[i] + piece, piece + base[i], base[i].replace(": ", piece, 1)):
                text = "\n".join([*base[:i], variant, *base[i + 1:]]) + "\n"
                _, _, diags = parse_yaml(text, "content/2025/s.md", 2)
                for d in diags:
                    seen += 1
                    assert d.message.startswith("YAML no válido: ") or "clave" in d.message, d
                    assert not english(d.message), (text, d.message)
                    assert 2 <= d.loc.line <= 2 + len(base), (text, d)
    assert seen > 50  # the net really caught broken inputs


# --- keys with accents or capitals -------------------------------------------------------------------


def test_keys_are_matched_without_accents_capitals_or_enie():
    assert [canonical_key(k) for k in ("Título", "dimensión", "AÑO", "Fecha publicación", " numero ")] == [
        "titulo", "dimension", "anio", "fecha_publicacion", "numero"]
    data, lines, diags = parse_yaml("Título: Hola\nDescripción: Texto\n", "s.md", 2)
    assert (data, lines, diags) == ({"titulo": "Hola", "descripcion": "Texto"}, {"titulo": 2, "descripcion": 3}, [])


def test_a_key_written_twice_in_any_spelling_is_an_error():
    _, _, diags = parse_yaml("titulo: Uno\nnumero: \"1\"\nTítulo: Dos\n", "content/2025/s.md", 2)
    assert [(str(d.loc), d.level, d.message) for d in diags] == [
        ("content/2025/s.md:4:1", ERROR, "la clave «titulo» ya está en la línea 2; deje una sola")]


IDS = {"dimensiones": {"ambiental", "social"}, "objetivos": {"OE1"}, "proyectos": {"5.3"}}


def test_block_key_with_accent_selects_instead_of_being_ignored():
    """`dimensión:` filters the chart; before, it was ignored with a warning and the chart showed everything."""
    directive, diags = parse_directive("grafico", "tipo: avance-acuerdos\nDimensión: ambiental\n",
                                       SourceLoc("content/2025/s.md", 10), IDS)
    assert diags == []
    assert directive.params == (("dimension", "ambiental"),)


def test_unknown_block_key_is_an_error_with_the_valid_keys():
    _, diags = parse_directive("grafico", "tipo: avance-acuerdos\ndimensio: ambiental\n",
                                       SourceLoc("content/2025/s.md", 10), IDS)
    assert [(str(d.loc), d.level, d.message) for d in diags] == [(
        "content/2025/s.md:11", ERROR,
        ("la clave «dimensio» no existe en el bloque «grafico» de tipo «avance-acuerdos»; claves válidas: titulo, "
        "descripcion, id, dimension. Corrija el nombre o borre la línea. ¿Quiso decir «dimension»?"))]


def test_edition_yml_and_front_matter_accept_spanish_spelling(tmp_path):
    root = project(tmp_path)
    meta = root / "content" / EDITION / "edition.yml"
    edit(meta, "anio: 2025", "Año: 2025")
    edit(meta, "fecha_publicacion:", "Fecha publicación:")
    edit(root / "content" / EDITION / "acuerdos.md", "---\ntitulo:", "---\nTítulo:")
    raw, diags = read_yaml(meta, root)
    assert diags == [] and raw.data["anio"] == "2025" and raw.data["fecha_publicacion"] == "2025-06-30"
    code, out = run_cli(["-C", str(root), "check"])
    assert (code, diagnostic_lines(out)) == (0, []), out


# --- editor-04: section numbers come from the order of `secciones` -----------------------------------


def test_a_section_inserted_in_the_middle_renumbers_the_later_ones(tmp_path):
    """Without `numero` lines, inserting a section needs one line in `secciones` and nothing else."""
    root = project(tmp_path)
    for slug in ("acuerdos", "proyectos"):
        path = root / "content" / EDITION / f"{slug}.md"
        path.write_text(re.sub(r'numero: "\d+"\n', "", path.read_text(encoding="utf-8")), encoding="utf-8")
    section(root, "hidrogeno-verde", "Hidrógeno verde")
    list_sections(root, "acuerdos", "hidrogeno-verde", "proyectos")
    report, diags = read_report(Paths.of(root))
    assert diags == [] and report is not None
    edition = report.edition(2025)
    assert [(s.slug, s.numero) for s in edition.sections] == [
        ("acuerdos", "1"), ("hidrogeno-verde", "2"), ("proyectos", "3")]
    assert [edition.chapter_pdf_name(s) for s in edition.sections] == [
        "emra-informe-avance-2025-cap-1.pdf", "emra-informe-avance-2025-cap-2.pdf", "emra-informe-avance-2025-cap-3.pdf"]


def test_a_numero_that_disagrees_with_the_order_is_an_error_with_the_fix(tmp_path):
    """editor-04: the new section takes «2» and the next one keeps «2»: the stale one is refused."""
    root = project(tmp_path)
    section(root, "hidrogeno-verde", "Hidrógeno verde", numero="2")
    list_sections(root, "acuerdos", "hidrogeno-verde", "proyectos")
    code, out = run_cli(["-C", str(root), "check"])
    assert code == 1
    assert diagnostic_lines(out) == [
        ('content/2025/proyectos.md:3: «numero» dice «2», pero esta es la sección 3 según el orden de «secciones» en '
        'content/2025/edition.yml; borre la línea «numero» (el número sale de ese orden) o escriba numero: "3"')]


def test_a_section_listed_twice_is_an_error(tmp_path):
    root = project(tmp_path)
    list_sections(root, "acuerdos", "proyectos", "acuerdos")
    code, out = run_cli(["-C", str(root), "check"])
    assert code == 1
    assert "content/2025/edition.yml:9: la sección «acuerdos» está 2 veces en «secciones»; deje una sola línea " \
           "«  - acuerdos»" in diagnostic_lines(out)


# --- editor-05: a section not listed in `secciones` --------------------------------------------------


def test_a_new_section_not_listed_is_an_error_that_names_the_line_to_add(tmp_path):
    root = project(tmp_path)
    section(root, "hidrogeno-verde", "Hidrógeno verde")
    code, out = run_cli(["-C", str(root), "check"])
    assert code == 1
    assert diagnostic_lines(out) == [
        ("content/2025/hidrogeno-verde.md:1: hidrogeno-verde.md no está en «secciones» de content/2025/edition.yml; "
        "para publicarla agregue la línea «  - hidrogeno-verde» a «secciones», en el lugar que le toca en el índice "
        "(su número sale de ese orden); si no es una sección del informe, saque el archivo de la carpeta")]
    list_sections(root, "acuerdos", "proyectos", "hidrogeno-verde")  # the fix the message names
    code, out = run_cli(["-C", str(root), "check"])
    assert (code, diagnostic_lines(out)) == (0, []), out


def test_a_listed_section_without_its_file_says_which_file_and_the_fix(tmp_path):
    root = project(tmp_path)
    list_sections(root, "acuerdos", "proyectos", "hidrogeno-verd")
    section(root, "hidrogeno-verde", "Hidrógeno verde")
    code, out = run_cli(["-C", str(root), "check"])
    assert code == 1
    assert ("content/2025/edition.yml:9: la sección «hidrogeno-verd» está en «secciones» pero no existe "
            "content/2025/hidrogeno-verd.md; cree el archivo o borre la línea «  - hidrogeno-verd» de «secciones» "
            "¿Quiso decir «hidrogeno-verde»?") in diagnostic_lines(out)


def test_each_mistake_is_reported_once_and_edition_yml_hides_no_block_error(tmp_path):
    """An unclosed front matter is one error (no «no existe» about the file that is there); a block
    with a key written twice is one error (no «ids disponibles: ninguno» for the id it has); and a
    broken edition.yml still lets `check` show the errors of every section's blocks."""
    root = project(tmp_path)
    folder = root / "content" / EDITION
    list_sections(root, "acuerdos", "proyectos", "varios")
    (folder / "varios.md").write_text("---\ntitulo: Varios\ndescripcion: x\n\nTexto.\n", encoding="utf-8")
    edit(folder / "acuerdos.md", "tipo: avance-dimensiones\n",
         "tipo: avance-dimensiones\nid: avance-dimensiones\ntipo: avance-acuerdos\n")
    doc = folder / "acuerdos.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\nVer [[figura:avance-dimensiones]].\n", encoding="utf-8")
    unclosed = ("content/2025/varios.md:1: el encabezado empieza con «---» pero no se cierra: se esperaba otra línea "
                "«---» después de la última clave (titulo, descripcion) y antes del texto; agréguela")
    twice = "content/2025/acuerdos.md:14:1: la clave «tipo» ya está en la línea 12; deje una sola"
    code, out = run_cli(["-C", str(root), "check"])
    assert code == 1 and diagnostic_lines(out) == [twice, unclosed]
    # A reference to an id no block has is still an error.
    doc.write_text(doc.read_text(encoding="utf-8") + "\nY [[figura:otra]].\n", encoding="utf-8")
    assert any("«[[figura:otra]]» no corresponde" in line for line in diagnostic_lines(run_cli(["-C", str(root), "check"])[1]))
    edit(folder / "edition.yml", "titulo: Estrategia", 'titulo: "Estrategia')
    code, out = run_cli(["-C", str(root), "check"])
    lines = diagnostic_lines(out)
    assert code == 1 and twice in lines and unclosed in lines
    assert any(line.startswith("content/2025/edition.yml:1:9: YAML no válido") for line in lines)


# --- editor-01 / check: would GitHub Pages (--strict) publish? ----------------------------------------


def test_verdict_names_what_pages_would_do():
    assert verdict([], strict=False) == (True, ("Sin errores ni avisos: listo para publicar, también en GitHub "
                                               "Pages (--strict)."))
    ok, sentence = verdict([WARNING, WARNING], strict=False)
    assert ok and "2 aviso(s)" in sentence and "GitHub Pages no lo publicará" in sentence
    assert "listos para publicar" not in sentence
    assert verdict([WARNING], strict=True) == (False, ("Con --strict los avisos cuentan como errores (así publica "
                                                      "GitHub Pages): corrija los 1 aviso(s) de arriba."))
    assert verdict([ERROR, WARNING], strict=False)[0] is False
    assert verdict(["nota"], strict=True)[0] is True  # a notice is about the machine, never blocks


def test_check_and_strict_build_say_that_warnings_count_as_errors(tmp_path):
    root = project(tmp_path)
    edit(root / "content" / EDITION / "proyectos.md", "---\ntitulo:", "---\nrevisar: copiado de 2024\ntitulo:")
    code, out = run_cli(["-C", str(root), "check"])
    assert code == 0 and "GitHub Pages no lo publicará" in out and "listos para publicar" not in out
    code, out = run_cli(["-C", str(root), "--strict", "check"])
    assert code == 1 and "Con --strict los avisos cuentan como errores" in out
    code, out = run_cli(["-C", str(root), "--strict"])  # refused right after reading: no build work
    assert code == 1
    assert out.splitlines()[-3:] == [
        "0 error(es), 1 aviso(s).",
        "Con --strict los avisos cuentan como errores (así publica GitHub Pages): corrija los 1 aviso(s) de arriba.",
        "No se publicó nada: output/site/ conserva la última versión correcta."]
    assert not (root / "output" / "site").exists()


# --- editor-17: the project folder from build.py's location -------------------------------------------


def test_project_is_found_beside_build_py_when_the_current_folder_is_not_one(tmp_path, monkeypatch):
    root, elsewhere = project(tmp_path), tmp_path / "casa"
    elsewhere.mkdir()
    assert locate_project(None, root, None) == (root, None)
    found, note = locate_project(None, elsewhere, root)
    assert found == root and note == f"La carpeta actual ({elsewhere}) no tiene content/: se usa el proyecto de build.py, {root}."
    monkeypatch.chdir(elsewhere)
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stderr(out), contextlib.redirect_stdout(out):
        code = main(["revisar"], home=root)
    assert code == 0 and note in out.getvalue() and "no hay ediciones" not in out.getvalue()


def test_no_project_anywhere_says_where_it_looked(tmp_path):
    here, beside = tmp_path / "casa", tmp_path / "app"
    here.mkdir(), beside.mkdir()
    assert locate_project(None, here, beside) == (None, (
        f"no encontré la carpeta content/ en la carpeta actual ({here}) ni junto a build.py ({beside}); ejecute el "
        "comando dentro de la carpeta del proyecto (la que contiene content/ y data/) o indíquela con -C"))
    code, out = run_cli(["-C", str(here), "check"])
    assert code == 1
    assert out.strip() == (f"no encontré la carpeta content/ en {here}; con -C indique la carpeta del proyecto, "
                           "la que contiene content/ y data/")


# --- editor-19: Spanish command line ------------------------------------------------------------------


def test_spanish_command_names_run_the_commands():
    assert run_cli(["-C", str(MINIMO), "revisar"])[0] == 0
    code, out = run_cli(["-C", str(MINIMO), "nueva-edición", "--help"])
    assert code == 0 and out.startswith("Uso: emra-site new-edition [OPCIONES] AÑO")
    code, out = run_cli(["vista-previa", "--help"])
    assert code == 0 and "--puerto N" in out and "si está ocupado, se usa el siguiente libre" in " ".join(out.split())


@pytest.mark.parametrize(("args", "first_line"), [
    (["serv"], ("Uso incorrecto: no existe el comando «serv»; los comandos son: build (compilar), check (revisar), "
               "serve (vista-previa), new-edition (nueva-edicion). ¿Quiso decir «serve»?")),
    (["nueva-edicio", "2027"], ("Uso incorrecto: no existe el comando «nueva-edicio»; los comandos son: build "
                               "(compilar), check (revisar), serve (vista-previa), new-edition (nueva-edicion). "
                               "¿Quiso decir «nueva-edicion»?")),
    (["new-edition"], "Uso incorrecto: falta AÑO: escriba emra-site new-edition AÑO"),
    (["--sin-cach"], "Uso incorrecto: la opción «--sin-cach» no existe. ¿Quiso decir «--sin-cache»?"),
    (["--puerto", "8001"], ("Uso incorrecto: la opción «--puerto» es del comando «serve»; escríbala después de él: "
                           "emra-site serve --puerto …")),
    (["serve", "--puerto", "ocho"], ("Uso incorrecto: «--puerto»: «ocho» no es un puerto; se esperaba un número "
                                    "entre 1 y 65535, por ejemplo 8001")),
    (["serve", "--puerto"], "Uso incorrecto: a la opción «--puerto» le falta su valor: --puerto N"),
    (["--strict=no"], "Uso incorrecto: la opción «--strict» no lleva valor; escriba solo --strict"),
    (["check", "todo"], "Uso incorrecto: sobra «todo»: el comando «emra-site check» no lleva más palabras"),
    (["new-edition", "dos mil"], "Uso incorrecto: «dos mil» no es un año; se esperaba por ejemplo 2026"),
])
def test_usage_errors_are_spanish_with_a_suggestion(args, first_line):
    code, out = run_cli(args)
    assert code == 2
    assert out.splitlines()[0] == first_line
    assert out.splitlines()[1].startswith("Ejecute «emra-site")


@pytest.mark.parametrize(("args", "read_as"), [
    (["check", "--strict", "-C", "p"], ["--strict", "-C", "p", "check"]),
    (["compilar", "--site-url=https://x/", "--timings"], ["--site-url=https://x/", "--timings", "compilar"]),
    (["-C", "p", "revisar", "--strict"], ["-C", "p", "--strict", "revisar"]),
    (["serve", "--puerto", "8001", "--sin-cache"], ["--sin-cache", "serve", "--puerto", "8001"]),
    (["new-edition", "2026", "-Cp"], ["-Cp", "new-edition", "2026"]),
    (["--strict", "check"], ["--strict", "check"]),
    (["check", "--", "--strict"], ["check", "--", "--strict"]),
    (["check", "--help"], ["check", "--help"]),
])
def test_global_options_after_the_command_are_read_before_it(args, read_as):
    """QA 9c: `python build.py check --strict` said «la opción «--strict» no existe»."""
    import click

    from emra_site.cli import main_group

    assert main_group.hoist_own_options(click.Context(main_group), args) == read_as


def test_check_strict_after_the_command_runs_like_before_it():
    after = run_cli(["revisar", "--strict", "-C", str(MINIMO)])
    assert after[0] == 0 and after == run_cli(["--strict", "-C", str(MINIMO), "revisar"])
    assert run_cli(["check", "-C"]) == (2, ("Uso incorrecto: a la opción «-C» le falta su valor: -C CARPETA\n"
                                           "Ejecute «emra-site --help» para ver las opciones.\n"))


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["check", "--help"], ["serve", "-h"], ["new-edition", "--help"],
                                  ["build", "--help"], ["serv"], ["--nada"], ["-C"], ["new-edition"], ["check", "x"],
                                  ["serve", "--puerto", "-1"], ["serve", "--puerto", "70000"], ["--strict=1"],
                                  ["new-edition", "2027", "2028"], ["-x"], ["revisar", "--nada"]])
def test_net_no_command_line_output_carries_click_english(args):
    _, out = run_cli(args)
    assert out.strip() and not english(out), out


# --- editor-13 / 14 / 15: the preview's server, without a build ---------------------------------------


def test_a_busy_port_takes_the_next_free_one_and_says_which(tmp_path):
    from emra_site.serve import PreviewHandler, open_server

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    busy = taken.getsockname()[1]
    said: list[str] = []
    try:
        server = open_server(busy, PreviewHandler, said.append)
        port = server.server_address[1]
        server.server_close()
    finally:
        taken.close()
    assert port != busy
    assert said == [f"El puerto {busy} está ocupado (¿hay otra vista previa abierta?); se usa el {port}."]


@pytest.fixture()
def bare_server(tmp_path):
    """A preview server over an empty folder (a fresh clone: no site built yet), with its hub."""
    import functools

    from emra_site.serve import Hub, PreviewHandler, open_server

    hub = Hub()
    handler = type("Handler", (PreviewHandler,), {"hub": hub})
    server = open_server(0, functools.partial(handler, directory=str(tmp_path)), print)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield hub, server.server_address[1]
    server.shutdown()
    server.server_close()


def visible_text(page: str) -> str:
    """What a reader sees of an HTML page: no script, no style, no tags."""
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)>.*?</\1>", " ", page, flags=re.DOTALL))


def fetch(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read().decode("utf-8")


def test_fresh_clone_with_an_error_shows_a_spanish_page_with_the_errors(bare_server):
    hub, port = bare_server
    status, page = fetch(port, "/")
    assert status == 200 and "Preparando la vista previa" in page and "/__emra/eventos" in page
    hub.show(["content/2025/acuerdos.md:21: «tipo» tiene «avance-acuerdo»; … ¿Quiso decir «avance-acuerdos»?"],
             ["content/2025/proyectos.md:2: aviso: sección copiada"], reload=False)
    status, page = fetch(port, "/")
    assert status == 200
    assert "Todavía no hay una versión correcta que mostrar" in page
    assert "content/2025/acuerdos.md:21: «tipo» tiene «avance-acuerdo»" in page
    assert "content/2025/proyectos.md:2: aviso: sección copiada" in page
    assert "Directory listing" not in page and not english(visible_text(page))
    status, page = fetch(port, "/2025/no-existe.html")
    assert status == 404 and "Esta página no existe en la vista previa" in page and not english(visible_text(page))


def test_warnings_reach_the_page_as_well_as_errors(bare_server):
    hub, port = bare_server
    hub.show([], ["content/2025/otra.md:1: aviso: algo"], reload=True)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/__emra/eventos")
    stream = conn.getresponse()
    event = data = None
    while event is None or data is None:
        line = stream.fp.readline().decode("utf-8").rstrip("\n")
        event = line[7:] if line.startswith("event: ") else event
        data = line[6:] if line.startswith("data: ") else data
    assert (event, json.loads(data)) == ("avisos", ["content/2025/otra.md:1: aviso: algo"])


# --- the real preview: busy port, fresh clone with an error, then warnings after the fix (one build) ----


@pytest.mark.slow
def test_preview_on_a_busy_port_with_an_error_then_warnings(tmp_path):
    root = project(tmp_path)
    doc = root / "content" / EDITION / "acuerdos.md"
    edit(doc, "tipo: avance-dimensiones", "tipo: avance-dimension")
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    busy = taken.getsockname()[1]
    proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "-C", str(root), "vista-previa", "--puerto",
                             str(busy)], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        said = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any("Vista previa en" in line for line in said):
            said.append(proc.stderr.readline())
        port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", said[-1]).group(1))
        assert port != busy and f"El puerto {busy} está ocupado (¿hay otra vista previa abierta?); se usa el {port}.\n" in said
        status, page = fetch(port, "/")
        assert status == 200 and "«tipo» tiene «avance-dimension»" in page and "Directory listing" not in page
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=90)
        conn.request("GET", "/__emra/eventos")
        stream = conn.getresponse()

        def next_event() -> tuple[str, str]:
            event = None
            while True:
                line = stream.fp.readline().decode("utf-8").rstrip("\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: ") and event:
                    return event, line[6:]

        assert next_event()[0] == "errores"  # the state of the last save, on connecting
        text = doc.read_text(encoding="utf-8").replace("tipo: avance-dimension\n", "tipo: avance-dimensiones\n")
        doc.write_text(text.replace("titulo:", "revisar: copiado de 2024\ntitulo:", 1), encoding="utf-8")
        assert next_event()[0] == "recarga"
        event, data = next_event()
        assert event == "avisos" and "content/2025/acuerdos.md:2: aviso: sección copiada" in json.loads(data)[0]
        status, page = fetch(port, "/2025/acuerdos.html")
        assert status == 200 and "/__emra/eventos" in page
    finally:
        taken.close()
        proc.terminate()
        proc.wait(timeout=20)
