"""Messages of the 公用文 proof-reading (input/lint.py): warnings, each with what to type instead."""

MESSAGES: dict[str, tuple[str, str]] = {
    "lint-at": ("{n}文字目", "at character {n}"),
    "lint-and": ("と", " and "),
    "lint-spaces-half": ("半角スペース{count}個", "{count} ASCII"),
    "lint-spaces-full": ("全角スペース（U+3000）{count}個", "{count} full-width (U+3000)"),
    "lint-spaces": ("{parts}", "{parts} space{s}"),
    "lint-family-content": ("取組内容", "content"),
    "lint-family-hub_role": ("甲の役割", "hub_role"),
    "lint-family-partner_role": ("乙の役割", "partner_role"),
    "lint-family-body": ("本文と結びの文", "recital/closing"),
    "lint-half-katakana": ("半角カタカナ「{run}」があります（{at}）。「{full}」と書いてください。",
                           "half-width katakana '{run}' {at}; write '{full}'"),
    "lint-leading-space": ("文字列の初めに{spaces}があります（{at}）。削除してください。",
                           "the text begins with {spaces} {at}"),
    "lint-doubled-space": ("空白が重なっています（{spaces}、{at}）。1つにするか削除してください。",
                           "doubled space ({spaces}) {at}"),
    "lint-trailing-space": ("文字列の終わりに{spaces}があります（{at}）。削除してください。",
                            "the text ends with {spaces} {at}"),
    "lint-inner-space": ("文の途中に空白（{spaces}）があります（{at}）。空白は段落の初めと、番号と見出しの間にだけ置きます。"
                         "氏名の姓と名の間にも入れません。削除してください。",
                         "a space ({spaces}) inside a sentence or name {at}; it belongs only at the start of a "
                         "paragraph or between a number and its heading. Delete it"),
    "lint-closer-unopened": ("閉じ括弧「{this}」に対応する「{other}」が前にありません（{at}）。",
                             "closing '{this}' {at} has no '{other}' before it"),
    "lint-opener-unclosed": ("「{this}」が「{other}」で閉じられていません（{at}）。",
                             "'{this}' {at} is never closed with '{other}'"),
    "lint-missing-full-stop": ("文の終わりに「。」がありません（{at}）。ほかの{family} {count} 件のうち {ending} 件は「。」で終わっています。",
                               "the sentence ends without '。' {at}, while {ending} of the {count} {family} texts end "
                               "with one"),
    "lint-doubled-punctuation": ("句読点が重なっています（「{run}」、{at}）。1つにしてください。",
                                 "doubled punctuation '{run}' {at}"),
    "lint-dangling-comma": ("文字列が「、」で終わっています（{at}）。文が途中で切れていないか確かめてください。",
                            "the text ends with '、' {at}"),
    "lint-more-in-text": ("（この文字列に{count}か所）", " ({count} in this text)"),
    "lint-width-full": ("全角", "full-width"),
    "lint-width-half": ("半角", "half-width"),
    "lint-minority-digit-full": ("全角の数字「{char}」があります（{at}）{more}。文書のほかの部分は{usual}の数字です。そろえてください。",
                                 "full-width digit '{char}' {at}{more}; the rest of the document uses {usual} digits"),
    "lint-minority-digit-half": ("半角の数字「{char}」があります（{at}）{more}。文書のほかの部分は{usual}の数字です。そろえてください。",
                                 "half-width digit '{char}' {at}{more}; the rest of the document uses {usual} digits"),
    "lint-minority-latin-full": ("全角の英字「{char}」があります（{at}）{more}。文書のほかの部分は{usual}の英字です。そろえてください。",
                                 "full-width Latin letter '{char}' {at}{more}; the rest of the document uses {usual} "
                                 "Latin letters"),
    "lint-minority-latin-half": ("半角の英字「{char}」があります（{at}）{more}。文書のほかの部分は{usual}の英字です。そろえてください。",
                                 "half-width Latin letter '{char}' {at}{more}; the rest of the document uses {usual} "
                                 "Latin letters"),
}
