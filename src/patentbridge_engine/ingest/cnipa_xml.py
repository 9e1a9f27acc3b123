"""CNIPA bulk XML: full-text publications (``business:PatentDocumentAndRelated``, V2.x) and
application bodies as filed (``cn-application-body``: claims, description, abstract parts).

Both become the same :class:`SourceRow` vocabulary the tabular readers produce, so header
mapping, validation and merging are shared. DTDs are never loaded (they are not shipped
with the data) and entity expansion is refused (defusedxml).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET

from patentbridge_engine.errors import InputFormatError
from patentbridge_engine.ingest.record import SourceRow
from patentbridge_engine.ingest.safety import describe_read_error

__all__ = ["parse_cnipa_xml", "read_xml_files", "strip_doctype"]

_NS = {
    "base": "http://www.sipo.gov.cn/XMLSchema/base",
    "business": "http://www.sipo.gov.cn/XMLSchema/business",
}
_APP_FILE = re.compile(r"^(\d{12,13}|\d{8,9})[_.]")
_DOCTYPE = b"<!DOCTYPE"
_XML_SPACE = b" \t\r\n"


def _text(el: Element | None) -> str:
    if el is None:
        return ""
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip()


def _doc_id(ref: Element | None) -> tuple[str, str, str]:
    if ref is None:
        return "", "", ""
    doc = ref.find("base:DocumentID", _NS)
    if doc is None:
        return "", "", ""
    return (
        _text(doc.find("base:DocNumber", _NS)),
        _text(doc.find("base:Kind", _NS)),
        _text(doc.find("base:Date", _NS)),
    )


def _fulltext(root: Element) -> dict[str, Any]:
    bib = root.find("business:BibliographicData", _NS)
    if bib is None:
        raise InputFormatError("XML 缺少著录项目（BibliographicData）")
    pub = bib.find("business:PublicationReference[@dataFormat='original']", _NS)
    app = bib.find("business:ApplicationReference[@dataFormat='original']", _NS)
    pub_no, kind, pub_date = _doc_id(pub)
    app_no, _, app_date = _doc_id(app)
    ipcs = [
        _text(t)
        for t in bib.findall("business:ClassificationIPCRDetails/business:ClassificationIPCR/base:Text", _NS)
    ]
    legacy = bib.find("business:ClassificationIPC", _NS)  # pre-IPCR documents (edition 1-7)
    if not ipcs and legacy is not None:
        ipcs = [
            _text(el)
            for el in legacy
            if el.get("dataFormat") == "original"
            and el.tag.split("}")[-1] in ("MainClassification", "FurtherClassification")
        ]
    applicants = [
        _text(a.find("base:AddressBook/base:Name", _NS))
        for a in bib.findall("business:Parties/business:ApplicantDetails/business:Applicant", _NS)
    ]
    address_el = bib.find(
        "business:Parties/business:ApplicantDetails/business:Applicant/base:AddressBook/base:Address", _NS
    )
    inventors = [
        _text(i.find("base:AddressBook/base:Name", _NS))
        for i in bib.findall("business:Parties/business:InventorDetails/business:Inventor", _NS)
    ]
    agencies = [
        _text(a) for a in bib.findall("business:Parties/business:AgentDetails//base:OrganizationName", _NS)
    ]
    citations = []
    for cit in bib.findall("business:ReferencesCited/business:Citation/business:ApplicationCitation", _NS):
        number, cit_kind, _ = _doc_id(cit.find("business:PublicationReference[@dataFormat='standard']", _NS))
        if number:
            citations.append(f"CN{number}{cit_kind}")
    claims = [_text(c) for c in root.findall("business:Claims/business:Claim", _NS)]
    values: dict[str, Any] = {
        "application_number": app_no,
        "publication_number": f"CN{pub_no}{kind}" if pub_no else "",
        "title": _text(bib.find("business:InventionTitle", _NS)),
        "abstract": _text(root.find("business:Abstract/base:Paragraphs", _NS)),
        "claims": "\n".join(claims),
        "main_claim": claims[0] if claims else "",
        "claims_count": len(claims) or None,
        "ipc": ipcs,
        "applicants": [a for a in applicants if a],
        "inventors": [i for i in inventors if i],
        "citations": citations,
        "agency": "；".join(a for a in agencies if a),
        "filing_date": app_date,
        "publication_date": pub_date,
    }
    if address_el is not None:
        values["applicant_address"] = _text(address_el.find("base:Text", _NS))
    if kind[:1] in ("B", "C", "U", "Y", "S"):
        values["grant_date"] = pub_date
        values["legal_status"] = "授权"
    elif kind[:1] == "A":
        values["legal_status"] = "公开"
    return values


def _application_body(root: Element, number: str) -> dict[str, Any]:
    values: dict[str, Any] = {"application_number": number}
    claims = [_text(c) for c in root.findall("cn-claims/claim")]
    if claims:
        values["claims"] = "\n".join(claims)
        values["main_claim"] = claims[0]
        values["claims_count"] = len(claims)
    title = root.find("description/invention-title")
    if title is not None:
        values["title"] = _text(title)
    abstract = root.find("cn-abstract")
    if abstract is not None:
        values["abstract"] = _text(abstract)
    return values


def strip_doctype(data: bytes) -> bytes:
    """Remove the first ``<!DOCTYPE …>`` declaration (with any internal subset) in linear time.

    #a: the former regex ``<!DOCTYPE[^>\\[]*(\\[[^\\]]*\\])?\\s*>`` backtracked quadratically on a
    DOCTYPE that never closes (64 KB of spaces: 10 s; 640 KB: ~20 min). Here every byte is
    looked at a bounded number of times: find the opening, the first ``>`` or ``[``, the
    subset's ``]``, then whitespace and ``>``. A declaration that does not close is left in
    place, and the parser (which refuses DTDs with entities) rejects the document.
    """
    start = data.find(_DOCTYPE)
    if start < 0:
        return data
    pos = start + len(_DOCTYPE)
    close, bracket = data.find(b">", pos), data.find(b"[", pos)
    if bracket >= 0 and (close < 0 or bracket < close):
        end_subset = data.find(b"]", bracket + 1)
        if end_subset < 0:
            return data
        pos = end_subset + 1
        while pos < len(data) and data[pos] in _XML_SPACE:
            pos += 1
        if pos >= len(data) or data[pos] != ord(">"):
            return data
        close = pos
    if close < 0:
        return data
    return data[:start] + data[close + 1 :]


def parse_cnipa_xml(data: bytes, filename: str = "") -> dict[str, Any]:
    """Parse one XML document into field values; raises :class:`InputFormatError` when unusable."""
    data = strip_doctype(data)  # DTD paths point at files that do not exist here
    try:
        # defusedxml refuses entity declarations (billion laughs) and external references (XXE).
        root = SafeET.fromstring(data)
    except Exception as exc:  # ParseError and defusedxml's refusals
        raise InputFormatError(f"XML 无法解析：{exc}") from exc
    tag = root.tag.split("}")[-1]
    try:
        if tag == "PatentDocumentAndRelated":
            return _fulltext(root)
        if tag == "cn-application-body":
            match = _APP_FILE.match(Path(filename).name)
            if not match:
                raise InputFormatError("申请文件 XML 的文件名应以申请号开头，例如 2018103922220_100001_….xml")
            return _application_body(root, match.group(1))
    except RecursionError as exc:  # itertext() recurses once per nested element
        raise InputFormatError("XML 元素嵌套层级过深，无法读取") from exc
    raise InputFormatError(f"不支持的 XML 根元素：{tag}")


def read_xml_files(paths: list[Path]) -> Iterator[SourceRow]:
    """One row per XML file, numbered in the (sorted) order given; unreadable files become error rows."""
    for position, path in enumerate(paths, start=1):
        try:
            values = parse_cnipa_xml(path.read_bytes(), path.name)
        except InputFormatError as exc:
            values = {"__error__": str(exc)}
        except (OSError, MemoryError) as exc:  # one unreadable file fails its row, not the directory
            values = {"__error__": describe_read_error(exc)}
        yield SourceRow(position, values, label=path.name)
