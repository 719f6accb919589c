"""Logical structure, recorded while the pages are drawn: which element each piece of content is.

ReportLab writes no structure. The story builders create the document's elements up front, in
reading order (``Document`` > ``Part`` > ``H1``/``P``/``Table`` > ``TR`` > ``TH``/``TD`` …), and hand
each flowable the element its content belongs to. When a flowable draws, it wraps that content in a
marked-content sequence (``BDC``/``EMC`` with a fresh MCID for the page) and the recorder notes
(page, MCID) under the element. A flowable split across pages keeps its element, so a cell that
continues on the next page is still one cell with content on two pages. Decorations — rules,
borders, seal guides, underlines, repeated headers, page numbers — are wrapped as artifacts.

This module knows nothing of PDF objects: ``pdf/structure.py`` turns the recorded tree into the
structure tree (StructTreeRoot, ParentTree, /StructParents) in one post-pass.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, ContextManager, Iterator, Union

from reportlab.pdfgen.canvas import Canvas


@dataclass(frozen=True)
class MarkedContent:
    """One marked-content sequence: the page it is on (1-based) and its MCID there."""

    page: int
    mcid: int


@dataclass(eq=False)
class Element:
    """A structure element: a standard role (PDF 32000-1 14.8.4), attributes, and kids in reading
    order — child elements and the marked content drawn for it."""

    recorder: Tags = field(repr=False)
    role: str
    parent: Element | None = field(default=None, repr=False)
    #: attributes by PDF name without the slash: Table (Scope, RowSpan, ColSpan) or Layout
    #: (TextDecorationType, TextDecorationThickness: a 傍線 phrase's Span)
    attributes: dict[str, object] = field(default_factory=dict)
    kids: list[Element | MarkedContent] = field(default_factory=list, repr=False)

    def add(self, role: str, **attributes: object) -> Element:
        """A new last child (elements are created in reading order)."""
        child = Element(self.recorder, role, self, dict(attributes))
        self.kids.append(child)
        return child

    def elements(self) -> Iterator[Element]:
        """This element and every element below it, depth first, in reading order."""
        yield self
        for kid in self.kids:
            if isinstance(kid, Element):
                yield from kid.elements()

    def repeated(self, parent: Element, pages_later: int) -> Element:
        """A copy of this element and everything below it as the new last child of ``parent``, its
        marked content ``pages_later`` pages on: a later copy of the agreement, whose pages repeat
        the first copy's with the same MCIDs."""
        twin = parent.add(self.role, **self.attributes)
        for kid in self.kids:
            if isinstance(kid, Element):
                kid.repeated(twin, pages_later)
            else:
                twin.kids.append(MarkedContent(kid.page + pages_later, kid.mcid))
        return twin

    def begin(self, canvas: Canvas) -> None:
        """Open a marked-content sequence of this element; ``end`` closes it. What ``marked`` does,
        without a generator: the layout opens and closes one for every line it draws."""
        mark = self.recorder.next_mark(canvas)
        self.kids.append(mark)
        canvas.addLiteral(f"/{self.role} <</MCID {mark.mcid}>> BDC")

    def marked(self, canvas: Canvas) -> ContextManager[None]:
        """Content drawn inside belongs to this element."""
        return marked(canvas, self)


class Artifact:
    """Content that is not part of the document's text: rules, guides, repeated headers, page numbers."""

    def __init__(self, kind: str = "") -> None:
        self.kind = kind  # "Pagination" for page furniture, "" for layout
        self._opening = f"/Artifact <</Type /{kind}>> BDC" if kind else "/Artifact BMC"

    def begin(self, canvas: Canvas) -> None:
        """Open the artifact's marked content; ``end`` closes it."""
        canvas.addLiteral(self._opening)

    def marked(self, canvas: Canvas) -> ContextManager[None]:
        """Content drawn inside is this artifact."""
        return marked(canvas, self)


ARTIFACT = Artifact()
PAGINATION = Artifact("Pagination")

#: What a flowable's content is: an element, an artifact, or None (measured only, never drawn in a
#: finished document).
Tag = Union[Element, Artifact, None]


def begin(canvas: Canvas, tag: Tag) -> None:
    """Open the marked content of ``tag`` (nothing for None); ``end`` with the same tag closes it.
    For the drawing of every line, where ``marked``'s generator costs more than the marking: if the
    drawing in between fails, the document is abandoned, so nothing needs closing then."""
    if tag is not None:
        tag.begin(canvas)


def end(canvas: Canvas, tag: Tag) -> None:
    """Close what ``begin`` opened for ``tag``."""
    if tag is not None:
        canvas.addLiteral("EMC")


@contextmanager
def marked(canvas: Canvas, tag: Tag) -> Iterator[None]:
    """Wrap what is drawn inside as the content of ``tag`` (nothing is added for None)."""
    begin(canvas, tag)
    try:
        yield
    finally:
        end(canvas, tag)


def as_artifact(draw: Callable[[Canvas, object], None], kind: Artifact = PAGINATION) -> Callable[[Canvas, object], None]:
    """A page decoration (ReportLab's onPage/onPageEnd callback) whose marks are artifacts."""

    def decorated(canvas: Canvas, doc: object) -> None:
        with kind.marked(canvas):
            draw(canvas, doc)

    return decorated


class Tags:
    """The recorder for one document: the root element and the next MCID of every page."""

    def __init__(self) -> None:
        self.root = Element(self, "Document")
        self._next_mcid: dict[int, int] = {}

    def next_mark(self, canvas: Canvas) -> MarkedContent:
        page = canvas.getPageNumber()
        mcid = self._next_mcid.get(page, 0)
        self._next_mcid[page] = mcid + 1
        return MarkedContent(page, mcid)


def list_item(parent: Element) -> tuple[Element, Element]:
    """An item of the list ``parent`` (an ``L``): its label element and its body element."""
    item = parent.add("LI")
    return item.add("Lbl"), item.add("LBody")
