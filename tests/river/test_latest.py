"""/latest/ and /latest/feed.atom: filters, search, the feed itself and conditional GET."""

import datetime as dt

import feedparser
import pytest
from django.db import connection

from river.models import Post
from tests.factories import CategoryFactory, PostFactory, ResourceFactory, TopicFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def posts():
    talks = CategoryFactory(name="Talks", slug="talks")
    papers = CategoryFactory(name="Papers", slug="papers")
    arxiv = ResourceFactory(
        slug="arxiv", title="arXiv eess.AS", kind="arxiv", feed_url="https://a.example/f"
    )
    arxiv.categories.add(papers)
    channel = ResourceFactory(
        slug="channel", title="Speech Channel", kind="youtube", feed_url="https://c.example/f"
    )
    channel.categories.add(talks)
    hidden = ResourceFactory(slug="hidden", is_published=False)
    diarization = TopicFactory(name="Diarization", slug="diarization")
    return {
        "paper": PostFactory(
            title="Neural diarization at scale",
            summary="Speaker diarization with transformers.",
            kind=Post.Kind.PAPER,
            sources=[arxiv],
            topics=[diarization],
            published_at=NOW - dt.timedelta(hours=1),
        ),
        "video": PostFactory(
            title="Whisper explained",
            summary="A talk about speech recognition.",
            kind=Post.Kind.VIDEO,
            sources=[channel],
            published_at=NOW - dt.timedelta(hours=2),
        ),
        "hidden": PostFactory(title="Unpublished source", sources=[hidden]),
    }


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [p.title for p in response.context["posts"]]


def test_newest_first_and_only_published_sources(client, posts):
    assert titles(client.get("/latest/")) == ["Neural diarization at scale", "Whisper explained"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=diarization", ["Neural diarization at scale"]),
        ("q=speech+recognition", ["Whisper explained"]),
        ("q=nothing-like-this", []),
        ("kind=video", ["Whisper explained"]),
        ("kind=video&kind=paper", ["Neural diarization at scale", "Whisper explained"]),
        ("topic=diarization", ["Neural diarization at scale"]),
        ("category=talks", ["Whisper explained"]),
        ("source=arxiv", ["Neural diarization at scale"]),
        ("source=arxiv&kind=video", []),
        ("q=whisper&category=papers", []),
    ],
)
def test_filters_and_search_narrow(client, posts, query, expected):
    assert titles(client.get(f"/latest/?{query}")) == expected


def test_bad_filters_are_reported_and_dropped(client, posts):
    response = client.get("/latest/?topic=nope&kind=zz&page=zz&source=hidden")
    assert len(titles(response)) == 2
    assert set(response.context["errors"]) == {"topic", "kind", "page", "source"}
    assert "were not understood" in response.content.decode()


def test_an_over_long_query_is_cut_not_refused(client, posts):
    response = client.get("/latest/?q=" + "whisper " * 1000)
    assert titles(response) == ["Whisper explained"]
    assert len(response.context["filters"]["q"]) <= 200 and not response.context["errors"]


def test_pages_without_counting_everything(client, posts, settings):
    source = ResourceFactory()
    for n in range(31):
        PostFactory(title=f"Filler {n}", sources=[source], published_at=NOW - dt.timedelta(days=1))
    first = client.get("/latest/")
    assert len(first.context["posts"]) == 30 and first.context["has_next"]
    second = client.get("/latest/?page=2")
    assert len(second.context["posts"]) == 3 and not second.context["has_next"]


def test_query_count_does_not_grow_with_posts(client, posts, django_assert_num_queries):
    # Session-free: posts, their sources, their topics, the topic list, the categories;
    # facet counts: two windows (with and without the kind filter), one statement each,
    # and the names of the busiest sources. On PostgreSQL each window runs in a
    # transaction of its own (SET LOCAL, no parallel workers): a savepoint here, the SET
    # and the release, three statements more per window.
    per_window = 4 if connection.vendor == "postgresql" else 1
    with django_assert_num_queries(6 + 2 * per_window):
        client.get("/latest/?kind=paper&kind=video")
    source = ResourceFactory()
    for _ in range(10):
        PostFactory(sources=[source], topics=[TopicFactory()])
    with django_assert_num_queries(6 + 2 * per_window):
        client.get("/latest/?kind=paper&kind=video")
    # Without filters every facet counts the same window.
    with django_assert_num_queries(6 + per_window):
        client.get("/latest/")


def facet(response, name: str) -> dict[str, int]:
    """value → count of one facet, read from the page itself."""
    import re

    html = response.content.decode()
    pattern = (
        rf'<input type="checkbox" name="{name}" value="([^"]+)"(?: checked)?> '
        r'[^<]*<span class="count">(\d+)</span>'
    )
    return {value: int(n) for value, n in re.findall(pattern, html)}


def test_facet_counts_are_disjunctive_and_exact_on_a_small_river(client, posts):
    papers = ResourceFactory(slug="more-papers", title="More papers", feed_url="https://m.e/f")
    papers.categories.add(posts["paper"].sources.get().categories.get())
    PostFactory(title="Another paper", kind=Post.Kind.PAPER, sources=[papers])
    everything = client.get("/latest/")
    assert facet(everything, "kind") == {
        "paper": 2, "blog": 0, "release": 0, "video": 1, "episode": 0, "discussion": 0,
    }  # fmt: skip
    assert facet(everything, "topic") == {"diarization": 1}
    assert facet(everything, "category") == {"talks": 1, "papers": 2}
    assert facet(everything, "source") == {"arxiv": 1, "channel": 1, "more-papers": 1}
    assert "exact counts" in everything.content.decode()
    # Choosing a kind narrows the other facets but not the kind facet itself.
    videos = client.get("/latest/?kind=video")
    assert facet(videos, "kind")["paper"] == 2 and facet(videos, "kind")["video"] == 1
    assert facet(videos, "category") == {"talks": 1, "papers": 0}
    assert facet(videos, "topic") == {"diarization": 0}
    # A search narrows every facet.
    searched = client.get("/latest/?q=diarization")
    assert facet(searched, "kind")["paper"] == 1 and facet(searched, "kind")["video"] == 0
    assert facet(searched, "source") == {"arxiv": 1}


def test_facet_counts_say_when_they_count_a_window(client, posts, settings):
    settings.ASRHUB_RIVER_FACET_WINDOW = 1
    response = client.get("/latest/")
    assert "among the newest 1 that match" in response.content.decode()
    # Only the newest post (the paper) is counted.
    assert facet(response, "kind")["paper"] == 1 and facet(response, "kind")["video"] == 0


def test_the_atom_feed_parses_and_takes_the_same_filters(client, posts):
    response = client.get("/latest/feed.atom?topic=diarization")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo
    assert parsed.version == "atom10"
    assert [e.title for e in parsed.entries] == ["Neural diarization at scale"]
    entry = parsed.entries[0]
    assert entry.id == f"tag:asrhub,2026:post:{posts['paper'].pk}"
    assert entry.link == posts["paper"].link
    assert [t.term for t in entry.tags] == ["Diarization"]
    links = {link.rel: link.href for link in parsed.feed.links}
    assert links == {
        "alternate": "http://testserver/latest/?topic=diarization",
        "self": "http://testserver/latest/feed.atom?topic=diarization",
    }


def test_the_atom_feed_answers_304_to_a_conditional_get(client, posts):
    first = client.get("/latest/feed.atom")
    etag, modified = first["ETag"], first["Last-Modified"]
    again = client.get("/latest/feed.atom", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    since = client.get("/latest/feed.atom", HTTP_IF_MODIFIED_SINCE=modified)
    assert since.status_code == 304
    PostFactory(title="Something new", sources=[posts["paper"].sources.get()])
    changed = client.get("/latest/feed.atom", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_the_latest_page_links_its_feed(client, posts):
    html = client.get("/latest/?kind=paper").content.decode()
    assert 'href="/latest/feed.atom?kind=paper"' in html


def test_control_characters_never_break_the_feed(client, posts):
    PostFactory(title="Bell\x07 and escape\x1b", sources=[posts["video"].sources.get()])
    response = client.get("/latest/feed.atom?q=%1Bescape%07")
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo
    assert [e.title for e in parsed.entries] == ["Bell and escape"]


def test_one_topic_or_several_newest_first_each_post_once(client, posts):
    source = ResourceFactory(slug="more", feed_url="https://m.example/f")
    ctc, asr = TopicFactory(slug="ctc", name="CTC"), TopicFactory(slug="asr", name="ASR")
    for hours, title, about in [(5, "Both", [ctc, asr]), (3, "CTC only", [ctc]), (4, "ASR", [asr])]:
        PostFactory(
            title=title,
            sources=[source],
            topics=about,
            published_at=NOW - dt.timedelta(hours=hours),
        )
    assert titles(client.get("/latest/?topic=ctc")) == ["CTC only", "Both"]
    assert titles(client.get("/latest/?topic=ctc&topic=asr")) == ["CTC only", "ASR", "Both"]
    assert titles(client.get("/latest/?topic=ctc&kind=video")) == []
    feed = feedparser.parse(client.get("/latest/feed.atom?topic=ctc").content)
    assert [e.title for e in feed.entries] == ["CTC only", "Both"]


def test_rows_built_in_python_escape_every_value(client, member_client, member):
    from tests.factories import FollowFactory

    source = ResourceFactory(
        slug="evil", title='<b>Source</b> "q"', feed_url="https://e.example/f", kind="arxiv"
    )
    FollowFactory(user=member, resource=source)
    PostFactory(
        title="<script>alert(1)</script> & co",
        link='https://e.example/p?a=1&b="2"',
        authors="<i>Ada</i>",
        arxiv_id="2611.00001",
        version="<v1>",
        summary="<p>Kept <b>markup</b></p>",
        sources=[source],
        topics=[TopicFactory(slug="t", name="<u>Topic</u>")],
    )
    for response in (client.get("/latest/"), member_client.get("/me/feed/")):
        html = response.content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
        assert 'href="https://e.example/p?a=1&amp;b=&quot;2&quot;"' in html
        assert "&lt;i&gt;Ada&lt;/i&gt;" in html and "&lt;v1&gt;" in html
        assert "&lt;b&gt;Source&lt;/b&gt; &quot;q&quot;" in html
        assert "&lt;u&gt;Topic&lt;/u&gt;" in html and "<u>Topic</u>" not in html
        assert "<p>Kept <b>markup</b></p>" in html  # the summary was sanitised at ingestion
