"""Messages of the electronic path: build --electronic, sign, verify-signatures."""

MESSAGES: dict[str, tuple[str, str]] = {
    "signing.no-electronic-closing": (
        "電子契約の結びの文がありません。{file} に electronic_closing: を書いてください"
        "（例: 本書の電磁的記録を作成し、甲及び乙が電子署名を施し、各自その電磁的記録を保管する。）",
        "no closing for electronic execution: add electronic_closing: to {file}",
    ),
    "signing.electronic-alone": (
        "--electronic は --split-copies、--pdfa、--seal-guide と一緒には使えません（電子の原本は1通のPDF/Aです）",
        "--electronic cannot be combined with --split-copies, --pdfa or --seal-guide (the electronic original is one PDF/A file)",
    ),
}
MESSAGES.update({
    "signing.pyhanko-missing": (
        "電子署名に必要な pyHanko が入っていません。make を実行し直すか、"
        "pip install pyHanko pyhanko-certvalidator python-pkcs11 で入れてください",
        "pyHanko, needed for electronic signatures, is not installed: rerun make, or "
        "pip install pyHanko pyhanko-certvalidator python-pkcs11",
    ),
    "signing.no-such-file": ("ファイルがありません。パスを確かめてください", "no such file; check the path"),
    "signing.cannot-read": ("ファイルを読めません（{detail}）", "cannot read the file ({detail})"),
    "signing.unreadable": (
        "PDFとして読めません。kyoyaku-pdf build --electronic で作ったファイルを指定してください",
        "cannot be read as a PDF; give a file made by kyoyaku-pdf build --electronic",
    ),
    "signing.not-electronic": (
        "電子契約用のファイルではありません（甲・乙の署名欄がありません）。"
        "kyoyaku-pdf build --electronic で作った …-denshi.pdf を指定してください",
        "not an electronic original (no 甲/乙 signature fields); give the …-denshi.pdf made by kyoyaku-pdf build --electronic",
    ),
    "signing.already-signed": (
        "{role}の署名欄は既に署名されています。署名し直すことはできません（署名前のファイルから始めてください）",
        "{role}'s field is already signed; it cannot be signed again (start from the unsigned file)",
    ),
    "signing.hub-first": (
        "甲がまだ署名していません。甲が先に署名（認証署名）し、そのファイルに乙が署名します: "
        "kyoyaku-pdf sign FILE --party 甲 …",
        "甲 has not signed yet: 甲 signs first (certification), then 乙 signs 甲's file: kyoyaku-pdf sign FILE --party 甲 …",
    ),
    "signing.earlier-broken": (
        "甲の署名の後に内容が変わっています（改ざんの疑い）。このファイルには署名できません。甲から受け取った元のファイルを"
        "確かめてください（kyoyaku-pdf verify-signatures）",
        "the file changed after 甲 signed (possible tampering); it cannot be signed: check the file 甲 sent "
        "(kyoyaku-pdf verify-signatures)",
    ),
    "signing.subject-mismatch": (
        "証明書の主体者「{subject}」に職名「{office}」も氏名「{name}」もありません。別の人・職の証明書ではありませんか",
        "the certificate's subject \"{subject}\" names neither the office \"{office}\" nor \"{name}\"; is it someone else's certificate?",
    ),
    "signing.use-force": (
        "この証明書で署名してよいことを確かめた場合に限り --force を付けてください",
        "only if you have made sure this certificate is the right one, add --force",
    ),
    "signing.output-exists": (
        "出力先が既にあるか、入力と同じです。署名済みのファイルは上書きしません。-o で別の名前を指定してください",
        "the output exists or is the input; a signed file is never overwritten: give another name with -o",
    ),
    "signing.pkcs12-unreadable": (
        "PKCS#12 ファイルを開けません。パスフレーズ（--passphrase-file）かファイルが違います",
        "cannot open the PKCS#12 file: wrong passphrase (--passphrase-file) or not a PKCS#12 file",
    ),
    "signing.no-such-library": (
        "PKCS#11 ライブラリがありません。ICカードのドライバのパスを --pkcs11-lib に指定してください",
        "no such PKCS#11 library; give the card driver's path with --pkcs11-lib",
    ),
    "signing.token-failed": (
        "トークンを使えません（ラベル・PIN・鍵のラベルを確かめてください）: {detail}",
        "cannot use the token (check the label, PIN and key label): {detail}",
    ),
    "signing.key-label-needed": (
        "トークンに秘密鍵が1つだけではありません（{labels}）。--key-label で指定してください",
        "the token does not hold exactly one private key ({labels}); choose one with --key-label",
    ),
    "signing.timestamp-failed": (
        "タイムスタンプを取得できません（{url}）: {detail}。--timestamp-url を確かめてください",
        "could not get a timestamp from {url}: {detail}; check --timestamp-url",
    ),
    "signing.ltv-failed": (
        "検証情報（失効情報）を集められません: {detail}。--trust に発行元のルート証明書を指定してください",
        "could not collect validation (revocation) data: {detail}; give the issuing CA with --trust",
    ),
    "signing.token-label-needed": (
        "--pkcs11-lib には --token-label（トークンのラベル）も指定してください",
        "--pkcs11-lib needs --token-label (the token's label)",
    ),
    "signing.cannot-sign": (
        "この証明書では署名できません: {detail}（署名用の証明書か確かめてください）",
        "cannot sign with this certificate: {detail} (is it a signing certificate?)",
    ),
    "signing.trust-unreadable": (
        "信頼する証明書（PEM または DER）として読めません",
        "cannot be read as a trusted certificate (PEM or DER)",
    ),
    "signing.reason": ("{role}として本協約を締結する", "concluding this agreement as {role}"),
    "signing.no-pin-file": ("PIN ファイルを読めません: {detail}", "cannot read the PIN file: {detail}"),
    "signing.no-secret": (
        "PIN（パスフレーズ）が入力されませんでした。端末で入力するか、--pin-file / --passphrase-file で指定してください",
        "no PIN or passphrase was typed: type it at the prompt, or give --pin-file / --passphrase-file",
    ),
    "signing.pin-prompt": ("PIN を入力してください: ", "PIN: "),
    "signing.passphrase-prompt": ("パスフレーズ: ", "passphrase: "),
    "signing.signed": ("{output} に{role}の署名をしました（{subject}）", "signed as {role} into {output} ({subject})"),
    "signing.forced": ("警告（--force で署名しました）: {warning}", "warning (signed with --force): {warning}"),
    "signing.no-signatures": ("署名がありません", "no signatures"),
    "signing.unsigned-field": ("未署名の欄: {field}", "unsigned field: {field}"),
    "signing.result": (
        "{field}（{role}）: {verdict}\n"
        "  署名者: {signer}\n  主体者: {subject}\n  発行者: {issuer}\n"
        "  署名時刻: {time}\n  タイムスタンプ: {timestamp}\n"
        "  完全性: {intact}  信頼: {trusted}  種類: {kind}\n  署名後の変更: {modification}",
        "{field} ({role}): {verdict}\n"
        "  signer: {signer}\n  subject: {subject}\n  issuer: {issuer}\n"
        "  signing time: {time}\n  timestamp: {timestamp}\n"
        "  intact: {intact}  trusted: {trusted}  kind: {kind}\n  changed after it: {modification}",
    ),
    "signing.verdict-good": ("有効（改ざんなし・信頼できる）", "valid (intact and trusted)"),
    "signing.verdict-untrusted": (
        "改ざんなし、ただし証明書を信頼できません（--trust で発行元を指定）",
        "intact, but the certificate is not trusted (give the issuing CA with --trust)",
    ),
    "signing.verdict-broken": ("無効（署名後に内容が変わっています）", "INVALID (changed after signing)"),
    "signing.yes": ("はい", "yes"),
    "signing.no": ("いいえ", "no"),
    "signing.none": ("なし", "none"),
    "signing.kind-certification": ("認証署名（フォーム入力・署名を許可）", "certification (form filling and signing allowed)"),
    "signing.kind-approval": ("承認署名", "approval"),
    "signing.mod-NONE": ("なし", "none"),
    "signing.mod-LTA_UPDATES": ("検証情報・タイムスタンプの追加のみ", "validation data and timestamps only"),
    "signing.mod-FORM_FILLING": ("署名欄への署名・フォーム入力のみ（許可された変更）", "signing and form filling only (allowed)"),
    "signing.mod-ANNOTATIONS": ("注釈の変更（許可されていない可能性）", "annotations changed"),
    "signing.mod-OTHER": ("許可されていない変更があります", "changes that are not allowed"),
    "signing.summary-good": ("{count}件の署名はすべて有効です", "all {count} signatures are valid"),
    "signing.summary-bad": ("有効でない署名があります", "not every signature is valid"),
})

# --help of build --electronic, sign and verify-signatures
MESSAGES.update({
    "help-electronic": (
        "紙の2通の代わりに電子契約の原本 OUTDIR/<id>/<id>-denshi.pdf を作る: 1通（PDF/A-2）で、電子契約の結びの文と、"
        "各押印欄の位置に空の署名欄がある。署名は kyoyaku-pdf sign で",
        "write the electronic original OUTDIR/<id>/<id>-denshi.pdf instead: one copy (PDF/A-2) with the closing for "
        "electronic execution and an empty signature field on each seal space, to sign with `kyoyaku-pdf sign`",
    ),
    "help-sign": ("電子契約の原本に甲または乙として電子署名する（PAdES、押印欄に表示）",
                  "sign the electronic original as 甲 or 乙 (PAdES, shown in the seal space)"),
    "help-sign-description": (
        "build --electronic で作ったファイルの一方の署名欄に PAdES の電子署名（ETSI.CAdES.detached）をし、"
        "押印欄に職名・氏名・署名日を表示する。甲が先に署名し（乙の署名だけを許す認証署名）、乙は甲の署名済みファイルに"
        "署名する。署名はそれぞれ増分更新として新しいファイルに書き、入力は変えない。",
        "Fill one party's signature field of a file made by `build --electronic` with a PAdES signature "
        "(ETSI.CAdES.detached) whose appearance (office, name, date) stands in the seal space. 甲 signs first (a "
        "certification signature that permits only 乙's), 乙 signs 甲's file. Each signature is an incremental "
        "update written to a new file; the input is never changed.",
    ),
    "help-sign-file": ("署名するファイル（…-denshi.pdf、乙は甲の署名済みファイル）",
                       "the …-denshi.pdf (for 乙: 甲's signed file)"),
    "help-party": ("署名する当事者: 甲 または 乙", "which party signs: 甲 or 乙"),
    "help-pkcs12": ("鍵と証明書の入った PKCS#12 ファイル", "key and certificate in a PKCS#12 file"),
    "help-pkcs11-lib": ("ICカード（またはHSM）の PKCS#11 ライブラリ（カードのドライバ）",
                        "PKCS#11 module of the IC card or HSM (the card's driver)"),
    "help-passphrase-file": ("PKCS#12 のパスフレーズを書いたファイル（なければ保護されている場合に入力を求める）",
                             "file holding the PKCS#12 passphrase (otherwise asked for if the file is protected)"),
    "help-token-label": ("トークンのラベル（--pkcs11-lib と一緒に）", "label of the token (with --pkcs11-lib)"),
    "help-key-label": ("トークン上の鍵と証明書のラベル（既定: トークンにただ1つある鍵）",
                       "label of the key and its certificate on the token (default: the token's only key)"),
    "help-pin-file": ("PIN を書いたファイル（なければ入力を求める。コマンド行には書かない）",
                      "file holding the PIN (otherwise asked for at a prompt; never on the command line)"),
    "help-timestamp-url": ("RFC 3161 タイムスタンプサーバーの URL（PAdES B-T）", "RFC 3161 timestamp server: PAdES B-T"),
    "help-ltv": ("証明書の失効情報も埋め込む（PAdES B-LT。--trust に発行元を指定）",
                 "also embed the certificates' revocation data (B-LT); give the issuing CA with --trust"),
    "help-sign-trust": ("--ltv で信頼するルート証明書（繰り返し指定できる）", "trusted root certificate for --ltv (repeatable)"),
    "help-sign-out": ("書き出すファイル（既定: 入力と同じフォルダーに …-signed-甲.pdf / …-signed-甲乙.pdf）",
                      "where to write (default: next to FILE, …-signed-甲.pdf / …-signed-甲乙.pdf)"),
    "help-force": ("証明書の主体者に当事者の職名も氏名もなくても署名する（正しい証明書と確かめた場合だけ）",
                   "sign even though the certificate's subject names neither the party's office nor name"),
    "help-verify-signatures": ("署名済み PDF の電子署名を検証する", "check the signatures of a signed PDF"),
    "help-verify-signatures-description": (
        "署名ごとに、署名欄、署名者、証明書の主体者と発行者、署名時刻、タイムスタンプ、改ざんの有無、信頼できるか、"
        "署名後に何が変わったかを示す。すべての署名が改ざんなしで信頼できれば 0、そうでなければ 1、"
        "ファイルを読めなければ 2 で終わる。",
        "For each signature: the field, signer, certificate subject and issuer, signing time, timestamp, "
        "integrity, trust and what changed after it. Exit 0 when every signature is intact and trusted, 1 "
        "otherwise (or none), 2 when the file cannot be read.",
    ),
    "help-verify-file": ("検証する署名済みファイル", "the signed file"),
    "help-verify-trust": ("信頼するルート証明書（PEM または DER、繰り返し指定できる）。指定がなければ改ざんの有無だけを調べる",
                          "a trusted root certificate, PEM or DER (repeatable); without it only integrity is checked"),
})
