"""The kit's press note (`kit.press_note.press_note_docx`): read back by python-docx."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zipfile

import pytest
from docx import Document

from emra_site import theme as T
from emra_site.kit.figures import key_figures
from emra_site.kit.press_note import CONTACT_PLACEHOLDER, press_note_docx

REPORT_URL = "https://emra.example.cl/2025/"
PDF_URL = "https://emra.example.cl/2025/emra-informe-avance-2025.pdf"
CONTACT = "Unidad de Comunicaciones, Gobierno Regional de Antofagasta, prensa@gobierno.example.cl"
# A number as the report prints one: `19`, `47%`, `47,5%`, `M$4.222.529`, `5.3`.
NUMBER = re.compile(r"(?:M?\$)?\d+(?:[.,]\d+)*%?")


@pytest.fixture(scope="module")
def edition(shipped_report):
    return shipped_report.edition(2025)


@pytest.fixture(scope="module")
def figures(edition):
    return key_figures(edition)


@pytest.fixture(scope="module")
def note(edition, figures) -> bytes:
    return press_note_docx(edition, figures, REPORT_URL, PDF_URL, None)


def text_of(data: bytes) -> str:
    """Every paragraph and table cell of the document, one per line."""
    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    lines += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(lines)


def test_every_key_figure_is_in_the_note(note, figures):
    text = text_of(note)
    for figure in figures:
        assert figure.texto in text, figure.id
    document = Document(io.BytesIO(note))
    (table,) = document.tables
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert len(rows) == len(figures) + 1
    for figure, (label, value) in zip(figures, rows[1:], strict=True):
        assert label == figure.etiqueta and value.startswith(figure.texto)
    assert "M$176.306.356, en miles de pesos" in text
    assert "la dimensión institucional no tiene avance informado (sin dato)" in text


def test_no_number_the_report_does_not_have(edition, figures, note):
    allowed = {f.texto for f in figures} | {s.numero for s in edition.sections}
    allowed |= {a.proyecto for a in edition.data.montos}  # «el proyecto 5.3»
    for text in (
        T.fmt_date(edition.fecha_publicacion),
        edition.titulo,
        edition.titulo_corto,
        edition.subtitulo,
        edition.pdf_name,
        *(f.etiqueta for f in figures),
    ):
        allowed |= set(NUMBER.findall(text))
    text = text_of(note)
    for url in (REPORT_URL, PDF_URL):
        text = text.replace(url, " ")
    found = set(NUMBER.findall(text))
    assert found - allowed == set()
    assert "30 de junio de 2025" in text  # the dateline


def test_sections_are_listed(edition, note):
    text = text_of(note)
    for section in edition.sections:
        assert f"{section.numero}. {section.titulo}: {section.descripcion}" in text


def test_where_to_read_it(edition, figures, note):
    text = text_of(note)
    assert REPORT_URL in text and PDF_URL in text
    targets = [r._target for r in Document(io.BytesIO(note)).part.rels.values() if r.is_external]
    assert REPORT_URL in targets and PDF_URL in targets  # links, not only text
    bare = text_of(press_note_docx(edition, figures, None, None, None))
    assert edition.pdf_name in bare and "https://" not in bare


def test_contact_or_a_visible_placeholder(edition, figures, note):
    assert CONTACT_PLACEHOLDER in text_of(note)
    assert CONTACT_PLACEHOLDER == "[Contacto de prensa: complete la clave contacto_prensa en edition.yml]"
    with_contact = text_of(press_note_docx(edition, figures, REPORT_URL, PDF_URL, CONTACT))
    assert CONTACT in with_contact and CONTACT_PLACEHOLDER not in with_contact


def test_same_input_same_bytes(edition, figures, note):
    assert press_note_docx(edition, figures, REPORT_URL, PDF_URL, None) == note
    with zipfile.ZipFile(io.BytesIO(note)) as z:
        infos = z.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_properties_and_language(edition, note):
    document = Document(io.BytesIO(note))
    props = document.core_properties
    assert props.author == edition.organismo == props.last_modified_by
    assert props.title == "Nota de prensa: Informe de avance 2025 de la EMRA 2023-2050"
    assert props.language == "es-CL"
    assert props.created.replace(tzinfo=None) == dt.datetime(2025, 6, 30) == props.modified.replace(tzinfo=None)
    with zipfile.ZipFile(io.BytesIO(note)) as z:
        styles = z.read("word/styles.xml").decode()
    defaults = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.DOTALL)
    assert defaults and 'w:val="es-CL"' in defaults.group()
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[0].text == (
        "Gobierno Regional de Antofagasta publica el Informe de avance 2025 de la EMRA 2023-2050"
    )


def test_figures_follow_the_data(edition):
    """A changed progress shows in the note, as the report would print it."""
    dims = tuple(
        dataclasses.replace(d, avance_reportado=None) if d.id == "social" else d for d in edition.data.dimensiones
    )
    changed = dataclasses.replace(edition, data=dataclasses.replace(edition.data, dimensiones=dims))
    text = text_of(press_note_docx(changed, key_figures(changed), None, None, None))
    assert "17%" not in text
    assert "las dimensiones social e institucional no tienen avance informado (sin dato)" in text
