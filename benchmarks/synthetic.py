"""Synthetic partner files for the batch and scale benchmarks: clearly invented municipalities
(合成町…, 合成中枢市…), never real ones, built on the bundled shared texts and 別表.

The scale set follows the shape of every 連携中枢都市圏 in Japan as 総務省 counted them on 2024-04-01:
38 圏域 with 376 member municipalities counted with their hubs, so 376 − 38 = 338 bilateral
agreements (each partner with its hub). How the members are spread over the 圏域 is invented
(between 2 and 19 a 圏域, a fixed pattern); only the totals are the real ones.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from harness import REPO

REGIONS, MEMBERS = 38, 376  # 総務省, 連携中枢都市圏, 2024-04-01 (members counted with their hubs)


def _partner_text(ident: str, kind: str, common: str, n: int, town: str) -> str:
    return (f"id: {ident}\nkind: {kind}\ncommon: common/{common}\ndate: 2025-03-24\n"
            f"partner:\n  address: 合成県{town}大字合成{n}番地\n  municipality: {town}\n"
            f"  office: {town}長\n  name: 合成太郎{n:03d}\n")


def batch_partners(folder: Path, count: int = 23) -> list[Path]:
    """``count`` partners of the bundled hub (熊本市), every fifth a 締結 — the batch of issue 14."""
    shutil.copytree(REPO / "data" / "common", folder / "common")
    files = []
    for n in range(1, count + 1):
        kind, common = ("締結", "kumamoto-teiketsu-r7.yaml") if n % 5 == 0 else ("変更", "kumamoto-henko-r7.yaml")
        path = folder / f"synthetic-{n:02d}.yaml"
        path.write_text(_partner_text(f"synthetic-{n:02d}", kind, common, n, f"合成町{n:02d}"), encoding="utf-8")
        files.append(path)
    return files


def region_sizes(regions: int = REGIONS, members: int = MEMBERS) -> list[int]:
    """Members per 圏域 (hub included), a fixed uneven pattern adding up to ``members``."""
    sizes = [2 + (7 * i) % 18 for i in range(regions)]  # 2…19
    i = 0
    while sum(sizes) != members:  # nudge towards the real total, keeping every 圏域 at 2 or more
        step = 1 if sum(sizes) < members else -1
        if sizes[i % regions] + step >= 2:
            sizes[i % regions] += step
        i += 1
    return sizes


def nationwide(folder: Path) -> list[Path]:
    """Every partner of every synthetic 圏域: each 圏域 has its own hub (甲) in its own shared
    files; every fifth partner a 締結. Returns the partner files, 圏域 by 圏域."""
    source = REPO / "data" / "common"
    common = folder / "common"
    common.mkdir(parents=True)
    shutil.copy(source / "beppyo-r7.yaml", common / "beppyo-r7.yaml")
    files = []
    for region, size in enumerate(region_sizes(), start=1):
        hub = f"合成中枢市{region:02d}"
        for kind_file in ("kumamoto-henko-r7.yaml", "kumamoto-teiketsu-r7.yaml"):
            text = (source / kind_file).read_text(encoding="utf-8")
            (common / f"region{region:02d}-{kind_file.split('-')[1]}-r7.yaml").write_text(
                text.replace("熊本連携中枢都市圏", f"合成{region:02d}連携中枢都市圏")
                .replace("熊本市中央区手取本町1番1号", f"合成県{hub}合成1番1号").replace("熊本市長", f"{hub}長")
                .replace("熊本市", hub).replace("大西一史", f"合成一郎{region:02d}"), encoding="utf-8")
        for member in range(1, size):
            n = len(files) + 1
            kind, kind_file = ("締結", "teiketsu") if n % 5 == 0 else ("変更", "henko")
            ident = f"r{region:02d}-m{member:02d}"
            path = folder / f"{ident}.yaml"
            path.write_text(_partner_text(ident, kind, f"region{region:02d}-{kind_file}-r7.yaml", n,
                                          f"合成町{region:02d}{member:02d}"), encoding="utf-8")
            files.append(path)
    return files
