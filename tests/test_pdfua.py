"""PDF/UA-1 of every PDF the build publishes: the Matterhorn Protocol 1.1's machine checks (tests/matterhorn.py)
and the independent checker pdfua.

Each test is one Matterhorn condition over every full report and every chapter PDF, in Spanish and English,
of the shipped edition (`shipped_build`) and of the three-edition fixture (`three_build`): a failure names
each PDF, the condition and each problem found. Each PDF is opened and its content streams parsed once for
the whole module.

The unit tests at the end build tiny PDFs with pikepdf, each breaking one condition, so that every check is
seen failing on what it is about (and a clean tiny PDF is seen passing them all).
"""

from __future__ import annotations

import inspect
import io
import os
import warnings
from dataclasses import dataclass

import matterhorn as mh
import pikepdf
import pytest
from conftest import PINNED, REPO
from pikepdf import Array, Dictionary, Name, String

BUILD_FIXTURES = {"shipped": "shipped_build", "three": "three_build"}
BUILD_SOURCES = {"shipped": REPO, "three": REPO / "tests" / "fixtures" / "tres-ediciones"}
NOT_PUBLISHED_PDFS = ("kit", "datos")  # folders whose PDFs (if any) are downloads, not the report
SHOWN = 40  # problems listed one by one in a failure message


# --- every PDF of the build ------------------------------------------------------------------------

@dataclass(frozen=True)
class PdfCase:
    """One PDF of a build: which build, and its path inside the site."""

    build: str  # "shipped" or "three"
    path: str  # e.g. "en/2025/emra-informe-avance-2025-cap-3.pdf"


def expected_pdfs(build: str) -> list[str]:
    """The PDFs a build publishes, from the project's own model: per edition and language, the report and
    one PDF per chapter (paths inside the site)."""
    from emra_site.layout import LAYOUT
    from emra_site.pipeline import Paths, read_report

    report, diagnostics = read_report(Paths.of(BUILD_SOURCES[build]))
    if report is None:
        raise RuntimeError("\n".join(map(str, diagnostics)))
    editions = [(edition, "") for edition in report.editions]
    editions += [(translated.edition, translated.language.prefix) for translated in report.translations]
    paths = []
    for edition, prefix in editions:
        if build == "shipped" and str(edition.anio) != PINNED:
            continue  # the shipped_build fixture holds the pinned edition only
        folder = f"{prefix}{LAYOUT.edition_dir(edition.anio)}/"
        paths.append(folder + edition.pdf_name)
        paths.extend(folder + edition.chapter_pdf_name(section) for section in edition.sections)
    return sorted(paths)


def expected_cases() -> list[PdfCase]:
    """Every PDF of both builds, from their inputs (read when the tests run, not when they are collected)."""
    return [PdfCase(build, path) for build in BUILD_FIXTURES for path in expected_pdfs(build)]


@pytest.fixture(scope="module")
def documents(shipped_build, three_build):
    """Every PDF of both builds opened once for the module: [(PdfCase, matterhorn.Document)], in order.

    One test per condition goes over all of them (29 PDFs): one test per PDF and condition (≈ 2,000) cost
    the suite more in pytest's own bookkeeping than the checks themselves."""
    sites = {"shipped": shipped_build.site, "three": three_build.site}
    opened = []
    for case in expected_cases():
        path = sites[case.build] / case.path
        assert path.is_file(), f"{case.path} is not in the {case.build} build"
        opened.append((case, mh.Document(pikepdf.open(path), name=f"{case.build}:{case.path}")))
    yield opened
    for _, document in opened:
        document.pdf.close()


@pytest.mark.parametrize("build", list(BUILD_FIXTURES))
def test_every_pdf_of_the_build_is_checked(build, documents, shipped_build, three_build):
    """The PDFs the tests check are every *.pdf of the site (downloads of the kit and the data left out)."""
    site = {"shipped": shipped_build, "three": three_build}[build].site
    found = sorted(path.relative_to(site).as_posix() for path in site.rglob("*.pdf")
                   if not set(path.relative_to(site).parts) & set(NOT_PUBLISHED_PDFS))
    checked = sorted(case.path for case, _ in documents if case.build == build)
    assert found == checked
    assert any("-cap-" in path for path in found) and any("-cap-" not in path for path in found)


# --- the Matterhorn checks, one test per failure condition -----------------------------------------

def _passes(number: str, documents: list) -> None:
    """Every PDF passes the condition; a failure lists each PDF that does not, with its problems."""
    failing = [(document, problems) for _, document in documents if (problems := mh.CHECKS[number](document))]
    if failing:
        summary = inspect.getdoc(mh.CHECKS[number]).splitlines()[0]
        lines = [f"{len(failing)} of {len(documents)} PDF(s) fail Matterhorn {summary}"]
        for document, problems in failing:
            lines.append(f"{document.name}: {len(problems)} problem(s)")
            lines += [f"  - {p}" for p in problems[:SHOWN]]
            if len(problems) > SHOWN:
                lines.append(f"  ... and {len(problems) - SHOWN} more")
        pytest.fail("\n".join(lines), pytrace=False)


def test_matterhorn_01_003_no_artifact_inside_tagged_content(documents):
    _passes("01-003", documents)


def test_matterhorn_01_004_no_tagged_content_inside_artifact(documents):
    _passes("01-004", documents)


def test_matterhorn_01_005_all_content_is_artifact_or_tagged(documents):
    _passes("01-005", documents)


def test_matterhorn_01_007_no_suspects(documents):
    _passes("01-007", documents)


def test_matterhorn_02_001_role_mapping_ends_in_standard_types(documents):
    _passes("02-001", documents)


def test_matterhorn_02_003_no_circular_role_mapping(documents):
    _passes("02-003", documents)


def test_matterhorn_02_004_no_standard_type_remapped(documents):
    _passes("02-004", documents)


def test_matterhorn_06_001_has_xmp_metadata(documents):
    _passes("06-001", documents)


def test_matterhorn_06_002_xmp_has_pdfua_identifier(documents):
    _passes("06-002", documents)


def test_matterhorn_06_003_xmp_has_dc_title(documents):
    _passes("06-003", documents)


def test_matterhorn_07_001_display_doc_title_present(documents):
    _passes("07-001", documents)


def test_matterhorn_07_002_display_doc_title_true(documents):
    _passes("07-002", documents)


def test_matterhorn_09_004_table_tags_nest_as_table_337(documents):
    _passes("09-004", documents)


def test_matterhorn_09_005_list_tags_nest_as_table_336(documents):
    _passes("09-005", documents)


def test_matterhorn_09_006_toc_tags_nest_as_table_333(documents):
    _passes("09-006", documents)


def test_matterhorn_09_007_ruby_tags_nest_as_table_338(documents):
    _passes("09-007", documents)


def test_matterhorn_09_008_warichu_tags_nest_as_table_338(documents):
    _passes("09-008", documents)


def test_matterhorn_10_001_character_codes_map_to_unicode(documents):
    _passes("10-001", documents)


def test_matterhorn_11_001_language_of_page_content_declared(documents):
    _passes("11-001", documents)


def test_matterhorn_11_002_language_of_alt_and_actualtext_declared(documents):
    _passes("11-002", documents)


def test_matterhorn_11_003_language_of_outlines_declared(documents):
    _passes("11-003", documents)


def test_matterhorn_11_004_language_of_annotation_contents_declared(documents):
    _passes("11-004", documents)


def test_matterhorn_11_005_language_of_form_field_tu_declared(documents):
    _passes("11-005", documents)


def test_matterhorn_11_006_language_of_metadata_declared(documents):
    _passes("11-006", documents)


def test_matterhorn_13_004_figures_have_alternative_text(documents):
    _passes("13-004", documents)


def test_matterhorn_14_002_first_heading_is_h1(documents):
    _passes("14-002", documents)


def test_matterhorn_14_003_no_heading_level_skipped(documents):
    _passes("14-003", documents)


def test_matterhorn_14_006_one_unnumbered_h_per_node(documents):
    _passes("14-006", documents)


def test_matterhorn_14_007_not_both_h_and_numbered_headings(documents):
    _passes("14-007", documents)


def test_matterhorn_15_003_table_headers_have_scope(documents):
    _passes("15-003", documents)


def test_matterhorn_16_001_numbered_lists_have_list_numbering(documents):
    _passes("16-001", documents)


def test_matterhorn_16_002_list_numbering_of_numbered_lists_is_ordered(documents):
    _passes("16-002", documents)


def test_matterhorn_19_003_notes_have_ids(documents):
    _passes("19-003", documents)


def test_matterhorn_19_004_note_ids_are_unique(documents):
    _passes("19-004", documents)


def test_matterhorn_28_002_annotations_in_annot_elements(documents):
    _passes("28-002", documents)


def test_matterhorn_28_004_annotations_have_contents_or_alt(documents):
    _passes("28-004", documents)


def test_matterhorn_28_005_form_fields_have_tu_or_alt(documents):
    _passes("28-005", documents)


def test_matterhorn_28_006_unknown_annotation_types_meet_7_18_1(documents):
    _passes("28-006", documents)


def test_matterhorn_28_007_no_trapnet_annotations(documents):
    _passes("28-007", documents)


def test_matterhorn_28_008_pages_with_annotations_have_tabs(documents):
    _passes("28-008", documents)


def test_matterhorn_28_009_tabs_follow_structure(documents):
    _passes("28-009", documents)


def test_matterhorn_28_010_widgets_in_form_elements(documents):
    _passes("28-010", documents)


def test_matterhorn_28_011_link_annotations_in_link_elements(documents):
    _passes("28-011", documents)


def test_matterhorn_28_012_link_annotations_have_contents(documents):
    _passes("28-012", documents)


def test_matterhorn_28_014_media_clips_have_ct(documents):
    _passes("28-014", documents)


def test_matterhorn_28_015_media_clips_have_alt(documents):
    _passes("28-015", documents)


def test_matterhorn_28_016_file_attachments_conform_to_7_11(documents):
    _passes("28-016", documents)


def test_matterhorn_28_017_printer_marks_not_in_structure(documents):
    _passes("28-017", documents)


def test_matterhorn_28_018_printer_mark_appearances_are_artifacts(documents):
    _passes("28-018", documents)


def test_matterhorn_30_001_no_reference_xobjects(documents):
    _passes("30-001", documents)


def test_matterhorn_30_002_forms_with_mcids_drawn_once(documents):
    _passes("30-002", documents)


def test_matterhorn_31_001_cmap_registry_matches(documents):
    _passes("31-001", documents)


def test_matterhorn_31_002_cmap_ordering_matches(documents):
    _passes("31-002", documents)


def test_matterhorn_31_003_cmap_supplement_not_above_font(documents):
    _passes("31-003", documents)


def test_matterhorn_31_004_cidtogidmap_is_identity_or_stream(documents):
    _passes("31-004", documents)


def test_matterhorn_31_005_cidfonttype2_has_cidtogidmap(documents):
    _passes("31-005", documents)


def test_matterhorn_31_006_cmaps_predefined_or_embedded(documents):
    _passes("31-006", documents)


def test_matterhorn_31_007_cmap_wmode_consistent(documents):
    _passes("31-007", documents)


def test_matterhorn_31_008_cmaps_use_only_predefined_cmaps(documents):
    _passes("31-008", documents)


def test_matterhorn_31_009_fonts_embedded(documents):
    _passes("31-009", documents)


def test_matterhorn_31_011_embedded_fonts_have_every_glyph_shown(documents):
    _passes("31-011", documents)


def test_matterhorn_31_016_glyph_widths_match_font_program(documents):
    _passes("31-016", documents)


def test_matterhorn_31_027_fonts_have_tounicode(documents):
    _passes("31-027", documents)


def test_matterhorn_31_028_no_tounicode_value_zero(documents):
    _passes("31-028", documents)


def test_matterhorn_31_029_no_tounicode_value_bom(documents):
    _passes("31-029", documents)


def test_matterhorn_31_030_no_notdef_glyph_shown(documents):
    _passes("31-030", documents)


# --- the premises of the conditions NOT_MACHINE_CHECKABLE says do not apply ----------------------

def test_fonts_are_type0_cidfonttype2_without_cidset(documents):
    """31-012..31-015 and 31-017..31-026 are left out as not applying: every font is a Type 0 font over a
    CIDFontType2 with an embedded TrueType program, and no descriptor has /CIDSet or /CharSet. A font of
    another kind needs those checks written before it is published."""
    for _, document in documents:
        fonts = list(document.font_info.values())
        assert fonts, f"{document.name}: no text at all?"
        wrong = [f"{f.name}: {f.subtype}/{f.cid_subtype or '-'}" for f in fonts
                 if f.subtype != "Type0" or f.cid_subtype != "CIDFontType2" or f.truetype is None]
        assert not wrong, f"{document.name}: fonts the Matterhorn checks here do not cover:\n" + "\n".join(wrong)
        with_sets = [f.name for f in fonts if isinstance(f.descriptor, Dictionary)
                     and ("/CIDSet" in f.descriptor or "/CharSet" in f.descriptor)]
        assert not with_sets, f"{document.name}: fonts with /CIDSet or /CharSet (31-012..31-015 not checked): {with_sets}"


def test_matterhorn_11_007_proxy_language_is_the_editions(documents):
    """11-007 ("Natural language is not appropriate") needs a reader; as a proxy, each PDF declares the
    language of its edition: English under en/, Spanish elsewhere."""
    for case, document in documents:
        expected = "en" if case.path.startswith("en/") else "es"
        assert document.lang is not None and document.lang.split("-")[0].lower() == expected, (case, document.lang)


# --- the independent checker -----------------------------------------------------------------------

def test_pdfua_checker_finds_no_error_or_warning(documents, shipped_build, three_build):
    """pdfua (PyPI) over every PDF: any ERROR or WARNING finding fails. A rule pdfua could not run is
    listed (as a warning of this test) but does not fail it: pdfua 0.1.3's UA-14-001 crashes with pikepdf 10
    on any heading whose /K is an array, and reports itself skipped."""
    try:
        from pdfua import validate
        from pdfua.model import Severity
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("pdfua is required in CI (pip install -e '.[test]')")
        pytest.skip("pdfua not installed")
    sites = {"shipped": shipped_build.site, "three": three_build.site}
    listed, skipped = [], set()
    for case, _ in documents:
        report = validate(str(sites[case.build] / case.path))
        skipped |= {f"{outcome.rule_id}: {outcome.skipped_reason}" for outcome in report.skipped}
        findings = [f for f in report.findings if f.severity >= Severity.WARNING]
        listed += [f"  - {case.build}:{case.path} {f.rule_id} {f.severity.name} page {f.location.page}: {f.message}"
                   for f in findings]
    for reason in sorted(skipped):
        warnings.warn(f"pdfua skipped rule {reason}", stacklevel=1)
    assert not listed, f"pdfua: {len(listed)} finding(s)\n" + "\n".join(listed[:SHOWN])


# --- the library's own bookkeeping -----------------------------------------------------------------

def test_every_condition_of_the_covered_checkpoints_is_checked_or_explained():
    numbers = {f"{cp}-{i:03d}" for cp, count in mh.PROTOCOL_CONDITIONS.items() for i in range(1, count + 1)}
    checked, explained = set(mh.CHECKS), set(mh.NOT_MACHINE_CHECKABLE)
    assert not checked & explained, checked & explained
    assert checked | explained == numbers, {"missing": numbers - checked - explained,
                                            "unknown": (checked | explained) - numbers}


def test_every_check_has_its_test_and_quotes_its_condition():
    tests = [name for name in globals() if name.startswith("test_matterhorn_")]
    for number, check in mh.CHECKS.items():
        prefix = f"test_matterhorn_{number.replace('-', '_')}_"
        assert [t for t in tests if t.startswith(prefix)], f"no test for {number}"
        doc = inspect.getdoc(check)
        assert doc.startswith(f'{number}: "') and "(UA1:" in doc, f"{number}: docstring lacks the condition or clause"


# --- tiny PDFs, each breaking one condition ------------------------------------------------------

XMP = (b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
       b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b'<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" pdfuaid:part="1"/>'
       b'<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title><rdf:Alt>'
       b'<rdf:li xml:lang="x-default">Tiny</rdf:li></rdf:Alt></dc:title></rdf:Description>'
       b'</rdf:RDF></x:xmpmeta><?xpacket end="w"?>')


class Tiny:
    """A one-page tagged PDF that passes every check: a <Document> holding a <P> (MCID 0: a filled square)
    and an artifact square. Tests add to it or break it, then run one check."""

    def __init__(self, content: bytes = b"/P <</MCID 0>> BDC 0 0 10 10 re f EMC /Artifact BMC 0 0 5 5 re f EMC"):
        self.pdf = pdf = pikepdf.new()
        pdf.add_blank_page(page_size=(200, 200))
        self.page = pdf.pages[0].obj
        self.page.Contents = pdf.make_stream(content)
        self.page.Resources = Dictionary()
        self.page.StructParents = 0
        self.root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array()))
        self.mcids = pdf.make_indirect(Array())  # page MCID -> its element (parent tree entry 0)
        self.root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array([0, self.mcids])))
        self.next_key = 1
        pdf.Root.StructTreeRoot = self.root
        pdf.Root.MarkInfo = Dictionary(Marked=True)
        pdf.Root.Lang = String("en")
        pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        pdf.Root.Metadata = pdf.make_stream(XMP, Type=Name.Metadata, Subtype=Name.XML)
        self.doc_elem = self.element("Document", None)
        self.element("P", self.doc_elem, mcid=0)

    def element(self, type_: str, parent, mcid: int | None = None, **entries) -> Dictionary:
        elem = self.pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + type_), K=Array(),
                                                 P=parent if parent is not None else self.root, Pg=self.page,
                                                 **entries))
        (parent.K if parent is not None else self.root.K).append(elem)
        if mcid is not None:
            elem.K.append(mcid)
            while len(self.mcids) <= mcid:
                self.mcids.append(None)
            self.mcids[mcid] = elem
        return elem

    def link(self, parent, contents: str | None = "Go to chapter 1") -> Dictionary:
        """A link annotation on the page, tied to `parent` by an OBJR and a /StructParent."""
        annot = self.pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[0, 0, 10, 10],
                                                  StructParent=self.next_key))
        if contents is not None:
            annot.Contents = String(contents)
        self.root.ParentTree.Nums.extend([self.next_key, parent])
        self.next_key += 1
        parent.K.append(Dictionary(Type=Name.OBJR, Obj=annot, Pg=self.page))
        self.page.Annots = Array([*self.page.get("/Annots", []), annot])
        self.page.Tabs = Name.S
        return annot

    def form(self, content: bytes, struct_parents: int | None = None) -> pikepdf.Stream:
        form = self.pdf.make_stream(content, Type=Name.XObject, Subtype=Name.Form, BBox=[0, 0, 10, 10])
        if struct_parents is not None:
            form.StructParents = struct_parents
        self.page.Resources.XObject = Dictionary(Fm0=form)
        return form

    def run(self, number: str) -> list[str]:
        return mh.CHECKS[number](mh.Document(self.pdf))


def test_a_clean_tiny_pdf_passes_every_check():
    tiny = Tiny()
    h1 = tiny.element("H1", tiny.doc_elem)
    tiny.element("H2", tiny.doc_elem)
    table = tiny.element("Table", tiny.doc_elem)
    row = tiny.element("TR", table)
    tiny.element("TH", row, A=Dictionary(O=Name.Table, Scope=Name.Column))
    tiny.element("TD", tiny.element("TR", table))
    item = tiny.element("LI", tiny.element("L", tiny.doc_elem))
    tiny.element("Lbl", item)
    tiny.element("LBody", item)
    tiny.element("Figure", tiny.doc_elem, Alt=String("A square"))
    tiny.element("Note", tiny.doc_elem, ID=String("note-1"))
    tiny.link(tiny.element("Link", h1))
    results = mh.run_all(mh.Document(tiny.pdf))
    assert {number: problems for number, problems in results.items() if problems} == {}


# 01: real content tagged

def test_text_outside_marked_content_fails_01_005():
    tiny = Tiny(b"/P <</MCID 0>> BDC 0 0 10 10 re f EMC BT /F1 12 Tf (A) Tj ET 0 0 1 1 re S "
                b"q BI /W 1 /H 1 /CS /G /BPC 8 ID \x00 EI Q")
    tiny.page.Resources.Font = Dictionary(F1=Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
    problems = tiny.run("01-005")
    assert len(problems) == 3
    assert [kind for kind in ("text-showing", "path-painting", "inline image") if any(kind in p for p in problems)] == [
        "text-showing", "path-painting", "inline image"]


def test_mcid_without_a_structure_element_fails_01_005():
    tiny = Tiny(b"/P <</MCID 0>> BDC 0 0 10 10 re f EMC /P <</MCID 7>> BDC 0 0 1 1 re f EMC")
    assert tiny.run("01-005") == ["page 1: MCID 7 is tied to no structure element (no entry for it in the parent tree)"]


def test_artifact_inside_tagged_content_fails_01_003():
    tiny = Tiny(b"/P <</MCID 0>> BDC /Artifact BMC 0 0 10 10 re f EMC EMC")
    assert tiny.run("01-003") == ["page 1: 1 Artifact sequence(s) opened inside tagged (MCID) content"]
    assert tiny.run("01-004") == []


def test_footer_form_with_an_mcid_drawn_as_artifact_fails_01_004_and_01_005():
    """The shape of a footer laid out with its own tags and drawn inside /Artifact."""
    tiny = Tiny(b"/P <</MCID 0>> BDC 0 0 10 10 re f EMC /Artifact BMC q /Fm0 Do Q EMC")
    tiny.form(b"/Span <</MCID 0>> BDC 0 0 1 1 re f EMC")
    assert len(tiny.run("01-004")) == 1
    assert "MCID 0 is tied to no structure element" in tiny.run("01-005")[0]


def test_form_drawn_inside_tagged_content_is_tagged():
    tiny = Tiny(b"/P <</MCID 0>> BDC q /Fm0 Do Q EMC")
    tiny.form(b"0 0 1 1 re f BT ET")
    assert tiny.run("01-005") == []
    tiny.page.Contents = tiny.pdf.make_stream(b"/P <</MCID 0>> BDC 0 0 1 1 re f EMC q /Fm0 Do Q")
    assert "form XObject" in tiny.run("01-005")[0]


def test_unbalanced_marked_content_fails_01_005():
    tiny = Tiny(b"/P <</MCID 0>> BDC 0 0 10 10 re f EMC EMC /Artifact BMC")
    problems = tiny.run("01-005")
    assert any("EMC without" in p for p in problems) and any("left open" in p for p in problems)


def test_suspects_fails_01_007():
    tiny = Tiny()
    tiny.pdf.Root.MarkInfo.Suspects = True
    assert tiny.run("01-007") and not Tiny().run("01-007")


# 02: role mapping

def test_role_mapping_02_001_02_003_02_004():
    tiny = Tiny()
    tiny.element("Custom", tiny.doc_elem)
    assert tiny.run("02-001") == ["structure type Custom (1 element(s)) maps to no standard type: Custom"]
    tiny.root.RoleMap = Dictionary(Custom=Name.P)
    assert tiny.run("02-001") == [] and tiny.run("02-003") == [] and tiny.run("02-004") == []
    tiny.root.RoleMap = Dictionary(Custom=Name.Loop, Loop=Name.Custom, P=Name.Span)
    assert tiny.run("02-003") and tiny.run("02-001")
    assert tiny.run("02-004") == ["the standard type P is remapped to Span"]


# 06, 07: metadata and dictionary

def test_metadata_06_001_06_002_06_003():
    tiny = Tiny()
    tiny.pdf.Root.Metadata = tiny.pdf.make_stream(XMP.replace(b'pdfuaid:part="1"', b'pdfuaid:part="2"'))
    assert tiny.run("06-002") == ["pdfuaid:part is ['2'], not 1"]
    tiny.pdf.Root.Metadata = tiny.pdf.make_stream(XMP.replace(b"Tiny</rdf:li>", b"</rdf:li>"))
    assert tiny.run("06-003") == ["the XMP dc:title is empty"]
    del tiny.pdf.Root.Metadata
    assert tiny.run("06-001") and tiny.run("06-002") and tiny.run("06-003")


def test_display_doc_title_07_001_07_002():
    tiny = Tiny()
    tiny.pdf.Root.ViewerPreferences.DisplayDocTitle = False
    assert tiny.run("07-002") and not tiny.run("07-001")
    del tiny.pdf.Root.ViewerPreferences.DisplayDocTitle
    assert tiny.run("07-001") and not tiny.run("07-002")


# 09: appropriate tags

def test_table_list_and_toc_nesting_09_004_09_005_09_006():
    tiny = Tiny()
    table = tiny.element("Table", tiny.doc_elem)
    tiny.element("TD", table)
    tiny.element("LI", tiny.element("Div", tiny.doc_elem))
    tiny.element("TOCI", tiny.doc_elem)
    assert len(tiny.run("09-004")) == 2  # a TD in a Table, and a Table holding a TD
    assert len(tiny.run("09-005")) == 1
    assert len(tiny.run("09-006")) == 1


# 10, 31: fonts

def _truetype_program(widths: dict[str, int]) -> bytes:
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(list(widths))
    builder.setupCharacterMap({65 + i: name for i, name in enumerate(list(widths)[1:])})
    empty = TTGlyphPen(None).glyph()
    builder.setupGlyf(dict.fromkeys(widths, empty))
    builder.setupHorizontalMetrics({name: (width, 0) for name, width in widths.items()})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupOS2()
    builder.setupPost()
    builder.setupNameTable({"familyName": "Tiny", "styleName": "Regular"})
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


def _cid_font(tiny: Tiny, to_unicode: bytes, widths: list, **descendant) -> None:
    program = tiny.pdf.make_stream(_truetype_program({".notdef": 500, "A": 600, "B": 700}))
    cid_font = Dictionary(Type=Name.Font, Subtype=Name.CIDFontType2, BaseFont=Name("/Tiny"),
                          CIDSystemInfo=Dictionary(Registry=String("Adobe"), Ordering=String("Identity"), Supplement=0),
                          FontDescriptor=Dictionary(Type=Name.FontDescriptor, FontName=Name("/Tiny"), Flags=4,
                                                    FontFile2=program),
                          W=Array(widths), **descendant)
    tiny.page.Resources.Font = Dictionary(F1=Dictionary(
        Type=Name.Font, Subtype=Name.Type0, BaseFont=Name("/Tiny"), Encoding=Name("/Identity-H"),
        DescendantFonts=Array([cid_font]), ToUnicode=tiny.pdf.make_stream(to_unicode)))


TO_UNICODE = b"1 begincodespacerange <0000> <FFFF> endcodespacerange 2 beginbfchar <0001> <0041> <0002> <0042> endbfchar"


def test_a_sound_cid_font_passes_the_font_checks():
    tiny = Tiny(b"/P <</MCID 0>> BDC BT /F1 12 Tf <00010002> Tj ET EMC")
    _cid_font(tiny, TO_UNICODE, [1, [600, 700]], CIDToGIDMap=Name.Identity)
    assert {n: p for n, p in mh.run_all(mh.Document(tiny.pdf)).items() if p} == {}


def test_broken_cid_font_fails_10_001_and_the_31_checks():
    tiny = Tiny(b"/P <</MCID 0>> BDC BT /F1 12 Tf <0000000100020009> Tj ET EMC")
    to_unicode = b"2 beginbfchar <0001> <0000> <0002> <FEFF> endbfchar"
    _cid_font(tiny, to_unicode, [1, [600, 650]])  # CID 2 is 700 wide in the program
    assert "2 character code(s) without a Unicode mapping" in tiny.run("10-001")[0]  # CIDs 0 and 9
    assert tiny.run("31-005") == ["font Tiny: its CIDFontType2 has no /CIDToGIDMap"]
    assert "CID 2: 650 in /W, 700.0 in the program" in tiny.run("31-016")[0]
    assert "[9]" in tiny.run("31-011")[0]  # the program has 3 glyphs
    assert "[0]" in tiny.run("31-030")[0]
    assert tiny.run("31-028") and tiny.run("31-029")
    tiny.page.Resources.Font.F1.DescendantFonts[0].CIDToGIDMap = Name("/Foo")
    assert tiny.run("31-004") == ["font Tiny: /CIDToGIDMap is /Foo"]


def test_font_not_embedded_and_without_tounicode_fails_31_009_31_027_10_001():
    tiny = Tiny(b"/P <</MCID 0>> BDC BT /F1 12 Tf (A) Tj ET EMC")
    tiny.page.Resources.Font = Dictionary(F1=Dictionary(
        Type=Name.Font, Subtype=Name.TrueType, BaseFont=Name("/Symbolic"),
        FontDescriptor=Dictionary(Type=Name.FontDescriptor, FontName=Name("/Symbolic"), Flags=4)))
    assert tiny.run("31-009") and tiny.run("31-027") and tiny.run("10-001")
    tiny.page.Contents = tiny.pdf.make_stream(b"/P <</MCID 0>> BDC BT 3 Tr /F1 12 Tf (A) Tj ET EMC")
    assert tiny.run("31-009") == []  # invisible text needs no embedded program


# 11: natural language

def test_language_11_001_to_11_006():
    assert mh.is_bcp47("es-CL") and mh.is_bcp47("zh-Hant-TW") and mh.is_bcp47("x-private") and mh.is_bcp47("i-klingon")
    assert not any(mh.is_bcp47(tag) for tag in ("español", "en_US", "", "e", "en-"))
    tiny = Tiny()
    tiny.element("Span", tiny.doc_elem, Lang=String("español"), ActualText=String("x"))
    assert tiny.run("11-001") == ["<Span> #2 on page 1: /Lang 'español' is not a BCP 47 language tag"]
    assert len(tiny.run("11-002")) == 1
    tiny = Tiny()
    tiny.link(tiny.element("Link", tiny.doc_elem))
    tiny.pdf.Root.Outlines = tiny.pdf.make_indirect(Dictionary(Type=Name.Outlines))
    tiny.pdf.Root.Outlines.First = tiny.pdf.make_indirect(Dictionary(Title=String("One"), Parent=tiny.pdf.Root.Outlines))
    assert not tiny.run("11-003") and not tiny.run("11-004") and not tiny.run("11-006")
    del tiny.pdf.Root.Lang
    assert tiny.run("11-001") and tiny.run("11-003") and tiny.run("11-004") and tiny.run("11-006")


# 13, 14, 15, 19

def test_figure_without_alt_fails_13_004():
    tiny = Tiny()
    tiny.element("Figure", tiny.doc_elem, Alt=String("  "))
    assert tiny.run("13-004") == ["<Figure> #2 on page 1 has neither /Alt nor /ActualText"]


def test_headings_14_002_14_003_14_006_14_007():
    tiny = Tiny()
    tiny.element("H1", tiny.doc_elem)
    tiny.element("H3", tiny.doc_elem)
    assert tiny.run("14-003") == ["<H3> #3 on page 1 follows <H1> #2 on page 1: skips 1 level(s)"]
    assert tiny.run("14-002") == []
    tiny = Tiny()
    tiny.element("H2", tiny.doc_elem)
    assert tiny.run("14-002") == ["the first numbered heading is <H2> #2 on page 1, not <H1>"]
    section = tiny.element("Sect", tiny.doc_elem)
    tiny.element("H", section)
    tiny.element("H", section)
    assert len(tiny.run("14-006")) == 1 and len(tiny.run("14-007")) == 1


def _table(tiny: Tiny, th: dict, td: dict | None = None) -> None:
    table = tiny.element("Table", tiny.doc_elem)
    tiny.element("TH", tiny.element("TR", table), **th)
    tiny.element("TD", tiny.element("TR", table), **(td or {}))


def test_table_headers_15_003():
    tiny = Tiny()
    _table(tiny, {"A": Dictionary(O=Name.Table)})
    assert tiny.run("15-003") == [("<TH> #4 on page 1 in <Table> #2 on page 1 has no /Scope "
                                   "(the table does not use /Headers and /ID)")]
    tiny = Tiny()
    _table(tiny, {"A": Dictionary(O=Name.Table, Scope=Name("/Col"))})
    assert "/Scope /Col, not Row, Column or Both" in tiny.run("15-003")[0]
    tiny = Tiny()  # an attribute array with a revision number, and a class
    _table(tiny, {"A": Array([Dictionary(O=Name.Layout), 0, Dictionary(O=Name.Table, Scope=Name.Row)])})
    _table(tiny, {"C": Name.head})
    tiny.root.ClassMap = Dictionary(head=Dictionary(O=Name.Table, Scope=Name.Both))
    assert tiny.run("15-003") == []
    tiny = Tiny()  # organized with Headers and IDs
    _table(tiny, {"ID": String("h1")}, {"A": Dictionary(O=Name.Table, Headers=Array([String("h1")]))})
    assert tiny.run("15-003") == []
    _table(tiny, {"ID": String("h1")}, {"A": Dictionary(O=Name.Table, Headers=Array([String("h1")]))})
    assert len(tiny.run("15-003")) == 2  # now two elements carry the ID "h1" that both tables name


def test_numbered_list_without_list_numbering_fails_16_001_and_16_002():
    tiny = Tiny(b"/P <</MCID 0>> BDC 0 0 1 1 re f EMC /Lbl <</MCID 1>> BDC BT /F1 12 Tf <00010002> Tj ET EMC "
                b"/Lbl <</MCID 2>> BDC BT /F1 12 Tf <00030002> Tj ET EMC")
    _cid_font(tiny, b"3 beginbfchar <0001> <0031> <0002> <002E> <0003> <0032> endbfchar", [1, [600, 700]],
              CIDToGIDMap=Name.Identity)
    lst = tiny.element("L", tiny.doc_elem)
    for mcid in (1, 2):
        item = tiny.element("LI", lst)
        tiny.element("Lbl", item, mcid=mcid)
        tiny.element("LBody", item)
    assert tiny.run("16-001") == ["<L> #2 on page 1 is numbered ('1.' to '2.') and has no /ListNumbering"]
    lst.A = Dictionary(O=Name.List, ListNumbering=Name.Disc)
    assert tiny.run("16-001") == [] and len(tiny.run("16-002")) == 1
    lst.A.ListNumbering = Name.Decimal
    assert tiny.run("16-002") == []


def test_notes_19_003_19_004():
    tiny = Tiny()
    tiny.element("Note", tiny.doc_elem)
    tiny.element("Note", tiny.doc_elem, ID=String("n1"))
    tiny.element("P", tiny.doc_elem, ID=String("n1"))
    assert len(tiny.run("19-003")) == 1 and len(tiny.run("19-004")) == 1


# 28: annotations

def test_link_annotations_28_008_28_009_28_011_28_012():
    tiny = Tiny()
    link = tiny.element("Link", tiny.doc_elem)
    tiny.link(tiny.element("Span", link), contents=None)  # the shape of the links between parts
    problems = tiny.run("28-011")
    assert len(problems) == 1 and "inside <Link> #2" in problems[0] and "direct child" in problems[0]
    assert len(tiny.run("28-012")) == 1 and len(tiny.run("28-004")) == 1
    del tiny.page.Tabs
    assert len(tiny.run("28-008")) == 1
    tiny.page.Tabs = Name.R
    assert len(tiny.run("28-009")) == 1
    tiny = Tiny()
    annot = tiny.link(tiny.element("Link", tiny.doc_elem))
    del annot.StructParent
    assert tiny.run("28-011") == []  # its OBJR is enough to find its element
    tiny.root.K[0].K[-1].K.pop()  # drop that OBJR too
    assert "belongs to no structure element" in tiny.run("28-011")[0]


def test_other_annotations_28_002_28_007():
    tiny = Tiny()
    annot = tiny.link(tiny.element("P", tiny.doc_elem))
    annot.Subtype = Name.TrapNet
    assert len(tiny.run("28-007")) == 1
    assert "not to a <Annot>" in tiny.run("28-002")[0]


# 30: XObjects

def test_form_with_mcids_drawn_twice_fails_30_002():
    tiny = Tiny(b"/P <</MCID 0>> BDC 0 0 1 1 re f EMC /Fm0 Do /Fm0 Do")
    form = tiny.form(b"/P <</MCID 0>> BDC 0 0 1 1 re f EMC", struct_parents=5)
    tiny.root.ParentTree.Nums.extend([5, Array([tiny.element("P", tiny.doc_elem)])])
    assert tiny.run("01-005") == []
    assert "drawn 2 times" in tiny.run("30-002")[0]
    form.Ref = Dictionary(F=String("other.pdf"), Page=0)
    assert len(tiny.run("30-001")) == 1
