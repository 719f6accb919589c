"""Messages shared by every command: the error boundary, usage mistakes, interruptions."""

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
}
