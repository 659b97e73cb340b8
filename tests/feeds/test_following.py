"""Following, the personal feed, the readers' links, OPML import and the site feed."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import Follow
from tests.factories import (
    CategoryFactory,
    FeedEntryFactory,
    FollowFactory,
    PackItemFactory,
    PostFactory,
    ResourceFactory,
    StarterPackFactory,
)

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def with_feed(**kwargs):
    return ResourceFactory(
        feed_url=f"https://feeds.example/{kwargs.get('slug', 'x')}.xml", **kwargs
    )


def test_follow_toggle_plain_and_htmx(member_client, member):
    resource = with_feed(slug="blog")
    response = member_client.post("/follow/blog/", {"next": "/resources/"})
    assert response["Location"] == "/resources/"
    assert Follow.objects.filter(user=member, resource=resource).exists()
    htmx = member_client.post("/follow/blog/", headers={"HX-Request": "true"})
    assert "+ Follow" in htmx.content.decode() and "<html" not in htmx.content.decode()
    assert not Follow.objects.exists()


def test_only_resources_with_feeds_can_be_followed(member_client):
    resource = ResourceFactory(feed_url="")
    assert member_client.post(f"/follow/{resource.slug}/").status_code == 404
    assert member_client.get(f"/follow/{resource.slug}/").status_code == 405


def test_follow_all_of_a_pack_follows_each_resource_once(member_client, member):
    pack = StarterPackFactory(visibility="public")
    a, b = with_feed(slug="a"), with_feed(slug="b")
    no_feed = ResourceFactory()
    for n, resource in enumerate([a, b, no_feed]):
        PackItemFactory(pack=pack, resource=resource, position=n)
    FollowFactory(user=member, resource=a)
    member_client.post(f"/me/following/pack/{pack.owner.username}/{pack.slug}/")
    member_client.post(f"/me/following/pack/{pack.owner.username}/{pack.slug}/")
    assert sorted(Follow.objects.filter(user=member).values_list("resource__slug", flat=True)) == [
        "a",
        "b",
    ]


def test_follow_all_respects_pack_visibility(member_client, member):
    private = StarterPackFactory(visibility="private")
    PackItemFactory(pack=private, resource=with_feed(slug="secret"), position=0)
    url = f"/me/following/pack/{private.owner.username}/{private.slug}/"
    assert member_client.post(url).status_code == 404
    assert member_client.get(url).status_code == 405
    assert Client().post(url).status_code == 302  # a visitor: to the log-in page
    assert not Follow.objects.exists()
    own = StarterPackFactory(visibility="private", owner=member)
    PackItemFactory(pack=own, resource=with_feed(slug="mine"), position=0)
    assert (
        member_client.post(f"/me/following/pack/{member.username}/{own.slug}/").status_code == 302
    )
    assert list(Follow.objects.values_list("resource__slug", flat=True)) == ["mine"]


def test_my_feed_is_the_river_reader_of_what_one_follows(member_client, member):
    # The reader itself (read state, stars, rules, counts) is tested in tests/river/.
    blog, podcast = with_feed(slug="blog"), with_feed(slug="pod", kind="podcast")
    other = with_feed(slug="other")
    FollowFactory(user=member, resource=blog)
    FollowFactory(user=member, resource=podcast)
    now = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
    PostFactory(title="Old post", sources=[blog], published_at=now - dt.timedelta(days=3))
    PostFactory(title="Episode", sources=[podcast], published_at=now - dt.timedelta(days=1))
    PostFactory(title="Not followed", sources=[other], published_at=now)
    response = member_client.get("/me/feed/")
    assert [p.title for p in response.context["posts"]] == ["Episode", "Old post"]
    only_pod = member_client.get("/me/feed/?source=pod").context["posts"]
    assert [p.title for p in only_pod] == ["Episode"]
    assert member_client.get("/me/feed/?page=zz&kind=zz").status_code == 200


def test_atom_feed_is_valid_rfc4287(client, member):
    blog = with_feed(slug="blog", title="Speech blog")
    FollowFactory(user=member, resource=blog)
    PostFactory(title="Post <1>", summary="<p>Hello &amp; bye</p>", sources=[blog])
    response = client.get(f"/u/{member.feed_token}/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}id").text and root.find(f"{ATOM}updated").text
    self_link = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link and self_link[0].get("href").endswith(f"/u/{member.feed_token}/feed.atom")
    entry = root.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}id").text.startswith("tag:asrhub")
    assert entry.find(f"{ATOM}updated").text
    assert entry.find(f"{ATOM}title").text == "Speech blog: Post <1>"


def test_atom_feed_reads_the_river_of_what_one_follows_through_ones_rules(client, member):
    from river.models import Rule

    blog, pod = with_feed(slug="blog", title="Blog"), with_feed(slug="pod", title="Pod")
    other = with_feed(slug="other", title="Other")
    FollowFactory(user=member, resource=blog)
    FollowFactory(user=member, resource=pod)
    now = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
    shared = PostFactory(title="Shared", sources=[blog, pod, other], published_at=now)
    PostFactory(title="Whisper notes", sources=[blog], published_at=now - dt.timedelta(hours=1))
    PostFactory(title="Crypto spam", sources=[pod], published_at=now - dt.timedelta(hours=2))
    PostFactory(title="Not followed", sources=[other], published_at=now)
    Rule.objects.create(user=member, action="block", phrases="crypto")
    url = f"/u/{member.feed_token}/feed.atom"
    root = ET.fromstring(client.get(url).content)  # noqa: S314 - our own output
    entries = root.findall(f"{ATOM}entry")
    # Each post once, titled with the followed sources that carry it; the rule hides one.
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "Blog, Pod: Shared",
        "Blog: Whisper notes",
    ]
    assert entries[0].find(f"{ATOM}id").text == f"tag:asrhub,2026:post:{shared.pk}"
    Rule.objects.all().delete()
    assert len(ET.fromstring(client.get(url).content).findall(f"{ATOM}entry")) == 3  # noqa: S314


def test_atom_feed_answers_a_conditional_get(client, member):
    blog = with_feed(slug="blog", title="Blog")
    FollowFactory(user=member, resource=blog)
    PostFactory(title="First", sources=[blog])
    url = f"/u/{member.feed_token}/feed.atom"
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    PostFactory(title="Second", sources=[blog])
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and b"Second" in again.content


def test_following_opml_groups_by_category(client, member):
    parent = CategoryFactory(name="Reading")
    blogs = CategoryFactory(name="Blogs", parent=parent)
    talk = CategoryFactory(name="Communities")
    FollowFactory(user=member, resource=with_feed(slug="blog", title="Blog", categories=[blogs]))
    FollowFactory(user=member, resource=with_feed(slug="sub", title="Sub", categories=[talk]))
    response = client.get(f"/u/{member.feed_token}/following.opml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    groups = {o.get("text"): [c.get("text") for c in o] for o in root.findall("./body/outline")}
    assert groups == {"Communities": ["Sub"], "Reading": ["Blog"]}


def test_rotating_the_token_breaks_the_old_links(member_client, member):
    old = member.feed_token
    member_client.post("/me/following/token/")
    member.refresh_from_db()
    assert member.feed_token != old
    assert member_client.get(f"/u/{old}/feed.atom").status_code == 404


OPML = b"""<?xml version="1.0"?><opml version="2.0"><head><title>Reader</title></head><body>
<outline text="Tech"><outline text="A" xmlUrl="http://www.feeds.example/blog.xml/"/>
<outline text="B" xmlUrl="https://unknown.example/rss"/></outline></body></opml>"""


MATCHING_OUTLINE = b'<outline text="Blog" type="rss" xmlUrl="https://feeds.example/blog.xml"/>'


def upload(content: bytes, name="subs.opml"):
    return SimpleUploadedFile(name, content, content_type="text/x-opml")


def test_opml_import_follows_matches_and_lists_the_rest(member_client, member):
    blog = with_feed(slug="blog")
    response = member_client.post("/me/following/import/", {"file": upload(OPML)})
    assert response.status_code == 200
    assert list(Follow.objects.filter(user=member).values_list("resource", flat=True)) == [blog.pk]
    assert "https://unknown.example/rss" in response.content.decode()


@pytest.mark.parametrize(
    "content",
    [
        b"not xml at all",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><opml><body>'
        + MATCHING_OUTLINE
        + b"</body></opml>",
        (
            '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE x [<!ENTITY a "b">]><opml><body>'
            + MATCHING_OUTLINE.decode()
            + "</body></opml>"
        ).encode("utf-16"),
        b"<html><body>nope</body></html>",
        b"<opml><body>" + MATCHING_OUTLINE + b" " * (1024 * 1024 + 1) + b"</body></opml>",
    ],
    ids=["garbage", "entities", "utf16-entities", "not-opml", "oversized"],
)
def test_bad_opml_changes_nothing(member_client, member, content):
    with_feed(slug="blog")
    response = member_client.post("/me/following/import/", {"file": upload(content)}, follow=True)
    assert response.status_code == 200
    assert "Nothing was imported" in response.content.decode() or "larger than 1 MB" in (
        response.content.decode()
    )
    assert not Follow.objects.exists()


def test_site_feed_of_new_resources(client):
    ResourceFactory(title="Newest thing")
    ResourceFactory(title="Draft", is_published=False)
    response = client.get("/feeds/new.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    titles = [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]
    assert titles == ["Newest thing"]


def test_resource_page_shows_follow_and_latest_posts(member_client, member):
    blog = with_feed(slug="blog")
    FeedEntryFactory(resource=blog, title="A recent post")
    html = member_client.get(blog.get_absolute_url()).content.decode()
    assert "+ Follow" in html and "A recent post" in html


def test_resource_entries_partial_uses_given_entries_or_queries_once(rf, django_assert_num_queries):
    from django.template.loader import render_to_string

    resource = with_feed(slug="partial")
    FeedEntryFactory(resource=resource, title="Queried post")
    request = rf.get("/")
    with django_assert_num_queries(0):
        html = render_to_string(
            "partials/resource_entries.html",
            {"resource": resource, "entries": []},
            request=request,
        )
    assert "No posts fetched yet" in html and "Queried post" not in html
    with django_assert_num_queries(1):
        html = render_to_string(
            "partials/resource_entries.html", {"resource": resource}, request=request
        )
    assert "Queried post" in html
    no_feed = render_to_string("partials/resource_entries.html", {"resource": ResourceFactory()})
    assert "Latest posts" not in no_feed


def test_members_never_see_raw_fetch_errors(member_client, member):
    broken = with_feed(slug="broken", title="Broken blog")
    broken.feed_error_count = 4
    broken.feed_last_error = "HTTP 500 from https://b.example/feed: ConnectionResetError(104)"
    broken.save()
    FollowFactory(user=member, resource=broken)
    html = member_client.get("/me/following/").content.decode()
    assert "not reachable lately" in html and "we keep trying" in html
    assert "HTTP 500" not in html and "ConnectionResetError" not in html
