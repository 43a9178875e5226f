"""`kit/nota-de-prensa.docx`: a Word press note on the edition, for the press office to edit and send.

Every number it prints is a key figure's `texto` (`kit.figures`), exactly as the report prints it, or a
date formatted by `theme.fmt_date`. The document is in Spanish (Chile) down to its language settings, so
Word spell-checks it in Spanish, and its bytes depend only on the input: the core properties carry the
edition's publication date and the zip is re-packed with fixed times, order and attributes.
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
from .figures import KeyFigure, by_id

LANGUAGE = "es-CL"
DATELINE_PLACE = "Antofagasta"  # the regional government's seat, where the note is dated
CONTACT_PLACEHOLDER = "[Contacto de prensa: complete la clave contacto_prensa en edition.yml]"
LINK_COLOUR = RGBColor.from_string(T.PRIMARY.lstrip("#"))

# The re-packed zip: every entry with the same time, compression and attributes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
ZIP_ATTRIBUTES = 0o100644 << 16  # a regular file, rw-r--r--
FIRST_ENTRIES = ("[Content_Types].xml", "_rels/.rels")  # where readers of the format look first


def join_es(items: list[str]) -> str:
    """«a, b y c», with «e» before a word that starts with the sound «i» («social e institucional»)."""
    if len(items) < 2:
        return "".join(items)
    last = items[-1]
    word = last.split(" ", 1)[0].casefold()
    conj = "e" if word.startswith(("i", "hi")) and not word.startswith(("hia", "hie", "hio", "hiu")) else "y"
    return ", ".join(items[:-1]) + f" {conj} " + last


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
        else:
            dated.append(f"{fig.texto} en la {'dimensión ' if not dated else ''}{name}")
    parts = []
    if dated:
        parts.append(f"el avance reportado de los acuerdos es de {join_es(dated)}")
    if undated:
        parts.append(
            f"la dimensión {undated[0]} no tiene avance informado ({T.NO_DATA})"
            if len(undated) == 1
            else f"las dimensiones {join_es(undated)} no tienen avance informado ({T.NO_DATA})"
        )
    if not parts:
        return ""
    text = parts[0] if len(parts) == 1 else f"{parts[0]}, mientras que {parts[1]}"
    return f"Según el informe, {text}."


def _amounts_sentences(edition, figs: dict[str, KeyFigure]) -> list[str]:
    """One sentence per project with amounts: «Para el proyecto 5.3, …, el informe consigna M$4.222.529, en miles
    de pesos, para «Diseño (monto aproximado)» …», and a word on their notes when they have any."""
    sentences = []
    projects = dict.fromkeys(a.proyecto for a in edition.data.montos)  # in the order the data gives them
    for project in projects:
        amounts = [a for a in edition.data.montos if a.proyecto == project]
        items = [f"{figs[f'monto-{a.id}'].texto} para «{a.concepto}»" for a in amounts]
        name = next((p.proyecto for p in edition.data.proyectos if p.id == project), None)
        about = f"el proyecto {project}" + (f", «{name}»," if name else "")
        units = join_es(list(dict.fromkeys(a.unidad for a in amounts)))
        sentences.append(f"Para {about} el informe consigna {join_es(items)} (cifras en {units}, M$).")
    return sentences


def _lead(edition, figures: tuple[KeyFigure, ...]) -> list[str]:
    """The lead's paragraphs after the dateline: what was published and its key figures."""
    figs = by_id(figures)
    paragraphs = []
    declared, named = figs["acuerdos-declarados"], figs["acuerdos-nombrados"]
    agreements = (
        f"La estrategia declara {declared.texto} acuerdos transversales y el informe da cuenta de {named.texto} de ellos."
    )
    dims = _dimensions_sentence(edition, figs)
    paragraphs.append(f"{agreements} {dims}".strip())
    terms = [f for f in figures if f.id.startswith("iniciativas-")]
    by_term = join_es([f"{f.texto} de {f.id.removeprefix('iniciativas-')} plazo" for f in terms])
    plan = (
        f"El modelo de gestión de la estrategia se organiza en torno a {figs['objetivos'].texto} objetivos "
        f"estratégicos, que suman {figs['iniciativas'].texto} iniciativas" + (f": {by_term}." if terms else ".")
    )
    paragraphs.append(plan)
    projects = f"El informe da cuenta además del avance de {figs['proyectos'].texto} proyectos estratégicos."
    paragraphs.append(" ".join([projects, *_amounts_sentences(edition, figs)]))
    return paragraphs


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


def _set_language(document) -> None:
    """Spanish (Chile) as the document's language: the default run properties, the theme fonts' language, and
    the decimal and list separators; proofing marked as not done, so Word checks the text in Spanish."""
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
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)

    settings = document.settings.element
    for tag in ("w:proofState", "w:savePreviewPicture"):  # «already checked» and the (stale) thumbnail
        for element in settings.findall(qn(tag)):
            settings.remove(element)
    for element in settings.findall(qn("w:themeFontLang")):
        element.set(qn("w:val"), LANGUAGE)
    for tag, value in (("w:decimalSymbol", ","), ("w:listSeparator", ";")):
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
    document = Document()
    _drop_thumbnail(document)
    _set_language(document)
    headline = f"{edition.organismo} publica el {edition.subtitulo} de la {edition.titulo_corto}"
    published = T.fmt_date(edition.fecha_publicacion)

    document.add_heading(headline, level=0)
    lead = document.add_paragraph()
    lead.add_run(f"{DATELINE_PLACE}, {published}.").bold = True
    lead.add_run(
        f" El {edition.organismo} publicó el {edition.subtitulo} de la {edition.titulo} ({edition.titulo_corto})."
    )
    for text in _lead(edition, figures):
        document.add_paragraph(text)

    document.add_heading("Contenido del informe", level=1)
    for section in edition.sections:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{section.numero}. {section.titulo}").bold = True
        paragraph.add_run(f": {section.descripcion}")

    document.add_heading("Dónde leerlo", level=1)
    if report_url:
        paragraph = document.add_paragraph("El informe completo está disponible en ")
        _add_hyperlink(paragraph, report_url)
        paragraph.add_run(".")
    if pdf_url:
        paragraph = document.add_paragraph("Versión en PDF: ")
        _add_hyperlink(paragraph, pdf_url)
        paragraph.add_run(".")
    if not report_url and not pdf_url:
        document.add_paragraph(
            f"El informe se publica en el sitio de la {edition.titulo_corto} del "
            f"{edition.organismo}, junto con su versión en PDF ({edition.pdf_name})."
        )
    elif not pdf_url:
        document.add_paragraph(f"En la misma página se descarga la versión en PDF ({edition.pdf_name}).")

    document.add_heading("Contacto de prensa", level=1)
    if contact and contact.strip():
        lines = [line.strip() for line in contact.strip().splitlines() if line.strip()]
        paragraph = document.add_paragraph()
        for k, line in enumerate(lines):
            if k:
                paragraph.runs[-1].add_break()  # one contact line under the other
            paragraph.add_run(line)
    else:
        run = document.add_paragraph().add_run(CONTACT_PLACEHOLDER)
        run.bold = True
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    document.add_heading("Cifras clave", level=1)
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    header = table.rows[0].cells
    for cell, text in zip(header, ("Cifra clave", "Valor"), strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for figure in figures:
        cells = table.add_row().cells
        cells[0].text = figure.etiqueta
        money = figure.unidad in T.UNIT_PREFIX
        cells[1].text = f"{figure.texto}, en {figure.unidad}" if money else figure.texto
    document.add_paragraph(
        f"Las cifras se citan tal como las publica el informe; «{T.NO_DATA}» indica que la fuente no informa un valor."
    ).runs[0].font.size = Pt(9)

    props = document.core_properties
    stamp = dt.datetime(
        edition.fecha_publicacion.year, edition.fecha_publicacion.month, edition.fecha_publicacion.day, tzinfo=dt.UTC
    )
    props.title = f"Nota de prensa: {edition.subtitulo} de la {edition.titulo_corto}"
    props.subject = edition.titulo
    props.author = edition.organismo
    props.last_modified_by = edition.organismo
    props.language = LANGUAGE
    props.category = "Nota de prensa"
    props.comments = edition.descripcion
    props.keywords = f"{edition.titulo_corto}; nota de prensa"
    props.revision = 1
    props.created = stamp
    props.modified = stamp

    out = io.BytesIO()
    document.save(out)
    return _repack(out.getvalue())
