"""Messages of the command line: --help of every command, progress, the batch table, watch lines,
check/new/notice/diff output, argparse's own words. Values in braces are filled by ``text()``;
``{{`` is a literal brace. argparse's entries keep its %-placeholders (it fills them itself)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- the top level -------------------------------------------------------------------------
    "help-main": (
        "YAML のデータから、変更連携協約書（連携協約書）の印刷用 PDF、PDF/A の保存用ファイル、\n"
        "新旧対照表、告示・届出を作ります。各コマンドの説明は kyoyaku-pdf COMMAND --help で表示できます。",
        "Make the print-ready PDF of a 変更連携協約書 (or 連携協約書) from its YAML data, and its PDF/A\n"
        "archive file, 新旧対照表 and 告示/届出. Each command explains itself: kyoyaku-pdf COMMAND --help.",
    ),
    "help-exit-status": (
        "終了ステータス:\n"
        "  0 完了\n"
        "  1 差分・指摘あり（diff, verify-archive, preflight）\n"
        "  2 入力ファイルまたは出力先の問題（メッセージに直し方があります）\n"
        "  70 内部エラー（kyoyaku-pdf の不具合です。--debug を付けて再実行し、報告してください）\n"
        "  78 インストールの不備（同梱フォントがない）\n"
        "  130 中断（Ctrl-C）",
        "exit status:\n"
        "  0 done\n"
        "  1 differences or findings (diff, verify-archive, preflight)\n"
        "  2 a problem in the input files or the output location (the message says how to fix it)\n"
        "  70 internal error (a bug in kyoyaku-pdf: rerun with --debug and report it)\n"
        "  78 incomplete installation (a bundled font is missing)\n"
        "  130 interrupted (Ctrl-C)",
    ),
    "help-commands": ("コマンド", "commands"),
    "stdout-failed": (
        "標準出力に書けませんでした（{detail}）。作ったファイルはそのままです。出力先（リダイレクト先）の空きや"
        "権限を確かめてください",
        "could not write to standard output ({detail}); the files made are kept. Check the space and "
        "permissions where the output is redirected",
    ),
    "help-version": ("版数と同梱フォントの版を表示して終了する", "show the version and the bundled fonts' versions, and exit"),
    "version-font": ("フォント {name}（{file}）: {version}", "font {name} ({file}): {version}"),
    "help-lang": (
        "メッセージの言語: ja（日本語、既定）または en（英語）。環境変数 KYOYAKU_LANG=en でも指定できます",
        "language of the messages: ja (Japanese, the default) or en (English); also KYOYAKU_LANG=en",
    ),
    "help-debug": ("内部エラーのとき Python のトレースバックも表示する（不具合の報告用）",
                   "show the Python traceback of an internal error (for a bug report)"),
    "help-json": (
        "結果を JSON 文書 1 つとして標準出力に書く（スクリプトやエディター用。形式は README の「スクリプトと"
        "エディターのために」）",
        "print one JSON document on stdout (for scripts and editors; the shape is in the README, "
        "\"For scripts and editors\")",
    ),
    "help-files": (
        "協約ファイル、またはそれを入れたフォルダー（省略時: data/ のすべての協約ファイル）",
        "agreement files or folders of them (default: every agreement file in data/)",
    ),
    # --- build ---------------------------------------------------------------------------------
    "help-build": ("協約書の署名用 PDF（全通）を作る", "make the signing PDF (all copies) of each agreement"),
    "help-build-description": (
        "協約ごとに署名用 PDF を作ります。全通を続けて 1 ファイルにし、各通は両面印刷で表になる奇数ページから\n"
        "始まります。フォルダーや複数のファイルを指定すると並列に作り、進み具合と最後に一覧表を表示します。\n"
        "誤りのあるファイルは報告され、ほかのファイルは作られます（1 つでも失敗すれば終了ステータス 2）。",
        "Make the signing PDF of each agreement: all copies back to back, each copy starting on an odd\n"
        "page for duplex printing. With a folder or several files, builds them in parallel, shows\n"
        "progress and ends with a summary table; a bad file is reported and does not stop the others\n"
        "(exit 2 if any failed).",
    ),
    "help-build-out": (
        "書き込むフォルダー。協約ごとに OUTDIR/<id>/ ができます（既定: out）",
        "folder to write into; each agreement gets OUTDIR/<id>/ (default: out)",
    ),
    "help-split-copies": (
        "全通を 1 ファイルにせず、1 通ずつ別のファイルにする（<id>-copy1.pdf, …）",
        "write one file per copy (<id>-copy1.pdf, …) instead of one file with all copies",
    ),
    "help-no-seal-guide": ("押印欄を空白にする（薄い枠と「印」を描かない）",
                           "leave the seal spaces empty (no faint frame and 印)"),
    "help-seal-guide": ("データの指定にかかわらず、押印欄に薄い枠と「印」を描く",
                        "draw the faint frame and 印 in the seal spaces even if the data says not to"),
    "help-pdfa": (
        "保存用ファイル <id>-pdfa-LEVEL.pdf（1 通分、PDF/A）も作る。LEVEL は 2a（既定。タグ付きで読み上げ・"
        "文字の検索ができる）、2u、2b、1b",
        "also write the archive file <id>-pdfa-LEVEL.pdf (one copy, PDF/A); LEVEL is 2a (default: PDF/A-2a, "
        "tagged and accessible, text searchable), 2u, 2b or 1b",
    ),
    "help-build-strict": ("公用文の校正の警告が 1 つでもあれば作らない（終了ステータス 2）",
                          "refuse to build (exit 2) when the proof-reading check has warnings"),
    "help-jobs": ("同時に作る協約の数（既定: CPU のコア数）", "build N agreements at a time (default: one per CPU core)"),
    "help-watch": (
        "終了せずに待ち、YAML ファイルが保存されるたびに作り直して、かかった時間か誤りを表示する。指定したフォルダーに"
        "新しく保存された協約ファイルも作る（Ctrl-C で終了）",
        "keep running: rebuild an agreement each time one of its YAML files is saved, and report the time "
        "it took or the error; a new agreement file saved in a watched folder is built too (stop with Ctrl-C)",
    ),
    # --- check ---------------------------------------------------------------------------------
    "help-check": ("協約ファイルを検査する（何も書き込まない）", "check agreement files without writing anything"),
    "help-check-description": (
        "協約ファイルと、それが使う共通ファイルを検査します: キー、型、日付、重複、差し替え、フォントで\n"
        "すべての文字を印刷できるか、氏名が記名欄に収まるか、id が重複していないか。公用文の校正の警告も\n"
        "表示します。何も書き込みません。",
        "Check agreement files and the shared files they use: keys, types, dates, duplicates, overrides,\n"
        "that the font can draw every character, that the names fit the signature column and that no\n"
        "two files share an id; print 公用文 proof-reading warnings. Nothing is written.",
    ),
    "help-check-strict": (
        "公用文の校正の警告（数字の全角・半角の混在、半角カタカナ、余分な空白、括弧の対応、句点の抜けなど）を"
        "誤りとして扱う: 1 つでもあれば終了ステータス 2",
        "treat proof-reading warnings (公用文: mixed digit widths, half-width katakana, stray spaces, "
        "unbalanced brackets, a missing 。 …) as errors: exit 2 if there are any",
    ),
    "check-ok": ("問題ありません", "ok"),
    "check-ok-warnings": ("問題ありません（警告 {count} 件）", "ok ({count} warnings)"),
    # --- diff ----------------------------------------------------------------------------------
    "help-diff": ("協約の 2 つの版の新旧対照表と変更点の一覧を作る",
                  "the 新旧対照表 of two versions of an agreement, and a summary"),
    "help-diff-description": (
        "協約の 2 つの版（OLD NEW、または作業中のファイルと --since REV の版）を比べ、新旧対照表の PDF\n"
        "（改正後 | 改正前、変わった語句に下線、変わらない政策分野は（略））を書き、変更点を 1 行ずつ表示\n"
        "します。終了ステータス: 変更なし 0、変更あり 1、入力の誤り 2（diff と同じ）。",
        "Compare two versions of an agreement (OLD NEW, or the working tree against --since REV): write\n"
        "the 新旧対照表 PDF (改正後 | 改正前, changed phrases underlined, unchanged policy areas as （略）)\n"
        "and print one line per change. Exit 0 when nothing changed, 1 when something did, 2 for bad\n"
        "input (as diff).",
    ),
    "help-diff-files": ("OLD NEW、または --since と NEW", "OLD NEW, or NEW with --since"),
    "help-diff-since": ("ファイルを、git の版 GIT_REV で記録された内容と比べる",
                        "compare the file against its committed version at GIT_REV"),
    "help-diff-out": ("新旧対照表の書き込み先（既定: out/<id>/<id>-shinkyu.pdf）",
                      "where to write the 新旧対照表 (default: out/<id>/<id>-shinkyu.pdf)"),
    "help-diff-old-on-left": ("改正前を左の欄に置く（既定: 改正後が左）",
                              "put 改正前 in the left column (default: 改正後 left)"),
    "help-diff-all": ("変わらない政策分野も（略）にせず全文を示す", "show unchanged policy areas in full, not （略）"),
    "diff-usage": (
        "diff には 2 つのファイル（kyoyaku-pdf diff OLD.yaml NEW.yaml）か、1 つのファイルと --since"
        "（kyoyaku-pdf diff NEW.yaml --since GIT_REV）を指定してください。",
        "diff takes OLD NEW (kyoyaku-pdf diff OLD.yaml NEW.yaml), or one file with --since GIT_REV "
        "(kyoyaku-pdf diff NEW.yaml --since GIT_REV)",
    ),
    "diff-added": ("追加", "added"),
    "diff-removed": ("削除", "removed"),
    "diff-renumbered": ("番号のみ", "number only"),
    # --- notice --------------------------------------------------------------------------------
    "help-notice": ("甲・乙それぞれの告示案と熊本県知事への届出を作る",
                    "write each party's 告示 draft and 届出 to the 熊本県知事"),
    "help-notice-description": (
        "甲と乙のそれぞれについて、告示案（○の題名、日付、番号、地方自治法第252条の2による本文、協約と別表）と\n"
        "熊本県知事への届出の鑑文を、PDF と例規システム用のテキストで OUTDIR/<id>/notices/ に書きます。\n"
        "日付と番号を指定しなければ、手で書き込めるよう空けておきます。番号は告示と届出で別に指定します:\n"
        "  --kokuji-number 甲=12 --todokede-number 甲=熊政企第34号",
        "Write, for 甲 and 乙, the 告示 draft (title line with ○, date, number, the body under 地方自治法\n"
        "第252条の2, then the agreement with its 別表) and the 届出 cover letter to the 熊本県知事, as PDF\n"
        "and as plain text for the 例規 system, under OUTDIR/<id>/notices/. Dates and numbers not given\n"
        "are left blank to fill in. The 告示 and the 届出 take their own numbers:\n"
        "  --kokuji-number 甲=12 --todokede-number 甲=熊政企第34号",
    ),
    "help-notice-file": ("協約ファイル", "the agreement"),
    "help-notice-out": ("書き込むフォルダー（既定: out）", "output folder (default: out)"),
    "help-notice-date": ("告示・届出の日付（既定: 空欄）", "the date of the notices (default: blank)"),
    "help-notice-kokuji-number": (
        "告示の番号。数字だけ（甲=12 → 熊本市告示第12号）か、号まで書いた番号（甲=熊本市告示第12号）。"
        "甲・乙それぞれに指定できる（既定: 空欄）",
        "a party's 告示 number: a bare number (甲=12 → 熊本市告示第12号) or written in full "
        "(甲=熊本市告示第12号); once per party (default: blank)",
    ),
    "help-notice-todokede-number": (
        "届出の文書番号。数字だけ（乙=5 → 第5号）か、文書記号のまま（甲=熊政企第12号）。"
        "甲・乙それぞれに指定できる（既定: 空欄）",
        "a party's 届出 document number: a bare number (乙=5 → 第5号) or its 文書記号 as written "
        "(甲=熊政企第12号); once per party (default: blank)",
    ),
    "help-notice-number": (
        "--kokuji-number の古い名前（告示の番号だけ。届出の番号は --todokede-number）",
        "the old name of --kokuji-number (the 告示 number only; the 届出 takes --todokede-number)",
    ),
    "notice-number-deprecated": (
        "--number は告示の番号だけに使います。今後は --kokuji-number と書いてください。届出の番号は "
        "--todokede-number 甲=熊政企第12号 のように別に指定します。",
        "--number now sets the 告示 number only; write --kokuji-number from now on. The 届出 takes its own "
        "number: --todokede-number 甲=熊政企第12号.",
    ),
    "notice-number-role": (
        "{value!s} は使えません: 甲=番号 または 乙=番号 の形で指定してください（例: 甲=12、乙=御船町告示第3号）。",
        "{value!s} is not usable: write 甲=NUMBER or 乙=NUMBER (e.g. 甲=12, 乙=御船町告示第3号)",
    ),
    "notice-number-form": (
        "番号 {value} は印刷できません: 12 のような数字か、熊政企第12号 のように「号」まで書いた番号を指定して"
        "ください。",
        "the number {value} cannot be printed: give a bare number like 12, or the number written in full up to "
        "号, like 熊政企第12号",
    ),
    "notice-number-control": (
        "番号 {value} に制御文字 {code} が入っています。番号を打ち直してください（例: 甲=12）。",
        "the number {value} contains the control character {code}; type it again (e.g. 甲=12)",
    ),
    "notice-number-glyph": (
        "番号 {value} の文字 {char}（{code}）はフォントにないため印刷できません。別の文字で書いてください。",
        "the number {value} cannot be printed: the font has no glyph for {char} ({code}); write it otherwise",
    ),
    # --- new, schema ---------------------------------------------------------------------------
    "help-new": ("新しい相手方の協約ファイルを作る（記入する所に印付き）",
                 "start a partner's agreement file, every field to fill marked"),
    "help-new-description": (
        "新しい相手方のファイル DATA/PARTNER-ID.yaml を書きます。種別に合う共通ファイルを指定し、記入する所には\n"
        "<<記入: …>> の印を付けます（すべて記入するまで協約書は作れません）。既にあるファイルは上書きしません。",
        "Write DATA/PARTNER-ID.yaml for a new partner: the kind's shared texts are named, every field to\n"
        "fill is marked <<記入: …>> (the file cannot be built until all are filled in). An existing file is\n"
        "never overwritten.",
    ),
    "new-id-taken": (
        "id {id} は {path} が既に使っています。同じ id の協約は PDF が互いに上書きし合うため、別の id を指定してください"
        "（例: {id}-2）。",
        "the id {id} is already used by {path}; two agreements with one id would overwrite each other's PDF. "
        "Give another id (e.g. {id}-2).",
    ),
    "help-new-id": ("協約の id とファイル名（例: kumamoto-arao-r7）", "the agreement's id and file name, e.g. kumamoto-arao-r7"),
    "help-new-kind": ("変更（既定）または 締結（初めての協約）", "変更 (default) or 締結 (a first agreement)"),
    "help-new-data": ("データのフォルダー（既定: data）", "the data folder (default: data)"),
    "help-schema": ("YAML ファイルの JSON Schema を書く（エディター用）", "write the JSON Schemas of the YAML files (for editors)"),
    "help-schema-description": (
        "協約ファイル・共通ファイル・別表ファイルの JSON Schema を DIR に書きます。エディターが入力を補完し、\n"
        "検査できるようになります。",
        "Write the JSON Schemas of the agreement, shared and 別表 files into DIR, so that an editor can\n"
        "complete and check them.",
    ),
    "help-schema-out": ("*.schema.json を書くフォルダー（既定: schema）", "folder for the *.schema.json files (default: schema)"),
    # --- shared by the commands ----------------------------------------------------------------
    "no-agreement-files": (
        "協約ファイルが指定されておらず、data/ にも見つかりません。協約ファイルを指定してください"
        "（例: kyoyaku-pdf build data/mifune-henko-r7.yaml）。",
        "no agreement files given and none found in data/; name one (e.g. kyoyaku-pdf build "
        "data/mifune-henko-r7.yaml)",
    ),
    "no-agreement-files-in": (
        "{given} に協約ファイル（*.yaml）がありません。協約ファイルか、それを入れたフォルダーを指定してください。",
        "no agreement files (*.yaml) in {given}; name agreement files or a folder holding them",
    ),
    "duplicate-id": (
        "id {id} は {other} と同じです。2 つの協約の PDF が同じ名前になり、一方が他方を上書きしてしまうため、"
        "何も作りませんでした。このファイルの id を変えてください（例: id: {id}-2）。",
        "the id {id} is also the id of {other}: one PDF would replace the other, so nothing was built. "
        "Give this file another id (e.g. id: {id}-2).",
    ),
    "not-a-date": ("{value} は日付ではありません。2025-04-01 のように書いてください。",
                   "{value} is not a date; write it like 2025-04-01"),
    "not-a-count": ("{value} は使えません: 1 以上の数を指定してください（例: -j 4）。",
                    "{value} is not usable: give a number of 1 or more (e.g. -j 4)"),
    "strict": ("--strict", "strict"),
    "seconds": ("{seconds:.2f} 秒", "{seconds:.2f} s"),
    # --- batch ---------------------------------------------------------------------------------
    "column-partner": ("相手方", "partner"),
    "column-kind": ("種別", "kind"),
    "column-pages": ("ページ", "pages"),
    "column-bytes": ("バイト", "bytes"),
    "column-time": ("時間", "time"),
    "column-status": ("結果", "status"),
    "column-file": ("ファイル", "file"),
    "status-ok": ("完了", "ok"),
    "status-bad-input": ("入力の誤り", "bad input"),
    "status-installation": ("インストール不備", "installation"),
    "status-interrupted": ("中断", "interrupted"),
    "status-internal-error": ("内部エラー", "internal error"),
    "status-worker-died": ("処理が異常終了", "worker died"),
    "built-of": ("{total} 件中 {ok} 件を作りました", "{ok} of {total} built"),
    "worker-died": (
        "この協約を作っていたプロセスが途中で終了しました（{how}。強制終了やメモリ不足など）。この協約の PDF は"
        "作られておらず、前回の PDF はそのまま残っています。もう一度実行してください。繰り返す場合は -j 1 --debug を"
        "付けて実行し、報告してください。",
        "worker died: the process building this agreement ended early ({how}; killed, out of memory …). Its PDF "
        "was not written and the previous one is kept. Run again; if it happens again, run with -j 1 --debug "
        "and report it.",
    ),
    "ended-by-signal": ("シグナル {signal}", "signal {signal}"),
    "ended-with-status": ("終了コード {status}", "exit code {status}"),
    # --- build --watch -------------------------------------------------------------------------
    "watch-start": ("{count} 件の協約を監視しています。Ctrl-C で終了します。",
                    "watching {count} agreement(s); stop with Ctrl-C"),
    "watch-built": ("{path} を作りました（{seconds:.2f} 秒）", "built {path} in {seconds:.2f} s"),
    "watch-not-built": ("{path}: 作れませんでした（{label}）。前回の PDF はそのまま残っています",
                        "{path}: not built ({label}); the last good PDF is kept"),
    "watch-new-file": ("新しい協約ファイル {path} を監視に加えます", "new agreement file {path}: now watched"),
    "watch-json": (
        "--watch と --json は一緒に使えません（--watch は終わらないため、JSON 文書を書き終えられません）。"
        "どちらか一方を指定してください。",
        "--watch and --json cannot be used together (--watch never ends, so the JSON document could not be "
        "finished); give one of them",
    ),
    "watch-stopped": ("監視を終了しました", "stopped watching"),
    # --- fonts ---------------------------------------------------------------------------------
    "font-missing": (
        "フォントファイル {path} がありません。kyoyaku-pdf のインストールが不完全です: pip install . または "
        "pipx install . で入れ直すか、リポジトリから実行するか、環境変数 KYOYAKU_FONT_DIR に {file} のある"
        "フォルダーを指定してください。",
        "font file missing: {path}. The installation of kyoyaku-pdf is incomplete: reinstall it (pip install . "
        "or pipx install .), run it from a checkout, or set KYOYAKU_FONT_DIR to a folder holding {file}",
    ),
    # --- argparse's own words (it fills the %-placeholders) -----------------------------------
    "argparse-usage": ("使い方: ", "usage: "),
    "argparse-positional": ("引数", "positional arguments"),
    "argparse-options": ("オプション", "options"),
    "argparse-help": ("この説明を表示して終了する", "show this help message and exit"),
    "argparse-error": ("%(prog)s: エラー: %(message)s\n（使い方は %(prog)s --help で表示できます）\n",
                       "%(prog)s: error: %(message)s\n(see %(prog)s --help)\n"),
    "argparse-required": ("次の引数を指定してください: %s", "the following arguments are required: %s"),
    "argparse-unrecognized": ("この引数は使えません: %s", "unrecognized arguments: %s"),
    "argparse-argument": ("%(argument_name)s: %(message)s", "argument %(argument_name)s: %(message)s"),
    "argparse-choice": ("%(value)r は選べません（選べるのは %(choices)s）",
                        "invalid choice: %(value)r (choose from %(choices)s)"),
    "argparse-type": ("%(value)r は正しい値ではありません", "invalid %(type)s value: %(value)r"),
    "argparse-one": ("値を 1 つ指定してください", "expected one argument"),
    "argparse-at-most-one": ("値は 1 つまでです", "expected at most one argument"),
    "argparse-at-least-one": ("値を 1 つ以上指定してください", "expected at least one argument"),
    "argparse-expected-n": ("値を %s 個指定してください", "expected %s argument(s)"),
    "argparse-not-allowed": ("%s と一緒には指定できません", "not allowed with argument %s"),
    "argparse-one-of": ("%s のどれかを指定してください", "one of the arguments %s is required"),
    "argparse-ambiguous": ("%(option)s はどれのことか決まりません（候補: %(matches)s）",
                           "ambiguous option: %(option)s could match %(matches)s"),
    "argparse-ignored": ("値 %r は使えません", "ignored explicit argument %r"),
}
