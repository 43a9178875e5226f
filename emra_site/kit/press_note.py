"""`kit/nota-de-prensa.docx`: a Word press note on the edition, for the press office to edit and send.

Every number it prints is a key figure's `texto` (`kit.figures`), exactly as the report prints it, or a
date formatted by `theme.fmt_date`. The document is in the active language (Spanish of Chile, or the
edition's translation) down to its language settings, so Word spell-checks it in that language, and its
bytes depend only on the input: the core properties carry the edition's publication date and the zip is
re-packed with fixed times, order and attributes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from .. import theme as T
from ..i18n import N_, active, gettext, ngettext
from .figures import KeyFigure, by_id
from .words import join_list, term

DATELINE_PLACE = "Antofagasta"  # the regional government's seat, where the note is dated
CONTACT_PLACEHOLDER = N_("[Contacto de prensa: complete la clave contacto_prensa en edition.yml]")
LINK_COLOUR = RGBColor.from_string(T.PRIMARY.lstrip("#"))

# The re-packed zip: every entry with the same time, compression and attributes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
ZIP_ATTRIBUTES = 0o100644 << 16  # a regular file, rw-r--r--
FIRST_ENTRIES = ("[Content_Types].xml", "_rels/.rels")  # where readers of the format look first


def word_language() -> str:
    """The active language as Word names it: «es-CL», «en-GB» (its Babel locale with a hyphen)."""
    return active().locale.replace("_", "-")


def _dimensions_sentence(edition, figs: dict[str, KeyFigure]) -> str:
    """Progress per dimension: «… es de 47% en la dimensión ambiental, 17% en la social …, mientras que la
    dimensión institucional no tiene avance informado (sin dato)»."""
    dated: list[str] = []
    undated: list[str] = []
    for dim in edition.data.dimensiones:
        fig = figs[f"avance-{dim.id}"]
        name = dim.nombre.lower()
        if fig.valor is None:
            undated.append(name)
        elif not dated:
            dated.append(gettext("{avance} en la dimensión {dimension}").format(avance=fig.texto, dimension=name))
        else:  # «17% en la social»: the word «dimensión» only once, where a language leaves it out
            dated.append(gettext("{avance} en la {dimension}").format(avance=fig.texto, dimension=name))
    parts = []
    if dated:
        parts.append(gettext("el avance reportado de los acuerdos es de {avances}").format(avances=join_list(dated)))
    if undated:
        parts.append(ngettext("la dimensión {dimensiones} no tiene avance informado ({sin_dato})",
                              "las dimensiones {dimensiones} no tienen avance informado ({sin_dato})",
                              len(undated)).format(dimensiones=join_list(undated), sin_dato=T.no_data()))
    if not parts:
        return ""
    text = parts[0] if len(parts) == 1 else gettext("{primero}, mientras que {segundo}").format(primero=parts[0],
                                                                                             segundo=parts[1])
    return gettext("Según el informe, {texto}.").format(texto=text)


def _amounts_sentences(edition, figs: dict[str, KeyFigure]) -> list[str]:
    """One sentence per project with amounts: «Para el proyecto 5.3, …, el informe consigna M$4.222.529 para
    «Diseño (monto aproximado)» … (cifras en miles de pesos, M$).»"""
    sentences = []
    projects = dict.fromkeys(a.proyecto for a in edition.data.montos)  # in the order the data gives them
    for project in projects:
        amounts = [a for a in edition.data.montos if a.proyecto == project]
        items = [gettext("{monto} para «{concepto}»").format(monto=figs[f"monto-{a.id}"].texto, concepto=a.concepto)
                 for a in amounts]
        name = next((p.proyecto for p in edition.data.proyectos if p.id == project), None)
        units = join_list([gettext(u) for u in dict.fromkeys(a.unidad for a in amounts)])
        sentence = (gettext("Para el proyecto {proyecto}, «{nombre}», el informe consigna {montos} (cifras en "
                            "{unidades}, M$).") if name else
                    gettext("Para el proyecto {proyecto} el informe consigna {montos} (cifras en {unidades}, M$)."))
        sentences.append(sentence.format(proyecto=project, nombre=name, montos=join_list(items), unidades=units))
    return sentences


def _lead(edition, figures: tuple[KeyFigure, ...]) -> list[str]:
    """The lead's paragraphs after the dateline: what was published and its key figures."""
    figs = by_id(figures)
    paragraphs = []
    declared, named = figs["acuerdos-declarados"], figs["acuerdos-nombrados"]
    agreements = ngettext(
        "La estrategia declara {declarados} acuerdo transversal y el informe da cuenta de {nombrados} de ellos.",
        "La estrategia declara {declarados} acuerdos transversales y el informe da cuenta de {nombrados} de ellos.",
        int(declared.valor or 0)).format(declarados=declared.texto, nombrados=named.texto)
    dims = _dimensions_sentence(edition, figs)
    paragraphs.append(f"{agreements} {dims}".strip())
    terms = [f for f in figures if f.id.startswith("iniciativas-")]
    by_term = join_list([gettext("{n} de {plazo} plazo").format(n=f.texto, plazo=term(f.id.removeprefix("iniciativas-")))
                         for f in terms])
    counts = {"objetivos": figs["objetivos"].texto, "iniciativas": figs["iniciativas"].texto}
    plan = (gettext("El modelo de gestión de la estrategia se organiza en torno a {objetivos} objetivos "
                    "estratégicos, que suman {iniciativas} iniciativas: {por_plazo}.").format(por_plazo=by_term, **counts)
            if terms else
            gettext("El modelo de gestión de la estrategia se organiza en torno a {objetivos} objetivos "
                    "estratégicos, que suman {iniciativas} iniciativas.").format(**counts))
    paragraphs.append(plan)
    projects = gettext("El informe da cuenta además del avance de {proyectos} proyectos estratégicos.").format(
        proyectos=figs["proyectos"].texto)
    paragraphs.append(" ".join([projects, *_amounts_sentences(edition, figs)]))
    return paragraphs


def _add_link_sentence(document, sentence: str, url: str) -> None:
    """A paragraph of `sentence` whose `{enlace}` is `url` as a clickable link (the text around it in runs)."""
    before, _, after = sentence.partition("{enlace}")
    paragraph = document.add_paragraph(before)
    _add_hyperlink(paragraph, url)
    paragraph.add_run(after)


def _add_hyperlink(paragraph, url: str) -> None:
    """`url` as a clickable link that shows itself."""
    r_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), str(LINK_COLOUR))
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.append(colour)
    props.append(underline)
    run.append(props)
    text = OxmlElement("w:t")
    text.text = url
    run.append(text)
    link.append(run)
    paragraph._p.append(link)


def _set_language(document, language: str, decimal: str) -> None:
    """`language` (Word's name, «es-CL») as the document's language: the default run properties, the theme
    fonts' language, and the decimal (`decimal`) and list separators; proofing marked as not done, so Word
    checks the text in that language."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)

    settings = document.settings.element
    for tag in ("w:proofState", "w:savePreviewPicture"):  # «already checked» and the (stale) thumbnail
        for element in settings.findall(qn(tag)):
            settings.remove(element)
    for element in settings.findall(qn("w:themeFontLang")):
        element.set(qn("w:val"), language)
    # A list separator other than the decimal symbol: «;» where the decimal is a comma (Chile), else «,».
    for tag, value in (("w:decimalSymbol", decimal), ("w:listSeparator", ";" if decimal == "," else ",")):
        for element in settings.findall(qn(tag)):
            element.set(qn("w:val"), value)


def _drop_thumbnail(document) -> None:
    """Remove the template's thumbnail (a picture of an empty page) from the package."""
    rels = document.part.package.rels
    for r_id in [r for r, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        del rels[r_id]


def _repack(data: bytes) -> bytes:
    """The zip `data` again with fixed entry times, order, compression and attributes: same input, same bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    names = [n for n in FIRST_ENTRIES if n in entries] + sorted(n for n in entries if n not in FIRST_ENTRIES)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = ZIP_ATTRIBUTES
            target.writestr(info, entries[name], compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def press_note_docx(
    edition, figures: tuple[KeyFigure, ...], report_url: str | None, pdf_url: str | None, contact: str | None
) -> bytes:
    """The edition's press note as a .docx file.

    `figures` is `key_figures(edition)`; `report_url` and `pdf_url` are the addresses of the report's page
    and PDF (None: not known yet, the note then names the PDF's file); `contact` is the press contact (None:
    a visible placeholder asks for `contacto_prensa` in edition.yml).
    """
    from babel.numbers import get_decimal_symbol

    language = word_language()
    names = {"organismo": edition.organismo, "subtitulo": edition.subtitulo, "titulo": edition.titulo,
             "titulo_corto": edition.titulo_corto, "pdf": edition.pdf_name}
    document = Document()
    _drop_thumbnail(document)
    _set_language(document, language, get_decimal_symbol(active().locale))
    headline = gettext("{organismo} publica el {subtitulo} de la {titulo_corto}").format(**names)
    published = T.fmt_date(edition.fecha_publicacion)

    document.add_heading(headline, level=0)
    lead = document.add_paragraph()
    lead.add_run(f"{DATELINE_PLACE}, {published}.").bold = True
    lead.add_run(" " + gettext("El {organismo} publicó el {subtitulo} de la {titulo} ({titulo_corto}).").format(**names))
    for text in _lead(edition, figures):
        document.add_paragraph(text)

    document.add_heading(gettext("Contenido del informe"), level=1)
    for section in edition.sections:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{section.numero}. {section.titulo}").bold = True
        paragraph.add_run(f": {section.descripcion}")

    document.add_heading(gettext("Dónde leerlo"), level=1)
    if report_url:
        _add_link_sentence(document, gettext("El informe completo está disponible en {enlace}."), report_url)
    if pdf_url:
        _add_link_sentence(document, gettext("Versión en PDF: {enlace}."), pdf_url)
    if not report_url and not pdf_url:
        document.add_paragraph(gettext(
            "El informe se publica en el sitio de la {titulo_corto} del {organismo}, junto con su versión en "
            "PDF ({pdf})."
        ).format(**names))
    elif not pdf_url:
        document.add_paragraph(gettext("En la misma página se descarga la versión en PDF ({pdf}).").format(**names))

    document.add_heading(gettext("Contacto de prensa"), level=1)
    if contact and contact.strip():
        lines = [line.strip() for line in contact.strip().splitlines() if line.strip()]
        paragraph = document.add_paragraph()
        for k, line in enumerate(lines):
            if k:
                paragraph.runs[-1].add_break()  # one contact line under the other
            paragraph.add_run(line)
    else:
        run = document.add_paragraph().add_run(gettext(CONTACT_PLACEHOLDER))
        run.bold = True
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    document.add_heading(gettext("Cifras clave"), level=1)
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    header = table.rows[0].cells
    for cell, text in zip(header, (gettext("Cifra clave"), gettext("Valor")), strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for figure in figures:
        cells = table.add_row().cells
        cells[0].text = figure.etiqueta
        money = figure.unidad in T.AMOUNT_PATTERNS  # a code of `montos.unidad`
        cells[1].text = (gettext("{cifra}, en {unidad}").format(cifra=figure.texto, unidad=gettext(figure.unidad))
                         if money else figure.texto)
    document.add_paragraph(
        gettext("Las cifras se citan tal como las publica el informe; «{sin_dato}» indica que la fuente no "
                "informa un valor.").format(sin_dato=T.no_data())
    ).runs[0].font.size = Pt(9)

    props = document.core_properties
    stamp = dt.datetime(
        edition.fecha_publicacion.year, edition.fecha_publicacion.month, edition.fecha_publicacion.day, tzinfo=dt.UTC
    )
    props.title = gettext("Nota de prensa: {subtitulo} de la {titulo_corto}").format(**names)
    props.subject = edition.titulo
    props.author = edition.organismo
    props.last_modified_by = edition.organismo
    props.language = language
    props.category = gettext("Nota de prensa")
    props.comments = edition.descripcion
    props.keywords = gettext("{titulo_corto}; nota de prensa").format(**names)
    props.revision = 1
    props.created = stamp
    props.modified = stamp

    out = io.BytesIO()
    document.save(out)
    return _repack(out.getvalue())
