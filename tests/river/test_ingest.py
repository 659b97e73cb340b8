"""Posts from a local feed server enter the river once, with every source they came from."""

import pytest

from catalogue.fetching.feeds import fetch_feed
from catalogue.models import Resource
from river.ingest import arxiv_id, canonical_link, globally_unique
from river.models import Post
from tests.factories import ResourceFactory, TopicFactory
from tests.support.feed_server import Reply

pytestmark = pytest.mark.django_db


def rss(channel: str, items: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>{channel}</title><link>https://example.org/</link>"
        f"<description>x</description>{items}</channel></rss>"
    ).encode()


PAPER_AS = """<item><title>Streaming Whisper with CTC heads</title>
<link>http://arxiv.org/abs/2611.01234v1</link>
<guid isPermaLink="false">oai:arXiv.org:2611.01234v1</guid>
<description>&lt;p&gt;We make &lt;b&gt;speech&lt;/b&gt; recognition faster.&lt;/p&gt;&lt;img src="https://tracker.example/p.gif"&gt;&lt;script&gt;alert(1)&lt;/script&gt;</description>
<dc:creator>Ada Lovelace, Alan Turing</dc:creator>
<pubDate>Tue, 24 Nov 2026 05:30:00 GMT</pubDate></item>"""
PAPER_SD = """<item><title>Streaming Whisper with CTC heads</title>
<link>https://arxiv.org/abs/2611.01234v2</link>
<guid isPermaLink="false">oai:arXiv.org:2611.01234v2</guid>
<description>Same paper, cross-listed.</description>
<pubDate>Tue, 24 Nov 2026 05:30:00 GMT</pubDate></item>"""
OWN = """<item><title>Only in cs.SD</title><link>https://arxiv.org/abs/2611.09999</link>
<guid>oai:arXiv.org:2611.09999v1</guid><pubDate>Tue, 24 Nov 2026 06:00:00 GMT</pubDate></item>"""


@pytest.fixture
def two_arxiv_feeds(server):
    server.routes["/eess.AS"] = Reply(body=rss("eess.AS", PAPER_AS))
    server.routes["/cs.SD"] = Reply(body=rss("cs.SD", PAPER_SD + OWN))
    eess = ResourceFactory(
        title="arXiv eess.AS", kind=Resource.Kind.ARXIV, feed_url=server.url("/eess.AS")
    )
    cssd = ResourceFactory(
        title="arXiv cs.SD", kind=Resource.Kind.ARXIV, feed_url=server.url("/cs.SD")
    )
    return eess, cssd


def test_a_cross_listed_paper_is_one_post_with_both_sources(two_arxiv_feeds):
    eess, cssd = two_arxiv_feeds
    fetch_feed(eess)
    fetch_feed(cssd)
    assert Post.objects.count() == 2
    paper = Post.objects.get(arxiv_id="2611.01234")
    assert set(paper.sources.all()) == {eess, cssd}
    assert paper.kind == Post.Kind.PAPER
    assert paper.authors == "Ada Lovelace, Alan Turing"
    assert paper.pdf_url == "https://arxiv.org/pdf/2611.01234"


def test_latest_shows_the_shared_post_once_with_both_sources(client, two_arxiv_feeds):
    for resource in two_arxiv_feeds:
        fetch_feed(resource)
    response = client.get("/latest/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("Streaming Whisper with CTC heads") == 1
    assert [p.title for p in response.context["posts"]] == [
        "Only in cs.SD",
        "Streaming Whisper with CTC heads",
    ]
    shared = response.context["posts"][1]
    assert [s.title for s in shared.sources.all()] == ["arXiv cs.SD", "arXiv eess.AS"]
    assert "arXiv:2611.01234" in html and 'href="https://arxiv.org/pdf/2611.01234"' in html


def test_summaries_lose_scripts_and_remote_images(client, two_arxiv_feeds):
    fetch_feed(two_arxiv_feeds[0])
    paper = Post.objects.get()
    assert "<b>speech</b>" in paper.summary
    assert "<img" not in paper.summary and "script" not in paper.summary
    html = client.get("/latest/").content.decode()
    assert "tracker.example" not in html and "alert(1)" not in html


def test_refetching_adds_nothing(two_arxiv_feeds):
    eess, _ = two_arxiv_feeds
    fetch_feed(eess)
    eess.feed_etag = eess.feed_last_modified = ""
    fetch_feed(eess)
    assert Post.objects.count() == 1
    assert Post.objects.get().post_sources.count() == 1


def test_the_same_link_in_two_blogs_is_one_post(server):
    first = """<item><title>Release notes</title><guid>1</guid>
    <link>https://www.lab.example/news/release/?utm_source=rss</link></item>"""
    second = """<item><title>Release notes (mirror)</title><guid>1</guid>
    <link>http://lab.example/news/release</link></item>"""
    unrelated = (
        """<item><title>Other</title><guid>2</guid><link>https://lab.example/</link></item>"""
    )
    server.routes["/a"] = Reply(body=rss("a", first + unrelated))
    server.routes["/b"] = Reply(body=rss("b", second + unrelated))
    a = ResourceFactory(feed_url=server.url("/a"))
    b = ResourceFactory(feed_url=server.url("/b"))
    fetch_feed(a)
    fetch_feed(b)
    shared = Post.objects.get(canonical_link="lab.example/news/release")
    assert set(shared.sources.all()) == {a, b}
    # A bare guid "2" and a front-page link identify nothing across feeds.
    assert Post.objects.filter(title="Other").count() == 2


def test_topics_come_from_the_source_and_the_text(server):
    streaming = TopicFactory(name="Streaming", slug="streaming")
    diarization = TopicFactory(name="Diarization", slug="diarization")
    TopicFactory(name="Medical", slug="medical")
    server.routes["/f"] = Reply(body=rss("f", PAPER_AS))
    resource = ResourceFactory(feed_url=server.url("/f"))
    resource.topics.add(diarization)
    fetch_feed(resource)
    assert set(Post.objects.get().topics.all()) == {streaming, diarization}


def test_a_release_shows_its_version(client, server):
    server.routes["/r"] = Reply(
        body=rss("r", "<item><title>sherpa-onnx v1.12.3</title><guid>tag:gh,1</guid></item>")
    )
    resource = ResourceFactory(kind=Resource.Kind.REPOSITORY, feed_url=server.url("/r"))
    fetch_feed(resource)
    post = Post.objects.get()
    assert (post.kind, post.version) == (Post.Kind.RELEASE, "1.12.3")
    assert '<span class="badge">1.12.3</span>' in client.get("/latest/").content.decode()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("http://arxiv.org/abs/2611.01234v3", "2611.01234"),
        ("oai:arXiv.org:2611.01234v1", "2611.01234"),
        ("https://arxiv.org/pdf/2401.00001", "2401.00001"),
        ("oai:arXiv.org:cs/0112017v1", "cs/0112017"),
        ("https://example.org/2611.01234", ""),
    ],
)
def test_arxiv_ids(text, expected):
    assert arxiv_id(text) == expected


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("https://www.Lab.example/a/b/?utm_medium=x&id=3#top", "lab.example/a/b?id=3"),
        ("http://lab.example/a/b", "lab.example/a/b"),
        ("https://lab.example/", ""),
        ("", ""),
    ],
)
def test_canonical_links(link, expected):
    assert canonical_link(link) == expected


def test_only_urls_and_urns_are_guids_across_feeds():
    assert globally_unique("tag:github.com,2008:Repository/1/v1.2")
    assert not globally_unique("12345")
    assert not globally_unique("sha256:abcdef0123456789")
