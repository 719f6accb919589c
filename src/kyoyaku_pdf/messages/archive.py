"""Messages of the archive (filing, recovery, verification) and of careful output writing."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- what an OS error means, in a word or two (the common ones: errno-* in common.py)
    "safe-fs-link": ("シンボリックリンクです（たどりません）", "it is a symbolic link (not followed)"),
    "safe-fs-exists": ("同じ名前のものが既にあります", "something with that name already exists"),
    "safe-fs-other": ("システムのエラーです（{detail}）", "{detail}"),
    "archive-kind-missing": ("ありません", "missing"),
    "archive-kind-link": ("シンボリックリンク", "a symbolic link"),
    "archive-kind-folder": ("フォルダ", "a folder"),
    "archive-kind-file": ("ファイル", "a file"),
    "archive-kind-other": ("特殊ファイル", "a special file"),
    # --- output files (out/<id>/…)
    "safe-output-folder-link": (
        "シンボリックリンクかフォルダでないものがあるため、ここには書き込みません。これを削除するか、別の出力先を -o で指定してください。",
        "is a symbolic link or not a folder, so nothing is written there; remove it or choose another output folder with -o",
    ),
    # --- the commands' help (archive, verify-archive)
    "help-archive": ("保存用の PDF/A ファイルを作り、保存庫に綴り込む（一度綴り込んだ版は変更しない）",
                     "build the PDF/A file and file it in the archive (write-once)"),
    "help-archive-description": (
        "協約の PDF/A ファイルを作り、SHA-256 の一覧（manifest）と元の YAML ファイルの写しとともに ROOT/<id>/<版>/ "
        "に綴り込みます。既にある版は上書きしません。綴り込みは一度に 1 件だけです（ROOT のロック）。途中で止まった"
        "綴り込みは、次の綴り込みか --recover が完了させるか元に戻します。",
        "Build the agreement's PDF/A file and file it under ROOT/<id>/<version>/ with a manifest of SHA-256 hashes "
        "and copies of the source files. An existing version is never overwritten. One filing at a time (a lock in "
        "ROOT); a filing interrupted by a crash is finished or rolled back by the next one, or by --recover.",
    ),
    "help-archive-file": ("綴り込む協約ファイル", "the agreement to archive"),
    "help-archive-root": ("保存庫のフォルダ（既定: archive）", "archive folder (default: archive)"),
    "help-archive-pdfa": ("PDF/A の水準: 2a（既定）、2u、2b、1b", "PDF/A level: 2a (default), 2u, 2b or 1b"),
    "help-archive-version": ("版のフォルダ名（既定: 協約の日付。例: 2025-03-24）",
                             "version folder name (default: the agreement's date, e.g. 2025-03-24)"),
    "help-archive-executed": (
        "締結した原本もそのまま（1 バイトも変えずに）綴り込む: 電子署名した PDF、または押印した協約書のスキャン"
        "（PDF か、ページ順に並べた PNG・JPEG・TIFF。PDF/A-2b にしたものも綴り込む）",
        "also file the executed original byte for byte: the signed PDF, or the scan of the sealed copy (a PDF, or "
        "PNG/JPEG/TIFF pages, given in order, also made into a PDF/A-2b)",
    ),
    "help-archive-recover": (
        "途中で止まった綴り込みを完了させるか元に戻し、どちらにしたかを表示する（AGREEMENT.yaml があれば続けて綴り込む）",
        "finish or roll back an interrupted filing, and say which (then file AGREEMENT.yaml if given)",
    ),
    "help-verify-archive": ("保存庫のファイルのハッシュを計算し直し、変更・欠落・場違いなものを報告する",
                            "re-hash an archive and report anything changed, missing or out of place"),
    "help-verify-archive-description": (
        "綴り込んだすべてのファイルのハッシュを計算し直し、台帳のハッシュの連鎖と ROOT のすべての項目を確かめます。"
        "すべて無事なら終了ステータス 0、指摘があれば 1、保存庫がなければ 2。",
        "Re-hash every archived file, check the ledger's hash chain and every entry of the root. Exit 0 if all is "
        "intact, 1 if there are findings, 2 if there is no archive.",
    ),
    "help-verify-archive-root": ("保存庫のフォルダ（既定: archive）", "archive folder (default: archive)"),
    "help-verify-archive-expect": ("別の場所に控えておいた台帳の末尾のハッシュ: 連鎖がそこで終わっていること",
                                   "the ledger-end hash kept elsewhere: the chain must end there"),
    # --- filing
    "archive-bad-label": (
        "版の名前「{value}」は使えません。英数字で始め、英数字・ハイフン・ピリオド・下線だけで64文字以内にしてください（「..」、/ は不可）。例: --version 2025-03-24-r2",
        "the version label {value} cannot be used: start with a letter or digit, use only letters, digits, - . _ +, "
        "at most 64 characters, no '..' or '/'; e.g. --version 2025-03-24-r2",
    ),
    "archive-bad-id": (
        "協約の識別子「{value}」はフォルダ名に使えません（英小文字・数字・ハイフン、64文字以内）。",
        "the agreement id {value} cannot name a folder (a-z, 0-9, -, at most 64 characters)",
    ),
    "archive-exists": (
        "{target} は既に綴り込まれています{where}。綴り込んだ版は変更しません。訂正した協約を綴り込むには、新しい --version を指定してください。",
        "{target} already exists{where}: an archived version is never changed. To file a corrected agreement, "
        "give it a new --version.",
    ),
    "archive-exists-ledger": ("（台帳の{line}行目）", " (ledger line {line})"),
    "archive-id-not-folder": (
        "{path} がフォルダではありません（シンボリックリンクなど）。たどらずに綴り込みを中止しました。verify-archive で確認してください。",
        "{path} is not a folder (a symbolic link?); filing stopped without following it. Run verify-archive.",
    ),
    "archive-ledger-not-file": (
        "台帳 ledger.jsonl が通常のファイルではありません（シンボリックリンクなど）。verify-archive で確認してください。",
        "the ledger ledger.jsonl is not a regular file (a symbolic link?); run verify-archive",
    ),
    "archive-ledger-torn": (
        "台帳 {path} の最後の行が途中で切れています。このままでは綴り込めません。verify-archive で確認し、控えの台帳と照合してください。",
        "the last line of the ledger {path} is cut short; nothing can be filed until it is checked "
        "(run verify-archive and compare with the copy kept elsewhere)",
    ),
    "archive-ledger-changed": (
        "綴り込みの途中で台帳が別の手段で変更されました。何も綴り込んでいません。",
        "the ledger was changed by other means during the filing; nothing was filed",
    ),
    "archive-lock-unusable": (
        "ロックファイル {path} を使えません（{reason}）。",
        "cannot use the lock file {path} ({reason})",
    ),
    "archive-root-unusable": (
        "保存先 {root} を使えません（{reason}）。",
        "cannot use the archive folder {root} ({reason})",
    ),
    "archive-no-root": (
        "{root}: ここに保存庫（フォルダ）はありません。",
        "{root}: no archive here (not a folder)",
    ),
    "archive-not-filed": (
        "綴り込めませんでした（{reason}）。途中まで書いたものは取り消したので、原因を除いてからもう一度実行してください。",
        "could not file ({reason}); what was written so far was undone: fix the cause and run it again",
    ),
    "archive-recover-failed": (
        "中断された綴り込みを片付けられませんでした（{reason}）。原因を除いて archive --recover を実行してください。",
        "could not resolve an interrupted filing ({reason}); fix the cause and run archive --recover",
    ),
    "archive-source-unreadable": (
        "元ファイル {path} を読めません（{reason}）。",
        "cannot read the source file {path} ({reason})",
    ),
    "archive-waiting": (
        "{root} では別の綴り込みが進行中です。終わるのを待っています…",
        "another filing is in progress in {root}; waiting for it to end…",
    ),
    "archive-recovered-finished": (
        "中断されていた綴り込み {version} は台帳に記録済みでした。作業フォルダ {staging} を片付けて完了させました。",
        "the interrupted filing of {version} was already in the ledger: finished it (removed {staging})",
    ),
    "archive-recovered-rolled-back": (
        "中断されていた綴り込み {version} は台帳に記録される前でした。取り消しました（{staging} を削除）。改めて綴り込んでください。",
        "the interrupted filing of {version} had not reached the ledger: rolled it back (removed {staging}); "
        "file it again",
    ),
    "archive-recovered-discarded": (
        "書きかけの作業フォルダ {staging} を削除しました（保存庫と台帳には影響ありません）。",
        "removed the unfinished staging folder {staging} (the archive and its ledger were not affected)",
    ),
    "archive-recover-nothing": (
        "{root}: 中断された綴り込みはありません。",
        "{root}: no interrupted filing",
    ),
    "archive-finished-retry": (
        "（この版は前回中断された実行で台帳に記録されており、いま完了させました。新たには何も書いていません。）",
        "(this version had reached the ledger in the interrupted run and was finished just now; nothing new "
        "was written)",
    ),
    "archive-usage": (
        "綴り込む協約ファイルを指定するか、--recover を付けてください。",
        "give the agreement file to file, or --recover",
    ),
    # --- verification
    "archive-verify-bad-expect": (
        "--expect の値「{value}」は SHA-256（16進数64桁）ではありません。verify-archive の最後に表示される台帳末尾のハッシュを指定してください。",
        "--expect {value} is not a SHA-256 (64 hexadecimal digits); give the ledger-end hash that verify-archive prints",
    ),
    "archive-verify-summary": (
        "{root}: 綴り込み {versions} 件を確認しました。問題 {problems} 件。",
        "{root}: {versions} archived versions checked, {problems} problems",
    ),
    "archive-verify-chain-end": (
        "台帳末尾のハッシュ: {hash}（これを別の場所に控え、次回 --expect {hash} で照合してください）",
        "ledger end hash: {hash} (keep it elsewhere and check with --expect {hash} next time)",
    ),
    "archive-verify-chain-end-unsure": (
        "台帳末尾のハッシュ: {hash}（問題があるため、控えとしては使わないでください）",
        "ledger end hash: {hash} (there are problems: do not keep it as the reference)",
    ),
    "archive-verify-not-a-file": ("通常のファイルではありません（{kind}）。", "not a regular file ({kind})"),
    "archive-verify-unreadable": ("読めません（{reason}）。", "cannot be read ({reason})"),
    "archive-verify-ledger-torn": (
        "最後の行が改行で終わっていません（書き込みが途中で切れた行です）。中断された綴り込みのものなら archive --recover で取り除かれます。",
        "the last line does not end with a newline (a write cut short); if an interrupted filing left it, "
        "archive --recover removes it",
    ),
    "archive-verify-ledger-not-utf8": ("台帳の行が UTF-8 ではありません。", "the ledger line is not UTF-8"),
    "archive-verify-ledger-not-json": ("台帳の行が JSON ではありません。", "the ledger line is not JSON"),
    "archive-verify-ledger-not-record": (
        "台帳の記録ではありません（manifest・sha256・previous の文字列を持つ JSON オブジェクトが必要です）。",
        "not a ledger record (a JSON object with the strings manifest, sha256 and previous is required)",
    ),
    "archive-verify-ledger-bad-path": (
        "記録された manifest の場所「{manifest}」は <識別子>/<版>/manifest.json の形ではありません（保存庫の外を指している可能性があります）。",
        "the recorded manifest {manifest} is not <id>/<version>/manifest.json (it may point outside the archive)",
    ),
    "archive-verify-ledger-duplicate": (
        "同じ版が台帳に二度記録されています（最初は{first}行目）。",
        "the same version is recorded twice (first on line {first})",
    ),
    "archive-verify-chain-broken": (
        "ハッシュの連鎖が切れています（この行より前の行が変更または削除されました）。",
        "the hash chain is broken (a line before it was changed or removed)",
    ),
    "archive-verify-expect-not-found": (
        "台帳の末尾が控えのハッシュ {expected} と一致せず、その行も台帳にありません（末尾は {actual}）。台帳が書き換えられたか、行が削除されています。",
        "the ledger does not end at the kept hash {expected}, and no line has it (the end is {actual}): the ledger "
        "was rewritten or lines were removed",
    ),
    "archive-verify-expect-earlier": (
        "台帳の末尾が控えのハッシュと一致しません。控えのハッシュはこの行のもので、その後に {after} 行あります。控えた後に綴り込んだ版であれば、新しい末尾のハッシュを控え直してください。",
        "the ledger does not end at the kept hash: that hash is this line's, and {after} lines follow it; if "
        "those are filings made since, keep the new end hash instead",
    ),
    "archive-verify-version-missing": (
        "台帳の{ledger}行目に記録された版がありません（{kind}）。",
        "missing (recorded in the ledger, line {ledger}: {kind})",
    ),
    "archive-verify-version-not-folder": (
        "台帳の{ledger}行目に記録された版がフォルダではありません（{kind}）。",
        "not a folder (recorded in the ledger, line {ledger}: {kind})",
    ),
    "archive-verify-manifest-missing": (
        "manifest.json がありません（台帳の{ledger}行目に記録された版です）。",
        "missing (recorded in the ledger, line {ledger})",
    ),
    "archive-verify-manifest-not-file": (
        "manifest.json が通常のファイルではありません（{kind}。台帳の{ledger}行目）。",
        "not a regular file ({kind}; recorded in the ledger, line {ledger})",
    ),
    "archive-verify-manifest-changed": (
        "変更されています（SHA-256 が台帳の{ledger}行目と一致しません）。",
        "changed (SHA-256 differs from the ledger, line {ledger})",
    ),
    "archive-verify-manifest-not-json": ("manifest.json が UTF-8 の JSON ではありません。", "manifest.json is not UTF-8 JSON"),
    "archive-verify-manifest-not-manifest": (
        "manifest.json に files の一覧がありません。", "manifest.json has no list of files",
    ),
    "archive-verify-manifest-bad-entry": (
        "manifest.json の files の {entry} 番目が正しくありません（path と sha256 が必要で、path は版のフォルダの中を指すこと）。",
        "entry {entry} of the manifest's files is not valid (path and sha256 required, path inside the version folder)",
    ),
    "archive-verify-file-changed": ("変更されています（SHA-256 が manifest と一致しません）。", "changed (SHA-256 differs from the manifest)"),
    "archive-verify-file-missing": ("ありません（manifest に記載されています）。", "missing (listed in the manifest)"),
    "archive-verify-file-unlisted": ("manifest に記載されていないファイルです。", "not listed in the manifest"),
    "archive-verify-signature-broken": (
        "締結済み原本の電子署名が検証できなくなっています（署名後の改変、または署名の破損）。",
        "the electronic signatures of the executed original no longer verify (changed after signing, or damaged)",
    ),
    "archive-verify-too-deep": (
        "フォルダの入れ子が深すぎます（綴り込みが作るものではありません）。これより下は確認していません。",
        "folders nested too deep (no filing makes these); not checked below here",
    ),
    "archive-verify-folder-unlisted": (
        "manifest に記載されたファイルを含まないフォルダです。",
        "a folder that holds no file listed in the manifest",
    ),
    "archive-verify-hard-link": (
        "ハードリンクです（ほかに {links} 個の名前があり、保存庫の外から変更できるおそれがあります）。",
        "a hard link ({links} names in all: it could be changed from outside the archive)",
    ),
    "archive-verify-link-inside": ("綴り込んだ版の中にシンボリックリンクがあります。", "a symbolic link inside an archived version"),
    "archive-verify-special-inside": ("綴り込んだ版の中に特殊ファイルがあります。", "a special file inside an archived version"),
    "archive-verify-writable": (
        "書き込み可能になっています（権限 {mode}）。綴り込んだファイルは 0444、フォルダは 0555 のはずです。",
        "writable (mode {mode}); archived files are 0444 and folders 0555",
    ),
    "archive-verify-staging-leftover": (
        "中断された綴り込みの作業フォルダです。kyoyaku-pdf archive --recover で完了または取り消しをしてください。",
        "staging folder of an interrupted filing: run kyoyaku-pdf archive --recover to finish or roll it back",
    ),
    "archive-verify-stray-link": (
        "保存庫の中のシンボリックリンクです（綴り込みではありません）。",
        "a symbolic link in the archive (not a filed version)",
    ),
    "archive-verify-stray-file": (
        "保存庫の中の、綴り込みでも台帳でもロックでもないファイルです。",
        "a file in the archive that is not a filed version, the ledger or the lock",
    ),
    "archive-verify-stray-folder": (
        "保存庫の中の、協約の識別子でない名前のフォルダです。",
        "a folder in the archive whose name is not an agreement id",
    ),
    "archive-verify-uncommitted": (
        "中断された綴り込みが置いた、台帳に記録される前の版のフォルダです。kyoyaku-pdf archive --recover で取り消してください。",
        "a version folder placed by an interrupted filing before its ledger line: run kyoyaku-pdf archive --recover",
    ),
    "archive-verify-unrecorded": (
        "台帳に記録されていない版のフォルダです（偽造または不完全な綴り込み）。",
        "a version folder not recorded in the ledger (forged, or an incomplete filing)",
    ),
    "archive-verify-unrecorded-no-manifest": (
        "台帳に記録されておらず manifest.json もない版のフォルダです（偽造または不完全な綴り込み）。",
        "a version folder not recorded in the ledger and without manifest.json (forged, or an incomplete filing)",
    ),
}

MESSAGES.update({
    # --- the executed original (archive --executed)
    "archive-executed-same-name": (
        "--executed のファイル名が重複しています。ページごとに別の名前にしてください。",
        "two --executed files have the same name; give each page its own name",
    ),
    "archive-executed-signature-broken": (
        "{path} の電子署名の検証に失敗しました（署名後に改変されたか、署名が壊れています）。綴り込みを中止しました。",
        "the electronic signatures of {path} do not verify (changed after signing, or damaged); nothing was filed",
    ),
    "archive-executed-mixed": (
        "--executed には、PDF 1つか、画像（PNG・JPEG・TIFF）のページを指定してください。PDF と画像は混在できません。",
        "--executed takes one PDF, or image pages (PNG, JPEG, TIFF); not both",
    ),
    "archive-executed-not-file": (
        "{path} は通常のファイルではありません。締結済みの原本のファイルを指定してください。",
        "{path} is not a regular file; give the file of the executed original",
    ),
    "archive-executed-unreadable": ("{path} を読めません（{reason}）。", "cannot read {path} ({reason})"),
    "archive-executed-too-large": (
        "{path} が大きすぎます（{limit} MB まで）。",
        "{path} is too large (at most {limit} MB)",
    ),
    "archive-executed-bad-name": (
        "{path} のファイル名は綴り込みに使えません（先頭の . や -、制御文字、128文字超は不可）。名前を変えてください。",
        "the file name of {path} cannot be filed (no leading . or -, no control characters, at most 128 "
        "characters); rename it",
    ),
    "archive-executed-unknown-kind": (
        "{path} は PDF でも PNG・JPEG・TIFF の画像でもありません。",
        "{path} is neither a PDF nor a PNG, JPEG or TIFF image",
    ),
    "archive-executed-encrypted": (
        "締結済みの原本の PDF が暗号化されています。PDF/A では暗号化できないため、暗号化を解いたものを指定してください。",
        "the executed PDF is encrypted; PDF/A forbids encryption: give an unencrypted copy",
    ),
    "archive-executed-bad-pdf": (
        "締結済みの原本の PDF を読めません（{reason}）。",
        "cannot read the executed PDF ({reason})",
    ),
    "archive-executed-image-refused": (
        "画像を PDF/A にできません（{reason}）。透過のない PNG・JPEG・TIFF で保存し直してください。",
        "the image cannot be made into PDF/A ({reason}); save it again as PNG, JPEG or TIFF without transparency",
    ),
    "archive-executed-image-colour": (
        "{path} の色空間（{mode}）は PDF/A の sRGB の保存庫に入れられません。透過のない RGB かグレースケールで保存し直してください。",
        "{path} is in colour mode {mode}, which the sRGB archive cannot hold as PDF/A; save it as RGB or grey "
        "without transparency",
    ),
    "archive-executed-scan-subject": (
        "{subject}（締結済み原本のスキャン画像）",
        "{subject} (scan of the executed original)",
    ),
})
