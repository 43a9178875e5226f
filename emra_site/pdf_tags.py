"""What the PDF's structure tree needs beyond what WeasyPrint writes (PDF/UA-1, the Matterhorn Protocol).

After writing, on each part as it is joined (`pdf_assemble`) and on each chapter's own PDF, every language:
- `finish_structure`: /Scope on every /TH (§7.5, 15-003: a header cell of the table's head, /THead, heads its
  column, one in a body row heads its row, as `templates/_macros.html` says with `scope`); each part's /ID
  (`<object number>-<row>-<column>`, repeated from one part to the next once joined) and the /Headers naming
  it prefixed with the part; the contents as /TOC trees of /TOCI entries (`_contents`);
- `set_id_tree`: the /IDTree every tree with /ID needs (ISO 32000-1 §14.7.2);
- `attach_links`: each link annotation a direct child of its /Link (§7.18.5, 28-011).
While WeasyPrint builds the tree (`install`): /Lang on a phrase with a `lang` of its own (§7.2, 11-001),
/ListNumbering on a numbered list (§7.6, 16-001), and the contents `<nav>` marked /TOC.
Same input, same bytes.
"""

from __future__ import annotations

from typing import Any

import pikepdf

_COLUMN, _ROW = pikepdf.Name("/Column"), pikepdf.Name("/Row")


def _kids(element) -> list:
    kids = element.get("/K")
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []


def _attributes(cell) -> pikepdf.Dictionary:
    """The cell's /Table attribute dictionary (/A may be one dictionary or an array of them), made if missing."""
    owned = cell.get("/A")
    for candidate in (owned if isinstance(owned, pikepdf.Array) else [owned] if owned is not None else []):
        if isinstance(candidate, pikepdf.Dictionary) and candidate.get("/O") == "/Table":
            return candidate
    table = pikepdf.Dictionary(O=pikepdf.Name("/Table"))
    if owned is None:
        cell.A = table
    elif isinstance(owned, pikepdf.Array):
        owned.append(table)
    else:
        cell.A = pikepdf.Array([owned, table])
    return table


def finish_structure(top, prefix: str = "") -> dict[str, pikepdf.Object]:
    """Give every /TH under `top` (an element or an array of them) its /Scope, and prefix every /ID (and each
    /Headers entry, which names them) with `prefix`, so that the parts of one report never share one.

    Returns {identifier: element} for the ID tree (`set_id_tree`). Each element is visited once (a part's
    tree is a tree: no element has two parents).
    """
    ids: dict[str, pikepdf.Object] = {}
    finished: set = set()  # the contents already made a /TOC tree (`_contents`)
    stack = [(kid, "") for kid in (list(top) if isinstance(top, pikepdf.Array) else [top])]
    while stack:
        element, group = stack.pop()
        if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
            continue
        role = str(element.S)
        if role == "/TOC" and element.objgen not in finished:
            _contents(element, finished)
        if prefix and "/ID" in element:
            element.ID = pikepdf.String(prefix + str(element.ID))
        if "/ID" in element:
            ids[str(element.ID)] = element
        if role in ("/TH", "/TD"):
            table = _attributes(element)
            if role == "/TH":
                table.Scope = _COLUMN if group == "/THead" else _ROW
            if prefix and "/Headers" in table:
                table.Headers = pikepdf.Array([pikepdf.String(prefix + str(h)) for h in table.Headers])
        # A row's group (/THead, /TBody, /TFoot) decides the scope of the header cells in it.
        inner = role if role in ("/THead", "/TBody", "/TFoot") else group if role == "/TR" else ""
        stack.extend((kid, inner) for kid in reversed(_kids(element)))
    return ids


def _set_kids(element, kids: list) -> None:
    element.K = pikepdf.Array(kids)
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            kid.P = element


def _contents(nav, finished: set) -> None:
    """A contents `<nav>` as ISO 32000-1 §14.8.4.3.4 has it (and PDF/UA-1 §7.2): a /TOC holding, for each
    of its titled lists, a /TOC whose /Caption is the title and whose entries are /TOCI; an entry's sub-list
    is a /TOC inside it. From WeasyPrint's lists: /P title + /L → /TOC(/Caption, …), /LI → /TOCI,
    /LBody → /NonStruct (a TOCI holds no LBody); the elements stay, so the marked content keeps its owner."""
    finished.add(nav.objgen)
    grouped, title = [], None
    for kid in _kids(nav):
        role = str(kid.get("/S", "")) if isinstance(kid, pikepdf.Dictionary) else ""
        if role == "/P" and title is None:
            title = kid
            continue
        if role == "/L":
            _list_to_contents(kid, title, finished)
            title = None
        elif title is not None:
            grouped.append(title)
            title = None
        grouped.append(kid)
    if title is not None:
        grouped.append(title)
    _set_kids(nav, grouped)


def _sub_lists(element) -> list:
    """The /L elements under `element`, not looking inside them."""
    found: list = []
    for kid in _kids(element):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            found += [kid] if kid.S == "/L" else _sub_lists(kid)
    return found


def _list_to_contents(lst, title, finished: set) -> None:
    lst.S = pikepdf.Name("/TOC")
    if "/A" in lst:
        del lst.A  # a list's numbering: a table of contents has none
    finished.add(lst.objgen)
    entries = _kids(lst)
    if title is not None:
        title.S = pikepdf.Name("/Caption")
        entries = [title, *entries]
    for item in entries:
        if isinstance(item, pikepdf.Dictionary) and item.get("/S") == "/LI":
            item.S = pikepdf.Name("/TOCI")
            for part in _kids(item):
                if isinstance(part, pikepdf.Dictionary) and part.get("/S") == "/LBody":
                    part.S = pikepdf.Name("/NonStruct")
            for inner in _sub_lists(item):
                _list_to_contents(inner, None, finished)
    _set_kids(lst, entries)


def attach_links(pdf: pikepdf.Pdf) -> None:
    """Make each link annotation a direct child of a /Link element (PDF/UA-1 §7.18.5, Matterhorn 28-011).

    WeasyPrint gives the annotation of a link to the box that draws it, which for a link whose text has
    parts (the contents' chapter number and title, an address with its breaks) is a /Span inside the
    /Link. The object reference moves to the nearest /Link above it, and the parent tree's entry for the
    annotation (its /StructParent) follows; a reference with no /Link above it makes its element a /Link.
    Runs on each part before it is joined, and on a chapter's own PDF.
    """
    tree = pdf.Root.get("/StructTreeRoot")
    if tree is None or "/ParentTree" not in tree:
        return
    nums = tree.ParentTree.get("/Nums")
    if not isinstance(nums, pikepdf.Array):  # WeasyPrint writes one flat /Nums array (pdf_assemble joins them)
        return
    entry = {int(k): i + 1 for i, k in enumerate(nums) if i % 2 == 0}
    stack: list[tuple[Any, Any]] = [(kid, None) for kid in _kids(tree)]
    moves = []
    while stack:
        element, link = stack.pop()
        if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
            continue
        for kid in _kids(element):
            annotation = kid.get("/Obj") if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR" else None
            if annotation is not None and annotation.get("/Subtype") == "/Link" and element.S != "/Link":
                moves.append((element, kid, annotation, link))
        inner = element if element.S == "/Link" else link
        stack.extend((kid, inner) for kid in _kids(element))
    for element, reference, annotation, link in moves:
        if link is None:
            element.S = pikepdf.Name("/Link")
            continue
        assert reference.is_indirect, "WeasyPrint writes each object reference as an object of its own"
        _set_kids(element, [k for k in _kids(element) if not (isinstance(k, pikepdf.Dictionary) and k.objgen == reference.objgen)])
        link.K = pikepdf.Array([*_kids(link), reference])
        if "/StructParent" in annotation and int(annotation.StructParent) in entry:
            nums[entry[int(annotation.StructParent)]] = link


def set_id_tree(pdf: pikepdf.Pdf, ids: dict[str, pikepdf.Object]) -> None:
    """The structure tree root's /IDTree: a name tree of every element identifier, sorted (deterministic)."""
    if not ids:
        return
    names = pikepdf.Array()
    for name in sorted(ids):
        names.append(pikepdf.String(name))
        names.append(ids[name])
    pdf.Root.StructTreeRoot.IDTree = pdf.make_indirect(pikepdf.Dictionary(Names=names))


# CSS list-style-type → the PDF's /ListNumbering (ISO 32000-1 Table 347); other styles count as decimal.
LIST_NUMBERING = {"decimal": "Decimal", "lower-roman": "LowerRoman", "upper-roman": "UpperRoman",
                  "lower-alpha": "LowerAlpha", "lower-latin": "LowerAlpha", "upper-alpha": "UpperAlpha",
                  "upper-latin": "UpperAlpha"}


def install() -> None:
    """Make WeasyPrint write the language of a part of the text (PDF/UA-1 §7.2, Matterhorn 11-001): an
    element with a `lang` of its own (`[OECD Regions and Cities at a Glance]{lang=en}` in Markdown) gets
    `/Lang` on its structure element; and mark the contents and the lists of figures and tables (`<nav
    class="toc">` in templates/print/report.html) as /TOC, finished by `finish_structure`. WeasyPrint builds the
    tree in `weasyprint.pdf.tags._build_box_tree`, which calls itself through the module: wrapping it there
    covers every element. Idempotent.
    """
    import pydyf
    from weasyprint.pdf import tags

    original = tags._build_box_tree
    if getattr(original, "emra_lang", False):
        return

    def build_box_tree(box, parent, *args):
        element_of = getattr(box, "element", None)
        # The document's own language is the catalogue's /Lang (`pdf_assemble`); only a part's own is added.
        lang = element_of.get("lang") if element_of is not None and element_of.tag != "html" else None
        contents = element_of is not None and element_of.tag == "nav" and "toc" in element_of.get("class", "").split()
        numbered = element_of is not None and element_of.tag == "ol"
        for element in original(box, parent, *args):
            if numbered and element.get("S") == "/L" and "A" not in element:
                # PDF/UA-1 §7.6 (Matterhorn 16-001): a numbered list says how it is numbered.
                numbering = LIST_NUMBERING.get(box.style["list_style_type"], "Decimal")
                element["A"] = pydyf.Dictionary({"O": "/List", "ListNumbering": f"/{numbering}"})
            if lang and "Lang" not in element:
                element["Lang"] = pydyf.String(lang)
            if contents and element.get("S") == "/NonStruct":
                element["S"] = "/TOC"  # its lists become a table of contents (`finish_structure`)
            yield element

    build_box_tree.emra_lang = True  # type: ignore[attr-defined]
    tags._build_box_tree = build_box_tree
