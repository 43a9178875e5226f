"""`check` on a minimal valid project and on one broken copy of it per folder of fixtures/broken/.

Each broken case holds only the files that differ from `minimo` plus `esperado.txt`, the exact
`path:line[:col]: message` lines an editor must see, in the order `check` prints them.
"""

from __future__ import annotations

import pytest
from helpers import (
    BROKEN,
    EXPECTED,
    MINIMO,
    copy_project,
    diagnostic_lines,
    expected_lines,
    overlay,
    run_cli,
)

CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())

# Cases the brief requires; the suite fails loudly if one of them is deleted or renamed.
REQUIRED = {
    "falta-columna", "porcentaje-mayor-que-100", "porcentaje-no-numerico", "id-repetido",
    "acuerdo-dimension-desconocida", "iniciativa-objetivo-desconocido", "etapa-proyecto-desconocido",
    "opcion-invalida", "fila-con-celdas-de-mas", "separadores-decimales-mezclados", "formula",
    "encabezado-sin-filas", "archivo-vacio", "fecha-inexistente", "monto-negativo",
    "yaml-invalido-en-encabezado", "grafico-tipo-desconocido", "grafico-dimension-desconocida",
    "grafico-falta-proyecto", "encabezado-clave-desconocida", "seccion-sin-archivo", "anio-distinto",
    "titulo-nivel-1", "enlace-javascript", "varios-errores",
}

SUCCESS = "Sin errores"


def _is_warning(line: str) -> bool:
    return ": aviso: " in line


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """Run `check` once per broken case (copy of minimo + overlay); cache (exit code, output)."""
    cache: dict[str, tuple[int, str]] = {}

    def run(case: str) -> tuple[int, str]:
        if case not in cache:
            project = copy_project(MINIMO, tmp_path_factory.mktemp(case) / "proyecto")
            overlay(project, BROKEN / case)
            cache[case] = run_cli(["-C", str(project), "check"])
        return cache[case]

    return run


# --- the minimal project ---------------------------------------------------------------------


def test_minimo_is_valid_and_silent():
    code, out = run_cli(["-C", str(MINIMO), "check"])
    assert code == 0, out
    assert diagnostic_lines(out) == [], out
    assert "error(es)" not in out and "aviso(s)" not in out
    assert SUCCESS in out


def test_minimo_is_valid_under_strict():
    code, out = run_cli(["-C", str(MINIMO), "--strict", "check"])
    assert code == 0, out
    assert diagnostic_lines(out) == []


def test_minimo_copy_is_valid_too(tmp_path):
    """copy_project keeps the project whole: the copy checks exactly like the original."""
    project = copy_project(MINIMO, tmp_path / "p")
    assert sorted(p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()) == sorted(
        p.relative_to(MINIMO).as_posix() for p in MINIMO.rglob("*") if p.is_file())
    code, out = run_cli(["-C", str(project), "check"])
    assert (code, diagnostic_lines(out)) == (0, [])


def test_minimo_exercises_the_tricky_formats():
    """The fixture really contains what the loader tests rely on (BOM, `,` and `;`, 47,5, %, blanks)."""
    data = MINIMO / "data" / "2025"
    raw = {p.name: p.read_bytes() for p in data.glob("*.csv")}
    assert len(raw) == 10
    bom = [n for n, b in raw.items() if b.startswith(b"\xef\xbb\xbf")]
    assert bom and all(raw[n].split(b"\n")[0].count(b",") >= 3 for n in bom)
    assert any(b.split(b"\n")[0].count(b";") >= 2 for n, b in raw.items() if n not in bom)
    assert b";47,5\n" in raw["dimensiones.csv"]
    assert b"%" in raw["acuerdos.csv"].split(b"\n", 1)[1]
    assert b"SOC-01;social;Desarrollo de ciudades sustentables;;" in raw["acuerdos.csv"]


def test_missing_project_is_an_error(tmp_path):
    code, out = run_cli(["-C", str(tmp_path), "check"])
    assert code == 1
    assert out.strip() == (f"no encontré la carpeta content/ en {tmp_path}; con -C indique la carpeta del proyecto, "
                           "la que contiene content/ y data/")


def test_project_without_editions_is_an_error(tmp_path):
    (tmp_path / "content").mkdir()
    code, out = run_cli(["-C", str(tmp_path), "check"])
    assert code == 1
    assert diagnostic_lines(out) == [
        "content: no hay ediciones; se esperaba una carpeta por año, por ejemplo content/2025/ con edition.yml"]


def test_unknown_command_is_a_usage_error():
    code, out = run_cli(["-C", str(MINIMO), "publicar-todo"])
    assert code == 2
    assert "Uso incorrecto" in out


# --- the broken cases ------------------------------------------------------------------------


def test_every_required_case_exists():
    assert REQUIRED <= set(CASES), sorted(REQUIRED - set(CASES))


@pytest.mark.parametrize("case", CASES)
def test_fixture_only_holds_changed_files(case):
    """Each overlay file replaces a file of minimo (same path) and really differs from it."""
    folder = BROKEN / case
    expected = expected_lines(folder)
    assert expected, f"{case}/{EXPECTED} está vacío"
    files = [p for p in folder.rglob("*") if p.is_file() and p.name != EXPECTED]
    assert files, f"{case} no cambia ningún archivo"
    for path in files:
        original = MINIMO / path.relative_to(folder)
        assert original.is_file(), f"{path.relative_to(BROKEN)} no existe en minimo"
        assert path.read_bytes() != original.read_bytes(), f"{path.relative_to(BROKEN)} es igual al de minimo"


@pytest.mark.parametrize("case", CASES)
def test_broken_case_diagnostics(case, checked):
    _code, out = checked(case)
    assert "Traceback" not in out
    assert diagnostic_lines(out) == expected_lines(BROKEN / case), out


@pytest.mark.parametrize("case", CASES)
def test_broken_case_exit_code(case, checked):
    code, out = checked(case)
    errors = [line for line in expected_lines(BROKEN / case) if not _is_warning(line)]
    if errors:
        assert code == 1, out
        assert SUCCESS not in out
    else:
        assert code == 0, out
        assert SUCCESS in out


@pytest.mark.parametrize("case", CASES)
def test_broken_case_summary_counts_what_was_printed(case, checked):
    _code, out = checked(case)
    printed = diagnostic_lines(out)
    warnings = sum(1 for line in printed if _is_warning(line))
    assert f"{len(printed) - warnings} error(es), {warnings} aviso(s)." in out.splitlines()


def test_unknown_front_matter_key_is_an_error(tmp_path):
    """An unknown key is refused, never ignored (issue 13): with or without --strict."""
    case = BROKEN / "encabezado-clave-desconocida"
    project = copy_project(MINIMO, tmp_path / "p")
    overlay(project, case)
    code, out = run_cli(["-C", str(project), "check"])
    assert code == 1, out
    code, out = run_cli(["-C", str(project), "--strict", "check"])
    assert code == 1, out
    assert diagnostic_lines(out) == expected_lines(case)
    assert SUCCESS not in out


def test_several_files_reported_in_one_run(checked):
    """Every broken file of `varios-errores` shows up: validation never stops at the first file."""
    code, out = checked("varios-errores")
    reported = {line.split(":", 1)[0] for line in diagnostic_lines(out)}
    changed = {p.relative_to(BROKEN / "varios-errores").as_posix()
               for p in (BROKEN / "varios-errores").rglob("*") if p.is_file() and p.name != EXPECTED}
    assert reported == changed
    assert code == 1


def test_overlay_skips_expected_file_and_keeps_paths(tmp_path):
    project = copy_project(MINIMO, tmp_path / "p")
    overlay(project, BROKEN / "varios-errores")
    assert not (project / EXPECTED).exists()
    assert (project / "data" / "2025" / "hitos.csv").read_bytes() == (
        BROKEN / "varios-errores" / "data" / "2025" / "hitos.csv").read_bytes()
    # files the case does not touch stay as in minimo
    assert (project / "data" / "2025" / "montos.csv").read_bytes() == (
        MINIMO / "data" / "2025" / "montos.csv").read_bytes()


def test_missing_table_file_is_reported(tmp_path):
    project = copy_project(MINIMO, tmp_path / "p")
    (project / "data" / "2025" / "hitos.csv").unlink()
    code, out = run_cli(["-C", str(project), "check"])
    assert code == 1
    assert diagnostic_lines(out) == ["data/2025/hitos.csv: falta la tabla hitos.csv (o hitos.xlsx); se esperaba en data/2025/"]


def test_markdown_not_listed_in_edition_is_an_error_that_names_the_line_to_add(tmp_path):
    project = copy_project(MINIMO, tmp_path / "p")
    extra = project / "content" / "2025" / "borrador.md"
    extra.write_text("---\ntitulo: Borrador\nnumero: \"9\"\ndescripcion: Sin publicar.\n---\n\nTexto.\n",
                     encoding="utf-8")
    code, out = run_cli(["-C", str(project), "check"])
    assert code == 1, out
    assert diagnostic_lines(out) == [
        "content/2025/borrador.md:1: borrador.md no está en «secciones» de content/2025/edition.yml; para publicarla "
        "agregue la línea «  - borrador» a «secciones», en el lugar que le toca en el índice (su número sale de ese "
        "orden); si no es una sección del informe, saque el archivo de la carpeta"]
