"""OPML 2.0: writing a list of followed or packed resources, and reading feed URLs back."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 - builds documents and parses after checks
from urllib.parse import urlsplit, urlunsplit

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as defused
from django.utils.http import http_date

from catalogue.models import Resource

MAX_OPML = 1024 * 1024


def opml_document(title: str, owner: str, groups: dict[str, list[Resource]]) -> bytes:
    """An OPML 2.0 document; resources in outlines grouped by name ("" = top level)."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = http_date()
    ET.SubElement(head, "ownerName").text = owner
    ET.SubElement(head, "docs").text = "http://opml.org/spec2.opml"
    body = ET.SubElement(root, "body")
    for group, resources in groups.items():
        parent = ET.SubElement(body, "outline", text=group, title=group) if group else body
        for resource in resources:
            ET.SubElement(
                parent,
                "outline",
                type="rss",
                text=resource.title,
                title=resource.title,
                xmlUrl=resource.feed_url,
                htmlUrl=resource.url,
            )
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


def normalise_feed_url(url: str) -> str:
    """The URL as compared with the catalogue's feeds: https, no www., no trailing slash."""
    parts = urlsplit(url.strip())
    scheme = "https" if parts.scheme in {"http", "https"} else parts.scheme
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((scheme, host, path, parts.query, ""))


def opml_feed_urls(data: bytes) -> list[str]:
    """The xmlUrl of every outline; raises ValueError on anything but plain OPML."""
    try:
        # Any document type refused in whatever encoding the parser reads it.
        root = defused.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise ValueError("The file declares a document type; export plain OPML.") from None
    except ET.ParseError as error:
        raise ValueError(f"This is not valid OPML ({error}).") from error
    if root.tag.lower() != "opml":
        raise ValueError("This is not an OPML file.")
    urls = [o.get("xmlUrl") or o.get("xmlurl") for o in root.iter("outline")]
    return [url for url in urls if url]
