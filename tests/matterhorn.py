"""Machine checks of PDF/UA-1 (ISO 14289-1) after the Matterhorn Protocol 1.1, built on pikepdf.

One function per failure condition of the protocol, named after its number (`check_15_003` for
15-003), taking a `Document` (or a `pikepdf.Pdf`, wrapped on the fly) and returning the problems it
finds as readable sentences: an empty list means the condition is not met, that is, the file passes.
Each docstring quotes the failure condition and the PDF/UA-1 clause the protocol gives for it.

`CHECKS` maps each number to its function. `NOT_MACHINE_CHECKABLE` lists, with the reason, every
other condition of the checkpoints covered here: those the protocol leaves to a person, and those
about objects our PDFs never contain (each such premise is asserted by a test of its own).

`Document` reads a file once: the structure tree, then every page content stream and every form
XObject (each parsed once, however many times it is drawn), the fonts and the annotations. The checks
only look at what it collected.
"""

from __future__ import annotations

import io
import itertools
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

import pikepdf

# --- the protocol's checkpoints covered here: checkpoint -> how many failure conditions it has -----
PROTOCOL_CONDITIONS = {
    "01": 7, "02": 4, "06": 4, "07": 2, "09": 8, "10": 1, "11": 7, "13": 8, "14": 7, "15": 5, "16": 3,
    "19": 4, "28": 18, "30": 2, "31": 30,
}

# ISO 32000-1:2008, 14.8.4: the standard structure types (PDF/UA-1 is based on PDF 1.7).
STANDARD_TYPES = frozenset({
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI", "Index",
    "NonStruct", "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L", "LI", "Lbl", "LBody",
    "Table", "TR", "TH", "TD", "THead", "TBody", "TFoot", "Span", "Quote", "Note", "Reference",
    "BibEntry", "Code", "Link", "Annot", "Ruby", "RB", "RT", "RP", "Warichu", "WT", "WP", "Figure",
    "Formula", "Form",
})
NUMBERED_HEADING = re.compile(r"H([1-9][0-9]*)")

# ISO 32000-1:2008, 12.5.6.1, Table 169: the annotation types the standard defines.
ANNOTATION_TYPES = frozenset({
    "Text", "Link", "FreeText", "Line", "Square", "Circle", "Polygon", "PolyLine", "Highlight",
    "Underline", "Squiggly", "StrikeOut", "Stamp", "Caret", "Ink", "Popup", "FileAttachment", "Sound",
    "Movie", "Widget", "Screen", "PrinterMark", "TrapNet", "Watermark", "3D",
})

TEXT_SHOWING = frozenset({"Tj", "TJ", "'", '"'})
PATH_PAINTING = frozenset({"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"})

# RFC 5646 (BCP 47) language tags: the langtag production, private use, and the grandfathered tags.
_LANGTAG = (
    r"(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})"  # language and up to three extlang
    r"(?:-[a-z]{4})?"  # script
    r"(?:-(?:[a-z]{2}|[0-9]{3}))?"  # region
    r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*"  # variants
    r"(?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*"  # extensions
    r"(?:-x(?:-[a-z0-9]{1,8})+)?"  # private use
)
_GRANDFATHERED = (
    "en-gb-oed|i-ami|i-bnn|i-default|i-enochian|i-hak|i-klingon|i-lux|i-mingo|i-navajo|i-pwn|i-tao|"
    "i-tay|i-tsu|sgn-be-fr|sgn-be-nl|sgn-ch-de|art-lojban|cel-gaulish|no-bok|no-nyn|zh-guoyu|zh-hakka|"
    "zh-min|zh-min-nan|zh-xiang"
)
BCP47 = re.compile(rf"(?:{_LANGTAG}|x(?:-[a-z0-9]{{1,8}})+|{_GRANDFATHERED})", re.IGNORECASE)

XMP_NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "xml": "http://www.w3.org/XML/1998/namespace",
}


def is_bcp47(tag: str) -> bool:
    """True if `tag` is a well-formed BCP 47 (RFC 5646) language tag."""
    return bool(BCP47.fullmatch(tag))


def _name(value) -> str:
    """A PDF name without its slash (`/Table` -> `Table`); '' for anything else."""
    return str(value)[1:] if isinstance(value, pikepdf.Name) else ""


def _text(value) -> str:
    """A PDF text string as Python text ('' if absent or not a string)."""
    return str(value) if isinstance(value, pikepdf.String) else ""


def _key(obj) -> tuple:
    """A stable identity for a PDF object: its object number, or for a direct object its serialization."""
    return obj.objgen if obj.objgen != (0, 0) else ("direct", bytes(obj.unparse()))


def _items(value) -> list:
    """A PDF value that may be one item or an array of them, as a list."""
    if value is None:
        return []
    return list(value) if isinstance(value, pikepdf.Array) else [value]


# --- the structure tree ----------------------------------------------------------------------------

@dataclass(eq=False)
class Element:
    """A structure element, with its type after role mapping and its place in the tree."""

    obj: pikepdf.Dictionary
    type: str  # /S as written, without the slash
    role: str  # the standard type it maps to (its own type when standard or unmapped)
    parent: Element | None
    order: int  # position in a depth-first walk of the tree (reading order of the tags)
    page: int | None  # 1-based page of its /Pg or its nearest ancestor's
    children: list[Element] = field(default_factory=list)
    objrs: list[pikepdf.Object] = field(default_factory=list)  # the objects its OBJR kids name
    mcids: list[tuple] = field(default_factory=list)  # its marked-content kids: (page or stream key, MCID)

    @property
    def has_content(self) -> bool:
        return bool(self.mcids)

    def label(self) -> str:
        role = self.type if self.role == self.type else f"{self.type} (mapped to {self.role})"
        where = f" on page {self.page}" if self.page else ""
        return f"<{role}> #{self.order}{where}"

    def attributes(self, classmap) -> Iterator[pikepdf.Dictionary]:
        """The attribute dictionaries of its /A (one or an array, revision numbers skipped) and of its /C classes."""
        for item in _items(self.obj.get("/A")):
            if isinstance(item, pikepdf.Dictionary):
                yield item
        if classmap is not None:
            for cls in _items(self.obj.get("/C")):
                if isinstance(cls, pikepdf.Name):
                    for item in _items(classmap.get(cls)):
                        if isinstance(item, pikepdf.Dictionary):
                            yield item

    def attribute(self, classmap, owner: str, key: str):
        """The value of attribute `key` of owner `owner` (e.g. 'Table', '/Scope'), or None."""
        for attrs in self.attributes(classmap):
            if _name(attrs.get("/O")) == owner and key in attrs:
                return attrs[key]
        return None

    def lang(self) -> str | None:
        """Its own /Lang or its nearest ancestor's (None when none declares one)."""
        node: Element | None = self
        while node is not None:
            if "/Lang" in node.obj:
                return _text(node.obj.Lang)
            node = node.parent
        return None


# --- what the content streams hold ------------------------------------------------------------------

@dataclass
class FontUse:
    """A font as used by the text of the content streams."""

    font: pikepdf.Dictionary
    key: tuple  # its identity (_key)
    name: str  # its /BaseFont
    type0: bool = False  # a Type 0 (composite) font: multi-byte codes
    codespaces: list[tuple[int, int, int]] | None = None  # of its embedded CMap (None: Identity, 2 bytes)
    codes: set[int] = field(default_factory=set)  # character codes shown
    rendered: set[int] = field(default_factory=set)  # codes shown with a visible rendering mode
    undecodable: bool = False  # its encoding is a predefined CMap whose code lengths are not known here


@dataclass
class ContentFacts:
    artifact_in_tagged: Counter = field(default_factory=Counter)  # where -> count (01-003)
    tagged_in_artifact: Counter = field(default_factory=Counter)  # where -> count (01-004)
    untagged: Counter = field(default_factory=Counter)  # (where, kind) -> count (01-005)
    untied_mcids: list[str] = field(default_factory=list)  # MCIDs no structure element owns (01-005)
    malformed: list[str] = field(default_factory=list)  # unbalanced BMC/BDC/EMC, missing resources
    form_uses: Counter = field(default_factory=Counter)  # form XObject key -> times drawn
    form_mcids: dict = field(default_factory=dict)  # form XObject key -> (label, MCIDs it holds)
    forms: dict = field(default_factory=dict)  # form XObject key -> the stream
    langs: list[tuple[str, str]] = field(default_factory=list)  # (where, /Lang of a property list)
    fonts: dict = field(default_factory=dict)  # font key -> FontUse
    texts: dict = field(default_factory=dict)  # (page or stream key, MCID) -> [(font key, codes)] shown in it
    missing_fonts: list[str] = field(default_factory=list)  # Tf naming a font not in the resources


class _State:
    """Graphics state the walk needs: the current font and text rendering mode."""

    __slots__ = ("font", "render")

    def __init__(self, font=None, render=0):
        self.font = font
        self.render = render

    def copy(self) -> _State:
        return _State(self.font, self.render)


def _resources_of(page: pikepdf.Dictionary):
    node = page
    for _ in range(64):  # inherited from the page tree (ISO 32000-1, 7.7.3.4)
        if node is None:
            return None
        if "/Resources" in node:
            return node.Resources
        node = node.get("/Parent")
    return None


def _lookup(resources, category: str, name):
    if resources is None or not isinstance(name, pikepdf.Name):
        return None
    group = resources.get(category)
    if group is None:
        return None
    return group.get(name)


class Document:
    """One PDF, read once: the facts every check looks at."""

    def __init__(self, pdf: pikepdf.Pdf, name: str = "") -> None:
        self.pdf = pdf
        self.name = name
        self.catalog = pdf.Root
        self.pages = [page.obj for page in pdf.pages]
        self.page_number = {page.objgen: i + 1 for i, page in enumerate(self.pages)}
        self._instructions: dict = {}  # stream key -> parsed instructions (each stream parsed once)

    # -- catalog-level facts --
    @cached_property
    def struct_root(self):
        return self.catalog.get("/StructTreeRoot")

    @cached_property
    def role_map(self) -> dict[str, str]:
        root = self.struct_root
        rolemap = root.get("/RoleMap") if root is not None else None
        if not isinstance(rolemap, pikepdf.Dictionary):
            return {}
        return {key[1:]: _name(value) for key, value in rolemap.items()}

    @cached_property
    def class_map(self):
        root = self.struct_root
        return root.get("/ClassMap") if root is not None else None

    @cached_property
    def lang(self) -> str | None:
        """The catalog's /Lang, or None when absent."""
        return _text(self.catalog.Lang) if "/Lang" in self.catalog else None

    @cached_property
    def lang_is_valid(self) -> bool:
        return self.lang is not None and is_bcp47(self.lang)

    def resolve_role(self, type_: str) -> tuple[str, list[str]]:
        """The standard type `type_` maps to through the role map, and the chain followed.

        A standard type is its own role (PDF/UA-1 forbids remapping it: 02-004). A chain that loops or
        ends on a non-standard type returns that last type."""
        chain = [type_]
        current = type_
        while current not in STANDARD_TYPES and current in self.role_map:
            current = self.role_map[current]
            if current in chain:
                chain.append(current)
                break
            chain.append(current)
        return current, chain

    @cached_property
    def elements(self) -> list[Element]:
        """Every structure element, depth first (the order the tags are read in)."""
        out: list[Element] = []
        root = self.struct_root
        if root is None:
            return out
        seen: set = set()
        stack: list[tuple[pikepdf.Object, Element | None, pikepdf.Object | None]] = [
            (kid, None, None) for kid in reversed(_items(root.get("/K")))]
        while stack:
            obj, parent, page = stack.pop()  # page: the /Pg in force (the element's or an ancestor's)
            if isinstance(obj, int):
                if parent is not None and page is not None:
                    parent.mcids.append((_key(page), int(obj)))
                continue
            if not isinstance(obj, pikepdf.Dictionary):
                continue
            kind = _name(obj.get("/Type"))
            if kind == "OBJR":
                if parent is not None and "/Obj" in obj:
                    parent.objrs.append(obj.Obj)
                continue
            if kind == "MCR" or "/S" not in obj:
                holder = obj.get("/Stm", obj.get("/Pg", page))
                if parent is not None and holder is not None and isinstance(obj.get("/MCID"), int):
                    parent.mcids.append((_key(holder), int(obj.MCID)))
                continue
            if _key(obj) in seen:
                continue  # a cycle or an element listed twice: read it once
            seen.add(_key(obj))
            page = obj.get("/Pg", page)
            type_ = _name(obj.S)
            number = self.page_number.get(page.objgen) if page is not None else None
            element = Element(obj, type_, self.resolve_role(type_)[0], parent, len(out), number)
            out.append(element)
            if parent is not None:
                parent.children.append(element)
            stack.extend((kid, element, page) for kid in reversed(_items(obj.get("/K"))))
        return out

    @cached_property
    def element_of_object(self) -> dict:
        """Object key -> the element whose OBJR names it."""
        return {_key(obj): element for element in self.elements for obj in element.objrs}

    @cached_property
    def element_by_key(self) -> dict:
        return {_key(element.obj): element for element in self.elements}

    @cached_property
    def parent_tree(self) -> dict[int, pikepdf.Object]:
        """The structure tree's /ParentTree, flattened: key -> value."""
        out: dict[int, pikepdf.Object] = {}
        root = self.struct_root
        tree = root.get("/ParentTree") if root is not None else None
        stack = [tree] if tree is not None else []
        seen: set = set()
        while stack:
            node = stack.pop()
            if not isinstance(node, pikepdf.Dictionary) or _key(node) in seen:
                continue
            seen.add(_key(node))
            nums = list(node.get("/Nums", []))
            for i in range(0, len(nums) - 1, 2):
                if isinstance(nums[i], int):
                    out[int(nums[i])] = nums[i + 1]
            stack.extend(node.get("/Kids", []))
        return out

    def element_from_parent_tree(self, key) -> Element | None:
        value = self.parent_tree.get(int(key)) if isinstance(key, int) else None
        if isinstance(value, pikepdf.Dictionary):
            return self.element_by_key.get(_key(value))
        return None

    def tagged_mcids(self, holder: pikepdf.Object) -> set[int]:
        """The MCIDs of a page or form XObject that the parent tree ties to a structure element."""
        key = holder.get("/StructParents")
        value = self.parent_tree.get(int(key)) if isinstance(key, int) else None
        if not isinstance(value, pikepdf.Array):
            return set()
        return {i for i, item in enumerate(value) if isinstance(item, pikepdf.Dictionary)}

    @cached_property
    def annotations(self) -> list[tuple[int, pikepdf.Dictionary]]:
        """(page number, annotation) for every annotation of every page."""
        out = []
        for number, page in enumerate(self.pages, 1):
            for annot in _items(page.get("/Annots")):
                if isinstance(annot, pikepdf.Dictionary):
                    out.append((number, annot))
        return out

    def enclosing_element(self, annot: pikepdf.Dictionary) -> Element | None:
        """The element an annotation belongs to: its /StructParent's entry, else the element naming it by OBJR."""
        element = self.element_from_parent_tree(annot.get("/StructParent"))
        return element or self.element_of_object.get(_key(annot))

    # -- the content streams --
    def instructions(self, stream) -> list:
        key = _key(stream)
        if key not in self._instructions:
            self._instructions[key] = pikepdf.parse_content_stream(stream)
        return self._instructions[key]

    @cached_property
    def content(self) -> ContentFacts:
        facts = ContentFacts()
        for number, page in enumerate(self.pages, 1):
            where = f"page {number}"
            tagged = self.tagged_mcids(page)
            self._walk(page, self.instructions(page), _resources_of(page), [], [], _State(), where, facts, tagged, 0)
        return facts

    def text_of(self, element: Element) -> str:
        """The text shown in an element and its descendants' marked content, through the fonts' ToUnicode."""
        texts, fonts = self.content.texts, self.font_info
        parts, stack = [], [element]
        while stack:
            node = stack.pop()
            for ref in node.mcids:
                for font_key, codes in texts.get(ref, ()):
                    mapping = fonts[font_key].to_unicode or {}
                    parts.append("".join(mapping.get(code, "") for code in codes))
            stack.extend(reversed(node.children))
        return "".join(parts)

    def _font(self, facts: ContentFacts, font) -> FontUse | None:
        if not isinstance(font, pikepdf.Dictionary):
            return None
        key = _key(font)
        if key not in facts.fonts:
            use = FontUse(font, key, _name(font.get("/BaseFont")) or "(no /BaseFont)")
            encoding = font.get("/Encoding")
            use.type0 = _name(font.get("/Subtype")) == "Type0"
            if use.type0 and isinstance(encoding, pikepdf.Stream):
                use.codespaces = _codespace_ranges(encoding.read_bytes())
            use.undecodable = use.type0 and not (
                _name(encoding) in ("Identity-H", "Identity-V") or isinstance(encoding, pikepdf.Stream))
            facts.fonts[key] = use
        return facts.fonts[key]

    def _show(self, facts: ContentFacts, state: _State, data: bytes, tags: list) -> None:
        use = self._font(facts, state.font)
        if use is None or use.undecodable:
            return
        codes = _split_codes(use, data)
        use.codes.update(codes)
        if tags:
            facts.texts.setdefault(tags[-1], []).append((use.key, codes))
        if state.render != 3:  # mode 3 is invisible text: shown for extraction, never painted
            use.rendered.update(codes)

    def _walk(self, holder, instructions, resources, stack: list[str], tags: list, state: _State, where: str,
              facts: ContentFacts, tagged: set[int], depth: int) -> None:
        """Walk one content stream. `stack` holds the kinds of the marked-content sequences open around
        the current operator ('artifact', 'tagged' for an MCID, 'other'), and `tags` the (stream key, MCID)
        of each 'tagged' one; both start with those open where a form XObject is drawn, and must end as
        they started."""
        base = len(stack)
        saved: list[_State] = []
        for instruction in instructions:
            op = str(instruction.operator)
            operands = instruction.operands
            if op == "BMC" or op == "BDC":
                tag = _name(operands[0]) if operands else ""
                props = operands[1] if op == "BDC" and len(operands) > 1 else None
                if isinstance(props, pikepdf.Name):
                    props = _lookup(resources, "/Properties", props)
                if tag == "Artifact":
                    if "tagged" in stack:
                        facts.artifact_in_tagged[where] += 1
                    stack.append("artifact")
                elif isinstance(props, pikepdf.Dictionary) and isinstance(props.get("/MCID"), int):
                    mcid = int(props.MCID)
                    if "artifact" in stack:
                        facts.tagged_in_artifact[where] += 1
                    if mcid not in tagged:
                        facts.untied_mcids.append(
                            f"{where}: MCID {mcid} is tied to no structure element (no entry for it in the parent tree)")
                    if holder.get("/Subtype") == "/Form":
                        facts.form_mcids.setdefault(_key(holder), (where, set()))[1].add(mcid)
                    stack.append("tagged")
                    tags.append((_key(holder), mcid))
                else:
                    stack.append("other")
                if isinstance(props, pikepdf.Dictionary) and "/Lang" in props:
                    facts.langs.append((where, _text(props.Lang)))
            elif op == "EMC":
                if len(stack) > base:
                    if stack.pop() == "tagged":
                        tags.pop()
                else:
                    facts.malformed.append(f"{where}: EMC without a matching BMC/BDC")
            elif op == "q":
                saved.append(state.copy())
            elif op == "Q":
                if saved:
                    state = saved.pop()
            elif op == "Tf" and operands:
                state.font = _lookup(resources, "/Font", operands[0])
                if state.font is None:
                    facts.missing_fonts.append(f"{where}: font {operands[0]} is not in the resources")
            elif op == "Tr" and operands:
                state.render = int(operands[0])
            elif op in TEXT_SHOWING:
                self._content(facts, stack, where, "text-showing (Tj/TJ/'/\")")
                if op == "TJ":  # its strings hold whole codes: shown as one
                    data = b"".join(bytes(item) for item in (operands[0] if operands else ())
                                    if isinstance(item, pikepdf.String))
                    self._show(facts, state, data, tags)
                elif operands and isinstance(operands[-1], pikepdf.String):
                    self._show(facts, state, bytes(operands[-1]), tags)
            elif op in PATH_PAINTING:
                self._content(facts, stack, where, "path-painting")
            elif op == "sh":
                self._content(facts, stack, where, "shading (sh)")
            elif op == "INLINE IMAGE":
                self._content(facts, stack, where, "inline image")
            elif op == "Do" and operands:
                xobject = _lookup(resources, "/XObject", operands[0])
                if not isinstance(xobject, pikepdf.Stream):
                    facts.malformed.append(f"{where}: XObject {operands[0]} is not in the resources")
                elif xobject.get("/Subtype") == "/Image":
                    self._content(facts, stack, where, "image XObject")
                elif xobject.get("/Subtype") == "/Form":
                    key = _key(xobject)
                    facts.form_uses[key] += 1
                    facts.forms[key] = xobject
                    if depth > 32:
                        facts.malformed.append(f"{where}: form XObjects nested more than 32 deep")
                        continue
                    inner = f"{where}, form XObject {xobject.objgen[0]} {xobject.objgen[1]} R"
                    form_resources = xobject.get("/Resources", resources)
                    form_tagged = self.tagged_mcids(xobject)
                    self._walk(xobject, self.instructions(xobject), form_resources, stack, tags, state.copy(),
                               inner, facts, form_tagged, depth + 1)
        if len(stack) != base:
            facts.malformed.append(f"{where}: {len(stack) - base} marked-content sequence(s) left open")
            del tags[len(tags) - stack[base:].count("tagged"):]
            del stack[base:]

    @staticmethod
    def _content(facts: ContentFacts, stack: list[str], where: str, kind: str) -> None:
        if "tagged" not in stack and "artifact" not in stack:
            facts.untagged[(where, kind)] += 1

    # -- fonts --
    @cached_property
    def font_info(self) -> dict:
        """Font key -> FontInfo for every font the text uses."""
        return {key: FontInfo(use) for key, use in self.content.fonts.items()}

    # -- metadata --
    @cached_property
    def xmp(self) -> ET.Element | None:
        stream = self.catalog.get("/Metadata")
        if not isinstance(stream, pikepdf.Stream):
            return None
        try:
            return ET.fromstring(stream.read_bytes())
        except ET.ParseError:
            return None

    def xmp_values(self, prefix: str, name: str) -> list[ET.Element | str]:
        """The XMP property `prefix:name`, as elements or (when written as an attribute) strings."""
        if self.xmp is None:
            return []
        qualified = f"{{{XMP_NS[prefix]}}}{name}"
        found: list[ET.Element | str] = []
        for description in self.xmp.iter(f"{{{XMP_NS['rdf']}}}Description"):
            if qualified in description.attrib:
                found.append(description.attrib[qualified])
            found.extend(description.findall(qualified))
        return found


def as_document(pdf: Document | pikepdf.Pdf) -> Document:
    return pdf if isinstance(pdf, Document) else Document(pdf)


# --- fonts -------------------------------------------------------------------------------------------

def _hex(token: bytes) -> bytes:
    return bytes.fromhex(token.decode("ascii"))


def _codespace_ranges(cmap: bytes) -> list[tuple[int, int, int]]:
    """(length in bytes, low, high) of every codespace range of a CMap."""
    out = []
    for block in re.findall(rb"begincodespacerange(.*?)endcodespacerange", cmap, re.DOTALL):
        tokens = re.findall(rb"<([0-9A-Fa-f\s]*)>", block)
        for low, high in zip(tokens[::2], tokens[1::2], strict=False):
            low_b, high_b = _hex(re.sub(rb"\s", b"", low)), _hex(re.sub(rb"\s", b"", high))
            out.append((len(low_b), int.from_bytes(low_b, "big"), int.from_bytes(high_b, "big")))
    return out


def _split_codes(use: FontUse, data: bytes) -> list[int]:
    """The character codes of a string shown in a font (ISO 32000-1, 9.7.6.2)."""
    if not use.type0:
        return list(data)
    codespaces = use.codespaces
    if not codespaces:  # Identity-H / Identity-V: two bytes a code
        return [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data) - 1, 2)]
    codes, i = [], 0
    while i < len(data):
        for length, low, high in codespaces:
            chunk = data[i:i + length]
            if len(chunk) == length and low <= int.from_bytes(chunk, "big") <= high:
                codes.append(int.from_bytes(chunk, "big"))
                i += length
                break
        else:
            codes.append(data[i])
            i += 1
    return codes


def parse_to_unicode(cmap: bytes) -> dict[int, str]:
    """Code -> Unicode text of a ToUnicode CMap (its bfchar and bfrange mappings)."""
    mapping: dict[int, str] = {}

    def utf16(token: bytes) -> str:
        return _hex(re.sub(rb"\s", b"", token)).decode("utf-16-be", errors="replace")

    def code(token: bytes) -> int:
        return int.from_bytes(_hex(re.sub(rb"\s", b"", token)), "big")

    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.DOTALL):
        tokens = re.findall(rb"<([0-9A-Fa-f\s]*)>", block)
        for src, dst in zip(tokens[::2], tokens[1::2], strict=False):
            mapping[code(src)] = utf16(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.DOTALL):
        for low, high, dst in re.findall(
                rb"<([0-9A-Fa-f\s]*)>\s*<([0-9A-Fa-f\s]*)>\s*(<[0-9A-Fa-f\s]*>|\[[^\]]*\])", block):
            lo, hi = code(low), code(high)
            if hi - lo > 0xFFFF:
                continue
            if dst.startswith(b"["):
                for offset, item in enumerate(re.findall(rb"<([0-9A-Fa-f\s]*)>", dst)):
                    mapping[lo + offset] = utf16(item)
            else:
                start = _hex(re.sub(rb"\s", b"", dst[1:-1]))
                for offset in range(hi - lo + 1):
                    last = int.from_bytes(start[-2:], "big") + offset
                    mapping[lo + offset] = (start[:-2] + last.to_bytes(2, "big")).decode("utf-16-be", errors="replace")
    return mapping


class FontInfo:
    """A font the text uses, with what the font checks read from it (each part read when first asked)."""

    def __init__(self, use: FontUse) -> None:
        self.use = use
        self.font = use.font
        self.name = use.name
        self.subtype = _name(self.font.get("/Subtype"))
        descendants = _items(self.font.get("/DescendantFonts"))
        self.descendant = descendants[0] if descendants and isinstance(descendants[0], pikepdf.Dictionary) else None
        self.program_holder = self.descendant if self.subtype == "Type0" else self.font
        self.descriptor = self.program_holder.get("/FontDescriptor") if self.program_holder is not None else None

    @property
    def cid_subtype(self) -> str:
        return _name(self.descendant.get("/Subtype")) if self.descendant is not None else ""

    @property
    def program(self) -> pikepdf.Stream | None:
        if not isinstance(self.descriptor, pikepdf.Dictionary):
            return None
        for key in ("/FontFile", "/FontFile2", "/FontFile3"):
            if isinstance(self.descriptor.get(key), pikepdf.Stream):
                return self.descriptor[key]
        return None

    @cached_property
    def to_unicode(self) -> dict[int, str] | None:
        stream = self.font.get("/ToUnicode")
        if not isinstance(stream, pikepdf.Stream):
            return None
        return parse_to_unicode(stream.read_bytes())

    @cached_property
    def truetype(self):
        """The embedded TrueType program (fontTools), or None."""
        if not isinstance(self.descriptor, pikepdf.Dictionary) or not isinstance(
                self.descriptor.get("/FontFile2"), pikepdf.Stream):
            return None
        from fontTools.ttLib import TTFont

        try:
            return TTFont(io.BytesIO(self.descriptor.FontFile2.read_bytes()), lazy=True)
        except Exception:  # noqa: BLE001 - an unreadable program is reported by the checks that need it
            return None

    @cached_property
    def cid_to_gid(self) -> Callable[[int], int] | None:
        """CID -> glyph index for a CIDFontType2 (None when its /CIDToGIDMap is neither Identity nor a stream)."""
        value = self.descendant.get("/CIDToGIDMap") if self.descendant is not None else None
        if value is None or _name(value) == "Identity":
            return lambda cid: cid  # absent is read as Identity by viewers; 31-005 reports the absence
        if isinstance(value, pikepdf.Stream):
            table = value.read_bytes()
            return lambda cid: int.from_bytes(table[2 * cid:2 * cid + 2], "big") if 2 * cid + 1 < len(table) else 0
        return None

    @cached_property
    def widths(self) -> tuple[dict[int, float], float]:
        """CID -> width from the descendant's /W, and its /DW."""
        default = float(self.descendant.get("/DW", 1000)) if self.descendant is not None else 1000.0
        table: dict[int, float] = {}
        items = list(self.descendant.get("/W", [])) if self.descendant is not None else []
        i = 0
        while i < len(items):
            first = int(items[i])
            if i + 1 < len(items) and isinstance(items[i + 1], pikepdf.Array):
                for offset, width in enumerate(items[i + 1]):
                    table[first + offset] = float(width)
                i += 2
            elif i + 2 < len(items):
                for cid in range(first, int(items[i + 1]) + 1):
                    table[cid] = float(items[i + 2])
                i += 3
            else:
                break
        return table, default


def _fonts(doc: Document) -> list[FontInfo]:
    return list(doc.font_info.values())


# ====================================================================================================
# The checks. Each returns the problems found; [] means the failure condition does not occur.
# ====================================================================================================

# --- Checkpoint 01: Real content tagged ----------------------------------------------------------

def check_01_003(pdf) -> list[str]:
    """01-003: "Content marked as Artifact is present inside tagged content." (UA1:7.1-1)

    Every page content stream and every form XObject drawn from it (walked in the marked-content
    context it is drawn in) is searched for an /Artifact BMC/BDC opened inside a marked-content
    sequence that carries an MCID."""
    doc = as_document(pdf)
    return [f"{where}: {n} Artifact sequence(s) opened inside tagged (MCID) content"
            for where, n in doc.content.artifact_in_tagged.items()]


def check_01_004(pdf) -> list[str]:
    """01-004: "Tagged content is present inside content marked as Artifact." (UA1:7.1-1)

    A marked-content sequence with an MCID opened inside an /Artifact sequence, in any page content
    stream or form XObject (in the context it is drawn in)."""
    doc = as_document(pdf)
    return [f"{where}: {n} tagged (MCID) sequence(s) opened inside an Artifact"
            for where, n in doc.content.tagged_in_artifact.items()]


def check_01_005(pdf) -> list[str]:
    """01-005: "Content is neither marked as Artifact nor tagged as real content." (UA1:7.1-2)

    Every text-showing operator (Tj, TJ, ', "), path-painting operator, shading (sh), inline image
    and image XObject, in the page content streams and in every form XObject as drawn, must be inside
    an /Artifact sequence or inside a marked-content sequence with an MCID; and each such MCID must be
    tied to a structure element through the parent tree (else the content is tagged as nothing).
    Unbalanced BMC/BDC/EMC and operators naming missing resources are reported too, since the
    marked-content nesting of what follows them cannot be known. Annotation appearance streams are
    not content of the page and are not walked."""
    doc = as_document(pdf)
    facts = doc.content
    problems = [f"{where}: {n} {kind} operation(s) neither inside an Artifact nor inside tagged (MCID) content"
                for (where, kind), n in facts.untagged.items()]
    return problems + facts.untied_mcids + facts.malformed


def check_01_007(pdf) -> list[str]:
    """01-007: "Suspects entry has a value of true." (UA1:7.1-11)

    The catalog's /MarkInfo must not say /Suspects true."""
    doc = as_document(pdf)
    markinfo = doc.catalog.get("/MarkInfo")
    if isinstance(markinfo, pikepdf.Dictionary) and markinfo.get("/Suspects") is True:
        return ["the catalog's /MarkInfo has /Suspects true"]
    return []


# --- Checkpoint 02: Role mapping -----------------------------------------------------------------

def check_02_001(pdf) -> list[str]:
    """02-001: "One or more non-standard tag's mapping does not terminate with a standard type." (UA1:7.1-3)

    Every structure type used, and every key of the /RoleMap, must be a standard type of ISO 32000-1
    (14.8.4) or map, through the role map, to one. Without a role map, every type used must be standard."""
    doc = as_document(pdf)
    problems = []
    used = Counter(element.type for element in doc.elements)
    for type_ in sorted(set(used) | set(doc.role_map)):
        if type_ in STANDARD_TYPES:
            continue
        end, chain = doc.resolve_role(type_)
        if end not in STANDARD_TYPES:
            path = " -> ".join(chain)
            problems.append(f"structure type {type_} ({used[type_]} element(s)) maps to no standard type: {path}")
    return problems


def check_02_003(pdf) -> list[str]:
    """02-003: "A circular mapping exists." (UA1:7.1-3)

    Following the /RoleMap from any of its keys must never come back to a type already passed."""
    doc = as_document(pdf)
    problems = []
    for type_ in sorted(doc.role_map):
        chain = [type_]
        current = type_
        while current in doc.role_map:
            current = doc.role_map[current]
            if current in chain:
                problems.append(f"circular role mapping: {' -> '.join(chain + [current])}")
                break
            chain.append(current)
    return problems


def check_02_004(pdf) -> list[str]:
    """02-004: "One or more standard types are remapped." (UA1:7.1-4)

    No key of the /RoleMap may be a standard structure type."""
    doc = as_document(pdf)
    return [f"the standard type {key} is remapped to {value}"
            for key, value in sorted(doc.role_map.items()) if key in STANDARD_TYPES]


# --- Checkpoint 06: Metadata ---------------------------------------------------------------------

def check_06_001(pdf) -> list[str]:
    """06-001: "Document does not contain an XMP metadata stream." (UA1:7.1-8)

    The catalog must have a /Metadata stream that parses as XML."""
    doc = as_document(pdf)
    if not isinstance(doc.catalog.get("/Metadata"), pikepdf.Stream):
        return ["the catalog has no /Metadata stream"]
    if doc.xmp is None:
        return ["the catalog's /Metadata stream is not well-formed XML"]
    return []


def check_06_002(pdf) -> list[str]:
    """06-002: "The XMP metadata stream in the Catalog dictionary does not include the PDF/UA identifier." (UA1:5)

    The XMP must carry pdfuaid:part (namespace http://www.aiim.org/pdfua/ns/id/) with the value 1."""
    doc = as_document(pdf)
    if doc.xmp is None:
        return ["no XMP metadata to hold the PDF/UA identifier"]
    values = [v if isinstance(v, str) else (v.text or "") for v in doc.xmp_values("pdfuaid", "part")]
    if not values:
        return ["the XMP metadata has no pdfuaid:part"]
    if [v.strip() for v in values] != ["1"]:
        return [f"pdfuaid:part is {values}, not 1"]
    return []


def check_06_003(pdf) -> list[str]:
    """06-003: "XMP metadata stream does not contain dc:title." (UA1:7.1-8)

    The XMP must have a dc:title with at least one non-empty value."""
    doc = as_document(pdf)
    if doc.xmp is None:
        return ["no XMP metadata to hold dc:title"]
    titles = doc.xmp_values("dc", "title")
    texts = [t if isinstance(t, str) else "".join(t.itertext()) for t in titles]
    if not any(text.strip() for text in texts):
        return ["the XMP metadata has no dc:title" if not titles else "the XMP dc:title is empty"]
    return []


# --- Checkpoint 07: Dictionary -------------------------------------------------------------------

def check_07_001(pdf) -> list[str]:
    """07-001: "ViewerPreferences dictionary of the Catalog dictionary does not contain a DisplayDocTitle entry." (UA1:7.1-9)"""
    doc = as_document(pdf)
    prefs = doc.catalog.get("/ViewerPreferences")
    if not isinstance(prefs, pikepdf.Dictionary):
        return ["the catalog has no /ViewerPreferences"]
    if "/DisplayDocTitle" not in prefs:
        return ["/ViewerPreferences has no /DisplayDocTitle"]
    return []


def check_07_002(pdf) -> list[str]:
    """07-002: "ViewerPreferences dictionary of the Catalog dictionary contains a DisplayDocTitle entry with a value of false." (UA1:7.1-9)"""
    doc = as_document(pdf)
    prefs = doc.catalog.get("/ViewerPreferences")
    if isinstance(prefs, pikepdf.Dictionary) and "/DisplayDocTitle" in prefs and prefs.DisplayDocTitle is not True:
        return [f"/ViewerPreferences /DisplayDocTitle is {prefs.DisplayDocTitle}, not true"]
    return []


# --- Checkpoint 09: Appropriate tags -------------------------------------------------------------

def _nesting(doc: Document, rules: dict[str, tuple[set[str] | None, set[str] | None]]) -> list[str]:
    """Check, for the roles in `rules`, (allowed parent roles, allowed child roles); None allows any."""
    problems = []
    for element in doc.elements:
        allowed_parents, allowed_children = rules.get(element.role, (None, None))
        if allowed_parents is not None:
            parent = element.parent.role if element.parent is not None else "(structure tree root)"
            if parent not in allowed_parents:
                problems.append(f"{element.label()} is inside <{parent}>; allowed only in "
                                + ", ".join(f"<{p}>" for p in sorted(allowed_parents)))
        if allowed_children is not None:
            for child in element.children:
                if child.role not in allowed_children:
                    problems.append(f"{element.label()} contains {child.label()}; allowed children: "
                                    + ", ".join(f"<{c}>" for c in sorted(allowed_children)))
    return problems



def check_09_004(pdf) -> list[str]:
    """09-004: "A table-related structure element is used in a way that does not conform to the syntax defined in ISO 32000-1, Table 337." (UA1:7.2-1)

    TR only in Table, THead, TBody or TFoot; TH and TD only in TR; THead, TBody and TFoot only in
    Table; a Table holds only TR, THead, TBody, TFoot and Caption, with at most one THead and one
    TFoot and a Caption only as its first or last child; a TR holds only TH and TD; THead, TBody and
    TFoot hold only TR. Roles are read after role mapping."""
    doc = as_document(pdf)
    groups = {"THead", "TBody", "TFoot"}
    problems = _nesting(doc, {
        "Table": (None, {"TR", "Caption"} | groups),
        "THead": ({"Table"}, {"TR"}),
        "TBody": ({"Table"}, {"TR"}),
        "TFoot": ({"Table"}, {"TR"}),
        "TR": ({"Table"} | groups, {"TH", "TD"}),
        "TH": ({"TR"}, None),
        "TD": ({"TR"}, None),
    })
    for table in (e for e in doc.elements if e.role == "Table"):
        roles = [child.role for child in table.children]
        for once in ("THead", "TFoot"):
            if roles.count(once) > 1:
                problems.append(f"{table.label()} has {roles.count(once)} <{once}> children; at most one is allowed")
        for i, role in enumerate(roles):
            if role == "Caption" and 0 < i < len(roles) - 1:
                problems.append(f"{table.label()} has a <Caption> that is neither its first nor its last child")
    return problems


def check_09_005(pdf) -> list[str]:
    """09-005: "A list-related structure element is used in a way that does not conform to Table 336 in ISO 32000-1." (UA1:7.2-1)

    LI only in L; LBody only in LI; Lbl only in LI (or in TOCI, which ISO 32000-1 Table 333 allows);
    an L holds only LI, Caption and nested L; an LI holds only Lbl and LBody."""
    doc = as_document(pdf)
    return _nesting(doc, {
        "L": (None, {"LI", "L", "Caption"}),
        "LI": ({"L"}, {"Lbl", "LBody"}),
        "Lbl": ({"LI", "TOCI"}, None),
        "LBody": ({"LI"}, None),
    })


def check_09_006(pdf) -> list[str]:
    """09-006: "A TOC-related structure element is used in a way that does not conform to Table 333 in ISO 32000-1." (UA1:7.2-1)

    TOCI only in TOC; a TOC holds only TOCI, nested TOC and Caption."""
    doc = as_document(pdf)
    return _nesting(doc, {"TOC": (None, {"TOCI", "TOC", "Caption"}), "TOCI": ({"TOC"}, None)})


def check_09_007(pdf) -> list[str]:
    """09-007: "A Ruby-related structure element is used in a way that does not conform to Table 338 in ISO 32000-1." (UA1:7.2-1)

    RB, RT and RP only in Ruby; a Ruby holds only RB, RT and RP."""
    doc = as_document(pdf)
    return _nesting(doc, {"Ruby": (None, {"RB", "RT", "RP"}), "RB": ({"Ruby"}, None),
                          "RT": ({"Ruby"}, None), "RP": ({"Ruby"}, None)})


def check_09_008(pdf) -> list[str]:
    """09-008: "A Warichu-related structure element is used in a way that does not conform to Table 338 in ISO 32000-1." (UA1:7.2-1)

    WT and WP only in Warichu; a Warichu holds only WT and WP."""
    doc = as_document(pdf)
    return _nesting(doc, {"Warichu": (None, {"WT", "WP"}), "WT": ({"Warichu"}, None), "WP": ({"Warichu"}, None)})


# --- Checkpoint 10: Character mappings -----------------------------------------------------------

def check_10_001(pdf) -> list[str]:
    """10-001: "Character code cannot be mapped to Unicode." (UA1:7.2-2)

    Every character code shown by a text-showing operator (visible or not) must map to Unicode: through
    the font's ToUnicode CMap when it has one (a code missing from it, or mapped to nothing, cannot
    be mapped), or through one of the other means 31-027 accepts when it has none. Codes of a Type 0
    font on a predefined CMap other than Identity-H/V are not split here (such a font is accepted by
    31-027 only through its Adobe character collection)."""
    doc = as_document(pdf)
    problems = [f"{missing}: its text cannot be mapped to Unicode" for missing in doc.content.missing_fonts]
    for info in _fonts(doc):
        codes = info.use.codes
        if not codes:
            continue
        if info.to_unicode is None:
            if not _unicode_without_cmap(info):
                problems.append(f"font {info.name}: {len(codes)} character code(s) shown, no ToUnicode CMap "
                                "and no other way to map them to Unicode")
            continue
        missing = sorted(c for c in codes if not info.to_unicode.get(c))
        if missing:
            shown = ", ".join(f"{c:#06x}" for c in missing[:12])
            problems.append(f"font {info.name}: {len(missing)} character code(s) without a Unicode mapping in its "
                            f"ToUnicode CMap ({shown}{', ...' if len(missing) > 12 else ''})")
    return problems


# --- Checkpoint 11: Declared natural language ----------------------------------------------------

def _lang_problem(value: str | None) -> str | None:
    if value is None:
        return None
    if not value.strip():
        return "is empty (language unknown)"
    if not is_bcp47(value):
        return f"{value!r} is not a BCP 47 language tag"
    return None


def _determined(doc: Document, element: Element | None) -> bool:
    """True if the language of text inside `element` (or in the document, for None) is declared and valid."""
    lang = element.lang() if element is not None else None
    if lang is not None:
        return _lang_problem(lang) is None
    return doc.lang_is_valid


def check_11_001(pdf) -> list[str]:
    """11-001: "Natural language for text in page content cannot be determined." (UA1:7.2-3)

    The catalog's /Lang must be a valid BCP 47 tag (otherwise every element holding content needs
    one of its own or from an ancestor); every /Lang on a structure element and in a marked-content
    property list must be a valid, non-empty BCP 47 tag."""
    doc = as_document(pdf)
    problems = []
    if doc.lang is None:
        orphans = [e for e in doc.elements if e.has_content and e.lang() is None]
        if orphans or not doc.elements:
            problems.append(f"the catalog has no /Lang, and {len(orphans)} element(s) with content declare none")
    elif (why := _lang_problem(doc.lang)) is not None:
        problems.append(f"the catalog's /Lang {why}")
    for element in doc.elements:
        if "/Lang" in element.obj and (why := _lang_problem(_text(element.obj.Lang))) is not None:
            problems.append(f"{element.label()}: /Lang {why}")
    for where, value in doc.content.langs:
        if (why := _lang_problem(value)) is not None:
            problems.append(f"{where}: marked-content /Lang {why}")
    return problems


def check_11_002(pdf) -> list[str]:
    """11-002: "Natural language for text in Alt, ActualText and E attributes cannot be determined." (UA1:7.2-3)

    Every structure element with /Alt, /ActualText or /E must have a valid language: its own /Lang,
    an ancestor's, or the catalog's."""
    doc = as_document(pdf)
    problems = []
    for element in doc.elements:
        keys = [k for k in ("/Alt", "/ActualText", "/E") if k in element.obj]
        if keys and not _determined(doc, element):
            problems.append(f"{element.label()}: the language of its {', '.join(keys)} cannot be determined")
    return problems


def check_11_003(pdf) -> list[str]:
    """11-003: "Natural language in the Outline entries cannot be determined." (UA1:7.2-3)

    Outline items cannot carry a language of their own: when the document has outline entries,
    the catalog's /Lang must be a valid BCP 47 tag."""
    doc = as_document(pdf)
    outlines = doc.catalog.get("/Outlines")
    if isinstance(outlines, pikepdf.Dictionary) and "/First" in outlines and not doc.lang_is_valid:
        return ["the document has outline entries and no valid /Lang in its catalog"]
    return []


def check_11_004(pdf) -> list[str]:
    """11-004: "Natural language in the Contents entry for annotations cannot be determined." (UA1:7.2-3)

    Every annotation with a /Contents needs a valid language: from the structure element it belongs
    to (its /Lang or an ancestor's) or from the catalog."""
    doc = as_document(pdf)
    problems = []
    for page, annot in doc.annotations:
        if _text(annot.get("/Contents")).strip() and not _determined(doc, doc.enclosing_element(annot)):
            problems.append(f"page {page}: the language of the /Contents of a {_name(annot.get('/Subtype'))} "
                            "annotation cannot be determined")
    return problems


def _form_fields(doc: Document) -> Iterator[pikepdf.Dictionary]:
    """The terminal fields of the interactive form (those whose kids, if any, are widgets)."""
    form = doc.catalog.get("/AcroForm")
    stack = list(_items(form.get("/Fields"))) if isinstance(form, pikepdf.Dictionary) else []
    seen: set = set()
    while stack:
        node = stack.pop()
        if not isinstance(node, pikepdf.Dictionary) or _key(node) in seen:
            continue
        seen.add(_key(node))
        kids = [k for k in _items(node.get("/Kids")) if isinstance(k, pikepdf.Dictionary)]
        if any("/T" in k for k in kids):
            stack.extend(kids)
        else:
            yield node


def _widgets(field_dict: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    kids = [k for k in _items(field_dict.get("/Kids")) if isinstance(k, pikepdf.Dictionary)]
    return kids or [field_dict]


def check_11_005(pdf) -> list[str]:
    """11-005: "Natural language in the TU entry for form fields cannot be determined." (UA1:7.2-3)

    Every form field with a /TU needs a valid language: from the structure element of its widget
    or from the catalog."""
    doc = as_document(pdf)
    problems = []
    for field_dict in _form_fields(doc):
        if _text(field_dict.get("/TU")).strip() and not any(
                _determined(doc, doc.enclosing_element(widget)) for widget in _widgets(field_dict)):
            problems.append(f"form field {_text(field_dict.get('/T'))!r}: the language of its /TU cannot be determined")
    return problems


def check_11_006(pdf) -> list[str]:
    """11-006: "Natural language for document metadata cannot be determined." (UA1:7.2-3)

    Determined by a valid /Lang in the catalog; without one, every language alternative of dc:title,
    dc:description and dc:rights must carry a valid xml:lang other than x-default."""
    doc = as_document(pdf)
    if doc.xmp is None or doc.lang_is_valid:
        return []
    problems = [] if doc.lang is None else [f"the catalog's /Lang {_lang_problem(doc.lang)}"]
    xml_lang = f"{{{XMP_NS['xml']}}}lang"
    for prop in ("title", "description", "rights"):
        for value in doc.xmp_values("dc", prop):
            items = [value] if isinstance(value, str) else list(value.iter(f"{{{XMP_NS['rdf']}}}li")) or [value]
            for item in items:
                lang = item.get(xml_lang) if isinstance(item, ET.Element) else None
                if lang is None or lang.lower() == "x-default" or not is_bcp47(lang):
                    problems.append(f"dc:{prop} has a value whose language is {lang or 'not declared'}")
    return problems


# --- Checkpoint 13: Graphics ---------------------------------------------------------------------

def check_13_004(pdf) -> list[str]:
    """13-004: "<Figure> tag alternative or replacement text missing." (UA1:7.3-3)

    Every element whose role is Figure has a non-blank /Alt or /ActualText."""
    doc = as_document(pdf)
    return [f"{e.label()} has neither /Alt nor /ActualText" for e in doc.elements
            if e.role == "Figure" and not (_text(e.obj.get("/Alt")).strip() or _text(e.obj.get("/ActualText")).strip())]


# --- Checkpoint 14: Headings ---------------------------------------------------------------------

def _numbered_headings(doc: Document) -> list[tuple[Element, int]]:
    out = []
    for element in doc.elements:
        match = NUMBERED_HEADING.fullmatch(element.role)
        if match:
            out.append((element, int(match.group(1))))
    return out


def check_14_002(pdf) -> list[str]:
    """14-002: "Does use numbered headings, but the first heading tag is not <H1>." (UA1:7.4.2-1)

    The first numbered heading in the order of the structure tree is an H1."""
    doc = as_document(pdf)
    headings = _numbered_headings(doc)
    if headings and headings[0][1] != 1:
        return [f"the first numbered heading is {headings[0][0].label()}, not <H1>"]
    return []


def check_14_003(pdf) -> list[str]:
    """14-003: "Numbered heading levels in descending sequence are skipped (Example: <H3> follows directly after <H1>)." (UA1:7.4-1)

    Walking the numbered headings in the order of the structure tree, none is more than one level
    deeper than the heading before it (an H1 opens a chapter, its sections are H2, theirs H3)."""
    doc = as_document(pdf)
    headings = _numbered_headings(doc)
    return [f"{element.label()} follows {previous.label()}: skips {level - before - 1} level(s)"
            for (previous, before), (element, level) in itertools.pairwise(headings)
            if level > before + 1]


def check_14_006(pdf) -> list[str]:
    """14-006: "A node contains more than one <H> tag." (UA1:7.4.4-1)

    No structure element (nor the tree root) has more than one child whose role is the unnumbered H."""
    doc = as_document(pdf)
    problems = [f"{e.label()} contains {n} <H> elements" for e in doc.elements
                if (n := sum(child.role == "H" for child in e.children)) > 1]
    top = sum(e.parent is None and e.role == "H" for e in doc.elements)
    if top > 1:
        problems.append(f"the structure tree root contains {top} <H> elements")
    return problems


def check_14_007(pdf) -> list[str]:
    """14-007: "Document uses both <H> and <H#> tags." (UA1:7.4.4-3)"""
    doc = as_document(pdf)
    unnumbered = sum(e.role == "H" for e in doc.elements)
    numbered = len(_numbered_headings(doc))
    if unnumbered and numbered:
        return [f"the document uses {unnumbered} <H> and {numbered} numbered heading element(s)"]
    return []


# --- Checkpoint 15: Tables -----------------------------------------------------------------------

def _cells(table: Element) -> list[Element]:
    """The TH and TD of a table, not those of tables nested in it."""
    out, stack = [], list(reversed(table.children))
    while stack:
        element = stack.pop()
        if element.role in ("TH", "TD"):
            out.append(element)
        if element.role != "Table":
            stack.extend(reversed(element.children))
    return out


def check_15_003(pdf) -> list[str]:
    """15-003: "In a table not organized with Headers attributes and IDs, a <TH> cell does not contain a Scope attribute." (UA1:7.5-2)

    A table is organized with Headers attributes and IDs when every one of its TD cells has a Table
    /Headers attribute. In any other table, every TH needs a Table attribute /Scope of Row, Column
    or Both (in its /A, a dictionary or an array of them, or in a class of its /C). Every /Headers
    entry, wherever it appears, must name the /ID of exactly one structure element (IDs are unique
    in the document), or the table is not organized with Headers and IDs either."""
    doc = as_document(pdf)
    classmap = doc.class_map
    ids = Counter(bytes(e.obj.ID) for e in doc.elements if isinstance(e.obj.get("/ID"), pikepdf.String))
    problems = []
    for table in (e for e in doc.elements if e.role == "Table"):
        cells = _cells(table)
        with_headers = [c for c in cells if c.attribute(classmap, "Table", "/Headers") is not None]
        for cell in with_headers:
            for entry in _items(cell.attribute(classmap, "Table", "/Headers")):
                name = bytes(entry) if isinstance(entry, pikepdf.String) else None
                if name is None or ids[name] != 1:
                    shown = name.decode("latin-1") if name is not None else repr(entry)
                    count = ids[name] if name is not None else 0
                    problems.append(f"{cell.label()} in {table.label()}: /Headers names {shown!r}, which "
                                    f"{'no element has as its /ID' if count == 0 else f'{count} elements have as their /ID'}")
        if with_headers and all(c in with_headers for c in cells if c.role == "TD"):
            continue
        for cell in cells:
            if cell.role != "TH":
                continue
            scope = cell.attribute(classmap, "Table", "/Scope")
            if scope is None:
                why = "not all its TD cells have /Headers" if with_headers else "the table does not use /Headers and /ID"
                problems.append(f"{cell.label()} in {table.label()} has no /Scope ({why})")
            elif _name(scope) not in ("Row", "Column", "Both"):
                problems.append(f"{cell.label()} in {table.label()} has /Scope {scope}, not Row, Column or Both")
    return problems


# --- Checkpoint 16: Lists ------------------------------------------------------------------------

ORDERED_LABEL = re.compile(r"\(?(?:[0-9]+|[ivxlcdm]+|[IVXLCDM]+|[a-zA-Z])[.)]|[0-9]+")
ORDERED_NUMBERING = frozenset({"Decimal", "UpperRoman", "LowerRoman", "UpperAlpha", "LowerAlpha"})


def _numbered_lists(doc: Document) -> Iterator[tuple[Element, list[str]]]:
    """Lists whose every item label reads as a number, a roman numeral or a letter ("1.", "iv)", "b."),
    with those labels (the text of their marked content, through the fonts' ToUnicode)."""
    for element in doc.elements:
        if element.role != "L":
            continue
        labels = [doc.text_of(label).strip() for item in element.children if item.role == "LI"
                  for label in item.children if label.role == "Lbl"]
        if labels and all(ORDERED_LABEL.fullmatch(label) for label in labels):
            yield element, labels


def check_16_001(pdf) -> list[str]:
    """16-001: "List is an ordered list, but no value for the ListNumbering attribute is present." (UA1:7.6-1)

    The protocol leaves to a reader whether a list is ordered; here a list counts as ordered when the
    text of every one of its Lbl elements is a number, a roman numeral or a letter (as "1.", "iv)", "b.").
    Such a list needs a List attribute /ListNumbering. Lists labelled otherwise are left to a reader."""
    doc = as_document(pdf)
    return [f"{element.label()} is numbered ({labels[0]!r} to {labels[-1]!r}) and has no /ListNumbering"
            for element, labels in _numbered_lists(doc)
            if element.attribute(doc.class_map, "List", "/ListNumbering") is None]


def check_16_002(pdf) -> list[str]:
    """16-002: "List is an ordered list, but the ListNumbering value is not one of the following: Decimal, UpperRoman, LowerRoman, UpperAlpha, LowerAlpha." (UA1:7.6-1)

    For the lists 16-001 reads as ordered (from their labels) that have a /ListNumbering."""
    doc = as_document(pdf)
    problems = []
    for element, labels in _numbered_lists(doc):
        value = element.attribute(doc.class_map, "List", "/ListNumbering")
        if value is not None and _name(value) not in ORDERED_NUMBERING:
            problems.append(f"{element.label()} is numbered ({labels[0]!r} to {labels[-1]!r}) "
                            f"and has /ListNumbering {value}")
    return problems


# --- Checkpoint 19: Notes and references ---------------------------------------------------------

def check_19_003(pdf) -> list[str]:
    """19-003: "ID entry of the <Note> tag is not present." (UA1:7.9-2)"""
    doc = as_document(pdf)
    return [f"{e.label()} has no /ID" for e in doc.elements
            if e.role == "Note" and not (isinstance(e.obj.get("/ID"), pikepdf.String) and bytes(e.obj.ID))]


def check_19_004(pdf) -> list[str]:
    """19-004: "ID entry of the <Note> tag is non-unique." (UA1:7.9-2)

    The /ID of every Note is carried by no other structure element."""
    doc = as_document(pdf)
    ids = Counter(bytes(e.obj.ID) for e in doc.elements if isinstance(e.obj.get("/ID"), pikepdf.String))
    return [f"{e.label()}: its /ID {bytes(e.obj.ID).decode('latin-1')!r} is carried by {ids[bytes(e.obj.ID)]} elements"
            for e in doc.elements
            if e.role == "Note" and isinstance(e.obj.get("/ID"), pikepdf.String) and ids[bytes(e.obj.ID)] > 1]


# --- Checkpoint 28: Annotations ------------------------------------------------------------------

def _hidden(annot: pikepdf.Dictionary) -> bool:
    flags = annot.get("/F", 0)
    return isinstance(flags, int) and bool(int(flags) & 2)


def _annot_label(page: int, annot: pikepdf.Dictionary) -> str:
    ref = f" ({annot.objgen[0]} {annot.objgen[1]} R)" if annot.objgen != (0, 0) else ""
    return f"page {page}: {_name(annot.get('/Subtype')) or 'untyped'} annotation{ref}"


def _child_of(doc: Document, annot: pikepdf.Dictionary, role: str) -> str | None:
    """Why `annot` is not a direct child (by OBJR) of an element of role `role`; None if it is."""
    by_tree = doc.element_from_parent_tree(annot.get("/StructParent"))
    by_objr = doc.element_of_object.get(_key(annot))
    if by_tree is None and by_objr is None:
        return "belongs to no structure element (no /StructParent entry, no OBJR)"
    if by_objr is None:
        return f"is not named by an OBJR of {by_tree.label()}, the element its /StructParent gives"
    if by_tree is not None and by_tree is not by_objr:
        return f"its /StructParent gives {by_tree.label()} but the OBJR naming it is in {by_objr.label()}"
    if by_objr.role != role:
        above = by_objr.parent
        while above is not None and above.role != role:
            above = above.parent
        if above is not None:
            return f"belongs to {by_objr.label()}, which is inside {above.label()}: it must be a direct child of the <{role}>"
        return f"belongs to {by_objr.label()}, not to a <{role}>"
    return None


def check_28_002(pdf) -> list[str]:
    """28-002: "An annotation, other than of subtype Widget, Link and PrinterMark, is not a direct child of an <Annot> structure element." (UA1:7.18.1-2)

    Hidden annotations (flag bit 2) are not presented and are left out, as veraPDF does."""
    doc = as_document(pdf)
    problems = []
    for page, annot in doc.annotations:
        if _name(annot.get("/Subtype")) in ("Widget", "Link", "PrinterMark") or _hidden(annot):
            continue
        if (why := _child_of(doc, annot, "Annot")) is not None:
            problems.append(f"{_annot_label(page, annot)} {why}")
    return problems


def check_28_004(pdf) -> list[str]:
    """28-004: "An annotation, other than of subtype Widget, does not have a Contents entry and does not have an alternative description (in the form of an Alt entry in the enclosing structure element)." (UA1:7.18.1-4)

    Hidden annotations (flag bit 2) are left out, as veraPDF does."""
    doc = as_document(pdf)
    problems = []
    for page, annot in doc.annotations:
        if _name(annot.get("/Subtype")) == "Widget" or _hidden(annot):
            continue
        element = doc.enclosing_element(annot)
        alt = _text(element.obj.get("/Alt")).strip() if element is not None else ""
        if not _text(annot.get("/Contents")).strip() and not alt:
            problems.append(f"{_annot_label(page, annot)} has no /Contents and its element no /Alt")
    return problems


def check_28_005(pdf) -> list[str]:
    """28-005: "A form field does not have a TU entry and does not have an alternative description (in the form of an Alt entry in the enclosing structure element)." (UA1:7.18.1-4)"""
    doc = as_document(pdf)
    problems = []
    for field_dict in _form_fields(doc):
        if _text(field_dict.get("/TU")).strip():
            continue
        elements = [doc.enclosing_element(widget) for widget in _widgets(field_dict)]
        if not any(e is not None and _text(e.obj.get("/Alt")).strip() for e in elements):
            problems.append(f"form field {_text(field_dict.get('/T'))!r} has no /TU and its element no /Alt")
    return problems


def check_28_006(pdf) -> list[str]:
    """28-006: "An annotation with subtype undefined in ISO 32000 does not meet 7.18.1." (UA1:7.18.2-1)

    An annotation whose subtype ISO 32000-1 (Table 169) does not define must, like any other, be a
    direct child of an <Annot> element and have a /Contents or an /Alt on that element."""
    doc = as_document(pdf)
    problems = []
    for page, annot in doc.annotations:
        if _name(annot.get("/Subtype")) in ANNOTATION_TYPES or _hidden(annot):
            continue
        if (why := _child_of(doc, annot, "Annot")) is not None:
            problems.append(f"{_annot_label(page, annot)} (a subtype ISO 32000 does not define) {why}")
        element = doc.enclosing_element(annot)
        if not _text(annot.get("/Contents")).strip() and not (element and _text(element.obj.get("/Alt")).strip()):
            problems.append(f"{_annot_label(page, annot)} (a subtype ISO 32000 does not define) has no /Contents or /Alt")
    return problems


def check_28_007(pdf) -> list[str]:
    """28-007: "An annotation of subtype TrapNet exists." (UA1:7.18.2-2)"""
    doc = as_document(pdf)
    return [f"{_annot_label(page, annot)} is not allowed" for page, annot in doc.annotations
            if _name(annot.get("/Subtype")) == "TrapNet"]


def check_28_008(pdf) -> list[str]:
    """28-008: "A page containing an annotation does not contain a Tabs entry." (UA1:7.18.3-1)"""
    doc = as_document(pdf)
    return [f"page {n} has {len(_items(page.get('/Annots')))} annotation(s) and no /Tabs"
            for n, page in enumerate(doc.pages, 1) if _items(page.get("/Annots")) and "/Tabs" not in page]


def check_28_009(pdf) -> list[str]:
    """28-009: "A page containing an annotation has a Tabs entry with a value other than S." (UA1:7.18.3-1)"""
    doc = as_document(pdf)
    return [f"page {n} has annotations and /Tabs {page.Tabs}, not /S" for n, page in enumerate(doc.pages, 1)
            if _items(page.get("/Annots")) and "/Tabs" in page and _name(page.Tabs) != "S"]


def check_28_010(pdf) -> list[str]:
    """28-010: "A widget annotation is not nested within a <Form> tag." (UA1:7.18.4-1)

    Hidden widgets (flag bit 2) are left out."""
    doc = as_document(pdf)
    return [f"{_annot_label(page, annot)} {why}" for page, annot in doc.annotations
            if _name(annot.get("/Subtype")) == "Widget" and not _hidden(annot)
            and (why := _child_of(doc, annot, "Form")) is not None]


def check_28_011(pdf) -> list[str]:
    """28-011: "A link annotation is not nested within a <Link> tag." (UA1:7.18.5-1)

    Each Link annotation's /StructParent entry in the parent tree is a <Link> element, and that
    element names the annotation by an OBJR kid: the annotation is a direct child of the <Link>, as
    veraPDF requires (an OBJR in a <Span> inside the <Link> fails). Hidden links (flag bit 2) are left out."""
    doc = as_document(pdf)
    return [f"{_annot_label(page, annot)} {why}" for page, annot in doc.annotations
            if _name(annot.get("/Subtype")) == "Link" and not _hidden(annot)
            and (why := _child_of(doc, annot, "Link")) is not None]


def check_28_012(pdf) -> list[str]:
    """28-012: "A link annotation does not include an alternate description in its Contents entry." (UA1:7.18.5-2)"""
    doc = as_document(pdf)
    return [f"{_annot_label(page, annot)} has no /Contents" for page, annot in doc.annotations
            if _name(annot.get("/Subtype")) == "Link" and not _text(annot.get("/Contents")).strip()]


def _actions(doc: Document) -> Iterator[pikepdf.Dictionary]:
    """Every action of the document's annotations and catalog, following /Next chains."""
    roots = [doc.catalog.get("/OpenAction")]
    roots += list(doc.catalog.get("/AA", {}).values()) if isinstance(doc.catalog.get("/AA"), pikepdf.Dictionary) else []
    for _, annot in doc.annotations:
        roots.append(annot.get("/A"))
        if isinstance(annot.get("/AA"), pikepdf.Dictionary):
            roots.extend(annot.AA.values())
    stack, seen = [r for r in roots if r is not None], set()
    while stack:
        action = stack.pop()
        if not isinstance(action, pikepdf.Dictionary) or _key(action) in seen:
            continue
        seen.add(_key(action))
        yield action
        stack.extend(_items(action.get("/Next")))


def _media_clips(doc: Document) -> Iterator[pikepdf.Dictionary]:
    """The media clip data dictionaries of every rendition action."""
    stack = [a.get("/R") for a in _actions(doc) if _name(a.get("/S")) == "Rendition"]
    seen: set = set()
    while stack:
        rendition = stack.pop()
        if not isinstance(rendition, pikepdf.Dictionary) or _key(rendition) in seen:
            continue
        seen.add(_key(rendition))
        if _name(rendition.get("/S")) == "SR":
            stack.extend(_items(rendition.get("/R")))
        clip = rendition.get("/C")
        if isinstance(clip, pikepdf.Dictionary) and _name(clip.get("/S")) == "MCD":
            yield clip


def check_28_014(pdf) -> list[str]:
    """28-014: "CT entry is missing from the media clip data dictionary." (UA1:7.18.6.2-1)"""
    doc = as_document(pdf)
    return ["a media clip data dictionary has no /CT" for clip in _media_clips(doc) if "/CT" not in clip]


def check_28_015(pdf) -> list[str]:
    """28-015: "Alt entry is missing from the media clip data dictionary." (UA1:7.18.6.2-1)"""
    doc = as_document(pdf)
    return ["a media clip data dictionary has no /Alt" for clip in _media_clips(doc) if "/Alt" not in clip]


def check_28_016(pdf) -> list[str]:
    """28-016: "File attachment annotations do not conform to 7.11." (UA1:7.18.7-1)

    PDF/UA-1 7.11: the file specification dictionary of an embedded file has /F and /UF."""
    doc = as_document(pdf)
    problems = []
    for page, annot in doc.annotations:
        if _name(annot.get("/Subtype")) != "FileAttachment":
            continue
        spec = annot.get("/FS")
        if not isinstance(spec, pikepdf.Dictionary) or "/F" not in spec or "/UF" not in spec:
            problems.append(f"{_annot_label(page, annot)}: its file specification lacks /F or /UF")
    return problems


def check_28_017(pdf) -> list[str]:
    """28-017: "A PrinterMark annotation is included in the logical structure." (UA1:7.18.8-1)"""
    doc = as_document(pdf)
    return [f"{_annot_label(page, annot)} is in the structure tree" for page, annot in doc.annotations
            if _name(annot.get("/Subtype")) == "PrinterMark" and doc.enclosing_element(annot) is not None]


def check_28_018(pdf) -> list[str]:
    """28-018: "The appearance stream of a PrinterMark annotation is not marked as Artifact." (UA1:7.18.8-2)

    Every content operator of each of its appearance streams is inside an /Artifact sequence."""
    doc = as_document(pdf)
    problems = []
    for page, annot in doc.annotations:
        if _name(annot.get("/Subtype")) != "PrinterMark":
            continue
        normal = annot.get("/AP", {}).get("/N") if isinstance(annot.get("/AP"), pikepdf.Dictionary) else None
        streams = [normal] if isinstance(normal, pikepdf.Stream) else (
            [s for s in normal.values() if isinstance(s, pikepdf.Stream)] if isinstance(normal, pikepdf.Dictionary) else [])
        for stream in streams:
            facts = ContentFacts()
            where = _annot_label(page, annot)
            doc._walk(stream, doc.instructions(stream), stream.get("/Resources"), [], [], _State(), where, facts,
                      set(), 0)
            if facts.untagged or facts.form_mcids or facts.untied_mcids:
                problems.append(f"{where}: its appearance stream has content outside an Artifact sequence")
    return problems


# --- Checkpoint 30: XObjects ---------------------------------------------------------------------

def check_30_001(pdf) -> list[str]:
    """30-001: "A reference XObject is present." (UA1:7.20-1)

    No form XObject drawn by the content streams has a /Ref."""
    doc = as_document(pdf)
    return [f"form XObject {form.objgen[0]} {form.objgen[1]} R is a reference XObject (/Ref)"
            for form in doc.content.forms.values() if "/Ref" in form]


def check_30_002(pdf) -> list[str]:
    """30-002: "Form XObject contains MCIDs and is referenced more than once." (UA1:7.20-2)

    Counted as the Do operators that draw it, through every page and every form drawing it."""
    doc = as_document(pdf)
    facts = doc.content
    return [f"form XObject first drawn at {where} holds MCIDs {sorted(mcids)[:8]} and is drawn {facts.form_uses[key]} times"
            for key, (where, mcids) in facts.form_mcids.items() if facts.form_uses[key] > 1]


# --- Checkpoint 31: Fonts ------------------------------------------------------------------------

# ISO 32000-1:2008, 9.7.5.2, Table 118: the predefined CMaps.
PREDEFINED_CMAPS = frozenset({
    "GB-EUC-H", "GB-EUC-V", "GBpc-EUC-H", "GBpc-EUC-V", "GBK-EUC-H", "GBK-EUC-V", "GBKp-EUC-H", "GBKp-EUC-V",
    "GBK2K-H", "GBK2K-V", "UniGB-UCS2-H", "UniGB-UCS2-V", "UniGB-UTF16-H", "UniGB-UTF16-V", "B5pc-H", "B5pc-V",
    "HKscs-B5-H", "HKscs-B5-V", "ETen-B5-H", "ETen-B5-V", "ETenms-B5-H", "ETenms-B5-V", "CNS-EUC-H", "CNS-EUC-V",
    "UniCNS-UCS2-H", "UniCNS-UCS2-V", "UniCNS-UTF16-H", "UniCNS-UTF16-V", "83pv-RKSJ-H", "90ms-RKSJ-H",
    "90ms-RKSJ-V", "90msp-RKSJ-H", "90msp-RKSJ-V", "90pv-RKSJ-H", "Add-RKSJ-H", "Add-RKSJ-V", "EUC-H", "EUC-V",
    "Ext-RKSJ-H", "Ext-RKSJ-V", "H", "V", "UniJIS-UCS2-H", "UniJIS-UCS2-V", "UniJIS-UCS2-HW-H", "UniJIS-UCS2-HW-V",
    "UniJIS-UTF16-H", "UniJIS-UTF16-V", "KSC-EUC-H", "KSC-EUC-V", "KSCms-UHC-H", "KSCms-UHC-V", "KSCms-UHC-HW-H",
    "KSCms-UHC-HW-V", "KSCpc-EUC-H", "UniKS-UCS2-H", "UniKS-UCS2-V", "UniKS-UTF16-H", "UniKS-UTF16-V", "Identity-H",
    "Identity-V",
})
ADOBE_CJK_ORDERINGS = frozenset({"GB1", "CNS1", "Japan1", "Korea1"})
SIMPLE_FONT_TYPES = frozenset({"Type1", "MMType1", "TrueType", "Type3"})


def _cid_system_info(obj) -> tuple[str, str, int] | None:
    info = obj.get("/CIDSystemInfo") if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)) else None
    if not isinstance(info, pikepdf.Dictionary):
        return None
    return _text(info.get("/Registry")), _text(info.get("/Ordering")), int(info.get("/Supplement", 0))


def _embedded_cmap_pairs(doc: Document) -> Iterator[tuple[FontInfo, tuple | None, tuple | None]]:
    """(font, CIDFont's CIDSystemInfo, CMap's CIDSystemInfo) for Type 0 fonts on an embedded CMap."""
    for info in _fonts(doc):
        encoding = info.font.get("/Encoding")
        if info.subtype == "Type0" and isinstance(encoding, pikepdf.Stream) and info.descendant is not None:
            yield info, _cid_system_info(info.descendant), _cid_system_info(encoding)


def check_31_001(pdf) -> list[str]:
    """31-001: "A Type 0 font dictionary with encoding other than Identity-H and Identity-V has values for Registry in both CIDSystemInfo dictionaries that are not identical." (UA1:7.21.3-1)

    Checked for fonts on an embedded CMap; a predefined CMap's CIDSystemInfo is not known here."""
    return [f"font {info.name}: Registry {font[0]!r} (CIDFont) differs from {cmap[0]!r} (CMap)"
            for info, font, cmap in _embedded_cmap_pairs(as_document(pdf)) if font and cmap and font[0] != cmap[0]]


def check_31_002(pdf) -> list[str]:
    """31-002: "A Type 0 font dictionary with encoding other than Identity-H and Identity-V has values for Ordering in both CIDSystemInfo dictionaries that are not identical." (UA1:7.21.3.1-1)"""
    return [f"font {info.name}: Ordering {font[1]!r} (CIDFont) differs from {cmap[1]!r} (CMap)"
            for info, font, cmap in _embedded_cmap_pairs(as_document(pdf)) if font and cmap and font[1] != cmap[1]]


def check_31_003(pdf) -> list[str]:
    """31-003: "A Type 0 font dictionary with encoding other than Identity-H and Identity-V has a value for Supplement in the CIDSystemInfo dictionary of the CID font that is less than the value for Supplement in the CIDSystemInfo dictionary of the CMap." (UA1:7.21.3.1-1)"""
    return [f"font {info.name}: Supplement {font[2]} (CIDFont) is less than {cmap[2]} (CMap)"
            for info, font, cmap in _embedded_cmap_pairs(as_document(pdf)) if font and cmap and font[2] < cmap[2]]


def check_31_004(pdf) -> list[str]:
    """31-004: "A Type 2 CID font contains neither a stream nor the name Identity as the value of the CIDToGIDMap entry." (UA1:7.21.3.2-1)"""
    doc = as_document(pdf)
    problems = []
    for info in _fonts(doc):
        if info.cid_subtype == "CIDFontType2" and "/CIDToGIDMap" in info.descendant:
            value = info.descendant.CIDToGIDMap
            if not isinstance(value, pikepdf.Stream) and _name(value) != "Identity":
                problems.append(f"font {info.name}: /CIDToGIDMap is {value}")
    return problems


def check_31_005(pdf) -> list[str]:
    """31-005: "A Type 2 CID font does not contain a CIDToGIDMap entry." (UA1:7.21.3.2-1)"""
    doc = as_document(pdf)
    return [f"font {info.name}: its CIDFontType2 has no /CIDToGIDMap" for info in _fonts(doc)
            if info.cid_subtype == "CIDFontType2" and "/CIDToGIDMap" not in info.descendant]


def check_31_006(pdf) -> list[str]:
    """31-006: "A CMap is neither listed as described in ISO 32000-1:2008, 9.7.5.2, Table 118 nor is it embedded." (UA1:7.21.3.3-1)"""
    doc = as_document(pdf)
    problems = []
    for info in _fonts(doc):
        encoding = info.font.get("/Encoding")
        if info.subtype == "Type0" and not isinstance(encoding, pikepdf.Stream) and _name(encoding) not in PREDEFINED_CMAPS:
            problems.append(f"font {info.name}: CMap {encoding} is neither predefined nor embedded")
    return problems


def check_31_007(pdf) -> list[str]:
    """31-007: "The WMode entry in a CMap dictionary is not identical to the WMode value in the CMap stream." (UA1:7.21.3.3-1)"""
    doc = as_document(pdf)
    problems = []
    for info in _fonts(doc):
        encoding = info.font.get("/Encoding")
        if info.subtype == "Type0" and isinstance(encoding, pikepdf.Stream):
            declared = int(encoding.get("/WMode", 0))
            found = re.search(rb"/WMode\s+(\d+)\s+def", encoding.read_bytes())
            inside = int(found.group(1)) if found else 0
            if declared != inside:
                problems.append(f"font {info.name}: CMap /WMode {declared} in its dictionary, {inside} in its stream")
    return problems


def check_31_008(pdf) -> list[str]:
    """31-008: "A CMap references another CMap which is not listed in ISO 32000-1:2008, 9.7.5.2, Table 118." (UA1:7.21.3.3-2)"""
    doc = as_document(pdf)
    problems = []
    for info in _fonts(doc):
        encoding = info.font.get("/Encoding")
        if info.subtype != "Type0" or not isinstance(encoding, pikepdf.Stream):
            continue
        used = encoding.get("/UseCMap")
        names = [] if used is None else [used]
        names += [pikepdf.Name("/" + n.decode()) for n in re.findall(rb"/([^\s/]+)\s+usecmap", encoding.read_bytes())]
        for name in names:
            if not isinstance(name, pikepdf.Name) or _name(name) not in PREDEFINED_CMAPS:
                problems.append(f"font {info.name}: its CMap uses {name if isinstance(name, pikepdf.Name) else 'an embedded CMap'}")
    return problems


def check_31_009(pdf) -> list[str]:
    """31-009: "For a font used by text intended to be rendered the font program is not embedded." (UA1:7.21.4.1-1)

    Every font with text shown in a rendering mode other than 3 (invisible) has a /FontFile,
    /FontFile2 or /FontFile3 in its descriptor (the descendant CIDFont's for a Type 0 font). Type 3
    fonts are drawn by their own glyph procedures and have no program."""
    doc = as_document(pdf)
    return [f"font {info.name} ({info.subtype}{'/' + info.cid_subtype if info.cid_subtype else ''}): no embedded program"
            for info in _fonts(doc) if info.use.rendered and info.subtype != "Type3" and info.program is None]


def _cid_glyphs(info: FontInfo) -> dict[int, int] | None:
    """Rendered CID -> glyph index of a CIDFontType2 on Identity-H/V (codes are CIDs), else None."""
    if info.cid_subtype != "CIDFontType2" or _name(info.font.get("/Encoding")) not in ("Identity-H", "Identity-V"):
        return None
    mapping = info.cid_to_gid
    if mapping is None:
        return None
    return {cid: mapping(cid) for cid in info.use.rendered}


def check_31_011(pdf) -> list[str]:
    """31-011: "For a font used by text the font program is embedded but it does not contain glyphs for all of the glyphs referenced by the text used for rendering." (UA1:7.21.4.1-3)

    For a CIDFontType2 on Identity-H/V with an embedded TrueType program: every rendered CID's glyph
    (through /CIDToGIDMap) exists in the program (index below maxp.numGlyphs)."""
    doc = as_document(pdf)
    problems = []
    for info in _fonts(doc):
        glyphs = _cid_glyphs(info)
        if glyphs is None or info.program is None:
            continue
        program = info.truetype
        if program is None:
            problems.append(f"font {info.name}: its embedded TrueType program cannot be read")
            continue
        count = program["maxp"].numGlyphs
        missing = sorted(cid for cid, gid in glyphs.items() if gid >= count)
        if missing:
            problems.append(f"font {info.name}: {len(missing)} rendered CID(s) name glyphs the program lacks "
                            f"(it has {count}): {missing[:10]}")
    return problems


def check_31_016(pdf) -> list[str]:
    """31-016: "For one or more glyphs, the glyph width information in the font dictionary and in the embedded font program differ by more than 1/1000 unit." (UA1:7.21.5-1)

    For a CIDFontType2 on Identity-H/V: each rendered CID's width in /W (or /DW) against the glyph's
    advance width in the program's hmtx, scaled to 1000 units per em; a difference above 1 fails."""
    doc = as_document(pdf)
    problems = []
    for info in _fonts(doc):
        glyphs = _cid_glyphs(info)
        if glyphs is None or info.truetype is None:
            continue
        program = info.truetype
        scale = 1000.0 / program["head"].unitsPerEm
        metrics = program["hmtx"].metrics
        order = program.getGlyphOrder()
        table, default = info.widths
        wrong = []
        for cid, gid in sorted(glyphs.items()):
            if gid >= len(order):
                continue  # 31-011 reports it
            expected = metrics[order[gid]][0] * scale
            declared = table.get(cid, default)
            if abs(declared - expected) > 1:
                wrong.append(f"CID {cid}: {declared:g} in /W, {expected:.1f} in the program")
        if wrong:
            problems.append(f"font {info.name}: {len(wrong)} glyph width(s) differ ({'; '.join(wrong[:5])})")
    return problems


def _glyph_names(info: FontInfo) -> list[str] | None:
    """The glyph names a simple Type 1 / Type 3 font's codes select, when its encoding says so."""
    from fontTools.encodings.StandardEncoding import StandardEncoding

    encoding = info.font.get("/Encoding")
    base = StandardEncoding if encoding is None or isinstance(encoding, pikepdf.Dictionary) else None
    differences: dict[int, str] = {}
    if isinstance(encoding, pikepdf.Dictionary):
        code = 0
        for item in encoding.get("/Differences", []):
            if isinstance(item, int):
                code = int(item)
            elif isinstance(item, pikepdf.Name):
                differences[code] = _name(item)
                code += 1
    names = []
    for code in info.use.codes:
        if code in differences:
            names.append(differences[code])
        elif base is not None and base[code] != ".notdef":
            names.append(base[code])
        else:
            return None
    return names


def _unicode_without_cmap(info: FontInfo) -> bool:
    """True if one of the means 31-027 accepts in place of a ToUnicode CMap applies to the font."""
    from fontTools.agl import LEGACY_AGL2UV

    encoding = info.font.get("/Encoding")
    named = _name(encoding) or (_name(encoding.get("/BaseEncoding")) if isinstance(encoding, pikepdf.Dictionary) else "")
    if info.subtype in SIMPLE_FONT_TYPES and named in ("MacRomanEncoding", "MacExpertEncoding", "WinAnsiEncoding"):
        return True
    if info.subtype in ("Type1", "MMType1", "Type3"):
        names = _glyph_names(info)
        if names is not None and all(n in LEGACY_AGL2UV for n in names):
            return True
    if info.subtype == "Type0" and info.descendant is not None:
        system = _cid_system_info(info.descendant)
        if system and system[0] == "Adobe" and system[1] in ADOBE_CJK_ORDERINGS:
            return True
    if info.subtype == "TrueType" and isinstance(info.descriptor, pikepdf.Dictionary):
        flags = int(info.descriptor.get("/Flags", 0))
        if flags & 32 and not flags & 4:  # non-symbolic
            return True
    return False


def check_31_027(pdf) -> list[str]:
    """31-027: "A font dictionary does not contain the ToUnicode entry and none of the following is true: the font uses MacRomanEncoding, MacExpertEncoding or WinAnsiEncoding; the font is a Type 1 or Type 3 font and the glyph names of the glyphs referenced are all contained in the Adobe Glyph List or the set of named characters in the Symbol font, as defined in ISO 32000-1:2008, Annex D; the font is a Type 0 font, and its descendant CIDFont uses Adobe-GB1, Adobe-CNS1, Adobe-Japan1 or Adobe-Korea1 character collections; the font is a non-symbolic TrueType font." (UA1:7.21.7-1)

    Checked for every font the text uses (the Symbol font's own names are not consulted: a Type 1
    font relying on them needs a ToUnicode CMap here)."""
    doc = as_document(pdf)
    return [f"font {info.name} ({info.subtype}): no /ToUnicode and no other means of mapping to Unicode"
            for info in _fonts(doc) if "/ToUnicode" not in info.font and not _unicode_without_cmap(info)]


def _mapped_values(doc: Document, bad: Callable[[str], bool]) -> list[str]:
    problems = []
    for info in _fonts(doc):
        if info.to_unicode is None:
            continue
        codes = sorted(code for code in info.use.codes if code in info.to_unicode and bad(info.to_unicode[code]))
        if codes:
            shown = ", ".join(f"{c:#06x} -> {info.to_unicode[c].encode('unicode_escape').decode()}" for c in codes[:8])
            problems.append(f"font {info.name}: {len(codes)} code(s) shown map to it ({shown})")
    return problems


def check_31_028(pdf) -> list[str]:
    """31-028: "One or more Unicode values specified in the ToUnicode CMap are zero (0)." (UA1:7.21.7-2)

    Checked for the codes the text shows."""
    return _mapped_values(as_document(pdf), lambda text: "\x00" in text)


def check_31_029(pdf) -> list[str]:
    """31-029: "One or more Unicode values specified in the ToUnicode CMap are equal to either U+FEFF or U+FFFE." (UA1:7.21.7-3)

    Checked for the codes the text shows."""
    return _mapped_values(as_document(pdf), lambda text: "\ufeff" in text or "\ufffe" in text)


def check_31_030(pdf) -> list[str]:
    """31-030: "One or more characters used in text showing operators reference the .notdef glyph." (UA1:7.21.8-1)

    For a CIDFontType2 on Identity-H/V: no rendered CID selects glyph 0 (.notdef) through /CIDToGIDMap."""
    doc = as_document(pdf)
    problems = []
    for info in _fonts(doc):
        glyphs = _cid_glyphs(info)
        notdef = sorted(cid for cid, gid in (glyphs or {}).items() if gid == 0)
        if notdef:
            problems.append(f"font {info.name}: {len(notdef)} rendered CID(s) select .notdef: {notdef[:10]}")
    return problems


# ====================================================================================================

CHECKS: dict[str, Callable[[Document | pikepdf.Pdf], list[str]]] = {
    name[6:8] + "-" + name[9:]: function
    for name, function in sorted(globals().items())
    if re.fullmatch(r"check_\d\d_\d\d\d", name)
}

_HUMAN = "the protocol marks it for human judgement: "
_ABSENT = "does not apply: "
NOT_MACHINE_CHECKABLE: dict[str, str] = {
    "01-001": _HUMAN + "whether tagged content is really an artifact (decoration, pagination) is a reading decision.",
    "01-002": _HUMAN + "whether content marked as Artifact carries meaning is a reading decision.",
    "01-006": _HUMAN + "whether a structure type and its attributes suit the content needs a reader.",
    "02-002": _HUMAN + "whether a non-standard type's mapping is semantically right needs a reader "
                       "(our files have no /RoleMap; 02-001 checks every type used is standard).",
    "06-004": _HUMAN + "whether dc:title clearly identifies the document needs a reader.",
    "09-001": _HUMAN + "whether the tags follow the logical reading order needs a reader.",
    "09-002": _HUMAN + "whether a nesting is semantically appropriate (e.g. a table inside a heading) needs a reader.",
    "09-003": _HUMAN + "whether the (mapped) structure type suits its content needs a reader.",
    "11-007": _HUMAN + "whether the declared language is the language of the text needs a reader "
                       "(test_pdfua.py checks, as a proxy, that each edition declares its own language).",
    "13-001": _HUMAN + "which graphics are meaningful (to be tagged Figure) and which decorative needs a reader.",
    "13-002": _HUMAN + "whether a link's background graphic is meaningful needs a reader.",
    "13-003": _HUMAN + "whether some text is a caption needs a reader.",
    "13-005": _HUMAN + "whether alternative text would suit a Figure better than ActualText needs a reader.",
    "13-006": _HUMAN + "whether graphics only mean something as a group needs a reader.",
    "13-007": _HUMAN + "whether a more accessible representation exists needs a reader.",
    "13-008": _HUMAN + "whether a Figure is meant to be read primarily as text needs a reader.",
    "14-001": _HUMAN + "which text is a heading needs a reader.",
    "14-004": _HUMAN + "(listed as a semantic question, see 01-006); our files use only H1-H6, which 02-001 keeps standard.",
    "14-005": _HUMAN + "whether content is a 7th-level heading needs a reader.",
    "15-001": _HUMAN + "whether a row has a header cell needs a reader.",
    "15-002": _HUMAN + "whether a column has a header cell needs a reader.",
    "15-004": _HUMAN + "whether content tagged as a table is organized in rows and columns needs a reader.",
    "15-005": _HUMAN + "whether each cell's header is unambiguous needs a reader (15-003 checks the Scope/Headers it rests on).",
    "16-003": _HUMAN + "whether content is a list needs a reader.",
    "19-001": _HUMAN + "which text is a footnote or endnote needs a reader.",
    "19-002": _HUMAN + "which text is a reference needs a reader.",
    "28-001": _HUMAN + "whether annotations are in the right reading order needs a reader.",
    "28-003": _HUMAN + "whether an annotation is used only for visual formatting needs a reader.",
    "28-013": _HUMAN + "whether an IsMap link's function is offered another way needs a reader.",
    "31-010": _HUMAN + "whether a font's licence allows embedding needs its licence read "
                       "(ours are Source Sans 3 under the OFL, which allows it).",
    "31-012": _ABSENT + "about the CharSet of embedded Type 1 fonts; our files embed none "
                        "(test_pdfua.py asserts every font is Type 0 over a CIDFontType2).",
    "31-013": _ABSENT + "about the CharSet of embedded Type 1 fonts; our files embed none (as 31-012).",
    "31-014": _ABSENT + "about a CIDSet in a CID font's descriptor; our files write none "
                        "(test_pdfua.py asserts no font descriptor has /CIDSet or /CharSet).",
    "31-015": _ABSENT + "about a CIDSet in a CID font's descriptor; our files write none (as 31-014).",
    "31-017": _ABSENT + "about non-symbolic simple TrueType fonts; our files use none (every font is Type 0, as 31-012).",
    "31-018": _ABSENT + "about non-symbolic simple TrueType fonts (as 31-017).",
    "31-019": _ABSENT + "about non-symbolic simple TrueType fonts (as 31-017).",
    "31-020": _ABSENT + "about non-symbolic simple TrueType fonts (as 31-017).",
    "31-021": _ABSENT + "about non-symbolic simple TrueType fonts (as 31-017).",
    "31-022": _ABSENT + "about non-symbolic simple TrueType fonts (as 31-017).",
    "31-023": _ABSENT + "about non-symbolic simple TrueType fonts (as 31-017).",
    "31-024": _ABSENT + "about symbolic simple TrueType fonts (as 31-017).",
    "31-025": _ABSENT + "about symbolic simple TrueType fonts (as 31-017).",
    "31-026": _ABSENT + "about symbolic simple TrueType fonts (as 31-017).",
}


def run_all(pdf) -> dict[str, list[str]]:
    """Every check on one document: number -> its problems."""
    doc = as_document(pdf)
    return {number: check(doc) for number, check in CHECKS.items()}
