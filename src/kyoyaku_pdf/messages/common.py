"""Messages shared by every command: the error boundary, usage mistakes, interruptions, file system."""

MESSAGES: dict[str, tuple[str, str]] = {
    "interrupted": (
        "中断しました。書きかけのファイルは残していません。",
        "interrupted; nothing half-written was left behind",
    ),
    "internal-error": (
        "内部エラー: {detail}",
        "internal error: {detail}",
    ),
    "report-bug": (
        "（kyoyaku-pdf の不具合です。--debug を付けて再実行し、その出力を添えて報告してください。）",
        "(this is a bug in kyoyaku-pdf; rerun with --debug and report the output)",
    ),
    "warning": ("警告", "warning"),
    # the file system, when an output cannot be written (the previous output is always kept)
    "disk-full": (
        "ディスクの空きが足りないため書き込めませんでした。空きを作ってから、同じコマンドをもう一度実行してください"
        "（前回の出力はそのまま残っています）。",
        "the disk is full; nothing was written. Free some space and run the same command again "
        "(the previous output is kept).",
    ),
    "disk-full-at": (
        "ディスクの空きが足りないため {path} に書き込めませんでした。空きを作ってから、同じコマンドをもう一度実行して"
        "ください（前回の出力はそのまま残っています）。",
        "the disk is full; {path} was not written. Free some space and run the same command again "
        "(the previous output is kept).",
    ),
    "read-only": (
        "{path} は読み取り専用のため書き込めません。書き込めるフォルダーを -o で指定してください（例: -o ~/out）。",
        "{path} is read-only. Give a folder you can write to with -o (e.g. -o ~/out).",
    ),
    "no-permission": (
        "{path} に書き込む権限がありません。書き込めるフォルダーを -o で指定してください（例: -o ~/out）。",
        "no permission to write {path}. Give a folder you can write to with -o (e.g. -o ~/out).",
    ),
    "not-a-folder": (
        "{path} はフォルダーではないため、その中に書き込めません。フォルダーの名前を -o で指定してください。",
        "{path} is not a folder, so nothing can be written inside it. Give a folder name with -o.",
    ),
    "file-in-the-way": (
        "{path} に書き込めません: {file} はファイルで、フォルダーが必要な場所にあります。"
        "別の出力先を -o で指定してください（例: -o out）。",
        "cannot write {path}: {file} is a file where a folder is needed. Give another output folder with -o "
        "(e.g. -o out).",
    ),
    "is-a-folder": (
        "{path} はフォルダーです。ファイルの名前を指定してください。",
        "{path} is a folder; give a file name.",
    ),
    "no-such-file": (
        "{path} が見つかりません。名前と場所を確かめてください。",
        "{path} does not exist; check the name and the folder.",
    ),
    "errno-disk-full": ("ディスクの空きが足りません", "the disk is full"),
    "errno-read-only": ("読み取り専用です", "it is read-only"),
    "errno-no-permission": ("権限がありません", "permission denied"),
    "errno-not-a-folder": ("途中にフォルダーでないものがあります", "a part of the path is not a folder"),
    "errno-is-a-folder": ("フォルダーです。ファイルを指定してください", "it is a folder; give a file"),
    "errno-no-such-file": ("見つかりません。名前と場所を確かめてください", "it does not exist; check the name and folder"),
    "os-error": (
        "ファイルの読み書きに失敗しました: {detail}",
        "a file could not be read or written: {detail}",
    ),
    "os-error-at": (
        "{path} の読み書きに失敗しました: {detail}",
        "{path} could not be read or written: {detail}",
    ),
}

# layout, fonts and `new`: texts that cannot be printed as given, a partner file that cannot be started
MESSAGES.update({
    "name-too-long": (
        "氏名が長すぎて記名欄に収まりません: 押印欄の前に入るのは全角 {room} 文字までです。氏名を短くするか、"
        "押印欄を小さくしてください（例: seal_mm: 24）。",
        "the name is too long for the signature column: it must fit in {room} full-width characters before the "
        "seal space; shorten it (or reduce seal_mm, e.g. seal_mm: 24)",
    ),
    "cover-too-long": (
        "表紙の題名と団体名が長すぎて表紙に収まりません。cover.title_lines の行を短くしてください。",
        "the cover's title and names are too long for the cover page; shorten them (cover.title_lines)",
    ),
    "font-or": (" または {fallback}", " or {fallback}"),
    "glyph-position": ("文中の {index} 文字目に最初に出てきます", "first at character {index} of the text"),
    "no-glyph": (
        "フォント {fonts} には {char}（{code} {name}）の字形がないため印刷できません（{position}）{hint}",
        "the font {fonts} has no glyph for {char} ({code} {name}), {position}{hint}",
    ),
    "glyph-fallback-hint": (
        "。IPAmj明朝で印刷するには、協約ファイルに print: {{fallback_font: ipamj-mincho}} と書いてください",
        "; set print.fallback_font: ipamj-mincho to use IPAmj Mincho for it",
    ),
    "variation-selector": (
        "{base} の後の異体字セレクタ {code} は印刷できません（kyoyaku-pdf は異体字を刷り分けられません。{position}）。"
        "セレクタを削除すると {base} を標準の字形で印刷します",
        "variation selector {code} after {base}: kyoyaku-pdf cannot print ideographic variants ({position}); "
        "delete the selector to print {base} in its standard form",
    ),
    "new-bad-id": (
        "{id} は id に使えません: 英小文字・数字・ハイフンだけで書いてください（例: kumamoto-arao-r7）。",
        "{id} is not a usable id: lower-case letters, digits and hyphens only (e.g. kumamoto-arao-r7)",
    ),
    "new-exists": (
        "{path} は既にあります。上書きせずにそのまま残しました。別の id を指定するか、そのファイルを編集してください。",
        "{path} already exists; it is left as it is. Give another id, or edit that file.",
    ),
    "new-no-common": (
        "{folder} に種別「{kind}」の共通ファイル（kind: {kind} と書いたファイル）がありません。--data でデータの"
        "フォルダーを指定してください（例: --data data）。",
        "no shared texts of kind {kind} in {folder} (a file with 'kind: {kind}'); give the data folder with --data "
        "(e.g. --data data)",
    ),
})
