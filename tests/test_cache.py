"""The build cache can never give a wrong output: after any kind of edit, cached = clean build."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, copy_built
from helpers import MINIMO, copy_project

from emra_site.pipeline import Paths


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8-sig")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run_build(project: Path, *flags: str) -> str:
    """A build in its own process, as editors run it (vl-convert loads fonts once per process); its messages."""
    return subprocess.run([sys.executable, str(REPO / "build.py"), "-C", str(project), *flags], check=True,
                          capture_output=True, text=True, timeout=300).stderr


def clean_build_of(project: Path, tmp: Path) -> dict[str, str]:
    copy = tmp / f"limpio-{len(list(tmp.iterdir()))}"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".cache", "output"))
    run_build(copy, "--sin-cache")
    assert not (copy / ".cache").exists()
    return digest(copy / "output" / "site")


@pytest.mark.slow
def test_cached_builds_match_clean_builds_after_every_kind_of_edit(tmp_path):
    project = copy_project(MINIMO, tmp_path / "p")
    shutil.copytree(REPO / "templates", project / "templates")
    paths = Paths.of(project)
    run_build(project)  # warms .cache/emra
    cache = project / ".cache" / "emra"
    entries = {p.name for p in cache.rglob("*.pickle")}
    assert entries, "the first build filled the cache"

    built = digest(paths.site)
    assert "Sin cambios desde la última compilación" in run_build(project)
    assert {p.name for p in cache.rglob("*.pickle")} == entries, "a no-change rebuild adds nothing to the cache"
    assert digest(paths.site) == built

    # A published file deleted or edited by hand is not "no change": the build puts it back.
    (paths.site / "2025" / "acuerdos.html").unlink()
    (paths.site / "2025" / "datos" / "index.html").write_text("tocado", encoding="utf-8")
    assert "Sin cambios" not in run_build(project)
    assert digest(paths.site) == built

    data, content, templates = project / "data" / "2025", project / "content" / "2025", project / "templates"
    changes = [
        lambda: edit(data / "acuerdos.csv", "AMB-01;ambiental;Disminución al 60% al 2030 del uso de agua continental;60%",
                     "AMB-01;ambiental;Disminución al 60% al 2030 del uso de agua continental;61%"),
        lambda: edit(content / "acuerdos.md", "## Dimensión ambiental", "## Dimensión ambiental y más"),
        lambda: edit(templates / "print" / "report.html", "<p class=\"toc-title\">{{ _(\"Índice\") }}</p>",
                     "<p class=\"toc-title\">{{ _(\"Índice general\") }}</p>"),
        lambda: edit(templates / "static" / "css" / "site.css", "--primary: #0b4f6c;", "--primary: #0b4f6d;"),
        lambda: edit(templates / "print" / "print.css", "font-size: 10.5pt", "font-size: 10.6pt"),
        lambda: edit(content / "edition.yml", "fecha_publicacion: 2025-06-30", "fecha_publicacion: 2025-07-01"),
    ]
    for change in changes:  # every kind of input changes, then one cached build against a clean one
        change()
    # And a font, which changes what every chart and PDF measures: nothing drawn with the old one may survive.
    font = templates / "fonts" / "source-sans-3-bold.ttf"
    font.write_bytes((REPO / "templates" / "fonts" / "source-sans-3-semibold.ttf").read_bytes())
    run_build(project)
    assert digest(paths.site) == clean_build_of(project, tmp_path)


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_unchanged_editions_are_taken_as_they_are_and_the_site_equals_a_clean_build(three_build, tmp_path):
    from emra_site.app import build

    paths = copy_built(three_build, tmp_path / "p")  # the session's warm three-edition build
    project = paths.root
    # Every page also shows a figure of the latest edition, as an editor may add to base.html.
    edit(project / "templates" / "base.html", "</footer>",
         '<p id="cifra">{{ latest.data.dimensiones[0].avance_reportado | percent }}</p></footer>')
    build(paths)
    before = {year: inodes(paths.site / year) for year in ("2023", "2024", "2025")}

    # 2024's prose changes: its folder is rebuilt, 2023 and 2025 are taken as they are (a 2024 value
    # would rebuild 2025 too, whose «¿Qué cambió?» compares with it: the property test covers that).
    edit(project / "content" / "2024" / "acuerdos.md", "Los acuerdos ambientales y su avance",
         "Los acuerdos ambientales y sus avances")
    build(paths)
    assert inodes(paths.site / "2023") == before["2023"] and inodes(paths.site / "2025") == before["2025"]
    assert inodes(paths.site / "2024") != before["2024"]

    # The latest edition's figure changes: every page shows it, so every edition folder is rebuilt
    # (the stale-figure regression of issue 12: 2023 and 2024 kept «47,5%» while 2025 said «60%»).
    edit(project / "data" / "2025" / "dimensiones.csv", "ambiental;Ambiental;2;47,5", "ambiental;Ambiental;2;60")
    build(paths)
    for year in ("2023", "2024", "2025"):
        page = (paths.site / year / "acuerdos.html").read_text(encoding="utf-8")
        assert '<p id="cifra">60%</p>' in page, year

    clean = tmp_path / "limpio"
    shutil.copytree(project, clean, ignore=shutil.ignore_patterns(".cache", "output"))
    build(Paths.of(clean), use_cache=False)
    assert digest(paths.site) == digest(clean / "output" / "site")
