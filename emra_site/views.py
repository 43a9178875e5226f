"""What both renderers show: the Jinja environment, numbered charts and tables, cross-references."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import citation as C
from . import i18n as I
from . import theme as T
from .downloads import chart_json_path, zip_name
from .inline_svg import inline_svg
from .layout import LAYOUT
from .literals import literal_breaks
from .markdown import XREF_PLACEHOLDER, Prose
from .model import Edition
from .kit.cards import page_card
from .tables import plan_chart_table, plan_table

_envs: dict[str, Environment] = {}


@contextmanager
def template_errors(paths):
    """Report a broken template as `templates/x.html:line: …` instead of a traceback."""
    import jinja2

    from .errors import BuildError, SourceLoc, error
    from .load import relpath

    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        where = relpath(Path(exc.filename), paths.root) if exc.filename else relpath(paths.templates, paths.root)
        raise BuildError([error(SourceLoc(where, exc.lineno), f"error de sintaxis en la plantilla: {exc.message}")]) from exc
    except jinja2.TemplateError as exc:
        raise BuildError([error(SourceLoc(relpath(paths.templates, paths.root)),
                                f"error en una plantilla: {exc.message or exc}")]) from exc


def make_env(templates: Path) -> Environment:
    """The Jinja environment, one per templates folder and process, so templates compile once.

    Jinja's auto_reload checks each template file's time before using its compiled form, so an
    edited template is picked up (the live preview keeps one process for many builds).
    """
    env = _envs.get(str(templates))
    if env is None:
        env = _envs[str(templates)] = _new_env(templates)
    return env


_compiled: list[Path] = []  # where compiled templates are kept, when the build cache is on


def keep_compiled_templates(folder: Path | None) -> None:
    """Keep the templates' compiled code in `folder` (None: nowhere). Compiling the site's templates
    takes about 0.4 s in each process of a build; Jinja's bytecode cache is keyed by each template's
    source, so an edited template is compiled again."""
    _compiled[:] = [folder] if folder is not None else []


def _new_env(templates: Path) -> Environment:
    """Autoescape everywhere, undefined names are errors."""
    from jinja2 import FileSystemBytecodeCache

    bytecode = None
    if _compiled:
        _compiled[0].mkdir(parents=True, exist_ok=True)
        bytecode = FileSystemBytecodeCache(str(_compiled[0]))
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        bytecode_cache=bytecode,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    # Every reader-facing string of the templates goes through the active language's catalog
    # (`i18n`): `{{ _("Buscar") }}`, `{% trans %}…{% endtrans %}`; newstyle: `_("… %(n)s", n=3)`.
    env.install_gettext_callables(I.gettext, I.ngettext, newstyle=True, pgettext=I.pgettext)  # type: ignore[attr-defined]
    env.filters.update(
        percent=T.fmt_percent,
        number=T.fmt_number,
        date=T.fmt_date,
        end_sentence=T.end_sentence,
        date_range=T.fmt_date_range,
        amount=T.fmt_amount,
        literal_breaks=literal_breaks,  # ids, codes and URLs in the PDF's table cells: never hyphenated
    )
    env.globals.update(source_language=I.SOURCE, layout=LAYOUT, is_prose=lambda b: isinstance(b, Prose), page_card=page_card, zip_name=zip_name, chart_json_path=chart_json_path,
                       link_xrefs=link_xrefs, inline_svg=lambda *a: Markup(inline_svg(*a)),
                       modified=lambda e: e.modified(os.environ.get("SOURCE_DATE_EPOCH")))
    # «Cómo citar»: APA references of the edition, its figures and its tables (emra_site/citation.py).
    env.globals.update(block_citation=C.block_citation, page_edition_citation=C.page_edition_citation,
                       print_edition_citation=C.print_edition_citation)
    return env


def block_views(edition: Edition, charts: dict) -> dict:
    """For each directive, what both renderers show: a numbered chart with its table, or a numbered table."""
    views = {}
    table_number = 0
    for section, block in edition.directives():
        if block.kind == "grafico":
            chart = charts[block]
            views[block] = {"chart": chart, "number": chart.number, "anchor": f"figura-{chart.number}",
                            # Translators: a figure as the text names it, «en la figura 2», «Ver la figura 2».
                            "label": I.gettext("figura {n}").format(n=chart.number), "page": section.filename,
                            "table": plan_chart_table(chart.plan.columns, chart.plan.rows, chart.plan.title)}
        else:
            table_number += 1
            views[block] = {"chart": None, "table": plan_table(edition.data, block, edition.cambios),
                            "number": table_number,
                            "anchor": f"tabla-{table_number}",
                            # Translators: a table as the text names it, «en la tabla 3», «Ver la tabla 3».
                            "label": I.gettext("tabla {n}").format(n=table_number),
                            "page": section.filename}
    return views


def link_xrefs(html: str, views: dict, page: str | None) -> str:
    """Turn `[[figura:id]]` placeholders into numbered links.

    On the site (`page` is the current file) the link may point to another page; in the PDF
    (`page` None) it stays in the document and print CSS appends the page number.
    """
    targets = {("figura" if b.kind == "grafico" else "tabla", b.key): v for b, v in views.items() if b.key}

    def replace(m) -> str:
        view = targets[(m.group(1), m.group(2))]  # validated: every reference resolves
        where = "" if page in (None, view["page"]) else view["page"]
        css = ' class="xref"' if page is None else ""
        return f'<a{css} href="{where}#{view["anchor"]}">{view["label"]}</a>'

    return XREF_PLACEHOLDER.sub(replace, html)
