"""The English edition (issue 17): the same data shown with English texts, at /en/, with its own PDF, downloads
and kit; every interface string from the message catalog; missing translations reported and marked."""

from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import PINNED, REPO, copy_inputs
from helpers import diagnostic_lines, run_cli

PAGES = {"resumen": "summary", "acuerdos-transversales": "cross-cutting-agreements",
         "modelo-de-gestion": "management-model", "plan-comunicacional": "communications-plan",
         "proyectos-estrategicos": "strategic-projects", "varios": "other"}
PO = REPO / "emra_site" / "locale" / "en" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None}


# --- the message catalog --------------------------------------------------------------------------


def extracted_messages() -> dict[tuple[str | None, str], list[str]]:
    """Every message the code and the templates look up: {(context, msgid): [where, …]} (Babel's extractors,
    as babel.cfg configures them); a plural message by its singular, which holds both forms."""
    from babel.messages.extract import extract_from_dir

    found: dict[tuple[str | None, str], list[str]] = {}
    for folder, method, options in (
            (REPO / "emra_site", "python", {}),
            (REPO / "templates", "jinja2", {"extensions": "jinja2.ext.i18n", "trim_blocks": "True",
                                            "lstrip_blocks": "True"})):
        pattern = "**.py" if method == "python" else "**.html"
        for name, line, message, _, context in extract_from_dir(str(folder), [(pattern, method)], {pattern: options},
                                                                 keywords=KEYWORDS):
            msgid = message[0] if isinstance(message, tuple) else message
            if msgid:
                found.setdefault((context, msgid), []).append(f"{folder.name}/{name}:{line}")
    return found


def english_catalog():
    from babel.messages.pofile import read_po

    with PO.open("rb") as handle:
        return read_po(handle, locale="en_GB")


def schema_messages() -> set[str]:
    """The schema's words a reader sees (table titles, column labels, choices): translated where shown."""
    from emra_site.schema import TABLES

    out = set()
    for table in TABLES:
        out.add(table.title)
        for column in table.columns:
            out.add(column.label)
            out.update(column.choices)
    return out


def test_every_message_of_the_code_templates_and_schema_has_an_english_translation():
    """Catalog coverage 100 %: no message without English, none fuzzy (unreviewed)."""
    catalog = english_catalog()
    wanted = {**extracted_messages(), **{(None, m): ["emra_site/schema.py"] for m in schema_messages()}}
    missing = []
    for (context, msgid), where in sorted(wanted.items(), key=lambda kv: kv[1][0]):
        entry = catalog.get(msgid, context=context)
        if entry is None or not entry.string or entry.fuzzy or (isinstance(entry.string, tuple) and not all(entry.string)):
            missing.append(f"{where[0]}: {msgid!r}")
    assert len(wanted) > 150  # the templates alone hold more: an extraction that finds nothing must fail
    assert missing == []


def test_catalog_placeholders_are_kept_in_every_translation():
    """A translation that drops or renames `{anio}` or `%(n)s` would fail at run time or hide a number."""
    catalog = english_catalog()
    placeholder = re.compile(r"\{\w*\}|%\(\w+\)s")
    wrong = []
    for entry in catalog:
        if not entry.id or not entry.string:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        expected = sorted(set(placeholder.findall(ids[-1])))
        wrong += [f"{ids[0]!r} -> {s!r}" for s in strings if sorted(set(placeholder.findall(s))) != expected]
    assert wrong == []


def test_catalog_follows_the_glossary():
    """A message that is exactly a glossary term is translated as the glossary says (case aside); a message with a
    context (`pgettext`) is a special use of the word (an adjective, an abbreviation) and may differ."""
    import csv

    with (REPO / "content" / "glosario.csv").open(encoding="utf-8-sig") as handle:
        glossary = {r["es"].casefold(): r["en"] for r in csv.DictReader(handle, delimiter=";")}
    catalog = english_catalog()
    differ = [(e.id, e.string, glossary[e.id.casefold()]) for e in catalog
              if isinstance(e.id, str) and e.id and e.context is None and e.id.casefold() in glossary
              and e.string.casefold() != glossary[e.id.casefold()].casefold()]
    assert differ == []


def test_formats_follow_the_language():
    import datetime as dt

    from emra_site import theme as T
    from emra_site.i18n import use_language

    def formats():
        return (T.fmt_percent(Decimal("47.5")), T.fmt_number(4222529), T.fmt_amount(Decimal(4222529), "pesos"),
                T.fmt_amount(Decimal(4222529), "miles de pesos"), T.fmt_date(dt.date(2025, 6, 16)),
                T.fmt_date_range(dt.date(2025, 6, 16), dt.date(2025, 6, 18)), T.month_name(3), T.fmt_percent(None))

    assert formats() == ("47,5%", "4.222.529", "$4.222.529", "M$4.222.529", "16 de junio de 2025",
                         "16 al 18 de junio de 2025", "marzo", "sin dato")
    with use_language("en"):
        assert formats() == ("47.5%", "4,222,529", "CLP 4,222,529", "CLP 4,222,529 thousand", "16 June 2025",
                             "16 to 18 June 2025", "March", "no data")
    assert T.fmt_percent(Decimal("47.5")) == "47,5%"  # the language is restored after the block


# --- the glossary ---------------------------------------------------------------------------------------


def test_a_glossary_term_rendered_another_way_is_a_warning_at_the_translation():
    from emra_site.glossary import Term, check_terms
    from emra_site.load import RawDocument

    spanish = RawDocument("content/2025/resumen.md", {}, {}, "Texto.\n\nLos acuerdos transversales son 19.\n", 5)
    good = RawDocument("content/2025/en/resumen.md", {}, {}, "The cross-cutting agreements are 19.\n", 6)
    bad = RawDocument("content/2025/en/resumen.md", {}, {}, "The transversal accords are 19.\n", 6)
    terms = (Term("acuerdos transversales", "cross-cutting agreements", 22), Term("EMRA", "EMRA", 2))
    assert check_terms(terms, "content/glosario.csv", spanish, good) == []
    [found] = check_terms(terms, "content/glosario.csv", spanish, bad)
    assert str(found).startswith("content/2025/en/resumen.md:6: aviso: el término «acuerdos transversales» "
                                 "(content/2025/resumen.md:7) no aparece traducido como «cross-cutting agreements»")


def test_the_shipped_translation_follows_its_glossary_and_is_complete(shipped_report):
    """The shipped English edition: no pending item, nothing against the glossary (`check` would list them)."""
    from emra_site.paths import Paths
    from emra_site.pipeline import read_report

    _, diags = read_report(Paths.of(REPO))
    assert [str(d) for d in diags if "inglés" in d.message or "término" in d.message] == []
    [translated] = [t for t in shipped_report.translations if t.edition.anio == int(PINNED)]
    assert not translated.draft and translated.pending == ()
    assert [s.slug for s in translated.edition.sections] == list(PAGES.values())


# --- the English site ------------------------------------------------------------------------------------


class Text(HTMLParser):
    """A page's visible text, without what is marked as written in another language (`lang="es…"`)."""

    SKIP = frozenset({"script", "style", "template"})
    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                      "wbr"})

    def __init__(self):
        super().__init__()
        self.parts, self.stack = [], []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        a = dict(attrs)
        hidden = tag in self.SKIP or (a.get("lang") or "en").startswith("es") and tag != "html"
        self.stack.append(hidden or bool(self.stack and self.stack[-1]))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)

    @classmethod
    def of(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        return re.sub(r"\s+", " ", " ".join(parser.parts))


def english_pages(site: Path) -> list[Path]:
    return sorted(p for p in (site / "en").rglob("*.html"))


def test_english_pages_exist_with_english_slugs_and_lang(shipped_build):
    site = shipped_build.site
    for slug in PAGES.values():
        html = (site / "en" / PINNED / f"{slug}.html").read_text(encoding="utf-8")
        assert '<html lang="en">' in html
    for name in ("index.html", "buscar.html", f"{PINNED}/datos/index.html", f"{PINNED}/kit/index.html",
                 f"{PINNED}/emra-informe-avance-{PINNED}.pdf", f"{PINNED}/datos/datapackage.json"):
        assert (site / "en" / name).is_file(), name


def test_no_spanish_interface_string_on_an_english_page(shipped_build):
    """Every message of the catalog whose English differs is absent from the English pages' visible text (the
    Spanish official names the texts keep, in `lang="es"` or as names, are not messages)."""
    catalog = english_catalog()
    placeholder = re.compile(r"\{\w*\}|%\(\w+\)s|<[^>]+>")
    spanish = set()
    for entry in catalog:
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for msgid in ids:
            if not msgid or msgid in strings:
                continue
            for piece in placeholder.split(msgid):
                piece = re.sub(r"\s+", " ", piece).strip(" .,:;()«»·")
                # Two words or more, one of them long: «de la» alone also appears in the Spanish official names
                # the English texts keep («Instituto de Políticas Públicas de la Universidad Católica del Norte»).
                if len(piece.split()) >= 2 and max(len(w) for w in piece.split()) >= 5:
                    spanish.add(piece)
    found = {}
    for page in english_pages(shipped_build.site):
        # The English texts quote the Spanish source between «…» (a correction, a term): quotations are not messages.
        text = re.sub(r"«[^»]*»", "«»", Text.of(page.read_text(encoding="utf-8")))
        hits = sorted(m for m in spanish if re.search(rf"(?<!\w){re.escape(m)}(?!\w)", text))
        if hits:
            found[page.relative_to(shipped_build.site).as_posix()] = hits
    assert found == {}


ES_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?")
EN_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


def numbers(text: str, english: bool) -> list[Decimal]:
    if english:
        return [Decimal(n.replace(",", "")) for n in EN_NUMBER.findall(text)]
    return [Decimal(n.replace(".", "").replace(",", ".")) for n in ES_NUMBER.findall(text)]


class Cells(HTMLParser):
    """The numeric cells of a page's tables (`class="num"`) and the texts of its charts, in order."""

    def __init__(self):
        super().__init__()
        self.cells, self.chart_texts, self._in = [], [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("td", "th") and "num" in (a.get("class") or "").split():
            self._in, self.cells = "cell", [*self.cells, ""]
        elif tag == "text":
            self._in, self.chart_texts = "text", [*self.chart_texts, ""]

    def handle_endtag(self, tag):
        if tag in ("td", "th", "text"):
            self._in = None

    def handle_data(self, data):
        if self._in == "cell":
            self.cells[-1] += data
        elif self._in == "text":
            self.chart_texts[-1] += data


def page_numbers(path: Path, english: bool) -> tuple[list, list]:
    parser = Cells()
    parser.feed(path.read_text(encoding="utf-8"))
    figures = [t for t in parser.chart_texts if re.fullmatch(r"[\d.,\s%$MCLP]+(?:k| thousand)?", t.strip())]
    return ([numbers(c, english) for c in parser.cells], [numbers(t, english) for t in figures])


def test_every_number_of_the_english_pages_equals_the_spanish_one(shipped_build):
    """Each numeric table cell and each number drawn on a chart, page by page, in the same order: the same value."""
    site = shipped_build.site
    compared = 0
    for spanish, english in PAGES.items():
        es = page_numbers(site / PINNED / f"{spanish}.html", english=False)
        en = page_numbers(site / "en" / PINNED / f"{english}.html", english=True)
        assert en == es, spanish
        compared += sum(len(c) for c in es[0]) + sum(len(c) for c in es[1])
    assert compared > 200


def test_every_percentage_and_amount_of_the_english_pdf_equals_the_spanish_one(shipped_build):
    """The PDFs' published figures, as multisets: each percentage (`47,5%` / `47.5%`) and each amount in thousands
    of pesos (`M$4.222.529` / `CLP 4,222,529 thousand`) appears as often in one language as in the other."""
    import subprocess
    from collections import Counter

    from conftest import need_tool

    pdftotext = need_tool("pdftotext")  # poppler: a tenth of pypdf's time for the two PDFs

    def text(folder: str) -> str:
        path = shipped_build.site / folder / f"emra-informe-avance-{PINNED}.pdf"
        return subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout

    es, en = text(PINNED), text(f"en/{PINNED}")
    percent_es = Counter(n for m in re.findall(r"(?<![\w.,])(\d+(?:,\d+)?) ?%", es) for n in numbers(m, False))
    percent_en = Counter(n for m in re.findall(r"(?<![\w.,])(\d+(?:\.\d+)?) ?%", en) for n in numbers(m, True))
    amounts_es = Counter(n for m in re.findall(r"M\$(\d{1,3}(?:\.\d{3})*)", es) for n in numbers(m, False))
    amounts_en = Counter(n for m in re.findall(r"CLP (\d{1,3}(?:,\d{3})*)(?: thousand|k)", en) for n in numbers(m, True))
    assert percent_en == percent_es and sum(percent_es.values()) > 50
    assert amounts_en == amounts_es and sum(amounts_es.values()) >= 4


def test_hreflang_alternates_resolve_both_ways(shipped_build):
    """Each page names its versions (itself included); each named version exists and names the page back."""
    site = shipped_build.site
    link = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')
    checked = 0
    for page in sorted(site.rglob("*.html")):
        pairs = link.findall(page.read_text(encoding="utf-8"))
        if not pairs:
            continue
        langs = dict(pairs)
        assert set(langs) == {"es-CL", "en"}, page
        assert (page.parent / langs["es-CL" if "/en/" not in page.as_posix() else "en"]).resolve() == page.resolve()
        for tag, href in pairs:
            other = (page.parent / href).resolve()
            assert other.is_file(), (page, href)
            back = dict(link.findall(other.read_text(encoding="utf-8")))
            assert (other.parent / back[tag]).resolve() == other and any(
                (other.parent / h).resolve() == page.resolve() for h in back.values()), (page, other)
        checked += 1
    assert checked >= 2 * (len(PAGES) + 4)  # sections, home, search, data and kit pages in both languages


def test_language_switcher_goes_to_the_same_page_in_the_other_language(shipped_build):
    site = shipped_build.site
    switch = re.compile(r'<a class="header-link header-lang" href="([^"]+)" hreflang="([^"]+)"')
    for spanish, english in PAGES.items():
        es_page, en_page = site / PINNED / f"{spanish}.html", site / "en" / PINNED / f"{english}.html"
        [(href, tag)] = switch.findall(es_page.read_text(encoding="utf-8"))
        assert tag == "en" and (es_page.parent / href).resolve() == en_page.resolve()
        [(href, tag)] = switch.findall(en_page.read_text(encoding="utf-8"))
        assert tag == "es-CL" and (en_page.parent / href).resolve() == es_page.resolve()


def test_english_downloads_have_english_headers_and_the_same_values(shipped_build):
    import csv
    import json

    site = shipped_build.site
    for name in ("acuerdos", "montos"):
        es = json.loads((site / PINNED / "datos" / f"{name}.json").read_text(encoding="utf-8"))
        en = json.loads((site / "en" / PINNED / "datos" / f"{name}.json").read_text(encoding="utf-8"))
        assert len(es) == len(en)
        for row_es, row_en in zip(es, en, strict=True):
            numeric_es = [v for v in row_es.values() if isinstance(v, int | float)]
            numeric_en = [v for v in row_en.values() if isinstance(v, int | float)]
            assert numeric_es == numeric_en
    with (site / "en" / PINNED / "datos" / "acuerdos.csv").open(encoding="utf-8-sig") as handle:
        header = next(csv.reader(handle, delimiter=";"))
    package = json.loads((site / "en" / PINNED / "datos" / "datapackage.json").read_text(encoding="utf-8"))
    assert "Acuerdo" not in header and "Avance" not in header
    assert package["resources"] and all("Acuerdos" not in r.get("title", "") for r in package["resources"])


def test_the_english_pdf_is_tagged_in_english_with_alt_text_on_every_figure(shipped_build):
    import pikepdf

    pdf_path = shipped_build.site / "en" / PINNED / f"emra-informe-avance-{PINNED}.pdf"
    with pikepdf.open(pdf_path) as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root and str(root.Lang) == "en"
        assert bool(root.ViewerPreferences.DisplayDocTitle)
        assert "Progress report 2025" in str(pdf.docinfo.Title)
        alts = []

        def walk(node):
            if isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure":
                    alts.append(str(node.get("/Alt", "")))
                if node.get("/K") is not None:
                    walk(node.get("/K"))
            elif isinstance(node, pikepdf.Array):
                for kid in node:
                    walk(kid)

        walk(root.StructTreeRoot)
    assert len(alts) == 11 and all(a.strip() for a in alts)
    assert not any(re.search(r"\b(?:avance|acuerdos|dimensión|proyecto)\b", a) for a in alts), alts


def test_a_cold_build_lays_out_each_part_of_the_english_pdf_once(shipped_build):
    """The English PDF starts from the Spanish one's page numbers (`render_pdf._source_pages`): the summary,
    which cites figures of later chapters, is not laid out a second time to correct them. Every layout
    leaves its part in the cache (keyed by its HTML, numbers included), so the cache counts them."""
    import io
    import pickle
    from collections import Counter

    import pikepdf

    from emra_site.pdf_parts import LaidOutPart

    laid: Counter = Counter()
    for path in sorted((shipped_build.cache / "pdf").rglob("*")):
        value = pickle.loads(path.read_bytes()) if path.is_file() else None
        if isinstance(value, LaidOutPart):
            with pikepdf.open(io.BytesIO(value.pdf)) as pdf:
                laid[str(pdf.Root.Lang)[:2], value.name] += 1
    english = {name: times for (lang, name), times in laid.items() if lang == "en"}
    assert sorted(english) == sorted(["front", *PAGES.values(), "notas-edicion"])
    assert set(english.values()) == {1}, english


# --- missing translations, drafts, editions without English -------------------------------------------------


@pytest.fixture()
def translated_project(tmp_path):
    return copy_inputs(tmp_path / "p", translations=True)


@pytest.fixture()
def three(three_build, tmp_path):
    """A warm copy of the three-edition project, whose 2025 edition has English: its builds are incremental."""
    from conftest import copy_built

    return copy_built(three_build, tmp_path / "tres").root


def test_a_missing_translation_is_listed_by_check_at_its_spanish_source_and_shown_marked(three):
    root = three
    rows = (root / "data" / "2025" / "en" / "acuerdos.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (root / "data" / "2025" / "en" / "acuerdos.csv").write_text("".join(r for r in rows if not r.startswith("AMB-02")),
                                                              encoding="utf-8")
    (root / "content" / "2025" / "en" / "proyectos.md").unlink()
    code, out = run_cli(["-C", str(root), "check"])
    assert code == 0
    assert diagnostic_lines(out) == [
        ("content/2025/proyectos.md:1: aviso: sin traducción al inglés: la sección «Proyectos estratégicos»; cree "
         "content/2025/en/proyectos.md"),
        ("data/2025/acuerdos.csv:3: aviso: sin traducción al inglés: «acuerdo» de la fila «AMB-02»; "
         "agréguela en data/2025/en/acuerdos.csv")]
    assert run_cli(["-C", str(root), "--strict", "build"])[0] == 1  # an incomplete English edition is not published
    assert run_cli(["-C", str(root), "build"])[0] == 0
    site = root / "output" / "site"
    agreements = Text.of((site / "en" / "2025" / "agreements.html").read_text(encoding="utf-8"))
    assert "Alcanzar al 2030 el 100% del consumo de fuentes renovables (translation pending)" in agreements
    projects = (site / "en" / "2025" / "proyectos.html").read_text(encoding="utf-8")
    assert "translation-pending" in projects and '<html lang="en">' in projects
    assert '<article class="section" data-pagefind-body lang="es-CL">' in projects  # its Spanish text is marked so


def test_the_preview_builds_both_languages_pages_first_then_the_pdfs(three):
    """`serve`'s two passes (pages and extras without PDFs, then the PDFs): the English kit's archive waits for its
    PDF instead of reading one that the first pass never makes."""
    from emra_site.app import Plan, run
    from emra_site.pipeline import Paths

    paths = Paths.of(three)
    run(paths, Plan(pdfs=False, preview=True))
    assert (paths.preview / "en" / "2025" / "agreements.html").is_file()
    run(paths, Plan(pages=False, extras=True, preview=True))
    assert (paths.preview / "en" / "2025" / "emra-informe-avance-2025.pdf").is_file()
    assert (paths.preview / "en" / "2025" / "kit" / "kit-de-prensa-2025.zip").is_file()


def test_every_mistake_in_the_translated_files_is_reported_at_once(three):
    """Rows with more cells than the header, a repeated id, a file the build would not read, a draft flag it does
    not understand, and what is still untranslated: all in one `check`, each at its place; a row the file has
    but could not give is its error, not also «missing»."""
    root = three
    folder = root / "data" / "2025" / "en"
    (folder / "proyectos.csv").write_text(
        "id;proyecto;responsable\n5.1;Extra-Port Logistics Zone; phase 1;EPA\n"
        "5.3;Mechanisms for initiatives;GORE\n5.3;Mechanisms again;GORE\n", encoding="utf-8")
    (folder / "notas.txt").write_text("borrador", encoding="utf-8")
    dimensions = folder / "dimensiones.csv"
    dimensions.write_text(dimensions.read_text(encoding="utf-8").replace("social;Social\n", ""), encoding="utf-8")
    agreements = folder / "acuerdos.csv"
    agreements.write_text(agreements.read_text(encoding="utf-8").replace(
        "AMB-01;Reduction of inland water use to 60% by 2030", "AMB-01;"), encoding="utf-8")
    meta = root / "content" / "2025" / "en" / "edition.yml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("borrador: false", "borrador: talvez"), encoding="utf-8")
    code, out = run_cli(["-C", str(root), "check"])
    lines = diagnostic_lines(out)
    assert code == 1
    assert [line.split(": ")[0] for line in lines if ": aviso:" not in line] == [
        "content/2025/en/edition.yml:9", "data/2025/en/notas.txt", "data/2025/en/proyectos.csv:2:4",
        "data/2025/en/proyectos.csv:4:1"]
    assert "«borrador: talvez» no se entiende" in out and "la fila tiene 4 celdas y el encabezado 3" in out
    assert "la fila «5.3» está dos veces" in out and "«notas.txt» no es una tabla traducida" in out
    # What is untranslated is listed in the same run (the «social» row is gone, AMB-01's text is empty); project
    # 5.1's row is there but broken: its error says what to fix, and no «sin traducción … agréguela» sends the
    # editor to add it again.
    assert re.search(r"data/2025/dimensiones\.csv:\d+: aviso: sin traducción al inglés: «nombre» de la fila «social»",
                     out), out
    assert re.search(r"data/2025/acuerdos\.csv:\d+: aviso: sin traducción al inglés: «acuerdo» de la fila «AMB-01»",
                     out), out
    assert "«proyecto» de la fila «5.1»" not in out


def test_a_translated_section_that_cannot_be_read_is_its_error_not_a_missing_section(three):
    page = three / "content" / "2025" / "en" / "acuerdos.md"
    page.write_text(page.read_text(encoding="utf-8").replace("titulo: ", 'titulo: "', 1), encoding="utf-8")
    code, out = run_cli(["-C", str(three), "check"])
    assert code == 1
    assert re.search(r"^content/2025/en/acuerdos\.md:2:\d+: YAML no válido", out, re.MULTILINE), out
    assert "cree content/2025/en/acuerdos.md" not in out and "sin traducción" not in out


def test_a_translated_section_with_other_blocks_says_which_block_and_where(three):
    """A block missing (where the Spanish one is), and a block with other parameters (which ones)."""
    root = three
    english = root / "content" / "2025" / "en" / "acuerdos.md"
    text = english.read_text(encoding="utf-8")
    text = text.replace("```grafico\ntipo: avance-dimensiones\ntitulo: Progress by dimension\n```\n", "")
    english.write_text(text.replace("dimension: ambiental\ntitulo: Progress", "dimension: social\ntitulo: Progress"),
                       encoding="utf-8")
    code, out = run_cli(["-C", str(root), "check"])
    spanish_lines = (root / "content" / "2025" / "acuerdos.md").read_text(encoding="utf-8").splitlines()
    english_lines = english.read_text(encoding="utf-8").splitlines()
    # A block is reported at its first line inside the fence (its `tipo:`).
    first_spanish = spanish_lines.index("```grafico") + 2
    second_english, second_spanish = (english_lines.index("```grafico") + 2,
                                      [i for i, line in enumerate(spanish_lines, 1) if line == "```grafico"][1] + 1)
    assert code == 1
    assert diagnostic_lines(out) == [
        (f"content/2025/en/acuerdos.md:{second_english}: este bloque «grafico: avance-acuerdos» no muestra lo mismo "
         f"que en español (content/2025/acuerdos.md:{second_spanish}): se esperaban los parámetros «dimension: "
         "ambiental» y tiene «dimension: social»; en la traducción solo cambian «titulo» y «descripcion»"),
        (f"content/2025/en/acuerdos.md:{second_english}: falta el bloque «grafico: avance-dimensiones» que la sección "
         f"en español muestra en content/2025/acuerdos.md:{first_spanish}; cópielo antes de este bloque y traduzca "
         "solo su «titulo» y su «descripcion»")]


def test_a_draft_translation_is_built_but_not_linked_and_strict_publishes(three):
    root = three
    meta = root / "content" / "2025" / "en" / "edition.yml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("borrador: false", "borrador: true"), encoding="utf-8")
    (root / "content" / "2025" / "en" / "proyectos.md").unlink()
    code, out = run_cli(["-C", str(root), "--strict", "build"])
    assert code == 0, out
    assert "content/2025/proyectos.md:1: nota: sin traducción al inglés" in out  # listed, as a note
    site = root / "output" / "site"
    assert (site / "en" / "2025" / "agreements.html").is_file()
    for page in [site / "index.html", *(site / "2025").glob("*.html")]:
        html = page.read_text(encoding="utf-8")
        assert "hreflang" not in html and "/en/" not in html and "../en" not in html, page
    assert 'hreflang="es-CL"' in (site / "en" / "2025" / "agreements.html").read_text(encoding="utf-8")


def test_editions_without_english_build_spanish_only_without_a_switcher(three_build):
    """The three-edition fixture has English for 2025 only: 2023 and 2024 have no switcher and no English pages."""
    site = three_build.site
    assert sorted(p.name for p in (site / "en").iterdir() if p.is_dir()) == ["2025"]
    for year in ("2023", "2024"):
        for page in (site / year).glob("*.html"):
            html = page.read_text(encoding="utf-8")
            assert "header-lang" not in html and "hreflang" not in html, page
    assert 'hreflang="en"' in (site / "2025" / "acuerdos.html").read_text(encoding="utf-8")
    changes = Text.of((site / "en" / "2025" / "cambios.html").read_text(encoding="utf-8"))
    assert "What changed since 2024?" in changes


def test_new_edition_carries_the_english_files_forward_marked_for_review(translated_project):
    root = translated_project
    code, out = run_cli(["-C", str(root), "new-edition", "2026"])
    assert code == 0, out
    assert "content/2026/en/resumen.md: revise la traducción" in out
    assert (root / "data" / "2026" / "en" / "acuerdos.csv").is_file()
    english = (root / "content" / "2026" / "en" / "resumen.md").read_text(encoding="utf-8")
    assert english.startswith("---\nrevisar:")
    meta = (root / "content" / "2026" / "en" / "edition.yml").read_text(encoding="utf-8")
    assert "subtitulo: Progress report 2026" in meta and "EMRA 2023-2050" in meta and "borrador: true" in meta
    code, out = run_cli(["-C", str(root), "check"])
    # The carried translation is a draft: its doubts are notes, so the Spanish 2026 edition can be published first.
    assert "content/2026/en/resumen.md:2: nota: traducción copiada de la edición anterior" in out
