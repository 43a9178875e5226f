"""The communications kit (`<año>/kit/`): cards, posts, key figures, the archive and the kit's page."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pytest
from conftest import PINNED, REPO, copy_inputs

from emra_site.kit.cards import SIZES, Card, all_cards, card_texts
from emra_site.kit.figures import key_figures
from emra_site.kit.posts import MAX_POST, post_for
from emra_site.layout import LAYOUT as L

FONTS = REPO / "templates" / "fonts"
# A number as the report prints it: «47%», «M$4.222.529», «2023-2050», «5.3», «20».
NUMBER = re.compile(r"M?\$?\d[\d.]*(?:,\d+)?%?")


def _card(summary: str) -> Card:
    return Card("prueba", "seccion", "Sección 1", "Título", (), (), "2025/resumen.html", summary, "alt")


@pytest.mark.parametrize("words", [10, 40, 60, 200])
def test_a_post_never_passes_280_characters_and_is_cut_at_a_word(words):
    summary = " ".join(f"palabra{i}" for i in range(words))
    tags = ("#EMRA2050", "#RegiónDeAntofagasta")
    url = "https://org.github.io/emra/2025/resumen.html"
    post = post_for(_card(summary), tags, url)
    assert post.length == len(post.text) - len(url) + 23 <= MAX_POST  # X counts a link as 23 characters
    assert post.text.endswith(f" {url} #EMRA2050 #RegiónDeAntofagasta")  # link and hashtags never cut
    body = post.text.removesuffix(f" {url} #EMRA2050 #RegiónDeAntofagasta")
    assert post.shortened == (len(summary) + 1 + 23 + 31 > MAX_POST)
    # Without the site's address the link's place is kept: the same cut as the published build.
    assert post_for(_card(summary), tags, None).text == f"{body} #EMRA2050 #RegiónDeAntofagasta"
    if post.shortened:
        assert body.endswith("…") and summary.startswith(body.removesuffix("…"))
        assert re.fullmatch(r"(palabra\d+ )*palabra\d+…", body)  # whole words only
    else:
        assert body == summary


def test_every_number_on_a_card_is_one_the_report_prints(report_2025):
    """Each card's numbers are the key figures' texts or the data formatted by the report's own functions."""
    from emra_site import theme as T

    edition = report_2025.edition(int(PINNED))
    d = edition.data
    printed = {f.texto for f in key_figures(edition)} | {T.fmt_percent(x.avance_reportado) for x in d.dimensiones}
    printed |= {T.fmt_amount(a.monto, a.unidad) for a in d.montos} | {p.id for p in d.proyectos}
    printed |= {s.numero for s in edition.sections} | {str(n) for n in range(60)}  # counts per objective/route
    texts = [t for card in all_cards(edition) for t in card_texts(card)]
    sources = " ".join([edition.titulo_corto, edition.subtitulo, *(s.descripcion for s in edition.sections),
                        *(o.objetivo for o in d.objetivos), *(p.proyecto for p in d.proyectos)])
    for text in texts:
        for number in NUMBER.findall(text):
            number = number.rstrip(".")
            assert number in printed or number in sources, (number, text)
    by_id = {c.id: c for c in all_cards(edition)}
    assert [b.text for b in by_id["dimension-ambiental"].bars] == ["47%"]
    assert [b.text for b in by_id["dimension-institucional"].bars] == ["sin dato"]
    assert "Diseño y ejecución: M$176.306.356 (miles de pesos)." in by_id["proyecto-5-3"].body
    assert [(b.label, b.text) for b in by_id["objetivo-oe1"].bars] == [("Corto plazo", "4"), ("Mediano plazo", "4")]


def test_cards_are_the_right_size_carry_their_alt_text_and_are_deterministic(shipped_report):
    from PIL import Image

    from emra_site.kit.draw import draw_card

    edition = shipped_report.edition(int(PINNED))
    card = next(c for c in all_cards(edition) if c.id == "proyecto-5-3")
    for size in SIZES:
        png = draw_card(card, size, FONTS, "EMRA 2023-2050 · Informe de avance 2025", "org.github.io/emra")
        assert png == draw_card(card, size, FONTS, "EMRA 2023-2050 · Informe de avance 2025", "org.github.io/emra")
        with Image.open(io.BytesIO(png)) as image:
            assert image.size == size
            assert image.text["Description"] == card.alt
            # Not a blank card: the text covers a real share of it in white.
            white = sum(n for n, rgb in image.convert("RGB").getcolors(1 << 16) if min(rgb) > 240)
            assert white > size[0] * size[1] * 0.01


def test_missing_hashtags_or_contact_warn_by_name_and_the_kit_still_builds(tmp_path):
    from emra_site.paths import Paths
    from emra_site.pipeline import read_report

    root = copy_inputs(tmp_path)
    yml = root / "content" / PINNED / "edition.yml"
    text = yml.read_text(encoding="utf-8")
    text = re.sub(r"hashtags:\n(  - .*\n)+", "", text)
    yml.write_text(re.sub(r"contacto_prensa: .*\n", "", text), encoding="utf-8")
    report, diags = read_report(Paths.of(root))
    assert report is not None
    found = {d.message.split("»")[0].split("«")[1]: d for d in diags if d.level == "aviso"}
    assert set(found) == {"hashtags", "contacto_prensa"}
    assert all(str(d).startswith("content/2025/edition.yml:1: aviso: falta la clave") for d in found.values())
    posts = [post_for(c, report.edition(2025).hashtags, None) for c in all_cards(report.edition(2025))]
    assert posts and not any("#" in p.text for p in posts)


@pytest.mark.parametrize(("lines", "message"), [
    ('  - #EMRA2050\n', "lo que sigue a «#» sin comillas es un comentario"),
    ('  - Minería Antofagasta\n', "Escriba, por ejemplo, «#MineríaAntofagasta»"),
])
def test_a_hashtag_that_is_not_one_is_refused_with_the_fix(tmp_path, lines, message):
    from emra_site.paths import Paths
    from emra_site.pipeline import read_report

    root = copy_inputs(tmp_path)
    yml = root / "content" / PINNED / "edition.yml"
    text = yml.read_text(encoding="utf-8")
    yml.write_text(text.replace("hashtags:\n", "hashtags:\n" + lines, 1), encoding="utf-8")
    report, diags = read_report(Paths.of(root))
    assert report is None
    line = text.splitlines().index("hashtags:") + 1
    assert [str(d) for d in diags if d.level == "error"] == [
        next(str(d) for d in diags if message in d.message)]
    assert str(diags[0]).startswith(f"content/2025/edition.yml:{line}: «hashtags» tiene")


def test_check_reports_the_posts_it_had_to_shorten(tmp_path):
    from helpers import run_cli

    root = copy_inputs(tmp_path)
    md = root / "content" / PINNED / "varios.md"
    long = "Reuniones " + "y más reuniones " * 30 + "del año."
    md.write_text(re.sub(r"descripcion: .*", f"descripcion: {long}", md.read_text(encoding="utf-8"), count=1),
                  encoding="utf-8")
    code, output = run_cli(["-C", str(root), "check"])
    assert code == 0
    assert "Kit de prensa: 1 de 19 textos de publicación se acortaron a 280 caracteres" in output
    assert re.search(r"seccion-varios: \d{3} → 2[0-8]\d caracteres", output)


@pytest.mark.slow
def test_the_built_kit_holds_every_file_and_matches_the_report(shipped_build):
    from docx import Document
    from PIL import Image

    folder = shipped_build.site / "2025"
    kit = folder / L.KIT_DIR
    edition_cards = all_cards(shipped_build_report(shipped_build))
    for card in edition_cards:
        for size in SIZES:
            with Image.open(folder / L.card_file(card.id, size)) as image:
                assert image.size == size
    rows = list(csv.DictReader(io.StringIO((kit / L.KIT_POSTS).read_text(encoding="utf-8-sig")), delimiter=";"))
    assert [r["tarjeta"] for r in rows] == [c.id for c in edition_cards]
    assert all(int(r["caracteres"]) <= MAX_POST and r["texto_alternativo"] for r in rows)
    assert all(len(r["texto_publicacion"]) <= MAX_POST + 23 for r in rows)
    assert (kit / L.KIT_POSTS).read_bytes().startswith(b"\xef\xbb\xbf")
    figures = json.loads((kit / f"{L.KIT_FIGURES}.json").read_text(encoding="utf-8"))["cifras"]
    assert {f["id"]: f["cifra"] for f in figures}["avance-ambiental"] == "47%"
    assert {f["id"]: f["valor"] for f in figures}["avance-institucional"] is None
    # Every number the kit quotes is printed, the same way, in the report's pages.
    site_text = " ".join(re.sub(r"<[^>]+>", " ", p.read_text(encoding="utf-8"))
                         for p in [*folder.glob("*.html"), folder / L.DATA_DIR / "index.html"])
    site_text = site_text.replace("\u00a0", " ")
    note = Document(io.BytesIO((kit / L.KIT_PRESS_NOTE).read_bytes()))
    note_text = " ".join([p.text for p in note.paragraphs] +
                         [c.text for t in note.tables for r in t.rows for c in r.cells])
    quoted = [f["cifra"] for f in figures if f["valor"] is not None] + NUMBER.findall(note_text)
    for number in quoted:
        number = number.rstrip(".")
        assert number in site_text, number
    with zipfile.ZipFile(kit / L.kit_archive_name(2025)) as archive:
        names = set(archive.namelist())
    charts = {p.name for p in (folder / L.CHARTS_DIR).iterdir() if p.suffix in (".svg", ".png")}
    assert names >= {L.pdf_name(2025), L.KIT_PRESS_NOTE, L.KIT_CALENDAR, L.KIT_POSTS, f"{L.KIT_FIGURES}.csv",
                     f"{L.KIT_FIGURES}.json", *(f"{L.CHARTS_DIR}/{n}" for n in charts),
                     *(L.card_file(c.id, s).removeprefix(f"{L.KIT_DIR}/") for c in edition_cards for s in SIZES)}
    page = (kit / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" in page and page.count('class="kit-card"') == len(edition_cards)
    for href in re.findall(r'(?:href|src)="([^"#]+)"', page):
        if not href.startswith(("http", "mailto:")):
            assert (kit / href).resolve().exists(), href


def shipped_build_report(paths):
    from emra_site.pipeline import read_report

    report, _ = read_report(paths)
    return report.edition(2025)


def test_kit_files_are_the_same_bytes_on_every_build(shipped_report):
    """Drawn twice with no cache (the cards, the calendar and the press note included): the same bytes."""
    from emra_site.cache import Cache
    from emra_site.kit.write import kit_files

    edition = shipped_report.edition(int(PINNED))
    first = kit_files(edition, FONTS, Cache(None), "https://org.github.io/emra")
    assert first == kit_files(edition, FONTS, Cache(None), "https://org.github.io/emra")
    assert len([n for n in first if n.endswith(".png")]) == 2 * len(all_cards(edition))


@pytest.mark.slow
def test_each_edition_of_the_three_edition_project_has_its_own_kit(three_build):
    for year in (2023, 2024, 2025):
        kit = three_build.site / str(year) / L.KIT_DIR
        figures = json.loads((kit / f"{L.KIT_FIGURES}.json").read_text(encoding="utf-8"))
        assert figures["edicion"] == year
        assert (kit / L.kit_archive_name(year)).is_file() and (kit / "index.html").is_file()
    older = (three_build.site / "2023" / L.KIT_DIR / L.KIT_POSTS).read_text(encoding="utf-8-sig")
    assert "Informe de avance 2023" in older and "Informe de avance 2025" not in older

