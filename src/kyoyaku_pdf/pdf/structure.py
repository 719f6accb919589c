"""The structure tree: what makes ReportLab's pages a tagged PDF (ISO 32000-1 14.7–14.8), as object bodies.

While the pages were drawn, the layout recorded every marked-content sequence (page, MCID) under
its element (``layout/tagging.py``). Here that tree becomes the bytes of PDF objects, which the
writer (writer.py) numbers and stores with ReportLab's: a ``StructElem`` per element with its kids
in reading order (MCIDs on the element's page as integers, on another page as MCR dictionaries — a
cell continued on the next page stays one element), the ``ParentTree`` number tree mapping each
page's MCIDs back to their elements, and each page's ``/StructParents`` key. All roles are standard
structure types, so no RoleMap is needed.

The bytes are chosen for size, because the second copy of an agreement repeats the whole tree with
elements of its own (PDF/UA: each copy's pages map to that copy's elements): no optional /Type on
the elements (Table 323), a single kid without an array, and the copies' twin elements numbered
one after the other from an even number, so that a twin differs from its original in the last
digit of each reference alone; the writer stores it under its original as that difference, what
Deflate stores in a few bits (``twins``, and each page's ParentTree array as an object of its
own, for the same reason).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.rl_accel import fp_str

from ..layout.tagging import Element, MarkedContent, Tags

#: Attributes written under the Table attribute owner (ISO 32000-1 14.8.5.7).
TABLE_ATTRIBUTES = ("Scope", "RowSpan", "ColSpan")
#: Attributes written under the Layout owner (14.8.5.4): the 傍線 of a 新旧対照表 phrase.
LAYOUT_ATTRIBUTES = ("TextDecorationType", "TextDecorationThickness")


class StructureError(AssertionError):
    """The recorded tree is inconsistent with the pages (a bug in the layout, never bad input)."""


@dataclass(frozen=True)
class StructureTree:
    """The tree as object bodies to be numbered ``first``, ``first`` + 1, … in this order."""

    #: the StructTreeRoot first (the catalog's /StructTreeRoot)
    bodies: list[bytes]
    #: page index (0-based) → its /StructParents key, for the pages with marked content
    keys: dict[int, int]
    #: page index → index in ``bodies`` of its ParentTree array (if arrays are objects)
    arrays: dict[int, int]
    #: the copies' twin elements, as tuples of indices in ``bodies``
    twins: list[tuple[int, ...]]


def structure_tree(tags: Tags, pages: list[int], first: int, array_objects: bool = True) -> StructureTree:
    """The tree of ``tags`` for pages whose object numbers are ``pages``, its objects numbered from
    ``first``: the StructTreeRoot, the ParentTree, the elements, then each page's ParentTree array
    (``array_objects``; else the arrays are written inside the ParentTree, which saves their
    header entries and references when no two pages are twins). Where the ParentTree goes is
    chosen so that twins start on an even number: a twin then differs from its original in the
    last digit only (no carry)."""
    groups = _storage_order(tags.root)
    order = [element for group in groups for element in group]
    shift = 1 if (first + 1 + len(groups[0])) % 2 else 0  # the ParentTree before the elements or after
    start = first + 1 + shift
    numbers = {id(element): start + index for index, element in enumerate(order)}
    owners: dict[int, dict[int, int]] = {}  # page index → MCID → element number
    elements = [_element(element, numbers, pages, owners, first) for element in order]
    after = start + len(order)
    tree_at = first + 1 if shift else after
    arrays, keys = _parent_arrays(owners, len(pages))
    array_at = after + (0 if shift else 1)
    nums = b" ".join(b"%d %d 0 R" % (keys[index], array_at + n) if array_objects else b"%d%s" % (keys[index], array)
                     for n, (index, array) in enumerate(arrays.items()))
    parent_tree = b"<</Nums[%s]>>" % nums
    root = b"<</Type/StructTreeRoot/K[%d 0 R]/ParentTree %d 0 R/ParentTreeNextKey %d>>" % (
        numbers[id(tags.root)], tree_at, len(pages))
    bodies = [root, *([parent_tree] if shift else []), *elements, *([] if shift else [parent_tree]),
              *(arrays.values() if array_objects else ())]
    base = 1 + shift
    twins, at = [], base
    for group in groups:
        if len(group) > 1:
            twins.append(tuple(range(at, at + len(group))))
        at += len(group)
    offset = array_at - first
    placed = {index: offset + n for n, index in enumerate(arrays)} if array_objects else {}
    return StructureTree(bodies, keys, placed, twins)


def _storage_order(root: Element) -> list[list[Element]]:
    """The elements in groups, the root first: depth first in reading order, except that top-level
    parts of the same shape (the copies of an agreement) are walked side by side, each element
    grouped with its twins in the other copies."""
    groups: dict[tuple[object, ...], list[Element]] = {}
    for kid in _element_kids(root):
        groups.setdefault(_shape(kid), []).append(kid)
    order = [[root]]
    for group in groups.values():
        order.extend(_side_by_side(group))
    return order


def _side_by_side(twins: list[Element]) -> Iterator[list[Element]]:
    yield twins
    for kids in zip(*(_element_kids(twin) for twin in twins)):
        yield from _side_by_side(list(kids))


def _element_kids(element: Element) -> list[Element]:
    return [kid for kid in element.kids if isinstance(kid, Element)]


def _shape(element: Element) -> tuple[object, ...]:
    """What two copies' elements have in common: role, attributes, MCIDs and the kids' shapes (the
    pages differ)."""
    return (element.role, tuple(sorted(element.attributes.items())),
            tuple(_shape(kid) if isinstance(kid, Element) else kid.mcid for kid in element.kids))


def _element(
    element: Element, numbers: dict[int, int], pages: list[int], owners: dict[int, dict[int, int]], root: int
) -> bytes:
    """One StructElem (its parent the element above, or the StructTreeRoot numbered ``root``);
    registers its MCIDs in ``owners``."""
    number = numbers[id(element)]
    home = next((kid.page - 1 for kid in element.kids if isinstance(kid, MarkedContent)), None)
    parent = root if element.parent is None else numbers[id(element.parent)]
    parts = [b"<</S/%s/P %d 0 R" % (element.role.encode(), parent)]
    if home is not None:
        parts.append(b"/Pg %d 0 R" % pages[home])
    kids = []
    for kid in element.kids:
        if isinstance(kid, Element):
            kids.append(b"%d 0 R" % numbers[id(kid)])
            continue
        page_owners = owners.setdefault(kid.page - 1, {})
        if kid.mcid in page_owners:
            raise StructureError(f"page {kid.page}: MCID {kid.mcid} recorded twice")
        page_owners[kid.mcid] = number
        kids.append(b"%d" % kid.mcid if kid.page - 1 == home else
                    b"<</Type/MCR/Pg %d 0 R/MCID %d>>" % (pages[kid.page - 1], kid.mcid))
    if len(kids) == 1:
        parts.append(b"/K " + kids[0])
    elif kids:
        parts.append(b"/K[" + b" ".join(kids) + b"]")
    if element.attributes:
        parts.append(_attributes(tuple(sorted(element.attributes.items()))))
    return b"".join(parts) + b">>"


@lru_cache(maxsize=64)  # a table's cells share a few: Scope Row, Scope Column, RowSpan n
def _attributes(attributes: tuple[tuple[str, object], ...]) -> bytes:
    """An element's /A for its ``attributes`` (in name order): one attribute dictionary per owner
    it has attributes of (an array if two)."""
    found = []
    for owner, names in (("Table", TABLE_ATTRIBUTES), ("Layout", LAYOUT_ATTRIBUTES)):
        values = b"".join(b"/%s%s" % (k.encode(), _value(v)) for k, v in attributes if k in names)
        if values:
            found.append(b"<</O/%s%s>>" % (owner.encode(), values))
    return b"" if not found else b"/A" + found[0] if len(found) == 1 else b"/A[" + b"".join(found) + b"]"


def _value(value: object) -> bytes:
    """An attribute value: a name for a string, a number otherwise."""
    if isinstance(value, str):
        return b"/" + value.encode("ascii")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return b" " + fp_str(value).encode("ascii")
    raise StructureError(f"attribute value {value!r} is neither a name nor a number")


def _parent_arrays(owners: dict[int, dict[int, int]], pages: int) -> tuple[dict[int, bytes], dict[int, int]]:
    """Each page's ParentTree array (the element of each MCID), as an object of its own so that a
    page's array and its twin page's can be stored side by side, and the pages' keys (the page
    index, for each page with marked content)."""
    arrays = {}
    for index in range(pages):
        page_owners = owners.get(index)
        if not page_owners:
            continue
        if sorted(page_owners) != list(range(len(page_owners))):
            raise StructureError(f"page {index + 1}: MCIDs {sorted(page_owners)} are not 0..{len(page_owners) - 1}")
        arrays[index] = b"[%s]" % b" ".join(b"%d 0 R" % page_owners[mcid] for mcid in range(len(page_owners)))
    return arrays, {index: index for index in arrays}
