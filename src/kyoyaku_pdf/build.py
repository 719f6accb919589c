"""The pipeline as a whole: load → check the font covers the text → lay out → write, per agreement.

Nothing is written until the whole PDF exists in memory, and then only atomically, so a bad input
or a crash leaves the previous output untouched.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .errors import InputError
from .fonts import missing_glyphs
from .loading import LoadedAgreement, load_agreement
from .model import Agreement
from .pdf import render_signing_pdf, write_atomically


@dataclass(frozen=True)
class BuildOptions:
    """What the user chose on the command line; None means "as the data says"."""

    out_dir: Path = Path("out")
    split_copies: bool = False
    seal_guide: bool | None = None


def check_agreement(path: Path) -> LoadedAgreement:
    """Everything short of layout: the files, their fields, and glyph coverage of every text."""
    loaded = load_agreement(path)
    problems = missing_glyphs(loaded.texts)
    if problems:
        raise InputError(problems)
    return loaded


def build_agreement(path: Path, options: BuildOptions) -> list[Path]:
    """Build one agreement's signing PDF(s); return the paths written."""
    agreement = _with_options(check_agreement(path).agreement, options)
    folder = options.out_dir / agreement.id
    if not options.split_copies:
        target = folder / f"{agreement.id}.pdf"
        write_atomically(target, render_signing_pdf(agreement).data)
        return [target]
    single = render_signing_pdf(agreement, copies=1).data  # every copy is the same document
    targets = [folder / f"{agreement.id}-copy{n}.pdf" for n in range(1, agreement.copies + 1)]
    for target in targets:
        write_atomically(target, single)
    return targets


def _with_options(agreement: Agreement, options: BuildOptions) -> Agreement:
    if options.seal_guide is None:
        return agreement
    return replace(agreement, print=replace(agreement.print, seal_guide=options.seal_guide))


def agreement_files(folder: Path) -> list[Path]:
    """The agreement files of a data folder: its top-level YAML files (shared parts live below)."""
    return sorted(p for p in folder.glob("*.y*ml") if p.is_file())
