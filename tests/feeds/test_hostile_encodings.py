"""A document type or entity declaration is refused in whatever encoding it comes:
feeds (feedparser decodes EBCDIC, UTF-16/32 and declared charsets) and OPML imports."""

import pytest

from accounts.views_following import opml_feed_urls
from catalogue.fetching.client import FetchError
from catalogue.fetching.feeds import parse

FEED = """<?xml version="1.0" encoding="{encoding}"?>
<!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]>
<rss version="2.0"><channel><title>x</title>
<item><title>&lol2;</title><guid>1</guid></item></channel></rss>"""

OPML = """<?xml version="1.0" encoding="{encoding}"?>
<!DOCTYPE opml [<!ENTITY a "https://evil.example/feed.xml">]>
<opml version="2.0"><body><outline xmlUrl="&a;"/></body></opml>"""

ENCODINGS = ["cp037", "cp500", "cp1140", "utf-16", "utf-32", "utf-8", "iso-8859-1"]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_feeds_declaring_entities_are_refused_in_any_encoding(encoding):
    with pytest.raises(FetchError) as refused:
        parse(FEED.format(encoding=encoding).encode(encoding))
    assert refused.value.kind == "hostile"


def test_an_ebcdic_feed_without_entities_is_still_read():
    plain = FEED.replace(FEED.splitlines()[1] + "\n", "").replace("&lol2;", "Hello")
    entries = parse(plain.format(encoding="cp037").encode("cp037"))
    assert [entry["title"] for entry in entries] == ["Hello"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "iso-8859-1", "cp1252"])
def test_opml_with_a_document_type_is_refused_in_any_encoding_the_parser_reads(encoding):
    with pytest.raises(ValueError, match="declares a document type"):
        opml_feed_urls(OPML.format(encoding=encoding).encode(encoding))


@pytest.mark.parametrize("encoding", ["cp037", "cp500", "cp1140", "utf-32"])
def test_opml_in_an_encoding_the_parser_cannot_read_is_refused(encoding):
    """expat reads no EBCDIC (nor UTF-32): such a file is refused before any entity."""
    with pytest.raises(ValueError, match="not valid OPML"):
        opml_feed_urls(OPML.format(encoding=encoding).encode(encoding))
