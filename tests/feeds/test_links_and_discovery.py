"""Link health and feed discovery against the local server."""

import pytest
from django.core.management import call_command

from catalogue.fetching.discovery import discover, youtube_channel_feed
from catalogue.fetching.links import check_link
from catalogue.models import Resource
from tests.factories import ResourceFactory
from tests.support.feed_server import Reply

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("reply", "health"),
    [
        (Reply(200, b"hello"), "ok"),
        (Reply(404, b"gone"), "dead"),
        (Reply(410, b"gone"), "dead"),
        (Reply(403, b"bot wall"), "unknown"),
        (Reply(429, b"slow down"), "unknown"),
    ],
)
def test_link_health(server, reply, health):
    server.routes["/page"] = reply
    resource = ResourceFactory(url=server.url("/page"))
    assert check_link(resource) == health
    resource.refresh_from_db()
    assert resource.link_health == health and resource.link_checked_at
    assert (resource.link_ok_at is not None) == (health == "ok")
    assert resource.link_failures == (1 if health == "dead" else 0)


def test_head_falls_back_to_get(server):
    def handler(request):
        return Reply(405) if request.command == "HEAD" else Reply(200, b"ok")

    server.routes["/page"] = handler
    resource = ResourceFactory(url=server.url("/page"))
    assert check_link(resource) == "ok"
    assert [r[0] for r in server.requests] == ["HEAD", "GET"]


@pytest.mark.parametrize(("status", "health"), [(200, "ok"), (404, "dead")])
def test_the_get_fallback_judges_by_status_not_by_body_size(server, status, health):
    big = b"x" * (6 * 1024 * 1024)

    def handler(request):
        return Reply(405) if request.command == "HEAD" else Reply(status, big)

    server.routes["/page"] = handler
    resource = ResourceFactory(url=server.url("/page"))
    assert check_link(resource) == health
    resource.refresh_from_db()
    assert resource.link_status == status


def test_redirects_record_the_final_url(server):
    server.routes["/old"] = Reply(301, headers={"Location": "/new"})
    server.routes["/new"] = Reply(200, b"ok")
    resource = ResourceFactory(url=server.url("/old"))
    check_link(resource)
    resource.refresh_from_db()
    assert resource.link_final_url == server.url("/new")


def test_consecutive_failures_count_and_reset(server):
    server.routes["/page"] = Reply(500)
    resource = ResourceFactory(url=server.url("/page"))
    check_link(resource)
    check_link(resource)
    assert Resource.objects.get(pk=resource.pk).link_failures == 2
    server.routes["/page"] = Reply(200, b"back")
    check_link(resource)
    assert Resource.objects.get(pk=resource.pk).link_failures == 0


def test_check_links_command(server):
    server.routes["/a"] = Reply(200, b"ok")
    ResourceFactory(url=server.url("/a"))
    call_command("check_links", "--workers", "1", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Resource.objects.get().link_health == "ok"


def test_discovery_finds_alternate_links(server):
    server.routes["/"] = Reply(
        200,
        b'<html><head><link rel="alternate" type="application/rss+xml" href="/posts.rss">'
        b'<link rel="stylesheet" href="/s.css"></head></html>',
    )
    assert discover(server.url("/")) == [server.url("/posts.rss")]


def test_discovery_tries_common_paths(server):
    server.routes["/"] = Reply(200, b"<html><head></head></html>")
    server.routes["/feed.xml"] = Reply(200, b'<?xml version="1.0"?><rss version="2.0"></rss>')
    assert discover(server.url("/")) == [server.url("/feed.xml")]


def test_discover_feeds_command_proposes_and_applies(server, capsys):
    server.routes["/"] = Reply(
        200, b'<link rel="alternate" type="application/atom+xml" href="/atom.xml">'
    )
    resource = ResourceFactory(url=server.url("/"), feed_url="")
    call_command("discover_feeds")
    assert server.url("/atom.xml") in capsys.readouterr().out
    assert Resource.objects.get(pk=resource.pk).feed_url == ""
    call_command("discover_feeds", "--apply")
    assert Resource.objects.get(pk=resource.pk).feed_url == server.url("/atom.xml")


def test_youtube_channel_pages_map_to_their_feed():
    html = '<meta itemprop="identifier" content="UCabcdefghijklmnopqrstuv">'
    assert youtube_channel_feed("https://www.youtube.com/@someone", html) == (
        "https://www.youtube.com/feeds/videos.xml?channel_id=UCabcdefghijklmnopqrstuv"
    )
    assert youtube_channel_feed(
        "https://www.youtube.com/channel/UC0123456789abcdefghijkl", ""
    ).endswith("UC0123456789abcdefghijkl")
    assert youtube_channel_feed("https://www.youtube.com/@nobody", "<html></html>") == ""
