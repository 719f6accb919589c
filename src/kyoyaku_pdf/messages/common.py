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
    "os-error": (
        "ファイルの読み書きに失敗しました: {detail}",
        "a file could not be read or written: {detail}",
    ),
    "os-error-at": (
        "{path} の読み書きに失敗しました: {detail}",
        "{path} could not be read or written: {detail}",
    ),
}
