"""batch: many agreements at once — parallel, every outcome reported, good outputs complete."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from datafiles import DATA

from kyoyaku_pdf.cli.batch import Outcome, Progress, build_all, summary_table
from kyoyaku_pdf.cli.build import BuildOptions
from kyoyaku_pdf.cli.main import main
from kyoyaku_pdf.errors import ExitStatus


def synthetic_folder(tmp_path: Path, count: int) -> Path:
    """Partner files of clearly synthetic municipalities (合成町NN); every third a 締結."""
    folder = tmp_path / "data"
    shutil.copytree(DATA / "common", folder / "common")
    for n in range(1, count + 1):
        kind, common = ("締結", "kumamoto-teiketsu-r7.yaml") if n % 3 == 0 else ("変更", "kumamoto-henko-r7.yaml")
        (folder / f"synthetic-{n:02d}.yaml").write_text(
            f"id: synthetic-{n:02d}\nkind: {kind}\ncommon: common/{common}\ndate: 2025-03-24\n"
            f"partner:\n  address: 合成県合成町{n}番地\n  municipality: 合成町{n:02d}\n  office: 合成町{n:02d}長\n  name: 合成太郎\n",
            encoding="utf-8",
        )
    return folder


def test_parallel_batch_builds_every_partner_and_reports_the_broken_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = synthetic_folder(tmp_path, 6)
    broken = folder / "synthetic-04.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("date: 2025-03-24", "date: 2025-02-30"), encoding="utf-8")
    status = main(["build", str(folder), "-o", str(tmp_path / "out"), "-j", "2"])
    out, err = capsys.readouterr()
    assert status == 2
    assert f"{broken}:4:7: 締結日 [date]: 「2025-02-30」という日付はありません（2025年2月は28日までです）" in err
    assert sorted(p.parent.name for p in (tmp_path / "out").rglob("*.pdf")) == [f"synthetic-{n:02d}" for n in (1, 2, 3, 5, 6)]
    rows = out.splitlines()
    header = rows.index(next(r for r in rows if r.startswith("partner")))
    table = rows[header + 1:header + 7]
    assert [("bad input" in r) for r in table] == [False, False, False, True, False, False]
    assert "締結" in table[2] and "変更" in table[0] and rows[-1] == "5 of 6 built"
    assert err.count("[") >= 6, "one progress line per agreement when not on a terminal"


def test_parallel_and_sequential_give_the_same_bytes(tmp_path: Path) -> None:
    folder = synthetic_folder(tmp_path, 4)
    files = sorted(folder.glob("*.yaml"))
    parallel = build_all(files, BuildOptions(out_dir=tmp_path / "p"), jobs=2)
    sequential = build_all(files, BuildOptions(out_dir=tmp_path / "s"), jobs=1)
    assert all(o.status == ExitStatus.OK for o in parallel + sequential)
    for a, b in zip(parallel, sequential):
        assert a.source == b.source and a.pages == b.pages and a.written[0].read_bytes() == b.written[0].read_bytes()


def test_summary_table_aligns_wide_characters() -> None:
    outcomes = [
        Outcome(Path("a.yaml"), ExitStatus.OK, "御船町", "変更", pages=15, size=133398, seconds=0.5),
        Outcome(Path("b.yaml"), ExitStatus.BAD_INPUT, seconds=0.01),
    ]
    lines = summary_table(outcomes).splitlines()
    assert lines[0].split() == ["partner", "kind", "pages", "bytes", "time", "status", "file"]
    assert lines[1].split() == ["御船町", "変更", "15", "133,398", "0.50", "s", "ok", "a.yaml"]
    assert lines[2].split()[:5] == ["-", "-", "-", "-", "0.01"] and "bad input" in lines[2]
    assert lines[-1] == "1 of 2 built"


def test_progress_prints_plain_lines_off_a_terminal(tmp_path: Path) -> None:
    import io

    stream = io.StringIO()
    Progress(2, stream)(1, Outcome(Path("x.yaml"), ExitStatus.OK, seconds=0.25))
    assert stream.getvalue() == "[1/2] ok: x.yaml (0.25 s)\n"
