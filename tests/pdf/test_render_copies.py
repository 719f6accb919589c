"""render.repeat_copies: the later copies are the first one's pages and elements repeated, and that
gives the very bytes that laying every copy out gave (what the signing PDF was made by before)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from kyoyaku_pdf.cli.build import check_agreement
from kyoyaku_pdf.input.model import Agreement
from kyoyaku_pdf.layout.document import LayoutInputs, break_to_odd_page, copy_story
from kyoyaku_pdf.layout.signature import SealSpace
from kyoyaku_pdf.layout.tagging import Tags
from kyoyaku_pdf.layout.theme import Theme
from kyoyaku_pdf.pdf import render
from kyoyaku_pdf.pdf.fonts import glyph_outline
from kyoyaku_pdf.pdf.metadata import agreement_metadata

from datafiles import AGREEMENT, data_copy, edit


def agreement(tmp_path: Path, kind: str = "変更", **print_options: object) -> Agreement:
    """The bundled agreement; a 締結 (first copy 8 pages, even) or a 変更 (7, odd: a blank page)."""
    folder = data_copy(tmp_path)
    if kind == "締結":
        edit(folder, AGREEMENT, "common/kumamoto-henko-r7.yaml", "common/kumamoto-teiketsu-r7.yaml")
        edit(folder, AGREEMENT, "kind: 変更", "kind: 締結")
    loaded = check_agreement(folder / AGREEMENT)
    return replace(loaded.agreement, print=replace(loaded.agreement.print, **print_options))


def every_copy_laid_out(agreement: Agreement, copies: int, seal_spaces: list[SealSpace] | None = None) -> bytes:
    """The signing PDF as it was made before: each copy's story laid out and drawn in turn."""
    theme = Theme(fonts=render.font_set(agreement))
    guide = glyph_outline("印") if agreement.print.seal_guide else None
    inputs = LayoutInputs(theme, guide, agreement.print.page_numbers, seal_spaces)
    tags = Tags()
    story = []
    for copy in range(copies):
        story += [break_to_odd_page()] if copy else []
        story += copy_story(agreement, inputs, tags.root.add("Part"))
    return render._build(story, theme, agreement_metadata(agreement), tags).data


@pytest.mark.parametrize("kind, copies, options", [
    ("変更", 2, {}), ("締結", 2, {}), ("変更", 3, {"page_numbers": True}), ("締結", 3, {"seal_guide": False}),
])
def test_repeated_copies_are_the_bytes_of_laying_each_copy_out(
    tmp_path: Path, kind: str, copies: int, options: dict[str, object]
) -> None:
    source = agreement(tmp_path, kind, **options)
    repeated = render.render_signing_pdf(source, copies=copies)
    assert repeated.data == every_copy_laid_out(source, copies)
    first = render.render_signing_pdf(source, copies=1).pages
    assert repeated.pages == copies * first + (copies - 1) * (first % 2)


def test_each_copy_has_its_own_seal_spaces(tmp_path: Path) -> None:
    source = agreement(tmp_path)
    laid_out: list[SealSpace] = []
    every_copy_laid_out(source, 3, laid_out)
    repeated: list[SealSpace] = []
    render.render_signing_pdf(source, copies=3, seal_spaces=repeated)
    assert sorted(repeated, key=lambda s: (s.page, s.role)) == sorted(laid_out, key=lambda s: (s.page, s.role))
    assert len({space.page for space in repeated}) == 3


def test_one_copy_is_laid_out_alone(tmp_path: Path) -> None:
    source = agreement(tmp_path)
    assert render.render_signing_pdf(source, copies=1).data == every_copy_laid_out(source, 1)

