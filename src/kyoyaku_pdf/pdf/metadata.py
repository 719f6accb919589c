"""Document metadata as one value, written both as the PDF Info dictionary and as XMP.

PDF/A requires the two to agree exactly (ISO 19005-1 6.7.3, 19005-2 6.6.3): deriving both from one
value, with one date formatter each, is how they are kept in step. Every file's XMP names PDF/UA-1
(``pdfuaid:part``, ISO 14289-1 5) with the extension schema description PDF/A requires for a schema
it does not predefine (19005-1 6.7.8, 19005-2 6.6.2.3), and the title (dc:title, 14289-1 7.1).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from html import escape

from .. import __version__
from ..input.model import Agreement

#: Japan Standard Time: the agreements' dates are Japanese calendar days.
JST = dt.timezone(dt.timedelta(hours=9), "JST")


@dataclass(frozen=True)
class DocumentMetadata:
    """What the Info dictionary and the XMP packet say of a document (the same in both)."""

    title: str
    author: str
    subject: str
    keywords: str
    creator: str
    producer: str
    created: dt.datetime
    lang: str = "ja"

    def pdf_date(self) -> str:
        """Info-dictionary form: D:YYYYMMDDHHmmSS+HH'mm'."""
        offset = self.created.strftime("%z")
        return self.created.strftime("D:%Y%m%d%H%M%S") + f"{offset[:3]}'{offset[3:]}'"

    def xmp_date(self) -> str:
        """XMP form of the same instant: YYYY-MM-DDTHH:mm:SS+HH:mm."""
        return self.created.isoformat(timespec="seconds")

    def xmp(self, pdfa: tuple[int, str] | None = None) -> bytes:
        """An XMP packet with the PDF/UA identification, the PDF/A one if ``pdfa`` = (part,
        conformance) is given, and every Info entry mirrored."""
        e = _xml_text
        # no producer at all when empty: pyHanko's signing update then writes the same one to both
        producer = f"   <pdf:Producer>{e(self.producer)}</pdf:Producer>\n" if self.producer else ""
        pdfaid = "" if pdfa is None else f"""
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdfaid:part>{pdfa[0]}</pdfaid:part>
   <pdfaid:conformance>{pdfa[1]}</pdfaid:conformance>
  </rdf:Description>"""
        body = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">{pdfaid}
  <rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>{PDFUA_EXTENSION}
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{e(self.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{e(self.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{e(self.subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{e(self.lang)}</rdf:li></rdf:Bag></dc:language>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <xmp:CreatorTool>{e(self.creator)}</xmp:CreatorTool>
   <xmp:CreateDate>{self.xmp_date()}</xmp:CreateDate>
   <xmp:ModifyDate>{self.xmp_date()}</xmp:ModifyDate>
   <xmp:MetadataDate>{self.xmp_date()}</xmp:MetadataDate>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
{producer}   <pdf:Keywords>{e(self.keywords)}</pdf:Keywords>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
        return body.encode("utf-8")


#: The pdfuaid schema described for PDF/A, which predefines only its own schemas.
PDFUA_EXTENSION = """
  <rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>part</pdfaProperty:name>
         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
         <pdfaProperty:category>internal</pdfaProperty:category>
         <pdfaProperty:description>Part of ISO 14289 to which the file conforms</pdfaProperty:description>
        </rdf:li>
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
  </rdf:Description>"""


def agreement_metadata(agreement: Agreement) -> DocumentMetadata:
    """The metadata of an agreement's PDFs; the date is the agreement's (midnight JST), never the clock."""
    hub, partner = agreement.hub.municipality, agreement.partner.municipality
    day = agreement.date
    return DocumentMetadata(
        title=agreement.title,
        author=f"{hub}、{partner}",
        subject=f"{hub}及び{partner}の{agreement.cover_lines[-1]}（{agreement.copies}通）",
        keywords=f"連携協約, 地方自治法第252条の2, {hub}, {partner}",
        creator=f"kyoyaku-pdf {__version__}",
        producer=f"kyoyaku-pdf {__version__} (ReportLab)",
        created=_creation_time(day),
    )


def _creation_time(day: dt.date) -> dt.datetime:
    """SOURCE_DATE_EPOCH if set (reproducible-builds convention), else midnight JST of ``day``."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime(day.year, day.month, day.day, tzinfo=JST)


def _xml_text(value: str) -> str:
    """``value`` as XML character data (&, < and > escaped), as xml.sax.saxutils.escape does, without
    that module's imports of urllib.request, http.client and email (~20 ms a run); ``html`` is
    imported by ReportLab's paragraph parser anyway."""
    return escape(value, quote=False)
