"""Parsing untrusted BPMN/DMN XML: no DTDs, no entity expansion, no network, bounded size."""

from __future__ import annotations

from lxml import etree

MAX_XML_BYTES = 5 * 1024 * 1024


class UnsafeXml(ValueError):
    """The file is not XML we are willing to read; the message says why and where."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )


def parse_xml(data: bytes) -> etree._ElementTree:
    """Parse `data` or raise UnsafeXml: too big, a DOCTYPE (entity bombs live there), or broken XML."""
    if len(data) > MAX_XML_BYTES:
        raise UnsafeXml(f"the file is larger than {MAX_XML_BYTES // (1024 * 1024)} MB")
    # Windows tools often start UTF-8 files with a byte-order mark; lxml reads it.
    head = data[:4096].removeprefix(b"\xef\xbb\xbf").lstrip()
    if b"<!DOCTYPE" in data[:65536].upper() or b"<!ENTITY" in data[:65536].upper():
        raise UnsafeXml("the file declares a DOCTYPE or entities, which are refused "
                        "(they can be used for entity-expansion attacks)")
    if not head.startswith(b"<"):
        raise UnsafeXml("this is not an XML file (it does not start with '<')")
    try:
        tree = etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as exc:
        line = getattr(exc, "lineno", None)
        raise UnsafeXml(f"the XML is broken: {exc.msg}" + (f" (line {line})" if line else "")) from None
    if tree.docinfo.doctype:
        raise UnsafeXml("the file declares a DOCTYPE, which is refused")
    return tree
