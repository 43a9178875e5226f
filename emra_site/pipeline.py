"""The stages of a build (read and check, model, charts, extras, search); `app.run` orchestrates them."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import BuildError, Diagnostic, SourceLoc, error, has_errors, warning
from .layout import LAYOUT
from .load import load_edition, relpath
from .model import Report, build_edition
from .paths import Paths
from .schema import TABLES_BY_NAME
from .validate import validate_edition

if TYPE_CHECKING:
    from .pdf_jobs import PdfJobs


@dataclass
class Timings:
    """Wall time per stage, for `--timings`."""

    stages: list = field(default_factory=list)
    _last: float = field(default_factory=time.perf_counter)

    def mark(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages.append((stage, now - self._last))
        self._last = now


def find_years(paths: Paths) -> list[str]:
    """Edition folders under `content/`, oldest first."""
    if not paths.content.is_dir():
        return []
    return sorted(p.name for p in paths.content.iterdir() if p.is_dir() and p.name.isdigit())


def read_report(paths: Paths, cache=None) -> tuple[Report | None, list[Diagnostic]]:
    """Load and check every edition; return the model only if there are no errors.

    With a cache, an edition whose files are unchanged is not read or checked again (with 27
    editions, that is most of the reading).
    """
    from .cache import Cache, fingerprint_files, fingerprint_tree
    from .fonts import covered, font_dir
    from .glossary import FILE as GLOSSARY_FILE
    from .glossary import read_glossary
    from .keys import edition_key, fonts_fingerprint

    cache = cache or Cache(None)
    years = find_years(paths)
    fonts = font_dir(paths.templates)
    charset = None  # read from the fonts only when an edition has to be checked again
    font_print = fonts_fingerprint(fonts)
    glossary, diags = read_glossary(paths.content, paths.root)
    # The translations are checked against the glossary: it is part of every edition's key.
    glossary_print = fingerprint_files([p for p in [paths.content / GLOSSARY_FILE] if p.is_file()])
    if not years:
        diags.append(error(SourceLoc(relpath(paths.content, paths.root)), (
            "no hay ediciones; se esperaba una carpeta por año, por ejemplo content/2025/ con edition.yml")))
    editions, digests, translations = [], {}, []
    for year in years:
        digests[int(year)] = fingerprint_tree(paths.content / year, paths.data / year)
        key = edition_key(digests[int(year)] + glossary_print, font_print)
        cached = cache.get("ediciones", key)
        if cached is None:
            charset = charset or covered(fonts)
            raw, found = load_edition(paths.content / year, paths.data / year, paths.root, TABLES_BY_NAME, charset)
            edition, more = validate_edition(raw, TABLES_BY_NAME)
            found += more
            built = None if has_errors(found) else build_edition(edition)
            translated: list = []
            if built is not None:
                translated, more = translate(paths, built, raw, charset, glossary)
                found += more
            cached = (None if has_errors(found) else built, found, tuple(translated))
            if cached[0] is not None:
                cache.put("ediciones", key, cached)
        editions.append(cached[0])
        diags += cached[1]
        translations += cached[2]
    if has_errors(diags):
        return None, sorted(diags)
    return add_history(Report(tuple(editions), tuple(translations)), cache, digests), sorted(diags)


def translate(paths: Paths, edition, raw, charset, glossary: tuple = ()) -> tuple[list, list[Diagnostic]]:
    """The edition in each language it has a folder for (`content/<año>/en/`): `translations.Translated`
    each, and the diagnostics of their files and of what is still untranslated."""
    from .i18n import TRANSLATIONS
    from .translations import has_translation, translate_edition

    content, data = paths.content / str(edition.anio), paths.data / str(edition.anio)
    made, diags = [], []
    for language in TRANSLATIONS:
        if not has_translation(content, language):
            if (data / language.code).is_dir():  # its texts would be left unread without a word
                diags.append(warning(SourceLoc(relpath(data / language.code, paths.root)), (
                    f"hay textos traducidos en {relpath(data / language.code, paths.root)}/ pero no existe "
                    f"{relpath(content / language.code, paths.root)}/ con edition.yml y las secciones: la edición "
                    "en ese idioma no se publica. Cree la carpeta o borre la de data/")))
            continue
        translated, more = translate_edition(edition, raw, content, data, paths.root, language, charset, glossary)
        diags += more
        if translated is not None:
            made.append(translated)
            diags += translated.pending
    return made, diags


def add_history(report: Report, cache=None, digests=None) -> Report:
    """Give every edition after the first its comparison and a generated «¿Qué cambió?» chapter."""
    from .cache import Cache
    from .i18n import use_language
    from .keys import comparison_key

    cache = cache or Cache(None)

    def compared(previous, current):
        key = comparison_key(digests[previous.anio], digests[current.anio]) if digests else None  # and the language
        made = cache.get("historias", key) if key else None
        if made is None:
            made = with_comparison(previous, current)
            if key:
                cache.put("historias", key, made)
        return made

    editions = [report.editions[0]] if report.editions else []
    for previous, current in zip(report.editions, report.editions[1:], strict=False):
        editions.append(compared(previous, current))
    # An edition in another language is compared with the previous one in that language, or else with the
    # Spanish one (the same data): its «What changed» chapter is written in its own language.
    translations = []
    for translated in report.translations:
        before = [e for e in report.editions if e.anio < translated.edition.anio]
        if before:
            same = {t.edition.anio: t.edition for t in report.translations if t.language == translated.language}
            with use_language(translated.language):
                edition = compared(same.get(before[-1].anio, before[-1]), translated.edition)
            translated = dataclasses.replace(translated, edition=edition)
        translations.append(translated)
    return Report(tuple(editions), tuple(translations))


def with_comparison(previous, current):
    """`current` with its comparison to `previous` and the generated chapter that shows it."""
    from .history import compare, comparison_markdown
    from .i18n import gettext
    from .markdown import split_blocks
    from .model import Section

    comp = compare(previous, current)
    ids = {"dimensiones": {d.id for d in current.data.dimensiones}}
    blocks, headings, _, _, problems = split_blocks(comparison_markdown(comp, previous, current),
                                                    f"(cambios {current.anio})", 1, ids)
    assert not problems, problems  # generated from validated data: a problem here is a bug
    section = Section(LAYOUT.CHANGES_SLUG, str(len(current.sections) + 1),
                      gettext("¿Qué cambió desde {anio}?").format(anio=previous.anio),
                      gettext("Cambios del informe {anio} respecto del de {anterior}: avances, acuerdos, iniciativas y "
                              "proyectos.").format(anio=current.anio, anterior=previous.anio),
                      tuple(blocks), tuple(headings))
    return dataclasses.replace(current, sections=(*current.sections, section), cambios=comp)


def require_report(paths: Paths, cache=None) -> tuple[Report, list[Diagnostic]]:
    """Like read_report, but raise BuildError when the input has errors."""
    report, diags = read_report(paths, cache)
    if report is None:
        raise BuildError(diags)
    return report, diags


def edition_keys(paths: Paths, report: Report, site_url: str | None) -> dict[int, str]:
    """What each edition's folder of the site is made from; the same key gives the same files.

    An edition's pages show, besides the edition itself, only the site shell (`shell.SiteShell`:
    the latest edition's identity, pages and data, and every edition's links); templates cannot
    reach anything else of another edition, so the shell's digest is all the key needs of them.
    """
    from .charts import chart_jobs
    from .keys import folder_key
    from .shell import site_shell

    fonts = paths.templates / "fonts"
    shell = site_shell(report).key()
    return {e.anio: folder_key(paths.templates, site_url, shell, repr(e), paths.content / str(e.anio),
                               [j.cache_key for j in chart_jobs(e, fonts, report.history(e.anio))])
            for e in report.editions}


def write_extras(paths: Paths, report: Report, charts: dict, site: Path, cache, years=None,
                 site_url: str | None = None, translations: tuple = (), between=lambda: None, worker=None):
    """Downloads (tables, chart files, framed with their address under `site_url`) and the communications
    kit (`emra_site/kit`: cards, posts, key figures, calendar, press note) of each edition (or of `years` only),
    and of each edition in another language (`render_html.Version`, in its folder: always all of them).

    Four pieces an edition (`extras_items`), shared with `worker` (the PDF worker, `workers.Shared`): this
    process makes them from the first on and writes each as it comes, calling `between()` after each
    (`PdfJobs.poll`); the worker, once its PDFs are done, makes them from the last back. Returns the
    `Shared` list: `finish_extras` writes the worker's pieces.
    """
    from .workers import Shared

    shared = Shared(worker, extras_items(paths, report, charts, site, cache, years, site_url, translations),
                    make_extra)
    for _, files in shared.take():
        _write_files(files)
        between()
    return shared


def finish_extras(shared) -> None:
    """Write the pieces of the extras the worker made (`write_extras`), or make here what it could not."""
    for _, files in shared.rest():
        _write_files(files)


def _write_files(files: dict) -> None:
    """Write one piece of the extras, {path: bytes}, here: the build's writer records every file."""
    from .output import write_bytes

    for path, data in files.items():
        write_bytes(path, data)


def extras_items(paths: Paths, report: Report, charts: dict, site: Path, cache, years, site_url: str | None,
                 translations: tuple) -> list[tuple]:
    """The pieces of `write_extras`, in order, each (language code, function, its arguments) returning
    {path: bytes}: per edition its data files, its chart PNGs, its kit's documents and its kit's cards
    (the cards and the PNGs take most of the time: ~1 s and ~1.6 s for the shipped edition)."""
    from .downloads import chart_pngs, download_files
    from .i18n import SOURCE
    from .kit.write import card_files, document_files

    fonts = paths.templates / "fonts"
    editions = [(SOURCE.code, edition, charts[edition.anio], site / str(edition.anio))
                for edition in report.editions if years is None or edition.anio in years]
    editions += [(version.language.code, edition, version.charts[edition.anio],
                  site / version.language.prefix / str(edition.anio))
                 for version in translations for edition in version.report.editions]
    return [item for language, edition, drawn, folder in editions for item in (
        (language, download_files, edition, drawn, folder, fonts, cache, site_url),
        (language, chart_pngs, edition, drawn, folder, fonts, cache, site_url),
        (language, document_files, edition, folder, site_url),
        (language, card_files, edition, folder, fonts, cache, site_url))]


def make_extra(item: tuple) -> dict:
    """One piece of `extras_items`, made in its language."""
    from .i18n import use_language

    language, function, *args = item
    with use_language(language):
        return function(*args)


def write_search_index(paths: Paths, site: Path) -> None:
    """Index `site` for search; a failing Pagefind is reported like any other build problem."""
    from .search import SearchIndexError, index_site

    try:
        index_site(site)
    except SearchIndexError as exc:
        raise BuildError([error(SourceLoc(relpath(paths.output, paths.root)), str(exc))]) from exc


def open_cache(paths: Paths, use_cache: bool):
    """The project's build cache (.cache/emra), or a disabled one; the templates' compiled code is
    kept there too (`views.keep_compiled_templates`)."""
    from .cache import Cache
    from .views import keep_compiled_templates

    keep_compiled_templates(paths.cache / "plantillas" if use_cache else None)
    return Cache(paths.cache if use_cache else None)


def render_all_charts(paths: Paths, report: Report, cache, pdfs: PdfJobs | None = None, years=None
                      ) -> tuple[dict, tuple]:
    """Every edition's charts (or those of `years`) and each other language's version of the site
    (`render_html.Version`: its editions and their charts, with the language's texts over the same data
    and layout); charts across editions see the editions up to their own.

    With `pdfs`, each edition's PDF, in each language, starts in another process once its wide charts
    are drawn (all a PDF shows); the phone drawings and the font subsets are made here meanwhile. The
    wide drawings of every language are made together, on both cores in a cold build. Another
    language's editions are always all drawn (its folder is written whole: `render_html.plan_pages`);
    the years a draft translation has (`borrador: true`) are built but not linked from the Spanish pages.
    Returns ({year: {block: RenderedChart}}, (Version, …)).
    """
    from .charts import draw_narrow, draw_wide_all, finish_charts
    from .i18n import SOURCE, TRANSLATIONS, use_language
    from .render_html import Version

    fonts = paths.templates / "fonts"
    reports = {SOURCE: Report(tuple(e for e in report.editions if years is None or e.anio in years))}
    for language in TRANSLATIONS:
        made = [t for t in report.translations if t.language == language]
        if made:
            reports[language] = Report(tuple(t.edition for t in made))
    targets = [(language, edition, (report if language == SOURCE else version).history(edition.anio))
               for language, version in reports.items() for edition in version.editions]
    wide = draw_wide_all(targets, fonts, cache)
    if pdfs is not None:
        for (language, edition, _), drawn in zip(targets, wide, strict=True):
            with use_language(language):  # PdfJobs lays out in the active language
                pdfs.start(edition, finish_charts([(job.block, job.key, plan, svg, "") for job, plan, svg in drawn]))
    charts: dict = {language: {} for language in reports}
    for (language, edition, _), drawn in zip(targets, wide, strict=True):
        with use_language(language):
            charts[language][edition.anio] = finish_charts(draw_narrow(drawn, fonts, cache))
    versions = tuple(Version(language, version, charts[language],
                             frozenset(t.edition.anio for t in report.translations
                                       if t.language == language and not t.draft))
                     for language, version in reports.items() if language != SOURCE)
    return charts[SOURCE], versions
