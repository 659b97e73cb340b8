"""A member's bookmarks as files other tools read: Markdown, CSV and Netscape bookmarks.

The Netscape bookmark file is the format browsers, Raindrop.io and Pinboard import
(``TAGS`` and ``ADD_DATE`` attributes, a ``<DD>`` line for the note). Every text is
escaped for its format; CSV cells that a spreadsheet would run as a formula are
defused; only http(s) addresses are written as links.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, urlsplit

from django.utils.html import escape

from accounts.models import Bookmark

# Bidirectional overrides and isolates can make a link read as another (CVE-2021-42574).
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f]")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class ExportRow:
    title: str
    url: str  # the entry's own address (a resource's site), or its ASR Hub page
    page: str  # its page on ASR Hub
    kind: str
    note: str
    tags: list[str]
    saved_at: datetime


def safe_url(url: str) -> str:
    """``url`` if it is an http(s) address without control or bidi characters, else ""."""
    if not url or CONTROL.search(url) or BIDI_CONTROLS.search(url):
        return ""
    if urlsplit(url).scheme.lower() not in {"http", "https"}:
        return ""
    return url


def rows_for(bookmarks: Iterable[Bookmark], absolute: Callable[[str], str]) -> list[ExportRow]:
    """Export rows; ``absolute`` turns a site path into a full address."""
    rows = []
    for bookmark in bookmarks:
        target = bookmark.target
        page = absolute(target.get_absolute_url())
        if bookmark.resource_id:
            kind, own = target.get_kind_display(), target.url
        elif bookmark.person_id:
            kind, own = "Person", ""
        else:
            kind, own = "Event", target.url
        rows.append(
            ExportRow(
                title=str(target),
                url=safe_url(own) or page,
                page=page,
                kind=str(kind),
                note=bookmark.note,
                tags=[tag.name for tag in bookmark.tags.all()],
                saved_at=bookmark.created_at,
            )
        )
    return rows


# --- Markdown ---------------------------------------------------------------------

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~&])")


def markdown_text(text: str) -> str:
    """One line of literal text: every Markdown and HTML special character escaped."""
    text = BIDI_CONTROLS.sub("", CONTROL.sub(" ", text))
    return MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def markdown_url(url: str) -> str:
    """A link destination that cannot close the link or start markup."""
    return quote(url, safe=":/?#[]@!$&'*+,;=%~-._")


def as_markdown(rows: list[ExportRow], owner: str) -> str:
    lines = [f"# Bookmarks of {markdown_text(owner)} on ASR Hub", ""]
    for row in rows:
        entry = f"- [{markdown_text(row.title)}]({markdown_url(row.url)})"
        entry += f" — {markdown_text(row.kind)}"
        if row.tags:
            entry += " · " + ", ".join(f"`{markdown_text(tag)}`" for tag in row.tags)
        lines.append(entry)
        if row.note:
            lines.append(f"  > {markdown_text(row.note)}")
    lines.append("")
    return "\n".join(lines)


# --- CSV ----------------------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")


def csv_cell(value: str) -> str:
    """Defuse formula injection: a cell a spreadsheet would evaluate starts with a quote."""
    value = BIDI_CONTROLS.sub("", value)
    if value.startswith(FORMULA_START):
        return "'" + value
    return value


def as_csv(rows: list[ExportRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(["title", "url", "asrhub_page", "kind", "note", "tags", "saved_at"])
    for row in rows:
        writer.writerow(
            [
                csv_cell(row.title),
                csv_cell(row.url),
                csv_cell(row.page),
                csv_cell(row.kind),
                csv_cell(row.note),
                csv_cell(",".join(row.tags)),
                row.saved_at.isoformat(),
            ]
        )
    return out.getvalue()


# --- Netscape bookmark file ------------------------------------------------------------


def netscape_text(text: str) -> str:
    return escape(" ".join(BIDI_CONTROLS.sub("", CONTROL.sub(" ", text)).split()))


def as_netscape(rows: list[ExportRow]) -> str:
    lines = [
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>",
        "<!-- This is an automatically generated file.",
        "     It will be read and overwritten.",
        "     DO NOT EDIT! -->",
        '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">',
        "<TITLE>Bookmarks</TITLE>",
        "<H1>Bookmarks</H1>",
        "<DL><p>",
        "    <DT><H3>ASR Hub</H3>",
        "    <DL><p>",
    ]
    for row in rows:
        # Commas separate tags in this format, so a tag cannot hold one.
        tags = ",".join(netscape_text(tag.replace(",", " ")) for tag in row.tags)
        lines.append(
            f'        <DT><A HREF="{escape(row.url)}" ADD_DATE="{int(row.saved_at.timestamp())}"'
            f' TAGS="{tags}">{netscape_text(row.title)}</A>'
        )
        if row.note:
            lines.append(f"        <DD>{netscape_text(row.note)}")
    lines += ["    </DL><p>", "</DL><p>", ""]
    return "\n".join(lines)
