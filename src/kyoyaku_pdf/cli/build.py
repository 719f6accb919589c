"""The pipeline as a whole: load → check the font covers the text → lay out → write, per agreement.

Nothing is written until the whole PDF exists in memory, and then only atomically, so a bad input
or a crash leaves the previous output untouched.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from ..errors import InputError, LayoutProblem, Location, OutputError, Problem, problem_at
from ..input.loading import LoadedAgreement, fill_placeholders, load_agreement
from ..input.model import ROLE_FIELDS, Agreement
from ..pdf.fonts import FALLBACKS, missing_glyphs
from ..pdf.metadata import DocumentMetadata, agreement_metadata
from ..layout.signature import SealSpace
from ..messages import shown, text
from ..pdf.render import (
    layout_problems,
    render_comparison_pdf,
    render_notice_pdf,
    render_signing_pdf,
)
from ..records.safe_files import write_atomically

if TYPE_CHECKING:  # imported where used: the comparison by the diff alone, the archive by `archive`
    from ..records import archive
    from ..text.comparison import Comparison


@dataclass(frozen=True)
class BuildOptions:
    """What the user chose on the command line; None means "as the data says"."""

    out_dir: Path = Path("out")
    split_copies: bool = False
    seal_guide: bool | None = None
    #: also write the archive (PDF/A) file at this level ("2u", "2b", "1b"); None: signing copies only
    pdfa: str | None = None
    #: write the one electronic original <id>-denshi.pdf (signature fields) instead of the paper copies
    electronic: bool = False


def check_agreement(path: Path) -> LoadedAgreement:
    """Everything short of building the pages: the files, their fields, glyph coverage of every
    text, and the texts that could not be laid out (a name too long for the signature column)."""
    loaded = load_agreement(path)
    problems = missing_glyphs(loaded.texts, fallback=FALLBACKS.get(loaded.agreement.print.fallback_font))
    if problems:
        raise InputError(problems)
    laid_out = [p for problem in layout_problems(loaded.agreement) for p in located(problem, loaded).problems]
    if laid_out:
        raise InputError(laid_out)
    return loaded


@dataclass(frozen=True)
class Built:
    """What one build wrote; ``pages`` and ``size`` are those of the first file (the signing PDF)."""

    written: tuple[Path, ...]
    pages: int
    size: int


def build_agreement(path: Path | LoadedAgreement, options: BuildOptions) -> Built:
    """Build one agreement's signing PDF(s) from its file (or the already checked agreement)."""
    loaded = path if isinstance(path, LoadedAgreement) else check_agreement(path)
    if options.electronic:
        return build_electronic(loaded, options.out_dir)
    with texts_of(loaded):
        return _build(_with_options(loaded.agreement, options), options)


#: The electronic original is PDF/A-2a (every PDF we write is tagged, so level A holds): the signed
#: file itself is the archive copy, and the signatures forbid any later conversion.
ELECTRONIC_LEVEL = "2a"


def build_electronic(loaded: LoadedAgreement, out_dir: Path) -> Built:
    """OUTDIR/<id>/<id>-denshi.pdf: one copy with the electronic closing, no 印 guides, and an
    empty signature field exactly on each party's seal square, as PDF/A."""
    # the PDF/A pass and the signature fields are imported by the builds that make them
    from ..pdf.pdfa import LEVELS, make_pdfa
    from ..pdf.signature_fields import add_signature_fields, field_specs

    agreement = electronic_agreement(loaded)
    spaces: list[SealSpace] = []
    with texts_of(loaded):
        rendered = render_signing_pdf(agreement, copies=1, seal_spaces=spaces)
    specs = field_specs(agreement.parties, spaces)
    data = make_pdfa(
        rendered.data, electronic_metadata(agreement), LEVELS[ELECTRONIC_LEVEL], lambda pdf: add_signature_fields(pdf, specs)
    )
    target = out_dir / agreement.id / f"{agreement.id}-denshi.pdf"
    write_atomically(target, data)
    return Built((target,), rendered.pages, len(data))


def electronic_agreement(loaded: LoadedAgreement) -> Agreement:
    """The agreement as executed electronically: the common file's ``electronic_closing`` (its
    placeholders filled) in place of the paper closing, and no seal guides."""
    agreement = loaded.agreement
    written = next((t for t in loaded.texts if t.path == "electronic_closing" and t.text.strip()), None)
    if written is None:
        common = str(agreement.sources[1])
        raise problem_at(Location(common, 1, 1), "electronic_closing", text("signing.no-electronic-closing", file=shown(common)))
    closing = fill_placeholders(written.text, agreement.hub, agreement.partner, agreement.copies)
    return replace(agreement, closing=closing, print=replace(agreement.print, seal_guide=False))


def electronic_metadata(agreement: Agreement) -> DocumentMetadata:
    """The paper copies' metadata, for one electronic record, with no producer: each signature's
    update (pyHanko) then names itself as producer in the Info dictionary and the XMP alike, where
    it would otherwise append to ours in one and replace it in the other (PDF/A 6.6.2.2)."""
    meta = agreement_metadata(agreement)
    subject = meta.subject.rsplit("（", 1)[0] + "（電磁的記録）"
    return replace(meta, subject=subject, producer="")


@contextmanager
def texts_of(loaded: LoadedAgreement) -> Iterator[None]:
    """Lay out ``loaded``'s texts: a LayoutProblem raised inside becomes a located InputError."""
    try:
        yield
    except LayoutProblem as exc:
        raise located(exc, loaded) from None


def located(problem: LayoutProblem, loaded: LoadedAgreement) -> InputError:
    """A layout problem points at the text to shorten, in the file where it was written."""
    field = next((t for t in loaded.texts if t.path == problem.field), None)
    location = field.location if field else Location(str(loaded.agreement.sources[0]), 1, 1)
    return InputError([Problem(location, problem.field, problem.message, field.place if field else "")])


def _build(agreement: Agreement, options: BuildOptions) -> Built:
    folder = options.out_dir / agreement.id
    outputs: dict[Path, bytes] = {}
    # every copy is the same document: one copy serves the split files and the archive file
    single = render_signing_pdf(agreement, copies=1) if options.split_copies or options.pdfa else None
    if single is not None and options.split_copies:
        signing = single
        outputs.update({folder / f"{agreement.id}-copy{n}.pdf": single.data for n in range(1, agreement.copies + 1)})
    else:
        signing = render_signing_pdf(agreement)
        outputs[folder / f"{agreement.id}.pdf"] = signing.data
    if options.pdfa:
        pdfa = archive_pdf(agreement, options.pdfa, single.data if single else None)
        outputs[folder / f"{agreement.id}-pdfa-{options.pdfa}.pdf"] = pdfa
    write_all(outputs)  # written only once every file exists in memory
    return Built(tuple(outputs), signing.pages, len(signing.data))


def write_all(outputs: dict[Path, bytes]) -> None:
    """Write each output atomically; a file system refusal (a file where a folder must be, a
    read-only folder, a full disk) becomes an OutputError naming the target — the user's to fix,
    not a bug — and the previous file stays as it was."""
    for target, data in outputs.items():
        try:
            write_atomically(target, data)
        except OSError as exc:
            raise OutputError(target, exc) from exc


def archive_pdf(agreement: Agreement, level: str, single_copy: bytes | None = None) -> bytes:
    """The PDF/A file: one copy of the signing pages, made conformant (no second layout path)."""
    from ..pdf.pdfa import LEVELS, make_pdfa

    pages = single_copy if single_copy is not None else render_signing_pdf(agreement, copies=1).data
    return make_pdfa(pages, agreement_metadata(agreement), LEVELS[level])


def archive_agreement(path: Path, root: Path, level: str, version: str | None,
                      executed: tuple[Path, ...] = ()) -> archive.ArchiveEntry:
    """Build the PDF/A file and file it in the archive as a new, write-once version, with the executed
    original beside it when given (the label is checked first, so a bad --version costs no work)."""
    from ..pdf.pdfa import LEVELS
    from ..records import archive
    from ..records.executed import executed_files

    if version is not None:
        archive.check_label(version)
    loaded = check_agreement(path)
    agreement = loaded.agreement
    extra = archive.Extra()
    if executed:
        files, about = executed_files(executed, agreement.id, agreement_metadata(agreement))
        extra = archive.Extra(tuple((f.name, f.data, f.role) for f in files), (("executed", about),))
    with texts_of(loaded):
        pdf = archive_pdf(agreement, level)
    return archive.store(
        root, agreement.id, version or agreement.date.isoformat(), agreement.date, pdf, LEVELS[level], agreement.sources,
        extra=extra,
    )


def _with_options(agreement: Agreement, options: BuildOptions) -> Agreement:
    if options.seal_guide is None:
        return agreement
    return replace(agreement, print=replace(agreement.print, seal_guide=options.seal_guide))


def write_notices(
    path: Path, out_dir: Path, date: dt.date | None = None, numbers: dict[str, dict[str, str]] | None = None
) -> list[Path]:
    """Each party's 告示 draft and 届出, as PDF and as plain text, under OUTDIR/<id>/notices/.
    ``numbers``: notice ("kokuji", "todokede") → party (甲, 乙) → its number (text.notice.parse_number)."""
    from ..text.notice import kokuji, plain_text, todokede  # the notice command alone needs them

    loaded = check_agreement(path)
    agreement = loaded.agreement
    folder = out_dir / agreement.id / "notices"
    outputs: dict[Path, bytes] = {}
    for role, key in ROLE_FIELDS.items():
        for name, make in (("kokuji", kokuji), ("todokede", todokede)):
            notice = make(agreement, role, date, (numbers or {}).get(name, {}).get(role, ""))
            stem = folder / f"{agreement.id}-{name}-{key}"
            with texts_of(loaded):
                outputs[stem.with_suffix(".pdf")] = render_notice_pdf(notice, agreement)
            outputs[stem.with_suffix(".txt")] = plain_text(notice, agreement).encode("utf-8")
    write_all(outputs)
    return list(outputs)


def write_comparison(
    old_path: Path, new_path: Path, target: Path | None, new_on_left: bool = True, show_all: bool = False
) -> tuple[Comparison, Path]:
    """Compare two versions of an agreement and write the 新旧対照表 PDF (default:
    out/<id>/<id>-shinkyu.pdf); the PDF is written even when nothing changed, saying so."""
    from ..text.comparison import compare

    old, new = check_agreement(old_path), check_agreement(new_path)
    comparison = compare(old.agreement, new.agreement)
    target = target or Path("out") / new.agreement.id / f"{new.agreement.id}-shinkyu.pdf"
    with texts_of(new):
        data = render_comparison_pdf(comparison, old.agreement, new.agreement, new_on_left, show_all)
    write_all({target: data})
    return comparison, target
