"""End to end: the logical structure of every kind of PDF we write, read back by code that did not write it.

- pikepdf (walked here by hand): the catalog (MarkInfo, Lang, DisplayDocTitle, XMP with pdfuaid and
  dc:title), the roles, and that the structure tree, the ParentTree and the content streams agree:
  every MCID on every page belongs to exactly one element, on the page the element says, and no
  marking operator stands outside marked content (tagged or artifact).
- poppler's ``pdfinfo -struct-text``: every text unit of each copy whole and in order, in tag order;
  the 新旧対照表's columns each whole.
- pdfminer.six with its default LAParams and ``pdftotext`` with its defaults: the units whole, and
  (pdfminer) in reading order.
- veraPDF (the ``verapdf`` fixture): PDF/UA-1 on every kind, each archive level's PDF/A profile.

Expectations come from the YAML files (``expected_units`` of test_e2e_pdf, built with yaml.safe_load).
"""

from __future__ import annotations

import io
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pikepdf
import pytest
from pdfminer.high_level import extract_text
from test_e2e_pdf import (
    AGREEMENT,
    DATA,
    MARKING_OPS,
    account_for,
    expect_none,
    expected_units,
    load_data,
    run_poppler,
    squash,
)

from kyoyaku_pdf.cli.main import main

LEVELS = ("2a", "2u", "2b", "1b")
#: the edit the 新旧対照表 shows: one phrase of 別表第1 (3) 取組内容
OLD_PHRASE, NEW_PHRASE = "熊本港の利用促進に取り組む。", "熊本港の利用推進に取り組む。"
#: the policy area a removal takes out of 別表第3 1: shown whole on the 改正前 side, the areas after it renumbered
REMOVED_AREA = """          - name: DV被害者への支援等
            content: 配偶者等からの暴力の防止及び被害者の保護に取り組む。
            hub_role: 乙と連携して配偶者等からの暴力の防止及び被害者の保護に取り組む。
            partner_role: 甲と連携して配偶者等からの暴力の防止及び被害者の保護に取り組む。
"""
#: a 取組内容 so long that its block must continue on the next page
LONG_TEXT = "企業の事業活動を支援するため、熊本港の利用促進に取り組む。" * 70
PDFUAID = "{http://www.aiim.org/pdfua/ns/id/}"
DC = "{http://purl.org/dc/elements/1.1/}"


# =============================================================================================
# The files
# =============================================================================================


def _edited_data(root: Path, old: str, new: str) -> Path:
    """A copy of data/ under ``root`` with ``old`` replaced by ``new`` in the 別表 file."""
    shutil.copytree(DATA, root)
    path = root / "common" / "beppyo-r7.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"expected {old!r} once in the 別表 file"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return root / AGREEMENT.name


#: area names of every length from 8 to 30 characters (one to four lines in the area column)
NAME_STEM = "地域公共交通ネットワークの維持及び確保に係る連携事業の推進に関する取組"


def _varied_names(root: Path) -> Path:
    """A copy of data/ whose 23 policy-area names run through the lengths NAME_STEM allows."""
    shutil.copytree(DATA, root)
    path = root / "common" / "beppyo-r7.yaml"
    text = path.read_text(encoding="utf-8")
    names = re.findall(r"- name: (.*)", text)
    for index, name in enumerate(names):
        text = text.replace(f"- name: {name}\n", f"- name: {NAME_STEM[:8 + index]}\n", 1)
    path.write_text(text, encoding="utf-8")
    return root / AGREEMENT.name


#: a first agreement (締結: articles, items) with the older seal position
TEIKETSU = """id: synthetic-teiketsu
kind: 締結
common: common/kumamoto-teiketsu-r7.yaml
date: 2025-03-24
partner:
  address: 合成県合成町1番地
  municipality: 合成町
  office: 合成町長
  name: 合成太郎
print:
  seal_position: after-name
"""
#: the same with a name only the fallback font has (𠮷 U+20BB7)
FALLBACK_NAME = "\U00020bb7田太郎"


@dataclass
class Outputs:
    root: Path
    files: dict[str, Path] = field(default_factory=dict)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    """Every kind of PDF the tool writes, built once with the real commands."""
    root = tmp_path_factory.mktemp("kinds")
    ident = load_data(AGREEMENT).agreement["id"]
    out = Outputs(root)
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        assert main(["build", "-o", str(root / "two"), "--pdfa", "2a", str(AGREEMENT)]) == 0
        for level in LEVELS[1:]:
            assert main(["build", "-o", str(root / "split"), "--split-copies", "--pdfa", level, str(AGREEMENT)]) == 0
        assert main(["notice", str(AGREEMENT), "-o", str(root / "notices")]) == 0
        changed = _edited_data(root / "changed", OLD_PHRASE, NEW_PHRASE)
        assert main(["diff", str(AGREEMENT), str(changed), "-o", str(root / "shinkyu.pdf")]) == 1
        assert main(["diff", str(AGREEMENT), str(changed), "-o", str(root / "shinkyu-all.pdf"), "--all"]) == 1
        removed = _edited_data(root / "removed", REMOVED_AREA, "")
        assert main(["diff", str(AGREEMENT), str(removed), "-o", str(root / "shinkyu-removed.pdf")]) == 1
        long = _edited_data(root / "long", "企業の事業活動を支援するため、熊本港の利用促進に取り組む。", LONG_TEXT)
        assert main(["build", "-o", str(root / "long-out"), "--split-copies", str(long)]) == 0
        # a 新旧対照表 whose changed row runs over pages (what a split row repeats is an artifact)
        assert main(["diff", str(AGREEMENT), str(long), "-o", str(root / "shinkyu-long.pdf")]) == 1
        teiketsu = root / "teiketsu" / "synthetic-teiketsu.yaml"
        shutil.copytree(DATA / "common", teiketsu.parent / "common")
        teiketsu.write_text(TEIKETSU, encoding="utf-8")
        assert main(["build", "-o", str(root / "teiketsu-out"), "--no-seal-guide", str(teiketsu)]) == 0
        assert main(["notice", str(teiketsu), "-o", str(root / "teiketsu-out")]) == 0
        varied = _varied_names(root / "varied")
        assert main(["build", "-o", str(root / "varied-out"), "--split-copies", str(varied)]) == 0
        fallback = root / "teiketsu" / "synthetic-fallback.yaml"
        fallback.write_text(TEIKETSU.replace("teiketsu\n", "fallback\n").replace("合成太郎", FALLBACK_NAME)
                            + "  fallback_font: ipamj-mincho\n", encoding="utf-8")
        assert main(["build", "-o", str(root / "teiketsu-out"), str(fallback)]) == 0
    out.files["signing"] = root / "two" / ident / f"{ident}.pdf"
    out.files["pdfa-2a"] = root / "two" / ident / f"{ident}-pdfa-2a.pdf"
    out.files["split-copy"] = root / "split" / ident / f"{ident}-copy1.pdf"
    for level in LEVELS[1:]:
        out.files[f"pdfa-{level}"] = root / "split" / ident / f"{ident}-pdfa-{level}.pdf"
    for name in ("kokuji-hub", "kokuji-partner", "todokede-hub", "todokede-partner"):
        out.files[name] = root / "notices" / ident / "notices" / f"{ident}-{name}.pdf"
    out.files["shinkyu"] = root / "shinkyu.pdf"
    out.files["shinkyu-all"] = root / "shinkyu-all.pdf"
    out.files["shinkyu-removed"] = root / "shinkyu-removed.pdf"
    out.files["long-cell"] = root / "long-out" / ident / f"{ident}-copy1.pdf"
    out.files["shinkyu-long"] = root / "shinkyu-long.pdf"
    out.files["teiketsu"] = root / "teiketsu-out" / "synthetic-teiketsu" / "synthetic-teiketsu.pdf"
    out.files["teiketsu-kokuji"] = root / "teiketsu-out" / "synthetic-teiketsu" / "notices" / "synthetic-teiketsu-kokuji-partner.pdf"
    out.files["fallback-font"] = root / "teiketsu-out" / "synthetic-fallback" / "synthetic-fallback.pdf"
    out.files["varied-names"] = root / "varied-out" / ident / f"{ident}-copy1.pdf"
    missing = [str(p) for p in out.files.values() if not p.is_file()]
    assert not missing, f"expected every kind of PDF to be written, missing {missing}"
    return out


KINDS = [
    "signing", "split-copy", "pdfa-2a", "pdfa-2u", "pdfa-2b", "pdfa-1b",
    "kokuji-hub", "kokuji-partner", "todokede-hub", "todokede-partner", "shinkyu", "shinkyu-all", "shinkyu-removed", "long-cell",
    "teiketsu", "teiketsu-kokuji", "fallback-font", "shinkyu-long",
]


# =============================================================================================
# Reading the structure with pikepdf (no kyoyaku_pdf code)
# =============================================================================================


@dataclass
class Node:
    """A structure element as read back: role, attributes, kids (Nodes, or (page, mcid) marks)."""

    role: str
    objgen: tuple[int, int]
    attributes: dict[str, object]
    kids: list[Node | tuple[int, int]]

    def walk(self) -> Iterator[Node]:
        yield self
        for kid in self.kids:
            if isinstance(kid, Node):
                yield from kid.walk()

    @property
    def marks(self) -> list[tuple[int, int]]:
        return [kid for kid in self.kids if not isinstance(kid, Node)]

    def children(self, role: str | None = None) -> list[Node]:
        return [k for k in self.kids if isinstance(k, Node) and (role is None or k.role == role)]


def read_tree(pdf: pikepdf.Pdf) -> Node:
    """The structure tree from StructTreeRoot down; marks are (page index, MCID)."""
    pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    root = pdf.Root.StructTreeRoot
    kids = root.K if isinstance(root.K, pikepdf.Array) else [root.K]
    assert len(kids) == 1, f"expected one root element (Document), found {len(kids)}"
    return _node(kids[0], pages)


def _node(elem: pikepdf.Dictionary, pages: dict[tuple[int, int], int]) -> Node:
    home = pages[elem.Pg.objgen] if "/Pg" in elem else None
    raw = elem.get("/K")
    items = [] if raw is None else list(raw) if isinstance(raw, pikepdf.Array) else [raw]
    kids: list[Node | tuple[int, int]] = []
    for item in items:
        if isinstance(item, int):
            assert home is not None, f"element {elem.S} has an MCID kid but no /Pg"
            kids.append((home, int(item)))
        elif item.get("/Type") == "/MCR":
            page = pages[item.Pg.objgen] if "/Pg" in item else home
            kids.append((page, int(item.MCID)))
        else:
            kids.append(_node(item, pages))
    attributes = {}
    owners = [] if "/A" not in elem else list(elem.A) if isinstance(elem.A, pikepdf.Array) else [elem.A]
    for owner in owners:  # one attribute dictionary per owner (Table, Layout)
        attributes.update({str(k)[1:]: (str(v)[1:] if isinstance(v, pikepdf.Name) else v) for k, v in owner.items() if k != "/O"})
    return Node(str(elem.S)[1:], elem.objgen, attributes, kids)


def content_marks(page: pikepdf.Page) -> tuple[list[int], Counter[str]]:
    """The MCIDs of a page's content stream, in order, and the marking operators outside any marked
    content (by operator) — both read from the content stream itself."""
    mcids: list[int] = []
    loose: Counter[str] = Counter()
    stack: list[bool] = []  # True: this sequence is tagged (MCID) or an artifact
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "BDC":
            props = operands[1]
            tagged = isinstance(props, pikepdf.Dictionary) and "/MCID" in props
            if tagged:
                mcids.append(int(props.MCID))
            stack.append(tagged or str(operands[0]) == "/Artifact")
        elif op == "BMC":
            stack.append(str(operands[0]) == "/Artifact")
        elif op == "EMC":
            assert stack, "EMC without BMC/BDC"
            stack.pop()
        elif op in MARKING_OPS and not any(stack):
            loose[op] += 1
    assert not stack, "marked content left open at the end of the page"
    return mcids, loose


def parent_tree(pdf: pikepdf.Pdf) -> dict[int, list[tuple[int, int]]]:
    """The ParentTree number tree: key → the objgen of each MCID's element."""
    out: dict[int, list[tuple[int, int]]] = {}

    def visit(node: pikepdf.Dictionary) -> None:
        nums = list(node.get("/Nums", []))
        for key, value in zip(nums[::2], nums[1::2]):
            out[int(key)] = [item.objgen for item in value]
        for kid in node.get("/Kids", []):
            visit(kid)

    visit(pdf.Root.StructTreeRoot.ParentTree)
    return out


def structure_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Everything where the tree, the ParentTree and the content streams disagree."""
    problems: list[str] = []
    tree = read_tree(pdf)
    owners: dict[tuple[int, int], list[Node]] = {}
    for node in tree.walk():
        for mark in node.marks:
            owners.setdefault(mark, []).append(node)
    in_content: set[tuple[int, int]] = set()
    tree_of_parents = parent_tree(pdf)
    for index, page in enumerate(pdf.pages):
        mcids, loose = content_marks(page)
        if loose:
            problems.append(f"page {index + 1}: marking operators outside marked content: {dict(loose)}")
        if len(set(mcids)) != len(mcids):
            problems.append(f"page {index + 1}: an MCID is used twice in the content: {sorted(mcids)}")
        in_content |= {(index, m) for m in mcids}
        if not mcids:
            continue
        if "/StructParents" not in page.obj:
            problems.append(f"page {index + 1}: has MCIDs but no /StructParents")
            continue
        row = tree_of_parents.get(int(page.obj.StructParents), [])
        for mcid in mcids:
            found = owners.get((index, mcid), [])
            if len(found) != 1:
                problems.append(f"page {index + 1} MCID {mcid}: expected in exactly one element, found in {len(found)}")
            elif mcid >= len(row) or row[mcid] != found[0].objgen:
                problems.append(f"page {index + 1} MCID {mcid}: the ParentTree does not point at its element {found[0].role}")
    for mark in set(owners) - in_content:
        problems.append(f"page {mark[0] + 1} MCID {mark[1]}: in the structure tree ({owners[mark][0].role}) but not on that page")
    return problems


def xmp_values(pdf: pikepdf.Pdf) -> tuple[str, str]:
    """(pdfuaid:part, dc:title) from the XMP packet, parsed as XML."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(pdf.Root.Metadata.read_bytes())
    part = next((e.text for e in root.iter(f"{PDFUAID}part")), "") or ""
    title = next((e for e in root.iter(f"{DC}title")), None)
    text = "".join(title.itertext()).strip() if title is not None else ""
    return part, text


# =============================================================================================
# Reading the structure with poppler (pdfinfo -struct-text)
# =============================================================================================


@dataclass
class TextNode:
    role: str
    #: the element's content in tag order: its own text lines and its child elements, interleaved
    items: list[str | TextNode] = field(default_factory=list)
    #: its attributes as printed, name → value ("TextDecorationType" → "/Underline")
    attributes: dict[str, str] = field(default_factory=dict)

    @property
    def kids(self) -> list[TextNode]:
        return [item for item in self.items if isinstance(item, TextNode)]

    def text(self) -> str:
        """All text of the element and below, in tag order (a Span inside a paragraph where it stands)."""
        return "".join(item if isinstance(item, str) else item.text() for item in self.items)

    def walk(self) -> Iterator[TextNode]:
        yield self
        for kid in self.kids:
            yield from kid.walk()


def parse_struct_text(output: str) -> TextNode:
    """``pdfinfo -struct-text`` output (indented roles, "…" text, /Attribute lines) as a tree."""
    root = TextNode("(root)")
    stack: list[tuple[int, TextNode]] = [(-1, root)]
    for line in output.splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        body = line.strip()
        while stack[-1][0] >= indent:
            stack.pop()
        if body.startswith("/"):  # an attribute of the element above
            name, _, value = body[1:].partition(" ")
            stack[-1][1].attributes[name] = value.strip()
            continue
        if body.startswith('"') and body.endswith('"'):
            stack[-1][1].items.append(body[1:-1])
            continue
        node = TextNode(body.split()[0].rstrip(":"))
        stack[-1][1].items.append(node)
        stack.append((indent, node))
    return root


def struct_text(path: Path) -> TextNode:
    return parse_struct_text(run_poppler("pdfinfo", "-struct-text", str(path)))


# =============================================================================================
# Tests: pikepdf
# =============================================================================================


@pytest.mark.parametrize("kind", KINDS)
def test_every_pdf_is_tagged_titled_and_claims_pdf_ua(outputs: Outputs, kind: str) -> None:
    with pikepdf.open(outputs.files[kind]) as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root, f"{kind}: expected a StructTreeRoot in the catalog"
        assert root.get("/MarkInfo", {}).get("/Marked") is True, f"{kind}: expected /MarkInfo <</Marked true>>"
        assert str(root.get("/Lang", "")) == "ja", f"{kind}: expected /Lang (ja), found {root.get('/Lang')!r}"
        assert root.get("/ViewerPreferences", {}).get("/DisplayDocTitle") is True, f"{kind}: expected DisplayDocTitle true"
        title = str(pdf.docinfo.get("/Title", ""))
        part, xmp_title = xmp_values(pdf)
        assert title and xmp_title == title, f"{kind}: expected the same non-empty title in Info and dc:title, found {title!r} / {xmp_title!r}"
        assert part == "1", f"{kind}: expected pdfuaid:part 1 in the XMP, found {part!r}"
        assert all(page.obj.get("/Tabs") == "/S" for page in pdf.pages), f"{kind}: expected /Tabs /S on every page"


@pytest.mark.parametrize("kind", KINDS)
def test_tree_parent_tree_and_content_agree(outputs: Outputs, kind: str) -> None:
    with pikepdf.open(outputs.files[kind]) as pdf:
        expect_none(structure_problems(pdf), f"{kind}: the structure and the content disagree")
        marks = sum(len(n.marks) for n in read_tree(pdf).walk())
        assert marks >= 10, f"{kind}: expected many marked-content sequences in the tree, found {marks}"


def test_each_copy_is_a_part_and_each_schedule_a_table_with_row_headers(outputs: Outputs) -> None:
    data = load_data(AGREEMENT)
    with pikepdf.open(outputs.files["signing"]) as pdf:
        document = read_tree(pdf)
        assert document.role == "Document", f"expected the root element Document, found {document.role}"
        parts = document.children()
        assert [p.role for p in parts] == ["Part"] * data.copies, f"expected {data.copies} Parts, found {[p.role for p in parts]}"
        for number, part in enumerate(parts, 1):
            headings = [n.role for n in part.walk() if re.fullmatch(r"H\d", n.role)]
            assert headings[0] == "H1", f"copy {number}: expected the first heading to be H1, found {headings[:3]}"
            levels = [int(h[1]) for h in headings]
            skips = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
            assert not skips, f"copy {number}: heading levels skip: {skips}"
            tables = [n for n in part.walk() if n.role == "Table"]
            areas = sum(len(s.get("areas", [])) + sum(len(x["areas"]) for x in s.get("sections", [])) for s in data.book["schedules"])
            rows = [tr for t in tables for tr in t.children()]
            assert {r.role for r in rows} == {"TR"} and len(rows) == 3 * areas, (
                f"copy {number}: expected 3 TR per policy area ({3 * areas}), found {len(rows)} ({ {r.role for r in rows} })"
            )
            for k, tr in enumerate(rows):
                cells = tr.children()
                roles = [c.role for c in cells]
                expected = ["TH", "TH", "TD"] if k % 3 == 0 else ["TH", "TD"]
                assert roles == expected, f"copy {number} row {k + 1}: expected cells {expected}, found {roles}"
                for th in cells[:-1]:
                    assert th.attributes.get("Scope") == "Row", f"copy {number} row {k + 1}: expected TH Scope Row, found {th.attributes}"
                if k % 3 == 0:
                    assert cells[0].attributes.get("RowSpan") == 3, f"copy {number} row {k + 1}: expected the area to span 3 rows"


def test_articles_have_headings_and_their_items_are_lists(outputs: Outputs) -> None:
    with pikepdf.open(outputs.files["teiketsu"]) as pdf:
        tree = read_tree(pdf)
        part = tree.children()[0]
        articles = [s for s in part.children("Sect") if s.children("H3") and s.children("P")]
        assert len(articles) >= 5, f"expected a Sect (H3 caption, P text) per article, found {len(articles)}"
        lists = [n for n in tree.walk() if n.role == "L"]
        assert lists, "expected 第3条's items as a list"
        for item in lists[0].children():
            assert item.role == "LI" and [k.role for k in item.children()] == ["Lbl", "LBody"], (
                f"expected LI of Lbl and LBody, found {item.role} {[k.role for k in item.children()]}"
            )
            assert all(k.marks for k in item.children()), "expected the label and the body to hold content"
    names = [n for n in struct_text(outputs.files["fallback-font"]).walk() if n.role == "P" and n.text() == FALLBACK_NAME]
    assert len(names) == 2, f"expected the name in the fallback font as one P in each copy, found {len(names)}"


def test_the_comparison_has_column_headers(outputs: Outputs) -> None:
    with pikepdf.open(outputs.files["shinkyu"]) as pdf:
        tables = [n for n in read_tree(pdf).walk() if n.role == "Table"]
        assert len(tables) == 1, f"expected one Table in the 新旧対照表, found {len(tables)}"
        header = tables[0].children()[0]
        assert [c.role for c in header.children()] == ["TH", "TH"], "expected a first row of two TH"
        assert all(c.attributes.get("Scope") == "Column" for c in header.children()), "expected the headers' Scope Column"


def test_a_comparison_row_over_pages_reads_once_in_tag_order(outputs: Outputs) -> None:
    path = outputs.files["shinkyu-long"]
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) >= 3, f"expected the long row to run over pages, found {len(pdf.pages)} pages"
        split = [n for n in read_tree(pdf).walk() if n.role == "P" and len({p for d in n.walk() for p, _ in d.marks}) > 1]
        assert split, "expected a paragraph of the comparison with content on two pages"
    rows = [n for n in struct_text(path).walk() if n.role == "TR" and len(n.kids) == 2]
    long_rows = [r for r in rows if squash(LONG_TEXT) in squash(r.kids[0].text())]
    assert len(long_rows) == 1, f"expected one row whose 改正後 cell holds the long text whole, found {len(long_rows)}"
    assert squash(long_rows[0].kids[0].text()).count(squash(LONG_TEXT[:29])) == 70, "expected the text once, not repeated"


def test_a_cell_continued_on_the_next_page_is_one_element(outputs: Outputs) -> None:
    path = outputs.files["long-cell"]
    with pikepdf.open(path) as pdf:
        cells = [n for n in read_tree(pdf).walk() if n.role == "TD" and len({p for p, _ in n.marks}) > 1]
        assert len(cells) == 1, f"expected one TD with content on several pages, found {len(cells)}"
    tds = [n for n in struct_text(path).walk() if n.role == "TD" and squash(n.text()).startswith(LONG_TEXT[:20])]
    assert len(tds) == 1 and squash(tds[0].text()) == squash(LONG_TEXT), (
        f"expected the continued cell to read as the whole text ({len(LONG_TEXT)} chars) in tag order, "
        f"found {[len(squash(t.text())) for t in tds]} chars"
    )
    everything = squash(struct_text(path).text())
    assert "（続き）" not in everything, "expected the （続き） mark to be an artifact, found it in the tag text"


# =============================================================================================
# Tests: the text units, three readers
# =============================================================================================


def _parts(path: Path) -> list[TextNode]:
    document = struct_text(path).kids[0]
    assert document.role == "Document", f"expected the Document element first, found {document.role}"
    return document.kids


def test_tag_order_gives_every_unit_whole_and_in_order_in_both_copies(outputs: Outputs) -> None:
    data = load_data(AGREEMENT)
    parts = _parts(outputs.files["signing"])
    assert len(parts) == data.copies, f"expected {data.copies} Parts, found {[p.role for p in parts]}"
    for number, part in enumerate(parts, 1):
        expect_none(account_for(part.text(), expected_units(data)), f"copy {number}: tag order differs from the data")


@pytest.mark.parametrize("kind", ["split-copy", "pdfa-2a", "pdfa-1b"])
def test_tag_order_of_one_copy_files(outputs: Outputs, kind: str) -> None:
    expect_none(account_for(struct_text(outputs.files[kind]).text(), expected_units(load_data(AGREEMENT))), kind)


def out_of_order(text: str, units: list[tuple[str, str]]) -> list[str]:
    """The units not found, in order, after the one before (text between them is allowed)."""
    text, pos, problems = squash(text), 0, []
    for where, unit in units:
        found = text.find(squash(unit), pos)
        if found < 0:
            problems.append(f"{where}: {unit[:20]!r}… not found after character {pos}")
            continue
        pos = found + len(squash(unit))
    return problems


def _copy_ranges(pages: list[str]) -> list[range]:
    """Page ranges of the copies: each starts at its cover (the first title line)."""
    first = squash(load_data(AGREEMENT).common["cover"]["title_lines"][0])
    starts = [i for i, t in enumerate(pages) if squash(t).startswith(first)]
    ends = starts[1:] + [len(pages)]
    return [range(a, b) for a, b in zip(starts, ends)]


def _is_area_name(where: str) -> bool:
    return bool(re.search(r"\(\d+\) (name|number)$", where))


def area_cells(units: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each area cell as the table shows it, number and name in one piece: 「(4)DV被害者への支援等」."""
    return [(name[0], number[1] + name[1]) for number, name in zip(units, units[1:])
            if number[0].endswith(" number") and name[0].endswith(" name")]


def layout_problems(text: str, units: list[tuple[str, str]]) -> list[str]:
    """What is wrong with text read back by layout analysis (pdfminer, pdftotext): every unit and
    every area cell must come out whole; the area cells in order among themselves, and every other
    unit in order.

    Not checked: where an area cell stands among the rows. poppler reads the area cells of a page
    as a column of its own, before the rows beside them: TextOutputDev's reading order (Breuel's
    rule 2, a block left of another comes first unless a block between them spans both) puts a
    left column first when no text spans it and the column beside it, and no text in a table does.
    pdfminer's box grouping may put a cell among the previous area's rows (the seed's (4), 1 of 23:
    the rows below an area name cluster with the next area's rows before they join the wider group
    holding their own name). Tag order puts every cell in place (the tag-order tests)."""
    squashed = squash(text)
    problems = [f"{w}: {u!r} not in one piece" for w, u in units + area_cells(units) if squash(u) not in squashed]
    rest = [(w, u) for w, u in units if not _is_area_name(w)]
    return problems + out_of_order(text, area_cells(units)) + out_of_order(text, rest)


def _pdfminer_pages(path: Path) -> list[str]:
    with pikepdf.open(path) as pdf:
        count = len(pdf.pages)
    return [extract_text(str(path), page_numbers=[i]) for i in range(count)]


def _pdftotext_pages(path: Path) -> list[str]:
    return run_poppler("pdftotext", "-enc", "UTF-8", str(path), "-").split("\f")


@pytest.mark.parametrize("reader", [_pdfminer_pages, _pdftotext_pages], ids=["pdfminer", "pdftotext"])
def test_layout_analysis_gives_every_unit_whole_in_both_copies(outputs: Outputs, reader) -> None:  # type: ignore[no-untyped-def]
    """pdfminer.six with its default LAParams and pdftotext with its defaults, each copy of the
    signing file: all 215 units of the seed and its 23 area cells whole (see layout_problems)."""
    pages = reader(outputs.files["signing"])
    units = expected_units(load_data(AGREEMENT))
    copies = _copy_ranges(pages)
    assert len(copies) == 2, f"expected two copies, found {len(copies)}"
    for number, pages_of_copy in enumerate(copies, 1):
        expect_none(layout_problems("".join(pages[i] for i in pages_of_copy), units), f"{reader.__name__}, copy {number}")


@pytest.mark.parametrize("reader", [_pdfminer_pages, _pdftotext_pages], ids=["pdfminer", "pdftotext"])
def test_area_names_of_every_length_come_out_whole(outputs: Outputs, reader) -> None:  # type: ignore[no-untyped-def]
    """A partner whose 23 area names run from 8 to 30 characters (one to four lines in the area
    column, many with a short last line): every unit whole by layout analysis, and in tag order."""
    path = outputs.files["varied-names"]
    units = expected_units(load_data(outputs.root / "varied" / AGREEMENT.name))
    names = [u for w, u in units if re.search(r"\(\d+\) name$", w)]
    assert len({len(u) for u in names}) == len(names) == 23, f"expected 23 names of different lengths, found {names}"
    expect_none(layout_problems("".join(reader(path)), units), reader.__name__)
    expect_none(account_for(struct_text(path).text(), units), "tag order")


def test_layout_problems_reports_a_broken_or_misplaced_cell() -> None:
    units = [("(1) number", "(1)"), ("(1) name", "DV被害者への支援等"), ("(1) 取組内容 label", "取組内容"),
             ("(1) 取組内容", "配偶者等の保護に取り組む。"), ("(2) number", "(2)"), ("(2) name", "企業誘致")]
    assert layout_problems("(1) DV被害者への支援等\n取組内容 配偶者等の保護に取り組む。\n(2) 企業誘致", units) == []
    split = layout_problems("(1) DV被害者への支\n取組内容 配偶者等の保護に取り組む。\n援等\n(2) 企業誘致", units)
    assert any("(1) name" in p and "not in one piece" in p for p in split), f"a split name must be reported, found {split}"
    apart = layout_problems("(1)\nDV被害者への支援等\n取組内容 配偶者等の保護に取り組む。(2) 企業誘致", units)
    assert apart == [], "a line break between number and name is layout, not a break"
    swapped = layout_problems("(2) 企業誘致 (1) DV被害者への支援等 取組内容 配偶者等の保護に取り組む。", units)
    assert any("(2) name" in p for p in swapped), f"area cells out of order must be reported, found {swapped}"
    detached = layout_problems("(1) 取組内容 DV被害者への支援等 配偶者等の保護に取り組む。(2) 企業誘致", units)
    assert any("not in one piece" in p for p in detached), f"a number apart from its name must be reported, found {detached}"


def test_comparison_columns_are_each_whole_in_tag_order(outputs: Outputs) -> None:
    data = load_data(AGREEMENT)
    area = data.book["schedules"][0]["areas"][2]
    old, new = area["content"], area["content"].replace(OLD_PHRASE, NEW_PHRASE)
    assert old != new, "the edit must change the 取組内容"
    for kind in ("shinkyu", "shinkyu-all"):
        rows = [n for n in struct_text(outputs.files[kind]).walk() if n.role == "TR"]
        header = [c.text() for c in rows[0].kids]
        assert header == ["改正後", "改正前"], f"{kind}: expected the header row 改正後 | 改正前, found {header}"
        changed = [r for r in rows if len(r.kids) == 2 and squash(new) in squash(r.kids[0].text())]
        assert len(changed) == 1, f"{kind}: expected one row whose left cell holds the new text, found {len(changed)}"
        left, right = (squash(c.text()) for c in changed[0].kids)
        for side, text, whole, other in (("改正後", left, new, old), ("改正前", right, old, new)):
            assert squash(area["name"]) in text and squash(whole) in text, f"{kind}: expected the {side} cell to hold the name and {whole!r} whole"
        assert squash(old) not in left and squash(new) not in right, f"{kind}: expected each side to hold only its own version"


def _spans(node: TextNode) -> list[TextNode]:
    return [n for n in node.walk() if n.role == "Span"]


def test_each_underlined_phrase_is_a_span_in_place_with_the_underline_attribute(outputs: Outputs) -> None:
    """The 傍線 says what changed (meaning carried by format, ISO 14289-1 7.1): each underlined
    phrase is a Span of its paragraph, where it is read, with TextDecorationType /Underline; put
    the 改正前 Span's text in place of the 改正後 one and the new text becomes the old."""
    area = load_data(AGREEMENT).book["schedules"][0]["areas"][2]
    old, new = area["content"], area["content"].replace(OLD_PHRASE, NEW_PHRASE)
    for kind in ("shinkyu", "shinkyu-all"):
        tree = struct_text(outputs.files[kind])
        spans = _spans(tree)
        assert len(spans) == 2, f"{kind}: expected one underlined phrase per side, found {[s.text() for s in spans]}"
        assert all(s.attributes.get("TextDecorationType") == "/Underline" and s.attributes.get("TextDecorationThickness")
                   for s in spans), f"{kind}: expected every Span underlined, found {[s.attributes for s in spans]}"
        rows = [r for r in tree.walk() if r.role == "TR" and len(r.kids) == 2 and squash(new) in squash(r.kids[0].text())]
        left, right = ([p for p in cell.kids if p.role == "P" and p.kids] for cell in rows[0].kids)
        assert len(left) == len(right) == 1, f"{kind}: expected the Span in one paragraph per side"
        (new_span,), (old_span,) = _spans(left[0]), _spans(right[0])
        assert squash(left[0].text()) == squash("取組内容" + new) and squash(right[0].text()) == squash("取組内容" + old), (
            f"{kind}: expected each paragraph whole with its Span in place, found {left[0].text()!r} / {right[0].text()!r}"
        )
        assert new.replace(new_span.text(), old_span.text(), 1) == old and new_span.text() != old_span.text(), (
            f"{kind}: expected the Spans to hold exactly what changed, found {new_span.text()!r} / {old_span.text()!r}"
        )


def test_a_removed_area_and_the_renumbered_ones_are_spans(outputs: Outputs) -> None:
    """A removed area: its number, name and texts underlined on the 改正前 side (the row labels are
    not); each area after it renumbered: only the numbers underlined, one on each side."""
    section = load_data(AGREEMENT).book["schedules"][2]["sections"][0]["areas"]
    names = [a["name"] for a in section]
    gone = names.index("DV被害者への支援等")
    rows = [r for r in struct_text(outputs.files["shinkyu-removed"]).walk() if r.role == "TR" and len(r.kids) == 2]
    removed = [r for r in rows if names[gone] in r.kids[1].text()]
    assert len(removed) == 1 and not removed[0].kids[0].text(), "expected the removed area on the 改正前 side only"
    area = section[gone]
    underlined = [s.text() for s in _spans(removed[0].kids[1])]
    expected = [f"({gone + 1})", area["name"], area["content"], area["hub_role"], area["partner_role"]]
    assert squash("".join(underlined)) == squash("".join(expected)), f"expected {expected} underlined, found {underlined}"
    for k, name in enumerate(names[gone + 1:], gone + 2):
        (row,) = [r for r in rows if squash(r.kids[1].text()).startswith(squash(f"({k}){name}"))]
        found = [[s.text() for s in _spans(cell)] for cell in row.kids]
        assert found == [[f"({k - 1})"], [f"({k})"]], f"({k}) {name}: expected only the numbers underlined, found {found}"


# =============================================================================================
# veraPDF
# =============================================================================================


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_passes_pdf_ua_1(outputs: Outputs, verapdf, kind: str) -> None:  # type: ignore[no-untyped-def]
    result = verapdf.validate(outputs.files[kind], "ua1")
    assert result.passed, str(result)


@pytest.mark.parametrize("level", LEVELS)
def test_each_archive_level_passes_its_pdfa_profile(outputs: Outputs, verapdf, level: str) -> None:  # type: ignore[no-untyped-def]
    result = verapdf.validate(outputs.files[f"pdfa-{level}"], level)
    assert result.passed, str(result)


# =============================================================================================
# The checkers can fail
# =============================================================================================


def _tampered(path: Path, edit) -> pikepdf.Pdf:  # type: ignore[no-untyped-def]
    pdf = pikepdf.open(io.BytesIO(path.read_bytes()))
    edit(pdf)
    return pdf


def _first_leaf(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    """The first element (/Type /StructElem is optional: an /S and a /P) whose /K is an array holding an
    MCID (an integer)."""
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and "/S" in obj and "/P" in obj and isinstance(obj.get("/K"), pikepdf.Array):
            if any(isinstance(k, int) for k in obj.K):
                return obj
    raise AssertionError("no element with an MCID kid")


def test_structure_checker_reports_broken_files(outputs: Outputs) -> None:
    path = outputs.files["split-copy"]

    def drop_mcid(pdf: pikepdf.Pdf) -> None:
        leaf = _first_leaf(pdf)
        first = next(i for i, k in enumerate(leaf.K) if isinstance(k, int))
        leaf.K = pikepdf.Array([k for i, k in enumerate(leaf.K) if i != first])

    def wrong_page(pdf: pikepdf.Pdf) -> None:
        _first_leaf(pdf).Pg = pdf.pages[-1].obj

    def untagged_text(pdf: pikepdf.Pdf) -> None:
        page = pdf.pages[0]
        page.contents_add(pdf.make_stream(b"BT /F1 12 Tf 100 100 Td (x) Tj ET"), prepend=False)

    for name, edit, needle in (
        ("an MCID dropped from its element", drop_mcid, "expected in exactly one element, found in 0"),
        ("an element pointing at the wrong page", wrong_page, "page 1 MCID 0: expected in exactly one element, found in 0"),
        ("text outside marked content", untagged_text, "outside marked content"),
    ):
        problems = structure_problems(_tampered(path, edit))
        assert any(needle in p for p in problems), f"{name}: expected a problem containing {needle!r}, found {problems[:3]}"
    assert structure_problems(_tampered(path, lambda pdf: None)) == [], "expected the untouched copy to pass"


def test_struct_text_parser() -> None:
    tree = parse_struct_text('Document\n  P (block)\n    "甲"\n  TH:\n     /Scope /Row\n    "乙"\n    "丙"\n'
                             '  P (block)\n    "丁"\n    Span (inline)\n      "戊"\n    "己"\n')
    document = tree.kids[0]
    assert [k.role for k in document.kids] == ["P", "TH", "P"], f"expected P, TH and P, found {[k.role for k in document.kids]}"
    assert document.text() == "甲乙丙丁戊己" and document.kids[1].text() == "乙丙", f"found {document.text()!r}"
    assert [k.role for k in document.kids[2].kids] == ["Span"], "a Span is a child element of its paragraph"
    assert document.kids[1].attributes == {"Scope": "/Row"}, f"found {document.kids[1].attributes}"
    assert out_of_order("甲乙x丙", [("a", "甲"), ("b", "丙")]) == [], "text between units is allowed"
    assert out_of_order("丙甲", [("a", "甲"), ("b", "丙")]), "units out of order must be reported"
